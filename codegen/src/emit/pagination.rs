//! `pages()` and `items()` for paginated operations, one style each, and the `PageInfo`
//! implementations that page numbers read. The walking itself is in the runtime
//! (`Call::page_numbers`, `cursor_pages`, `offset_pages`, `link_pages` and `next_url_pages`).

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::typeref::type_tokens;
use crate::ir::{
    Api, FieldPath, ItemsAt, Name, NextCursor, Operation, PageStyle, Pagination, TypeKind, TypeRef,
};

/// The `pages()` and `items()` methods of a paginated operation's request builder; the walking
/// is the runtime `Call`'s, by query parameter (wire) name.
pub fn methods(op: &Operation, p: &Pagination) -> TokenStream {
    let item = type_tokens(&p.item);
    let info = p.info.as_ref().map_or_else(|| quote!(()), type_tokens);
    let wire = |name: &Name| op.wire_name(name).to_owned();
    let some = |name: Option<&Name>| match name {
        Some(n) => {
            let w = wire(n);
            quote!(Some(#w))
        }
        None => quote!(None),
    };
    let page = page_of(p);
    let (doc, pages) = match &p.style {
        PageStyle::PageNumber {
            page_param,
            per_page_param,
            ..
        } => {
            let (w, pp) = (wire(page_param), some(per_page_param.as_ref()));
            (
                " Every page from the current `page` on, one request per page, as a stream.\n\n Stops on the last page by `total_pages`, on an empty or short page, or when the server\n repeats a page, so it never loops forever. Holds one page in memory at a time.",
                quote!(self.0.page_numbers(#w, #pp)),
            )
        }
        PageStyle::Cursor { param, next } => {
            let w = wire(param);
            let next_cursor = next_cursor(p, next);
            (
                " Every page from the current cursor on, one request per page, as a stream.\n\n Stops when the response gives no next cursor or an empty page (no wasted trailing\n request); a cursor the server already gave is `Error::Pagination`, never a loop.",
                quote!(self.0.cursor_pages(#w, |response| {
                    let cursor = #next_cursor;
                    (#page, cursor)
                })),
            )
        }
        PageStyle::Link => (
            " Every page from this one on, following the `Link: <...>; rel=\"next\"` header of\n each response, one request per page, as a stream.\n\n Stops on a response without a next link or an empty page (no wasted trailing request);\n a link already followed is `Error::Pagination`, never a loop. Links to another origin\n are refused.",
            quote!(self.0.link_pages(|response| #page)),
        ),
        PageStyle::NextUrl { next } => {
            let r = field_ref(next);
            (
                " Every page from this one on, following the next page's URL that each response\n gives, one request per page, as a stream. A relative URL is resolved against the\n request's; one on another origin than the base URL is refused.\n\n Stops on a response without a next URL or an empty page (no wasted trailing request);\n a URL already followed is `Error::Pagination`, never a loop.",
                quote!(self.0.next_url_pages(|response| {
                    let next = #r.cloned().filter(|url| !url.is_empty());
                    (#page, next)
                })),
            )
        }
        PageStyle::Offset {
            param,
            limit_param,
            total,
            ..
        } => {
            let (w, l) = (wire(param), some(limit_param.as_ref()));
            let total = match total {
                Some(path) => {
                    let r = field_ref(path);
                    quote!(#r.and_then(|v| u64::try_from(*v).ok()))
                }
                None => quote!(None),
            };
            (
                " Every page from the current offset on, one request per page, as a stream.\n\n Stops on an empty or short page, or when the response's total is reached (no wasted\n trailing request).",
                quote!(self.0.offset_pages(#w, #l, |response| {
                    let total = #total;
                    (#page, total)
                })),
            )
        }
    };
    let doc_lines = doc.split('\n').map(crate::emit::docs::doc_literal);
    quote! {
        #(#[doc = #doc_lines])*
        pub fn pages(self) -> crate::runtime::pagination::PageStream<'a, #item, #info> {
            #pages
        }

        /// Every item of every page, as a stream; see [`Self::pages`] for when it stops.
        pub fn items(self) -> crate::runtime::pagination::ItemStream<'a, #item, #info> {
            self.pages().items()
        }
    }
}

/// The page with its items as the result: the envelope's `result`, or the body's list field.
fn page_of(p: &Pagination) -> TokenStream {
    match &p.items {
        ItemsAt::Result | ItemsAt::Body => quote!(response),
        ItemsAt::Field(hop) => {
            let f = &hop.field;
            if hop.optional {
                quote!(response.map(|body| body.#f.unwrap_or_default()))
            } else {
                quote!(response.map(|body| body.#f))
            }
        }
    }
}

/// An `Option<&T>` expression for the field at `path` of `response`.
fn field_ref(path: &FieldPath) -> TokenStream {
    let mut out = if path.from_info {
        quote!(response.result_info())
    } else {
        quote!(Some(response.result()))
    };
    for hop in &path.hops {
        let f = &hop.field;
        out = if hop.optional {
            quote!(#out.and_then(|v| v.#f.as_ref()))
        } else {
            quote!(#out.map(|v| &v.#f))
        };
        if let Some((union, variant)) = &hop.variant {
            out = quote!(#out.and_then(|v| match v {
                crate::types::#union::#variant(inner) => Some(inner),
                #[allow(unreachable_patterns)]
                _ => None,
            }));
        }
    }
    out
}

/// The next cursor (`Option<String>`) from `response`.
fn next_cursor(p: &Pagination, next: &NextCursor) -> TokenStream {
    match next {
        NextCursor::Field(path) => {
            let r = field_ref(path);
            quote!(#r.cloned().filter(|c| !c.is_empty()))
        }
        NextCursor::LastItemId { has_more, id } => {
            let more = field_ref(has_more);
            let last = match &p.items {
                ItemsAt::Result | ItemsAt::Body => quote!(response.result().last()),
                ItemsAt::Field(hop) => {
                    let f = &hop.field;
                    if hop.optional {
                        quote!(response.result().#f.as_ref().and_then(|v| v.last()))
                    } else {
                        quote!(response.result().#f.last())
                    }
                }
            };
            let id_f = &id.field;
            let id = if id.optional {
                quote!(#last.and_then(|item| item.#id_f.clone()))
            } else {
                quote!(#last.map(|item| item.#id_f.clone()))
            };
            quote!(if #more.copied().unwrap_or(false) { #id } else { None })
        }
    }
}

/// The `PageInfo` implementations for result-info types used by paginated operations.
pub fn page_info_impls(api: &Api) -> TokenStream {
    // By the defining type: two aliases of one type get one impl.
    let mut seen = std::collections::BTreeSet::new();
    let mut out = TokenStream::new();
    for p in api
        .resources
        .iter()
        .flat_map(|r| &r.operations)
        .filter_map(|o| o.pagination.as_ref())
        .filter(|p| matches!(p.style, PageStyle::PageNumber { .. }))
    {
        let Some(TypeRef::Named(name)) = &p.info else {
            continue;
        };
        let Some(def) = api.type_def(name) else {
            continue;
        };
        if !seen.insert(&def.name) {
            continue;
        }
        let name = &def.name;
        let TypeKind::Struct { fields, .. } = &def.kind else {
            continue;
        };
        let getter = |wire: &str| {
            let method = ident(wire);
            let body = match fields.iter().find(|f| f.wire_name == wire) {
                Some(f) => {
                    let n = &f.name;
                    let conv = match f.ty {
                        TypeRef::Number => {
                            quote!(self.#n.filter(|v| v.is_finite() && *v >= 0.0).map(|v| v as u64))
                        }
                        TypeRef::Integer(_) => quote!(self.#n.and_then(|v| u64::try_from(v).ok())),
                        _ => quote!(None),
                    };
                    if f.required
                        && !f.nullable
                        && matches!(f.ty, TypeRef::Integer(_) | TypeRef::Number)
                    {
                        quote!({ let v = Some(self.#n); v.and_then(|v| u64::try_from(v as i64).ok()) })
                    } else {
                        conv
                    }
                }
                None => quote!(None),
            };
            quote! { fn #method(&self) -> Option<u64> { #body } }
        };
        let methods = ["page", "per_page", "total_pages", "total_count", "count"].map(getter);
        let cfg = super::features::cfg_type(api, name);
        out.extend(quote! {
            #cfg
            impl crate::runtime::pagination::PageInfo for crate::types::#name {
                #(#methods)*
            }
        });
    }
    out
}
