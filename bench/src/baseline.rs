//! The hand-written baseline: what a person would write with plain reqwest and serde_json for
//! the same two calls, with minimal structs (the same fields, plain `String`s for enums, only
//! `success` checked in the envelope). The generated client is measured against this.
#![allow(
    dead_code,
    reason = "the fields are decoded for what decoding them costs; the benchmark reads few"
)]

use std::time::Duration;

use anyhow::{Context, Result, bail};
use cloudflare_client_certificates::runtime::reqwest;
use serde::Deserialize;

/// A certificate authority, hand-written.
#[derive(Debug, Deserialize)]
pub struct MinimalAuthority {
    /// Identifier.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
}

/// A client certificate, hand-written: every field of the model, no enums.
#[derive(Debug, Deserialize)]
pub struct MinimalCertificate {
    /// Identifier.
    pub id: Option<String>,
    /// PEM.
    pub certificate: Option<String>,
    /// Issuer.
    pub certificate_authority: Option<MinimalAuthority>,
    /// Common name.
    pub common_name: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// CSR.
    pub csr: Option<String>,
    /// Expiry.
    pub expires_on: Option<String>,
    /// Fingerprint.
    pub fingerprint_sha256: Option<String>,
    /// Issue date.
    pub issued_on: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// Organization.
    pub organization: Option<String>,
    /// Organizational unit.
    pub organizational_unit: Option<String>,
    /// Serial number.
    pub serial_number: Option<String>,
    /// Signature algorithm.
    pub signature: Option<String>,
    /// Subject key identifier.
    pub ski: Option<String>,
    /// State.
    pub state: Option<String>,
    /// Status, as a plain string.
    pub status: Option<String>,
    /// Validity.
    pub validity_days: Option<i64>,
}

/// Paging details, hand-written.
#[derive(Debug, Deserialize)]
pub struct MinimalResultInfo {
    /// Page number.
    pub page: Option<i64>,
    /// Items per page.
    pub per_page: Option<i64>,
    /// Items on this page.
    pub count: Option<i64>,
    /// Items on all pages.
    pub total_count: Option<i64>,
    /// Pages.
    pub total_pages: Option<i64>,
}

/// One message of `errors` or `messages`, hand-written.
#[derive(Debug, Deserialize)]
pub struct MinimalMessage {
    /// Code.
    pub code: i64,
    /// Text.
    pub message: String,
}

/// The Cloudflare envelope, hand-written, generic over the result and paging types.
#[derive(Debug, Deserialize)]
pub struct Envelope<T, I> {
    /// Whether the call succeeded.
    pub success: bool,
    /// Errors.
    #[serde(default)]
    pub errors: Vec<MinimalMessage>,
    /// Messages.
    #[serde(default)]
    pub messages: Vec<MinimalMessage>,
    /// The result.
    pub result: Option<T>,
    /// Paging details.
    pub result_info: Option<I>,
}

/// The baseline client: a base URL, a token and a reqwest client.
pub struct Baseline {
    http: reqwest::Client,
    base_url: String,
    authorization: String,
}

impl Baseline {
    /// A client on the same transport settings as the generated one, without a total timeout
    /// (what plain reqwest does by default).
    pub fn new(base_url: &str, token: &str) -> Result<Self> {
        Self::on(
            cloudflare_client_certificates::Client::http_client_builder()?,
            base_url,
            token,
        )
    }

    /// [`Baseline::new`] with a total timeout per request, as the generated client has (a
    /// timer armed per request).
    pub fn with_timeout(base_url: &str, token: &str, timeout: Duration) -> Result<Self> {
        Self::on(
            cloudflare_client_certificates::Client::http_client_builder()?.timeout(timeout),
            base_url,
            token,
        )
    }

    /// A client built from `builder`.
    fn on(builder: reqwest::ClientBuilder, base_url: &str, token: &str) -> Result<Self> {
        let http = builder.build()?;
        Ok(Self {
            http,
            base_url: base_url.to_owned(),
            authorization: format!("Bearer {token}"),
        })
    }

    /// GETs `url` and decodes the envelope.
    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        url: String,
    ) -> Result<Envelope<T, MinimalResultInfo>> {
        let response = self
            .http
            .get(url)
            .header(reqwest::header::AUTHORIZATION, &self.authorization)
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() {
            bail!("HTTP {status}");
        }
        let envelope: Envelope<T, MinimalResultInfo> = serde_json::from_slice(&body)?;
        if !envelope.success {
            bail!("unsuccessful: {:?}", envelope.errors);
        }
        Ok(envelope)
    }

    /// One certificate.
    pub async fn certificate(&self, zone: &str, id: &str) -> Result<MinimalCertificate> {
        let url = format!("{}/zones/{zone}/client_certificates/{id}", self.base_url);
        self.get(url).await?.result.context("no result")
    }

    /// One page of certificates.
    pub async fn certificates(
        &self,
        zone: &str,
        per_page: usize,
    ) -> Result<Vec<MinimalCertificate>> {
        let url = format!(
            "{}/zones/{zone}/client_certificates?per_page={per_page}",
            self.base_url
        );
        self.get(url).await?.result.context("no result")
    }
}
