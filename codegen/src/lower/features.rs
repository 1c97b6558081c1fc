//! Cargo features per tag for large specs: each operation belongs to the feature of its first
//! tag, and each type to the features whose operations reach it, so that a crate built with one
//! feature compiles only that tag's operations and the types they use.
//!
//! A type reached by more than [`SHARED_ABOVE`] features is always compiled: such types are the
//! API's common vocabulary (envelopes, messages, identifiers), small, and a `cfg(any(...))` over
//! hundreds of features would cost more than it saves.

use std::collections::{BTreeMap, BTreeSet};

use crate::TagFeatures;
use crate::ir::{Api, Feature, Name, TypeRef};

/// Specs with at least this many operations get features per tag in `Auto` mode.
pub const AUTO_FROM_OPERATIONS: usize = 100;

/// A type reached by more features than this is always compiled.
pub const SHARED_ABOVE: usize = 16;

/// The feature name of a tag: kebab-case ASCII (`DNS Records for a Zone` gives
/// `dns-records-for-a-zone`); `untagged` for operations without a tag.
pub fn feature_name(tag: Option<&str>) -> String {
    let Some(tag) = tag else {
        return "untagged".to_owned();
    };
    let mut out = String::new();
    for c in tag.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    match out.as_str() {
        // Names the generated Cargo.toml uses itself.
        "" => "untagged".to_owned(),
        "default" | "full" | "mock" => format!("tag-{out}"),
        _ => out,
    }
}

fn refs(ty: &TypeRef, out: &mut Vec<Name>) {
    out.extend(ty.named().cloned());
}

/// Fills `Operation::feature`, `Api::features` and `Api::type_features`.
pub fn assign(mut api: Api, mode: TagFeatures) -> Api {
    let ops = api
        .resources
        .iter()
        .map(|r| r.operations.len())
        .sum::<usize>();
    let on = match mode {
        TagFeatures::Never => false,
        TagFeatures::Always => true,
        TagFeatures::Auto => ops >= AUTO_FROM_OPERATIONS,
    };
    if !on {
        return api;
    }
    let mut features: BTreeMap<String, Feature> = BTreeMap::new();
    // Type name -> the features whose operations name it directly.
    let mut reached: BTreeMap<Name, BTreeSet<String>> = BTreeMap::new();
    // The call chain of each resource (`chat().completions`), for the features table.
    let chains: Vec<String> = (0..api.resources.len())
        .map(|i| api.chain(i).trim_end_matches("()").to_owned())
        .collect();
    for (resource, chain) in api.resources.iter_mut().zip(&chains) {
        for op in &mut resource.operations {
            let name = feature_name(op.tag.as_deref());
            let f = features.entry(name.clone()).or_insert_with(|| Feature {
                name: name.clone(),
                tag: op.tag.clone().unwrap_or_else(|| "(no tag)".to_owned()),
                operations: 0,
                resources: Vec::new(),
            });
            f.operations += 1;
            if !f.resources.contains(chain) {
                f.resources.push(chain.clone());
            }
            let mut named = Vec::new();
            for p in &op.params {
                refs(&p.ty, &mut named);
            }
            if let Some(b) = &op.body {
                refs(&b.ty, &mut named);
            }
            match &op.response {
                crate::ir::Response::Envelope {
                    result,
                    result_info,
                    ..
                } => {
                    refs(result, &mut named);
                    if let Some(i) = result_info {
                        refs(i, &mut named);
                    }
                }
                crate::ir::Response::Json(t) => refs(t, &mut named),
                _ => {}
            }
            for e in &op.errors {
                refs(&e.ty, &mut named);
            }
            if let Some(p) = &op.pagination {
                refs(&p.item, &mut named);
                if let Some(i) = &p.info {
                    refs(i, &mut named);
                }
            }
            for n in named {
                reached.entry(n).or_default().insert(name.clone());
            }
            op.feature = Some(name);
        }
    }
    // What each type names directly, then spread the features along those edges to a fixpoint.
    let edges: BTreeMap<&str, Vec<Name>> = api
        .types
        .iter()
        // An alias's features reach the type it is the same as (its one reference).
        .map(|t| (t.name.raw(), t.kind.refs().into_iter().cloned().collect()))
        .collect();
    let mut work: Vec<Name> = reached.keys().cloned().collect();
    while let Some(t) = work.pop() {
        let from = reached.get(&t).cloned().unwrap_or_default();
        for next in edges.get(t.raw()).into_iter().flatten() {
            let set = reached.entry(next.clone()).or_default();
            let before = set.len();
            set.extend(from.iter().cloned());
            if set.len() != before {
                work.push(next.clone());
            }
        }
    }
    // A type no operation reaches compiles only with `full`.
    let full = BTreeSet::from(["full".to_owned()]);
    api.type_features = api
        .types
        .iter()
        .filter_map(|t| {
            let set = reached.get(t.name.raw()).unwrap_or(&full);
            (set.len() <= SHARED_ABOVE).then(|| (t.name.clone(), set.iter().cloned().collect()))
        })
        .collect();
    api.features = features.into_values().collect();
    api
}

#[cfg(test)]
mod tests {
    use super::feature_name;

    #[test]
    fn tags_become_kebab_case_feature_names() {
        assert_eq!(
            feature_name(Some("DNS Records for a Zone")),
            "dns-records-for-a-zone"
        );
        assert_eq!(
            feature_name(Some("  Zero Trust / Access: apps ")),
            "zero-trust-access-apps"
        );
        assert_eq!(feature_name(Some("!!!")), "untagged");
        assert_eq!(feature_name(None), "untagged");
        assert_eq!(feature_name(Some("default")), "tag-default");
    }
}
