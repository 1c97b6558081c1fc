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
    fn random_multi_file_documents_generate_or_fail_cleanly(files in multi_file()) {
        if let Err(e) = generate_files(&files) {
            prop_assert!(
                files.iter().any(|(n, _)| e.starts_with(&format!("{n}: "))),
                "error names no file: {e}"
            );
            prop_assert!(!e.contains(codegen::load::MOUNT_KEY), "internal pointer leaked: {e}");
        }
    }

    #[test]
    fn random_text_never_panics_the_loader(text in "[ -~\n\t{}\\[\\]:#&*!|>'\"%@`-]{0,200}") {
        let _ = codegen::generate_str("fuzz.yaml", &text, &codegen::Settings::default());
    }
}

/// Generates from in-memory files, the first being the root; the error as text.
fn generate_files(files: &[(String, serde_json::Value)]) -> Result<(), String> {
    let named: Vec<(String, String)> = files
        .iter()
        .map(|(n, v)| {
            (
                n.clone(),
                serde_json::to_string_pretty(v).expect("serialise"),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = named
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    codegen::load::parse_files(&borrowed)
        .and_then(|doc| codegen::generate_doc(&doc, &codegen::Settings::default()))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The multi-file strategy must reach both outcomes, and errors of every kind, or the property
/// above proves little.
#[test]
fn random_multi_file_documents_reach_every_outcome() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut ok, mut errors) = (0, Vec::new());
    for _ in 0..400 {
        let files = multi_file().new_tree(&mut runner).expect("tree").current();
        match generate_files(&files) {
            Ok(()) => ok += 1,
            Err(e) => errors.push(e),
        }
    }
    eprintln!("{ok} of 400 multi-file documents generated");
    assert!(ok >= 40, "only {ok} of 400 generated");
    for kind in [
        "reference cycle",
        "cannot be read",
        "leaves the spec's folder",
        "points at nothing",
    ] {
        assert!(
            errors.iter().any(|e| e.contains(kind)),
            "no `{kind}` error in {errors:#?}"
        );
    }
}

/// A few in-memory files: a root document whose operations return schemas from other files, and
/// schema files whose entries refer to each other (across files, within a file, to missing
/// files and names, out of the folder), so cycles and dangling references across files occur.
fn multi_file() -> impl Strategy<Value = Vec<(String, serde_json::Value)>> {
    const FILES: [&str; 3] = ["a.yaml", "models/b.yaml", "models/deep/c.json"];
    const NAMES: [&str; 3] = ["X", "Y", "Z"];
    // The path of `to` as seen from the folder of `from`.
    fn relative(from: &str, to: &str) -> String {
        let depth = from.matches('/').count();
        format!("{}{to}", "../".repeat(depth))
    }
    // Mostly good references; sometimes a missing file, one out of the folder, a missing name.
    let file_index = prop_oneof![
        12 => 0..FILES.len(),
        1 => Just(FILES.len()),
        1 => Just(FILES.len() + 1),
        1 => Just(FILES.len() + 2),
    ];
    let target = (file_index, 0..NAMES.len());
    let schema = (0..5u8, target.clone(), target)
        .prop_map(|(kind, (f1, n1), (f2, n2))| (kind, f1, n1, f2, n2));
    let file = prop::collection::vec(schema, NAMES.len());
    (
        prop::collection::vec(file, FILES.len()),
        prop::collection::vec((0..FILES.len() + 1, 0..NAMES.len()), 1..4),
    )
        .prop_map(|(files, roots)| {
            let reference = |from: &str, f: usize, n: usize| -> String {
                let name = NAMES[n];
                match f {
                    f if f < FILES.len() && FILES[f] == from => format!("#/{name}"),
                    f if f < FILES.len() => format!("{}#/{name}", relative(from, FILES[f])),
                    f if f == FILES.len() => format!("{}#/{name}", relative(from, "missing.yaml")),
                    f if f == FILES.len() + 1 => format!("{}../outside.yaml#/{name}", relative(from, "")),
                    _ => format!("{}#/Nope", relative(from, FILES[0])),
                }
            };
            let mut out = Vec::new();
            let paths: serde_json::Map<String, serde_json::Value> = roots
                .iter()
                .enumerate()
                .map(|(i, &(f, n))| {
                    let r = if f < FILES.len() {
                        format!("{}#/{}", FILES[f], NAMES[n])
                    } else {
                        format!("{}#/{}", FILES[0], NAMES[n])
                    };
                    (format!("/p{i}"), json!({ "get": { "responses": { "200": {
                        "description": "ok",
                        "content": { "application/json": { "schema": { "$ref": r } } } } } } }))
                })
                .collect();
            out.push(("openapi.yaml".to_owned(), json!({
                "openapi": "3.0.3",
                "info": { "title": "multi", "version": "1" },
                "paths": paths,
            })));
            for (fi, entries) in files.iter().enumerate() {
                let from = FILES[fi];
                let mut map = serde_json::Map::new();
                for (ni, &(kind, f1, n1, f2, n2)) in entries.iter().enumerate() {
                    let schema = match kind {
                        0 => json!({ "$ref": reference(from, f1, n1) }),
                        1 => json!({ "type": "object", "properties": {
                            "a": { "$ref": reference(from, f1, n1) },
                            "b": { "type": "array", "items": { "$ref": reference(from, f2, n2) } } } }),
                        2 => json!({ "allOf": [ { "$ref": reference(from, f1, n1) },
                            { "type": "object", "properties": { "c": { "type": "string" } } } ] }),
                        _ => json!({ "type": "string", "enum": ["x", "y"] }),
                    };
                    map.insert(NAMES[ni].to_owned(), schema);
                }
                out.push((from.to_owned(), serde_json::Value::Object(map)));
            }
            out
        })
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
