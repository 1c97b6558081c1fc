//! Property tests: random OpenAPI-shaped documents (and random text) never make the loader or
//! the lowering panic, overflow the stack or hang; they either generate or give a located error.
//!
//! `PROPTEST_CASES=N cargo test -p codegen --test fuzz --release` runs N cases per property.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Names that collide after case conversion, keywords and hostile text.
const NAMES: &[&str] = &[
    "a", "A", "foo-bar", "foo_bar", "FooBar", "type", "self", "Self", "*/", "", "1x", "ü",
    "result", "success",
];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_owned)
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        name().prop_map(Value::String),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        prop::sample::select(
            &[
                "string", "integer", "number", "boolean", "object", "array", "null", "bogus"
            ][..]
        )
        .prop_map(|t| json!({ "type": t })),
        name().prop_map(|n| json!({ "$ref": format!("#/components/schemas/{n}") })),
        Just(json!({ "$ref": "#/nowhere" })),
        prop::collection::vec(scalar(), 0..4).prop_map(|e| json!({ "enum": e })),
        Just(Value::Bool(true)),
        Just(json!({ "type": ["string", "null"] })),
        Just(json!({ "type": "boolean", "default": "true" })),
        Just(json!({ "type": "string", "pattern": "(" })),
        Just(json!(42)),
    ];
    leaf.prop_recursive(6, 64, 5, |inner| {
        prop_oneof![
            (
                prop::collection::vec((name(), inner.clone()), 0..4),
                prop::collection::vec(name(), 0..3)
            )
                .prop_map(|(props, required)| {
                    let props: Map<String, Value> = props.into_iter().collect();
                    json!({ "type": "object", "properties": props, "required": required })
                }),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|m| json!({ "allOf": m })),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|m| json!({ "oneOf": m })),
            (prop::collection::vec(inner.clone(), 0..4), name())
                .prop_map(|(m, p)| json!({ "anyOf": m, "discriminator": { "propertyName": p } })),
            inner
                .clone()
                .prop_map(|i| json!({ "type": "array", "items": i })),
            inner.clone().prop_map(
                |i| json!({ "type": "object", "additionalProperties": i, "nullable": true })
            ),
        ]
    })
}

fn operation() -> impl Strategy<Value = Value> {
    (
        prop::option::of(name()),
        prop::collection::vec(
            (name(), prop_oneof![1 => Just("path"), 6 => Just("query"), 2 => Just("header"), 1 => Just("cookie")], schema()),
            0..3,
        ),
        prop::option::of(schema()),
        prop::collection::vec(
            (prop::sample::select(&["200", "201", "204", "2XX", "4XX", "4xx", "default"][..]), prop::option::of(schema())),
            0..3,
        ),
    )
        .prop_map(|(id, params, body, responses)| {
            let params: Vec<Value> =
                params.into_iter().map(|(n, loc, s)| json!({ "name": n, "in": loc, "required": true, "schema": s })).collect();
            let responses: Map<String, Value> = responses
                .into_iter()
                .map(|(code, s)| {
                    let r = match s {
                        Some(s) => json!({ "description": "r", "content": { "application/json": { "schema": s } } }),
                        None => json!({ "description": "r" }),
                    };
                    (code.to_owned(), r)
                })
                .collect();
            let mut op = json!({ "parameters": params, "responses": responses });
            if let Some(id) = id {
                op["operationId"] = Value::String(id);
            }
            if let Some(b) = body {
                op["requestBody"] = json!({ "content": { "application/json": { "schema": b } } });
            }
            op
        })
}

fn document() -> impl Strategy<Value = Value> {
    (
        prop_oneof![8 => Just("3.0.3"), 4 => Just("3.1.0"), 1 => Just("2.0"), 1 => Just("4.0")],
        prop::collection::vec(
            (
                prop_oneof![6 => Just("/a"), 2 => Just("/a/{a}"), 2 => Just("/{type}/b"), 1 => Just("/x/{self}/{A}"), 1 => Just("no-slash"), 2 => Just("/")],
                prop::sample::select(&["get", "post", "put", "patch", "delete", "trace"][..]),
                operation(),
            ),
            0..4,
        ),
        prop::collection::vec((name(), schema()), 0..5),
    )
        .prop_map(|(version, ops, schemas)| {
            let mut paths = Map::new();
            for (path, method, op) in ops {
                let item = paths.entry(path.to_owned()).or_insert_with(|| json!({}));
                item[method] = op;
            }
            let schemas: Map<String, Value> = schemas.into_iter().collect();
            json!({
                "openapi": version,
                "info": { "title": "fuzz */", "version": "1" },
                "paths": paths,
                "components": { "schemas": schemas },
            })
        })
}

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
