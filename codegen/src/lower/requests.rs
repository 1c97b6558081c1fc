//! The types requests use: every named type a request body reaches through fields, items,
//! map values and union branches. Only those get constructors and setters, so the code a
//! crate compiles grows with what users build, not with what they receive.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Name, TypeKind};

/// Fills `api.request_types`.
pub fn mark(mut api: Api) -> Api {
    let by_name: BTreeMap<&str, &TypeKind> =
        api.types.iter().map(|t| (t.name.raw(), &t.kind)).collect();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&Name> = api
        .resources
        .iter()
        .flat_map(|r| &r.operations)
        .filter_map(|op| op.body.as_ref()?.ty.named())
        .collect();
    // An alias's type is built through it: it is a request type too (its one reference).
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            todo.extend(by_name.get(name.raw()).into_iter().flat_map(|k| k.refs()));
        }
    }
    api.request_types = seen;
    api
}
