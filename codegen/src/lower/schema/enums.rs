//! Enums: `enum`/`const` lists (booleans, numbers, mixed values and strings), and the
//! forward-compatible string enum, its values deduplicated and their Rust names made distinct.

use std::collections::HashSet;

use serde_json::Value;

use super::{Lowered, Types, description};
use crate::error::SpecResult;
use crate::ir::{Name, TypeDef, TypeKind, TypeRef, Variant};
use crate::naming;

impl<'d> Types<'d> {
    pub(super) fn lower_enum(
        &mut self,
        values: &[&Value],
        ptr: &str,
        hint: &str,
        nullable: bool,
    ) -> SpecResult<Lowered> {
        let nullable = nullable || values.iter().any(|v| v.is_null());
        let non_null: Vec<&Value> = values.iter().copied().filter(|v| !v.is_null()).collect();
        if non_null.is_empty() {
            return Ok(Lowered {
                ty: TypeRef::Json,
                nullable: true,
            });
        }
        if non_null.iter().all(|v| v.is_boolean()) {
            return Ok(Lowered {
                ty: TypeRef::Boolean,
                nullable,
            });
        }
        if non_null.iter().all(|v| v.is_i64() || v.is_u64()) {
            return Ok(Lowered {
                ty: TypeRef::Integer(64),
                nullable,
            });
        }
        if non_null.iter().all(|v| v.is_number()) {
            return Ok(Lowered {
                ty: TypeRef::Number,
                nullable,
            });
        }
        if !non_null.iter().all(|v| v.is_string()) {
            self.warn(
                ptr,
                "an enum mixing strings with other kinds of values; using a JSON value",
            );
            return Ok(Lowered {
                ty: TypeRef::Json,
                nullable,
            });
        }
        let values = non_null
            .iter()
            .filter_map(|v| v.as_str())
            .map(|v| (v.to_owned(), None))
            .collect();
        let doc = self.doc.get(ptr).and_then(description);
        Ok(self.string_enum(values, ptr, hint, nullable, doc))
    }

    /// A forward-compatible string enum of `values` (wire value, doc), each kept once in order.
    /// Values whose Rust names clash are numbered in the order of their wire text, with a
    /// warning, so that a value added to the spec never renames another.
    pub(super) fn string_enum(
        &mut self,
        values: Vec<(String, Option<String>)>,
        ptr: &str,
        hint: &str,
        nullable: bool,
        own_doc: Option<String>,
    ) -> Lowered {
        let name = self.claim_type(ptr, hint);
        let mut seen = HashSet::new();
        let values: Vec<(String, Option<String>)> = values
            .into_iter()
            .filter(|(w, _)| seen.insert(w.clone()))
            .collect();
        let wanted: Vec<(String, String)> = values
            .iter()
            .map(|(w, _)| (naming::variant(w), w.clone()))
            .collect();
        let (names, ties) = naming::distinct(&wanted, &["Unknown"]);
        self.warn_ties(ptr, name.raw(), "values", &ties);
        let variants = values
            .into_iter()
            .zip(names)
            .map(|((wire, doc), name)| Variant {
                name: Name::new(name),
                wire,
                doc,
            })
            .collect();
        let doc = self.type_doc(own_doc, ptr);
        self.defs.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                doc,
                origin: ptr.to_owned(),
                kind: TypeKind::Enum { variants },
            },
        );
        let lowered = Lowered {
            ty: TypeRef::Named(name),
            nullable,
        };
        self.memo.insert(self.memo_key(ptr), lowered.clone());
        lowered
    }
}
