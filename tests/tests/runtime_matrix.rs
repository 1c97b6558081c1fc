//! The client runtime's behaviour matrix, over real HTTP on 127.0.0.1.
//!
//! Each case drives the generated client against wiremock, or against a small raw TCP server
//! (`RawServer`) where wiremock cannot misbehave enough (a lying `Content-Length`, a connection
//! closed mid-response, a server that never answers), and asserts the exact outcome: the `Error`
//! variant and its important fields, and the exact number of requests the server received.
//! Timing is asserted only as lower bounds that a loaded machine cannot break (a honoured
//! `Retry-After`), with generous upper bounds as hang guards.

use std::future::IntoFuture;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cloudflare_client_certificates::types::{
    ClientCertificate, ClientCertificateStatus, ClientCertificateStatusFilter,
    CreateClientCertificateRequest,
};
use cloudflare_client_certificates::{Client, ClientBuilder, Credentials, Error, RequestOptions};
// What the prelude is for: typed `Credentials` constructors and `cf_ray()` on errors.
use cloudflare_client_certificates::prelude::{CredentialsExt as _, RequestIdExt as _};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const CERT: &str = "b2134436255545acfbe526c48136575e";
const TOKEN: &str = "tok-SECRET-abc123";
const GET_OP: &str = "client-certificate-for-a-zone-client-certificate-details";
const LIST_OP: &str = "client-certificate-for-a-zone-list-client-certificates";
/// A hang guard: no case takes anywhere near this long unless the client misbehaves.
const HANG_GUARD: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A client builder for `base` with the test token and millisecond backoff (default retries: 2).
fn builder(base: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base)
        .api_token(TOKEN)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn client(base: &str) -> Client {
    builder(base).build().expect("client")
}

fn certificate(id: &str, status: &str) -> Value {
    json!({
        "id": id,
        "certificate": "-----BEGIN CERTIFICATE-----\nMIIDmDCCAoC\n-----END CERTIFICATE-----",
        "certificate_authority": {"id": "568b6b74-7b0c-4755-8840-4e3b8c24adeb", "name": "Cloudflare Managed CA for account"},
        "common_name": "Cloudflare",
        "expires_on": "2033-02-20T23:18:00Z",
        "issued_on": "2023-02-23T23:18:00Z",
        "status": status,
        "validity_days": 3650
    })
}

fn envelope(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

fn failure(code: i64, message: &str) -> Value {
    json!({"success": false, "errors": [{"code": code, "message": message}], "messages": [], "result": null})
}

fn ok_cert() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(envelope(certificate(CERT, "active")))
}

fn cert_path() -> String {
    format!("/zones/{ZONE}/client_certificates/{CERT}")
}

fn list_path() -> String {
    format!("/zones/{ZONE}/client_certificates")
}

/// How many requests a wiremock server received.
async fn hits(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording on")
        .len()
}

/// Awaits `future`, failing the test instead of hanging if the client never gives up.
async fn guarded<F: IntoFuture>(future: F) -> F::Output {
    tokio::time::timeout(HANG_GUARD, future.into_future())
        .await
        .expect("the client hung")
}

/// The `reqwest::Error` behind a transport error.
fn transport_source(err: &Error) -> &cloudflare_client_certificates::runtime::reqwest::Error {
    std::error::Error::source(err)
        .and_then(|source| source.downcast_ref())
        .unwrap_or_else(|| panic!("expected a reqwest source, got {err:?}"))
}

fn create_body() -> CreateClientCertificateRequest {
    CreateClientCertificateRequest {
        csr: "-----BEGIN CERTIFICATE REQUEST-----\nMIICY\n-----END CERTIFICATE REQUEST-----"
            .to_owned(),
        validity_days: 3650,
    }
}

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 server, for the failures wiremock cannot produce
// ---------------------------------------------------------------------------------------------

/// What the raw server does with the n-th request (counting from 0).
#[derive(Clone)]
enum Reply {
    /// Writes these bytes verbatim, then closes the connection.
    Raw(Vec<u8>),
    /// Waits, then writes these bytes and closes.
    After(Duration, Vec<u8>),
    /// Closes the connection without writing anything.
    Close,
    /// Never answers; holds the connection until the client gives up.
    Hang,
    /// Writes these bytes (a response cut short), then holds the connection like `Hang`.
    Stall(Vec<u8>),
}

/// A complete, well-formed response with a correct `Content-Length`.
fn http_response(status: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn ok_cert_body() -> String {
    envelope(certificate(CERT, "active")).to_string()
}

/// A loopback server that reads each request in full, counts it, records its request line, and
/// answers it as `script(n)` says. One request per connection (`connection: close`).
struct RawServer {
    base: String,
    requests: Arc<AtomicUsize>,
    request_lines: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    async fn start(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(AtomicUsize::new(0));
        let request_lines = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(script);
        let (count, lines) = (Arc::clone(&requests), Arc::clone(&request_lines));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (script, count, lines) =
                    (Arc::clone(&script), Arc::clone(&count), Arc::clone(&lines));
                tokio::spawn(async move {
                    let Some((stream, line)) = read_request(stream).await else {
                        return;
                    };
                    lines.lock().expect("lock").push(line);
                    let n = count.fetch_add(1, Ordering::SeqCst);
                    answer(stream, script(n)).await;
                });
            }
        });
        Self {
            base,
            requests,
            request_lines,
        }
    }

    /// The number of requests received, once it has reached `expected` (the server task may
    /// lag behind the client on a busy machine), or what it is after a few seconds.
    async fn requests_settled(&self, expected: usize) -> usize {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.requests.load(Ordering::SeqCst) < expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads one request (head and `Content-Length` body); returns the stream and request line.
async fn read_request(mut stream: TcpStream) -> Option<(TcpStream, String)> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 || data.len() > 64 * 1024 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    let mut have = data.len() - head_end;
    while have < length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        have += n;
    }
    let line = head.lines().next().unwrap_or_default().to_owned();
    Some((stream, line))
}

/// Holds a connection open, reading until the client closes it.
async fn hold(mut stream: TcpStream) {
    let mut buf = [0u8; 1024];
    while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
}

async fn answer(mut stream: TcpStream, reply: Reply) {
    match reply {
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Reply::After(delay, bytes) => {
            tokio::time::sleep(delay).await;
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Reply::Close => {
            let _ = stream.shutdown().await;
        }
        Reply::Hang => hold(stream).await,
        Reply::Stall(bytes) => {
            let _ = stream.write_all(&bytes).await;
            hold(stream).await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1-3, 5, 6: bodies that are not what they should be
// ---------------------------------------------------------------------------------------------

/// 1. An HTML 502 page: `Error::Server` with status 502, no parsed errors, the raw body kept,
/// retried per policy (1 + 2 retries by default) then exhausted.
#[tokio::test]
async fn html_502_is_a_server_error_with_the_raw_body_after_all_retries() {
    let server = MockServer::start().await;
    let html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>";
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("cf-ray", "8f00000000000001-SJC")
                .set_body_raw(html, "text/html"),
        )
        .mount(&server)
        .await;
    let err = guarded(client(&server.uri()).client_certificates().get(ZONE, CERT))
        .await
        .expect_err("502");
    let Error::Server(api) = &err else {
        panic!("expected Server, got {err:?}")
    };
    assert_eq!(api.status().as_u16(), 502);
    assert!(api.errors().is_empty(), "{:?}", api.errors());
    assert!(api.messages().is_empty());
    assert_eq!(api.body(), html);
    assert_eq!(api.cf_ray(), Some("8f00000000000001-SJC"));
    assert!(err.is_retryable());
    assert_eq!(
        err.to_string(),
        "server error: HTTP 502 Bad Gateway [cf-ray 8f00000000000001-SJC]",
        "an HTML page is not pasted into the message"
    );
    assert_eq!(hits(&server).await, 3, "1 attempt + 2 default retries");
}

/// 2. Truncated JSON in a 200 (with a correct `Content-Length`): `Error::Decode` with status 200
/// and the body as snippet; not retried.
#[tokio::test]
async fn truncated_json_in_a_200_is_a_decode_error_with_a_snippet() {
    let server = MockServer::start().await;
    let truncated =
        r#"{"success":true,"errors":[],"messages":[],"result":{"id":"b2134436","status":"act"#;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(truncated, "application/json"))
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .client_certificates()
        .get(ZONE, CERT)
        .await
        .expect_err("truncated");
    let Error::Decode {
        status,
        message,
        body_snippet,
    } = &err
    else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(body_snippet, truncated);
    assert!(message.contains("EOF"), "{message}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert!(!err.is_retryable());
    assert_eq!(hits(&server).await, 1, "a decode error is not retried");
}

/// 2b. Other undecodable 200s: an HTML page (a captive portal) and a `result` of the wrong
/// shape. The snippet is bounded to 512 bytes.
#[tokio::test]
async fn html_200_and_wrong_shape_are_decode_errors() {
    let server = MockServer::start().await;
    let html = format!("<html>{}</html>", "portal ".repeat(200));
    Mock::given(path(cert_path()))
        .respond_with(ResponseTemplate::new(200).set_body_raw(html.clone(), "text/html"))
        .mount(&server)
        .await;
    Mock::given(path(list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!({"not": "a list"}))))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let err = client
        .client_certificates()
        .get(ZONE, CERT)
        .await
        .expect_err("html");
    let Error::Decode { body_snippet, .. } = &err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(body_snippet.as_str(), &html[..512]);
    let err = client
        .client_certificates()
        .list(ZONE)
        .await
        .expect_err("wrong shape");
    let Error::Decode {
        status, message, ..
    } = &err
    else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(status.as_u16(), 200);
    assert!(message.contains("`result`"), "{message}");
    assert_eq!(hits(&server).await, 2);
}

/// 3. `success: false` in a 200: `Error::Unsuccessful` carrying the envelope's errors and
/// messages; not retried.
#[tokio::test]
async fn success_false_in_a_200_is_unsuccessful() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).insert_header("cf-ray", "ray-3").set_body_json(json!({
            "success": false,
            "errors": [{"code": 1001, "message": "Invalid zone identifier"}, {"code": 7003, "message": "No route"}],
            "messages": [{"code": 1, "message": "see docs"}],
            "result": null
        })))
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .client_certificates()
        .get(ZONE, CERT)
        .await
        .expect_err("success: false");
    let Error::Unsuccessful(api) = &err else {
        panic!("expected Unsuccessful, got {err:?}")
    };
    assert_eq!(api.status().as_u16(), 200);
    let errors: Vec<(i64, &str)> = api
        .errors()
        .iter()
        .map(|e| (e.code, e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [(1001, "Invalid zone identifier"), (7003, "No route")]
    );
    assert_eq!(api.messages()[0].message, "see docs");
    assert_eq!(err.cf_ray(), Some("ray-3"));
    assert_eq!(
        err.to_string(),
        "the API reported failure: HTTP 200 OK: error 1001: Invalid zone identifier (and 1 more) [cf-ray ray-3]"
    );
    assert!(!err.is_retryable());
    assert_eq!(hits(&server).await, 1);
}

/// 4. An unknown status value decodes as `Unknown`, and an unknown filter value goes out on the
/// wire as given and round-trips through serde.
#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(list_path()))
        .and(query_param("status", "expiring_soon"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!([
            certificate("c1", "quarantined"),
            certificate("c2", "revoked")
        ]))))
        .mount(&server)
        .await;
    let filter = ClientCertificateStatusFilter::from("expiring_soon");
    assert_eq!(
        filter,
        ClientCertificateStatusFilter::Unknown("expiring_soon".to_owned())
    );
    let certs = client(&server.uri())
        .client_certificates()
        .list(ZONE)
        .status(filter.clone())
        .await
        .expect("list");
    assert_eq!(
        certs[0].status,
        Some(ClientCertificateStatus::Unknown("quarantined".to_owned()))
    );
    assert_eq!(certs[1].status, Some(ClientCertificateStatus::Revoked));
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.query(), Some("status=expiring_soon"));
    // Both enums round-trip unknown values unchanged.
    assert_eq!(
        serde_json::to_value(&filter).expect("ser"),
        json!("expiring_soon")
    );
    let back: ClientCertificateStatusFilter =
        serde_json::from_value(json!("expiring_soon")).expect("de");
    assert_eq!(back, filter);
    assert_eq!(filter.to_string(), "expiring_soon");
    let reserialised = serde_json::to_value(&certs[0]).expect("ser");
    assert_eq!(reserialised["status"], json!("quarantined"));
}

/// 5. Unknown fields in the result, the envelope, `result_info` and message entries are
/// ignored; the known ones decode.
#[tokio::test]
async fn extra_unknown_fields_are_ignored() {
    let server = MockServer::start().await;
    let mut cert = certificate("c1", "active");
    cert["brand_new_field"] = json!({"nested": [1, 2, {"deep": null}]});
    cert["certificate_authority"]["rotation"] = json!("weekly");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true,
            "errors": [],
            "messages": [{"code": 10000, "message": "deprecated soon", "extra": true}],
            "result": [cert],
            "result_info": {"page": 1, "per_page": 20, "count": 1, "total_count": 1, "total_pages": 1, "cursor": "abc"},
            "api_version": "2025-01-01",
            "timing": {"ms": 3}
        })))
        .mount(&server)
        .await;
    let response = client(&server.uri())
        .client_certificates()
        .list(ZONE)
        .send_with_response()
        .await
        .expect("decodes despite unknown fields");
    let info = response.result_info().expect("result_info kept");
    assert_eq!((info.page, info.total_pages), (Some(1), Some(1)));
    assert_eq!(response.messages()[0].code, 10000);
    let certs = response.into_result();
    assert_eq!(certs.len(), 1);
    assert_eq!(certs[0].id.as_deref(), Some("c1"));
    assert_eq!(certs[0].status, Some(ClientCertificateStatus::Active));
    assert_eq!(
        certs[0]
            .certificate_authority
            .as_ref()
            .and_then(|ca| ca.name.as_deref()),
        Some("Cloudflare Managed CA for account")
    );
}

/// 6. A 200 envelope without `result`, or with `result: null`: `Error::MissingResult` naming the
/// operation; not retried.
#[tokio::test]
async fn missing_or_null_result_is_missing_result_naming_the_operation() {
    let server = MockServer::start().await;
    Mock::given(path(cert_path()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": true, "errors": [], "messages": []})),
        )
        .mount(&server)
        .await;
    Mock::given(path(list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(Value::Null)))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let err = client
        .client_certificates()
        .get(ZONE, CERT)
        .await
        .expect_err("missing");
    assert!(
        matches!(&err, Error::MissingResult { status, operation_id } if status.as_u16() == 200 && *operation_id == GET_OP),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("operation `{GET_OP}` returned HTTP 200 OK without a `result`")
    );
    let err = client
        .client_certificates()
        .list(ZONE)
        .await
        .expect_err("null");
    assert!(
        matches!(&err, Error::MissingResult { status, operation_id } if status.as_u16() == 200 && *operation_id == LIST_OP),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(hits(&server).await, 2, "neither is retried");
}

// ---------------------------------------------------------------------------------------------
// 7-10, 21: retries
// ---------------------------------------------------------------------------------------------

/// 7. A 429 with `Retry-After: 1` (seconds), then a 200: success after exactly 2 requests, and
/// the client waited at least the second the server asked for (its own backoff is 1-5 ms).
#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(failure(10429, "rate limited")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ok_cert())
        .mount(&server)
        .await;
    let started = Instant::now();
    let cert = guarded(client(&server.uri()).client_certificates().get(ZONE, CERT))
        .await
        .expect("retried to success");
    let waited = started.elapsed();
    assert_eq!(cert.id.as_deref(), Some(CERT));
    assert_eq!(hits(&server).await, 2);
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
}

/// 7b. `retry-after-ms` (milliseconds) wins over `Retry-After`; an HTTP date in the past means
/// no wait; a long `Retry-After` is capped by `max_retry_after`.
#[tokio::test]
async fn retry_after_ms_date_and_cap() {
    let server = MockServer::start().await;
    Mock::given(path(cert_path()))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after-ms", "150")
                .insert_header("retry-after", "3600"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(cert_path()))
        .respond_with(ok_cert())
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let started = Instant::now();
    guarded(client.client_certificates().get(ZONE, CERT))
        .await
        .expect("retry-after-ms");
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(hits(&server).await, 2);

    // With no retries left, the error comes back at once, without waiting out the hour.
    server.reset().await;
    Mock::given(path(cert_path()))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let err = guarded(
        client
            .client_certificates()
            .get(ZONE, CERT)
            .options(RequestOptions::new().max_retries(0)),
    )
    .await
    .expect_err("429");
    assert!(matches!(err, Error::RateLimited(_)), "{err:?}");
    assert_eq!(hits(&server).await, 1);

    // A date in the past: retry at once.
    server.reset().await;
    Mock::given(path(cert_path()))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(cert_path()))
        .respond_with(ok_cert())
        .mount(&server)
        .await;
    guarded(client.client_certificates().get(ZONE, CERT))
        .await
        .expect("date");
    assert_eq!(hits(&server).await, 2);

    // An hour is capped to 20 ms by `max_retry_after` (the guard fails the test otherwise).
    server.reset().await;
    Mock::given(path(cert_path()))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(cert_path()))
        .respond_with(ok_cert())
        .mount(&server)
        .await;
    let capped = builder(&server.uri())
        .max_retry_after(Duration::from_millis(20))
        .build()
        .expect("client");
    guarded(capped.client_certificates().get(ZONE, CERT))
        .await
        .expect("capped");
    assert_eq!(hits(&server).await, 2);
}

/// 8. 503 twice, then 200: success after exactly 3 requests.
#[tokio::test]
async fn two_503s_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_raw("busy", "text/plain"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ok_cert())
        .mount(&server)
        .await;
    let cert = guarded(client(&server.uri()).client_certificates().get(ZONE, CERT))
        .await
        .expect("third attempt succeeds");
    assert_eq!(cert.status, Some(ClientCertificateStatus::Active));
    assert_eq!(hits(&server).await, 3);
}

/// 9. 503 forever with `max_retries(2)`: `Error::Server` after exactly 3 requests, and
/// `is_retryable()`. With `RequestOptions::max_retries(0)`, exactly 1.
#[tokio::test]
async fn retries_exhausted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_json(failure(10503, "overloaded")))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .max_retries(2)
        .build()
        .expect("client");
    let err = guarded(client.client_certificates().get(ZONE, CERT))
        .await
        .expect_err("503 forever");
    let Error::Server(api) = &err else {
        panic!("expected Server, got {err:?}")
    };
    assert_eq!(api.status().as_u16(), 503);
    assert_eq!(api.errors()[0].code, 10503);
    assert!(err.is_retryable());
    assert_eq!(hits(&server).await, 3);

    let err = client
        .client_certificates()
        .get(ZONE, CERT)
        .options(RequestOptions::new().max_retries(0))
        .await
        .expect_err("503");
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(
        hits(&server).await,
        4,
        "max_retries(0) per request: one attempt"
    );
}

/// 10. POST (create) and PATCH (reactivate) are not retried on a 503; a per-request or
/// per-client `retry_non_idempotent(true)` allows it, and a per-request `false` overrides the
/// client's `true`.
#[tokio::test]
async fn non_idempotent_requests_are_retried_only_when_allowed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let cautious = client(&server.uri());
    let err = cautious
        .client_certificates()
        .create(ZONE, create_body())
        .await
        .expect_err("503");
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(hits(&server).await, 1, "a create is never sent twice");
    let err = cautious
        .client_certificates()
        .reactivate(ZONE, CERT)
        .await
        .expect_err("503");
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(hits(&server).await, 2, "nor is a PATCH");

    // Opted in for one request: 1 + 2 retries.
    let err = guarded(
        cautious
            .client_certificates()
            .create(ZONE, create_body())
            .options(RequestOptions::new().retry_non_idempotent(true)),
    )
    .await
    .expect_err("503");
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(hits(&server).await, 5);

    // Opted in for the client.
    let bold = builder(&server.uri())
        .retry_non_idempotent(true)
        .build()
        .expect("client");
    let err = guarded(bold.client_certificates().create(ZONE, create_body()))
        .await
        .expect_err("503");
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(hits(&server).await, 8);

    // The request's `false` wins over the client's `true`.
    let err = bold
        .client_certificates()
        .create(ZONE, create_body())
        .options(RequestOptions::new().retry_non_idempotent(false))
        .await
        .expect_err("503");
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(hits(&server).await, 9);

    // Every retried create carried the same body.
    let requests = server.received_requests().await.expect("recording");
    for request in requests.iter().filter(|r| r.method.as_str() == "POST") {
        assert_eq!(
            request.body_json::<Value>().expect("json"),
            serde_json::to_value(create_body()).expect("ser")
        );
    }
}

/// 10b. An opted-in POST that fails once, then succeeds.
#[tokio::test]
async fn opted_in_post_retries_to_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok_cert())
        .mount(&server)
        .await;
    let cert = guarded(
        client(&server.uri())
            .client_certificates()
            .create(ZONE, create_body())
            .options(RequestOptions::new().retry_non_idempotent(true)),
    )
    .await
    .expect("second attempt");
    assert_eq!(cert.id.as_deref(), Some(CERT));
    assert_eq!(hits(&server).await, 2);
    // The retry is built again from the request: same URL, headers and body as the first.
    let requests = server.received_requests().await.expect("recording");
    let (first, retry) = (&requests[0], &requests[1]);
    assert_eq!(first.url, retry.url);
    assert_eq!(first.body, retry.body);
    assert!(!retry.body.is_empty());
    for name in ["content-type", "accept", "user-agent", "authorization"] {
        assert!(first.headers.get(name).is_some(), "first attempt: {name}");
        assert_eq!(first.headers.get(name), retry.headers.get(name), "{name}");
    }
}

/// 21. `x-should-retry: false` on a 503 stops retries; `x-should-retry: true` on a 400 retries a
/// GET (but never a POST).
#[tokio::test]
async fn x_should_retry_overrides_the_status() {
    let server = MockServer::start().await;
    Mock::given(path(cert_path()))
        .respond_with(ResponseTemplate::new(503).insert_header("x-should-retry", "false"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let err = client
        .client_certificates()
        .get(ZONE, CERT)
        .await
        .expect_err("503");
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(hits(&server).await, 1);

    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-should-retry", "true")
                .set_body_json(failure(1400, "try again")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ok_cert())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-should-retry", "true")
                .set_body_json(failure(1400, "try again")),
        )
        .mount(&server)
        .await;
    guarded(client.client_certificates().get(ZONE, CERT))
        .await
        .expect("retried 400");
    assert_eq!(hits(&server).await, 2);
    let err = client
        .client_certificates()
        .create(ZONE, create_body())
        .await
        .expect_err("400");
    assert!(matches!(err, Error::BadRequest(_)), "{err:?}");
    assert!(err.is_retryable(), "the server said so");
    assert_eq!(hits(&server).await, 3, "the method gate comes first");
}

// ---------------------------------------------------------------------------------------------
// 11, 12 and broken connections: transport failures (raw server)
// ---------------------------------------------------------------------------------------------

/// 11. A server that accepts but never answers: `Error::Timeout` per attempt, retried, and the
/// per-request timeout overrides the client's in both directions.
#[tokio::test]
async fn timeouts() {
    let hang = RawServer::start(|_| Reply::Hang).await;
    let err = guarded(
        builder(&hang.base)
            .timeout(Duration::from_millis(200))
            .max_retries(1)
            .build()
            .expect("client")
            .client_certificates()
            .get(ZONE, CERT),
    )
    .await
    .expect_err("timeout");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(transport_source(&err).is_timeout());
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert_eq!(hang.requests_settled(2).await, 2, "1 attempt + 1 retry");

    // The client allows 60 s (the default); the request allows 200 ms.
    let patient = client(&hang.base);
    let err = guarded(
        patient.client_certificates().get(ZONE, CERT).options(
            RequestOptions::new()
                .timeout(Duration::from_millis(200))
                .max_retries(0),
        ),
    )
    .await
    .expect_err("per-request timeout");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(hang.requests_settled(3).await, 3);

    // A POST that times out is not retried: the certificate may have been created.
    let err = guarded(
        builder(&hang.base)
            .timeout(Duration::from_millis(200))
            .build()
            .expect("client")
            .client_certificates()
            .create(ZONE, create_body()),
    )
    .await
    .expect_err("timeout");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(hang.requests_settled(4).await, 4);

    // The other direction: the client allows 200 ms, the server answers after 600 ms, the
    // request allows 20 s.
    let slow = RawServer::start(|_| {
        Reply::After(
            Duration::from_millis(600),
            http_response("200 OK", &ok_cert_body()),
        )
    })
    .await;
    let hasty = builder(&slow.base)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .expect("client");
    let err = guarded(hasty.client_certificates().get(ZONE, CERT))
        .await
        .expect_err("the client's 200 ms");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    let cert = guarded(
        hasty
            .client_certificates()
            .get(ZONE, CERT)
            .options(RequestOptions::new().timeout(Duration::from_secs(20))),
    )
    .await
    .expect("the request's 20 s");
    assert_eq!(cert.id.as_deref(), Some(CERT));
    assert_eq!(slow.requests_settled(2).await, 2);
}

/// 11b. A server that sends the status line, headers and part of the body, then stalls: the
/// attempt's timeout covers the body too, so this is `Error::Timeout`, not a hang.
#[tokio::test]
async fn a_stall_mid_body_is_a_timeout() {
    let partial = r#"{"success":true,"errors":[],"result":{"id":"b21344"#;
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n{partial}"
    );
    let server = RawServer::start(move |_| Reply::Stall(head.clone().into_bytes())).await;
    let err = guarded(
        builder(&server.base)
            .timeout(Duration::from_millis(300))
            .max_retries(1)
            .build()
            .expect("client")
            .client_certificates()
            .get(ZONE, CERT),
    )
    .await
    .expect_err("stalled");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(transport_source(&err).is_timeout());
    assert_eq!(server.requests_settled(2).await, 2, "1 attempt + 1 retry");
}

/// 12. Connection refused (a port whose listener was dropped): `Error::Connection`, retryable.
#[tokio::test]
async fn connection_refused() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        listener.local_addr().expect("address").port()
    };
    let err = guarded(
        client(&format!("http://127.0.0.1:{port}"))
            .client_certificates()
            .get(ZONE, CERT),
    )
    .await
    .expect_err("refused");
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(transport_source(&err).is_connect(), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert!(err.api_errors().is_empty());
}

/// A 200 whose `Content-Length` promises more than is sent before the connection closes:
/// `Error::Connection` (the exchange did not complete), retried for a GET, never for a POST.
#[tokio::test]
async fn truncated_body_with_a_lying_content_length() {
    let partial = r#"{"success":true,"errors":[],"result":{"id":"b21344"#;
    let lying = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\nconnection: close\r\n\r\n{partial}"
    );
    let server = RawServer::start(move |_| Reply::Raw(lying.clone().into_bytes())).await;
    let err = guarded(client(&server.base).client_certificates().get(ZONE, CERT))
        .await
        .expect_err("truncated");
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(
        transport_source(&err).is_body() || transport_source(&err).is_decode(),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(server.requests_settled(3).await, 3, "a GET is retried");

    let err = guarded(
        client(&server.base)
            .client_certificates()
            .create(ZONE, create_body()),
    )
    .await
    .expect_err("truncated");
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_eq!(server.requests_settled(4).await, 4, "a POST is not");
}

/// The connection closes mid-response (inside the headers, or before any byte):
/// `Error::Connection`; a GET recovers on the next attempt.
#[tokio::test]
async fn connection_closed_mid_response() {
    let server = RawServer::start(|n| match n {
        0 => Reply::Raw(b"HTTP/1.1 200 OK\r\ncontent-type: appl".to_vec()),
        1 => Reply::Close,
        _ => Reply::Raw(http_response("200 OK", &ok_cert_body())),
    })
    .await;
    let cert = guarded(client(&server.base).client_certificates().get(ZONE, CERT))
        .await
        .expect("third attempt succeeds");
    assert_eq!(cert.id.as_deref(), Some(CERT));
    assert_eq!(server.requests_settled(3).await, 3);
    assert_eq!(
        server.request_lines.lock().expect("lock")[0],
        format!("GET {} HTTP/1.1", cert_path())
    );

    let always_closes = RawServer::start(|_| Reply::Close).await;
    let err = guarded(
        builder(&always_closes.base)
            .max_retries(1)
            .build()
            .expect("client")
            .client_certificates()
            .get(ZONE, CERT),
    )
    .await
    .expect_err("closed");
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(always_closes.requests_settled(2).await, 2);
}

// ---------------------------------------------------------------------------------------------
// 13-15: pagination
// ---------------------------------------------------------------------------------------------

fn page_of(ids: &[String], info: Value) -> ResponseTemplate {
    let certs: Vec<Value> = ids.iter().map(|id| certificate(id, "active")).collect();
    let mut body = envelope(Value::Array(certs));
    body["result_info"] = info;
    ResponseTemplate::new(200).set_body_json(body)
}

fn ids(range: std::ops::Range<u32>) -> Vec<String> {
    range.map(|i| format!("cert-{i:02}")).collect()
}

fn item_ids(items: &[ClientCertificate]) -> Vec<String> {
    items.iter().filter_map(|c| c.id.clone()).collect()
}

/// 13. Three pages by `total_pages`: every item, exactly 3 requests (no wasted 4th), with
/// `page=1..3` in order.
#[tokio::test]
async fn three_pages_by_total_pages() {
    let server = MockServer::start().await;
    for page in 1..=3u32 {
        Mock::given(path(list_path()))
            .and(query_param("page", page.to_string()))
            .respond_with(page_of(&ids((page - 1) * 5..page * 5),
                json!({"page": page, "per_page": 5, "count": 5, "total_count": 15, "total_pages": 3}),
            ))
            .mount(&server)
            .await;
    }
    let items: Vec<ClientCertificate> = guarded(
        client(&server.uri())
            .client_certificates()
            .list(ZONE)
            .per_page(5)
            .items()
            .try_collect(),
    )
    .await
    .expect("all pages");
    assert_eq!(item_ids(&items), ids(0..15));
    let requests = server.received_requests().await.expect("recording");
    let queries: Vec<_> = requests
        .iter()
        .map(|r| r.url.query().map(str::to_owned))
        .collect();
    assert_eq!(
        queries,
        [
            Some("page=1&per_page=5".to_owned()),
            Some("page=2&per_page=5".to_owned()),
            Some("page=3&per_page=5".to_owned())
        ]
    );
}

/// 14. A server that ignores `page` and always returns the same full page: the stream yields the
/// first page once, then ends with `Error::Pagination` (the list is incomplete, never silently
/// cut short) after 2 requests, with no `result_info` at all (the repeat is spotted) and with a
/// `result_info` that keeps saying page 1.
#[tokio::test]
async fn a_server_ignoring_page_is_reported_not_silently_truncated() {
    for info in [Value::Null, json!({"page": 1, "per_page": 5, "count": 5})] {
        let server = MockServer::start().await;
        let mut body = envelope(Value::Array(
            ids(0..5)
                .iter()
                .map(|id| certificate(id, "active"))
                .collect(),
        ));
        if !info.is_null() {
            body["result_info"] = info.clone();
        }
        Mock::given(path(list_path()))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
        let client = client(&server.uri());
        let mut stream = client.client_certificates().list(ZONE).items();
        let mut items: Vec<ClientCertificate> = Vec::new();
        let error = guarded(async {
            loop {
                match stream.next().await {
                    Some(Ok(item)) => items.push(item),
                    Some(Err(e)) => return Some(e),
                    None => return None,
                }
            }
        })
        .await
        .expect("the list is reported incomplete");
        assert!(
            matches!(error, Error::Pagination(_)),
            "result_info {info}: {error}"
        );
        assert_eq!(item_ids(&items), ids(0..5), "result_info {info}");
        assert_eq!(hits(&server).await, 2, "result_info {info}");
    }
}

/// 13b. A known page count wins over a short page: a server that caps pages at 3 items without
/// reporting `per_page` (asked for 5) but says there are 2 pages gets both pages asked for, and
/// no third.
#[tokio::test]
async fn a_known_page_count_wins_over_a_short_page() {
    let server = MockServer::start().await;
    for page in 1..=2u32 {
        Mock::given(path(list_path()))
            .and(query_param("page", page.to_string()))
            .respond_with(page_of(
                &ids((page - 1) * 3..page * 3),
                json!({"page": page, "count": 3, "total_pages": 2, "total_count": 6}),
            ))
            .mount(&server)
            .await;
    }
    let items: Vec<ClientCertificate> = guarded(
        client(&server.uri())
            .client_certificates()
            .list(ZONE)
            .per_page(5)
            .items()
            .try_collect(),
    )
    .await
    .expect("both pages");
    assert_eq!(item_ids(&items), ids(0..6));
    assert_eq!(hits(&server).await, 2);
}

/// 15. An empty list yields nothing after exactly 1 request; a short page (fewer than
/// `per_page`) is the last; a failing page yields its error once and ends the stream.
#[tokio::test]
async fn empty_short_and_failing_pages() {
    let server = MockServer::start().await;
    Mock::given(path(list_path()))
        .respond_with(page_of(
            &[],
            json!({"page": 1, "per_page": 20, "count": 0, "total_count": 0, "total_pages": 0}),
        ))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let items: Vec<ClientCertificate> = client
        .client_certificates()
        .list(ZONE)
        .items()
        .try_collect()
        .await
        .expect("empty");
    assert!(items.is_empty());
    assert_eq!(hits(&server).await, 1);

    // Page 1 is full (5 of 5), page 2 is short (2 of 5), without total_pages: 2 requests.
    server.reset().await;
    Mock::given(path(list_path()))
        .and(query_param("page", "1"))
        .respond_with(page_of(
            &ids(0..5),
            json!({"page": 1, "per_page": 5, "count": 5}),
        ))
        .mount(&server)
        .await;
    Mock::given(path(list_path()))
        .and(query_param("page", "2"))
        .respond_with(page_of(
            &ids(5..7),
            json!({"page": 2, "per_page": 5, "count": 2}),
        ))
        .mount(&server)
        .await;
    let items: Vec<ClientCertificate> = guarded(
        client
            .client_certificates()
            .list(ZONE)
            .per_page(5)
            .items()
            .try_collect(),
    )
    .await
    .expect("short");
    assert_eq!(item_ids(&items), ids(0..7));
    assert_eq!(hits(&server).await, 2);

    // Page 2 fails with a 404 (not retried): page 1's items, then the error, then the end.
    server.reset().await;
    Mock::given(path(list_path()))
        .and(query_param("page", "1"))
        .respond_with(page_of(&ids(0..5), json!({"page": 1, "per_page": 5})))
        .mount(&server)
        .await;
    Mock::given(path(list_path()))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(404).set_body_json(failure(1404, "gone")))
        .mount(&server)
        .await;
    let mut stream = client.client_certificates().list(ZONE).per_page(5).items();
    let mut seen = Vec::new();
    let mut errors = Vec::new();
    while let Some(item) = guarded(stream.next()).await {
        match item {
            Ok(cert) => seen.push(cert),
            Err(err) => errors.push(err),
        }
    }
    assert_eq!(item_ids(&seen), ids(0..5));
    assert_eq!(errors.len(), 1);
    assert!(matches!(&errors[0], Error::NotFound(_)), "{:?}", errors[0]);
    assert_eq!(errors[0].api_errors()[0].code, 1404);
    assert_eq!(hits(&server).await, 2);
}

// ---------------------------------------------------------------------------------------------
// 16: path values
// ---------------------------------------------------------------------------------------------

/// 16. Traversal in an id: `..`, `.` and empty are refused before any request; other values are
/// percent-encoded into exactly one segment.
#[tokio::test]
async fn path_traversal_is_refused_or_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_cert())
        .mount(&server)
        .await;
    let client = client(&server.uri());
    for bad in ["..", ".", ""] {
        let err = client
            .client_certificates()
            .get(ZONE, bad)
            .await
            .expect_err("refused");
        let Error::InvalidRequest { parameter, reason } = &err else {
            panic!("{bad:?}: expected InvalidRequest, got {err:?}")
        };
        assert_eq!(parameter, "client_certificate_id", "{bad:?}");
        assert!(!reason.is_empty());
        let err = client
            .client_certificates()
            .list(bad)
            .await
            .expect_err("refused");
        assert!(
            matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "zone_id"),
            "{bad:?}: {err:?}"
        );
    }
    assert_eq!(hits(&server).await, 0, "nothing may be sent");

    let cases = [
        ("a/../../b", "a%2F..%2F..%2Fb"),
        ("../zones", "..%2Fzones"),
        ("%2e%2e", "%252e%252e"),
        ("x?page=9#f", "x%3Fpage%3D9%23f"),
        ("...", "..."),
    ];
    for (id, _) in cases {
        client
            .client_certificates()
            .get(ZONE, id)
            .await
            .expect("sent as one segment");
    }
    let requests = server.received_requests().await.expect("recording");
    let seen: Vec<(String, Option<String>)> = requests
        .iter()
        .map(|r| (r.url.path().to_owned(), r.url.query().map(str::to_owned)))
        .collect();
    let expected: Vec<(String, Option<String>)> = cases
        .iter()
        .map(|(_, encoded)| (format!("/zones/{ZONE}/client_certificates/{encoded}"), None))
        .collect();
    assert_eq!(seen, expected);
}

/// A base URL with a path prefix (and a trailing slash) is kept in front of every path.
#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_cert())
        .mount(&server)
        .await;
    client(&format!("{}/client/v4/", server.uri()))
        .client_certificates()
        .get(ZONE, CERT)
        .await
        .expect("get");
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.path(),
        format!("/client/v4/zones/{ZONE}/client_certificates/{CERT}")
    );
}

/// A redirect is not followed (it could carry the `X-Auth-*` headers to another host): the 302
/// is `Error::OtherStatus`, not retried, and the other host sees nothing.
#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_cert())
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/steal", elsewhere.uri())),
        )
        .mount(&server)
        .await;
    let err = builder(&server.uri())
        .api_key("key-SECRET-456", "me@example.com")
        .build()
        .expect("client")
        .client_certificates()
        .get(ZONE, CERT)
        .await
        .expect_err("302");
    let Error::OtherStatus(api) = &err else {
        panic!("expected OtherStatus, got {err:?}")
    };
    assert_eq!(api.status().as_u16(), 302);
    assert!(!err.is_retryable());
    assert_eq!(hits(&server).await, 1);
    assert_eq!(hits(&elsewhere).await, 0);
}

// ---------------------------------------------------------------------------------------------
// 17, 18: auth
// ---------------------------------------------------------------------------------------------

/// The auth-related headers of the one request a server received, as (name, value) pairs.
async fn auth_headers_seen(server: &MockServer) -> Vec<(String, String)> {
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1);
    let mut seen: Vec<(String, String)> = requests[0]
        .headers
        .iter()
        .filter(|(name, _)| {
            let name = name.as_str();
            name == "authorization" || name.starts_with("x-auth-")
        })
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().expect("ascii").to_owned(),
            )
        })
        .collect();
    seen.sort();
    seen
}

/// Fake environment variables, or header (name, value) pairs.
type Pairs = &'static [(&'static str, &'static str)];

fn pairs(list: Pairs) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

/// 17. Each auth mode puts exactly its headers on the wire, set explicitly or picked from a fake
/// environment by `from_env_with` (which also takes the base URL from it).
#[tokio::test]
async fn auth_headers_on_the_wire() {
    // (fake environment, the same credentials set explicitly, the auth headers expected)
    type Mode = (Pairs, Credentials, Vec<(String, String)>);
    let modes: [Mode; 3] = [
        (
            &[("CLOUDFLARE_API_TOKEN", "env-token")],
            Credentials::api_token("env-token"),
            pairs(&[("authorization", "Bearer env-token")]),
        ),
        (
            &[
                ("CLOUDFLARE_API_KEY", "env-key"),
                ("CLOUDFLARE_EMAIL", "me@example.com"),
            ],
            Credentials::api_key("env-key", "me@example.com"),
            pairs(&[
                ("x-auth-email", "me@example.com"),
                ("x-auth-key", "env-key"),
            ]),
        ),
        (
            &[("CLOUDFLARE_API_USER_SERVICE_KEY", "v1.0-env-usk")],
            Credentials::user_service_key("v1.0-env-usk"),
            pairs(&[("x-auth-user-service-key", "v1.0-env-usk")]),
        ),
    ];
    for (env, credentials, expected) in modes {
        // Explicit credentials.
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ok_cert())
            .mount(&server)
            .await;
        Client::builder()
            .base_url(server.uri())
            .credentials(credentials.clone())
            .build()
            .expect("client")
            .client_certificates()
            .get(ZONE, CERT)
            .await
            .expect("get");
        assert_eq!(
            auth_headers_seen(&server).await,
            expected,
            "{credentials:?}"
        );

        // The same from a fake environment, base URL included.
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ok_cert())
            .mount(&server)
            .await;
        let uri = server.uri();
        let lookup = |name: &str| {
            if name == "CLOUDFLARE_BASE_URL" {
                return Some(uri.clone());
            }
            env.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        };
        ClientBuilder::from_env_with(lookup)
            .expect("from env")
            .build()
            .expect("client")
            .client_certificates()
            .get(ZONE, CERT)
            .await
            .expect("get");
        assert_eq!(auth_headers_seen(&server).await, expected, "{env:?}");
    }

    // The token wins when several are set; the key's e-mail without the key is an error.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_cert())
        .mount(&server)
        .await;
    let uri = server.uri();
    ClientBuilder::from_env_with(|name| match name {
        "CLOUDFLARE_API_TOKEN" => Some("winner".to_owned()),
        "CLOUDFLARE_API_KEY" => Some("loser".to_owned()),
        "CLOUDFLARE_EMAIL" => Some("me@example.com".to_owned()),
        "CLOUDFLARE_BASE_URL" => Some(uri.clone()),
        _ => None,
    })
    .expect("from env")
    .build()
    .expect("client")
    .client_certificates()
    .get(ZONE, CERT)
    .await
    .expect("get");
    assert_eq!(
        auth_headers_seen(&server).await,
        pairs(&[("authorization", "Bearer winner")])
    );
    let err = ClientBuilder::from_env_with(|name| {
        (name == "CLOUDFLARE_EMAIL").then(|| "me@example.com".to_owned())
    })
    .expect_err("no key");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

/// 18. No secret in the `Debug` of `Client`, `ClientBuilder`, `Credentials`, `RequestOptions`,
/// nor in the `Display`/`Debug` of the error after a 401 or of a transport error.
#[tokio::test]
async fn secrets_never_show() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(failure(10000, "Authentication error")),
        )
        .mount(&server)
        .await;
    let secrets = ["tok-SECRET-abc123", "key-SECRET-456", "usk-SECRET-789"];
    let check = |text: String| {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} leaked in: {text}");
        }
    };
    let builders = [
        builder(&server.uri()),
        builder(&server.uri()).api_key("key-SECRET-456", "me@example.com"),
        builder(&server.uri()).user_service_key("usk-SECRET-789"),
    ];
    for builder in builders {
        check(format!("{builder:?} {builder:#?}"));
        let client = builder.build().expect("client");
        check(format!("{client:?} {client:#?}"));
        let err = client
            .client_certificates()
            .get(ZONE, CERT)
            .await
            .expect_err("401");
        assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
        assert_eq!(err.api_errors()[0].code, 10000);
        check(format!("{err} {err:?} {err:#?}"));
        // A request carrying an override of the auth header.
        let options = RequestOptions::new().header("authorization", "Bearer tok-SECRET-abc123");
        check(format!("{options:?}"));
        let request = client
            .client_certificates()
            .get(ZONE, CERT)
            .options(options);
        check(format!("{request:?}"));
        let err = request.await.expect_err("401");
        check(format!("{err} {err:?}"));
    }
    for credentials in [
        Credentials::api_token("tok-SECRET-abc123"),
        Credentials::api_key("key-SECRET-456", "me@example.com"),
        Credentials::user_service_key("usk-SECRET-789"),
    ] {
        check(format!("{credentials:?} {credentials:#?}"));
    }
    // A transport error (its source names the URL) shows no secret either.
    let hang = RawServer::start(|_| Reply::Hang).await;
    let err = guarded(
        builder(&hang.base)
            .timeout(Duration::from_millis(100))
            .max_retries(0)
            .build()
            .expect("client")
            .client_certificates()
            .get(ZONE, CERT),
    )
    .await
    .expect_err("timeout");
    check(format!("{err} {err:?} {err:#?}"));
}

// ---------------------------------------------------------------------------------------------
// 19, 20: raw access and status mapping
// ---------------------------------------------------------------------------------------------

/// 19. `send_with_response()` gives the status, headers (a custom one and `cf-ray`),
/// `result_info` and `messages`.
#[tokio::test]
async fn raw_response_access() {
    let server = MockServer::start().await;
    Mock::given(path(list_path()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("cf-ray", "8f1234567890abcd-AMS")
                .insert_header("x-custom", "hello")
                .set_body_json(json!({
                    "success": true,
                    "errors": [],
                    "messages": [{"code": 10001, "message": "this endpoint is deprecated", "documentation_url": "https://developers.cloudflare.com/"}],
                    "result": [certificate("c1", "active")],
                    "result_info": {"page": 1, "per_page": 20, "count": 1, "total_count": 1, "total_pages": 1}
                })),
        )
        .mount(&server)
        .await;
    Mock::given(path(cert_path()))
        .respond_with(ok_cert().insert_header("cf-ray", "ray-get"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let response = client
        .client_certificates()
        .list(ZONE)
        .send_with_response()
        .await
        .expect("list");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.cf_ray(), Some("8f1234567890abcd-AMS"));
    assert_eq!(
        response
            .headers()
            .get("x-custom")
            .and_then(|v| v.to_str().ok()),
        Some("hello")
    );
    let info = response.result_info().expect("result_info");
    assert_eq!(
        (
            info.page,
            info.per_page,
            info.count,
            info.total_count,
            info.total_pages
        ),
        (Some(1), Some(20), Some(1), Some(1), Some(1))
    );
    assert_eq!(response.messages().len(), 1);
    assert_eq!(response.messages()[0].code, 10001);
    assert_eq!(
        response.messages()[0].message,
        "this endpoint is deprecated"
    );
    assert_eq!(
        response.messages()[0].documentation_url.as_deref(),
        Some("https://developers.cloudflare.com/")
    );
    assert_eq!(response.result().len(), 1);

    let response = client
        .client_certificates()
        .get(ZONE, CERT)
        .send_with_response()
        .await
        .expect("get");
    assert_eq!(response.cf_ray(), Some("ray-get"));
    assert!(response.result_info().is_none(), "get has no result_info");
    assert_eq!(response.into_result().id.as_deref(), Some(CERT));
}

/// 20. What `wire.rs` does not cover: each failure status's variant together with how many
/// requests the default policy makes (2 retries for 408/409/429/5xx, none for the rest), with the
/// envelope's errors parsed.
#[tokio::test]
async fn each_status_variant_and_its_retry_count() {
    type Check = fn(&Error) -> bool;
    let cases: [(u16, Check, usize); 12] = [
        (400, |e| matches!(e, Error::BadRequest(_)), 1),
        (401, |e| matches!(e, Error::Unauthorized(_)), 1),
        (403, |e| matches!(e, Error::Forbidden(_)), 1),
        (404, |e| matches!(e, Error::NotFound(_)), 1),
        (408, |e| matches!(e, Error::OtherStatus(_)), 3),
        (409, |e| matches!(e, Error::Conflict(_)), 3),
        (422, |e| matches!(e, Error::UnprocessableEntity(_)), 1),
        (429, |e| matches!(e, Error::RateLimited(_)), 3),
        (500, |e| matches!(e, Error::Server(_)), 3),
        (502, |e| matches!(e, Error::Server(_)), 3),
        (503, |e| matches!(e, Error::Server(_)), 3),
        (504, |e| matches!(e, Error::Server(_)), 3),
    ];
    for (status, check, requests) in cases {
        let server = MockServer::start().await;
        let code = 9000 + i64::from(status);
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("cf-ray", "ray-20")
                    .set_body_json(failure(code, "nope")),
            )
            .mount(&server)
            .await;
        let err = guarded(client(&server.uri()).client_certificates().get(ZONE, CERT))
            .await
            .expect_err("failure");
        assert!(check(&err), "{status}: got {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let errors: Vec<(i64, &str)> = err
            .api_errors()
            .iter()
            .map(|e| (e.code, e.message.as_str()))
            .collect();
        assert_eq!(errors, [(code, "nope")], "{status}");
        assert_eq!(err.cf_ray(), Some("ray-20"));
        assert_eq!(err.is_retryable(), requests > 1, "{status}");
        assert_eq!(hits(&server).await, requests, "{status}");
    }
}

// ---------------------------------------------------------------------------------------------
// The `blocking` feature
// ---------------------------------------------------------------------------------------------

/// Outside any async runtime, `BlockingRuntime` drives a get and a paginated list against
/// wiremock (which runs on a runtime of its own).
#[test]
fn blocking_runtime_drives_the_client() {
    use cloudflare_client_certificates::runtime::blocking::BlockingRuntime;

    let server_runtime = tokio::runtime::Runtime::new().expect("server runtime");
    let server = server_runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(path(cert_path()))
            .respond_with(ok_cert())
            .mount(&server)
            .await;
        for page in 1..=2u32 {
            Mock::given(path(list_path()))
                .and(query_param("page", page.to_string()))
                .respond_with(page_of(
                    &ids((page - 1) * 5..page * 5),
                    json!({"page": page, "per_page": 5, "total_pages": 2}),
                ))
                .mount(&server)
                .await;
        }
        server
    });
    let client = client(&server.uri());
    let runtime = BlockingRuntime::new().expect("blocking runtime");
    let cert = runtime
        .block_on(client.client_certificates().get(ZONE, CERT))
        .expect("get");
    assert_eq!(cert.id.as_deref(), Some(CERT));
    let items: Result<Vec<ClientCertificate>, Error> = runtime
        .iter(client.client_certificates().list(ZONE).per_page(5).items())
        .collect();
    assert_eq!(item_ids(&items.expect("list")), ids(0..10));
    let err = runtime
        .block_on(client.client_certificates().get(ZONE, ".."))
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    let requests = server_runtime
        .block_on(server.received_requests())
        .expect("recording");
    assert_eq!(requests.len(), 3);
    server_runtime.block_on(async move { drop(server) });
}
