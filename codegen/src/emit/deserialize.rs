//! The `Deserialize` impl of a generated struct, written in the open: one call to the
//! runtime's `de::object` with the fields' wire names and a closure that builds the struct from
//! their values, `|(Req(id), Opt(name))| Self { id, name }`.
//!
//! serde's derive expands each struct into a field enum, three identifier visitors, a sequence
//! visitor and a map visitor; for a crate of hundreds of structs that expansion was about half
//! of `cargo check` (ARCHITECTURE.md, "Decoding structs"). Here the visitor is the runtime's,
//! generic over the slot tuple, so a struct adds one short function. This impl keeps the
//! derive's behaviour: unknown fields skipped or kept in the additional-properties map, `Option`
//! fields missing or `null` as `None`, missing required fields and repeated fields as errors.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::{Field, Name, TypeRef};

/// Whether the field's Rust type is an `Option` (so a missing value is `None`, as with the
/// derive, which treats every `Option` field that way).
pub fn is_option(f: &Field) -> bool {
    !f.required || f.nullable || matches!(f.ty, TypeRef::Nullable(_))
}

/// Tuples of fields hold at most this many (the runtime implements `Fields` up to 12); a larger
/// struct nests them.
const TUPLE: usize = 12;

/// `patterns` as one tuple pattern, nested in tuples of at most [`TUPLE`].
fn nest(patterns: Vec<TokenStream>) -> TokenStream {
    if patterns.len() <= TUPLE {
        return quote!((#(#patterns,)*));
    }
    let mut groups = Vec::new();
    let mut patterns = patterns.into_iter().peekable();
    while patterns.peek().is_some() {
        groups.push(nest(patterns.by_ref().take(TUPLE).collect()));
    }
    nest(groups)
}

/// The `impl Deserialize` of struct `name` with `fields` and, when `additional` is set, the map
/// of additional properties in field `extra`.
///
/// The closure's pattern says which fields must be present (`Req(id)`) and which may be missing
/// or `null` (`Opt(name)`); rustc infers each one's type from the struct's field it builds.
pub fn struct_deserialize(
    cfg: &TokenStream,
    name: &Name,
    fields: &[Field],
    additional: bool,
    extra: &Ident,
) -> TokenStream {
    let wire_name = name.bare();
    let (mut req, mut opt) = (false, false);
    let patterns = fields
        .iter()
        .map(|f| {
            let field = &f.name;
            if is_option(f) {
                opt = true;
                quote!(Opt(#field))
            } else {
                req = true;
                quote!(Req(#field))
            }
        })
        .collect();
    let pattern = nest(patterns);
    // Only the kinds used are imported (an unused import would warn).
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
    let (call, bindings, map_value) = if additional {
        (
            quote!(crate::runtime::de::object_with_others),
            quote!((#pattern, #extra)),
            quote!(#extra,),
        )
    } else {
        (
            quote!(crate::runtime::de::object),
            pattern,
            TokenStream::new(),
        )
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
