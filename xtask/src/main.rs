//! Project automation. `cargo xtask codegen [--check]` regenerates `generated/` from `spec/`;
//! `cargo xtask bench [--quick]` runs the benchmarks in `bench/` and writes `BENCHMARKS.md`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask codegen [--spec FILE|DIR] [--out DIR] [--check] [--crate-name NAME]
                           [--tag TAG]... [--path-prefix PREFIX]... [--all-warnings]
                           [--allow-outside-refs] [--runtime path=DIR|version=REQ|vendored]
                           [--tag-features auto|always|never]

  --spec FILE|DIR      the OpenAPI description (default: spec/, which holds openapi.yaml)
  --out DIR            where to write the crate (default: generated/)
  --check              write nothing; fail if the output differs from what is on disk
  --crate-name NAME    the Cargo package name (default: from the spec)
  --tag TAG            only operations with this tag (repeatable)
  --path-prefix PREFIX only paths starting with PREFIX (repeatable)
  --all-warnings       print every warning (by default, more than 20 are grouped by kind)
  --allow-outside-refs let `$ref`s reach files outside the spec's folder
  --tag-features WHEN  a cargo feature per tag: auto (specs of 100 operations or more, the
                       default), always or never
  -h, --help           print this help
  --runtime SOURCE     how the crate gets the runtime crate (openapi-client-runtime):
                       path=DIR      a path dependency (DIR as written in Cargo.toml, relative
                                     to the output directory); the default, pointing at this
                                     workspace's runtime/
                       version=REQ   a registry dependency, e.g. version=0.1
                       vendored      the runtime's sources (without tests) in src/runtime/

  The runtime's public API is written to runtime/api-surface.txt (checked by --check too).

usage: cargo xtask bench [--quick] [--out FILE] [--only SECTIONS]

  Runs `cargo run --release -p bench` (see `cargo xtask bench --help`): generation speed and
  scale, compile cost of the output, client overhead; prints a table, writes BENCHMARKS.md.";

/// More warnings than this are grouped by kind unless `--all-warnings` is given.
const WARNINGS_LISTED: usize = 20;

/// A mistake in the command line: printed with the usage, exit status 2.
#[derive(Debug)]
struct UsageError(String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn usage_error(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(message.into()))
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<UsageError>().is_some() => {
            eprintln!("error: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
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
        Some(other) => Err(usage_error(format!("unknown command `{other}`"))),
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
    all_warnings: bool,
    help: bool,
    settings: codegen::Settings,
    runtime: Option<codegen::RuntimeSource>,
}

fn parse_codegen_args(args: &[String]) -> Result<CodegenArgs> {
    let root = workspace_root();
    let mut parsed = CodegenArgs {
        spec: root.join("spec"),
        out: root.join("generated"),
        check: false,
        all_warnings: false,
        help: false,
        settings: codegen::Settings::default(),
        runtime: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| usage_error(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--spec" => parsed.spec = PathBuf::from(value("--spec")?),
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            "--check" => parsed.check = true,
            "--crate-name" => parsed.settings.crate_name = Some(value("--crate-name")?),
            "--tag" => parsed.settings.tags.push(value("--tag")?),
            "--path-prefix" => parsed.settings.path_prefixes.push(value("--path-prefix")?),
            "--all-warnings" => parsed.all_warnings = true,
            "--allow-outside-refs" => parsed.settings.allow_outside_refs = true,
            "-h" | "--help" => parsed.help = true,
            "--tag-features" => {
                parsed.settings.tag_features = match value("--tag-features")?.as_str() {
                    "auto" => codegen::TagFeatures::Auto,
                    "always" => codegen::TagFeatures::Always,
                    "never" => codegen::TagFeatures::Never,
                    other => {
                        return Err(usage_error(format!(
                            "--tag-features: `{other}` is not auto, always or never"
                        )));
                    }
                }
            }
            "--runtime" => {
                let v = value("--runtime")?;
                parsed.runtime = Some(
                    v.parse()
                        .map_err(|e: String| usage_error(format!("--runtime: {e}")))?,
                );
            }
            other => return Err(usage_error(format!("unknown option `{other}`"))),
        }
    }
    if parsed.help {
        return Ok(parsed);
    }
    parsed.settings.runtime = match parsed.runtime.take() {
        Some(source) => source,
        None => codegen::RuntimeSource::Path(relative_path(
            &absolute(&parsed.out),
            &root.join("runtime"),
        )),
    };
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

/// `path` made absolute against the current directory, with `.` and `..` resolved lexically.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The path of `to` relative to the directory `from` (both absolute), with `/` separators, or
/// `to` itself when they share no prefix (another drive).
fn relative_path(from: &Path, to: &Path) -> String {
    let to = absolute(to);
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return to.display().to_string();
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
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
    if args.help {
        println!("{USAGE}");
        return Ok(());
    }
    // The runtime's surface (its sources read with `syn`) does not depend on the spec: it is
    // computed on another core while loading and lowering use one.
    let (generated, surface) = std::thread::scope(|scope| {
        let surface = scope.spawn(codegen::emit::surface::runtime_surface);
        let generated = codegen::generate_file(&args.spec, &args.settings);
        let surface = surface
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (generated, surface)
    });
    let generated = generated?;
    print_warnings(&generated.warnings, args.all_warnings);
    let surface_path = workspace_root().join("runtime/api-surface.txt");
    let old_surface = std::fs::read_to_string(&surface_path).unwrap_or_default();
    if args.check {
        let changes = codegen::write::check(&args.out, &generated.files)?;
        let stale_surface = old_surface != surface;
        if !changes.is_empty() || stale_surface {
            let mut msg = format!("{} is stale:", args.out.display());
            if stale_surface {
                msg.push_str(&format!("\n  differs: {}", surface_path.display()));
            }
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
    if old_surface != surface {
        print_changes(
            "runtime public API",
            &codegen::emit::surface::diff(&old_surface, &surface),
        );
        std::fs::write(&surface_path, &surface)
            .with_context(|| format!("writing {}", surface_path.display()))?;
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

/// Prints the warnings: all of them when there are few or `all` is set, else one line per kind
/// with a count and the places of its first cases.
fn print_warnings(warnings: &[codegen::Warning], all: bool) {
    if all || warnings.len() <= WARNINGS_LISTED {
        for w in warnings {
            eprintln!("{w}");
        }
        return;
    }
    let groups = codegen::group_warnings(warnings);
    eprintln!(
        "{} warnings of {} kinds (`--all-warnings` lists every one):",
        warnings.len(),
        groups.len()
    );
    for g in &groups {
        eprintln!("warning: {} x {}", g.count, g.kind);
        for at in &g.first {
            eprintln!("    at {at}");
        }
        if g.count > g.first.len() {
            eprintln!("    and {} more", g.count - g.first.len());
        }
    }
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
    print_changes(
        "public API",
        &codegen::emit::surface::diff(&old, &new.contents),
    );
}

/// Prints a change report: counts, the version bump it needs, then the lines.
fn print_changes(what: &str, changes: &codegen::emit::surface::SurfaceChanges) {
    if changes.breaking.is_empty() && changes.additive.is_empty() && changes.renamed.is_empty() {
        println!("{what}: unchanged");
        return;
    }
    println!(
        "{what}: {} breaking change(s), {} addition(s){}",
        changes.breaking.len() + changes.renamed.len(),
        changes.additive.len(),
        if changes.breaking.is_empty() && changes.renamed.is_empty() {
            "; a minor version bump is enough"
        } else {
            "; this needs a major version bump"
        }
    );
    for line in &changes.renamed {
        println!("  renamed {line}");
    }
    for line in changes.breaking.iter().chain(&changes.additive) {
        println!("  {line}");
    }
}
