//! A small HTTP/1.1 server on 127.0.0.1 for the wire benchmarks: keep-alive, canned responses
//! rendered before any measurement, no allocation per request. It runs on a thread of its own
//! with a current-thread tokio runtime, so the client under test has the other core.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The zone of the fixed responses.
pub const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// The certificate id of the single-certificate response.
pub const CERT: &str = "b2134436255545acfbe526c48136575e";
/// Items per page everywhere.
pub const PER_PAGE: usize = 50;

/// The zone whose list has `total_pages` pages of [`PER_PAGE`] distinct certificates.
pub fn paged_zone(total_pages: usize) -> String {
    format!("paged-{total_pages}")
}

/// One certificate, as the API sends it, with every field filled in.
pub fn certificate(id: &str) -> Value {
    json!({
        "id": id,
        "certificate": "-----BEGIN CERTIFICATE-----\nMIIDmDCCAoCgAwIBAgIUKTOAZNjcXVZRj4oQt0SHsl1c1vMwDQYJKoZIhvcNAQELBQAwUTELMAkGA1UEBhMCVVMxFjAUBgNVBAgTDVNhbiBGcmFuY2lzY28xEzARBgNVBAcTCkNhbGlmb3JuaWExFTATBgNVBAoTDEV4YW1wbGUgSW5jLjAeFw0yMjExMjIxNjU5MDBaFw0zMjExMTkxNjU5MDBaMFExCzAJBgNVBAYTAlVTMRYwFAYDVQQIEw1TYW4gRnJhbmNpc2NvMRMwEQYDVQQHEwpDYWxpZm9ybmlh\n-----END CERTIFICATE-----",
        "certificate_authority": {"id": "568b6b74-7b0c-4755-8840-4e3b8c24adeb", "name": "Cloudflare Managed CA for account"},
        "common_name": "Cloudflare",
        "country": "US",
        "csr": "-----BEGIN CERTIFICATE REQUEST-----\nMIICY1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\n-----END CERTIFICATE REQUEST-----",
        "expires_on": "2033-02-20T23:18:00Z",
        "fingerprint_sha256": "256c24690243359fb8cf139a125bd05ebf1d968b71e4caf330718e9f5c8a89ea",
        "issued_on": "2023-02-23T23:18:00Z",
        "location": "Somewhere",
        "organization": "Organization",
        "organizational_unit": "Organizational Unit",
        "serial_number": "3bb94ff144ac567b9f75ad664b6c55f8d5e48182",
        "signature": "SHA256WithRSA",
        "ski": "8e375af1389a069a0f921f8cc8e1eb12d784b949",
        "state": "CA",
        "status": "active",
        "validity_days": 3650
    })
}

/// A success envelope around `result`, with `result_info` when given.
fn envelope(result: Value, result_info: Option<Value>) -> Vec<u8> {
    let mut body = json!({"success": true, "errors": [], "messages": [], "result": result});
    if let (Some(info), Some(map)) = (result_info, body.as_object_mut()) {
        map.insert("result_info".to_owned(), info);
    }
    body.to_string().into_bytes()
}

/// Page `page` (1-based) of a list with `total_pages` pages of distinct certificates.
pub fn page_body(page: usize, total_pages: usize) -> Vec<u8> {
    let items: Vec<Value> = (0..PER_PAGE)
        .map(|i| certificate(&format!("{:032x}", page * 1_000_000 + i)))
        .collect();
    envelope(
        Value::Array(items),
        Some(json!({
            "page": page,
            "per_page": PER_PAGE,
            "count": PER_PAGE,
            "total_count": PER_PAGE * total_pages,
            "total_pages": total_pages,
        })),
    )
}

/// A complete HTTP response with a JSON body.
fn response(status: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\ncf-ray: 8c0ffee000000000-BEN\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// Every response the server can give, rendered up front.
struct Routes {
    single: Vec<u8>,
    page: Vec<u8>,
    /// (total pages, the page responses).
    paged: Vec<(usize, Vec<Vec<u8>>)>,
    empty_page: Vec<u8>,
    not_found: Vec<u8>,
}

impl Routes {
    fn new(page_sets: &[usize]) -> Self {
        Self {
            single: response("200 OK", &envelope(certificate(CERT), None)),
            page: response("200 OK", &page_body(1, 1)),
            paged: page_sets
                .iter()
                .map(|&total| {
                    let pages = (1..=total)
                        .map(|p| response("200 OK", &page_body(p, total)))
                        .collect();
                    (total, pages)
                })
                .collect(),
            empty_page: response("200 OK", &envelope(json!([]), None)),
            not_found: response(
                "404 Not Found",
                br#"{"success":false,"errors":[{"code":7003,"message":"No route for the URI"}],"messages":[],"result":null}"#,
            ),
        }
    }

    /// The response for a request target (`/path?query`).
    fn respond(&self, target: &str) -> &[u8] {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut segments = path.trim_start_matches('/').split('/');
        let (Some("zones"), Some(zone), Some("client_certificates"), rest) = (
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
        ) else {
            return &self.not_found;
        };
        match (zone, rest) {
            (ZONE, Some(_)) => &self.single,
            (ZONE, None) => &self.page,
            (zone, None) => {
                let Some(total) = zone
                    .strip_prefix("paged-")
                    .and_then(|n| n.parse::<usize>().ok())
                else {
                    return &self.not_found;
                };
                let page = query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("page="))
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or(1);
                self.paged
                    .iter()
                    .find(|(t, _)| *t == total)
                    .and_then(|(_, pages)| pages.get(page.wrapping_sub(1)))
                    .map_or(&self.empty_page, Vec::as_slice)
            }
            _ => &self.not_found,
        }
    }
}

/// The running server.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// How many requests it has answered.
    pub requests: Arc<AtomicUsize>,
}

impl Server {
    /// Renders the responses (including `page_sets` lists of that many pages each), binds a
    /// port and serves on a background thread until the process ends.
    pub fn start(page_sets: &[usize]) -> Result<Self> {
        let routes = Arc::new(Routes::new(page_sets));
        let requests = Arc::new(AtomicUsize::new(0));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").context("binding 127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .context("building the server's runtime")?;
        let counter = requests.clone();
        std::thread::Builder::new()
            .name("bench-server".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = TcpListener::from_std(listener) else {
                        return;
                    };
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            continue;
                        };
                        let routes = routes.clone();
                        let counter = counter.clone();
                        tokio::spawn(async move {
                            // A client that hangs up mid-request only ends its connection.
                            let _ = connection(stream, &routes, &counter).await;
                        });
                    }
                });
            })
            .context("starting the server thread")?;
        Ok(Self { base_url, requests })
    }

    /// Requests answered so far.
    pub fn served(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }
}

/// Serves one keep-alive connection until the client closes it.
async fn connection(
    mut stream: TcpStream,
    routes: &Routes,
    counter: &AtomicUsize,
) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = vec![0u8; 16 * 1024];
    let mut filled = 0usize;
    loop {
        let head_end = loop {
            if let Some(pos) = buf[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                break pos + 4;
            }
            if filled == buf.len() {
                return Err(std::io::Error::other("request head too large"));
            }
            let n = stream.read(&mut buf[filled..]).await?;
            if n == 0 {
                return Ok(());
            }
            filled += n;
        };
        let head = std::str::from_utf8(&buf[..head_end]).unwrap_or("");
        let target = head.split(' ').nth(1).unwrap_or("/");
        let body_len = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        let reply = routes.respond(target);
        let request_end = head_end + body_len;
        if request_end > buf.len() {
            return Err(std::io::Error::other("request body too large"));
        }
        while filled < request_end {
            let n = stream.read(&mut buf[filled..]).await?;
            if n == 0 {
                return Ok(());
            }
            filled += n;
        }
        // Counted before the reply goes out, so a client that has its answer sees the count.
        counter.fetch_add(1, Ordering::Relaxed);
        stream.write_all(reply).await?;
        buf.copy_within(request_end..filled, 0);
        filled -= request_end;
    }
}
