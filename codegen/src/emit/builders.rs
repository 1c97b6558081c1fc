//! Constructors and setters for the structs requests use, so a body is written in a line:
//! `CreateChatCompletionRequest::new(model, messages).temperature(0.2)`.
//!
//! A struct with required fields gets `new`, taking them in declaration order; every struct a
//! request reaches gets one setter per optional field, which wraps the value in `Some`. Fields
//! stay public, so struct literals (and `..Default::default()` where every field is optional)
//! keep working. A union that requests use converts from each of its branches' values
//! (`.into()`), and from `&str` when it has a `String` branch.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ident;
use super::typeref::type_tokens;
use crate::ir::{Api, Field, Name, TypeKind, TypeRef, UnionVariant};
use crate::naming::Namespace;

/// Method names a setter never takes: the constructor, and the methods of the traits every
/// struct derives (`Debug`, `Clone`, `PartialEq`, `Default`, serde) or gets from std's blanket
/// impls (`Into`, `ToOwned`, `Any`, ...), which an inherent method of the same name would hide.
const TAKEN: &[&str] = &[
    "new",
    "clone",
    "clone_from",
    "clone_into",
    "eq",
    "ne",
    "fmt",
    "default",
    "serialize",
    "deserialize",
    "into",
    "try_into",
    "from",
    "try_from",
    "to_owned",
    "borrow",
    "borrow_mut",
    "type_id",
];

/// The setter of a field: the field's name, with a trailing `_` when it is a raw identifier
/// (`r#type` -> `type_`) or one of [`TAKEN`] (`default` -> `default_`), numbered if two
/// fields still want the same name.
fn setter_name(names: &mut Namespace, field: &Name) -> String {
    let plain = field.bare();
    let wanted = if field.raw().starts_with("r#") || TAKEN.contains(&plain) {
        format!("{plain}_")
    } else {
        plain.to_owned()
    };
    names.claim(&wanted)
}

/// The constructor and setters of a struct that requests use: `new` when it has required
/// fields, and one setter per optional field. Empty when there
/// is nothing to add.
pub fn builder_impl(
    api: &Api,
    cfg: &TokenStream,
    name: &Name,
    fields: &[Field],
    additional: Option<&TypeRef>,
    extra_name: &Ident,
) -> TokenStream {
    // A required field whose type has one value (a tag such as `type: {enum: [text]}`) is
    // filled in, not asked for.
    let (fixed, required): (Vec<&Field>, Vec<&Field>) = fields
        .iter()
        .filter(|f| f.required && !f.nullable)
        .partition(|f| only_value(api, &f.ty).is_some());
    let optional: Vec<&Field> = fields
        .iter()
        .filter(|f| !f.required || f.nullable)
        .collect();
    // Every struct with a required field gets `new` (the others derive `Default`); a required
    // field that may be `null` starts as `None` like the optional ones.
    let constructor = fields.iter().any(|f| f.required).then(|| {
        let args = required.iter().map(|f| {
            let n = &f.name;
            let ty = type_tokens(&f.ty);
            quote!(#n: impl Into<#ty>)
        });
        let set = required.iter().map(|f| {
            let n = &f.name;
            quote!(#n: #n.into(),)
        });
        let filled = fixed.iter().filter_map(|f| {
            let n = &f.name;
            let value = only_value(api, &f.ty)?;
            Some(quote!(#n: #value,))
        });
        let unset = optional.iter().map(|f| {
            let n = &f.name;
            quote!(#n: None,)
        });
        let extra = additional.map(|_| quote!(#extra_name: ::std::collections::BTreeMap::new(),));
        let doc = crate::emit::docs::doc_literal(&format!(
            " A `{name}` from its required fields; the optional fields are `None`."
        ));
        let allow = match required.len() {
            0 => Some(quote!(#[allow(clippy::new_without_default)])),
            8.. => Some(quote!(#[allow(clippy::too_many_arguments)])),
            _ => None,
        };
        quote! {
            #[doc = #doc]
            #allow
            pub fn new(#(#args),*) -> Self {
                Self { #(#set)* #(#filled)* #(#unset)* #extra }
            }
        }
    });
    let mut names = Namespace::with_reserved(TAKEN);
    let setters: Vec<TokenStream> = optional
        .iter()
        .map(|f| {
            let setter = setter_name(&mut names, &f.name);
            let field = &f.name;
            let ty = type_tokens(&f.ty);
            let method = ident(&setter);
            let doc = crate::emit::docs::doc_literal(&format!(
                " Sets `{}` (to `Some(value)`).",
                f.name.bare()
            ));
            quote! {
                #[doc = #doc]
                pub fn #method(mut self, value: impl Into<#ty>) -> Self {
                    self.#field = Some(value.into());
                    self
                }
            }
        })
        .collect();
    if constructor.is_none() && setters.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #cfg
        impl #name {
            #constructor
            #(#setters)*
        }
    }
}

/// The one value of a string enum with a single variant (`crate::types::PartType::Text`).
fn only_value(api: &Api, ty: &TypeRef) -> Option<TokenStream> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    match &api.type_def(name)?.kind {
        TypeKind::Enum { variants } if variants.len() == 1 => {
            let v = &variants[0].name;
            Some(quote!(crate::types::#name::#v))
        }
        _ => None,
    }
}

/// The `From` conversions of a union that requests use, one per branch whose type no other
/// branch has (and from `&str` beside a `String` branch), so that `.into()` picks the branch.
pub fn variants_from(
    api: &Api,
    cfg: &TokenStream,
    name: &Name,
    variants: &[UnionVariant],
) -> TokenStream {
    // Two aliases of one type are one Rust type: at most one `From` for it.
    let same: Vec<TypeRef> = variants.iter().map(|v| api.same_type(&v.ty)).collect();
    let unique = |ty: &TypeRef| {
        let ty = api.same_type(ty);
        same.iter().filter(|t| **t == ty).count() == 1
    };
    let impls = variants
        .iter()
        .filter(|v| unique(&v.ty) && v.ty != TypeRef::Named(name.clone()))
        .map(|v| {
            let vname = &v.name;
            let ty = type_tokens(&v.ty);
            let text = (v.ty == TypeRef::String).then(|| {
                quote! {
                    #cfg
                    impl From<&str> for #name {
                        fn from(value: &str) -> Self {
                            Self::#vname(value.to_owned())
                        }
                    }
                }
            });
            quote! {
                #cfg
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#vname(value)
                    }
                }
                #text
            }
        });
    quote!(#(#impls)*)
}
