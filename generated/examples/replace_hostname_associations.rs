//! Shows which hostnames of a zone require a client certificate, then replaces that set.
//!
//! ```sh
//! export CLOUDFLARE_API_TOKEN=...   # a token with the "SSL and Certificates: Edit" permission
//! export CLOUDFLARE_ZONE_ID=023e105f4ecef8ad9ca31a8372d0c353
//! cargo run -p cloudflare-client-certificates --example replace_hostname_associations -- \
//!     [--mtls-certificate-id UUID] api.example.com www.example.com
//! ```
//!
//! Without `--mtls-certificate-id` the hostnames are associated with the zone's active
//! Cloudflare Managed CA. The request replaces the whole set: hostnames left out are removed, and
//! no hostname at all clears it.

use std::process::ExitCode;

use cloudflare_client_certificates::types::HostnameAssociation;
use cloudflare_client_certificates::{Client, Error};

const USAGE: &str =
    "usage: replace_hostname_associations [--mtls-certificate-id UUID] [HOSTNAME...]";

#[tokio::main]
async fn main() -> ExitCode {
    let mut mtls_certificate_id = None;
    let mut hostnames = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--mtls-certificate-id" => match args.next() {
                Some(id) => mtls_certificate_id = Some(id),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => hostnames.push(arg),
        }
    }
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
    let body = HostnameAssociation {
        hostnames: Some(hostnames),
        mtls_certificate_id,
    };
    match run(&client, zone_id.trim(), body).await {
        Ok(()) => ExitCode::SUCCESS,
        // The client checks values against the spec before sending, such as the length of the
        // certificate id.
        Err(e @ Error::InvalidRequest { .. }) => {
            eprintln!("error: {e}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(client: &Client, zone_id: &str, body: HostnameAssociation) -> Result<(), Error> {
    let associations = client.hostname_associations();

    let mut current = associations.list(zone_id);
    if let Some(id) = &body.mtls_certificate_id {
        current = current.mtls_certificate_id(id);
    }
    print("before", current.await?.hostnames);

    let replaced = associations.replace(zone_id, body).await?;
    print("after", replaced.hostnames);
    Ok(())
}

fn print(label: &str, hostnames: Option<Vec<String>>) {
    let hostnames = hostnames.unwrap_or_default();
    if hostnames.is_empty() {
        println!("{label}: no hostnames");
    } else {
        println!("{label}: {}", hostnames.join(", "));
    }
}
