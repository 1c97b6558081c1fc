//! Reading a [`ClientBuilder`]'s credentials and base URL from environment variables (for
//! [`ClientBuilder::env_with`]): the first of the API's credential sets whose variables are all
//! set, and the API's base-URL variable.

use super::auth::Credentials;
use super::builder::ClientBuilder;
use super::error::{Error, Result};

/// The body of [`ClientBuilder::env_with`]: `builder` with the credentials and base URL that the
/// variables read through `lookup` give.
pub(super) fn env_with(
    builder: ClientBuilder,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<ClientBuilder> {
    let api = builder.api;
    let var = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
    let vars_of = |set: &super::config::CredentialSet| -> Vec<&'static str> {
        set.schemes
            .iter()
            .filter_map(|key| api.scheme(key))
            .flat_map(|scheme| scheme.env.iter().copied())
            .collect()
    };
    let mut credentials = None;
    for set in api.credential_sets {
        let vars = vars_of(set);
        let (present, missing): (Vec<&str>, Vec<&str>) =
            vars.iter().partition(|name| var(name).is_some());
        if vars.is_empty() || present.is_empty() {
            continue;
        }
        if !missing.is_empty() {
            let first = api
                .credential_sets
                .first()
                .filter(|first| *first != set)
                .map(|first| format!(", or use {} instead", vars_of(first).join(" and ")))
                .unwrap_or_default();
            return Err(Error::Config(format!(
                "{} {} set but {} {} not; set {}{first}",
                present.join(" and "),
                if present.len() == 1 { "is" } else { "are" },
                missing.join(" and "),
                if missing.len() == 1 { "is" } else { "are" },
                if vars.len() == 2 {
                    "both"
                } else {
                    "all of them"
                },
            )));
        }
        let mut found = Credentials::new(set.name);
        for key in set.schemes {
            let Some(scheme) = api.scheme(key) else {
                continue;
            };
            let values: Vec<String> = scheme.env.iter().filter_map(|name| var(name)).collect();
            found = match (scheme.kind, values.as_slice()) {
                (super::config::SchemeKind::Basic, [user, password]) => {
                    found.basic(scheme.key, user.clone(), password.clone())
                }
                (_, [value]) => found.secret(scheme.key, value.clone()),
                _ => found,
            };
        }
        credentials = Some(found);
        break;
    }
    let mut builder = match credentials {
        Some(credentials) => builder.credentials(credentials),
        None if api.anonymous_allowed || api.credential_sets.is_empty() => builder,
        None => {
            let options: Vec<String> = api
                .credential_sets
                .iter()
                .map(|set| vars_of(set).join(" and "))
                .filter(|text| !text.is_empty())
                .collect();
            return Err(Error::Config(format!(
                "no credentials in the environment: set {}",
                options.join(", or ")
            )));
        }
    };
    if let Some(base_url) = api.base_url_env.and_then(var) {
        builder = builder.base_url(base_url);
    }
    Ok(builder)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::config::ApiConfig;

    /// An API without servers or security schemes.
    static BARE: ApiConfig = ApiConfig::new("bare/1.0").base_url_env("BARE_BASE_URL");

    impl Credentials {
        fn user_service_key(key: &str) -> Self {
            Credentials::new("user_service_key").secret("user_service_key", key)
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
    fn from_env_prefers_the_token() {
        let builder = ClientBuilder::from_env_with(env(&[
            ("CLOUDFLARE_API_TOKEN", "tok"),
            ("CLOUDFLARE_API_KEY", "key"),
            ("CLOUDFLARE_EMAIL", "me@example.com"),
        ]))
        .unwrap();
        assert_eq!(builder.credentials, Credentials::api_token("tok"));
        assert_eq!(builder.base_url, None);
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
        let err = ClientBuilder::from_env_with(env(&[])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid client configuration: no credentials in the environment: set CLOUDFLARE_API_TOKEN, \
             or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL, or CLOUDFLARE_API_USER_SERVICE_KEY"
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

    #[test]
    fn without_servers_a_base_url_is_required() {
        let err = ClientBuilder::new(&BARE).build().unwrap_err();
        assert!(err.to_string().contains("no base URL"), "{err}");
        let client = ClientBuilder::new(&BARE)
            .base_url("http://127.0.0.1:9/v1/")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:9/v1");
        // No credentials needed, and the API's own base-URL variable.
        let client = ClientBuilder::new(&BARE)
            .env_with(env(&[("BARE_BASE_URL", "http://127.0.0.1:8")]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:8");
        assert!(
            ClientBuilder::new(&BARE)
                .env_with(env(&[("CLOUDFLARE_BASE_URL", "http://127.0.0.1:8")]))
                .unwrap()
                .build()
                .is_err()
        );
    }
}
