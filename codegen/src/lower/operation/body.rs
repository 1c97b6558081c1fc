//! Request bodies: the media type picked (JSON, multipart, URL-encoded form, NDJSON, bytes),
//! its type lowered, and a form's non-default field encodings.

use serde_json::Value;

use super::OpContext;
use super::media::{is_json, media_base};
use crate::error::{SpecError, SpecResult};
use crate::ir::{Body, BodyKind, FormField, FormStyle, TypeRef};
use crate::load::child;
use crate::lower::schema::{Types, description};

impl<'d> OpContext<'_, 'd> {
    pub(super) fn body(&self, types: &mut Types<'d>, hint: &str) -> SpecResult<BodyOutcome> {
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
}

pub(super) enum BodyOutcome {
    Body(Option<Body>),
    Unsupported(String),
}

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
