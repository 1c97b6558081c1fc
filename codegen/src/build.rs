//! Generating a client from a `build.rs`.
//!
//! ```no_run
//! // In `fn main` of the build.rs of a crate whose src/lib.rs is the two lines below:
//! codegen::build::Build::new("openapi.yaml")
//!     .overlay("openapi.rust.yaml") // optional; `openapi.overlay.yaml` is always applied
//!     .run();
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! #![doc = include_str!(concat!(env!("OUT_DIR"), "/openapi/docs.md"))]
//! include!(concat!(env!("OUT_DIR"), "/openapi/include.rs"));
//! ```
//!
//! [`Build::run`] writes the whole generated crate to `$OUT_DIR/openapi/` (or
//! [`Build::out_dir`]), plus two files made for a crate that includes it: `include.rs`, the
//! generated `lib.rs` without its inner attributes and crate docs, whose `mod` items point at the
//! generated files by absolute `#[path]`, and `docs.md`, the crate docs. Include it at the root of
//! a crate of its own: the code names its modules `crate::types`, `crate::runtime`. That crate's
//! `Cargo.toml` needs what the generated `Cargo.toml` (written beside, for reference) lists:
//! `openapi-client-runtime`, `serde`, `serde_json`, and a `mock` feature enabling
//! `openapi-client-runtime/mock` for the test doubles (with `Settings::runtime` set to
//! `Vendored`, the runtime's own dependencies instead of it). The package name defaults to the
//! including crate's (`CARGO_PKG_NAME`), so the generated doc examples name it.
//!
//! It prints `cargo::rerun-if-changed` for the spec, every file its `$ref`s reached and every
//! overlay, and each warning as `cargo::warning`. An error is printed as `cargo::error` with its
//! file, line and JSON pointer, and fails the build; the output folder is left as it was.

use std::path::{Path, PathBuf};

use crate::{Error, Settings, Warning};

/// Settings for generating a client in a build script.
#[derive(Debug, Clone)]
pub struct Build {
    spec: PathBuf,
    settings: Settings,
    out_dir: Option<PathBuf>,
}

/// What [`Build::generate`] wrote.
#[derive(Debug, Clone)]
pub struct Output {
    /// The folder holding the generated crate, `include.rs` and `docs.md`.
    pub dir: PathBuf,
    /// `include.rs`: the file to `include!` at the root of the crate.
    pub include: PathBuf,
    /// What the generator tolerated or approximated.
    pub warnings: Vec<Warning>,
    /// Every file read: the spec, the files its `$ref`s reached, the overlays.
    pub inputs: Vec<PathBuf>,
}

impl Build {
    /// Generation from the spec at `spec` (a path relative to the crate's folder, where build
    /// scripts run), with default settings.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Self {
            spec: spec.into(),
            settings: Settings::default(),
            out_dir: None,
        }
    }

    /// Replaces the settings (crate name, tags, runtime source, ...). Overlays added before
    /// are kept after those of `settings`.
    #[must_use]
    pub fn settings(mut self, mut settings: Settings) -> Self {
        settings.overlays.append(&mut self.settings.overlays);
        self.settings = settings;
        self
    }

    /// Applies an OpenAPI Overlay file after the one beside the spec (repeatable, in order).
    #[must_use]
    pub fn overlay(mut self, file: impl Into<PathBuf>) -> Self {
        self.settings.overlays.push(file.into());
        self
    }

    /// Writes into `dir` instead of `$OUT_DIR/openapi`.
    #[must_use]
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates and writes the crate, `include.rs` and `docs.md`; prints nothing.
    pub fn generate(&self) -> Result<Output, Error> {
        let dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(|d| PathBuf::from(d).join("openapi"))
                .ok_or_else(|| Error::Output {
                    path: PathBuf::from("OUT_DIR"),
                    message: "not set: call `Build::run` from a build script, or set `out_dir`"
                        .to_owned(),
                })?,
        };
        let mut settings = self.settings.clone();
        if settings.crate_name.is_none() {
            settings.crate_name = std::env::var("CARGO_PKG_NAME").ok();
        }
        let generated = crate::generate_file(&self.spec, &settings)?;
        let dir = crate::cli::absolute(&dir);
        let (include, docs) = include_form(&dir, &generated.files);
        let mut files = generated.files.clone();
        for (path, contents) in [("include.rs", include), ("docs.md", docs)] {
            files.push(crate::OutputFile {
                path: path.to_owned(),
                contents,
                emitted: false,
            });
        }
        crate::write::write(&dir, &files)?;
        Ok(Output {
            include: dir.join("include.rs"),
            dir,
            warnings: generated.warnings,
            inputs: generated.inputs,
        })
    }

    /// For `build.rs`: generates, prints `cargo::rerun-if-changed` for every file read and
    /// `cargo::warning` for every warning; on an error prints it as `cargo::error` and exits
    /// with status 1, so the build fails with the error's file, line and pointer.
    pub fn run(&self) {
        println!("cargo::rerun-if-changed={}", self.spec.display());
        for overlay in &self.settings.overlays {
            println!("cargo::rerun-if-changed={}", overlay.display());
        }
        match self.generate() {
            Ok(output) => {
                for input in &output.inputs {
                    println!("cargo::rerun-if-changed={}", input.display());
                }
                for w in &output.warnings {
                    println!("cargo::warning={}", one_line(&w.to_string()));
                }
            }
            Err(e) => {
                println!("cargo::error={}", one_line(&e.to_string()));
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
    }
}

/// Cargo reads one directive a line.
fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// The generated `lib.rs` as a file to `include!` (no inner attributes or `//!` docs, which
/// `include!` refuses; `mod x;` items get the absolute `#[path]` of their file in `dir`, since
/// `include!` would look for them beside the including file) and its crate docs as Markdown.
fn include_form(dir: &Path, files: &[crate::OutputFile]) -> (String, String) {
    let lib = files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .map_or("", |f| f.contents.as_str());
    let mut code = String::new();
    let mut docs = String::new();
    for line in lib.lines() {
        if let Some(doc) = line.strip_prefix("//!") {
            docs.push_str(doc.strip_prefix(' ').unwrap_or(doc));
            docs.push('\n');
            continue;
        }
        if line.starts_with("#![") {
            continue;
        }
        let name = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
            .and_then(|rest| rest.strip_suffix(';'));
        if let Some(name) = name {
            let file = [format!("src/{name}.rs"), format!("src/{name}/mod.rs")]
                .into_iter()
                .find(|p| files.iter().any(|f| &f.path == p));
            if let Some(file) = file {
                let path = dir.join(file);
                code.push_str(&format!("#[path = {:?}]\n", path.display().to_string()));
            }
        }
        code.push_str(line);
        code.push('\n');
    }
    (code, docs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OutputFile;

    #[test]
    fn the_include_form_points_modules_at_their_files_and_keeps_the_docs_apart() {
        let file = |path: &str, contents: &str| OutputFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
            emitted: true,
        };
        let files = [
            file(
                "src/lib.rs",
                "// @generated\n#![cfg_attr(rustfmt, rustfmt::skip)]\n//! # Title\n//!\n//! Text.\n#![deny(missing_docs)]\npub mod resources;\npub mod types;\n#[cfg(feature = \"mock\")]\npub mod mock;\npub mod prelude {\n    pub use crate::types;\n}\n",
            ),
            file("src/types.rs", ""),
            file("src/resources/mod.rs", ""),
            file("src/mock.rs", ""),
        ];
        let (code, docs) = include_form(Path::new("/out"), &files);
        assert_eq!(docs, "# Title\n\nText.\n");
        assert_eq!(
            code,
            "// @generated\n#[path = \"/out/src/resources/mod.rs\"]\npub mod resources;\n#[path = \"/out/src/types.rs\"]\npub mod types;\n#[cfg(feature = \"mock\")]\n#[path = \"/out/src/mock.rs\"]\npub mod mock;\npub mod prelude {\n    pub use crate::types;\n}\n"
        );
    }
}
