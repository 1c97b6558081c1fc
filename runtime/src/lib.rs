//! The runtime that clients generated from OpenAPI descriptions call: HTTP transport,
//! authentication, the response envelope, typed errors, retries and pagination.
//!
//! Generated crates depend on this crate (or, in `vendored` mode, carry a copy of its sources
//! without the tests), so nothing here refers to a generated type. A generated crate describes
//! its API with an [`ApiConfig`] (base URL, credentials, request-id header, the envelope its
//! responses are wrapped in if any, where its error bodies hold their message), re-exports this
//! crate as its `runtime` module and wraps [`Client`] and [`ClientBuilder`] in types of its own
//! (`client_types!`), so crates generated from parts of one API share one runtime [`Client`]
//! (by converting) and one [`Error`].
//!
//! # One request path
//!
//! Every call takes the same three steps, each in a module of its own, each importing only the
//! ones below it:
//!
//! 1. **Build** (`call`): a generated request builder wraps a `Call`, started by `Client::call`
//!    with the operation's static `OperationInfo`. Its setters encode each path, query, header
//!    and body value as it is given and check it against the spec's limits; [`RequestOptions`]
//!    override the client's settings for one call. Sending hands the built request on.
//! 2. **Transport** (`transport`): joins the URL (`url`), adds the credentials the operation's
//!    security requirements name ([`Credentials`]), the user agent and the timeout, sends it,
//!    and retries failed attempts (`retry`): capped exponential backoff with jitter, honouring
//!    `Retry-After`, `retry-after-ms` and `x-should-retry`; POST and PATCH only when the server
//!    provably did not act on them or the caller opts in. It returns the last response read in
//!    full, whatever its status, or a transport error ([`Error::Timeout`],
//!    [`Error::Connection`]).
//! 3. **Decode** (`decode`, `envelope`): pure, no I/O. A non-2xx status is its [`Error`] variant
//!    carrying an [`ApiError`] (the envelope's errors for an API with an envelope, else the
//!    message at the path the API's error schema gives). A 2xx body decodes as the operation's
//!    [`Decode`] type says: [`Envelope`] (for an API with one: `success: false` is
//!    [`Error::Unsuccessful`], a missing required result [`Error::MissingResult`]), [`Json`],
//!    [`Empty`], [`Text`] or [`Bytes`], into an [`ApiResponse`].
//!
//! Below these sit the plain data they share: [`ApiConfig`], [`ApiMessage`], [`ApiResponse`],
//! [`Error`] and the JSON field reader. Pagination (`pagination`, `paging`) repeats the three
//! steps page by page.
//!
//! Credentials are never printed: they live in a [`Secret`] and go out as sensitive values.
//! Path values are percent-encoded as one segment, and empty, `.` and `..` values are refused
//! before any I/O.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod api_error;
mod auth;
mod auth_prepare;
mod builder;
mod builder_env;
mod call;
mod client;
mod client_types;
mod config;
#[doc(hidden)]
pub mod de;
mod decode;
mod envelope;
mod error;
mod fields;
mod form;
mod future;
mod message;
mod multipart;
mod ndjson;
mod operation;
mod options;
mod path;
mod platform;
mod request;
mod response;
mod retry;
#[doc(hidden)]
pub mod ser;
mod sse;
mod stream;
#[cfg(not(target_arch = "wasm32"))]
mod tls;
mod transport;
mod transport_stream;
mod upload;
mod url;

/// The generic code behind generated string enums (`string_enum!`).
#[doc(hidden)]
pub mod enums;
pub mod pagination;
mod pagination_numbers;
#[doc(hidden)]
pub mod paging;
#[doc(hidden)]
pub mod validate;

#[cfg(all(feature = "blocking", not(target_arch = "wasm32")))]
pub mod blocking;
#[cfg(all(feature = "mock", not(target_arch = "wasm32")))]
pub mod mock;
#[cfg(all(feature = "blocking", target_arch = "wasm32"))]
compile_error!(
    "the `blocking` feature needs threads and tokio: it is for native targets, not wasm32"
);
#[cfg(all(feature = "mock", target_arch = "wasm32"))]
compile_error!("the `mock` feature runs a local HTTP server: it is for native targets, not wasm32");
#[cfg(all(feature = "mock", not(target_arch = "wasm32")))]
mod mock_answers;
#[cfg(all(feature = "mock", not(target_arch = "wasm32")))]
mod mock_check;
#[cfg(all(feature = "mock", not(target_arch = "wasm32")))]
mod mock_front;
#[cfg(all(feature = "mock", not(target_arch = "wasm32")))]
mod mock_pages;
#[cfg(all(feature = "mock", not(target_arch = "wasm32")))]
mod mock_stream;
#[cfg(all(feature = "mock", not(target_arch = "wasm32")))]
mod mock_stub;
#[cfg(all(feature = "mock", not(target_arch = "wasm32")))]
mod mock_table;

pub use auth::{Credentials, Secret, TokenProvider};
#[doc(hidden)]
pub use call::{Call, Response, to_param};
#[doc(hidden)]
pub use decode::Rules;
// Reachable as `<runtime>::request!` both as a crate and when vendored as a module
// (`#[macro_export]` puts the macro at the crate root either way).
#[doc(hidden)]
pub use crate::__client_types as client_types;
#[doc(hidden)]
pub use crate::__request as request;
#[doc(hidden)]
pub use crate::__string_enum as string_enum;
pub use api_error::ApiError;
pub use builder::ClientBuilder;
pub use client::Client;
pub use config::{
    ApiConfig, ApiKeyLocation, CredentialSet, EnvelopeFields, SchemeKind, SecurityScheme,
};
pub use decode::{Bytes, Decode, Empty, Envelope, EnvelopeOptional, Json, Text};
#[doc(hidden)]
pub use enums::StringEnum;
pub use error::{Error, RequestName, Result};
#[doc(hidden)]
pub use error::{error_body, response_key};
pub use form::{FormField, FormStyle};
#[doc(hidden)]
pub use future::BoxFuture;
pub use message::{ApiMessage, ApiMessageSource};
pub use multipart::Multipart;
#[doc(hidden)]
pub use operation::{Method, OperationInfo};
pub use options::RequestOptions;
pub use request::Request;
pub use response::ApiResponse;
#[doc(hidden)]
pub use response::RawResponse;
pub use stream::{ByteStream, Event, EventStream, LineStream};
pub use upload::Upload;
#[doc(hidden)]
pub use validate::{Limit, Limited};

/// The HTTP client library the runtime is built on, re-exported so that callers can name its
/// types (for example to pass their own `reqwest::Client` to [`ClientBuilder::http_client`])
/// without depending on a matching version themselves.
pub use reqwest;
/// An HTTP status code, as carried by [`ApiResponse`] and [`Error`].
pub use reqwest::StatusCode;
/// A map of HTTP headers, as carried by [`ApiResponse`] and [`ApiError`].
pub use reqwest::header::HeaderMap;
