//! The typed request that every generated operation builder wraps.
//!
//! A generated builder is a one-field struct around a [`Call`]: its constructor and setters
//! encode each value as soon as it is given (path, query, header, body) and check it against the
//! spec's limits, and everything that is the same for every operation lives here once: sending,
//! decoding by the operation's response kind ([`Decode`]), per-request options, and walking pages.
//! The [`Request`] trait gives every builder `send`, `send_with_response` and `options`.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::{Error, Result};
use super::multipart::Multipart;
use super::pagination::{self, PageInfo, PageStream};
use super::paging;
use super::request::{RequestBuilder, RequestOptions};
use super::response::ApiResponse;
use super::validate::{Limit, Limited};
use super::{BoxFuture, FormField};

/// How an operation's 2xx response decodes: the envelope, plain JSON, nothing, text or bytes.
/// The generator picks one of [`Envelope`], [`EnvelopeOptional`], [`Json`], [`Empty`], [`Text`]
/// and [`Bytes`] for each operation.
pub trait Decode: 'static {
    /// What `send` returns.
    type Output: Send + 'static;
    /// The envelope metadata (`result_info`) `send_with_response` carries; `()` when none.
    type Meta: Send + 'static;
    /// Sends `request` and decodes its response.
    #[doc(hidden)]
    fn send(
        request: RequestBuilder<'_>,
    ) -> BoxFuture<'_, Result<ApiResponse<Self::Output, Self::Meta>>>;
}

/// A response in the API's envelope whose `result` is required (missing is
/// [`Error::MissingResult`]); `I` is its `result_info`.
pub struct Envelope<T, I = ()>(PhantomData<fn() -> (T, I)>);
/// A response in the API's envelope whose `result` may be missing or `null` (then `None`).
pub struct EnvelopeOptional<T, I = ()>(PhantomData<fn() -> (T, I)>);
/// A plain JSON response body.
pub struct Json<T>(PhantomData<fn() -> T>);
/// A response whose body is ignored (an envelope saying `success: false` is still an error).
pub struct Empty;
/// A text response body.
pub struct Text;
/// A raw response body.
pub struct Bytes;

impl<T, I> Decode for Envelope<T, I>
where
    T: DeserializeOwned + Send + 'static,
    I: DeserializeOwned + Send + 'static,
{
    type Output = T;
    type Meta = I;
    fn send(request: RequestBuilder<'_>) -> BoxFuture<'_, Result<ApiResponse<T, I>>> {
        Box::pin(request.send_envelope())
    }
}

impl<T, I> Decode for EnvelopeOptional<T, I>
where
    T: DeserializeOwned + Send + 'static,
    I: DeserializeOwned + Send + 'static,
{
    type Output = Option<T>;
    type Meta = I;
    fn send(request: RequestBuilder<'_>) -> BoxFuture<'_, Result<ApiResponse<Option<T>, I>>> {
        Box::pin(request.send_envelope_optional())
    }
}

impl<T: DeserializeOwned + Send + 'static> Decode for Json<T> {
    type Output = T;
    type Meta = ();
    fn send(request: RequestBuilder<'_>) -> BoxFuture<'_, Result<ApiResponse<T, ()>>> {
        Box::pin(request.send_json())
    }
}

impl Decode for Empty {
    type Output = ();
    type Meta = ();
    fn send(request: RequestBuilder<'_>) -> BoxFuture<'_, Result<ApiResponse<(), ()>>> {
        Box::pin(request.send_empty())
    }
}

impl Decode for Text {
    type Output = String;
    type Meta = ();
    fn send(request: RequestBuilder<'_>) -> BoxFuture<'_, Result<ApiResponse<String, ()>>> {
        Box::pin(request.send_text())
    }
}

impl Decode for Bytes {
    type Output = Vec<u8>;
    type Meta = ();
    fn send(request: RequestBuilder<'_>) -> BoxFuture<'_, Result<ApiResponse<Vec<u8>, ()>>> {
        Box::pin(request.send_bytes())
    }
}

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
    pub(super) request: RequestBuilder<'a>,
    /// Values refused by their limits: (parameter, whether it is a body field, reason).
    invalid: Vec<(&'static str, bool, String)>,
    decode: PhantomData<fn() -> R>,
}

impl<R> Clone for Call<'_, R> {
    fn clone(&self) -> Self {
        Self {
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

impl<'a, R: Decode> Call<'a, R> {
    pub(super) fn new(request: RequestBuilder<'a>) -> Self {
        Self {
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

    /// Sets a JSON body.
    pub fn json_body<B: Serialize + ?Sized>(self, body: &B) -> Self {
        self.map(|r| r.json_body(body))
    }

    /// Sets a newline-delimited JSON body.
    pub fn ndjson_body<B: Serialize>(self, items: &[B]) -> Self {
        self.map(|r| r.ndjson_body(items))
    }

    /// Sets a raw body with its media type.
    pub fn bytes_body(self, content_type: &'static str, body: Vec<u8>) -> Self {
        self.map(|r| r.bytes_body(content_type, body))
    }

    /// Sets an `application/x-www-form-urlencoded` body; see [`RequestBuilder::form_body`].
    pub fn form_body<B: Serialize + ?Sized>(self, body: &B, fields: &[FormField]) -> Self {
        self.map(|r| r.form_body(body, fields))
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart_body(self, form: Multipart) -> Self {
        self.map(|r| r.multipart_body(form))
    }

    fn map(mut self, f: impl FnOnce(RequestBuilder<'a>) -> RequestBuilder<'a>) -> Self {
        self.request = f(self.request);
        self
    }

    /// Applies per-request options, replacing any given before.
    pub fn options(self, options: RequestOptions) -> Self {
        self.map(|r| r.options(options))
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
        let response = self.send_with_response();
        Box::pin(async move { response.await.map(ApiResponse::into_result) })
    }

    /// Sends the request and returns the result with the status, headers and envelope metadata.
    pub fn send_with_response(self) -> BoxFuture<'a, Result<ApiResponse<R::Output, R::Meta>>> {
        if let Some(error) = self.first_invalid() {
            return Box::pin(std::future::ready(Err(error)));
        }
        R::send(self.request)
    }

    /// The error for the first value refused by its limits, if any.
    pub(super) fn first_invalid(&self) -> Option<Error> {
        let (parameter, _, reason) = self.invalid.first()?;
        Some(Error::InvalidRequest {
            parameter: (*parameter).to_owned(),
            reason: reason.clone(),
        })
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
        paging::paginate_by(None, move |link: Option<String>| {
            let mut next = self.clone();
            if let Some(link) = link {
                next.request.options = next.request.options.clone().follow_link(link);
            }
            async move {
                let response = next.send_with_response().await?;
                let link = paging::next_link(response.headers());
                Ok((step(response), link))
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

/// What every generated request builder can do: send itself, with or without the response's
/// metadata, and take per-request options. Generated crates export it in their `prelude`.
pub trait Request<'a>: Sized {
    /// How the operation's response decodes.
    type Decode: Decode;

    /// The typed request inside the builder.
    #[doc(hidden)]
    fn into_call(self) -> Call<'a, Self::Decode>;

    /// The builder around a typed request.
    #[doc(hidden)]
    fn from_call(call: Call<'a, Self::Decode>) -> Self;

    /// Per-request options: timeout, retries, extra headers.
    fn options(self, options: RequestOptions) -> Self {
        Self::from_call(self.into_call().options(options))
    }

    /// Sends the request and returns the decoded result (awaiting the builder does the same).
    fn send(self) -> BoxFuture<'a, Result<<Self::Decode as Decode>::Output>> {
        self.into_call().send()
    }

    /// Sends the request and returns the result with the status, headers and envelope metadata.
    #[allow(clippy::type_complexity)]
    fn send_with_response(
        self,
    ) -> BoxFuture<
        'a,
        Result<ApiResponse<<Self::Decode as Decode>::Output, <Self::Decode as Decode>::Meta>>,
    > {
        self.into_call().send_with_response()
    }
}

/// Defines a generated request builder: a one-field struct around a [`Call`] decoding as the
/// given type, with [`Request`] and `IntoFuture`. The attributes given (its docs) go on the
/// struct; a `cfg` on the macro call removes all of it. Expanded only inside generated crates,
/// where `crate::runtime` is this runtime, whether it is a dependency or a vendored module.
#[doc(hidden)]
#[macro_export]
// `crate::runtime` on purpose: the generated crate's path to this runtime, crate or vendored.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __request {
    ($(#[$meta:meta])* $name:ident, $decode:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct $name<'a>(crate::runtime::Call<'a, $decode>);
        impl<'a> crate::runtime::Request<'a> for $name<'a> {
            type Decode = $decode;
            fn into_call(self) -> crate::runtime::Call<'a, $decode> {
                self.0
            }
            fn from_call(call: crate::runtime::Call<'a, $decode>) -> Self {
                Self(call)
            }
        }
        impl<'a> ::std::future::IntoFuture for $name<'a> {
            type Output = crate::runtime::Result<<$decode as crate::runtime::Decode>::Output>;
            type IntoFuture = crate::runtime::BoxFuture<'a, Self::Output>;
            fn into_future(self) -> Self::IntoFuture {
                self.0.send()
            }
        }
    };
}

/// Defines a generated resource handle (`client.<resource>()`): a copyable struct holding the
/// client, whose operations the generated code adds in an `impl` of its own.
#[doc(hidden)]
#[macro_export]
#[allow(clippy::crate_in_macro_def)]
macro_rules! __resource {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            client: &'a crate::runtime::Client,
        }
        impl<'a> $name<'a> {
            pub(crate) fn new(client: &'a crate::runtime::Client) -> Self {
                Self { client }
            }
        }
    };
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
