//! Sharing identical shapes: an inline schema whose type is the same as another's becomes an
//! alias of it (`pub type A = B;`), so the crate defines the shape once.
//!
//! Large specs repeat inline shapes: Cloudflare's Radar operations each declare the same
//! `{start_time, end_time}` item and the same `json | csv` format enum, over a hundred times.
//! Each copy used to be a struct or enum with its own derives and serde impls, which is most of
//! what rustc checks in such a crate. An alias costs rustc next to nothing, and keeps every
//! name: code that names `RadarHttpSummaryDateRangeItem` still compiles, with the fields and
//! methods of the type it is the same as.
//!
//! Two types are the same when their definitions are equal once the named types they refer to
//! are replaced by the ones they are the same as: fields (Rust and wire names, types,
//! required, nullable, docs, constraints), variants and tagging. Only the type's own doc may
//! differ; the alias keeps its own. A component schema (`#/components/schemas/X`, or a named
//! schema of another file) is never made an alias (the vendor named it), but an inline shape may
//! become an alias of one. Within a
//! group the first component by name, or else the first type by name, is defined.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use crate::ir::{Field, Name, TypeDef, TypeKind, TypeRef, UnionVariant};

/// Whether the type was named by the spec's author: a schema of `components/schemas` itself, or
/// a named place in another file of the spec (`lower::nodes::component_name`).
fn named_by_spec(def: &TypeDef) -> bool {
    super::nodes::component_name(&def.origin).is_some()
}

/// The type `name` is the same as, following the chain to a defined type.
fn end<'a>(mut name: &'a Name, same: &'a HashMap<Name, Name>) -> &'a Name {
    while let Some(next) = same.get(name) {
        name = next;
    }
    name
}

/// `ty` with every named type replaced by the one it is the same as.
fn resolved(ty: &TypeRef, same: &HashMap<Name, Name>) -> TypeRef {
    ty.map_named(&|n| end(n, same).clone())
}

/// The definition with its references resolved (see [`resolved`]).
fn shape(kind: &TypeKind, same: &HashMap<Name, Name>) -> TypeKind {
    match kind {
        TypeKind::Struct { fields, additional } => TypeKind::Struct {
            fields: fields
                .iter()
                .map(|f| Field {
                    ty: resolved(&f.ty, same),
                    ..f.clone()
                })
                .collect(),
            additional: additional.as_ref().map(|t| resolved(t, same)),
        },
        TypeKind::Union { variants, tagging } => TypeKind::Union {
            variants: variants
                .iter()
                .map(|v| UnionVariant {
                    ty: resolved(&v.ty, same),
                    ..v.clone()
                })
                .collect(),
            tagging: tagging.clone(),
        },
        TypeKind::Enum { .. } | TypeKind::Alias { .. } => kind.clone(),
    }
}

/// Feeds `ty` into `h` with its named types resolved (as [`resolved`] would, without building
/// it).
fn hash_ref(ty: &TypeRef, same: &HashMap<Name, Name>, h: &mut DefaultHasher) {
    std::mem::discriminant(ty).hash(h);
    match ty {
        TypeRef::Named(n) => end(n, same).hash(h),
        TypeRef::Array(t) | TypeRef::Map(t) | TypeRef::Nullable(t) | TypeRef::Boxed(t) => {
            hash_ref(t, same, h);
        }
        other => other.hash(h),
    }
}

/// A hash of the definition with its references resolved (see [`shape`]): it finds the
/// candidates, which are then compared whole.
fn fingerprint(kind: &TypeKind, same: &HashMap<Name, Name>) -> u64 {
    let mut h = DefaultHasher::new();
    std::mem::discriminant(kind).hash(&mut h);
    match kind {
        TypeKind::Struct { fields, additional } => {
            for f in fields {
                (&f.name, &f.wire_name, f.required, f.nullable, &f.doc).hash(&mut h);
                hash_ref(&f.ty, same, &mut h);
                let c = &f.constraints;
                let bits = |v: Option<f64>| v.map(f64::to_bits);
                (c.min_length, c.max_length, c.min_items, c.max_items).hash(&mut h);
                (bits(c.minimum), bits(c.maximum)).hash(&mut h);
            }
            if let Some(t) = additional {
                hash_ref(t, same, &mut h);
            }
        }
        TypeKind::Union { variants, tagging } => {
            tagging.hash(&mut h);
            for v in variants {
                (&v.name, &v.tag).hash(&mut h);
                hash_ref(&v.ty, same, &mut h);
            }
        }
        TypeKind::Enum { variants } => variants.hash(&mut h),
        TypeKind::Alias { target } => target.hash(&mut h),
    }
    h.finish()
}

/// Makes every inline type that is the same as another an alias of it. `types` is sorted by
/// name and stays so.
pub fn share(types: &mut [TypeDef]) {
    // Components first, so that a group's defined type is a component when it has one.
    let mut order: Vec<usize> = (0..types.len()).collect();
    order.sort_by_key(|&i| !named_by_spec(&types[i]));
    // Who refers to each name, and (as aliases are found) which names end at it: a type's
    // fingerprint changes only when a name it refers to comes to end elsewhere.
    let mut users: HashMap<&Name, Vec<usize>> = HashMap::new();
    for (i, def) in types.iter().enumerate() {
        for name in def.kind.refs() {
            users.entry(name).or_default().push(i);
        }
    }
    let mut ending_at: HashMap<Name, Vec<Name>> = HashMap::new();
    let mut same: HashMap<Name, Name> = HashMap::new();
    let mut fingerprints: Vec<Option<u64>> = vec![None; types.len()];
    // Each round can only find more (a parent becomes the same as another once its children
    // are); the rounds end when one finds nothing new. A round sees the aliases of the rounds
    // before it, so its result does not depend on the order within it.
    loop {
        // The types defined so far this round, by fingerprint.
        let mut defined: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut found = Vec::new();
        for &i in &order {
            let def = &types[i];
            if same.contains_key(&def.name) {
                continue;
            }
            let print = *fingerprints[i].get_or_insert_with(|| fingerprint(&def.kind, &same));
            let bucket = defined.entry(print).or_default();
            // Equal fingerprints are compared whole (a collision must not merge two types).
            let first = match bucket.as_slice() {
                [] => None,
                candidates => {
                    let kind = shape(&def.kind, &same);
                    candidates
                        .iter()
                        .copied()
                        .find(|&c| shape(&types[c].kind, &same) == kind)
                }
            };
            match first {
                Some(first) if !named_by_spec(def) => found.push((i, first)),
                _ => bucket.push(i),
            }
        }
        if found.is_empty() {
            break;
        }
        for (i, first) in found {
            let (name, to) = (types[i].name.clone(), types[first].name.clone());
            // Every name that ended at `name` now ends at `to`: their users' prints change.
            let mut moved = ending_at.remove(&name).unwrap_or_default();
            moved.push(name.clone());
            for n in &moved {
                for &u in users.get(n).into_iter().flatten() {
                    fingerprints[u] = None;
                }
            }
            ending_at.entry(to.clone()).or_default().extend(moved);
            same.insert(name, to);
        }
    }
    // A type found the same as one that later became an alias itself points at the end of the
    // chain. Chains are acyclic: an alias always points at a type defined in its round.
    let aliases: BTreeMap<Name, Name> = same
        .keys()
        .map(|n| (n.clone(), end(n, &same).clone()))
        .collect();
    for def in types.iter_mut() {
        if let Some(to) = aliases.get(&def.name) {
            def.kind = TypeKind::Alias { target: to.clone() };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Constraints, Variant};

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            name: Name::new(name),
            wire_name: name.to_owned(),
            ty,
            required: true,
            nullable: false,
            doc: None,
            constraints: Constraints::default(),
        }
    }

    fn def(name: &str, origin: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: Name::new(name),
            doc: Some(format!("{name}'s own doc")),
            origin: origin.to_owned(),
            kind,
        }
    }

    fn object(fields: Vec<Field>) -> TypeKind {
        TypeKind::Struct {
            fields,
            additional: None,
        }
    }

    fn named(n: &str) -> TypeRef {
        TypeRef::Named(Name::new(n))
    }

    fn alias_of(types: &[TypeDef], name: &str) -> Option<String> {
        let t = types.iter().find(|t| t.name == *name).unwrap();
        match &t.kind {
            TypeKind::Alias { target } => Some(target.to_string()),
            _ => None,
        }
    }

    #[test]
    fn identical_inline_shapes_share_one_definition_and_parents_follow() {
        let range = || object(vec![field("start", TypeRef::String)]);
        let format = || TypeKind::Enum {
            variants: vec![Variant {
                name: Name::new("Json"),
                wire: "json".to_owned(),
                doc: None,
            }],
        };
        let mut types = vec![
            def(
                "AMeta",
                "#/paths/~1a/get/x",
                object(vec![field("range", named("ARange"))]),
            ),
            def("ARange", "#/paths/~1a/get/y", range()),
            def("BFormat", "#/paths/~1b/get/f", format()),
            def(
                "BMeta",
                "#/paths/~1b/get/x",
                object(vec![field("range", named("BRange"))]),
            ),
            def("BRange", "#/paths/~1b/get/y", range()),
            def("CFormat", "#/paths/~1c/get/f", format()),
            def("DateRange", "#/components/schemas/DateRange", range()),
            def("Other", "#/components/schemas/Other", range()),
            def(
                "Span",
                &format!("#/{}/common.yaml/definitions/Span", crate::load::MOUNT_KEY),
                range(),
            ),
        ];
        share(&mut types);
        // The component is preferred; another component is never made an alias.
        assert_eq!(alias_of(&types, "ARange").as_deref(), Some("DateRange"));
        assert_eq!(alias_of(&types, "BRange").as_deref(), Some("DateRange"));
        assert_eq!(alias_of(&types, "Other"), None);
        assert_eq!(
            alias_of(&types, "Span"),
            None,
            "named in another file of the spec"
        );
        assert_eq!(alias_of(&types, "DateRange"), None);
        // A parent is the same once its children are, in a later round.
        assert_eq!(alias_of(&types, "BMeta").as_deref(), Some("AMeta"));
        assert_eq!(alias_of(&types, "AMeta"), None);
        assert_eq!(alias_of(&types, "CFormat").as_deref(), Some("BFormat"));
        // Each keeps its own doc.
        assert_eq!(types[3].doc.as_deref(), Some("BMeta's own doc"));
    }

    #[test]
    fn a_difference_anywhere_keeps_types_apart() {
        let base = field("name", TypeRef::String);
        let mut documented = base.clone();
        documented.doc = Some("The name.".to_owned());
        let mut optional = base.clone();
        optional.required = false;
        let mut limited = base.clone();
        limited.constraints.max_length = Some(3);
        let mut renamed = base.clone();
        renamed.wire_name = "Name".to_owned();
        let mut types = vec![
            def("A", "#/a", object(vec![base])),
            def("B", "#/b", object(vec![documented])),
            def("C", "#/c", object(vec![optional])),
            def("D", "#/d", object(vec![limited])),
            def("E", "#/e", object(vec![renamed])),
            def(
                "F",
                "#/f",
                object(vec![field("name", TypeRef::Integer(64))]),
            ),
        ];
        share(&mut types);
        assert!(
            types
                .iter()
                .all(|t| !matches!(t.kind, TypeKind::Alias { .. }))
        );
    }

    #[test]
    fn recursive_types_are_not_merged_by_their_own_names() {
        let mut types = vec![
            def(
                "A",
                "#/a",
                object(vec![field("next", TypeRef::Boxed(Box::new(named("A"))))]),
            ),
            def(
                "B",
                "#/b",
                object(vec![field("next", TypeRef::Boxed(Box::new(named("B"))))]),
            ),
        ];
        share(&mut types);
        assert!(
            types
                .iter()
                .all(|t| !matches!(t.kind, TypeKind::Alias { .. }))
        );
    }
}
