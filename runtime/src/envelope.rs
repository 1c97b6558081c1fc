//! Decoding of Cloudflare's response envelope (`{success, errors, messages, result,
//! result_info}`) and of its messages, leniently enough that a new or oddly typed field never
//! breaks a call.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::sync::Arc;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use super::error::{ApiError, Error};
use super::response::ApiResponse;

/// How many bytes of an undecodable body an [`Error::Decode`] keeps.
pub(super) const SNIPPET_LIMIT: usize = 512;

/// One entry of an envelope's `errors` or `messages` array.
///
/// Decoding is lenient: missing fields take defaults, a `code` sent as a float (`1000.0`) or a
/// string (`"1000"`) is accepted, and an entry that is a bare string becomes the message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ApiMessage {
    /// The Cloudflare error or message code, `0` when the server sent none.
    pub code: i64,
    /// The human-readable text.
    pub message: String,
    /// A link to documentation about this code, when the server sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// Where in the request the problem lies, when the server said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ApiMessageSource>,
}

/// Where in the request an [`ApiMessage`] points.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ApiMessageSource {
    /// A JSON pointer into the request body, such as `/csr`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl ApiMessage {
    /// A message with the given code and text and no documentation link or source.
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            documentation_url: None,
            source: None,
        }
    }

    /// Builds a message from any JSON value, never failing.
    fn from_value(value: Value) -> Self {
        match value {
            Value::Object(map) => Self {
                code: map.get("code").and_then(code_from_value).unwrap_or(0),
                message: match map.get("message") {
                    Some(Value::String(text)) => text.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                },
                documentation_url: map
                    .get("documentation_url")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                source: match map.get("source") {
                    Some(Value::Object(source)) => Some(ApiMessageSource {
                        pointer: source
                            .get("pointer")
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                    }),
                    _ => None,
                },
            },
            Value::String(text) => Self::new(0, text),
            Value::Null => Self::default(),
            other => Self::new(0, other.to_string()),
        }
    }
}

impl std::fmt::Display for ApiMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.code, self.message)
    }
}

impl<'de> Deserialize<'de> for ApiMessage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Self::from_value)
    }
}

impl<'de> Deserialize<'de> for ApiMessageSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Ok(Self {
            pointer: value
                .get("pointer")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }
}

/// Reads a message code from an integer, a float or a numeric string.
fn code_from_value(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number
            .as_i64()
            .or_else(|| {
                number
                    .as_u64()
                    .map(|n| i64::try_from(n).unwrap_or(i64::MAX))
            })
            .or_else(|| {
                number
                    .as_f64()
                    .filter(|f| f.is_finite())
                    // A saturating cast: codes are small integers, sometimes sent as `1000.0`.
                    .map(|f| f as i64)
            }),
        Value::String(text) => {
            let text = text.trim();
            text.parse::<i64>().ok().or_else(|| {
                text.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(|f| f as i64)
            })
        }
        _ => None,
    }
}

/// Reads an `errors` or `messages` field that may be an array, a single entry, or `null`.
fn lenient_messages<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<ApiMessage>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Array(items) => items.into_iter().map(ApiMessage::from_value).collect(),
        Value::Null => Vec::new(),
        single => vec![ApiMessage::from_value(single)],
    })
}

/// Reads a `success` field that may be a boolean, the strings `"true"`/`"false"`, or anything
/// else (which counts as absent).
fn lenient_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Bool(flag) => Some(flag),
        Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
        Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

/// The envelope's status fields, read from an error response (whose `result` is ignored).
#[derive(Debug, Default, Deserialize)]
pub(super) struct EnvelopeStatus {
    /// The envelope's `success` flag, when present.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub(super) success: Option<bool>,
    /// The envelope's `errors`.
    #[serde(default, deserialize_with = "lenient_messages")]
    pub(super) errors: Vec<ApiMessage>,
    /// The envelope's `messages`.
    #[serde(default, deserialize_with = "lenient_messages")]
    pub(super) messages: Vec<ApiMessage>,
}

impl EnvelopeStatus {
    /// Reads the status fields of a body, or defaults when it is not a JSON object.
    pub(super) fn read(body: &[u8]) -> Self {
        serde_json::from_slice(body).unwrap_or_default()
    }
}

/// The whole envelope, borrowing `result` and `result_info` as raw JSON so that the flags are
/// checked before the payload is decoded, and so that the payload can be fingerprinted.
#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(default, deserialize_with = "lenient_bool")]
    success: Option<bool>,
    #[serde(default, deserialize_with = "lenient_messages")]
    errors: Vec<ApiMessage>,
    #[serde(default, deserialize_with = "lenient_messages")]
    messages: Vec<ApiMessage>,
    #[serde(default, borrow)]
    result: Option<&'a RawValue>,
    #[serde(default, borrow)]
    result_info: Option<&'a RawValue>,
}

/// A cheap, stable fingerprint of some bytes, used by pagination to spot a repeated page.
pub(super) fn fingerprint(bytes: &[u8]) -> u64 {
    // `DefaultHasher::new()` uses fixed keys, so equal bytes give equal fingerprints.
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// The first [`SNIPPET_LIMIT`] bytes of a body as text, cut on a character boundary.
pub(super) fn body_snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(SNIPPET_LIMIT)];
    match std::str::from_utf8(cut) {
        Ok(text) => text.to_owned(),
        // The limit fell inside a multi-byte character: drop the partial character.
        Err(error) if error.error_len().is_none() => {
            String::from_utf8_lossy(&cut[..error.valid_up_to()]).into_owned()
        }
        Err(_) => String::from_utf8_lossy(cut).into_owned(),
    }
}

/// The [`Error::Decode`] for a body that could not be read.
fn decode_error(status: StatusCode, message: String, body: &[u8]) -> Error {
    Error::Decode {
        status,
        message,
        body_snippet: body_snippet(body),
    }
}

/// Decodes a 2xx body in the Cloudflare envelope.
///
/// A body that is not JSON is [`Error::Decode`]; `success: false` is [`Error::Unsuccessful`]
/// carrying the envelope's `errors`; a `result` that does not fit `T` is [`Error::Decode`]. A
/// missing or `null` `result` comes back as `None`. A `result_info` that does not fit `I` is
/// dropped (it is metadata and must not fail the call), as is any unknown field.
pub(super) fn decode_envelope<T: DeserializeOwned, I: DeserializeOwned>(
    status: StatusCode,
    headers: HeaderMap,
    body: impl Into<Vec<u8>> + AsRef<[u8]>,
) -> Result<ApiResponse<Option<T>, I>, Error> {
    let bytes = body.as_ref();
    // One pass straight into the typed envelope; the two-pass path below only runs when that
    // fails, to tell a `success: false` envelope from a payload of the wrong shape.
    if let Ok(envelope) = serde_json::from_slice::<TypedEnvelope<T>>(bytes) {
        if envelope.success != Some(false) {
            let info = envelope
                .result_info
                .as_deref()
                .and_then(decode_result_info::<I>);
            return Ok(success(
                status,
                headers,
                envelope.result,
                info,
                envelope.messages,
                body.into(),
            ));
        }
    }
    let envelope: RawEnvelope<'_> = serde_json::from_slice(bytes).map_err(|error| {
        decode_error(
            status,
            format!("the response is not a Cloudflare envelope: {error}"),
            bytes,
        )
    })?;
    if envelope.success == Some(false) {
        return Err(Error::Unsuccessful(Box::new(ApiError::new(
            status,
            headers,
            envelope.errors,
            envelope.messages,
            String::from_utf8_lossy(bytes).into_owned(),
        ))));
    }
    let result = match envelope.result {
        None => None,
        Some(raw) => Some(
            serde_json::from_str::<T>(raw.get())
                .map_err(|error| decode_error(status, format!("field `result`: {error}"), bytes))?,
        ),
    };
    let info = envelope.result_info.and_then(decode_result_info::<I>);
    Ok(success(
        status,
        headers,
        result,
        info,
        envelope.messages,
        body.into(),
    ))
}

/// The response for a successful envelope, whichever path decoded it. The body is kept so
/// that pagination can fingerprint its `result` on demand.
fn success<T, I>(
    status: StatusCode,
    headers: HeaderMap,
    result: Option<T>,
    result_info: Option<I>,
    messages: Vec<ApiMessage>,
    body: Vec<u8>,
) -> ApiResponse<Option<T>, I> {
    let response = ApiResponse::new(status, result)
        .with_headers(headers)
        .with_messages(messages)
        .with_envelope_body(Arc::new(body));
    match result_info {
        Some(info) => response.with_result_info(info),
        None => response,
    }
}

/// A `result_info` that does not fit its type is dropped (with a debug log), never an error.
fn decode_result_info<I: DeserializeOwned>(raw: &RawValue) -> Option<I> {
    serde_json::from_str::<I>(raw.get())
        .map_err(|error| {
            tracing::debug!(%error, "ignoring a `result_info` that does not fit its type");
        })
        .ok()
}

/// The fingerprint of an envelope body's raw `result`, for spotting a repeated page.
pub(super) fn result_fingerprint(body: &[u8]) -> Option<u64> {
    let envelope: RawEnvelope<'_> = serde_json::from_slice(body).ok()?;
    Some(fingerprint(
        envelope
            .result
            .map(RawValue::get)
            .unwrap_or("null")
            .as_bytes(),
    ))
}

/// The envelope decoded in one pass, with a typed `result`.
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct TypedEnvelope<T> {
    #[serde(default, deserialize_with = "lenient_bool")]
    success: Option<bool>,
    #[serde(default, deserialize_with = "lenient_messages")]
    messages: Vec<ApiMessage>,
    #[serde(default = "none")]
    result: Option<T>,
    #[serde(default)]
    result_info: Option<Box<RawValue>>,
}

fn none<T>() -> Option<T> {
    None
}

/// Decodes a 2xx body that is plain JSON, not an envelope.
pub(super) fn decode_json<T: DeserializeOwned>(
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
) -> Result<ApiResponse<T, ()>, Error> {
    let result = serde_json::from_slice::<T>(body)
        .map_err(|error| decode_error(status, error.to_string(), body))?;
    Ok(ApiResponse::new(status, result)
        .with_headers(headers)
        .with_fingerprint(fingerprint(body)))
}

/// Checks a 2xx body whose content is otherwise ignored: only an envelope that says
/// `success: false` turns it into an error.
pub(super) fn check_empty(
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
) -> Result<ApiResponse<(), ()>, Error> {
    let envelope = EnvelopeStatus::read(body);
    if envelope.success == Some(false) {
        return Err(Error::Unsuccessful(Box::new(ApiError::new(
            status,
            headers,
            envelope.errors,
            envelope.messages,
            String::from_utf8_lossy(body).into_owned(),
        ))));
    }
    Ok(ApiResponse::new(status, ())
        .with_headers(headers)
        .with_messages(envelope.messages)
        .with_fingerprint(fingerprint(body)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Cert {
        id: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Info {
        page: Option<u64>,
        total_pages: Option<u64>,
    }

    fn ok() -> StatusCode {
        StatusCode::OK
    }

    #[test]
    fn decodes_a_successful_envelope() {
        let body = br#"{"success":true,"errors":[],"messages":[{"code":10000,"message":"note"}],
            "result":{"id":"abc","extra":1},"result_info":{"page":2,"total_pages":5,"new":true},
            "unknown_top_level":{"x":[1,2]}}"#;
        let response = decode_envelope::<Cert, Info>(ok(), HeaderMap::new(), body).unwrap();
        assert_eq!(response.result(), &Some(Cert { id: "abc".into() }));
        assert_eq!(
            response.result_info(),
            Some(&Info {
                page: Some(2),
                total_pages: Some(5)
            })
        );
        assert_eq!(response.messages(), &[ApiMessage::new(10000, "note")]);
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.fingerprint().is_some());
    }

    #[test]
    fn success_false_in_a_200_is_unsuccessful() {
        let body = br#"{"success":false,"errors":[{"code":1003,"message":"Invalid or missing zone id."}],"messages":[],"result":null}"#;
        let err = decode_envelope::<Cert, ()>(ok(), HeaderMap::new(), body).unwrap_err();
        let Error::Unsuccessful(api) = &err else {
            panic!("expected Unsuccessful, got {err:?}");
        };
        assert_eq!(api.status(), StatusCode::OK);
        assert_eq!(
            api.errors(),
            &[ApiMessage::new(1003, "Invalid or missing zone id.")]
        );
        let text = err.to_string();
        assert!(
            text.contains("1003") && text.contains("Invalid or missing zone id."),
            "{text}"
        );
        assert!(text.contains("200"), "{text}");
    }

    #[test]
    fn success_false_wins_even_when_the_result_does_not_fit() {
        let body =
            br#"{"success":false,"errors":[{"code":7,"message":"m"}],"result":{"unexpected":1}}"#;
        let err = decode_envelope::<Cert, ()>(ok(), HeaderMap::new(), body).unwrap_err();
        assert!(matches!(err, Error::Unsuccessful(_)), "{err:?}");
    }

    #[test]
    fn null_and_missing_result_come_back_as_none() {
        for body in [
            &br#"{"success":true,"errors":[],"messages":[],"result":null}"#[..],
            &br#"{"success":true,"errors":[],"messages":[]}"#[..],
        ] {
            let response = decode_envelope::<Cert, ()>(ok(), HeaderMap::new(), body).unwrap();
            assert_eq!(response.result(), &None);
        }
    }

    #[test]
    fn result_info_that_does_not_fit_is_dropped_not_fatal() {
        let body = br#"{"success":true,"result":{"id":"x"},"result_info":{"page":"two"}}"#;
        let response = decode_envelope::<Cert, Info>(ok(), HeaderMap::new(), body).unwrap();
        assert!(response.result_info().is_none());
        // The unit type accepts no object, so operations without pagination never fail on it.
        let response = decode_envelope::<Cert, ()>(ok(), HeaderMap::new(), body).unwrap();
        assert!(response.result_info().is_none());
    }

    #[test]
    fn result_of_the_wrong_shape_is_a_decode_error() {
        let body = br#"{"success":true,"result":{"id":42}}"#;
        let err = decode_envelope::<Cert, ()>(ok(), HeaderMap::new(), body).unwrap_err();
        let Error::Decode {
            status,
            message,
            body_snippet,
        } = &err
        else {
            panic!("expected Decode, got {err:?}");
        };
        assert_eq!(*status, StatusCode::OK);
        assert!(message.contains("result"), "{message}");
        assert!(body_snippet.contains("\"id\":42"));
    }

    #[test]
    fn html_and_truncated_bodies_are_decode_errors_with_a_snippet() {
        let html = b"<html><body>502 Bad Gateway</body></html>";
        let err = decode_envelope::<Cert, ()>(ok(), HeaderMap::new(), html).unwrap_err();
        match err {
            Error::Decode {
                status,
                body_snippet,
                ..
            } => {
                assert_eq!(status, StatusCode::OK);
                assert_eq!(body_snippet, "<html><body>502 Bad Gateway</body></html>");
            }
            other => panic!("expected Decode, got {other:?}"),
        }
        let truncated = br#"{"success":true,"result":{"id":"ab"#;
        let err = decode_envelope::<Cert, ()>(ok(), HeaderMap::new(), truncated).unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        let err = decode_envelope::<Cert, ()>(ok(), HeaderMap::new(), b"").unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    }

    #[test]
    fn messages_decode_leniently() {
        let body = br#"{"success":true,"result":{"id":"x"},"messages":[
            {"code":1000.0,"message":"float code"},
            {"code":"1001","message":"string code","documentation_url":"https://d","source":{"pointer":"/csr"}},
            {"message":"no code"},
            {},
            "bare string",
            {"code":12,"message":{"nested":true}}
        ]}"#;
        let response = decode_envelope::<Cert, ()>(ok(), HeaderMap::new(), body).unwrap();
        let messages = response.messages();
        assert_eq!(messages.len(), 6);
        assert_eq!(messages[0], ApiMessage::new(1000, "float code"));
        assert_eq!(messages[1].code, 1001);
        assert_eq!(messages[1].documentation_url.as_deref(), Some("https://d"));
        assert_eq!(
            messages[1].source,
            Some(ApiMessageSource {
                pointer: Some("/csr".into())
            })
        );
        assert_eq!(messages[2], ApiMessage::new(0, "no code"));
        assert_eq!(messages[3], ApiMessage::default());
        assert_eq!(messages[4], ApiMessage::new(0, "bare string"));
        assert_eq!(messages[5], ApiMessage::new(12, r#"{"nested":true}"#));
    }

    #[test]
    fn errors_and_messages_may_be_null_or_single() {
        let status = EnvelopeStatus::read(
            br#"{"success":"false","errors":{"code":9,"message":"one"},"messages":null}"#,
        );
        assert_eq!(status.success, Some(false));
        assert_eq!(status.errors, vec![ApiMessage::new(9, "one")]);
        assert!(status.messages.is_empty());
        let status = EnvelopeStatus::read(b"not json at all");
        assert_eq!(status.success, None);
        assert!(status.errors.is_empty());
    }

    #[test]
    fn fingerprint_covers_the_result_only() {
        let a = br#"{"success":true,"result":[{"id":"1"}],"result_info":{"page":1}}"#;
        let b = br#"{"success":true,"result":[{"id":"1"}],"result_info":{"page":2}}"#;
        let c = br#"{"success":true,"result":[{"id":"2"}],"result_info":{"page":2}}"#;
        let fp = |body: &[u8]| {
            decode_envelope::<Vec<Cert>, ()>(ok(), HeaderMap::new(), body)
                .unwrap()
                .fingerprint()
        };
        assert_eq!(fp(a), fp(b));
        assert_ne!(fp(b), fp(c));
    }

    #[test]
    fn plain_json_and_empty_bodies() {
        let response = decode_json::<Cert>(ok(), HeaderMap::new(), br#"{"id":"z"}"#).unwrap();
        assert_eq!(response.result(), &Cert { id: "z".into() });
        assert!(matches!(
            decode_json::<Cert>(ok(), HeaderMap::new(), b"<html>"),
            Err(Error::Decode { .. })
        ));
        assert!(check_empty(StatusCode::NO_CONTENT, HeaderMap::new(), b"").is_ok());
        assert!(check_empty(ok(), HeaderMap::new(), b"<html>").is_ok());
        assert!(matches!(
            check_empty(ok(), HeaderMap::new(), br#"{"success":false,"errors":[]}"#),
            Err(Error::Unsuccessful(_))
        ));
    }

    #[test]
    fn snippet_is_bounded_and_char_boundary_safe() {
        let long = "é".repeat(400); // 800 bytes, two per character.
        let mut body = String::from("x");
        body.push_str(&long); // Byte 512 falls in the middle of a character.
        let snippet = body_snippet(body.as_bytes());
        assert!(snippet.len() <= SNIPPET_LIMIT);
        assert_eq!(snippet.len(), 511);
        assert!(snippet.chars().skip(1).all(|c| c == 'é'));
        assert_eq!(body_snippet(b"short"), "short");
        assert_eq!(body_snippet(b"\xff\xfeok"), "\u{fffd}\u{fffd}ok");
    }
}
