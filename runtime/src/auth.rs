//! Credentials as data: values for the API's security schemes ([`Credentials`], kept by scheme
//! name and `merge`able), the [`TokenProvider`] that supplies OAuth 2 tokens per attempt, and the
//! [`Secret`] wrapper that keeps them out of logs. How they go on the wire is in
//! `auth_prepare.rs`.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use super::error::Error;
use super::future::BoxFuture;

/// A secret string, such as an API token or key.
///
/// Its `Debug` and `Display` implementations print `<redacted>`, so a secret cannot leak through
/// logging, error messages or `{:?}` of a structure that holds it. Read the value with
/// [`Secret::expose_secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the secret value. Take care not to log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// Supplies a bearer token per request (OAuth 2, OpenID Connect, or any token that expires):
/// called before every attempt, so it can refresh the token when needed.
///
/// Closures `Fn() -> impl Future<Output = Result<Secret>>` implement it.
pub trait TokenProvider: Send + Sync {
    /// The token to send now.
    fn token(&self) -> BoxFuture<'_, Result<Secret, Error>>;
}

impl<F, Fut> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Secret, Error>> + Send + 'static,
{
    fn token(&self) -> BoxFuture<'_, Result<Secret, Error>> {
        Box::pin(self())
    }
}

/// One credential value.
#[derive(Clone)]
pub(super) enum Value {
    /// A token or key.
    Secret(Secret),
    /// A user name and password (HTTP basic).
    Basic { username: Secret, password: Secret },
    /// A token supplied per request.
    Provider(Arc<dyn TokenProvider>),
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Secret(a), Self::Secret(b)) => a == b,
            (
                Self::Basic {
                    username: a,
                    password: p,
                },
                Self::Basic {
                    username: b,
                    password: q,
                },
            ) => a == b && p == q,
            (Self::Provider(a), Self::Provider(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// The credentials a client sends: values for one or more of the API's security schemes, by
/// scheme name, under a kind name (the generated builder method that set them, such as
/// `api_token`).
///
/// Each request sends the values of the first of its operation's security requirements that
/// these credentials satisfy, and nothing to operations that require none. `Debug` never shows a
/// value. Generated crates add typed constructors (`Credentials::api_token(...)`) through their
/// `CredentialsExt` trait (in their prelude), and builder methods of the same names.
#[derive(Clone, PartialEq)]
pub struct Credentials {
    pub(super) kind: Cow<'static, str>,
    pub(super) values: Vec<(&'static str, Value)>,
}

impl Default for Credentials {
    fn default() -> Self {
        Self::none()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Credentials");
        s.field("kind", &self.kind);
        for (scheme, _) in &self.values {
            s.field(scheme, &format_args!("<redacted>"));
        }
        s.finish()
    }
}

impl Credentials {
    /// No credentials.
    pub fn none() -> Self {
        Self::new("none")
    }

    /// Whether no value is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Empty credentials of this kind, to add values to.
    pub fn new(kind: &'static str) -> Self {
        Self {
            kind: Cow::Borrowed(kind),
            values: Vec::new(),
        }
    }

    /// Adds a token or key for the scheme `scheme` (bearer, API key, or a fixed OAuth 2 token).
    pub fn secret(mut self, scheme: &'static str, value: impl Into<String>) -> Self {
        self.values
            .push((scheme, Value::Secret(Secret::new(value))));
        self
    }

    /// Adds a user name and password for the HTTP basic scheme `scheme`.
    pub fn basic(
        mut self,
        scheme: &'static str,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.values.push((
            scheme,
            Value::Basic {
                username: Secret::new(username),
                password: Secret::new(password),
            },
        ));
        self
    }

    /// Adds a token provider, asked before every attempt, for the bearer or OAuth 2 scheme
    /// `scheme`.
    pub fn token_provider(
        mut self,
        scheme: &'static str,
        provider: impl TokenProvider + 'static,
    ) -> Self {
        self.values
            .push((scheme, Value::Provider(Arc::new(provider))));
        self
    }

    /// These credentials with `other`'s added: a value for a scheme both have is `other`'s.
    /// The kind names both (`a+b`) unless one of them is empty.
    pub fn merge(mut self, other: Credentials) -> Self {
        if other.values.is_empty() {
            return self;
        }
        self.kind = if self.values.is_empty() {
            other.kind
        } else {
            Cow::Owned(format!("{}+{}", self.kind, other.kind))
        };
        for (scheme, value) in other.values {
            self.values.retain(|(k, _)| *k != scheme);
            self.values.push((scheme, value));
        }
        self
    }

    /// A short name for the kind of credentials, safe to log, such as `none` or `api_token`.
    pub fn kind(&self) -> &str {
        &self.kind
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_redacted_in_debug_and_display() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret}"), "<redacted>");
        assert_eq!(secret.expose_secret(), "hunter2");
    }

    #[test]
    fn credentials_debug_never_shows_secrets() {
        let all = [
            Credentials::new("token").secret("token", "tok-SECRET-1"),
            Credentials::new("key")
                .secret("key", "key-SECRET-2")
                .secret("email", "me@example.com"),
            Credentials::new("basic").basic("basic", "user", "pw-SECRET-3"),
        ];
        for credentials in &all {
            let debug = format!("{credentials:?}");
            let pretty = format!("{credentials:#?}");
            assert!(!debug.contains("SECRET"), "{debug}");
            assert!(!pretty.contains("SECRET"), "{pretty}");
            assert!(debug.contains("<redacted>"), "{debug}");
            assert!(debug.contains(credentials.kind()), "{debug}");
        }
    }
}
