//! [`ApiError`]: what the API said when it refused a request (status, headers, request id, raw
//! body, and the message: the envelope's errors, or the field the error schema names).

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::config::EnvelopeFields;
use super::fields;
use super::message::{ApiMessage, messages_from_raw};

/// What the API said when it refused a request: the status, the message of the error body,
/// the envelope's errors and messages (for an API with an envelope), the request id (from the
/// API's request-id header, such as `x-request-id`), the headers and the raw body.
#[derive(Clone, Debug)]
pub struct ApiError {
    status: StatusCode,
    message: Option<String>,
    errors: Vec<ApiMessage>,
    messages: Vec<ApiMessage>,
    request_id: Option<(&'static str, String)>,
    headers: HeaderMap,
    body: String,
}

impl ApiError {
    /// An API error from its parts. Requests made by a [`Client`](super::Client) also read the
    /// request id from the API's request-id header.
    pub fn new(
        status: StatusCode,
        headers: HeaderMap,
        errors: Vec<ApiMessage>,
        messages: Vec<ApiMessage>,
        body: String,
    ) -> Self {
        Self {
            status,
            message: None,
            errors,
            messages,
            request_id: None,
            headers,
            body,
        }
    }

    /// An API error from a raw non-2xx response: the envelope's errors and messages when the
    /// API has an envelope, and the text at `message_path` of the body (`["error", "message"]`,
    /// from the spec's error schema). A body that is neither (an HTML error page, say) gives no
    /// errors and no message, and is kept verbatim in [`ApiError::body`].
    pub(crate) fn from_response(
        status: StatusCode,
        headers: HeaderMap,
        body: &[u8],
        envelope: Option<&EnvelopeFields>,
        message_path: &[&str],
    ) -> Self {
        let picked = envelope
            .and_then(|e| fields::pick(body, &[e.errors, e.messages]).ok())
            .unwrap_or_default();
        let list = |i: usize| messages_from_raw(picked.get(i).copied().flatten());
        let mut error = Self::new(
            status,
            headers,
            list(0),
            list(1),
            String::from_utf8_lossy(body).into_owned(),
        );
        error.message = fields::text_at(body, message_path);
        error
    }

    /// Sets the message, as the error body's message field would.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// What the API said went wrong: the first of the envelope's errors, else the message of
    /// the error body (the field the spec's error schema names, such as OpenAI's
    /// `error.message`).
    pub fn message(&self) -> Option<&str> {
        match self.errors.first() {
            Some(first) => Some(first.message.as_str()),
            None => self.message.as_deref(),
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The envelope's errors; empty for an API without an envelope or a body that is not one.
    pub fn errors(&self) -> &[ApiMessage] {
        &self.errors
    }

    /// The envelope's informational messages.
    pub fn messages(&self) -> &[ApiMessage] {
        &self.messages
    }

    /// The value of the API's request-id header, which identifies the request to the API's
    /// operators.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_ref().map(|(_, id)| id.as_str())
    }

    /// Reads the request id from the header `name`.
    pub(crate) fn with_request_id_header(mut self, name: Option<&'static str>) -> Self {
        self.request_id = name.and_then(|name| {
            let id = self.headers.get(name)?.to_str().ok()?;
            Some((name, id.to_owned()))
        });
        self
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body (lossily decoded as UTF-8).
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The body decoded as `T`, such as the error type the operation documents; `None` when it
    /// is not one.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(&self.body).ok()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        match self.errors.split_first() {
            Some((first, rest)) => {
                write!(f, ": error {}: {}", first.code, first.message)?;
                if !rest.is_empty() {
                    write!(f, " (and {} more)", rest.len())?;
                }
            }
            None => match &self.message {
                Some(message) => write!(f, ": {message}")?,
                // A short plain-text body says more than the status alone.
                None if !self.body.is_empty()
                    && self.body.len() <= 200
                    && !self.body.contains('<') =>
                {
                    write!(f, ": {}", self.body.trim())?;
                }
                None => {}
            },
        }
        if let Some((name, id)) = &self.request_id {
            write!(f, " [{name} {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}
