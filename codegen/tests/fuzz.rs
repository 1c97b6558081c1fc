//! Property tests: random OpenAPI-shaped documents (and random text) never make the loader or
//! the lowering panic, overflow the stack or hang; they either generate or give a located error.
//!
//! `PROPTEST_CASES=N cargo test -p codegen --test fuzz --release` runs N cases per property.

use proptest::prelude::*;
use serde_json::json;

#[path = "strategy.rs"]
mod strategy;

use strategy::document;

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_documents_generate_or_fail_cleanly(doc in document()) {
        let text = serde_json::to_string(&doc).expect("serialise");
        match codegen::generate_str("fuzz.json", &text, &codegen::Settings::default()) {
            Ok(generated) => prop_assert!(!generated.files.is_empty()),
            Err(e) => prop_assert!(e.to_string().starts_with("fuzz.json"), "unlocated error: {e}"),
        }
    }

    #[test]
    fn random_text_never_panics_the_loader(text in "[ -~\n\t{}\\[\\]:#&*!|>'\"%@`-]{0,200}") {
        let _ = codegen::generate_str("fuzz.yaml", &text, &codegen::Settings::default());
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    // Built as text: a 2,000-deep `serde_json::Value` would itself overflow when dropped.
    for depth in [100, 2000] {
        assert_deep_fails(depth);
    }
}

fn assert_deep_fails(depth: usize) {
    let schema = format!(
        "{}{{\"type\":\"string\"}}{}",
        "{\"type\":\"array\",\"items\":".repeat(depth),
        "}".repeat(depth)
    );
    let outer = json!({
        "openapi": "3.0.3",
        "info": { "title": "deep", "version": "1" },
        "paths": { "/a": { "get": { "responses": { "200": {
            "description": "ok", "content": { "application/json": { "schema": "SCHEMA" } } } } } } },
    });
    let text = outer.to_string().replace("\"SCHEMA\"", &schema);
    let result = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            codegen::generate_str("deep.json", &text, &codegen::Settings::default())
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .expect("spawn")
        .join()
        .expect("no stack overflow or panic");
    let err = result.expect_err("too deep");
    assert!(err.starts_with("deep.json"), "{err}");
    eprintln!("depth {depth}: {err}");
}

#[test]
fn allof_cycles_are_named() {
    let doc = json!({
        "openapi": "3.0.3",
        "info": { "title": "t", "version": "1" },
        "paths": { "/a": { "get": { "responses": { "200": {
            "description": "ok", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/A" } } } } } } } },
        "components": { "schemas": {
            "A": { "allOf": [ { "$ref": "#/components/schemas/B" }, { "properties": { "x": { "type": "string" } } } ] },
            "B": { "allOf": [ { "$ref": "#/components/schemas/A" } ] },
        } },
    });
    let err = codegen::generate_str(
        "cycle.json",
        &doc.to_string(),
        &codegen::Settings::default(),
    )
    .expect_err("cycle");
    assert!(err.to_string().contains("`allOf` cycle"), "{err}");
    assert!(
        err.to_string()
            .contains("#/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A"),
        "{err}"
    );
}

/// The random documents must mostly be ones the generator accepts, or the property above would
/// only exercise error paths.
#[test]
fn most_random_documents_are_accepted() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut ok, total) = (0, 400);
    for _ in 0..total {
        let doc = document().new_tree(&mut runner).expect("tree").current();
        if codegen::generate_str("fuzz.json", &doc.to_string(), &codegen::Settings::default())
            .is_ok()
        {
            ok += 1;
        }
    }
    eprintln!("{ok} of {total} random documents generated");
    assert!(
        ok * 4 >= total,
        "only {ok} of {total} random documents generated"
    );
}
