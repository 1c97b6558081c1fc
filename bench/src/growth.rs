//! Section 8: how generation time, its peak memory and a clean `cargo check` of the crate alone
//! grow with the number of operations: synthetic specs at a few sizes (`bench::synthetic_spec`),
//! drawn with the real specs measured in sections 6 and 7 into `BENCHMARKS-scale.svg`. Full runs
//! only: a quick run measures nothing here (the plot's drawing is unit-tested).

use std::path::Path;

use anyhow::{Context, Result};

use crate::cloudflare::{count, memory};
use crate::crates::{self, Checked};
use crate::report::{Report, Row};
use crate::util::{generated_lines, secs};
use bench::plot::{self, Point, Series, Style};
use bench::stats::{growth_exponent, median};

/// The synthetic sizes, in operations.
const SIZES: [usize; 3] = [100, 300, 600];

/// Section 8: measures the synthetic sizes, adds them to the `measured` series and writes the
/// plot to `svg` (named in the report relative to the Markdown file).
pub fn growth(
    report: &mut Report,
    xtask: &Path,
    scratch: &Path,
    mut measured: Vec<Series>,
    svg: &Path,
) -> Result<()> {
    report.section("8. Growth with the number of operations (synthetic specs)");
    let target = scratch.join("target-growth");
    let mut points = Vec::new();
    for (i, &ops) in SIZES.iter().enumerate() {
        let spec = scratch.join(format!("growth-{ops}.yaml"));
        std::fs::write(&spec, bench::synthetic_spec(ops))
            .with_context(|| format!("writing {}", spec.display()))?;
        let dir = scratch.join(format!("growth-{ops}"));
        let name = format!("synthetic-{ops}");
        let mut times = Vec::new();
        let mut peaks = Vec::new();
        for _ in 0..3 {
            let m = crates::generate(xtask, &spec, &["--crate-name", &name], &dir)?;
            times.push(m.cpu);
            peaks.push(m.peak_rss);
        }
        let krate = Checked::new(&dir, &target)?;
        let every = crates::every_operation(&crates::read(&dir.join("Cargo.toml"))?);
        if i == 0 {
            // Every synthetic crate has the same dependencies: check them once.
            eprintln!("  (checking the synthetic crates' dependencies)");
            krate.prepare(every)?;
        }
        eprintln!("  (clean check of the {ops}-operation crate)");
        let check = krate.clean_check(every)?;
        let point = Point {
            operations: ops as f64,
            generation: Some(median(&times)),
            peak: Some(median(&peaks)),
            check: Some(check.cpu),
        };
        report.push(Row::new(
            format!(
                "{ops} operations ({} lines): generation (median of 3); its peak RSS; clean crate-only `cargo check` (CPU times)",
                count(generated_lines(&dir)? as f64)
            ),
            format!(
                "{}; {}; {}",
                secs(median(&times)),
                memory(median(&peaks)),
                secs(check.cpu)
            ),
        ));
        points.push(point);
    }
    let exponent = |value: fn(&Point) -> Option<f64>| {
        let xy: Vec<(f64, f64)> = points
            .iter()
            .filter_map(|p| Some((p.operations, value(p)?)))
            .collect();
        format!("{:.2}", growth_exponent(&xy))
    };
    report.push(Row::new(
        format!(
            "Growth exponents over {}-{} operations: generation time; peak RSS; check time",
            SIZES[0],
            SIZES[SIZES.len() - 1]
        ),
        format!(
            "{}; {}; {}",
            exponent(|p| p.generation),
            exponent(|p| p.peak),
            exponent(|p| p.check)
        ),
    ));
    measured.insert(
        0,
        Series {
            name: "ours: synthetic specs".to_owned(),
            points,
            style: Style::Line,
        },
    );
    let text = plot::svg(&measured)?;
    if let Some(dir) = svg.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(svg, text).with_context(|| format!("writing {}", svg.display()))?;
    let file = svg
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    report.figure(
        file,
        "Generation time, peak memory of generation and clean crate-only cargo check time \
         against the number of operations",
    );
    Ok(())
}
