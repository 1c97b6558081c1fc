//! The limits a schema node sets (`minLength`, `maximum`, `maxItems`, ...), read into the IR's
//! `Constraints`: only lowering reads OpenAPI.

use crate::ir::Constraints;

/// Reads the limits of a schema node.
pub(crate) fn of(schema: &serde_json::Value) -> Constraints {
    let uint = |k: &str| schema.get(k).and_then(serde_json::Value::as_u64);
    let num = |k: &str| schema.get(k).and_then(serde_json::Value::as_f64);
    Constraints {
        min_length: uint("minLength").filter(|v| *v > 0),
        max_length: uint("maxLength"),
        // OpenAPI 3.1's numeric `exclusiveMinimum`/`exclusiveMaximum` are checked as
        // inclusive bounds: weaker by the bound itself, never rejecting a valid value.
        minimum: num("minimum").or_else(|| num("exclusiveMinimum")),
        maximum: num("maximum").or_else(|| num("exclusiveMaximum")),
        min_items: uint("minItems").filter(|v| *v > 0),
        max_items: uint("maxItems"),
    }
}
