//! `x-rust-pagination`: a declared pagination style, for operations whose names detection cannot
//! read, or `false` to switch pagination off. On an operation it replaces detection; on the
//! document's root it is the default for every GET it fits (others are detected as usual).
//!
//! ```yaml
//! x-rust-pagination: false                      # no pages()/items()
//! x-rust-pagination: true                       # detect (under a root `false`)
//! x-rust-pagination: {style: next_url, next: links.pages.next, items: droplets}
//! x-rust-pagination: {style: cursor, param: PageToken, next: meta.next_token}
//! ```
//!
//! Parameters are query parameters by wire name; paths are property names joined by `.`, from
//! the JSON body (or, for an envelope, starting with `result_info`). Every style takes `items`,
//! the body's list property (detected when left out). Any misfit is an error at its key.

use serde_json::{Map, Value};

use super::{Types, field, list_of, resolve};
use crate::error::{SpecError, SpecResult};
use crate::ir::{
    FieldPath, ItemsAt, NextCursor, PageStyle, Pagination, Param, ParamLocation, Response, TypeRef,
};
use crate::load::child;

/// A style the runtime walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    PageNumber,
    Cursor,
    LastItemId,
    Offset,
    Link,
    NextUrl,
}

/// Each style's name (as `style` spells it), the keys it takes besides `style` and `items`, and
/// how many of those (the first ones) it needs.
const STYLES: [(&str, Style, &[&str], usize); 6] = [
    ("page_number", Style::PageNumber, &["page", "per_page"], 0),
    ("cursor", Style::Cursor, &["param", "next"], 2),
    (
        "last_item_id",
        Style::LastItemId,
        &["param", "has_more", "id"],
        2,
    ),
    ("offset", Style::Offset, &["param", "limit", "total"], 0),
    ("link", Style::Link, &[], 0),
    ("next_url", Style::NextUrl, &["next"], 1),
];

/// What an `x-rust-pagination` says.
pub enum Read<'d> {
    /// There is none.
    Absent,
    /// `false`: not paginated.
    Off,
    /// `true`: detected from the names.
    Detect,
    /// A declared style.
    Style(Declaration<'d>),
}

/// A declared style, checked for its shape; [`Declaration::apply`] fits it to an operation.
pub struct Declaration<'d> {
    style: Style,
    name: &'static str,
    keys: &'d Map<String, Value>,
    ptr: String,
}

/// The `x-rust-pagination` of `owner` (an operation, or the root), checked for its shape.
pub fn read<'d>(owner: &'d Value, owner_ptr: &str) -> SpecResult<Read<'d>> {
    let ptr = child(owner_ptr, "x-rust-pagination");
    let names = || {
        STYLES
            .iter()
            .map(|(n, ..)| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let keys = match owner.get("x-rust-pagination") {
        None => return Ok(Read::Absent),
        Some(Value::Bool(false)) => return Ok(Read::Off),
        Some(Value::Bool(true)) => return Ok(Read::Detect),
        Some(Value::Object(keys)) => keys,
        Some(_) => {
            return Err(SpecError::new(
                ptr,
                format!(
                    "`x-rust-pagination` must be `false`, `true` or a mapping with a `style` (one of {})",
                    names()
                ),
            ));
        }
    };
    let (name, style, allowed, needed) = match keys.get("style") {
        Some(Value::String(s)) => STYLES.iter().find(|(n, ..)| n == s).ok_or_else(|| {
            SpecError::new(
                child(&ptr, "style"),
                format!(
                    "`{s}` is not a pagination style; expected one of {}",
                    names()
                ),
            )
        })?,
        Some(_) => {
            return Err(SpecError::new(
                child(&ptr, "style"),
                format!("`style` must be one of {}", names()),
            ));
        }
        None => {
            return Err(SpecError::new(
                ptr,
                format!("`x-rust-pagination` needs a `style`: one of {}", names()),
            ));
        }
    };
    for (key, value) in keys.iter().filter(|(k, _)| *k != "style") {
        if key != "items" && !allowed.contains(&key.as_str()) {
            let takes: Vec<String> = std::iter::once("items")
                .chain(allowed.iter().copied())
                .map(|k| format!("`{k}`"))
                .collect();
            return Err(SpecError::new(
                child(&ptr, key),
                format!(
                    "`{key}` is not a key of the `{name}` style, which takes {}",
                    takes.join(", ")
                ),
            ));
        }
        if value.as_str().is_none_or(str::is_empty) {
            return Err(SpecError::new(
                child(&ptr, key),
                format!("`{key}` must be a non-empty string"),
            ));
        }
    }
    if let Some(missing) = allowed[..*needed].iter().find(|k| !keys.contains_key(**k)) {
        return Err(SpecError::new(
            ptr,
            format!("`x-rust-pagination` ({name}) needs `{missing}`"),
        ));
    }
    Ok(Read::Style(Declaration {
        style: *style,
        name,
        keys,
        ptr,
    }))
}

/// What a parameter or field must be.
#[derive(Clone, Copy)]
enum Kind {
    String,
    Number,
    Integer,
    Boolean,
}

impl Kind {
    fn fits(self, ty: &TypeRef) -> bool {
        match self {
            Kind::String => *ty == TypeRef::String,
            Kind::Number => matches!(ty, TypeRef::Integer(_) | TypeRef::Number),
            Kind::Integer => matches!(ty, TypeRef::Integer(_)),
            Kind::Boolean => *ty == TypeRef::Boolean,
        }
    }

    fn article(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Integer => "an integer",
            Kind::Boolean => "a boolean",
        }
    }
}

impl Declaration<'_> {
    /// The operation's pagination in the declared style, or an error at the key that does not
    /// fit it.
    pub fn apply(
        &self,
        params: &[Param],
        response: &Response,
        types: &Types<'_>,
    ) -> SpecResult<Pagination> {
        let (item, items, info) = self.list(response, types)?;
        let numeric = Kind::Number;
        let style = match self.style {
            Style::PageNumber => {
                if let Some(TypeRef::Named(n)) = &info {
                    if types.struct_fields(n).is_none() {
                        return Err(self.error(
                            &self.ptr,
                            "the envelope's `result_info` must be an object for page numbers",
                        ));
                    }
                }
                let page = self.param(params, "page", Some("page"), numeric)?;
                let per_page = self.optional_param(params, "per_page", numeric)?;
                PageStyle::PageNumber {
                    page_param: page.name.clone(),
                    page_ty: page.ty.clone(),
                    per_page_param: per_page.map(|p| p.name.clone()),
                    per_page_ty: per_page.map(|p| p.ty.clone()),
                }
            }
            Style::Cursor => PageStyle::Cursor {
                param: self
                    .param(params, "param", None, Kind::String)?
                    .name
                    .clone(),
                next: NextCursor::Field(self.path(response, types, "next", Kind::String)?),
            },
            Style::LastItemId => {
                let param = self
                    .param(params, "param", None, Kind::String)?
                    .name
                    .clone();
                let has_more = self.path(response, types, "has_more", Kind::Boolean)?;
                let id_name = self.value("id").unwrap_or("id");
                let id = match &item {
                    TypeRef::Named(n) => field(types, n, id_name, |t| Kind::String.fits(t)),
                    _ => None,
                }
                .ok_or_else(|| {
                    self.error(
                        &self.key_ptr("id"),
                        format!("the items have no string property `{id_name}`"),
                    )
                })?;
                PageStyle::Cursor {
                    param,
                    next: NextCursor::LastItemId { has_more, id },
                }
            }
            Style::Offset => {
                let offset = self.param(params, "param", Some("offset"), numeric)?;
                let limit = self.optional_param(params, "limit", numeric)?;
                let total = match self.value("total") {
                    Some(_) => Some(self.path(response, types, "total", Kind::Integer)?),
                    None => None,
                };
                PageStyle::Offset {
                    param: offset.name.clone(),
                    ty: offset.ty.clone(),
                    limit_param: limit.map(|p| p.name.clone()),
                    limit_ty: limit.map(|p| p.ty.clone()),
                    total,
                }
            }
            Style::Link => PageStyle::Link,
            Style::NextUrl => PageStyle::NextUrl {
                next: self.path(response, types, "next", Kind::String)?,
            },
        };
        Ok(Pagination {
            style,
            item,
            items,
            info,
        })
    }

    fn value(&self, key: &str) -> Option<&str> {
        self.keys.get(key).and_then(Value::as_str)
    }

    /// The pointer of `key` when it is given, else of the extension.
    fn key_ptr(&self, key: &str) -> String {
        if self.keys.contains_key(key) {
            child(&self.ptr, key)
        } else {
            self.ptr.clone()
        }
    }

    fn error(&self, ptr: &str, message: impl Into<String>) -> SpecError {
        SpecError::new(
            ptr,
            format!("`x-rust-pagination` ({}): {}", self.name, message.into()),
        )
    }

    /// The item type, where the items are and the envelope's `result_info` type.
    fn list(
        &self,
        response: &Response,
        types: &Types<'_>,
    ) -> SpecResult<(TypeRef, ItemsAt, Option<TypeRef>)> {
        let Some(wire) = self.value("items") else {
            return list_of(response, types)
                .map(|(item, items, info, _)| (item, items, info))
                .ok_or_else(|| {
                    self.error(
                        &self.ptr,
                        "the success response has no list of items (a JSON array, an envelope's \
                         `result` array, or one array property of the body); name the property \
                         with `items`",
                    )
                });
        };
        let found = match response {
            Response::Json(TypeRef::Named(body)) => types
                .struct_fields(body)
                .and_then(|fields| fields.iter().find(|f| f.wire_name == wire))
                .and_then(|f| match &f.ty {
                    TypeRef::Array(item) => Some(((**item).clone(), f)),
                    _ => None,
                }),
            _ => None,
        };
        let (item, f) = found.ok_or_else(|| {
            self.error(
                &child(&self.ptr, "items"),
                format!("`{wire}` is not an array property of the success response's JSON object"),
            )
        })?;
        let hop = crate::ir::Hop {
            field: f.name.clone(),
            optional: !f.required || f.nullable,
            variant: None,
        };
        Ok((item, ItemsAt::Field(hop), None))
    }

    /// The query parameter named by `key` (or `default` when the key is left out).
    fn param<'p>(
        &self,
        params: &'p [Param],
        key: &str,
        default: Option<&str>,
        kind: Kind,
    ) -> SpecResult<&'p Param> {
        let Some(wire) = self.value(key).or(default) else {
            return Err(self.error(&self.ptr, format!("`{key}` is required")));
        };
        let ptr = self.key_ptr(key);
        let p = params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.wire_name == wire)
            .ok_or_else(|| {
                self.error(
                    &ptr,
                    format!("`{wire}` is not a query parameter of the operation"),
                )
            })?;
        if !kind.fits(&p.ty) {
            return Err(self.error(
                &ptr,
                format!("the query parameter `{wire}` must be {}", kind.article()),
            ));
        }
        Ok(p)
    }

    /// The query parameter named by `key`; when it is left out, the parameter named like the
    /// key, if the operation has one of that kind.
    fn optional_param<'p>(
        &self,
        params: &'p [Param],
        key: &str,
        kind: Kind,
    ) -> SpecResult<Option<&'p Param>> {
        if self.value(key).is_some() {
            return self.param(params, key, None, kind).map(Some);
        }
        Ok(params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.wire_name == key && kind.fits(&p.ty)))
    }

    /// The response field at the path `key` names.
    fn path(
        &self,
        response: &Response,
        types: &Types<'_>,
        key: &str,
        kind: Kind,
    ) -> SpecResult<FieldPath> {
        let Some(text) = self.value(key) else {
            return Err(self.error(&self.ptr, format!("`{key}` is required")));
        };
        let segments: Vec<&str> = text.split('.').collect();
        let found = match response {
            Response::Envelope {
                result_info: Some(TypeRef::Named(info)),
                ..
            } => match segments.split_first() {
                Some((&"result_info", rest)) => {
                    resolve(types, info, rest, |t| kind.fits(t)).map(|hops| FieldPath {
                        from_info: true,
                        hops,
                    })
                }
                _ => None,
            },
            Response::Json(TypeRef::Named(body)) => {
                resolve(types, body, &segments, |t| kind.fits(t)).map(|hops| FieldPath {
                    from_info: false,
                    hops,
                })
            }
            _ => None,
        };
        found.ok_or_else(|| {
            let from = match response {
                Response::Envelope { .. } => "the envelope's `result_info` (the path starts with `result_info`)",
                _ => "the response's JSON object",
            };
            self.error(
                &child(&self.ptr, key),
                format!(
                    "`{text}` is not {} property of {from}; a path is property names joined by `.`, through objects and untagged unions",
                    kind.article()
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_style_name_is_the_irs() {
        // The names `style` accepts are the ones the IR reports (the corpus table, the docs).
        let item = TypeRef::String;
        let path = FieldPath {
            from_info: false,
            hops: Vec::new(),
        };
        let hop = crate::ir::Hop {
            field: crate::ir::Name::new("id"),
            optional: false,
            variant: None,
        };
        for (name, style, ..) in STYLES {
            let style = match style {
                Style::PageNumber => PageStyle::PageNumber {
                    page_param: crate::ir::Name::new("p"),
                    page_ty: TypeRef::Integer(64),
                    per_page_param: None,
                    per_page_ty: None,
                },
                Style::Cursor => PageStyle::Cursor {
                    param: crate::ir::Name::new("p"),
                    next: NextCursor::Field(path.clone()),
                },
                Style::LastItemId => PageStyle::Cursor {
                    param: crate::ir::Name::new("p"),
                    next: NextCursor::LastItemId {
                        has_more: path.clone(),
                        id: hop.clone(),
                    },
                },
                Style::Offset => PageStyle::Offset {
                    param: crate::ir::Name::new("p"),
                    ty: TypeRef::Integer(64),
                    limit_param: None,
                    limit_ty: None,
                    total: None,
                },
                Style::Link => PageStyle::Link,
                Style::NextUrl => PageStyle::NextUrl { next: path.clone() },
            };
            let p = Pagination {
                style,
                item: item.clone(),
                items: ItemsAt::Body,
                info: None,
            };
            assert_eq!(p.style_name(), name);
        }
    }

    #[test]
    fn shapes_are_checked_with_their_place() {
        let read_at = |v: Value| match read(&serde_json::json!({ "x-rust-pagination": v }), "#/op")
        {
            Ok(_) => String::from("ok"),
            Err(e) => format!("{}: {}", e.location.pointer, e.message),
        };
        assert_eq!(read_at(serde_json::json!(false)), "ok");
        assert_eq!(read_at(serde_json::json!({"style": "link"})), "ok");
        assert!(read_at(serde_json::json!("cursor")).starts_with("#/op/x-rust-pagination: "));
        assert!(
            read_at(serde_json::json!({"style": "pages"}))
                .starts_with("#/op/x-rust-pagination/style: `pages` is not a pagination style")
        );
        assert!(
            read_at(serde_json::json!({"style": "next_url", "param": "p"})).starts_with(
                "#/op/x-rust-pagination/param: `param` is not a key of the `next_url` style"
            )
        );
        assert!(
            read_at(serde_json::json!({"style": "next_url", "next": 3}))
                .starts_with("#/op/x-rust-pagination/next: `next` must be a non-empty string")
        );
        assert!(read_at(serde_json::json!({"next": "a"})).contains("needs a `style`"));
        assert_eq!(
            read_at(serde_json::json!({"style": "cursor", "next": "a"})),
            "#/op/x-rust-pagination: `x-rust-pagination` (cursor) needs `param`"
        );
    }
}
