//! Section 6: Cloudflare's whole API (`../shared/realworld/cloudflare.json`) as one crate: how
//! long the release xtask takes to generate it and its peak memory, the emitted lines, and a
//! clean `cargo check` of the crate alone with all features and with one tag's feature, then
//! after touching one generated file. The figures from before issue 13 are shown beside each
//! (from an earlier run, not this one).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::Mode;
use crate::crates::{self, Checked};
use crate::report::{Report, Row, Verdict};
use crate::util::{generated_lines, ratio, secs, workspace_root};
use bench::plot::{Point, Series, Style};
use bench::stats::median;

/// The feature measured for "one tag", when the crate has it.
pub const PREFERRED_TAG: &str = "dns-records-for-a-zone";

/// Before issue 13: generation seconds, generation peak bytes, emitted lines, clean check
/// seconds and peak bytes (all features; the crate had no others).
const BEFORE_GENERATION: f64 = 3.9;
const BEFORE_PEAK: f64 = 111.0 * MB;
const BEFORE_LINES: f64 = 385_788.0;
const BEFORE_CHECK: f64 = 249.0;
const BEFORE_CHECK_PEAK: f64 = 6.1 * GB;

/// Megabytes and gigabytes as the targets count them (binary, as everywhere in this report).
pub const MB: f64 = 1024.0 * 1024.0;
/// See [`MB`].
pub const GB: f64 = 1024.0 * MB;

const REMEDY_GENERATION: &str = "Formatting (syn parsing the tokens, then prettyplease) is most \
    of generation (section 2b), already on every core: emit fewer tokens (the lines row; \
    `use` imports in place of `crate::runtime::..` paths), or build syn's tree without \
    reparsing.";
const REMEDY_LINES: &str = "Move what every operation repeats into the runtime: one generic \
    request type driven by per-operation data instead of a builder per operation.";
const REMEDY_CHECK: &str = "The dependencies were checked first, so this is the crate's own \
    unit, which grows with the emitted lines (section 8's plot): fewer lines (the lines row) \
    and fewer monomorphised generic calls per operation; users who need part of the API \
    compile one tag's feature (the next rows).";
const REMEDY_TAG: &str = "A tag's feature must pull in only its operations and the types they \
    reach: split the types into modules by tag so that the rest is not even parsed.";

/// The spec, or why it is missing. Under CI a missing spec is an error.
pub fn real_spec(name: &str) -> Result<Option<PathBuf>> {
    let path = workspace_root().join("../shared/realworld").join(name);
    if path.is_file() {
        return Ok(Some(path));
    }
    if std::env::var_os("CI").is_some() {
        bail!(
            "{} is absent; CI must have ../shared beside the repository",
            path.display()
        );
    }
    Ok(None)
}

/// The operations in a JSON or YAML OpenAPI document: methods under `paths`.
pub fn operations(spec: &Path) -> Result<usize> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "patch", "head", "options", "trace",
    ];
    let text = crates::read(spec)?;
    let doc: serde_json::Value = if text.trim_start().starts_with('{') {
        serde_json::from_str(&text).with_context(|| format!("parsing {}", spec.display()))?
    } else {
        serde_norway::from_str(&text).with_context(|| format!("parsing {}", spec.display()))?
    };
    let paths = doc
        .get("paths")
        .and_then(|p| p.as_object())
        .with_context(|| format!("{}: no `paths` object", spec.display()))?;
    Ok(paths
        .values()
        .filter_map(|item| item.as_object())
        .map(|item| {
            item.keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .count()
        })
        .sum())
}

/// A time as the targets judge it, CPU seconds of the process and the processes it waited for,
/// with the wall time beside it. The generator and rustc's check of one crate each use one core,
/// so on an idle machine their wall time is their CPU time; on a shared one the wall time also
/// counts the time spent waiting for a core.
pub fn cpu_wall(cpu: f64, wall: f64) -> String {
    format!("CPU {} (wall {})", secs(cpu), secs(wall))
}

/// Memory in MiB or GiB.
pub fn memory(bytes: f64) -> String {
    if bytes >= GB {
        format!("{:.2} GiB", bytes / GB)
    } else {
        format!("{:.0} MiB", bytes / MB)
    }
}

/// A count with thousands separators.
pub fn count(n: f64) -> String {
    let digits = format!("{n:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The feature for "one tag": [`PREFERRED_TAG`] if present, else the first that is neither
/// `default`, `full` nor a runtime switch (a value naming `openapi-client-runtime/`).
pub fn tag_feature(features: &[(String, String)]) -> Option<String> {
    if features.iter().any(|(k, _)| k == PREFERRED_TAG) {
        return Some(PREFERRED_TAG.to_owned());
    }
    features
        .iter()
        .find(|(k, v)| {
            !matches!(k.as_str(), "default" | "full") && !v.contains("openapi-client-runtime/")
        })
        .map(|(k, _)| k.clone())
}

/// Section 6.
pub fn whole(
    report: &mut Report,
    mode: &Mode,
    xtask: &Path,
    scratch: &Path,
    growth: &mut Vec<Series>,
) -> Result<()> {
    let Some(spec) = real_spec("cloudflare.json")? else {
        report.section("6. Cloudflare's whole API");
        report.push(Row::new(
            "Whole Cloudflare spec",
            "skipped: ../shared/realworld/cloudflare.json is absent",
        ));
        return Ok(());
    };
    let ops = operations(&spec)?;
    report.section(format!(
        "6. Cloudflare's whole API ({} operations) as one crate",
        count(ops as f64)
    ));

    // Generation: the release xtask into a fresh folder each time.
    let runs = if mode.quick { 3 } else { 5 };
    let dir = scratch.join("cloudflare");
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut peaks = Vec::new();
    eprintln!("  (generating the whole Cloudflare spec {runs} times)");
    for _ in 0..runs {
        let m = crates::generate(xtask, &spec, &[], &dir)?;
        times.push(m.seconds);
        cpu.push(m.cpu);
        peaks.push(m.peak_rss);
    }
    let (generation, peak) = (median(&cpu), median(&peaks));
    report.push(
        Row::new(
            format!("`xtask codegen --spec cloudflare.json --out <fresh dir>` (median of {runs})"),
            cpu_wall(generation, median(&times)),
        )
        .baseline(
            format!("before issue 13: {}", secs(BEFORE_GENERATION)),
            ratio(generation / BEFORE_GENERATION),
        )
        // Issue 19's target is the wall time a maintainer waits (generation runs on every core).
        .target("< 1.0 s wall", Verdict::of(median(&times) < 1.0))
        .remedy(REMEDY_GENERATION),
    );
    report.push(
        Row::new("Peak RSS of that xtask process (median)", memory(peak))
            .baseline(
                format!("before issue 13: {}", memory(BEFORE_PEAK)),
                ratio(peak / BEFORE_PEAK),
            )
            .target("< 150 MB", Verdict::of(peak < 150.0 * MB))
            .remedy(
                "Files are formatted item by item on every core, but the `mock` module's \
             operation table (one static listing every operation) is a single item: its tokens \
             and syntax tree are most of the peak. A table per resource would bound it.",
            ),
    );
    let lines = generated_lines(&dir)? as f64;
    report.push(
        Row::new(
            "Emitted Rust (without the runtime)",
            format!("{} lines", count(lines)),
        )
        .baseline(
            format!("before issue 13: {}", count(BEFORE_LINES)),
            ratio(lines / BEFORE_LINES),
        )
        .target(
            "≤ 0.5x before (half)",
            Verdict::of(lines <= BEFORE_LINES / 2.0),
        )
        .remedy(REMEDY_LINES),
    );

    let manifest = crates::read(&dir.join("Cargo.toml"))?;
    let tag = tag_feature(&crates::features(&manifest));
    let krate = Checked::new(&dir, &scratch.join("target-cloudflare"))?;
    let mut point = Point {
        operations: ops as f64,
        generation: Some(generation),
        peak: Some(peak),
        check: None,
    };

    if !mode.quick {
        eprintln!(
            "  (checking the dependencies, then the whole Cloudflare crate, every tag's feature)"
        );
        let every = crates::every_operation(&manifest);
        let deps = krate.prepare(every)?;
        let all = krate.clean_check(every)?;
        point.check = Some(all.cpu);
        report.push(
            Row::new(
                "Clean `cargo check --features full` (every tag) of the crate alone",
                cpu_wall(all.cpu, all.seconds),
            )
            .baseline(
                format!(
                    "before issue 13: {} (its dependencies, checked first: {})",
                    secs(BEFORE_CHECK),
                    secs(deps)
                ),
                ratio(all.cpu / BEFORE_CHECK),
            )
            .target("≤ 90 s", Verdict::of(all.cpu <= 90.0))
            .remedy(REMEDY_CHECK),
        );
        report.push(
            Row::new("Peak RSS of that check (rustc)", memory(all.peak_rss))
                .baseline(
                    format!("before issue 13: {}", memory(BEFORE_CHECK_PEAK)),
                    ratio(all.peak_rss / BEFORE_CHECK_PEAK),
                )
                .target("≤ 2.5 GB", Verdict::of(all.peak_rss <= 2.5 * GB))
                .remedy(REMEDY_CHECK),
        );
        let file = krate.largest_file()?;
        krate.touch(&file)?;
        let touched = krate.check(every)?;
        let noop = krate.check(every)?;
        report.push(
            Row::new(
                format!("`cargo check --features full` after touching {file} (the largest file)"),
                cpu_wall(touched.cpu, touched.seconds),
            )
            .baseline(
                format!("no-op `cargo check` {}", cpu_wall(noop.cpu, noop.seconds)),
                ratio(touched.cpu / noop.cpu),
            ),
        );
    }

    match tag {
        Some(tag) => {
            let flags = ["--no-default-features", "--features", tag.as_str()];
            eprintln!("  (checking the dependencies, then the crate with the feature {tag})");
            let deps = krate.prepare(&flags)?;
            let one = krate.clean_check(&flags)?;
            report.push(
                Row::new(
                    format!("Clean `cargo check --no-default-features --features {tag}`"),
                    cpu_wall(one.cpu, one.seconds),
                )
                .baseline(
                    format!("its dependencies, checked first: {}", secs(deps)),
                    String::new(),
                )
                .target("≤ 10 s", Verdict::of(one.cpu <= 10.0))
                .remedy(REMEDY_TAG),
            );
            report.push(Row::new(
                "Peak RSS of that check (rustc)",
                memory(one.peak_rss),
            ));
        }
        None => report.push(
            Row::new(
                "Clean `cargo check` with one tag's feature",
                "no per-tag features in this build",
            )
            .target("≤ 10 s", Verdict::Info),
        ),
    }
    growth.push(Series {
        name: "ours: Cloudflare (whole)".to_owned(),
        points: vec![point],
        style: Style::Triangle,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(names: &[(&str, &str)]) -> Vec<(String, String)> {
        names
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn picks_the_tag_feature() {
        let runtime_only = features(&[
            ("default", "[]"),
            ("blocking", "[\"openapi-client-runtime/blocking\"]"),
        ]);
        assert_eq!(tag_feature(&runtime_only), None);
        let tags = features(&[
            ("default", "[\"full\"]"),
            ("full", "[\"accounts\", \"dns-records-for-a-zone\"]"),
            ("blocking", "[\"openapi-client-runtime/blocking\"]"),
            ("accounts", "[]"),
            ("dns-records-for-a-zone", "[]"),
        ]);
        assert_eq!(tag_feature(&tags).as_deref(), Some(PREFERRED_TAG));
        let others = features(&[("default", "[]"), ("accounts", "[]"), ("zones", "[]")]);
        assert_eq!(tag_feature(&others).as_deref(), Some("accounts"));
    }

    #[test]
    fn formats_counts_and_memory() {
        assert_eq!(count(385_788.0), "385,788");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(1_000_000.0), "1,000,000");
        assert_eq!(memory(111.0 * MB), "111 MiB");
        assert_eq!(memory(6.1 * GB), "6.10 GiB");
    }
}
