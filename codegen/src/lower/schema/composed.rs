//! Shared properties with a choice (`allOf: [Base, {oneOf: [A, B]}]`, or `properties` next to
//! a `oneOf`): a union whose every branch is a struct of the shared and the branch's properties.

use serde_json::Value;

use super::tags::finish_tagging;
use super::unions::content_key;
use super::{Choice, Lowered, ObjectView, Types, code_span, component_name};
use crate::error::SpecResult;
use crate::ir::{Name, Tagging, TypeKind, UnionVariant};
use crate::load::child;
use crate::lower::variants;
use crate::naming;

impl<'d> Types<'d> {
    /// An object with shared properties and a choice (`allOf: [Base, {oneOf: [A, B]}]`, or
    /// `properties` next to a `oneOf`) becomes a union whose every branch is a struct of the
    /// shared properties merged with that branch's. A value then decodes into one struct that
    /// sees all of its properties, whichever part of the schema declares the tag; see
    /// ARCHITECTURE.md for why this beats a struct with a flattened union. Further choices nest.
    pub(super) fn lower_composed(
        &mut self,
        mut view: ObjectView<'d>,
        ptr: &str,
        hint: &str,
    ) -> SpecResult<Lowered> {
        let choice = view.choices.remove(0);
        let (name, lowered, result) = self.named(ptr, hint, view.nullable, |t, name| {
            t.composed_variants(&view, &choice, ptr, name.raw())
        });
        let (variants, tagging) = result?;
        self.define(
            name,
            ptr,
            view.description.clone(),
            TypeKind::Union { variants, tagging },
        );
        Ok(lowered)
    }

    fn composed_variants(
        &mut self,
        shared: &ObjectView<'d>,
        choice: &Choice<'d>,
        ptr: &str,
        owner: &str,
    ) -> SpecResult<(Vec<UnionVariant>, Tagging)> {
        let mut views = Vec::with_capacity(choice.branches.len());
        for (i, branch) in &choice.branches {
            let bptr = child(&choice.ptr, &i.to_string());
            let mut view = shared.clone();
            view.description = None;
            self.merge_into(&mut view, branch, &bptr, 1)?;
            views.push((*i, *branch, bptr, view));
        }
        let discriminator = choice.discriminator;
        let explicit = discriminator
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let tag_property = match explicit {
            Some(p) => Some(p),
            None => self.implicit_tag_in(&views)?,
        };
        let mapping = discriminator
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object);
        let mut named = Vec::with_capacity(views.len());
        for (i, branch, bptr, view) in views {
            let r = branch.get("$ref").and_then(Value::as_str);
            let component = match r {
                Some(_) => {
                    let tptr = self.doc.deref(branch, &bptr)?.1;
                    component_name(&tptr).map(|c| {
                        self.reserved_name(&tptr)
                            .unwrap_or_else(|| naming::pascal(c))
                    })
                }
                None => None,
            };
            let mut tag_from_schema = false;
            let tag = match &tag_property {
                Some(prop) => {
                    let from_mapping = mapping.and_then(|m| {
                        m.iter()
                            .find(|(_, v)| v.as_str().is_some() && v.as_str() == r)
                            .map(|(k, _)| k.clone())
                    });
                    match from_mapping {
                        Some(t) => {
                            tag_from_schema = true;
                            Some(t)
                        }
                        None => {
                            let fixed = self.fixed_in_view(&view, prop)?;
                            tag_from_schema = fixed.is_some();
                            fixed.or(component.clone())
                        }
                    }
                }
                None => None,
            };
            named.push((i, branch, view, component, tag, tag_from_schema));
        }
        let tagged = tag_property.is_some() && {
            let mut tags: Vec<&String> = named.iter().filter_map(|n| n.4.as_ref()).collect();
            tags.sort();
            tags.dedup();
            tags.len() == named.len()
        };
        // Named like the branches of any union: tag, title, component less what it shares
        // with the union's name, else what it holds.
        let mut wanted = Vec::with_capacity(named.len());
        for (_, branch, view, component, tag, from_schema) in &named {
            let title = branch.get("title").and_then(Value::as_str);
            wanted.push(match (tag, title, component) {
                (Some(t), _, _) if tagged && *from_schema => (naming::variant(t), t.clone()),
                (_, Some(t), _) => (naming::pascal(t), t.to_owned()),
                (_, _, Some(c)) => (variants::component_variant(c, owner), c.clone()),
                _ => {
                    let own: Vec<&String> = view
                        .properties
                        .keys()
                        .filter(|k| !shared.properties.contains_key(*k))
                        .collect();
                    match own.as_slice() {
                        [one] => (naming::pascal(one), content_key(branch)),
                        _ => ("Object".to_owned(), content_key(branch)),
                    }
                }
            });
        }
        let (names, ties) = naming::distinct(&wanted, &["Other", "Unknown"]);
        self.warn_ties(&choice.ptr, owner, "branches", &ties);
        let mut variants = Vec::with_capacity(named.len());
        for ((i, _, view, _, tag, _), vname) in named.into_iter().zip(names) {
            let place = format!("The {} branch of {}.", code_span(&vname), code_span(owner));
            let saved = self.place.replace((self.depth, place));
            let l = self.lower_object(
                view,
                &format!("{ptr} (branch {i})"),
                &format!("{owner}{vname}"),
            );
            self.place = saved;
            variants.push(UnionVariant {
                name: Name::new(vname),
                tag,
                ty: l?.ty,
            });
        }
        Ok(finish_tagging(variants, tag_property.as_deref()))
    }
}
