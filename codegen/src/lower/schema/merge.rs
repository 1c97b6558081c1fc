//! `allOf` merging: an object schema flattened into one [`ObjectView`] (later members override
//! earlier properties), the choices met on the way, and when an `allOf` is just one member.

use std::collections::HashSet;

use indexmap::IndexMap;
use serde_json::Value;

use super::{Lowered, MAX_DEPTH, Types};
use crate::error::{SpecError, SpecResult};
use crate::ir::TypeRef;
use crate::load::child;

/// An object schema with `allOf` flattened: later members override earlier properties.
#[derive(Debug, Clone, Default)]
pub struct ObjectView<'d> {
    /// Properties by wire name, with the node and its pointer.
    pub properties: IndexMap<String, (&'d Value, String)>,
    /// Required property names.
    pub required: HashSet<String>,
    /// `additionalProperties`, when it is a schema or `true`.
    pub additional: Option<(&'d Value, String)>,
    /// Whether the schema allows `null`.
    pub nullable: bool,
    /// The first description found.
    pub description: Option<String>,
    /// `oneOf`/`anyOf` lists met while merging, each a choice between two or more object
    /// shapes; the object is each of them merged with the shared properties (see
    /// `Types::lower_composed`).
    pub choices: Vec<Choice<'d>>,
}

/// A `oneOf`/`anyOf` found while merging an object: the shapes it may also take.
#[derive(Debug, Clone)]
pub struct Choice<'d> {
    /// The pointer of the `oneOf`/`anyOf` list.
    pub ptr: String,
    /// The `discriminator` next to the list, if any.
    pub discriminator: Option<&'d Value>,
    /// The branches that can be objects, with their index in the list.
    pub branches: Vec<(usize, &'d Value)>,
}

impl<'d> Types<'d> {
    pub(super) fn lower_all_of(
        &mut self,
        node: &'d Value,
        members: &'d Value,
        ptr: &str,
        hint: &str,
        nullable: bool,
    ) -> SpecResult<Lowered> {
        let Some(list) = members.as_array() else {
            return Err(SpecError::new(
                child(ptr, "allOf"),
                "`allOf` must be a list of schemas",
            ));
        };
        let has_own_shape = node.get("properties").is_some()
            || node.get("additionalProperties").is_some()
            || self.choice_of_objects(node, ptr);
        // Members that only add a description, `nullable` or limits do not change the shape: an
        // `allOf` with one shaped member is that member (`allOf: [{$ref: Id}, {description}]`).
        let shaped: Vec<usize> = (0..list.len()).filter(|i| has_shape(&list[*i])).collect();
        let reuse =
            |t: &Self, i: usize| list[i].get("$ref").is_some() || !t.is_object_like(&list[i], ptr);
        if !has_own_shape && shaped.len() == 1 && reuse(self, shaped[0]) {
            let i = shaped[0];
            let l = self.lower(&list[i], &child(&child(ptr, "allOf"), &i.to_string()), hint)?;
            let flagged = list
                .iter()
                .any(|m| m.get("nullable").and_then(Value::as_bool) == Some(true));
            return Ok(Lowered {
                nullable: l.nullable || nullable || flagged,
                ..l
            });
        }
        if list.len() == 1 && !has_own_shape {
            let l = self.lower(&list[0], &child(&child(ptr, "allOf"), "0"), hint)?;
            return Ok(Lowered {
                nullable: l.nullable || nullable,
                ..l
            });
        }
        if list.is_empty() && !has_own_shape {
            return Ok(Lowered {
                ty: TypeRef::Json,
                nullable,
            });
        }
        let view = self.object_view(node, ptr)?;
        self.lower_object(view, ptr, hint)
    }

    /// Whether the node's own `oneOf`/`anyOf` has a branch that can be an object, so that it
    /// composes with the node's `allOf` members.
    fn choice_of_objects(&self, node: &Value, ptr: &str) -> bool {
        ["oneOf", "anyOf"].iter().any(|key| {
            node.get(*key)
                .and_then(Value::as_array)
                .is_some_and(|list| {
                    list.iter().enumerate().any(|(i, b)| {
                        let bptr = child(&child(ptr, key), &i.to_string());
                        self.doc
                            .deref(b, &bptr)
                            .is_ok_and(|(t, _)| has_shape(b) && !is_scalar(t))
                    })
                })
        })
    }

    /// Whether a schema (after `$ref`s) is an object or an `allOf`, which merge as objects.
    fn is_object_like(&self, node: &'d Value, ptr: &str) -> bool {
        match self.doc.deref(node, ptr) {
            Ok((target, _)) => {
                target.get("properties").is_some()
                    || target.get("allOf").is_some()
                    || target.get("type").and_then(Value::as_str) == Some("object")
            }
            Err(_) => false,
        }
    }

    /// Flattens an object schema, following `$ref` and merging `allOf` members in order.
    pub fn object_view(&mut self, node: &'d Value, ptr: &str) -> SpecResult<ObjectView<'d>> {
        let mut view = ObjectView::default();
        self.merge_into(&mut view, node, ptr, 0)?;
        Ok(view)
    }

    pub(super) fn merge_into(
        &mut self,
        view: &mut ObjectView<'d>,
        node: &'d Value,
        ptr: &str,
        depth: usize,
    ) -> SpecResult<()> {
        if depth > MAX_DEPTH {
            return Err(SpecError::new(
                ptr,
                format!("`allOf` nests more than {MAX_DEPTH} levels deep"),
            ));
        }
        let (node, ptr) = self.doc.deref(node, ptr)?;
        if let Some(pos) = self.merging.iter().position(|p| *p == ptr) {
            let mut cycle: Vec<String> = self.merging[pos..].to_vec();
            cycle.push(ptr.clone());
            return Err(SpecError::new(
                &ptr,
                format!(
                    "`allOf` cycle, so no value can ever be built: {}",
                    cycle.join(" -> ")
                ),
            ));
        }
        let Some(obj) = node.as_object() else {
            return Err(SpecError::new(
                &ptr,
                "an `allOf` member must be a schema mapping",
            ));
        };
        self.merging.push(ptr.clone());
        let result = self.merge_object(view, obj, &ptr, depth);
        self.merging.pop();
        result
    }

    fn merge_object(
        &mut self,
        view: &mut ObjectView<'d>,
        obj: &'d serde_json::Map<String, Value>,
        ptr: &str,
        depth: usize,
    ) -> SpecResult<()> {
        let ptr = ptr.to_owned();
        if view.description.is_none() {
            view.description = obj
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        if obj.get("nullable").and_then(Value::as_bool) == Some(true) {
            view.nullable = true;
        }
        if let Some(Value::Array(members)) = obj.get("allOf") {
            for (i, m) in members.iter().enumerate() {
                self.merge_into(
                    view,
                    m,
                    &child(&child(&ptr, "allOf"), &i.to_string()),
                    depth + 1,
                )?;
            }
        }
        // `properties: {$ref: ...}` (a shared map of properties, seen in multi-file specs).
        let properties = match obj.get("properties") {
            Some(p) if p.get("$ref").is_some_and(Value::is_string) => {
                let (target, tptr) = self.doc.deref(p, &child(&ptr, "properties"))?;
                Some((target, tptr))
            }
            Some(p) => Some((p, child(&ptr, "properties"))),
            None => None,
        };
        match properties {
            Some((Value::Object(props), pptr)) => {
                for (name, schema) in props {
                    // A later member replaces an earlier property wholesale (the envelope override).
                    view.properties.shift_remove(name);
                    view.properties
                        .insert(name.clone(), (schema, child(&pptr, name)));
                }
            }
            Some((_, pptr)) => {
                return Err(SpecError::new(pptr, "`properties` must be a mapping"));
            }
            None => {}
        }
        if let Some(Value::Array(req)) = obj.get("required") {
            view.required
                .extend(req.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        match obj.get("additionalProperties") {
            Some(Value::Bool(false)) | None => {}
            Some(other) => view.additional = Some((other, child(&ptr, "additionalProperties"))),
        }
        for key in ["oneOf", "anyOf"] {
            let Some(list) = obj.get(key) else {
                continue;
            };
            let lptr = child(&ptr, key);
            let Some(list) = list.as_array() else {
                return Err(SpecError::new(
                    lptr,
                    format!("`{key}` must be a list of schemas"),
                ));
            };
            let mut branches = Vec::new();
            let mut shaped = false;
            for (i, b) in list.iter().enumerate() {
                let (target, _) = self.doc.deref(b, &child(&lptr, &i.to_string()))?;
                // A branch that cannot be an object cannot be merged with one.
                if !is_scalar(target) {
                    shaped |= has_shape(b);
                    branches.push((i, b));
                }
            }
            match branches.as_slice() {
                // Branches that only add `required` (one of these must be present) constrain
                // values without changing their shape.
                _ if !shaped => {}
                [(i, one)] => {
                    self.merge_into(view, one, &child(&lptr, &i.to_string()), depth + 1)?;
                }
                _ => view.choices.push(Choice {
                    ptr: lptr,
                    discriminator: obj.get("discriminator"),
                    branches,
                }),
            }
        }
        Ok(())
    }
}

/// Whether a schema (already dereferenced) can only be something other than an object.
fn is_scalar(target: &Value) -> bool {
    matches!(
        target.get("type").and_then(Value::as_str),
        Some("string" | "integer" | "number" | "boolean" | "array" | "null")
    ) || target.get("enum").is_some()
        || target.get("const").is_some()
}

/// Whether a schema node says what kind of value it is (rather than only annotating one).
fn has_shape(node: &Value) -> bool {
    [
        "$ref",
        "$recursiveRef",
        "$dynamicRef",
        "type",
        "enum",
        "const",
        "properties",
        "additionalProperties",
        "allOf",
        "oneOf",
        "anyOf",
        "items",
    ]
    .iter()
    .any(|k| node.get(k).is_some())
}
