//! The results table: rows grouped by section, the machine they were measured on, and the
//! rendering to the terminal and to `BENCHMARKS.md`.

use std::fmt::Write as _;
use std::process::Command;

/// Whether a row met its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The measured value is within the target.
    Met,
    /// The measured value misses the target.
    Missed,
    /// No target applies (context, or a quick run that measures something smaller).
    Info,
}

impl Verdict {
    /// `Met` when `ok`, else `Missed`.
    pub fn of(ok: bool) -> Self {
        if ok { Self::Met } else { Self::Missed }
    }

    fn cell(self) -> &'static str {
        match self {
            Self::Met => "yes",
            Self::Missed => "**no**",
            Self::Info => "",
        }
    }
}

/// One measured quantity.
#[derive(Debug, Clone)]
pub struct Row {
    /// What was measured.
    pub measure: String,
    /// The measured value.
    pub value: String,
    /// The baseline it is compared with (measured in the same run unless it says otherwise).
    pub baseline: String,
    /// value / baseline.
    pub ratio: String,
    /// The target, if any.
    pub target: String,
    /// Whether the target was met.
    pub verdict: Verdict,
    /// What it would take to meet the target, shown when it was missed.
    pub remedy: &'static str,
}

impl Row {
    /// A row with a value and nothing else yet.
    pub fn new(measure: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            measure: measure.into(),
            value: value.into(),
            baseline: String::new(),
            ratio: String::new(),
            target: String::new(),
            verdict: Verdict::Info,
            remedy: "",
        }
    }

    /// Adds the baseline and the ratio.
    pub fn baseline(mut self, baseline: impl Into<String>, ratio: impl Into<String>) -> Self {
        self.baseline = baseline.into();
        self.ratio = ratio.into();
        self
    }

    /// Adds the target and whether it was met.
    pub fn target(mut self, target: impl Into<String>, verdict: Verdict) -> Self {
        self.target = target.into();
        self.verdict = verdict;
        self
    }

    /// Adds what it would take to meet the target.
    pub fn remedy(mut self, remedy: &'static str) -> Self {
        self.remedy = remedy;
        self
    }
}

/// All rows, in sections, plus notes.
#[derive(Debug, Default)]
pub struct Report {
    sections: Vec<(String, Vec<Row>)>,
    /// Pictures shown under the table: (file, relative to the report; what it shows).
    figures: Vec<(String, String)>,
}

impl Report {
    /// Starts a new section.
    pub fn section(&mut self, title: impl Into<String>) {
        self.sections.push((title.into(), Vec::new()));
    }

    /// Adds a row to the current section, and echoes it to stderr as progress.
    pub fn push(&mut self, row: Row) {
        eprintln!("  {}: {} {}", row.measure, row.value, row.ratio);
        if self.sections.is_empty() {
            self.section("Results");
        }
        if let Some((_, rows)) = self.sections.last_mut() {
            rows.push(row);
        }
    }

    /// Adds a picture, `file` relative to the report, shown under the table.
    pub fn figure(&mut self, file: impl Into<String>, alt: impl Into<String>) {
        self.figures.push((file.into(), alt.into()));
    }

    /// The rows that missed their target.
    pub fn missed(&self) -> Vec<&Row> {
        self.sections
            .iter()
            .flat_map(|(_, rows)| rows)
            .filter(|r| r.verdict == Verdict::Missed)
            .collect()
    }

    /// The table as Markdown, columns padded so that it reads well in a terminal too.
    pub fn table(&self) -> String {
        const HEAD: [&str; 6] = [
            "Measure",
            "Measured",
            "Baseline (same run)",
            "Ratio",
            "Target",
            "Met",
        ];
        let mut lines: Vec<[String; 6]> = Vec::new();
        for (title, rows) in &self.sections {
            lines.push([
                format!("**{title}**"),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
            for r in rows {
                lines.push([
                    r.measure.clone(),
                    r.value.clone(),
                    r.baseline.clone(),
                    r.ratio.clone(),
                    r.target.clone(),
                    r.verdict.cell().to_owned(),
                ]);
            }
        }
        let mut widths = HEAD.map(|h| h.chars().count());
        for line in &lines {
            for (w, cell) in widths.iter_mut().zip(line) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let render = |cells: &[String; 6]| {
            let mut s = String::from("|");
            for (cell, w) in cells.iter().zip(widths) {
                let pad = w - cell.chars().count();
                let _ = write!(s, " {cell}{} |", " ".repeat(pad));
            }
            s.push('\n');
            s
        };
        let mut out = render(&HEAD.map(str::to_owned));
        out.push('|');
        for w in widths {
            let _ = write!(out, "{}|", "-".repeat(w + 2));
        }
        out.push('\n');
        for line in &lines {
            out.push_str(&render(line));
        }
        out
    }
}

/// The machine and toolchain the run used.
#[derive(Debug, Clone)]
pub struct Machine {
    /// `nproc`.
    pub cpus: String,
    /// `MemTotal` from /proc/meminfo.
    pub memory: String,
    /// `model name` from /proc/cpuinfo.
    pub cpu_model: String,
    /// `rustc -V`.
    pub rustc: String,
    /// The date and time, UTC.
    pub date: String,
    /// /proc/loadavg when the run started.
    pub load_at_start: String,
    /// The commit of the workspace, when git can say.
    pub commit: String,
}

impl Machine {
    /// Reads everything once, at the start of the run.
    pub fn describe() -> Self {
        let command = |program: &str, args: &[&str]| {
            Command::new(program)
                .args(args)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
                .unwrap_or_else(|| "unknown".to_owned())
        };
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map_or_else(|| "unknown".to_owned(), |(_, m)| m.trim().to_owned());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory = meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or_else(
                || "unknown".to_owned(),
                |kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0),
            );
        let cpus = command("nproc", &[]);
        let cpus = if cpus == "unknown" {
            std::thread::available_parallelism().map_or(cpus, |n| n.to_string())
        } else {
            cpus
        };
        let root = super::util::workspace_root();
        let root = root.to_string_lossy();
        Self {
            cpus,
            memory,
            cpu_model,
            rustc: command("rustc", &["-V"]),
            date: command("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            load_at_start: load_average(),
            commit: command("git", &["-C", &root, "rev-parse", "--short", "HEAD"]),
        }
    }
}

/// The 1, 5 and 15 minute load averages.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The whole `BENCHMARKS.md`.
pub fn markdown(report: &Report, machine: &Machine, quick: bool, wall: f64) -> String {
    let mut out = String::new();
    let mode = if quick {
        "`cargo xtask bench --quick` (smaller and fewer runs; `cargo check` instead of clean builds)"
    } else {
        "`cargo xtask bench`"
    };
    let _ = write!(
        out,
        "# Benchmarks\n\n\
         Written by {mode} on {date} in {wall:.0} s. Rerun it to refresh this file; the numbers \
         below are from that one run on this machine. Machines are shared and noisy, so every \
         speed is set against a baseline measured in the same run, interleaved with it where \
         possible, and the ratio is what to compare between runs. `--quick` (CI) runs every \
         section smaller and writes `target/bench/BENCHMARKS-quick.md` instead of this file.\n\n\
         ## Machine\n\n\
         - CPUs (`nproc`): {cpus}\n\
         - Memory: {memory}\n\
         - CPU model: {model}\n\
         - Toolchain: {rustc}\n\
         - Date: {date}\n\
         - Load average at the start / end (1, 5, 15 min): {load0} / {load1}\n\
         - Commit: {commit} (plus any uncommitted changes in the work tree)\n\n\
         ## Results\n\n",
        date = machine.date,
        cpus = machine.cpus,
        memory = machine.memory,
        model = machine.cpu_model,
        rustc = machine.rustc,
        load0 = machine.load_at_start,
        load1 = load_average(),
        commit = machine.commit,
    );
    out.push_str(&report.table());
    for (file, alt) in &report.figures {
        let _ = write!(
            out,
            "\n## Growth with the number of operations\n\n![{alt}]({file})\n\n\
             Written by the same run from the rows of sections 6 to 8: the line is the synthetic \
             specs, the triangles our crates from the real specs, the crosses progenitor's where measured.\n"
        );
    }
    out.push_str("\n## Missed targets and what they would take\n\n");
    let missed = report.missed();
    if missed.is_empty() {
        out.push_str("None: every target was met in this run.\n");
    }
    for row in missed {
        let _ = writeln!(
            out,
            "- **{}**: {} against a target of {}. {}",
            row.measure, row.value, row.target, row.remedy
        );
    }
    out.push_str(METHOD);
    out
}

/// How each number is measured, appended to `BENCHMARKS.md`.
const METHOD: &str = "
## How each number is measured

The code is in `bench/` (`cargo xtask bench` runs `cargo run --release -p bench`).

1. **Generation of `spec/`.** In-process: `codegen::generate_str` on the text of
   `spec/openapi.yaml`, alternating with the floor, `serde_norway::from_str::<Value>` of the same
   text (what parsing alone costs); the ratio is the median of the per-round ratios. Through the
   binary: `target/release/xtask codegen --out <tmp>` (parse, generate, compare and write),
   against `xtask --help` (process start alone).
2. **Scale.** `bench::synthetic_spec(n)` writes a Cloudflare-like spec of `n` operations (five per
   resource: list, create, get, edit, delete; `allOf` envelopes narrowing `result`, component
   and inline string enums, objects nested two deep, arrays of objects, `page`/`per_page`, path
   parameters). Time is in-process as above; peak memory is the `VmHWM` of a child process
   (`bench gen-peak <spec>`) that generates once. The growth exponent is the least-squares slope
   of ln(time) against ln(operations): 1.0 is linear. The stage rows time each pipeline stage
   for the largest size; the prettyplease row re-parses and re-prints the emitted text with
   `syn` + `prettyplease`, an estimate of the formatting share inside the emit stage.
3. **Compile cost.** `xtask codegen --out` writes the crate to a temp dir outside the workspace,
   with the workspace's `Cargo.lock` copied in; `cargo build --offline --timings` with a fresh
   `CARGO_TARGET_DIR` is the clean build. Its same-run baseline is the same manifest and lock
   file with an empty library (the dependencies alone), built the same way; `--timings` also
   gives the generated crate's own compile unit and the slowest dependencies. The rebuild
   touches `src/types.rs` (or appends an item to it) and builds again; its baseline is a no-op
   `cargo build` (cargo's own overhead). Crates are counted twice: the packages cargo compiles
   (build scripts and proc macros included) and the unique normal dependencies in
   `cargo tree -e normal`. The synthetic crate (`--crate-name synthetic`) gets the same with
   `cargo check`, one rebuild each.
4. **Client overhead.** A small HTTP/1.1 server in the bench binary (tokio, keep-alive, canned
   responses) on 127.0.0.1. The baseline is hand-written: the same request through the same
   `reqwest` (the client's `http_client_builder()`, so transport settings match), the body
   decoded with `serde_json` into minimal hand-written structs (the same fields, plain `String`s
   for enums, no envelope checks beyond `success`). Batches alternate between the two, order
   flipping every round; the ratio is the median of per-round ratios, and the signed figure in
   brackets the median extra time per request (steadier than the ratio, which shrinks when a
   busy machine slows the loopback round trip for both). Decode rows have no HTTP:
   the same 50-item page decoded into the generated models inside a plain envelope (what the
   runtime does: one pass), and two-pass (borrowed `RawValue` result, then the models: the
   runtime's fallback, and what pagination's repeat check parses), against the minimal structs.
5. **Pagination memory.** A counting global allocator in the bench binary tracks live heap bytes
   and their peak while `client.client_certificates().list(zone).per_page(50).items()` streams
   every item of 20 or 200 pages (1,000 or 10,000 items) from the local server, items dropped as
   they come; the server counts the requests (one per page, none wasted). Collecting all 10,000
   into a `Vec` is shown for contrast.
6. **Cloudflare's whole API.** `target/release/xtask codegen --spec cloudflare.json --out <dir>`
   into a fresh folder, five times (three in a quick run); memory is the child's peak resident
   set from `wait4` (`ru_maxrss`), taken by a fresh copy of the bench binary that starts the
   program (Linux would otherwise count the bench's own memory). Times in sections 6 to 8 are
   CPU times (user and system, from `wait4`, covering the processes the child waited for), with
   the wall time beside them,
   and targets are judged on them: the generator and rustc's check of one crate each use one
   core, so on an idle machine their wall time is their CPU time, while on this shared machine
   the wall time also counts waiting for a core (the load average above). The *before*
   column is the figure from before issue 13, measured the same way in an earlier run.
   *Crate alone*: an empty crate with the generated manifest and lock file is checked first
   in the same `CARGO_TARGET_DIR` with the same feature flags, so the timed `cargo check
   --offline` compiles the generated crate only (the bench fails if it compiles anything
   else); `cargo clean -p <crate>` before each timed check keeps it clean. The peak memory of
   a check is `wait4`'s figure for cargo, which covers every rustc it waited for. One tag's
   feature is `dns-records-for-a-zone` when the manifest has it, else the first feature that
   is not `default`, `full` or a runtime switch, with `--no-default-features`. The touch row
   touches the largest generated file and checks again. A quick run skips the all-features
   check and the touch (the corpus test checks the whole crate).
7. **Oxide against progenitor.** When `cargo progenitor --help` runs (not in CI, and not in a
   quick run): `cargo progenitor -i oxide.json -o <dir> -n oxide-progenitor -v 0.1.0` (its
   defaults: positional interface, `progenitor-client` as a dependency), its lock file
   resolved and fetched, and our crate from the same spec. Lines are counted the same way
   for both (`src/**/*.rs`, our runtime left out). Both crates are checked crate-alone as in
   6, three rounds alternating which goes first; the ratio is the median of per-round ratios
   of CPU time (of wall time in brackets).
8. **Growth.** Synthetic specs of 100, 300 and 600 operations go through the same steps as
   6 (generation three times, one clean crate-alone check); `BENCHMARKS-scale.svg` plots them
   with the real specs of 6 and 7. Full runs only.
9. **Streaming.** A second small tokio server in the bench binary (`bench/src/streaming.rs`)
   serves an SSE body of chat-completion chunks ending in `[DONE]`, downloads of N bytes
   generated block by block, and uploads it reads and drops. SSE: the runtime's `EventStream`
   (`Call::sse`) against a hand-written baseline on the same reqwest client (`chunk()`, lines
   split by hand, `data:` lines decoded by `serde_json` into the same structs), alternating,
   best of several runs each. Memory: the counting allocator's peak while a 1 GiB download
   is read through `ByteStream` and counted, and while as much is sent
   from `Upload::from_reader` (`tokio::io::repeat`), each against a 1 MiB one.
";
