//! Lists every API Shield client certificate of a zone, following pagination.
//!
//! ```sh
//! export CLOUDFLARE_API_TOKEN=...   # a token with the "SSL and Certificates: Read" permission
//! export CLOUDFLARE_ZONE_ID=023e105f4ecef8ad9ca31a8372d0c353
//! cargo run -p cloudflare-client-certificates --example list_certificates [STATUS]
//! ```
//!
//! `STATUS` filters the list: `all` (the default), `active`, `pending_reactivation`,
//! `pending_revocation` or `revoked`.

use std::process::ExitCode;

use cloudflare_client_certificates::Client;
use cloudflare_client_certificates::types::ClientCertificateStatusFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let Some(zone_id) = zone_id() else {
        return ExitCode::from(2);
    };
    // Reads CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL, or
    // CLOUDFLARE_API_USER_SERVICE_KEY); CLOUDFLARE_BASE_URL overrides the base URL.
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let status = std::env::args()
        .nth(1)
        .map_or(ClientCertificateStatusFilter::All, |s| {
            ClientCertificateStatusFilter::from(s.as_str())
        });
    if let ClientCertificateStatusFilter::Unknown(other) = &status {
        eprintln!(
            "error: unknown status {other:?}; use all, active, pending_reactivation, \
             pending_revocation or revoked"
        );
        return ExitCode::from(2);
    }

    // `items()` fetches page after page (50 certificates each) as the loop consumes them, and
    // stops after the last page without an extra request.
    let mut certificates = client
        .client_certificates()
        .list(&zone_id)
        .status(status)
        .per_page(50)
        .items();
    let mut count = 0_usize;
    while let Some(certificate) = certificates.next().await {
        let certificate = match certificate {
            Ok(certificate) => certificate,
            Err(e) => {
                eprintln!("error: listing the certificates of zone {zone_id} failed: {e}");
                return ExitCode::FAILURE;
            }
        };
        count += 1;
        println!(
            "{:<32}  {:<20}  {:<24}  expires {}",
            certificate.id.as_deref().unwrap_or("-"),
            certificate.status.as_ref().map_or("-", |s| s.as_str()),
            certificate.common_name.as_deref().unwrap_or("-"),
            certificate.expires_on.as_deref().unwrap_or("-"),
        );
    }
    println!("{count} certificate(s)");
    ExitCode::SUCCESS
}

/// `CLOUDFLARE_ZONE_ID`, or `None` after saying how to set it.
fn zone_id() -> Option<String> {
    match std::env::var("CLOUDFLARE_ZONE_ID") {
        Ok(id) if !id.trim().is_empty() => Some(id.trim().to_owned()),
        _ => {
            eprintln!(
                "error: set CLOUDFLARE_ZONE_ID to the zone's id (32 hex digits, shown on the \
                 zone's Overview page in the Cloudflare dashboard)"
            );
            None
        }
    }
}
