//! The real-world corpus: every public spec in `../shared/realworld/` is generated, checked and
//! documented with warnings denied, and measured (one table row per spec).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One spec of the corpus: a short name and its root file.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file or folder name under `realworld/`, such as `oxide.json` or `digitalocean`.
    pub name: String,
    /// The root file of the description.
    pub root: PathBuf,
}

/// The corpus folder, or `None` (after printing `SKIPPED:`) when it is absent outside CI.
/// Under CI (`CI` set) a missing folder is a failure, not a skip.
/// `REALWORLD_DIR` points elsewhere (a worktree whose `../shared` is not beside it).
pub fn folder() -> Option<PathBuf> {
    let dir = std::env::var_os("REALWORLD_DIR")
        .map_or_else(|| crate::root().join("../shared/realworld"), PathBuf::from);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is absent; CI must have ../shared beside the repository",
        dir.display()
    );
    eprintln!(
        "SKIPPED: {} is absent (it lives in ../shared beside the repository)",
        dir.display()
    );
    None
}

/// Every spec in the corpus, sorted by name: each top-level `.json`/`.yaml`/`.yml` file, and for
/// each folder the one file in it whose text starts an OpenAPI document (`openapi:` at the top).
pub fn specs(dir: &Path) -> Vec<Spec> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            let mut roots = Vec::new();
            find_roots(&path, &mut roots);
            roots.sort();
            assert_eq!(
                roots.len(),
                1,
                "{}: expected one OpenAPI root file, found {roots:?}",
                path.display()
            );
            out.push(Spec {
                name,
                root: roots.remove(0),
            });
        } else if is_spec_file(&path) {
            out.push(Spec { name, root: path });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn is_spec_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
}

fn find_roots(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            find_roots(&path, out);
        } else if is_spec_file(&path) {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if text
                .lines()
                .any(|l| l.starts_with("openapi:") || l.starts_with("\"openapi\":"))
            {
                out.push(path);
            }
        }
    }
}

/// What one spec gave.
#[derive(Debug, Clone)]
pub struct Row {
    /// The spec's name.
    pub name: String,
    /// Operations in the spec (after `$ref`s), generated, and skipped with their reasons.
    pub operations: usize,
    /// Operations generated.
    pub generated: usize,
    /// Why operations were skipped, one line per warning that says so.
    pub skipped: Vec<String>,
    /// Named types emitted.
    pub types: usize,
    /// Warnings by kind (count, kind), the largest first.
    pub warnings: Vec<(usize, String)>,
    /// Emitted lines (generated files only).
    pub lines: usize,
    /// Generation, `cargo check` and `cargo doc` wall times.
    pub times: [Duration; 3],
    /// Peak memory of the `cargo check` process tree, in bytes (sampled every 50 ms).
    pub check_peak: u64,
    /// What the generator found: base URL, credential styles, typed error bodies, pagination.
    pub found: Found,
    /// The calls a user types: handles, chain depth, verbs, fallbacks, sample calls.
    pub calls: crate::calls::Calls,
    /// The streaming calls: `.stream()` and `.bytes_stream()`.
    pub streams: crate::streams::Streams,
}

/// What the generator found in a spec, for the second table.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// The default base URL, if the spec names a server.
    pub base_url: Option<String>,
    /// Each security scheme as `key: style`.
    pub credentials: Vec<String>,
    /// Operations with typed error bodies, and the distinct error types.
    pub error_ops: usize,
    /// The distinct error body types.
    pub error_types: Vec<String>,
    /// Paginated operations by style (`x-rust-pagination`'s names), such as `cursor: 40`, the
    /// most used first.
    pub pagination: Vec<(String, usize)>,
}

impl Found {
    /// The table header matching [`Found::line`].
    pub const HEADER: &str = "| spec | base URL | credential styles | typed error bodies | pagination styles |\n|---|---|---|---|---|";

    fn of(api: &codegen::ir::Api) -> Self {
        use codegen::ir::SchemeKind;
        let credentials = api
            .security_schemes
            .iter()
            .map(|s| {
                let style = match &s.kind {
                    SchemeKind::Bearer => "bearer".to_owned(),
                    SchemeKind::Basic => "basic".to_owned(),
                    SchemeKind::OAuth2 => "OAuth2 token".to_owned(),
                    SchemeKind::ApiKey { location, name } => {
                        format!("API key in {location:?} `{name}`").to_lowercase()
                    }
                };
                format!("{}: {style}", s.key)
            })
            .collect();
        let ops: Vec<&codegen::ir::Operation> =
            api.resources.iter().flat_map(|r| &r.operations).collect();
        let mut error_types: Vec<String> = ops
            .iter()
            .flat_map(|o| &o.errors)
            .map(|e| match &e.ty {
                codegen::ir::TypeRef::Named(name) => name.to_string(),
                other => format!("{other:?}"),
            })
            .collect();
        error_types.sort();
        error_types.dedup();
        let mut pagination: Vec<(String, usize)> = Vec::new();
        for p in ops.iter().filter_map(|o| o.pagination.as_ref()) {
            let style = p.style_name();
            match pagination.iter_mut().find(|(s, _)| s == style) {
                Some((_, n)) => *n += 1,
                None => pagination.push((style.to_owned(), 1)),
            }
        }
        pagination.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Self {
            base_url: api.base_url.clone(),
            credentials,
            error_ops: ops.iter().filter(|o| !o.errors.is_empty()).count(),
            error_types,
            pagination,
        }
    }

    /// One Markdown table row.
    pub fn line(&self, spec: &str) -> String {
        let shown: Vec<&str> = self
            .error_types
            .iter()
            .take(4)
            .map(String::as_str)
            .collect();
        let more = self.error_types.len().saturating_sub(shown.len());
        format!(
            "| {spec} | {} | {} | {} operations; types: {}{} | {} |",
            self.base_url
                .as_deref()
                .unwrap_or("none (the builder requires one)"),
            if self.credentials.is_empty() {
                "none declared".to_owned()
            } else {
                self.credentials.join("; ")
            },
            self.error_ops,
            if shown.is_empty() {
                "none".to_owned()
            } else {
                shown.join(", ")
            },
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
            if self.pagination.is_empty() {
                "none".to_owned()
            } else {
                self.pagination
                    .iter()
                    .map(|(s, n)| format!("{s}: {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        )
    }
}

impl Row {
    /// The table header matching [`Row::line`].
    pub const HEADER: &str = "| spec | operations generated / in spec | skipped (why) | types | warnings by kind | emitted lines | generation | cargo check | check peak memory | cargo doc |\n|---|---|---|---|---|---|---|---|---|---|";

    /// One Markdown table row.
    pub fn line(&self) -> String {
        let skipped = if self.skipped.is_empty() {
            "0".to_owned()
        } else {
            format!("{}: {}", self.skipped.len(), self.skipped.join("; "))
        };
        let warnings = if self.warnings.is_empty() {
            "0".to_owned()
        } else {
            self.warnings
                .iter()
                .map(|(n, k)| format!("{n} x {}", k.replace('|', "\\|")))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        format!(
            "| {} | {} / {} | {} | {} | {} | {} | {:.1} s | {:.1} s | {} MiB | {:.1} s |",
            self.name,
            self.generated,
            self.operations,
            skipped.replace('|', "\\|"),
            self.types,
            warnings,
            self.lines,
            self.times[0].as_secs_f64(),
            self.times[1].as_secs_f64(),
            self.check_peak / (1024 * 1024),
            self.times[2].as_secs_f64(),
        )
    }
}

/// Counts the operations a document declares: HTTP-method keys of every path item.
fn count_operations(doc: &codegen::load::Document) -> usize {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let Some(paths) = doc.root.get("paths").and_then(|p| p.as_object()) else {
        return 0;
    };
    paths
        .iter()
        .filter_map(|(path, item)| {
            let ptr = codegen::load::child("#/paths", path);
            doc.deref(item, &ptr).ok().map(|(v, _)| v)
        })
        .filter_map(serde_json::Value::as_object)
        .map(|item| {
            item.keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .count()
        })
        .sum()
}

/// Generates `spec` into a scratch crate, checks and documents it with warnings denied, and
/// measures it. Panics with the tool's output when generation, `check` or `doc` fails.
pub fn run(spec: &Spec) -> Row {
    let crate_name = format!("corpus-{}", spec.name.replace(['.', '_'], "-"));
    // The runtime by an absolute path: the scratch crate sits outside this workspace, and a
    // copy would be rebuilt (its files new) on every run.
    let settings = codegen::Settings {
        runtime: codegen::RuntimeSource::Path(crate::root().join("runtime").display().to_string()),
        ..crate::settings(&crate_name)
    };
    let started = Instant::now();
    let doc = codegen::load::load_file(&spec.root)
        .unwrap_or_else(|e| panic!("{}: does not load: {e}", spec.name));
    let generated = codegen::generate_doc(&doc, &settings)
        .unwrap_or_else(|e| panic!("{}: does not generate: {e}", spec.name));
    let gen_time = started.elapsed();
    let operations = count_operations(&doc);
    let generated_ops: usize = generated
        .api
        .resources
        .iter()
        .map(|r| r.operations.len())
        .sum();
    let skipped: Vec<String> = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("operation skipped"))
        .map(|w| format!("{} ({})", w.location.pointer, w.message))
        .collect();
    let warnings = codegen::group_warnings(&generated.warnings)
        .into_iter()
        .map(|g| (g.count, g.kind))
        .collect();
    let lines = generated
        .files
        .iter()
        .filter(|f| f.emitted)
        .map(|f| f.contents.lines().count())
        .sum();

    let target = crate::root().join("target");
    // A scratch workspace of one member, outside this workspace, with this workspace's lock file.
    let workspace = target.join("compile-tests").join(&crate_name);
    let dir = workspace.join(&crate_name);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{crate_name:?}]\n"),
    )
    .expect("workspace manifest");
    if let Ok(lock) = std::fs::read(crate::root().join("Cargo.lock")) {
        std::fs::write(workspace.join("Cargo.lock"), lock).expect("lock file");
    }
    codegen::write::write(&dir, &generated.files)
        .unwrap_or_else(|e| panic!("{}: write: {e}", spec.name));
    let target_dir = target.join("compile-tests-target");
    // Every feature on (each tag's, for large specs), then a sample of single tag features alone.
    let (check_time, check_peak) = cargo(
        &workspace,
        &target_dir,
        &["check", "--offline", "--quiet", "--all-features"],
        "RUSTFLAGS",
        &spec.name,
    );
    let features = &generated.api.features;
    let mut sample: Vec<&str> = Vec::new();
    if let Some(f) = features.iter().find(|f| f.name == "dns-records-for-a-zone") {
        sample.push(&f.name);
    }
    if let Some(f) = features
        .iter()
        .max_by_key(|f| (f.operations, std::cmp::Reverse(&f.name)))
    {
        if !sample.contains(&f.name.as_str()) {
            sample.push(&f.name);
        }
    }
    for f in &sample {
        let (took, peak) = cargo(
            &workspace,
            &target_dir,
            &[
                "check",
                "--offline",
                "--quiet",
                "--no-default-features",
                "--features",
                f,
            ],
            "RUSTFLAGS",
            &spec.name,
        );
        println!(
            "{}: feature `{f}` alone: clean `cargo check` {:.1} s, peak {} MiB",
            spec.name,
            took.as_secs_f64(),
            peak / (1024 * 1024)
        );
    }
    if !features.is_empty() {
        println!(
            "{}: {} features per tag; checked all together and {} alone",
            spec.name,
            features.len(),
            sample.len()
        );
    }
    let (doc_time, _) = cargo(
        &workspace,
        &target_dir,
        &["doc", "--offline", "--no-deps", "--quiet", "--all-features"],
        "RUSTDOCFLAGS",
        &spec.name,
    );
    Row {
        name: spec.name.clone(),
        operations,
        generated: generated_ops,
        skipped,
        types: generated.api.types.len(),
        warnings,
        lines,
        times: [gen_time, check_time, doc_time],
        check_peak,
        found: Found::of(&generated.api),
        calls: crate::calls::Calls::of(&generated.api),
        streams: crate::streams::Streams::of(&generated.api),
    }
}

/// Runs cargo with `flags_var=-D warnings`, returning its wall time and the peak memory of its
/// process tree. Panics with cargo's output on failure.
fn cargo(dir: &Path, target: &Path, args: &[&str], flags_var: &str, name: &str) -> (Duration, u64) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let started = Instant::now();
    let mut child = Command::new(cargo)
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env(flags_var, "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cargo");
    let pid = child.id();
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut s) = stderr {
            let _ = std::io::Read::read_to_string(&mut s, &mut text);
        }
        text
    });
    let mut peak = 0u64;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for cargo") {
            break status;
        }
        peak = peak.max(tree_rss(pid));
        std::thread::sleep(Duration::from_millis(50));
    };
    let took = started.elapsed();
    let stderr = reader.join().unwrap_or_default();
    assert!(
        status.success(),
        "{name}: `cargo {}` fails with warnings denied in {}:\n{stderr}",
        args[0],
        dir.display()
    );
    (took, peak)
}

/// The resident memory of `pid` and all its descendants, in bytes, from `/proc`.
fn tree_rss(pid: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut procs: Vec<(u32, u32, u64)> = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let Ok(p) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(status) = std::fs::read_to_string(format!("/proc/{p}/status")) else {
            continue;
        };
        let field = |key: &str| {
            status
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        };
        let ppid = field("PPid:")
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0);
        procs.push((p, ppid, field("VmRSS:").unwrap_or(0) * 1024));
    }
    let mut tree = vec![pid];
    let mut total = 0;
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        for &(p, ppid, rss) in &procs {
            if p == parent {
                total += rss;
            }
            if ppid == parent && !tree.contains(&p) {
                tree.push(p);
            }
        }
        i += 1;
    }
    total
}
