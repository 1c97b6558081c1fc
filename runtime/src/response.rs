//! The successful outcome of a call: the decoded result with its status, headers, a fingerprint
//! of the payload and, for APIs with an envelope, the envelope's result info and messages.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::fields;
use super::message::ApiMessage;

/// A response as the transport read it: status, headers and the whole body, not decoded yet.
#[doc(hidden)]
#[derive(Debug)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body, as reqwest read it (no copy).
    pub body: bytes::Bytes,
}

/// A successful response: the decoded result (`T`), the raw response metadata and, for an API
/// with an envelope, the envelope's result info (`I`, `()` when the operation has none) and
/// messages.
#[derive(Clone, Debug)]
pub struct ApiResponse<T, I = ()> {
    status: StatusCode,
    headers: HeaderMap,
    result: T,
    envelope: Option<EnvelopeMeta<I>>,
    fingerprint: Fingerprint,
    request_id_header: Option<&'static str>,
}

/// What an envelope carries beside the result.
#[derive(Clone, Debug)]
struct EnvelopeMeta<I> {
    result_info: Option<I>,
    messages: Vec<ApiMessage>,
}

impl<I> EnvelopeMeta<I> {
    const EMPTY: Self = Self {
        result_info: None,
        messages: Vec::new(),
    };
}

/// How the payload fingerprint is known: given, or worked out on demand from the body (only
/// pagination asks, so single calls never pay for hashing).
#[derive(Clone)]
enum Fingerprint {
    None,
    Known(u64),
    /// The body and the name of its result field.
    OfEnvelopeResult(bytes::Bytes, &'static str),
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fingerprint::None => f.write_str("None"),
            Fingerprint::Known(v) => write!(f, "Known({v})"),
            Fingerprint::OfEnvelopeResult(body, _) => {
                write!(f, "OfEnvelopeResult({} bytes)", body.len())
            }
        }
    }
}

impl<T, I> ApiResponse<T, I> {
    /// A response with the given status and result, no headers, no `result_info`, no messages
    /// and no fingerprint. Useful for tests and mock `fetch` functions given to
    /// [`paginate`](super::pagination::paginate).
    pub fn new(status: StatusCode, result: T) -> Self {
        Self {
            status,
            headers: HeaderMap::new(),
            result,
            envelope: None,
            fingerprint: Fingerprint::None,
            request_id_header: None,
        }
    }

    /// Replaces the response headers.
    pub fn with_headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    /// Sets the envelope's result info.
    pub fn with_result_info(mut self, result_info: I) -> Self {
        self.envelope.get_or_insert(EnvelopeMeta::EMPTY).result_info = Some(result_info);
        self
    }

    /// Replaces the envelope's messages.
    pub fn with_messages(mut self, messages: Vec<ApiMessage>) -> Self {
        self.envelope.get_or_insert(EnvelopeMeta::EMPTY).messages = messages;
        self
    }

    /// Sets the payload fingerprint that pagination compares to spot a repeated page.
    pub fn with_fingerprint(mut self, fingerprint: u64) -> Self {
        self.fingerprint = Fingerprint::Known(fingerprint);
        self
    }

    /// The response of a decoded envelope, built in one step (the result may be large, and
    /// each `with_` step moves it). The raw body is kept so that [`ApiResponse::fingerprint`]
    /// can hash its result field (named `result_field`) when asked.
    pub(super) fn of_envelope(
        status: StatusCode,
        headers: HeaderMap,
        result: T,
        result_info: Option<I>,
        messages: Vec<ApiMessage>,
        body: bytes::Bytes,
        result_field: &'static str,
    ) -> Self {
        Self {
            status,
            headers,
            result,
            envelope: Some(EnvelopeMeta {
                result_info,
                messages,
            }),
            fingerprint: Fingerprint::OfEnvelopeResult(body, result_field),
            request_id_header: None,
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The value of the API's request-id header (such as `x-request-id`), which identifies the
    /// request to the API's operators.
    pub fn request_id(&self) -> Option<&str> {
        self.headers
            .get(self.request_id_header?)
            .and_then(|value| value.to_str().ok())
    }

    /// Names the API's request-id header.
    pub fn with_request_id_header(mut self, name: Option<&'static str>) -> Self {
        self.request_id_header = name;
        self
    }

    /// The decoded result.
    pub fn result(&self) -> &T {
        &self.result
    }

    /// The decoded result, mutably.
    pub fn result_mut(&mut self) -> &mut T {
        &mut self.result
    }

    /// Consumes the response and returns the decoded result.
    pub fn into_result(self) -> T {
        self.result
    }

    /// The envelope's result info (paging details), when the API has an envelope and the
    /// response held a decodable one.
    pub fn result_info(&self) -> Option<&I> {
        self.envelope.as_ref()?.result_info.as_ref()
    }

    /// The envelope's informational messages; empty for an API without an envelope.
    pub fn messages(&self) -> &[ApiMessage] {
        self.envelope
            .as_ref()
            .map_or(&[], |e| e.messages.as_slice())
    }

    /// A hash of the raw `result` JSON (of the whole body for plain JSON responses), used by
    /// pagination to detect a server that returns the same page again. `None` when unknown.
    pub fn fingerprint(&self) -> Option<u64> {
        match &self.fingerprint {
            Fingerprint::None => None,
            Fingerprint::Known(v) => Some(*v),
            Fingerprint::OfEnvelopeResult(body, result) => fields::field_fingerprint(body, result),
        }
    }

    /// Consumes the response and returns the result with the result info.
    pub fn into_parts(self) -> (T, Option<I>) {
        (self.result, self.envelope.and_then(|e| e.result_info))
    }

    /// Transforms the result, keeping everything else.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U, I> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            result: f(self.result),
            envelope: self.envelope,
            fingerprint: self.fingerprint,
            request_id_header: self.request_id_header,
        }
    }
}

impl<T, I> ApiResponse<Option<T>, I> {
    /// Turns a response whose result may be absent into one whose result is present, or `None`
    /// when it is absent.
    pub fn transpose(self) -> Option<ApiResponse<T, I>> {
        let Self {
            status,
            headers,
            result,
            envelope,
            fingerprint,
            request_id_header,
        } = self;
        result.map(|result| ApiResponse {
            status,
            headers,
            result,
            envelope,
            fingerprint,
            request_id_header,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn accessors_and_map() {
        let mut headers = HeaderMap::new();
        headers.insert("cf-ray", HeaderValue::from_static("8a1b2c3d4e5f-SJC"));
        let response: ApiResponse<Vec<u32>, u8> = ApiResponse::new(StatusCode::OK, vec![1, 2])
            .with_headers(headers)
            .with_request_id_header(Some("cf-ray"))
            .with_result_info(7)
            .with_fingerprint(42);
        assert_eq!(response.request_id(), Some("8a1b2c3d4e5f-SJC"));
        assert_eq!(response.result_info(), Some(&7));
        assert_eq!(response.fingerprint(), Some(42));
        let mapped = response.map(|items| items.len());
        assert_eq!(*mapped.result(), 2);
        assert_eq!(mapped.fingerprint(), Some(42));
        assert_eq!(mapped.into_parts(), (2, Some(7)));
    }
}
