//! Helpers shared by the benchmark sections: where things are, running commands, timing loops,
//! scratch directories and number formatting.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// `--runtime path=<this workspace's runtime/>`: measured crates keep the runtime as a path
/// dependency wherever they are written (the xtask vendors it outside the workspace otherwise).
pub fn runtime_args() -> [String; 2] {
    [
        "--runtime".to_owned(),
        format!("path={}", workspace_root().join("runtime").display()),
    ]
}

/// The `cargo` that started us (cargo sets `CARGO` for `cargo run`), or the one on `PATH`.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs a command to completion with its output captured, failing with its stderr when it does
/// not succeed. Returns the output and the wall time it took.
pub fn run(cmd: &mut Command) -> Result<(Output, Duration)> {
    let shown = format!("{cmd:?}");
    let start = Instant::now();
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not start {shown}"))?;
    let took = start.elapsed();
    if !output.status.success() {
        bail!(
            "{shown} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok((output, took))
}

/// Runs `f` at least `min` and at most `max` times, stopping early once `budget` is spent, and
/// returns what each run returned.
pub fn repeat<T>(
    min: usize,
    max: usize,
    budget: Duration,
    mut f: impl FnMut() -> Result<T>,
) -> Result<Vec<T>> {
    let start = Instant::now();
    let mut out = Vec::new();
    while out.len() < min || (out.len() < max && start.elapsed() < budget) {
        out.push(f()?);
    }
    Ok(out)
}

/// Times one call of `f`.
pub fn timed<T>(f: impl FnOnce() -> Result<T>) -> Result<(T, Duration)> {
    let start = Instant::now();
    let value = f()?;
    Ok((value, start.elapsed()))
}

/// A scratch directory under the system temp dir, outside the workspace, removed on drop.
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// Creates (or empties) `<tmp>/cfcc-bench-<pid>`.
    pub fn new() -> Result<Self> {
        let path = std::env::temp_dir().join(format!("cfcc-bench-{}", std::process::id()));
        if path.exists() {
            std::fs::remove_dir_all(&path)
                .with_context(|| format!("could not empty {}", path.display()))?;
        }
        std::fs::create_dir_all(&path)
            .with_context(|| format!("could not create {}", path.display()))?;
        Ok(Self { path })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover directory in /tmp is harmless and named by our pid.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Seconds as milliseconds with a precision that suits the size.
pub fn ms(secs: f64) -> String {
    let ms = secs * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

/// Seconds, with two decimals.
pub fn secs(secs: f64) -> String {
    format!("{secs:.2} s")
}

/// Seconds as microseconds.
pub fn us(secs: f64) -> String {
    format!("{:.1} µs", secs * 1e6)
}

/// A byte count in KiB or MiB.
pub fn bytes(n: f64) -> String {
    if n.abs() < 1024.0 * 1024.0 {
        format!("{:.1} KiB", n / 1024.0)
    } else {
        format!("{:.1} MiB", n / (1024.0 * 1024.0))
    }
}

/// A ratio such as `1.03x`.
pub fn ratio(r: f64) -> String {
    format!("{r:.2}x")
}

/// The lines of Rust in a generated crate's `src/`: the client, without the verbatim runtime
/// copy and without `src/mock.rs` (the opt-in test doubles of feature `mock`).
pub fn generated_lines(crate_dir: &Path) -> Result<usize> {
    fn walk(dir: &Path, total: &mut usize) -> Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "runtime") {
                    walk(&path, total)?;
                }
            } else if path.extension().is_some_and(|e| e == "rs")
                && !(path.file_name().is_some_and(|n| n == "mock.rs")
                    && path.parent().is_some_and(|p| p.ends_with("src")))
            {
                *total += std::fs::read_to_string(&path)?.lines().count();
            }
        }
        Ok(())
    }
    let mut total = 0;
    walk(&crate_dir.join("src"), &mut total)?;
    Ok(total)
}
