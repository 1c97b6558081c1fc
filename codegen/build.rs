//! Embeds the runtime crate (`../runtime/`) into the generator: its name and version (for the
//! dependency line of generated crates) and, for `vendored` output, its sources without their
//! `#[cfg(test)]` modules and its dependency sections (also the target-specific ones). Files are listed in sorted order.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    if let Err(message) = run() {
        println!("cargo::error={message}");
    }
}

fn run() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let src = root.join("src");
    let manifest_path = root.join("Cargo.toml");
    println!("cargo::rerun-if-changed={}", src.display());
    println!("cargo::rerun-if-changed={}", manifest_path.display());
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let out_dir = std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?;
    let copies = Path::new(&out_dir).join("runtime");
    std::fs::create_dir_all(&copies).map_err(|e| format!("{}: {e}", copies.display()))?;

    let mut names: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(&src).map_err(|e| format!("{}: {e}", src.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", src.display()))?;
        // Vendored crates get the files right in `src/`: a module folder would be left out of
        // them, so it is refused here rather than found missing in a user's build.
        if entry.path().is_dir() {
            return Err(format!(
                "{}: the runtime's modules must be files right in src/ (vendored output copies \
                 only those); move this folder's modules up or teach codegen/build.rs to copy it",
                entry.path().display()
            ));
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".rs") {
            names.push(name);
        }
    }
    names.sort();
    let mut out = String::from(
        "/// The runtime's sources without their tests, by file name in `src/runtime/` (`lib.rs` \
         becomes `mod.rs`), in sorted order.\npub const RUNTIME_FILES: &[(&str, &str)] = &[\n",
    );
    for name in &names {
        let path = src.join(name);
        println!("cargo::rerun-if-changed={}", path.display());
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let stripped = strip_tests(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let copy = copies.join(name);
        std::fs::write(&copy, stripped).map_err(|e| format!("{}: {e}", copy.display()))?;
        let target = if name == "lib.rs" { "mod.rs" } else { name };
        let _ = writeln!(
            out,
            "    ({target:?}, include_str!({:?})),",
            copy.display().to_string()
        );
    }
    out.push_str("];\n");
    let field = |key: &str| -> Result<String, String> {
        manifest
            .lines()
            .find_map(|l| l.strip_prefix(key)?.trim().strip_prefix('=').map(str::trim))
            .map(|v| v.trim_matches('"').to_owned())
            .ok_or_else(|| format!("{}: no `{key}`", manifest_path.display()))
    };
    // The target-specific tables too (`[target.'cfg(..)'.dependencies]`: native TLS and timers,
    // wasm32 timers), so a vendored crate builds for the same targets as the runtime.
    let deps = sections(&manifest, |header| {
        header == "[dependencies]"
            || header == "[features]"
            || (header.starts_with("[target.") && header.ends_with(".dependencies]"))
    })
    .ok_or_else(|| format!("{}: no [dependencies]", manifest_path.display()))?;
    let _ = writeln!(
        out,
        "/// The runtime's package name.\npub const RUNTIME_PACKAGE: &str = {:?};\n\
         /// The runtime's version.\npub const RUNTIME_VERSION: &str = {:?};\n\
         /// The runtime's `[dependencies]` (also per target) and `[features]`, for a `vendored` crate's manifest.\n\
         pub const VENDORED_DEPENDENCIES: &str = {deps:?};",
        field("name")?,
        field("version")?,
    );
    let file = Path::new(&out_dir).join("runtime_files.rs");
    std::fs::write(&file, out).map_err(|e| format!("{}: {e}", file.display()))
}

/// The text without its trailing `#[cfg(test)] mod tests { ... }`, which must be the last item.
fn strip_tests(text: &str) -> Result<String, String> {
    let Some(at) = text.find("\n#[cfg(test)]\n") else {
        return Ok(text.to_owned());
    };
    let rest = &text[at..];
    if text[at + 1..].contains("\n#[cfg(test)]\n") || !rest.contains("\nmod tests {") {
        return Err("the only `#[cfg(test)]` item must be a `mod tests` at the end".to_owned());
    }
    if !rest.trim_end().ends_with('}') {
        return Err("the test module must end the file".to_owned());
    }
    Ok(format!("{}\n", text[..at].trim_end()))
}

/// The TOML sections whose header `wanted` accepts (each from its header to the next header), in
/// file order.
fn sections(manifest: &str, wanted: impl Fn(&str) -> bool) -> Option<String> {
    let mut out = String::new();
    let mut keep = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            keep = wanted(line.trim());
            if keep && !out.is_empty() {
                out = format!("{}\n\n", out.trim_end());
            }
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    (!out.is_empty()).then(|| out.trim_end().to_owned() + "\n")
}
