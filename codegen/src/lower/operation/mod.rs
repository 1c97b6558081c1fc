//! Paths -> resources and operations: names, parameters, bodies, responses and pagination.
//!
//! This file walks `paths`, selects operations (by tag and path prefix) and groups them into
//! the tree of resources; each operation is read through an `OpContext`. The parts of an
//! operation are split by job: `assemble` (the `Operation` from its parts), `params`, `body`,
//! `responses` (success and error bodies) and `media` (media types).

mod assemble;
mod body;
mod media;
mod params;
mod responses;

use indexmap::IndexMap;
use serde_json::Value;

use super::conventions::Conventions;
use super::schema::Types;
use crate::Settings;
use crate::error::{SpecError, SpecResult};
use crate::ir::{Method, Name, Operation, Resource, TypeRef};
use crate::load::{Document, child};
use crate::naming::{self, Namespace};

pub(super) use media::media_base;

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
}
