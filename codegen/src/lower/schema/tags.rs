//! Discriminators: the property that tags a union's branches (declared, or one every branch
//! fixes to a distinct value), the value each branch gives it, and the tagging that results.

use serde_json::Value;

use super::{ObjectView, Types};
use crate::error::SpecResult;
use crate::ir::{Tagging, UnionVariant};
use crate::load::child;

impl<'d> Types<'d> {
    /// Whether the object `node` lets its property `prop` be the string `value`: false only when
    /// the property is an `enum` or `const` without it.
    pub(super) fn allows(
        &mut self,
        node: &'d Value,
        ptr: &str,
        prop: &str,
        value: &str,
    ) -> SpecResult<bool> {
        if !node.is_object() {
            return Ok(true);
        }
        let view = self.object_view(node, ptr)?;
        let Some((pnode, pptr)) = view.properties.get(prop).cloned() else {
            return Ok(true);
        };
        let (pnode, _) = self.doc.deref(pnode, &pptr)?;
        if let Some(c) = pnode.get("const") {
            return Ok(c == value);
        }
        Ok(match pnode.get("enum").and_then(Value::as_array) {
            Some(values) => values.iter().any(|v| v == value),
            None => true,
        })
    }

    /// The one string value a merged object fixes `prop` to (`enum: [x]` or `const: x`).
    pub(super) fn fixed_in_view(
        &mut self,
        view: &ObjectView<'d>,
        prop: &str,
    ) -> SpecResult<Option<String>> {
        let Some((node, pptr)) = view.properties.get(prop).cloned() else {
            return Ok(None);
        };
        let (node, _) = self.doc.deref(node, &pptr)?;
        if let Some(Value::String(c)) = node.get("const") {
            return Ok(Some(c.clone()));
        }
        Ok(
            match node
                .get("enum")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            {
                Some([Value::String(one)]) => Some(one.clone()),
                _ => None,
            },
        )
    }

    /// A property every merged object fixes to a distinct string, in the first one's order.
    pub(super) fn implicit_tag_in(
        &mut self,
        views: &[(usize, &'d Value, String, ObjectView<'d>)],
    ) -> SpecResult<Option<String>> {
        let Some((_, _, _, first)) = views.first() else {
            return Ok(None);
        };
        let candidates: Vec<String> = first.properties.keys().cloned().collect();
        'candidates: for prop in candidates {
            let mut seen = Vec::new();
            for (_, _, _, view) in views {
                match self.fixed_in_view(view, &prop)? {
                    Some(v) if !seen.contains(&v) => seen.push(v),
                    _ => continue 'candidates,
                }
            }
            return Ok(Some(prop));
        }
        Ok(None)
    }

    /// The one string value a branch fixes `prop` to (`enum: [x]` or `const: x`), if any.
    pub(super) fn fixed_value(
        &mut self,
        branch: &'d Value,
        ptr: &str,
        prop: &str,
    ) -> SpecResult<Option<String>> {
        if !self.doc.deref(branch, ptr)?.0.is_object() {
            return Ok(None);
        }
        let view = self.object_view(branch, ptr)?;
        self.fixed_in_view(&view, prop)
    }

    /// A property every branch fixes to a distinct string, in the first branch's property order.
    pub(super) fn implicit_tag(
        &mut self,
        branches: &[(usize, &'d Value)],
        bptr: &str,
    ) -> SpecResult<Option<String>> {
        let Some((i0, first)) = branches.first() else {
            return Ok(None);
        };
        let (first_target, _) = self.doc.deref(first, &child(bptr, &i0.to_string()))?;
        if !first_target.is_object() {
            return Ok(None);
        }
        let candidates: Vec<String> = self
            .object_view(first, &child(bptr, &i0.to_string()))?
            .properties
            .keys()
            .cloned()
            .collect();
        'candidates: for prop in candidates {
            let mut seen = Vec::new();
            for (i, b) in branches {
                match self.fixed_value(b, &child(bptr, &i.to_string()), &prop)? {
                    Some(v) if !seen.contains(&v) => seen.push(v),
                    _ => continue 'candidates,
                }
            }
            return Ok(Some(prop));
        }
        Ok(None)
    }
}

/// Internal tagging by `property` when every variant has a distinct tag, else untagged (and the
/// tags dropped).
pub(super) fn finish_tagging(
    mut variants: Vec<UnionVariant>,
    property: Option<&str>,
) -> (Vec<UnionVariant>, Tagging) {
    let mut tags: Vec<&String> = variants.iter().filter_map(|v| v.tag.as_ref()).collect();
    tags.sort();
    tags.dedup();
    let distinct = tags.len() == variants.len();
    let tagging = match property {
        Some(prop) if distinct => Tagging::Internal {
            property: prop.to_owned(),
        },
        _ => Tagging::Untagged,
    };
    if matches!(tagging, Tagging::Untagged) {
        for v in &mut variants {
            v.tag = None;
        }
    }
    (variants, tagging)
}
