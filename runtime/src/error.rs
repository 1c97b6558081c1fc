//! The one error type of the client, classified by HTTP status and transport failure, with what
//! the API said (its envelope's errors, or the message of its error body) kept for inspection.

use reqwest::StatusCode;

use super::api_error::ApiError;
use super::message::ApiMessage;
use super::retry;

/// A `Result` whose error is the client's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when calling the API.
///
/// Status errors carry the parsed [`ApiError`]; use [`Error::status`], [`Error::api_errors`]
/// and [`Error::is_retryable`] to inspect any variant uniformly.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// 400 Bad Request: the request was malformed or a value was invalid.
    BadRequest(Box<ApiError>),
    /// 401 Unauthorized: the credentials are missing or invalid.
    Unauthorized(Box<ApiError>),
    /// 403 Forbidden: the credentials lack permission for this resource.
    Forbidden(Box<ApiError>),
    /// 404 Not Found.
    NotFound(Box<ApiError>),
    /// 409 Conflict.
    Conflict(Box<ApiError>),
    /// 422 Unprocessable Entity: the request was well-formed but semantically invalid.
    UnprocessableEntity(Box<ApiError>),
    /// 429 Too Many Requests: rate limited (after any retries).
    RateLimited(Box<ApiError>),
    /// A 5xx server error (after any retries).
    Server(Box<ApiError>),
    /// Any other non-2xx status (a 3xx, 405, 408 or 413, for example).
    OtherStatus(Box<ApiError>),
    /// A 2xx response whose envelope said `success: false` (only for an API with an envelope).
    Unsuccessful(Box<ApiError>),
    /// A 2xx envelope without the result that the operation requires.
    MissingResult {
        /// The HTTP status of the response.
        status: StatusCode,
        /// The operation that was called.
        operation_id: &'static str,
    },
    /// A 2xx response whose body could not be decoded (not JSON, truncated, or of the wrong
    /// shape).
    Decode {
        /// The HTTP status of the response.
        status: StatusCode,
        /// What went wrong.
        message: String,
        /// The start of the body (at most 512 bytes), for diagnosis.
        body_snippet: String,
    },
    /// An attempt exceeded its timeout (after any retries).
    Timeout {
        /// The operation, method and path template (never a parameter value).
        request: RequestName,
        /// The transport error.
        source: reqwest::Error,
    },
    /// The connection failed or broke (after any retries).
    Connection {
        /// The operation, method and path template (never a parameter value).
        request: RequestName,
        /// The transport error.
        source: reqwest::Error,
    },
    /// A request value was refused before anything was sent.
    InvalidRequest {
        /// The parameter, header or body at fault.
        parameter: String,
        /// Why it was refused.
        reason: String,
    },
    /// Any other transport error.
    Request(reqwest::Error),
    /// The client could not be configured.
    Config(String),
    /// A list could not be walked to its end: the server handed back a cursor it had already
    /// given (it ignores the cursor), so the items after the last page yielded are missing.
    Pagination(String),
    /// A streamed response broke after it started: the server sent an `error` event, a line or
    /// event was cut short, or no response came in time. (A dropped connection is
    /// [`Error::Connection`].)
    Stream {
        /// The operation that was called.
        operation_id: &'static str,
        /// What went wrong; for an `error` event, its data.
        message: String,
    },
    /// The attempt failed with `source`, which would have been retried, but the request body
    /// was streamed from a reader or a file and cannot be sent again.
    BodyNotReplayable {
        /// The error of the one attempt.
        source: Box<Error>,
    },
}

/// The messages: what went wrong, then what the API or the transport said.
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (what, api) = match self {
            Self::BadRequest(api) => ("bad request", api),
            Self::Unauthorized(api) => ("unauthorized", api),
            Self::Forbidden(api) => ("forbidden", api),
            Self::NotFound(api) => ("not found", api),
            Self::Conflict(api) => ("conflict", api),
            Self::UnprocessableEntity(api) => ("unprocessable entity", api),
            Self::RateLimited(api) => ("rate limited", api),
            Self::Server(api) => ("server error", api),
            Self::OtherStatus(api) => ("unexpected status", api),
            Self::Unsuccessful(api) => ("the API reported failure", api),
            Self::MissingResult {
                status,
                operation_id,
            } => {
                return write!(
                    f,
                    "operation `{operation_id}` returned HTTP {status} without a `result`"
                );
            }
            Self::Decode {
                status, message, ..
            } => return write!(f, "could not decode the HTTP {status} response: {message}"),
            Self::Timeout { request, .. } => return write!(f, "{request}: the request timed out"),
            Self::Connection { request, .. } => {
                return write!(f, "{request}: could not reach the API");
            }
            Self::InvalidRequest { parameter, reason } => {
                return write!(f, "invalid request parameter `{parameter}`: {reason}");
            }
            Self::Request(_) => return f.write_str("the HTTP request failed"),
            Self::Config(message) => {
                return write!(f, "invalid client configuration: {message}");
            }
            Self::Pagination(message) => return write!(f, "pagination incomplete: {message}"),
            Self::Stream {
                operation_id,
                message,
            } => return write!(f, "the stream of `{operation_id}` failed: {message}"),
            Self::BodyNotReplayable { source } => {
                return write!(
                    f,
                    "{source} (not retried: the request body was streamed and cannot be sent again)"
                );
            }
        };
        write!(f, "{what}: {api}")
    }
}

/// The transport error of a transport failure, and the first attempt's error of
/// [`Error::BodyNotReplayable`].
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Timeout { source, .. }
            | Self::Connection { source, .. }
            | Self::Request(source) => Some(source),
            Self::BodyNotReplayable { source } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl Error {
    /// The error for a non-2xx response, classified by status.
    pub(super) fn from_api_error(api: ApiError) -> Self {
        let status = api.status();
        let api = Box::new(api);
        match status.as_u16() {
            400 => Self::BadRequest(api),
            401 => Self::Unauthorized(api),
            403 => Self::Forbidden(api),
            404 => Self::NotFound(api),
            409 => Self::Conflict(api),
            422 => Self::UnprocessableEntity(api),
            429 => Self::RateLimited(api),
            500..=599 => Self::Server(api),
            _ => Self::OtherStatus(api),
        }
    }

    /// The error for a transport failure of `request`.
    pub(super) fn from_transport(error: reqwest::Error, request: RequestName) -> Self {
        if error.is_timeout() {
            Self::Timeout {
                request,
                source: error,
            }
        } else if error.is_builder() || error.is_redirect() {
            Self::Request(error)
        } else {
            // Connect failures, resets and broken bodies all mean the exchange did not complete.
            Self::Connection {
                request,
                source: error,
            }
        }
    }

    /// The API's error details, for status errors and `success: false`.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::BadRequest(api)
            | Self::Unauthorized(api)
            | Self::Forbidden(api)
            | Self::NotFound(api)
            | Self::Conflict(api)
            | Self::UnprocessableEntity(api)
            | Self::RateLimited(api)
            | Self::Server(api)
            | Self::OtherStatus(api)
            | Self::Unsuccessful(api) => Some(api),
            Self::BodyNotReplayable { source } => source.api_error(),
            _ => None,
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::MissingResult { status, .. } | Self::Decode { status, .. } => Some(*status),
            _ => self.api_error().map(ApiError::status),
        }
    }

    /// The envelope's errors, empty when there are none (always, for an API without an
    /// envelope: see [`ApiError::message`]).
    pub fn api_errors(&self) -> &[ApiMessage] {
        self.api_error().map_or(&[], ApiError::errors)
    }

    /// The request id of the response, when one was received; see [`ApiError::request_id`].
    pub fn request_id(&self) -> Option<&str> {
        self.api_error().and_then(ApiError::request_id)
    }

    /// Reads the request id of an API error from the header `name`.
    pub(super) fn with_request_id_header(self, name: Option<&'static str>) -> Self {
        let tag = |api: Box<ApiError>| Box::new(api.with_request_id_header(name));
        match self {
            Self::BadRequest(api) => Self::BadRequest(tag(api)),
            Self::Unauthorized(api) => Self::Unauthorized(tag(api)),
            Self::Forbidden(api) => Self::Forbidden(tag(api)),
            Self::NotFound(api) => Self::NotFound(tag(api)),
            Self::Conflict(api) => Self::Conflict(tag(api)),
            Self::UnprocessableEntity(api) => Self::UnprocessableEntity(tag(api)),
            Self::RateLimited(api) => Self::RateLimited(tag(api)),
            Self::Server(api) => Self::Server(tag(api)),
            Self::OtherStatus(api) => Self::OtherStatus(tag(api)),
            Self::Unsuccessful(api) => Self::Unsuccessful(tag(api)),
            other => other,
        }
    }

    /// Whether trying the same request again might succeed: 408, 409, 429, 5xx, timeouts and
    /// connection failures, unless the server's `x-should-retry` header said otherwise. This
    /// ignores whether the method is idempotent; the client's own retries also check that.
    pub fn is_retryable(&self) -> bool {
        retry::should_retry(true, self.retry_outcome(), self.retry_hint())
    }

    /// How the retry policy sees this error.
    pub(super) fn retry_outcome(&self) -> retry::Outcome {
        match self {
            Self::Timeout { .. } => retry::Outcome::Timeout,
            Self::Connection { .. } => retry::Outcome::Connection,
            Self::Unsuccessful(_) => retry::Outcome::Final,
            _ => match self.api_error() {
                Some(api) => retry::Outcome::Status(api.status()),
                None => retry::Outcome::Final,
            },
        }
    }

    /// The server's `x-should-retry` answer, when it sent one.
    pub(super) fn retry_hint(&self) -> Option<bool> {
        match self {
            Self::Unsuccessful(_) => None,
            _ => self
                .api_error()
                .and_then(|api| retry::should_retry_header(api.headers())),
        }
    }
}

/// The body of a failed call's response decoded as `T`, when its status matches one of the
/// documented response `keys` (see [`response_key`]); generated `error_body` functions use it.
#[doc(hidden)]
pub fn error_body<T: serde::de::DeserializeOwned>(error: &Error, keys: &[&str]) -> Option<T> {
    let api = error.api_error()?;
    response_key(api.status().as_u16(), keys)?;
    api.json()
}

/// Which documented response key a status matches: the exact code (`404`) first, then its class
/// (`4XX`), then `default`. Generated `error_body` functions use it to pick the body's type.
#[doc(hidden)]
pub fn response_key<'k>(status: u16, keys: &[&'k str]) -> Option<&'k str> {
    let exact = status.to_string();
    let class = format!("{}XX", status / 100);
    keys.iter()
        .find(|k| **k == exact)
        .or_else(|| keys.iter().find(|k| **k == class))
        .or_else(|| keys.iter().find(|k| **k == "default"))
        .copied()
}

/// Which request failed, for transport errors: the operation id, the method and the path
/// template. It holds no parameter values, so it is safe to print and log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestName {
    /// The spec's operation id.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template, such as `/zones/{zone_id}/client_certificates`.
    pub path: &'static str,
}

impl std::fmt::Display for RequestName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} (`{}`)", self.method, self.path, self.operation_id)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::config::EnvelopeFields;
    use reqwest::header::HeaderMap;
    use reqwest::header::HeaderValue;

    fn error_for(status: u16, body: &str) -> Error {
        let mut headers = HeaderMap::new();
        headers.insert("cf-ray", HeaderValue::from_static("ray-1"));
        let status = StatusCode::from_u16(status).unwrap();
        Error::from_api_error(
            ApiError::from_response(
                status,
                headers,
                body.as_bytes(),
                Some(&EnvelopeFields::USUAL),
                &[],
            )
            .with_request_id_header(Some("cf-ray")),
        )
    }

    const ENVELOPE: &str = r#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"},{"code":2,"message":"second"}],"messages":[],"result":null}"#;

    #[test]
    fn classification_per_status() {
        type Check = fn(&Error) -> bool;
        let cases: [(u16, Check); 14] = [
            (400, |e| matches!(e, Error::BadRequest(_))),
            (401, |e| matches!(e, Error::Unauthorized(_))),
            (403, |e| matches!(e, Error::Forbidden(_))),
            (404, |e| matches!(e, Error::NotFound(_))),
            (409, |e| matches!(e, Error::Conflict(_))),
            (422, |e| matches!(e, Error::UnprocessableEntity(_))),
            (429, |e| matches!(e, Error::RateLimited(_))),
            (500, |e| matches!(e, Error::Server(_))),
            (502, |e| matches!(e, Error::Server(_))),
            (599, |e| matches!(e, Error::Server(_))),
            (301, |e| matches!(e, Error::OtherStatus(_))),
            (405, |e| matches!(e, Error::OtherStatus(_))),
            (408, |e| matches!(e, Error::OtherStatus(_))),
            (418, |e| matches!(e, Error::OtherStatus(_))),
        ];
        for (status, check) in cases {
            let err = error_for(status, ENVELOPE);
            assert!(check(&err), "{status}: {err:?}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(err.api_errors().len(), 2);
            assert_eq!(err.request_id(), Some("ray-1"));
        }
    }

    #[test]
    fn retryable_statuses() {
        for (status, retryable) in [
            (400, false),
            (401, false),
            (403, false),
            (404, false),
            (408, true),
            (409, true),
            (422, false),
            (429, true),
            (500, true),
            (503, true),
        ] {
            assert_eq!(error_for(status, "").is_retryable(), retryable, "{status}");
        }
    }

    #[test]
    fn x_should_retry_overrides_is_retryable() {
        let mut headers = HeaderMap::new();
        headers.insert("x-should-retry", HeaderValue::from_static("false"));
        let err = Error::from_api_error(
            ApiError::from_response(StatusCode::SERVICE_UNAVAILABLE, headers, b"", None, &[])
                .with_request_id_header(Some("cf-ray")),
        );
        assert!(!err.is_retryable());
        let mut headers = HeaderMap::new();
        headers.insert("x-should-retry", HeaderValue::from_static("true"));
        let err = Error::from_api_error(
            ApiError::from_response(StatusCode::BAD_REQUEST, headers, b"", None, &[])
                .with_request_id_header(Some("cf-ray")),
        );
        assert!(err.is_retryable());
    }

    #[test]
    fn display_names_status_and_first_error() {
        let text = error_for(403, ENVELOPE).to_string();
        assert_eq!(
            text,
            "forbidden: HTTP 403 Forbidden: error 10000: Authentication error (and 1 more) [cf-ray ray-1]"
        );
    }

    #[test]
    fn non_json_error_bodies_keep_the_raw_body() {
        let html = "<html><h1>502 Bad Gateway</h1></html>";
        let err = error_for(502, html);
        let api = err.api_error().unwrap();
        assert!(api.errors().is_empty());
        assert_eq!(api.body(), html);
        assert_eq!(
            err.to_string(),
            "server error: HTTP 502 Bad Gateway [cf-ray ray-1]"
        );
        let err = error_for(429, "slow down");
        assert_eq!(
            err.to_string(),
            "rate limited: HTTP 429 Too Many Requests: slow down [cf-ray ray-1]"
        );
    }

    #[test]
    fn the_error_schemas_message_whatever_the_length() {
        let padding = "x".repeat(300);
        let bodies: [(&[&str], String, &str); 3] = [
            (
                &["error", "message"],
                format!(
                    r#"{{"error":{{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key","pad":"{padding}"}}}}"#
                ),
                "Incorrect API key provided",
            ),
            (
                &["message"],
                format!(
                    r#"{{"error_code":"Forbidden","message":"action not allowed","request_id":"{padding}"}}"#
                ),
                "action not allowed",
            ),
            (
                &["message"],
                format!(
                    r#"{{"code":20003,"message":"Authenticate","more_info":"https://example.com/{padding}","status":401}}"#
                ),
                "Authenticate",
            ),
        ];
        for (path, body, message) in bodies {
            let api = ApiError::from_response(
                StatusCode::UNAUTHORIZED,
                HeaderMap::new(),
                body.as_bytes(),
                None,
                path,
            );
            assert!(api.errors().is_empty());
            assert_eq!(api.message(), Some(message));
            let err = Error::from_api_error(api);
            assert_eq!(
                err.to_string(),
                format!("unauthorized: HTTP 401 Unauthorized: {message}")
            );
        }
        // Without an envelope, an `errors` list is just part of the body.
        let api = ApiError::from_response(
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            ENVELOPE.as_bytes(),
            None,
            &["message"],
        );
        assert!(api.errors().is_empty());
        assert_eq!(api.message(), None);
    }

    #[test]
    fn non_status_errors() {
        let err = Error::MissingResult {
            status: StatusCode::OK,
            operation_id: "client-certificate-for-a-zone-list",
        };
        assert_eq!(err.status(), Some(StatusCode::OK));
        assert!(err.api_errors().is_empty());
        assert!(!err.is_retryable());
        assert!(
            err.to_string()
                .contains("client-certificate-for-a-zone-list")
        );
        let err = Error::InvalidRequest {
            parameter: "zone_id".into(),
            reason: "must not be empty".into(),
        };
        assert_eq!(err.status(), None);
        assert_eq!(
            err.to_string(),
            "invalid request parameter `zone_id`: must not be empty"
        );
        assert!(!Error::Config("x".into()).is_retryable());
        // The messages and sources the derive gave, now written out.
        use std::error::Error as _;
        assert_eq!(
            Error::Pagination("a cursor came back".into()).to_string(),
            "pagination incomplete: a cursor came back"
        );
        let inner = Error::Config("x".into());
        let err = Error::BodyNotReplayable {
            source: Box::new(inner),
        };
        assert_eq!(
            err.to_string(),
            "invalid client configuration: x (not retried: the request body was streamed and cannot be sent again)"
        );
        assert_eq!(
            err.source().map(ToString::to_string).as_deref(),
            Some("invalid client configuration: x")
        );
        assert!(Error::Config("x".into()).source().is_none());
    }

    #[test]
    fn error_is_send_sync_and_small() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_eq!(response_key(404, &["4XX", "404", "default"]), Some("404"));
        assert_eq!(response_key(409, &["4XX", "404", "default"]), Some("4XX"));
        assert_eq!(
            response_key(500, &["4XX", "404", "default"]),
            Some("default")
        );
        assert_eq!(response_key(500, &["4XX"]), None);
        assert!(std::mem::size_of::<Error>() <= 64);
    }
}
