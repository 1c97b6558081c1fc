//! The [`Client`] that generated operations run on, and the [`ClientBuilder`] that configures it
//! (credentials, base URL, timeouts, retries, user agent, an optional injected HTTP client).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderValue};

use super::auth::Credentials;
use super::config::ApiConfig;
use super::error::{Error, Result};
use super::request::{OperationInfo, RequestBuilder};
use super::retry::RetryConfig;
use super::tls;

/// The Cloudflare API's base URL, used unless [`ClientBuilder::base_url`] says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.cloudflare.com/client/v4";
/// The default timeout of one attempt, from connecting to reading the last body byte.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default timeout for establishing a connection.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The environment variable holding an API token.
const ENV_API_TOKEN: &str = "CLOUDFLARE_API_TOKEN";
/// The environment variable holding a legacy global API key.
const ENV_API_KEY: &str = "CLOUDFLARE_API_KEY";
/// The environment variable holding the e-mail address that goes with the API key.
const ENV_EMAIL: &str = "CLOUDFLARE_EMAIL";
/// The environment variable holding an Origin CA user service key.
const ENV_USER_SERVICE_KEY: &str = "CLOUDFLARE_API_USER_SERVICE_KEY";
/// The environment variable that overrides the base URL.
const ENV_BASE_URL: &str = "CLOUDFLARE_BASE_URL";

/// An API client. Cheap to clone (the state is shared), `Send` and `Sync`.
///
/// A generated crate re-exports this type and adds, through its `ClientExt` trait,
/// `Client::builder()` and `Client::from_env()` with its API's defaults (an [`ApiConfig`]), and,
/// through its `Resources` trait, one accessor per resource:
/// `client.<resource>().<operation>(...)`. Crates generated from parts of one API therefore
/// share one `Client` (and one [`Error`]).
///
/// # Example
///
/// ```no_run
/// use std::time::Duration;
/// use openapi_client_runtime::{ApiConfig, Client, ClientBuilder, Error, RequestOptions};
///
/// // A generated crate holds this; it names the API's defaults.
/// static API: ApiConfig = ApiConfig::new("my-client/1.0")
///     .default_base_url("https://api.example.com/v1");
///
/// # async fn example() -> Result<(), Error> {
/// let client: Client = ClientBuilder::new(&API)
///     .api_token("my-api-token")
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
pub(super) struct ClientInner {
    /// The HTTP client that performs requests.
    pub(super) http: reqwest::Client,
    /// The base URL without a trailing slash.
    pub(super) base_url: String,
    /// The authentication headers, with sensitive values.
    pub(super) auth_headers: HeaderMap,
    /// The `User-Agent` header value.
    pub(super) user_agent: HeaderValue,
    /// The timeout of one attempt.
    pub(super) timeout: Duration,
    /// The retry settings.
    pub(super) retry: RetryConfig,
    /// Whether POST and PATCH requests may be retried.
    pub(super) retry_non_idempotent: bool,
    /// The kind of credentials, for `Debug`.
    pub(super) credentials_kind: &'static str,
}

impl Client {
    /// Starts a request for an operation. Generated code calls this; the builder's `send_*`
    /// methods perform it.
    #[doc(hidden)]
    pub fn request(&self, op: &'static OperationInfo) -> RequestBuilder<'_> {
        RequestBuilder::new(self, op)
    }

    /// The base URL that request paths are appended to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The underlying HTTP client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// A `reqwest::ClientBuilder` set up like the built-in one (rustls with the `ring` provider
    /// and the system's root certificates, no redirects, a 10 s connect timeout), to customise
    /// (proxies, pool, local address...) and pass to [`ClientBuilder::http_client`].
    ///
    /// Start from this rather than `reqwest::Client::new()` or `reqwest::Client::builder()`:
    /// with the reqwest features this crate uses (no bundled crypto provider, to keep builds
    /// small), those panic unless a rustls crypto provider was installed process-wide first.
    /// Without system root certificates the builder still works, but only for `http` URLs.
    pub fn http_client_builder() -> Result<reqwest::ClientBuilder> {
        http_builder(DEFAULT_CONNECT_TIMEOUT, false)
    }
}

/// The reqwest builder of the built-in HTTP client.
fn http_builder(connect_timeout: Duration, needs_roots: bool) -> Result<reqwest::ClientBuilder> {
    let tls = tls::client_config(needs_roots)?;
    Ok(reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        // Redirects are not followed: the API does not use them, and following one to another
        // host would forward the `X-Auth-*` credentials.
        .redirect(reqwest::redirect::Policy::none())
        .tls_backend_preconfigured(tls))
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("credentials", &inner.credentials_kind)
            .field("timeout", &inner.timeout)
            .field("max_retries", &inner.retry.max_retries)
            .field("retry_non_idempotent", &inner.retry_non_idempotent)
            .finish_non_exhaustive()
    }
}

/// Configures and builds a [`Client`]. `Debug` shows no secret.
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    api: &'static ApiConfig,
    credentials: Credentials,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryConfig,
    retry_non_idempotent: bool,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// A builder with the defaults: the API's default base URL, no credentials, a 60 s timeout
    /// per attempt, a 10 s connect timeout and 2 retries. A generated crate's
    /// `Client::builder()` calls this with its API's [`ApiConfig`].
    pub fn new(api: &'static ApiConfig) -> Self {
        Self {
            api,
            credentials: Credentials::None,
            base_url: api.default_base_url.unwrap_or(DEFAULT_BASE_URL).to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryConfig::default(),
            retry_non_idempotent: false,
            user_agent: None,
            http_client: None,
        }
    }

    /// Reads credentials and the base URL from the process environment; see
    /// [`ClientBuilder::env_with`].
    ///
    /// Credentials come from the first complete set of: `CLOUDFLARE_API_TOKEN`;
    /// `CLOUDFLARE_API_KEY` with `CLOUDFLARE_EMAIL`; `CLOUDFLARE_API_USER_SERVICE_KEY`.
    /// `CLOUDFLARE_BASE_URL` overrides the base URL. Empty variables count as unset. It is an
    /// [`Error::Config`] when no credentials are set, or when only one of `CLOUDFLARE_API_KEY`
    /// and `CLOUDFLARE_EMAIL` is (and no token is).
    pub fn env(self) -> Result<Self> {
        self.env_with(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::env`], reading variables through `lookup` instead of the process
    /// environment (for tests, or other sources of configuration).
    pub fn env_with(self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let var = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let credentials = if let Some(token) = var(ENV_API_TOKEN) {
            Credentials::api_token(token)
        } else {
            match (var(ENV_API_KEY), var(ENV_EMAIL)) {
                (Some(key), Some(email)) => Credentials::api_key(key, email),
                (Some(_), None) => {
                    return Err(Error::Config(format!(
                        "{ENV_API_KEY} is set but {ENV_EMAIL} is not; set both, or use \
                         {ENV_API_TOKEN} instead"
                    )));
                }
                (None, Some(_)) => {
                    return Err(Error::Config(format!(
                        "{ENV_EMAIL} is set but {ENV_API_KEY} is not; set both, or use \
                         {ENV_API_TOKEN} instead"
                    )));
                }
                (None, None) => match var(ENV_USER_SERVICE_KEY) {
                    Some(key) => Credentials::user_service_key(key),
                    None => {
                        return Err(Error::Config(format!(
                            "no Cloudflare credentials in the environment: set {ENV_API_TOKEN}, \
                             or {ENV_API_KEY} and {ENV_EMAIL}, or {ENV_USER_SERVICE_KEY}"
                        )));
                    }
                },
            }
        };
        let mut builder = self.credentials(credentials);
        if let Some(base_url) = var(ENV_BASE_URL) {
            builder = builder.base_url(base_url);
        }
        Ok(builder)
    }

    /// Sets the credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Authenticates with an API token (`Authorization: Bearer`).
    pub fn api_token(self, token: impl Into<String>) -> Self {
        self.credentials(Credentials::api_token(token))
    }

    /// Authenticates with a legacy global API key and the account's e-mail address.
    pub fn api_key(self, key: impl Into<String>, email: impl Into<String>) -> Self {
        self.credentials(Credentials::api_key(key, email))
    }

    /// Authenticates with an Origin CA user service key.
    pub fn user_service_key(self, key: impl Into<String>) -> Self {
        self.credentials(Credentials::user_service_key(key))
    }

    /// Sets the base URL (default [`DEFAULT_BASE_URL`]); a trailing slash is tolerated. It must
    /// be an `http` or `https` URL without credentials, query or fragment, or
    /// [`ClientBuilder::build`] fails with [`Error::Config`].
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Sets the timeout of each attempt, from connecting to reading the last byte (default
    /// 60 s). It is applied per request, so it also holds with an injected HTTP client.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the connect timeout (default 10 s). It does not apply to an injected HTTP client,
    /// which keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets how many times a failed attempt is retried (default 2; 0 disables retries).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// Allows retrying POST and PATCH requests (default `false`). Only enable this when a
    /// repeated request cannot create a duplicate.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }

    /// Sets the backoff between retries: the first wait is `initial`, doubling up to `max`, each
    /// reduced by up to 25 % of jitter (default 0.5 s and 8 s). Tests can use a few
    /// milliseconds.
    pub fn retry_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.retry.initial_backoff = initial;
        self.retry.max_backoff = max;
        self
    }

    /// Sets the longest wait honoured from a server's `Retry-After` or `retry-after-ms` header
    /// (default 60 s); longer requests are shortened to this.
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.retry.max_retry_after = max;
        self
    }

    /// Sets the `User-Agent` header (default: the crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses this HTTP client instead of building one. Its TLS, proxy, redirect and connect
    /// timeout settings are kept; credentials, user agent, per-attempt timeout and retries still
    /// come from this builder. Make sure it does not follow redirects to other hosts, which could
    /// forward the `X-Auth-*` headers.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        let base_url = normalize_base_url(&self.base_url)?;
        if self.timeout.is_zero() {
            return Err(Error::Config(
                "the timeout must be greater than zero".into(),
            ));
        }
        if self.retry.initial_backoff > self.retry.max_backoff {
            return Err(Error::Config(
                "the initial retry backoff must not exceed the maximum backoff".into(),
            ));
        }
        let auth_headers = self.credentials.to_headers()?;
        let user_agent = self.user_agent.as_deref().unwrap_or(self.api.user_agent);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::Config("the user agent contains characters not allowed in a header".into())
        })?;
        let http = match self.http_client {
            Some(client) => client,
            None => http_builder(self.connect_timeout, base_url.starts_with("https:"))?
                .build()
                .map_err(|error| {
                    Error::Config(format!("could not build the HTTP client: {error}"))
                })?,
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                auth_headers,
                user_agent,
                timeout: self.timeout,
                retry: self.retry,
                retry_non_idempotent: self.retry_non_idempotent,
                credentials_kind: self.credentials.kind(),
            }),
        })
    }
}

/// Checks a base URL and returns it without trailing slashes.
fn normalize_base_url(raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let invalid = |reason: &str| Error::Config(format!("invalid base URL: {reason}"));
    let url = Url::parse(trimmed).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(invalid("it has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "it must not contain credentials; use `ClientBuilder::credentials`",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    // `Url` normalises the text (for example it adds `/` to a bare host); drop that again so
    // that request paths, which start with `/`, can be appended.
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    static API: ApiConfig = ApiConfig::new("test-client/1.0");

    impl Client {
        fn builder() -> ClientBuilder {
            ClientBuilder::new(&API)
        }
    }

    impl ClientBuilder {
        fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
            ClientBuilder::new(&API).env_with(lookup)
        }
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn client_is_send_sync_clone() {
        fn assert_traits<T: Send + Sync + Clone + 'static>() {}
        assert_traits::<Client>();
        assert_traits::<ClientBuilder>();
    }

    #[test]
    fn builds_with_defaults() {
        let client = Client::builder().api_token("t").build().unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        assert_eq!(client.inner.timeout, Duration::from_secs(60));
        assert_eq!(client.inner.retry, RetryConfig::default());
        assert!(!client.inner.retry_non_idempotent);
        assert_eq!(client.inner.user_agent, "test-client/1.0");
    }

    #[test]
    fn debug_of_client_and_builder_has_no_secret() {
        let builder = Client::builder()
            .api_key("KEY-SECRET", "me@example.com")
            .base_url("http://127.0.0.1:9/");
        let debug = format!("{builder:?}");
        assert!(!debug.contains("KEY-SECRET"), "{debug}");
        let client = builder.build().unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("KEY-SECRET"), "{debug}");
        assert!(debug.contains("api_key"), "{debug}");
        assert!(debug.contains("http://127.0.0.1:9"), "{debug}");
        let client = Client::builder().api_token("TOKEN-SECRET").build().unwrap();
        assert!(!format!("{client:?} {client:#?}").contains("TOKEN-SECRET"));
    }

    #[test]
    fn base_url_normalisation_and_validation() {
        let ok = |raw: &str| normalize_base_url(raw).unwrap();
        assert_eq!(
            ok("https://api.cloudflare.com/client/v4/"),
            DEFAULT_BASE_URL
        );
        assert_eq!(
            ok("https://api.cloudflare.com/client/v4//"),
            DEFAULT_BASE_URL
        );
        assert_eq!(ok("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(ok("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
        for bad in [
            "",
            "not a url",
            "ftp://example.com",
            "mailto:a@b.c",
            "https://user:pw@example.com",
            "https://example.com/v4?x=1",
            "https://example.com/v4#frag",
        ] {
            assert!(
                matches!(normalize_base_url(bad), Err(Error::Config(_))),
                "{bad:?} should be refused"
            );
        }
        let err = Client::builder().base_url("nope").build().unwrap_err();
        assert!(matches!(err, Error::Config(_)));
    }

    #[test]
    fn other_build_checks() {
        assert!(matches!(
            Client::builder().timeout(Duration::ZERO).build(),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            Client::builder()
                .retry_backoff(Duration::from_secs(2), Duration::from_secs(1))
                .build(),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            Client::builder().user_agent("bad\nagent").build(),
            Err(Error::Config(_))
        ));
        let client = Client::builder()
            .http_client(Client::http_client_builder().unwrap().build().unwrap())
            .user_agent("mine/1.0")
            .max_retries(0)
            .retry_non_idempotent(true)
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
            .build()
            .unwrap();
        assert_eq!(client.inner.user_agent, "mine/1.0");
        assert_eq!(client.inner.retry.max_retries, 0);
        assert!(client.inner.retry_non_idempotent);
    }

    #[test]
    fn from_env_prefers_the_token() {
        let builder = ClientBuilder::from_env_with(env(&[
            ("CLOUDFLARE_API_TOKEN", "tok"),
            ("CLOUDFLARE_API_KEY", "key"),
            ("CLOUDFLARE_EMAIL", "me@example.com"),
        ]))
        .unwrap();
        assert_eq!(builder.credentials, Credentials::api_token("tok"));
        assert_eq!(builder.base_url, DEFAULT_BASE_URL);
    }

    #[test]
    fn from_env_key_and_email_then_service_key() {
        let builder = ClientBuilder::from_env_with(env(&[
            ("CLOUDFLARE_API_KEY", "key"),
            ("CLOUDFLARE_EMAIL", "me@example.com"),
            ("CLOUDFLARE_API_USER_SERVICE_KEY", "usk"),
        ]))
        .unwrap();
        assert_eq!(
            builder.credentials,
            Credentials::api_key("key", "me@example.com")
        );
        let builder = ClientBuilder::from_env_with(env(&[
            ("CLOUDFLARE_API_TOKEN", ""),
            ("CLOUDFLARE_API_USER_SERVICE_KEY", "usk"),
            ("CLOUDFLARE_BASE_URL", "http://127.0.0.1:1234/"),
        ]))
        .unwrap();
        assert_eq!(builder.credentials, Credentials::user_service_key("usk"));
        let client = builder.build().unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:1234");
    }

    #[test]
    fn from_env_errors_are_clear() {
        let err = ClientBuilder::from_env_with(env(&[])).unwrap_err();
        let Error::Config(message) = &err else {
            panic!("expected Config, got {err:?}");
        };
        assert!(message.contains("CLOUDFLARE_API_TOKEN"), "{message}");
        let err =
            ClientBuilder::from_env_with(env(&[("CLOUDFLARE_API_KEY", "SECRET-KEY")])).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(text.contains("CLOUDFLARE_EMAIL is not"), "{text}");
        assert!(!text.contains("SECRET-KEY"), "{text}");
        let err = ClientBuilder::from_env_with(env(&[
            ("CLOUDFLARE_EMAIL", "me@example.com"),
            ("CLOUDFLARE_API_USER_SERVICE_KEY", "usk"),
        ]))
        .unwrap_err();
        assert!(
            err.to_string().contains("CLOUDFLARE_API_KEY is not"),
            "{err}"
        );
        let err = ClientBuilder::from_env_with(env(&[
            ("CLOUDFLARE_API_TOKEN", "t"),
            ("CLOUDFLARE_BASE_URL", "ftp://x"),
        ]))
        .unwrap()
        .build()
        .unwrap_err();
        assert!(matches!(err, Error::Config(_)));
    }
}
