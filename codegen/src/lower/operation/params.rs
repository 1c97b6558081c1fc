//! Parameters: the path item's merged with the operation's, checked against the path template,
//! named clear of the builder's own fields and methods, and ordered; and the query parameters
//! read before lowering (for naming).

use indexmap::IndexMap;
use serde_json::Value;

use super::OpContext;
use crate::error::{SpecError, SpecResult};
use crate::ir::{Name, Param, ParamLocation, TypeRef};
use crate::load::child;
use crate::lower::schema::{Types, code_span, description, with_facts};
use crate::lower::{constraints, pagination};
use crate::naming::{self, Namespace};

/// Names a builder's own fields take, which parameters must not shadow.
const BUILDER_FIELDS: [&str; 3] = ["client", "options", "body"];

/// Names a builder's own methods take, which optional-parameter setters must not shadow.
const BUILDER_METHODS: [&str; 9] = [
    "send",
    "send_with_response",
    "pages",
    "items",
    "stream",
    "bytes_stream",
    "into_future",
    "clone",
    "error_body",
];

impl<'d> OpContext<'_, 'd> {
    /// Whether the operation has an optional query parameter that asks for a page (its path
    /// item's merged with its own, the operation's winning, as in [`Self::params`]), read before
    /// lowering; a malformed parameter is left to [`Self::params`] to report.
    pub(super) fn takes_page_param(&self) -> bool {
        self.query_params()
            .any(|(name, optional)| optional && pagination::is_page_param(name))
    }

    /// Whether the operation takes any query parameter.
    pub(super) fn takes_query(&self) -> bool {
        self.query_params().next().is_some()
    }

    /// The query parameters of the path item and the operation (the operation's win), with
    /// whether each is optional.
    fn query_params(&self) -> impl Iterator<Item = (&'d str, bool)> {
        let item_ptr = self.op_ptr.rsplit_once('/').map_or("", |(p, _)| p);
        let mut optional: IndexMap<(&'d str, &'d str), bool> = IndexMap::new();
        let lists = [(self.item, item_ptr), (self.op, self.op_ptr)]
            .into_iter()
            .filter_map(|(owner, ptr)| Some((owner.get("parameters")?.as_array()?, ptr)));
        for (list, ptr) in lists {
            for p in list {
                let Ok((p, _)) = self.doc.deref(p, ptr) else {
                    continue;
                };
                let name = p.get("name").and_then(Value::as_str);
                let location = p.get("in").and_then(Value::as_str);
                if let (Some(name), Some(location)) = (name, location) {
                    let required = p.get("required").and_then(Value::as_bool) == Some(true);
                    optional.insert((name, location), !required);
                }
            }
        }
        optional
            .into_iter()
            .filter(|((_, location), _)| *location == "query")
            .map(|((name, _), optional)| (name, optional))
    }

    /// Path-item parameters merged with the operation's (the operation's win), checked against
    /// the path template, required ones first.
    pub(super) fn params(&self, types: &mut Types<'d>, hint: &str) -> SpecResult<Vec<Param>> {
        let mut raw: IndexMap<(String, String), (&'d Value, String)> = IndexMap::new();
        let item_ptr = self.op_ptr.rsplit_once('/').map_or("", |(p, _)| p);
        for (owner, ptr) in [
            (self.item, item_ptr.to_owned()),
            (self.op, self.op_ptr.to_owned()),
        ] {
            let Some(list) = owner.get("parameters") else {
                continue;
            };
            let lptr = child(&ptr, "parameters");
            let Some(list) = list.as_array() else {
                return Err(SpecError::new(lptr, "`parameters` must be a list"));
            };
            for (i, p) in list.iter().enumerate() {
                let (p, pptr) = self.doc.deref(p, &child(&lptr, &i.to_string()))?;
                let name = p.get("name").and_then(Value::as_str);
                let location = p.get("in").and_then(Value::as_str);
                let (Some(name), Some(location)) = (name, location) else {
                    return Err(SpecError::new(
                        pptr,
                        "a parameter needs a string `name` and `in`",
                    ));
                };
                raw.insert((name.to_owned(), location.to_owned()), (p, pptr));
            }
        }
        let placeholders = template_names(self.path);
        let path_names: Vec<String> = raw
            .keys()
            .filter(|(_, l)| l == "path")
            .map(|(n, _)| n.clone())
            .collect();
        let mut names = Namespace::with_reserved(&BUILDER_FIELDS);
        for m in BUILDER_METHODS {
            names.claim(m);
        }
        let mut params = Vec::new();
        for ((wire, location), (p, pptr)) in raw {
            let location = match location.as_str() {
                "path" => ParamLocation::Path,
                "query" => ParamLocation::Query,
                "header" => ParamLocation::Header,
                other => {
                    types.warn(
                        &pptr,
                        format!("`{other}` parameters are not supported; `{wire}` is left out"),
                    );
                    continue;
                }
            };
            if location == ParamLocation::Path && !placeholders.contains(&wire) {
                return Err(SpecError::new(
                    pptr,
                    format!(
                        "path parameter `{wire}` does not appear in the path template `{}`",
                        self.path
                    ),
                ));
            }
            let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
            if location == ParamLocation::Path && !required {
                types.warn(
                    &pptr,
                    "a path parameter must be `required: true`; treating it as required",
                );
            }
            let ty = match p.get("schema") {
                Some(schema) => {
                    let place = types.op_place(&format!("The {} parameter", code_span(&wire)));
                    let l = types.lower_placed(
                        schema,
                        &child(&pptr, "schema"),
                        &format!("{hint}{}", naming::pascal(&wire)),
                        place,
                    )?;
                    l.ty
                }
                None => {
                    types.warn(
                        &pptr,
                        "a parameter without `schema`; sending it as a string",
                    );
                    TypeRef::String
                }
            };
            let schema_target = match p.get("schema") {
                Some(schema) => Some(self.doc.deref(schema, &child(&pptr, "schema"))?.0),
                None => None,
            };
            let doc = description(p).or_else(|| schema_target.and_then(description));
            let doc = match schema_target {
                Some(t) => with_facts(doc, t),
                None => doc,
            };
            params.push(Param {
                constraints: schema_target.map(constraints::of).unwrap_or_default(),
                name: Name::new(names.claim(&naming::snake(&wire))),
                wire_name: wire,
                location,
                ty,
                required: required || location == ParamLocation::Path,
                doc,
            });
        }
        for ph in &placeholders {
            if !path_names.contains(ph) {
                return Err(SpecError::new(
                    self.op_ptr,
                    format!(
                        "the path template `{}` has `{{{ph}}}` but no path parameter named `{ph}`",
                        self.path
                    ),
                ));
            }
        }
        // Path parameters in template order, then other required ones, then optional ones.
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => (
                0,
                placeholders
                    .iter()
                    .position(|n| *n == p.wire_name)
                    .unwrap_or(0),
            ),
            _ if p.required => (1, 0),
            _ => (2, 0),
        });
        Ok(params)
    }
}

/// The `{name}` placeholders of a path template, in order.
fn template_names(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_placeholders_in_order() {
        assert_eq!(
            template_names("/zones/{zone_id}/c/{id}"),
            vec!["zone_id", "id"]
        );
        assert_eq!(template_names("/a/{broken"), Vec::<String>::new());
    }
}
