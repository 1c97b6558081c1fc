//! Paths -> resources and operations: names, parameters, bodies, responses and pagination.

use indexmap::IndexMap;
use serde_json::Value;

use super::conventions::{Conventions, is_envelope};
use super::schema::{Types, code_span, component_name, description, with_facts};
use crate::Settings;
use crate::error::{SpecError, SpecResult};
use crate::ir::{
    Body, BodyKind, ErrorBody, FormField, FormStyle, Method, Name, Operation, Param, ParamLocation,
    Resource, Response, TypeRef,
};
use crate::load::{Document, child};
use crate::naming::{self, Namespace};

/// HTTP methods in the order OpenAPI lists them.
const METHODS: [(&str, Method); 7] = [
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
];

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

struct ResourceBuilder {
    type_name: String,
    module: String,
    accessor: String,
    parent: Option<usize>,
    builders: Namespace,
    operations: Vec<Operation>,
}

/// Lowers every selected operation, grouped into a tree of resources in spec order.
pub fn lower_paths<'d>(
    doc: &'d Document,
    settings: &Settings,
    conventions: &Conventions,
    types: &mut Types<'d>,
) -> SpecResult<Vec<Resource>> {
    let Some(paths) = doc.root.get("paths") else {
        return Err(SpecError::new(
            "#",
            "missing `paths`; an OpenAPI document needs at least one path",
        ));
    };
    let Some(paths) = paths.as_object() else {
        return Err(SpecError::new(
            "#/paths",
            "`paths` must be a mapping from path templates to path items",
        ));
    };
    // First every selected operation, so that names are planned from all paths at once.
    let mut pending: Vec<(&'d String, Method, &'d Value, String, &'d Value)> = Vec::new();
    for (path, item) in paths {
        let item_ptr = child("#/paths", path);
        if !path.starts_with('/') {
            return Err(SpecError::new(
                &item_ptr,
                format!("path `{path}` must start with `/`"),
            ));
        }
        let (item, item_ptr) = doc.deref(item, &item_ptr)?;
        let Some(item_obj) = item.as_object() else {
            return Err(SpecError::new(&item_ptr, "a path item must be a mapping"));
        };
        if !settings.path_prefixes.is_empty()
            && !settings
                .path_prefixes
                .iter()
                .any(|p| path.starts_with(p.as_str()))
        {
            continue;
        }
        for (key, op) in item_obj {
            let Some((_, method)) = METHODS.iter().find(|(m, _)| m == key) else {
                continue;
            };
            // An operation may itself be a `$ref` (common in multi-file specs).
            let (op, op_ptr) = doc.deref(op, &child(&item_ptr, key))?;
            if !selected_by_tag(op, settings) {
                continue;
            }
            pending.push((path, *method, op, op_ptr, item));
        }
    }
    let contexts: Vec<OpContext<'_, 'd>> = pending
        .iter()
        .map(|(path, method, op, op_ptr, item)| OpContext {
            doc,
            path,
            method: *method,
            op,
            op_ptr,
            item,
            conventions,
        })
        .collect();
    let inputs: Vec<super::resources::OpIn<'_>> = contexts
        .iter()
        .map(|ctx| super::resources::OpIn {
            path: ctx.path,
            method: ctx.method,
            operation_id: ctx.operation_id(),
            tag: ctx
                .op
                .get("tags")
                .and_then(|t| t.get(0))
                .and_then(serde_json::Value::as_str),
            paged: ctx.takes_page_param(),
            queried: ctx.takes_query(),
            resource_override: ctx.op.get("x-rust-resource"),
            method_override: ctx.op.get("x-rust-method"),
            pointer: ctx.op_ptr,
        })
        .collect();
    let (plan, fallbacks) = super::resources::plan(&inputs)?;
    if !fallbacks.is_empty() {
        types.warn(
            "#/paths",
            format!(
                "{} operation(s) named after their operationId because the name their path \
                 gives is taken (set `x-rust-method` to choose): {}",
                fallbacks.len(),
                fallbacks.join("; ")
            ),
        );
    }
    use super::reserved;
    let mut resources: IndexMap<Vec<String>, ResourceBuilder> = IndexMap::new();
    let mut type_names = Namespace::with_reserved(&naming::PRELUDE_NAMES);
    let mut module_names = Namespace::with_reserved(&reserved::refs(&reserved::modules()));
    let mut top_accessors =
        Namespace::with_reserved(&reserved::refs(&reserved::client_accessors()));
    for (ctx, named) in contexts.iter().zip(plan) {
        // The resource and its ancestors, parents first.
        for depth in 1..=named.chain.len() {
            let chain = &named.chain[..depth];
            if resources.contains_key(chain) {
                continue;
            }
            let parent = (depth > 1).then(|| resources.get_index_of(&chain[..depth - 1]));
            let joined = chain.join("_");
            let type_name = type_names.claim(&naming::pascal(&joined));
            let accessor = if depth == 1 {
                top_accessors.claim(&naming::snake(&chain[0]))
            } else {
                // A handle's own `new` (emitted beside its struct) is not an accessor name.
                match naming::snake(&chain[depth - 1]) {
                    n if n == "new" => "new_resource".to_owned(),
                    n => n,
                }
            };
            resources.insert(
                chain.to_vec(),
                ResourceBuilder {
                    module: module_names.claim(&naming::snake(&joined)),
                    accessor,
                    parent: parent.flatten(),
                    // The handle type lives in the same module as the builders.
                    builders: Namespace::with_reserved(&[type_name.as_str()]),
                    type_name,
                    operations: Vec::new(),
                },
            );
        }
        let res = resources
            .get_mut(&named.chain)
            .expect("the resource was just inserted");
        let method_name = Name::new(naming::snake(&named.method));
        let builder_name = Name::new(res.builders.claim(&naming::type_name(&format!(
            "{}Request",
            naming::pascal(method_name.bare())
        ))));
        let hint = format!(
            "{}{}",
            naming::pascal(&named.chain.join("_")),
            naming::pascal(method_name.bare())
        );
        types.operation = format!("{}().{}()", named.chain.join("()."), method_name.bare());
        if let Some(mut operation) = ctx.lower(types, method_name, builder_name, &hint)? {
            let base = operation
                .builder_name
                .raw()
                .trim_end_matches("Request")
                .to_owned();
            operation.decode_name = Name::new(res.builders.claim(&format!("{base}Response")));
            // Several error types: an enum of them, named beside the builder.
            let mut distinct: Vec<&TypeRef> = operation.errors.iter().map(|e| &e.ty).collect();
            distinct.sort();
            distinct.dedup();
            if distinct.len() > 1 {
                operation.error_enum =
                    Some(Name::new(res.builders.claim(&format!("{base}ErrorBody"))));
            }
            operation.name_fallback = named.fallback;
            res.operations.push(operation);
        }
    }
    let resources = prune(resources.into_values().collect());
    if resources.is_empty() && (!settings.tags.is_empty() || !settings.path_prefixes.is_empty()) {
        return Err(SpecError::new(
            "#/paths",
            format!(
                "no operation matches the selection (tags: {:?}, path prefixes: {:?})",
                settings.tags, settings.path_prefixes
            ),
        ));
    }
    Ok(resources)
}

/// The resources with an operation in their subtree (skipped operations may leave none),
/// with parent indices renumbered.
fn prune(all: Vec<ResourceBuilder>) -> Vec<Resource> {
    let mut keep = vec![false; all.len()];
    for (i, r) in all.iter().enumerate().rev() {
        if !r.operations.is_empty() {
            let mut at = Some(i);
            while let Some(j) = at {
                keep[j] = true;
                at = all[j].parent;
            }
        }
    }
    let mut new_index = vec![None; all.len()];
    let mut out = Vec::new();
    for (i, r) in all.into_iter().enumerate() {
        if !keep[i] {
            continue;
        }
        new_index[i] = Some(out.len());
        out.push(Resource {
            parent: r.parent.and_then(|p| new_index[p]),
            name: Name::new(r.module),
            accessor: Name::new(r.accessor),
            type_name: Name::new(r.type_name),
            operations: r.operations,
        });
    }
    out
}

fn selected_by_tag(op: &Value, settings: &Settings) -> bool {
    if settings.tags.is_empty() {
        return true;
    }
    let tags = op.get("tags").and_then(Value::as_array);
    tags.is_some_and(|t| {
        t.iter()
            .filter_map(Value::as_str)
            .any(|t| settings.tags.iter().any(|s| s == t))
    })
}

struct OpContext<'a, 'd> {
    doc: &'d Document,
    path: &'a str,
    method: Method,
    op: &'d Value,
    op_ptr: &'a str,
    item: &'d Value,
    conventions: &'a Conventions,
}

impl<'d> OpContext<'_, 'd> {
    fn ext(&self, key: &str) -> Option<&'d str> {
        self.op.get(key).and_then(Value::as_str)
    }

    fn operation_id(&self) -> String {
        self.ext("operationId")
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{} {}", self.method.as_str().to_lowercase(), self.path))
    }

    fn lower(
        &self,
        types: &mut Types<'d>,
        method_name: Name,
        builder_name: Name,
        hint: &str,
    ) -> SpecResult<Option<Operation>> {
        let Some(op) = self.op.as_object() else {
            return Err(SpecError::new(
                self.op_ptr,
                "an operation must be a mapping",
            ));
        };
        let responses = match op.get("responses") {
            Some(Value::Object(r)) if !r.is_empty() => r,
            Some(Value::Object(_)) | None => {
                return Err(SpecError::new(
                    self.op_ptr,
                    "the operation has no `responses`; at least one is required",
                ));
            }
            Some(_) => {
                return Err(SpecError::new(
                    child(self.op_ptr, "responses"),
                    "`responses` must be a mapping",
                ));
            }
        };
        let params = self.params(types, hint)?;
        let body = match self.body(types, hint)? {
            BodyOutcome::Body(b) => b,
            BodyOutcome::Unsupported(media) => {
                types.warn(&child(self.op_ptr, "requestBody"),
                    format!(
                        "operation skipped: request body media type(s) {media} are not supported yet"
                    ),
                );
                return Ok(None);
            }
        };
        let response = self.response(types, responses, hint)?;
        let stream = super::stream::detect(self.doc, types, self.op, self.op_ptr, &response, hint)?;
        let errors = self.error_bodies(types, responses, hint)?;
        let site = super::pagination::Site {
            root: &self.doc.root,
            op: self.op,
            op_ptr: self.op_ptr,
        };
        let pagination = super::pagination::lower(
            &site,
            self.method,
            &params,
            &response,
            self.declares_link_header(responses)?,
            types,
        )?;
        // The extension `x-rust-permissions` names: a list, or a schema-like `{enum: [...]}`.
        let permissions = (self.conventions.permissions.as_deref())
            .and_then(|key| op.get(key))
            .and_then(|p| p.get("enum").unwrap_or(p).as_array())
            .map(|e| {
                e.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Ok(Some(Operation {
            tag: op
                .get("tags")
                .and_then(Value::as_array)
                .and_then(|t| t.first())
                .and_then(Value::as_str)
                .map(str::to_owned),
            feature: None,
            operation_id: self.operation_id(),
            name_fallback: false,
            method_name,
            builder_name: builder_name.clone(),
            method: self.method,
            path: self.path.to_owned(),
            summary: self
                .ext("summary")
                .map(str::to_owned)
                .filter(|s| !s.trim().is_empty()),
            description: self
                .ext("description")
                .map(str::to_owned)
                .filter(|s| !s.trim().is_empty()),
            permissions,
            stream,
            deprecated: op
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            params,
            body,
            response,
            errors,
            error_enum: None,
            // A placeholder: the caller claims the name once it keeps the operation.
            decode_name: builder_name,
            pagination,
            security: super::security::requirements(
                op.get("security").or_else(|| self.doc.root.get("security")),
            ),
        }))
    }

    /// Whether the operation has an optional query parameter that asks for a page (its path
    /// item's merged with its own, the operation's winning, as in [`Self::params`]), read before
    /// lowering; a malformed parameter is left to [`Self::params`] to report.
    fn takes_page_param(&self) -> bool {
        self.query_params()
            .any(|(name, optional)| optional && super::pagination::is_page_param(name))
    }

    /// Whether the operation takes any query parameter.
    fn takes_query(&self) -> bool {
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
    fn params(&self, types: &mut Types<'d>, hint: &str) -> SpecResult<Vec<Param>> {
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
                constraints: schema_target
                    .map(super::constraints::of)
                    .unwrap_or_default(),
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

    fn body(&self, types: &mut Types<'d>, hint: &str) -> SpecResult<BodyOutcome> {
        let Some(body) = self.op.get("requestBody") else {
            return Ok(BodyOutcome::Body(None));
        };
        let (body, bptr) = self.doc.deref(body, &child(self.op_ptr, "requestBody"))?;
        let Some(content) = body.get("content").and_then(Value::as_object) else {
            return Err(SpecError::new(
                bptr,
                "a request body needs a `content` mapping",
            ));
        };
        // JSON first, then multipart, then a URL-encoded form, then anything else as raw bytes.
        let pick = content
            .iter()
            .find(|(m, _)| is_json(m))
            .or_else(|| {
                content
                    .iter()
                    .find(|(m, _)| media_base(m) == "multipart/form-data")
            })
            .or_else(|| content.iter().find(|(m, _)| media_base(m) == FORM_MEDIA))
            .or_else(|| content.iter().next());
        let Some((media, node)) = pick else {
            return Err(SpecError::new(
                child(&bptr, "content"),
                "a request body needs at least one media type",
            ));
        };
        let mptr = child(&child(&bptr, "content"), media);
        let sptr = child(&mptr, "schema");
        let schema = node.get("schema");
        let base = media_base(media);
        let mut form_fields = Vec::new();
        let (kind, ty) = if is_json(media) {
            let ty = match schema {
                Some(schema) => {
                    let place = types.op_place("The request body");
                    let l = types.lower_placed(schema, &sptr, &format!("{hint}Body"), place)?;
                    if l.nullable {
                        TypeRef::Nullable(Box::new(l.ty))
                    } else {
                        l.ty
                    }
                }
                None => TypeRef::Json,
            };
            (BodyKind::Json, ty)
        } else if base == "multipart/form-data" {
            let Some(schema) = schema else {
                return Ok(BodyOutcome::Unsupported(format!(
                    "{media} without a schema"
                )));
            };
            // A choice of forms (`oneOf`/`anyOf`): the caller builds the parts.
            let (target, _) = self.doc.deref(schema, &sptr)?;
            if target.get("oneOf").is_some() || target.get("anyOf").is_some() {
                (BodyKind::MultipartParts, TypeRef::MultipartForm)
            } else {
                let place = types.op_place("The form body");
                let l =
                    types.lower_binary_as_bytes(schema, &sptr, &format!("{hint}Form"), place)?;
                match &l.ty {
                    TypeRef::Named(name) if types.is_struct(name) => (BodyKind::Multipart, l.ty),
                    _ => (BodyKind::MultipartParts, TypeRef::MultipartForm),
                }
            }
        } else if base == FORM_MEDIA {
            let Some(schema) = schema else {
                return Ok(BodyOutcome::Unsupported(format!(
                    "{media} without a schema"
                )));
            };
            let place = types.op_place("The form body");
            let l = types.lower_placed(schema, &sptr, &format!("{hint}Form"), place)?;
            match &l.ty {
                TypeRef::Named(name) if types.is_struct(name) => {}
                TypeRef::Map(_) | TypeRef::Json => {}
                _ => {
                    return Ok(BodyOutcome::Unsupported(format!(
                        "{media} whose schema is not an object"
                    )));
                }
            }
            form_fields = form_encodings(node, &mptr, types);
            (BodyKind::Form, l.ty)
        } else if base.ends_with("ndjson") || base == "application/jsonl" {
            let item = match schema.map(|s| self.doc.deref(s, &sptr)).transpose()? {
                Some((target, tptr))
                    if target.get("type").and_then(Value::as_str) == Some("array") =>
                {
                    match target.get("items") {
                        Some(items) => {
                            let place = types.op_place("One line of the request body");
                            let line = &format!("{hint}Line");
                            Some(
                                types
                                    .lower_placed(items, &child(&tptr, "items"), line, place)?
                                    .ty,
                            )
                        }
                        None => Some(TypeRef::Json),
                    }
                }
                _ => None,
            };
            match item {
                Some(item) => (BodyKind::Ndjson, TypeRef::Array(Box::new(item))),
                None => (BodyKind::Bytes, TypeRef::Bytes),
            }
        } else {
            (BodyKind::Bytes, TypeRef::Bytes)
        };
        if content.len() > 1 {
            let others: Vec<&str> = content
                .keys()
                .filter(|m| *m != media)
                .map(String::as_str)
                .collect();
            types.warn(
                &child(&bptr, "content"),
                format!(
                    "the body is sent as `{media}`; the other media types ({}) are not offered",
                    others.join(", ")
                ),
            );
        }
        Ok(BodyOutcome::Body(Some(Body {
            ty,
            required: body
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            content_type: media.clone(),
            doc: description(body),
            kind,
            form_fields,
        })))
    }

    fn response(
        &self,
        types: &mut Types<'d>,
        responses: &'d serde_json::Map<String, Value>,
        hint: &str,
    ) -> SpecResult<Response> {
        let rptr = child(self.op_ptr, "responses");
        for key in responses.keys() {
            if key.len() == 3 && key.ends_with("xx") {
                types.warn(
                    &child(&rptr, key),
                    format!(
                        "`{key}` is not a valid response key (OpenAPI wants `{}`); read as that",
                        key.to_uppercase()
                    ),
                );
            }
        }
        let mut success: Vec<&String> = responses.keys().filter(|k| k.starts_with('2')).collect();
        success.sort_by_key(|k| (k.ends_with(['X', 'x']), (*k).clone()));
        let keys: Vec<String> = if success.is_empty() && responses.contains_key("default") {
            vec!["default".to_owned()]
        } else {
            success.iter().map(|k| (*k).clone()).collect()
        };
        if keys.is_empty() {
            types.warn(
                &rptr,
                "no 2XX or default response; successful responses are not decoded",
            );
            return Ok(Response::Empty);
        }
        // The JSON schema of each success response, in status order, without duplicates.
        let mut schemas: Vec<(String, &'d Value, String)> = Vec::new();
        let mut non_json = Vec::new();
        let mut without_body = false;
        for key in &keys {
            let Some(node) = responses.get(key) else {
                continue;
            };
            let (resp, resp_ptr) = self.doc.deref(node, &child(&rptr, key))?;
            let Some(content) = resp
                .get("content")
                .and_then(Value::as_object)
                .filter(|c| !c.is_empty())
            else {
                without_body = true;
                continue;
            };
            match content.iter().find(|(m, _)| is_json(m)) {
                Some((media, media_node)) => {
                    let sptr = child(&child(&child(&resp_ptr, "content"), media), "schema");
                    let schema = media_node.get("schema").unwrap_or(&Value::Bool(true));
                    let (target, _) = self.doc.deref(schema, &sptr)?;
                    if !schemas.iter().any(|(_, s, p)| {
                        *s == schema || self.doc.deref(s, p).is_ok_and(|(t, _)| t == target)
                    }) {
                        schemas.push((key.clone(), schema, sptr));
                    }
                }
                None => non_json.extend(content.keys().cloned()),
            }
        }
        if schemas.is_empty() {
            return Ok(match non_json.first() {
                Some(media) if media_base(media).starts_with("text/") => Response::Text,
                Some(_) => Response::Bytes,
                None => Response::Empty,
            });
        }
        let mut decoded = Vec::new();
        for (key, schema, sptr) in &schemas {
            decoded.push((key.clone(), self.decode_one(types, schema, sptr, hint)?));
        }
        if decoded.len() == 1 {
            let only = decoded.remove(0).1;
            // Another success status has no body (a 204 beside a 200): the result may be absent.
            return Ok(match only {
                Response::Envelope {
                    result,
                    result_info,
                    ..
                } if without_body => Response::Envelope {
                    result,
                    result_optional: true,
                    result_info,
                },
                Response::Json(ty) if without_body && !matches!(ty, TypeRef::Nullable(_)) => {
                    Response::Json(TypeRef::Nullable(Box::new(ty)))
                }
                other => other,
            });
        }
        // Several success responses with different bodies: one untagged union, tried in status order.
        let all_envelopes = decoded
            .iter()
            .all(|(_, r)| matches!(r, Response::Envelope { .. }));
        if all_envelopes {
            let mut variants = Vec::new();
            let mut info = None;
            let mut optional = false;
            for (key, r) in &decoded {
                if let Response::Envelope {
                    result,
                    result_optional,
                    result_info,
                } = r
                {
                    variants.push((format!("Status{key}"), result.clone()));
                    optional |= *result_optional;
                    if info.is_none() {
                        info.clone_from(result_info);
                    }
                }
            }
            let ty = types.union_of(&format!("{hint}Result"), &rptr, variants);
            return Ok(Response::Envelope {
                result: ty,
                result_optional: optional,
                result_info: info,
            });
        }
        let mut variants = Vec::new();
        for (key, schema, sptr) in &schemas {
            let place = types.op_place(&format!("The `{key}` response"));
            let l = types.lower_placed(schema, sptr, &format!("{hint}Response{key}"), place)?;
            variants.push((
                format!("Status{key}"),
                if l.nullable {
                    TypeRef::Nullable(Box::new(l.ty))
                } else {
                    l.ty
                },
            ));
        }
        Ok(Response::Json(types.union_of(
            &format!("{hint}Response"),
            &rptr,
            variants,
        )))
    }

    /// Whether a success response declares a `Link` header (RFC 8288 pagination).
    fn declares_link_header(
        &self,
        responses: &'d serde_json::Map<String, Value>,
    ) -> SpecResult<bool> {
        let rptr = child(self.op_ptr, "responses");
        for (key, node) in responses.iter().filter(|(k, _)| k.starts_with('2')) {
            let (resp, _) = self.doc.deref(node, &child(&rptr, key))?;
            let declared = resp
                .get("headers")
                .and_then(Value::as_object)
                .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("link")));
            if declared {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The JSON bodies of the documented error responses (`4xx`, `5xx`, `4XX`, `default` beside a
    /// success response), in spec order. Bodies in the API's envelope are left to the runtime,
    /// which decodes the envelope's errors for every operation.
    fn error_bodies(
        &self,
        types: &mut Types<'d>,
        responses: &'d serde_json::Map<String, Value>,
        hint: &str,
    ) -> SpecResult<Vec<ErrorBody>> {
        let rptr = child(self.op_ptr, "responses");
        let has_success = responses.keys().any(|k| k.starts_with('2'));
        let mut out: Vec<ErrorBody> = Vec::new();
        for (key, node) in responses {
            let status = key.to_uppercase();
            // `404` or `4XX` (a lower-case `4xx` is the same key); anything else is not a status.
            let b = status.as_bytes();
            let well_formed = b.len() == 3
                && matches!(b[0], b'4' | b'5')
                && ((b[1].is_ascii_digit() && b[2].is_ascii_digit()) || &b[1..] == b"XX");
            if !(well_formed || (key == "default" && has_success)) {
                continue;
            }
            if out.iter().any(|e| e.status == status) {
                continue;
            }
            let (resp, resp_ptr) = self.doc.deref(node, &child(&rptr, key))?;
            let Some((media, media_node)) = resp
                .get("content")
                .and_then(Value::as_object)
                .and_then(|c| c.iter().find(|(m, _)| is_json(m)))
            else {
                continue;
            };
            let Some(schema) = media_node.get("schema") else {
                continue;
            };
            let sptr = child(&child(&child(&resp_ptr, "content"), media), "schema");
            let (target, _) = self.doc.deref(schema, &sptr)?;
            if let (true, Some(envelope)) = (target.is_object(), &self.conventions.envelope) {
                let view = types.object_view(schema, &sptr)?;
                if is_envelope(envelope, |name| view.properties.contains_key(name)) {
                    continue;
                }
            }
            let place = types.op_place(&format!("The `{key}` error body"));
            let l = types.lower_placed(schema, &sptr, &format!("{hint}Error"), place)?;
            // A free-form body is no better typed than the raw body the error already holds.
            if matches!(l.ty, TypeRef::Json | TypeRef::Map(_)) {
                continue;
            }
            out.push(ErrorBody {
                status: if key == "default" {
                    "default".to_owned()
                } else {
                    status
                },
                ty: l.ty,
            });
        }
        Ok(out)
    }

    /// The decoded form of one JSON success body: in the API's envelope, or plain JSON.
    fn decode_one(
        &self,
        types: &mut Types<'d>,
        schema: &'d Value,
        sptr: &str,
        hint: &str,
    ) -> SpecResult<Response> {
        if let (true, Some(envelope)) = (schema.is_object(), &self.conventions.envelope) {
            let view = types.object_view(schema, sptr)?;
            let has = |name: &str| view.properties.contains_key(name);
            // In the envelope, with a result to unwrap.
            if is_envelope(envelope, has) && has(&envelope.result) {
                let (result, result_ptr) = view.properties[&envelope.result].clone();
                let owner = owning_component(&result_ptr).unwrap_or_else(|| hint.to_owned());
                let place = types.op_place("The result");
                let lowered =
                    types.lower_placed(result, &result_ptr, &format!("{owner}Result"), place)?;
                let info = envelope.result_info.as_ref();
                let result_info = match info.and_then(|name| view.properties.get(name)) {
                    Some((node, ptr)) => Some(types.lower(node, ptr, "ResultInfo")?.ty),
                    None => None,
                };
                return Ok(Response::Envelope {
                    result: lowered.ty,
                    result_optional: lowered.nullable,
                    result_info,
                });
            }
        }
        let place = types.op_place("The response");
        let l = types.lower_placed(schema, sptr, &format!("{hint}Response"), place)?;
        Ok(Response::Json(if l.nullable {
            TypeRef::Nullable(Box::new(l.ty))
        } else {
            l.ty
        }))
    }
}

enum BodyOutcome {
    Body(Option<Body>),
    Unsupported(String),
}

/// The media type without parameters, lower-cased.
/// The media type of URL-encoded forms.
const FORM_MEDIA: &str = "application/x-www-form-urlencoded";

/// The fields of a URL-encoded form whose `encoding` is not the default (`style: form`,
/// `explode: true`), in spec order. An unknown style is warned about and treated as `form`.
fn form_encodings(media: &Value, mptr: &str, types: &mut Types<'_>) -> Vec<FormField> {
    let Some(encoding) = media.get("encoding").and_then(Value::as_object) else {
        return Vec::new();
    };
    let eptr = child(mptr, "encoding");
    let mut out = Vec::new();
    for (name, enc) in encoding {
        let style = match enc.get("style").and_then(Value::as_str) {
            None | Some("form") => FormStyle::Form,
            Some("spaceDelimited") => FormStyle::SpaceDelimited,
            Some("pipeDelimited") => FormStyle::PipeDelimited,
            Some("deepObject") => FormStyle::DeepObject,
            Some(other) => {
                types.warn(
                    &child(&child(&eptr, name), "style"),
                    format!("form style `{other}` is not one OpenAPI defines; using `form`"),
                );
                FormStyle::Form
            }
        };
        let explode = enc
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == FormStyle::Form);
        if style != FormStyle::Form || !explode {
            out.push(FormField {
                wire_name: name.clone(),
                style,
                explode,
            });
        }
    }
    out
}

/// A media type without its parameters, in lower case (`application/json; charset=utf-8` is
/// `application/json`).
pub(super) fn media_base(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_json(media: &str) -> bool {
    let m = media_base(media);
    m == "application/json" || m.ends_with("+json")
}

/// The PascalCase name of the component schema a pointer lies inside, if any.
fn owning_component(ptr: &str) -> Option<String> {
    let rest = ptr.strip_prefix("#/components/schemas/")?;
    let name = rest.split('/').next()?;
    component_name(&format!("#/components/schemas/{name}")).map(naming::pascal)
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

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("multipart/form-data"));
    }
}
