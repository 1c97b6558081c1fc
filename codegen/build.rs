//! Embeds the hand-written runtime (`runtime/*.rs`, `runtime/DEPENDENCIES.toml`) into the
//! generator, so that every generated crate gets a verbatim copy. Files are listed in sorted order.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".rs"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from(
        "/// The runtime files, by name, in sorted order.\npub const RUNTIME_FILES: &[(&str, &str)] = &[\n",
    );
    for name in &names {
        let path = dir.join(name);
        println!("cargo::rerun-if-changed={}", path.display());
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let deps = dir.join("DEPENDENCIES.toml");
    println!("cargo::rerun-if-changed={}", deps.display());
    let _ = writeln!(
        out,
        "/// The generated crate's dependency sections.\npub const DEPENDENCIES: &str = include_str!({:?});",
        deps.display().to_string()
    );
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".to_owned());
    if let Err(e) = std::fs::write(Path::new(&out_dir).join("runtime_files.rs"), out) {
        println!("cargo::error=cannot write runtime_files.rs: {e}");
    }
}
