//! Section 7: Oxide's API (`../shared/realworld/oxide.json`), ours against progenitor, when
//! `cargo-progenitor` is installed: emitted lines, and a clean `cargo check` of each crate alone
//! (dependencies checked first), interleaved in one run so that both see the same machine. A
//! quick run (CI) and a machine without `cargo-progenitor` get one row that says so.

use std::path::Path;

use anyhow::{Context, Result};

use crate::Mode;
use crate::cloudflare::{count, cpu_wall, memory, operations, real_spec};
use crate::crates::{self, Checked};
use crate::report::{Report, Row, Verdict};
use crate::rusage;
use crate::util::{cargo, generated_lines, ratio, run, secs};
use bench::plot::{Point, Series, Style};
use bench::stats::{median, median_ratio};

/// Whether `cargo progenitor` runs here.
fn installed() -> bool {
    cargo()
        .args(["progenitor", "--help"])
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Generates Oxide's crate with `cargo progenitor` (its default positional interface, the
/// published `progenitor-client` as a dependency), resolves and fetches its dependencies (the
/// one step that may use the network), and returns the measured generation.
fn progenitor(spec: &Path, dir: &Path) -> Result<rusage::Measured> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("emptying {}", dir.display()))?;
    }
    let mut cmd = cargo();
    cmd.args(["progenitor", "-i"])
        .arg(spec)
        .arg("-o")
        .arg(dir)
        .args(["-n", "oxide-progenitor", "-v", "0.1.0"]);
    let measured = rusage::run(&cmd)?;
    eprintln!("  (resolving and fetching progenitor's dependencies)");
    run(cargo().args(["generate-lockfile"]).current_dir(dir))?;
    run(cargo().args(["fetch"]).current_dir(dir))?;
    Ok(measured)
}

/// Section 7.
pub fn oxide(
    report: &mut Report,
    mode: &Mode,
    xtask: &Path,
    scratch: &Path,
    growth: &mut Vec<Series>,
) -> Result<()> {
    let title = "7. Oxide's API against progenitor (crate alone, same run)";
    if mode.quick {
        report.section(title);
        report.push(Row::new(
            "Oxide: ours against progenitor",
            "skipped: quick run (`cargo xtask bench` measures it)",
        ));
        return Ok(());
    }
    let Some(spec) = real_spec("oxide.json")? else {
        report.section(title);
        report.push(Row::new(
            "Oxide: ours against progenitor",
            "skipped: ../shared/realworld/oxide.json is absent",
        ));
        return Ok(());
    };
    if !installed() {
        report.section(title);
        report.push(Row::new(
            "Oxide: ours against progenitor",
            "skipped: cargo-progenitor not installed (`cargo install --locked cargo-progenitor`)",
        ));
        return Ok(());
    }
    let ops = operations(&spec)?;
    report.section(format!(
        "7. Oxide's API ({ops} operations) against progenitor (crate alone, same run)"
    ));

    let ours_dir = scratch.join("oxide-ours");
    let theirs_dir = scratch.join("oxide-progenitor");
    eprintln!("  (generating Oxide's crate with the xtask and with cargo progenitor)");
    let ours_gen = crates::generate(xtask, &spec, &["--crate-name", "oxide-ours"], &ours_dir)?;
    let theirs_gen = progenitor(&spec, &theirs_dir)?;
    let ours_lines = generated_lines(&ours_dir)? as f64;
    let theirs_lines = generated_lines(&theirs_dir)? as f64;
    report.push(
        Row::new(
            "Emitted Rust, ours (without the runtime)",
            format!("{} lines", count(ours_lines)),
        )
        .baseline(
            format!("progenitor {} lines", count(theirs_lines)),
            ratio(ours_lines / theirs_lines),
        )
        .target("≤ 1.0x", Verdict::of(ours_lines <= theirs_lines))
        .remedy(
            "Progenitor's operations are one method each over a shared client; ours repeat a \
             builder per operation. One generic request type in the runtime, filled from \
             per-operation data, closes most of the gap.",
        ),
    );
    report.push(
        Row::new(
            "Generation, ours: `xtask codegen` (one run; peak RSS)",
            format!(
                "{}; {}",
                cpu_wall(ours_gen.cpu, ours_gen.seconds),
                memory(ours_gen.peak_rss)
            ),
        )
        .baseline(
            format!(
                "`cargo progenitor` {}; {}",
                cpu_wall(theirs_gen.cpu, theirs_gen.seconds),
                memory(theirs_gen.peak_rss)
            ),
            ratio(ours_gen.cpu / theirs_gen.cpu),
        ),
    );

    let ours = Checked::new(&ours_dir, &scratch.join("target-oxide-ours"))?;
    let theirs = Checked::new(&theirs_dir, &scratch.join("target-oxide-progenitor"))?;
    eprintln!("  (checking both crates' dependencies)");
    // Every operation compiled (`full`), as progenitor's crate has no features.
    let every = crates::every_operation(&crates::read(&ours_dir.join("Cargo.toml"))?);
    ours.prepare(every)?;
    theirs.prepare(&[])?;
    let rounds = 3;
    let mut ours_s = Vec::new();
    let mut theirs_s = Vec::new();
    let mut ours_cpu = Vec::new();
    let mut theirs_cpu = Vec::new();
    for round in 0..rounds {
        eprintln!(
            "  (clean crate-only checks, round {} of {rounds})",
            round + 1
        );
        let (a, b) = if round % 2 == 0 {
            let a = ours.clean_check(every)?;
            (a, theirs.clean_check(&[])?)
        } else {
            let b = theirs.clean_check(&[])?;
            (ours.clean_check(every)?, b)
        };
        ours_s.push(a.seconds);
        ours_cpu.push(a.cpu);
        theirs_s.push(b.seconds);
        theirs_cpu.push(b.cpu);
    }
    let r = median_ratio(&ours_cpu, &theirs_cpu);
    report.push(
        Row::new(
            format!("Clean `cargo check` of the crate alone, ours (median of {rounds})"),
            cpu_wall(median(&ours_cpu), median(&ours_s)),
        )
        .baseline(
            format!(
                "progenitor {}, interleaved (wall ratio {})",
                cpu_wall(median(&theirs_cpu), median(&theirs_s)),
                ratio(median_ratio(&ours_s, &theirs_s))
            ),
            ratio(r),
        )
        .target("≤ 0.8x progenitor", Verdict::of(r <= 0.8))
        .remedy(
            "Check time follows the emitted lines and the generic code instantiated per \
             operation: fewer lines (the lines row) and request code that is generic once in \
             the runtime instead of monomorphised per operation.",
        ),
    );

    let ours_file = ours.largest_file()?;
    let theirs_file = theirs.largest_file()?;
    let mut ours_t = Vec::new();
    let mut theirs_t = Vec::new();
    for _ in 0..2 {
        ours.touch(&ours_file)?;
        ours_t.push(ours.check(every)?.cpu);
        theirs.touch(&theirs_file)?;
        theirs_t.push(theirs.check(&[])?.cpu);
    }
    report.push(
        Row::new(
            format!("`cargo check` after touching {ours_file}, ours, CPU (median of 2)"),
            secs(median(&ours_t)),
        )
        .baseline(
            format!(
                "progenitor, after touching {theirs_file}: {}",
                secs(median(&theirs_t))
            ),
            ratio(median_ratio(&ours_t, &theirs_t)),
        ),
    );

    growth.push(Series {
        name: "ours: Oxide".to_owned(),
        points: vec![Point {
            operations: ops as f64,
            generation: Some(ours_gen.cpu),
            peak: Some(ours_gen.peak_rss),
            check: Some(median(&ours_cpu)),
        }],
        style: Style::Triangle,
    });
    growth.push(Series {
        name: "progenitor: Oxide".to_owned(),
        points: vec![Point {
            operations: ops as f64,
            generation: Some(theirs_gen.cpu),
            peak: Some(theirs_gen.peak_rss),
            check: Some(median(&theirs_cpu)),
        }],
        style: Style::Cross,
    });
    Ok(())
}
