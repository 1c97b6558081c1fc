//! [`ApiConfig`]: what a generated crate tells the runtime about its API, as data: the default
//! base URL, the environment variables, the security schemes and how credentials combine, the
//! header that identifies a request to the API's operators, the envelope its responses are
//! wrapped in (if any) and where its error bodies hold their message.

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
    /// The envelope the API wraps its responses in; `None` for an API whose responses are the
    /// payload itself. Only with an envelope is a `success: false` body an error.
    pub envelope: Option<EnvelopeFields>,
    /// Where an error body holds its message, as a path of field names (`["error",
    /// "message"]`); empty when unknown. Status errors show it in their `Display`.
    pub error_message: &'static [&'static str],
}

/// The field names of an API's response envelope, such as `{success, errors, messages, result,
/// result_info}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvelopeFields {
    /// The field that holds the payload.
    pub result: &'static str,
    /// The boolean field that says whether the call succeeded; `false` there is
    /// [`Error::Unsuccessful`](super::Error::Unsuccessful).
    pub success: Option<&'static str>,
    /// The list of error messages ([`ApiMessage`](super::ApiMessage)s).
    pub errors: Option<&'static str>,
    /// The list of informational messages.
    pub messages: Option<&'static str>,
    /// The paging metadata ([`ApiResponse::result_info`](super::ApiResponse::result_info)).
    pub result_info: Option<&'static str>,
}

impl EnvelopeFields {
    /// The usual envelope: `{success, errors, messages, result, result_info}`.
    pub const USUAL: Self = Self::new("result")
        .success("success")
        .errors("errors")
        .messages("messages")
        .result_info("result_info");

    /// An envelope whose payload is in the field `result`, and no other field.
    pub const fn new(result: &'static str) -> Self {
        Self {
            result,
            success: None,
            errors: None,
            messages: None,
            result_info: None,
        }
    }

    /// Names the success flag.
    pub const fn success(mut self, name: &'static str) -> Self {
        self.success = Some(name);
        self
    }

    /// Names the list of errors.
    pub const fn errors(mut self, name: &'static str) -> Self {
        self.errors = Some(name);
        self
    }

    /// Names the list of informational messages.
    pub const fn messages(mut self, name: &'static str) -> Self {
        self.messages = Some(name);
        self
    }

    /// Names the paging metadata.
    pub const fn result_info(mut self, name: &'static str) -> Self {
        self.result_info = Some(name);
        self
    }
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
            envelope: None,
            error_message: &[],
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

    /// Says that the API wraps its responses in this envelope.
    pub const fn envelope(mut self, fields: EnvelopeFields) -> Self {
        self.envelope = Some(fields);
        self
    }

    /// Sets where an error body holds its message.
    pub const fn error_message(mut self, path: &'static [&'static str]) -> Self {
        self.error_message = path;
        self
    }

    /// The scheme with this key.
    pub fn scheme(&self, key: &str) -> Option<&'static SecurityScheme> {
        self.schemes.iter().find(|s| s.key == key)
    }
}
