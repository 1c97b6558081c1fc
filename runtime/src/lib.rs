//! The runtime that clients generated from OpenAPI descriptions call: HTTP transport,
//! authentication, the response envelope, typed errors, retries and pagination.
//!
//! Generated crates depend on this crate (or, in `vendored` mode, carry a copy of its sources
//! without the tests), so nothing here refers to a generated type. A generated crate describes
//! its API with an [`ApiConfig`] and re-exports this crate as its `runtime` module, so crates
//! generated from parts of one API share one [`Client`] and one [`Error`]. Generated operations describe themselves with a static [`OperationInfo`],
//! start a [`RequestBuilder`] with [`Client::request`], add path, query and body values, and finish
//! with one of the `send_*` methods, which return an [`ApiResponse`] or an [`Error`].
//!
//! Behaviour in short:
//!
//! - Credentials are values for the API's security schemes ([`Credentials`]): bearer tokens,
//!   HTTP basic, API keys in a header, query or cookie, OAuth 2 tokens (fixed or from a
//!   [`TokenProvider`] per request). Each operation gets only those its security requirements
//!   name. They are never printed: they live in a [`Secret`] and go out as sensitive values.
//! - Responses in Cloudflare's `{success, errors, messages, result, result_info}` envelope are
//!   checked: a `success: false` is an error even when the status is 2xx, and a required `result`
//!   that is missing or `null` is [`Error::MissingResult`].
//! - Failed attempts are retried with capped exponential backoff and jitter, honouring
//!   `Retry-After`, `retry-after-ms` and `x-should-retry`; non-idempotent methods (POST, PATCH)
//!   are retried only when the server provably did not act on them (a 429 with `Retry-After`,
//!   a refused connection) or when the caller opts in.
//! - Path values are percent-encoded as one segment, and empty, `.` and `..` values are refused
//!   before any I/O.
//! - [`pagination::paginate`] walks page-numbered lists and stops without a wasted request.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod auth;
mod call;
mod client;
mod config;
mod enums;
mod envelope;
mod error;
mod form;
mod multipart;
mod ndjson;
mod path;
mod request;
mod response;
mod retry;
mod sse;
mod stream;
mod tls;
mod upload;

pub mod pagination;
#[doc(hidden)]
pub mod paging;
#[doc(hidden)]
pub mod validate;

#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "mock")]
mod mock_stream;

use std::future::Future;
use std::pin::Pin;

pub use auth::{Credentials, Secret, TokenProvider};
#[doc(hidden)]
pub use call::{Call, Response, to_param};
// Reachable as `<runtime>::string_enum!` both as a crate and when vendored as a module
// (`#[macro_export]` puts the macro at the crate root either way).
#[doc(hidden)]
pub use crate::__request as request;
#[doc(hidden)]
pub use crate::__resource as resource;
#[doc(hidden)]
pub use crate::__string_enum as string_enum;
pub use call::{Bytes, Decode, Empty, Envelope, EnvelopeOptional, Json, Request, Text};
pub use client::{Client, ClientBuilder};
pub use config::{ApiConfig, ApiKeyLocation, CredentialSet, SchemeKind, SecurityScheme};
pub use envelope::{ApiMessage, ApiMessageSource};
pub use error::{ApiError, Error, RequestName, Result};
#[doc(hidden)]
pub use error::{error_body, response_key};
pub use form::{FormField, FormStyle};
pub use multipart::Multipart;
pub use request::RequestOptions;
#[doc(hidden)]
pub use request::{Method, OperationInfo, RequestBuilder};
pub use response::ApiResponse;
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

#[doc(hidden)]
/// A boxed, `Send` future, used by generated `IntoFuture` implementations so that a request
/// builder can be awaited directly.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
