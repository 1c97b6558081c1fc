//! Located diagnostics: every problem names the file and the JSON pointer where it was found.

use std::fmt;
use std::path::PathBuf;

/// A place in the spec: the file (when known) and a JSON pointer into the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file, for diagnostics that are printed alone (warnings); errors carry it beside.
    pub file: Option<String>,
    /// The JSON pointer, such as `#/paths/~1zones/get/responses`.
    pub pointer: String,
    /// The line in a YAML or JSON file, when the loader could find it.
    pub line: Option<usize>,
}

impl Location {
    /// A location from a JSON pointer alone.
    pub fn at(pointer: impl Into<String>) -> Self {
        Self {
            file: None,
            pointer: pointer.into(),
            line: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        match self.line {
            Some(line) => write!(f, "{} (line {line})", self.pointer),
            None => f.write_str(&self.pointer),
        }
    }
}

/// Why generation failed. Each variant that comes from the spec carries its location.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The spec file could not be read.
    #[error("{path}: cannot read the spec: {source}")]
    Read {
        /// The file that could not be read.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The spec is not valid YAML or JSON.
    #[error("{file}: not valid YAML or JSON{}: {message}", line.map(|l| format!(" at line {l}")).unwrap_or_default())]
    Parse {
        /// The file name as given.
        file: String,
        /// The line of the syntax error, when known.
        line: Option<usize>,
        /// What the parser said.
        message: String,
    },
    /// The document is valid YAML but not an OpenAPI description we can generate from.
    #[error("{file}: {location}: {message}")]
    Spec {
        /// The file name as given.
        file: String,
        /// Where in the document.
        location: Location,
        /// What was found and what was expected.
        message: String,
    },
    /// The generator produced Rust that does not parse: a bug in the generator, never in the spec.
    #[error("internal error while emitting {file}: {message}")]
    Internal {
        /// The output file being formatted.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// Writing or checking the output directory failed.
    #[error("{path}: {message}")]
    Output {
        /// The file or directory concerned.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// A problem found in the spec while lowering, before the file name is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// Where in the document.
    pub location: Location,
    /// What was found and what was expected.
    pub message: String,
}

impl SpecError {
    /// A new located error.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            location: Location::at(pointer),
            message: message.into(),
        }
    }

    /// Attaches the file name, giving the public error type.
    pub fn in_file(self, file: &str) -> Error {
        Error::Spec {
            file: file.to_owned(),
            location: self.location,
            message: self.message,
        }
    }
}

/// A construct the generator tolerated or approximated; printed once, sorted, after generation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// Where in the document.
    pub location: Location,
    /// What was tolerated and what the generator did instead.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.location, self.message)
    }
}

/// Shorthand for results whose error is located in the spec.
pub type SpecResult<T> = std::result::Result<T, SpecError>;

/// Warnings of one kind: the message with its specifics (code spans, numbers) blanked out, how
/// many there are, and where the first few are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningGroup {
    /// The message shape shared by the group, such as "`…` is a map or list of itself".
    pub kind: String,
    /// How many warnings have this shape.
    pub count: usize,
    /// The first (up to three) warnings' locations, in sorted order.
    pub first: Vec<Location>,
}

/// The shape of a warning message: code spans become `…` and runs of digits `N`. A status class
/// (`2XX`, `4xx`: one digit, then two `X`) keeps its form, since the class is the warning's kind.
pub fn warning_kind(message: &str) -> String {
    let chars: Vec<char> = message.chars().collect();
    let mut out = String::with_capacity(message.len());
    let mut in_code = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if c == '`' {
            if !in_code {
                out.push_str("`…`");
            }
            in_code = !in_code;
        } else if !in_code {
            if !c.is_ascii_digit() {
                out.push(c);
            } else if is_status_class(&chars, i - 1) {
                out.extend(&chars[i - 1..i + 2]);
                i += 2;
            } else {
                out.push('N');
                while chars.get(i).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
            }
        }
    }
    out
}

/// Whether a status class such as `2XX` starts at `at`: one digit (not after a letter or a
/// digit), two `X` of one case, and no letter or digit after them.
fn is_status_class(chars: &[char], at: usize) -> bool {
    let word = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_alphanumeric())
    };
    matches!(chars.get(at + 1..at + 3), Some(['X', 'X'] | ['x', 'x']))
        && !word(at.checked_sub(1))
        && !word(Some(at + 3))
}

/// Groups warnings by kind, the largest group first (ties by kind), keeping each group's first
/// three locations. Deterministic for the same warnings.
pub fn group_warnings(warnings: &[Warning]) -> Vec<WarningGroup> {
    let mut groups: Vec<WarningGroup> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for w in warnings {
        let kind = warning_kind(&w.message);
        let i = *index.entry(kind.clone()).or_insert_with(|| {
            groups.push(WarningGroup {
                kind,
                count: 0,
                first: Vec::new(),
            });
            groups.len() - 1
        });
        let g = &mut groups[i];
        g.count += 1;
        if g.first.len() < 3 {
            g.first.push(w.location.clone());
        }
    }
    groups.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.kind.cmp(&b.kind)));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(pointer: &str, message: &str) -> Warning {
        Warning {
            location: Location::at(pointer),
            message: message.to_owned(),
        }
    }

    #[test]
    fn warnings_group_by_shape() {
        let ws = [
            warning("#/a", "`x` is ignored inside `allOf` member 1"),
            warning("#/b", "`y` is ignored inside `allOf` member 22"),
            warning("#/c", "cookie parameter `z` is not sent"),
            warning("#/d", "`q` is ignored inside `allOf` member 3"),
            warning("#/e", "`q` is ignored inside `allOf` member 4"),
        ];
        let groups = group_warnings(&ws);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].kind, "`…` is ignored inside `…` member N");
        assert_eq!(groups[0].count, 4);
        let firsts: Vec<&str> = groups[0].first.iter().map(|l| l.pointer.as_str()).collect();
        assert_eq!(firsts, ["#/a", "#/b", "#/d"]);
        assert_eq!(groups[1].count, 1);
    }

    #[test]
    fn status_classes_keep_their_form() {
        assert_eq!(
            warning_kind("response 2XX of `x` and 4xx ignored; 404 and 500 too"),
            "response 2XX of `…` and 4xx ignored; N and N too"
        );
        // Not a class: more digits, a letter before or after, mixed case.
        assert_eq!(
            warning_kind("22XX a2XX 2XXL 2Xx 2X"),
            "NXX aNXX NXXL NXx NX"
        );
        assert_eq!(warning_kind("ends with 5"), "ends with N");
        assert_eq!(warning_kind("ends with 5X"), "ends with NX");
    }
}
