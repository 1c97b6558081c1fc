//! Turns an OpenAPI description into a Rust client crate.
//!
//! The pipeline, one stage per module:
//! load (`load`) -> lower to the IR (`lower`, `ir`) -> emit tokens (`emit`) -> format
//! (`format`) -> write (`write`). Only `lower` sees OpenAPI; emitters see only the IR.

pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod write;

use std::path::Path;

pub use emit::OutputFile;
pub use error::{Error, Warning, WarningGroup, group_warnings};

/// Generator settings that do not come from the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Cargo package name; default `info.x-rust-crate-name`, else the kebab-cased title.
    pub crate_name: Option<String>,
    /// Cargo package version; default `0.1.0`.
    pub crate_version: Option<String>,
    /// Only operations with one of these tags (all when empty).
    pub tags: Vec<String>,
    /// Only paths starting with one of these prefixes (all when empty).
    pub path_prefixes: Vec<String>,
    /// Whether `$ref`s may reach files outside the spec's folder (refused by default).
    pub allow_outside_refs: bool,
}

/// The result of generating: the files of the crate and the warnings, sorted.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every file of the crate, in a fixed order.
    pub files: Vec<OutputFile>,
    /// What the generator tolerated or approximated.
    pub warnings: Vec<Warning>,
    /// The IR the files were emitted from.
    pub api: ir::Api,
}

/// Generates a crate from spec text. `file` names the spec in diagnostics and headers.
pub fn generate_str(file: &str, text: &str, settings: &Settings) -> Result<Generated, Error> {
    let doc = load::parse(file, text)?;
    generate_doc(&doc, settings)
}

/// Generates a crate from a spec file.
pub fn generate_file(path: &Path, settings: &Settings) -> Result<Generated, Error> {
    let doc = load::load_file_with(path, settings.allow_outside_refs)?;
    generate_doc(&doc, settings)
}

/// Generates a crate from a loaded document.
pub fn generate_doc(doc: &load::Document, settings: &Settings) -> Result<Generated, Error> {
    let (api, mut warnings) = lower::lower(doc, settings).map_err(|e| doc.locate(e))?;
    for w in &mut warnings {
        doc.locate_warning(w);
    }
    warnings.sort();
    let files = emit::emit(&api, &doc.file)?;
    Ok(Generated {
        files,
        warnings,
        api,
    })
}
