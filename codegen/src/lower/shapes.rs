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
//! differ; the alias keeps its own. A component schema (`#/components/schemas/X`) is never made
//! an alias (the vendor named it), but an inline shape may become an alias of one. Within a
//! group the first component by name, or else the first type by name, is defined.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::hash::Hasher;

use crate::ir::{Field, Name, TypeDef, TypeKind, TypeRef, UnionVariant};

/// Whether the type was named by the spec's author: a schema of `components/schemas` itself.
fn named_by_spec(def: &TypeDef) -> bool {
    def.origin
        .strip_prefix("#/components/schemas/")
        .is_some_and(|rest| !rest.contains('/'))
}

/// `ty` with every named type replaced by the one it is the same as.
fn resolved(ty: &TypeRef, same: &HashMap<Name, Name>) -> TypeRef {
    let inner = |t: &TypeRef| Box::new(resolved(t, same));
    match ty {
        TypeRef::Named(n) => TypeRef::Named(same.get(n).unwrap_or(n).clone()),
        TypeRef::Array(t) => TypeRef::Array(inner(t)),
        TypeRef::Map(t) => TypeRef::Map(inner(t)),
        TypeRef::Nullable(t) => TypeRef::Nullable(inner(t)),
        TypeRef::Boxed(t) => TypeRef::Boxed(inner(t)),
        other => other.clone(),
    }
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

/// A hash of the definition (its `Debug` text, which covers every part of it), to find the
/// candidates that are then compared whole.
fn fingerprint(kind: &TypeKind) -> u64 {
    struct Feed(DefaultHasher);
    impl std::fmt::Write for Feed {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut feed = Feed(DefaultHasher::new());
    // Writing into a hasher cannot fail.
    let _ = write!(feed, "{kind:?}");
    feed.0.finish()
}

/// Makes every inline type that is the same as another an alias of it. `types` is sorted by
/// name and stays so.
pub fn share(types: &mut [TypeDef]) {
    // Components first, so that a group's defined type is a component when it has one.
    let mut order: Vec<usize> = (0..types.len()).collect();
    order.sort_by_key(|&i| !named_by_spec(&types[i]));
    let mut same: HashMap<Name, Name> = HashMap::new();
    // Each round can only find more (a parent becomes the same as another once its children
    // are); the rounds end when one finds nothing new.
    loop {
        let mut defined: HashMap<u64, Vec<(usize, TypeKind)>> = HashMap::new();
        let mut found = false;
        for &i in &order {
            let def = &types[i];
            if same.contains_key(&def.name) {
                continue;
            }
            let kind = shape(&def.kind, &same);
            let bucket = defined.entry(fingerprint(&kind)).or_default();
            match bucket.iter().find(|(_, k)| *k == kind) {
                Some(&(first, _)) if !named_by_spec(def) => {
                    same.insert(def.name.clone(), types[first].name.clone());
                    found = true;
                }
                _ => bucket.push((i, kind)),
            }
        }
        if !found {
            break;
        }
    }
    // A type found the same as one that later became an alias itself points at the end of the
    // chain. Chains are acyclic: an alias always points at a type defined in its round.
    let target = |name: &Name| {
        let mut at = name;
        while let Some(next) = same.get(at) {
            at = next;
        }
        at.clone()
    };
    let aliases: BTreeMap<Name, Name> = same.keys().map(|n| (n.clone(), target(n))).collect();
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
        ];
        share(&mut types);
        // The component is preferred; another component is never made an alias.
        assert_eq!(alias_of(&types, "ARange").as_deref(), Some("DateRange"));
        assert_eq!(alias_of(&types, "BRange").as_deref(), Some("DateRange"));
        assert_eq!(alias_of(&types, "Other"), None);
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
