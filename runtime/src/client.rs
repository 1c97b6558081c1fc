//! The [`Client`] that generated operations run on: the shared state the transport reads
//! (HTTP client, base URL, prepared credentials, timeouts, retries, the API's rules). The
//! [`ClientBuilder`](super::ClientBuilder) in `builder.rs` makes one.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::auth_prepare::PreparedAuth;
use super::error::Result;
use super::platform::http_builder;
use super::retry::RetryConfig;

/// The default timeout of one attempt, from connecting to reading the last body byte.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default timeout for establishing a connection.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// An API client. Cheap to clone (the state is shared), `Send` and `Sync`.
///
/// A generated crate wraps it in a `Client` of its own (the `client_types!` macro), with
/// `Client::builder()` and `Client::from_env()` for its API's defaults (an
/// [`ApiConfig`](super::ApiConfig)) and one accessor per resource,
/// `client.<resource>().<operation>(...)`, all inherent. Crates generated from parts of one API
/// share one runtime `Client` by converting theirs (`From`, `runtime()`), and one
/// [`Error`](super::Error).
///
/// # Example
///
/// ```no_run
/// use std::time::Duration;
/// use openapi_client_runtime::{
///     ApiConfig, Client, ClientBuilder, Credentials, Error, RequestOptions, SchemeKind,
///     SecurityScheme,
/// };
///
/// // A generated crate holds this; it names the API's defaults and security schemes.
/// static API: ApiConfig = ApiConfig::new("my-client/1.0")
///     .default_base_url("https://api.example.com/v1")
///     .schemes(&[SecurityScheme { key: "token", kind: SchemeKind::Bearer, env: &["MY_TOKEN"] }]);
///
/// # async fn example() -> Result<(), Error> {
/// // A generated crate's typed builder methods (`.token(...)`) set credentials like this.
/// let client: Client = ClientBuilder::new(&API)
///     .credentials(Credentials::new("token").secret("token", "my-api-token"))
///     .timeout(Duration::from_secs(20))
///     .max_retries(4)
///     .build()?;
///
/// // Clones share one connection pool: hand one to each task.
/// let for_a_task = client.clone();
/// tokio::spawn(async move { println!("{for_a_task:?}") });
///
/// // Settings for a single call go in `RequestOptions`, passed to a builder's `.options(...)`.
/// let _one_call = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .header("x-request-id", "42");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<ClientInner>,
}

/// The shared state of a [`Client`].
pub(crate) struct ClientInner {
    /// The HTTP client that performs requests.
    pub(super) http: reqwest::Client,
    /// The base URL without a trailing slash.
    pub(super) base_url: String,
    /// The base URL, parsed once: requests only parse their paths.
    pub(super) base: reqwest::Url,
    /// The credentials, checked and prepared for the wire.
    pub(super) auth: PreparedAuth,
    /// The API's request-id header.
    pub(super) request_id_header: Option<&'static str>,
    /// The API's envelope, if it has one.
    pub(super) envelope: Option<super::config::EnvelopeFields>,
    /// Where the API's error bodies hold their message.
    pub(super) error_message: &'static [&'static str],
    /// The `User-Agent` header value.
    pub(super) user_agent: HeaderValue,
    /// The timeout of one attempt.
    pub(super) timeout: Duration,
    /// The total timeout `http` applies to each request by itself (set when this crate built
    /// it): an attempt with that timeout leaves the request's own setting out.
    pub(super) http_timeout: Option<Duration>,
    /// The retry settings.
    pub(super) retry: RetryConfig,
    /// Whether POST and PATCH requests may be retried.
    pub(super) retry_non_idempotent: bool,
}

impl Client {
    /// The base URL that request paths are appended to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The underlying HTTP client. When this crate built it, it carries the attempt timeout
    /// ([`ClientBuilder::timeout`](super::ClientBuilder::timeout)) as its own total timeout,
    /// which requests sent through it directly also get.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// A `reqwest::ClientBuilder` set up like the built-in one (rustls with the crypto provider
    /// of the crate's features and the system's root certificates, no redirects, a 10 s connect
    /// timeout), to customise (proxies, pool, local address...) and pass to
    /// [`ClientBuilder::http_client`](super::ClientBuilder::http_client). On wasm32 it is reqwest's fetch-based builder.
    ///
    /// Start from this rather than `reqwest::Client::new()` or `reqwest::Client::builder()`:
    /// with the reqwest features this crate uses (the crypto provider is chosen here, not by
    /// reqwest), those panic unless a rustls crypto provider was installed process-wide first.
    /// Without system root certificates the builder still works, but only for `http` URLs.
    pub fn http_client_builder() -> Result<reqwest::ClientBuilder> {
        http_builder(DEFAULT_CONNECT_TIMEOUT, false)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("credentials", &&*inner.auth.kind)
            .field("timeout", &inner.timeout)
            .field("max_retries", &inner.retry.max_retries)
            .field("retry_non_idempotent", &inner.retry_non_idempotent)
            .finish_non_exhaustive()
    }
}
