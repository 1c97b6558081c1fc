//! The emitted code compiles, with warnings denied: every fixture, and Cloudflare's own spec.

use tests::{check_crates, fixtures, generate, upstream_spec};

#[path = "../../codegen/tests/strategy.rs"]
mod strategy;

#[test]
fn fixtures_and_upstream_compile() {
    let mut crates: Vec<(String, Vec<codegen::OutputFile>)> = fixtures("ok")
        .into_iter()
        .map(|(name, path)| {
            let crate_name = format!("fixture-{}", name.replace('_', "-"));
            let files = generate(&path, &crate_name).files;
            (crate_name, files)
        })
        .collect();
    if let Some(path) = upstream_spec("yaml") {
        let generated = generate(&path, "upstream-client-certificates");
        let ops: usize = generated
            .api
            .resources
            .iter()
            .map(|r| r.operations.len())
            .sum();
        assert_eq!(ops, 7, "Cloudflare's spec has 7 operations");
        crates.push(("upstream-client-certificates".to_owned(), generated.files));
    }
    check_crates("fixtures", &crates);
    // Each `tests/fixtures/wire/<fixture>.rs` runs inside the crate generated from the fixture
    // of that name (bodies, error bodies, pagination styles, credential styles, round trips).
    let wire_dir = tests::root().join("tests/fixtures/wire");
    let mut wire: Vec<std::path::PathBuf> = std::fs::read_dir(&wire_dir)
        .expect("wire tests")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    wire.sort();
    assert!(wire.len() >= 6, "wire tests missing: {wire:?}");
    for file in &wire {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let crate_name = format!("fixture-{}", stem.replace('_', "-"));
        assert!(
            crates.iter().any(|(name, _)| *name == crate_name),
            "{}: no fixture named `{stem}` in tests/fixtures/ok",
            file.display()
        );
        tests::run_crate_test("fixtures", &crate_name, file);
    }
}

#[test]
fn upstream_json_and_yaml_give_the_same_crate() {
    let (Some(yaml), Some(json)) = (upstream_spec("yaml"), upstream_spec("json")) else {
        return;
    };
    let a = generate(&yaml, "upstream");
    let b = generate(&json, "upstream");
    let paths = |g: &codegen::Generated| g.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&a), paths(&b), "the same files from YAML and JSON");
    for (x, y) in a.files.iter().zip(&b.files) {
        let strip = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
        assert_eq!(
            strip(&x.contents),
            strip(&y.contents),
            "{} differs between YAML and JSON input",
            x.path
        );
    }
}

#[test]
fn large_synthetic_specs_mixing_every_construct_compile() {
    let mut crates = Vec::new();
    for (label, ops, v31) in [("constructs-30", 336, false), ("constructs-31", 140, true)] {
        let text = tests::constructs::constructs_spec(ops, v31);
        let started = std::time::Instant::now();
        let generated =
            codegen::generate_str(&format!("{label}.json"), &text, &tests::settings(label))
                .unwrap_or_else(|e| panic!("{label}: {e}"));
        let count: usize = generated
            .api
            .resources
            .iter()
            .map(|r| r.operations.len())
            .sum();
        eprintln!(
            "{label}: {count} operations, {} types, generated in {:?}",
            generated.api.types.len(),
            started.elapsed()
        );
        assert_eq!(count, ops, "{label}: every operation is generated");
        let unexpected: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
        assert!(
            unexpected.is_empty(),
            "{label}: unexpected warnings: {unexpected:#?}"
        );
        crates.push((label.to_owned(), generated.files));
    }
    check_crates("constructs", &crates);
}

/// Random documents the generator accepts (fixed seed) must give crates that compile and
/// document without warnings: the property tests alone only prove the generator does not panic.
#[test]
fn accepted_random_documents_compile() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut crates = Vec::new();
    let mut tried = 0;
    while crates.len() < 24 && tried < 2000 {
        tried += 1;
        let doc = strategy::document()
            .new_tree(&mut runner)
            .expect("tree")
            .current();
        let name = format!("random-{tried}");
        let settings = tests::settings(&name);
        if let Ok(generated) = codegen::generate_str("random.json", &doc.to_string(), &settings) {
            if !generated.api.resources.is_empty() {
                crates.push((name, generated.files));
            }
        }
    }
    assert_eq!(
        crates.len(),
        24,
        "enough accepted random documents ({tried} tried)"
    );
    check_crates("random", &crates);
}

/// A crate with a cargo feature per tag compiles with none, each alone, and all; a type two tags
/// share is defined once (enabling both does not duplicate it).
#[test]
fn tag_features_compile_alone_and_together() {
    let path = tests::root().join("tests/fixtures/features/tagged.yaml");
    let mut settings = tests::settings("fixture-tagged-features");
    settings.tag_features = codegen::TagFeatures::Always;
    let generated = codegen::generate_file(&path, &settings).expect("generates");
    let features =
        tests::check_features("tag-features", "fixture-tagged-features", &generated.files);
    assert_eq!(features, ["dns-records-for-a-zone", "untagged", "zones"]);
    let file = |path: &str| {
        generated
            .files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.contents.as_str())
            .unwrap_or_else(|| panic!("{path} missing"))
    };
    // A type two tags share is defined once, in `shared`, compiled by either feature.
    let all: usize = generated
        .files
        .iter()
        .filter(|f| f.path.starts_with("src/types/"))
        .map(|f| f.contents.matches("pub struct Owner {").count())
        .sum();
    assert_eq!(all, 1, "a shared type is defined once");
    let shared = file("src/types/shared.rs");
    assert!(
        shared.contains("#[cfg(any(feature = \"dns-records-for-a-zone\", feature = \"zones\"))]\n#[derive(Debug, Clone, PartialEq, Default)]\npub struct Owner"),
        "{shared}"
    );
    // Its hand-written `Serialize` and `Deserialize` impls carry the same `cfg`.
    assert!(
        shared.contains("#[cfg(any(feature = \"dns-records-for-a-zone\", feature = \"zones\"))]\nimpl ::serde::Serialize for Owner"),
        "{shared}"
    );
    assert!(
        shared.contains("#[cfg(any(feature = \"dns-records-for-a-zone\", feature = \"zones\"))]\nimpl<'de> ::serde::Deserialize<'de> for Owner"),
        "{shared}"
    );
    // `Page` is reached by the records tag only: it lives in that feature's module.
    let records = file("src/types/dns_records_for_a_zone.rs");
    assert!(records.contains("pub struct Page {"), "{records}");
    let types_mod = file("src/types/mod.rs");
    assert!(
        types_mod.contains("#[cfg(feature = \"dns-records-for-a-zone\")]\nmod dns_records_for_a_zone;\n#[cfg(feature = \"dns-records-for-a-zone\")]\npub use dns_records_for_a_zone::*;"),
        "{types_mod}"
    );
}
