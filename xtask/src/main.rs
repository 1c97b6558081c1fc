//! Project automation. `cargo xtask codegen [--check]` regenerates `generated/` from `spec/`;
//! `cargo xtask bench [--quick]` runs the benchmarks in `bench/` and writes `BENCHMARKS.md`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask codegen [--spec FILE|DIR] [--out DIR] [--check] [--crate-name NAME]
                           [--tag TAG]... [--path-prefix PREFIX]...

  --spec FILE|DIR      the OpenAPI description (default: spec/, which holds openapi.yaml)
  --out DIR            where to write the crate (default: generated/)
  --check              write nothing; fail if the output differs from what is on disk
  --crate-name NAME    the Cargo package name (default: from the spec)
  --tag TAG            only operations with this tag (repeatable)
  --path-prefix PREFIX only paths starting with PREFIX (repeatable)

usage: cargo xtask bench [--quick] [--out FILE] [--only SECTIONS]

  Runs `cargo run --release -p bench` (see `cargo xtask bench --help`): generation speed and
  scale, compile cost of the output, client overhead; prints a table, writes BENCHMARKS.md.";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command `{other}`\n{USAGE}"),
    }
}

/// The workspace root (the parent of this crate's directory).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

struct CodegenArgs {
    spec: PathBuf,
    out: PathBuf,
    check: bool,
    settings: codegen::Settings,
}

fn parse_codegen_args(args: &[String]) -> Result<CodegenArgs> {
    let root = workspace_root();
    let mut parsed = CodegenArgs {
        spec: root.join("spec"),
        out: root.join("generated"),
        check: false,
        settings: codegen::Settings::default(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .with_context(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--spec" => parsed.spec = PathBuf::from(value("--spec")?),
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            "--check" => parsed.check = true,
            "--crate-name" => parsed.settings.crate_name = Some(value("--crate-name")?),
            "--tag" => parsed.settings.tags.push(value("--tag")?),
            "--path-prefix" => parsed.settings.path_prefixes.push(value("--path-prefix")?),
            other => bail!("unknown option `{other}`\n{USAGE}"),
        }
    }
    if parsed.spec.is_dir() {
        let dir = parsed.spec.clone();
        parsed.spec = ["openapi.yaml", "openapi.yml", "openapi.json"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
            .with_context(|| {
                format!(
                    "{}: no openapi.yaml, openapi.yml or openapi.json in this directory",
                    dir.display()
                )
            })?;
    }
    Ok(parsed)
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

fn codegen(args: &[String]) -> Result<()> {
    let args = parse_codegen_args(args)?;
    let generated = codegen::generate_file(&args.spec, &args.settings)?;
    for w in &generated.warnings {
        eprintln!("{w}");
    }
    if args.check {
        let changes = codegen::write::check(&args.out, &generated.files)?;
        if !changes.is_empty() {
            let mut msg = format!("{} is stale:", args.out.display());
            for f in &changes.written {
                msg.push_str(&format!("\n  differs: {f}"));
            }
            for f in &changes.removed {
                msg.push_str(&format!("\n  not generated any more: {f}"));
            }
            msg.push_str("\nrun `cargo xtask codegen` and commit the result");
            bail!(msg);
        }
        println!(
            "{} is up to date ({} files)",
            args.out.display(),
            generated.files.len()
        );
        return Ok(());
    }
    report_api_changes(&args.out, &generated.files);
    let changes = codegen::write::write(&args.out, &generated.files)?;
    println!(
        "{}: {} file(s) written, {} removed, {} unchanged",
        args.out.display(),
        changes.written.len(),
        changes.removed.len(),
        generated.files.len() - changes.written.len()
    );
    Ok(())
}

/// Prints what changed in the public API since the last generation into `out`, and whether it
/// breaks users, from the old and new `api-surface.txt`.
fn report_api_changes(out: &Path, files: &[codegen::OutputFile]) {
    let Ok(old) = std::fs::read_to_string(out.join("api-surface.txt")) else {
        return;
    };
    let Some(new) = files.iter().find(|f| f.path == "api-surface.txt") else {
        return;
    };
    let changes = codegen::emit::surface::diff(&old, &new.contents);
    if changes.breaking.is_empty() && changes.additive.is_empty() {
        println!("public API: unchanged");
        return;
    }
    println!(
        "public API: {} breaking change(s), {} addition(s){}",
        changes.breaking.len(),
        changes.additive.len(),
        if changes.breaking.is_empty() {
            "; a minor version bump is enough"
        } else {
            "; this needs a major version bump"
        }
    );
    for line in changes.breaking.iter().chain(&changes.additive) {
        println!("  {line}");
    }
}
