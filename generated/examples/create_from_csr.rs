//! Issues a client certificate from a certificate signing request (CSR) and prints it.
//!
//! ```sh
//! openssl req -new -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=device-1"
//! export CLOUDFLARE_API_TOKEN=...   # a token with the "SSL and Certificates: Edit" permission
//! export CLOUDFLARE_ZONE_ID=023e105f4ecef8ad9ca31a8372d0c353
//! cargo run -p cloudflare-client-certificates --example create_from_csr -- client.csr [DAYS] > client.pem
//! ```
//!
//! `DAYS` is the validity period (default 3650). The certificate's PEM goes to stdout, everything
//! else to stderr.

use std::process::ExitCode;

use cloudflare_client_certificates::Client;
use cloudflare_client_certificates::types::CreateClientCertificateRequest;

const USAGE: &str = "usage: create_from_csr CSR_FILE [VALIDITY_DAYS]";

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(csr_path) = args.next() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let validity_days = match args.next().map(|d| d.parse::<i64>()) {
        None => 3650,
        Some(Ok(days)) if days > 0 => days,
        Some(_) => {
            eprintln!("error: VALIDITY_DAYS must be a positive number of days\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let csr = match std::fs::read_to_string(&csr_path) {
        Ok(csr) if csr.contains("BEGIN CERTIFICATE REQUEST") => csr,
        Ok(_) => {
            eprintln!("error: {csr_path} is not a PEM certificate signing request");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: cannot read {csr_path}: {e}");
            return ExitCode::from(2);
        }
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

    // POST is not retried by default, so a network error cannot issue two certificates.
    let request = CreateClientCertificateRequest { csr, validity_days };
    match client
        .client_certificates()
        .create(zone_id.trim(), request)
        .await
    {
        Ok(certificate) => {
            eprintln!(
                "issued certificate {} ({}), expires {}",
                certificate.id.as_deref().unwrap_or("-"),
                certificate.status.as_ref().map_or("-", |s| s.as_str()),
                certificate.expires_on.as_deref().unwrap_or("-"),
            );
            println!("{}", certificate.certificate.unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: creating the certificate failed: {e}");
            for message in e.api_errors() {
                eprintln!("  {message}");
            }
            ExitCode::FAILURE
        }
    }
}
