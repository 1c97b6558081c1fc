//! `pages()` and `items()` for paginated operations, one style each, and the `PageInfo`
//! implementations that page numbers read. The walking itself is in the runtime
//! (`pagination::paginate` for page numbers, `paging::paginate_by` for cursors and offsets).

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::types::type_tokens;
use crate::ir::{Api, FieldPath, ItemsAt, NextCursor, PageStyle, Pagination, TypeKind, TypeRef};

/// The `pages()` and `items()` methods of a paginated operation's request builder.
pub fn methods(p: &Pagination) -> TokenStream {
    let item = type_tokens(&p.item);
    let info = p.info.as_ref().map_or_else(|| quote!(()), type_tokens);
    let pages = match &p.style {
        PageStyle::PageNumber {
            page_param,
            page_ty,
            per_page_param,
            per_page_ty,
        } => {
            return page_number(
                &item,
                &info,
                page_param,
                page_ty,
                per_page_param.as_ref(),
                per_page_ty.as_ref(),
            );
        }
        PageStyle::Cursor { param, next } => cursor(p, param, next),
        PageStyle::Link => link(p),
        PageStyle::Offset {
            param,
            ty,
            limit_param,
            limit_ty,
            total,
        } => offset(
            p,
            param,
            ty,
            limit_param.as_ref().zip(limit_ty.as_ref()),
            total.as_ref(),
        ),
    };
    let doc = match &p.style {
        PageStyle::Link => {
            " Every page from this one on, following the `Link: <...>; rel=\"next\"` header of\n each response, one request per page, as a stream.\n\n Stops on a response without a next link or an empty page (no wasted trailing request);\n a link already followed is `Error::Pagination`, never a loop. Links to another origin\n are refused."
        }
        PageStyle::Cursor { .. } => {
            " Every page from the current cursor on, one request per page, as a stream.\n\n Stops when the response gives no next cursor or an empty page (no wasted trailing\n request); a cursor the server already gave is `Error::Pagination`, never a loop."
        }
        _ => {
            " Every page from the current offset on, one request per page, as a stream.\n\n Stops on an empty or short page, or when the response's total is reached (no wasted\n trailing request)."
        }
    };
    let doc_lines = doc.split('\n');
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
            let f = ident(&hop.field);
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
        quote!(::std::option::Option::Some(response.result()))
    };
    for hop in &path.hops {
        let f = ident(&hop.field);
        out = if hop.optional {
            quote!(#out.and_then(|v| v.#f.as_ref()))
        } else {
            quote!(#out.map(|v| &v.#f))
        };
    }
    out
}

fn cursor(p: &Pagination, param: &str, next: &NextCursor) -> TokenStream {
    let param = ident(param);
    let page = page_of(p);
    let next_cursor = match next {
        NextCursor::Field(path) => {
            let r = field_ref(path);
            quote!(#r.cloned().filter(|c| !c.is_empty()))
        }
        NextCursor::LastItemId { has_more, id } => {
            let more = field_ref(has_more);
            let last = match &p.items {
                ItemsAt::Result | ItemsAt::Body => quote!(response.result().last()),
                ItemsAt::Field(hop) => {
                    let f = ident(&hop.field);
                    if hop.optional {
                        quote!(response.result().#f.as_ref().and_then(|v| v.last()))
                    } else {
                        quote!(response.result().#f.last())
                    }
                }
            };
            let id_f = ident(&id.field);
            let id = if id.optional {
                quote!(#last.and_then(|item| item.#id_f.clone()))
            } else {
                quote!(#last.map(|item| item.#id_f.clone()))
            };
            quote!(if #more.copied().unwrap_or(false) { #id } else { ::std::option::Option::None })
        }
    };
    quote! {
        let first = self.#param.clone();
        crate::runtime::paging::paginate_by(first, move |cursor: ::std::option::Option<::std::string::String>| {
            let mut next = self.clone();
            if cursor.is_some() {
                next.#param = cursor;
            }
            async move {
                let response = next.send_with_response().await?;
                let cursor = #next_cursor;
                ::std::result::Result::Ok((#page, cursor))
            }
        })
    }
}

fn link(p: &Pagination) -> TokenStream {
    let page = page_of(p);
    quote! {
        crate::runtime::paging::paginate_by(::std::option::Option::None, move |link: ::std::option::Option<::std::string::String>| {
            let mut next = self.clone();
            if let ::std::option::Option::Some(link) = link {
                next.options = next.options.clone().follow_link(link);
            }
            async move {
                let response = next.send_with_response().await?;
                let cursor = crate::runtime::paging::next_link(response.headers());
                ::std::result::Result::Ok((#page, cursor))
            }
        })
    }
}

fn offset(
    p: &Pagination,
    param: &str,
    ty: &TypeRef,
    limit: Option<(&String, &TypeRef)>,
    total: Option<&FieldPath>,
) -> TokenStream {
    let param = ident(param);
    let page = page_of(p);
    let first = to_count(ty, quote!(v));
    let set = from_page_number(ty, quote!(offset));
    let limit = match limit {
        Some((name, ty)) => {
            let n = ident(name);
            let conv = to_count(ty, quote!(v));
            quote!(self.#n.map(|v| #conv))
        }
        None => quote!(::std::option::Option::None),
    };
    let total = match total {
        Some(path) => {
            let r = field_ref(path);
            quote!(#r.and_then(|v| u64::try_from(*v).ok()))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        let first = self.#param.map(|v| #first);
        let limit: ::std::option::Option<u64> = #limit;
        crate::runtime::paging::paginate_by(first, move |offset: ::std::option::Option<u64>| {
            let mut next = self.clone();
            if let ::std::option::Option::Some(offset) = offset {
                next.#param = ::std::option::Option::Some(#set);
            }
            async move {
                let response = next.send_with_response().await?;
                let total: ::std::option::Option<u64> = #total;
                let page = #page;
                let cursor = crate::runtime::paging::next_offset(
                    offset.unwrap_or(0),
                    page.result().len(),
                    limit,
                    total,
                );
                ::std::result::Result::Ok((page, cursor))
            }
        })
    }
}

/// Converts an offset or limit parameter's value into a count (`u64`), negative values as 0.
fn to_count(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Number => {
            quote!(if #value.is_finite() && #value >= 0.0 { #value as u64 } else { 0 })
        }
        _ => quote!(u64::try_from(#value).unwrap_or(0)),
    }
}

/// Converts a page number (`u64`) into the parameter's type.
fn from_page_number(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Number => quote!(#value as f64),
        TypeRef::Integer(32) => quote!(i32::try_from(#value).unwrap_or(i32::MAX)),
        _ => quote!(i64::try_from(#value).unwrap_or(i64::MAX)),
    }
}

/// Converts the parameter's value into a page number (`u64`).
fn to_page_number(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Number => {
            quote!(if #value.is_finite() && #value >= 1.0 { #value as u64 } else { 1 })
        }
        _ => quote!(u64::try_from(#value).unwrap_or(1).max(1)),
    }
}

/// `pages()` and `items()` for page numbers.
fn page_number(
    item: &TokenStream,
    info: &TokenStream,
    page_param: &str,
    page_ty: &TypeRef,
    per_page_param: Option<&String>,
    per_page_ty: Option<&TypeRef>,
) -> TokenStream {
    let page = ident(page_param);
    let first = to_page_number(page_ty, quote!(v));
    let set_page = from_page_number(page_ty, quote!(page));
    let per_page = match (per_page_param, per_page_ty) {
        (Some(name), Some(ty)) => {
            let n = ident(name);
            let conv = to_page_number(ty, quote!(v));
            quote!(self.#n.map(|v| #conv))
        }
        _ => quote!(::std::option::Option::None),
    };
    quote! {
        /// Every page from the current `page` on, one request per page, as a stream.
        ///
        /// Stops on the last page by `total_pages`, on an empty or short page, or when the server
        /// repeats a page, so it never loops forever. Holds one page in memory at a time.
        pub fn pages(self) -> crate::runtime::pagination::PageStream<'a, #item, #info> {
            let first = self.#page.map_or(1, |v| #first);
            let per_page = #per_page;
            crate::runtime::pagination::paginate(first, per_page, move |page| {
                let mut next = self.clone();
                next.#page = ::std::option::Option::Some(#set_page);
                next.send_with_response()
            })
        }

        /// Every item of every page, as a stream; see [`Self::pages`] for when it stops.
        pub fn items(self) -> crate::runtime::pagination::ItemStream<'a, #item, #info> {
            self.pages().items()
        }
    }
}

/// The `PageInfo` implementations for result-info types used by paginated operations.
pub fn page_info_impls(api: &Api) -> TokenStream {
    let mut seen: Vec<&str> = Vec::new();
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
        if seen.contains(&name.as_str()) {
            continue;
        }
        seen.push(name);
        let Some(def) = api.types.iter().find(|t| &t.name == name) else {
            continue;
        };
        let TypeKind::Struct { fields, .. } = &def.kind else {
            continue;
        };
        let getter = |wire: &str| {
            let method = ident(wire);
            let body = match fields.iter().find(|f| f.wire_name == wire) {
                Some(f) => {
                    let n = ident(&f.name);
                    let conv = match f.ty {
                        TypeRef::Number => {
                            quote!(self.#n.filter(|v| v.is_finite() && *v >= 0.0).map(|v| v as u64))
                        }
                        TypeRef::Integer(_) => quote!(self.#n.and_then(|v| u64::try_from(v).ok())),
                        _ => quote!(::std::option::Option::None),
                    };
                    if f.required
                        && !f.nullable
                        && matches!(f.ty, TypeRef::Integer(_) | TypeRef::Number)
                    {
                        quote!({ let v = ::std::option::Option::Some(self.#n); v.and_then(|v| u64::try_from(v as i64).ok()) })
                    } else {
                        conv
                    }
                }
                None => quote!(::std::option::Option::None),
            };
            quote! { fn #method(&self) -> ::std::option::Option<u64> { #body } }
        };
        let methods = ["page", "per_page", "total_pages", "total_count", "count"].map(getter);
        let ty = ident(name);
        out.extend(quote! {
            impl crate::runtime::pagination::PageInfo for crate::types::#ty {
                #(#methods)*
            }
        });
    }
    out
}
