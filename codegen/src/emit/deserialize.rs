//! The `Deserialize` impl of a generated struct, written in the open: a local tuple struct of
//! slots, the field table and a match, driven by the runtime's `de` module.
//!
//! serde's derive expands each struct into a field enum, three identifier visitors, a sequence
//! visitor and a map visitor; for a crate of hundreds of structs that expansion was about half
//! of `cargo check` (ARCHITECTURE.md, "Decoding structs"). This impl keeps the derive's
//! behaviour: unknown fields skipped or kept in the additional-properties map, `Option` fields
//! missing or `null` as `None`, missing required fields and repeated fields as errors.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::typeref::type_tokens;
use crate::ir::{Field, Name, TypeRef};

/// Whether the field's Rust type is an `Option` (so a missing value is `None`, as with the
/// derive, which treats every `Option` field that way).
pub fn is_option(f: &Field) -> bool {
    !f.required || f.nullable || matches!(f.ty, TypeRef::Nullable(_))
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
    // Required fields' slots first, so `finish` takes them all in one pattern.
    let order: Vec<&Field> = fields
        .iter()
        .filter(|f| !is_option(f))
        .chain(fields.iter().filter(|f| is_option(f)))
        .collect();
    let required = Literal::usize_unsuffixed(order.iter().filter(|f| !is_option(f)).count());
    let slot_types = order.iter().map(|f| {
        let ty = type_tokens(&f.ty);
        if is_option(f) && !matches!(f.ty, TypeRef::Nullable(_)) {
            quote!(Option<Option<#ty>>)
        } else {
            quote!(Option<#ty>)
        }
    });
    let wires = order.iter().map(|f| f.wire_name.as_str());
    let index = (0..order.len()).map(Literal::usize_unsuffixed);
    let nones = order.iter().map(|_| quote!(None));
    let bindings = order.iter().map(|f| {
        let field = &f.name;
        if is_option(f) {
            quote!(#field)
        } else {
            quote!(Some(#field))
        }
    });
    let values = fields.iter().map(|f| {
        let field = &f.name;
        if is_option(f) {
            quote!(#field: #field.flatten())
        } else {
            quote!(#field)
        }
    });
    let (map_slot, map_binding, map_init, map_value, others) = match additional {
        Some(ty) => {
            let ty = type_tokens(ty);
            let i = Literal::usize_unsuffixed(fields.len());
            (
                quote!(::std::collections::BTreeMap<String, #ty>,),
                quote!(#extra,),
                quote!(::std::collections::BTreeMap::new(),),
                quote!(#extra,),
                quote! {
                    const OTHERS: bool = true;
                    fn other<A: ::serde::de::MapAccess<'de>>(&mut self, key: String, map: &mut A) -> ::std::result::Result<(), A::Error> {
                        crate::runtime::de::insert(&mut self.#i, key, map)
                    }
                },
            )
        }
        None => Default::default(),
    };
    // With no required field the pattern cannot fail (and `let ... else` would be refused).
    let take = if order.iter().any(|f| !is_option(f)) {
        quote!(let Slots(#(#bindings,)* #map_binding) = self else { return None };)
    } else {
        quote!(let Slots(#(#bindings,)* #map_binding) = self;)
    };
    quote! {
        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Slots(#(#slot_types,)* #map_slot);
                impl<'de> crate::runtime::de::Fields<'de> for Slots {
                    type Value = crate::types::#name;
                    const NAME: &'static str = #wire_name;
                    const NAMES: &'static [&'static str] = &[#(#wires),*];
                    const REQUIRED: usize = #required;
                    #others
                    fn field<A: ::serde::de::MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> ::std::result::Result<(), A::Error> {
                        match index {
                            #(#index => crate::runtime::de::next(&mut self.#index, map),)*
                            _ => crate::runtime::de::skip(map),
                        }
                    }
                    fn finish(self) -> Option<Self::Value> {
                        #take
                        Some(crate::types::#name { #(#values,)* #map_value })
                    }
                }
                crate::runtime::de::object(deserializer, Slots(#(#nones,)* #map_init))
            }
        }
    }
}
