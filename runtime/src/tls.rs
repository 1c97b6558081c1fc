//! The TLS set-up of the built-in HTTP client (native targets): rustls with the crypto provider
//! the crate's features pick, and the operating system's root certificates.
//!
//! - `aws-lc-rs` (the default): post-quantum key exchange (X25519MLKEM768) offered first, as
//!   rustls recommends.
//! - `ring`: quicker to build, no post-quantum key exchange. Used only without `aws-lc-rs`.
//! - neither: the process-wide default provider, which the application installs with
//!   `rustls::crypto::CryptoProvider::install_default` (a FIPS build, say); without one,
//!   building the client is an [`Error::Config`] that says what to do.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls::crypto::CryptoProvider;

use super::error::Error;

/// Builds the rustls configuration handed to reqwest.
///
/// The provider is passed explicitly rather than installed as the process-wide default, so the
/// client neither depends on nor changes global state.
///
/// When the system has no usable root certificates, an `https` base URL is an
/// [`Error::Config`] with a remedy; for an `http` base URL (a local test server) the client is
/// still built, with an empty root store that no server certificate can satisfy.
pub(super) fn client_config(needs_roots: bool) -> Result<ClientConfig, Error> {
    let provider = provider()?;
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|error| Error::Config(format!("TLS set-up failed: {error}")))?;
    let mut config = match platform_verifier(provider) {
        Ok(verifier) => builder
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth(),
        Err(error) if needs_roots => {
            return Err(Error::Config(format!(
                "no usable TLS root certificates on this system ({error}); install the \
                 `ca-certificates` package or pass your own client to `ClientBuilder::http_client`"
            )));
        }
        Err(_) => builder
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
    };
    // The built-in client speaks HTTP/1.1 only (reqwest's `http2` feature is off to keep builds
    // small), so that is the only protocol offered.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The crypto provider the crate's features pick (see the module docs).
fn provider() -> Result<Arc<CryptoProvider>, Error> {
    #[cfg(feature = "aws-lc-rs")]
    let provider = Some(Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    // rustls deprecates its ring provider for lacking post-quantum key exchange; the `ring`
    // feature (without `aws-lc-rs`) is the choice of exactly that trade-off.
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    #[allow(deprecated)]
    let provider = Some(Arc::new(rustls::crypto::ring::default_provider()));
    #[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
    let provider = CryptoProvider::get_default().cloned();
    provider.ok_or_else(|| {
        Error::Config(
            "no TLS crypto provider: enable the `aws-lc-rs` (default) or `ring` feature, or \
             install a process-wide one with `rustls::crypto::CryptoProvider::install_default`"
                .to_owned(),
        )
    })
}

/// The operating system's certificate verifier, using `provider` for signatures.
fn platform_verifier(
    provider: Arc<CryptoProvider>,
) -> Result<Arc<rustls_platform_verifier::Verifier>, rustls::Error> {
    rustls_platform_verifier::Verifier::new(provider).map(Arc::new)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_config_for_http_and_https() {
        let config = client_config(false).unwrap();
        assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
        // An https client needs the system's roots: it builds exactly when the platform verifier
        // can be made here, and otherwise fails with a Config error that says what to install.
        let provider = provider().unwrap();
        match (platform_verifier(provider).is_ok(), client_config(true)) {
            (true, Ok(config)) => assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]),
            (false, Err(Error::Config(message))) => {
                assert!(
                    message.starts_with("no usable TLS root certificates"),
                    "{message}"
                )
            }
            (roots, other) => {
                panic!("verifier available: {roots}, but client_config gave {other:?}")
            }
        }
    }

    /// The default provider offers the hybrid post-quantum key exchange first.
    #[cfg(feature = "aws-lc-rs")]
    #[test]
    fn the_default_provider_prefers_post_quantum_key_exchange() {
        let config = client_config(false).unwrap();
        let groups: Vec<_> = config
            .crypto_provider()
            .kx_groups
            .iter()
            .map(|group| group.name())
            .collect();
        assert_eq!(
            groups.first(),
            Some(&rustls::NamedGroup::X25519MLKEM768),
            "{groups:?}"
        );
    }
}
