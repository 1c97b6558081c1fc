//! Loading: spec files -> one JSON document, and `$ref` resolution. The only spec I/O.
//!
//! `text` reads JSON as JSON and YAML as YAML into `serde_json::Value` (keys in file order), so
//! every later stage is deterministic and can address any node by JSON pointer. `bundle` reads
//! the other files a spec reaches through `$ref`, once each, and mounts them into the one
//! document; `Document::place` maps a pointer back to its file, line and in-file pointer.
//! `overlay` applies OpenAPI Overlay documents to the root file right after it is parsed.

mod bundle;
pub mod jsonpath;
pub mod overlay;
mod text;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use bundle::{MOUNT_KEY, Source};
pub use text::line_of;

use crate::error::{Error, Location, SpecError, SpecResult, Warning};

/// A loaded OpenAPI document and the name of the file it came from.
#[derive(Debug, Clone)]
pub struct Document {
    /// The root file's name, used in diagnostics.
    pub file: String,
    /// The whole document, with other files mounted under `#/x-codegen-files`.
    pub root: Value,
    /// The root file's text, for finding the line of a JSON pointer in diagnostics.
    pub text: String,
    /// The other files, in the order they were reached.
    pub sources: Vec<Source>,
    /// The overlay files applied, in order.
    pub overlays: Vec<PathBuf>,
    /// The nodes the overlays inserted or replaced, in order: problems in them are located in
    /// the overlay file.
    pub inserted: Vec<overlay::Inserted>,
    /// Where the root text's lines start, found when the first line is looked up.
    root_lines: std::sync::OnceLock<text::LineStarts>,
}

/// A place in the spec's files: the file, the pointer within it and its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file's name (the root's) or its path relative to the root's folder.
    pub file: String,
    /// The JSON pointer within that file.
    pub pointer: String,
    /// The 1-based line, when it could be found.
    pub line: Option<usize>,
}

/// Reads and parses a spec file and every file its `$ref`s reach inside its folder.
pub fn load_file(path: &Path) -> Result<Document, Error> {
    load_file_with(path, false)
}

/// Like [`load_file`]; `allow_outside` lets `$ref`s reach files outside the spec's folder.
pub fn load_file_with(path: &Path, allow_outside: bool) -> Result<Document, Error> {
    load_file_overlaid(path, allow_outside, &[])
}

/// Like [`load_file_with`], with overlays: the one beside the spec (`<stem>.overlay.yaml`, see
/// [`overlay::beside`]) and then `overlays`, applied in that order before anything reads the
/// spec. Each overlay file is read before the spec is, so a bad one fails early.
pub fn load_file_overlaid(
    path: &Path,
    allow_outside: bool,
    overlays: &[PathBuf],
) -> Result<Document, Error> {
    let overlays = read_overlays(path, overlays)?;
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let read = |p: &Path| std::fs::read_to_string(p);
    load_with(&file, path, &text, allow_outside, &read, &overlays)
}

/// The overlay beside `spec`, if there is one, then `explicit`, read and checked.
fn read_overlays(spec: &Path, explicit: &[PathBuf]) -> Result<Vec<overlay::Overlay>, Error> {
    let beside = overlay::beside(spec).filter(|b| !explicit.contains(b));
    beside
        .iter()
        .chain(explicit)
        .map(|p| overlay::Overlay::read(p))
        .collect()
}

/// Parses one spec text. A `$ref` to another file is an error: there is no folder to read from.
pub fn parse(file: &str, text: &str) -> Result<Document, Error> {
    let read = |p: &Path| -> std::io::Result<String> {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "{} is not available: the spec was given as text, not loaded from a folder",
                p.display()
            ),
        ))
    };
    load_with(file, Path::new(file), text, false, &read, &[])
}

/// Parses a spec made of several in-memory files (`name`, `text`); the first is the root.
/// Names are paths relative to one folder, as `$ref`s name them.
pub fn parse_files(files: &[(&str, &str)]) -> Result<Document, Error> {
    let base = Path::new("/spec");
    let Some((root, text)) = files.first() else {
        return Err(Error::Parse {
            file: "(none)".to_owned(),
            line: None,
            message: "no files given".to_owned(),
        });
    };
    let read = |p: &Path| -> std::io::Result<String> {
        files
            .iter()
            .find(|(n, _)| base.join(n) == p)
            .map(|(_, t)| (*t).to_owned())
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
    };
    load_with(root, &base.join(root), text, false, &read, &[])
}

fn load_with(
    file: &str,
    path: &Path,
    text: &str,
    allow_outside: bool,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
    overlays: &[overlay::Overlay],
) -> Result<Document, Error> {
    let json = path.extension().is_some_and(|e| e == "json");
    let mut root = text::parse_value(text, json).map_err(|e| Error::Parse {
        file: file.to_owned(),
        line: e.line,
        message: e.message,
    })?;
    let mut inserted = Vec::new();
    for o in overlays {
        inserted.extend(o.apply(&mut root)?);
    }
    let mut doc = Document {
        file: file.to_owned(),
        root: Value::Null,
        text: text.to_owned(),
        sources: Vec::new(),
        overlays: overlays.iter().map(|o| o.path.clone()).collect(),
        inserted,
        root_lines: std::sync::OnceLock::new(),
    };
    check_version(&root).map_err(|e| doc.locate(e))?;
    let sources = bundle::Bundler::new(path, allow_outside, read).bundle(file, text, &mut root)?;
    doc.root = root;
    doc.sources = sources;
    Ok(doc)
}

fn check_version(root: &Value) -> SpecResult<()> {
    let Some(obj) = root.as_object() else {
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

impl Document {
    /// Every file this document was read from: the root (when given as `root_path`), the files
    /// its `$ref`s reached and the overlays. A build script reruns when one of them changes.
    pub fn files_read(&self, root_path: &Path) -> Vec<PathBuf> {
        let mut out = vec![root_path.to_path_buf()];
        out.extend(self.sources.iter().map(|s| s.path.clone()));
        out.extend(self.overlays.iter().cloned());
        out
    }

    /// The file, in-file pointer and line of a pointer into the (bundled) document.
    pub fn place(&self, pointer: &str) -> Place {
        // The last overlay that put a value at or above `pointer` wrote it.
        let from_overlay = self.inserted.iter().rev().find(|i| {
            pointer
                .strip_prefix(i.at.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        });
        if let Some(i) = from_overlay {
            let pointer = format!("{}{}", i.pointer, &pointer[i.at.len()..]);
            return Place {
                file: i.file.clone(),
                line: line_of(&i.text, &pointer),
                pointer,
            };
        }
        if let Some(rest) = pointer.strip_prefix(&format!("#/{MOUNT_KEY}/")) {
            let (segment, inner) = rest.split_once('/').map_or((rest, ""), |(s, i)| (s, i));
            if let Some(source) = self.sources.iter().find(|s| s.segment == segment) {
                let pointer = format!("#{}{inner}", if inner.is_empty() { "" } else { "/" });
                return Place {
                    file: source.file.clone(),
                    line: line_of(&source.text, &pointer),
                    pointer,
                };
            }
        }
        Place {
            file: self.file.clone(),
            pointer: pointer.to_owned(),
            line: text::line_in(
                &self.text,
                self.root_lines
                    .get_or_init(|| text::LineStarts::new(&self.text)),
                pointer,
            ),
        }
    }

    /// Turns a lowering error into the public error, with its file, in-file pointer and line.
    pub fn locate(&self, e: SpecError) -> Error {
        let place = self.place(&e.location.pointer);
        Error::Spec {
            file: place.file,
            location: Location {
                file: None,
                pointer: place.pointer,
                line: place.line,
            },
            message: self.humanize(&e.message),
        }
    }

    /// Gives a warning its file, in-file pointer and line.
    pub fn locate_warning(&self, w: &mut Warning) {
        let place = self.place(&w.location.pointer);
        w.location = Location {
            file: Some(place.file),
            pointer: place.pointer,
            line: place.line,
        };
        if !self.sources.is_empty() {
            w.message = self.humanize(&w.message);
        }
    }

    /// Rewrites mounted pointers in a message (`#/x-codegen-files/a~1b.yaml/X`) as the file and
    /// pointer a reader knows (`a/b.yaml#/X`).
    pub fn humanize(&self, message: &str) -> String {
        let marker = format!("#/{MOUNT_KEY}/");
        if !message.contains(&marker) {
            return message.to_owned();
        }
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        while let Some(at) = rest.find(&marker) {
            out.push_str(&rest[..at]);
            let after = &rest[at + marker.len()..];
            let end = after
                .find(|c: char| c == '/' || c == '`' || c == '\'' || c.is_whitespace())
                .unwrap_or(after.len());
            let segment = after[..end].replace("%25", "%");
            match self.sources.iter().find(|s| s.segment == segment) {
                Some(source) => {
                    out.push_str(&source.file);
                    out.push('#');
                    rest = &after[end..];
                }
                None => {
                    out.push_str(&marker);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The 1-based line where the node at `pointer` starts, found by walking the text's
    /// indentation (block YAML or pretty-printed JSON). For flow-style or one-line documents it
    /// gives the deepest line it could match, which is still near the problem.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        self.place(pointer).line
    }

    /// Looks up a node by JSON pointer (`#/a/b` or `/a/b`).
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        let p = pointer.strip_prefix('#').unwrap_or(pointer);
        if p.is_empty() {
            Some(&self.root)
        } else {
            node_at(&self.root, p)
        }
    }

    /// Follows a `$ref` string found at `at`, returning the target and its pointer.
    pub fn follow(&self, reference: &str, at: &str) -> SpecResult<(&Value, String)> {
        let Some(local) = reference.strip_prefix('#') else {
            return Err(SpecError::new(
                at,
                format!(
                    "`$ref: {reference}` names another file, which was not loaded; load the spec \
                     from its file so that its folder can be read"
                ),
            ));
        };
        let decoded = percent_decode(local);
        match node_at(&self.root, &decoded) {
            Some(v) => Ok((v, format!("#{decoded}"))),
            None => Err(SpecError::new(
                at,
                format!(
                    "`$ref: {}` points at nothing in {}",
                    self.humanize(reference),
                    if reference.starts_with(&format!("#/{MOUNT_KEY}/")) {
                        "that file"
                    } else {
                        "this document"
                    }
                ),
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

/// The node at JSON pointer `ptr` (`/a/b`, or `""` for `root`), as `Value::pointer` finds it,
/// without an allocation per segment: a segment is unescaped (`~1` is `/`, `~0` is `~`) only
/// when it holds a `~`. Lowering follows a pointer for every `$ref` it meets.
fn node_at<'a>(root: &'a Value, ptr: &str) -> Option<&'a Value> {
    if ptr.is_empty() {
        return Some(root);
    }
    let rest = ptr.strip_prefix('/')?;
    rest.split('/').try_fold(root, |node, segment| {
        let unescaped;
        let key = if segment.contains('~') {
            unescaped = segment.replace("~1", "/").replace("~0", "~");
            unescaped.as_str()
        } else {
            segment
        };
        match node {
            Value::Object(map) => map.get(key),
            Value::Array(items) => array_index(key).and_then(|i| items.get(i)),
            _ => None,
        }
    })
}

/// An array index segment as RFC 6901 writes it: digits, no sign, no leading zero.
fn array_index(segment: &str) -> Option<usize> {
    if segment.starts_with('+') || (segment.starts_with('0') && segment.len() != 1) {
        return None;
    }
    segment.parse().ok()
}

/// Appends one escaped segment to a JSON pointer.
pub fn child(pointer: &str, segment: &str) -> String {
    // One allocation: this runs for every key the loader and the lowering visit.
    let mut out = String::with_capacity(pointer.len() + 1 + segment.len() + 2);
    out.push_str(pointer);
    push_child(&mut out, segment);
    out
}

/// Appends `/segment` to the JSON pointer in `pointer`, escaped as [`child`] does.
pub fn push_child(pointer: &mut String, segment: &str) {
    pointer.push('/');
    if !segment.contains(['~', '/']) {
        pointer.push_str(segment);
        return;
    }
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

pub(crate) fn percent_decode(s: &str) -> String {
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

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pointer lookup finds what `serde_json`'s `Value::pointer` finds, escapes and array
    /// indexes included.
    #[test]
    fn pointers_resolve_as_serde_json_does() {
        let root = serde_json::json!({
            "a/b": {"c~d": [10, {"e": true}]},
            "": {"x": 1},
            "0": "zero",
            "list": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        });
        for ptr in [
            "",
            "/a~1b",
            "/a~1b/c~0d",
            "/a~1b/c~0d/1/e",
            "/a~1b/c~0d/2",
            "/",
            "//x",
            "/0",
            "/list/10",
            "/list/01",
            "/list/+1",
            "/list/-1",
            "/list/x",
            "/missing",
            "a",
            "/a~1b/c~0d/1/e/f",
            "/a~01b",
        ] {
            assert_eq!(node_at(&root, ptr), root.pointer(ptr), "{ptr}");
        }
    }

    #[test]
    fn child_pointers_escape_tilde_then_slash() {
        assert_eq!(child("#/paths", "/a/{id}"), "#/paths/~1a~1{id}");
        assert_eq!(child("", "a~/b~1"), "/a~0~1b~01");
        assert_eq!(child("#", "é/ü"), "#/é~1ü");
        assert_eq!(child("#/x", ""), "#/x/");
    }

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
