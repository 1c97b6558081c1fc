//! The `client_types!` macro: a generated crate's own `Client` and `ClientBuilder`, newtypes
//! over the runtime's [`Client`](super::Client) and [`ClientBuilder`](super::ClientBuilder)
//! whose constructors and settings are inherent methods, so users need no trait import.
//!
//! Written once here, next to the builder it forwards to; `tests/client_types.rs` checks that
//! every public method of the runtime's `ClientBuilder` and `Client` has its forwarder.

/// Defines a generated crate's `Client` and `ClientBuilder` (the two identifiers given) for the
/// API described by the `static` [`ApiConfig`](crate::runtime::ApiConfig) named third.
///
/// `Client` gets `builder()`, `from_env()`, the runtime client's accessors and conversions to
/// and from the runtime's `Client` (one `Arc` clone): crates generated from parts of one API
/// share a connection pool, credentials and the runtime's `Error` by converting. `ClientBuilder`
/// forwards every setting of the runtime's builder and builds the crate's `Client`; the crate
/// adds its credential methods and resource accessors in `impl` blocks of its own. Expanded only
/// inside generated crates, where `crate::runtime` is this runtime (a dependency or vendored).
#[doc(hidden)]
#[macro_export]
// `crate::runtime` on purpose: the generated crate's path to this runtime, crate or vendored.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __client_types {
    ($client:ident, $builder:ident, $api:ident) => {
        /// A client for this API: make one with `Client::builder()` or `Client::from_env()`,
        /// then call `client.<resource>().<operation>(..)`. Cheap to clone (clones share one
        /// connection pool), `Send` and `Sync`.
        ///
        /// It wraps the runtime's [`Client`](crate::runtime::Client). Crates generated from
        /// other parts of the same API share its pool, credentials and
        /// [`Error`](crate::runtime::Error) through a cheap conversion:
        /// `other_crate::Client::from(client.runtime().clone())`.
        #[derive(Clone, Debug)]
        pub struct $client(crate::runtime::Client);

        impl $client {
            /// A builder with this API's defaults: its base URL, no credentials, a 60 s timeout
            /// per attempt, a 10 s connect timeout and 2 retries.
            pub fn builder() -> $builder {
                $builder(crate::runtime::ClientBuilder::new(&$api))
            }

            /// A client configured from the process environment: credentials and base URL (see
            /// [`runtime::ClientBuilder::env_with`](crate::runtime::ClientBuilder::env_with)).
            pub fn from_env() -> crate::runtime::Result<Self> {
                $builder::from_env()?.build()
            }

            /// Wraps a runtime client, for example one built through a crate generated from
            /// another part of the same API (the same as `From`).
            pub fn from_runtime(client: crate::runtime::Client) -> Self {
                Self(client)
            }

            /// The runtime's client inside: clone it to share this client's connection pool and
            /// credentials with a crate generated from another part of the same API.
            pub fn runtime(&self) -> &crate::runtime::Client {
                &self.0
            }

            /// The runtime's client inside, by value.
            pub fn into_runtime(self) -> crate::runtime::Client {
                self.0
            }

            /// The base URL that request paths are appended to, without a trailing slash.
            pub fn base_url(&self) -> &str {
                self.0.base_url()
            }

            /// The underlying HTTP client.
            pub fn http_client(&self) -> &crate::runtime::reqwest::Client {
                self.0.http_client()
            }

            /// A `reqwest::ClientBuilder` set up like the built-in one, to customise and pass to
            /// `ClientBuilder::http_client`; see
            /// [`runtime::Client::http_client_builder`](crate::runtime::Client::http_client_builder).
            pub fn http_client_builder()
            -> crate::runtime::Result<crate::runtime::reqwest::ClientBuilder> {
                crate::runtime::Client::http_client_builder()
            }
        }

        impl ::core::convert::From<crate::runtime::Client> for $client {
            fn from(client: crate::runtime::Client) -> Self {
                Self(client)
            }
        }

        impl ::core::convert::From<$client> for crate::runtime::Client {
            fn from(client: $client) -> Self {
                client.0
            }
        }

        impl ::core::convert::AsRef<crate::runtime::Client> for $client {
            fn as_ref(&self) -> &crate::runtime::Client {
                &self.0
            }
        }

        /// Configures and builds a client (`Client::builder()`): credentials (this API's
        /// methods, or from the environment), base URL, timeouts, retries, user agent, an
        /// optional injected HTTP client. `Debug` shows no secret.
        #[derive(Clone, Debug)]
        pub struct $builder(crate::runtime::ClientBuilder);

        impl $builder {
            /// A builder with this API's defaults, configured from the process environment
            /// (see [`runtime::ClientBuilder::env_with`](crate::runtime::ClientBuilder::env_with)).
            pub fn from_env() -> crate::runtime::Result<Self> {
                $client::builder().env()
            }

            /// Like `from_env`, reading variables through `lookup` instead of the process
            /// environment.
            pub fn from_env_with(
                lookup: impl Fn(&str) -> ::core::option::Option<::std::string::String>,
            ) -> crate::runtime::Result<Self> {
                $client::builder().env_with(lookup)
            }

            /// Wraps a runtime builder (the same as `From`).
            pub fn from_runtime(builder: crate::runtime::ClientBuilder) -> Self {
                Self(builder)
            }

            /// The runtime's builder inside.
            pub fn into_runtime(self) -> crate::runtime::ClientBuilder {
                self.0
            }

            /// Reads credentials and the base URL from the process environment; see
            /// [`runtime::ClientBuilder::env_with`](crate::runtime::ClientBuilder::env_with).
            pub fn env(self) -> crate::runtime::Result<Self> {
                self.0.env().map(Self)
            }

            /// Like `env`, reading variables through `lookup`; see
            /// [`runtime::ClientBuilder::env_with`](crate::runtime::ClientBuilder::env_with).
            pub fn env_with(
                self,
                lookup: impl Fn(&str) -> ::core::option::Option<::std::string::String>,
            ) -> crate::runtime::Result<Self> {
                self.0.env_with(lookup).map(Self)
            }

            /// Sets the credentials, replacing any set before.
            pub fn credentials(self, credentials: crate::runtime::Credentials) -> Self {
                Self(self.0.credentials(credentials))
            }

            /// Builds without credentials even when every operation needs them (for a proxy or
            /// test server that adds or ignores them).
            pub fn without_credentials(self) -> Self {
                Self(self.0.without_credentials())
            }

            /// Adds credentials to those set before (a value for the same scheme replaces the
            /// earlier one).
            pub fn add_credentials(self, credentials: crate::runtime::Credentials) -> Self {
                Self(self.0.add_credentials(credentials))
            }

            /// Sets the base URL; see
            /// [`runtime::ClientBuilder::base_url`](crate::runtime::ClientBuilder::base_url).
            pub fn base_url(
                self,
                base_url: impl ::core::convert::Into<::std::string::String>,
            ) -> Self {
                Self(self.0.base_url(base_url))
            }

            /// Sets the timeout of each attempt, from connecting to reading the last byte
            /// (default 60 s).
            pub fn timeout(self, timeout: ::core::time::Duration) -> Self {
                Self(self.0.timeout(timeout))
            }

            /// Sets the connect timeout (default 10 s; not applied to an injected HTTP client).
            pub fn connect_timeout(self, timeout: ::core::time::Duration) -> Self {
                Self(self.0.connect_timeout(timeout))
            }

            /// Sets how many times a failed attempt is retried (default 2; 0 disables retries).
            pub fn max_retries(self, max_retries: u32) -> Self {
                Self(self.0.max_retries(max_retries))
            }

            /// Allows retrying POST and PATCH requests (default `false`).
            pub fn retry_non_idempotent(self, allow: bool) -> Self {
                Self(self.0.retry_non_idempotent(allow))
            }

            /// Sets the backoff between retries; see
            /// [`runtime::ClientBuilder::retry_backoff`](crate::runtime::ClientBuilder::retry_backoff).
            pub fn retry_backoff(
                self,
                initial: ::core::time::Duration,
                max: ::core::time::Duration,
            ) -> Self {
                Self(self.0.retry_backoff(initial, max))
            }

            /// Sets the longest wait honoured from a server's `Retry-After` (default 60 s).
            pub fn max_retry_after(self, max: ::core::time::Duration) -> Self {
                Self(self.0.max_retry_after(max))
            }

            /// Sets the `User-Agent` header (default: the crate's name and version).
            pub fn user_agent(
                self,
                user_agent: impl ::core::convert::Into<::std::string::String>,
            ) -> Self {
                Self(self.0.user_agent(user_agent))
            }

            /// Uses this HTTP client instead of building one; see
            /// [`runtime::ClientBuilder::http_client`](crate::runtime::ClientBuilder::http_client).
            pub fn http_client(self, client: crate::runtime::reqwest::Client) -> Self {
                Self(self.0.http_client(client))
            }

            /// Validates the configuration and builds the client.
            pub fn build(self) -> crate::runtime::Result<$client> {
                self.0.build().map($client)
            }
        }

        impl ::core::convert::From<crate::runtime::ClientBuilder> for $builder {
            fn from(builder: crate::runtime::ClientBuilder) -> Self {
                Self(builder)
            }
        }

        impl ::core::convert::From<$builder> for crate::runtime::ClientBuilder {
            fn from(builder: $builder) -> Self {
                builder.0
            }
        }
    };
}
