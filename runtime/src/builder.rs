//! The [`ClientBuilder`] that configures a [`Client`]: credentials, base URL, timeouts, retries,
//! user agent, an optional injected HTTP client; and `build`, which checks them. Reading them
//! from environment variables is in `builder_env.rs`.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;

use super::auth::Credentials;
use super::client::{Client, ClientInner, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
use super::config::ApiConfig;
use super::error::{Error, Result};
use super::platform::{http_builder, with_total_timeout};
use super::retry::RetryConfig;

/// Configures and builds a [`Client`]. `Debug` shows no secret.
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    pub(super) api: &'static ApiConfig,
    pub(super) credentials: Credentials,
    allow_anonymous: bool,
    pub(super) base_url: Option<String>,
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
            credentials: Credentials::none(),
            allow_anonymous: false,
            base_url: None,
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
    pub fn env(self) -> Result<Self> {
        self.env_with(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::env`], reading variables through `lookup` instead of the process
    /// environment (for tests, or other sources of configuration).
    ///
    /// Credentials come from the first of the API's credential sets
    /// ([`ApiConfig::credential_sets`]) whose variables are all set; empty variables count as
    /// unset. A set with only some of its variables set is an [`Error::Config`] naming the
    /// missing ones, and so is an environment without any credentials when the API's operations
    /// require some. The API's base-URL variable, when set, overrides the base URL.
    pub fn env_with(self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        super::builder_env::env_with(self, lookup)
    }

    /// Sets the credentials, replacing any set before.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Builds without credentials even when every operation needs them (for a proxy or test
    /// server that adds or ignores them). Without this, such a client is refused by `build`.
    pub fn without_credentials(mut self) -> Self {
        self.allow_anonymous = true;
        self
    }

    /// Adds credentials to those set before (a value for the same scheme replaces the earlier
    /// one), for APIs whose operations need different schemes. Generated credential methods
    /// call this.
    pub fn add_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = std::mem::take(&mut self.credentials).merge(credentials);
        self
    }

    /// Sets the base URL (default: the API's, [`ApiConfig::default_base_url`]); a trailing
    /// slash is tolerated. It must be an `http` or `https` URL without credentials, query or
    /// fragment, or [`ClientBuilder::build`] fails with [`Error::Config`]. An API whose
    /// description names no server has no default: then setting one is required.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Sets the timeout of each attempt, from connecting to reading the last byte (default
    /// 60 s); for a streamed response, only the wait for its headers. The built-in HTTP client
    /// carries it as its own timeout; an injected one gets it on each request instead, so it
    /// holds there too (and replaces any timeout of that client's own).
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
        let (base_url, base) = match self.base_url.as_deref().or(self.api.default_base_url) {
            Some(url) => normalize_base_url(url)?,
            None => {
                return Err(Error::Config(
                    "no base URL: the API's description names no server; set one with \
                     `ClientBuilder::base_url`"
                        .into(),
                ));
            }
        };
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
        // Every operation needs credentials and none were given: say so now, not with a 401 or
        // 403 from the first request. `without_credentials` opts out (a proxy that adds them).
        if self.credentials.is_empty() && self.api.credentials_required && !self.allow_anonymous {
            let names: Vec<&str> = self.api.credential_sets.iter().map(|s| s.name).collect();
            return Err(Error::Config(format!(
                "no credentials: every operation of this API needs them; set one with {} \
                 (or call `without_credentials` if something else adds them)",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let auth = self.credentials.prepare(self.api)?;
        let user_agent = self.user_agent.as_deref().unwrap_or(self.api.user_agent);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::Config("the user agent contains characters not allowed in a header".into())
        })?;
        let (http, http_timeout) = match self.http_client {
            Some(client) => (client, None),
            None => {
                let builder = http_builder(self.connect_timeout, base_url.starts_with("https:"))?;
                let (builder, http_timeout) = with_total_timeout(builder, self.timeout);
                let client = builder.build().map_err(|error| {
                    Error::Config(format!("could not build the HTTP client: {error}"))
                })?;
                (client, http_timeout)
            }
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                base,
                auth,
                request_id_header: self.api.request_id_header,
                envelope: self.api.envelope,
                error_message: self.api.error_message,
                user_agent,
                timeout: self.timeout,
                http_timeout,
                retry: self.retry,
                retry_non_idempotent: self.retry_non_idempotent,
            }),
        })
    }
}

/// Checks a base URL and returns it without trailing slashes, and parsed.
fn normalize_base_url(raw: &str) -> Result<(String, Url)> {
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
    Ok((url.as_str().trim_end_matches('/').to_owned(), url))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    use crate::config::{ApiKeyLocation, CredentialSet, SchemeKind, SecurityScheme};

    const DEFAULT_BASE_URL: &str = "https://api.cloudflare.com/client/v4";

    /// Cloudflare's conventions, as a generated crate would describe them.
    static API: ApiConfig = ApiConfig::new("test-client/1.0")
        .default_base_url(DEFAULT_BASE_URL)
        .base_url_env("CLOUDFLARE_BASE_URL")
        .schemes(&[
            SecurityScheme {
                key: "api_token",
                kind: SchemeKind::Bearer,
                env: &["CLOUDFLARE_API_TOKEN"],
            },
            SecurityScheme {
                key: "api_key",
                kind: SchemeKind::ApiKey {
                    location: ApiKeyLocation::Header,
                    name: "X-Auth-Key",
                },
                env: &["CLOUDFLARE_API_KEY"],
            },
            SecurityScheme {
                key: "api_email",
                kind: SchemeKind::ApiKey {
                    location: ApiKeyLocation::Header,
                    name: "X-Auth-Email",
                },
                env: &["CLOUDFLARE_EMAIL"],
            },
            SecurityScheme {
                key: "user_service_key",
                kind: SchemeKind::ApiKey {
                    location: ApiKeyLocation::Header,
                    name: "X-Auth-User-Service-Key",
                },
                env: &["CLOUDFLARE_API_USER_SERVICE_KEY"],
            },
        ])
        .credential_sets(
            &[
                CredentialSet {
                    name: "api_token",
                    schemes: &["api_token"],
                },
                CredentialSet {
                    name: "api_key",
                    schemes: &["api_key", "api_email"],
                },
                CredentialSet {
                    name: "user_service_key",
                    schemes: &["user_service_key"],
                },
            ],
            false,
        )
        .credentials_required();

    // `pub(crate)`: the tests of `builder_env.rs` use these too.
    impl Credentials {
        pub(crate) fn api_token(token: &str) -> Self {
            Credentials::new("api_token").secret("api_token", token)
        }
        pub(crate) fn api_key(key: &str, email: &str) -> Self {
            Credentials::new("api_key")
                .secret("api_key", key)
                .secret("api_email", email)
        }
    }

    impl Client {
        fn builder() -> ClientBuilder {
            ClientBuilder::new(&API)
        }
    }

    impl ClientBuilder {
        pub(crate) fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
            ClientBuilder::new(&API).env_with(lookup)
        }
        fn api_token(self, token: &str) -> Self {
            self.credentials(Credentials::api_token(token))
        }
        fn api_key(self, key: &str, email: &str) -> Self {
            self.credentials(Credentials::api_key(key, email))
        }
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
        let ok = |raw: &str| normalize_base_url(raw).unwrap().0;
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
        // Every operation of the test API needs credentials: none is an error at build time,
        // unless the caller says something else adds them.
        let err = Client::builder().build().unwrap_err();
        assert!(
            err.to_string()
                .contains("every operation of this API needs them"),
            "{err}"
        );
        assert!(Client::builder().without_credentials().build().is_ok());
        let client = Client::builder()
            .without_credentials()
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
}
