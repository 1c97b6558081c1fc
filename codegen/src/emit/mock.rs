//! The `mock` module of a generated crate (feature `mock`): a `MockServer` for this API, one
//! handle per resource and one stub method per operation named like the client's, and the
//! static operation table the runtime's `mock` checks requests against. Everything generic
//! (server, envelopes, scenarios, checks) is the runtime's `mock` module.

use proc_macro2::TokenStream;
use quote::quote;

use super::client::{arg_type, to_text};
use super::ident;
use super::typeref::type_tokens;
use crate::format::{Chunk, chunk};
use crate::ir::{
    Api, BodyKind, FieldPath, Hop, ItemsAt, NextCursor, Operation, PageStyle, Param, ParamLocation,
    Resource, Response, TypeKind, TypeRef,
};
use crate::naming::bare;

/// The accessor name of a resource on `MockServer` or its parent stub handle: a top-level one
/// that would hide a method of the runtime's `MockServer` (reached through `Deref`; read from the
/// runtime's sources) gets a `_resource` suffix.
fn accessor(resource: &Resource) -> String {
    let name = bare(&resource.accessor);
    let reserved = resource.parent.is_none()
        && crate::lower::reserved::runtime_methods("MockServer")
            .iter()
            .any(|m| m == name);
    if reserved {
        format!("{name}_resource")
    } else {
        resource.accessor.clone()
    }
}

/// The tokens of `src/mock.rs`, one chunk per item.
pub fn mock_file(api: &Api) -> impl Iterator<Item = Chunk<'_>> {
    // Each operation's position in `OPERATIONS`, by resource.
    let mut index = 0usize;
    let indices: Vec<Vec<usize>> = api
        .resources
        .iter()
        .map(|r| {
            r.operations
                .iter()
                .map(|_| {
                    index += 1;
                    index - 1
                })
                .collect()
        })
        .collect();
    let modules = indices
        .into_iter()
        .enumerate()
        .map(move |(i, ids)| chunk(move || resource_module(api, i, &ids)));
    std::iter::once(chunk(move || head_tokens(api))).chain(modules)
}

fn head_tokens(api: &Api) -> TokenStream {
    let mut table = Vec::new();
    for r in &api.resources {
        for op in &r.operations {
            // The body check names the body's type, which only the operation's feature compiles:
            // without it the entry stays (indices are positions) but checks only presence.
            let full = operation_entry(api, r, op, true);
            table.push(match &op.feature {
                Some(f) if op.body.is_some() => {
                    let bare_entry = operation_entry(api, r, op, false);
                    quote!(#[cfg(feature = #f)] #full, #[cfg(not(feature = #f))] #bare_entry)
                }
                _ => full,
            });
        }
    }
    let accessors = api.children(None).map(|(i, r)| {
        let name = ident(&accessor(r));
        let module = ident(&r.name);
        let handle = ident(&crate::naming::type_name(&format!("{}Mock", r.type_name)));
        let doc = format!(
            " Stubs for the `{}` operations, named like the client's methods.",
            bare(&r.name)
        );
        let cfg = super::features::cfg_resource(api, i);
        quote! {
            #[doc = #doc]
            #cfg
            pub fn #name(&self) -> #module::#handle<'_> {
                #module::#handle { server: &self.0 }
            }
        }
    });
    let title = super::docs::sanitize(&api.title);
    let lib = api.crate_name.replace('-', "_");
    let module_doc = format!(
        "Test doubles for code that uses this client (feature `mock`): a mock of {title} on \
         127.0.0.1 with typed stubs per operation.\n\n\
         ```no_run\n\
         # async fn f() {{\n\
         use {lib}::mock::MockServer;\n\
         let mock = MockServer::start().await;\n\
         let client = mock.client().expect(\"a client for the mock\");\n\
         // mock.<resource>().<method>(<required path values>).returns(value).await;\n\
         # let _ = client;\n\
         # }}\n\
         ```\n\n\
         Stubs take the client's own types. Answers go in the API's envelope when it has one. \
         Every request is checked against the spec; see [`crate::runtime::mock`].\n"
    );
    let module_doc = super::docs::inner_doc(&module_doc);
    quote! {
        #module_doc

        pub use crate::runtime::mock::{Problem, Stub};

        /// The spec's operations, as the mock checks requests against them.
        pub static OPERATIONS: &[crate::runtime::mock::MockOperation] = &[#(#table),*];

        /// A mock of this API on 127.0.0.1: typed stubs per operation (`mock.<resource>()`),
        /// this crate's [`Client`](crate::Client) pointed at it (`client()`), and, through
        /// `Deref`, the runtime's [`crate::runtime::mock::MockServer`]: `uri()`,
        /// `take_problems()`. Dropping it fails the test if a request broke the spec or matched
        /// no stub.
        #[derive(::std::fmt::Debug)]
        pub struct MockServer(crate::runtime::mock::MockServer);

        impl MockServer {
            /// Starts the server on a free port of 127.0.0.1.
            pub async fn start() -> Self {
                Self(crate::runtime::mock::MockServer::start(&crate::API, OPERATIONS).await)
            }

            /// A client builder pointed at this server, with test credentials and short retry
            /// waits; see [`crate::runtime::mock::MockServer::client_builder`].
            pub fn client_builder(&self) -> crate::ClientBuilder {
                crate::ClientBuilder::from_runtime(self.0.client_builder())
            }

            /// This crate's client pointed at this server; see [`MockServer::client_builder`].
            pub fn client(&self) -> crate::runtime::Result<crate::Client> {
                self.client_builder().build()
            }

            #(#accessors)*
        }

        impl ::std::ops::Deref for MockServer {
            type Target = crate::runtime::mock::MockServer;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }
    }
}

/// `Some(..)`/`None` tokens.
fn opt(v: Option<TokenStream>) -> TokenStream {
    match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// The wire name of a Rust parameter name of `op`.
fn wire(op: &Operation, rust: &str) -> String {
    op.params
        .iter()
        .find(|p| p.name == rust)
        .map_or_else(|| bare(rust).to_owned(), |p| p.wire_name.clone())
}

fn str_list(items: &[String]) -> TokenStream {
    quote!(&[#(#items),*])
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
                out.push(bare(&hop.field).to_owned());
                ty = None;
            }
        }
    }
    out
}

/// The type of the variant `variant` of the union `union`.
fn variant_type(api: &Api, union: &str, variant: &str) -> Option<TypeRef> {
    match &api.types.iter().find(|t| t.name == union)?.kind {
        crate::ir::TypeKind::Union { variants, .. } => variants
            .iter()
            .find(|v| v.name == variant)
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

fn param_type(api: &Api, ty: &TypeRef) -> TokenStream {
    let base = quote!(crate::runtime::mock::ParamType);
    match ty {
        TypeRef::String => quote!(#base::String),
        TypeRef::Integer(_) => quote!(#base::Integer),
        TypeRef::Number => quote!(#base::Number),
        TypeRef::Boolean => quote!(#base::Boolean),
        TypeRef::Named(name) => match api.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
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

fn operation_entry(api: &Api, r: &Resource, op: &Operation, with_check: bool) -> TokenStream {
    let m = quote!(crate::runtime::mock);
    let operation_id = &op.operation_id;
    let call = format!("{}().{}()", bare(&r.name), bare(&op.method_name));
    let method = op.method.as_str();
    let path = &op.path;
    let params = op.params.iter().map(|p| {
        let name = &p.wire_name;
        let location = match p.location {
            ParamLocation::Path => quote!(Path),
            ParamLocation::Query => quote!(Query),
            ParamLocation::Header => quote!(Header),
        };
        let required = p.required;
        let ty = param_type(api, &p.ty);
        quote!(#m::MockParam { name: #name, location: #m::ParamIn::#location, required: #required, ty: #ty })
    });
    let body = opt(op.body.as_ref().map(|b| {
        let required = b.required;
        let content_type = &b.content_type;
        let check = opt((with_check
            && b.kind == BodyKind::Json
            && !matches!(b.ty, TypeRef::Bytes | TypeRef::MultipartForm))
        .then(|| {
            let t = type_tokens(&b.ty);
            quote! {
                |body: &[u8]| ::serde_json::from_slice::<#t>(body)
                    .map(|_| ())
                    .map_err(|e| ::std::string::ToString::to_string(&e))
            }
        }));
        quote!(#m::MockBody { required: #required, content_type: #content_type, check: #check })
    }));
    let response = match &op.response {
        Response::Envelope { .. } => quote!(Envelope),
        Response::Json(_) => quote!(Json),
        Response::Text => quote!(Text),
        Response::Bytes => quote!(Bytes),
        Response::Empty => quote!(Empty),
    };
    let paging = opt(op.pagination.as_ref().map(|p| {
        let (root_ty, root) = body_root(api, op);
        let items = match &p.items {
            ItemsAt::Result => vec![result_field(api)],
            ItemsAt::Body => Vec::new(),
            ItemsAt::Field(hop) => {
                let mut out = root.clone();
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
                let page = wire(op, page_param);
                let per_page = opt(per_page_param.as_ref().map(|n| {
                    let w = wire(op, n);
                    quote!(#w)
                }));
                quote!(PageNumber { page: #page, per_page: #per_page })
            }
            PageStyle::Cursor { param, next } => {
                let param = wire(op, param);
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
                let param = wire(op, param);
                let limit = opt(limit_param.as_ref().map(|n| {
                    let w = wire(op, n);
                    quote!(#w)
                }));
                let total = opt(total.as_ref().map(|t| str_list(&field_path(api, op, t))));
                quote!(Offset { param: #param, limit: #limit, total: #total })
            }
        };
        quote!(#m::MockPaging { items: #items, style: #m::PagingStyle::#style })
    }));
    quote! {
        #m::MockOperation {
            operation_id: #operation_id,
            call: #call,
            method: #method,
            path: #path,
            params: &[#(#params),*],
            body: #body,
            response: #m::MockResponse::#response,
            paging: #paging,
        }
    }
}

/// The call adding a path value to a stub.
fn path_statement(api: &Api, p: &Param) -> TokenStream {
    let n = ident(&p.name);
    let w = &p.wire_name;
    let text = match &p.ty {
        TypeRef::String => quote!(#n.into()),
        TypeRef::Array(inner) => {
            let item = to_text(api, quote!(item), inner);
            quote!(#n.iter().map(|item| #item.to_string()).collect::<Vec<_>>().join(","))
        }
        ty => to_text(api, quote!(#n), ty),
    };
    quote!(.path_param(#w, #text))
}

/// What a stub of `op` serves: (result, result_info, page item) types.
fn stub_types(op: &Operation) -> (TokenStream, TokenStream, TokenStream) {
    let (result, info) = match &op.response {
        Response::Envelope {
            result,
            result_optional,
            result_info,
        } => {
            let r = type_tokens(result);
            let r = if *result_optional {
                quote!(::std::option::Option<#r>)
            } else {
                r
            };
            (
                r,
                result_info.as_ref().map_or_else(|| quote!(()), type_tokens),
            )
        }
        Response::Json(ty) => (type_tokens(ty), quote!(())),
        Response::Text => (quote!(::std::string::String), quote!(())),
        Response::Bytes => (quote!(::std::vec::Vec<u8>), quote!(())),
        Response::Empty => (quote!(()), quote!(())),
    };
    let item = op
        .pagination
        .as_ref()
        .map_or_else(|| quote!(()), |p| type_tokens(&p.item));
    (result, info, item)
}

fn resource_module(api: &Api, index: usize, indices: &[usize]) -> TokenStream {
    let r = &api.resources[index];
    let module = ident(&r.name);
    let handle = ident(&crate::naming::type_name(&format!("{}Mock", r.type_name)));
    let chain = mock_chain(api, index);
    let module_doc = format!(" Stubs for the `{chain}` operations.");
    let handle_doc = format!(" Stubs for the `{chain}` operations; get one from `mock.{chain}`.");
    let mut methods: Vec<TokenStream> = api
        .children(Some(index))
        .map(|(i, c)| {
            let m = ident(&c.name);
            let a = ident(&accessor(c));
            let t = ident(&crate::naming::type_name(&format!("{}Mock", c.type_name)));
            let doc = format!(" Stubs for the `{}` operations.", mock_chain(api, i));
            let cfg = super::features::cfg_resource(api, i);
            quote! {
                #[doc = #doc]
                #cfg
                pub fn #a(&self) -> super::#m::#t<'a> {
                    super::#m::#t { server: self.server }
                }
            }
        })
        .collect();
    let mut items = Vec::new();
    for (op, index) in r.operations.iter().zip(indices) {
        let (result, info, item) = stub_types(op);
        let stub_ty = quote!(crate::runtime::mock::Stub<'a, #result, #info, #item>);
        let name = ident(&op.method_name);
        let required: Vec<&Param> = op
            .params
            .iter()
            .filter(|p| p.required && p.location == ParamLocation::Path)
            .collect();
        let args = required.iter().map(|p| {
            let n = ident(&p.name);
            let t = arg_type(&p.ty);
            quote!(#n: #t)
        });
        let paths = required.iter().map(|p| path_statement(api, p));
        let mut setup: Vec<TokenStream> = Vec::new();
        // Required query values and headers are matched only when set (`query_param`); required
        // query values are checked against the spec on every request anyway.
        let json_body = op.body.as_ref().filter(|b| {
            b.kind == BodyKind::Json && !matches!(b.ty, TypeRef::Bytes | TypeRef::MultipartForm)
        });
        let body_arg = match json_body {
            Some(b) if b.required => {
                let t = type_tokens(&b.ty);
                setup.push(quote!(.json_body(&body)));
                quote!(, body: #t)
            }
            _ => quote!(),
        };
        let setters: Vec<TokenStream> = op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Query)
            .map(|p| {
                let n = ident(&setter_name(&p.name));
                let w = &p.wire_name;
                let doc = format!(
                    " Matches requests whose `{}` query value is `value` (the client's type).",
                    w.replace('`', "")
                );
                let (t, push) = match &p.ty {
                    TypeRef::Array(inner) => {
                        let t = type_tokens(&p.ty);
                        let text = to_text(api, quote!(item), inner);
                        (
                            t,
                            quote! {
                                let mut stub = self.stub;
                                for item in &value { stub = stub.query_param(#w, #text); }
                                Self { stub }
                            },
                        )
                    }
                    TypeRef::String => (
                        quote!(impl ::std::convert::Into<::std::string::String>),
                        quote!(Self { stub: self.stub.query_param(#w, value) }),
                    ),
                    ty => {
                        let t = type_tokens(ty);
                        let text = to_text(api, quote!(value), ty);
                        (t, quote!(Self { stub: self.stub.query_param(#w, #text) }))
                    }
                };
                quote! {
                    #[doc = #doc]
                    pub fn #n(self, value: #t) -> Self { #push }
                }
            })
            .collect();
        let optional_body = json_body.filter(|b| !b.required).map(|b| {
            let t = type_tokens(&b.ty);
            quote! {
                /// Matches requests whose JSON body equals `body` (the client's type).
                pub fn body(self, body: #t) -> Self {
                    Self { stub: self.stub.json_body(&body) }
                }
            }
        });
        let op_doc = format!(
            " Stubs `{} {}` (operation `{}`): the mock of `client.{}().{}(..)`.",
            op.method.as_str(),
            op.path.replace('`', ""),
            op.operation_id.replace('`', ""),
            bare(&r.name),
            bare(&op.method_name)
        );
        let cfg = super::features::cfg_op(op);
        if setters.is_empty() && optional_body.is_none() {
            methods.push(quote! {
                #[doc = #op_doc]
                #cfg
                pub fn #name(&self #(, #args)* #body_arg) -> #stub_ty {
                    self.server.stub(#index) #(#paths)* #(#setup)*
                }
            });
        } else {
            let wrapper = ident(&crate::naming::type_name(&format!(
                "{}Stub",
                op.builder_name
            )));
            let wrapper_doc = format!(
                " A stub of `{}().{}()`: query matchers, then an answer (which gives a [`Stub`](crate::runtime::mock::Stub)).",
                bare(&r.name),
                bare(&op.method_name)
            );
            methods.push(quote! {
                #[doc = #op_doc]
                #cfg
                pub fn #name(&self #(, #args)* #body_arg) -> #wrapper<'a> {
                    #wrapper { stub: self.server.stub(#index) #(#paths)* #(#setup)* }
                }
            });
            let mut forwarded = forwarders(&result, &info, &item);
            forwarded.extend(stream_forwarders(op, &result, &info, &item));
            items.push(quote! {
                #[doc = #wrapper_doc]
                #cfg
                #[derive(::std::fmt::Debug)]
                #[must_use = "a stub does nothing until it is given an answer and awaited"]
                pub struct #wrapper<'a> {
                    stub: #stub_ty,
                }

                #cfg
                impl<'a> #wrapper<'a> {
                    #(#setters)*
                    #optional_body
                    #forwarded
                }
            });
        }
    }
    let cfg = super::features::cfg_resource(api, index);
    quote! {
        #[doc = #module_doc]
        #cfg
        pub mod #module {
            #[doc = #handle_doc]
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy)]
            pub struct #handle<'a> {
                pub(crate) server: &'a crate::runtime::mock::MockServer,
            }

            impl<'a> #handle<'a> {
                #(#methods)*
            }

            #(#items)*
        }
    }
}

/// The chain of stub accessors from `MockServer` to resource `index`: `chat().completions()`.
fn mock_chain(api: &Api, index: usize) -> String {
    let r = &api.resources[index];
    let own = format!("{}()", bare(&accessor(r)));
    match r.parent {
        Some(p) => format!("{}.{own}", mock_chain(api, p)),
        None => own,
    }
}

/// The methods of a stub wrapper besides its query setters: a setter of one of these names gets a
/// `_param` suffix.
const WRAPPER_METHODS: &[&str] = &[
    "returns",
    "returns_with_info",
    "fails",
    "fails_with",
    "unsuccessful",
    "malformed",
    "respond_with",
    "delayed",
    "rate_limited_first",
    "server_error_first",
    "paged",
    "paged_with",
    "times",
    "body",
    "events",
    "events_then_error",
    "events_then_cut",
    "lines",
];

/// The streamed answers of a stub wrapper for an operation whose response streams events or
/// lines (see `runtime/src/mock_stream.rs`).
fn stream_forwarders(
    op: &Operation,
    result: &TokenStream,
    info: &TokenStream,
    item: &TokenStream,
) -> TokenStream {
    use crate::ir::StreamKind;
    let stub = quote!(crate::runtime::mock::Stub<'a, #result, #info, #item>);
    let each = quote!(impl ::std::iter::IntoIterator<Item = impl ::serde::Serialize>);
    match op.stream.as_ref().map(|s| &s.kind) {
        Some(StreamKind::Events(_)) => quote! {
            /// See [`Stub::events`](crate::runtime::mock::Stub::events).
            pub fn events(self, events: #each) -> #stub { self.stub.events(events) }
            /// See [`Stub::events_then_error`](crate::runtime::mock::Stub::events_then_error).
            pub fn events_then_error(self, events: #each, error: impl ::serde::Serialize) -> #stub {
                self.stub.events_then_error(events, error)
            }
            /// See [`Stub::events_then_cut`](crate::runtime::mock::Stub::events_then_cut).
            pub fn events_then_cut(self, events: #each) -> #stub { self.stub.events_then_cut(events) }
        },
        Some(StreamKind::Lines { .. }) => quote! {
            /// See [`Stub::lines`](crate::runtime::mock::Stub::lines).
            pub fn lines(self, items: #each) -> #stub { self.stub.lines(items) }
        },
        _ => TokenStream::new(),
    }
}

/// The name of a query setter on a stub wrapper.
fn setter_name(name: &str) -> String {
    if WRAPPER_METHODS.contains(&bare(name)) {
        format!("{}_param", bare(name))
    } else {
        name.to_owned()
    }
}

/// The answer methods of a stub wrapper, each handing over to the runtime's `Stub`.
fn forwarders(result: &TokenStream, info: &TokenStream, item: &TokenStream) -> TokenStream {
    let stub = quote!(crate::runtime::mock::Stub<'a, #result, #info, #item>);
    let status = quote!(crate::runtime::StatusCode);
    let errors = quote!(impl ::std::iter::IntoIterator<Item = crate::runtime::ApiMessage>);
    let duration = quote!(::std::time::Duration);
    quote! {
        /// See [`Stub::returns`](crate::runtime::mock::Stub::returns).
        pub fn returns(self, result: #result) -> #stub { self.stub.returns(result) }
        /// See [`Stub::returns_with_info`](crate::runtime::mock::Stub::returns_with_info).
        pub fn returns_with_info(self, result: #result, info: #info) -> #stub {
            self.stub.returns_with_info(result, info)
        }
        /// See [`Stub::fails`](crate::runtime::mock::Stub::fails).
        pub fn fails(self, status: #status, errors: #errors) -> #stub { self.stub.fails(status, errors) }
        /// See [`Stub::fails_with`](crate::runtime::mock::Stub::fails_with).
        pub fn fails_with(self, status: #status, body: impl ::serde::Serialize) -> #stub {
            self.stub.fails_with(status, body)
        }
        /// See [`Stub::unsuccessful`](crate::runtime::mock::Stub::unsuccessful).
        pub fn unsuccessful(self, errors: #errors) -> #stub { self.stub.unsuccessful(errors) }
        /// See [`Stub::malformed`](crate::runtime::mock::Stub::malformed).
        pub fn malformed(self) -> #stub { self.stub.malformed() }
        /// See [`Stub::respond_with`](crate::runtime::mock::Stub::respond_with).
        pub fn respond_with(self, response: crate::runtime::mock::wiremock::ResponseTemplate) -> #stub {
            self.stub.respond_with(response)
        }
        /// See [`Stub::delayed`](crate::runtime::mock::Stub::delayed).
        pub fn delayed(self, delay: #duration) -> #stub { self.stub.delayed(delay) }
        /// See [`Stub::rate_limited_first`](crate::runtime::mock::Stub::rate_limited_first).
        pub fn rate_limited_first(self, times: usize, retry_after: #duration) -> #stub {
            self.stub.rate_limited_first(times, retry_after)
        }
        /// See [`Stub::server_error_first`](crate::runtime::mock::Stub::server_error_first).
        pub fn server_error_first(self, times: usize, status: #status) -> #stub {
            self.stub.server_error_first(times, status)
        }
        /// See [`Stub::paged`](crate::runtime::mock::Stub::paged).
        pub fn paged(self, items: ::std::vec::Vec<#item>, page_size: usize) -> #stub {
            self.stub.paged(items, page_size)
        }
        /// See [`Stub::paged_with`](crate::runtime::mock::Stub::paged_with).
        pub fn paged_with(self, page: #result, items: ::std::vec::Vec<#item>, page_size: usize) -> #stub {
            self.stub.paged_with(page, items, page_size)
        }
        /// See [`Stub::times`](crate::runtime::mock::Stub::times).
        pub fn times(self, n: u64) -> #stub { self.stub.times(n) }
    }
}
