//! IR operations -> the `resources` modules: one handle per resource, one builder per operation,
//! and the crate `Client`'s accessors of the top-level handles.
//!
//! The emitted code is thin: each builder is a one-field struct around the runtime's `Call`,
//! which its constructor and setters fill value by value (checked against the spec's limits in
//! `resources::tables`); sending, decoding, options and page walking are the runtime's.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, doc_or, doc_paragraphs, raw_doc};
use super::features::{cfg_op, cfg_resource};
use super::ident;
use super::tables::{body_fields, limit_of, limit_path, security_path};
use super::typeref::type_tokens;
use crate::format::{Chunk, chunk};
use crate::ir::{
    Api, Body, BodyKind, Operation, Param, ParamLocation, Resource, Response, TypeKind, TypeRef,
};

/// The tokens of `src/resources/mod.rs`: module declarations and the accessors on `Client`.
pub fn resources_mod(api: &Api) -> TokenStream {
    let mods = api.resources.iter().enumerate().map(|(i, r)| {
        let m = &r.name;
        let doc = crate::emit::docs::doc_literal(&format!(" Operations on `{}`.", api.chain(i)));
        let cfg = cfg_resource(api, i);
        quote! { #[doc = #doc] #cfg pub mod #m; }
    });
    let top: Vec<(usize, &Resource)> = api.children(None).collect();
    let accessors = top.iter().map(|(i, r)| {
        let m = &r.name;
        let a = &r.accessor;
        let t = &r.type_name;
        let doc = crate::emit::docs::doc_literal(&format!(
            " Operations on `{}`: {}.",
            api.chain(*i),
            handle_summary(api, *i)
        ));
        let cfg = cfg_resource(api, *i);
        quote! {
            #[doc = #doc]
            #cfg
            pub fn #a(&self) -> #m::#t<'_> {
                #m::#t::new(self.runtime())
            }
        }
    });
    let tables = super::tables::tables_mod(api);
    quote! {
        //! Resource handles: `client.<resource>().<operation>(...)`, one module per resource.
        #(#mods)*

        #tables

        /// The resource handles of this API: `client.<resource>()`.
        impl crate::Client {
            #(#accessors)*
        }
    }
}

/// What a handle offers, for docs: its methods and the resources below it.
fn handle_summary(api: &Api, index: usize) -> String {
    let r = &api.resources[index];
    r.operations
        .iter()
        .map(|o| format!("`{}`", o.method_name.bare()))
        .chain(
            api.children(Some(index))
                .map(|(_, c)| format!("`{}()`", c.accessor.bare())),
        )
        .collect::<Vec<_>>()
        .join(", ")
}

/// The chunks of one `src/resources/<name>.rs`, one per item (see `format::format_files`).
pub fn resource_file(api: &Api, index: usize) -> impl Iterator<Item = Chunk<'_>> {
    let resource = &api.resources[index];
    let head = chunk(move || resource_head(api, index));
    std::iter::once(head).chain(
        resource
            .operations
            .iter()
            .map(move |op| chunk(move || builder(api, resource, op))),
    )
}

/// The module docs and the resource's handle with one method per operation and one accessor
/// per resource below it.
fn resource_head(api: &Api, index: usize) -> TokenStream {
    let resource = &api.resources[index];
    let handle = &resource.type_name;
    let module_doc = crate::emit::docs::doc_literal(&format!(
        " The `{}` resource: {} operation(s).",
        api.chain(index),
        resource.operations.len()
    ));
    let handle_doc = crate::emit::docs::doc_literal(&format!(
        " Handle for the `{}` operations; get one from `client.{}`.",
        api.chain(index),
        api.chain(index)
    ));
    let methods = resource.operations.iter().map(|op| handle_method(api, op));
    let children = api.children(Some(index)).map(|(i, c)| {
        let m = &c.name;
        let a = &c.accessor;
        let t = &c.type_name;
        let doc = crate::emit::docs::doc_literal(&format!(
            " Operations on `{}`: {}.",
            api.chain(i),
            handle_summary(api, i)
        ));
        let cfg = cfg_resource(api, i);
        quote! {
            #[doc = #doc]
            #cfg
            pub fn #a(&self) -> crate::resources::#m::#t<'a> {
                crate::resources::#m::#t::new(self.client)
            }
        }
    });
    quote! {
        #![doc = #module_doc]

        #[doc = #handle_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a crate::runtime::Client,
        }

        impl<'a> #handle<'a> {
            pub(crate) fn new(client: &'a crate::runtime::Client) -> Self {
                Self { client }
            }
            #(#children)*
            #(#methods)*
        }
    }
}

fn op_doc(op: &Operation) -> TokenStream {
    let mut paragraphs = Vec::new();
    if let Some(s) = &op.summary {
        paragraphs.push(s.clone());
    }
    if let Some(d) = &op.description {
        if Some(d) != op.summary.as_ref() {
            paragraphs.push(d.clone());
        }
    }
    let mut doc = doc_paragraphs(&paragraphs);
    let mut facts = format!(
        "{} (operation {}).",
        code(&format!("{} {}", op.method.as_str(), op.path)),
        code(&op.operation_id)
    );
    if !op.permissions.is_empty() {
        let p: Vec<String> = op.permissions.iter().map(|p| code(p)).collect();
        facts.push_str(&format!("\n\nPermission needed: {}.", p.join(" or ")));
    }
    if op.deprecated {
        facts.push_str("\n\nDeprecated in the spec.");
    }
    let sep = if paragraphs.is_empty() {
        String::new()
    } else {
        "\n".to_owned()
    };
    doc.extend(raw_doc(&format!("{sep}{facts}")));
    doc
}

/// A required parameter's argument: `impl Into<String>` for strings, the type otherwise.
pub(super) fn arg_type(ty: &TypeRef) -> TokenStream {
    if matches!(ty, TypeRef::String) {
        quote!(impl Into<String>)
    } else {
        type_tokens(ty)
    }
}

/// An expression giving the wire text of the value at place `v` (an owned value or a reference)
/// of type `ty`: a `&str` or a `String`. The mock's matchers use it too, so they encode values
/// exactly as the client sends them.
pub(super) fn to_text(api: &Api, v: TokenStream, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#v.as_str()),
        TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => {
            quote!(#v.to_string())
        }
        TypeRef::Named(name) if is_enum(api, name) => quote!(#v.as_str()),
        TypeRef::Boxed(inner) => to_text(api, quote!((*#v)), inner),
        _ => quote!(crate::runtime::to_param(&#v)),
    }
}

fn is_enum(api: &Api, name: &str) -> bool {
    api.type_def(name)
        .is_some_and(|t| matches!(t.kind, TypeKind::Enum { .. }))
}

/// For the parameter held in `v` (owned; `impl Into<String>` for strings): statements to run
/// first, and the `Call` methods that check and set it.
fn set_param(api: &Api, p: &Param, v: &impl quote::ToTokens) -> (TokenStream, TokenStream) {
    let wire = &p.wire_name;
    let lets = TokenStream::new();
    let mut chain = TokenStream::new();
    let is_string = matches!(p.ty, TypeRef::String);
    let limit = limit_of(&p.ty, &p.constraints).map(|l| limit_path(&l));
    if let Some(path) = &limit {
        if is_string {
            // A string is checked and set in one call.
            let set = match p.location {
                ParamLocation::Path => quote!(path_limited),
                ParamLocation::Query => quote!(query_limited),
                ParamLocation::Header => quote!(header_limited),
            };
            return (lets, quote!(.#set(#wire, #v, &#path)));
        }
        chain.extend(quote!(.limit(#wire, &#v, &#path)));
    }
    let joined = |inner: &TypeRef| {
        let text = to_text(api, quote!(item), inner);
        quote!(#v.iter().map(|item| #text.to_string()).collect::<Vec<_>>().join(","))
    };
    let text = if is_string {
        quote!(#v)
    } else {
        to_text(api, quote!(#v), &p.ty)
    };
    chain.extend(match (p.location, &p.ty) {
        // `style: simple`, the default for path and header parameters: `a,b,c`.
        (ParamLocation::Path, TypeRef::Array(inner)) => {
            let j = joined(inner);
            quote!(.path(#wire, #j))
        }
        (ParamLocation::Header, TypeRef::Array(inner)) => {
            let j = joined(inner);
            quote!(.header(#wire, #j))
        }
        (ParamLocation::Query, TypeRef::Array(inner)) => {
            let t = to_text(api, quote!(item), inner);
            quote!(.query_each(#wire, #v.iter().map(|item| #t)))
        }
        (ParamLocation::Path, _) => quote!(.path(#wire, #text)),
        (ParamLocation::Query, _) => quote!(.query(#wire, #text)),
        (ParamLocation::Header, _) => quote!(.header(#wire, #text)),
    });
    (lets, chain)
}

/// The `Call` methods that check the body held in `body` (owned) and set it, by encoding.
fn set_body(api: &Api, op: &Operation, body: &Body) -> TokenStream {
    let mut chain = TokenStream::new();
    for f in body_fields(api, op) {
        if let Some(limit) = limit_of(&f.ty, &f.constraints) {
            let (n, wire, path) = (&f.name, &f.wire_name, limit_path(&limit));
            chain.extend(quote!(.body_limit(#wire, &body.#n, &#path)));
        }
    }
    chain.extend(match body.kind {
        BodyKind::Json => quote!(.json_body(&body)),
        BodyKind::Ndjson => quote!(.ndjson_body(&body)),
        BodyKind::Bytes => {
            let ct = &body.content_type;
            quote!(.upload_body(#ct, body))
        }
        BodyKind::MultipartParts => quote!(.multipart_body(body)),
        BodyKind::Form => {
            let fields = body.form_fields.iter().map(|f| {
                let name = &f.wire_name;
                let style = format_ident!("{}", f.style.variant());
                let explode = f.explode;
                quote!(crate::runtime::FormField {
                    name: #name,
                    style: crate::runtime::FormStyle::#style,
                    explode: #explode,
                })
            });
            quote!(.form_body(&body, &[#(#fields),*]))
        }
        BodyKind::Multipart => {
            let form = multipart_form(api, body);
            quote!(.multipart_body({ #form }))
        }
    });
    chain
}

/// A block building a `Multipart` form from the struct in `body`, one part per field.
fn multipart_form(api: &Api, body: &Body) -> TokenStream {
    let fields = match &body.ty {
        TypeRef::Named(name) => api.struct_fields(name),
        _ => None,
    };
    let parts = fields.unwrap_or_default().iter().map(|f| {
        let n = &f.name;
        let wire = &f.wire_name;
        let add = |value: TokenStream, ty: &TypeRef| -> TokenStream {
            match ty {
                TypeRef::Bytes => {
                    quote!(form = form.file(#wire, #wire, "application/octet-stream", #value);)
                }
                TypeRef::String => quote!(form = form.text(#wire, #value);),
                other => {
                    let text = to_text(api, quote!(v), other);
                    quote!({ let v = &#value; form = form.text(#wire, #text); })
                }
            }
        };
        let one = |value: TokenStream, ty: &TypeRef| -> TokenStream {
            match ty {
                TypeRef::Array(inner) => {
                    let each = add(quote!(item), inner);
                    quote!(for item in #value { #each })
                }
                other => add(value, other),
            }
        };
        if f.required && !f.nullable {
            one(quote!(body.#n), &f.ty)
        } else {
            let inner = one(quote!(value), &f.ty);
            quote!(if let Some(value) = body.#n { #inner })
        }
    });
    quote! {
        let mut form = crate::runtime::Multipart::new();
        #(#parts)*
        form
    }
}

/// The runtime's decoding of the operation's response (`Envelope<R, I>`, `Json<R>`, ...): the
/// client's builders decode with it and the mock's stubs answer with its types.
pub(super) fn decode_types(op: &Operation) -> TokenStream {
    match &op.response {
        Response::Envelope {
            result,
            result_optional,
            result_info,
        } => {
            let r = type_tokens(result);
            let info = result_info.as_ref().map(|t| {
                let t = type_tokens(t);
                quote!(, #t)
            });
            if *result_optional {
                quote!(crate::runtime::EnvelopeOptional<#r #info>)
            } else {
                quote!(crate::runtime::Envelope<#r #info>)
            }
        }
        Response::Json(ty) => {
            let r = type_tokens(ty);
            quote!(crate::runtime::Json<#r>)
        }
        Response::Empty => quote!(crate::runtime::Empty),
        Response::Text => quote!(crate::runtime::Text),
        Response::Bytes => quote!(crate::runtime::Bytes),
    }
}

/// The method on the resource handle: takes the required values, checks and encodes them.
fn handle_method(api: &Api, op: &Operation) -> TokenStream {
    let doc = op_doc(op);
    let name = &op.method_name;
    let builder = &op.builder_name;
    let mut args = Vec::new();
    let mut lets = TokenStream::new();
    let mut chain = TokenStream::new();
    for p in op.params.iter().filter(|p| p.required) {
        let n = &p.name;
        let t = arg_type(&p.ty);
        args.push(quote!(#n: #t));
        let (l, c) = set_param(api, p, n);
        lets.extend(l);
        chain.extend(c);
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let t = body_arg_type(body);
        args.push(quote!(body: #t));
        chain.extend(set_body(api, op, body));
    }
    let op_id = &op.operation_id;
    let path = &op.path;
    let variant = ident(op.method.variant());
    let security = security_path(api, op);
    let query = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| p.wire_name.as_str());
    let cfg = cfg_op(op);
    quote! {
        #doc
        #cfg
        pub fn #name(&self #(, #args)*) -> #builder<'a> {
            static OPERATION: crate::runtime::OperationInfo = crate::runtime::OperationInfo {
                operation_id: #op_id,
                method: crate::runtime::Method::#variant,
                path_template: #path,
                security: #security,
                query: &[#(#query),*],
            };
            #lets
            let call = self.client.call(&OPERATION);
            #builder(call #chain)
        }
    }
}

fn builder(api: &Api, resource: &Resource, op: &Operation) -> TokenStream {
    let name = &op.builder_name;
    let doc = crate::emit::docs::doc_literal(&format!(
        " Request builder for [`{}::{}`]: set optional parameters, then `.await` it or call `send`.",
        resource.type_name,
        op.method_name.bare()
    ));
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let n = &p.name;
        let t = arg_type(&p.ty);
        let value = format_ident!("value");
        let (lets, chain) = set_param(api, p, &value);
        let pdoc = doc_or(
            p.doc.as_deref(),
            &format!("Sets the {} parameter.", code(&p.wire_name)),
        );
        quote! {
            #pdoc
            pub fn #n(self, value: #t) -> Self {
                #lets
                Self(self.0 #chain)
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let t = body_arg_type(b);
        let bdoc = doc_or(b.doc.as_deref(), "Sets the request body.");
        let chain = set_body(api, op, b);
        quote! {
            #bdoc
            pub fn body(self, body: #t) -> Self {
                Self(self.0 #chain)
            }
        }
    });
    let decode = decode_types(op);
    let decode_name = &op.decode_name;
    let pages = op
        .pagination
        .as_ref()
        .map(|p| super::pagination::methods(op, p));
    let (error_fn, error_enum) = super::errors::error_items(op);
    let mut inherent: TokenStream = setters.collect();
    inherent.extend(body_setter);
    inherent.extend(op.stream.as_ref().map(super::stream::methods));
    inherent.extend(pages);
    inherent.extend(error_fn);
    let cfg = cfg_op(op);
    let inherent = (!inherent.is_empty()).then(|| quote!(#cfg impl<'a> #name<'a> { #inherent }));
    let error_enum = (!error_enum.is_empty()).then(|| quote!(#cfg #error_enum));
    quote! {
        #[doc = #doc]
        #cfg
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #name<'a>(crate::runtime::Call<'a, #decode_name>);

        #cfg
        type #decode_name = #decode;

        #cfg
        crate::runtime::request!(#name, #decode_name);

        #inherent

        #error_enum
    }
}

/// A body's argument: a raw body may be streamed (`impl Into<Upload>`: bytes, a reader or a
/// file), every other body is its type.
fn body_arg_type(body: &Body) -> TokenStream {
    match body.kind {
        BodyKind::Bytes => quote!(impl Into<crate::runtime::Upload>),
        _ => type_tokens(&body.ty),
    }
}
