//! Test doubles for code that uses a generated client (feature `mock`): a [`MockServer`] on
//! 127.0.0.1, built on `wiremock`, that answers with the spec's types in the API's envelope,
//! serves the failures a client must survive, and checks every request against the spec.
//!
//! A generated crate's `mock` module wraps this with one typed handle per resource and one
//! method per operation, named like the client's: `mock.certificates().get("zone", "id")`
//! returns a [`Stub`]; `.returns(value)`, `.fails(..)`, `.times(1)`; `.await` mounts it.
//!
//! Every request is checked against the operation table the generated crate passes in
//! ([`MockOperation`]): an unknown path, a method the path does not have, a missing required
//! parameter or body, a value of the wrong type, or a JSON body its type cannot decode is
//! answered with `400` and recorded; a request no stub matched is answered with `404` and
//! recorded. Whatever was recorded fails the test when the server is dropped (or is returned by
//! [`MockServer::take_problems`]); a stub's [`Stub::times`] is checked then too.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use reqwest::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value, json};
use wiremock::{Match, Mock, Request, Respond, ResponseTemplate};

use super::auth::Credentials;
use super::builder::ClientBuilder;
use super::client::Client;
use super::config::{ApiConfig, EnvelopeFields, SchemeKind};
use super::error::Result;
use super::message::ApiMessage;

/// The mock-server crate this module is built on, for mocks the typed stubs do not cover.
pub use wiremock;

pub use super::mock_stream::Chunks;

/// One operation of the spec, as the mock checks and answers it. Generated crates emit a static
/// table of these; nothing here is API-specific.
#[derive(Debug)]
pub struct MockOperation {
    /// The spec's operationId.
    pub operation_id: &'static str,
    /// How the client calls it, such as `certificates().list()`.
    pub call: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, such as `/zones/{zone_id}/certificates`.
    pub path: &'static str,
    /// The path, query and header parameters.
    pub params: &'static [MockParam],
    /// The request body, if the operation takes one.
    pub body: Option<MockBody>,
    /// How a successful response is written.
    pub response: MockResponse,
    /// How the operation pages, if it is a paginated list.
    pub paging: Option<MockPaging>,
}

/// A parameter of a [`MockOperation`].
#[derive(Debug)]
pub struct MockParam {
    /// The name on the wire.
    pub name: &'static str,
    /// Where it goes.
    pub location: ParamIn,
    /// Whether the spec requires it.
    pub required: bool,
    /// What its values may be.
    pub ty: ParamType,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    /// A `{name}` of the path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
}

/// What a parameter's values may be.
#[derive(Debug)]
pub enum ParamType {
    /// Any text.
    String,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// One of these values.
    Enum(&'static [&'static str]),
    /// A list of values of a type: repeated query values, or comma-separated in a path or header.
    List(&'static ParamType),
    /// Anything (objects and other shapes the mock does not check).
    Any,
}

/// The request body of a [`MockOperation`].
#[derive(Debug)]
pub struct MockBody {
    /// Whether the spec requires it.
    pub required: bool,
    /// Its media type.
    pub content_type: &'static str,
    /// Decodes a JSON body into the client's body type; the error says what differs.
    pub check: Option<BodyCheck>,
}

/// Decodes a request body into the operation's body type; the error says what differs.
pub type BodyCheck = fn(&[u8]) -> std::result::Result<(), String>;

/// How a successful response of a [`MockOperation`] is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockResponse {
    /// The `{success, errors, messages, result, result_info}` envelope.
    Envelope,
    /// A JSON body.
    Json,
    /// A `text/plain` body.
    Text,
    /// An `application/octet-stream` body.
    Bytes,
    /// No body.
    Empty,
}

/// How a paginated operation asks for the next page. JSON paths start at the response body's
/// root (`["result_info", "cursors", "after"]`).
#[derive(Debug)]
pub struct MockPaging {
    /// The path of the items list in a page (`["result"]`; empty for a bare list).
    pub items: &'static [&'static str],
    /// How the next page is asked for.
    pub style: PagingStyle,
}

/// The pagination styles a generated client walks.
#[derive(Debug)]
pub enum PagingStyle {
    /// A page number, with the envelope's `result_info` (`page`, `per_page`, `count`,
    /// `total_count`, `total_pages`).
    PageNumber {
        /// The page parameter.
        page: &'static str,
        /// The page-size parameter.
        per_page: Option<&'static str>,
    },
    /// A cursor parameter whose next value the response gives at `next` (empty on the last page).
    Cursor {
        /// The cursor parameter.
        param: &'static str,
        /// Where the next cursor goes.
        next: &'static [&'static str],
    },
    /// The last item's id in a parameter, while a `has_more` flag is true.
    LastItemId {
        /// The parameter that takes the last id.
        param: &'static str,
        /// Where the `has_more` flag goes.
        has_more: &'static [&'static str],
        /// The id field of an item.
        id: &'static str,
    },
    /// An offset advanced by the items received.
    Offset {
        /// The offset parameter.
        param: &'static str,
        /// The page-size parameter.
        limit: Option<&'static str>,
        /// Where the total count goes.
        total: Option<&'static [&'static str]>,
    },
    /// A `Link: <url>; rel="next"` header.
    Link,
    /// The next page's URL in the body at `next` (empty on the last page).
    NextUrl {
        /// Where the next page's URL goes.
        next: &'static [&'static str],
    },
}

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

type Problems = Arc<Mutex<Vec<Problem>>>;

/// A mock of an API on 127.0.0.1 that checks requests against the spec's operations.
///
/// Generated crates wrap it (`<crate>::mock::MockServer`) with typed stubs per operation.
/// Dropping it fails the test (panics) if a request broke the spec, if a request matched no
/// stub, or if a stub's [`Stub::times`] was not met.
pub struct MockServer {
    server: wiremock::MockServer,
    /// The front door clients talk to: it passes requests to `server` and sends paced bodies.
    front: super::mock_front::Front,
    api: &'static ApiConfig,
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
        Stub {
            server: self,
            op: self.operations.get(index),
            path: Vec::new(),
            query: Vec::new(),
            body: None,
            first: Vec::new(),
            then: None,
            delay: None,
            times: None,
            types: PhantomData,
        }
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

/// What to answer once the faults (if any) are served.
enum Then {
    Fixed(ResponseTemplate),
    Pages(Pages),
}

/// Typed expectation for one operation: what requests it matches (path values, query values
/// and body, in the client's types) and what it answers. `.await` mounts it.
///
/// `R` is the operation's result type, `I` its `result_info` type, `T` its page item type.
#[must_use = "a stub does nothing until it is awaited (mounted)"]
pub struct Stub<'a, R, I = (), T = ()> {
    server: &'a MockServer,
    op: Option<&'static MockOperation>,
    path: Vec<(&'static str, String)>,
    query: Vec<(&'static str, String)>,
    body: Option<Value>,
    first: Vec<ResponseTemplate>,
    then: Option<Then>,
    delay: Option<Duration>,
    times: Option<u64>,
    types: PhantomData<fn(R, I, T)>,
}

impl<R, I, T> fmt::Debug for Stub<'_, R, I, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stub")
            .field("operation", &self.op.map(|o| o.call))
            .field("path", &self.path)
            .field("query", &self.query)
            .field("times", &self.times)
            .finish_non_exhaustive()
    }
}

impl<'a, R: Serialize, I: Serialize, T: Serialize> Stub<'a, R, I, T> {
    /// The server the stub belongs to.
    pub(crate) fn server(&self) -> &'a MockServer {
        self.server
    }

    /// Matches requests whose path parameter `name` is `value`; generated code calls this.
    #[doc(hidden)]
    pub fn path_param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.path.push((name, value.into()));
        self
    }

    /// Matches requests with the query value `name=value` (repeat for a list).
    pub fn query_param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// Matches requests whose JSON body equals `body`.
    pub fn json_body(mut self, body: &impl Serialize) -> Self {
        self.body = Some(serde_json::to_value(body).unwrap_or(Value::Null));
        self
    }

    fn kind(&self) -> MockResponse {
        self.op.map_or(MockResponse::Json, |o| o.response)
    }

    /// The API's envelope fields (operations answer in an envelope only when the API has one).
    fn fields(&self) -> EnvelopeFields {
        self.server.api.envelope.unwrap_or(EnvelopeFields::USUAL)
    }

    /// Answers with `result`, in the envelope when the API has one.
    pub fn returns(self, result: R) -> Self {
        self.answer(&result, None::<&()>)
    }

    /// Answers with `result` and the envelope's `result_info`.
    pub fn returns_with_info(self, result: R, info: I) -> Self {
        self.answer(&result, Some(&info))
    }

    fn answer(mut self, result: &impl Serialize, info: Option<&impl Serialize>) -> Self {
        let value = serde_json::to_value(result).unwrap_or(Value::Null);
        let template = match self.kind() {
            MockResponse::Envelope => {
                let fields = self.fields();
                let mut body = envelope(&fields, true, Vec::new());
                body[fields.result] = value;
                if let (Some(info), Some(name)) = (info, fields.result_info) {
                    body[name] = serde_json::to_value(info).unwrap_or(Value::Null);
                }
                ResponseTemplate::new(200).set_body_json(body)
            }
            MockResponse::Json => ResponseTemplate::new(200).set_body_json(value),
            MockResponse::Text => ResponseTemplate::new(200).set_body_raw(
                value.as_str().unwrap_or_default().as_bytes().to_vec(),
                "text/plain",
            ),
            MockResponse::Bytes => {
                let bytes: Vec<u8> = serde_json::from_value(value).unwrap_or_default();
                ResponseTemplate::new(200).set_body_raw(bytes, "application/octet-stream")
            }
            MockResponse::Empty => ResponseTemplate::new(204),
        };
        self.then = Some(Then::Fixed(template));
        self
    }

    /// Answers with an error status and these `errors` in the envelope
    /// (`{"success": false, "errors": [..]}`; a body of just the errors for APIs without one).
    pub fn fails(
        mut self,
        status: StatusCode,
        errors: impl IntoIterator<Item = ApiMessage>,
    ) -> Self {
        let errors: Vec<ApiMessage> = errors.into_iter().collect();
        let body = match self.kind() {
            MockResponse::Envelope => envelope(&self.fields(), false, errors),
            _ => error_body(self.server.api, errors),
        };
        self.then = Some(Then::Fixed(
            ResponseTemplate::new(status.as_u16()).set_body_json(body),
        ));
        self
    }

    /// Answers with an error status and this JSON body (a typed error body of the spec).
    pub fn fails_with(mut self, status: StatusCode, body: impl Serialize) -> Self {
        self.then = Some(Then::Fixed(
            ResponseTemplate::new(status.as_u16()).set_body_json(body),
        ));
        self
    }

    /// Answers `200` with `{"success": false, "errors": [..]}`: a failure the status hides.
    pub fn unsuccessful(mut self, errors: impl IntoIterator<Item = ApiMessage>) -> Self {
        let body = envelope(&self.fields(), false, errors.into_iter().collect());
        self.then = Some(Then::Fixed(ResponseTemplate::new(200).set_body_json(body)));
        self
    }

    /// Answers `200` with a JSON body cut short.
    pub fn malformed(mut self) -> Self {
        self.then = Some(Then::Fixed(
            ResponseTemplate::new(200)
                .set_body_raw(b"{\"success\": tru".to_vec(), "application/json"),
        ));
        self
    }

    /// Answers with this response, for anything the other methods do not cover.
    pub fn respond_with(mut self, response: ResponseTemplate) -> Self {
        self.then = Some(Then::Fixed(response));
        self
    }

    /// Delays every answer by `delay` (a slow server; pair it with a client timeout).
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Answers the first `times` requests with `429 Too Many Requests` and
    /// `Retry-After: <seconds>` (rounded up), then as configured.
    pub fn rate_limited_first(mut self, times: usize, retry_after: Duration) -> Self {
        let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
        for _ in 0..times {
            let body = error_body(self.server.api, vec![ApiMessage::new(429, "rate limited")]);
            self.first.push(
                ResponseTemplate::new(429)
                    .insert_header("retry-after", seconds.to_string().as_str())
                    .set_body_json(body),
            );
        }
        self
    }

    /// Answers the first `times` requests with `status` (a 5xx), then as configured.
    pub fn server_error_first(mut self, times: usize, status: StatusCode) -> Self {
        for _ in 0..times {
            let body = error_body(
                self.server.api,
                vec![ApiMessage::new(i64::from(status.as_u16()), "server error")],
            );
            self.first
                .push(ResponseTemplate::new(status.as_u16()).set_body_json(body));
        }
        self
    }

    /// Serves `items` over pages of `page_size` (the request's own page size wins when it sends
    /// one), in the operation's pagination style: `result_info`, a cursor, the last id with
    /// `has_more`, an offset, a `Link` header, or the next page's URL in the body.
    pub fn paged(self, items: Vec<T>, page_size: usize) -> Self {
        self.paged_in(Value::Object(Map::new()), items, page_size)
    }

    /// Like [`Stub::paged`], each page built on `page`: the body's other fields (for lists whose
    /// body has required fields besides the items).
    pub fn paged_with(self, page: R, items: Vec<T>, page_size: usize) -> Self {
        let shell = serde_json::to_value(page).unwrap_or(Value::Object(Map::new()));
        self.paged_in(shell, items, page_size)
    }

    fn paged_in(mut self, shell: Value, items: Vec<T>, page_size: usize) -> Self {
        let items = items
            .iter()
            .map(|i| serde_json::to_value(i).unwrap_or(Value::Null))
            .collect();
        let fields = self.fields();
        let shell = if self.kind() == MockResponse::Envelope {
            envelope(&fields, true, Vec::new())
        } else {
            shell
        };
        self.then = self.op.and_then(|o| o.paging.as_ref()).map(|paging| {
            Then::Pages(Pages {
                items,
                page_size: page_size.max(1),
                shell,
                paging,
                result_info: fields.result_info.unwrap_or("result_info"),
                base: self.server.uri(),
            })
        });
        self
    }

    /// Expects exactly `n` matching requests (every answer counts, faults included); checked
    /// when the server is dropped.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    #[allow(clippy::panic)] // A test double fails the test by panicking.
    async fn mount(self) {
        let Some(op) = self.op else {
            panic!("mock: stub for an operation the server does not know");
        };
        let Some(then) = self.then else {
            panic!(
                "mock: the stub for `{}` has no answer: call `returns`, `fails` or another answer before `.await`",
                op.call
            );
        };
        let mut mock = Mock::given(wiremock::matchers::method(op.method)).and(PathIs {
            template: op.path,
            values: self.path,
        });
        for (name, value) in self.query {
            mock = mock.and(wiremock::matchers::query_param(name, value.as_str()));
        }
        if let Some(body) = self.body {
            mock = mock.and(wiremock::matchers::body_json(body));
        }
        let mut mock = mock
            .respond_with(Answer {
                first: self.first,
                then,
                delay: self.delay,
                served: AtomicUsize::new(0),
            })
            .named(op.call);
        if let Some(n) = self.times {
            mock = mock.expect(n);
        }
        self.server.server.register(mock).await;
    }
}

impl<'a, R, I, T> IntoFuture for Stub<'a, R, I, T>
where
    R: Serialize + 'a,
    I: Serialize + 'a,
    T: Serialize + 'a,
{
    type Output = ();
    type IntoFuture = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.mount())
    }
}

/// An envelope by the API's field names: `success` and `errors` as given, no messages, and a
/// `null` result (`{"success": .., "errors": [..], "messages": [], "result": null}`).
fn envelope(fields: &EnvelopeFields, success: bool, errors: Vec<ApiMessage>) -> Value {
    let mut body = Map::new();
    if let Some(name) = fields.success {
        body.insert(name.to_owned(), Value::Bool(success));
    }
    if let Some(name) = fields.errors {
        body.insert(
            name.to_owned(),
            serde_json::to_value(errors).unwrap_or(Value::Null),
        );
    }
    if let Some(name) = fields.messages {
        body.insert(name.to_owned(), Value::Array(Vec::new()));
    }
    body.insert(fields.result.to_owned(), Value::Null);
    Value::Object(body)
}

/// An error body as the API writes them: its envelope with `success: false` when it has one,
/// else `{"errors": [..]}` with the first message also where the API's error bodies hold it
/// (`error.message`, say), so the client's `Display` shows it.
fn error_body(api: &ApiConfig, errors: Vec<ApiMessage>) -> Value {
    if let Some(fields) = &api.envelope {
        return envelope(fields, false, errors);
    }
    let first = errors.first().map(|e| e.message.clone());
    let mut body = json!({ "errors": errors });
    if let Some(text) = first.filter(|_| !api.error_message.is_empty()) {
        set_at(&mut body, api.error_message, Value::String(text));
    }
    body
}

/// The stub's answers: the faults in order, then the fixed answer or the pages.
struct Answer {
    first: Vec<ResponseTemplate>,
    then: Then,
    delay: Option<Duration>,
    served: AtomicUsize,
}

impl Respond for Answer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let n = self.served.fetch_add(1, Ordering::SeqCst);
        let template = match (self.first.get(n), &self.then) {
            (Some(fault), _) => fault.clone(),
            (None, Then::Fixed(t)) => t.clone(),
            (None, Then::Pages(pages)) => pages.page(request),
        };
        match self.delay {
            Some(d) => template.set_delay(d),
            None => template,
        }
    }
}

/// A list served page by page.
struct Pages {
    items: Vec<Value>,
    page_size: usize,
    shell: Value,
    paging: &'static MockPaging,
    /// The envelope field that page numbers go in.
    result_info: &'static str,
    /// The server's base URL, for `Link` headers.
    base: String,
}

impl Pages {
    fn page(&self, request: &Request) -> ResponseTemplate {
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let number =
            |name: Option<&str>| name.and_then(query).and_then(|v| v.parse::<usize>().ok());
        let total = self.items.len();
        let mut size = self.page_size;
        let start = match &self.paging.style {
            PagingStyle::PageNumber { page, per_page } => {
                size = number(*per_page).unwrap_or(size).max(1);
                number(Some(page))
                    .unwrap_or(1)
                    .max(1)
                    .saturating_sub(1)
                    .saturating_mul(size)
            }
            PagingStyle::Cursor { param, .. } => query(param)
                .and_then(|c| c.strip_prefix("page-").and_then(|n| n.parse().ok()))
                .unwrap_or(0),
            PagingStyle::LastItemId { param, id, .. } => match query(param) {
                Some(last) => self
                    .items
                    .iter()
                    .position(|i| i.get(id).and_then(Value::as_str) == Some(last.as_str()))
                    .map_or(total, |p| p + 1),
                None => 0,
            },
            PagingStyle::Offset { param, limit, .. } => {
                size = number(*limit).unwrap_or(size).max(1);
                number(Some(param)).unwrap_or(0)
            }
            PagingStyle::Link | PagingStyle::NextUrl { .. } => number(Some(LINK_PAGE)).unwrap_or(0),
        };
        let start = start.min(total);
        let end = start.saturating_add(size).min(total);
        let more = end < total;
        let mut body = self.shell.clone();
        set_at(
            &mut body,
            self.paging.items,
            Value::Array(self.items[start..end].to_vec()),
        );
        let mut template = ResponseTemplate::new(200);
        match &self.paging.style {
            PagingStyle::PageNumber { .. } => {
                let info = json!({
                    "page": start / size + 1,
                    "per_page": size,
                    "count": end - start,
                    "total_count": total,
                    "total_pages": total.div_ceil(size).max(1),
                });
                set_at(&mut body, &[self.result_info], info);
            }
            PagingStyle::Cursor { next, .. } => {
                let cursor = if more {
                    format!("page-{end}")
                } else {
                    String::new()
                };
                set_at(&mut body, next, Value::String(cursor));
            }
            PagingStyle::LastItemId { has_more, .. } => {
                set_at(&mut body, has_more, Value::Bool(more));
            }
            PagingStyle::Offset {
                total: Some(path), ..
            } => {
                set_at(&mut body, path, json!(total));
            }
            PagingStyle::Offset { total: None, .. } => {}
            PagingStyle::Link if more => {
                // The server's own origin: wiremock names every request's host `localhost`.
                let link = format!("{}{}", self.base, next_target(request, end));
                template =
                    template.insert_header("link", format!("<{link}>; rel=\"next\"").as_str());
            }
            PagingStyle::Link => {}
            PagingStyle::NextUrl { next } => {
                // A path and query on the server's host, resolved by the client (Twilio's style).
                let url = if more {
                    next_target(request, end)
                } else {
                    String::new()
                };
                set_at(&mut body, next, Value::String(url));
            }
        }
        template.set_body_json(body)
    }
}

/// The path and query of the page starting at item `start`: the request's, with [`LINK_PAGE`]
/// set to `start`.
fn next_target(request: &Request, start: usize) -> String {
    let mut url = request.url.clone();
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != LINK_PAGE)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair(LINK_PAGE, &start.to_string());
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

/// The query value that numbers the pages a `Link` header or next-page URL points to.
const LINK_PAGE: &str = "mock_page";

/// Puts `value` at `path` in `root`, creating objects on the way (an empty path replaces it).
fn set_at(root: &mut Value, path: &[&str], value: Value) {
    let mut at = root;
    for key in path {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Value::Object(map) = at else { return };
        at = map.entry((*key).to_owned()).or_insert(Value::Null);
    }
    *at = value;
}

/// Matches the path of a stub: the template with the stub's values, segment by segment.
struct PathIs {
    template: &'static str,
    values: Vec<(&'static str, String)>,
}

impl Match for PathIs {
    fn matches(&self, request: &Request) -> bool {
        let Some(found) = match_template(self.template, request.url.path()) else {
            return false;
        };
        self.values
            .iter()
            .all(|(name, value)| found.iter().any(|(n, v)| n == name && v == value))
    }
}

/// The path values if `path` fits `template` (values percent-decoded), else `None`.
fn match_template(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let want: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if want.len() != got.len() {
        return None;
    }
    let mut values = Vec::new();
    for (w, g) in want.iter().zip(&got) {
        let decoded = percent_decode_str(g).decode_utf8_lossy();
        match_segment(w, &decoded, &mut values)?;
    }
    Some(values)
}

/// Matches one segment: literal text and `{name}` placeholders (each at least one character).
fn match_segment(template: &str, text: &str, values: &mut Vec<(String, String)>) -> Option<()> {
    let Some(open) = template.find('{') else {
        return (template == text).then_some(());
    };
    let text = text.strip_prefix(&template[..open])?;
    let rest = &template[open + 1..];
    let close = rest.find('}')?;
    let name = &rest[..close];
    let after = &rest[close + 1..];
    // The literal that follows the placeholder ends its value.
    let literal_end = after.find('{').unwrap_or(after.len());
    let literal = &after[..literal_end];
    let end = if literal.is_empty() {
        if literal_end == after.len() {
            text.len()
        } else {
            1.min(text.len())
        }
    } else if literal_end == after.len() {
        text.strip_suffix(literal).map(str::len)?
    } else {
        text.get(1..)?.find(literal)? + 1
    };
    if end == 0 {
        return None;
    }
    values.push((name.to_owned(), text[..end].to_owned()));
    match_segment(after, &text[end..], values)
}

/// Matches requests that break the spec.
struct BreaksSpec(&'static [MockOperation]);

impl Match for BreaksSpec {
    fn matches(&self, request: &Request) -> bool {
        check(self.0, request).is_err()
    }
}

/// Records requests that break the spec (answering 400) or that no stub matched (404).
struct Checker {
    api: &'static ApiConfig,
    operations: &'static [MockOperation],
    problems: Problems,
    unmatched: bool,
}

impl Respond for Checker {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let (operation, message, status) = match check(self.operations, request) {
            Err((op, message)) => (op, message, 400),
            Ok(op) => (
                Some(op),
                "no stub matched this request (its path values, query or body differ from every stub's)"
                    .to_owned(),
                404,
            ),
        };
        let target = match request.url.query() {
            Some(q) => format!("{} {}?{q}", request.method, request.url.path()),
            None => format!("{} {}", request.method, request.url.path()),
        };
        let problem = Problem {
            operation: operation.map(|o| format!("{} `{}`", o.call, o.operation_id)),
            request: target,
            message,
            unmatched: self.unmatched && status == 404,
        };
        let text = format!("mock: {problem}");
        match self.problems.lock() {
            Ok(mut list) => list.push(problem),
            Err(poisoned) => poisoned.into_inner().push(problem),
        }
        ResponseTemplate::new(status)
            .set_body_json(error_body(self.api, vec![ApiMessage::new(0, text)]))
    }
}

type Checked =
    std::result::Result<&'static MockOperation, (Option<&'static MockOperation>, String)>;

/// The operation a request is for, or what about it the spec does not allow.
fn check(operations: &'static [MockOperation], request: &Request) -> Checked {
    let path = request.url.path();
    // The most literal template wins (`/a/list` over `/a/{id}`).
    let literal = |t: &str| t.split('/').filter(|s| !s.contains('{')).count();
    let mut on_path: Vec<(&MockOperation, Vec<(String, String)>)> = operations
        .iter()
        .filter_map(|o| match_template(o.path, path).map(|v| (o, v)))
        .collect();
    on_path.sort_by_key(|(o, _)| std::cmp::Reverse(literal(o.path)));
    if on_path.is_empty() {
        return Err((
            None,
            format!("the spec has no operation on the path `{path}`"),
        ));
    }
    let method = request.method.as_str();
    let Some((op, values)) = on_path.iter().find(|(o, _)| o.method == method) else {
        let allowed: Vec<&str> = on_path.iter().map(|(o, _)| o.method).collect();
        return Err((
            None,
            format!(
                "the spec has no {method} on `{}` (it has {})",
                on_path[0].0.path,
                allowed.join(", ")
            ),
        ));
    };
    let op: &'static MockOperation = op;
    let fail = |message: String| Err((Some(op), message));
    for p in op.params {
        let found: Vec<String> = match p.location {
            ParamIn::Path => values
                .iter()
                .filter(|(n, _)| n == p.name)
                .map(|(_, v)| v.clone())
                .collect(),
            ParamIn::Query => request
                .url
                .query_pairs()
                .filter(|(k, _)| k == p.name)
                .map(|(_, v)| v.into_owned())
                .collect(),
            ParamIn::Header => request
                .headers
                .get_all(p.name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect(),
        };
        let place = match p.location {
            ParamIn::Path => "path parameter",
            ParamIn::Query => "query parameter",
            ParamIn::Header => "header",
        };
        if found.is_empty() {
            if p.required {
                return fail(format!("the required {place} `{}` is missing", p.name));
            }
            continue;
        }
        for value in &found {
            if let Err(why) = check_value(&p.ty, value, p.location) {
                return fail(format!("{place} `{}`: `{value}` {why}", p.name));
            }
        }
    }
    if let Some(body) = &op.body {
        if request.body.is_empty() {
            if body.required {
                return fail("the required request body is missing".to_owned());
            }
        } else {
            let sent = request
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let media = sent.split(';').next().unwrap_or_default().trim();
            let wanted = body
                .content_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim();
            if !media.eq_ignore_ascii_case(wanted) && !wanted.ends_with("/*") {
                return fail(format!(
                    "the body's content type is `{sent}`, the spec's is `{}`",
                    body.content_type
                ));
            }
            if let Some(decode) = body.check {
                if let Err(why) = decode(&request.body) {
                    return fail(format!("the request body does not match the spec: {why}"));
                }
            }
        }
    } else if !request.body.is_empty() {
        return fail("the operation takes no request body, but one was sent".to_owned());
    }
    Ok(op)
}

/// Whether `value` is one the parameter type allows; the error completes "`value` ...".
fn check_value(ty: &ParamType, value: &str, location: ParamIn) -> std::result::Result<(), String> {
    match ty {
        ParamType::String | ParamType::Any => Ok(()),
        ParamType::Integer => value
            .parse::<i64>()
            .map(|_| ())
            .map_err(|_| "is not an integer".to_owned()),
        ParamType::Number => value
            .parse::<f64>()
            .map(|_| ())
            .map_err(|_| "is not a number".to_owned()),
        ParamType::Boolean => match value {
            "true" | "false" => Ok(()),
            _ => Err("is not `true` or `false`".to_owned()),
        },
        ParamType::Enum(allowed) => {
            if allowed.contains(&value) {
                Ok(())
            } else {
                Err(format!("is not one of {}", allowed.join(", ")))
            }
        }
        ParamType::List(inner) => {
            if location == ParamIn::Query {
                check_value(inner, value, location)
            } else {
                value
                    .split(',')
                    .try_for_each(|v| check_value(inner, v, location))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_segment_by_segment() {
        let v = match_template("/zones/{zone_id}/certs/{id}", "/zones/z1/certs/a%2Fb");
        assert_eq!(
            v,
            Some(vec![
                ("zone_id".into(), "z1".into()),
                ("id".into(), "a/b".into())
            ])
        );
        assert_eq!(match_template("/zones/{zone_id}", "/zones/z1/x"), None);
        assert_eq!(match_template("/zones/{zone_id}", "/zones/"), None);
        assert_eq!(
            match_template("/files/{name}.json", "/files/a.b.json"),
            Some(vec![("name".into(), "a.b".into())])
        );
        assert_eq!(match_template("/files/{name}.json", "/files/a.yaml"), None);
        assert_eq!(
            match_template("/v/{a}-{b}", "/v/x-y"),
            Some(vec![("a".into(), "x".into()), ("b".into(), "y".into())])
        );
    }

    #[test]
    fn values_are_checked_by_type() {
        assert!(check_value(&ParamType::Integer, "12", ParamIn::Query).is_ok());
        assert_eq!(
            check_value(&ParamType::Integer, "x", ParamIn::Query),
            Err("is not an integer".to_owned())
        );
        assert!(check_value(&ParamType::Enum(&["a", "b"]), "c", ParamIn::Query).is_err());
        assert!(check_value(&ParamType::List(&ParamType::Integer), "1,2", ParamIn::Path).is_ok());
        assert!(
            check_value(
                &ParamType::List(&ParamType::Integer),
                "1,x",
                ParamIn::Header
            )
            .is_err()
        );
        assert!(check_value(&ParamType::Boolean, "yes", ParamIn::Query).is_err());
    }

    #[test]
    fn set_at_builds_objects() {
        let mut v = json!({"result": []});
        set_at(&mut v, &["result_info", "cursors", "after"], json!("c"));
        assert_eq!(
            v,
            json!({"result": [], "result_info": {"cursors": {"after": "c"}}})
        );
        set_at(&mut v, &[], json!([1]));
        assert_eq!(v, json!([1]));
    }
}
