//! The transport: sends one built request ([`Outgoing`]) with the client's credentials, user
//! agent and timeouts, retries failed attempts as the retry policy says, and returns the last
//! response read in full ([`RawResponse`], whatever its status) or a transport error. It decodes
//! nothing: that is the `decode` step's job.

use std::fmt;
use std::time::Duration;

use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER,
    USER_AGENT,
};
use reqwest::{StatusCode, Url};
use tracing::Instrument;

use super::auth_prepare::RequestAuth;
use super::client::ClientInner;
use super::error::{Error, RequestName, Result};
use super::operation::OperationInfo;
use super::options::RequestOptions;
use super::response::RawResponse;
use super::retry::{self, Outcome, RetryConfig};
use super::transport_stream::{attach_upload, headers_within};
use super::upload::Upload;
use super::url::{build_url, link_url};

/// One request as the builder made it: the operation, the encoded values and the options.
#[derive(Clone)]
pub(crate) struct Outgoing {
    /// The operation.
    pub(crate) op: &'static OperationInfo,
    /// The `{name}` values of the path template.
    pub(crate) path_params: Vec<(&'static str, String)>,
    /// The query parameters, in the order they are sent.
    pub(crate) query: Vec<(String, String)>,
    /// The operation's header parameters.
    pub(crate) headers: Vec<(&'static str, String)>,
    /// The encoded body, or why it could not be encoded.
    pub(crate) body: Option<std::result::Result<Vec<u8>, String>>,
    /// A body that may be streamed (a reader, a file), sent instead of `body` when set.
    pub(crate) upload: Option<Upload>,
    /// The body's media type; `application/json` when `None`.
    pub(crate) content_type: Option<String>,
    /// The `Accept` header.
    pub(crate) accept: &'static str,
    /// Per-request options.
    pub(crate) options: RequestOptions,
}

impl Outgoing {
    /// The URL this request goes to, without the credentials' query values: what a relative
    /// next-page URL in its response resolves against (no redirects are followed).
    pub(crate) fn url(&self, base: &Url) -> Result<Url> {
        match &self.options.link {
            Some(link) => link_url(base, link, std::iter::empty()),
            None => build_url(
                base,
                self.op.path_template,
                &self.path_params,
                self.query.iter().chain(self.options.query.iter()),
            ),
        }
    }

    /// A request for `op` without values.
    pub(crate) fn new(op: &'static OperationInfo) -> Self {
        Self {
            op,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            upload: None,
            content_type: None,
            accept: "application/json",
            options: RequestOptions::default(),
        }
    }

    /// The operation, method and path template, for transport errors.
    fn name(&self) -> RequestName {
        RequestName {
            operation_id: self.op.operation_id,
            method: self.op.method.as_str(),
            path: self.op.path_template,
        }
    }
}

impl fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("Outgoing")
            .field("operation_id", &self.op.operation_id)
            .field("path_params", &self.path_params)
            .field("query", &self.query)
            .field("headers", &header_names)
            .field("has_body", &(self.body.is_some() || self.upload.is_some()))
            .field("options", &self.options)
            .finish()
    }
}

/// What the attempts gave: the final response (read in full unless it is a streamed 2xx one,
/// then `live` holds it unread) and whether a retry was skipped because the body was streamed.
pub(crate) struct Sent {
    /// The final response; its body is empty when `live` is set.
    pub(crate) raw: RawResponse,
    /// A streamed 2xx response whose body is still to be read.
    pub(crate) live: Option<reqwest::Response>,
    /// The response would have been retried, but the request body was streamed.
    pub(crate) not_replayable: bool,
}

/// Sends `request` with retries, inside a tracing span, and returns the final response (2xx or
/// not): the decode step turns a non-2xx one into the error.
pub(crate) async fn send(client: &ClientInner, request: Box<Outgoing>) -> Result<Sent> {
    send_attempts(client, request, false).await
}

/// Like [`send`], but a 2xx response comes back with its body unread (`Sent::live`): each
/// attempt's timeout covers only the wait for the response headers, and retries stop once they
/// arrive.
pub(crate) async fn send_streaming(client: &ClientInner, request: Box<Outgoing>) -> Result<Sent> {
    send_attempts(client, request, true).await
}

/// [`send`] or [`send_streaming`] inside a tracing span.
async fn send_attempts(
    client: &ClientInner,
    request: Box<Outgoing>,
    streaming: bool,
) -> Result<Sent> {
    let op = request.op;
    let span = tracing::debug_span!(
        "api_request",
        operation_id = op.operation_id,
        method = op.method.as_str(),
        path_template = op.path_template,
        attempts = tracing::field::Empty,
        status = tracing::field::Empty,
    );
    attempts(client, request, streaming).instrument(span).await
}

/// What one attempt gave: a response, or a transport error.
#[allow(
    clippy::large_enum_variant,
    reason = "lives on the stack for one attempt; boxing the response would cost an allocation per request"
)]
enum Attempt {
    Response(RawResponse, Option<reqwest::Response>),
    Failed(Error),
}

/// The attempt loop of [`send`].
async fn attempts(
    inner: &ClientInner,
    mut request: Box<Outgoing>,
    streaming: bool,
) -> Result<Sent> {
    let auth = inner.auth.for_operation(request.op.security);
    let has_body = request.body.is_some() || request.upload.is_some();
    // Taken by the first attempt (after its URL and headers, whose errors come first), then
    // shared, not copied, by the attempts.
    let mut body = None;
    let options = &request.options;
    let timeout = options.timeout.unwrap_or(inner.timeout);
    let max_retries = options.max_retries.unwrap_or(inner.retry.max_retries);
    let method_allows_retry = request.op.method.is_idempotent()
        || options
            .retry_non_idempotent
            .unwrap_or(inner.retry_non_idempotent);
    let span = tracing::Span::current();

    let mut attempt: u32 = 0;
    loop {
        attempt = attempt.saturating_add(1);
        span.record("attempts", attempt);
        // Each attempt builds its URL and headers (a retry is rare). Neither is kept across a
        // wait in this future, which every call boxes and copies whole: a token provider's wait
        // has its own box.
        let attempt_url = request_url(inner, &request, &auth)?;
        let attempt_headers = headers_for(inner, &request, &auth, has_body)?;
        if attempt == 1 {
            body = shared_body(&mut request)?;
        }
        let (attempt_url, attempt_headers) = if auth.has_provider() {
            Box::pin(with_token(&auth, attempt_url, attempt_headers)).await?
        } else {
            (attempt_url, attempt_headers)
        };
        let attempt_timeout = (!streaming).then_some(timeout);
        let sending = start_attempt(
            inner,
            &request,
            (attempt_url, attempt_headers),
            body.as_ref(),
            attempt_timeout,
            attempt,
        )?;
        let received = if streaming {
            // Boxed: this future (the response wait raced with a timer) is twice the size of
            // everything else the attempt loop holds, and a plain call would pay for it in the
            // size of every call's future, copied as it is built and moved.
            Box::pin(headers_within(timeout, request.op, receive(sending, true))).await?
        } else {
            receive(sending, false).await
        };
        // The attempt's value moves whole into a plain function, so that none of it is kept
        // across the retry's wait.
        let settings = RetryDecision {
            attempt,
            max_retries,
            method_allows_retry,
        };
        match after_attempt(inner, &request, &auth, &span, received, settings) {
            Next::Return(result) => return result,
            Next::Retry(delay) => super::platform::sleep(delay).await,
        }
    }
}

/// What [`after_attempt`] needs to know of the attempt loop.
struct RetryDecision {
    /// The attempt just made, from 1.
    attempt: u32,
    /// How many retries the request may make.
    max_retries: u32,
    /// Whether the method (or the options) let a failed request be repeated.
    method_allows_retry: bool,
}

/// What the attempt loop does next.
#[allow(
    clippy::large_enum_variant,
    reason = "returned once per attempt and taken apart at once; boxing would cost an allocation"
)]
enum Next {
    /// Returns this.
    Return(Result<Sent>),
    /// Waits this long, then tries again.
    Retry(Duration),
}

/// Turns one attempt's response or transport error into the call's result, or into the wait
/// before the next attempt, as the retry policy says.
fn after_attempt(
    inner: &ClientInner,
    request: &Outgoing,
    auth: &RequestAuth<'_>,
    span: &tracing::Span,
    received: std::result::Result<(RawResponse, Option<reqwest::Response>), reqwest::Error>,
    settings: RetryDecision,
) -> Next {
    let RetryDecision {
        attempt,
        max_retries,
        method_allows_retry,
    } = settings;
    let outcome = match received {
        Ok((raw, live)) => {
            span.record("status", raw.status.as_u16());
            tracing::debug!(attempt, status = raw.status.as_u16(), "response received");
            if raw.status.is_success() {
                return Next::Return(Ok(Sent {
                    raw,
                    live,
                    not_replayable: false,
                }));
            }
            Attempt::Response(raw, live)
        }
        Err(error) => {
            // A key in the query string must not reach messages through the URL.
            let error = if auth.secret_in_url() {
                error.without_url()
            } else {
                error
            };
            let error = Error::from_transport(error, request.name());
            tracing::debug!(attempt, error = transport_kind(&error), "request failed");
            Attempt::Failed(error)
        }
    };
    let (outcome_kind, hint, headers_seen) = match &outcome {
        Attempt::Response(raw, _) => (
            Outcome::Status(raw.status),
            retry::should_retry_header(&raw.headers),
            Some(&raw.headers),
        ),
        Attempt::Failed(error) => (error.retry_outcome(), error.retry_hint(), None),
    };
    let retries_done = attempt - 1;
    // A request the server provably did not act on may be repeated whatever its method.
    let allows_retry = method_allows_retry || not_acted_on(&outcome);
    if retries_done >= max_retries || !retry::should_retry(allows_retry, outcome_kind, hint) {
        return Next::Return(finish(outcome, false));
    }
    if request.upload.as_ref().is_some_and(|u| !u.is_replayable()) {
        // The body was read once and is gone: the error says why there was no retry.
        return Next::Return(finish(outcome, true));
    }
    let delay = retry::retry_delay(
        headers_seen,
        retries_done,
        &RetryConfig {
            max_retries,
            ..inner.retry
        },
        retry::jitter_sample(),
        super::platform::now(),
    );
    let status = match &outcome {
        Attempt::Response(raw, _) => Some(raw.status.as_u16()),
        Attempt::Failed(_) => None,
    };
    tracing::info!(
        attempt,
        status,
        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        "retrying request"
    );
    Next::Retry(delay)
}

/// The request's encoded body, taken out to be shared (not copied) by the attempts; a body
/// that could not be encoded is the request's error.
fn shared_body(request: &mut Outgoing) -> Result<Option<bytes::Bytes>> {
    match request.body.take() {
        None => Ok(None),
        Some(Ok(bytes)) => Ok(Some(bytes::Bytes::from(bytes))),
        Some(Err(reason)) => Err(Error::InvalidRequest {
            parameter: "body".to_owned(),
            reason: format!("could not be serialised as JSON: {reason}"),
        }),
    }
}

/// The URL and headers of an attempt, with the token provider's `Authorization` header.
async fn with_token(
    auth: &RequestAuth<'_>,
    url: Url,
    mut headers: HeaderMap,
) -> Result<(Url, HeaderMap)> {
    if let Some(token) = auth.provided_header().await? {
        headers.insert(AUTHORIZATION, token);
    }
    Ok((url, headers))
}

/// The result of the last attempt; `not_replayable` when a retry was skipped because the body
/// was streamed.
fn finish(outcome: Attempt, not_replayable: bool) -> Result<Sent> {
    match outcome {
        Attempt::Response(raw, live) => Ok(Sent {
            raw,
            live,
            not_replayable,
        }),
        Attempt::Failed(error) if not_replayable => {
            Err(super::transport_stream::not_replayable(error))
        }
        Attempt::Failed(error) => Err(error),
    }
}

/// The request's URL: the next page's link when paging follows one, else the base URL with the
/// filled path template and the query (the operation's, the credentials', the extras).
fn request_url(inner: &ClientInner, request: &Outgoing, auth: &RequestAuth) -> Result<Url> {
    match &request.options.link {
        Some(link) => link_url(&inner.base, link, auth.query.iter()),
        None => build_url(
            &inner.base,
            request.op.path_template,
            &request.path_params,
            request
                .query
                .iter()
                .chain(auth.query.iter())
                .chain(request.options.query.iter()),
        ),
    }
}

/// Whether the server provably did not act on the request: a 429 with `Retry-After` (the server
/// asks for the same request later) or a connection that was never made (nothing was sent).
/// Such a request is retried even when it is a POST or PATCH; a 5xx or a timeout is not.
fn not_acted_on(outcome: &Attempt) -> bool {
    match outcome {
        Attempt::Response(raw, _) => {
            raw.status == StatusCode::TOO_MANY_REQUESTS && raw.headers.contains_key(RETRY_AFTER)
        }
        Attempt::Failed(Error::Connection { source, .. }) => super::platform::is_connect(source),
        Attempt::Failed(_) => false,
    }
}

/// The headers of every attempt: accept, user agent, content type and authentication, then the
/// operation's header parameters, then the per-request extras; each stage replaces same-named
/// headers of the stages before it. `has_body`: whether a body is sent (the request no longer
/// holds it once the attempts share it).
fn headers_for(
    inner: &ClientInner,
    request: &Outgoing,
    auth: &RequestAuth,
    has_body: bool,
) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static(request.accept));
    headers.insert(USER_AGENT, inner.user_agent.clone());
    if has_body {
        let content_type = match &request.content_type {
            None => HeaderValue::from_static("application/json"),
            Some(t) => HeaderValue::from_str(t).map_err(|_| Error::InvalidRequest {
                parameter: "content-type".to_owned(),
                reason: format!("`{t}` is not a valid header value"),
            })?,
        };
        headers.insert(CONTENT_TYPE, content_type);
    }
    for (name, value) in auth.headers() {
        headers.insert(name.clone(), value.clone());
    }
    apply_headers(
        &mut headers,
        request
            .headers
            .iter()
            .map(|(name, value)| (*name, value.as_str())),
    )?;
    apply_headers(
        &mut headers,
        request
            .options
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    )?;
    Ok(headers)
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

/// What lifts the HTTP client's own timeout for a streamed request: a deadline this far off
/// does not come for decades (tokio clamps it to about 30 years).
const NO_TIMEOUT: Duration = Duration::MAX;

/// Builds one attempt's request (the URL and headers made for it, the shared body or the
/// upload, its timeout: see the comment inside) and starts sending it: what comes back is reqwest's
/// small send future. A plain function, not part of the attempt loop's `async` body, so the
/// loop's future does not keep room for the request while it waits (the future of every call
/// is built and moved whole: its size is copied each time).
fn start_attempt(
    inner: &ClientInner,
    request: &Outgoing,
    (url, headers): (Url, HeaderMap),
    body: Option<&bytes::Bytes>,
    timeout: Option<Duration>,
    attempt: u32,
) -> Result<impl Future<Output = reqwest::Result<reqwest::Response>> + use<>> {
    // The headers go into the request as they are (no copy into reqwest's own map).
    let mut outgoing = reqwest::Request::new(request.op.method.to_reqwest(), url);
    *outgoing.headers_mut() = headers;
    let mut http = reqwest::RequestBuilder::from_parts(inner.http.clone(), outgoing);
    // A streamed response may take longer than one attempt's timeout to read: the timeout
    // then covers only the wait for the response headers (see `headers_within`), and any
    // timeout of the HTTP client's own (this crate's, or one a user's client carries) is
    // lifted for this request. Otherwise the attempt's timeout is set, unless the HTTP client
    // already applies that very timeout by itself.
    match (timeout, inner.http_timeout) {
        (Some(timeout), Some(client)) if timeout == client => {}
        (Some(timeout), _) => http = http.timeout(timeout),
        (None, _) => http = http.timeout(NO_TIMEOUT),
    }
    if let Some(bytes) = body {
        http = http.body(bytes.clone());
    }
    if let Some(upload) = &request.upload {
        http = attach_upload(http, upload, attempt)?;
    }
    Ok(http.send())
}

/// Waits for the response of `sending` and reads it: in full, unless it is a streamed 2xx
/// one, which comes back unread.
async fn receive(
    sending: impl Future<Output = reqwest::Result<reqwest::Response>>,
    streaming: bool,
) -> std::result::Result<(RawResponse, Option<reqwest::Response>), reqwest::Error> {
    let mut response = sending.await?;
    let status = response.status();
    if streaming && status.is_success() {
        let headers = response.headers().clone();
        let raw = RawResponse {
            status,
            headers,
            body: bytes::Bytes::new(),
        };
        return Ok((raw, Some(response)));
    }
    // Reading the body needs no headers: they are taken, not copied.
    let headers = std::mem::take(response.headers_mut());
    // Kept as reqwest's `Bytes`: decoding reads it in place, no copy.
    let body = super::platform::read_body(response).await?;
    Ok((
        RawResponse {
            status,
            headers,
            body,
        },
        None,
    ))
}

/// A loggable name for a transport error, free of URLs and ids.
fn transport_kind(error: &Error) -> &'static str {
    match error {
        Error::Timeout { .. } => "timeout",
        Error::Connection { .. } => "connection",
        _ => "request",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::operation::Method;

    static CREATE_CERT: OperationInfo = OperationInfo {
        operation_id: "client-certificate-for-a-zone-create-client-certificate",
        method: Method::Post,
        path_template: "/zones/{zone_id}/client_certificates",
        security: &[&["api_token"]],
        query: &[],
    };

    static API: crate::ApiConfig =
        crate::ApiConfig::new("test-client/1.0").schemes(&[crate::SecurityScheme {
            key: "api_token",
            kind: crate::SchemeKind::Bearer,
            env: &[],
        }]);

    #[test]
    fn headers_auth_extras_and_sensitivity() {
        let client = crate::ClientBuilder::new(&API)
            .credentials(crate::Credentials::new("api_token").secret("api_token", "TOKEN-SECRET"))
            .base_url("http://127.0.0.1:1")
            .build()
            .unwrap();
        let inner = &client.inner;
        let mut request = Outgoing::new(&CREATE_CERT);
        request.body = Some(Ok(b"{}".to_vec()));
        request.headers = vec![("x-trace", "operation".into()), ("x-op", "kept".into())];
        request.options = RequestOptions::new()
            .header("X-Trace", "1")
            .header("x-trace", "2")
            .header("Authorization", "Bearer OTHER");
        let request_auth = inner.auth.for_operation(CREATE_CERT.security);
        let headers = headers_for(inner, &request, &request_auth, true).unwrap();
        assert_eq!(headers.get(ACCEPT).unwrap(), "application/json");
        assert_eq!(headers.get(CONTENT_TYPE).unwrap(), "application/json");
        let traces: Vec<_> = headers.get_all("x-trace").iter().collect();
        assert_eq!(traces, ["1", "2"]);
        assert_eq!(headers.get("x-op").unwrap(), "kept");
        let auth: Vec<_> = headers.get_all(AUTHORIZATION).iter().collect();
        assert_eq!(auth, ["Bearer OTHER"]);
        assert!(auth[0].is_sensitive());
        let debug = format!("{request:?}");
        assert!(
            !debug.contains("OTHER") && !debug.contains("TOKEN-SECRET") && !debug.contains("kept"),
            "{debug}"
        );

        request.options = RequestOptions::new().header("bad name", "v");
        assert!(matches!(
            headers_for(inner, &request, &request_auth, true),
            Err(Error::InvalidRequest { parameter, .. }) if parameter == "bad name"
        ));
    }
}
