//! The `client_types!` macro as a generated crate expands it: every public method of the
//! runtime's `ClientBuilder` and `Client` has a forwarder on the crate's own types (read from the
//! runtime's sources, so a new runtime method without one fails here), each forwarder is called,
//! and the conversions share one runtime client.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

// The macro names the runtime `crate::runtime`, as inside a generated crate.
use openapi_client_runtime as runtime;

use runtime::{ApiConfig, Credentials, SchemeKind, SecurityScheme};

static API: ApiConfig = ApiConfig::new("client-types-test/1.0")
    .default_base_url("https://api.example.com/v1")
    .base_url_env("EXAMPLE_BASE_URL")
    .schemes(&[SecurityScheme {
        key: "token",
        kind: SchemeKind::Bearer,
        env: &["EXAMPLE_TOKEN"],
    }])
    .credential_sets(
        &[runtime::CredentialSet {
            name: "token",
            schemes: &["token"],
        }],
        false,
    )
    .credentials_required();

runtime::client_types!(Client, ClientBuilder, API);

/// The public, documented methods of each `impl <Type> {` block at the top level of the
/// runtime's sources, by type.
fn runtime_methods() -> BTreeMap<String, BTreeSet<String>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut current: Option<String> = None;
        let mut hidden = false;
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("impl ") {
                let ty = rest.trim_end_matches('{').trim();
                current = (!ty.contains(' ')).then(|| ty.to_owned());
                continue;
            }
            if line.starts_with('}') {
                current = None;
                continue;
            }
            let Some(ty) = &current else { continue };
            if line == "    #[doc(hidden)]" {
                hidden = true;
            } else if let Some(rest) = line.strip_prefix("    pub fn ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !hidden {
                    out.entry(ty.clone()).or_default().insert(name);
                }
                hidden = false;
            } else if line.starts_with("    fn ") || line.starts_with("    pub(") {
                hidden = false;
            }
        }
    }
    out
}

/// The methods the macro defines in its `impl $<var> {` block.
fn macro_methods(var: &str) -> BTreeSet<String> {
    let text = include_str!("../src/client_types.rs");
    let header = format!("impl ${var} {{");
    let mut out = BTreeSet::new();
    let mut inside = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("impl ") {
            inside = line == header;
        } else if let Some(rest) = line.strip_prefix("pub fn ").filter(|_| inside) {
            out.insert(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    out
}

#[test]
fn every_public_runtime_method_has_a_forwarder() {
    let runtime = runtime_methods();
    for (ty, var, replaced) in [
        // `ClientBuilder::new(&API)` is the crate's `Client::builder()`.
        ("ClientBuilder", "builder", &["new"][..]),
        ("Client", "client", &[][..]),
    ] {
        let theirs = &runtime[ty];
        assert!(theirs.contains("build") || ty == "Client", "{theirs:?}");
        let ours = macro_methods(var);
        let missing: Vec<&String> = theirs
            .iter()
            .filter(|m| !replaced.contains(&m.as_str()) && !ours.contains(*m))
            .collect();
        assert!(
            missing.is_empty(),
            "runtime::{ty} methods without a forwarder in client_types!: {missing:?}"
        );
    }
    assert!(macro_methods("client").contains("builder"));
    assert!(macro_methods("client").contains("from_env"));
}

#[test]
fn every_forwarder_reaches_the_runtime_builder() {
    let lookup = |name: &str| match name {
        "EXAMPLE_TOKEN" => Some("tok".to_owned()),
        "EXAMPLE_BASE_URL" => Some("http://127.0.0.1:7/from-env".to_owned()),
        _ => None,
    };
    let from_env = ClientBuilder::from_env_with(lookup)
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(from_env.base_url(), "http://127.0.0.1:7/from-env");
    let chained = Client::builder().env_with(lookup).unwrap().build().unwrap();
    assert_eq!(chained.base_url(), "http://127.0.0.1:7/from-env");

    let http = Client::http_client_builder().unwrap().build().unwrap();
    let client: Client = Client::builder()
        .credentials(Credentials::new("token").secret("token", "SECRET-1"))
        .add_credentials(Credentials::new("token").secret("token", "SECRET-2"))
        .base_url("http://127.0.0.1:9/v2/")
        .timeout(Duration::from_secs(3))
        .connect_timeout(Duration::from_secs(1))
        .max_retries(5)
        .retry_non_idempotent(true)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .max_retry_after(Duration::from_millis(3))
        .user_agent("mine/1.0")
        .http_client(http)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9/v2");
    let debug = format!("{client:?}");
    assert!(debug.contains("max_retries: 5"), "{debug}");
    assert!(debug.contains("retry_non_idempotent: true"), "{debug}");
    assert!(debug.contains("timeout: 3s"), "{debug}");
    assert!(!debug.contains("SECRET"), "{debug}");
    let _: &runtime::reqwest::Client = client.http_client();

    // Every operation of this API needs credentials: refused without, unless opted out.
    assert!(Client::builder().build().is_err());
    assert!(Client::builder().without_credentials().build().is_ok());
    // The process environment has no EXAMPLE_TOKEN in this test.
    if std::env::var_os("EXAMPLE_TOKEN").is_none() {
        assert!(Client::from_env().is_err());
        assert!(Client::builder().env().is_err());
        assert!(ClientBuilder::from_env().is_err());
    }
}

#[test]
fn conversions_share_one_runtime_client() {
    let client = Client::builder()
        .without_credentials()
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    // Another crate generated from the same API would do the same with its own `Client`.
    let shared: runtime::Client = client.runtime().clone();
    let again = Client::from(shared.clone());
    assert_eq!(again.base_url(), client.base_url());
    let as_ref: &runtime::Client = client.as_ref();
    assert_eq!(as_ref.base_url(), "http://127.0.0.1:9");
    let back: runtime::Client = Client::from_runtime(shared).into();
    assert_eq!(back.base_url(), client.into_runtime().base_url());

    let builder = ClientBuilder::from(runtime::ClientBuilder::new(&API)).without_credentials();
    let runtime_builder: runtime::ClientBuilder = builder.into_runtime();
    let built = ClientBuilder::from_runtime(runtime_builder)
        .build()
        .unwrap();
    assert_eq!(built.base_url(), "https://api.example.com/v1");
    let plain: runtime::ClientBuilder = Client::builder().into();
    assert!(plain.build().is_err());
}
