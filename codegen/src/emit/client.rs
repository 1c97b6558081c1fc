//! IR operations -> the `resources` modules: one handle per resource, one builder per operation.
//!
//! The emitted code is thin: it collects arguments and hands them to the runtime's
//! `RequestBuilder`, which owns transport, retries, envelope decoding and errors.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, doc_or, doc_paragraphs, raw_doc};
use super::ident;
use super::types::type_tokens;
use crate::format::{Chunk, chunk};
use crate::ir::{
    Api, Body, BodyKind, Constraints, Operation, Param, ParamLocation, Resource, Response,
    TypeKind, TypeRef,
};

/// The tokens of `src/resources/mod.rs`: module declarations and the accessors on `Client`.
pub fn resources_mod(api: &Api) -> TokenStream {
    let mods = api.resources.iter().map(|r| {
        let m = ident(&r.name);
        let doc = format!(" Operations on `{}`.", r.name);
        quote! { #[doc = #doc] pub mod #m; }
    });
    let decls = api.resources.iter().map(|r| {
        let m = ident(&r.name);
        let t = ident(&r.type_name);
        let doc = format!(
            " Operations on `{}`: {}.",
            r.name,
            r.operations
                .iter()
                .map(|o| format!("`{}`", crate::naming::bare(&o.method_name)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        quote! {
            #[doc = #doc]
            fn #m(&self) -> #m::#t<'_>;
        }
    });
    let impls = api.resources.iter().map(|r| {
        let m = ident(&r.name);
        let t = ident(&r.type_name);
        quote! {
            fn #m(&self) -> #m::#t<'_> {
                #m::#t::new(self)
            }
        }
    });
    quote! {
        //! Resource handles: `client.<resource>().<operation>(...)`, one module per resource.
        #(#mods)*

        /// The resource handles of this API on the runtime's shared [`Client`](crate::Client):
        /// `client.<resource>()`. Bring it into scope with `use <crate>::prelude::*;`.
        pub trait Resources {
            #(#decls)*
        }

        impl Resources for crate::runtime::Client {
            #(#impls)*
        }
    }
}

/// The chunks of one `src/resources/<name>.rs`, one per item (see `format::format_files`).
pub fn resource_file<'a>(api: &'a Api, resource: &'a Resource) -> impl Iterator<Item = Chunk<'a>> {
    let head = chunk(move || resource_head(resource));
    std::iter::once(head).chain(
        resource
            .operations
            .iter()
            .map(move |op| chunk(move || builder(api, resource, op))),
    )
}

/// The module docs and the resource's handle with one method per operation.
fn resource_head(resource: &Resource) -> TokenStream {
    let handle = ident(&resource.type_name);
    let module_doc = format!(
        " The `{}` resource: {} operation(s).",
        resource.name,
        resource.operations.len()
    );
    let handle_doc = format!(
        " Handle for the `{}` operations; get one from `Client::{}`.",
        resource.name, resource.name
    );
    let methods = resource.operations.iter().map(handle_method);
    quote! {
        #![doc = #module_doc]

        #[doc = #handle_doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy)]
        pub struct #handle<'a> {
            client: &'a crate::runtime::Client,
        }

        impl<'a> #handle<'a> {
            pub(crate) fn new(client: &'a crate::runtime::Client) -> Self {
                Self { client }
            }

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

/// Whether a parameter's setter takes `impl Into<String>`.
fn is_string(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String)
}

fn arg_type(ty: &TypeRef) -> TokenStream {
    if is_string(ty) {
        quote!(impl ::std::convert::Into<::std::string::String>)
    } else {
        type_tokens(ty)
    }
}

fn arg_value(name: &proc_macro2::Ident, ty: &TypeRef) -> TokenStream {
    if is_string(ty) {
        quote!(#name.into())
    } else {
        quote!(#name)
    }
}

fn handle_method(op: &Operation) -> TokenStream {
    let doc = op_doc(op);
    let name = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let n = ident(&p.name);
        let t = arg_type(&p.ty);
        quote!(#n: #t)
    });
    let inits = op.params.iter().map(|p| {
        let n = ident(&p.name);
        if p.required {
            let v = arg_value(&n, &p.ty);
            quote!(#n: #v)
        } else {
            quote!(#n: ::std::option::Option::None)
        }
    });
    let (body_arg, body_init) = match &op.body {
        Some(Body {
            ty, required: true, ..
        }) => {
            let t = type_tokens(ty);
            (quote!(, body: #t), quote!(body,))
        }
        Some(_) => (quote!(), quote!(body: ::std::option::Option::None,)),
        None => (quote!(), quote!()),
    };
    quote! {
        #doc
        pub fn #name(&self #(, #args)* #body_arg) -> #builder<'a> {
            #builder {
                client: self.client,
                #(#inits,)*
                #body_init
                options: ::std::default::Default::default(),
            }
        }
    }
}

/// The output types of `send` and `send_with_response`.
fn response_types(op: &Operation) -> (TokenStream, TokenStream, TokenStream) {
    match &op.response {
        Response::Envelope {
            result,
            result_optional,
            result_info,
        } => {
            let r = type_tokens(result);
            let info = result_info.as_ref().map_or_else(|| quote!(()), type_tokens);
            if *result_optional {
                let out = quote!(::std::option::Option<#r>);
                (
                    out.clone(),
                    quote!(crate::runtime::ApiResponse<#out, #info>),
                    quote!(send_envelope_optional::<#r, #info>()),
                )
            } else {
                (
                    r.clone(),
                    quote!(crate::runtime::ApiResponse<#r, #info>),
                    quote!(send_envelope::<#r, #info>()),
                )
            }
        }
        Response::Json(ty) => {
            let r = type_tokens(ty);
            (
                r.clone(),
                quote!(crate::runtime::ApiResponse<#r, ()>),
                quote!(send_json::<#r>()),
            )
        }
        Response::Empty => (
            quote!(()),
            quote!(crate::runtime::ApiResponse<(), ()>),
            quote!(send_empty()),
        ),
        Response::Text => (
            quote!(::std::string::String),
            quote!(crate::runtime::ApiResponse<::std::string::String, ()>),
            quote!(send_text()),
        ),
        Response::Bytes => (
            quote!(::std::vec::Vec<u8>),
            quote!(crate::runtime::ApiResponse<::std::vec::Vec<u8>, ()>),
            quote!(send_bytes()),
        ),
    }
}

/// An expression turning `value` (a reference) into the query-string text for `ty`.
fn to_text(api: &Api, value: TokenStream, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#value.as_str()),
        TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => {
            quote!(::std::string::ToString::to_string(#value))
        }
        TypeRef::Named(name) if is_enum(api, name) => quote!(#value.as_str()),
        TypeRef::Boxed(inner) => to_text(api, quote!((&**#value)), inner),
        _ => quote!(::serde_json::to_string(#value).unwrap_or_default()),
    }
}

/// Whether `to_text` gives a `&str` (rather than an owned `String`) for this type.
fn borrowed_text(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String => true,
        TypeRef::Named(name) => is_enum(api, name),
        TypeRef::Boxed(inner) => borrowed_text(api, inner),
        _ => false,
    }
}

fn is_enum(api: &Api, name: &str) -> bool {
    api.types
        .iter()
        .any(|t| t.name == name && matches!(t.kind, TypeKind::Enum { .. }))
}

/// `Some(v)` or `None` as tokens.
fn opt<T: quote::ToTokens>(v: Option<T>) -> TokenStream {
    match v {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

/// Checks of `v` (a reference) against the schema's limits, each returning early on failure.
fn checks(wire: &str, ty: &TypeRef, c: &Constraints) -> TokenStream {
    match ty {
        TypeRef::String if c.min_length.is_some() || c.max_length.is_some() => {
            let (min, max) = (opt(c.min_length), opt(c.max_length));
            quote!(crate::runtime::validate::length(#wire, v, #min, #max)?;)
        }
        TypeRef::Integer(_) | TypeRef::Number if c.minimum.is_some() || c.maximum.is_some() => {
            let (min, max) = (opt(c.minimum), opt(c.maximum));
            quote!(crate::runtime::validate::range(#wire, *v as f64, #min, #max)?;)
        }
        TypeRef::Array(_) if c.min_items.is_some() || c.max_items.is_some() => {
            let (min, max) = (opt(c.min_items), opt(c.max_items));
            quote!(crate::runtime::validate::items(#wire, v.len(), #min, #max)?;)
        }
        _ => TokenStream::new(),
    }
}

/// The checks of an operation's parameters and of its body's top-level fields.
fn validation(api: &Api, op: &Operation) -> TokenStream {
    let mut out = TokenStream::new();
    for p in &op.params {
        let check = checks(&p.wire_name, &p.ty, &p.constraints);
        if check.is_empty() {
            continue;
        }
        let n = ident(&p.name);
        out.extend(if p.required {
            quote! { { let v = &self.#n; #check } }
        } else {
            quote! { if let ::std::option::Option::Some(v) = &self.#n { #check } }
        });
    }
    let Some(body) = op.body.as_ref().filter(|b| {
        matches!(
            b.kind,
            BodyKind::Json | BodyKind::Multipart | BodyKind::Form
        )
    }) else {
        return out;
    };
    let TypeRef::Named(name) = &body.ty else {
        return out;
    };
    let Some(TypeKind::Struct { fields, .. }) =
        api.types.iter().find(|t| &t.name == name).map(|t| &t.kind)
    else {
        return out;
    };
    let mut field_checks = TokenStream::new();
    for field in fields {
        let check = checks(&field.wire_name, &field.ty, &field.constraints);
        if check.is_empty() {
            continue;
        }
        let n = ident(&field.name);
        field_checks.extend(if field.required && !field.nullable {
            quote! { { let v = &body.#n; #check } }
        } else {
            quote! { if let ::std::option::Option::Some(v) = &body.#n { #check } }
        });
    }
    if !field_checks.is_empty() {
        out.extend(if body.required {
            quote! { { let body = &self.body; #field_checks } }
        } else {
            quote! { if let ::std::option::Option::Some(body) = &self.body { #field_checks } }
        });
    }
    out
}

fn request_statements(api: &Api, op: &Operation) -> TokenStream {
    let mut out = validation(api, op);
    for p in &op.params {
        let n = ident(&p.name);
        let wire = &p.wire_name;
        let stmt = match (p.location, &p.ty) {
            (ParamLocation::Path | ParamLocation::Header, TypeRef::Array(inner)) => {
                // `style: simple`, the default for path and header parameters: `a,b,c`.
                let text = to_text(api, quote!(item), inner);
                let joined = quote! {
                    v.iter().map(|item| ::std::string::ToString::to_string(&#text)).collect::<::std::vec::Vec<_>>().join(",")
                };
                if p.location == ParamLocation::Path {
                    quote!(request = request.path_param(#wire, &#joined);)
                } else {
                    quote!(request = request.header(#wire, #joined);)
                }
            }
            (ParamLocation::Path, ty) => {
                let text = to_text(api, quote!(v), ty);
                if borrowed_text(api, ty) {
                    quote!(request = request.path_param(#wire, #text);)
                } else {
                    quote!(request = request.path_param(#wire, &#text);)
                }
            }
            (ParamLocation::Query, TypeRef::Array(inner)) => {
                let text = to_text(api, quote!(item), inner);
                quote!(for item in v { request = request.query(#wire, #text); })
            }
            (ParamLocation::Query, ty) => {
                let text = to_text(api, quote!(v), ty);
                quote!(request = request.query(#wire, #text);)
            }
            (ParamLocation::Header, ty) => {
                let text = to_text(api, quote!(v), ty);
                quote!(request = request.header(#wire, #text);)
            }
        };
        if p.required {
            out.extend(quote! { { let v = &self.#n; #stmt } });
        } else {
            out.extend(quote! { if let ::std::option::Option::Some(v) = &self.#n { #stmt } });
        }
    }
    if let Some(body) = &op.body {
        let set = body_statement(api, body);
        out.extend(if body.required {
            quote! { { let body = self.body; #set } }
        } else {
            quote! { if let ::std::option::Option::Some(body) = self.body { #set } }
        });
    }
    out
}

/// The statement that puts `body` (owned) on `request`, by encoding.
fn body_statement(api: &Api, body: &Body) -> TokenStream {
    match body.kind {
        BodyKind::Json => quote!(request = request.json_body(&body);),
        BodyKind::Ndjson => quote!(request = request.ndjson_body(&body);),
        BodyKind::Bytes => {
            let ct = &body.content_type;
            quote!(request = request.bytes_body(#ct, body);)
        }
        BodyKind::MultipartParts => quote!(request = request.multipart_body(body);),
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
            quote!(request = request.form_body(&body, &[#(#fields),*]);)
        }
        BodyKind::Multipart => {
            let fields = match &body.ty {
                TypeRef::Named(name) => {
                    api.types
                        .iter()
                        .find(|t| &t.name == name)
                        .and_then(|t| match &t.kind {
                            TypeKind::Struct { fields, .. } => Some(fields.as_slice()),
                            _ => None,
                        })
                }
                _ => None,
            };
            let parts = fields.unwrap_or_default().iter().map(|f| {
                let n = ident(&f.name);
                let wire = &f.wire_name;
                let add = |value: TokenStream, ty: &TypeRef| -> TokenStream {
                    match ty {
                        TypeRef::Bytes => quote!(form = form.file(#wire, #wire, "application/octet-stream", #value);),
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
                    quote!(if let ::std::option::Option::Some(value) = body.#n { #inner })
                }
            });
            quote! {
                let mut form = crate::runtime::Multipart::new();
                #(#parts)*
                request = request.multipart_body(form);
            }
        }
    }
}

fn builder(api: &Api, resource: &Resource, op: &Operation) -> TokenStream {
    let name = ident(&op.builder_name);
    let doc = format!(
        " Request builder for [`{}::{}`]: set optional parameters, then `.await` it or call `send`.",
        resource.type_name,
        crate::naming::bare(&op.method_name)
    );
    let fields = op.params.iter().map(|p| {
        let n = ident(&p.name);
        let t = type_tokens(&p.ty);
        if p.required {
            quote!(#n: #t,)
        } else {
            quote!(#n: ::std::option::Option<#t>,)
        }
    });
    let body_field = op.body.as_ref().map(|b| {
        let t = type_tokens(&b.ty);
        if b.required {
            quote!(body: #t,)
        } else {
            quote!(body: ::std::option::Option<#t>,)
        }
    });
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let n = ident(&p.name);
        let t = arg_type(&p.ty);
        let v = if is_string(&p.ty) {
            quote!(value.into())
        } else {
            quote!(value)
        };
        let pdoc = doc_or(
            p.doc.as_deref(),
            &format!("Sets the {} parameter.", code(&p.wire_name)),
        );
        quote! {
            #pdoc
            pub fn #n(mut self, value: #t) -> Self {
                self.#n = ::std::option::Option::Some(#v);
                self
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let t = type_tokens(&b.ty);
        let bdoc = doc_or(b.doc.as_deref(), "Sets the request body.");
        quote! {
            #bdoc
            pub fn body(mut self, value: #t) -> Self {
                self.body = ::std::option::Option::Some(value);
                self
            }
        }
    });
    let (out, with_response, send_call) = response_types(op);
    let security = op.security.iter().map(|alt| {
        let keys = alt.iter().map(String::as_str);
        quote! { &[#(#keys),*] }
    });
    let op_id = &op.operation_id;
    let path = &op.path;
    let variant = ident(op.method.variant());
    let statements = request_statements(api, op);
    let pages = op.pagination.as_ref().map(super::pagination::methods);
    let (error_fn, error_enum) = super::errors::error_items(op);
    // Header parameters may carry secrets: such builders print only their name.
    let has_headers = op
        .params
        .iter()
        .any(|p| p.location == ParamLocation::Header);
    let (derive_debug, manual_debug) = if has_headers {
        let label = op.builder_name.clone();
        let manual = quote! {
            impl ::std::fmt::Debug for #name<'_> {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#label).finish_non_exhaustive()
                }
            }
        };
        (quote!(), manual)
    } else {
        (quote!(::std::fmt::Debug,), quote!())
    };
    quote! {
        #[doc = #doc]
        #[derive(#derive_debug ::std::clone::Clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #name<'a> {
            client: &'a crate::runtime::Client,
            #(#fields)*
            #body_field
            options: crate::runtime::RequestOptions,
        }

        impl<'a> #name<'a> {
            #(#setters)*
            #body_setter

            /// Per-request options: timeout, retries, extra headers.
            pub fn options(mut self, options: crate::runtime::RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Sends the request and returns the decoded result.
            pub async fn send(self) -> crate::runtime::Result<#out> {
                self.send_with_response().await.map(crate::runtime::ApiResponse::into_result)
            }

            /// Sends the request and returns the result with the status, headers and envelope metadata.
            pub async fn send_with_response(self) -> crate::runtime::Result<#with_response> {
                static OPERATION: crate::runtime::OperationInfo = crate::runtime::OperationInfo {
                    operation_id: #op_id,
                    method: crate::runtime::Method::#variant,
                    path_template: #path,
                    security: &[#(#security),*],
                };
                #[allow(unused_mut)]
                let mut request = self.client.request(&OPERATION);
                #statements
                request.options(self.options).#send_call.await
            }

            #pages

            #error_fn
        }

        #error_enum

        #manual_debug

        impl<'a> ::std::future::IntoFuture for #name<'a> {
            type Output = crate::runtime::Result<#out>;
            type IntoFuture = crate::runtime::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    }
}
