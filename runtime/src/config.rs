//! [`ApiConfig`]: what a generated crate tells the runtime about its API, as data: the default
//! base URL, the environment variables, the security schemes and how credentials combine, and
//! the header that identifies a request to the API's operators.

/// The API-specific settings of a generated crate, held in a `static` there and handed to
/// [`ClientBuilder::new`](super::ClientBuilder::new).
///
/// Built with `const` methods, so that a generated crate can write
/// `static API: ApiConfig = ApiConfig::new("name/1.0").default_base_url("https://...");`
/// and new settings can be added without breaking older generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiConfig {
    /// The default `User-Agent`, usually the generated crate's name and version.
    pub user_agent: &'static str,
    /// The base URL used unless the builder sets another one. Without one, building a client
    /// without [`ClientBuilder::base_url`](super::ClientBuilder::base_url) is an error.
    pub default_base_url: Option<&'static str>,
    /// The environment variable that overrides the base URL in `from_env`.
    pub base_url_env: Option<&'static str>,
    /// The security schemes of the spec (`components/securitySchemes`).
    pub schemes: &'static [SecurityScheme],
    /// The ways to authenticate, in order of preference: each names the schemes that go
    /// together (one alternative of the spec's `security`). `from_env` takes the first whose
    /// variables are all set.
    pub credential_sets: &'static [CredentialSet],
    /// Whether every operation can be called without credentials (`from_env` then does not
    /// insist on any).
    pub anonymous_allowed: bool,
    /// Whether every operation needs credentials, so that a client without any is refused
    /// when it is built.
    pub credentials_required: bool,
    /// The response header that identifies a request to the API's operators (such as
    /// `x-request-id`), kept on errors and responses.
    pub request_id_header: Option<&'static str>,
}

/// One security scheme: how a credential is sent, and which environment variables hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the spec; operations name it in their security requirements.
    pub key: &'static str,
    /// How the credential goes on the wire.
    pub kind: SchemeKind,
    /// The environment variables that hold the credential: one, or two for HTTP basic (user
    /// name, password).
    pub env: &'static [&'static str],
}

/// How a credential goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemeKind {
    /// HTTP bearer: `Authorization: Bearer <token>`.
    Bearer,
    /// HTTP basic: `Authorization: Basic base64(<user>:<password>)`.
    Basic,
    /// An API key in a header, query parameter or cookie of this name.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, parameter or cookie name.
        name: &'static str,
    },
    /// OAuth 2 or OpenID Connect: a bearer token, fixed or supplied per request by a
    /// [`TokenProvider`](super::TokenProvider).
    OAuth2,
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// Schemes whose credentials are sent together (one alternative of a security requirement),
/// under a name (the builder method that sets them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialSet {
    /// The name, as in the builder method and `Credentials::kind`.
    pub name: &'static str,
    /// The scheme keys, in the order their values are given.
    pub schemes: &'static [&'static str],
}

impl ApiConfig {
    /// Settings with this `User-Agent` and nothing else: no default base URL, no credentials.
    pub const fn new(user_agent: &'static str) -> Self {
        Self {
            user_agent,
            default_base_url: None,
            base_url_env: None,
            schemes: &[],
            credential_sets: &[],
            anonymous_allowed: true,
            credentials_required: false,
            request_id_header: None,
        }
    }

    /// Sets the default base URL.
    pub const fn default_base_url(mut self, url: &'static str) -> Self {
        self.default_base_url = Some(url);
        self
    }

    /// Sets the environment variable that overrides the base URL.
    pub const fn base_url_env(mut self, name: &'static str) -> Self {
        self.base_url_env = Some(name);
        self
    }

    /// Sets the security schemes.
    pub const fn schemes(mut self, schemes: &'static [SecurityScheme]) -> Self {
        self.schemes = schemes;
        self
    }

    /// Sets the ways to authenticate, in order of preference, and whether operations may be
    /// called without credentials.
    pub const fn credential_sets(
        mut self,
        sets: &'static [CredentialSet],
        anonymous_allowed: bool,
    ) -> Self {
        self.credential_sets = sets;
        self.anonymous_allowed = anonymous_allowed;
        self
    }

    /// Says that every operation needs credentials: `ClientBuilder::build` then refuses a
    /// client without any (unless `without_credentials` was called).
    pub const fn credentials_required(mut self) -> Self {
        self.credentials_required = true;
        self
    }

    /// Sets the request-id header.
    pub const fn request_id_header(mut self, name: &'static str) -> Self {
        self.request_id_header = Some(name);
        self
    }

    /// The scheme with this key.
    pub fn scheme(&self, key: &str) -> Option<&'static SecurityScheme> {
        self.schemes.iter().find(|s| s.key == key)
    }
}
