//! A generated crate as a downstream user gets it: the `spec/` crate with the runtime vendored
//! (no path back into this checkout), in a directory that is its own workspace, and the cargo
//! commands that check it with warnings denied. `tests/runtime_crate.rs` runs them offline with
//! this workspace's lock file; `tests/fresh_build.rs` (CI) runs them after resolving every
//! dependency afresh, as a new user's first build does.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use codegen::{OutputFile, RuntimeSource};

/// The browser target that generated crates must build for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Generates the `spec/` crate as `crate_name` with the runtime vendored and writes it to `dir`
/// with a `[workspace]` table of its own, so no enclosing workspace claims it. Returns its files.
pub fn write_vendored(dir: &Path, crate_name: &str) -> Vec<OutputFile> {
    let settings = codegen::Settings {
        runtime: RuntimeSource::Vendored,
        ..crate::settings(crate_name)
    };
    let generated =
        codegen::generate_file(&crate::spec_path(), &settings).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(dir);
    codegen::write::write(dir, &generated.files).expect("write the crate");
    let manifest_path = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest_path).expect("read manifest");
    text.push_str("\n[workspace]\n");
    std::fs::write(&manifest_path, text).expect("write manifest");
    generated.files
}

/// One cargo command of the downstream checks, and the flags variable that denies warnings.
pub struct Check {
    /// The arguments after `cargo`.
    pub args: Vec<&'static str>,
    /// `RUSTFLAGS` or `RUSTDOCFLAGS`, set to `-D warnings`.
    pub flags: &'static str,
}

/// The checks: default features (aws-lc-rs), `ring` with `blocking` and `mock`, all features,
/// docs, doctests, and (with `wasm`) the default features for wasm32.
pub fn checks(wasm: bool) -> Vec<Check> {
    let check = |args: &[&'static str], flags| Check {
        args: args.to_vec(),
        flags,
    };
    let mut out = vec![
        check(&["check", "--all-targets"], "RUSTFLAGS"),
        check(
            &[
                "check",
                "--all-targets",
                "--no-default-features",
                "--features",
                "ring,blocking,mock",
            ],
            "RUSTFLAGS",
        ),
        check(&["check", "--all-targets", "--all-features"], "RUSTFLAGS"),
        check(&["doc", "--no-deps", "--all-features"], "RUSTDOCFLAGS"),
        check(&["test", "--doc", "--all-features"], "RUSTFLAGS"),
    ];
    if wasm {
        out.push(check(&["check", "--target", WASM_TARGET], "RUSTFLAGS"));
    }
    out
}

/// Whether rustup has the wasm32 target installed (its standard library is needed to check).
pub fn wasm_target_installed() -> bool {
    Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == WASM_TARGET)
        })
}

/// Runs each check in `dir` with `target_dir`, printing the command and how long it took.
/// `offline` adds `--offline`. Panics with cargo's output when one fails.
pub fn run(dir: &Path, target_dir: &Path, offline: bool, checks: &[Check]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for check in checks {
        let mut args = check.args.clone();
        if offline {
            args.push("--offline");
        }
        args.push("--quiet");
        let started = Instant::now();
        let output = Command::new(&cargo)
            .current_dir(dir)
            .args(&args)
            .env("CARGO_TARGET_DIR", target_dir)
            .env(check.flags, "-D warnings")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .expect("run cargo");
        assert!(
            output.status.success(),
            "`{}=\"-D warnings\" cargo {}` fails in {}:\n{}",
            check.flags,
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        eprintln!(
            "ok: {}=\"-D warnings\" cargo {} ({:.1} s)",
            check.flags,
            args.join(" "),
            started.elapsed().as_secs_f64()
        );
    }
}

/// The versions `Cargo.lock` in `dir` resolved for `names`, as `name version` lines.
pub fn locked_versions(dir: &Path, names: &[&str]) -> Vec<String> {
    let lock = std::fs::read_to_string(dir.join("Cargo.lock")).unwrap_or_default();
    let mut out = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_owned());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), &name) {
            if names.contains(&n.as_str()) {
                out.push(format!("{n} {}", v.trim_matches('"')));
            }
            name = None;
        }
    }
    out
}

/// A scratch directory outside this checkout (so no `.cargo/config.toml` or workspace of ours
/// applies): `<system temp>/<label>-<process id>`.
pub fn outside_dir(label: &str) -> PathBuf {
    std::env::temp_dir().join(format!("{label}-{}", std::process::id()))
}
