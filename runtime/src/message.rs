//! The messages an API sends in its envelope (`errors` and `messages`): [`ApiMessage`], read
//! leniently enough that a new or oddly typed field never breaks a call.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

/// One entry of an envelope's `errors` or `messages` array.
///
/// Decoding is lenient: missing fields take defaults, a `code` sent as a float (`1000.0`) or a
/// string (`"1000"`) is accepted, and an entry that is a bare string becomes the message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ApiMessage {
    /// The error or message code, `0` when the server sent none.
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
    pub(crate) fn from_value(value: Value) -> Self {
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

/// Reads a list of messages that may be an array, a single entry, or `null`; anything that is
/// not JSON gives no messages.
pub(crate) fn messages_from_raw(raw: Option<&RawValue>) -> Vec<ApiMessage> {
    // Most bodies say `[]`: nothing to parse.
    if raw.is_some_and(|raw| raw.get() == "[]") {
        return Vec::new();
    }
    let Some(value) = raw.and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok()) else {
        return Vec::new();
    };
    match value {
        Value::Array(items) => items.into_iter().map(ApiMessage::from_value).collect(),
        Value::Null => Vec::new(),
        single => vec![ApiMessage::from_value(single)],
    }
}

/// Reads a success flag that may be a boolean or the strings `"true"`/`"false"`; anything else
/// counts as absent.
pub(crate) fn flag_from_raw(raw: Option<&RawValue>) -> Option<bool> {
    let raw = raw?.get();
    // The common case, without building a `Value`.
    match raw {
        "true" => return Some(true),
        "false" => return Some(false),
        _ => {}
    }
    match serde_json::from_str::<Value>(raw).ok()? {
        Value::Bool(flag) => Some(flag),
        Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
        Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_owned()).unwrap()
    }

    #[test]
    fn messages_decode_leniently() {
        let messages = messages_from_raw(Some(&raw(r#"[
            {"code":1000.0,"message":"float code"},
            {"code":"1001","message":"string code","documentation_url":"https://d","source":{"pointer":"/csr"}},
            {"message":"no code"},
            {},
            "bare string",
            {"code":12,"message":{"nested":true}}
        ]"#)));
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
    fn lists_may_be_null_or_single_and_flags_strings() {
        let one = messages_from_raw(Some(&raw(r#"{"code":9,"message":"one"}"#)));
        assert_eq!(one, vec![ApiMessage::new(9, "one")]);
        assert!(messages_from_raw(Some(&raw("null"))).is_empty());
        assert!(messages_from_raw(None).is_empty());
        assert_eq!(flag_from_raw(Some(&raw(r#""false""#))), Some(false));
        assert_eq!(flag_from_raw(Some(&raw("true"))), Some(true));
        assert_eq!(flag_from_raw(Some(&raw("1"))), None);
        assert_eq!(flag_from_raw(None), None);
    }
}
