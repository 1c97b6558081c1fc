//! Multi-file specs: every file the spec reaches through `$ref` is read once and mounted under
//! `#/x-codegen-files/<path>` of one document, and every `$ref` is rewritten to a local one.
//!
//! Lowering then sees one tree and never touches the file system. Diagnostics map a mounted
//! pointer back to its file, line and in-file pointer (`Document::place`). A `$ref` that leaves
//! the spec's folder is refused unless the settings allow it; a URL is never fetched.

use std::collections::{HashMap, VecDeque};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use super::text::{line_of, parse_value};
use crate::error::{Error, Location};

/// The key of the root mapping under which other files are mounted.
pub const MOUNT_KEY: &str = "x-codegen-files";

/// Keywords whose values are data: a `$ref` inside them is not followed.
const LITERAL_KEYS: [&str; 5] = ["example", "default", "const", "enum", "value"];

/// Keywords whose values are mappings from names to schemas or other objects, so that a name
/// such as `example` there is not taken for a keyword.
const NAME_MAPS: [&str; 16] = [
    "encoding",
    "variables",
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "paths",
];

/// A file other than the root one, as mounted in the document.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file's path relative to the spec's folder, with `/` separators (its whole path when it
    /// lies outside and that is allowed).
    pub file: String,
    /// Where the file is.
    pub path: PathBuf,
    /// The JSON pointer segment (escaped) under `#/x-codegen-files`.
    pub segment: String,
    /// The file's text, for finding lines.
    pub text: String,
}

/// Where the spec's files live and what they may refer to.
pub(super) struct Bundler<'r> {
    read: &'r dyn Fn(&Path) -> std::io::Result<String>,
    root_file: PathBuf,
    root_dir: PathBuf,
    allow_outside: bool,
    /// Every loaded file (absolute, normalised) -> its index in `sources`.
    index: HashMap<PathBuf, usize>,
    sources: Vec<Source>,
    values: Vec<Option<Value>>,
    queue: VecDeque<usize>,
}

/// The file a `$ref` is being rewritten in: its display name, folder, mount and text.
struct Origin<'a> {
    file: &'a str,
    dir: &'a Path,
    mount: Option<&'a str>,
    text: &'a str,
}

impl<'r> Bundler<'r> {
    /// A bundler for the spec at `root_file` that reads other files with `read`.
    pub(super) fn new(
        root_file: &Path,
        allow_outside: bool,
        read: &'r dyn Fn(&Path) -> std::io::Result<String>,
    ) -> Self {
        let root_file =
            normalise(&std::path::absolute(root_file).unwrap_or_else(|_| root_file.to_path_buf()));
        let root_dir = root_file
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        Self {
            read,
            root_file,
            root_dir,
            allow_outside,
            index: HashMap::new(),
            sources: Vec::new(),
            values: Vec::new(),
            queue: VecDeque::new(),
        }
    }

    /// Rewrites the references of the root document (named `file`, with `text`), loading and
    /// rewriting every file they reach, and mounts those files into `root`.
    pub(super) fn bundle(
        mut self,
        file: &str,
        text: &str,
        root: &mut Value,
    ) -> Result<Vec<Source>, Error> {
        let dir = self.root_dir.clone();
        let origin = Origin {
            file,
            dir: &dir,
            mount: None,
            text,
        };
        self.walk(root, &mut String::from("#"), &origin, false)?;
        while let Some(i) = self.queue.pop_front() {
            let Some(mut value) = self.values[i].take() else {
                continue;
            };
            let source = self.sources[i].clone();
            let dir = source
                .path
                .parent()
                .map_or_else(|| self.root_dir.clone(), Path::to_path_buf);
            let mount = format!("#/{MOUNT_KEY}/{}", source.segment);
            let origin = Origin {
                file: &source.file,
                dir: &dir,
                mount: Some(&mount),
                text: &source.text,
            };
            self.walk(&mut value, &mut String::from("#"), &origin, false)?;
            self.values[i] = Some(value);
        }
        if self.sources.is_empty() {
            return Ok(self.sources);
        }
        let Some(obj) = root.as_object_mut() else {
            return Ok(Vec::new());
        };
        if obj.contains_key(MOUNT_KEY) {
            return Err(Error::Spec {
                file: file.to_owned(),
                location: Location {
                    pointer: format!("#/{MOUNT_KEY}"),
                    line: line_of(text, &format!("#/{MOUNT_KEY}")),
                    file: None,
                },
                message: format!(
                    "`{MOUNT_KEY}` is reserved for the files that `$ref`s reach; rename it"
                ),
            });
        }
        let mut mounted = Map::new();
        for (source, value) in self.sources.iter().zip(self.values) {
            mounted.insert(source.file.clone(), value.unwrap_or(Value::Null));
        }
        obj.insert(MOUNT_KEY.to_owned(), Value::Object(mounted));
        Ok(self.sources)
    }

    /// Rewrites the `$ref`s under `value`, whose JSON pointer is `ptr`. `names` says that the
    /// keys of this mapping are names (of properties, schemas, ...), not keywords, so `example`
    /// there is an ordinary name. `ptr` is one buffer for the whole walk: a child's segment is
    /// pushed before it is visited and cut off after, so no node costs an allocation.
    fn walk(
        &mut self,
        value: &mut Value,
        ptr: &mut String,
        origin: &Origin<'_>,
        names: bool,
    ) -> Result<(), Error> {
        let len = ptr.len();
        match value {
            Value::Object(obj) => {
                let in_discriminator = ptr.ends_with("/discriminator");
                for (key, child) in obj.iter_mut() {
                    super::push_child(ptr, key);
                    // A string `$ref` is a reference even where keys are names: a property's
                    // schema is never a string (and `properties: {$ref: ...}` is a shared map).
                    if key == "$ref" && child.is_string() {
                        if let Value::String(r) = child {
                            if let Some(new) = self.rewrite(r, ptr, origin)? {
                                *r = new;
                            }
                        }
                    } else if names {
                        self.walk(child, ptr, origin, false)?;
                    } else if key == "mapping" && in_discriminator {
                        // Mapping values name schemas the way `$ref`s do; keep them matching.
                        if let Value::Object(mapping) = child {
                            let at = ptr.len();
                            for (tag, target) in mapping.iter_mut() {
                                super::push_child(ptr, tag);
                                if let Value::String(t) = target {
                                    let is_ref = t.contains(['/', '#', '.']);
                                    if is_ref {
                                        if let Some(new) = self.rewrite(t, ptr, origin)? {
                                            *t = new;
                                        }
                                    }
                                }
                                ptr.truncate(at);
                            }
                        }
                    } else if LITERAL_KEYS.contains(&key.as_str()) || key.starts_with("x-") {
                        // Literal values (examples, defaults, extensions) may hold a `$ref`
                        // that is data, not a reference.
                    } else {
                        let names = NAME_MAPS.contains(&key.as_str());
                        self.walk(child, ptr, origin, names)?;
                    }
                    ptr.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    use std::fmt::Write as _;
                    let _ = write!(ptr, "/{i}");
                    self.walk(child, ptr, origin, false)?;
                    ptr.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The local form of `reference` found at `ptr` in `origin`, or `None` to keep it.
    fn rewrite(
        &mut self,
        reference: &str,
        ptr: &str,
        origin: &Origin<'_>,
    ) -> Result<Option<String>, Error> {
        let fail = |message: String| Error::Spec {
            file: origin.file.to_owned(),
            location: Location {
                pointer: ptr.to_owned(),
                line: line_of(origin.text, ptr),
                file: None,
            },
            message,
        };
        if let Some(local) = reference.strip_prefix('#') {
            return Ok(origin.mount.map(|m| format!("{}{local}", encode(m))));
        }
        if is_url(reference) {
            return Err(fail(format!(
                "`$ref: {reference}` is a URL; the generator never fetches anything: save the \
                 document beside the spec and refer to it by a relative path"
            )));
        }
        let (path_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = normalise(&origin.dir.join(super::percent_decode(path_part)));
        // The folder check is on the path as written and, for files on disk, on the real path,
        // so that a symbolic link inside the folder cannot lead out of it.
        let real_outside = || match (
            std::fs::canonicalize(&target),
            std::fs::canonicalize(&self.root_dir),
        ) {
            (Ok(real), Ok(root)) => !real.starts_with(root),
            _ => false,
        };
        if !self.allow_outside && (!target.starts_with(&self.root_dir) || real_outside()) {
            return Err(fail(format!(
                "`$ref: {reference}` leaves the spec's folder ({}); pass --allow-outside-refs to allow it",
                self.root_dir.display()
            )));
        }
        if target == self.root_file {
            return Ok(Some(format!("#{fragment}")));
        }
        let index = match self.index.get(&target) {
            Some(&i) => i,
            None => self.load(&target, reference).map_err(fail)?,
        };
        let segment = &self.sources[index].segment;
        Ok(Some(format!("#/{MOUNT_KEY}/{}{fragment}", encode(segment))))
    }

    /// Reads and parses another file, queueing it for rewriting. The error is the message only.
    fn load(&mut self, target: &Path, reference: &str) -> Result<usize, String> {
        let text = (self.read)(target).map_err(|e| {
            format!(
                "`$ref: {reference}` names a file that cannot be read ({}): {e}",
                target.display()
            )
        })?;
        let file = relative_name(target, &self.root_dir);
        let json = target.extension().is_some_and(|e| e == "json");
        let value = parse_value(&text, json).map_err(|e| {
            format!(
                "`$ref: {reference}` names {file}, which is not valid YAML or JSON{}: {}",
                e.line.map(|l| format!(" at line {l}")).unwrap_or_default(),
                e.message
            )
        })?;
        let index = self.sources.len();
        self.sources.push(Source {
            segment: file.replace('~', "~0").replace('/', "~1"),
            file,
            path: target.to_path_buf(),
            text,
        });
        self.values.push(Some(value));
        self.index.insert(target.to_path_buf(), index);
        self.queue.push_back(index);
        Ok(index)
    }
}

/// Whether a reference names a URL (`https://...`, `file:...`, `//host/...`) rather than a path.
fn is_url(reference: &str) -> bool {
    if reference.starts_with("//") {
        return true;
    }
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `target` relative to `root` with `/` separators, or its whole path when it lies outside.
fn relative_name(target: &Path, root: &Path) -> String {
    let Ok(rel) = target.strip_prefix(root) else {
        return target.display().to_string();
    };
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encodes `%` so that a mounted pointer survives the decoding `follow` does.
fn encode(pointer: &str) -> String {
    pointer.replace('%', "%25")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://example.com/a.yaml#/X"));
        assert!(is_url("file:///etc/passwd"));
        assert!(is_url("//example.com/a.yaml"));
        assert!(!is_url("models/a.yaml#/X"));
        assert!(!is_url("../shared/a.yml"));
        assert!(
            !is_url("C:x.yaml"),
            "a one-letter scheme is a drive, not a URL"
        );
    }

    #[test]
    fn paths_normalise_lexically() {
        assert_eq!(
            normalise(Path::new("/a/b/../c/./d.yaml")),
            PathBuf::from("/a/c/d.yaml")
        );
        assert_eq!(
            relative_name(Path::new("/a/b/c.yaml"), Path::new("/a")),
            "b/c.yaml"
        );
    }
}
