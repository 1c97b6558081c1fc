//! The API's response conventions, decided once for the whole API: the envelope responses are
//! wrapped in (declared by `x-rust-envelope`, else detected), where an error body holds its
//! message (`x-rust-error-message`, else found in the error schemas), and which operation
//! extension lists the permissions an operation needs (`x-rust-permissions`).

use indexmap::IndexMap;
use serde_json::Value;

use super::schema::Types;
use crate::error::{SpecError, SpecResult};
use crate::ir::Envelope;
use crate::load::{Document, child};

/// What lowering knows about the API's responses before it lowers any operation.
#[derive(Debug, Clone, Default)]
pub struct Conventions {
    /// The envelope, when the API has one.
    pub envelope: Option<Envelope>,
    /// Where an error body holds its message; empty when unknown.
    pub error_message: Vec<String>,
    /// The operation extension that lists required permissions (`x-rust-permissions`).
    pub permissions: Option<String>,
}

/// The field names of the usual envelope, `{success, errors, messages, result, result_info}`,
/// which detection assumes.
fn usual_envelope() -> Envelope {
    Envelope {
        result: "result".to_owned(),
        success: Some("success".to_owned()),
        errors: Some("errors".to_owned()),
        messages: Some("messages".to_owned()),
        result_info: Some("result_info".to_owned()),
    }
}

/// Reads the declarations and detects what is not declared.
pub fn read<'d>(doc: &'d Document, types: &mut Types<'d>) -> SpecResult<Conventions> {
    let envelope = match doc.root.get("x-rust-envelope") {
        Some(value) => declared_envelope(value)?,
        None => detect_envelope(doc, types),
    };
    let error_message = match doc.root.get("x-rust-error-message") {
        Some(value) => declared_message(value)?,
        None => detect_message(doc, types, envelope.as_ref()),
    };
    let permissions = match doc
        .root
        .get("info")
        .and_then(|i| i.get("x-rust-permissions"))
    {
        None => None,
        Some(Value::String(name)) if name.starts_with("x-") && name.len() > 2 => Some(name.clone()),
        Some(_) => {
            return Err(SpecError::new(
                "#/info/x-rust-permissions",
                "expected the name of an operation extension, such as `x-permissions`",
            ));
        }
    };
    Ok(Conventions {
        envelope,
        error_message,
        permissions,
    })
}

/// Whether an object with these properties is in the envelope: it has the result or errors
/// field, and the success field when the envelope names one. Success and error bodies are
/// judged by this one rule.
pub fn is_envelope(envelope: &Envelope, has: impl Fn(&str) -> bool) -> bool {
    let payload = has(&envelope.result) || envelope.errors.as_deref().is_some_and(&has);
    payload && envelope.success.as_deref().is_none_or(&has)
}

/// `x-rust-envelope: false`, or a mapping of the envelope's roles to field names.
fn declared_envelope(value: &Value) -> SpecResult<Option<Envelope>> {
    const PTR: &str = "#/x-rust-envelope";
    const ROLES: [&str; 5] = ["result", "success", "errors", "messages", "result_info"];
    let map = match value {
        Value::Bool(false) => return Ok(None),
        Value::Object(map) => map,
        _ => {
            return Err(SpecError::new(
                PTR,
                "expected `false` (no envelope) or a mapping such as \
                 `{result: data, success: ok, errors: errors}`",
            ));
        }
    };
    let mut fields: IndexMap<&str, String> = IndexMap::new();
    for (role, name) in map {
        let at = child(PTR, role);
        if !ROLES.contains(&role.as_str()) {
            return Err(SpecError::new(
                at,
                format!("unknown envelope field `{role}`; expected one of {ROLES:?}"),
            ));
        }
        let name = name
            .as_str()
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| SpecError::new(&at, "expected the field's name, a non-empty string"))?;
        fields.insert(role.as_str(), name.to_owned());
    }
    let Some(result) = fields.shift_remove("result") else {
        return Err(SpecError::new(
            PTR,
            "an envelope needs `result`: the field that holds the payload",
        ));
    };
    Ok(Some(Envelope {
        result,
        success: fields.shift_remove("success"),
        errors: fields.shift_remove("errors"),
        messages: fields.shift_remove("messages"),
        result_info: fields.shift_remove("result_info"),
    }))
}

/// The usual envelope when any success body of the API has its `success` and `result` fields.
fn detect_envelope<'d>(doc: &'d Document, types: &mut Types<'d>) -> Option<Envelope> {
    let usual = usual_envelope();
    let found = json_bodies(doc, |key| key.starts_with('2'))
        .into_iter()
        .any(|(schema, ptr)| {
            // A broken schema is reported where the operation is lowered, in spec order.
            types.object_view(schema, &ptr).is_ok_and(|view| {
                let has = |name: &str| view.properties.contains_key(name);
                has("success") && has("result")
            })
        });
    found.then_some(usual)
}

/// `x-rust-error-message: error.message` (a dotted path), or `false`.
fn declared_message(value: &Value) -> SpecResult<Vec<String>> {
    const PTR: &str = "#/x-rust-error-message";
    match value {
        Value::Bool(false) => Ok(Vec::new()),
        Value::String(path) if path.split('.').all(|p| !p.trim().is_empty()) => {
            Ok(path.split('.').map(str::to_owned).collect())
        }
        _ => Err(SpecError::new(
            PTR,
            "expected the message's field path, such as `message` or `error.message`, or `false`",
        )),
    }
}

/// The names a message field goes by, most telling first.
const MESSAGE_FIELDS: [&str; 7] = [
    "message",
    "detail",
    "error_description",
    "error_message",
    "title",
    "description",
    "error",
];

/// The objects an error body nests its message in.
const MESSAGE_HOLDERS: [&str; 1] = ["error"];

/// The message path most error bodies of the API share (the first found on a tie), from the
/// JSON schemas of the `4xx`, `5xx` and `default` responses. Bodies in the envelope are left
/// out: the envelope's errors carry their messages.
fn detect_message<'d>(
    doc: &'d Document,
    types: &mut Types<'d>,
    envelope: Option<&Envelope>,
) -> Vec<String> {
    let mut counts: IndexMap<Vec<String>, usize> = IndexMap::new();
    let is_error = |key: &str| key == "default" || key.starts_with('4') || key.starts_with('5');
    for (schema, ptr) in json_bodies(doc, is_error) {
        let Ok(view) = types.object_view(schema, &ptr) else {
            continue;
        };
        let in_envelope = envelope
            .is_some_and(|e| is_envelope(e, |name: &str| view.properties.contains_key(name)));
        if in_envelope {
            continue;
        }
        let mut path = message_field(doc, &view.properties).map(|f| vec![f]);
        for holder in MESSAGE_HOLDERS {
            if path.is_some() {
                break;
            }
            let Some((node, nptr)) = view.properties.get(holder) else {
                continue;
            };
            if let Ok(inner) = types.object_view(node, nptr) {
                path = message_field(doc, &inner.properties).map(|f| vec![holder.to_owned(), f]);
            }
        }
        if let Some(path) = path {
            *counts.entry(path).or_default() += 1;
        }
    }
    let best = counts.values().copied().max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, n)| *n == best && best > 0)
        .map(|(path, _)| path)
        .unwrap_or_default()
}

/// The first property of [`MESSAGE_FIELDS`] that is a string.
fn message_field(
    doc: &Document,
    properties: &IndexMap<String, (&Value, String)>,
) -> Option<String> {
    MESSAGE_FIELDS.iter().find_map(|name| {
        let (node, ptr) = properties.get(*name)?;
        let (target, _) = doc.deref(node, ptr).ok()?;
        let is_string = match target.get("type") {
            Some(Value::String(t)) => t == "string",
            Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
            _ => false,
        };
        is_string.then(|| (*name).to_owned())
    })
}

/// The JSON schemas of the responses whose keys `wanted` accepts, over every operation in spec
/// order, with their pointers.
fn json_bodies(doc: &Document, wanted: impl Fn(&str) -> bool) -> Vec<(&Value, String)> {
    let mut out = Vec::new();
    let Some(paths) = doc.root.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Ok((item, item_ptr)) = doc.deref(item, &child("#/paths", path)) else {
            continue;
        };
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let Ok((op, op_ptr)) = doc.deref(op, &child(&item_ptr, method)) else {
                continue;
            };
            let rptr = child(&op_ptr, "responses");
            let Some(responses) = op.get("responses").and_then(Value::as_object) else {
                continue;
            };
            for (key, node) in responses.iter().filter(|(k, _)| wanted(k)) {
                let Ok((response, resp_ptr)) = doc.deref(node, &child(&rptr, key)) else {
                    continue;
                };
                let Some(content) = response.get("content").and_then(Value::as_object) else {
                    continue;
                };
                for (media, media_node) in content {
                    let base = media.split(';').next().unwrap_or_default().trim();
                    let json = base.eq_ignore_ascii_case("application/json")
                        || base.to_ascii_lowercase().ends_with("+json");
                    if let (true, Some(schema)) = (json, media_node.get("schema")) {
                        let sptr = child(&child(&child(&resp_ptr, "content"), media), "schema");
                        out.push((schema, sptr));
                        break;
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(success: bool) -> Envelope {
        Envelope {
            result: "data".into(),
            success: success.then(|| "ok".into()),
            errors: Some("problems".into()),
            messages: None,
            result_info: None,
        }
    }

    #[test]
    fn one_rule_for_success_and_error_bodies() {
        let has = |names: &'static [&'static str]| move |n: &str| names.contains(&n);
        assert!(is_envelope(&envelope(true), has(&["ok", "data"])));
        assert!(is_envelope(&envelope(true), has(&["ok", "problems"])));
        assert!(!is_envelope(&envelope(true), has(&["data"])));
        assert!(!is_envelope(&envelope(true), has(&["ok", "message"])));
        assert!(is_envelope(&envelope(false), has(&["data"])));
    }

    #[test]
    fn declarations_are_checked() {
        let bad = |v: Value| declared_envelope(&v).unwrap_err().location.pointer;
        assert_eq!(declared_envelope(&Value::Bool(false)).unwrap(), None);
        assert_eq!(bad(serde_json::json!(true)), "#/x-rust-envelope");
        assert_eq!(
            bad(serde_json::json!({"result": "r", "sucess": "s"})),
            "#/x-rust-envelope/sucess"
        );
        assert_eq!(
            bad(serde_json::json!({"result": ""})),
            "#/x-rust-envelope/result"
        );
        assert_eq!(
            bad(serde_json::json!({"success": "ok"})),
            "#/x-rust-envelope"
        );
        let declared = declared_envelope(&serde_json::json!({"result": "data", "success": "ok"}))
            .unwrap()
            .unwrap();
        assert_eq!(declared.result, "data");
        assert_eq!(declared.success.as_deref(), Some("ok"));
        assert_eq!(declared.errors, None);
        assert_eq!(
            declared_message(&serde_json::json!("error.message")).unwrap(),
            ["error", "message"]
        );
        assert!(declared_message(&serde_json::json!("error..message")).is_err());
        assert!(
            declared_message(&serde_json::json!(false))
                .unwrap()
                .is_empty()
        );
    }
}
