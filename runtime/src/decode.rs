//! The decode step: turns a response read in full ([`RawResponse`]) into the operation's
//! result or an [`Error`], without I/O. A non-2xx response becomes the status error (with the
//! envelope's errors or the error body's message, as the API's rules say); a 2xx one decodes as
//! the operation's [`Decode`] type says: the envelope, JSON, nothing, text or bytes.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use super::api_error::ApiError;
use super::config::EnvelopeFields;
use super::envelope;
use super::error::{Error, Result};
use super::fields::{body_snippet, fingerprint};
use super::response::{ApiResponse, RawResponse};

/// What decoding needs to know about the API and the operation.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// The API's envelope, if it has one.
    pub envelope: Option<EnvelopeFields>,
    /// Where the API's error bodies hold their message.
    pub error_message: &'static [&'static str],
    /// The API's request-id header.
    pub request_id_header: Option<&'static str>,
    /// The operation, for [`Error::MissingResult`].
    pub operation_id: &'static str,
}

/// How an operation's 2xx response decodes: the envelope, plain JSON, nothing, text or bytes.
/// The generator picks one of [`Envelope`], [`EnvelopeOptional`], [`Json`], [`Empty`], [`Text`]
/// and [`Bytes`] for each operation.
pub trait Decode: 'static {
    /// What `send` returns.
    type Output: Send + 'static;
    /// The envelope metadata (`result_info`) `send_with_response` carries; `()` when none.
    type Meta: Send + 'static;
    /// The `Accept` header the request sends.
    #[doc(hidden)]
    const ACCEPT: &'static str = "application/json";
    /// Decodes a 2xx response.
    #[doc(hidden)]
    fn decode(
        response: RawResponse,
        rules: &Rules,
    ) -> Result<ApiResponse<Self::Output, Self::Meta>>;
}

/// A response in the API's envelope whose result is required (missing is
/// [`Error::MissingResult`]); `I` is its result info.
pub struct Envelope<T, I = ()>(PhantomData<fn() -> (T, I)>);
/// A response in the API's envelope whose result may be missing or `null` (then `None`).
pub struct EnvelopeOptional<T, I = ()>(PhantomData<fn() -> (T, I)>);
/// A plain JSON response body.
pub struct Json<T>(PhantomData<fn() -> T>);
/// A response whose body is ignored (for an API with an envelope, a body saying
/// `success: false` is still an error).
pub struct Empty;
/// A text response body.
pub struct Text;
/// A raw response body.
pub struct Bytes;

/// Decodes a response: a non-2xx status is its error, a 2xx body decodes as `D` says. Either
/// way the API's request-id header is named on the outcome.
pub(crate) fn decode<D: Decode>(
    raw: RawResponse,
    rules: &Rules,
) -> Result<ApiResponse<D::Output, D::Meta>> {
    let outcome = if raw.status.is_success() {
        D::decode(raw, rules)
    } else {
        Err(status_error(raw, rules))
    };
    match outcome {
        Ok(response) => Ok(response.with_request_id_header(rules.request_id_header)),
        Err(error) => Err(error.with_request_id_header(rules.request_id_header)),
    }
}

/// The error for a non-2xx response, classified by status, naming the request-id header.
pub(crate) fn status_error(raw: RawResponse, rules: &Rules) -> Error {
    Error::from_api_error(ApiError::from_response(
        raw.status,
        raw.headers,
        &raw.body,
        rules.envelope.as_ref(),
        rules.error_message,
    ))
    .with_request_id_header(rules.request_id_header)
}

/// The envelope's field names; generated code asks for an envelope only for an API that has
/// one, so the usual names are only a fallback.
fn fields(rules: &Rules) -> EnvelopeFields {
    rules.envelope.unwrap_or(EnvelopeFields::USUAL)
}

impl<T, I> Decode for Envelope<T, I>
where
    T: DeserializeOwned + Send + 'static,
    I: DeserializeOwned + Send + 'static,
{
    type Output = T;
    type Meta = I;
    fn decode(raw: RawResponse, rules: &Rules) -> Result<ApiResponse<T, I>> {
        let status = raw.status;
        let response = EnvelopeOptional::<T, I>::decode(raw, rules)?;
        response.transpose().ok_or(Error::MissingResult {
            status,
            operation_id: rules.operation_id,
        })
    }
}

impl<T, I> Decode for EnvelopeOptional<T, I>
where
    T: DeserializeOwned + Send + 'static,
    I: DeserializeOwned + Send + 'static,
{
    type Output = Option<T>;
    type Meta = I;
    fn decode(raw: RawResponse, rules: &Rules) -> Result<ApiResponse<Option<T>, I>> {
        if raw.body.trim_ascii().is_empty() {
            // A 2xx without a body (an operation that may answer 204): no result.
            return Ok(ApiResponse::new(raw.status, None).with_headers(raw.headers));
        }
        envelope::decode_envelope(&fields(rules), raw.status, raw.headers, raw.body)
    }
}

impl<T: DeserializeOwned + Send + 'static> Decode for Json<T> {
    type Output = T;
    type Meta = ();
    fn decode(raw: RawResponse, _: &Rules) -> Result<ApiResponse<T, ()>> {
        // A 2xx without a body decodes as JSON `null`, which an `Option` result accepts.
        let body: &[u8] = if raw.body.trim_ascii().is_empty() {
            b"null"
        } else {
            &raw.body
        };
        let result = serde_json::from_slice::<T>(body).map_err(|error| Error::Decode {
            status: raw.status,
            message: error.to_string(),
            body_snippet: body_snippet(body),
        })?;
        // The body's hash lets pagination spot a server that repeats a page.
        Ok(ApiResponse::new(raw.status, result)
            .with_headers(raw.headers)
            .with_fingerprint(fingerprint(body)))
    }
}

impl Decode for Empty {
    type Output = ();
    type Meta = ();
    fn decode(raw: RawResponse, rules: &Rules) -> Result<ApiResponse<(), ()>> {
        envelope::check_empty(rules.envelope.as_ref(), raw.status, raw.headers, &raw.body)
    }
}

impl Decode for Text {
    type Output = String;
    type Meta = ();
    const ACCEPT: &'static str = "text/*, */*;q=0.5";
    fn decode(raw: RawResponse, _: &Rules) -> Result<ApiResponse<String, ()>> {
        // Invalid UTF-8 is replaced, never an error.
        let text = String::from_utf8_lossy(&raw.body).into_owned();
        Ok(ApiResponse::new(raw.status, text).with_headers(raw.headers))
    }
}

impl Decode for Bytes {
    type Output = Vec<u8>;
    type Meta = ();
    const ACCEPT: &'static str = "*/*";
    fn decode(raw: RawResponse, _: &Rules) -> Result<ApiResponse<Vec<u8>, ()>> {
        // A copy only when reqwest shares the buffer.
        Ok(ApiResponse::new(raw.status, Vec::from(raw.body)).with_headers(raw.headers))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue};
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Cert {
        id: String,
    }

    fn raw(status: u16, body: &str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", HeaderValue::from_static("r-1"));
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.as_bytes().to_vec().into(),
        }
    }

    const ENVELOPED: Rules = Rules {
        envelope: Some(EnvelopeFields::USUAL),
        error_message: &[],
        request_id_header: Some("x-request-id"),
        operation_id: "get-cert",
    };

    const PLAIN: Rules = Rules {
        envelope: None,
        error_message: &["error", "message"],
        request_id_header: Some("x-request-id"),
        operation_id: "get-model",
    };

    #[test]
    fn each_kind_over_an_api_with_an_envelope() {
        let ok = r#"{"success":true,"errors":[],"result":{"id":"c1"}}"#;
        let response = decode::<Envelope<Cert>>(raw(200, ok), &ENVELOPED).unwrap();
        assert_eq!(response.result(), &Cert { id: "c1".into() });
        assert_eq!(response.request_id(), Some("r-1"));
        let missing = r#"{"success":true,"errors":[],"result":null}"#;
        let err = decode::<Envelope<Cert>>(raw(200, missing), &ENVELOPED).unwrap_err();
        assert!(
            matches!(
                err,
                Error::MissingResult {
                    operation_id: "get-cert",
                    ..
                }
            ),
            "{err:?}"
        );
        let none = decode::<EnvelopeOptional<Cert>>(raw(204, ""), &ENVELOPED).unwrap();
        assert_eq!(none.result(), &None);
        let failed = r#"{"success":false,"errors":[{"code":9,"message":"no"}]}"#;
        let err = decode::<Empty>(raw(200, failed), &ENVELOPED).unwrap_err();
        assert!(matches!(err, Error::Unsuccessful(_)), "{err:?}");
        assert_eq!(err.request_id(), Some("r-1"));
        let err = decode::<Json<Cert>>(raw(404, failed), &ENVELOPED).unwrap_err();
        assert!(matches!(err, Error::NotFound(_)), "{err:?}");
        assert_eq!(err.api_errors()[0].message, "no");
        assert_eq!(err.request_id(), Some("r-1"));
    }

    #[test]
    fn each_kind_over_an_api_without_an_envelope() {
        let failed = r#"{"success":false,"errors":[{"code":9,"message":"no"}]}"#;
        let response = decode::<Empty>(raw(200, failed), &PLAIN).unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.messages().is_empty());
        let model = decode::<Json<serde_json::Value>>(raw(200, failed), &PLAIN).unwrap();
        assert_eq!(model.result()["success"], false);
        let long = format!(
            r#"{{"error":{{"message":"Incorrect API key","type":"invalid_request_error","pad":"{}"}}}}"#,
            "x".repeat(300)
        );
        let err = decode::<Json<Cert>>(raw(401, &long), &PLAIN).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unauthorized: HTTP 401 Unauthorized: Incorrect API key [x-request-id r-1]"
        );
        assert!(err.api_errors().is_empty());
        let text = decode::<Text>(raw(200, "caf\u{e9}"), &PLAIN).unwrap();
        assert_eq!(text.result(), "caf\u{e9}");
        let bytes = decode::<Bytes>(raw(200, "\u{1}\u{2}"), &PLAIN).unwrap();
        assert_eq!(bytes.result(), &[1, 2]);
        assert_eq!(<Bytes as Decode>::ACCEPT, "*/*");
        let err = decode::<Json<Cert>>(raw(200, "<html>"), &PLAIN).unwrap_err();
        assert!(matches!(&err, Error::Decode { body_snippet, .. } if body_snippet == "<html>"));
    }
}
