//! The generated crate's `mock` feature, driven by the generated client itself: every operation
//! of `spec/`, every scenario helper, requests that break the spec, and unmatched requests.

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use cloudflare_client_certificates::mock::MockServer;
use cloudflare_client_certificates::runtime::{ApiMessage, StatusCode};
use cloudflare_client_certificates::types::{
    ClientCertificate, ClientCertificateStatus, ClientCertificateStatusFilter,
    CreateClientCertificateRequest, HostnameAssociation, HostnameAssociations, ResultInfo,
};
use cloudflare_client_certificates::{Client, Error};

const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const MTLS_ID: &str = "8a1b2c3d-0000-4000-8000-0123456789ab";

fn cert(id: &str) -> ClientCertificate {
    ClientCertificate {
        id: Some(id.to_owned()),
        common_name: Some(format!("{id}.example")),
        status: Some(ClientCertificateStatus::Active),
        ..Default::default()
    }
}

/// A plain HTTP client (the generated client's own transport), for requests the typed client
/// would never send.
fn raw(mock: &MockServer) -> cloudflare_client_certificates::runtime::reqwest::Client {
    mock.client().expect("client").http_client().clone()
}

#[tokio::test]
async fn every_operation_of_the_spec_is_stubbed_with_the_clients_types() {
    let mock = MockServer::start().await;
    let client = mock.client().expect("client");

    let request = CreateClientCertificateRequest {
        csr: "-----BEGIN CERTIFICATE REQUEST-----".to_owned(),
        validity_days: 365,
    };
    mock.client_certificates()
        .create(ZONE, request.clone())
        .returns(cert("new"))
        .times(1)
        .await;
    mock.client_certificates()
        .list(ZONE)
        .status(ClientCertificateStatusFilter::Active)
        .returns(vec![cert("a"), cert("b")])
        .times(1)
        .await;
    mock.client_certificates()
        .get(ZONE, "a")
        .returns(cert("a"))
        .times(1)
        .await;
    mock.client_certificates()
        .reactivate(ZONE, "a")
        .returns(cert("a"))
        .times(1)
        .await;
    let mut revoked = cert("a");
    revoked.status = Some(ClientCertificateStatus::PendingRevocation);
    mock.client_certificates()
        .revoke(ZONE, "a")
        .returns(revoked.clone())
        .times(1)
        .await;
    let hosts = HostnameAssociations {
        hostnames: Some(vec!["api.example.com".to_owned()]),
    };
    mock.hostname_associations()
        .list(ZONE)
        .mtls_certificate_id(MTLS_ID)
        .returns(hosts.clone())
        .times(1)
        .await;
    let replace = HostnameAssociation {
        hostnames: Some(vec!["api.example.com".to_owned()]),
        mtls_certificate_id: Some(MTLS_ID.to_owned()),
    };
    mock.hostname_associations()
        .replace(ZONE, replace.clone())
        .returns(hosts.clone())
        .times(1)
        .await;

    let certs = client.client_certificates();
    assert_eq!(
        certs.create(ZONE, request).await.expect("create"),
        cert("new")
    );
    let listed = certs
        .list(ZONE)
        .status(ClientCertificateStatusFilter::Active)
        .await
        .expect("list");
    assert_eq!(listed, vec![cert("a"), cert("b")]);
    assert_eq!(certs.get(ZONE, "a").await.expect("get"), cert("a"));
    assert_eq!(
        certs.reactivate(ZONE, "a").await.expect("reactivate"),
        cert("a")
    );
    assert_eq!(certs.revoke(ZONE, "a").await.expect("revoke"), revoked);
    let associations = client.hostname_associations();
    assert_eq!(
        associations
            .list(ZONE)
            .mtls_certificate_id(MTLS_ID)
            .await
            .expect("hostname list"),
        hosts
    );
    assert_eq!(
        associations.replace(ZONE, replace).await.expect("replace"),
        hosts
    );
    assert!(mock.take_problems().is_empty());
}

#[tokio::test]
async fn paged_lists_follow_the_apis_result_info() {
    let mock = MockServer::start().await;
    let client = mock.client().expect("client");
    let all: Vec<ClientCertificate> = (0..7).map(|i| cert(&format!("c{i}"))).collect();
    mock.client_certificates()
        .list(ZONE)
        .paged(all.clone(), 3)
        .times(4)
        .await;
    // Three pages of 3, 3 and 1, then one request for page 2 by hand: four requests.
    let mut items = client.client_certificates().list(ZONE).items();
    let mut got = Vec::new();
    while let Some(item) = items.next().await {
        got.push(item.expect("item"));
    }
    assert_eq!(got, all);

    // The request's own page size wins.
    let response = client
        .client_certificates()
        .list(ZONE)
        .page(2)
        .per_page(5)
        .send_with_response()
        .await
        .expect("page 2");
    let info = response.result_info().cloned().expect("result_info");
    assert_eq!(
        (
            info.page,
            info.per_page,
            info.count,
            info.total_count,
            info.total_pages
        ),
        (Some(2), Some(5), Some(2), Some(7), Some(2))
    );
    assert_eq!(response.into_result(), all[5..].to_vec());
}

#[tokio::test]
async fn a_list_answers_with_its_result_info() {
    let mock = MockServer::start().await;
    let client = mock.client().expect("client");
    let info = ResultInfo {
        page: Some(3),
        total_count: Some(41),
        ..Default::default()
    };
    // `returns_with_info` through the query wrapper (inherent answers, no import).
    mock.client_certificates()
        .list(ZONE)
        .page(3)
        .returns_with_info(vec![cert("a")], info.clone())
        .times(1)
        .await;
    let response = client
        .client_certificates()
        .list(ZONE)
        .page(3)
        .send_with_response()
        .await
        .expect("page 3");
    assert_eq!(response.result_info(), Some(&info));
    assert_eq!(response.into_result(), vec![cert("a")]);
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_served_before_the_answer() {
    let mock = MockServer::start().await;
    let client = mock.client().expect("client");
    mock.client_certificates()
        .get(ZONE, "a")
        .rate_limited_first(2, Duration::from_secs(1))
        .returns(cert("a"))
        .times(3)
        .await;
    // Retry-After: 1 is capped at 50 ms by the mock's client, so this does not sleep a second.
    let started = std::time::Instant::now();
    assert_eq!(
        client
            .client_certificates()
            .get(ZONE, "a")
            .await
            .expect("get"),
        cert("a")
    );
    assert!(started.elapsed() < Duration::from_secs(1));

    mock.client_certificates()
        .get(ZONE, "b")
        .server_error_first(1, StatusCode::SERVICE_UNAVAILABLE)
        .returns(cert("b"))
        .times(2)
        .await;
    assert_eq!(
        client
            .client_certificates()
            .get(ZONE, "b")
            .await
            .expect("get"),
        cert("b")
    );

    // Without retries the 429 reaches the caller, with its Retry-After.
    let strict = mock
        .client_builder()
        .max_retries(0)
        .build()
        .expect("client");
    mock.client_certificates()
        .get(ZONE, "c")
        .rate_limited_first(1, Duration::from_millis(1500))
        .returns(cert("c"))
        .times(2)
        .await;
    let err = strict
        .client_certificates()
        .get(ZONE, "c")
        .await
        .expect_err("429");
    assert!(matches!(err, Error::RateLimited(_)), "{err:?}");
    let header = err
        .api_error()
        .and_then(|e| e.headers().get("retry-after"))
        .cloned();
    assert_eq!(header.as_ref().and_then(|v| v.to_str().ok()), Some("2"));
    assert_eq!(
        strict
            .client_certificates()
            .get(ZONE, "c")
            .await
            .expect("then"),
        cert("c")
    );
}

#[tokio::test]
async fn failures_the_status_hides_and_the_ones_it_shows() {
    let mock = MockServer::start().await;
    let client = mock.client().expect("client");
    mock.client_certificates()
        .revoke(ZONE, "a")
        .unsuccessful([ApiMessage::new(1001, "certificate is already revoked")])
        .await;
    let err = client
        .client_certificates()
        .revoke(ZONE, "a")
        .await
        .expect_err("unsuccessful");
    assert!(matches!(err, Error::Unsuccessful(_)), "{err:?}");
    assert_eq!(err.api_errors()[0].code, 1001);
    assert_eq!(
        err.api_errors()[0].message,
        "certificate is already revoked"
    );

    mock.client_certificates()
        .get(ZONE, "gone")
        .fails(StatusCode::NOT_FOUND, [ApiMessage::new(1404, "not found")])
        .await;
    let err = client
        .client_certificates()
        .get(ZONE, "gone")
        .await
        .expect_err("404");
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(err.api_errors()[0].code, 1404);

    mock.client_certificates()
        .get(ZONE, "bad")
        .malformed()
        .await;
    let err = client
        .client_certificates()
        .get(ZONE, "bad")
        .await
        .expect_err("malformed");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn slow_answers_meet_the_clients_timeout() {
    let mock = MockServer::start().await;
    let client = mock
        .client_builder()
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .expect("client");
    mock.client_certificates()
        .get(ZONE, "slow")
        .delayed(Duration::from_secs(2))
        .returns(cert("slow"))
        .await;
    let err = client
        .client_certificates()
        .get(ZONE, "slow")
        .await
        .expect_err("timeout");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    mock.client_certificates()
        .get(ZONE, "fast")
        .delayed(Duration::from_millis(20))
        .returns(cert("fast"))
        .await;
    assert_eq!(
        client
            .client_certificates()
            .get(ZONE, "fast")
            .await
            .expect("in time"),
        cert("fast")
    );
}

#[tokio::test]
async fn requests_the_spec_does_not_allow_are_reported_with_the_operation() {
    let mock = MockServer::start().await;
    let http = raw(&mock);
    let base = mock.uri();
    // Wrong type of a query value.
    let sent = http
        .get(format!("{base}/zones/{ZONE}/client_certificates?page=two"))
        .send()
        .await
        .expect("send");
    assert_eq!(sent.status(), 400);
    let text = sent.text().await.expect("body");
    assert!(text.contains("`page`: `two` is not an integer"), "{text}");
    // A value outside an enum.
    http.get(format!(
        "{base}/zones/{ZONE}/client_certificates?status=lost"
    ))
    .send()
    .await
    .expect("send");
    // A required body missing, and one its type cannot decode.
    http.post(format!("{base}/zones/{ZONE}/client_certificates"))
        .send()
        .await
        .expect("send");
    http.post(format!("{base}/zones/{ZONE}/client_certificates"))
        .header("content-type", "application/json")
        .body(r#"{"csr": 1, "validity_days": 365}"#)
        .send()
        .await
        .expect("send");
    // A path the spec does not have, and a method the path does not have.
    http.get(format!("{base}/zones/{ZONE}/nothing_here"))
        .send()
        .await
        .expect("send");
    http.put(format!("{base}/zones/{ZONE}/client_certificates/a"))
        .send()
        .await
        .expect("send");

    let problems = mock.take_problems();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 6, "{text:#?}");
    assert!(problems.iter().all(|p| !p.unmatched));
    let list_op =
        "client_certificates().list() `client-certificate-for-a-zone-list-client-certificates`";
    assert_eq!(problems[0].operation.as_deref(), Some(list_op));
    assert_eq!(
        problems[0].message,
        "query parameter `page`: `two` is not an integer"
    );
    assert_eq!(
        problems[0].request,
        format!("GET /zones/{ZONE}/client_certificates?page=two")
    );
    assert!(
        problems[1]
            .message
            .contains("`lost` is not one of all, active"),
        "{text:#?}"
    );
    assert!(
        problems[2]
            .operation
            .as_deref()
            .is_some_and(|o| o.starts_with("client_certificates().create()"))
            && problems[2].message == "the required request body is missing",
        "{text:#?}"
    );
    assert!(
        problems[3].message.starts_with(
            "the request body does not match the spec: field `csr` of \
             `CreateClientCertificateRequest`: invalid type: integer `1`, expected a string"
        ),
        "{text:#?}"
    );
    assert_eq!(problems[4].operation, None);
    assert!(
        problems[4].message.contains("no operation on the path"),
        "{text:#?}"
    );
    assert!(
        problems[5].message.contains("has no PUT")
            && problems[5].message.contains("GET, PATCH, DELETE"),
        "{text:#?}"
    );
}

#[tokio::test]
async fn unmatched_requests_are_listed_when_the_test_ends() {
    let mock = MockServer::start().await;
    let client: Client = mock.client().expect("client");
    mock.client_certificates()
        .get(ZONE, "a")
        .returns(cert("a"))
        .await;
    let err = client
        .client_certificates()
        .get(ZONE, "b")
        .await
        .expect_err("no stub");
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert!(
        err.api_errors()[0].message.contains("no stub matched"),
        "{err:?}"
    );
    // The same again, left for the drop to report.
    let _ = client.client_certificates().get(ZONE, "c").await;
    let report = std::panic::catch_unwind(AssertUnwindSafe(move || drop(mock)))
        .expect_err("dropping the server with problems fails the test");
    let message = report.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("received 2 unexpected request(s)"),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "GET /zones/{ZONE}/client_certificates/b (client_certificates().get()"
        )),
        "{message}"
    );
    assert!(message.contains("no stub matched"), "{message}");
}

#[tokio::test]
async fn a_stub_without_an_answer_or_with_unmet_times_fails() {
    let mock = MockServer::start().await;
    mock.client_certificates()
        .get(ZONE, "a")
        .returns(cert("a"))
        .times(1)
        .await;
    // Never called: wiremock's own verification reports the stub by its operation name.
    let report = std::panic::catch_unwind(AssertUnwindSafe(move || drop(mock)))
        .expect_err("an unmet `times` fails the test");
    let message = report.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("client_certificates().get()"), "{message}");
}
