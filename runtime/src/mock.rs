//! Test doubles for code that uses a generated client (feature `mock`): a [`MockServer`] on
//! 127.0.0.1, built on `wiremock`, that answers with the spec's types in the API's envelope,
//! serves the failures a client must survive, and checks every request against the spec.
//!
//! A generated crate's `mock` module wraps this with one typed handle per resource and one
//! method per operation, named like the client's: `mock.certificates().get("zone", "id")`
//! returns a [`Stub`]; `.returns(value)`, `.fails(..)`, `.times(1)`; `.await` mounts it. A stub
//! with query matchers is a small generated [`StubWrapper`] with the same answers as inherent
//! methods (the runtime's `stub_answers!` macro writes them), so users import nothing.
//!
//! Every request is checked against the operation table the generated crate passes in
//! ([`MockOperation`]): an unknown path, a method the path does not have, a missing required
//! parameter or body, a value of the wrong type, or a JSON body its type cannot decode is
//! answered with `400` and recorded; a request no stub matched is answered with `404` and
//! recorded. Whatever was recorded fails the test when the server is dropped (or is returned by
//! [`MockServer::take_problems`]); a stub's [`Stub::times`] is checked then too.
//!
//! The parts live in files of their own: the table (`mock_table.rs`), stubs and their answers
//! (`mock_stub.rs`, `mock_answers.rs`, `mock_stream.rs`), page serving (`mock_pages.rs`) and
//! the request checks (`mock_check.rs`).

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wiremock::Mock;

use super::auth::Credentials;
use super::builder::ClientBuilder;
use super::client::Client;
use super::config::{ApiConfig, SchemeKind};
use super::error::Result;
use super::mock_check::{BreaksSpec, Checker};

/// The mock-server crate this module is built on, for mocks the typed stubs do not cover.
pub use wiremock;

pub use super::mock_answers::{ItemOf, MetaOf, OutputOf, StubOf, StubWrapper};
pub use super::mock_stream::Chunks;
pub use super::mock_stub::{NoPages, Stub, StubFor};
pub use super::mock_table::{
    BodyCheck, MockBody, MockOperation, MockPaging, MockParam, MockResponse, PagingStyle, ParamIn,
    ParamType, check_json,
};
// Reachable as `<runtime>::mock::stub_answers!` both as a crate and when vendored.
#[doc(hidden)]
pub use crate::__stub_answers as stub_answers;

/// Something a test did not expect: a request the spec does not allow, or one no stub matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The operation the request was for (`certificates().list()`), if its path and method
    /// are the spec's.
    pub operation: Option<String>,
    /// The request: method, path and query.
    pub request: String,
    /// What is wrong.
    pub message: String,
    /// Whether the request was valid but no stub matched it.
    pub unmatched: bool,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.operation {
            Some(op) => write!(f, "{} ({op}): {}", self.request, self.message),
            None => write!(f, "{}: {}", self.request, self.message),
        }
    }
}

/// The problems recorded so far, shared with the checks mounted on the server.
pub(crate) type Problems = Arc<Mutex<Vec<Problem>>>;

/// A mock of an API on 127.0.0.1 that checks requests against the spec's operations.
///
/// Generated crates wrap it (`<crate>::mock::MockServer`) with typed stubs per operation.
/// Dropping it fails the test (panics) if a request broke the spec, if a request matched no
/// stub, or if a stub's [`Stub::times`] was not met.
pub struct MockServer {
    pub(crate) server: wiremock::MockServer,
    /// The front door clients talk to: it passes requests to `server` and sends paced bodies.
    front: super::mock_front::Front,
    pub(crate) api: &'static ApiConfig,
    operations: &'static [MockOperation],
    problems: Problems,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.front.uri)
            .field("operations", &self.operations.len())
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server on 127.0.0.1 (a free port) for `api`, checking requests against
    /// `operations`.
    pub async fn start(api: &'static ApiConfig, operations: &'static [MockOperation]) -> Self {
        let server = wiremock::MockServer::start().await;
        let problems: Problems = Arc::default();
        // Requests that break the spec win over every stub; requests no stub matched land last.
        Mock::given(BreaksSpec(operations))
            .respond_with(Checker {
                api,
                operations,
                problems: problems.clone(),
                unmatched: false,
            })
            .with_priority(1)
            .named("requests the spec does not allow")
            .mount(&server)
            .await;
        Mock::given(wiremock::matchers::any())
            .respond_with(Checker {
                api,
                operations,
                problems: problems.clone(),
                unmatched: true,
            })
            .with_priority(u8::MAX)
            .named("requests no stub matched")
            .mount(&server)
            .await;
        let front = super::mock_front::Front::start(server.uri()).await;
        Self {
            server,
            front,
            api,
            operations,
            problems,
        }
    }

    /// The server's base URL, such as `http://127.0.0.1:40123`. A small front server listens
    /// there and passes every request to wiremock, so that a stub can send its body piece by
    /// piece ([`Stub::chunks`]).
    pub fn uri(&self) -> String {
        self.front.uri.clone()
    }

    /// Keeps a paced body for [`Stub::chunks`]; the key goes in wiremock's answer.
    pub(crate) fn paced(&self, chunks: Chunks) -> String {
        self.front.paced.add(chunks)
    }

    /// The `wiremock` server, to mount mocks of your own (they answer through [`Self::uri`]).
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// The operations the server knows.
    pub fn operations(&self) -> &'static [MockOperation] {
        self.operations
    }

    /// A client builder pointed at this server, with test credentials for the API's first
    /// credential set, a 1-10 ms retry backoff and `Retry-After` waits capped at 50 ms, so
    /// fault scenarios do not sleep.
    pub fn client_builder(&self) -> ClientBuilder {
        let mut builder = ClientBuilder::new(self.api)
            .base_url(self.uri())
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(10))
            .max_retry_after(Duration::from_millis(50));
        if let Some(set) = self.api.credential_sets.first() {
            let mut credentials = Credentials::new(set.name);
            for key in set.schemes {
                credentials = match self.api.scheme(key).map(|s| &s.kind) {
                    Some(SchemeKind::Basic) => credentials.basic(key, "test-user", "test-password"),
                    _ => credentials.secret(key, format!("test-{key}")),
                };
            }
            builder = builder.credentials(credentials);
        }
        builder
    }

    /// A client pointed at this server; see [`MockServer::client_builder`].
    pub fn client(&self) -> Result<Client> {
        self.client_builder().build()
    }

    /// A stub for `operations[index]`; generated code calls this.
    #[doc(hidden)]
    pub fn stub<R, I, T>(&self, index: usize) -> Stub<'_, R, I, T> {
        Stub::new(self, self.operations.get(index))
    }

    /// The problems recorded so far (they no longer fail the test when the server is dropped).
    pub fn take_problems(&self) -> Vec<Problem> {
        match self.problems.lock() {
            Ok(mut list) => std::mem::take(&mut *list),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }
}

impl Drop for MockServer {
    #[allow(clippy::panic)] // A test double fails the test by panicking.
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let problems = self.take_problems();
        if !problems.is_empty() {
            let list: Vec<String> = problems.iter().map(|p| format!("- {p}")).collect();
            panic!(
                "the mock server received {} unexpected request(s):\n{}",
                problems.len(),
                list.join("\n")
            );
        }
    }
}
