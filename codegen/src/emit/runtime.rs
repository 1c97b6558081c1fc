//! The runtime crate as seen by a generated crate: its name and version for the dependency line,
//! and, in `vendored` mode, copies of its sources (without tests) at `src/runtime/`.
//!
//! The source of truth is `runtime/`; `build.rs` embeds it, so editing a runtime file and running
//! `cargo xtask codegen` updates every vendored output.

use super::OutputFile;

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// The runtime crate's library name, as used in paths.
pub fn lib_name() -> String {
    RUNTIME_PACKAGE.replace('-', "_")
}

/// The runtime's sources as output files of the crate `crate_lib`. Doc examples that name the
/// runtime crate are pointed at the copy (`<crate>::runtime::`), so they compile there too.
pub fn vendored_files(crate_lib: &str) -> Vec<OutputFile> {
    let from = format!("{}::", lib_name());
    let to = format!("{crate_lib}::runtime::");
    RUNTIME_FILES
        .iter()
        .map(|(name, contents)| OutputFile {
            path: format!("src/runtime/{name}"),
            contents: contents.replace(&from, &to),
            emitted: false,
        })
        .collect()
}
