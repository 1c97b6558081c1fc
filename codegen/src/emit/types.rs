//! IR types -> the `types` module: serde models, forward-compatible enums, unions.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_or};
use super::ident;
use crate::format::{Chunk, chunk};
use crate::ir::{Api, Field, Tagging, TypeDef, TypeKind, TypeRef, UnionVariant, Variant};

/// The chunks of `src/types.rs`, one per item (see `format::format_files`).
pub fn types_file(api: &Api) -> impl Iterator<Item = Chunk<'_>> {
    let head = chunk(|| {
        quote! {
            //! Data types: request bodies, results and the enums they use, generated from the spec's schemas.
            //!
            //! Every field the server may leave out is an `Option`; every enum decoded from a response
            //! keeps values this version does not know in an `Unknown` variant.
        }
    });
    std::iter::once(head).chain(api.types.iter().map(|t| chunk(move || type_def(t))))
}

/// The Rust type for a type reference, with absolute paths so spec names cannot shadow std.
pub fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Integer(32) => quote!(i32),
        TypeRef::Integer(_) => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Bytes => quote!(::std::vec::Vec<u8>),
        TypeRef::MultipartForm => quote!(crate::runtime::Multipart),
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
        TypeRef::Array(inner) => {
            let inner = type_tokens(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner);
            quote!(::std::option::Option<#inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
    let doc = doc_or(def.doc.as_deref(), &format!("The `{}` object.", def.name));
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            struct_def(&doc, &name, fields, additional.as_ref())
        }
        TypeKind::Enum { variants } => enum_def(&doc, &name, variants),
        TypeKind::Union { variants, tagging } => union_def(&doc, &name, variants, tagging),
    }
}

fn struct_def(
    doc: &TokenStream,
    name: &proc_macro2::Ident,
    fields: &[Field],
    additional: Option<&TypeRef>,
) -> TokenStream {
    let all_optional = fields.iter().all(|f| !f.required);
    let defaults = if all_optional {
        quote!(::std::default::Default,)
    } else {
        quote!()
    };
    let field_tokens = fields.iter().map(field);
    let extra = additional.map(|ty| {
        let ty = type_tokens(ty);
        let mut extra_name = "additional_properties".to_owned();
        while fields.iter().any(|f| f.name == extra_name) {
            extra_name.push('_');
        }
        let extra_name = ident(&extra_name);
        quote! {
            /// Properties not listed in the schema.
            #[serde(flatten)]
            pub #extra_name: ::std::collections::BTreeMap<::std::string::String, #ty>,
        }
    });
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, #defaults ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#field_tokens)*
            #extra
        }
    }
}

fn field(f: &Field) -> TokenStream {
    let doc = doc_or(
        f.doc.as_deref(),
        &format!("The {} property.", code(&f.wire_name)),
    );
    let name = ident(&f.name);
    let ty = type_tokens(&f.ty);
    let wire = &f.wire_name;
    let rename = if crate::naming::bare(&f.name) == wire {
        quote!()
    } else {
        quote!(rename = #wire,)
    };
    if f.required && !f.nullable {
        let attr = if rename.is_empty() {
            quote!()
        } else {
            quote!(#[serde(#rename)])
        };
        quote! { #doc #attr pub #name: #ty, }
    } else if f.required {
        // Required but nullable: always sent, `null` when `None`.
        quote! { #doc #[serde(#rename default)] pub #name: ::std::option::Option<#ty>, }
    } else {
        quote! {
            #doc
            #[serde(#rename default, skip_serializing_if = "::std::option::Option::is_none")]
            pub #name: ::std::option::Option<#ty>,
        }
    }
}

fn enum_def(doc: &TokenStream, name: &proc_macro2::Ident, variants: &[Variant]) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| format!(" {}", code(w)));
    quote! {
        #doc
        ///
        /// Values this version does not know decode to `Unknown` instead of failing.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value this version of the client does not know.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#idents, )*
                    other => Self::Unknown(::std::string::ToString::to_string(other)),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_ref()))
            }
        }
    }
}

fn union_def(
    doc: &TokenStream,
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
    tagging: &Tagging,
) -> TokenStream {
    let arms = variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = type_tokens(&v.ty);
        let vdoc = match &v.tag {
            Some(tag) => format!(" The shape tagged {}.", code(tag)),
            None => format!(" The `{}` shape.", v.name),
        };
        quote! { #[doc = #vdoc] #vname(#ty), }
    });
    match tagging {
        Tagging::Untagged => quote! {
            #doc
            ///
            /// Decoding tries each shape in this order and keeps the first that matches; a value
            /// that matches none is kept as `Other`.
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#arms)*
                /// A value that matches none of the known shapes.
                Other(::serde_json::Value),
            }
        },
        Tagging::Internal { property } => {
            let note = format!(
                " The {} property tells the shapes apart; a tag this version does not know is kept as `Unknown`.",
                code(property)
            );
            let decode = variants.iter().filter_map(|v| {
                let tag = v.tag.as_ref()?;
                let vname = ident(&v.name);
                Some(quote! {
                    ::std::option::Option::Some(#tag) => ::serde_json::from_value(value).map(Self::#vname).map_err(::serde::de::Error::custom),
                })
            });
            quote! {
                #doc
                ///
                #[doc = #note]
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize)]
                #[serde(untagged)]
                pub enum #name {
                    #(#arms)*
                    /// A value whose tag this version does not know.
                    Unknown(::serde_json::Value),
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                        let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                        match tag.as_deref() {
                            #(#decode)*
                            _ => ::std::result::Result::Ok(Self::Unknown(value)),
                        }
                    }
                }
            }
        }
    }
}
