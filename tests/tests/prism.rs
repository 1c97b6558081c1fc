//! Contract tests against Prism (Stoplight's OpenAPI mock server and validating proxy), a tool we
//! did not write, so that these tests check the client against the spec rather than against
//! ourselves.
//!
//! - `prism mock spec/openapi.yaml --errors`: every generated operation goes through the
//!   generated client, Prism checks each request against the spec (a mismatch is a 422, 401 or
//!   415), answers with the spec's examples or with data generated from the schemas, and the
//!   client decodes them. Prism's refusals come out as typed [`Error`] variants.
//! - `prism proxy spec/openapi.yaml <wiremock> --errors` in front of our own test server: the
//!   responses we serve are checked against the spec too, and deliberately invalid ones are
//!   flagged (Prism answers 500 with its list of violations).
//!
//! Prism itself (finding, starting, skipping without it) is in `tests::prism`. Each test starts
//! its own Prism on a free port of 127.0.0.1 and kills it when the test ends, pass or fail.

use std::path::Path;

use tests::prism::{Prism, prism_bin};

use cloudflare_client_certificates::runtime::{Envelope, HeaderMap, Method, OperationInfo};
use cloudflare_client_certificates::types::{
    ClientCertificate, ClientCertificateStatus, ClientCertificateStatusFilter,
    CreateClientCertificateRequest, HostnameAssociation,
};
use cloudflare_client_certificates::{ApiError, ApiResponse, Client, Error, RequestOptions};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const CERT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const MTLS_ID: &str = "b2134436-2555-4acf-be5b-26c48136575e";
const CSR: &str =
    "-----BEGIN CERTIFICATE REQUEST-----\nMIICY....\n-----END CERTIFICATE REQUEST-----";

const HOSTNAMES_PATH: &str = "/zones/{zone_id}/certificate_authorities/hostname_associations";
const CERTS_PATH: &str = "/zones/{zone_id}/client_certificates";
const CERT_PATH: &str = "/zones/{zone_id}/client_certificates/{client_certificate_id}";

/// Starts `prism mock spec/openapi.yaml --errors` (seeded, so generated data is repeatable).
async fn mock(bin: &Path, test: &str) -> Prism {
    Prism::start(
        bin,
        test,
        &[
            "mock",
            "spec/openapi.yaml",
            "--errors",
            "--seed",
            "20240806",
        ],
    )
    .await
}

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------

/// A decoded value serialised to JSON again (a macro, to need no `serde` dependency here).
macro_rules! as_json {
    ($value:expr) => {
        serde_json::to_value($value).expect("serialise a decoded value")
    };
}

/// A client for `base_url` with an API token and no retries, so each call is one request.
fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_token("prism-test-token")
        .max_retries(0)
        .build()
        .expect("client")
}

/// The `result` (or `result_info`) of the spec's 200 example for `method` on `path_template`.
fn spec_example(path_template: &str, method: &str, field: &str) -> Value {
    let doc = codegen::load::load_file(&tests::spec_path()).expect("load spec/openapi.yaml");
    let pointer = format!(
        "/paths/{}/{method}/responses/200/content/application~1json/example/{field}",
        path_template.replace('~', "~0").replace('/', "~1")
    );
    doc.get(&pointer)
        .cloned()
        .unwrap_or_else(|| panic!("the spec has no example at {pointer}"))
}

/// Checks a successful call: 200, no `sl-violations` header from Prism, and the decoded result,
/// serialised again, equal to the spec's example.
fn assert_matches_example<T, I>(
    op: &str,
    response: &ApiResponse<T, I>,
    decoded: Value,
    path_template: &str,
    method: &str,
) {
    assert_eq!(response.status().as_u16(), 200, "{op}");
    assert_no_violations(op, response.headers());
    assert_eq!(
        decoded,
        spec_example(path_template, method, "result"),
        "{op}: the decoded result differs from the spec's example"
    );
}

fn assert_no_violations(op: &str, headers: &HeaderMap) {
    assert!(
        headers.get("sl-violations").is_none(),
        "{op}: Prism reported violations: {:?}",
        headers.get("sl-violations")
    );
}

/// Prism's `sl-violations` header of an error response, or "".
fn violations(api: &ApiError) -> String {
    api.headers()
        .get("sl-violations")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The [`ApiError`] of an `Error::UnprocessableEntity`, failing the test for any other result.
fn unprocessable<T: std::fmt::Debug>(case: &str, result: Result<T, Error>) -> Box<ApiError> {
    match result {
        Err(Error::UnprocessableEntity(api)) => api,
        other => panic!("{case}: expected Error::UnprocessableEntity, got {other:?}"),
    }
}

/// Asserts the client refused a value itself, before sending, naming `parameter`.
fn assert_refused_locally<T: std::fmt::Debug>(
    case: &str,
    parameter: &str,
    result: Result<T, Error>,
) {
    match result {
        Err(Error::InvalidRequest { parameter: p, .. }) if p == parameter => {}
        other => panic!("{case}: expected Error::InvalidRequest for `{parameter}`, got {other:?}"),
    }
}

/// The spec's security requirements, which every operation inherits.
const SECURITY: &[&[&str]] = &[
    &["api_token"],
    &["api_email", "api_key"],
    &["user_service_key"],
];

static LIST_CERTS_RAW: OperationInfo = OperationInfo {
    operation_id: "client-certificate-for-a-zone-list-client-certificates",
    method: Method::Get,
    path_template: CERTS_PATH,
    security: SECURITY,
    query: &[],
};
static CREATE_CERT_RAW: OperationInfo = OperationInfo {
    operation_id: "client-certificate-for-a-zone-create-client-certificate",
    method: Method::Post,
    path_template: CERTS_PATH,
    security: SECURITY,
    query: &[],
};
static GET_CERT_RAW: OperationInfo = OperationInfo {
    operation_id: "client-certificate-for-a-zone-client-certificate-details",
    method: Method::Get,
    path_template: CERT_PATH,
    security: SECURITY,
    query: &[],
};
static LIST_HOSTNAMES_RAW: OperationInfo = OperationInfo {
    operation_id: "client-certificate-for-a-zone-list-hostname-associations",
    method: Method::Get,
    path_template: HOSTNAMES_PATH,
    security: SECURITY,
    query: &[],
};

/// A raw `GET /zones/{ZONE}/client_certificates` with the given query, through the client's
/// runtime (the generated builder would refuse these values before sending them).
async fn raw_list(client: &Client, query: &[(&'static str, &str)]) -> Result<Value, Error> {
    let mut request = client
        .runtime()
        .call::<Envelope<Value, Value>>(&LIST_CERTS_RAW)
        .path("zone_id", ZONE);
    for (name, value) in query {
        request = request.query(name, *value);
    }
    request
        .send_with_response()
        .await
        .map(ApiResponse::into_result)
}

/// A raw `POST /zones/{ZONE}/client_certificates` with any JSON body.
async fn raw_create(client: &Client, body: &Value) -> Result<Value, Error> {
    client
        .runtime()
        .call::<Envelope<Value>>(&CREATE_CERT_RAW)
        .path("zone_id", ZONE)
        .json_body(body)
        .send_with_response()
        .await
        .map(ApiResponse::into_result)
}

// ------------------------------------------------------------------------------------------
// Against `prism mock`
// ------------------------------------------------------------------------------------------

/// All 7 operations, every parameter set, validated by Prism and answered with the spec's
/// examples, which decode to exactly those examples. Pagination stops on the short page.
#[tokio::test]
async fn mock_validates_and_answers_every_operation() {
    let test = "mock_validates_and_answers_every_operation";
    let Some(bin) = prism_bin(test) else { return };
    let prism = mock(&bin, test).await;
    let client = client(&prism.base_url);
    let hosts = client.hostname_associations();
    let certs = client.client_certificates();

    // 1. GET hostname associations, with its optional query parameter.
    let r = hosts
        .list(ZONE)
        .mtls_certificate_id(MTLS_ID)
        .send_with_response()
        .await
        .expect("list hostname associations");
    assert_matches_example(
        "hostname_associations.list",
        &r,
        as_json!(r.result()),
        HOSTNAMES_PATH,
        "get",
    );
    assert_eq!(
        r.result().hostnames.as_deref(),
        Some(&["api.example.com".to_owned()][..])
    );

    // 2. PUT hostname associations (JSON body).
    let body = HostnameAssociation {
        hostnames: Some(vec![
            "api.example.com".to_owned(),
            "www.example.com".to_owned(),
        ]),
        mtls_certificate_id: Some(MTLS_ID.to_owned()),
    };
    let r = hosts
        .replace(ZONE, body)
        .send_with_response()
        .await
        .expect("replace hostname associations");
    assert_matches_example(
        "hostname_associations.replace",
        &r,
        as_json!(r.result()),
        HOSTNAMES_PATH,
        "put",
    );

    // 3. GET client certificates with every query parameter: integers must go out as integers
    // (`per_page=20`, not `20.0`) and the filter as one of its enum values, or Prism refuses.
    let r = certs
        .list(ZONE)
        .status(ClientCertificateStatusFilter::PendingRevocation)
        .page(1)
        .per_page(20)
        .limit(10)
        .offset(10)
        .send_with_response()
        .await
        .expect("list client certificates");
    assert_matches_example(
        "client_certificates.list",
        &r,
        as_json!(r.result()),
        CERTS_PATH,
        "get",
    );
    let info = as_json!(r.result_info().expect("result_info"));
    assert_eq!(info, spec_example(CERTS_PATH, "get", "result_info"));
    assert_eq!(r.result()[0].status, Some(ClientCertificateStatus::Active));

    // 4. POST a CSR.
    let body = CreateClientCertificateRequest {
        csr: CSR.to_owned(),
        validity_days: 3650,
    };
    let r = certs
        .create(ZONE, body)
        .send_with_response()
        .await
        .expect("create a client certificate");
    assert_matches_example(
        "client_certificates.create",
        &r,
        as_json!(r.result()),
        CERTS_PATH,
        "post",
    );
    assert_eq!(r.result().validity_days, Some(3650));

    // 5. GET one certificate.
    let r = certs
        .get(ZONE, CERT)
        .send_with_response()
        .await
        .expect("get a client certificate");
    assert_matches_example(
        "client_certificates.get",
        &r,
        as_json!(r.result()),
        CERT_PATH,
        "get",
    );
    assert_eq!(
        r.result()
            .certificate_authority
            .as_ref()
            .and_then(|ca| ca.name.as_deref()),
        Some("Cloudflare Managed CA for account")
    );

    // 6. PATCH (reactivate), no body.
    let r = certs
        .reactivate(ZONE, CERT)
        .send_with_response()
        .await
        .expect("reactivate a client certificate");
    assert_matches_example(
        "client_certificates.reactivate",
        &r,
        as_json!(r.result()),
        CERT_PATH,
        "patch",
    );
    assert_eq!(
        r.result().status,
        Some(ClientCertificateStatus::PendingReactivation)
    );

    // 7. DELETE (revoke).
    let r = certs
        .revoke(ZONE, CERT)
        .send_with_response()
        .await
        .expect("revoke a client certificate");
    assert_matches_example(
        "client_certificates.revoke",
        &r,
        as_json!(r.result()),
        CERT_PATH,
        "delete",
    );
    assert_eq!(
        r.result().status,
        Some(ClientCertificateStatus::PendingRevocation)
    );

    // Auto-pagination: the example page says `total_pages` 100, so page 2 is asked for; Prism
    // ignores `page` and repeats the same page, which ends the stream with `Error::Pagination`
    // after the first page's item: a truncated list is reported, never passed off as whole.
    let mut items = certs.list(ZONE).per_page(20).items();
    let mut all: Vec<ClientCertificate> = Vec::new();
    let end = loop {
        match items.next().await {
            Some(Ok(item)) => all.push(item),
            Some(Err(e)) => break Some(e),
            None => break None,
        }
    };
    assert_eq!(all.len(), 1);
    assert!(
        matches!(end, Some(Error::Pagination(_))),
        "the repeated page is reported: {end:?}"
    );
}

/// Each credential kind the spec declares satisfies Prism's security check; none is a 401,
/// which is `Error::Unauthorized`.
#[tokio::test]
async fn mock_checks_every_credential_kind() {
    let test = "mock_checks_every_credential_kind";
    let Some(bin) = prism_bin(test) else { return };
    let prism = mock(&bin, test).await;
    let builder = || Client::builder().base_url(&prism.base_url).max_retries(0);
    for (kind, client) in [
        ("api token", builder().api_token("token")),
        (
            "api key + email",
            builder().api_key("key", "user@example.com"),
        ),
        (
            "user service key",
            builder().user_service_key("v1.0-service-key"),
        ),
    ] {
        let client = client.build().expect("client");
        let r = client
            .client_certificates()
            .get(ZONE, CERT)
            .send_with_response()
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e:?}"));
        assert_no_violations(kind, r.headers());
    }
    // Every operation needs credentials, so a client without any is refused when it is built;
    // one that opts out reaches Prism, whose 401 is `Error::Unauthorized`.
    let refused = builder().build().expect_err("no credentials at build time");
    assert!(matches!(refused, Error::Config(_)), "{refused:?}");
    let anonymous = builder()
        .without_credentials()
        .build()
        .expect("client without credentials");
    let err = anonymous
        .client_certificates()
        .get(ZONE, CERT)
        .await
        .expect_err("no credentials");
    let Error::Unauthorized(api) = &err else {
        panic!("expected Error::Unauthorized, got {err:?}")
    };
    assert!(violations(api).contains("security"), "{}", violations(api));
    // Prism answers with the spec's `4XX` example, which the client parses.
    assert_eq!(api.errors()[0].code, 7003);
}

/// Responses that Prism generates from the schemas (every optional field, unknown extra
/// properties, arbitrary strings and numbers) decode for all 7 operations, and generated `4XX`
/// failure envelopes become the typed error with their `errors` parsed.
#[tokio::test]
async fn mock_generated_responses_decode() {
    let test = "mock_generated_responses_decode";
    let Some(bin) = prism_bin(test) else { return };
    let prism = mock(&bin, test).await;
    let client = client(&prism.base_url);
    let hosts = client.hostname_associations();
    let certs = client.client_certificates();

    /// Sends `$request` with `Prefer: dynamic=true`; the generated response must decode and
    /// Prism must find nothing wrong with the exchange.
    macro_rules! decodes {
        ($op:literal, $request:expr) => {{
            let r = $request
                .options(RequestOptions::new().header("Prefer", "dynamic=true"))
                .send_with_response()
                .await
                .unwrap_or_else(|e| panic!("{}: a generated response failed: {e:?}", $op));
            assert_no_violations($op, r.headers());
            r
        }};
    }
    let body = HostnameAssociation {
        hostnames: Some(vec!["api.example.com".to_owned()]),
        mtls_certificate_id: None,
    };
    let create = CreateClientCertificateRequest {
        csr: CSR.to_owned(),
        validity_days: 365,
    };
    decodes!("hostname_associations.list", hosts.list(ZONE));
    decodes!("hostname_associations.replace", hosts.replace(ZONE, body));
    let page = decodes!("client_certificates.list", certs.list(ZONE));
    assert!(
        !page.result().is_empty(),
        "the seeded data has certificates"
    );
    decodes!("client_certificates.create", certs.create(ZONE, create));
    decodes!("client_certificates.get", certs.get(ZONE, CERT));
    decodes!(
        "client_certificates.reactivate",
        certs.reactivate(ZONE, CERT)
    );
    decodes!("client_certificates.revoke", certs.revoke(ZONE, CERT));

    let err = certs
        .get(ZONE, CERT)
        .options(RequestOptions::new().header("Prefer", "code=404, dynamic=true"))
        .await
        .expect_err("a generated 404");
    let Error::NotFound(api) = &err else {
        panic!("expected Error::NotFound, got {err:?}")
    };
    assert!(
        !api.errors().is_empty(),
        "the schema requires at least one error"
    );
    assert!(
        api.errors().iter().all(|e| e.code >= 1000),
        "{:?}",
        api.errors()
    );
}

/// Every status of the spec's `4XX` range, produced by Prism from the spec's failure response,
/// maps to its `Error` variant with the envelope's `errors` parsed.
#[tokio::test]
async fn mock_failure_statuses_are_typed_errors() {
    let test = "mock_failure_statuses_are_typed_errors";
    let Some(bin) = prism_bin(test) else { return };
    let prism = mock(&bin, test).await;
    let client = client(&prism.base_url);
    type Check = fn(&Error) -> bool;
    let cases: [(u16, &str, Check); 8] = [
        (400, "BadRequest", |e| matches!(e, Error::BadRequest(_))),
        (401, "Unauthorized", |e| matches!(e, Error::Unauthorized(_))),
        (403, "Forbidden", |e| matches!(e, Error::Forbidden(_))),
        (404, "NotFound", |e| matches!(e, Error::NotFound(_))),
        (405, "OtherStatus", |e| matches!(e, Error::OtherStatus(_))),
        (409, "Conflict", |e| matches!(e, Error::Conflict(_))),
        (422, "UnprocessableEntity", |e| {
            matches!(e, Error::UnprocessableEntity(_))
        }),
        (429, "RateLimited", |e| matches!(e, Error::RateLimited(_))),
    ];
    for (status, variant, check) in cases {
        let err = client
            .hostname_associations()
            .list(ZONE)
            .options(RequestOptions::new().header("Prefer", format!("code={status}")))
            .await
            .expect_err("a failure");
        assert!(
            check(&err),
            "{status}: expected Error::{variant}, got {err:?}"
        );
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.api_errors()[0].code, 7003, "{status}: {err:?}");
        assert_eq!(err.api_errors()[0].message, "No route for the URI");
    }
}

/// Requests the spec forbids: where the generated client refuses a value itself, Prism refuses
/// the same value sent raw (and accepts the limits the client accepts); what only Prism can
/// refuse becomes a typed error. In mock mode Prism answers an invalid request with 422 (or 415)
/// and the spec's `4XX` example, and lists the violations in `sl-violations`.
#[tokio::test]
async fn mock_refuses_invalid_requests_as_typed_errors() {
    let test = "mock_refuses_invalid_requests_as_typed_errors";
    let Some(bin) = prism_bin(test) else { return };
    let prism = mock(&bin, test).await;
    let client = client(&prism.base_url);
    let certs = client.client_certificates();

    // `per_page` is 5..=50 and `page` at least 1: the client and Prism agree on the limits.
    for per_page in [5, 50] {
        certs
            .list(ZONE)
            .per_page(per_page)
            .await
            .unwrap_or_else(|e| panic!("per_page={per_page} is allowed: {e:?}"));
    }
    for (name, value, rule) in [
        ("per_page", "51", "<= 50"),
        ("per_page", "4", ">= 5"),
        ("page", "0", ">= 1"),
    ] {
        let n: i64 = value.parse().expect("number");
        let local = if name == "page" {
            certs.list(ZONE).page(n).await
        } else {
            certs.list(ZONE).per_page(n).await
        };
        assert_refused_locally(&format!("{name}={value}"), name, local);
        let api = unprocessable(
            &format!("raw {name}={value}"),
            raw_list(&client, &[(name, value)]).await,
        );
        let found = violations(&api);
        assert!(
            found.contains(name) && found.contains(rule),
            "{name}={value}: {found}"
        );
        assert_eq!(api.errors()[0].code, 7003, "the spec's 4XX example");
    }
    let api = unprocessable(
        "per_page=twenty",
        raw_list(&client, &[("per_page", "twenty")]).await,
    );
    assert!(
        violations(&api).contains("must be integer"),
        "{}",
        violations(&api)
    );

    // A filter value the spec does not list goes out as given (`Unknown`) and Prism refuses it.
    let api = unprocessable(
        "status=expired",
        certs
            .list(ZONE)
            .status(ClientCertificateStatusFilter::Unknown("expired".to_owned()))
            .await,
    );
    assert!(violations(&api).contains("status"), "{}", violations(&api));

    // Path and query lengths: the client refuses them, and so does Prism.
    let long_zone = "0".repeat(33);
    assert_refused_locally(
        "zone_id too long",
        "zone_id",
        certs.get(&long_zone, CERT).await,
    );
    let api = unprocessable(
        "raw zone_id too long",
        client
            .runtime()
            .call::<Envelope<Value>>(&GET_CERT_RAW)
            .path("zone_id", &long_zone)
            .path("client_certificate_id", CERT)
            .send_with_response()
            .await,
    );
    assert!(violations(&api).contains("zone_id"), "{}", violations(&api));
    let short_id = &MTLS_ID[1..];
    assert_refused_locally(
        "mtls_certificate_id too short",
        "mtls_certificate_id",
        client
            .hostname_associations()
            .list(ZONE)
            .mtls_certificate_id(short_id)
            .await,
    );
    let api = unprocessable(
        "raw mtls_certificate_id too short",
        client
            .runtime()
            .call::<Envelope<Value>>(&LIST_HOSTNAMES_RAW)
            .path("zone_id", ZONE)
            .query("mtls_certificate_id", short_id)
            .send_with_response()
            .await,
    );
    assert!(
        violations(&api).contains("mtls_certificate_id"),
        "{}",
        violations(&api)
    );

    // Bodies the generated types cannot express: a missing required field, a wrong type.
    let api = unprocessable(
        "no csr",
        raw_create(&client, &json!({"validity_days": 3650})).await,
    );
    assert!(violations(&api).contains("'csr'"), "{}", violations(&api));
    let api = unprocessable(
        "validity_days as a string",
        raw_create(&client, &json!({"csr": CSR, "validity_days": "3650"})).await,
    );
    assert!(
        violations(&api).contains("validity_days"),
        "{}",
        violations(&api)
    );

    // A body that is not JSON: 415, which has no variant of its own.
    let err = client
        .runtime()
        .call::<Envelope<Value>>(&CREATE_CERT_RAW)
        .path("zone_id", ZONE)
        .bytes_body("text/plain", CSR.as_bytes().to_vec())
        .send_with_response()
        .await
        .expect_err("text/plain");
    let Error::OtherStatus(api) = &err else {
        panic!("expected Error::OtherStatus for 415, got {err:?}")
    };
    assert_eq!(api.status().as_u16(), 415);
}

// ------------------------------------------------------------------------------------------
// Against `prism proxy`, in front of our own test server
// ------------------------------------------------------------------------------------------

fn certificate(id: &str, status: &str) -> Value {
    json!({
        "id": id,
        "certificate": "-----BEGIN CERTIFICATE-----\nMIIDmDCCAoC\n-----END CERTIFICATE-----",
        "certificate_authority": {"id": "568b6b74-7b0c-4755-8840-4e3b8c24adeb", "name": "Cloudflare Managed CA for account"},
        "common_name": "Cloudflare",
        "country": "US",
        "csr": CSR,
        "expires_on": "2033-02-20T23:18:00Z",
        "fingerprint_sha256": "256c24690243359fb8cf139a125bd05ebf1d968b71e4caf330718e9f5c8a89ea",
        "issued_on": "2023-02-23T23:18:00Z",
        "serial_number": "3bb94ff144ac567b9f75ad664b6c55f8d5e48182",
        "signature": "SHA256WithRSA",
        "status": status,
        "validity_days": 3650
    })
}

fn envelope(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

async fn serve(server: &MockServer, verb: &str, at: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

/// Prism as a validating proxy in front of a wiremock server: the valid envelopes we serve for
/// all 7 operations pass, a failure envelope passes as `Error::NotFound`, deliberately invalid
/// responses are flagged (Prism answers 500 with the violations: `Error::Server`), and an
/// invalid request is refused with 422 (`Error::UnprocessableEntity`) without reaching us.
#[tokio::test]
async fn proxy_validates_our_server_against_the_spec() {
    let test = "proxy_validates_our_server_against_the_spec";
    let Some(bin) = prism_bin(test) else { return };
    let upstream = MockServer::start().await;
    let hostnames = format!("/zones/{ZONE}/certificate_authorities/hostname_associations");
    let list = format!("/zones/{ZONE}/client_certificates");
    let one = |id: &str| format!("/zones/{ZONE}/client_certificates/{id}");
    let hosts_body = envelope(json!({"hostnames": ["api.example.com", "www.example.com"]}));
    serve(&upstream, "GET", &hostnames, 200, hosts_body.clone()).await;
    serve(&upstream, "PUT", &hostnames, 200, hosts_body).await;
    let mut page = envelope(json!([
        certificate(CERT, "active"),
        certificate("b2", "revoked")
    ]));
    page["result_info"] =
        json!({"count": 2, "page": 1, "per_page": 20, "total_count": 2, "total_pages": 1});
    Mock::given(method("GET"))
        .and(path(list.as_str()))
        .and(query_param("per_page", "20"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&upstream)
        .await;
    serve(
        &upstream,
        "POST",
        &list,
        200,
        envelope(certificate(CERT, "active")),
    )
    .await;
    serve(
        &upstream,
        "GET",
        &one(CERT),
        200,
        envelope(certificate(CERT, "active")),
    )
    .await;
    serve(
        &upstream,
        "PATCH",
        &one(CERT),
        200,
        envelope(certificate(CERT, "pending_reactivation")),
    )
    .await;
    serve(
        &upstream,
        "DELETE",
        &one(CERT),
        200,
        envelope(certificate(CERT, "pending_revocation")),
    )
    .await;
    let failure = json!({"success": false, "errors": [{"code": 1003, "message": "Certificate not found"}], "messages": [], "result": null});
    serve(&upstream, "GET", &one("missing"), 404, failure.clone()).await;
    // Deliberately invalid 200 responses.
    let mut wrong_types = certificate("x", "active");
    wrong_types["id"] = json!(42);
    wrong_types["validity_days"] = json!("3650");
    serve(
        &upstream,
        "GET",
        &one("wrongtypes"),
        200,
        envelope(wrong_types),
    )
    .await;
    serve(
        &upstream,
        "GET",
        &one("noresult"),
        200,
        json!({"success": true, "errors": [], "messages": []}),
    )
    .await;
    serve(&upstream, "GET", &one("notsuccess"), 200, failure).await;

    let prism = Prism::start(
        &bin,
        test,
        &["proxy", "spec/openapi.yaml", &upstream.uri(), "--errors"],
    )
    .await;
    let client = client(&prism.base_url);
    let hosts = client.hostname_associations();
    let certs = client.client_certificates();

    // Valid responses for all 7 operations pass through unchanged.
    let r = hosts
        .list(ZONE)
        .send_with_response()
        .await
        .expect("list hostnames");
    assert_no_violations("hostname_associations.list", r.headers());
    assert_eq!(r.result().hostnames.as_ref().map(Vec::len), Some(2));
    let body = HostnameAssociation {
        hostnames: Some(vec![
            "api.example.com".to_owned(),
            "www.example.com".to_owned(),
        ]),
        mtls_certificate_id: None,
    };
    let r = hosts
        .replace(ZONE, body)
        .send_with_response()
        .await
        .expect("replace hostnames");
    assert_no_violations("hostname_associations.replace", r.headers());
    let r = certs
        .list(ZONE)
        .per_page(20)
        .send_with_response()
        .await
        .expect("list certificates");
    assert_no_violations("client_certificates.list", r.headers());
    assert_eq!(r.result()[1].status, Some(ClientCertificateStatus::Revoked));
    assert_eq!(r.result_info().and_then(|i| i.total_pages), Some(1));
    let create = CreateClientCertificateRequest {
        csr: CSR.to_owned(),
        validity_days: 3650,
    };
    let r = certs
        .create(ZONE, create)
        .send_with_response()
        .await
        .expect("create");
    assert_no_violations("client_certificates.create", r.headers());
    assert_eq!(r.result().id.as_deref(), Some(CERT));
    let r = certs
        .get(ZONE, CERT)
        .send_with_response()
        .await
        .expect("get");
    assert_no_violations("client_certificates.get", r.headers());
    let r = certs
        .reactivate(ZONE, CERT)
        .send_with_response()
        .await
        .expect("reactivate");
    assert_no_violations("client_certificates.reactivate", r.headers());
    assert_eq!(
        r.result().status,
        Some(ClientCertificateStatus::PendingReactivation)
    );
    let r = certs
        .revoke(ZONE, CERT)
        .send_with_response()
        .await
        .expect("revoke");
    assert_no_violations("client_certificates.revoke", r.headers());
    assert_eq!(
        r.result().status,
        Some(ClientCertificateStatus::PendingRevocation)
    );

    // Our failure envelope matches the spec's `4XX` response.
    let err = certs.get(ZONE, "missing").await.expect_err("404");
    let Error::NotFound(api) = &err else {
        panic!("expected Error::NotFound, got {err:?}")
    };
    assert_eq!(api.errors()[0].code, 1003);

    // Invalid responses: Prism replaces each with a 500 problem document naming the violations.
    for (id, expected) in [
        (
            "wrongtypes",
            &[
                "result.id must be string",
                "result.validity_days must be integer",
            ][..],
        ),
        ("noresult", &["must have required property 'result'"][..]),
        (
            "notsuccess",
            &["success must be equal to one of the allowed values"][..],
        ),
    ] {
        let err = certs.get(ZONE, id).await.expect_err("an invalid response");
        let Error::Server(api) = &err else {
            panic!("{id}: expected Error::Server for Prism's 500, got {err:?}")
        };
        assert_eq!(api.status().as_u16(), 500, "{id}");
        assert!(
            api.body().contains("prism/errors#VIOLATIONS"),
            "{id}: {}",
            api.body()
        );
        for text in expected {
            assert!(
                violations(api).contains(text),
                "{id}: {text:?} not in {}",
                violations(api)
            );
        }
        assert!(
            api.errors().is_empty(),
            "a problem document is not an envelope"
        );
    }

    // An invalid request never reaches our server.
    let err = raw_list(&client, &[("per_page", "51")])
        .await
        .expect_err("per_page=51");
    let Error::UnprocessableEntity(api) = &err else {
        panic!("expected Error::UnprocessableEntity, got {err:?}")
    };
    assert!(
        api.body().contains("prism/errors#UNPROCESSABLE_ENTITY"),
        "{}",
        api.body()
    );
    assert!(
        api.body().contains("per_page must be <= 50"),
        "{}",
        api.body()
    );

    let received = upstream.received_requests().await.expect("recording on");
    assert_eq!(
        received.len(),
        11,
        "7 valid calls, 1 failure, 3 invalid responses"
    );
    assert!(
        received
            .iter()
            .all(|r| r.url.query() != Some("per_page=51")),
        "Prism forwarded an invalid request"
    );
}
