//! The `Deserialize` impl of a generated struct, written in the open: one call to the
//! runtime's `de::object` with the fields' slots as a tuple type, their wire names, and a
//! closure that builds the struct from the values.
//!
//! serde's derive expands each struct into a field enum, three identifier visitors, a sequence
//! visitor and a map visitor; for a crate of hundreds of structs that expansion was about half
//! of `cargo check` (ARCHITECTURE.md, "Decoding structs"). Here the visitor is the runtime's,
//! generic over the slot tuple, so a struct adds one short function. This impl keeps the
//! derive's behaviour: unknown fields skipped or kept in the additional-properties map, `Option`
//! fields missing or `null` as `None`, missing required fields and repeated fields as errors.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::typeref::type_tokens;
use crate::ir::{Field, Name, TypeRef};

/// Whether the field's Rust type is an `Option` (so a missing value is `None`, as with the
/// derive, which treats every `Option` field that way).
pub fn is_option(f: &Field) -> bool {
    !f.required || f.nullable || matches!(f.ty, TypeRef::Nullable(_))
}

/// Tuples of slots hold at most this many (the runtime implements `Slots` up to 12); a larger
/// struct nests them.
const TUPLE: usize = 12;

/// `items` (slot types with their patterns) as one tuple type and one tuple pattern, nested in
/// tuples of at most [`TUPLE`].
fn nest(items: Vec<(TokenStream, TokenStream)>) -> (TokenStream, TokenStream) {
    if items.len() <= TUPLE {
        let (types, patterns): (Vec<_>, Vec<_>) = items.into_iter().unzip();
        return (quote!((#(#types,)*)), quote!((#(#patterns,)*)));
    }
    let mut groups = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        groups.push(nest(items.by_ref().take(TUPLE).collect()));
    }
    nest(groups)
}

/// The `impl Deserialize` of struct `name` with `fields` and, when `additional` is set, the map
/// of additional properties in field `extra`.
pub fn struct_deserialize(
    cfg: &TokenStream,
    name: &Name,
    fields: &[Field],
    additional: Option<&TypeRef>,
    extra: &Ident,
) -> TokenStream {
    let wire_name = name.bare();
    let (mut req, mut opt) = (false, false);
    let slots = fields
        .iter()
        .map(|f| {
            let slot = match (&f.ty, is_option(f)) {
                (TypeRef::Nullable(inner), true) => {
                    opt = true;
                    let ty = type_tokens(inner);
                    quote!(Opt<#ty>)
                }
                (ty, true) => {
                    opt = true;
                    let ty = type_tokens(ty);
                    quote!(Opt<#ty>)
                }
                (ty, false) => {
                    req = true;
                    let ty = type_tokens(ty);
                    quote!(Req<#ty>)
                }
            };
            let field = &f.name;
            (slot, quote!(#field))
        })
        .collect();
    let (slots, pattern) = nest(slots);
    // Only the slot kinds used are imported (an unused import would warn).
    let imports = match (req, opt) {
        (true, true) => quote!(
            use crate::runtime::de::{Opt, Req};
        ),
        (true, false) => quote!(
            use crate::runtime::de::Req;
        ),
        (false, true) => quote!(
            use crate::runtime::de::Opt;
        ),
        (false, false) => TokenStream::new(),
    };
    let wires = fields.iter().map(|f| f.wire_name.as_str());
    let names: Vec<&Name> = fields.iter().map(|f| &f.name).collect();
    let (call, bindings, map_value) = match additional {
        Some(ty) => {
            let ty = type_tokens(ty);
            (
                quote!(crate::runtime::de::object_with_others::<_, #slots, ::std::collections::BTreeMap<String, #ty>, _>),
                quote!((#pattern, #extra)),
                quote!(#extra,),
            )
        }
        None => (
            quote!(crate::runtime::de::object::<_, #slots, _>),
            pattern,
            TokenStream::new(),
        ),
    };
    // The wire names, then the struct from the values (built where they are made).
    let wires = if fields.is_empty() {
        quote!(&[])
    } else {
        quote!(&[#(#wires),*])
    };
    quote! {
        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #imports
                #call(deserializer, #wire_name, #wires, |#bindings| Self { #(#names,)* #map_value })
            }
        }
    }
}
