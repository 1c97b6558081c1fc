//! The `mock` module of a generated crate (feature `mock`): a `MockServer` for this API, one
//! handle per resource and one stub method per operation named like the client's, and the
//! static operation table the runtime's `mock` checks requests against (`mock_table.rs`). A
//! stub's types are the client's decode types (`client::decode_types`); its answers are the
//! runtime's (`Stub`, and the `stub_answers!` macro for wrappers with query matchers). Everything
//! generic (server, envelopes, scenarios, checks) is the runtime's `mock` module.

use proc_macro2::TokenStream;
use quote::quote;

use super::client::{arg_type, to_text};
use super::ident;
use super::typeref::type_tokens;
use crate::format::{Chunk, chunk};
use crate::ir::{Api, BodyKind, Name, Operation, Param, ParamLocation, Resource, TypeRef};

/// The accessor name of a resource on `MockServer` or its parent stub handle: a top-level one
/// that would hide a method of the runtime's `MockServer` (reached through `Deref`; read from the
/// runtime's sources) gets a `_resource` suffix.
fn accessor(resource: &Resource) -> Name {
    let name = resource.accessor.bare();
    let reserved = resource.parent.is_none()
        && crate::lower::reserved::runtime_methods("MockServer")
            .iter()
            .any(|m| m == name);
    if reserved {
        Name::new(format!("{name}_resource"))
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
    let table = super::mock_table::table(api);
    let accessors = api.children(None).map(|(i, r)| {
        let name = accessor(r);
        let module = &r.name;
        let handle = handle_name(r);
        let doc = crate::emit::docs::doc_literal(&format!(
            " Stubs for the `{}` operations, named like the client's methods.",
            r.name.bare()
        ));
        let cfg = super::features::cfg_resource(api, i);
        quote! {
            #[doc = #doc]
            #cfg
            pub fn #name(&self) -> #module::#handle<'_> {
                #module::#handle(self)
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
         use {lib}::prelude::*;\n\
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

        pub use crate::runtime::mock::{Problem, Stub, StubFor};
        #table

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

/// The stub handle type of a resource: `ClientCertificatesMock`.
fn handle_name(r: &Resource) -> proc_macro2::Ident {
    ident(&crate::naming::type_name(&format!("{}Mock", r.type_name)))
}

/// The call adding a path value to a stub.
fn path_statement(api: &Api, p: &Param) -> TokenStream {
    let n = &p.name;
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

fn resource_module(api: &Api, index: usize, indices: &[usize]) -> TokenStream {
    let r = &api.resources[index];
    let module = &r.name;
    let handle = handle_name(r);
    let chain = mock_chain(api, index);
    let module_doc =
        crate::emit::docs::doc_literal(&format!(" Stubs for the `{chain}` operations."));
    let handle_doc = crate::emit::docs::doc_literal(&format!(
        " Stubs for the `{chain}` operations; get one from `mock.{chain}`."
    ));
    let mut methods: Vec<TokenStream> = api
        .children(Some(index))
        .map(|(i, c)| {
            let m = &c.name;
            let a = accessor(c);
            let t = handle_name(c);
            let doc = crate::emit::docs::doc_literal(&format!(
                " Stubs for the `{}` operations.",
                mock_chain(api, i)
            ));
            let cfg = super::features::cfg_resource(api, i);
            quote! {
                #[doc = #doc]
                #cfg
                pub fn #a(&self) -> super::#m::#t<'a> {
                    super::#m::#t(self.0)
                }
            }
        })
        .collect();
    let mut items = Vec::new();
    for (op, index) in r.operations.iter().zip(indices) {
        let (method, wrapper) = operation_stub(api, r, op, *index);
        methods.push(method);
        items.extend(wrapper);
    }
    let cfg = super::features::cfg_resource(api, index);
    quote! {
        #[doc = #module_doc]
        #cfg
        pub mod #module {
            #[doc = #handle_doc]
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy)]
            pub struct #handle<'a>(pub(crate) &'a super::MockServer);

            impl<'a> #handle<'a> {
                #(#methods)*
            }

            #(#items)*
        }
    }
}

/// The stub method of one operation on its resource's handle, and, when the operation has query
/// parameters or an optional JSON body to match, the wrapper type it returns: typed matchers,
/// with the answers of a `Stub` from the runtime's `stub_answers!` macro.
fn operation_stub(
    api: &Api,
    r: &Resource,
    op: &Operation,
    index: usize,
) -> (TokenStream, Option<TokenStream>) {
    let decode = super::client::decode_types(op);
    // The page item type: only a paginated operation's stub has `paged`.
    let item_ty = op.pagination.as_ref().map_or_else(
        || quote!(crate::runtime::mock::NoPages),
        |p| type_tokens(&p.item),
    );
    let item = op.pagination.as_ref().map(|_| quote!(, #item_ty));
    let stub_ty = quote!(super::StubFor<'a, #decode #item>);
    let name = &op.method_name;
    let required: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.required && p.location == ParamLocation::Path)
        .collect();
    let args = required.iter().map(|p| {
        let n = &p.name;
        let t = arg_type(&p.ty);
        quote!(#n: #t)
    });
    let index = proc_macro2::Literal::usize_unsuffixed(index);
    let mut stub = quote!(self.0.stub(#index));
    stub.extend(required.iter().map(|p| path_statement(api, p)));
    // Required query values and headers are matched only when set (`query_param`); required
    // query values are checked against the spec on every request anyway.
    let json_body = op.body.as_ref().filter(|b| {
        b.kind == BodyKind::Json && !matches!(b.ty, TypeRef::Bytes | TypeRef::MultipartForm)
    });
    let body_arg = match json_body {
        Some(b) if b.required => {
            let t = type_tokens(&b.ty);
            stub.extend(quote!(.json_body(&body)));
            quote!(, body: #t)
        }
        _ => quote!(),
    };
    let setters: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| query_setter(api, p))
        .collect();
    let optional_body = json_body.filter(|b| !b.required).map(|b| {
        let t = type_tokens(&b.ty);
        quote! {
            /// Matches requests whose JSON body equals `body` (the client's type).
            pub fn body(self, body: #t) -> Self {
                Self(self.0.json_body(&body))
            }
        }
    });
    let op_doc = crate::emit::docs::doc_literal(&format!(
        " Stubs `{} {}` (operation `{}`): the mock of `client.{}().{}(..)`.",
        op.method.as_str(),
        op.path.replace('`', ""),
        op.operation_id.replace('`', ""),
        r.name.bare(),
        op.method_name.bare()
    ));
    let cfg = super::features::cfg_op(op);
    if setters.is_empty() && optional_body.is_none() {
        let method = quote! {
            #[doc = #op_doc]
            #cfg
            pub fn #name(&self #(, #args)* #body_arg) -> #stub_ty {
                #stub
            }
        };
        return (method, None);
    }
    let wrapper = ident(&crate::naming::type_name(&format!(
        "{}Stub",
        op.builder_name
    )));
    let wrapper_doc = crate::emit::docs::doc_literal(&format!(
        " A stub of `{}().{}()`: query matchers, then an answer, as on a \
         [`Stub`](crate::runtime::mock::Stub).",
        r.name.bare(),
        op.method_name.bare()
    ));
    let method = quote! {
        #[doc = #op_doc]
        #cfg
        pub fn #name(&self #(, #args)* #body_arg) -> #wrapper<'a> {
            #wrapper(#stub)
        }
    };
    let wrapper = quote! {
        #[doc = #wrapper_doc]
        #cfg
        #[derive(::std::fmt::Debug)]
        #[must_use = "a stub does nothing until it is given an answer and awaited"]
        pub struct #wrapper<'a>(#stub_ty);

        #cfg
        impl #wrapper<'_> {
            #(#setters)*
            #optional_body
        }

        #cfg
        impl<'a> crate::runtime::mock::StubWrapper<'a> for #wrapper<'a> {
            type Decode = #decode;
            type Item = #item_ty;
            fn into_stub(self) -> super::StubFor<'a, Self::Decode, Self::Item> {
                self.0
            }
        }

        #cfg
        crate::runtime::mock::stub_answers!(#wrapper);
    };
    (method, Some(wrapper))
}

/// A typed matcher of one query parameter on a stub wrapper.
fn query_setter(api: &Api, p: &Param) -> TokenStream {
    let n = setter_name(&p.name);
    let w = &p.wire_name;
    let doc = crate::emit::docs::doc_literal(&format!(
        " Matches requests whose `{}` query value is `value` (the client's type).",
        w.replace('`', "")
    ));
    let (t, push) = match &p.ty {
        TypeRef::Array(inner) => {
            let t = type_tokens(&p.ty);
            let text = to_text(api, quote!(item), inner);
            (
                t,
                quote! {
                    let mut stub = self.0;
                    for item in &value { stub = stub.query_param(#w, #text); }
                    Self(stub)
                },
            )
        }
        TypeRef::String => (
            quote!(impl Into<String>),
            quote!(Self(self.0.query_param(#w, value))),
        ),
        ty => {
            let t = type_tokens(ty);
            let text = to_text(api, quote!(value), ty);
            (t, quote!(Self(self.0.query_param(#w, #text))))
        }
    };
    quote! {
        #[doc = #doc]
        pub fn #n(self, value: #t) -> Self { #push }
    }
}

/// The chain of stub accessors from `MockServer` to resource `index`: `chat().completions()`.
fn mock_chain(api: &Api, index: usize) -> String {
    let r = &api.resources[index];
    let own = format!("{}()", accessor(r).bare());
    match r.parent {
        Some(p) => format!("{}.{own}", mock_chain(api, p)),
        None => own,
    }
}

/// The name of a query setter on a stub wrapper: one named like an answer the runtime's
/// `stub_answers!` macro defines (read from its sources), like `into_stub` or like the
/// optional-body matcher gets a `_param` suffix.
fn setter_name(name: &Name) -> Name {
    let taken = name.bare() == "body"
        || crate::lower::reserved::stub_wrapper_methods()
            .iter()
            .any(|m| m == name.bare());
    if taken {
        Name::new(format!("{}_param", name.bare()))
    } else {
        name.clone()
    }
}
