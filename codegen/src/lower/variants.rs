//! What tells the branches of a `oneOf`/`anyOf` apart: strings only (one enum), and the names of
//! the variants of a union, from the branch's tag, title, component or content, never from its
//! position.

use serde_json::Value;

use crate::load::{Document, child};
use crate::naming;

/// How deep `$ref`s to string choices are followed (`anyOf: [$ref: A]` where `A` is one too).
const MAX_STRING_DEPTH: usize = 8;

/// The values of a choice whose branches are all strings: plain strings, string enums, `const`s,
/// or references to such. Each value carries the description of its branch when the branch
/// lists that value alone (Oxide's schemars style: one `enum: [idle]` with a description per
/// value).
#[derive(Debug, Default)]
pub struct StringChoice {
    /// The values in spec order, each once, with their docs.
    pub values: Vec<(String, Option<String>)>,
    /// Whether `null` is a value.
    pub nullable: bool,
}

/// What a branch of strings adds, or `None` when the branch can be something else than a
/// string.
fn string_branch(
    doc: &Document,
    node: &Value,
    ptr: &str,
    depth: usize,
    into: &mut StringChoice,
) -> Option<()> {
    if depth > MAX_STRING_DEPTH {
        return None;
    }
    let (target, tptr) = doc.deref(node, ptr).ok()?;
    let obj = target.as_object()?;
    let ty = match obj.get("type") {
        None => None,
        Some(Value::String(t)) => Some(t.as_str()),
        Some(Value::Array(list)) => {
            let rest: Vec<&str> = list
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            into.nullable |= rest.len() < list.len();
            match rest.as_slice() {
                [one] => Some(*one),
                _ => return None,
            }
        }
        Some(_) => return None,
    };
    if obj.get("nullable").and_then(Value::as_bool) == Some(true) {
        into.nullable = true;
    }
    if ty.is_some_and(|t| t != "string") {
        return None;
    }
    let values: Option<Vec<&Value>> = match (obj.get("enum"), obj.get("const")) {
        (Some(Value::Array(list)), _) => Some(list.iter().collect()),
        (Some(_), _) => return None,
        (None, Some(c)) => Some(vec![c]),
        (None, None) => None,
    };
    if let Some(values) = values {
        let strings: Vec<&str> = values.iter().filter_map(|v| v.as_str()).collect();
        if strings.len() + values.iter().filter(|v| v.is_null()).count() != values.len() {
            return None;
        }
        into.nullable |= strings.len() < values.len();
        // A branch's description documents its value when it has only one.
        let doc_text = match strings.as_slice() {
            [_] => super::schema::description(node).or_else(|| super::schema::description(target)),
            _ => None,
        };
        for v in strings {
            if !into.values.iter().any(|(w, _)| w == v) {
                into.values.push((v.to_owned(), doc_text.clone()));
            }
        }
        return Some(());
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(list) = obj.get(key) {
            let list = list.as_array()?;
            let lptr = child(&tptr, key);
            for (i, b) in list.iter().enumerate() {
                let bptr = child(&lptr, &i.to_string());
                let (bt, _) = doc.deref(b, &bptr).ok()?;
                if bt.get("type").and_then(Value::as_str) == Some("null") {
                    into.nullable = true;
                    continue;
                }
                string_branch(doc, b, &bptr, depth + 1, into)?;
            }
            return Some(());
        }
    }
    // A plain string (no format that makes it something else, no shape keywords).
    let shaped = ["allOf", "properties", "items", "additionalProperties"]
        .iter()
        .any(|k| obj.contains_key(*k));
    (ty == Some("string") && !shaped).then_some(())
}

/// The values of a `oneOf`/`anyOf` whose branches (at `ptr/<index>`) are all strings, when at
/// least one branch lists values: one forward-compatible enum holds them all (a plain `string`
/// branch is what its `Unknown` variant is for). `None` otherwise.
pub fn string_choice(
    doc: &Document,
    branches: &[(usize, &Value)],
    ptr: &str,
) -> Option<StringChoice> {
    let mut choice = StringChoice::default();
    for (i, b) in branches {
        string_branch(doc, b, &child(ptr, &i.to_string()), 0, &mut choice)?;
    }
    (!choice.values.is_empty()).then_some(choice)
}

/// Whether a branch holds only strings (plain, enum or `const`), so that it merges with the
/// other string branches of a union into one enum.
pub fn is_string_branch(doc: &Document, node: &Value, ptr: &str) -> bool {
    string_branch(doc, node, ptr, 0, &mut StringChoice::default()).is_some()
}

/// The name an inline branch takes from what it holds: the property of a one-property object
/// (serde's externally tagged style, `{ipv4: ..}`), the kind of a scalar (`String`,
/// `Integer`, ...), `Array` or `Object`.
pub fn content_name(target: &Value) -> String {
    let props = target.get("properties").and_then(Value::as_object);
    if let Some(props) = props {
        if props.len() == 1 {
            if let Some(p) = props.keys().next() {
                return naming::pascal(p);
            }
        }
    }
    kind_name(target).to_owned()
}

/// The name an array branch takes when a union has more than one: its items' kind or component
/// followed by `Array` (`StringArray`, `IntegerArrayArray`).
pub fn array_name(doc: &Document, target: &Value, ptr: &str, union: &str) -> Option<String> {
    let items = target.get("items")?;
    let iptr = child(ptr, "items");
    let (it, itptr) = doc.deref(items, &iptr).ok()?;
    let item = match super::schema::component_name(&itptr) {
        Some(c) if items.get("$ref").is_some() => naming::variant_of(&naming::pascal(c), union),
        _ if it.get("type").and_then(Value::as_str) == Some("array") => {
            array_name(doc, it, &itptr, union)?
        }
        _ => content_name(it),
    };
    Some(format!("{item}Array"))
}

/// The kind of a schema, as a variant name.
pub fn kind_name(node: &Value) -> &'static str {
    match node.get("type").and_then(Value::as_str) {
        Some("string") => "String",
        Some("integer") => "Integer",
        Some("number") => "Number",
        Some("boolean") => "Boolean",
        Some("array") => "Array",
        _ => "Object",
    }
}

/// The variant name of a branch that refers to the component named `component` (its Rust name):
/// the component's name less what it shares with the union's, unless that leaves the name of a
/// fallback variant (`Other`, `Unknown`), which would only be numbered.
pub fn component_variant(component: &str, union: &str) -> String {
    let name = naming::variant_of(component, union);
    if name == "Other" || name == "Unknown" {
        component.to_owned()
    } else {
        name
    }
}
