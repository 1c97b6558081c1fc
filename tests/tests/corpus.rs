//! The real-world corpus (`../shared/realworld/`): each public spec generates, and its crate
//! passes `cargo check` and `cargo doc` with warnings denied. Prints one row per spec, then
//! the calls, and the streaming calls (`.stream()`, `.bytes_stream()`) of each spec.
//!
//! Cloudflare's whole API is by far the largest (about 4 minutes of `cargo check`), so it has a
//! test of its own and CI gives it a step of its own. The tests take turns (a lock), so that the
//! times and memory they print are not inflated by each other.

use std::sync::Mutex;

use tests::corpus::{self, Found, Row};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The spec too large to share a step with the others.
const WHOLE_CLOUDFLARE: &str = "cloudflare.json";

fn run(select: impl Fn(&str) -> bool) -> usize {
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(dir) = corpus::folder() else {
        return 0;
    };
    // `CORPUS_ONLY=oxide.json,twilio_api_v2010.json` narrows a run while working on one spec.
    let only: Option<Vec<String>> = std::env::var("CORPUS_ONLY")
        .ok()
        .map(|v| v.split(',').map(str::to_owned).collect());
    let specs: Vec<_> = corpus::specs(&dir)
        .into_iter()
        .filter(|s| select(&s.name))
        .filter(|s| only.as_ref().is_none_or(|o| o.contains(&s.name)))
        .collect();
    let mut rows = Vec::new();
    for spec in &specs {
        let row = corpus::run(spec);
        eprintln!("{}\n{}", Row::HEADER, row.line());
        rows.push(row);
    }
    println!("{}", Row::HEADER);
    for row in &rows {
        println!("{}", row.line());
    }
    println!("\n{}", Found::HEADER);
    for row in &rows {
        println!("{}", row.found.line(&row.name));
    }
    println!("\n{}", tests::calls::Calls::HEADER);
    for row in &rows {
        println!("{}", row.calls.line(&row.name));
    }
    for row in &rows {
        println!("\n{} (sample calls):", row.name);
        for call in &row.calls.samples {
            println!("  {call}");
        }
    }
    println!("\n{}", tests::streams::Streams::HEADER);
    for row in &rows {
        println!("{}", row.streams.line(&row.name));
    }
    for row in rows.iter().filter(|r| !r.streams.calls.is_empty()) {
        println!("\n{} (streaming calls):", row.name);
        for call in &row.streams.calls {
            println!("  {call}");
        }
    }
    for row in &rows {
        assert!(row.generated > 0, "{}: no operation generated", row.name);
    }
    specs.len()
}

#[test]
fn realworld_specs_generate_check_and_document() {
    let n = run(|name| name != WHOLE_CLOUDFLARE);
    if corpus::folder().is_some() && std::env::var_os("CORPUS_ONLY").is_none() {
        assert!(n >= 4, "expected the four smaller specs, found {n}");
    }
}

#[test]
fn whole_cloudflare_spec_generates_checks_and_documents() {
    let n = run(|name| name == WHOLE_CLOUDFLARE);
    if corpus::folder().is_some() && std::env::var_os("CORPUS_ONLY").is_none() {
        assert_eq!(n, 1, "{WHOLE_CLOUDFLARE} is in the corpus");
    }
}
