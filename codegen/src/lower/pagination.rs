//! How a list operation is walked, found from its parameters and its response's shape, or
//! declared with `x-rust-pagination` (see [`declared`]).
//!
//! A GET whose response holds a list (the envelope's `result`, or a list field of the body such
//! as `items` or `data`) and that takes one of these optional query parameters is paginated:
//!
//! - `page` (with `per_page`), over an envelope with `result_info`: page numbers;
//! - a cursor (`page_token`, `cursor`, `starting_after`, `after`, ...) whose next value the
//!   response gives (`next_page`, `next_cursor`, `result_info.cursors.after`, a top-level
//!   `next`, ...), or, for `starting_after`/`after`, the last item's `id` while `has_more`;
//! - otherwise, when the response has the next page's URL (`next_page_uri`,
//!   `meta.next_page_url`, `links.pages.next`, ...): that URL;
//! - `offset` (with `limit`): advanced by the number of items received;
//! - otherwise, when the success response declares a `Link` header: its `rel="next"` URL.
//!
//! Only names are matched, each list in one place here, so adding a convention is one line.

mod declared;

use serde_json::Value;

use crate::error::SpecResult;
use crate::ir::{
    FieldPath, Hop, ItemsAt, Method, NextCursor, PageStyle, Pagination, Param, ParamLocation,
    Response, TypeRef,
};

use super::schema::Types;

/// List fields of a body, most likely first; otherwise the body's only list field.
const ITEM_FIELDS: [&str; 7] = [
    "items", "data", "results", "entries", "records", "values", "objects",
];

/// Request parameters that carry a cursor.
const CURSOR_PARAMS: [&str; 12] = [
    "page_token",
    "pageToken",
    "cursor",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
    "starting_after",
    "after",
    "marker",
    "page_cursor",
    "next_cursor",
];

/// Response fields that carry the next cursor.
const NEXT_FIELDS: [&str; 13] = [
    "next_page",
    "next_page_token",
    "nextPageToken",
    "next_cursor",
    "nextCursor",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
    "next_marker",
    "nextMarker",
    "after",
    "cursor",
];

/// Top-level response fields that hold the next cursor beside a cursor parameter, and the next
/// page's URL without one (OpenAI's `after` with `next`; Django REST framework's `page` with a
/// `next` URL). Never one level down, where `paging.next` is a URL beside `paging.cursors`.
const BARE_NEXT_FIELDS: [&str; 1] = ["next"];

/// Objects that may hold the next cursor one level down.
const CURSOR_PARENTS: [&str; 7] = [
    "cursors",
    "pagination",
    "meta",
    "page_info",
    "pageInfo",
    "response_metadata",
    "paging",
];

/// Response fields with the total number of items.
const TOTAL_FIELDS: [&str; 4] = ["total", "total_count", "totalCount", "total_results"];

/// Response fields with the next page's URL, each a path of wire names, most specific first.
const NEXT_URL_PATHS: [&[&str]; 11] = [
    // Twilio's 2010 API: a path on the API's host.
    &["next_page_uri"],
    // Twilio's newer APIs: an absolute URL.
    &["meta", "next_page_url"],
    &["next_page_url"],
    // DigitalOcean.
    &["links", "pages", "next"],
    // JSON:API.
    &["links", "next"],
    // HAL.
    &["_links", "next", "href"],
    // Azure, OData.
    &["nextLink"],
    &["@odata.nextLink"],
    &["next_url"],
    &["next_link"],
    // Django REST framework, Spotify: `next` beside `previous` (see `BARE_NEXT_FIELDS`).
    &["next"],
];

/// Where an operation is in the spec, for its `x-rust-pagination` and the root's.
pub struct Site<'d> {
    /// The document's root.
    pub root: &'d Value,
    /// The operation object.
    pub op: &'d Value,
    /// Its pointer.
    pub op_ptr: &'d str,
}

/// Whether an optional query parameter of this name asks for a page or sizes one: the resource
/// planner's hint, before the response is lowered, that a GET lists. Built on detection's names
/// (`page`, `per_page`, `offset`, the cursors) but looser: any case and spelling (`PageSize`,
/// `pageToken`) and `page_size`; stricter on cursors, leaving out `after` and `marker`, which
/// are as often a time or an item filter on a read of one thing.
pub fn is_page_param(name: &str) -> bool {
    let snake = crate::naming::snake(name);
    let snake = crate::naming::bare(&snake);
    ["page", "offset", "per_page", "page_size"].contains(&snake)
        || CURSOR_PARAMS
            .iter()
            .filter(|c| !["after", "marker"].contains(c))
            .any(|c| crate::naming::snake(c) == snake)
}

/// The pagination of an operation: declared by `x-rust-pagination` (on the operation, else on
/// the root), or detected. A declaration that does not fit the operation is a located error;
/// the root's only applies where it fits (elsewhere detection runs as usual).
pub fn lower(
    site: &Site<'_>,
    method: Method,
    params: &[Param],
    response: &Response,
    link_header: bool,
    types: &Types<'_>,
) -> SpecResult<Option<Pagination>> {
    let own = declared::read(site.op, site.op_ptr)?;
    let root = declared::read(site.root, "#")?;
    match own {
        declared::Read::Off => return Ok(None),
        declared::Read::Style(d) => return d.apply(params, response, types).map(Some),
        declared::Read::Detect => {}
        declared::Read::Absent => match root {
            declared::Read::Off => return Ok(None),
            declared::Read::Style(d) if method == Method::Get => {
                if let Ok(found) = d.apply(params, response, types) {
                    return Ok(Some(found));
                }
            }
            _ => {}
        },
    }
    Ok(detect(method, params, response, link_header, types))
}

/// The pagination of an operation found from its names, if it has one.
fn detect(
    method: Method,
    params: &[Param],
    response: &Response,
    link_header: bool,
    types: &Types<'_>,
) -> Option<Pagination> {
    if method != Method::Get {
        return None;
    }
    let optional_query = |wire: &str| {
        params
            .iter()
            .find(|p| p.location == ParamLocation::Query && !p.required && p.wire_name == wire)
    };
    let numeric = |p: &&Param| matches!(p.ty, TypeRef::Integer(_) | TypeRef::Number);
    let (item, items, info, body) = list_of(response, types)?;
    let item_name = match &item {
        TypeRef::Named(n) => Some(n.raw()),
        _ => None,
    };

    if let (Some(info @ TypeRef::Named(_)), Some(page)) =
        (info.as_ref(), optional_query("page").filter(numeric))
    {
        let per_page = optional_query("per_page").filter(numeric);
        return Some(Pagination {
            style: PageStyle::PageNumber {
                page_param: page.name.clone(),
                page_ty: page.ty.clone(),
                per_page_param: per_page.map(|p| p.name.clone()),
                per_page_ty: per_page.map(|p| p.ty.clone()),
            },
            item,
            items,
            info: Some(info.clone()),
        });
    }

    // The struct the response's paging fields are read from: `result_info`, or the body.
    let root = match (&info, body) {
        (Some(TypeRef::Named(n)), _) => Some((true, n.raw())),
        (_, Some(b)) => Some((false, b)),
        _ => None,
    };

    let cursor = CURSOR_PARAMS
        .iter()
        .find_map(|w| optional_query(w).filter(|p| p.ty == TypeRef::String));
    if let (Some(param), Some((from_info, root))) = (cursor, root) {
        let is_string = |t: &TypeRef| *t == TypeRef::String;
        let next = next_field(types, root)
            .or_else(|| {
                BARE_NEXT_FIELDS
                    .iter()
                    .find_map(|w| field(types, root, w, is_string))
                    .map(|h| vec![h])
            })
            .map(|hops| NextCursor::Field(FieldPath { from_info, hops }));
        let next = next.or_else(|| {
            if !matches!(param.wire_name.as_str(), "starting_after" | "after") {
                return None;
            }
            let has_more = field(types, root, "has_more", |t| *t == TypeRef::Boolean)?;
            let id = field(types, item_name?, "id", |t| *t == TypeRef::String)?;
            Some(NextCursor::LastItemId {
                has_more: FieldPath {
                    from_info,
                    hops: vec![has_more],
                },
                id,
            })
        });
        if let Some(next) = next {
            return Some(Pagination {
                style: PageStyle::Cursor {
                    param: param.name.clone(),
                    next,
                },
                item,
                items,
                info,
            });
        }
    }

    if let Some(next) = root.and_then(|(from_info, root)| {
        NEXT_URL_PATHS.iter().find_map(|path| {
            let hops = resolve(types, root, path, |t| *t == TypeRef::String)?;
            Some(FieldPath { from_info, hops })
        })
    }) {
        return Some(Pagination {
            style: PageStyle::NextUrl { next },
            item,
            items,
            info,
        });
    }

    if let Some(offset) = optional_query("offset").filter(numeric) {
        let limit = optional_query("limit").filter(numeric);
        let total = root.and_then(|(from_info, root)| {
            TOTAL_FIELDS.iter().find_map(|w| {
                field(types, root, w, |t| matches!(t, TypeRef::Integer(_))).map(|h| FieldPath {
                    from_info,
                    hops: vec![h],
                })
            })
        });
        return Some(Pagination {
            style: PageStyle::Offset {
                param: offset.name.clone(),
                ty: offset.ty.clone(),
                limit_param: limit.map(|p| p.name.clone()),
                limit_ty: limit.map(|p| p.ty.clone()),
                total,
            },
            item,
            items,
            info,
        });
    }
    link_header.then_some(Pagination {
        style: PageStyle::Link,
        item,
        items,
        info,
    })
}

/// The item type, where the items are, the envelope's info type and the body struct's name.
pub(super) fn list_of<'r>(
    response: &'r Response,
    types: &Types<'_>,
) -> Option<(TypeRef, ItemsAt, Option<TypeRef>, Option<&'r str>)> {
    match response {
        Response::Envelope {
            result: TypeRef::Array(item),
            result_optional: false,
            result_info,
        } => Some(((**item).clone(), ItemsAt::Result, result_info.clone(), None)),
        Response::Json(TypeRef::Array(item)) => Some(((**item).clone(), ItemsAt::Body, None, None)),
        Response::Json(TypeRef::Named(body)) => {
            let fields = types.struct_fields(body)?;
            let lists: Vec<_> = fields
                .iter()
                .filter(|f| matches!(f.ty, TypeRef::Array(_)))
                .collect();
            let chosen = ITEM_FIELDS
                .iter()
                .find_map(|w| lists.iter().find(|f| f.wire_name == *w))
                .or_else(|| (lists.len() == 1).then(|| &lists[0]))?;
            let TypeRef::Array(item) = &chosen.ty else {
                return None;
            };
            let hop = Hop {
                field: chosen.name.clone(),
                optional: !chosen.required || chosen.nullable,
                variant: None,
            };
            Some((
                (**item).clone(),
                ItemsAt::Field(hop),
                None,
                Some(body.raw()),
            ))
        }
        _ => None,
    }
}

/// A field of the struct `owner` with this wire name whose type passes `ok`.
fn field(types: &Types<'_>, owner: &str, wire: &str, ok: impl Fn(&TypeRef) -> bool) -> Option<Hop> {
    let f = types
        .struct_fields(owner)?
        .iter()
        .find(|f| f.wire_name == wire && ok(&f.ty))?;
    Some(Hop {
        field: f.name.clone(),
        optional: !f.required || f.nullable,
        variant: None,
    })
}

/// The hops to the field at `path` (wire names) of the struct `root`, if its type passes `ok`.
/// The way goes through structs and untagged unions; in a union, only through its first branch
/// that is a struct (decoding tries the branches in order, so a later one could be shadowed).
fn resolve(
    types: &Types<'_>,
    root: &str,
    path: &[&str],
    ok: impl Fn(&TypeRef) -> bool,
) -> Option<Vec<Hop>> {
    let (last, parents) = path.split_last()?;
    let mut owner = root;
    let mut hops = Vec::new();
    for wire in parents {
        let f = types
            .struct_fields(owner)?
            .iter()
            .find(|f| f.wire_name == *wire)?;
        let TypeRef::Named(next) = &f.ty else {
            return None;
        };
        let mut hop = Hop {
            field: f.name.clone(),
            optional: !f.required || f.nullable,
            variant: None,
        };
        owner = if types.struct_fields(next).is_some() {
            next.raw()
        } else {
            let branch = types
                .untagged_variants(next)?
                .iter()
                .find_map(|v| match &v.ty {
                    TypeRef::Named(n) if types.struct_fields(n).is_some() => Some((v, n)),
                    _ => None,
                })?;
            hop.variant = Some((next.clone(), branch.0.name.clone()));
            branch.1.raw()
        };
        hops.push(hop);
    }
    hops.push(field(types, owner, last, ok)?);
    Some(hops)
}

/// The path to the next-cursor string in `root`: a field of its own, or one level down.
fn next_field(types: &Types<'_>, root: &str) -> Option<Vec<Hop>> {
    let is_string = |t: &TypeRef| *t == TypeRef::String;
    if let Some(h) = NEXT_FIELDS
        .iter()
        .find_map(|w| field(types, root, w, is_string))
    {
        return Some(vec![h]);
    }
    for parent in CURSOR_PARENTS {
        let Some(p) = types
            .struct_fields(root)?
            .iter()
            .find(|f| f.wire_name == parent)
        else {
            continue;
        };
        let TypeRef::Named(inner) = &p.ty else {
            continue;
        };
        if let Some(h) = NEXT_FIELDS
            .iter()
            .find_map(|w| field(types, inner, w, is_string))
        {
            let outer = Hop {
                field: p.name.clone(),
                optional: !p.required || p.nullable,
                variant: None,
            };
            return Some(vec![outer, h]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::is_page_param;

    #[test]
    fn page_params_are_known_in_any_case() {
        for name in [
            "page",
            "Page",
            "PageSize",
            "per_page",
            "offset",
            "pageToken",
            "StartingAfter",
        ] {
            assert!(is_page_param(name), "{name}");
        }
        // `limit` alone is often a top-N count (`/top/ases?limit=5`), not a page.
        for name in ["limit", "status", "pages", "name", "after"] {
            assert!(!is_page_param(name), "{name}");
        }
    }
}
