//! IR types -> the `types` module: serde models, forward-compatible enums, unions.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_or};
use super::ident;
use super::typeref::type_tokens;
use crate::format::{Chunk, chunk};
use crate::ir::{Api, Field, Name, Tagging, TypeDef, TypeKind, TypeRef, UnionVariant, Variant};

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
    std::iter::once(head).chain(
        api.types
            .iter()
            .map(move |t| chunk(move || type_def(api, t))),
    )
}

/// With features per tag, the types are split into modules: one per feature for the types only
/// that feature's operations reach (the module is gated, its items are not), and `shared` for
/// the rest (each item gated by the features that reach it, or not at all).
pub struct TypeModule<'a> {
    /// The module's name.
    pub name: Name,
    /// The feature that gates the whole module.
    pub feature: Option<&'a str>,
    /// Its types, sorted by name.
    pub types: Vec<&'a TypeDef>,
}

/// The type modules of a crate with features per tag, `shared` first, then by feature name.
pub fn type_modules(api: &Api) -> Vec<TypeModule<'_>> {
    let mut names = crate::naming::Namespace::with_reserved(&["shared"]);
    let mut modules = vec![TypeModule {
        name: Name::new("shared"),
        feature: None,
        types: Vec::new(),
    }];
    for f in &api.features {
        modules.push(TypeModule {
            name: Name::new(names.claim(&crate::naming::snake(&f.name))),
            feature: Some(&f.name),
            types: Vec::new(),
        });
    }
    for def in &api.types {
        let only = match api.type_features.get(&def.name).map(Vec::as_slice) {
            Some([one]) => modules.iter().position(|m| m.feature == Some(one.as_str())),
            _ => None,
        };
        modules[only.unwrap_or(0)].types.push(def);
    }
    modules.retain(|m| !m.types.is_empty() || m.feature.is_none());
    modules
}

/// The chunks of `src/types/<module>.rs`, one per item.
pub fn module_file<'a>(api: &'a Api, module: TypeModule<'a>) -> impl Iterator<Item = Chunk<'a>> {
    let doc = match module.feature {
        Some(f) => format!(" The types only the `{f}` feature's operations use."),
        None => {
            " The types several features share, each compiled when one of them is on.".to_owned()
        }
    };
    let gated = module.feature.is_none();
    std::iter::once(chunk(move || quote!(#![doc = #doc]))).chain(
        module
            .types
            .into_iter()
            .map(move |def| chunk(move || type_def_in(api, def, gated))),
    )
}

/// The tokens of `src/types/mod.rs`: the modules, re-exported, so every type is
/// `crate::types::X`.
pub fn types_mod(modules: &[(Name, Option<&str>)]) -> TokenStream {
    let items = modules.iter().map(|(n, feature)| {
        let cfg = super::features::cfg_any(feature.map(str::to_owned).as_ref());
        // `shared` may have nothing on when few features are (its items are gated one by one).
        let allow = feature.is_none().then(|| quote!(#[allow(unused_imports)]));
        quote! { #cfg mod #n; #cfg #allow pub use #n::*; }
    });
    quote! {
        //! Data types: request bodies, results and the enums they use, generated from the spec's schemas,
        //! in one module per feature (re-exported here).
        //!
        //! Every field the server may leave out is an `Option`; every enum decoded from a response
        //! keeps values this version does not know in an `Unknown` variant.
        #(#items)*
    }
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    type_def_in(api, def, true)
}

fn type_def_in(api: &Api, def: &TypeDef, gated: bool) -> TokenStream {
    let doc = doc_or(def.doc.as_deref(), &format!("The `{}` object.", def.name));
    let name = &def.name;
    let cfg = if gated {
        super::features::cfg_type(api, &def.name)
    } else {
        TokenStream::new()
    };
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let builders = api.request_types.contains(&def.name);
            struct_def(api, &doc, &cfg, name, fields, additional.as_ref(), builders)
        }
        TypeKind::Enum { variants } => enum_def(&doc, &cfg, name, variants),
        TypeKind::Union { variants, tagging } => {
            let from = if api.request_types.contains(&def.name) {
                super::builders::variants_from(api, &cfg, &def.name, variants)
            } else {
                TokenStream::new()
            };
            let union = union_def(&doc, &cfg, name, variants, tagging);
            quote!(#union #from)
        }
        TypeKind::Alias { target } => {
            let ty = type_tokens(&TypeRef::Named(target.clone()));
            // No link: rustdoc links the target in the alias's signature.
            let same =
                format!(" The same shape as `{target}` elsewhere in the spec, so the same type.");
            quote! {
                #doc
                ///
                #[doc = #same]
                #cfg
                pub type #name = #ty;
            }
        }
    }
}

fn struct_def(
    api: &Api,
    doc: &TokenStream,
    cfg: &TokenStream,
    name: &Name,
    fields: &[Field],
    additional: Option<&TypeRef>,
    builders: bool,
) -> TokenStream {
    let all_optional = fields.iter().all(|f| !f.required);
    let defaults = if all_optional {
        quote!(Default,)
    } else {
        quote!()
    };
    let field_tokens = fields.iter().map(field);
    let mut extra_name = "additional_properties".to_owned();
    while fields.iter().any(|f| f.name == extra_name) {
        extra_name.push('_');
    }
    let extra_name = ident(&extra_name);
    let builder = if builders {
        super::builders::builder_impl(api, cfg, name, fields, additional, &extra_name)
    } else {
        TokenStream::new()
    };
    let extra = additional.map(|ty| {
        let ty = type_tokens(ty);
        quote! {
            /// Properties not listed in the schema.
            pub #extra_name: ::std::collections::BTreeMap<String, #ty>,
        }
    });
    let serialize =
        super::serialize::struct_serialize(cfg, name, fields, additional.is_some(), &extra_name);
    let deserialize = super::deserialize::struct_deserialize(
        cfg,
        name,
        fields,
        additional.is_some(),
        &extra_name,
    );
    quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, PartialEq, #defaults)]
        pub struct #name {
            #(#field_tokens)*
            #extra
        }

        #serialize

        #deserialize

        #builder
    }
}

fn field(f: &Field) -> TokenStream {
    let doc = doc_or(
        f.doc.as_deref(),
        &format!("The {} property.", code(&f.wire_name)),
    );
    let name = &f.name;
    let ty = type_tokens(&f.ty);
    // The wire name and whether `None` is sent live in the `Serialize` and `Deserialize`
    // impls (emit/serialize.rs, emit/deserialize.rs), not in attributes.
    if f.required && !f.nullable {
        quote! { #doc pub #name: #ty, }
    } else {
        quote! { #doc pub #name: Option<#ty>, }
    }
}

fn enum_def(
    doc: &TokenStream,
    cfg: &TokenStream,
    name: &Name,
    variants: &[Variant],
) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| &v.name).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    // A value's own description when the spec gives one, else its wire text.
    let variant_docs = variants
        .iter()
        .map(|v| doc_or(v.doc.as_deref(), &code(&v.wire)));
    quote! {
        #doc
        ///
        /// Values this version does not know decode to `Unknown` instead of failing.
        #cfg
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value this version of the client does not know.
            Unknown(String),
        }

        #cfg
        impl #name {
            /// Each known value with its wire text.
            pub const VALUES: &'static [(&'static str, Self)] = &[#( (#wires, Self::#idents) ),*];
        }

        #cfg
        crate::runtime::string_enum!(#name);
    }
}

fn union_def(
    doc: &TokenStream,
    cfg: &TokenStream,
    name: &Name,
    variants: &[UnionVariant],
    tagging: &Tagging,
) -> TokenStream {
    let arms = variants.iter().map(|v| {
        let vname = &v.name;
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
            #cfg
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#arms)*
                /// A value that matches none of the known shapes.
                Other(::serde_json::Value),
            }
        },
        Tagging::Internal { property } => {
            let note = crate::emit::docs::doc_literal(&format!(
                " The {} property tells the shapes apart; a tag this version does not know is kept as `Unknown`.",
                code(property)
            ));
            let decode = variants.iter().filter_map(|v| {
                let tag = v.tag.as_ref()?;
                let vname = &v.name;
                Some(quote! {
                    Some(#tag) => ::serde_json::from_value(value).map(Self::#vname).map_err(::serde::de::Error::custom),
                })
            });
            quote! {
                #doc
                ///
                #[doc = #note]
                #cfg
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
                #[serde(untagged)]
                pub enum #name {
                    #(#arms)*
                    /// A value whose tag this version does not know.
                    Unknown(::serde_json::Value),
                }

                #cfg

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
