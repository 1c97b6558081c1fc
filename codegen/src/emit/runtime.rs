//! The hand-written runtime, copied verbatim into every generated crate at `src/runtime/`.
//!
//! The source of truth is `codegen/runtime/`; `build.rs` embeds it, so editing a runtime file and
//! running `cargo xtask codegen` updates every output.

use super::OutputFile;

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// The runtime files as output files.
pub fn files() -> Vec<OutputFile> {
    RUNTIME_FILES
        .iter()
        .map(|(name, contents)| OutputFile {
            path: format!("src/runtime/{name}"),
            contents: (*contents).to_owned(),
            emitted: false,
        })
        .collect()
}
