//! OpenAPI Overlay 1.0 documents: changes to a spec kept in a file of their own, so that a
//! vendor's spec is never edited (`x-rust-*` settings, renames, fixes).
//!
//! An overlay is `overlay: 1.0.x`, an `info` mapping and a list of `actions`, each a `target`
//! (a JSONPath, see `jsonpath`) with an `update` (merged into every node it selects) or
//! `remove: true` (every selected node is removed). Actions apply in order, right after the
//! spec's root file is parsed, before anything else reads it. A target that selects nothing, an
//! update of the wrong type or a malformed document is an error located in the overlay file.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::text::{line_of, parse_value};
use super::{child, jsonpath};
use crate::error::{Error, Location};

/// The file names looked for beside a spec `<stem>.<ext>`, in this order: the first that exists
/// is applied before the overlays given explicitly.
pub const BESIDE_SPEC: [&str; 3] = ["overlay.yaml", "overlay.yml", "overlay.json"];

/// The overlay file that lies beside `spec` (`openapi.yaml` -> `openapi.overlay.yaml`), if any.
pub fn beside(spec: &Path) -> Option<PathBuf> {
    let stem = spec.file_stem()?.to_string_lossy().into_owned();
    let dir = spec.parent().unwrap_or_else(|| Path::new(""));
    BESIDE_SPEC
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .find(|p| p.is_file())
}

/// A node an overlay put into the spec: where it is in the document, and where its value is in
/// the overlay file, so that a problem in it is located in the overlay.
#[derive(Debug, Clone)]
pub struct Inserted {
    /// The node's JSON pointer in the document.
    pub at: String,
    /// The overlay file, as given.
    pub file: String,
    /// The pointer of the value in the overlay file.
    pub pointer: String,
    /// The overlay file's text, for finding lines.
    pub text: String,
}

/// A parsed overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The file as given, used in diagnostics.
    pub file: String,
    /// Where the file is.
    pub path: PathBuf,
    /// The file's text, for finding lines.
    pub text: String,
    value: Value,
}

impl Overlay {
    /// Reads and checks an overlay file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Output {
            path: path.to_path_buf(),
            message: format!("cannot read the overlay: {e}"),
        })?;
        Self::parse(&path.display().to_string(), path, &text)
    }

    /// Parses and checks overlay text; `file` names it in diagnostics.
    pub fn parse(file: &str, path: &Path, text: &str) -> Result<Self, Error> {
        let json = path.extension().is_some_and(|e| e == "json");
        let value = parse_value(text, json).map_err(|e| Error::Parse {
            file: file.to_owned(),
            line: e.line,
            message: e.message,
        })?;
        let overlay = Self {
            file: file.to_owned(),
            path: path.to_path_buf(),
            text: text.to_owned(),
            value,
        };
        overlay.check()?;
        Ok(overlay)
    }

    fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::Spec {
            file: self.file.clone(),
            location: Location {
                file: None,
                pointer: pointer.to_owned(),
                line: line_of(&self.text, pointer),
            },
            message: message.into(),
        }
    }

    /// The document's shape: version, `info`, and actions with a target and an update or a
    /// removal.
    fn check(&self) -> Result<(), Error> {
        let Some(root) = self.value.as_object() else {
            return Err(self.error(
                "#",
                "an overlay must be a mapping with `overlay`, `info` and `actions`",
            ));
        };
        match root.get("overlay") {
            Some(Value::String(v)) if is_version_1_0(v) => {}
            Some(v) => {
                return Err(self.error(
                    "#/overlay",
                    format!("unsupported overlay version {v}; expected 1.0.x"),
                ));
            }
            None => {
                return Err(self.error(
                    "#",
                    "missing `overlay: 1.0.0`: this is not an OpenAPI Overlay document",
                ));
            }
        }
        if !root.get("info").is_some_and(Value::is_object) {
            return Err(self.error(
                "#/info",
                "`info` must be a mapping with `title` and `version`",
            ));
        }
        for key in root.keys() {
            if !matches!(key.as_str(), "overlay" | "info" | "extends" | "actions")
                && !key.starts_with("x-")
            {
                return Err(self.error(
                    &format!("#/{}", key.replace('~', "~0").replace('/', "~1")),
                    format!(
                        "unknown overlay field `{key}`; expected `overlay`, `info`, `extends` or \
                         `actions`"
                    ),
                ));
            }
        }
        let Some(actions) = root.get("actions").and_then(Value::as_array) else {
            return Err(self.error("#/actions", "`actions` must be a list of actions"));
        };
        for (i, action) in actions.iter().enumerate() {
            let at = format!("#/actions/{i}");
            let Some(action) = action.as_object() else {
                return Err(self.error(&at, "an action must be a mapping with a `target`"));
            };
            if !action.get("target").is_some_and(Value::is_string) {
                return Err(self.error(
                    &format!("{at}/target"),
                    "an action needs a `target`: a JSONPath such as `$.info`",
                ));
            }
            match action.get("remove") {
                None | Some(Value::Bool(_)) => {}
                Some(_) => {
                    return Err(
                        self.error(&format!("{at}/remove"), "`remove` must be true or false")
                    );
                }
            }
            let removes = action.get("remove") == Some(&Value::Bool(true));
            if !removes && !action.contains_key("update") {
                return Err(self.error(&at, "an action needs an `update` or `remove: true`"));
            }
        }
        Ok(())
    }

    /// Applies every action, in order, to `root`; returns the nodes it inserted or replaced.
    pub fn apply(&self, root: &mut Value) -> Result<Vec<Inserted>, Error> {
        let mut inserted = Vec::new();
        let actions = self
            .value
            .get("actions")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (i, action) in actions.iter().enumerate() {
            let at = format!("#/actions/{i}");
            let target = action.get("target").and_then(Value::as_str).unwrap_or("$");
            let pointers = jsonpath::select(root, target)
                .map_err(|e| self.error(&format!("{at}/target"), e))?;
            if pointers.is_empty() {
                return Err(self.error(
                    &format!("{at}/target"),
                    format!("`{target}` selects nothing in the spec"),
                ));
            }
            if action.get("remove") == Some(&Value::Bool(true)) {
                remove(root, &pointers).map_err(|e| self.error(&format!("{at}/target"), e))?;
                continue;
            }
            let update = action.get("update").unwrap_or(&Value::Null);
            for pointer in &pointers {
                let Some(node) = root.pointer_mut(&pointer[1..]) else {
                    continue;
                };
                let mut put = Vec::new();
                merge(node, update, pointer, &format!("{at}/update"), &mut put)
                    .map_err(|e| self.error(&format!("{at}/update"), e))?;
                inserted.extend(put.into_iter().map(|(at, pointer)| Inserted {
                    at,
                    file: self.file.clone(),
                    pointer,
                    text: self.text.clone(),
                }));
            }
        }
        Ok(inserted)
    }
}

fn is_version_1_0(v: &str) -> bool {
    v.strip_prefix("1.0.")
        .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Removes the nodes at `pointers` (selected in document order): array elements from the last,
/// so that earlier indexes stay true.
fn remove(root: &mut Value, pointers: &[String]) -> Result<(), String> {
    for pointer in pointers.iter().rev() {
        let Some((parent, last)) = pointer.rsplit_once('/') else {
            return Err("the whole document cannot be removed".to_owned());
        };
        let key = last.replace("~1", "/").replace("~0", "~");
        let parent = if parent == "#" { "" } else { &parent[1..] };
        match root.pointer_mut(parent) {
            Some(Value::Object(o)) => {
                o.shift_remove(&key);
            }
            Some(Value::Array(a)) => {
                if let Ok(i) = key.parse::<usize>() {
                    if i < a.len() {
                        a.remove(i);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

/// Merges `update` (at `from` in the overlay) into `node` (at `pointer`): mappings member by
/// member and recursively; a list target gets the update appended (a list update: each of its
/// items); other values are replaced inside a merged mapping. `put` gets (document pointer,
/// overlay pointer) of every value inserted or replaced.
fn merge(
    node: &mut Value,
    update: &Value,
    pointer: &str,
    from: &str,
    put: &mut Vec<(String, String)>,
) -> Result<(), String> {
    match (node, update) {
        (Value::Object(target), Value::Object(members)) => {
            merge_members(target, members, pointer, from, put);
            Ok(())
        }
        (Value::Array(items), Value::Array(more)) => {
            for (i, item) in more.iter().enumerate() {
                put.push((
                    child(pointer, &items.len().to_string()),
                    child(from, &i.to_string()),
                ));
                items.push(item.clone());
            }
            Ok(())
        }
        (Value::Array(items), item) => {
            put.push((child(pointer, &items.len().to_string()), from.to_owned()));
            items.push(item.clone());
            Ok(())
        }
        (node, update) => Err(format!(
            "the update is a {} but `{pointer}` is a {}: an update merges a mapping into a \
             mapping or appends to a list",
            kind(update),
            kind(node)
        )),
    }
}

fn merge_members(
    target: &mut Map<String, Value>,
    members: &Map<String, Value>,
    pointer: &str,
    from: &str,
    put: &mut Vec<(String, String)>,
) {
    for (key, value) in members {
        let (at, from) = (child(pointer, key), child(from, key));
        match (target.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(more)) => {
                merge_members(inner, more, &at, &from, put);
            }
            _ => {
                put.push((at, from));
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(text: &str) -> Result<Overlay, Error> {
        Overlay::parse("o.yaml", Path::new("o.yaml"), text)
    }

    fn spec() -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "x-a": {"b": 1}},
               "paths": {"/a": {"get": {"operationId": "a"}, "post": {"operationId": "b"}}},
               "tags": [{"name": "x"}]})
    }

    #[test]
    fn updates_merge_and_removals_remove() {
        let o = overlay(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update:\n      x-rust-env-prefix: MY\n      x-a: {c: 2}\n  - target: $.tags\n    update: {name: y}\n  - target: \"$.paths['/a'].post\"\n    remove: true\n",
        )
        .expect("valid");
        let mut doc = spec();
        o.apply(&mut doc).expect("applies");
        assert_eq!(doc["info"]["x-rust-env-prefix"], "MY");
        assert_eq!(doc["info"]["x-a"], json!({"b": 1, "c": 2}));
        assert_eq!(doc["tags"], json!([{"name": "x"}, {"name": "y"}]));
        assert_eq!(doc["paths"]["/a"], json!({"get": {"operationId": "a"}}));
    }

    #[test]
    fn bad_overlays_are_located_in_the_overlay_file() {
        let head = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n";
        let cases = [
            (
                "overlay: 2.0.0\ninfo: {}\nactions: []\n",
                "o.yaml: #/overlay (line 1): unsupported overlay version \"2.0.0\"",
            ),
            ("openapi: 3.0.0\n", "o.yaml: #: missing `overlay: 1.0.0`"),
            (
                "overlay: 1.0.0\ninfo: {title: t, version: '1'}\naction: []\n",
                "o.yaml: #/action (line 3): unknown overlay field",
            ),
            (
                &format!("{head}  - target: $.info\n"),
                "o.yaml: #/actions/0 (line 4): an action needs an `update`",
            ),
            (
                &format!("{head}  - update: {{}}\n"),
                "o.yaml: #/actions/0/target",
            ),
            (
                "overlay: 1.0.0\nactions: [\n",
                "o.yaml: not valid YAML or JSON at line",
            ),
        ];
        for (text, want) in cases {
            let err = overlay(text).expect_err(text).to_string();
            assert!(err.starts_with(want), "{text}\n{err}");
        }
        let applied = [
            (
                format!("{head}  - target: $.nothing\n    remove: true\n"),
                "o.yaml: #/actions/0/target (line 4): `$.nothing` selects nothing in the spec",
            ),
            (
                format!("{head}  - target: $.info.title\n    update: {{a: 1}}\n"),
                "o.yaml: #/actions/0/update (line 5): the update is a mapping but `#/info/title` is a string",
            ),
            (
                format!("{head}  - target: $.info\n    update: 3\n"),
                "o.yaml: #/actions/0/update (line 5): the update is a number but `#/info` is a mapping",
            ),
            (
                format!("{head}  - target: $.info[\n    update: {{}}\n"),
                "o.yaml: #/actions/0/target (line 4): `$.info[` ends too early",
            ),
        ];
        for (text, want) in applied {
            let err = overlay(&text)
                .expect("valid shape")
                .apply(&mut spec())
                .expect_err(&text)
                .to_string();
            assert!(err.starts_with(want), "{text}\n{err}");
        }
    }

    #[test]
    fn the_overlay_beside_a_spec_is_named_after_its_stem() {
        let dir = std::env::temp_dir().join(format!("overlay-beside-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let spec = dir.join("my-api.yaml");
        assert_eq!(beside(&spec), None);
        std::fs::write(dir.join("my-api.overlay.yaml"), "x").expect("write");
        assert_eq!(beside(&spec), Some(dir.join("my-api.overlay.yaml")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
