//! `oneOf`/`anyOf` -> unions: null branches make the type nullable, all-string branches are one
//! enum, and each other branch is a variant named by its tag, title, component or content.

use serde_json::Value;

use super::tags::finish_tagging;
use super::{Lowered, Types, code_span, component_name, description};
use crate::error::{SpecError, SpecResult};
use crate::ir::{Name, Tagging, TypeKind, TypeRef, UnionVariant};
use crate::load::child;
use crate::lower::variants;
use crate::naming;

impl<'d> Types<'d> {
    pub(super) fn lower_union(
        &mut self,
        node: &'d Value,
        key: &str,
        branches: &'d Value,
        ptr: &str,
        hint: &str,
        nullable: bool,
    ) -> SpecResult<Lowered> {
        let Some(list) = branches.as_array() else {
            return Err(SpecError::new(
                child(ptr, key),
                format!("`{key}` must be a list of schemas"),
            ));
        };
        let bptr = child(ptr, key);
        let mut nullable = nullable;
        let mut real: Vec<(usize, &'d Value)> = Vec::new();
        for (i, b) in list.iter().enumerate() {
            let (target, _) = self.doc.deref(b, &child(&bptr, &i.to_string()))?;
            let is_null = target.get("type").and_then(Value::as_str) == Some("null")
                || target
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.iter().all(Value::is_null));
            if is_null {
                nullable = true;
            } else {
                real.push((i, b));
            }
        }
        match real.as_slice() {
            [] => {
                return Ok(Lowered {
                    ty: TypeRef::Json,
                    nullable: true,
                });
            }
            [(i, one)] => {
                let l = self.lower(one, &child(&bptr, &i.to_string()), hint)?;
                return Ok(Lowered {
                    nullable: l.nullable || nullable,
                    ..l
                });
            }
            _ => {}
        }
        // Branches that are all strings (Oxide's one-value enums, each with its description;
        // OpenAI's "any string or one of these") are one forward-compatible enum.
        if let Some(choice) = variants::string_choice(self.doc, &real, &bptr) {
            let nullable = nullable || choice.nullable;
            return Ok(self.string_enum(choice.values, ptr, hint, nullable, description(node)));
        }
        let (name, lowered, result) = self.named(ptr, hint, nullable, |t, name| {
            t.union_variants(node, &real, &bptr, name.raw())
        });
        let (variants, tagging) = result?;
        self.define(
            name,
            ptr,
            description(node),
            TypeKind::Union { variants, tagging },
        );
        Ok(lowered)
    }

    fn union_variants(
        &mut self,
        node: &'d Value,
        branches: &[(usize, &'d Value)],
        bptr: &str,
        owner: &str,
    ) -> SpecResult<(Vec<UnionVariant>, Tagging)> {
        let explicit = node
            .get("discriminator")
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        // Without a discriminator, a property that every branch fixes to a distinct value
        // (`type: {enum: [a]}` / `const: a`) tags the union just as well.
        let discriminator = match explicit {
            Some(d) => Some(d),
            None => self.implicit_tag(branches, bptr)?,
        };
        let discriminator = discriminator.as_deref();
        let mapping: Vec<(String, String)> = node
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        // The string branches of a union that also holds other shapes are one enum branch.
        let strings: Vec<(usize, &'d Value)> = branches
            .iter()
            .filter(|(i, b)| variants::is_string_branch(self.doc, b, &child(bptr, &i.to_string())))
            .copied()
            .collect();
        let merged = variants::string_choice(self.doc, &strings, bptr);
        let mut infos: Vec<BranchInfo<'d>> = Vec::new();
        for (i, branch) in branches {
            let ptr = child(bptr, &i.to_string());
            if merged.is_some() && strings.iter().any(|(j, _)| j == i) {
                if strings[0].0 == *i {
                    let title = match strings.as_slice() {
                        [(_, one)] => one.get("title").and_then(Value::as_str),
                        _ => None,
                    };
                    infos.push(BranchInfo {
                        branch,
                        ptr,
                        tag: None,
                        component: None,
                        base: title.map_or_else(|| "String".to_owned(), naming::pascal),
                        key: "strings".to_owned(),
                        strings: true,
                    });
                }
                continue;
            }
            let (target, tptr) = self.doc.deref(branch, &ptr)?;
            // The component a branch refers to (by `$ref`, or by `$recursiveRef` to its owner).
            let referenced = match self.reference_of(branch, &ptr) {
                Some(_) if branch.get("$ref").is_some() => Some(tptr),
                other => other,
            };
            let (target, tptr) = match &referenced {
                Some(r) if branch.get("$ref").is_none() => match self.doc.get(r) {
                    Some(t) => (t, r.clone()),
                    None => (target, ptr.clone()),
                },
                _ => (target, referenced.clone().unwrap_or_else(|| ptr.clone())),
            };
            let component = referenced
                .as_ref()
                .and_then(|_| component_name(&tptr))
                .map(|c| match self.reserved_name(&tptr) {
                    Some(name) => name,
                    None => naming::pascal(c),
                });
            let mut tag_from_name = false;
            let tag = match discriminator {
                Some(prop) => {
                    let r = branch.get("$ref").and_then(Value::as_str);
                    let from_mapping = mapping
                        .iter()
                        .find(|(_, v)| Some(v.as_str()) == r)
                        .map(|(k, _)| k.clone());
                    let from_schema = self.fixed_value(target, &tptr, prop)?;
                    // The component's name is the implicit tag, unless the branch's own schema
                    // for the tag property rules that value out.
                    let from_name = match component_name(&tptr) {
                        Some(n) if self.allows(target, &tptr, prop, n)? => Some(n.to_owned()),
                        _ => None,
                    };
                    tag_from_name = from_mapping.is_none() && from_schema.is_none();
                    from_mapping.or(from_schema).or(from_name)
                }
                None => None,
            };
            let title = branch.get("title").and_then(Value::as_str);
            // Named by what tells the branch apart: its tag, its title, its component (less
            // what it shares with the union's name), or what it holds.
            let (base, key) = match (&tag, title, &component) {
                (Some(t), _, Some(c)) if tag_from_name => {
                    (variants::component_variant(c, owner), t.clone())
                }
                (Some(t), _, _) if !tag_from_name => (naming::variant(t), t.clone()),
                (_, Some(t), _) => (naming::pascal(t), t.to_owned()),
                (_, _, Some(c)) => (variants::component_variant(c, owner), c.clone()),
                _ => (variants::content_name(target), content_key(branch)),
            };
            infos.push(BranchInfo {
                branch,
                ptr,
                tag,
                component,
                base,
                key,
                strings: false,
            });
        }
        let tagged = discriminator.is_some() && {
            let mut tags: Vec<&String> = infos.iter().filter_map(|b| b.tag.as_ref()).collect();
            tags.sort();
            tags.dedup();
            tags.len() == infos.len()
        };
        if !tagged {
            // Tags that do not tell every branch apart do not name them either.
            for b in infos.iter_mut().filter(|b| b.tag.is_some()) {
                b.tag = None;
                if let Some(t) = b.branch.get("title").and_then(Value::as_str) {
                    b.base = naming::pascal(t);
                } else if let Some(c) = &b.component {
                    b.base = variants::component_variant(c, owner);
                    b.key = c.clone();
                } else {
                    let (target, _) = self.doc.deref(b.branch, &b.ptr)?;
                    b.base = variants::content_name(target);
                    b.key = content_key(b.branch);
                }
            }
        }
        // Several lists: each is named after its items (`StringArray`, `IntegerArray`).
        let arrays = infos.iter().filter(|b| b.base == "Array").count();
        if arrays > 1 {
            for b in infos.iter_mut().filter(|b| b.base == "Array") {
                let (target, tptr) = self.doc.deref(b.branch, &b.ptr)?;
                if let Some(name) = variants::array_name(self.doc, target, &tptr, owner) {
                    b.base = name;
                }
            }
        }
        // `Other` and `Unknown` are the fallback variants of untagged and tagged unions.
        let wanted: Vec<(String, String)> = infos
            .iter()
            .map(|b| (b.base.clone(), b.key.clone()))
            .collect();
        let (names, ties) = naming::distinct(&wanted, &["Other", "Unknown"]);
        self.warn_ties(bptr, owner, "branches", &ties);
        let mut merged = merged;
        let mut variants = Vec::new();
        for (info, vname) in infos.into_iter().zip(names) {
            let place = format!("The {} branch of {}.", code_span(&vname), code_span(owner));
            let hint = format!("{owner}{vname}");
            let l = match (info.strings, merged.take()) {
                (true, Some(choice)) => {
                    let saved = self.place.replace((self.depth, place));
                    let l = self.string_enum(
                        choice.values,
                        &format!("{bptr} (strings)"),
                        &hint,
                        choice.nullable,
                        None,
                    );
                    self.place = saved;
                    l
                }
                (_, m) => {
                    merged = m;
                    self.lower_field(info.branch, &info.ptr, &hint, place)?
                }
            };
            let ty = if l.nullable {
                TypeRef::Nullable(Box::new(l.ty))
            } else {
                l.ty
            };
            variants.push(UnionVariant {
                name: Name::new(vname),
                tag: info.tag,
                ty,
            });
        }
        Ok(finish_tagging(variants, discriminator))
    }
}

/// A branch of a union while its variant is being named.
struct BranchInfo<'d> {
    branch: &'d Value,
    ptr: String,
    tag: Option<String>,
    /// The Rust name of the component it refers to, if any.
    component: Option<String>,
    /// The name it wants.
    base: String,
    /// The spec text the name comes from, which orders the branches that want the same name.
    key: String,
    /// Whether it stands for all the string branches, merged into one enum.
    strings: bool,
}

/// The text that orders inline branches that want the same name: the branch as JSON.
pub(super) fn content_key(branch: &Value) -> String {
    serde_json::to_string(branch).unwrap_or_default()
}
