//! The `Serialize` impl of a generated struct, written in the open: one chain of calls on the
//! runtime's `ser::Object`, a call a field.
//!
//! serde's derive writes, for each optional field, an `if` with two calls and a `?`, plus a sum
//! for the field count; over the 3,380 structs of Cloudflare's whole API that was about a
//! quarter of the crate's `cargo check` (ARCHITECTURE.md, "Encoding structs"). This impl keeps
//! the derive's output: fields in order under their wire names, an optional field left out when
//! `None`, a required nullable one written as `null`, additional properties after the fields.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::ir::{Field, Name};

/// The `impl Serialize` of struct `name` with `fields` and, when `has_additional`, the map of
/// additional properties in field `extra`.
pub fn struct_serialize(
    cfg: &TokenStream,
    name: &Name,
    fields: &[Field],
    has_additional: bool,
    extra: &Ident,
) -> TokenStream {
    let struct_name = name.bare();
    let start = if has_additional {
        quote!(crate::runtime::ser::Object::map(serializer))
    } else {
        let required = Literal::usize_unsuffixed(fields.iter().filter(|f| f.required).count());
        let optional = fields.iter().filter(|f| !f.required).map(|f| &f.name);
        quote!(crate::runtime::ser::Object::new(serializer, #struct_name, #required, &[#(&self.#optional),*]))
    };
    let calls = fields.iter().map(|f| {
        let field = &f.name;
        let wire = &f.wire_name;
        if f.required {
            quote!(.field(#wire, &self.#field))
        } else {
            quote!(.optional(#wire, &self.#field))
        }
    });
    let extra = has_additional.then(|| quote!(.extra(&self.#extra)));
    quote! {
        #cfg
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #start #(#calls)* #extra .end()
            }
        }
    }
}
