//! The request path over real HTTP on 127.0.0.1, driven the way generated code drives it
//! (`Client::call` -> setters -> `send_with_response`): the builder's URL and headers, the
//! transport's retries, timeouts and connection errors, and the decode step's envelope and
//! error rules, for an API with an envelope and one without.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use openapi_client_runtime::{
    ApiConfig, ApiResponse, BoxFuture, Call, Client, ClientBuilder, Credentials, Decode, Empty,
    Envelope, EnvelopeFields, EnvelopeOptional, Error, Json, Method, OperationInfo, RequestOptions,
    Result, SchemeKind, Secret, SecurityScheme, StatusCode,
};
use serde::{Deserialize, Serialize};

static GET_CERT: OperationInfo = OperationInfo {
    operation_id: "client-certificate-for-a-zone-client-certificate-details",
    method: Method::Get,
    path_template: "/zones/{zone_id}/client_certificates/{client_certificate_id}",
    security: &[&["api_token"]],
    query: &[],
};

static CREATE_CERT: OperationInfo = OperationInfo {
    operation_id: "client-certificate-for-a-zone-create-client-certificate",
    method: Method::Post,
    path_template: "/zones/{zone_id}/client_certificates",
    security: &[&["api_token"]],
    query: &[],
};

#[derive(Debug, Deserialize, PartialEq)]
struct Cert {
    id: String,
}

static SCHEMES: [SecurityScheme; 1] = [SecurityScheme {
    key: "api_token",
    kind: SchemeKind::Bearer,
    env: &[],
}];

/// An API with the usual envelope.
static API: ApiConfig = ApiConfig::new("test-client/1.0")
    .request_id_header("cf-ray")
    .envelope(EnvelopeFields::USUAL)
    .schemes(&SCHEMES);

/// An API without an envelope, whose error bodies are `{"error": {"message": ...}}`.
static PLAIN: ApiConfig = ApiConfig::new("plain-client/1.0")
    .request_id_header("x-request-id")
    .error_message(&["error", "message"])
    .schemes(&SCHEMES);

fn client_for(api: &'static ApiConfig, base_url: &str) -> Client {
    ClientBuilder::new(api)
        .credentials(Credentials::new("api_token").secret("api_token", "TOKEN-SECRET"))
        .base_url(base_url)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(4))
        .build()
        .unwrap()
}

fn client(base_url: &str) -> Client {
    client_for(&API, base_url)
}

/// The `GET_CERT` call for zone `z` and certificate `c`, decoded as `R`.
fn get_cert<R: Decode>(client: &Client) -> Call<'_, R> {
    client
        .call::<R>(&GET_CERT)
        .path("zone_id", "z")
        .path("client_certificate_id", "c")
}

/// One scripted HTTP exchange seen by the test server.
#[derive(Debug, Clone)]
struct Seen {
    request_line: String,
    headers: Vec<(String, String)>,
    body: String,
}

/// A loopback server that answers each connection with the next scripted response (status
/// line, extra headers, body, delay before answering) and records what it received.
fn serve(
    script: Vec<(&'static str, Vec<&'static str>, &'static str, u64)>,
) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for (status, headers, body, delay_ms) in script {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let record = Arc::clone(&record);
            // Each exchange runs on its own thread so that a slow answer does not hold up
            // the next connection.
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                reader.read_line(&mut request_line).unwrap();
                let mut received = Vec::new();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    let (name, value) = line.split_once(':').unwrap();
                    let (name, value) = (name.to_ascii_lowercase(), value.trim().to_owned());
                    if name == "content-length" {
                        length = value.parse().unwrap();
                    }
                    received.push((name, value));
                }
                let mut request_body = vec![0; length];
                reader.read_exact(&mut request_body).unwrap();
                record.lock().unwrap().push(Seen {
                    request_line: request_line.trim_end().to_owned(),
                    headers: received,
                    body: String::from_utf8(request_body).unwrap(),
                });
                std::thread::sleep(Duration::from_millis(delay_ms));
                let mut response = format!(
                    "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n",
                    body.len()
                );
                for header in headers {
                    response.push_str(header);
                    response.push_str("\r\n");
                }
                response.push_str("\r\n");
                response.push_str(body);
                let mut stream = stream;
                let _ = stream.write_all(response.as_bytes());
            });
        }
    });
    (address, seen)
}

const OK_CERT: &str = r#"{"success":true,"errors":[],"messages":[],"result":{"id":"c1"}}"#;

#[tokio::test]
async fn get_is_retried_then_succeeds() {
    let (base, seen) = serve(vec![
        ("503 Service Unavailable", vec![], "<html>busy</html>", 0),
        ("429 Too Many Requests", vec!["retry-after-ms: 5"], "", 0),
        ("200 OK", vec!["cf-ray: abc-SJC"], OK_CERT, 0),
    ]);
    let client = client(&base);
    let response = client
        .call::<Envelope<Cert>>(&GET_CERT)
        .path("zone_id", "z/1")
        .path("client_certificate_id", "c1")
        .query("page", "1")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.result(), &Cert { id: "c1".into() });
    assert_eq!(response.request_id(), Some("abc-SJC"));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert_eq!(
        seen[0].request_line,
        "GET /zones/z%2F1/client_certificates/c1?page=1 HTTP/1.1"
    );
    let header = |name: &str| {
        seen[0]
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        header("authorization").as_deref(),
        Some("Bearer TOKEN-SECRET")
    );
    assert_eq!(header("accept").as_deref(), Some("application/json"));
    assert!(header("user-agent").is_some());
}

#[tokio::test]
async fn post_is_not_retried_unless_opted_in() {
    let (base, seen) = serve(vec![
        ("503 Service Unavailable", vec![], "", 0),
        ("503 Service Unavailable", vec![], "", 0),
        ("200 OK", vec![], OK_CERT, 0),
    ]);
    let client = client(&base);
    let err = client
        .call::<Envelope<Cert>>(&CREATE_CERT)
        .path("zone_id", "z")
        .json_body(&serde_json::json!({"csr": "x"}))
        .send_with_response()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert_eq!(seen.lock().unwrap()[0].body, r#"{"csr":"x"}"#);

    let response = client
        .call::<Envelope<Cert>>(&CREATE_CERT)
        .path("zone_id", "z")
        .json_body(&serde_json::json!({"csr": "x"}))
        .options(RequestOptions::new().retry_non_idempotent(true))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.result().id, "c1");
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn post_is_retried_after_429_with_retry_after_only() {
    let (base, seen) = serve(vec![
        ("429 Too Many Requests", vec!["retry-after: 0"], "", 0),
        ("200 OK", vec![], OK_CERT, 0),
        ("429 Too Many Requests", vec![], "", 0),
        ("200 OK", vec![], OK_CERT, 0),
    ]);
    let client = client(&base);
    let create = || {
        client
            .call::<Envelope<Cert>>(&CREATE_CERT)
            .path("zone_id", "z")
            .json_body(&serde_json::json!({"csr": "x"}))
            .send_with_response()
    };
    let response = create().await.unwrap();
    assert_eq!(response.result().id, "c1");
    assert_eq!(seen.lock().unwrap().len(), 2, "retried after Retry-After");
    // Without Retry-After the server did not say it dropped the request: no retry.
    let err = create().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited(_)), "{err:?}");
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn post_is_retried_when_the_connection_was_refused() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let attempts = Arc::new(Mutex::new(0u32));
    let counter = Arc::clone(&attempts);
    let client = ClientBuilder::new(&API)
        .credentials(Credentials::new("t").token_provider("api_token", move || {
            *counter.lock().unwrap() += 1;
            async { Ok(Secret::new("t")) }
        }))
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let err = client
        .call::<Envelope<Cert>>(&CREATE_CERT)
        .path("zone_id", "z")
        .json_body(&serde_json::json!({"csr": "x"}))
        .send_with_response()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    // The provider is asked once per attempt: 1 + 2 retries.
    assert_eq!(*attempts.lock().unwrap(), 3);
}

#[tokio::test]
async fn retries_are_bounded_and_x_should_retry_is_obeyed() {
    let (base, seen) = serve(vec![
        ("500 Internal Server Error", vec![], "", 0),
        ("500 Internal Server Error", vec![], "", 0),
        ("500 Internal Server Error", vec![], "", 0),
        (
            "503 Service Unavailable",
            vec!["x-should-retry: false"],
            "",
            0,
        ),
        ("400 Bad Request", vec!["x-should-retry: true"], "", 0),
        ("200 OK", vec![], OK_CERT, 0),
    ]);
    let client = client(&base);
    let get = || get_cert::<Envelope<Cert>>(&client);
    let err = get().send_with_response().await.unwrap_err();
    assert!(matches!(err, Error::Server(_)));
    assert_eq!(seen.lock().unwrap().len(), 3, "1 attempt + 2 retries");
    let err = get().send_with_response().await.unwrap_err();
    assert!(matches!(err, Error::Server(_)));
    assert_eq!(seen.lock().unwrap().len(), 4, "x-should-retry: false stops");
    let response = get().send_with_response().await.unwrap();
    assert_eq!(response.result().id, "c1");
    assert_eq!(
        seen.lock().unwrap().len(),
        6,
        "x-should-retry: true retries a 400"
    );
}

#[tokio::test]
async fn envelope_failures_over_http() {
    let (base, _seen) = serve(vec![
        (
            "200 OK",
            vec![],
            r#"{"success":false,"errors":[{"code":1001,"message":"bad zone"}],"result":null}"#,
            0,
        ),
        (
            "200 OK",
            vec![],
            r#"{"success":true,"errors":[],"result":null}"#,
            0,
        ),
        (
            "404 Not Found",
            vec!["cf-ray: r-404"],
            r#"{"success":false,"errors":[{"code":1404,"message":"nope"}]}"#,
            0,
        ),
        ("200 OK", vec![], "<html>oops</html>", 0),
        ("204 No Content", vec![], "", 0),
    ]);
    let client = client(&base);
    let get = || get_cert::<Envelope<Cert>>(&client);
    let err = get().send_with_response().await.unwrap_err();
    assert!(matches!(&err, Error::Unsuccessful(_)), "{err:?}");
    assert_eq!(err.api_errors()[0].code, 1001);
    let err = get().send_with_response().await.unwrap_err();
    assert!(
        matches!(err, Error::MissingResult { operation_id, .. } if operation_id == GET_CERT.operation_id)
    );
    let err = get().send_with_response().await.unwrap_err();
    assert!(matches!(&err, Error::NotFound(_)), "{err:?}");
    assert_eq!(err.request_id(), Some("r-404"));
    assert_eq!(
        err.to_string(),
        "not found: HTTP 404 Not Found: error 1404: nope [cf-ray r-404]"
    );
    let err = get().send_with_response().await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { body_snippet, .. } if body_snippet == "<html>oops</html>")
    );
    let response = get_cert::<Empty>(&client)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn timeouts_are_retried_then_reported() {
    let (base, seen) = serve(vec![
        ("200 OK", vec![], OK_CERT, 300),
        ("200 OK", vec![], OK_CERT, 300),
    ]);
    let client = client(&base);
    let err = get_cert::<Envelope<Cert>>(&client)
        .options(
            RequestOptions::new()
                .timeout(Duration::from_millis(50))
                .max_retries(1),
        )
        .send_with_response()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    // The message names the operation, method and path template, never a value.
    assert_eq!(
        err.to_string(),
        format!(
            "GET {} (`{}`): the request timed out",
            GET_CERT.path_template, GET_CERT.operation_id
        )
    );
    assert!(err.is_retryable());
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn connection_refused_is_a_connection_error() {
    // Bind and drop a listener to find a port that refuses connections.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client(&format!("http://127.0.0.1:{port}"));
    let err = get_cert::<Envelope<Cert>>(&client)
        .send_with_response()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
}

#[tokio::test]
async fn invalid_values_fail_before_any_io() {
    // Nothing listens on port 9 of this base URL; an attempt would be a Connection error.
    let client = client("http://127.0.0.1:9");
    for bad in ["", ".", ".."] {
        let err = client
            .call::<Envelope<Cert>>(&GET_CERT)
            .path("zone_id", "z")
            .path("client_certificate_id", bad)
            .send_with_response()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "client_certificate_id"),
            "{bad:?}: {err:?}"
        );
    }
    struct Unserialisable;
    impl Serialize for Unserialisable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> std::result::Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("no"))
        }
    }
    let err = client
        .call::<Json<Cert>>(&CREATE_CERT)
        .path("zone_id", "z")
        .json_body(&Unserialisable)
        .send_with_response()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "body"));
}

#[test]
fn send_futures_are_send() {
    fn assert_send<T: Send>(_: T) {}
    let client = client("http://127.0.0.1:9");
    assert_send(
        client
            .call::<Envelope<Cert>>(&GET_CERT)
            .send_with_response(),
    );
    assert_send(
        client
            .call::<EnvelopeOptional<Cert>>(&GET_CERT)
            .send_with_response(),
    );
    assert_send(client.call::<Json<Cert>>(&GET_CERT).send_with_response());
    assert_send(client.call::<Empty>(&GET_CERT).send_with_response());
    let _boxed: BoxFuture<'_, Result<ApiResponse<Cert, ()>>> = Box::pin(
        client
            .call::<Envelope<Cert>>(&GET_CERT)
            .send_with_response(),
    );
}

#[tokio::test]
async fn an_api_without_an_envelope() {
    let long = format!(
        r#"{{"error":{{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key","pad":"{}"}}}}"#,
        "x".repeat(300)
    );
    let long: &'static str = Box::leak(long.into_boxed_str());
    let (base, _seen) = serve(vec![
        (
            "200 OK",
            vec![],
            r#"{"success":false,"errors":[{"code":1,"message":"data"}]}"#,
            0,
        ),
        ("401 Unauthorized", vec!["x-request-id: req-9"], long, 0),
    ]);
    let client = client_for(&PLAIN, &base);
    let get = || get_cert::<Empty>(&client);
    let response = get().send_with_response().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.messages().is_empty());
    let err = get().send_with_response().await.unwrap_err();
    assert!(matches!(&err, Error::Unauthorized(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "unauthorized: HTTP 401 Unauthorized: Incorrect API key provided [x-request-id req-9]"
    );
    assert_eq!(
        err.api_error().unwrap().message(),
        Some("Incorrect API key provided")
    );
    assert!(err.api_errors().is_empty());
}

#[tokio::test]
async fn query_parameters_go_in_the_specs_order_and_accept_follows_the_decode() {
    static LIST: OperationInfo = OperationInfo {
        operation_id: "list",
        method: Method::Get,
        path_template: "/zones/{zone_id}/client_certificates",
        security: &[],
        query: &["status", "page", "per_page"],
    };
    let (base, seen) = serve(vec![
        ("200 OK", vec![], "[]", 0),
        ("200 OK", vec![], "plain text", 0),
    ]);
    let client = client(&base);
    let response = client
        .call::<Json<Vec<Cert>>>(&LIST)
        .path("zone_id", "z")
        .query("per_page", "5")
        .query("page", "1")
        .query("status", "all")
        .query("page", "2")
        .header("x-op", "v")
        .send_with_response()
        .await
        .unwrap();
    assert!(response.result().is_empty());
    let text = client
        .call::<openapi_client_runtime::Text>(&LIST)
        .path("zone_id", "z")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(text.result(), "plain text");
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0].request_line,
        "GET /zones/z/client_certificates?status=all&page=2&per_page=5 HTTP/1.1"
    );
    let header = |i: usize, name: &str| {
        seen[i]
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header(0, "x-op").as_deref(), Some("v"));
    assert_eq!(
        header(0, "authorization"),
        None,
        "the operation needs no credentials"
    );
    assert_eq!(header(1, "accept").as_deref(), Some("text/*, */*;q=0.5"));
}

/// A loopback server for `connections` connections: each reads the request's head, then sends
/// `script`'s pieces in turn, each after its pause (ms), and closes.
fn serve_pieces(connections: usize, script: &'static [(u64, &'static [u8])]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 2 {
                line.clear();
            }
            for (pause, piece) in script {
                std::thread::sleep(Duration::from_millis(*pause));
                let _ = stream.write_all(piece);
                let _ = stream.flush();
            }
        }
    });
    base
}

/// A client of the API without an envelope, with a short attempt timeout and no retries.
fn quick_client(base: &str, http: Option<openapi_client_runtime::reqwest::Client>) -> Client {
    let mut builder = ClientBuilder::new(&PLAIN)
        .credentials(Credentials::new("api_token").secret("api_token", "TOKEN-SECRET"))
        .base_url(base)
        .timeout(Duration::from_millis(150))
        .max_retries(0);
    if let Some(http) = http {
        builder = builder.http_client(http);
    }
    builder.build().unwrap()
}

/// A chunked body whose second half comes 400 ms after the first.
const SLOW_CHUNKS: &[(u64, &[u8])] = &[
    (
        0,
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n6\r\nfirst \r\n",
    ),
    (400, b"6\r\nsecond\r\n0\r\n\r\n"),
];

/// The client's attempt timeout bounds only the wait for a streamed response's headers: a body
/// that keeps coming for longer is read to its end (the HTTP client's own timeout is lifted for
/// streamed requests, whether this crate built that client or the user gave one with a timeout
/// of its own), while a plain call to the same slow body times out.
#[tokio::test]
async fn a_streamed_body_may_outlast_the_attempt_timeout() {
    let user_http = Client::http_client_builder()
        .unwrap()
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    for http in [None, Some(user_http)] {
        let client = quick_client(&serve_pieces(2, SLOW_CHUNKS), http);
        let body = get_cert::<Empty>(&client)
            .byte_stream()
            .collect()
            .await
            .unwrap();
        assert_eq!(body, b"first second");
        let err = get_cert::<Empty>(&client)
            .send_with_response()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    }
}

/// A body read in several chunks is joined whole, with or without a length; a `Content-Length`
/// far beyond what comes is an incomplete body (a connection error), never a buffer of that
/// size.
#[tokio::test]
async fn bodies_in_pieces_are_joined_and_a_false_length_is_an_error() {
    const CHUNKED: &[(u64, &[u8])] = &[
        (
            0,
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        ),
        (0, b"3\r\n{\"a\r\n"),
        (30, b"3\r\n\":1\r\n"),
        (30, b"1\r\n}\r\n0\r\n\r\n"),
    ];
    const SIZED: &[(u64, &[u8])] = &[
        (
            0,
            b"HTTP/1.1 200 OK\r\ncontent-length: 7\r\nconnection: close\r\n\r\n{\"a",
        ),
        (30, b"\":1"),
        (30, b"}"),
    ];
    const FALSE_LENGTH: &[(u64, &[u8])] = &[
        (
            0,
            b"HTTP/1.1 200 OK\r\ncontent-length: 1000000000000000\r\nconnection: close\r\n\r\n{",
        ),
        (30, b"\"a\":"),
        (30, b"1}"),
    ];
    for script in [CHUNKED, SIZED] {
        let client = quick_client(&serve_pieces(1, script), None);
        let response = get_cert::<Json<serde_json::Value>>(&client)
            .send_with_response()
            .await
            .unwrap();
        assert_eq!(response.result(), &serde_json::json!({"a": 1}));
    }
    let client = quick_client(&serve_pieces(1, FALSE_LENGTH), None);
    let err = get_cert::<Json<serde_json::Value>>(&client)
        .send_with_response()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
}

/// Every call boxes its future and copies it whole into the box, so its size is paid on every
/// request (and in cache misses): nothing the attempt loop builds (URL, headers) is kept across
/// a wait, what an attempt gave is judged in a plain function (nothing of it is kept across the
/// retry's wait), and the body is read chunk by chunk rather than through reqwest's collecting
/// future.
/// 1,152 bytes at 2026-12-07 (2,000 before).
#[test]
fn the_call_future_stays_small() {
    let client = client("http://127.0.0.1:1");
    let future = get_cert::<Envelope<Cert>>(&client).send();
    let size = std::mem::size_of_val(&*future);
    assert!(size <= 1280, "the call's future is {size} bytes");
}
