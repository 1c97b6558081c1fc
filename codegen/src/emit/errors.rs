//! The typed error bodies of an operation: `error_body(&error)` on its request builder, and,
//! when the documented error responses have several types, an enum of them.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::typeref::type_tokens;
use crate::ir::{ErrorBody, Operation};

/// The `error_body` function for the builder's impl and the enum to put beside the builder
/// (empty when the operation documents no typed error body).
pub fn error_items(op: &Operation) -> (TokenStream, TokenStream) {
    if op.errors.is_empty() {
        return (TokenStream::new(), TokenStream::new());
    }
    let keys: Vec<&str> = op.errors.iter().map(|e| e.status.as_str()).collect();
    let listed = keys
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = crate::emit::docs::doc_literal(&format!(
        " The body of a failed call's response as the type the spec documents for its status \
         ({listed}); `None` for other errors, or a body that is not that type."
    ));
    let Some(enum_name) = &op.error_enum else {
        let ty = type_tokens(&op.errors[0].ty);
        let f = quote! {
            #[doc = #doc]
            pub fn error_body(error: &crate::runtime::Error) -> Option<#ty> {
                crate::runtime::error_body(error, &[#(#keys),*])
            }
        };
        return (f, TokenStream::new());
    };
    let name = enum_name;
    let variants: Vec<TokenStream> = op.errors.iter().map(variant_name).collect();
    let decls = op.errors.iter().zip(&variants).map(|(e, v)| {
        let ty = type_tokens(&e.ty);
        let vdoc = crate::emit::docs::doc_literal(&format!(" The `{}` response's body.", e.status));
        quote!(#[doc = #vdoc] #v(#ty),)
    });
    let arms = op.errors.iter().zip(&variants).map(|(e, v)| {
        let key = &e.status;
        quote!(#key => api.json().map(#name::#v),)
    });
    let edoc = crate::emit::docs::doc_literal(&format!(
        " The error bodies `{}` documents, by status; see `error_body`.",
        op.operation_id
    ));
    let f = quote! {
        #[doc = #doc]
        pub fn error_body(error: &crate::runtime::Error) -> Option<#name> {
            let api = error.api_error()?;
            match crate::runtime::response_key(api.status().as_u16(), &[#(#keys),*])? {
                #(#arms)*
                _ => None,
            }
        }
    };
    let e = quote! {
        #[doc = #edoc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
        }
    };
    (f, e)
}

/// `Status404`, `Status4xx` or `Default`.
fn variant_name(e: &ErrorBody) -> TokenStream {
    let name = if e.status == "default" {
        "Default".to_owned()
    } else {
        format!("Status{}", e.status.to_lowercase())
    };
    let id = ident(&name);
    quote!(#id)
}
