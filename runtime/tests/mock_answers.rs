//! The `stub_answers!` macro as a generated crate expands it: every answer of the runtime's
//! `Stub` has an inherent forwarder on a stub wrapper (read from the runtime's sources, so a new
//! answer without one fails here), and a wrapper's answers reach the client over 127.0.0.1 with
//! no trait in scope. Needs the `mock` feature.

#![cfg(feature = "mock")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::time::Duration;

// The macro names the runtime `crate::runtime`, as inside a generated crate.
use openapi_client_runtime as runtime;

use runtime::mock::{MockOperation, MockResponse, MockServer, StubFor};
use runtime::{ApiConfig, Json, Method, OperationInfo};

static API: ApiConfig = ApiConfig::new("mock-answers-test/1.0");

static LIST: OperationInfo = OperationInfo {
    operation_id: "list",
    method: Method::Get,
    path_template: "/notes",
    security: &[],
    query: &[],
};

static OPERATIONS: [MockOperation; 1] = [MockOperation {
    operation_id: "list",
    call: "notes().list()",
    method: "GET",
    path: "/notes",
    params: &[],
    body: None,
    response: MockResponse::Json,
    paging: None,
}];

/// A wrapper as a generated crate writes it: typed matchers, its `StubWrapper` and one line of
/// answers.
#[derive(Debug)]
struct ListStub<'a>(StubFor<'a, Json<Vec<String>>, runtime::mock::NoPages>);

impl ListStub<'_> {
    fn tag(self, value: &str) -> Self {
        Self(self.0.query_param("tag", value))
    }
}

impl<'a> runtime::mock::StubWrapper<'a> for ListStub<'a> {
    type Decode = Json<Vec<String>>;
    type Item = runtime::mock::NoPages;
    fn into_stub(self) -> StubFor<'a, Self::Decode, Self::Item> {
        self.0
    }
}

runtime::mock::stub_answers!(ListStub);

/// The public methods of the `impl ... Stub<..> {` blocks of the runtime's sources.
fn stub_methods() -> BTreeSet<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut out = BTreeSet::new();
    for file in ["mock_stub.rs", "mock_stream.rs"] {
        let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
        let mut inside = false;
        for line in text.lines() {
            if line.starts_with("impl") {
                inside = !line.contains(" for ") && line.contains(" Stub<");
                continue;
            }
            if line.starts_with('}') {
                inside = false;
            }
            if let Some(rest) = line.strip_prefix("    pub fn ").filter(|_| inside) {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name);
            }
        }
    }
    out
}

/// The methods the macro defines.
fn macro_methods() -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/mock_answers.rs");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("pub fn "))
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn every_answer_of_a_stub_has_a_forwarder() {
    // Matchers are not answers: a wrapper has typed setters for them instead.
    let matchers = ["path_param", "query_param", "json_body"];
    let answers: BTreeSet<String> = stub_methods()
        .into_iter()
        .filter(|m| !matchers.contains(&m.as_str()))
        .collect();
    assert!(
        answers.contains("returns") && answers.contains("chunks"),
        "{answers:?}"
    );
    let forwarded = macro_methods();
    let missing: Vec<_> = answers.difference(&forwarded).collect();
    assert!(
        missing.is_empty(),
        "answers without a forwarder: {missing:?}"
    );
    let extra: Vec<_> = forwarded.difference(&answers).collect();
    assert!(extra.is_empty(), "forwarders of no answer: {extra:?}");
}

#[tokio::test]
async fn a_wrappers_answers_reach_the_client_without_an_import() {
    let mock = MockServer::start(&API, &OPERATIONS).await;
    ListStub(mock.stub(0))
        .tag("work")
        .rate_limited_first(1, Duration::from_millis(1))
        .returns(vec!["n1".to_owned()])
        .times(2)
        .await;
    let client = mock.client().unwrap();
    let notes: Vec<String> = client
        .call::<Json<Vec<String>>>(&LIST)
        .query("tag", "work")
        .send()
        .await
        .unwrap();
    assert_eq!(notes, ["n1"]);
}
