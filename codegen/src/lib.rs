//! Turns an OpenAPI description into a Rust client crate.
//!
//! The pipeline, one stage per module:
//! load (`load`) -> lower to the IR (`lower`, `ir`) -> emit tokens (`emit`) -> format
//! (`format`) -> write (`write`). Only `lower` sees OpenAPI; emitters see only the IR.

pub mod build;
pub mod cli;
pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
mod name;
pub mod naming;
pub mod write;

use std::path::{Path, PathBuf};

pub use emit::{OutputFile, RUNTIME_PACKAGE, RUNTIME_VERSION};
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
    /// How the crate gets the runtime (default: the registry version this generator embeds).
    pub runtime: RuntimeSource,
    /// Whether the crate gets a cargo feature per tag (default: when the spec is large).
    pub tag_features: TagFeatures,
    /// OpenAPI Overlay files applied to the spec, in order, after the one found beside it
    /// (`<spec stem>.overlay.yaml`, which is always applied).
    pub overlays: Vec<PathBuf>,
}

/// Whether a generated crate gets a cargo feature per tag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TagFeatures {
    /// For specs of 100 operations or more.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never: every operation is always compiled.
    Never,
}

/// Where a generated crate gets the runtime crate (`openapi-client-runtime`) from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// A path dependency on the runtime crate's directory, as written in `Cargo.toml` (relative
    /// to the generated crate, or absolute).
    Path(String),
    /// A registry dependency with this version requirement.
    Version(String),
    /// The runtime's sources, without their tests, copied into `src/runtime/`, so that the crate
    /// builds on its own.
    Vendored,
}

impl Default for RuntimeSource {
    fn default() -> Self {
        Self::Version(emit::RUNTIME_VERSION.to_owned())
    }
}

impl std::str::FromStr for RuntimeSource {
    type Err = String;

    /// Parses `path=DIR`, `version=REQ` or `vendored`.
    fn from_str(s: &str) -> Result<Self, String> {
        let invalid = || {
            format!(
                "invalid runtime source `{s}`: expected `path=DIR`, `version=REQ` or `vendored`"
            )
        };
        match s.split_once('=') {
            None if s == "vendored" => Ok(Self::Vendored),
            Some(("path", dir)) if !dir.trim().is_empty() => Ok(Self::Path(dir.to_owned())),
            Some(("version", req)) if is_version_req(req) => Ok(Self::Version(req.to_owned())),
            _ => Err(invalid()),
        }
    }
}

/// Whether `req` looks like a Cargo version requirement (`0.1`, `^0.1.2`, `>=0.1, <0.3`, `=0.1.0`).
fn is_version_req(req: &str) -> bool {
    req.split(',').all(|part| {
        let v = part
            .trim()
            .trim_start_matches(['^', '~', '=', '>', '<'])
            .trim();
        !v.is_empty()
            && v.split('.').count() <= 3
            && v.split('.')
                .all(|n| n == "*" || (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit())))
    })
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
    /// Every file read: the spec, the files its `$ref`s reached, the overlays.
    pub inputs: Vec<PathBuf>,
}

/// Generates a crate from spec text. `file` names the spec in diagnostics and headers.
/// Overlays are not applied (there is no folder to find them in): use [`generate_file`].
pub fn generate_str(file: &str, text: &str, settings: &Settings) -> Result<Generated, Error> {
    let doc = load::parse(file, text)?;
    generate_doc(&doc, settings)
}

/// Generates a crate from a spec file, with the overlay beside it and `settings.overlays`.
///
/// The loaded document is dropped before emitting: it is the largest thing in memory (a
/// `serde_json` tree of the whole spec), and emitting needs only the IR.
pub fn generate_file(path: &Path, settings: &Settings) -> Result<Generated, Error> {
    let doc = load::load_file_overlaid(path, settings.allow_outside_refs, &settings.overlays)?;
    let (api, warnings) = lower_located(&doc, settings)?;
    let inputs = doc.files_read(path);
    let file = doc.file.clone();
    drop(doc);
    let files = emit::emit(&api, &file, &settings.runtime)?;
    Ok(Generated {
        files,
        warnings,
        api,
        inputs,
    })
}

/// Generates a crate from a loaded document.
pub fn generate_doc(doc: &load::Document, settings: &Settings) -> Result<Generated, Error> {
    let (api, warnings) = lower_located(doc, settings)?;
    let files = emit::emit(&api, &doc.file, &settings.runtime)?;
    Ok(Generated {
        files,
        warnings,
        api,
        inputs: doc.overlays.clone(),
    })
}

/// Lowers `doc`, with the error and the warnings located in its files, the warnings sorted.
fn lower_located(
    doc: &load::Document,
    settings: &Settings,
) -> Result<(ir::Api, Vec<Warning>), Error> {
    let (api, mut warnings) = lower::lower(doc, settings).map_err(|e| doc.locate(e))?;
    for w in &mut warnings {
        doc.locate_warning(w);
    }
    warnings.sort();
    Ok((api, warnings))
}

#[cfg(test)]
mod tests {
    use super::RuntimeSource;

    #[test]
    fn runtime_sources_parse_and_bad_ones_say_what_is_expected() {
        assert_eq!("vendored".parse(), Ok(RuntimeSource::Vendored));
        assert_eq!(
            "path=../runtime".parse(),
            Ok(RuntimeSource::Path("../runtime".to_owned()))
        );
        for req in ["0.1", "0.1.0", "^0.1.2", "=0.1.0", ">=0.1, <0.3", "0.*"] {
            assert_eq!(
                format!("version={req}").parse(),
                Ok(RuntimeSource::Version(req.to_owned())),
                "{req}"
            );
        }
        for bad in [
            "",
            "vendor",
            "path=",
            "version=",
            "version=latest",
            "git=x",
            "Vendored",
        ] {
            let err = bad.parse::<RuntimeSource>().unwrap_err();
            assert!(
                err.contains("`path=DIR`, `version=REQ` or `vendored`"),
                "{bad}: {err}"
            );
        }
        assert_eq!(
            RuntimeSource::default(),
            RuntimeSource::Version(crate::RUNTIME_VERSION.to_owned())
        );
    }
}
