//! The types requests use: every named type a request body reaches through fields, items,
//! map values and union branches. Only those get constructors and setters, so the code a
//! crate compiles grows with what users build, not with what they receive.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, TypeKind, TypeRef};

/// Fills `api.request_types`.
pub fn mark(mut api: Api) -> Api {
    let by_name: BTreeMap<&str, &TypeKind> =
        api.types.iter().map(|t| (t.name.raw(), &t.kind)).collect();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&TypeRef> = api
        .resources
        .iter()
        .flat_map(|r| &r.operations)
        .filter_map(|op| op.body.as_ref().map(|b| &b.ty))
        .collect();
    while let Some(ty) = todo.pop() {
        match ty {
            TypeRef::Named(name) => {
                if !seen.insert(name.clone()) {
                    continue;
                }
                let mut kind = by_name.get(name.raw()).copied();
                // An alias's type is built through it: it is a request type too.
                if let Some(TypeKind::Alias { target }) = kind {
                    if !seen.insert(target.clone()) {
                        continue;
                    }
                    kind = by_name.get(target.raw()).copied();
                }
                match kind {
                    Some(TypeKind::Struct { fields, additional }) => {
                        todo.extend(fields.iter().map(|f| &f.ty));
                        todo.extend(additional);
                    }
                    Some(TypeKind::Union { variants, .. }) => {
                        todo.extend(variants.iter().map(|v| &v.ty));
                    }
                    Some(TypeKind::Enum { .. } | TypeKind::Alias { .. }) | None => {}
                }
            }
            TypeRef::Array(inner)
            | TypeRef::Map(inner)
            | TypeRef::Nullable(inner)
            | TypeRef::Boxed(inner) => todo.push(inner),
            _ => {}
        }
    }
    api.request_types = seen;
    api
}
