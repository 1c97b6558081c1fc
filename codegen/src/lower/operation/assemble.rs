//! One operation assembled: its responses checked, then its parameters, body, success and
//! error responses, streaming, pagination, permissions and security put into an `Operation`.

use serde_json::Value;

use super::OpContext;
use super::body::BodyOutcome;
use crate::error::{SpecError, SpecResult};
use crate::ir::{Name, Operation};
use crate::load::child;
use crate::lower::schema::Types;
use crate::lower::{pagination, security, stream};

impl<'d> OpContext<'_, 'd> {
    pub(super) fn lower(
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
        let stream = stream::detect(self.doc, types, self.op, self.op_ptr, &response, hint)?;
        let errors = self.error_bodies(types, responses, hint)?;
        let site = pagination::Site {
            root: &self.doc.root,
            op: self.op,
            op_ptr: self.op_ptr,
        };
        let pagination = pagination::lower(
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
            security: security::requirements(
                op.get("security").or_else(|| self.doc.root.get("security")),
            ),
        }))
    }
}
