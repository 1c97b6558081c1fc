//! Contract tests against Prism for every spec in `../shared/realworld/`: other APIs' wire
//! formats, checked by a tool we did not write.
//!
//! For each spec, a bounded, deterministic sample of its GET operations without a body
//! (`tests::prism_driver`) is generated as a small crate (a `--path-prefix` selection), with a
//! driver program written from the IR that calls each sampled operation once. All crates build
//! in one scratch workspace and one shared target directory. Each driver runs twice against
//! `prism mock <spec> --errors` (request validation on): with the spec's static examples, then
//! with dynamic data (`-d`). The test prints, per spec and mode, how many calls Prism accepted
//! and how many answers the client decoded. Every failure must be listed in [`EXPECTED`] with
//! its reason; an unlisted failure, or a listed one that now passes, fails the test.
//!
//! Without `../shared/realworld` or Prism it prints `SKIPPED: ...`; under CI both are required.

use std::collections::BTreeSet;
use std::process::Command;
use std::time::Instant;

use codegen::{OutputFile, RuntimeSource, Settings, TagFeatures};
use tests::prism::{Prism, prism_bin};

/// Calls known to fail: (spec, mode, operation id, reason). Mode is `static` or `dynamic`.
/// None is a client bug: Prism refuses its own answer (a response that breaks the spec, which
/// it reports in `sl-violations` with a 500), or the spec's success response is a redirect.
const EXPECTED: &[(&str, &str, &str, &str)] = &[
    (
        "cloudflare.json",
        "static",
        "zone-analytics-(-deprecated)-get-analytics-by-co-locations",
        "Prism flags its own answer: the spec's example `result` matches none of the `anyOf` branches",
    ),
    (
        "cloudflare.json",
        "dynamic",
        "zone-analytics-(-deprecated)-get-analytics-by-co-locations",
        "Prism flags its own answer: generated `result` matches none of the `anyOf` branches",
    ),
    (
        "cloudflare.json",
        "dynamic",
        "cloudflare-tunnel-get-cloudflare-tunnel-connector",
        "Prism flags its own answer: it generates `result` from the envelope's base schema, not the `allOf` override (object)",
    ),
    (
        "cloudflare.json",
        "dynamic",
        "ip-access-rules-for-a-zone-list-ip-access-rules",
        "Prism flags its own answer: it generates `result` from the envelope's base schema, not the `allOf` override (array)",
    ),
    (
        "cloudflare.json",
        "dynamic",
        "radar-get-attacks-layer3-top-target-locations",
        "random data has `success: false` (a plain boolean in the spec): the client rightly reports Error::Unsuccessful",
    ),
    (
        "cloudflare.json",
        "dynamic",
        "radar-get-email-security-top-tlds-by-malicious",
        "random data has `success: false` (a plain boolean in the spec): the client rightly reports Error::Unsuccessful",
    ),
    (
        "twilio_api_v2010.json",
        "static",
        "FetchRecordingAddOnResultPayloadData",
        "the spec's only success response is a 307 redirect; the client does not follow redirects (credentials must not leave)",
    ),
    (
        "twilio_api_v2010.json",
        "dynamic",
        "FetchRecordingAddOnResultPayloadData",
        "the spec's only success response is a 307 redirect; the client does not follow redirects (credentials must not leave)",
    ),
    (
        "twilio_api_v2010.json",
        "static",
        "FetchTranscription",
        "Prism flags its own answer: the spec's example `price` is a string where the schema says number",
    ),
    (
        "twilio_api_v2010.json",
        "static",
        "ListAccount",
        "Prism flags its own answer: the spec's example URIs are relative, the schema says `format: uri`",
    ),
    (
        "twilio_api_v2010.json",
        "static",
        "ListAvailablePhoneNumberMobile",
        "Prism flags its own answer: the spec's example URIs are relative, the schema says `format: uri`",
    ),
    (
        "twilio_api_v2010.json",
        "static",
        "ListIncomingPhoneNumberLocal",
        "Prism flags its own answer: the spec's example URIs are relative, the schema says `format: uri`",
    ),
    (
        "twilio_api_v2010.json",
        "static",
        "ListNotification",
        "Prism flags its own answer: the spec's example URIs are relative, the schema says `format: uri`",
    ),
];

/// One call's outcome, from the driver's `RESULT` line.
struct Outcome {
    op: String,
    accepted: bool,
    decoded: bool,
    detail: String,
}

#[tokio::test]
async fn realworld_specs_against_prism_mock() {
    let Some(folder) = tests::corpus::folder() else {
        return;
    };
    let Some(bin) = prism_bin("realworld_specs_against_prism_mock") else {
        return;
    };
    let started = Instant::now();
    let specs = tests::corpus::specs(&folder);
    let mut crates: Vec<(String, Vec<OutputFile>)> = Vec::new();
    let mut drivers = Vec::new();
    for spec in &specs {
        let doc = codegen::load::load_file(&spec.root).unwrap_or_else(|e| panic!("{e}"));
        let sampled = tests::prism_driver::sample_paths(&doc);
        let slug: String = spec
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let crate_name = format!("prism-{slug}");
        let driver_name = format!("prism-driver-{slug}");
        let settings = Settings {
            crate_name: Some(crate_name.clone()),
            path_prefixes: sampled.clone(),
            runtime: RuntimeSource::Path("../runtime".to_owned()),
            tag_features: TagFeatures::Never,
            ..Settings::default()
        };
        let generated =
            codegen::generate_doc(&doc, &settings).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        let (files, ids) =
            tests::prism_driver::driver(&doc, &generated.api, &sampled, &crate_name, &driver_name);
        crates.push((crate_name, generated.files));
        crates.push((driver_name.clone(), files));
        drivers.push((spec, driver_name, ids));
    }
    let generated_in = started.elapsed();
    let target = tests::root().join("target/compile-tests-target");
    let dir = build(&crates, &target);
    let built_in = started.elapsed() - generated_in;

    let mut table = vec![format!(
        "{:<24} {:<8} {:>6} {:>9} {:>8}",
        "spec", "mode", "calls", "accepted", "decoded"
    )];
    let mut failures = BTreeSet::new();
    for (spec, driver, ids) in &drivers {
        for (mode, extra) in [("static", None), ("dynamic", Some("-d"))] {
            let root = spec.root.display().to_string();
            let mut args = vec!["mock", root.as_str(), "--errors", "--seed", "20240806"];
            args.extend(extra);
            let prism = Prism::start(&bin, &format!("realworld-{driver}-{mode}"), &args).await;
            let outcomes = run_driver(&target.join("debug").join(driver), &prism, &dir);
            assert_eq!(
                outcomes.iter().map(|o| o.op.clone()).collect::<Vec<_>>(),
                *ids,
                "{}: the driver made every call",
                spec.name
            );
            let accepted = outcomes.iter().filter(|o| o.accepted).count();
            let decoded = outcomes.iter().filter(|o| o.decoded).count();
            table.push(format!(
                "{:<24} {:<8} {:>6} {:>9} {:>8}",
                spec.name,
                mode,
                outcomes.len(),
                accepted,
                decoded
            ));
            for o in outcomes.iter().filter(|o| !o.decoded) {
                let what = if o.accepted { "not decoded" } else { "refused" };
                failures.insert((
                    spec.name.clone(),
                    mode.to_owned(),
                    o.op.clone(),
                    format!("{what}: {}", o.detail),
                ));
            }
        }
    }
    eprintln!("\n{}", table.join("\n"));
    eprintln!(
        "generation {:.1} s, build {:.1} s, total {:.1} s",
        generated_in.as_secs_f64(),
        built_in.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    let expected: BTreeSet<(String, String, String)> = EXPECTED
        .iter()
        .map(|(s, m, o, _)| ((*s).to_owned(), (*m).to_owned(), (*o).to_owned()))
        .collect();
    let mut problems = Vec::new();
    for (spec, mode, op, detail) in &failures {
        let key = (spec.clone(), mode.clone(), op.clone());
        if let Some((.., reason)) = EXPECTED
            .iter()
            .find(|(s, m, o, _)| (s.to_string(), m.to_string(), o.to_string()) == key)
        {
            eprintln!("expected failure: {spec} {mode} {op}: {reason}");
        } else {
            problems.push(format!("unexpected failure: {spec} {mode} {op}: {detail}"));
        }
    }
    for (spec, mode, op) in &expected {
        if !failures
            .iter()
            .any(|(s, m, o, _)| s == spec && m == mode && o == op)
        {
            problems.push(format!(
                "listed in EXPECTED but passes now: {spec} {mode} {op}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Writes the crates into one scratch workspace (with a copy of the runtime) and builds the
/// drivers, offline with this workspace's lock file. Returns the workspace directory.
fn build(crates: &[(String, Vec<OutputFile>)], target: &std::path::Path) -> std::path::PathBuf {
    let dir = tests::root().join("target/compile-tests/prism-realworld");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the scratch workspace");
    tests::copy_runtime(&dir);
    let members: Vec<String> = crates.iter().map(|(name, _)| format!("{name:?}")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}, \"runtime\"]\n",
            members.join(", ")
        ),
    )
    .expect("write the workspace manifest");
    std::fs::copy(tests::root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
    for (name, files) in crates {
        codegen::write::write(&dir.join(name), files)
            .unwrap_or_else(|e| panic!("write {name}: {e}"));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(&cargo)
        .current_dir(&dir)
        .args(["build", "--offline", "--quiet", "--workspace", "--bins"])
        .env("CARGO_TARGET_DIR", target)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo build");
    assert!(
        output.status.success(),
        "building the Prism drivers in {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    dir
}

/// Runs one driver against `prism` and parses its `RESULT` lines.
fn run_driver(bin: &std::path::Path, prism: &Prism, dir: &std::path::Path) -> Vec<Outcome> {
    let output = Command::new(bin)
        .current_dir(dir)
        .arg(&prism.base_url)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", bin.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{} failed:\n{stdout}\n{}\nPrism's log:\n{}",
        bin.display(),
        String::from_utf8_lossy(&output.stderr),
        prism.log_text()
    );
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("RESULT\t"))
        .map(|rest| {
            let mut fields = rest.splitn(4, '\t');
            let mut next = || fields.next().unwrap_or_default().to_owned();
            Outcome {
                op: next(),
                accepted: next() == "1",
                decoded: next() == "1",
                detail: next(),
            }
        })
        .collect()
}
