//! References: `$ref` (nullable by a 3.1 sibling), `$recursiveRef`/`$dynamicRef` to the
//! enclosing component, memoised by target, and references to themselves.

use serde_json::Value;

use super::{Lowered, Types, component_name};
use crate::error::{SpecError, SpecResult};
use crate::ir::TypeRef;
use crate::load::child;
use crate::naming;

impl<'d> Types<'d> {
    pub(super) fn lower_inner(
        &mut self,
        node: &'d Value,
        ptr: &str,
        hint: &str,
    ) -> SpecResult<Lowered> {
        if let Some(r) = node.get("$ref") {
            let Some(r) = r.as_str() else {
                return Err(SpecError::new(
                    child(ptr, "$ref"),
                    "`$ref` must be a string",
                ));
            };
            // OpenAPI 3.1 lets keywords sit beside `$ref`; `nullable` (and `type: [.., null]`)
            // there makes the reference nullable. Descriptions are read by the field's docs.
            let l = self.lower_ref(r, ptr, hint)?;
            let sibling_null = node.get("nullable").and_then(Value::as_bool) == Some(true)
                || node
                    .get("type")
                    .and_then(Value::as_array)
                    .is_some_and(|t| t.iter().any(|v| v == "null"));
            return Ok(Lowered {
                nullable: l.nullable || sibling_null,
                ..l
            });
        }
        if let Some(r) = self.recursive_ref(node, ptr) {
            return self.lower_ref(&r?, ptr, hint);
        }
        self.lower_schema(node, ptr, hint)
    }

    /// The component a JSON Schema 2019-09 `$recursiveRef: "#"` (or 2020-12 `$dynamicRef`)
    /// means in an OpenAPI document: the enclosing component schema, which must declare
    /// `$recursiveAnchor: true` (or a `$dynamicAnchor`). `None` when `node` has neither keyword.
    fn recursive_ref(&self, node: &Value, ptr: &str) -> Option<SpecResult<String>> {
        let key = ["$recursiveRef", "$dynamicRef"]
            .into_iter()
            .find(|k| node.get(*k).is_some())?;
        let rest = ptr.strip_prefix("#/components/schemas/")?;
        let component = format!(
            "#/components/schemas/{}",
            rest.split('/').next().unwrap_or_default()
        );
        let anchored = self.doc.get(&component).is_some_and(|c| {
            c.get("$recursiveAnchor").and_then(Value::as_bool) == Some(true)
                || c.get("$dynamicAnchor").is_some()
        });
        Some(if anchored {
            Ok(component)
        } else {
            Err(SpecError::new(
                child(ptr, key),
                format!(
                    "`{key}` outside a component schema that declares `$recursiveAnchor: true` or `$dynamicAnchor`"
                ),
            ))
        })
    }

    /// The `$ref` of a schema, or the component its `$recursiveRef`/`$dynamicRef` means.
    pub(super) fn reference_of(&self, node: &Value, ptr: &str) -> Option<String> {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => Some(r.to_owned()),
            None => self.recursive_ref(node, ptr).and_then(Result::ok),
        }
    }

    /// Lowers the target of the reference `r` found in the schema at `ptr`.
    fn lower_ref(&mut self, r: &str, ptr: &str, hint: &str) -> SpecResult<Lowered> {
        let (target, tptr) = self.doc.follow(r, &child(ptr, "$ref"))?;
        if let Some(done) = self.memo.get(&self.memo_key(&tptr)) {
            return Ok(done.clone());
        }
        if self.in_progress.contains(&tptr) {
            // A map or list of itself can be built (it may be empty); its values stay JSON.
            let container = target.get("properties").is_none()
                && (target
                    .get("additionalProperties")
                    .is_some_and(Value::is_object)
                    || target.get("items").is_some());
            if container {
                self.warn(
                    ptr,
                    format!("`{r}` is a map or list of itself; its values are kept as JSON"),
                );
                return Ok(Lowered::plain(TypeRef::Json));
            }
            return Err(SpecError::new(
                ptr,
                format!(
                    "`{r}` refers to itself without an object in between, so no value can ever be built"
                ),
            ));
        }
        let hint = match self.reserved.get(&tptr) {
            Some(name) => name.clone(),
            None => component_name(&tptr).map_or_else(|| hint.to_owned(), naming::pascal),
        };
        self.in_progress.insert(tptr.clone());
        let lowered = self.lower(target, &tptr, &hint);
        self.in_progress.remove(&tptr);
        let lowered = lowered?;
        self.memo.insert(self.memo_key(&tptr), lowered.clone());
        Ok(lowered)
    }
}
