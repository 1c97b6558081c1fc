//! The streaming calls of one generated crate, measured from the IR: which operations got
//! `.stream()` (server-sent events or NDJSON-like lines) or `.bytes_stream()`, and the call a
//! user types for each (`POST /chat/completions -> client.chat().completions().create(body).stream()`).

use codegen::ir::{Api, StreamKind, TypeRef};

/// The streaming calls of one generated crate.
#[derive(Debug, Clone, Default)]
pub struct Streams {
    /// Operations whose builder has `.stream()` of server-sent events.
    pub events: usize,
    /// Operations whose builder has `.stream()` of NDJSON, JSON Lines or JSON sequence items.
    pub lines: usize,
    /// Operations whose builder has `.bytes_stream()`.
    pub bytes: usize,
    /// Operations whose `.stream()` sets a body flag first (`"stream": true`).
    pub flagged: usize,
    /// Every streaming call in spec order:
    /// `METHOD /path -> call.stream()  (events of Type; sets `stream`)`.
    pub calls: Vec<String>,
}

impl Streams {
    /// The table header matching [`Streams::line`].
    pub const HEADER: &'static str = "| Spec | `.stream()` of events | `.stream()` of lines | `.bytes_stream()` | sets a body flag |\n|---|---|---|---|---|";

    /// The streaming calls of `api`.
    pub fn of(api: &Api) -> Self {
        let mut out = Self::default();
        for (i, r) in api.resources.iter().enumerate() {
            let chain = api.chain(i);
            for op in &r.operations {
                let Some(stream) = &op.stream else {
                    continue;
                };
                let (method, what) = match &stream.kind {
                    StreamKind::Events(item) => {
                        out.events += 1;
                        ("stream", format!("events of {}", type_name(item)))
                    }
                    StreamKind::Lines { item, media } => {
                        out.lines += 1;
                        ("stream", format!("{media} items of {}", type_name(item)))
                    }
                    StreamKind::Bytes => {
                        out.bytes += 1;
                        ("bytes_stream", "bytes".to_owned())
                    }
                };
                let flag = match &stream.flag {
                    Some(f) => {
                        out.flagged += 1;
                        format!("; sets `{f}: true`")
                    }
                    None => String::new(),
                };
                let call = crate::calls::call(&chain, op);
                out.calls.push(format!("{call}.{method}()  ({what}{flag})"));
            }
        }
        out
    }

    /// One Markdown table row.
    pub fn line(&self, spec: &str) -> String {
        format!(
            "| {spec} | {} | {} | {} | {} |",
            self.events, self.lines, self.bytes, self.flagged
        )
    }
}

/// A type as a user reads it: `CreateChatCompletionStreamResponse`, `Vec<String>`.
fn type_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer(bits) => format!("i{bits}"),
        TypeRef::Number => "f64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Named(name) => name.to_string(),
        TypeRef::Array(inner) => format!("Vec<{}>", type_name(inner)),
        TypeRef::Map(inner) => format!("Map<String, {}>", type_name(inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", type_name(inner)),
        TypeRef::Boxed(inner) => type_name(inner),
        TypeRef::Bytes => "Vec<u8>".to_owned(),
        TypeRef::MultipartForm => "Multipart".to_owned(),
    }
}
