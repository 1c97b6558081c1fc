//! Doc text of the types and fields made: where a schema sits (its place), a type's doc, a
//! field's format and default, and spec text as safe code spans.

use serde_json::Value;

use super::{Types, component_name};

impl<'d> Types<'d> {
    /// "`what` of `operation`.", the place of a schema that belongs to the current operation.
    pub fn op_place(&self, what: &str) -> Option<String> {
        Some(format!("{what} of {}.", code_span(&self.operation)))
    }

    /// The place of the schema being lowered at this depth, if one was given.
    pub(super) fn place_here(&self) -> Option<&str> {
        match &self.place {
            Some((depth, text)) if *depth == self.depth => Some(text),
            _ => None,
        }
    }

    /// A type's doc: the spec's description when it has a non-blank one, else its place, else
    /// (for a component) the component's name.
    pub(super) fn type_doc(&self, own: Option<String>, ptr: &str) -> Option<String> {
        own.filter(|d| !d.trim().is_empty())
            .or_else(|| self.place_here().map(str::to_owned))
            .or_else(|| component_name(ptr).map(|c| format!("The {} schema.", code_span(c))))
    }
}

/// Appends the schema's `format` and `default` to a description, for the docs.
pub fn with_facts(doc: Option<String>, schema: &Value) -> Option<String> {
    let mut facts = Vec::new();
    if let Some(f) = schema.get("format").and_then(Value::as_str) {
        facts.push(format!(
            "Format: `{}` (kept as sent, not parsed).",
            f.replace('`', "")
        ));
    }
    if let Some(d) = schema.get("default") {
        let text = serde_json::to_string(d)
            .unwrap_or_default()
            .replace('`', "");
        if text.len() <= 80 {
            facts.push(format!("Default: `{text}`."));
        }
    }
    if facts.is_empty() {
        return doc;
    }
    let facts = facts.join(" ");
    Some(match doc {
        Some(d) => format!("{d}\n\n{facts}"),
        None => facts,
    })
}

pub use crate::naming::code_span;

/// `The x` -> `the x`, for a place used inside a longer sentence.
pub(super) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
