//! The typed stub of one operation ([`Stub`]): what requests it matches (path values, query
//! values, body) and what it answers (the result in the API's envelope, failures, faults,
//! pages), mounted on the server by `.await`. Also the error bodies the mock writes.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value, json};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use super::config::{ApiConfig, EnvelopeFields};
use super::decode::Decode;
use super::message::ApiMessage;
use super::mock::MockServer;
use super::mock_check::PathIs;
use super::mock_pages::{Pages, set_at};
use super::mock_table::{MockOperation, MockResponse};

/// What to answer once the faults (if any) are served.
enum Then {
    Fixed(ResponseTemplate),
    Pages(Pages),
}

/// Typed expectation for one operation: what requests it matches (path values, query values
/// and body, in the client's types) and what it answers. `.await` mounts it.
///
/// `R` is the operation's result type, `I` its `result_info` type, `T` its page item type
/// ([`NoPages`] for an operation that does not paginate: it has no `paged`, `paged_with` or
/// `returns_with_info`). Generated code names a stub by the client's decode type
/// ([`StubFor`]), so a stub answers with exactly what the client decodes.
#[must_use = "a stub does nothing until it is awaited (mounted)"]
pub struct Stub<'a, R, I = (), T = NoPages> {
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

/// The page item type of a stub whose operation does not paginate: it has no values, and a stub
/// with it has no `paged`, `paged_with` or `returns_with_info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPages {}

/// The stub of an operation whose response the client decodes as `D` ([`Envelope`],
/// [`Json`](super::Json), [`Text`](super::Text), ...): it answers with `D`'s output and
/// `result_info` types, and pages of `T` items when the operation paginates.
///
/// [`Envelope`]: super::Envelope
pub type StubFor<'a, D, T = NoPages> = Stub<'a, <D as Decode>::Output, <D as Decode>::Meta, T>;

impl<'a, R, I, T> Stub<'a, R, I, T> {
    /// A stub for `op` (`None`: an index the server does not know; mounting it fails).
    pub(crate) fn new(server: &'a MockServer, op: Option<&'static MockOperation>) -> Self {
        Self {
            server,
            op,
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

impl<'a, R, I, T> Stub<'a, R, I, T> {
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

/// The answer every operation has: its result.
impl<R: Serialize, I, T> Stub<'_, R, I, T> {
    /// Answers with `result`, in the envelope when the API has one.
    pub fn returns(self, result: R) -> Self {
        self.answer(&result, None::<&()>)
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
}

/// The answers of a paginated operation: the result with its `result_info`, and pages.
impl<R: Serialize, I: Serialize, T: Serialize> Stub<'_, R, I, T> {
    /// Answers with `result` and the envelope's `result_info`.
    pub fn returns_with_info(self, result: R, info: I) -> Self {
        self.answer(&result, Some(&info))
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
}

impl<'a, R: 'a, I: 'a, T: 'a> IntoFuture for Stub<'a, R, I, T> {
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
pub(crate) fn error_body(api: &ApiConfig, errors: Vec<ApiMessage>) -> Value {
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
