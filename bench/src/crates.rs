//! Generated crates in the scratch dir for sections 6 to 8: written by a measured generator
//! process, then checked "crate-only": the dependencies are checked first through an empty crate
//! with the same manifest and lock file in the same target dir, so that the timed `cargo check`
//! compiles the generated crate alone. Peak memory comes from `wait4` (src/rusage.rs).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::compile::dependencies_only;
use crate::rusage::{self, Measured};
use crate::util::{cargo, runtime_args, workspace_root};

/// A crate in the scratch dir with a target dir of its own (shared with its dependencies-only
/// twin, and with other crates of the same dependencies).
pub struct Checked {
    /// The crate's folder.
    pub dir: PathBuf,
    /// Its package name.
    pub name: String,
    /// `CARGO_TARGET_DIR` for every cargo command on it.
    pub target: PathBuf,
}

impl Checked {
    /// The crate in `dir` (which must hold a Cargo.toml), checked in `target`.
    pub fn new(dir: &Path, target: &Path) -> Result<Self> {
        let manifest = read(&dir.join("Cargo.toml"))?;
        let name = package_name(&manifest)
            .with_context(|| format!("no package name in {}/Cargo.toml", dir.display()))?;
        Ok(Self {
            dir: dir.to_owned(),
            name,
            target: target.to_owned(),
        })
    }

    /// `cargo <args> --offline` in the crate's folder, measured.
    pub fn cargo(&self, args: &[&str]) -> Result<Measured> {
        self.cargo_in(&self.dir, args)
    }

    fn cargo_in(&self, dir: &Path, args: &[&str]) -> Result<Measured> {
        let mut cmd = cargo();
        cmd.args(args)
            .arg("--offline")
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_TERM_COLOR", "never");
        rusage::run(&cmd)
    }

    /// Checks the dependencies alone with `flags` (such as `--all-features`): an empty crate
    /// beside this one with its manifest and lock file. Returns the seconds it took.
    pub fn prepare(&self, flags: &[&str]) -> Result<f64> {
        let deps = self
            .dir
            .with_file_name(format!("{}-dependencies-only", self.name));
        if !deps.exists() {
            dependencies_only(&self.dir, &deps)?;
        }
        let mut args = vec!["check", "--quiet"];
        args.extend_from_slice(flags);
        Ok(self.cargo_in(&deps, &args)?.seconds)
    }

    /// A clean `cargo check` of this crate alone with `flags`: its own artifacts are removed
    /// first (`cargo clean -p` in its own scratch target dir), the dependencies were checked
    /// by [`Checked::prepare`].
    pub fn clean_check(&self, flags: &[&str]) -> Result<Measured> {
        self.cargo(&["clean", "--quiet", "-p", &self.name])?;
        self.check(flags)
    }

    /// `cargo check` with `flags`, as it stands.
    pub fn check(&self, flags: &[&str]) -> Result<Measured> {
        let mut args = vec!["check"];
        args.extend_from_slice(flags);
        let measured = self.cargo(&args)?;
        let stderr = String::from_utf8_lossy(&measured.stderr);
        // A dependency compiled here would make the time more than the crate's own.
        if let Some(other) = stderr
            .lines()
            .map(str::trim_start)
            .filter_map(|l| l.strip_prefix("Checking ").or(l.strip_prefix("Compiling ")))
            .find(|l| !l.starts_with(&format!("{} ", self.name)))
        {
            bail!(
                "`cargo check` of {} also compiled {other}: the dependencies were not ready",
                self.name
            );
        }
        Ok(measured)
    }

    /// Marks `file` (relative to the crate) as changed without changing it.
    pub fn touch(&self, file: &str) -> Result<()> {
        let path = self.dir.join(file);
        // File modification times have a coarse grain on some file systems.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::File::options()
            .append(true)
            .open(&path)
            .and_then(|f| f.set_modified(SystemTime::now()))
            .with_context(|| format!("touching {}", path.display()))
    }

    /// The largest generated Rust file under `src/` (the runtime copy and the `mock` module
    /// left out: they compile only with features), relative to the crate: what a one-file
    /// change recompiles at worst.
    pub fn largest_file(&self) -> Result<String> {
        let mut best: Option<(u64, PathBuf)> = None;
        let mut stack = vec![self.dir.join("src")];
        while let Some(dir) = stack.pop() {
            for entry in
                std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
            {
                let path = entry?.path();
                if path.is_dir() {
                    if path.file_name().is_some_and(|n| n != "runtime") {
                        stack.push(path);
                    }
                } else if path.extension().is_some_and(|e| e == "rs")
                    && path != self.dir.join("src/mock.rs")
                {
                    let len = path.metadata()?.len();
                    if best.as_ref().is_none_or(|(l, p)| (len, &path) > (*l, p)) {
                        best = Some((len, path));
                    }
                }
            }
        }
        let (_, path) = best.with_context(|| format!("no .rs file in {}", self.dir.display()))?;
        Ok(path
            .strip_prefix(&self.dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned())
    }
}

/// Writes a crate with the release xtask (`codegen --spec SPEC --out DIR`, plus `extra`) into a
/// fresh `dir`, measured, then copies the workspace's lock file into it.
pub fn generate(xtask: &Path, spec: &Path, extra: &[&str], dir: &Path) -> Result<Measured> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("emptying {}", dir.display()))?;
    }
    let measured = rusage::run(
        Command::new(xtask)
            .arg("codegen")
            .arg("--spec")
            .arg(spec)
            .args(extra)
            .args(runtime_args())
            .arg("--out")
            .arg(dir),
    )?;
    let lock = workspace_root().join("Cargo.lock");
    std::fs::copy(&lock, dir.join("Cargo.lock"))
        .with_context(|| format!("copying {} into {}", lock.display(), dir.display()))?;
    Ok(measured)
}

/// The text of a file, with its name in the error.
pub fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// The `name` of the `[package]` table of a Cargo manifest.
pub fn package_name(manifest: &str) -> Option<String> {
    table(manifest, "package")
        .into_iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.trim().trim_matches('"').to_owned())
}

/// The flags that compile every operation of a generated crate: `--features full` when it has
/// a feature per tag (the `mock` test doubles stay off), none otherwise.
pub fn every_operation(manifest: &str) -> &'static [&'static str] {
    if features(manifest).iter().any(|(k, _)| k == "full") {
        &["--features", "full"]
    } else {
        &[]
    }
}

/// The `[features]` of a Cargo manifest: each name with the text of its value.
pub fn features(manifest: &str) -> Vec<(String, String)> {
    table(manifest, "features")
}

/// The keys of one top-level table of a Cargo manifest (as the generators write them: one
/// `key = value` a line, values continued on indented or bracketed lines), with their values'
/// text, continuation lines included.
fn table(manifest: &str, name: &str) -> Vec<(String, String)> {
    let header = format!("[{name}]");
    let mut inside = false;
    let mut out: Vec<(String, String)> = Vec::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        let continuing = inside && out.last().is_some_and(|(_, v)| open(v));
        if !continuing && trimmed.starts_with('[') && !line.starts_with(char::is_whitespace) {
            inside = trimmed == header;
            continue;
        }
        if !inside || trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match (
            continuing || line.starts_with(char::is_whitespace),
            trimmed.split_once('='),
        ) {
            (false, Some((key, value))) => out.push((
                key.trim().trim_matches('"').to_owned(),
                value.trim().to_owned(),
            )),
            _ => {
                if let Some((_, value)) = out.last_mut() {
                    value.push(' ');
                    value.push_str(trimmed);
                }
            }
        }
    }
    out
}

/// Whether a value's text still has an array open.
fn open(value: &str) -> bool {
    value.matches('[').count() > value.matches(']').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"# @generated
[package]
name = "cloudflare"
version = "0.1.0"

[dependencies]
serde = { version = "1", features = ["derive"] }

[features]
default = []
blocking = ["openapi-client-runtime/blocking"]
"dns-records-for-a-zone" = []
zones = [
    "dns-records-for-a-zone",
]
full = ["zones", "dns-records-for-a-zone"]

[dev-dependencies]
tokio = "1"
"#;

    #[test]
    fn reads_the_package_name_and_the_features() {
        assert_eq!(package_name(MANIFEST).as_deref(), Some("cloudflare"));
        let names: Vec<String> = features(MANIFEST).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            names,
            [
                "default",
                "blocking",
                "dns-records-for-a-zone",
                "zones",
                "full"
            ]
        );
        let zones = features(MANIFEST)
            .into_iter()
            .find(|(k, _)| k == "zones")
            .map(|(_, v)| v);
        assert_eq!(zones.as_deref(), Some("[ \"dns-records-for-a-zone\", ]"));
        assert!(features("[package]\nname = \"x\"\n").is_empty());
    }
}
