//! Objects -> structs: a merged object's fields (boxed where they refer back to a type being
//! built), its extra properties, or a map when it lists no properties.

use serde_json::Value;

use super::docs::lower_first;
use super::{Lowered, ObjectView, Types, code_span, description, with_facts};
use crate::error::SpecResult;
use crate::ir::{Field, Name, TypeKind, TypeRef};
use crate::lower::constraints;
use crate::naming::{self, Namespace};

impl<'d> Types<'d> {
    pub(super) fn lower_object(
        &mut self,
        view: ObjectView<'d>,
        ptr: &str,
        hint: &str,
    ) -> SpecResult<Lowered> {
        if !view.choices.is_empty() {
            return self.lower_composed(view, ptr, hint);
        }
        let nullable = view.nullable;
        if view.properties.is_empty() {
            let value = match view.additional {
                Some((node, aptr)) => {
                    let place = self
                        .place_here()
                        .map(|p| format!("A value of {}", lower_first(p)));
                    self.lower_placed(node, &aptr, &format!("{hint}Value"), place)?
                        .ty
                }
                None => TypeRef::Json,
            };
            return Ok(Lowered {
                ty: TypeRef::Map(Box::new(value)),
                nullable,
            });
        }
        let (name, lowered, fields) =
            self.named(ptr, hint, nullable, |t, name| t.fields(&view, name.raw()));
        let fields = fields?;
        let additional = match view.additional {
            Some((node, aptr)) => {
                let place = format!(
                    "A property of {} not listed in the schema.",
                    code_span(name.raw())
                );
                Some(
                    self.lower_placed(node, &aptr, &format!("{name}Extra"), Some(place))?
                        .ty,
                )
            }
            None => None,
        };
        self.define(
            name,
            ptr,
            view.description.clone(),
            TypeKind::Struct { fields, additional },
        );
        Ok(lowered)
    }

    fn fields(&mut self, view: &ObjectView<'d>, owner: &str) -> SpecResult<Vec<Field>> {
        let mut names = Namespace::default();
        let mut fields = Vec::with_capacity(view.properties.len());
        for (wire, (node, pptr)) in &view.properties {
            let mut ty_hint = format!("{owner}{}", naming::pascal(wire));
            if naming::pascal(wire) == "Value" {
                ty_hint.push('_');
            }
            let place = format!("The {} field of {}.", code_span(wire), code_span(owner));
            let l = self.lower_field(node, pptr, &ty_hint, place)?;
            let (target, _) = self.doc.deref(node, pptr)?;
            let read_only = node
                .get("readOnly")
                .or_else(|| target.get("readOnly"))
                .and_then(Value::as_bool)
                == Some(true);
            let doc = with_facts(description(node).or_else(|| description(target)), target);
            fields.push(Field {
                constraints: constraints::of(target),
                name: Name::new(names.claim(&naming::snake(wire))),
                wire_name: wire.clone(),
                ty: l.ty,
                required: view.required.contains(wire) && !read_only,
                nullable: l.nullable,
                doc,
            });
        }
        Ok(fields)
    }

    /// Lowers a field's schema. A type that is still being built (the field refers back to its
    /// owner, directly or through `allOf`/`oneOf` wrappers) is boxed so the type has a size.
    pub(super) fn lower_field(
        &mut self,
        node: &'d Value,
        ptr: &str,
        hint: &str,
        place: String,
    ) -> SpecResult<Lowered> {
        let l = self.lower_placed(node, ptr, hint, Some(place))?;
        let ty = match l.ty {
            TypeRef::Named(n) if self.building.contains(&n) => {
                TypeRef::Boxed(Box::new(TypeRef::Named(n)))
            }
            other => other,
        };
        Ok(Lowered { ty, ..l })
    }
}
