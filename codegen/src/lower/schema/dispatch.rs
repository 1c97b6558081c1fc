//! Lowering a schema by its keywords: the entry points and depth limit, then `allOf`, unions,
//! enums and objects handed to their modules, and scalars, `type` lists and arrays lowered here.

use serde_json::Value;

use super::docs::lower_first;
use super::{Lowered, MAX_DEPTH, Types};
use crate::error::{SpecError, SpecResult};
use crate::ir::TypeRef;
use crate::load::child;

impl<'d> Types<'d> {
    /// Lowers a form body: `format: binary` strings become bytes (file parts).
    pub fn lower_binary_as_bytes(
        &mut self,
        node: &'d Value,
        ptr: &str,
        hint: &str,
        place: Option<String>,
    ) -> SpecResult<Lowered> {
        self.binary_as_bytes = true;
        let result = self.lower_placed(node, ptr, hint, place);
        self.binary_as_bytes = false;
        result
    }

    /// Lowers `node` like [`Types::lower`]; a type made for it without a description of its
    /// own is documented by `place` (where it sits: its parent, its property, its operation).
    pub fn lower_placed(
        &mut self,
        node: &'d Value,
        ptr: &str,
        hint: &str,
        place: Option<String>,
    ) -> SpecResult<Lowered> {
        let saved = std::mem::replace(&mut self.place, place.map(|p| (self.depth + 1, p)));
        let result = self.lower(node, ptr, hint);
        self.place = saved;
        result
    }

    /// Lowers the schema `node` found at `ptr`; `hint` names any type it must create.
    pub fn lower(&mut self, node: &'d Value, ptr: &str, hint: &str) -> SpecResult<Lowered> {
        self.depth += 1;
        let result = if self.depth > MAX_DEPTH {
            Err(SpecError::new(
                ptr,
                format!("schemas nest more than {MAX_DEPTH} levels deep"),
            ))
        } else {
            self.lower_inner(node, ptr, hint)
        };
        self.depth -= 1;
        result
    }

    /// Lowers a schema that is not a reference.
    pub(super) fn lower_schema(
        &mut self,
        node: &'d Value,
        ptr: &str,
        hint: &str,
    ) -> SpecResult<Lowered> {
        let Some(obj) = node.as_object() else {
            return match node {
                Value::Bool(true) => Ok(Lowered::plain(TypeRef::Json)),
                _ => Err(SpecError::new(
                    ptr,
                    "a schema must be a mapping (or `true`)",
                )),
            };
        };
        if let Some(done) = self.memo.get(&self.memo_key(ptr)) {
            return Ok(done.clone());
        }
        let nullable_flag = obj
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        self.check_defects(obj, ptr);

        if let Some(members) = obj.get("allOf") {
            return self.lower_all_of(node, members, ptr, hint, nullable_flag);
        }
        // Properties next to a `oneOf`/`anyOf` are shared by every branch: an object whose
        // choices are merged with them, like an `allOf` member's.
        let has_properties =
            obj.contains_key("properties") || obj.contains_key("additionalProperties");
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = obj.get(key) {
                if has_properties {
                    let mut view = self.object_view(node, ptr)?;
                    view.nullable |= nullable_flag;
                    return self.lower_object(view, ptr, hint);
                }
                return self.lower_union(node, key, branches, ptr, hint, nullable_flag);
            }
        }
        let values = match (obj.get("enum"), obj.get("const")) {
            (Some(Value::Array(values)), _) => Some(values.iter().collect::<Vec<_>>()),
            (Some(_), _) => {
                return Err(SpecError::new(child(ptr, "enum"), "`enum` must be a list"));
            }
            (None, Some(c)) => Some(vec![c]),
            (None, None) => None,
        };
        if let Some(values) = values {
            return self.lower_enum(&values, ptr, hint, nullable_flag);
        }

        let (ty_name, type_nullable) = self.type_name(obj.get("type"), ptr)?;
        let nullable = nullable_flag || type_nullable;
        let lowered = match ty_name.as_deref() {
            Some("string")
                if self.binary_as_bytes
                    && obj.get("format").and_then(Value::as_str) == Some("binary") =>
            {
                Lowered::plain(TypeRef::Bytes)
            }
            Some("string") => Lowered::plain(TypeRef::String),
            Some("integer") => {
                let width = if obj.get("format").and_then(Value::as_str) == Some("int32") {
                    32
                } else {
                    64
                };
                Lowered::plain(TypeRef::Integer(width))
            }
            Some("number") => Lowered::plain(TypeRef::Number),
            Some("boolean") => Lowered::plain(TypeRef::Boolean),
            Some("null") => Lowered {
                ty: TypeRef::Json,
                nullable: true,
            },
            Some("array") => {
                // A 3.1 tuple (`prefixItems`, with `items: false` or a schema for the rest)
                // mixes item types: its items stay JSON values.
                let item = match obj.get("items") {
                    _ if obj.contains_key("prefixItems") => TypeRef::Json,
                    Some(items) => {
                        let place = self
                            .place_here()
                            .map(|p| format!("An item of {}", lower_first(p)));
                        let l = self.lower_placed(
                            items,
                            &child(ptr, "items"),
                            &format!("{hint}Item"),
                            place,
                        )?;
                        if l.nullable {
                            TypeRef::Nullable(Box::new(l.ty))
                        } else {
                            l.ty
                        }
                    }
                    None => TypeRef::Json,
                };
                Lowered::plain(TypeRef::Array(Box::new(item)))
            }
            Some("object") | None
                if obj.contains_key("properties") || obj.contains_key("additionalProperties") =>
            {
                let mut view = self.object_view(node, ptr)?;
                // 3.1's `type: [object, "null"]` is known before the fields, so that a recursive
                // reference inside them sees the type as nullable too.
                view.nullable |= nullable;
                self.lower_object(view, ptr, hint)?
            }
            Some("object") => Lowered::plain(TypeRef::Map(Box::new(TypeRef::Json))),
            Some(other) => {
                self.warn(
                    ptr,
                    format!("unknown schema type `{other}`; using a JSON value"),
                );
                Lowered::plain(TypeRef::Json)
            }
            None => Lowered::plain(TypeRef::Json),
        };
        let lowered = Lowered {
            nullable: lowered.nullable || nullable,
            ..lowered
        };
        Ok(lowered)
    }

    /// Reads `type`, which in OpenAPI 3.1 may be a list including `"null"`.
    fn type_name(&mut self, ty: Option<&Value>, ptr: &str) -> SpecResult<(Option<String>, bool)> {
        match ty {
            None => Ok((None, false)),
            Some(Value::String(s)) => Ok((Some(s.clone()), false)),
            Some(Value::Array(list)) => {
                let names: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
                let nullable = names.contains(&"null");
                let rest: Vec<&str> = names.into_iter().filter(|n| *n != "null").collect();
                match rest.as_slice() {
                    [] => Ok((Some("null".to_owned()), true)),
                    [one] => Ok((Some((*one).to_owned()), nullable)),
                    _ => {
                        self.warn(
                            ptr,
                            format!(
                                "a value of several types ({}); using a JSON value",
                                rest.join(", ")
                            ),
                        );
                        Ok((None, nullable))
                    }
                }
            }
            Some(_) => Err(SpecError::new(
                child(ptr, "type"),
                "`type` must be a string or a list of strings",
            )),
        }
    }
}
