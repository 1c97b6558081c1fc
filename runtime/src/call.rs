//! The one request builder: [`Call`], which every generated operation builder wraps.
//!
//! A generated builder is a one-field struct around a [`Call`]: its constructor and setters
//! encode each value as soon as it is given (path, query, header, body) and check it against the
//! spec's limits. Sending hands the built request to the transport and the response to the
//! decode step (as the operation's [`Decode`] type says); walking pages repeats that.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;

use super::client::Client;
use super::decode::{self, Decode, Rules};
use super::error::{Error, Result};
use super::form::FormField;
use super::future::BoxFuture;
use super::multipart::Multipart;
use super::operation::OperationInfo;
use super::options::RequestOptions;
use super::pagination::{self, PageInfo, PageStream};
use super::paging;
use super::platform::MaybeSend;
use super::response::ApiResponse;
use super::transport::{self, Outgoing};
use super::validate::{Limit, Limited};

/// The decoded response of an operation that decodes as `R`.
#[doc(hidden)]
pub type Response<R> = ApiResponse<<R as Decode>::Output, <R as Decode>::Meta>;

/// One operation's request, built up value by value and decoded as `R` says.
///
/// Setting a parameter again replaces its value (in the same place of the query string); a value
/// outside the spec's limits is remembered and reported by `send` as [`Error::InvalidRequest`]
/// before anything is sent, unless a later valid value replaces it.
#[doc(hidden)]
pub struct Call<'a, R> {
    pub(super) client: &'a Client,
    /// Boxed: the builder methods move the call by value, and a pointer moves cheaply.
    pub(super) request: Box<Outgoing>,
    /// Values refused by their limits: (parameter, whether it is a body field, reason).
    invalid: Vec<(&'static str, bool, String)>,
    decode: PhantomData<fn() -> R>,
}

impl<R> Clone for Call<'_, R> {
    fn clone(&self) -> Self {
        Self {
            client: self.client,
            request: self.request.clone(),
            invalid: self.invalid.clone(),
            decode: PhantomData,
        }
    }
}

impl<R> fmt::Debug for Call<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The request's `Debug` shows header names, never their values.
        f.debug_struct("Call")
            .field("request", &self.request)
            .field("invalid", &self.invalid)
            .finish()
    }
}

impl Client {
    /// Starts a typed request for an operation; generated builders wrap it.
    #[doc(hidden)]
    pub fn call<R: Decode>(&self, op: &'static OperationInfo) -> Call<'_, R> {
        Call::new(self, op)
    }
}

impl<'a, R: Decode> Call<'a, R> {
    /// A request for `op` on `client`, without values yet.
    pub fn new(client: &'a Client, op: &'static OperationInfo) -> Self {
        let mut request = Box::new(Outgoing::new(op));
        request.accept = R::ACCEPT;
        Self {
            client,
            request,
            invalid: Vec::new(),
            decode: PhantomData,
        }
    }

    fn checked(mut self, name: &'static str, body: bool, outcome: Result<()>) -> Self {
        self.invalid.retain(|(n, b, _)| (*n, *b) != (name, body));
        if let Err(error) = outcome {
            let reason = match error {
                Error::InvalidRequest { reason, .. } => reason,
                other => other.to_string(),
            };
            self.invalid.push((name, body, reason));
        }
        self
    }

    /// Checks a parameter's value against its limits (a `None` passes).
    pub fn limit<V: Limited + ?Sized>(self, name: &'static str, value: &V, limit: &Limit) -> Self {
        let outcome = value.check(name, limit);
        self.checked(name, false, outcome)
    }

    /// Checks a top-level field of the request body against its limits (a `None` passes).
    pub fn body_limit<V: Limited + ?Sized>(
        self,
        name: &'static str,
        value: &V,
        limit: &Limit,
    ) -> Self {
        let outcome = value.check(name, limit);
        self.checked(name, true, outcome)
    }

    /// Sets the `{name}` placeholder of the path, percent-encoded as one segment.
    pub fn path(mut self, name: &'static str, value: impl Into<String>) -> Self {
        let value = value.into();
        let params = &mut self.request.path_params;
        match params.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => params.push((name, value)),
        }
        self
    }

    /// Checks a string path parameter against its limits and sets it.
    pub fn path_limited(self, name: &'static str, value: impl Into<String>, limit: &Limit) -> Self {
        let value = value.into();
        self.limit(name, &value, limit).path(name, value)
    }

    /// Checks a string query parameter against its limits and sets it.
    pub fn query_limited(
        self,
        name: &'static str,
        value: impl Into<String>,
        limit: &Limit,
    ) -> Self {
        let value = value.into();
        self.limit(name, &value, limit).query(name, value)
    }

    /// Checks a string header parameter against its limits and sets it.
    pub fn header_limited(
        self,
        name: &'static str,
        value: impl Into<String>,
        limit: &Limit,
    ) -> Self {
        let value = value.into();
        self.limit(name, &value, limit).header(name, value)
    }

    /// Sets a query parameter, replacing an earlier value; parameters are sent in the spec's order.
    pub fn query(self, name: &'static str, value: impl Into<String>) -> Self {
        self.query_each(name, std::iter::once(value.into()))
    }

    /// Sets an array query parameter (`name=a&name=b`), replacing earlier values.
    pub fn query_each<S: Into<String>>(
        mut self,
        name: &'static str,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        let order = self.request.op.query;
        let rank = |n: &str| order.iter().position(|o| *o == n).unwrap_or(usize::MAX);
        let query = &mut self.request.query;
        query.retain(|(n, _)| n != name);
        // In the spec's order, whatever the order the values were set in.
        let mine = rank(name);
        let at = query
            .iter()
            .position(|(n, _)| rank(n) > mine)
            .unwrap_or(query.len());
        let new: Vec<(String, String)> = values
            .into_iter()
            .map(|v| (name.to_owned(), v.into()))
            .collect();
        query.splice(at..at, new);
        self
    }

    /// Sets a header parameter, replacing an earlier value. Values are marked sensitive.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.request.headers.retain(|(n, _)| *n != name);
        self.request.headers.push((name, value.into()));
        self
    }

    /// Sets a JSON body. A serialisation failure is reported when the request is sent.
    pub fn json_body<B: Serialize + ?Sized>(self, body: &B) -> Self {
        let bytes = serde_json::to_vec(body).map_err(|error| error.to_string());
        self.body(None, bytes)
    }

    /// Sets a newline-delimited JSON body (`application/x-ndjson`): one line per item.
    pub fn ndjson_body<B: Serialize>(self, items: &[B]) -> Self {
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
        self.body(
            Some("application/x-ndjson".to_owned()),
            result.map(|()| out),
        )
    }

    /// Sets a raw body sent as it is, with its media type (`application/octet-stream`,
    /// `text/plain`, ...).
    pub fn bytes_body(self, content_type: &'static str, body: Vec<u8>) -> Self {
        self.body(Some(content_type.to_owned()), Ok(body))
    }

    /// Sets an `application/x-www-form-urlencoded` body from a typed struct; `fields` lists the
    /// fields whose `style`/`explode` differ from the default. A serialisation failure is
    /// reported when the request is sent.
    pub fn form_body<B: Serialize + ?Sized>(self, body: &B, fields: &[FormField]) -> Self {
        let bytes = super::form::encode(body, fields).map(String::into_bytes);
        self.body(Some("application/x-www-form-urlencoded".to_owned()), bytes)
    }

    /// Sets a `multipart/form-data` body. A form with streamed file parts is sent as it is
    /// read (and not retried).
    pub fn multipart_body(mut self, form: Multipart) -> Self {
        if form.has_streams() {
            let (content_type, upload) = form.encode_streaming();
            self.request.body = None;
            self.request.upload = Some(upload);
            self.request.content_type = Some(content_type);
            return self;
        }
        let (content_type, bytes) = form.encode();
        self.body(Some(content_type), Ok(bytes))
    }

    /// Sets the body and its media type (`None`: JSON).
    fn body(
        mut self,
        content_type: Option<String>,
        bytes: std::result::Result<Vec<u8>, String>,
    ) -> Self {
        self.request.body = Some(bytes);
        self.request.upload = None;
        self.request.content_type = content_type;
        self
    }

    /// Applies per-request options, replacing any given before.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.request.options = options;
        self
    }

    /// The value of a query parameter given so far.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.request
            .query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A numeric query parameter as a count: negative or fractional values are clamped down,
    /// a value that is not a number is `None`.
    pub fn query_count(&self, name: &str) -> Option<u64> {
        let v: f64 = self.query_value(name)?.parse().ok()?;
        Some(if v.is_finite() && v > 0.0 {
            v as u64
        } else {
            0
        })
    }

    /// Sends the request and returns the decoded result.
    pub fn send(self) -> BoxFuture<'a, Result<R::Output>> {
        self.send_then(ApiResponse::into_result)
    }

    /// Sends the request and returns the result with the status, headers and envelope metadata.
    pub fn send_with_response(self) -> BoxFuture<'a, Result<ApiResponse<R::Output, R::Meta>>> {
        self.send_then(std::convert::identity)
    }

    /// Sends the request and maps the decoded response with `finish`, in one boxed future.
    fn send_then<O: MaybeSend + 'a>(
        self,
        finish: fn(ApiResponse<R::Output, R::Meta>) -> O,
    ) -> BoxFuture<'a, Result<O>> {
        if let Some(error) = self.first_invalid() {
            return Box::pin(std::future::ready(Err(error)));
        }
        let client = &self.client.inner;
        let rules = self.rules();
        let request = self.request;
        Box::pin(async move {
            let sent = transport::send(client, request).await?;
            let decoded = decode::decode::<R>(sent.raw, &rules);
            if sent.not_replayable {
                // A retry was due, but the streamed body is gone: the error says so.
                return decoded
                    .map(finish)
                    .map_err(super::transport_stream::not_replayable);
            }
            decoded.map(finish)
        })
    }

    /// The error for the first value refused by its limits, if any.
    pub(super) fn first_invalid(&self) -> Option<Error> {
        let (parameter, _, reason) = self.invalid.first()?;
        Some(Error::InvalidRequest {
            parameter: (*parameter).to_owned(),
            reason: reason.clone(),
        })
    }

    /// How the response decodes: the client's envelope, error message and request-id rules.
    pub(super) fn rules(&self) -> Rules {
        let client = &self.client.inner;
        Rules {
            envelope: client.envelope,
            error_message: client.error_message,
            request_id_header: client.request_id_header,
            operation_id: self.request.op.operation_id,
        }
    }
}

impl<'a, T, I, R> Call<'a, R>
where
    R: Decode<Output = Vec<T>, Meta = I>,
    T: Send + 'a,
    I: PageInfo + Send + 'a,
{
    /// Every page from the current `page` parameter on (1 when unset), one request per page;
    /// see [`pagination::paginate`] for when it stops.
    pub fn page_numbers(
        self,
        page: &'static str,
        per_page: Option<&'static str>,
    ) -> PageStream<'a, T, I> {
        let first = self.query_count(page).unwrap_or(1).max(1);
        let per_page = per_page.and_then(|p| self.query_count(p)).map(|n| n.max(1));
        pagination::paginate(first, per_page, move |n| {
            self.clone().query(page, n.to_string()).send_with_response()
        })
    }
}

impl<'a, R> Call<'a, R>
where
    R: Decode,
    R::Output: Send + 'a,
    R::Meta: Send + 'a,
{
    /// Pages by a cursor query parameter; `step` turns a response into the page (its items as the
    /// result) and the next cursor (`None` on the last page). See [`paging::paginate_by`].
    pub fn cursor_pages<T: Send + 'a, I: Send + 'a>(
        self,
        param: &'static str,
        step: fn(Response<R>) -> paging::Step<T, I, String>,
    ) -> PageStream<'a, T, I> {
        let first = self.query_value(param).map(str::to_owned);
        paging::paginate_by(first, move |cursor: Option<String>| {
            let next = match cursor {
                Some(cursor) => self.clone().query(param, cursor),
                None => self.clone(),
            };
            async move { next.send_with_response().await.map(step) }
        })
    }

    /// Pages by an offset query parameter advanced by the items received; `step` turns a
    /// response into the page and the total item count when the response gives one.
    pub fn offset_pages<T: Send + 'a, I: Send + 'a>(
        self,
        param: &'static str,
        limit: Option<&'static str>,
        step: fn(Response<R>) -> paging::Step<T, I, u64>,
    ) -> PageStream<'a, T, I> {
        let first = self.query_count(param);
        let limit = limit.and_then(|l| self.query_count(l));
        paging::paginate_by(first, move |offset: Option<u64>| {
            let next = match offset {
                Some(offset) => self.clone().query(param, offset.to_string()),
                None => self.clone(),
            };
            async move {
                let (page, total) = next.send_with_response().await.map(step)?;
                let received = page.result().len();
                let cursor = paging::next_offset(offset.unwrap_or(0), received, limit, total);
                Ok((page, cursor))
            }
        })
    }

    /// Pages by the `Link: <...>; rel="next"` header; `step` turns a response into the page.
    pub fn link_pages<T: Send + 'a, I: Send + 'a>(
        self,
        step: fn(Response<R>) -> ApiResponse<Vec<T>, I>,
    ) -> PageStream<'a, T, I> {
        self.url_pages(move |response| {
            let link = paging::next_link(response.headers());
            (step(response), link)
        })
    }

    /// Pages by the next page's URL in the response body (`next_page_uri`, `links.pages.next`);
    /// `step` turns a response into the page and that URL (`None` or empty on the last page).
    pub fn next_url_pages<T: Send + 'a, I: Send + 'a>(
        self,
        step: fn(Response<R>) -> paging::Step<T, I, String>,
    ) -> PageStream<'a, T, I> {
        self.url_pages(step)
    }

    /// Follows next-page URLs: each is resolved against the URL of the request whose response
    /// gave it (RFC 3986), and sent with this request's method, headers and credentials, its
    /// query replacing the operation's. One on another origin than the base URL is refused; one
    /// already requested (the first page's included) is [`Error::Pagination`].
    fn url_pages<T: Send + 'a, I: Send + 'a>(
        self,
        step: impl Fn(Response<R>) -> paging::Step<T, I, String> + Copy + Send + 'a,
    ) -> PageStream<'a, T, I> {
        let first = self
            .request
            .url(&self.client.inner.base)
            .ok()
            .map(String::from);
        paging::paginate_after(first, move |url: Option<String>| {
            let mut next = self.clone();
            if let Some(url) = url {
                next.request.options = next.request.options.follow_link(url);
            }
            let here = next.request.url(&next.client.inner.base).ok();
            let sent = next.send_with_response();
            async move {
                let response = sent.await?;
                let (page, url) = step(response);
                let url = url
                    .filter(|u| !u.is_empty())
                    .map(|u| paging::resolve_next(here.as_ref(), &u));
                Ok((page, url))
            }
        })
    }
}

/// The text of a path, query or header value of a spec type that is not a string, number or
/// string enum: a value that serialises to a JSON string is sent as that string (an untagged
/// union of string shapes, such as a name-or-id); anything else as its JSON text.
#[doc(hidden)]
pub fn to_param<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::to_param;

    #[derive(serde::Serialize)]
    #[serde(untagged)]
    enum NameOrId {
        Name(String),
        Id(u32),
    }

    #[test]
    fn parameters_of_spec_types_are_sent_as_text() {
        assert_eq!(to_param(&NameOrId::Name("web-1".into())), "web-1");
        assert_eq!(to_param(&NameOrId::Id(7)), "7");
        assert_eq!(to_param(&serde_json::json!({"a": [1]})), r#"{"a":[1]}"#);
    }
}
