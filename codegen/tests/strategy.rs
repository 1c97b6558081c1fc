//! Random OpenAPI-shaped documents for property tests: names that collide after case conversion
//! or with generated items, keywords, hostile text, broken references and every construct.

#![allow(dead_code)]

use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Names that collide after case conversion, keywords and hostile text.
const NAMES: &[&str] = &[
    "a",
    "A",
    "foo-bar",
    "foo_bar",
    "FooBar",
    "type",
    "self",
    "Self",
    "*/",
    "",
    "1x",
    "ü",
    "result",
    "success",
    "Other",
    "unknown",
    "send",
    "items",
    "pages",
    "builder",
    "request",
    "options",
    "body",
    "additional_properties",
    "r_type",
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

pub fn document() -> impl Strategy<Value = Value> {
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
