//! Revokes a client certificate, then reactivates it while the revocation is still pending.
//!
//! ```sh
//! export CLOUDFLARE_API_TOKEN=...   # a token with the "SSL and Certificates: Edit" permission
//! export CLOUDFLARE_ZONE_ID=023e105f4ecef8ad9ca31a8372d0c353
//! cargo run -p cloudflare-client-certificates --example revoke_and_reactivate -- CERTIFICATE_ID
//! ```
//!
//! Revoking moves a certificate to `pending_revocation`, and Cloudflare later makes it `revoked`.
//! Until then it can be reactivated (`pending_reactivation`, then `active`).

use std::process::ExitCode;

use cloudflare_client_certificates::types::ClientCertificateStatus;
use cloudflare_client_certificates::{Client, Error};

#[tokio::main]
async fn main() -> ExitCode {
    let Some(certificate_id) = std::env::args().nth(1) else {
        eprintln!("usage: revoke_and_reactivate CERTIFICATE_ID");
        return ExitCode::from(2);
    };
    let Ok(zone_id) = std::env::var("CLOUDFLARE_ZONE_ID") else {
        eprintln!("error: set CLOUDFLARE_ZONE_ID to the zone's id");
        return ExitCode::from(2);
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&client, zone_id.trim(), &certificate_id).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::NotFound(_)) => {
            eprintln!("error: zone {zone_id} has no client certificate {certificate_id}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(client: &Client, zone_id: &str, certificate_id: &str) -> Result<(), Error> {
    let certificates = client.client_certificates();

    let before = certificates.get(zone_id, certificate_id).await?;
    println!("status now: {}", status(before.status.as_ref()));

    let revoked = certificates.revoke(zone_id, certificate_id).await?;
    println!("after revoke: {}", status(revoked.status.as_ref()));

    if revoked.status == Some(ClientCertificateStatus::PendingRevocation) {
        // PATCH is not retried by default; `.options(...)` could allow it for this call.
        let reactivated = certificates.reactivate(zone_id, certificate_id).await?;
        println!("after reactivate: {}", status(reactivated.status.as_ref()));
    } else {
        println!("not reactivating: only a pending revocation can be undone");
    }
    Ok(())
}

fn status(status: Option<&ClientCertificateStatus>) -> &str {
    status.map_or("unknown", ClientCertificateStatus::as_str)
}
