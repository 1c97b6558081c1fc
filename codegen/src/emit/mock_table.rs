//! The operation table of a generated crate's `mock` module (`OPERATIONS`): per operation its
//! method, path, parameters, body (with a decode check into the client's body type), response
//! kind and pagination with wire-name JSON paths, written with the runtime's `const fn`
//! constructors (`MockOperation::get(..).params(..)`), one short entry per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::typeref::type_tokens;
use crate::ir::{
    Api, BodyKind, FieldPath, Hop, ItemsAt, Method, Name, NextCursor, Operation, PageStyle,
    ParamLocation, Response, TypeKind, TypeRef,
};

/// The runtime's table types an entry used, so the table imports only those.
#[derive(Default)]
struct Used {
    params: bool,
    response: bool,
    paging: bool,
}

/// The `OPERATIONS` static (in `api.resources` order: stubs find their entry by position) and
/// the imports of its constructors.
pub fn table(api: &Api) -> TokenStream {
    let mut used = Used::default();
    let mut entries = Vec::new();
    for r in &api.resources {
        for op in &r.operations {
            let call = format!("{}().{}()", r.name.bare(), op.method_name.bare());
            let full = entry(api, &call, op, true, &mut used);
            // The body check names the body's type, which only the operation's feature compiles:
            // without it the entry stays (indices are positions) but checks only presence.
            entries.push(match &op.feature {
                Some(f) if json_check(op) => {
                    let plain = entry(api, &call, op, false, &mut used);
                    quote!(#[cfg(feature = #f)] #full, #[cfg(not(feature = #f))] #plain)
                }
                _ => full,
            });
        }
    }
    let mut names = vec![quote!(MockOperation)];
    if used.params {
        names.extend([quote!(MockParam), quote!(ParamType)]);
    }
    if used.response {
        names.push(quote!(MockResponse));
    }
    if used.paging {
        names.push(quote!(PagingStyle));
    }
    quote! {
        use crate::runtime::mock::{#(#names),*};

        /// The spec's operations, as the mock checks requests against them.
        pub static OPERATIONS: &[MockOperation] = &[#(#entries),*];
    }
}

/// Whether the operation's body is JSON the mock decodes into the client's body type.
fn json_check(op: &Operation) -> bool {
    op.body.as_ref().is_some_and(|b| {
        b.kind == BodyKind::Json && !matches!(b.ty, TypeRef::Bytes | TypeRef::MultipartForm)
    })
}

/// One entry: `MockOperation::get(id, call, path)` and what differs from its defaults.
fn entry(api: &Api, call: &str, op: &Operation, with_check: bool, used: &mut Used) -> TokenStream {
    let constructor = format_ident!(
        "{}",
        match op.method {
            Method::Get => "get",
            Method::Post => "post",
            Method::Put => "put",
            Method::Patch => "patch",
            Method::Delete => "delete",
            Method::Head => "head",
            Method::Options => "options",
        }
    );
    let operation_id = &op.operation_id;
    let path = &op.path;
    let mut out = quote!(MockOperation::#constructor(#operation_id, #call, #path));
    let checked: Vec<_> = op
        .params
        .iter()
        .filter(|p| rejects(api, &p.ty) || (p.required && p.location != ParamLocation::Path))
        .collect();
    if !checked.is_empty() {
        used.params = true;
        let params = checked.iter().map(|p| {
            let name = &p.wire_name;
            let ty = param_type(api, &p.ty);
            match p.location {
                ParamLocation::Path => quote!(MockParam::path(#name, #ty)),
                ParamLocation::Query if p.required => {
                    quote!(MockParam::query(#name, #ty).required())
                }
                ParamLocation::Query => quote!(MockParam::query(#name, #ty)),
                ParamLocation::Header if p.required => {
                    quote!(MockParam::header(#name, #ty).required())
                }
                ParamLocation::Header => quote!(MockParam::header(#name, #ty)),
            }
        });
        out.extend(quote!(.params(&[#(#params),*])));
    }
    if let Some(b) = &op.body {
        let required = b.required;
        let content_type = &b.content_type;
        out.extend(if with_check && json_check(op) {
            let t = type_tokens(&b.ty);
            quote!(.json_body::<#t>(#required, #content_type))
        } else {
            quote!(.body(#required, #content_type))
        });
    }
    let response = match &op.response {
        Response::Envelope { .. } => Some(quote!(Envelope)),
        Response::Json(_) => None,
        Response::Text => Some(quote!(Text)),
        Response::Bytes => Some(quote!(Bytes)),
        Response::Empty => Some(quote!(Empty)),
    };
    if let Some(response) = response {
        used.response = true;
        out.extend(quote!(.response(MockResponse::#response)));
    }
    if let Some(paging) = paging(api, op) {
        used.paging = true;
        out.extend(paging);
    }
    out
}

/// Whether the mock can reject a value of this type. The table lists only parameters it can
/// reject a request for: values of such a type, and required query values and headers (a path
/// value is there whenever the path matched its template).
fn rejects(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => true,
        TypeRef::Named(name) => matches!(
            api.type_def(name).map(|t| &t.kind),
            Some(TypeKind::Enum { .. })
        ),
        TypeRef::Array(inner) | TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => {
            rejects(api, inner)
        }
        _ => false,
    }
}

/// `Some(..)`/`None` tokens.
fn opt(v: Option<TokenStream>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn str_list(items: &[String]) -> TokenStream {
    quote!(&[#(#items),*])
}

/// The `.paging(items, style)` of a paginated operation.
fn paging(api: &Api, op: &Operation) -> Option<TokenStream> {
    let p = op.pagination.as_ref()?;
    let (root_ty, root) = body_root(api, op);
    let items = match &p.items {
        ItemsAt::Result => vec![result_field(api)],
        ItemsAt::Body => Vec::new(),
        ItemsAt::Field(hop) => {
            let mut out = root;
            out.extend(wire_hops(api, root_ty, std::slice::from_ref(hop)));
            out
        }
    };
    let items = str_list(&items);
    let style = match &p.style {
        PageStyle::PageNumber {
            page_param,
            per_page_param,
            ..
        } => {
            let page = op.wire_name(page_param);
            let per_page = opt(per_page_param.as_ref().map(|n| {
                let w = op.wire_name(n);
                quote!(#w)
            }));
            quote!(PageNumber { page: #page, per_page: #per_page })
        }
        PageStyle::Cursor { param, next } => {
            let param = op.wire_name(param);
            match next {
                NextCursor::Field(path) => {
                    let next = str_list(&field_path(api, op, path));
                    quote!(Cursor { param: #param, next: #next })
                }
                NextCursor::LastItemId { has_more, id } => {
                    let has_more = str_list(&field_path(api, op, has_more));
                    let id = wire_hops(api, Some(&p.item), std::slice::from_ref(id))
                        .pop()
                        .unwrap_or_default();
                    quote!(LastItemId { param: #param, has_more: #has_more, id: #id })
                }
            }
        }
        PageStyle::Link => quote!(Link),
        PageStyle::NextUrl { next } => {
            let next = str_list(&field_path(api, op, next));
            quote!(NextUrl { next: #next })
        }
        PageStyle::Offset {
            param,
            limit_param,
            total,
            ..
        } => {
            let param = op.wire_name(param);
            let limit = opt(limit_param.as_ref().map(|n| {
                let w = op.wire_name(n);
                quote!(#w)
            }));
            let total = opt(total.as_ref().map(|t| str_list(&field_path(api, op, t))));
            quote!(Offset { param: #param, limit: #limit, total: #total })
        }
    };
    Some(quote!(.paging(#items, PagingStyle::#style)))
}

/// The struct fields of a type, through names, boxes and nullables.
fn fields_of<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a [crate::ir::Field]> {
    match ty {
        TypeRef::Named(name) => api.struct_fields(name),
        TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => fields_of(api, inner),
        _ => None,
    }
}

/// The wire names of `hops` from `start`.
fn wire_hops(api: &Api, start: Option<&TypeRef>, hops: &[Hop]) -> Vec<String> {
    let mut ty = start.cloned();
    let mut out = Vec::new();
    for hop in hops {
        let field = ty
            .as_ref()
            .and_then(|t| fields_of(api, t))
            .and_then(|fs| fs.iter().find(|f| f.name == hop.field));
        match field {
            Some(f) => {
                out.push(f.wire_name.clone());
                // Into a union's variant: its fields are the same object's on the wire.
                ty = match &hop.variant {
                    Some((union, variant)) => variant_type(api, union, variant),
                    None => Some(f.ty.clone()),
                };
            }
            None => {
                out.push(hop.field.bare().to_owned());
                ty = None;
            }
        }
    }
    out
}

/// The type of the variant `variant` of the union `union`.
fn variant_type(api: &Api, union: &Name, variant: &Name) -> Option<TypeRef> {
    match &api.type_def(union)?.kind {
        crate::ir::TypeKind::Union { variants, .. } => variants
            .iter()
            .find(|v| v.name == *variant)
            .map(|v| v.ty.clone()),
        _ => None,
    }
}

/// The envelope's result field (`result` unless the API declares another name).
fn result_field(api: &Api) -> String {
    api.envelope
        .as_ref()
        .map_or_else(|| "result".to_owned(), |e| e.result.clone())
}

/// The body type (the envelope's `result`, or the JSON body) and its JSON path prefix.
fn body_root<'o>(api: &Api, op: &'o Operation) -> (Option<&'o TypeRef>, Vec<String>) {
    match &op.response {
        Response::Envelope { result, .. } => (Some(result), vec![result_field(api)]),
        Response::Json(ty) => (Some(ty), Vec::new()),
        _ => (None, Vec::new()),
    }
}

/// The JSON path of a field path from the response body's root.
fn field_path(api: &Api, op: &Operation, path: &FieldPath) -> Vec<String> {
    if path.from_info {
        let info = match &op.response {
            Response::Envelope { result_info, .. } => result_info.as_ref(),
            _ => None,
        };
        let field = api.envelope.as_ref().and_then(|e| e.result_info.clone());
        let mut out = vec![field.unwrap_or_else(|| "result_info".to_owned())];
        out.extend(wire_hops(api, info, &path.hops));
        out
    } else {
        let (ty, mut out) = body_root(api, op);
        out.extend(wire_hops(api, ty, &path.hops));
        out
    }
}

/// A parameter's type as the mock checks it (`ParamType` is imported by the table).
fn param_type(api: &Api, ty: &TypeRef) -> TokenStream {
    let base = quote!(ParamType);
    match ty {
        TypeRef::String => quote!(#base::String),
        TypeRef::Integer(_) => quote!(#base::Integer),
        TypeRef::Number => quote!(#base::Number),
        TypeRef::Boolean => quote!(#base::Boolean),
        TypeRef::Named(name) => match api.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Enum { variants }) => {
                let values = variants.iter().map(|v| v.wire.as_str());
                quote!(#base::Enum(&[#(#values),*]))
            }
            _ => quote!(#base::Any),
        },
        TypeRef::Array(inner) => {
            let inner = param_type(api, inner);
            quote!(#base::List(&#inner))
        }
        TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => param_type(api, inner),
        _ => quote!(#base::Any),
    }
}
