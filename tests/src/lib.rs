//! Shared helpers for the workspace tests: where things are, and building generated crates.

use std::path::{Path, PathBuf};
use std::process::Command;

pub mod calls;
pub mod constructs;
pub mod corpus;
pub mod downstream;
pub mod prism;
pub mod prism_driver;
pub mod sdk;
pub mod streams;

/// The Rust examples in README.md, compiled as doctests so that the README stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;

use codegen::{OutputFile, Settings};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// Our own spec, `spec/openapi.yaml`.
pub fn spec_path() -> PathBuf {
    root().join("spec/openapi.yaml")
}

/// Cloudflare's published spec for these operations in `../shared/upstream/`, if present.
/// Tests that need it print why they skipped when it is absent.
pub fn upstream_spec(ext: &str) -> Option<PathBuf> {
    let p = root().join(format!(
        "../shared/upstream/cloudflare-client-certificates.openapi.{ext}"
    ));
    if p.is_file() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: {} is absent (it lives in ../shared beside the repository)",
            p.display()
        );
        None
    }
}

/// The fixture specs in `tests/fixtures/<group>/`, sorted by name, as (name, path). A folder
/// holding `openapi.yaml` is one multi-file fixture named after the folder.
pub fn fixtures(group: &str) -> Vec<(String, PathBuf)> {
    let dir = root().join("tests/fixtures").join(group);
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter_map(|p| {
            if p.is_dir() {
                let name = p.file_name()?.to_string_lossy().into_owned();
                let root = p.join("openapi.yaml");
                return root.is_file().then_some((name, root));
            }
            let name = p.file_stem()?.to_string_lossy().into_owned();
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "json")
                .then_some((name, p))
        })
        .collect();
    out.sort();
    out
}

/// The settings `cargo xtask codegen` uses for `generated/`: the runtime by path, `../runtime`
/// (the scratch workspaces of [`check_crates`] get a copy of the runtime there too).
pub fn settings(crate_name: &str) -> Settings {
    Settings {
        crate_name: Some(crate_name.to_owned()),
        runtime: codegen::RuntimeSource::Path("../runtime".to_owned()),
        ..Settings::default()
    }
}

/// Generates a crate from a spec file with [`settings`], panicking with the generator's message
/// on failure.
pub fn generate(path: &Path, crate_name: &str) -> codegen::Generated {
    let settings = settings(crate_name);
    codegen::generate_file(path, &settings).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Copies the runtime crate (manifest, README and sources) to `dir/runtime`.
pub fn copy_runtime(dir: &Path) {
    let from = root().join("runtime");
    let to = dir.join("runtime");
    std::fs::create_dir_all(to.join("src")).expect("create runtime copy");
    for name in ["Cargo.toml", "README.md"] {
        std::fs::copy(from.join(name), to.join(name)).expect("copy runtime manifest");
    }
    for entry in std::fs::read_dir(from.join("src")).expect("runtime sources") {
        let path = entry.expect("runtime source").path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, to.join("src").join(name)).expect("copy runtime source");
        }
    }
}

/// Writes each crate into one scratch workspace (with a copy of the runtime crate at `runtime/`,
/// where `../runtime` path dependencies find it) and runs `cargo check` over all of them with
/// warnings denied and every feature on (`blocking`, `mock`), offline, reusing this workspace's
/// lock file so no network is needed.
/// Panics with cargo's output if anything fails to compile.
pub fn check_crates(label: &str, crates: &[(String, Vec<OutputFile>)]) {
    let target = root().join("target");
    let dir = target.join("compile-tests").join(label);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch workspace");
    copy_runtime(&dir);
    let mut members: Vec<String> = crates.iter().map(|(name, _)| format!("{name:?}")).collect();
    members.push("\"runtime\"".to_owned());
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("write workspace manifest");
    if let Ok(lock) = std::fs::read(root().join("Cargo.lock")) {
        std::fs::write(dir.join("Cargo.lock"), lock).expect("copy lock file");
    }
    for (name, files) in crates {
        codegen::write::write(&dir.join(name), files)
            .unwrap_or_else(|e| panic!("write {name}: {e}"));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // `check` proves the code compiles without warnings; `doc` proves spec text makes no rustdoc
    // warnings (broken links, stray HTML, code blocks compiled as Rust).
    for (args, flags) in [
        (
            &[
                "check",
                "--offline",
                "--workspace",
                "--exclude",
                codegen::RUNTIME_PACKAGE,
                "--all-targets",
                "--all-features",
                "--quiet",
            ][..],
            "RUSTFLAGS",
        ),
        (
            &[
                "doc",
                "--offline",
                "--workspace",
                "--exclude",
                codegen::RUNTIME_PACKAGE,
                "--no-deps",
                "--all-features",
                "--quiet",
            ][..],
            "RUSTDOCFLAGS",
        ),
    ] {
        let output = Command::new(&cargo)
            .current_dir(&dir)
            .args(args)
            .env("CARGO_TARGET_DIR", target.join("compile-tests-target"))
            .env(flags, "-D warnings")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .expect("run cargo");
        assert!(
            output.status.success(),
            "`cargo {}` fails on the generated crates in {}:\n{}",
            args[0],
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Checks one crate with cargo features per tag: with no features, each feature alone, and all
/// of them (check with warnings denied), then its docs with all features. Panics with cargo's
/// output on failure. Returns the features checked alone.
pub fn check_features(label: &str, crate_name: &str, files: &[OutputFile]) -> Vec<String> {
    check_crates(label, &[(crate_name.to_owned(), files.to_vec())]);
    let dir = root().join("target").join("compile-tests").join(label);
    let manifest = files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .map(|f| f.contents.clone())
        .unwrap_or_default();
    let features: Vec<String> = manifest
        .lines()
        .skip_while(|l| !l.starts_with("full = "))
        .skip(1)
        .filter_map(|l| l.strip_suffix(" = []"))
        .map(|l| l.trim_matches('"').to_owned())
        .collect();
    assert!(
        !features.is_empty(),
        "{crate_name}: no per-tag features in Cargo.toml"
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut runs: Vec<Vec<String>> = vec![vec!["--no-default-features".to_owned()]];
    for f in &features {
        runs.push(vec![
            "--no-default-features".to_owned(),
            "--features".to_owned(),
            f.clone(),
        ]);
    }
    // The mock names the operations' types too: with one tag's feature it must compile as well.
    runs.push(vec![
        "--no-default-features".to_owned(),
        "--features".to_owned(),
        format!("mock,{}", features[0]),
    ]);
    runs.push(vec!["--all-features".to_owned()]);
    for extra in runs {
        let output = Command::new(&cargo)
            .current_dir(&dir)
            .args([
                "check",
                "--offline",
                "--quiet",
                "--all-targets",
                "-p",
                crate_name,
            ])
            .args(&extra)
            .env(
                "CARGO_TARGET_DIR",
                root().join("target").join("compile-tests-target"),
            )
            .env("RUSTFLAGS", "-D warnings")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .expect("run cargo");
        assert!(
            output.status.success(),
            "`cargo check {}` fails on {crate_name} in {}:\n{}",
            extra.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    features
}

/// Copies a hand-written test file into one crate of a scratch workspace made by
/// [`check_crates`] and runs it with `cargo test`, offline. Panics with cargo's output on failure.
pub fn run_crate_test(label: &str, crate_name: &str, test_file: &Path) {
    let target = root().join("target");
    let crate_dir = target.join("compile-tests").join(label).join(crate_name);
    let name = test_file.file_name().expect("file name");
    std::fs::create_dir_all(crate_dir.join("tests/support")).expect("tests dir");
    std::fs::copy(test_file, crate_dir.join("tests").join(name)).expect("copy test");
    // The shared loopback server, as the test's `mod support;`.
    std::fs::copy(
        root().join("tests/fixtures/wire/support/mod.rs"),
        crate_dir.join("tests/support/mod.rs"),
    )
    .expect("copy the test server");
    let stem = test_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(&cargo)
        .current_dir(&crate_dir)
        .args([
            "test",
            "--offline",
            "--quiet",
            "--all-features",
            "--test",
            &stem,
        ])
        .env("CARGO_TARGET_DIR", target.join("compile-tests-target"))
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo test");
    assert!(
        output.status.success(),
        "{crate_name}: `cargo test --test {stem}` failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
