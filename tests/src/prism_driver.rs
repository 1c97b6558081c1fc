//! A driver program for Prism's mock of any spec, written from the generator's IR: a bounded,
//! deterministic sample of the spec's GET operations without a body, and of its POSTs whose
//! request body has an example, each called through the generated crate with values taken from
//! the spec (examples, enums, defaults, else placeholders by type and format; the body is the
//! spec's example decoded into the body's type). It prints one `RESULT` line per call: whether Prism accepted the request
//! and whether the client decoded the answer. `tests/prism_realworld.rs` runs it.

use codegen::OutputFile;
use codegen::ir::{Api, BodyKind, Method, ParamLocation, SchemeKind, TypeRef};
use codegen::load::Document;
use serde_json::{Value, json};

/// At most this many GET operations are sampled from each spec.
pub const MAX_CALLS: usize = 8;
/// At most this many POST operations with a body example are sampled from each spec.
pub const MAX_POSTS: usize = 3;
/// A sampled path may be the prefix of at most this many paths of the spec, so that the
/// `--path-prefix` selection that generates it stays small.
const MAX_PATHS_PER_PREFIX: usize = 3;

/// The path templates of the sampled GET operations, in spec order: those without a request
/// body whose path is the prefix of few others, evenly spaced over the spec.
pub fn sample_paths(doc: &Document) -> Vec<String> {
    let Some(paths) = doc.get("#/paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let all: Vec<&String> = paths.keys().collect();
    let candidates: Vec<String> = paths
        .iter()
        .filter(|(path, item)| {
            let item = deref(doc, item, &format!("#/paths/{}", escape(path)));
            item.get("get")
                .map(|op| deref(doc, op, "#/paths"))
                .is_some_and(|op| op.get("requestBody").is_none())
                && all.iter().filter(|p| p.starts_with(path.as_str())).count()
                    <= MAX_PATHS_PER_PREFIX
        })
        .map(|(path, _)| path.clone())
        .collect();
    let n = candidates.len().min(MAX_CALLS);
    (0..n)
        .map(|i| candidates[i * candidates.len() / n].clone())
        .collect()
}

/// The path templates of the sampled POST operations, in spec order: those whose JSON or form
/// request body has an example (the media type's `example` or first `examples` entry, else its
/// schema's `example`) and whose path is the prefix of few others, evenly spaced over the spec.
pub fn sample_posts(doc: &Document) -> Vec<String> {
    let Some(paths) = doc.get("#/paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let all: Vec<&String> = paths.keys().collect();
    let candidates: Vec<String> = paths
        .keys()
        .filter(|path| {
            body_example(doc, path).is_some()
                && all.iter().filter(|p| p.starts_with(path.as_str())).count()
                    <= MAX_PATHS_PER_PREFIX
        })
        .cloned()
        .collect();
    let n = candidates.len().min(MAX_POSTS);
    (0..n)
        .map(|i| candidates[i * candidates.len() / n].clone())
        .collect()
}

/// The example of `POST path`'s request body (JSON or form), if the spec gives one.
pub fn body_example(doc: &Document, path: &str) -> Option<Value> {
    let item_ptr = format!("#/paths/{}", escape(path));
    let item = deref(doc, doc.get(&item_ptr)?, &item_ptr);
    let op = deref(doc, item.get("post")?, &item_ptr);
    let body = deref(doc, op.get("requestBody")?, &item_ptr);
    let content = body.get("content")?.as_object()?;
    let media = ["application/json", "application/x-www-form-urlencoded"]
        .iter()
        .find_map(|m| content.get(*m))?;
    let schema = media
        .get("schema")
        .map(|s| deref(doc, s, &item_ptr))
        .unwrap_or(&Value::Null);
    media
        .get("example")
        .cloned()
        .or_else(|| {
            media
                .get("examples")
                .and_then(Value::as_object)
                .and_then(|m| m.values().next())
                .map(|e| deref(doc, e, &item_ptr))
                .and_then(|e| e.get("value"))
                .cloned()
        })
        .or_else(|| schema.get("example").cloned())
        .filter(Value::is_object)
}

/// The driver crate `driver_name` for the generated crate `crate_name` (a sibling directory):
/// one call per sampled GET (`sampled`) and sampled POST (`posts`) of `api`. Returns its files
/// and the operation ids it calls.
pub fn driver(
    doc: &Document,
    api: &Api,
    sampled: &[String],
    posts: &[String],
    crate_name: &str,
    driver_name: &str,
) -> (Vec<OutputFile>, Vec<String>) {
    let lib = crate_name.replace('-', "_");
    let mut calls = String::new();
    let mut ids = Vec::new();
    for (index, resource) in api.resources.iter().enumerate() {
        for op in &resource.operations {
            let get = op.method == Method::Get && op.body.is_none() && sampled.contains(&op.path);
            let post_body = (op.method == Method::Post && posts.contains(&op.path))
                .then_some(op.body.as_ref())
                .flatten()
                .filter(|b| b.required && matches!(b.kind, BodyKind::Json | BodyKind::Form))
                .zip(body_example(doc, &op.path));
            if !get && post_body.is_none() {
                continue;
            }
            let verb = if get { "get" } else { "post" };
            let mut args: Vec<String> = op
                .params
                .iter()
                .filter(|p| p.required)
                .map(|p| {
                    let value = param_value(doc, &op.path, verb, &p.wire_name, p.location);
                    rust_value(&lib, &p.ty, &value)
                })
                .collect();
            let call = |args: &[String]| {
                format!(
                    "client.{chain}.{method}({args}).await.map(|_| ())",
                    chain = api.chain(index),
                    method = codegen::naming::bare(&op.method_name),
                    args = args.join(", "),
                )
            };
            let id = &op.operation_id;
            match post_body {
                None => calls.push_str(&format!("    report({id:?}, {});\n", call(&args))),
                Some((body, example)) => {
                    // The spec's example, decoded into the body's type: one that does not fit
                    // is reported as a failure of its own, not sent.
                    args.push("body".to_owned());
                    calls.push_str(&format!(
                        "    match ::serde_json::from_value::<{ty}>(::serde_json::json!({example})) {{\n\
                         \x20       Ok(body) => report({id:?}, {call}),\n\
                         \x20       Err(e) => println!(\"RESULT\\t{{}}\\t0\\t0\\tthe spec's example is not a valid body: {{e}}\", {id:?}),\n\
                         \x20   }}\n",
                        ty = rust_type(&lib, &body.ty),
                        call = call(&args),
                    ));
                }
            }
            ids.push(op.operation_id.clone());
        }
    }
    let mut credentials = String::from("Credentials::new(\"prism\")");
    for scheme in &api.security_schemes {
        if scheme.kind == SchemeKind::Basic {
            credentials.push_str(&format!(".basic({:?}, \"user\", \"password\")", scheme.key));
        } else {
            credentials.push_str(&format!(".secret({:?}, \"prism-token\")", scheme.key));
        }
    }
    let main = format!(
        "//! Calls the sampled operations of `{crate_name}` against the base URL in argv[1].\n\
         #![allow(unused_imports, clippy::all)]\n\
         use {lib}::{{Client, Credentials, Error}};\n\
         \n\
         /// Prints `RESULT <op> <accepted> <decoded> <detail>`: accepted unless the answer is a\n\
         /// status error (Prism's refusal: its violations when it lists them).\n\
         fn report(op: &str, result: Result<(), Error>) {{\n\
         \x20   let (accepted, decoded, detail) = match &result {{\n\
         \x20       Ok(()) => (true, true, String::new()),\n\
         \x20       Err(error) => {{\n\
         \x20           let violations = error.api_error().and_then(|a| a.headers().get(\"sl-violations\")).and_then(|v| v.to_str().ok()).map(str::to_owned);\n\
         \x20           let refused = error.status().is_some_and(|s| !s.is_success());\n\
         \x20           (!refused, false, violations.unwrap_or_else(|| error.to_string()))\n\
         \x20       }}\n\
         \x20   }};\n\
         \x20   println!(\"RESULT\\t{{op}}\\t{{}}\\t{{}}\\t{{}}\", u8::from(accepted), u8::from(decoded), detail.replace(['\\t', '\\n'], \" \"));\n\
         }}\n\
         \n\
         #[tokio::main(flavor = \"current_thread\")]\n\
         async fn main() {{\n\
         \x20   let base_url = std::env::args().nth(1).expect(\"the base URL\");\n\
         \x20   let client: Client = Client::builder()\n\
         \x20       .base_url(base_url)\n\
         \x20       .credentials({credentials})\n\
         \x20       .max_retries(0)\n\
         \x20       .build()\n\
         \x20       .expect(\"client\");\n\
         {calls}}}\n"
    );
    let manifest = format!(
        "[package]\nname = {driver_name:?}\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{crate_name} = {{ path = \"../{crate_name}\" }}\n\
         serde_json = \"1\"\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n"
    );
    let files = vec![
        OutputFile {
            path: "Cargo.toml".to_owned(),
            contents: manifest,
            emitted: true,
        },
        OutputFile {
            path: "src/main.rs".to_owned(),
            contents: main,
            emitted: true,
        },
    ];
    (files, ids)
}

/// A value for the parameter `name` in `location` of `<verb> path`: its example, first example,
/// its schema's example, first enum value or default, else a placeholder by type and format.
fn param_value(
    doc: &Document,
    path: &str,
    verb: &str,
    name: &str,
    location: ParamLocation,
) -> Value {
    let item_ptr = format!("#/paths/{}", escape(path));
    let Some(item) = doc.get(&item_ptr) else {
        return json!("x");
    };
    let item = deref(doc, item, &item_ptr);
    let wanted = match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    let lists = [
        item.get("parameters"),
        item.get(verb)
            .map(|op| deref(doc, op, &item_ptr))
            .and_then(|op| op.get("parameters")),
    ];
    let param = lists
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| deref(doc, p, &item_ptr))
        // The operation's own parameter overrides the path item's: the last one wins.
        .rfind(|p| {
            p.get("name").and_then(Value::as_str) == Some(name)
                && p.get("in").and_then(Value::as_str) == Some(wanted)
        });
    let Some(param) = param else {
        return json!("x");
    };
    let schema = param
        .get("schema")
        .map(|s| deref(doc, s, &item_ptr))
        .unwrap_or(&Value::Null);
    let first_example = |v: Option<&Value>| {
        v.and_then(Value::as_object)
            .and_then(|m| m.values().next())
            .map(|e| deref(doc, e, &item_ptr))
            .and_then(|e| e.get("value"))
            .cloned()
    };
    param
        .get("example")
        .cloned()
        .or_else(|| first_example(param.get("examples")))
        .or_else(|| schema.get("example").cloned())
        .or_else(|| {
            schema
                .get("examples")
                .and_then(Value::as_array)
                .and_then(|a| a.first().cloned())
        })
        .or_else(|| {
            schema
                .get("enum")
                .and_then(Value::as_array)
                .and_then(|a| a.first().cloned())
        })
        .or_else(|| schema.get("default").cloned())
        .unwrap_or_else(|| placeholder(schema))
}

/// A value of the schema's type and format.
fn placeholder(schema: &Value) -> Value {
    let kind = schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("string");
    match kind {
        "integer" | "number" => json!(schema.get("minimum").cloned().unwrap_or(json!(1))),
        "boolean" => json!(true),
        "array" => json!([placeholder(schema.get("items").unwrap_or(&Value::Null))]),
        _ => match schema.get("format").and_then(Value::as_str) {
            Some("uuid") => json!("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
            Some("date-time") => json!("2024-01-01T00:00:00Z"),
            Some("date") => json!("2024-01-01"),
            Some("email") => json!("user@example.com"),
            Some("uri" | "url") => json!("https://example.com"),
            _ if schema.get("pattern").is_some() => schema
                .get("pattern")
                .and_then(Value::as_str)
                .and_then(from_pattern)
                .map_or_else(|| json!("x"), Value::from),
            _ => {
                let len = schema.get("minLength").and_then(Value::as_u64).unwrap_or(1);
                json!("x".repeat(usize::try_from(len.max(1)).unwrap_or(1)))
            }
        },
    }
}

/// A string matching a simple regular expression: literals, `[...]` classes, `\d`, `\w`, and
/// `{n}`, `{n,m}`, `+`, `*`, `?` after them, anchored by `^`/`$`. `None` for anything else.
fn from_pattern(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern
        .trim_start_matches('^')
        .trim_end_matches('$')
        .chars()
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        // One atom: the character it contributes.
        let atom = match chars[i] {
            '[' => {
                let end = i + chars[i..].iter().position(|&c| c == ']')?;
                let first = *chars.get(i + 1).filter(|&&c| c != '^' && c != '\\')?;
                i = end + 1;
                first
            }
            '\\' => {
                let c = match chars.get(i + 1)? {
                    'd' => '0',
                    'w' => 'a',
                    c if c.is_ascii_punctuation() => *c,
                    _ => return None,
                };
                i += 2;
                c
            }
            '(' | ')' | '|' | '.' | '{' | '+' | '*' | '?' => return None,
            c => {
                i += 1;
                c
            }
        };
        // Its repetition.
        let count = match chars.get(i) {
            Some('{') => {
                let end = i + chars[i..].iter().position(|&c| c == '}')?;
                let inner: String = chars[i + 1..end].iter().collect();
                i = end + 1;
                inner.split(',').next()?.trim().parse::<usize>().ok()?
            }
            Some('+') => {
                i += 1;
                1
            }
            Some('*' | '?') => {
                i += 1;
                0
            }
            _ => 1,
        };
        out.extend(std::iter::repeat_n(atom, count));
    }
    Some(out)
}

/// The value as a Rust argument of type `ty`: a string literal for a string, else the value
/// decoded from JSON into the type (numbers, booleans, enums, lists).
fn rust_value(lib: &str, ty: &TypeRef, value: &Value) -> String {
    if *ty == TypeRef::String {
        let text = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
        return format!("{text:?}");
    }
    format!(
        "::serde_json::from_value::<{}>(::serde_json::json!({value})).expect(\"a value of the parameter's type\")",
        rust_type(lib, ty)
    )
}

/// The Rust type of a type reference, as the generated crate `lib` names it.
fn rust_type(lib: &str, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer(32) => "i32".to_owned(),
        TypeRef::Integer(_) => "i64".to_owned(),
        TypeRef::Number => "f64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::Json => "::serde_json::Value".to_owned(),
        TypeRef::Bytes => "Vec<u8>".to_owned(),
        TypeRef::MultipartForm => format!("{lib}::runtime::Multipart"),
        TypeRef::Named(name) => format!("{lib}::types::{name}"),
        TypeRef::Array(inner) => format!("Vec<{}>", rust_type(lib, inner)),
        TypeRef::Map(inner) => format!(
            "::std::collections::BTreeMap<String, {}>",
            rust_type(lib, inner)
        ),
        TypeRef::Nullable(inner) => format!("Option<{}>", rust_type(lib, inner)),
        TypeRef::Boxed(inner) => format!("Box<{}>", rust_type(lib, inner)),
    }
}

/// The value behind a `$ref` (followed repeatedly), or the value itself.
fn deref<'a>(doc: &'a Document, value: &'a Value, at: &str) -> &'a Value {
    doc.deref(value, at).map_or(value, |(v, _)| v)
}

/// A path template as a JSON pointer segment.
fn escape(path: &str) -> String {
    path.replace('~', "~0").replace('/', "~1")
}
