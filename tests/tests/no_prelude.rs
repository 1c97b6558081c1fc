//! The everyday flow with only the crate's `Client` in scope (no prelude, no trait import):
//! `Client::builder()` with a credential method and the runtime's settings, `Client::from_env()`,
//! `client.<resource>().<operation>(..)` awaited, sent and sent with its response and options,
//! the mock's own client, and the conversion that shares one runtime client. This file compiling
//! is half the test; the other half is that the calls reach the mock. Stubbing the mock, query
//! matchers included, needs no import either.

use cloudflare_client_certificates::Client;

const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";

#[tokio::test]
async fn builder_from_env_and_resource_calls_need_only_client() {
    let mock = cloudflare_client_certificates::mock::MockServer::start().await;
    mock.hostname_associations()
        .list(ZONE)
        .returns(Default::default())
        .times(4)
        .await;

    // The mock hands out this crate's `Client`.
    let from_mock: Client = mock.client().expect("client");
    from_mock
        .hostname_associations()
        .list(ZONE)
        .await
        .expect("awaited");

    let client = Client::builder()
        .api_token("token")
        .base_url(mock.uri())
        .timeout(std::time::Duration::from_secs(5))
        .max_retries(0)
        .build()
        .expect("client");
    client
        .hostname_associations()
        .list(ZONE)
        .send()
        .await
        .expect("sent");
    let response = client
        .hostname_associations()
        .list(ZONE)
        .options(cloudflare_client_certificates::RequestOptions::new().max_retries(1))
        .send_with_response()
        .await
        .expect("sent with its response");
    assert!(response.status().is_success());

    // Another crate generated from the same API would wrap the same runtime client.
    let shared = Client::from(client.runtime().clone());
    shared
        .hostname_associations()
        .list(ZONE)
        .await
        .expect("shared");

    // `from_env` is an inherent function too; without credentials in the environment it says so.
    if std::env::var_os("CLOUDFLARE_API_TOKEN").is_none()
        && std::env::var_os("CLOUDFLARE_API_KEY").is_none()
        && std::env::var_os("CLOUDFLARE_API_USER_SERVICE_KEY").is_none()
    {
        let err = Client::from_env().expect_err("no credentials in the environment");
        assert!(err.to_string().contains("CLOUDFLARE_API_TOKEN"), "{err}");
    }
    assert!(mock.take_problems().is_empty());
}
