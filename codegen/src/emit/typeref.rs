//! The Rust type of an IR type reference, as every emitter writes it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::TypeRef;

/// The Rust type for a type reference, with absolute paths so spec names cannot shadow std.
pub fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer(32) => quote!(i32),
        TypeRef::Integer(_) => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::MultipartForm => quote!(crate::runtime::Multipart),
        TypeRef::Named(name) => quote!(crate::types::#name),
        TypeRef::Array(inner) => {
            let inner = type_tokens(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner);
            quote!(Option<#inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner);
            quote!(Box<#inner>)
        }
    }
}
