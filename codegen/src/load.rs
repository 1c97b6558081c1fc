//! Loading: YAML or JSON text -> one JSON document, and `$ref` resolution. The only spec I/O.
//!
//! YAML is a superset of JSON, so one parser (`serde_norway`) reads both forms. The document is
//! converted to `serde_json::Value` with keys kept in file order, so every later stage is
//! deterministic and can address any node by JSON pointer.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{Error, SpecError, SpecResult};

/// A loaded OpenAPI document and the name of the file it came from.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name used in diagnostics.
    pub file: String,
    /// The whole document.
    pub root: Value,
    /// The source text, for finding the line of a JSON pointer in diagnostics.
    pub text: String,
}

/// Reads and parses a spec file.
pub fn load_file(path: &Path) -> Result<Document, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    parse(&file, &text)
}

/// Parses spec text (YAML or JSON) and checks that it is an OpenAPI 3 document.
pub fn parse(file: &str, text: &str) -> Result<Document, Error> {
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|e| Error::Parse {
        file: file.to_owned(),
        line: e.location().map(|l| l.line()),
        message: e.to_string(),
    })?;
    let root = to_json(yaml);
    let doc = Document {
        file: file.to_owned(),
        root,
        text: text.to_owned(),
    };
    doc.check_version().map_err(|mut e| {
        e.location.line = doc.line_of(&e.location.pointer);
        e.in_file(file)
    })?;
    Ok(doc)
}

impl Document {
    fn check_version(&self) -> SpecResult<()> {
        let Some(obj) = self.root.as_object() else {
            return Err(SpecError::new(
                "#",
                "the document must be a mapping with `openapi`, `info` and `paths`",
            ));
        };
        if let Some(v) = obj.get("swagger") {
            return Err(SpecError::new(
                "#/swagger",
                format!(
                    "Swagger {} is not supported; convert it to OpenAPI 3.0 or 3.1 first",
                    scalar_text(v)
                ),
            ));
        }
        match obj.get("openapi") {
            Some(Value::String(v)) if v.starts_with("3.0") || v.starts_with("3.1") => Ok(()),
            Some(v) => Err(SpecError::new(
                "#/openapi",
                format!(
                    "unsupported OpenAPI version {}; expected 3.0.x or 3.1.x",
                    scalar_text(v)
                ),
            )),
            None => Err(SpecError::new(
                "#",
                "missing `openapi` version field; expected an OpenAPI 3.0 or 3.1 document",
            )),
        }
    }

    /// The 1-based line where the node at `pointer` starts, found by walking the text's
    /// indentation (block YAML or pretty-printed JSON). For flow-style or one-line documents it
    /// gives the deepest line it could match, which is still near the problem.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        line_of(&self.text, pointer)
    }

    /// Looks up a node by JSON pointer (`#/a/b` or `/a/b`).
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        let p = pointer.strip_prefix('#').unwrap_or(pointer);
        if p.is_empty() {
            Some(&self.root)
        } else {
            self.root.pointer(p)
        }
    }

    /// Follows a `$ref` string found at `at`, returning the target and its pointer.
    pub fn follow(&self, reference: &str, at: &str) -> SpecResult<(&Value, String)> {
        let Some(local) = reference.strip_prefix('#') else {
            return Err(SpecError::new(
                at,
                format!(
                    "external reference `{reference}` is not supported; only local `#/...` references are"
                ),
            ));
        };
        let decoded = percent_decode(local);
        match self.root.pointer(&decoded) {
            Some(v) => Ok((v, format!("#{decoded}"))),
            None => Err(SpecError::new(
                at,
                format!("`$ref: {reference}` points at nothing in this document"),
            )),
        }
    }

    /// Follows `$ref` chains from `value` (found at `pointer`) to a node that is not a reference.
    /// Fails on a dangling reference or a chain that loops.
    pub fn deref<'a>(&'a self, value: &'a Value, pointer: &str) -> SpecResult<(&'a Value, String)> {
        let mut current = value;
        let mut ptr = pointer.to_owned();
        let mut seen: Vec<String> = Vec::new();
        while let Some(r) = current.get("$ref").and_then(Value::as_str) {
            if seen.iter().any(|s| s == r) {
                seen.push(r.to_owned());
                return Err(SpecError::new(
                    pointer,
                    format!("reference cycle: {}", seen.join(" -> ")),
                ));
            }
            seen.push(r.to_owned());
            let (next, next_ptr) = self.follow(r, &format!("{ptr}/$ref"))?;
            current = next;
            ptr = next_ptr;
        }
        Ok((current, ptr))
    }
}

/// Appends one escaped segment to a JSON pointer.
pub fn child(pointer: &str, segment: &str) -> String {
    format!(
        "{pointer}/{}",
        segment.replace('~', "~0").replace('/', "~1")
    )
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The JSON pointer's segments, unescaped.
fn segments(pointer: &str) -> Vec<String> {
    let p = pointer.strip_prefix('#').unwrap_or(pointer);
    p.split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let meaningful = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let mut start = 0usize;
    let mut parent_indent: Option<usize> = None;
    let mut found_any = false;
    for seg in segments(pointer) {
        let keys = [
            format!("{seg}:"),
            format!("\"{seg}\":"),
            format!("'{seg}':"),
        ];
        let mut hit: Option<(usize, usize)> = None;
        let mut item_count = 0usize;
        let index: Option<usize> = seg.parse().ok();
        for (i, line) in lines
            .iter()
            .enumerate()
            .skip(if found_any { start + 1 } else { 0 })
        {
            if !meaningful(line) {
                continue;
            }
            let ind = indent(line);
            if parent_indent.is_some_and(|p| ind <= p) {
                break;
            }
            let t = line.trim_start();
            let (body, body_indent) = match t.strip_prefix("- ") {
                Some(rest) => (rest.trim_start(), ind + (t.len() - rest.trim_start().len())),
                None => (t, ind),
            };
            if keys.iter().any(|k| body.starts_with(k.as_str())) {
                hit = Some((i, body_indent));
                break;
            }
            if let (Some(n), true) = (
                index,
                t.starts_with("- ") || t == "-" || t.starts_with('{') || t.starts_with('['),
            ) {
                if item_count == n {
                    hit = Some((i, ind));
                    break;
                }
                item_count += 1;
            }
        }
        match hit {
            Some((i, ind)) => {
                start = i;
                parent_indent = Some(ind);
                found_any = true;
            }
            None => break,
        }
    }
    found_any.then_some(start + 1)
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Converts a YAML value to JSON. Mapping keys that are not strings (`200:` is an integer in YAML)
/// become their text; tags are dropped; non-finite floats become strings.
fn to_json(v: serde_norway::Value) -> Value {
    use serde_norway::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => serde_json::to_string(&to_json(other)).unwrap_or_default(),
                };
                out.insert(key, to_json(v));
            }
            Value::Object(out)
        }
        Y::Tagged(t) => to_json(t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_keys_become_strings() {
        let doc = parse("t.yaml", "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n").expect("parses");
        assert!(doc.get("#/paths/~1a/get/responses/200").is_some());
    }

    #[test]
    fn swagger_is_refused_with_a_pointer() {
        let err = parse("t.yaml", "swagger: '2.0'\n")
            .expect_err("refused")
            .to_string();
        assert_eq!(
            err,
            "t.yaml: #/swagger (line 1): Swagger 2.0 is not supported; convert it to OpenAPI 3.0 or 3.1 first"
        );
    }

    #[test]
    fn malformed_yaml_names_the_line() {
        let err = parse("t.yaml", "openapi: 3.0.3\npaths: [\n")
            .expect_err("refused")
            .to_string();
        assert!(
            err.starts_with("t.yaml: not valid YAML or JSON at line"),
            "{err}"
        );
    }

    #[test]
    fn cycles_and_dangling_refs_are_errors() {
        let doc = parse("t.yaml", "openapi: 3.0.3\nx:\n  a: {$ref: '#/x/b'}\n  b: {$ref: '#/x/a'}\n  c: {$ref: '#/x/missing'}\n").expect("parses");
        let a = doc.get("#/x/a").expect("a");
        let err = doc.deref(a, "#/x/a").expect_err("cycle");
        assert!(
            err.message.starts_with("reference cycle"),
            "{}",
            err.message
        );
        let c = doc.get("#/x/c").expect("c");
        assert_eq!(
            doc.deref(c, "#/x/c")
                .expect_err("dangling")
                .location
                .pointer,
            "#/x/c/$ref"
        );
    }

    #[test]
    fn pointers_find_their_lines() {
        let text = "openapi: 3.0.3\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - name: q\n          in: query\n      responses:\n        '200':\n          description: ok\n";
        assert_eq!(line_of(text, "#/paths/~1a~1{id}/get"), Some(4));
        assert_eq!(line_of(text, "#/paths/~1a~1{id}/get/parameters/1"), Some(8));
        assert_eq!(
            line_of(text, "#/paths/~1a~1{id}/get/parameters/1/in"),
            Some(9)
        );
        assert_eq!(
            line_of(text, "#/paths/~1a~1{id}/get/responses/200"),
            Some(11)
        );
        assert_eq!(
            line_of(text, "#/paths/~1b"),
            Some(2),
            "the deepest match is still reported"
        );
        assert_eq!(line_of(text, "#/nothing"), None);
        let json = "{\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  }\n}\n";
        assert_eq!(line_of(json, "#/paths/~1a/get"), Some(4));
    }

    #[test]
    fn percent_encoded_refs_resolve() {
        assert_eq!(percent_decode("/paths/%7Bid%7D"), "/paths/{id}");
        assert_eq!(percent_decode("/a%2"), "/a%2");
    }
}
