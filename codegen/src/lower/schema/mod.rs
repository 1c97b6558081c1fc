//! Schemas -> types: turns JSON Schema nodes into `TypeRef`s and named `TypeDef`s.
//!
//! Component schemas are memoised by JSON pointer, so a schema reached twice becomes one type.
//! Inline objects and enums get names from their place (owner name + field name).
//!
//! This file holds the type table ([`Types`]): its state, the names it claims for types and
//! what other lowering asks of it. The lowering itself is split by job: `dispatch` (a schema
//! by its keywords; scalars and arrays), `refs` (`$ref`s and recursion), `merge` (`allOf`
//! flattening), `objects` (structs), `composed` (shared properties with a choice), `unions`
//! (`oneOf`/`anyOf`), `tags` (discriminators), `enums`, `docs` (doc text) and `defects`
//! (what is tolerated with a warning).

mod composed;
mod defects;
mod dispatch;
mod docs;
mod enums;
mod merge;
mod objects;
mod refs;
mod tags;
mod unions;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use crate::error::Warning;
use crate::ir::{Field, Name, Tagging, TypeDef, TypeKind, TypeRef, UnionVariant};
use crate::load::{Document, child};
use crate::naming::{self, Namespace};

pub use super::nodes::{component_name, description};
pub use docs::{code_span, with_facts};
pub use merge::{Choice, ObjectView};

/// How deep schemas may nest before the generator gives up with an error (not a stack overflow).
const MAX_DEPTH: usize = 48;

/// A lowered schema: its type and whether `null` is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lowered {
    /// The Rust type.
    pub ty: TypeRef,
    /// Whether the schema allows `null`.
    pub nullable: bool,
}

impl Lowered {
    fn plain(ty: TypeRef) -> Self {
        Self {
            ty,
            nullable: false,
        }
    }
}

/// The type table being built, and the memo of schemas already lowered.
pub struct Types<'d> {
    doc: &'d Document,
    names: Namespace,
    memo: HashMap<String, Lowered>,
    in_progress: HashSet<String>,
    merging: Vec<String>,
    /// Names of the structs and unions whose fields are being lowered, innermost last.
    building: Vec<Name>,
    defs: BTreeMap<Name, TypeDef>,
    /// The names of `components/schemas`, claimed before anything is lowered (in the order of
    /// their keys), by pointer: a component keeps its name whatever is lowered first.
    reserved: HashMap<String, String>,
    depth: usize,
    /// Where the schema being lowered sits ("The `x` field of `Owner`."), at the depth where it
    /// applies: the doc line of a type made there when the spec gives it no description.
    place: Option<(usize, String)>,
    binary_as_bytes: bool,
    /// The operation whose parameters, body and responses are being lowered, as the user calls
    /// it (`certificates().create()`), for the docs of the types made for them.
    pub operation: String,
    /// Warnings collected while lowering.
    pub warnings: Vec<Warning>,
}

impl<'d> Types<'d> {
    /// An empty type table over `doc`.
    pub fn new(doc: &'d Document) -> Self {
        let mut names = Namespace::with_reserved(&naming::PRELUDE_NAMES);
        let mut reserved = HashMap::new();
        let mut warnings = Vec::new();
        let components = doc
            .root
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Value::as_object);
        let mut keys: Vec<&String> = components.map(|c| c.keys().collect()).unwrap_or_default();
        keys.sort();
        for key in keys {
            // An alias (`X: {$ref: ...}`) is the type it refers to, which names itself.
            if components
                .and_then(|c| c.get(key))
                .is_some_and(|s| s.get("$ref").is_some())
            {
                continue;
            }
            let wanted = naming::type_name(&naming::pascal(key));
            let name = names.claim(&wanted);
            let ptr = child("#/components/schemas", key);
            if name != wanted && !naming::PRELUDE_NAMES.contains(&wanted.as_str()) {
                warnings.push(Warning {
                    location: crate::error::Location::at(&ptr),
                    message: format!(
                        "the component's Rust name `{wanted}` is taken by a component whose key sorts first; it is `{name}`"
                    ),
                });
            }
            reserved.insert(ptr, name);
        }
        Self {
            doc,
            names,
            reserved,
            memo: HashMap::new(),
            in_progress: HashSet::new(),
            merging: Vec::new(),
            building: Vec::new(),
            defs: BTreeMap::new(),
            depth: 0,
            place: None,
            binary_as_bytes: false,
            operation: String::new(),
            warnings,
        }
    }

    /// The named types, sorted by name.
    pub fn into_defs(self) -> (Vec<TypeDef>, Vec<Warning>) {
        (self.defs.into_values().collect(), self.warnings)
    }

    /// Claims a name for the type at `ptr` and runs `build` with the type memoised and marked in
    /// progress, so that a recursive reference finds the name. Returns the name, what a
    /// reference lowers to, and what `build` gave.
    fn named<T>(
        &mut self,
        ptr: &str,
        hint: &str,
        nullable: bool,
        build: impl FnOnce(&mut Self, &Name) -> T,
    ) -> (Name, Lowered, T) {
        let name = self.claim_type(ptr, hint);
        let lowered = Lowered {
            ty: TypeRef::Named(name.clone()),
            nullable,
        };
        self.memo.insert(self.memo_key(ptr), lowered.clone());
        self.in_progress.insert(ptr.to_owned());
        self.building.push(name.clone());
        let built = build(self, &name);
        self.building.pop();
        self.in_progress.remove(ptr);
        (name, lowered, built)
    }

    /// Records the named type `name` from the schema at `ptr`, documented by `description`.
    fn define(&mut self, name: Name, ptr: &str, description: Option<String>, kind: TypeKind) {
        let doc = self.type_doc(description, ptr);
        self.defs.insert(
            name.clone(),
            TypeDef {
                name,
                doc,
                origin: ptr.to_owned(),
                kind,
            },
        );
    }

    /// A new untagged union of the given (variant name, type) pairs, named from `hint`.
    pub fn union_of(
        &mut self,
        hint: &str,
        origin: &str,
        variants: Vec<(String, TypeRef)>,
    ) -> TypeRef {
        let name = Name::new(self.names.claim(&naming::type_name(hint)));
        let mut names = Namespace::default();
        let variants = variants
            .into_iter()
            .map(|(v, ty)| UnionVariant {
                name: Name::new(names.claim(&naming::pascal(&v))),
                tag: None,
                ty,
            })
            .collect();
        self.defs.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                doc: Some(
                    "One of the operation's success bodies; which one depends on the status code."
                        .to_owned(),
                ),
                origin: origin.to_owned(),
                kind: TypeKind::Union {
                    variants,
                    tagging: Tagging::Untagged,
                },
            },
        );
        TypeRef::Named(name)
    }

    /// The memo key of a schema: its pointer, and whether binary strings are bytes here, since a
    /// schema used in both a JSON body and a form lowers to two different types.
    fn memo_key(&self, ptr: &str) -> String {
        if self.binary_as_bytes {
            format!("{ptr} (form)")
        } else {
            ptr.to_owned()
        }
    }

    /// Whether `name` is a struct type.
    pub fn is_struct(&self, name: &str) -> bool {
        self.defs
            .get(name)
            .is_some_and(|d| matches!(d.kind, TypeKind::Struct { .. }))
    }

    /// The fields of the struct `name`, if it is one.
    pub fn struct_fields(&self, name: &str) -> Option<&[Field]> {
        match &self.defs.get(name)?.kind {
            TypeKind::Struct { fields, .. } => Some(fields),
            _ => None,
        }
    }

    /// The variants of the untagged union `name`, if it is one.
    pub fn untagged_variants(&self, name: &str) -> Option<&[UnionVariant]> {
        match &self.defs.get(name)?.kind {
            TypeKind::Union {
                variants,
                tagging: Tagging::Untagged,
            } => Some(variants),
            _ => None,
        }
    }

    /// Records a warning at `pointer`.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            location: crate::error::Location::at(pointer),
            message: message.into(),
        });
    }

    /// Reports names that several items of `owner` wanted: who got which, in what order.
    fn warn_ties(&mut self, ptr: &str, owner: &str, what: &str, ties: &[(String, Vec<String>)]) {
        for (name, keys) in ties {
            let keys: Vec<String> = keys
                .iter()
                .map(|k| match k.char_indices().nth(60) {
                    Some((cut, _)) => code_span(&format!("{}...", &k[..cut])),
                    None => code_span(k),
                })
                .collect();
            self.warn(
                ptr,
                format!(
                    "{what} {} of `{owner}` all want the Rust name `{name}`; numbered in that order",
                    keys.join(", ")
                ),
            );
        }
    }

    /// Claims a type name for the schema at `ptr`: a component's own name when it was reserved
    /// for it up front (see [`Types::new`]), else `hint`, numbered if taken.
    fn claim_type(&mut self, ptr: &str, hint: &str) -> Name {
        let wanted = naming::type_name(hint);
        // The component's own schema, or the one member of its `allOf`/`oneOf`.
        let root = ptr
            .strip_prefix("#/components/schemas/")
            .map(|rest| rest.find(['/', ' ']).map_or(ptr, |end| &ptr[..21 + end]));
        if let Some(root) = root {
            if self.reserved.get(root) == Some(&wanted) {
                self.reserved.remove(root);
                return Name::new(wanted);
            }
        }
        Name::new(self.names.claim(&wanted))
    }

    /// The name reserved for the component at `ptr`, if it was one of `components/schemas`.
    fn reserved_name(&self, ptr: &str) -> Option<String> {
        self.reserved.get(ptr).cloned().or_else(|| {
            let def = self.memo.get(ptr)?;
            match &def.ty {
                TypeRef::Named(n) => Some(n.to_string()),
                _ => None,
            }
        })
    }
}
