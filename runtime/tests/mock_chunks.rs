//! The mock server's paced bodies (`Stub::chunks`) over 127.0.0.1: each piece arrives as it is
//! sent (the first event is read while the server still holds the rest), a pause delays what
//! follows, and a failure mid-stream is an `Err` item. Needs the `mock` feature.

#![cfg(feature = "mock")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use openapi_client_runtime::mock::{Chunks, MockOperation, MockResponse, MockServer};
use openapi_client_runtime::{ApiConfig, Error, Json, Method, OperationInfo};
use serde_json::{Value, json};
use tokio::sync::Notify;

static API: ApiConfig = ApiConfig::new("mock-chunks-test/1.0");

static EVENTS: OperationInfo = OperationInfo {
    operation_id: "events",
    method: Method::Get,
    path_template: "/events",
    security: &[],
    query: &[],
};

static OPERATIONS: [MockOperation; 1] = [MockOperation {
    operation_id: "events",
    call: "events()",
    method: "GET",
    path: "/events",
    params: &[],
    body: None,
    response: MockResponse::Json,
    paging: None,
}];

/// How long a step may take before the test calls it hung.
const HUNG: Duration = Duration::from_secs(20);

#[tokio::test]
async fn events_arrive_one_at_a_time_with_the_pause_between() {
    let mock = MockServer::start(&API, &OPERATIONS).await;
    let gate = Arc::new(Notify::new());
    let pause = Duration::from_millis(300);
    mock.stub::<Value, (), ()>(0)
        .chunks(
            Chunks::events()
                .event(&json!({"n": 1}))
                .wait_for(gate.clone())
                .pause(pause)
                .named_event("delta", &json!({"n": 2}))
                .done(),
        )
        .times(1)
        .await;
    let client = mock.client().unwrap();
    let mut events = client.call::<Json<()>>(&EVENTS).sse::<Value>();
    // The server holds the rest until the gate opens: the first event must arrive before.
    let first = tokio::time::timeout(HUNG, events.next())
        .await
        .expect("the first event arrives before the rest of the body is sent")
        .expect("an item")
        .expect("an event");
    assert_eq!(first.data, json!({"n": 1}));
    let opened = Instant::now();
    gate.notify_one();
    let second = tokio::time::timeout(HUNG, events.next())
        .await
        .expect("the second event")
        .expect("an item")
        .expect("an event");
    assert!(
        opened.elapsed() >= pause,
        "the second event came {:?} after the gate, before the {pause:?} pause",
        opened.elapsed()
    );
    assert_eq!(second.event.as_deref(), Some("delta"));
    assert_eq!(second.data, json!({"n": 2}));
    assert!(events.next().await.is_none(), "[DONE] ends the stream");
}

#[tokio::test]
async fn a_failure_mid_stream_is_an_err_after_the_items_before_it() {
    let mock = MockServer::start(&API, &OPERATIONS).await;
    mock.stub::<Value, (), ()>(0)
        .chunks(
            Chunks::lines()
                .line(&json!({"n": 1}))
                .pause(Duration::from_millis(20))
                .raw("{\"n\": ")
                .fail(),
        )
        .await;
    let client = mock.client().unwrap();
    let mut lines = client
        .call::<Json<()>>(&EVENTS)
        .json_lines::<Value>("application/x-ndjson");
    let first = lines.next().await.expect("an item").expect("a line");
    assert_eq!(first, json!({"n": 1}));
    let err = lines
        .next()
        .await
        .expect("an item")
        .expect_err("a dropped connection");
    assert!(
        matches!(err, Error::Connection { .. } | Error::Stream { .. }),
        "{err:?}"
    );
    assert!(lines.next().await.is_none(), "the error ends the stream");
}

#[tokio::test]
async fn plain_stubs_still_answer_through_the_front() {
    let mock = MockServer::start(&API, &OPERATIONS).await;
    mock.stub::<Value, (), ()>(0)
        .events(vec![json!({"n": 1}), json!({"n": 2})])
        .await;
    let client = mock.client().unwrap();
    let all = client
        .call::<Json<()>>(&EVENTS)
        .sse::<Value>()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, [json!({"n": 1}), json!({"n": 2})]);
}
