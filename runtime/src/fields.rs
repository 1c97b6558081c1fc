//! Reading a few named fields of a JSON object as raw JSON, without decoding the rest: how the
//! envelope's fields (whatever the API names them) and an error body's message are found.

use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::Hasher;

use serde::Deserializer;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::de::same_text;

/// The raw values of the fields `names` of a JSON object body, in the order of `names`
/// (`None` for a field the body lacks). A body that is not a JSON object is an error.
pub(crate) fn pick<'a>(
    body: &'a [u8],
    names: &[Option<&str>],
) -> serde_json::Result<Vec<Option<&'a RawValue>>> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let picked = Picker { names }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(picked)
}

/// The value at a path of field names (`["error", "message"]`) in a JSON body, as text: a
/// string as it is, another value as its JSON. `None` when the body is not JSON, the path is
/// empty or leads nowhere, or the value is `null` or an empty string.
pub(crate) fn text_at(body: &[u8], path: &[&str]) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let value: Value = serde_json::from_slice(body).ok()?;
    let found = path.iter().try_fold(&value, |v, name| v.get(name))?;
    match found {
        Value::Null => None,
        Value::String(text) => Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
        other => Some(other.to_string()),
    }
}

/// A cheap, stable fingerprint of some bytes, used by pagination to spot a repeated page.
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
    // `DefaultHasher::new()` uses fixed keys, so equal bytes give equal fingerprints.
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// The fingerprint of one field's raw JSON (`null` when absent), such as an envelope's result,
/// or `None` when the body is not a JSON object.
pub(crate) fn field_fingerprint(body: &[u8], name: &str) -> Option<u64> {
    let picked = pick(body, &[Some(name)]).ok()?;
    Some(fingerprint(
        picked[0].map(RawValue::get).unwrap_or("null").as_bytes(),
    ))
}

/// How many bytes of an undecodable body an `Error::Decode` keeps.
pub(crate) const SNIPPET_LIMIT: usize = 512;

/// The first [`SNIPPET_LIMIT`] bytes of a body as text, cut on a character boundary.
pub(crate) fn body_snippet(body: &[u8]) -> String {
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

/// Reads a JSON object, keeping the raw values of the named fields and skipping the others.
struct Picker<'n, 's> {
    names: &'n [Option<&'s str>],
}

impl<'de> DeserializeSeed<'de> for Picker<'_, '_> {
    type Value = Vec<Option<&'de RawValue>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Picker<'_, '_> {
    type Value = Vec<Option<&'de RawValue>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = vec![None; self.names.len()];
        while let Some(index) = map.next_key_seed(KeyIndex { names: self.names })? {
            match index {
                Some(i) => found[i] = Some(map.next_value::<&'de RawValue>()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

/// Reads an object key as the index of the name it matches, if any, without allocating.
pub(crate) struct KeyIndex<'n, 's> {
    /// The names keys are matched against.
    pub(crate) names: &'n [Option<&'s str>],
}

impl<'de> DeserializeSeed<'de> for KeyIndex<'_, '_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyIndex<'_, '_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self
            .names
            .iter()
            .position(|name| name.is_some_and(|name| same_text(name, key))))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn picks_named_fields_and_skips_the_rest() {
        let body = br#"{"a":{"x":[1,2]},"b\u0063":"esc","skip":[{"deep":true}],"d":null}"#;
        let picked = pick(body, &[Some("d"), None, Some("a"), Some("bc"), Some("zz")]).unwrap();
        let text: Vec<Option<&str>> = picked.iter().map(|v| v.map(RawValue::get)).collect();
        assert_eq!(
            text,
            [
                Some("null"),
                None,
                Some(r#"{"x":[1,2]}"#),
                Some(r#""esc""#),
                None
            ]
        );
        assert!(pick(b"[1]", &[Some("a")]).is_err());
        assert!(pick(b"{} trailing", &[Some("a")]).is_err());
        assert!(pick(b"<html>", &[Some("a")]).is_err());
    }

    #[test]
    fn text_at_a_path() {
        let body = br#"{"error":{"message":"bad key","code":401},"title":"","n":null}"#;
        assert_eq!(
            text_at(body, &["error", "message"]).as_deref(),
            Some("bad key")
        );
        assert_eq!(text_at(body, &["error", "code"]).as_deref(), Some("401"));
        assert_eq!(text_at(body, &["title"]), None);
        assert_eq!(text_at(body, &["n"]), None);
        assert_eq!(text_at(body, &["missing", "x"]), None);
        assert_eq!(text_at(body, &[]), None);
        assert_eq!(text_at(b"not json", &["message"]), None);
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
        assert_eq!(fingerprint(b"a"), fingerprint(b"a"));
        assert_ne!(fingerprint(b"a"), fingerprint(b"b"));
    }
}
