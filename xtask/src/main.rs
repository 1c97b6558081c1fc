//! Project automation. `cargo xtask codegen [--check]` regenerates `generated/` from `spec/`;
//! `cargo xtask bench [--quick]` runs the benchmarks in `bench/` and writes `BENCHMARKS.md`.
//!
//! `codegen` is the generator's shared command line (`codegen::cli`), the same one the
//! installable `openapi-codegen` command runs, told that it runs in this workspace.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

/// Generation allocates many small token trees on every core; mimalloc serves them in about
/// half the time of the system allocator (ARCHITECTURE.md, "Formatting runs in parallel").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BENCH_USAGE: &str = "\
usage: cargo xtask bench [--quick] [--out FILE] [--only SECTIONS]

  Runs `cargo run --release -p bench` (see `cargo xtask bench --help`): generation speed and
  scale, compile cost of the output, client overhead; prints a table, writes BENCHMARKS.md.";

fn codegen_command() -> codegen::cli::Command {
    codegen::cli::Command {
        name: "cargo xtask codegen".to_owned(),
        workspace: Some(workspace_root()),
    }
}

fn usage() -> String {
    format!(
        "{}\n\n{BENCH_USAGE}",
        codegen::cli::usage(&codegen_command())
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => codegen::cli::main(&codegen_command(), &args[1..]),
        Some("bench") => match bench(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        },
        Some("-h" | "--help") | None => {
            println!("{}", usage());
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("error: unknown command `{other}`\n\n{}", usage());
            ExitCode::from(2)
        }
    }
}

/// The workspace root (the parent of this crate's directory).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs the benchmark binary in release mode, passing the arguments on. The work is in `bench/`,
/// so that this crate stays small and quick to build.
fn bench(args: &[String]) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["run", "--release", "--quiet", "-p", "bench", "--"])
        .args(args)
        .current_dir(workspace_root())
        .status()
        .context("could not run cargo")?;
    if !status.success() {
        bail!("the benchmarks failed ({status})");
    }
    Ok(())
}
