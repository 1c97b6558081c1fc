//! The stream methods of a request builder whose response can be read as it arrives:
//! `.stream()` (typed server-sent events or NDJSON items) and `.bytes_stream()`.

use proc_macro2::TokenStream;
use quote::quote;

use super::typeref::type_tokens;
use crate::ir::{StreamKind, Streaming};

/// The builder's stream method for `stream`.
pub(super) fn methods(stream: &Streaming) -> TokenStream {
    let flag = stream.flag.as_ref().map(|f| quote!(.stream_flag(#f)));
    let flag_doc = stream.flag.as_ref().map(|f| {
        let line = crate::emit::docs::doc_literal(&format!(
            " Sets the body's `{f}` field to `true` first."
        ));
        quote!(#[doc = ""] #[doc = #line])
    });
    match &stream.kind {
        StreamKind::Events(item) => {
            let t = type_tokens(item);
            quote! {
                /// Sends the request and streams the server-sent events of the response as they
                /// arrive, each event's data decoded. Drive it with `.next().await`; `[DONE]`
                /// ends it, and a server error mid-stream is an `Err` item.
                #flag_doc
                pub fn stream(self) -> crate::runtime::EventStream<'a, #t> {
                    self.0 #flag .sse()
                }
            }
        }
        StreamKind::Lines { item, media } => {
            let t = type_tokens(item);
            quote! {
                /// Sends the request and streams the response's items as they arrive, one line
                /// at a time. Drive it with `.next().await`.
                #flag_doc
                pub fn stream(self) -> crate::runtime::LineStream<'a, #t> {
                    self.0 #flag .json_lines(#media)
                }
            }
        }
        StreamKind::Bytes => quote! {
            /// Sends the request and streams the response body as chunks of bytes as they
            /// arrive, never holding it whole. Drive it with `.next().await`.
            pub fn bytes_stream(self) -> crate::runtime::ByteStream<'a> {
                self.0.byte_stream()
            }
        },
    }
}
