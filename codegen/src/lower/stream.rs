//! Streamed success responses (issue 18): server-sent events, NDJSON / JSON Lines / JSON
//! sequences and binary bodies, with the item type of each stream and the body flag that asks
//! for the stream.

use serde_json::Value;

use super::operation::media_base;
use super::schema::Types;
use crate::error::SpecResult;
use crate::ir::{Response, StreamKind, Streaming, TypeRef};
use crate::load::{Document, child};

/// Media types read one JSON item per line (or per record).
const LINE_MEDIA: [&str; 4] = [
    "application/x-ndjson",
    "application/jsonl",
    "application/json-seq",
    "application/x-jsonlines",
];

/// The body flag convention: a boolean property of the JSON request body with this name asks
/// for the stream, when the operation answers with JSON or events.
const FLAG: &str = "stream";

/// How the operation's success response can be streamed, if it can: events from a
/// `text/event-stream` media type, lines from an NDJSON-like one, bytes when the response is a
/// binary body. The item schema is OpenAPI 3.2's `itemSchema`, else the media type's `schema`.
pub(super) fn detect<'d>(
    doc: &'d Document,
    types: &mut Types<'d>,
    op: &'d Value,
    op_ptr: &str,
    response: &Response,
    hint: &str,
) -> SpecResult<Option<Streaming>> {
    let rptr = child(op_ptr, "responses");
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        return Ok(None);
    };
    for (key, node) in responses.iter().filter(|(k, _)| k.starts_with('2')) {
        let (resp, resp_ptr) = doc.deref(node, &child(&rptr, key))?;
        let Some(content) = resp.get("content").and_then(Value::as_object) else {
            continue;
        };
        for (media, media_node) in content {
            let base = media_base(media);
            let mptr = child(&child(&resp_ptr, "content"), media);
            let events = base == "text/event-stream";
            let lines = LINE_MEDIA.contains(&base.as_str());
            if !events && !lines {
                continue;
            }
            let item = item_type(types, media_node, &mptr, hint, events)?;
            let kind = if events {
                StreamKind::Events(item)
            } else {
                StreamKind::Lines { item, media: base }
            };
            let flag = body_flag(doc, types, op, op_ptr)?;
            return Ok(Some(Streaming { kind, flag }));
        }
    }
    Ok(matches!(response, Response::Bytes).then_some(Streaming {
        kind: StreamKind::Bytes,
        flag: None,
    }))
}

/// The type of each event's data or each line: `itemSchema`, else `schema` (the items of an
/// array schema for lines), else any JSON value.
fn item_type<'d>(
    types: &mut Types<'d>,
    media: &'d Value,
    mptr: &str,
    hint: &str,
    events: bool,
) -> SpecResult<TypeRef> {
    let (schema, sptr) = if let Some(s) = media.get("itemSchema") {
        (s, child(mptr, "itemSchema"))
    } else if let Some(s) = media.get("schema") {
        let sptr = child(mptr, "schema");
        match s.get("items") {
            Some(items) if !events && s.get("type").and_then(Value::as_str) == Some("array") => {
                (items, child(&sptr, "items"))
            }
            _ => (s, sptr),
        }
    } else {
        return Ok(TypeRef::Json);
    };
    let (what, suffix) = if events {
        ("An event", "Event")
    } else {
        ("An item", "Item")
    };
    let place = types.op_place(&format!("{what} of the stream"));
    let lowered = types.lower_placed(schema, &sptr, &format!("{hint}{suffix}"), place)?;
    Ok(lowered.ty)
}

/// The wire name of the JSON body's boolean `stream` property, when it has one.
fn body_flag<'d>(
    doc: &'d Document,
    types: &mut Types<'d>,
    op: &'d Value,
    op_ptr: &str,
) -> SpecResult<Option<String>> {
    let Some(body) = op.get("requestBody") else {
        return Ok(None);
    };
    let (body, bptr) = doc.deref(body, &child(op_ptr, "requestBody"))?;
    let Some((media, node)) = body
        .get("content")
        .and_then(Value::as_object)
        .and_then(|c| c.iter().find(|(m, _)| media_base(m) == "application/json"))
    else {
        return Ok(None);
    };
    let Some(schema) = node.get("schema") else {
        return Ok(None);
    };
    let sptr = child(&child(&child(&bptr, "content"), media), "schema");
    let view = types.object_view(schema, &sptr)?;
    let Some((prop, pptr)) = view.properties.get(FLAG) else {
        return Ok(None);
    };
    let (prop, _) = doc.deref(prop, pptr)?;
    let is_boolean = |schema: &Value| match schema.get("type") {
        Some(Value::String(t)) => t == "boolean",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "boolean"),
        _ => false,
    };
    // `type: boolean`, or a choice with a boolean branch (`anyOf: [boolean, null]`).
    let boolean = is_boolean(prop)
        || ["anyOf", "oneOf"].iter().any(|k| {
            prop.get(*k)
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.iter().any(is_boolean))
        });
    Ok(boolean.then(|| FLAG.to_owned()))
}
