//! Credentials for the Cloudflare API, and the [`Secret`] wrapper that keeps them out of logs.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use super::error::Error;

/// The header that carries a legacy global API key.
const X_AUTH_KEY: HeaderName = HeaderName::from_static("x-auth-key");
/// The header that carries the e-mail address that goes with a legacy global API key.
const X_AUTH_EMAIL: HeaderName = HeaderName::from_static("x-auth-email");
/// The header that carries an Origin CA user service key.
const X_AUTH_USER_SERVICE_KEY: HeaderName = HeaderName::from_static("x-auth-user-service-key");

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

/// How requests authenticate to the Cloudflare API.
///
/// `Debug` never shows a secret: tokens and keys print as `<redacted>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// No authentication headers are sent.
    #[default]
    None,
    /// An API token, sent as `Authorization: Bearer <token>`. This is the recommended scheme.
    ApiToken(Secret),
    /// A legacy global API key with the account's e-mail address, sent as `X-Auth-Key` and
    /// `X-Auth-Email`.
    ApiKey {
        /// The global API key.
        key: Secret,
        /// The e-mail address of the account that owns the key.
        email: String,
    },
    /// An Origin CA user service key, sent as `X-Auth-User-Service-Key`.
    UserServiceKey(Secret),
}

impl Credentials {
    /// Credentials from an API token.
    pub fn api_token(token: impl Into<String>) -> Self {
        Self::ApiToken(Secret::new(token))
    }

    /// Credentials from a legacy global API key and the account's e-mail address.
    pub fn api_key(key: impl Into<String>, email: impl Into<String>) -> Self {
        Self::ApiKey {
            key: Secret::new(key),
            email: email.into(),
        }
    }

    /// Credentials from an Origin CA user service key.
    pub fn user_service_key(key: impl Into<String>) -> Self {
        Self::UserServiceKey(Secret::new(key))
    }

    /// A short name for the kind of credentials, safe to log: `none`, `api_token`, `api_key` or
    /// `user_service_key`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::None => "none",
            Self::ApiToken(_) => "api_token",
            Self::ApiKey { .. } => "api_key",
            Self::UserServiceKey(_) => "user_service_key",
        }
    }

    /// Builds the authentication headers, with every secret value marked sensitive so that the
    /// HTTP stack does not print it either.
    ///
    /// A value that cannot appear in an HTTP header (a line break, for example) is an
    /// [`Error::Config`] whose message names the credential but never shows its value.
    pub(super) fn to_headers(&self) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        match self {
            Self::None => {}
            Self::ApiToken(token) => {
                headers.insert(
                    AUTHORIZATION,
                    sensitive_value("Bearer ", token.expose_secret().trim(), "the API token")?,
                );
            }
            Self::ApiKey { key, email } => {
                headers.insert(
                    X_AUTH_KEY,
                    sensitive_value("", key.expose_secret().trim(), "the API key")?,
                );
                headers.insert(
                    X_AUTH_EMAIL,
                    sensitive_value("", email.trim(), "the API key's e-mail address")?,
                );
            }
            Self::UserServiceKey(key) => {
                headers.insert(
                    X_AUTH_USER_SERVICE_KEY,
                    sensitive_value("", key.expose_secret().trim(), "the user service key")?,
                );
            }
        }
        Ok(headers)
    }
}

/// Makes the header value `prefix` + `value`, marked sensitive, or a configuration error that
/// names `what` (but never shows the value).
fn sensitive_value(prefix: &str, value: &str, what: &str) -> Result<HeaderValue, Error> {
    if value.is_empty() {
        return Err(Error::Config(format!("{what} is empty")));
    }
    let mut header = HeaderValue::from_str(&format!("{prefix}{value}")).map_err(|_| {
        Error::Config(format!(
            "{what} contains characters that are not allowed in an HTTP header"
        ))
    })?;
    header.set_sensitive(true);
    Ok(header)
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
            Credentials::api_token("tok-SECRET-1"),
            Credentials::api_key("key-SECRET-2", "me@example.com"),
            Credentials::user_service_key("v1.0-SECRET-3"),
        ];
        for credentials in &all {
            let debug = format!("{credentials:?}");
            let pretty = format!("{credentials:#?}");
            assert!(!debug.contains("SECRET"), "{debug}");
            assert!(!pretty.contains("SECRET"), "{pretty}");
            assert!(debug.contains("<redacted>"), "{debug}");
        }
    }

    #[test]
    fn token_becomes_a_sensitive_bearer_header() {
        let headers = Credentials::api_token("abc").to_headers().unwrap();
        let value = headers.get(AUTHORIZATION).unwrap();
        assert_eq!(value, "Bearer abc");
        assert!(value.is_sensitive());
        assert_eq!(headers.len(), 1);
        assert!(!format!("{headers:?}").contains("abc"));
    }

    #[test]
    fn api_key_sends_key_and_email() {
        let headers = Credentials::api_key("k", "me@example.com")
            .to_headers()
            .unwrap();
        assert_eq!(headers.get("x-auth-key").unwrap(), "k");
        assert_eq!(headers.get("x-auth-email").unwrap(), "me@example.com");
        assert!(headers.get("x-auth-key").unwrap().is_sensitive());
        assert_eq!(headers.len(), 2);
    }

    #[test]
    fn user_service_key_and_none() {
        let headers = Credentials::user_service_key("v1.0-x")
            .to_headers()
            .unwrap();
        assert_eq!(headers.get("x-auth-user-service-key").unwrap(), "v1.0-x");
        assert!(Credentials::None.to_headers().unwrap().is_empty());
    }

    #[test]
    fn invalid_header_characters_are_a_config_error_without_the_value() {
        let err = Credentials::api_token("bad\ntoken-SECRET")
            .to_headers()
            .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(matches!(err, Error::Config(_)));
        assert!(!text.contains("SECRET"), "{text}");
        assert!(matches!(
            Credentials::api_token("  ").to_headers(),
            Err(Error::Config(_))
        ));
    }
}
