//! Building and sending one API request: the operation description, per-request options, the
//! request builder that generated code fills in, and the attempt loop with retries.

use std::fmt;
use std::future::Future;
use std::time::{Duration, SystemTime};

use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::auth::RequestAuth;
use super::client::Client;
use super::envelope;
use super::error::{ApiError, Error, Result};
use super::multipart::Multipart;
use super::path;
use super::response::ApiResponse;
use super::retry::{self, RetryConfig};

/// An HTTP method used by an operation.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
    /// `HEAD`.
    Head,
    /// `OPTIONS`.
    Options,
}

impl Method {
    /// The method's name as sent on the wire, such as `"GET"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
            Self::Head => "HEAD",
            Self::Options => "OPTIONS",
        }
    }

    /// Whether repeating the request has the same effect as sending it once (RFC 9110): true for
    /// everything but POST and PATCH. Only idempotent requests are retried by default.
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Self::Post | Self::Patch)
    }

    /// The reqwest equivalent.
    fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
            Self::Head => reqwest::Method::HEAD,
            Self::Options => reqwest::Method::OPTIONS,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A static description of one API operation, written by the generator for each operation.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationInfo {
    /// The spec's `operationId`, used in errors and tracing.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path relative to the base URL, with `{name}` placeholders.
    pub path_template: &'static str,
    /// The security requirements: alternatives, each naming the schemes that go together; empty
    /// when the operation needs no credentials.
    pub security: &'static [&'static [&'static str]],
    /// The query parameters in the spec's order, which is the order they are sent in whatever
    /// order they were set.
    pub query: &'static [&'static str],
}

/// Settings for one request that override the client's: timeout, retries, extra headers and
/// extra query parameters.
///
/// `Debug` shows header names but not their values, which may be credentials.
#[derive(Clone, Default)]
pub struct RequestOptions {
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    retry_non_idempotent: Option<bool>,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    link: Option<String>,
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the timeout of each attempt of this request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets how many times this request is retried.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Allows (or forbids) retrying this request even if its method is POST or PATCH. Only allow
    /// it when a repeat cannot create a duplicate.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = Some(allow);
        self
    }

    /// Adds a header. A name given here replaces the client's header of that name (including
    /// authentication); giving it several times sends every value. Invalid names or values are
    /// refused with [`Error::InvalidRequest`] when the request is sent. Values are marked
    /// sensitive.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends the request to a `Link` header's URL (the next page) instead of the operation's
    /// path and query. The URL must be on the client's base URL's origin.
    #[doc(hidden)]
    pub fn follow_link(mut self, url: impl Into<String>) -> Self {
        self.link = Some(url.into());
        self
    }

    /// Adds a query parameter after the operation's own.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("headers", &header_names)
            .field("query", &self.query)
            .finish()
    }
}

/// A request being prepared for one operation. Generated code adds the path, query and body
/// values and finishes with a `send_*` method.
///
/// Problems with the values (an empty path value, a body that cannot be serialised, ...) are
/// reported by the `send_*` method as [`Error::InvalidRequest`], before anything is sent.
///
/// A builder can be cloned, for example to send the same request for several pages.
#[derive(Clone)]
#[doc(hidden)]
pub struct RequestBuilder<'a> {
    client: &'a Client,
    pub(super) op: &'static OperationInfo,
    pub(super) path_params: Vec<(&'static str, String)>,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: Vec<(&'static str, String)>,
    body: Option<std::result::Result<Vec<u8>, String>>,
    /// The body's media type; `application/json` when `None`.
    content_type: Option<String>,
    /// The `Accept` header: JSON unless the operation answers with text or bytes.
    accept: &'static str,
    pub(super) options: RequestOptions,
    /// A body that may be streamed (issue 18), sent instead of `body` when set.
    upload: Option<super::upload::Upload>,
}

/// A 2xx response read in full.
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    /// For a streamed 2xx response, the response whose body is still to be read.
    live: Option<reqwest::Response>,
}

impl<'a> RequestBuilder<'a> {
    /// Starts a request; see [`Client::request`].
    pub(super) fn new(client: &'a Client, op: &'static OperationInfo) -> Self {
        Self {
            client,
            op,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            content_type: None,
            accept: "application/json",
            options: RequestOptions::default(),
            upload: None,
        }
    }

    /// Fills the `{name}` placeholder of the path template with `value`, percent-encoded as one
    /// path segment. Empty, `.` and `..` values are refused when the request is sent.
    pub fn path_param(mut self, name: &'static str, value: &str) -> Self {
        self.path_params.push((name, value.to_owned()));
        self
    }

    /// Adds a query parameter. Parameters are sent in call order; call again with the same name
    /// for each element of an array.
    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name.to_owned(), value.into()));
        self
    }

    /// Adds a header parameter of the operation. Values are marked sensitive; invalid ones are
    /// refused with [`Error::InvalidRequest`] when the request is sent. Headers given in
    /// [`RequestOptions`] replace same-named ones given here.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Sets a JSON request body. A serialisation failure is reported when the request is sent.
    pub fn json_body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_vec(body).map_err(|error| error.to_string()));
        self
    }

    /// Sets a raw body sent as it is, with the given media type (`application/octet-stream`,
    /// `text/plain`, ...).
    pub fn bytes_body(mut self, content_type: &'static str, body: Vec<u8>) -> Self {
        self.body = Some(Ok(body));
        self.content_type = Some(content_type.to_owned());
        self
    }

    /// Sets a newline-delimited JSON body (`application/x-ndjson`): one line per item.
    pub fn ndjson_body<B: Serialize>(mut self, items: &[B]) -> Self {
        let mut out = Vec::new();
        let mut result = Ok(());
        for item in items {
            match serde_json::to_vec(item) {
                Ok(line) => {
                    out.extend_from_slice(&line);
                    out.push(b'\n');
                }
                Err(error) => {
                    result = Err(error.to_string());
                    break;
                }
            }
        }
        self.body = Some(result.map(|()| out));
        self.content_type = Some("application/x-ndjson".to_owned());
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body from a typed struct; `fields` lists the
    /// fields whose `style`/`explode` differ from the default. A serialisation failure is
    /// reported when the request is sent.
    pub fn form_body<B: Serialize + ?Sized>(
        mut self,
        body: &B,
        fields: &[super::FormField],
    ) -> Self {
        self.body = Some(super::form::encode(body, fields).map(String::into_bytes));
        self.content_type = Some("application/x-www-form-urlencoded".to_owned());
        self
    }

    /// Sets a `multipart/form-data` body. A form with streamed file parts is sent as it is
    /// read (and not retried).
    pub fn multipart_body(mut self, form: Multipart) -> Self {
        if form.has_streams() {
            let (content_type, upload) = form.encode_streaming();
            return self.upload_body(content_type, upload);
        }
        let (content_type, bytes) = form.encode();
        self.body = Some(Ok(bytes));
        self.content_type = Some(content_type);
        self
    }

    /// Sets a body that may be streamed from a reader or a file (see
    /// [`Upload`](super::upload::Upload)), with its media type.
    pub fn upload_body(
        mut self,
        content_type: impl Into<String>,
        body: super::upload::Upload,
    ) -> Self {
        self.body = None;
        self.upload = Some(body);
        self.content_type = Some(content_type.into());
        self
    }

    /// Sets the `Accept` header (for streamed responses).
    pub(super) fn accept(mut self, accept: &'static str) -> Self {
        self.accept = accept;
        self
    }

    /// Sets the boolean `field` of the JSON body to `true` (`"stream": true`), adding it when
    /// absent; a body that is not a JSON object is left alone.
    pub(super) fn json_flag(mut self, field: &str) -> Self {
        if let Some(Ok(bytes)) = &self.body {
            if let Ok(serde_json::Value::Object(mut object)) = serde_json::from_slice(bytes) {
                object.insert(field.to_owned(), serde_json::Value::Bool(true));
                self.body = Some(serde_json::to_vec(&object).map_err(|e| e.to_string()));
            }
        }
        self
    }

    /// Sends the request (with retries until a response arrives) and returns the 2xx response
    /// with its body unread, for the stream types of `super::stream`.
    pub(super) async fn send_streaming(self) -> Result<reqwest::Response> {
        let id = self.client.inner.request_id_header;
        let raw = match self.execute(true).await {
            Ok(raw) => raw,
            Err(error) => return Err(error.with_request_id_header(id)),
        };
        raw.live
            .ok_or_else(|| Error::Config("a streamed response was read whole".to_owned()))
    }

    /// Applies per-request options, replacing any given before.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Sends the request and decodes a Cloudflare envelope whose `result` is required: a
    /// missing or `null` `result` is [`Error::MissingResult`].
    pub async fn send_envelope<T: DeserializeOwned, I: DeserializeOwned>(
        self,
    ) -> Result<ApiResponse<T, I>> {
        let operation_id = self.op.operation_id;
        let response = self.send_envelope_optional::<T, I>().await?;
        // Tagged with the request-id header by `send_envelope_optional`.
        let status = response.status();
        response.transpose().ok_or(Error::MissingResult {
            status,
            operation_id,
        })
    }

    /// Sends the request and decodes a Cloudflare envelope whose `result` may be missing or
    /// `null` (then `None`).
    pub async fn send_envelope_optional<T: DeserializeOwned, I: DeserializeOwned>(
        self,
    ) -> Result<ApiResponse<Option<T>, I>> {
        let id = self.client.inner.request_id_header;
        tagged(id, async move {
            let raw = self.execute(false).await?;
            if raw.body.trim_ascii().is_empty() {
                // A 2xx without a body (an operation that may answer 204): no result.
                return Ok(ApiResponse::new(raw.status, None).with_headers(raw.headers));
            }
            envelope::decode_envelope(raw.status, raw.headers, raw.body)
        })
        .await
    }

    /// Sends the request and decodes a plain JSON body (no envelope).
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<ApiResponse<T, ()>> {
        let id = self.client.inner.request_id_header;
        tagged(id, async move {
            let raw = self.execute(false).await?;
            // A 2xx without a body decodes as JSON `null`, which an `Option` result accepts.
            let body: &[u8] = if raw.body.trim_ascii().is_empty() {
                b"null"
            } else {
                &raw.body
            };
            // The body's hash lets pagination spot a server that repeats a page.
            let fingerprint = {
                use std::hash::{Hash, Hasher};
                let mut h = std::hash::DefaultHasher::new();
                body.hash(&mut h);
                h.finish()
            };
            envelope::decode_json(raw.status, raw.headers, body)
                .map(|r| r.with_fingerprint(fingerprint))
        })
        .await
    }

    /// Sends the request and ignores the body of a 2xx response (such as a 204), except that an
    /// envelope saying `success: false` is still an error.
    pub async fn send_empty(self) -> Result<ApiResponse<(), ()>> {
        let id = self.client.inner.request_id_header;
        tagged(id, async move {
            let raw = self.execute(false).await?;
            envelope::check_empty(raw.status, raw.headers, &raw.body)
        })
        .await
    }

    /// Sends the request and returns the body of a 2xx response as text (invalid UTF-8 is
    /// replaced, never an error).
    pub async fn send_text(mut self) -> Result<ApiResponse<String, ()>> {
        self.accept = "text/*, */*;q=0.5";
        let id = self.client.inner.request_id_header;
        tagged(id, async move {
            let raw = self.execute(false).await?;
            let text = String::from_utf8_lossy(&raw.body).into_owned();
            Ok(ApiResponse::new(raw.status, text).with_headers(raw.headers))
        })
        .await
    }

    /// Sends the request and returns the body of a 2xx response as bytes.
    pub async fn send_bytes(mut self) -> Result<ApiResponse<Vec<u8>, ()>> {
        self.accept = "*/*";
        let id = self.client.inner.request_id_header;
        tagged(id, async move {
            let raw = self.execute(false).await?;
            Ok(ApiResponse::new(raw.status, raw.body).with_headers(raw.headers))
        })
        .await
    }

    /// Performs the request with retries, inside a tracing span, and returns the 2xx response.
    async fn execute(self, streaming: bool) -> Result<RawResponse> {
        let op = self.op;
        let span = tracing::debug_span!(
            "api_request",
            operation_id = op.operation_id,
            method = op.method.as_str(),
            path_template = op.path_template,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.execute_attempts(streaming).instrument(span).await
    }

    /// The attempt loop of [`RequestBuilder::execute`].
    async fn execute_attempts(self, streaming: bool) -> Result<RawResponse> {
        let inner = &self.client.inner;
        let auth = inner.auth.for_operation(self.op.security);
        let url = match &self.options.link {
            Some(link) => link_url(&inner.base_url, link, auth.query.iter())?,
            None => build_url(
                &inner.base_url,
                self.op.path_template,
                &self.path_params,
                self.query
                    .iter()
                    .chain(auth.query.iter())
                    .chain(self.options.query.iter()),
            )?,
        };
        let headers = self.build_headers(&auth)?;
        let body = match self.body {
            None => None,
            Some(Ok(bytes)) => Some(bytes),
            Some(Err(reason)) => {
                return Err(Error::InvalidRequest {
                    parameter: "body".to_owned(),
                    reason: format!("could not be serialised as JSON: {reason}"),
                });
            }
        };
        let timeout = self.options.timeout.unwrap_or(inner.timeout);
        let retry_config = RetryConfig {
            max_retries: self.options.max_retries.unwrap_or(inner.retry.max_retries),
            ..inner.retry
        };
        let method_allows_retry = self.op.method.is_idempotent()
            || self
                .options
                .retry_non_idempotent
                .unwrap_or(inner.retry_non_idempotent);
        let span = tracing::Span::current();

        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            span.record("attempts", attempt);
            let mut attempt_headers = headers.clone();
            if let Some(token) = auth.provided_header().await? {
                attempt_headers.insert(AUTHORIZATION, token);
            }
            let mut request = inner
                .http
                .request(self.op.method.to_reqwest(), url.clone())
                .headers(attempt_headers);
            // A streamed body may take longer than one attempt's timeout to read: the timeout
            // then covers only the wait for the response headers (below).
            if !streaming {
                request = request.timeout(timeout);
            }
            if let Some(bytes) = &body {
                request = request.body(bytes.clone());
            }
            if let Some(upload) = &self.upload {
                request = super::stream::attach_upload(request, upload, attempt)?;
            }
            let received = if streaming {
                super::stream::headers_within(timeout, self.op, receive(request, true)).await?
            } else {
                receive(request, false).await
            };
            let error = match received {
                Ok(raw) => {
                    span.record("status", raw.status.as_u16());
                    tracing::debug!(attempt, status = raw.status.as_u16(), "response received");
                    if raw.status.is_success() {
                        return Ok(raw);
                    }
                    Error::from_api_error(ApiError::from_response(
                        raw.status,
                        raw.headers,
                        &raw.body,
                    ))
                }
                Err(error) => {
                    // A key in the query string must not reach messages through the URL.
                    let error = if auth.secret_in_url() {
                        error.without_url()
                    } else {
                        error
                    };
                    let error = Error::from_transport(
                        error,
                        super::error::RequestName {
                            operation_id: self.op.operation_id,
                            method: self.op.method.as_str(),
                            path: self.op.path_template,
                        },
                    );
                    tracing::debug!(attempt, error = transport_kind(&error), "request failed");
                    error
                }
            };
            let retries_done = attempt - 1;
            // A request the server provably did not act on may be repeated whatever its method.
            let allows_retry = method_allows_retry || not_acted_on(&error);
            if retries_done >= retry_config.max_retries
                || !retry::should_retry(allows_retry, error.retry_outcome(), error.retry_hint())
            {
                return Err(error);
            }
            if let Some(upload) = self.upload.as_ref().filter(|u| !u.is_replayable()) {
                return Err(super::stream::not_replayable(error, upload));
            }
            let delay = retry::retry_delay(
                error.api_error().map(ApiError::headers),
                retries_done,
                &retry_config,
                retry::jitter_sample(),
                SystemTime::now(),
            );
            tracing::info!(
                attempt,
                status = error.status().map(|status| status.as_u16()),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying request"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// The headers of every attempt: accept, user agent, content type and authentication, then
    /// the operation's header parameters, then the per-request extras; each stage replaces
    /// same-named headers of the stages before it.
    fn build_headers(&self, auth: &RequestAuth) -> Result<HeaderMap> {
        let inner = &self.client.inner;
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(self.accept));
        headers.insert(USER_AGENT, inner.user_agent.clone());
        if self.body.is_some() || self.upload.is_some() {
            let content_type = match &self.content_type {
                None => HeaderValue::from_static("application/json"),
                Some(t) => HeaderValue::from_str(t).map_err(|_| Error::InvalidRequest {
                    parameter: "content-type".to_owned(),
                    reason: format!("`{t}` is not a valid header value"),
                })?,
            };
            headers.insert(CONTENT_TYPE, content_type);
        }
        for (name, value) in &auth.headers {
            headers.insert(name.clone(), value.clone());
        }
        apply_headers(
            &mut headers,
            self.headers
                .iter()
                .map(|(name, value)| (*name, value.as_str())),
        )?;
        apply_headers(
            &mut headers,
            self.options
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        )?;
        Ok(headers)
    }
}

/// Whether the server provably did not act on the request: a 429 with `Retry-After` (the server
/// asks for the same request later) or a connection that was never made (nothing was sent).
/// Such a request is retried even when it is a POST or PATCH; a 5xx or a timeout is not.
fn not_acted_on(error: &Error) -> bool {
    match error {
        Error::RateLimited(api) => api.headers().contains_key(reqwest::header::RETRY_AFTER),
        Error::Connection { source, .. } => source.is_connect(),
        _ => false,
    }
}

/// The outcome of `send`, with the API's request-id header named on the response or the error.
async fn tagged<T, I>(
    header: Option<&'static str>,
    send: impl Future<Output = Result<ApiResponse<T, I>>>,
) -> Result<ApiResponse<T, I>> {
    match send.await {
        Ok(response) => Ok(response.with_request_id_header(header)),
        Err(error) => Err(error.with_request_id_header(header)),
    }
}

/// Adds headers, marked sensitive: the first value of each name replaces any header of that
/// name already present, and further values of the same name are appended.
fn apply_headers<'s>(
    headers: &mut HeaderMap,
    extras: impl Iterator<Item = (&'s str, &'s str)>,
) -> Result<()> {
    let mut replaced: Vec<HeaderName> = Vec::new();
    for (name, value) in extras {
        let invalid = |reason: &str| Error::InvalidRequest {
            parameter: name.to_owned(),
            reason: reason.to_owned(),
        };
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| invalid("is not a valid header name"))?;
        let mut header_value = HeaderValue::from_str(value)
            .map_err(|_| invalid("has a value that is not allowed in a header"))?;
        header_value.set_sensitive(true);
        if !replaced.contains(&header_name) {
            headers.remove(&header_name);
            replaced.push(header_name.clone());
        }
        headers.append(header_name, header_value);
    }
    Ok(())
}

impl fmt::Debug for RequestBuilder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("operation_id", &self.op.operation_id)
            .field("path_params", &self.path_params)
            .field("query", &self.query)
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| *name)
                    .collect::<Vec<_>>(),
            )
            .field("has_body", &(self.body.is_some() || self.upload.is_some()))
            .field("options", &self.options)
            .finish()
    }
}

/// Sends one attempt and reads the whole body (only the headers of a streamed 2xx response).
async fn receive(
    request: reqwest::RequestBuilder,
    streaming: bool,
) -> std::result::Result<RawResponse, reqwest::Error> {
    let response = request.send().await?;
    let status = response.status();
    let headers = response.headers().clone();
    if streaming && status.is_success() {
        return Ok(RawResponse {
            status,
            headers,
            body: Vec::new(),
            live: Some(response),
        });
    }
    let body = response.bytes().await?.to_vec();
    Ok(RawResponse {
        status,
        headers,
        body,
        live: None,
    })
}

/// A loggable name for a transport error, free of URLs and ids.
fn transport_kind(error: &Error) -> &'static str {
    match error {
        Error::Timeout { .. } => "timeout",
        Error::Connection { .. } => "connection",
        _ => "request",
    }
}

/// The URL of a `Link` header (resolved against the base URL), with the credentials' query
/// values added. A link to another origin is refused: credentials must not follow it there.
fn link_url<'q>(
    base_url: &str,
    link: &str,
    auth_query: impl Iterator<Item = &'q (String, String)>,
) -> Result<Url> {
    let refuse = |reason: String| Error::InvalidRequest {
        parameter: "Link".to_owned(),
        reason,
    };
    let base = Url::parse(base_url).map_err(|e| refuse(format!("bad base URL: {e}")))?;
    let mut url = base
        .join(link)
        .map_err(|e| refuse(format!("the next page's link is not a URL: {e}")))?;
    if url.origin() != base.origin() {
        return Err(refuse(
            "the next page's link points at another origin than the base URL".to_owned(),
        ));
    }
    let mut auth_query = auth_query.peekable();
    if auth_query.peek().is_some() {
        let present: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        let mut pairs = url.query_pairs_mut();
        for (name, value) in auth_query.filter(|(n, _)| !present.contains(n)) {
            pairs.append_pair(name, value);
        }
    }
    Ok(url)
}

/// Joins the base URL, the filled path template and the query parameters (form-encoded, in
/// order).
fn build_url<'q>(
    base_url: &str,
    template: &str,
    path_params: &[(&'static str, String)],
    query: impl Iterator<Item = &'q (String, String)>,
) -> Result<Url> {
    let path = path::render_path(template, path_params)?;
    let mut url =
        Url::parse(&format!("{base_url}{path}")).map_err(|error| Error::InvalidRequest {
            parameter: "path".to_owned(),
            reason: format!("does not form a valid URL: {error}"),
        })?;
    let mut query = query.peekable();
    if query.peek().is_some() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in query {
            pairs.append_pair(name, value);
        }
    }
    Ok(url)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    use serde::Deserialize;

    use super::*;

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

    #[test]
    fn methods() {
        let idempotent: Vec<bool> = [
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Patch,
            Method::Delete,
            Method::Head,
            Method::Options,
        ]
        .iter()
        .map(|m| m.is_idempotent())
        .collect();
        assert_eq!(idempotent, [true, false, true, false, true, true, true]);
        assert_eq!(Method::Patch.to_string(), "PATCH");
        assert_eq!(Method::Delete.to_reqwest(), reqwest::Method::DELETE);
    }

    #[test]
    fn urls_keep_query_order_and_encode_segments() {
        let query = [
            ("status".to_owned(), "all".to_owned()),
            ("page".to_owned(), "2".to_owned()),
            ("tag".to_owned(), "a b&c".to_owned()),
            ("tag".to_owned(), "d".to_owned()),
        ];
        let url = build_url(
            "https://api.cloudflare.com/client/v4",
            GET_CERT.path_template,
            &[
                ("zone_id", "z1".to_owned()),
                ("client_certificate_id", "../x?y#z".to_owned()),
            ],
            query.iter(),
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.cloudflare.com/client/v4/zones/z1/client_certificates/..%2Fx%3Fy%23z?status=all&page=2&tag=a+b%26c&tag=d"
        );
        let url = build_url(
            "http://127.0.0.1:1",
            "/zones/{zone_id}/client_certificates",
            &[("zone_id", "z".to_owned())],
            [].iter(),
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:1/zones/z/client_certificates"
        );
    }

    static API: crate::ApiConfig = crate::ApiConfig::new("test-client/1.0")
        .request_id_header("cf-ray")
        .schemes(&[crate::SecurityScheme {
            key: "api_token",
            kind: crate::SchemeKind::Bearer,
            env: &[],
        }]);

    fn client(base_url: &str) -> Client {
        crate::ClientBuilder::new(&API)
            .credentials(crate::Credentials::new("api_token").secret("api_token", "TOKEN-SECRET"))
            .base_url(base_url)
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(4))
            .build()
            .unwrap()
    }

    #[test]
    fn headers_auth_extras_and_sensitivity() {
        let client = client("http://127.0.0.1:1");
        let builder = client
            .request(&CREATE_CERT)
            .json_body(&serde_json::json!({"csr": "x"}))
            .header("x-trace", "operation")
            .header("x-op", "kept")
            .options(
                RequestOptions::new()
                    .header("X-Trace", "1")
                    .header("x-trace", "2")
                    .header("Authorization", "Bearer OTHER"),
            );
        let request_auth = client.inner.auth.for_operation(CREATE_CERT.security);
        let headers = builder.build_headers(&request_auth).unwrap();
        assert_eq!(headers.get(ACCEPT).unwrap(), "application/json");
        assert_eq!(headers.get(CONTENT_TYPE).unwrap(), "application/json");
        let traces: Vec<_> = headers.get_all("x-trace").iter().collect();
        assert_eq!(traces, ["1", "2"]);
        assert_eq!(headers.get("x-op").unwrap(), "kept");
        let auth: Vec<_> = headers
            .get_all(reqwest::header::AUTHORIZATION)
            .iter()
            .collect();
        assert_eq!(auth, ["Bearer OTHER"]);
        assert!(auth[0].is_sensitive());
        let debug = format!("{builder:?}");
        assert!(
            !debug.contains("OTHER") && !debug.contains("TOKEN-SECRET"),
            "{debug}"
        );

        let builder = client
            .request(&GET_CERT)
            .options(RequestOptions::new().header("bad name", "v"));
        assert!(matches!(
            builder.build_headers(&request_auth),
            Err(Error::InvalidRequest { parameter, .. }) if parameter == "bad name"
        ));
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
            .request(&GET_CERT)
            .path_param("zone_id", "z/1")
            .path_param("client_certificate_id", "c1")
            .query("page", "1")
            .send_envelope::<Cert, ()>()
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
            .request(&CREATE_CERT)
            .path_param("zone_id", "z")
            .json_body(&serde_json::json!({"csr": "x"}))
            .send_envelope::<Cert, ()>()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Server(_)), "{err:?}");
        assert_eq!(seen.lock().unwrap().len(), 1);
        assert_eq!(seen.lock().unwrap()[0].body, r#"{"csr":"x"}"#);

        let response = client
            .request(&CREATE_CERT)
            .path_param("zone_id", "z")
            .json_body(&serde_json::json!({"csr": "x"}))
            .options(RequestOptions::new().retry_non_idempotent(true))
            .send_envelope::<Cert, ()>()
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
                .request(&CREATE_CERT)
                .path_param("zone_id", "z")
                .json_body(&serde_json::json!({"csr": "x"}))
                .send_envelope::<Cert, ()>()
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
        let client = crate::ClientBuilder::new(&API)
            .credentials(
                crate::Credentials::new("t").token_provider("api_token", move || {
                    *counter.lock().unwrap() += 1;
                    async { Ok(crate::Secret::new("t")) }
                }),
            )
            .base_url(format!("http://127.0.0.1:{port}"))
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
            .build()
            .unwrap();
        let err = client
            .request(&CREATE_CERT)
            .path_param("zone_id", "z")
            .json_body(&serde_json::json!({"csr": "x"}))
            .send_envelope::<Cert, ()>()
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
        let get = || {
            client
                .request(&GET_CERT)
                .path_param("zone_id", "z")
                .path_param("client_certificate_id", "c")
        };
        let err = get().send_envelope::<Cert, ()>().await.unwrap_err();
        assert!(matches!(err, Error::Server(_)));
        assert_eq!(seen.lock().unwrap().len(), 3, "1 attempt + 2 retries");
        let err = get().send_envelope::<Cert, ()>().await.unwrap_err();
        assert!(matches!(err, Error::Server(_)));
        assert_eq!(seen.lock().unwrap().len(), 4, "x-should-retry: false stops");
        let response = get().send_envelope::<Cert, ()>().await.unwrap();
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
        let get = || {
            client
                .request(&GET_CERT)
                .path_param("zone_id", "z")
                .path_param("client_certificate_id", "c")
        };
        let err = get().send_envelope::<Cert, ()>().await.unwrap_err();
        assert!(matches!(&err, Error::Unsuccessful(_)), "{err:?}");
        assert_eq!(err.api_errors()[0].code, 1001);
        let err = get().send_envelope::<Cert, ()>().await.unwrap_err();
        assert!(
            matches!(err, Error::MissingResult { operation_id, .. } if operation_id == GET_CERT.operation_id)
        );
        let err = get().send_envelope::<Cert, ()>().await.unwrap_err();
        assert!(matches!(&err, Error::NotFound(_)), "{err:?}");
        assert_eq!(err.request_id(), Some("r-404"));
        assert_eq!(
            err.to_string(),
            "not found: HTTP 404 Not Found: error 1404: nope [cf-ray r-404]"
        );
        let err = get().send_envelope::<Cert, ()>().await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode { body_snippet, .. } if body_snippet == "<html>oops</html>")
        );
        let response = get().send_empty().await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }

    #[tokio::test]
    async fn timeouts_are_retried_then_reported() {
        let (base, seen) = serve(vec![
            ("200 OK", vec![], OK_CERT, 300),
            ("200 OK", vec![], OK_CERT, 300),
        ]);
        let client = client(&base);
        let err = client
            .request(&GET_CERT)
            .path_param("zone_id", "z")
            .path_param("client_certificate_id", "c")
            .options(
                RequestOptions::new()
                    .timeout(Duration::from_millis(50))
                    .max_retries(1),
            )
            .send_envelope::<Cert, ()>()
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
        let err = client
            .request(&GET_CERT)
            .path_param("zone_id", "z")
            .path_param("client_certificate_id", "c")
            .send_envelope::<Cert, ()>()
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
                .request(&GET_CERT)
                .path_param("zone_id", "z")
                .path_param("client_certificate_id", bad)
                .send_envelope::<Cert, ()>()
                .await
                .unwrap_err();
            assert!(
                matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "client_certificate_id"),
                "{bad:?}: {err:?}"
            );
        }
        struct Unserialisable;
        impl Serialize for Unserialisable {
            fn serialize<S: serde::Serializer>(
                &self,
                _: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        let err = client
            .request(&CREATE_CERT)
            .path_param("zone_id", "z")
            .json_body(&Unserialisable)
            .send_json::<Cert>()
            .await
            .unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "body"));
    }

    #[test]
    fn send_futures_are_send() {
        fn assert_send<T: Send>(_: T) {}
        let client = client("http://127.0.0.1:9");
        assert_send(client.request(&GET_CERT).send_envelope::<Cert, ()>());
        assert_send(
            client
                .request(&GET_CERT)
                .send_envelope_optional::<Cert, ()>(),
        );
        assert_send(client.request(&GET_CERT).send_json::<Cert>());
        assert_send(client.request(&GET_CERT).send_empty());
        let _boxed: super::super::BoxFuture<'_, Result<ApiResponse<Cert, ()>>> =
            Box::pin(client.request(&GET_CERT).send_envelope::<Cert, ()>());
    }
}
