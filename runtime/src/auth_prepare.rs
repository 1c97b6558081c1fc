//! Per-request preparation of credentials: [`Credentials::prepare`] checks each value against its
//! scheme and turns it into what goes on the wire (bearer, basic, API key in a header, query or
//! cookie, or a token provider), and [`PreparedAuth::for_operation`] picks what one request sends
//! for its operation's security requirements.

use std::borrow::Cow;
use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue};

use super::auth::{Credentials, Secret, TokenProvider, Value};
use super::config::{ApiConfig, ApiKeyLocation, SchemeKind};
use super::error::Error;

impl Credentials {
    /// Checks every value against its scheme and prepares what goes on the wire, with every
    /// secret value marked sensitive so that the HTTP stack does not print it either.
    ///
    /// A value that cannot appear in a header (a line break, for example), an empty one, or a
    /// value for a scheme the API does not have, is an [`Error::Config`] whose message names the
    /// scheme but never shows the value.
    pub(super) fn prepare(&self, api: &ApiConfig) -> Result<PreparedAuth, Error> {
        let mut entries = Vec::new();
        for (key, value) in &self.values {
            let scheme = api
                .scheme(key)
                .ok_or_else(|| Error::Config(format!("the API has no security scheme `{key}`")))?;
            let what = format!("the `{key}` credential");
            let wire = match (scheme.kind, value) {
                (SchemeKind::Bearer | SchemeKind::OAuth2, Value::Secret(token)) => Wire::Header(
                    AUTHORIZATION,
                    sensitive_value("Bearer ", token.expose_secret().trim(), &what)?,
                ),
                (SchemeKind::Bearer | SchemeKind::OAuth2, Value::Provider(p)) => {
                    Wire::Provider(Arc::clone(p))
                }
                (SchemeKind::Basic, Value::Basic { username, password }) => {
                    if username.expose_secret().contains(':') {
                        return Err(Error::Config(format!(
                            "the user name of {what} contains `:`"
                        )));
                    }
                    let pair = format!("{}:{}", username.expose_secret(), password.expose_secret());
                    Wire::Header(
                        AUTHORIZATION,
                        sensitive_value("Basic ", &base64(pair.as_bytes()), &what)?,
                    )
                }
                (SchemeKind::ApiKey { location, name }, Value::Secret(key)) => {
                    let value = key.expose_secret().trim();
                    match location {
                        ApiKeyLocation::Header => Wire::Header(
                            HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                                Error::Config(format!("`{name}` is not a valid header name"))
                            })?,
                            sensitive_value("", value, &what)?,
                        ),
                        ApiKeyLocation::Query => {
                            // Checked like a header value: no line breaks or control characters.
                            sensitive_value("", value, &what)?;
                            Wire::Query(name, Secret::new(value))
                        }
                        ApiKeyLocation::Cookie => {
                            if value.contains([';', ',']) {
                                return Err(Error::Config(format!(
                                    "{what} contains characters not allowed in a cookie"
                                )));
                            }
                            sensitive_value("", value, &what)?;
                            Wire::Cookie(format!("{name}={value}"))
                        }
                    }
                }
                _ => {
                    return Err(Error::Config(format!(
                        "{what} is not the kind of value its scheme takes"
                    )));
                }
            };
            entries.push((*key, wire));
        }
        Ok(PreparedAuth {
            kind: self.kind.clone(),
            entries,
        })
    }
}

/// Credentials checked against the API's schemes, ready for the wire.
#[derive(Clone)]
pub(super) struct PreparedAuth {
    /// The kind of credentials, for `Debug`.
    pub(super) kind: Cow<'static, str>,
    entries: Vec<(&'static str, Wire)>,
}

/// One prepared credential.
#[derive(Clone)]
enum Wire {
    Header(HeaderName, HeaderValue),
    Query(&'static str, Secret),
    Cookie(String),
    Provider(Arc<dyn TokenProvider>),
}

/// What one request sends, borrowed from the prepared credentials (nothing is copied for the
/// usual header credential): headers, query parameters, and tokens to fetch per attempt.
pub(super) struct RequestAuth<'a> {
    /// Every prepared credential; those of `schemes` are sent.
    entries: &'a [(&'static str, Wire)],
    /// The schemes of the requirement these credentials satisfy (none when none is).
    schemes: &'a [&'a str],
    /// The `Cookie` header of the API keys sent as cookies, joined.
    cookie: Option<(HeaderName, HeaderValue)>,
    /// Query parameters (their values are secrets).
    pub(super) query: Vec<(String, String)>,
}

impl PreparedAuth {
    /// The credentials for an operation with these security requirements (alternatives, each
    /// naming schemes that go together): those of the first requirement that these credentials
    /// satisfy; nothing when the operation requires none or none is satisfied (the server then
    /// answers, typically 401).
    pub(super) fn for_operation<'a>(&'a self, security: &'a [&'a [&'a str]]) -> RequestAuth<'a> {
        let satisfied = security.iter().find(|alternative| {
            !alternative.is_empty()
                && alternative
                    .iter()
                    .all(|key| self.entries.iter().any(|(k, _)| k == key))
        });
        let mut out = RequestAuth {
            entries: &self.entries,
            schemes: satisfied.copied().unwrap_or(&[]),
            cookie: None,
            query: Vec::new(),
        };
        let mut cookies: Vec<&str> = Vec::new();
        for wire in out.sent() {
            match wire {
                Wire::Query(name, value) => out
                    .query
                    .push(((*name).to_owned(), value.expose_secret().to_owned())),
                Wire::Cookie(pair) => cookies.push(pair),
                Wire::Header(..) | Wire::Provider(_) => {}
            }
        }
        if !cookies.is_empty() {
            if let Ok(mut value) = HeaderValue::from_str(&cookies.join("; ")) {
                value.set_sensitive(true);
                out.cookie = Some((COOKIE, value));
            }
        }
        out
    }
}

impl<'a> RequestAuth<'a> {
    /// The credentials sent, in the order they were given.
    fn sent(&self) -> impl Iterator<Item = &'a Wire> + use<'a> {
        let schemes = self.schemes;
        self.entries
            .iter()
            .filter(move |(key, _)| schemes.contains(key))
            .map(|(_, wire)| wire)
    }

    /// The headers sent, in the order the credentials were given (the cookie last).
    pub(super) fn headers(&self) -> impl Iterator<Item = (&HeaderName, &HeaderValue)> {
        self.sent()
            .filter_map(|wire| match wire {
                Wire::Header(name, value) => Some((name, value)),
                _ => None,
            })
            .chain(self.cookie.iter().map(|(name, value)| (name, value)))
    }

    /// Whether a secret goes in the URL (then transport errors must not print the URL).
    pub(super) fn secret_in_url(&self) -> bool {
        !self.query.is_empty()
    }

    /// Whether a token provider gives the `Authorization` header (asked before each attempt).
    pub(super) fn has_provider(&self) -> bool {
        self.sent().any(|wire| matches!(wire, Wire::Provider(_)))
    }

    /// Asks the token provider for this attempt's `Authorization` header, if there is one.
    pub(super) async fn provided_header(&self) -> Result<Option<HeaderValue>, Error> {
        let provider = self.sent().find_map(|wire| match wire {
            Wire::Provider(provider) => Some(provider),
            _ => None,
        });
        let Some(provider) = provider else {
            return Ok(None);
        };
        let token = provider.token().await?;
        sensitive_value(
            "Bearer ",
            token.expose_secret().trim(),
            "the provided token",
        )
        .map(Some)
    }
}

/// Standard base64 with padding (RFC 4648), for HTTP basic credentials.
fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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
    use crate::config::{CredentialSet, SecurityScheme};

    /// Every scheme kind, and Cloudflare's combination of two API keys.
    pub(crate) static API: ApiConfig = ApiConfig::new("test/1.0")
        .schemes(&[
            SecurityScheme {
                key: "token",
                kind: SchemeKind::Bearer,
                env: &["T_TOKEN"],
            },
            SecurityScheme {
                key: "key",
                kind: SchemeKind::ApiKey {
                    location: ApiKeyLocation::Header,
                    name: "X-Auth-Key",
                },
                env: &["T_KEY"],
            },
            SecurityScheme {
                key: "email",
                kind: SchemeKind::ApiKey {
                    location: ApiKeyLocation::Header,
                    name: "X-Auth-Email",
                },
                env: &["T_EMAIL"],
            },
            SecurityScheme {
                key: "basic",
                kind: SchemeKind::Basic,
                env: &["T_USER", "T_PASSWORD"],
            },
            SecurityScheme {
                key: "query",
                kind: SchemeKind::ApiKey {
                    location: ApiKeyLocation::Query,
                    name: "api_key",
                },
                env: &["T_QUERY"],
            },
            SecurityScheme {
                key: "cookie",
                kind: SchemeKind::ApiKey {
                    location: ApiKeyLocation::Cookie,
                    name: "session",
                },
                env: &["T_COOKIE"],
            },
            SecurityScheme {
                key: "oauth",
                kind: SchemeKind::OAuth2,
                env: &["T_OAUTH"],
            },
        ])
        .credential_sets(
            &[
                CredentialSet {
                    name: "token",
                    schemes: &["token"],
                },
                CredentialSet {
                    name: "key",
                    schemes: &["key", "email"],
                },
            ],
            false,
        );

    fn headers(credentials: &Credentials, security: &[&[&str]]) -> Vec<(String, String)> {
        let prepared = credentials.prepare(&API).unwrap();
        let auth = prepared.for_operation(security);
        assert!(auth.headers().all(|(_, v)| v.is_sensitive()));
        auth.headers()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
            .collect()
    }

    #[test]
    fn each_scheme_kind_on_the_wire() {
        let token = Credentials::new("token").secret("token", " abc ");
        assert_eq!(
            headers(&token, &[&["token"]]),
            [("authorization".to_owned(), "Bearer abc".to_owned())]
        );
        let basic = Credentials::new("basic").basic("basic", "Aladdin", "open sesame");
        assert_eq!(
            headers(&basic, &[&["basic"]]),
            [(
                "authorization".to_owned(),
                "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".to_owned()
            )]
        );
        let cookie = Credentials::new("c").secret("cookie", "s1");
        assert_eq!(
            headers(&cookie, &[&["cookie"]]),
            [("cookie".to_owned(), "session=s1".to_owned())]
        );
        let query = Credentials::new("q").secret("query", "k1");
        let prepared = query.prepare(&API).unwrap();
        let auth = prepared.for_operation(&[&["query"]]);
        assert!(auth.headers().next().is_none() && auth.secret_in_url());
        assert_eq!(auth.query, [("api_key".to_owned(), "k1".to_owned())]);
    }

    #[test]
    fn a_combination_sends_both_in_the_order_given_and_only_where_required() {
        let key = Credentials::new("key")
            .secret("key", "k")
            .secret("email", "me@example.com");
        let expected = [
            ("x-auth-key".to_owned(), "k".to_owned()),
            ("x-auth-email".to_owned(), "me@example.com".to_owned()),
        ];
        // The requirement lists email first; the values go in the order they were given.
        assert_eq!(headers(&key, &[&["token"], &["email", "key"]]), expected);
        // An operation that requires nothing, or only a scheme we lack, gets nothing.
        assert!(headers(&key, &[]).is_empty());
        assert!(headers(&key, &[&["token"]]).is_empty());
        assert!(headers(&key, &[&["key", "basic"]]).is_empty());
        // Half of a combination is not enough.
        let half = Credentials::new("half").secret("key", "k");
        assert!(headers(&half, &[&["email", "key"]]).is_empty());
    }

    #[test]
    fn merged_credentials_serve_each_operation_its_own() {
        let both = Credentials::new("token")
            .secret("token", "old")
            .merge(Credentials::new("basic").basic("basic", "u", "p"))
            .merge(Credentials::new("token").secret("token", "new"));
        assert_eq!(both.kind(), "token+basic+token");
        assert_eq!(
            headers(&both, &[&["token"]]),
            [("authorization".to_owned(), "Bearer new".to_owned())]
        );
        assert_eq!(
            headers(&both, &[&["basic"]]),
            [("authorization".to_owned(), "Basic dTpw".to_owned())]
        );
        assert_eq!(Credentials::none().merge(both.clone()), both);
    }

    #[test]
    fn base64_matches_rfc_4648() {
        for (input, output) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), output);
        }
    }

    #[tokio::test]
    async fn a_token_provider_is_asked_per_request() {
        let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = Arc::clone(&count);
        let credentials = Credentials::new("oauth").token_provider("oauth", move || {
            let n = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move { Ok(Secret::new(format!("t{n}"))) }
        });
        let prepared = credentials.prepare(&API).unwrap();
        let auth = prepared.for_operation(&[&["oauth"]]);
        assert_eq!(auth.provided_header().await.unwrap().unwrap(), "Bearer t0");
        assert_eq!(auth.provided_header().await.unwrap().unwrap(), "Bearer t1");
        // A provider is only for bearer-like schemes.
        let wrong = Credentials::new("x").token_provider("key", || async { Ok(Secret::new("t")) });
        assert!(matches!(wrong.prepare(&API), Err(Error::Config(_))));
    }

    #[test]
    fn invalid_values_are_config_errors_without_the_value() {
        for bad in [
            Credentials::new("token").secret("token", "bad\ntoken-SECRET"),
            Credentials::new("token").secret("token", "  "),
            Credentials::new("c").secret("cookie", "a;b-SECRET"),
            Credentials::new("q").secret("query", "a\nb-SECRET"),
            Credentials::new("b").basic("basic", "us:er", "SECRET"),
            Credentials::new("x").secret("basic", "SECRET"),
            Credentials::new("x").secret("nope", "SECRET"),
        ] {
            let err = bad.prepare(&API).err().expect("refused");
            let text = format!("{err} {err:?}");
            assert!(matches!(err, Error::Config(_)), "{text}");
            assert!(!text.contains("SECRET"), "{text}");
        }
    }
}
