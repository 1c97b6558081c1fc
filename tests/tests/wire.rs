//! The generated client on the wire, against a real HTTP server on 127.0.0.1 (wiremock):
//! for each of the 7 operations, the method, path, query string, JSON body and auth header are
//! what the spec says, and the success and `4XX` failure envelopes decode.

use cloudflare_client_certificates::types::{
    ClientCertificateStatus, ClientCertificateStatusFilter, CreateClientCertificateRequest,
    HostnameAssociation,
};
use cloudflare_client_certificates::{Client, Error};
// The only trait a call needs: this API's name for the request id, `err.cf_ray()`.
use cloudflare_client_certificates::prelude::RequestIdExt as _;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const CERT: &str = "b2134436255545acfbe526c48136575e";

fn certificate(status: &str) -> Value {
    json!({
        "id": CERT,
        "certificate": "-----BEGIN CERTIFICATE-----\nMIIDmDCCAoC\n-----END CERTIFICATE-----",
        "certificate_authority": {"id": "568b6b74-7b0c-4755-8840-4e3b8c24adeb", "name": "Cloudflare Managed CA for account"},
        "common_name": "Cloudflare",
        "country": "US",
        "csr": "-----BEGIN CERTIFICATE REQUEST-----\nMIICY\n-----END CERTIFICATE REQUEST-----",
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
        "status": status,
        "validity_days": 3650
    })
}

fn envelope(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_token("test-token")
        .max_retries(0)
        .build()
        .expect("client");
    (server, client)
}

/// The one request the server saw, as (method, path, query, body).
async fn only_request(server: &MockServer) -> (String, String, Option<String>, Vec<u8>) {
    let requests = server.received_requests().await.expect("recording on");
    assert_eq!(requests.len(), 1, "exactly one request expected");
    let r = &requests[0];
    (
        r.method.to_string(),
        r.url.path().to_owned(),
        r.url.query().map(str::to_owned),
        r.body.clone(),
    )
}

#[tokio::test]
async fn list_hostname_associations() {
    let (server, client) = setup().await;
    let p = format!("/zones/{ZONE}/certificate_authorities/hostname_associations");
    Mock::given(method("GET"))
        .and(path(p.as_str()))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(envelope(json!({"hostnames": ["api.example.com"]}))),
        )
        .mount(&server)
        .await;
    let result = client
        .hostname_associations()
        .list(ZONE)
        .mtls_certificate_id("b2134436-2555-4acf-be5b-26c48136575e")
        .await
        .expect("list");
    assert_eq!(result.hostnames, Some(vec!["api.example.com".to_owned()]));
    let (m, got_path, query, body) = only_request(&server).await;
    assert_eq!((m.as_str(), got_path.as_str()), ("GET", p.as_str()));
    assert_eq!(
        query.as_deref(),
        Some("mtls_certificate_id=b2134436-2555-4acf-be5b-26c48136575e")
    );
    assert!(body.is_empty());
}

#[tokio::test]
async fn replace_hostname_associations() {
    let (server, client) = setup().await;
    let p = format!("/zones/{ZONE}/certificate_authorities/hostname_associations");
    let sent = json!({"hostnames": ["a.example.com", "b.example.com"], "mtls_certificate_id": "b2134436-2555-4acf-be5b-26c48136575e"});
    Mock::given(method("PUT"))
        .and(path(p.as_str()))
        .and(header("authorization", "Bearer test-token"))
        .and(header("content-type", "application/json"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(
            json!({"hostnames": ["a.example.com", "b.example.com"]}),
        )))
        .mount(&server)
        .await;
    let body = HostnameAssociation {
        hostnames: Some(vec!["a.example.com".to_owned(), "b.example.com".to_owned()]),
        mtls_certificate_id: Some("b2134436-2555-4acf-be5b-26c48136575e".to_owned()),
    };
    let result = client
        .hostname_associations()
        .replace(ZONE, body)
        .await
        .expect("replace");
    assert_eq!(result.hostnames.map(|h| h.len()), Some(2));
    let (m, _, query, _) = only_request(&server).await;
    assert_eq!((m.as_str(), query), ("PUT", None));
}

#[tokio::test]
async fn create_client_certificate() {
    let (server, client) = setup().await;
    let p = format!("/zones/{ZONE}/client_certificates");
    Mock::given(method("POST"))
        .and(path(p.as_str()))
        .and(header("authorization", "Bearer test-token"))
        .and(body_json(json!({"csr": "-----BEGIN CERTIFICATE REQUEST-----\nMIICY\n-----END CERTIFICATE REQUEST-----", "validity_days": 3650})))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(certificate("active"))))
        .mount(&server)
        .await;
    let body = CreateClientCertificateRequest {
        csr: "-----BEGIN CERTIFICATE REQUEST-----\nMIICY\n-----END CERTIFICATE REQUEST-----"
            .to_owned(),
        validity_days: 3650,
    };
    let cert = client
        .client_certificates()
        .create(ZONE, body)
        .await
        .expect("create");
    assert_eq!(cert.id.as_deref(), Some(CERT));
    assert_eq!(cert.status, Some(ClientCertificateStatus::Active));
    assert_eq!(
        cert.certificate_authority.and_then(|ca| ca.name).as_deref(),
        Some("Cloudflare Managed CA for account")
    );
    assert_eq!(cert.validity_days, Some(3650));
    let (m, _, query, body) = only_request(&server).await;
    assert_eq!((m.as_str(), query), ("POST", None));
    let body: Value = serde_json::from_slice(&body).expect("json body");
    assert_eq!(
        body["validity_days"],
        json!(3650),
        "an integer on the wire, not 3650.0"
    );
}

#[tokio::test]
async fn list_client_certificates_sends_query_in_spec_order() {
    let (server, client) = setup().await;
    let p = format!("/zones/{ZONE}/client_certificates");
    let mut page = envelope(json!([
        certificate("active"),
        certificate("pending_revocation")
    ]));
    page["result_info"] =
        json!({"count": 2, "page": 2, "per_page": 5, "total_count": 7, "total_pages": 2});
    Mock::given(method("GET"))
        .and(path(p.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let response = client
        .client_certificates()
        .list(ZONE)
        .status(ClientCertificateStatusFilter::All)
        .page(2)
        .per_page(5)
        .limit(10)
        .offset(0)
        .send_with_response()
        .await
        .expect("list");
    let info = response.result_info().cloned().expect("result_info");
    assert_eq!(
        (info.page, info.per_page, info.total_pages, info.total_count),
        (Some(2), Some(5), Some(2), Some(7))
    );
    let certs = response.into_result();
    assert_eq!(certs.len(), 2);
    assert_eq!(
        certs[1].status,
        Some(ClientCertificateStatus::PendingRevocation)
    );
    let (m, _, query, _) = only_request(&server).await;
    assert_eq!(m, "GET");
    assert_eq!(
        query.as_deref(),
        Some("status=all&page=2&per_page=5&limit=10&offset=0")
    );
}

#[tokio::test]
async fn get_client_certificate() {
    let (server, client) = setup().await;
    let p = format!("/zones/{ZONE}/client_certificates/{CERT}");
    Mock::given(method("GET"))
        .and(path(p.as_str()))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(certificate("active"))))
        .mount(&server)
        .await;
    let cert = client
        .client_certificates()
        .get(ZONE, CERT)
        .await
        .expect("get");
    assert_eq!(
        cert.fingerprint_sha256.as_deref(),
        Some("256c24690243359fb8cf139a125bd05ebf1d968b71e4caf330718e9f5c8a89ea")
    );
    assert_eq!(cert.expires_on.as_deref(), Some("2033-02-20T23:18:00Z"));
}

#[tokio::test]
async fn reactivate_client_certificate_sends_patch_without_body() {
    let (server, client) = setup().await;
    let p = format!("/zones/{ZONE}/client_certificates/{CERT}");
    Mock::given(method("PATCH"))
        .and(path(p.as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(envelope(certificate("pending_reactivation"))),
        )
        .mount(&server)
        .await;
    let cert = client
        .client_certificates()
        .reactivate(ZONE, CERT)
        .await
        .expect("reactivate");
    assert_eq!(
        cert.status,
        Some(ClientCertificateStatus::PendingReactivation)
    );
    let (m, got, query, body) = only_request(&server).await;
    assert_eq!(
        (m.as_str(), got.as_str(), query),
        ("PATCH", p.as_str(), None)
    );
    assert!(body.is_empty(), "PATCH sends no body");
}

#[tokio::test]
async fn revoke_client_certificate() {
    let (server, client) = setup().await;
    let p = format!("/zones/{ZONE}/client_certificates/{CERT}");
    Mock::given(method("DELETE"))
        .and(path(p.as_str()))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(envelope(certificate("pending_revocation"))),
        )
        .mount(&server)
        .await;
    let cert = client
        .client_certificates()
        .revoke(ZONE, CERT)
        .await
        .expect("revoke");
    assert_eq!(
        cert.status,
        Some(ClientCertificateStatus::PendingRevocation)
    );
    let (m, _, _, body) = only_request(&server).await;
    assert_eq!(m, "DELETE");
    assert!(body.is_empty());
}

#[tokio::test]
async fn failure_envelope_becomes_a_typed_error() {
    let (server, client) = setup().await;
    let p = format!("/zones/{ZONE}/client_certificates/{CERT}");
    Mock::given(method("GET"))
        .and(path(p.as_str()))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("cf-ray", "8b1f2c3d4e5f6789-SJC")
                .set_body_json(json!({
                    "success": false,
                    "errors": [{"code": 1003, "message": "Certificate not found", "documentation_url": "https://developers.cloudflare.com/", "source": {"pointer": "/client_certificate_id"}}],
                    "messages": [],
                    "result": null
                })),
        )
        .mount(&server)
        .await;
    let err = client
        .client_certificates()
        .get(ZONE, CERT)
        .await
        .expect_err("404");
    let Error::NotFound(api) = &err else {
        panic!("expected NotFound, got {err:?}")
    };
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.errors().len(), 1);
    assert_eq!(api.errors()[0].code, 1003);
    assert_eq!(api.errors()[0].message, "Certificate not found");
    assert_eq!(
        api.errors()[0]
            .source
            .as_ref()
            .and_then(|s| s.pointer.as_deref()),
        Some("/client_certificate_id")
    );
    assert_eq!(err.cf_ray(), Some("8b1f2c3d4e5f6789-SJC"));
    assert!(err.to_string().contains("1003"), "{err}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn each_failure_status_maps_to_its_variant() {
    type Check = fn(&Error) -> bool;
    let cases: [(u16, Check); 7] = [
        (400, |e| matches!(e, Error::BadRequest(_))),
        (401, |e| matches!(e, Error::Unauthorized(_))),
        (403, |e| matches!(e, Error::Forbidden(_))),
        (409, |e| matches!(e, Error::Conflict(_))),
        (422, |e| matches!(e, Error::UnprocessableEntity(_))),
        (429, |e| matches!(e, Error::RateLimited(_))),
        (405, |e| matches!(e, Error::OtherStatus(_))),
    ];
    for (status, check) in cases {
        let (server, client) = setup().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({
                "success": false, "errors": [{"code": 9000 + u32::from(status), "message": "nope"}], "messages": [], "result": null
            })))
            .mount(&server)
            .await;
        let err = client
            .hostname_associations()
            .list(ZONE)
            .await
            .expect_err("failure");
        assert!(check(&err), "{status}: got {err:?}");
        assert_eq!(err.api_errors()[0].code, 9000 + i64::from(status));
    }
}

#[tokio::test]
async fn limits_are_checked_before_sending() {
    let (server, client) = setup().await;
    let err = client
        .client_certificates()
        .list(ZONE)
        .per_page(51)
        .await
        .expect_err("per_page > 50");
    let Error::InvalidRequest { parameter, reason } = &err else {
        panic!("expected InvalidRequest, got {err:?}")
    };
    assert_eq!(
        (parameter.as_str(), reason.as_str()),
        ("per_page", "is 51; the maximum is 50")
    );
    let err = client
        .client_certificates()
        .get("x".repeat(33), CERT)
        .await
        .expect_err("id too long");
    assert!(
        matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "zone_id"),
        "{err:?}"
    );
    let body = HostnameAssociation {
        hostnames: None,
        mtls_certificate_id: Some("too-short".to_owned()),
    };
    let err = client
        .hostname_associations()
        .replace(ZONE, body)
        .await
        .expect_err("uuid length");
    assert!(
        matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "mtls_certificate_id"),
        "{err:?}"
    );
    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty(),
        "nothing may be sent"
    );
}
