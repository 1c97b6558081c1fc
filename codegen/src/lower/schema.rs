//! Schemas -> types: turns JSON Schema nodes into `TypeRef`s and named `TypeDef`s.
//!
//! Component schemas are memoised by JSON pointer, so a schema reached twice becomes one type.
//! Inline objects and enums get names from their place (owner name + field name).

use std::collections::{BTreeMap, HashMap, HashSet};

use indexmap::IndexMap;
use serde_json::Value;

use crate::error::{SpecError, SpecResult, Warning};
use crate::ir::{Field, Name, Tagging, TypeDef, TypeKind, TypeRef, UnionVariant, Variant};
use crate::load::{Document, child};
use crate::naming::{self, Namespace};

pub use super::nodes::{component_name, description};
use super::variants;

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

/// An object schema with `allOf` flattened: later members override earlier properties.
#[derive(Debug, Clone, Default)]
pub struct ObjectView<'d> {
    /// Properties by wire name, with the node and its pointer.
    pub properties: IndexMap<String, (&'d Value, String)>,
    /// Required property names.
    pub required: HashSet<String>,
    /// `additionalProperties`, when it is a schema or `true`.
    pub additional: Option<(&'d Value, String)>,
    /// Whether the schema allows `null`.
    pub nullable: bool,
    /// The first description found.
    pub description: Option<String>,
    /// `oneOf`/`anyOf` lists met while merging, each a choice between two or more object
    /// shapes; the object is each of them merged with the shared properties (see
    /// `Types::lower_composed`).
    pub choices: Vec<Choice<'d>>,
}

/// A `oneOf`/`anyOf` found while merging an object: the shapes it may also take.
#[derive(Debug, Clone)]
pub struct Choice<'d> {
    /// The pointer of the `oneOf`/`anyOf` list.
    pub ptr: String,
    /// The `discriminator` next to the list, if any.
    pub discriminator: Option<&'d Value>,
    /// The branches that can be objects, with their index in the list.
    pub branches: Vec<(usize, &'d Value)>,
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
        TypeRef::Named(name.into())
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

    /// Lowers a form body: `format: binary` strings become bytes (file parts).
    pub fn lower_binary_as_bytes(
        &mut self,
        node: &'d Value,
        ptr: &str,
        hint: &str,
        place: Option<String>,
    ) -> SpecResult<Lowered> {
        self.binary_as_bytes = true;
        let result = self.lower_placed(node, ptr, hint, place);
        self.binary_as_bytes = false;
        result
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

    /// Tolerates what strict validators reject, with a warning: a `default` of the wrong type
    /// and a `pattern` that is not a valid regular expression. Neither affects the output.
    fn check_defects(&mut self, obj: &serde_json::Map<String, Value>, ptr: &str) {
        let ty = obj.get("type").and_then(Value::as_str);
        if let Some(d) = obj.get("default") {
            let ok = match ty {
                Some("boolean") => d.is_boolean(),
                Some("integer") => d.is_i64() || d.is_u64(),
                Some("number") => d.is_number(),
                Some("string") => d.is_string(),
                Some("array") => d.is_array(),
                Some("object") => d.is_object(),
                _ => true,
            };
            if !ok && !d.is_null() {
                self.warn(
                    &child(ptr, "default"),
                    format!(
                        "default {d} does not match type `{}`; ignored",
                        ty.unwrap_or_default()
                    ),
                );
            }
        }
        if let Some(Value::String(p)) = obj.get("pattern") {
            if !plausible_regex(p) {
                self.warn(
                    &child(ptr, "pattern"),
                    "`pattern` is not a valid regular expression; ignored (patterns are never enforced)",
                );
            }
        }
    }

    /// Records a warning at `pointer`.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            location: crate::error::Location::at(pointer),
            message: message.into(),
        });
    }

    /// Lowers `node` like [`Types::lower`]; a type made for it without a description of its
    /// own is documented by `place` (where it sits: its parent, its property, its operation).
    pub fn lower_placed(
        &mut self,
        node: &'d Value,
        ptr: &str,
        hint: &str,
        place: Option<String>,
    ) -> SpecResult<Lowered> {
        let saved = std::mem::replace(&mut self.place, place.map(|p| (self.depth + 1, p)));
        let result = self.lower(node, ptr, hint);
        self.place = saved;
        result
    }

    /// "`what` of `operation`.", the place of a schema that belongs to the current operation.
    pub fn op_place(&self, what: &str) -> Option<String> {
        Some(format!("{what} of {}.", code_span(&self.operation)))
    }

    /// The place of the schema being lowered at this depth, if one was given.
    fn place_here(&self) -> Option<&str> {
        match &self.place {
            Some((depth, text)) if *depth == self.depth => Some(text),
            _ => None,
        }
    }

    /// A type's doc: the spec's description when it has a non-blank one, else its place, else
    /// (for a component) the component's name.
    fn type_doc(&self, own: Option<String>, ptr: &str) -> Option<String> {
        own.filter(|d| !d.trim().is_empty())
            .or_else(|| self.place_here().map(str::to_owned))
            .or_else(|| component_name(ptr).map(|c| format!("The {} schema.", code_span(c))))
    }

    /// Lowers the schema `node` found at `ptr`; `hint` names any type it must create.
    pub fn lower(&mut self, node: &'d Value, ptr: &str, hint: &str) -> SpecResult<Lowered> {
        self.depth += 1;
        let result = if self.depth > MAX_DEPTH {
            Err(SpecError::new(
                ptr,
                format!("schemas nest more than {MAX_DEPTH} levels deep"),
            ))
        } else {
            self.lower_inner(node, ptr, hint)
        };
        self.depth -= 1;
        result
    }

    fn lower_inner(&mut self, node: &'d Value, ptr: &str, hint: &str) -> SpecResult<Lowered> {
        if let Some(r) = node.get("$ref") {
            let Some(r) = r.as_str() else {
                return Err(SpecError::new(
                    child(ptr, "$ref"),
                    "`$ref` must be a string",
                ));
            };
            // OpenAPI 3.1 lets keywords sit beside `$ref`; `nullable` (and `type: [.., null]`)
            // there makes the reference nullable. Descriptions are read by the field's docs.
            let l = self.lower_ref(r, ptr, hint)?;
            let sibling_null = node.get("nullable").and_then(Value::as_bool) == Some(true)
                || node
                    .get("type")
                    .and_then(Value::as_array)
                    .is_some_and(|t| t.iter().any(|v| v == "null"));
            return Ok(Lowered {
                nullable: l.nullable || sibling_null,
                ..l
            });
        }
        if let Some(r) = self.recursive_ref(node, ptr) {
            return self.lower_ref(&r?, ptr, hint);
        }
        self.lower_schema(node, ptr, hint)
    }

    /// The component a JSON Schema 2019-09 `$recursiveRef: "#"` (or 2020-12 `$dynamicRef`)
    /// means in an OpenAPI document: the enclosing component schema, which must declare
    /// `$recursiveAnchor: true` (or a `$dynamicAnchor`). `None` when `node` has neither keyword.
    fn recursive_ref(&self, node: &Value, ptr: &str) -> Option<SpecResult<String>> {
        let key = ["$recursiveRef", "$dynamicRef"]
            .into_iter()
            .find(|k| node.get(*k).is_some())?;
        let rest = ptr.strip_prefix("#/components/schemas/")?;
        let component = format!(
            "#/components/schemas/{}",
            rest.split('/').next().unwrap_or_default()
        );
        let anchored = self.doc.get(&component).is_some_and(|c| {
            c.get("$recursiveAnchor").and_then(Value::as_bool) == Some(true)
                || c.get("$dynamicAnchor").is_some()
        });
        Some(if anchored {
            Ok(component)
        } else {
            Err(SpecError::new(
                child(ptr, key),
                format!(
                    "`{key}` outside a component schema that declares `$recursiveAnchor: true` or `$dynamicAnchor`"
                ),
            ))
        })
    }

    /// The `$ref` of a schema, or the component its `$recursiveRef`/`$dynamicRef` means.
    fn reference_of(&self, node: &Value, ptr: &str) -> Option<String> {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => Some(r.to_owned()),
            None => self.recursive_ref(node, ptr).and_then(Result::ok),
        }
    }

    /// Lowers the target of the reference `r` found in the schema at `ptr`.
    fn lower_ref(&mut self, r: &str, ptr: &str, hint: &str) -> SpecResult<Lowered> {
        let (target, tptr) = self.doc.follow(r, &child(ptr, "$ref"))?;
        if let Some(done) = self.memo.get(&self.memo_key(&tptr)) {
            return Ok(done.clone());
        }
        if self.in_progress.contains(&tptr) {
            // A map or list of itself can be built (it may be empty); its values stay JSON.
            let container = target.get("properties").is_none()
                && (target
                    .get("additionalProperties")
                    .is_some_and(Value::is_object)
                    || target.get("items").is_some());
            if container {
                self.warn(
                    ptr,
                    format!("`{r}` is a map or list of itself; its values are kept as JSON"),
                );
                return Ok(Lowered::plain(TypeRef::Json));
            }
            return Err(SpecError::new(
                ptr,
                format!(
                    "`{r}` refers to itself without an object in between, so no value can ever be built"
                ),
            ));
        }
        let hint = match self.reserved.get(&tptr) {
            Some(name) => name.clone(),
            None => component_name(&tptr).map_or_else(|| hint.to_owned(), naming::pascal),
        };
        self.in_progress.insert(tptr.clone());
        let lowered = self.lower(target, &tptr, &hint);
        self.in_progress.remove(&tptr);
        let lowered = lowered?;
        self.memo.insert(self.memo_key(&tptr), lowered.clone());
        Ok(lowered)
    }

    /// Lowers a schema that is not a reference.
    fn lower_schema(&mut self, node: &'d Value, ptr: &str, hint: &str) -> SpecResult<Lowered> {
        let Some(obj) = node.as_object() else {
            return match node {
                Value::Bool(true) => Ok(Lowered::plain(TypeRef::Json)),
                _ => Err(SpecError::new(
                    ptr,
                    "a schema must be a mapping (or `true`)",
                )),
            };
        };
        if let Some(done) = self.memo.get(&self.memo_key(ptr)) {
            return Ok(done.clone());
        }
        let nullable_flag = obj
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        self.check_defects(obj, ptr);

        if let Some(members) = obj.get("allOf") {
            return self.lower_all_of(node, members, ptr, hint, nullable_flag);
        }
        // Properties next to a `oneOf`/`anyOf` are shared by every branch: an object whose
        // choices are merged with them, like an `allOf` member's.
        let has_properties =
            obj.contains_key("properties") || obj.contains_key("additionalProperties");
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = obj.get(key) {
                if has_properties {
                    let mut view = self.object_view(node, ptr)?;
                    view.nullable |= nullable_flag;
                    return self.lower_object(view, ptr, hint);
                }
                return self.lower_union(node, key, branches, ptr, hint, nullable_flag);
            }
        }
        let values = match (obj.get("enum"), obj.get("const")) {
            (Some(Value::Array(values)), _) => Some(values.iter().collect::<Vec<_>>()),
            (Some(_), _) => {
                return Err(SpecError::new(child(ptr, "enum"), "`enum` must be a list"));
            }
            (None, Some(c)) => Some(vec![c]),
            (None, None) => None,
        };
        if let Some(values) = values {
            return self.lower_enum(&values, ptr, hint, nullable_flag);
        }

        let (ty_name, type_nullable) = self.type_name(obj.get("type"), ptr)?;
        let nullable = nullable_flag || type_nullable;
        let lowered = match ty_name.as_deref() {
            Some("string")
                if self.binary_as_bytes
                    && obj.get("format").and_then(Value::as_str) == Some("binary") =>
            {
                Lowered::plain(TypeRef::Bytes)
            }
            Some("string") => Lowered::plain(TypeRef::String),
            Some("integer") => {
                let width = if obj.get("format").and_then(Value::as_str) == Some("int32") {
                    32
                } else {
                    64
                };
                Lowered::plain(TypeRef::Integer(width))
            }
            Some("number") => Lowered::plain(TypeRef::Number),
            Some("boolean") => Lowered::plain(TypeRef::Boolean),
            Some("null") => Lowered {
                ty: TypeRef::Json,
                nullable: true,
            },
            Some("array") => {
                // A 3.1 tuple (`prefixItems`, with `items: false` or a schema for the rest)
                // mixes item types: its items stay JSON values.
                let item = match obj.get("items") {
                    _ if obj.contains_key("prefixItems") => TypeRef::Json,
                    Some(items) => {
                        let place = self
                            .place_here()
                            .map(|p| format!("An item of {}", lower_first(p)));
                        let l = self.lower_placed(
                            items,
                            &child(ptr, "items"),
                            &format!("{hint}Item"),
                            place,
                        )?;
                        if l.nullable {
                            TypeRef::Nullable(Box::new(l.ty))
                        } else {
                            l.ty
                        }
                    }
                    None => TypeRef::Json,
                };
                Lowered::plain(TypeRef::Array(Box::new(item)))
            }
            Some("object") | None
                if obj.contains_key("properties") || obj.contains_key("additionalProperties") =>
            {
                let mut view = self.object_view(node, ptr)?;
                // 3.1's `type: [object, "null"]` is known before the fields, so that a recursive
                // reference inside them sees the type as nullable too.
                view.nullable |= nullable;
                self.lower_object(view, ptr, hint)?
            }
            Some("object") => Lowered::plain(TypeRef::Map(Box::new(TypeRef::Json))),
            Some(other) => {
                self.warn(
                    ptr,
                    format!("unknown schema type `{other}`; using a JSON value"),
                );
                Lowered::plain(TypeRef::Json)
            }
            None => Lowered::plain(TypeRef::Json),
        };
        let lowered = Lowered {
            nullable: lowered.nullable || nullable,
            ..lowered
        };
        Ok(lowered)
    }

    /// Reads `type`, which in OpenAPI 3.1 may be a list including `"null"`.
    fn type_name(&mut self, ty: Option<&Value>, ptr: &str) -> SpecResult<(Option<String>, bool)> {
        match ty {
            None => Ok((None, false)),
            Some(Value::String(s)) => Ok((Some(s.clone()), false)),
            Some(Value::Array(list)) => {
                let names: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
                let nullable = names.contains(&"null");
                let rest: Vec<&str> = names.into_iter().filter(|n| *n != "null").collect();
                match rest.as_slice() {
                    [] => Ok((Some("null".to_owned()), true)),
                    [one] => Ok((Some((*one).to_owned()), nullable)),
                    _ => {
                        self.warn(
                            ptr,
                            format!(
                                "a value of several types ({}); using a JSON value",
                                rest.join(", ")
                            ),
                        );
                        Ok((None, nullable))
                    }
                }
            }
            Some(_) => Err(SpecError::new(
                child(ptr, "type"),
                "`type` must be a string or a list of strings",
            )),
        }
    }

    fn lower_all_of(
        &mut self,
        node: &'d Value,
        members: &'d Value,
        ptr: &str,
        hint: &str,
        nullable: bool,
    ) -> SpecResult<Lowered> {
        let Some(list) = members.as_array() else {
            return Err(SpecError::new(
                child(ptr, "allOf"),
                "`allOf` must be a list of schemas",
            ));
        };
        let has_own_shape = node.get("properties").is_some()
            || node.get("additionalProperties").is_some()
            || self.choice_of_objects(node, ptr);
        // Members that only add a description, `nullable` or limits do not change the shape: an
        // `allOf` with one shaped member is that member (`allOf: [{$ref: Id}, {description}]`).
        let shaped: Vec<usize> = (0..list.len()).filter(|i| has_shape(&list[*i])).collect();
        let reuse =
            |t: &Self, i: usize| list[i].get("$ref").is_some() || !t.is_object_like(&list[i], ptr);
        if !has_own_shape && shaped.len() == 1 && reuse(self, shaped[0]) {
            let i = shaped[0];
            let l = self.lower(&list[i], &child(&child(ptr, "allOf"), &i.to_string()), hint)?;
            let flagged = list
                .iter()
                .any(|m| m.get("nullable").and_then(Value::as_bool) == Some(true));
            return Ok(Lowered {
                nullable: l.nullable || nullable || flagged,
                ..l
            });
        }
        if list.len() == 1 && !has_own_shape {
            let l = self.lower(&list[0], &child(&child(ptr, "allOf"), "0"), hint)?;
            return Ok(Lowered {
                nullable: l.nullable || nullable,
                ..l
            });
        }
        if list.is_empty() && !has_own_shape {
            return Ok(Lowered {
                ty: TypeRef::Json,
                nullable,
            });
        }
        let view = self.object_view(node, ptr)?;
        self.lower_object(view, ptr, hint)
    }

    /// Whether the node's own `oneOf`/`anyOf` has a branch that can be an object, so that it
    /// composes with the node's `allOf` members.
    fn choice_of_objects(&self, node: &Value, ptr: &str) -> bool {
        ["oneOf", "anyOf"].iter().any(|key| {
            node.get(*key)
                .and_then(Value::as_array)
                .is_some_and(|list| {
                    list.iter().enumerate().any(|(i, b)| {
                        let bptr = child(&child(ptr, key), &i.to_string());
                        self.doc
                            .deref(b, &bptr)
                            .is_ok_and(|(t, _)| has_shape(b) && !is_scalar(t))
                    })
                })
        })
    }

    /// Whether a schema (after `$ref`s) is an object or an `allOf`, which merge as objects.
    fn is_object_like(&self, node: &'d Value, ptr: &str) -> bool {
        match self.doc.deref(node, ptr) {
            Ok((target, _)) => {
                target.get("properties").is_some()
                    || target.get("allOf").is_some()
                    || target.get("type").and_then(Value::as_str) == Some("object")
            }
            Err(_) => false,
        }
    }

    /// Flattens an object schema, following `$ref` and merging `allOf` members in order.
    pub fn object_view(&mut self, node: &'d Value, ptr: &str) -> SpecResult<ObjectView<'d>> {
        let mut view = ObjectView::default();
        self.merge_into(&mut view, node, ptr, 0)?;
        Ok(view)
    }

    fn merge_into(
        &mut self,
        view: &mut ObjectView<'d>,
        node: &'d Value,
        ptr: &str,
        depth: usize,
    ) -> SpecResult<()> {
        if depth > MAX_DEPTH {
            return Err(SpecError::new(
                ptr,
                format!("`allOf` nests more than {MAX_DEPTH} levels deep"),
            ));
        }
        let (node, ptr) = self.doc.deref(node, ptr)?;
        if let Some(pos) = self.merging.iter().position(|p| *p == ptr) {
            let mut cycle: Vec<String> = self.merging[pos..].to_vec();
            cycle.push(ptr.clone());
            return Err(SpecError::new(
                &ptr,
                format!(
                    "`allOf` cycle, so no value can ever be built: {}",
                    cycle.join(" -> ")
                ),
            ));
        }
        let Some(obj) = node.as_object() else {
            return Err(SpecError::new(
                &ptr,
                "an `allOf` member must be a schema mapping",
            ));
        };
        self.merging.push(ptr.clone());
        let result = self.merge_object(view, obj, &ptr, depth);
        self.merging.pop();
        result
    }

    fn merge_object(
        &mut self,
        view: &mut ObjectView<'d>,
        obj: &'d serde_json::Map<String, Value>,
        ptr: &str,
        depth: usize,
    ) -> SpecResult<()> {
        let ptr = ptr.to_owned();
        if view.description.is_none() {
            view.description = obj
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        if obj.get("nullable").and_then(Value::as_bool) == Some(true) {
            view.nullable = true;
        }
        if let Some(Value::Array(members)) = obj.get("allOf") {
            for (i, m) in members.iter().enumerate() {
                self.merge_into(
                    view,
                    m,
                    &child(&child(&ptr, "allOf"), &i.to_string()),
                    depth + 1,
                )?;
            }
        }
        // `properties: {$ref: ...}` (a shared map of properties, seen in multi-file specs).
        let properties = match obj.get("properties") {
            Some(p) if p.get("$ref").is_some_and(Value::is_string) => {
                let (target, tptr) = self.doc.deref(p, &child(&ptr, "properties"))?;
                Some((target, tptr))
            }
            Some(p) => Some((p, child(&ptr, "properties"))),
            None => None,
        };
        match properties {
            Some((Value::Object(props), pptr)) => {
                for (name, schema) in props {
                    // A later member replaces an earlier property wholesale (the envelope override).
                    view.properties.shift_remove(name);
                    view.properties
                        .insert(name.clone(), (schema, child(&pptr, name)));
                }
            }
            Some((_, pptr)) => {
                return Err(SpecError::new(pptr, "`properties` must be a mapping"));
            }
            None => {}
        }
        if let Some(Value::Array(req)) = obj.get("required") {
            view.required
                .extend(req.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        match obj.get("additionalProperties") {
            Some(Value::Bool(false)) | None => {}
            Some(other) => view.additional = Some((other, child(&ptr, "additionalProperties"))),
        }
        for key in ["oneOf", "anyOf"] {
            let Some(list) = obj.get(key) else {
                continue;
            };
            let lptr = child(&ptr, key);
            let Some(list) = list.as_array() else {
                return Err(SpecError::new(
                    lptr,
                    format!("`{key}` must be a list of schemas"),
                ));
            };
            let mut branches = Vec::new();
            let mut shaped = false;
            for (i, b) in list.iter().enumerate() {
                let (target, _) = self.doc.deref(b, &child(&lptr, &i.to_string()))?;
                // A branch that cannot be an object cannot be merged with one.
                if !is_scalar(target) {
                    shaped |= has_shape(b);
                    branches.push((i, b));
                }
            }
            match branches.as_slice() {
                // Branches that only add `required` (one of these must be present) constrain
                // values without changing their shape.
                _ if !shaped => {}
                [(i, one)] => {
                    self.merge_into(view, one, &child(&lptr, &i.to_string()), depth + 1)?;
                }
                _ => view.choices.push(Choice {
                    ptr: lptr,
                    discriminator: obj.get("discriminator"),
                    branches,
                }),
            }
        }
        Ok(())
    }

    fn lower_object(&mut self, view: ObjectView<'d>, ptr: &str, hint: &str) -> SpecResult<Lowered> {
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
        let name = self.claim_type(ptr, hint);
        let lowered = Lowered {
            ty: TypeRef::Named(name.to_string()),
            nullable,
        };
        // Memoise before the fields so that a recursive reference finds the name.
        self.memo.insert(self.memo_key(ptr), lowered.clone());
        self.in_progress.insert(ptr.to_owned());
        self.building.push(name.clone());
        let fields = self.fields(&view, name.raw());
        self.building.pop();
        self.in_progress.remove(ptr);
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
        self.defs.insert(
            name.clone(),
            TypeDef {
                name,
                doc: self.type_doc(view.description.clone(), ptr),
                origin: ptr.to_owned(),
                kind: TypeKind::Struct { fields, additional },
            },
        );
        Ok(lowered)
    }

    /// An object with shared properties and a choice (`allOf: [Base, {oneOf: [A, B]}]`, or
    /// `properties` next to a `oneOf`) becomes a union whose every branch is a struct of the
    /// shared properties merged with that branch's. A value then decodes into one struct that
    /// sees all of its properties, whichever part of the schema declares the tag; see
    /// ARCHITECTURE.md for why this beats a struct with a flattened union. Further choices nest.
    fn lower_composed(
        &mut self,
        mut view: ObjectView<'d>,
        ptr: &str,
        hint: &str,
    ) -> SpecResult<Lowered> {
        let choice = view.choices.remove(0);
        let name = self.claim_type(ptr, hint);
        let lowered = Lowered {
            ty: TypeRef::Named(name.to_string()),
            nullable: view.nullable,
        };
        self.memo.insert(self.memo_key(ptr), lowered.clone());
        self.in_progress.insert(ptr.to_owned());
        self.building.push(name.clone());
        let result = self.composed_variants(&view, &choice, ptr, name.raw());
        self.building.pop();
        self.in_progress.remove(ptr);
        let (variants, tagging) = result?;
        let doc = self.type_doc(view.description.clone(), ptr);
        self.defs.insert(
            name.clone(),
            TypeDef {
                name,
                doc,
                origin: ptr.to_owned(),
                kind: TypeKind::Union { variants, tagging },
            },
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

    /// Whether the object `node` lets its property `prop` be the string `value`: false only when
    /// the property is an `enum` or `const` without it.
    fn allows(&mut self, node: &'d Value, ptr: &str, prop: &str, value: &str) -> SpecResult<bool> {
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
    fn fixed_in_view(&mut self, view: &ObjectView<'d>, prop: &str) -> SpecResult<Option<String>> {
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
    fn implicit_tag_in(
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
                constraints: super::constraints::of(target),
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
    fn lower_field(
        &mut self,
        node: &'d Value,
        ptr: &str,
        hint: &str,
        place: String,
    ) -> SpecResult<Lowered> {
        let l = self.lower_placed(node, ptr, hint, Some(place))?;
        let ty = match l.ty {
            TypeRef::Named(n) if self.building.iter().any(|b| *b == n) => {
                TypeRef::Boxed(Box::new(TypeRef::Named(n)))
            }
            other => other,
        };
        Ok(Lowered { ty, ..l })
    }

    fn lower_enum(
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
    fn string_enum(
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
            ty: TypeRef::Named(name.into()),
            nullable,
        };
        self.memo.insert(self.memo_key(ptr), lowered.clone());
        lowered
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

    fn lower_union(
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
        let name = self.claim_type(ptr, hint);
        let lowered = Lowered {
            ty: TypeRef::Named(name.to_string()),
            nullable,
        };
        self.memo.insert(self.memo_key(ptr), lowered.clone());
        self.in_progress.insert(ptr.to_owned());
        self.building.push(name.clone());
        let result = self.union_variants(node, &real, &bptr, name.raw());
        self.building.pop();
        self.in_progress.remove(ptr);
        let (variants, tagging) = result?;
        let doc = self.type_doc(description(node), ptr);
        self.defs.insert(
            name.clone(),
            TypeDef {
                name,
                doc,
                origin: ptr.to_owned(),
                kind: TypeKind::Union { variants, tagging },
            },
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
fn content_key(branch: &Value) -> String {
    serde_json::to_string(branch).unwrap_or_default()
}

impl<'d> Types<'d> {
    /// The one string value a branch fixes `prop` to (`enum: [x]` or `const: x`), if any.
    fn fixed_value(
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
    fn implicit_tag(
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
fn finish_tagging(
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

/// Whether a schema (already dereferenced) can only be something other than an object.
fn is_scalar(target: &Value) -> bool {
    matches!(
        target.get("type").and_then(Value::as_str),
        Some("string" | "integer" | "number" | "boolean" | "array" | "null")
    ) || target.get("enum").is_some()
        || target.get("const").is_some()
}

/// Whether a schema node says what kind of value it is (rather than only annotating one).
fn has_shape(node: &Value) -> bool {
    [
        "$ref",
        "$recursiveRef",
        "$dynamicRef",
        "type",
        "enum",
        "const",
        "properties",
        "additionalProperties",
        "allOf",
        "oneOf",
        "anyOf",
        "items",
    ]
    .iter()
    .any(|k| node.get(k).is_some())
}

/// Appends the schema's `format` and `default` to a description, for the docs.
pub fn with_facts(doc: Option<String>, schema: &Value) -> Option<String> {
    let mut facts = Vec::new();
    if let Some(f) = schema.get("format").and_then(Value::as_str) {
        facts.push(format!(
            "Format: `{}` (kept as sent, not parsed).",
            f.replace('`', "")
        ));
    }
    if let Some(d) = schema.get("default") {
        let text = serde_json::to_string(d)
            .unwrap_or_default()
            .replace('`', "");
        if text.len() <= 80 {
            facts.push(format!("Default: `{text}`."));
        }
    }
    if facts.is_empty() {
        return doc;
    }
    let facts = facts.join(" ");
    Some(match doc {
        Some(d) => format!("{d}\n\n{facts}"),
        None => facts,
    })
}

/// Spec text as an inline code span that cannot end early.
pub fn code_span(text: &str) -> String {
    let t: String = text
        .chars()
        .filter(|c| *c != '`' && !c.is_control())
        .collect();
    if t.trim().is_empty() {
        "`\"\"`".to_owned()
    } else {
        format!("`{t}`")
    }
}

/// `The x` -> `the x`, for a place used inside a longer sentence.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A cheap validity check for a regular expression: brackets balance and it does not end in a
/// lone backslash. Enough to flag the broken patterns real specs contain.
fn plausible_regex(p: &str) -> bool {
    let mut depth: i64 = 0;
    let mut in_class = false;
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '\\' => {}
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0 && !in_class
}

#[cfg(test)]
mod tests {
    use super::plausible_regex;
    use crate::lower::nodes::component_name;

    #[test]
    fn schemas_in_other_files_are_named_after_their_place() {
        let mounted = |p: &str| format!("#/{}/{p}", crate::load::MOUNT_KEY);
        assert_eq!(component_name("#/components/schemas/Pet"), Some("Pet"));
        assert_eq!(
            component_name("#/components/schemas/Pet/properties/a"),
            None
        );
        assert_eq!(component_name(&mounted("models~1pet.yaml")), Some("pet"));
        assert_eq!(
            component_name(&mounted("m.yaml/definitions/Tag")),
            Some("Tag")
        );
        assert_eq!(
            component_name(&mounted("m.yaml/components/schemas/X")),
            Some("X")
        );
        assert_eq!(component_name(&mounted("m.yaml/Droplet")), Some("Droplet"));
        assert_eq!(
            component_name(&mounted("m.yaml/Droplet/properties/a")),
            None
        );
    }

    #[test]
    fn regex_plausibility() {
        assert!(plausible_regex("^[a-z0-9-]+$"));
        assert!(plausible_regex("^(a|b)\\)$"));
        assert!(!plausible_regex("^(a|b$"));
        assert!(!plausible_regex("[a-z"));
        assert!(!plausible_regex("abc\\"));
    }
}
