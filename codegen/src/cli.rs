//! The command line of the generator, shared by `cargo xtask codegen` (in this repository) and
//! the installable command (`openapi-codegen`, in `cli/`), so that their flags, messages and
//! exit statuses cannot drift: 0 on success and for `--help`, 1 when generation or `--check`
//! fails, 2 for a mistake in the command line (printed with the usage).
//!
//! The two differ only in [`Command`]: the xtask knows the generator's workspace, so its
//! defaults are `spec/` and `generated/`, an output inside the workspace gets a `path`
//! dependency on `runtime/`, and a run into its own `generated/` keeps `runtime/api-surface.txt`
//! fresh. The installed command
//! knows no workspace: it reads `openapi.yaml` from the current folder by default, needs `--out`,
//! and vendors the runtime unless `--runtime` says otherwise, so its output builds anywhere.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::{RuntimeSource, Settings, TagFeatures};

/// More warnings than this are grouped by kind unless `--all-warnings` is given.
const WARNINGS_LISTED: usize = 20;

/// Who runs the command line.
#[derive(Debug, Clone)]
pub struct Command {
    /// The command as a user types it, for the usage and messages: `cargo xtask codegen`.
    pub name: String,
    /// The generator's own workspace (the xtask's), or `None` for an installed command.
    pub workspace: Option<PathBuf>,
}

/// Why a run failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A mistake in the command line: printed with the usage, exit status 2.
    Usage(String),
    /// Generation, writing or `--check` failed: exit status 1.
    Failed(String),
}

/// The usage text of `command`.
pub fn usage(command: &Command) -> String {
    let name = &command.name;
    let pad = " ".repeat(name.len() + 7);
    let (spec, out, runtime_default, surface) = match &command.workspace {
        Some(_) => (
            "spec/, which holds openapi.yaml",
            "generated/",
            "a path dependency on this workspace's\n                                     \
             runtime/ when the output is inside this workspace, else vendored",
            "\n\n  With the default --out, the runtime's public API is written to runtime/api-surface.txt\n  (checked by --check too).",
        ),
        None => (
            "the current folder, which holds openapi.yaml",
            "none: required",
            "vendored (the crate builds anywhere)",
            "",
        ),
    };
    format!(
        "\
usage: {name} [--spec FILE|DIR] [--out DIR] [--check] [--crate-name NAME]
{pad}[--tag TAG]... [--path-prefix PREFIX]... [--overlay FILE]...
{pad}[--all-warnings] [--allow-outside-refs]
{pad}[--runtime path=DIR|version=REQ|vendored]
{pad}[--tag-features auto|always|never]

  --spec FILE|DIR      the OpenAPI description (default: {spec})
  --out DIR            where to write the crate (default: {out})
  --check              write nothing; fail if the output differs from what is on disk
  --crate-name NAME    the Cargo package name (default: from the spec)
  --tag TAG            only operations with this tag (repeatable)
  --path-prefix PREFIX only paths starting with PREFIX (repeatable)
  --overlay FILE       an OpenAPI Overlay 1.0 file applied to the spec (repeatable, in order,
                       after <spec stem>.overlay.yaml beside the spec, which is always applied)
  --all-warnings       print every warning (by default, more than 20 are grouped by kind)
  --allow-outside-refs let `$ref`s reach files outside the spec's folder
  --tag-features WHEN  a cargo feature per tag: auto (specs of 100 operations or more, the
                       default), always or never
  -h, --help           print this help
  --runtime SOURCE     how the crate gets the runtime crate (openapi-client-runtime):
                       path=DIR      a path dependency (DIR as written in Cargo.toml, relative
                                     to the output directory)
                       version=REQ   a registry dependency, e.g. version=0.1
                       vendored      the runtime's sources (without tests) in src/runtime/
                       default: {runtime_default}{surface}"
    )
}

/// Runs the command line `args` (without the command's own name), prints what happened and
/// returns the exit status.
pub fn main(command: &Command, args: &[String]) -> ExitCode {
    match run(command, args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(e)) => {
            eprintln!("error: {e}\n\n{}", usage(command));
            ExitCode::from(2)
        }
        Err(Failure::Failed(e)) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The parsed command line.
struct Args {
    spec: PathBuf,
    out: Option<PathBuf>,
    check: bool,
    all_warnings: bool,
    help: bool,
    settings: Settings,
    runtime: Option<RuntimeSource>,
}

fn parse(command: &Command, args: &[String]) -> Result<Args, Failure> {
    let usage_error = |m: String| Failure::Usage(m);
    let mut parsed = Args {
        spec: command
            .workspace
            .as_ref()
            .map_or_else(|| PathBuf::from("."), |w| w.join("spec")),
        out: command.workspace.as_ref().map(|w| w.join("generated")),
        check: false,
        all_warnings: false,
        help: false,
        settings: Settings::default(),
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
            "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
            "--check" => parsed.check = true,
            "--crate-name" => parsed.settings.crate_name = Some(value("--crate-name")?),
            "--tag" => parsed.settings.tags.push(value("--tag")?),
            "--path-prefix" => parsed.settings.path_prefixes.push(value("--path-prefix")?),
            "--overlay" => parsed
                .settings
                .overlays
                .push(PathBuf::from(value("--overlay")?)),
            "--all-warnings" => parsed.all_warnings = true,
            "--allow-outside-refs" => parsed.settings.allow_outside_refs = true,
            "-h" | "--help" => parsed.help = true,
            "--tag-features" => {
                parsed.settings.tag_features = match value("--tag-features")?.as_str() {
                    "auto" => TagFeatures::Auto,
                    "always" => TagFeatures::Always,
                    "never" => TagFeatures::Never,
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
    let Some(out) = &parsed.out else {
        return Err(usage_error("--out DIR is required".to_owned()));
    };
    parsed.settings.runtime = match parsed.runtime.take() {
        Some(source) => source,
        None => default_runtime(command.workspace.as_deref(), out),
    };
    if parsed.spec.is_dir() {
        let dir = parsed.spec.clone();
        parsed.spec = ["openapi.yaml", "openapi.yml", "openapi.json"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
            .ok_or_else(|| {
                Failure::Failed(format!(
                    "{}: no openapi.yaml, openapi.yml or openapi.json in this directory",
                    dir.display()
                ))
            })?;
    }
    Ok(parsed)
}

/// The runtime source when `--runtime` is not given: a path dependency on `workspace/runtime`
/// for an output inside the generator's workspace (`generated/`, scratch crates under
/// `target/`), else `vendored`, so that a crate generated anywhere else never points back into
/// the generator's checkout and builds wherever it is moved.
pub fn default_runtime(workspace: Option<&Path>, out: &Path) -> RuntimeSource {
    let out = absolute(out);
    match workspace.map(absolute) {
        Some(root) if out.starts_with(&root) => {
            RuntimeSource::Path(relative_path(&out, &root.join("runtime")))
        }
        _ => RuntimeSource::Vendored,
    }
}

/// `path` made absolute against the current directory, with `.` and `..` resolved lexically.
pub fn absolute(path: &Path) -> PathBuf {
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

/// Parses `args` and generates, writes or checks; prints warnings and change reports.
pub fn run(command: &Command, args: &[String]) -> Result<(), Failure> {
    let args = parse(command, args)?;
    if args.help {
        println!("{}", usage(command));
        return Ok(());
    }
    let out = args.out.clone().unwrap_or_default();
    let failed = |e: crate::Error| Failure::Failed(e.to_string());
    // The runtime's surface (its sources read with `syn`, several times the work of generating
    // spec/) does not depend on the spec: it is refreshed only by a run that writes or checks
    // the workspace's own generated/, on another core while loading and lowering use one.
    let workspace = command
        .workspace
        .as_ref()
        .filter(|w| args.out.as_deref().map(absolute) == Some(absolute(&w.join("generated"))));
    let (generated, surface) = std::thread::scope(|scope| {
        let surface = workspace.map(|_| scope.spawn(crate::emit::surface::runtime_surface));
        let generated = crate::generate_file(&args.spec, &args.settings);
        let surface = surface.map(|s| s.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (generated, surface)
    });
    let generated = generated.map_err(failed)?;
    print_warnings(&generated.warnings, args.all_warnings);
    let surface = workspace
        .zip(surface)
        .map(|(w, s)| (w.join("runtime/api-surface.txt"), s));
    let old_surface = surface
        .as_ref()
        .map(|(p, _)| std::fs::read_to_string(p).unwrap_or_default());
    let stale_surface = match (&surface, &old_surface) {
        (Some((path, new)), Some(old)) if old != new => Some((path, old, new)),
        _ => None,
    };
    if args.check {
        let changes = crate::write::check(&out, &generated.files).map_err(failed)?;
        if !changes.is_empty() || stale_surface.is_some() {
            let mut msg = format!("{} is stale:", out.display());
            if let Some((path, _, _)) = &stale_surface {
                msg.push_str(&format!("\n  differs: {}", path.display()));
            }
            for f in &changes.written {
                msg.push_str(&format!("\n  differs: {f}"));
            }
            for f in &changes.removed {
                msg.push_str(&format!("\n  not generated any more: {f}"));
            }
            msg.push_str(&format!("\nrun `{}` and commit the result", command.name));
            return Err(Failure::Failed(msg));
        }
        println!(
            "{} is up to date ({} files)",
            out.display(),
            generated.files.len()
        );
        return Ok(());
    }
    if let Some((path, old, new)) = stale_surface {
        print_changes("runtime public API", &crate::emit::surface::diff(old, new));
        std::fs::write(path, new)
            .map_err(|e| Failure::Failed(format!("writing {}: {e}", path.display())))?;
    }
    report_api_changes(&out, &generated.files);
    let changes = crate::write::write(&out, &generated.files).map_err(failed)?;
    println!(
        "{}: {} file(s) written, {} removed, {} unchanged",
        out.display(),
        changes.written.len(),
        changes.removed.len(),
        generated.files.len() - changes.written.len()
    );
    Ok(())
}

/// Prints the warnings: all of them when there are few or `all` is set, else one line per kind
/// with a count and the places of its first cases.
pub fn print_warnings(warnings: &[crate::Warning], all: bool) {
    if all || warnings.len() <= WARNINGS_LISTED {
        for w in warnings {
            eprintln!("{w}");
        }
        return;
    }
    let groups = crate::group_warnings(warnings);
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
fn report_api_changes(out: &Path, files: &[crate::OutputFile]) {
    let Ok(old) = std::fs::read_to_string(out.join("api-surface.txt")) else {
        return;
    };
    let Some(new) = files.iter().find(|f| f.path == "api-surface.txt") else {
        return;
    };
    print_changes(
        "public API",
        &crate::emit::surface::diff(&old, &new.contents),
    );
}

/// Prints a change report: counts, the version bump it needs, then the lines.
fn print_changes(what: &str, changes: &crate::emit::surface::SurfaceChanges) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_inside_the_workspace_get_a_path_and_others_the_vendored_runtime() {
        let ws = Path::new("/repo");
        assert_eq!(
            default_runtime(Some(ws), Path::new("/repo/generated")),
            RuntimeSource::Path("../runtime".to_owned())
        );
        assert_eq!(
            default_runtime(Some(ws), Path::new("/repo/target/x/y")),
            RuntimeSource::Path("../../../runtime".to_owned())
        );
        assert_eq!(
            default_runtime(Some(ws), Path::new("/elsewhere/my-api")),
            RuntimeSource::Vendored
        );
        assert_eq!(
            default_runtime(None, Path::new("/repo/generated")),
            RuntimeSource::Vendored
        );
    }

    #[test]
    fn the_installed_command_needs_an_output_folder() {
        let cmd = Command {
            name: "openapi-codegen".to_owned(),
            workspace: None,
        };
        assert_eq!(
            run(&cmd, &[]).err(),
            Some(Failure::Usage("--out DIR is required".to_owned()))
        );
        assert!(usage(&cmd).starts_with("usage: openapi-codegen [--spec FILE|DIR]"));
    }
}
