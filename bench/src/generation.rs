//! Sections 1 and 2: how fast the generator turns `spec/` into a crate (in-process and through
//! the release xtask binary, against a parse-only floor), how time and peak memory grow with
//! synthetic specs of more operations, and where the time goes stage by stage.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::Mode;
use crate::report::{Report, Row, Verdict};
use crate::util::{bytes, ms, ratio, repeat, run, timed};
use bench::stats::{growth_exponent, median, median_ratio, median_secs};

/// What it would take to generate faster (from the profile of the 1,500-operation spec).
const REMEDY_FORMAT: &str = "Formatting is most of the time (section 2b): `syn` parsing and \
    prettyplease printing of every emitted item, already item by item and on all cores \
    (`format::format_files` in codegen/src/format.rs). What is left: emit fewer tokens, build \
    `syn` items directly instead of parsing quoted tokens, and stop cloning TokenStreams in the \
    emitters (`RcVec::make_owned` copies them again when syn reads them); about a third of the \
    CPU time is the system allocator.";

/// What it would take to use less memory.
const REMEDY_MEMORY: &str = "Almost all of the peak is the emit stage (the per-stage row): \
    the whole of src/types.rs exists at once as a TokenStream, then as a `syn::File`, then as \
    text. Formatting item by item (see the generation rows) keeps one item's tokens and AST \
    alive at a time; splitting types.rs per resource would also bound it.";

/// The parse-only floor: the YAML parser the loader uses, into a generic value.
fn floor(text: &str) -> Result<()> {
    let value: serde_norway::Value = serde_norway::from_str(text)?;
    black_box(value);
    Ok(())
}

/// One in-process generation.
fn generate(file: &str, text: &str) -> Result<()> {
    let generated = codegen::generate_str(file, text, &codegen::Settings::default())?;
    black_box(generated);
    Ok(())
}

/// Generation and floor, interleaved (order flipping each round): (generation, floor) seconds.
fn interleaved(
    file: &str,
    text: &str,
    min: usize,
    max: usize,
    budget: Duration,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let mut round = 0usize;
    let pairs = repeat(min, max, budget, || {
        round += 1;
        let (g, f) = if round % 2 == 0 {
            let g = timed(|| generate(file, text))?.1;
            (g, timed(|| floor(text))?.1)
        } else {
            let f = timed(|| floor(text))?.1;
            (timed(|| generate(file, text))?.1, f)
        };
        Ok((g.as_secs_f64(), f.as_secs_f64()))
    })?;
    Ok(pairs.into_iter().unzip())
}

/// Section 1: `spec/openapi.yaml`.
pub fn spec(report: &mut Report, mode: &Mode, xtask: &Path, scratch: &Path) -> Result<()> {
    report.section("1. Generation of spec/openapi.yaml");
    let path = crate::util::workspace_root().join("spec/openapi.yaml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    for _ in 0..3 {
        generate("openapi.yaml", &text)?;
        floor(&text)?;
    }
    let (max, budget) = if mode.quick {
        (40, Duration::from_secs(2))
    } else {
        (400, Duration::from_secs(10))
    };
    let (g, f) = interleaved("openapi.yaml", &text, 20, max, budget)?;
    let (gen_s, floor_s, r) = (median(&g), median(&f), median_ratio(&g, &f));
    report.push(
        Row::new(
            format!("In-process `generate_str` (median of {})", g.len()),
            ms(gen_s),
        )
        .baseline(format!("parse-only floor {}", ms(floor_s)), ratio(r))
        .target("< 20 ms", Verdict::of(gen_s < 0.020)),
    );
    report.push(
        Row::new("In-process generation / parse-only floor", ratio(r))
            .target("≤ 5x", Verdict::of(r <= 5.0))
            .remedy(REMEDY_FORMAT),
    );

    // Through the binary: process start, parse, generate, compare with what is on disk, write.
    let out = scratch.join("spec-gen");
    let codegen_cmd = || {
        let mut c = Command::new(xtask);
        c.arg("codegen")
            .args(crate::util::runtime_args())
            .arg("--out")
            .arg(&out);
        c
    };
    let help_cmd = || {
        let mut c = Command::new(xtask);
        c.arg("--help");
        c
    };
    run(&mut codegen_cmd())?;
    let runs = if mode.quick { 5 } else { 15 };
    let mut bin = Vec::new();
    let mut start = Vec::new();
    for i in 0..runs {
        if i % 2 == 0 {
            bin.push(run(&mut codegen_cmd())?.1.as_secs_f64());
            start.push(run(&mut help_cmd())?.1.as_secs_f64());
        } else {
            start.push(run(&mut help_cmd())?.1.as_secs_f64());
            bin.push(run(&mut codegen_cmd())?.1.as_secs_f64());
        }
    }
    report.push(
        Row::new(
            format!("`target/release/xtask codegen --out <tmp>` (median of {runs})"),
            ms(median(&bin)),
        )
        .baseline(
            format!("`xtask --help` (process start) {}", ms(median(&start))),
            ratio(median_ratio(&bin, &start)),
        )
        .target("progenitor 60-80 ms (ANCHORS.md)", Verdict::Info),
    );
    Ok(())
}

/// Runs the hidden `gen-peak` command in a child process and returns its `key value` pairs.
fn child(spec: &Path, stages: bool) -> Result<Vec<(String, f64)>> {
    let exe = std::env::current_exe().context("locating the bench binary")?;
    let mut cmd = Command::new(exe);
    cmd.arg("gen-peak").arg(spec);
    if stages {
        cmd.arg("--stages");
    }
    let (output, _) = run(&mut cmd)?;
    let text = String::from_utf8_lossy(&output.stdout);
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .chunks(2)
        .map(|pair| match pair {
            [key, value] => Ok(((*key).to_owned(), value.parse::<f64>()?)),
            _ => bail!("unexpected gen-peak output: {text}"),
        })
        .collect()
}

/// One value of [`child`]'s output.
fn field(pairs: &[(String, f64)], name: &str) -> Result<f64> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| *v)
        .with_context(|| format!("no `{name}` in gen-peak output"))
}

/// The peak resident set size of this process so far, in bytes.
fn peak_rss() -> Result<u64> {
    let status =
        std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .context("no VmHWM in /proc/self/status")
}

/// The hidden `gen-peak SPEC [--stages]` command: generate once and print the peak RSS and the
/// time; with `--stages`, run the stages one by one and print the peak after each.
pub fn gen_peak(spec: &Path, stages: bool) -> Result<()> {
    let settings = codegen::Settings::default();
    let start = Instant::now();
    if !stages {
        let generated = codegen::generate_file(spec, &settings)?;
        let took = start.elapsed();
        black_box(&generated);
        println!("peak_rss {} seconds {}", peak_rss()?, took.as_secs_f64());
        return Ok(());
    }
    let before = peak_rss()?;
    let doc = codegen::load::load_file(spec)?;
    let after_load = peak_rss()?;
    let (api, warnings) = codegen::lower::lower(&doc, &settings)
        .map_err(|e| anyhow::Error::new(e.in_file(&doc.file)))?;
    let after_lower = peak_rss()?;
    // As `codegen::generate_file` does: the document is dropped before emitting.
    let file = doc.file.clone();
    drop(doc);
    let files = codegen::emit::emit(&api, &file, &codegen::RuntimeSource::default())?;
    let after_emit = peak_rss()?;
    black_box((&warnings, &files));
    println!(
        "start {before} load {after_load} lower {after_lower} emit {after_emit} seconds {}",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Section 2: synthetic specs of growing size, then the stages for the largest one.
pub fn scale(report: &mut Report, mode: &Mode, scratch: &Path) -> Result<()> {
    report.section("2. Scale: synthetic Cloudflare-like specs");
    let sizes: [usize; 3] = if mode.quick {
        [20, 60, 150]
    } else {
        [100, 500, 1500]
    };
    let mut points = Vec::new();
    let mut peaks = Vec::new();
    let big = sizes[2];
    for &ops in &sizes {
        let text = bench::synthetic_spec(ops);
        let file = scratch.join(format!("synthetic-{ops}.yaml"));
        std::fs::write(&file, &text).with_context(|| format!("writing {}", file.display()))?;
        generate("synthetic.yaml", &text)?;
        let (min, max, budget) = if mode.quick {
            (2, 5, Duration::from_secs(1))
        } else {
            (5, 30, Duration::from_secs(8))
        };
        let (g, f) = interleaved("synthetic.yaml", &text, min, max, budget)?;
        let gen_s = median(&g);
        points.push((ops as f64, gen_s));
        peaks.push((ops, field(&child(&file, false)?, "peak_rss")?));
        let row = Row::new(
            format!(
                "{ops} operations ({} of YAML): in-process generation",
                bytes(text.len() as f64)
            ),
            ms(gen_s),
        )
        .baseline(
            format!("parse-only floor {}", ms(median(&f))),
            ratio(median_ratio(&g, &f)),
        );
        report.push(if ops == big && !mode.quick {
            row.target("< 1.5 s", Verdict::of(gen_s < 1.5))
                .remedy(REMEDY_FORMAT)
        } else {
            row
        });
    }
    let big_peak = peaks.last().map_or(f64::NAN, |p| p.1);
    let row = Row::new(
        "Peak RSS of a child process that generates once",
        peaks
            .iter()
            .map(|(ops, peak)| format!("{ops}: {}", bytes(*peak)))
            .collect::<Vec<_>>()
            .join("; "),
    );
    report.push(if mode.quick {
        row
    } else {
        row.target(
            format!("< 300 MB at {big}"),
            Verdict::of(big_peak < 300.0 * 1024.0 * 1024.0),
        )
        .remedy(REMEDY_MEMORY)
    });
    let staged = child(&scratch.join(format!("synthetic-{big}.yaml")), true)?;
    report.push(Row::new(
        format!("{big} operations: peak RSS as each stage ends (child)"),
        format!(
            "start {}; load {}; lower {}; emit {}",
            bytes(field(&staged, "start")?),
            bytes(field(&staged, "load")?),
            bytes(field(&staged, "lower")?),
            bytes(field(&staged, "emit")?),
        ),
    ));
    let exponent = growth_exponent(&points);
    report.push(
        Row::new(
            format!("Growth exponent of time over {}-{big} operations", sizes[0]),
            format!("{exponent:.2}"),
        )
        .target("about linear (≤ 1.15)", Verdict::of(exponent <= 1.15))
        .remedy(
            "A super-linear stage shows in the stage rows: look for a scan of all types or \
             files per item.",
        ),
    );
    let memory: Vec<(f64, f64)> = peaks.iter().map(|(o, p)| (*o as f64, *p)).collect();
    report.push(Row::new(
        format!(
            "Growth exponent of peak RSS over {}-{big} operations",
            sizes[0]
        ),
        format!("{:.2}", growth_exponent(&memory)),
    ));
    stages(report, mode, scratch, sizes[2])
}

/// Times each pipeline stage on the largest synthetic spec.
fn stages(report: &mut Report, mode: &Mode, scratch: &Path, ops: usize) -> Result<()> {
    report.section(format!(
        "2b. Where generation time goes ({ops} operations, median per stage)"
    ));
    let text = bench::synthetic_spec(ops);
    let runs = if mode.quick { 2 } else { 5 };
    let settings = codegen::Settings::default();
    let mut load = Vec::new();
    let mut lower = Vec::new();
    let mut emit = Vec::new();
    let mut format = Vec::new();
    let mut write = Vec::new();
    let mut total = Vec::new();
    let mut lines = 0usize;
    for i in 0..runs {
        let (doc, t) = timed(|| Ok(codegen::load::parse("synthetic.yaml", &text)?))?;
        load.push(t);
        let (api, t) = timed(|| {
            codegen::lower::lower(&doc, &settings)
                .map_err(|e| anyhow::Error::new(e.in_file(&doc.file)))
        })?;
        lower.push(t);
        let (files, t) = timed(|| {
            Ok(codegen::emit::emit(
                &api.0,
                &doc.file,
                &codegen::RuntimeSource::default(),
            )?)
        })?;
        emit.push(t);
        let (_, t) = timed(|| {
            for f in files
                .iter()
                .filter(|f| f.emitted && f.path.ends_with(".rs"))
            {
                let file = syn::parse_file(&f.contents)
                    .with_context(|| format!("re-parsing emitted {}", f.path))?;
                black_box(prettyplease::unparse(&file));
            }
            Ok(())
        })?;
        format.push(t);
        lines = files
            .iter()
            .filter(|f| f.emitted)
            .map(|f| f.contents.lines().count())
            .sum();
        let dir = scratch.join(format!("stages-{i}"));
        let (_, t) = timed(|| Ok(codegen::write::write(&dir, &files)?))?;
        write.push(t);
        let (_, t) = timed(|| generate("synthetic.yaml", &text))?;
        total.push(t);
    }
    let whole = median_secs(&total);
    let share = |samples: &[Duration]| {
        let s = median_secs(samples);
        (ms(s), format!("{:.0}%", 100.0 * s / whole))
    };
    let rows: [(&str, &[Duration]); 5] = [
        (
            "load: YAML -> document (serde_norway + to serde_json)",
            &load,
        ),
        ("lower: document -> IR", &lower),
        ("emit: IR -> tokens -> prettyplease text (all files)", &emit),
        (
            "  of which: syn parse + prettyplease of the emitted text (estimate)",
            &format,
        ),
        ("write: files to a fresh directory", &write),
    ];
    for (name, samples) in rows {
        let (v, pct) = share(samples);
        report.push(Row::new(name, v).baseline(format!("whole `generate_str` {}", ms(whole)), pct));
    }
    report.push(Row::new(
        "Emitted Rust (without the runtime copy)",
        format!("{lines} lines"),
    ));
    Ok(())
}
