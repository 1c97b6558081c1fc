//! Decoding of a 2xx body in the API's envelope (such as `{success, errors, messages, result,
//! result_info}`, by the field names the API's [`EnvelopeFields`] give), leniently enough that a
//! new or oddly typed field never breaks a call.

use std::fmt;
use std::marker::PhantomData;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::api_error::ApiError;
use super::config::EnvelopeFields;
use super::error::Error;
use super::fields::{KeyIndex, body_snippet, fingerprint, pick};
use super::message::{flag_from_raw, messages_from_raw};
use super::response::ApiResponse;

/// The envelope's fields of one body, as raw JSON.
struct Parts<'a> {
    success: Option<bool>,
    errors: Option<&'a RawValue>,
    messages: Option<&'a RawValue>,
    result: Option<&'a RawValue>,
    result_info: Option<&'a RawValue>,
}

/// The envelope's field names in the order [`Parts`] keeps them; `result` is at [`RESULT`].
fn names(fields: &EnvelopeFields) -> [Option<&'static str>; 5] {
    [
        fields.success,
        fields.errors,
        fields.messages,
        Some(fields.result),
        fields.result_info,
    ]
}

/// The index of `result` in [`names`].
const RESULT: usize = 3;

impl<'a> Parts<'a> {
    /// Reads the envelope's fields of a body, which must be a JSON object.
    fn read(fields: &EnvelopeFields, body: &'a [u8]) -> serde_json::Result<Self> {
        let picked = pick(body, &names(fields))?;
        Ok(Self::of(&picked))
    }

    /// The parts from the raw values of [`names`], in that order.
    fn of(picked: &[Option<&'a RawValue>]) -> Self {
        Self {
            success: flag_from_raw(picked[0]),
            errors: picked[1],
            messages: picked[2],
            result: picked[RESULT],
            result_info: picked[4],
        }
    }

    /// The error for a body that says `success: false`.
    fn unsuccessful(&self, status: StatusCode, headers: HeaderMap, body: &[u8]) -> Error {
        Error::Unsuccessful(Box::new(ApiError::new(
            status,
            headers,
            messages_from_raw(self.errors),
            messages_from_raw(self.messages),
            String::from_utf8_lossy(body).into_owned(),
        )))
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

/// Decodes a 2xx body in the envelope.
///
/// A body that is not a JSON object is [`Error::Decode`]; `success: false` is
/// [`Error::Unsuccessful`] carrying the envelope's errors; a result that does not fit `T` is
/// [`Error::Decode`]. A missing or `null` result comes back as `None`. A result info that does
/// not fit `I` is dropped (it is metadata and must not fail the call), as is any unknown field.
pub(super) fn decode_envelope<T: DeserializeOwned, I: DeserializeOwned>(
    fields: &EnvelopeFields,
    status: StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
) -> Result<ApiResponse<Option<T>, I>, Error> {
    let bytes: &[u8] = &body;
    // The common case in one pass; anything unusual (a result that does not fit, a repeated
    // `result`, a body that is not an object) takes the two passes below, whose errors say
    // precisely what went wrong.
    let (parts, result) = match one_pass::<T>(fields, bytes) {
        Ok(read) => read,
        Err(_) => {
            let parts = Parts::read(fields, bytes).map_err(|error| {
                decode_error(
                    status,
                    format!("the response is not in the API's envelope: {error}"),
                    bytes,
                )
            })?;
            // `success: false` is the error, whatever `result` holds.
            if parts.success == Some(false) {
                return Err(parts.unsuccessful(status, headers, bytes));
            }
            let result = match parts.result.filter(|raw| raw.get() != "null") {
                None => None,
                Some(raw) => Some(serde_json::from_str::<T>(raw.get()).map_err(|error| {
                    decode_error(status, format!("field `{}`: {error}", fields.result), bytes)
                })?),
            };
            (parts, result)
        }
    };
    if parts.success == Some(false) {
        return Err(parts.unsuccessful(status, headers, bytes));
    }
    let info = parts.result_info.and_then(decode_result_info::<I>);
    let messages = messages_from_raw(parts.messages);
    // The body is kept for pagination's fingerprint of `result`, computed only if a page walk
    // asks for it.
    Ok(ApiResponse::of_envelope(
        status,
        headers,
        result,
        info,
        messages,
        body,
        fields.result,
    ))
}

/// Reads the envelope in one pass: `result` decoded straight into `T` (`null` is `None`), the
/// other fields kept raw. Any error (including a repeated `result`) sends the caller to the
/// two-pass path.
fn one_pass<'a, T: DeserializeOwned>(
    fields: &EnvelopeFields,
    body: &'a [u8],
) -> serde_json::Result<(Parts<'a>, Option<T>)> {
    let names = names(fields);
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (raw, result) = OnePass::<T> {
        names: &names,
        result: PhantomData,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok((Parts::of(&raw), result))
}

/// The visitor of [`one_pass`]: raw values of the named fields, `result` decoded.
struct OnePass<'n, T> {
    names: &'n [Option<&'static str>; 5],
    result: PhantomData<fn() -> T>,
}

/// What [`OnePass`] reads: the raw values by name index (`result`'s left `None`) and the result.
type OnePassed<'de, T> = ([Option<&'de RawValue>; 5], Option<T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for OnePass<'_, T> {
    type Value = OnePassed<'de, T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for OnePass<'_, T> {
    type Value = OnePassed<'de, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut raw = [None; 5];
        let mut result: Option<Option<T>> = None;
        while let Some(index) = map.next_key_seed(KeyIndex { names: self.names })? {
            match index {
                Some(RESULT) if result.is_some() => {
                    return Err(serde::de::Error::custom("`result` is given twice"));
                }
                Some(RESULT) => result = Some(map.next_value::<Option<T>>()?),
                Some(i) => raw[i] = Some(map.next_value::<&'de RawValue>()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((raw, result.flatten()))
    }
}

/// A result info that does not fit its type is dropped (with a debug log), never an error.
fn decode_result_info<I: DeserializeOwned>(raw: &RawValue) -> Option<I> {
    serde_json::from_str::<I>(raw.get())
        .map_err(|error| {
            tracing::debug!(%error, "ignoring a result info that does not fit its type");
        })
        .ok()
}

/// Checks a 2xx body whose content is otherwise ignored: for an API with an envelope, a body
/// that says `success: false` is an error; for any other API the body is never looked at.
pub(super) fn check_empty(
    envelope: Option<&EnvelopeFields>,
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
) -> Result<ApiResponse<(), ()>, Error> {
    let response = ApiResponse::new(status, ()).with_fingerprint(fingerprint(body));
    let Some(parts) = envelope.and_then(|fields| Parts::read(fields, body).ok()) else {
        return Ok(response.with_headers(headers));
    };
    if parts.success == Some(false) {
        return Err(parts.unsuccessful(status, headers, body));
    }
    Ok(response
        .with_headers(headers)
        .with_messages(messages_from_raw(parts.messages)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn body_of(body: impl AsRef<[u8]>) -> bytes::Bytes {
        bytes::Bytes::copy_from_slice(body.as_ref())
    }
    use crate::message::ApiMessage;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Cert {
        id: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Info {
        page: Option<u64>,
        total_pages: Option<u64>,
    }

    const F: EnvelopeFields = EnvelopeFields::USUAL;

    fn ok() -> StatusCode {
        StatusCode::OK
    }

    #[test]
    fn decodes_a_successful_envelope() {
        let body = br#"{"success":true,"errors":[],"messages":[{"code":10000,"message":"note"}],
            "result":{"id":"abc","extra":1},"result_info":{"page":2,"total_pages":5,"new":true},
            "unknown_top_level":{"x":[1,2]}}"#;
        let response =
            decode_envelope::<Cert, Info>(&F, ok(), HeaderMap::new(), body_of(body)).unwrap();
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
    fn one_pass_and_fallback_agree() {
        // A repeated `result` is not read in one pass: the two-pass path keeps the last one.
        let body = br#"{"result":{"id":"a"},"success":true,"result":{"id":"b"}}"#;
        let response =
            decode_envelope::<Cert, ()>(&F, ok(), HeaderMap::new(), body_of(body)).unwrap();
        assert_eq!(response.result(), &Some(Cert { id: "b".into() }));
        // A result that does not fit names the field, as the two-pass path says it.
        let body = br#"{"success":true,"result":{"id":1}}"#;
        let err =
            decode_envelope::<Cert, ()>(&F, ok(), HeaderMap::new(), body_of(body)).unwrap_err();
        assert!(err.to_string().contains("field `result`"), "{err}");
        // `success: false` after a result that fits is still unsuccessful.
        let body = br#"{"result":{"id":"a"},"success":false,"errors":[{"code":7,"message":"no"}]}"#;
        let err =
            decode_envelope::<Cert, ()>(&F, ok(), HeaderMap::new(), body_of(body)).unwrap_err();
        assert!(matches!(err, Error::Unsuccessful(_)), "{err:?}");
        let body = br#"{"success":true,"result":null}"#;
        let response =
            decode_envelope::<Cert, ()>(&F, ok(), HeaderMap::new(), body_of(body)).unwrap();
        assert_eq!(response.result(), &None);
    }

    #[test]
    fn success_false_in_a_200_is_unsuccessful() {
        let body = br#"{"success":false,"errors":[{"code":1003,"message":"Invalid or missing zone id."}],"messages":[],"result":null}"#;
        let err =
            decode_envelope::<Cert, ()>(&F, ok(), HeaderMap::new(), body_of(body)).unwrap_err();
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
        let err =
            decode_envelope::<Cert, ()>(&F, ok(), HeaderMap::new(), body_of(body)).unwrap_err();
        assert!(matches!(err, Error::Unsuccessful(_)), "{err:?}");
    }

    #[test]
    fn null_and_missing_result_come_back_as_none() {
        for body in [
            &br#"{"success":true,"errors":[],"messages":[],"result":null}"#[..],
            &br#"{"success":true,"errors":[],"messages":[]}"#[..],
        ] {
            let response =
                decode_envelope::<Cert, ()>(&F, ok(), HeaderMap::new(), body_of(body)).unwrap();
            assert_eq!(response.result(), &None);
        }
    }

    #[test]
    fn result_info_that_does_not_fit_is_dropped_not_fatal() {
        let body = br#"{"success":true,"result":{"id":"x"},"result_info":{"page":"two"}}"#;
        let response =
            decode_envelope::<Cert, Info>(&F, ok(), HeaderMap::new(), body_of(body)).unwrap();
        assert!(response.result_info().is_none());
        // The unit type accepts no object, so operations without pagination never fail on it.
        let response =
            decode_envelope::<Cert, ()>(&F, ok(), HeaderMap::new(), body_of(body)).unwrap();
        assert!(response.result_info().is_none());
    }

    #[test]
    fn result_of_the_wrong_shape_is_a_decode_error() {
        let body = br#"{"success":true,"result":{"id":42}}"#;
        let err =
            decode_envelope::<Cert, ()>(&F, ok(), HeaderMap::new(), body_of(body)).unwrap_err();
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
        let err =
            decode_envelope::<Cert, ()>(&F, ok(), HeaderMap::new(), body_of(html)).unwrap_err();
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
        let err = decode_envelope::<Cert, ()>(&F, ok(), HeaderMap::new(), body_of(truncated))
            .unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        let err =
            decode_envelope::<Cert, ()>(&F, ok(), HeaderMap::new(), body_of(b"")).unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    }

    #[test]
    fn fingerprint_covers_the_result_only() {
        let a = br#"{"success":true,"result":[{"id":"1"}],"result_info":{"page":1}}"#;
        let b = br#"{"success":true,"result":[{"id":"1"}],"result_info":{"page":2}}"#;
        let c = br#"{"success":true,"result":[{"id":"2"}],"result_info":{"page":2}}"#;
        let fp = |body: &[u8]| {
            decode_envelope::<Vec<Cert>, ()>(&F, ok(), HeaderMap::new(), body_of(body))
                .unwrap()
                .fingerprint()
        };
        assert_eq!(fp(a), fp(b));
        assert_ne!(fp(b), fp(c));
    }

    #[test]
    fn declared_field_names() {
        const MINE: EnvelopeFields = EnvelopeFields::new("data").success("ok").errors("problems");
        let body = br#"{"ok":true,"data":{"id":"d1"},"result":{"id":"other"}}"#;
        let response =
            decode_envelope::<Cert, ()>(&MINE, ok(), HeaderMap::new(), body_of(body)).unwrap();
        assert_eq!(response.result(), &Some(Cert { id: "d1".into() }));
        let body = br#"{"ok":false,"problems":[{"code":3,"message":"no"}],"success":true}"#;
        let err =
            decode_envelope::<Cert, ()>(&MINE, ok(), HeaderMap::new(), body_of(body)).unwrap_err();
        assert_eq!(err.api_errors(), &[ApiMessage::new(3, "no")]);
        // A flag the envelope does not name is just a field.
        let body = br#"{"success":false,"data":{"id":"d2"}}"#;
        let only = EnvelopeFields::new("data");
        let response =
            decode_envelope::<Cert, ()>(&only, ok(), HeaderMap::new(), body_of(body)).unwrap();
        assert_eq!(response.result(), &Some(Cert { id: "d2".into() }));
    }

    #[test]
    fn empty_bodies() {
        let env = Some(&F);
        assert!(check_empty(env, StatusCode::NO_CONTENT, HeaderMap::new(), b"").is_ok());
        assert!(check_empty(env, ok(), HeaderMap::new(), b"<html>").is_ok());
        let unsuccessful = br#"{"success":"false","errors":{"code":9,"message":"one"}}"#;
        let err = check_empty(env, ok(), HeaderMap::new(), unsuccessful).unwrap_err();
        assert!(matches!(err, Error::Unsuccessful(_)), "{err:?}");
        assert_eq!(err.api_errors(), &[ApiMessage::new(9, "one")]);
        // Without an envelope, the body of an empty response is never an error.
        assert!(check_empty(None, ok(), HeaderMap::new(), unsuccessful).is_ok());
    }
}
