//! Located diagnostics: every problem names the file and the JSON pointer where it was found.

use std::fmt;
use std::path::PathBuf;

/// A place in the spec: the file (when known) and a JSON pointer into the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The JSON pointer, such as `#/paths/~1zones/get/responses`.
    pub pointer: String,
    /// The line in a YAML or JSON file, when the loader could find it.
    pub line: Option<usize>,
}

impl Location {
    /// A location from a JSON pointer alone.
    pub fn at(pointer: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            line: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
