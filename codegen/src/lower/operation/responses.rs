//! Responses: the success body (plain JSON, in the API's envelope, a union of several, text,
//! bytes or none), whether it declares a `Link` header, and the typed error bodies.

use serde_json::Value;

use super::OpContext;
use super::media::{is_json, media_base};
use crate::error::SpecResult;
use crate::ir::{ErrorBody, Response, TypeRef};
use crate::load::child;
use crate::lower::conventions::is_envelope;
use crate::lower::schema::{Types, component_name};
use crate::naming;

impl<'d> OpContext<'_, 'd> {
    pub(super) fn response(
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
    pub(super) fn declares_link_header(
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
    pub(super) fn error_bodies(
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

/// The PascalCase name of the component schema a pointer lies inside, if any.
fn owning_component(ptr: &str) -> Option<String> {
    let rest = ptr.strip_prefix("#/components/schemas/")?;
    let name = rest.split('/').next()?;
    component_name(&format!("#/components/schemas/{name}")).map(naming::pascal)
}
