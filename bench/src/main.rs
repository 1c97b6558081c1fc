//! `cargo xtask bench [--quick]`: measures generation speed and scale, the compile cost of the
//! generated crate and the client's overhead at the wire, prints the table and writes
//! `BENCHMARKS.md` (`--quick`: `target/bench/BENCHMARKS-quick.md`).

mod alloc;
mod baseline;
mod client;
mod cloudflare;
mod compile;
mod crates;
mod generation;
mod growth;
mod pagination;
mod progenitor;
mod report;
mod rusage;
mod server;
mod streaming;
mod util;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

const USAGE: &str = "\
usage: cargo xtask bench [--quick] [--out FILE] [--only SECTIONS]

  --quick          every section, smaller and with fewer runs (for CI): no all-features check
                   of the whole Cloudflare crate, no progenitor, no growth plot
  --out FILE       where to write the report (default: BENCHMARKS.md, or
                   target/bench/BENCHMARKS-quick.md with --quick); a full run writes the
                   scale plot BENCHMARKS-scale.svg beside it
  --only SECTIONS  comma-separated subset of: generation, scale, compile, client, pagination,
                   cloudflare, progenitor, growth, streaming

Sections cloudflare and progenitor need ../shared/realworld beside the repository (skipped
with a note when absent, an error when CI is set); progenitor needs `cargo progenitor`
(cargo install --locked cargo-progenitor), skipped with a note when absent.

Missed targets are reported, never an error; only a failure to measure is.

  bench profile get|list|decode ours|baseline N
                   N calls of one side and nothing else, for a profiler (valgrind, perf)
  bench profile generate - N
                   N in-process generations of spec/ (section 1), for a profiler";

/// How much to measure.
pub struct Mode {
    /// Smaller sizes, fewer runs, `cargo check` instead of clean builds.
    pub quick: bool,
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

const SECTIONS: [&str; 9] = [
    "generation",
    "scale",
    "compile",
    "client",
    "pagination",
    "cloudflare",
    "progenitor",
    "growth",
    "streaming",
];

fn run(args: Vec<String>) -> Result<()> {
    if args.first().map(String::as_str) == Some("measure") {
        let (Some(figures), Some(program)) = (args.get(1), args.get(2)) else {
            bail!("measure needs a file for the figures and a program");
        };
        return rusage::measure(std::path::Path::new(figures), program, &args[3..]);
    }
    if args.first().map(String::as_str) == Some("profile") {
        let (Some(call), Some(side), Some(n)) = (args.get(1), args.get(2), args.get(3)) else {
            bail!(
                "profile needs CALL (get, list, decode, generate), SIDE (ours, baseline) and a count"
            );
        };
        return client::profile(call, side, n.parse().context("profile: the count")?);
    }
    if args.first().map(String::as_str) == Some("gen-peak") {
        let spec = args.get(1).context("gen-peak needs a spec file")?;
        let stages = args.get(2).is_some_and(|a| a == "--stages");
        return generation::gen_peak(std::path::Path::new(spec), stages);
    }
    let mut quick = false;
    let mut out: Option<PathBuf> = None;
    let mut only: Vec<String> = SECTIONS.iter().map(|s| (*s).to_owned()).collect();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--out" => out = Some(PathBuf::from(it.next().context("--out needs a file")?)),
            "--only" => {
                only = it
                    .next()
                    .context("--only needs a list")?
                    .split(',')
                    .map(str::to_owned)
                    .collect();
                if let Some(bad) = only.iter().find(|s| !SECTIONS.contains(&s.as_str())) {
                    bail!("unknown section `{bad}`\n{USAGE}");
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown option `{other}`\n{USAGE}"),
        }
    }
    let root = util::workspace_root();
    let out = out.unwrap_or_else(|| {
        if quick {
            root.join("target/bench/BENCHMARKS-quick.md")
        } else {
            root.join("BENCHMARKS.md")
        }
    });
    let mode = Mode { quick };
    let started = Instant::now();
    let machine = report::Machine::describe();
    let wants = |s: &str| only.iter().any(|o| o == s);

    eprintln!("== building the release xtask");
    util::run(
        util::cargo()
            .args(["build", "--release", "--quiet", "-p", "xtask"])
            .current_dir(&root),
    )?;
    let xtask = std::env::current_exe()
        .context("locating the bench binary")?
        .with_file_name(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    if !xtask.is_file() {
        bail!("no xtask binary at {}", xtask.display());
    }
    let scratch = util::Scratch::new()?;
    let mut report = report::Report::default();

    if wants("generation") {
        eprintln!("== 1. generation of spec/");
        generation::spec(&mut report, &mode, &xtask, scratch.path())?;
    }
    if wants("scale") {
        eprintln!("== 2. scale");
        generation::scale(&mut report, &mode, scratch.path())?;
    }
    if wants("compile") {
        eprintln!("== 3. compile cost");
        compile::compile(&mut report, &mode, &xtask, scratch.path())?;
    }
    if wants("client") || wants("pagination") {
        let server = server::Server::start(&pagination::PAGE_SETS)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("building the client runtime")?;
        if wants("client") {
            eprintln!("== 4. client overhead");
            runtime.block_on(client::overhead(&mut report, &mode, &server))?;
        }
        if wants("pagination") {
            eprintln!("== 5. pagination memory");
            runtime.block_on(pagination::memory(&mut report, &server))?;
        }
    }

    // Points for the scale plot from the real specs, drawn by section 8.
    let mut measured = Vec::new();
    if wants("cloudflare") {
        eprintln!("== 6. Cloudflare's whole API");
        cloudflare::whole(&mut report, &mode, &xtask, scratch.path(), &mut measured)?;
    }
    if wants("progenitor") {
        eprintln!("== 7. Oxide against progenitor");
        progenitor::oxide(&mut report, &mode, &xtask, scratch.path(), &mut measured)?;
    }
    if wants("growth") && !quick {
        eprintln!("== 8. growth with the number of operations");
        let svg = out.with_file_name("BENCHMARKS-scale.svg");
        growth::growth(&mut report, &xtask, scratch.path(), measured, &svg)?;
    }

    if wants("streaming") {
        eprintln!("== 9. streaming");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("building the client runtime")?;
        runtime.block_on(streaming::streaming(&mut report, &mode))?;
    }

    let wall = started.elapsed().as_secs_f64();
    let text = report::markdown(&report, &machine, quick, wall);
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&out, &text).with_context(|| format!("writing {}", out.display()))?;
    println!("\n{}", report.table());
    let missed = report.missed().len();
    println!(
        "{} in {wall:.0} s; {missed} target(s) missed (reported, not an error). Written to {}",
        if quick { "quick run" } else { "full run" },
        out.display()
    );
    Ok(())
}
