//! Spec text -> `serde_json::Value`: JSON read as JSON, YAML as YAML, and lines of pointers.
//!
//! JSON goes through `serde_json` (exact escapes such as surrogate pairs; integers beyond 64 bits
//! become `f64`). YAML goes through `serde_norway` straight into a `serde_json::Value` with a
//! visitor of our own, so keys keep their file order, non-string keys (`200:`) become text,
//! tags are dropped and integers beyond 64 bits become `f64` instead of failing.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A syntax error in spec text: the parser's message and the line, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The 1-based line of the problem, when the parser knows it.
    pub line: Option<usize>,
    /// What the parser said.
    pub message: String,
}

/// Parses spec text. Text that starts with `{` is read as JSON first; if that fails, as YAML
/// (a YAML flow mapping also starts with `{`). `json_file` says which error to report when both
/// fail: the JSON parser's when `json_file`, the YAML parser's otherwise.
pub fn parse_value(text: &str, json_file: bool) -> Result<Value, SyntaxError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => return Ok(v),
            Err(json_err) => {
                let json_err = SyntaxError {
                    line: Some(json_err.line()),
                    message: json_err.to_string(),
                };
                return match parse_yaml(text) {
                    Ok(v) => Ok(v),
                    Err(_) if json_file => Err(json_err),
                    Err(yaml_err) => Err(yaml_err),
                };
            }
        }
    }
    parse_yaml(text)
}

fn parse_yaml(text: &str) -> Result<Value, SyntaxError> {
    let de = serde_norway::Deserializer::from_str(text);
    JsonValue
        .deserialize(de)
        .map_err(|e: serde_norway::Error| SyntaxError {
            line: e.location().map(|l| l.line()),
            message: e.to_string(),
        })
}

/// Deserializes any YAML node into a `serde_json::Value`.
struct JsonValue;

impl<'de> DeserializeSeed<'de> for JsonValue {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

fn float(f: f64) -> Value {
    Number::from_f64(f).map_or_else(|| Value::String(f.to_string()), Value::Number)
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    // Integers beyond 64 bits (OpenAI's `minimum: -9223372036854776000`) are kept as `f64`.
    #[allow(clippy::cast_precision_loss)]
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        JsonValue.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(JsonValue)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(JsonValue)? {
            let key = match key {
                Value::String(s) => s,
                other => other.to_string(),
            };
            let value = map.next_value_seed(JsonValue)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }

    // A tagged node (`!Tag value`): the tag is dropped and the value kept.
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use de::VariantAccess;
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(JsonValue)
    }
}

/// The JSON pointer's segments, unescaped.
pub fn segments(pointer: &str) -> Vec<String> {
    let p = pointer.strip_prefix('#').unwrap_or(pointer);
    if p.is_empty() {
        return Vec::new();
    }
    p.split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Where each line of a text starts (byte offsets), found in one pass: a spec's warnings look up
/// many lines in the same text, and a one-line JSON file of megabytes would otherwise be scanned
/// once per warning.
#[derive(Debug, Clone, Default)]
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    /// The lines of `text`, as [`str::lines`] gives them.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(at, b)| b == b'\n' && at + 1 < text.len())
                .map(|(at, _)| at + 1),
        );
        if text.is_empty() {
            starts.clear();
        }
        Self(starts)
    }

    /// Line `i` (0-based) of `text`, without its line break.
    fn line<'t>(&self, text: &'t str, i: usize) -> &'t str {
        let end = match self.0.get(i + 1) {
            Some(next) => next - 1,
            None => text.len() - usize::from(text.ends_with('\n')),
        };
        let line = &text[self.0[i]..end];
        // Like `str::lines`: `\r\n` ends a line, a lone `\r` at the very end stays.
        match line.strip_suffix('\r') {
            Some(stripped) if end < text.len() => stripped,
            _ => line,
        }
    }

    /// How many lines there are.
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// The 1-based line where the node at `pointer` starts, found by walking the text's indentation
/// (block YAML or pretty-printed JSON). For flow-style or one-line documents it gives the deepest
/// line it could match, which is still near the problem.
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    line_in(text, &LineStarts::new(text), pointer)
}

/// [`line_of`] with the text's lines already found (`lines` must be those of `text`).
pub fn line_in(text: &str, lines: &LineStarts, pointer: &str) -> Option<usize> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let meaningful = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let mut start = 0usize;
    let mut parent_indent: Option<usize> = None;
    let mut found_any = false;
    for seg in segments(pointer) {
        let keys = [
            format!("{seg}:"),
            format!("\"{seg}\":"),
            format!("'{seg}':"),
        ];
        let mut hit: Option<(usize, usize)> = None;
        let mut item_count = 0usize;
        let index: Option<usize> = seg.parse().ok();
        let first = if found_any { start + 1 } else { 0 };
        for i in first..lines.len() {
            let line = lines.line(text, i);
            if !meaningful(line) {
                continue;
            }
            let ind = indent(line);
            if parent_indent.is_some_and(|p| ind <= p) {
                break;
            }
            let t = line.trim_start();
            let (body, body_indent) = match t.strip_prefix("- ") {
                Some(rest) => (rest.trim_start(), ind + (t.len() - rest.trim_start().len())),
                None => (t, ind),
            };
            if keys.iter().any(|k| body.starts_with(k.as_str())) {
                hit = Some((i, body_indent));
                break;
            }
            if let (Some(n), true) = (
                index,
                t.starts_with("- ") || t == "-" || t.starts_with('{') || t.starts_with('['),
            ) {
                if item_count == n {
                    hit = Some((i, ind));
                    break;
                }
                item_count += 1;
            }
        }
        match hit {
            Some((i, ind)) => {
                start = i;
                parent_indent = Some(ind);
                found_any = true;
            }
            None => break,
        }
    }
    found_any.then_some(start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_give_the_lines_str_lines_gives() {
        let texts = [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "a\n\n",
            "a\r\nb",
            "a\r\nb\r\n",
            "a\rb\r",
            "a\r",
            "\r\n",
            "x\n\ny\n  z",
            "{\"one\": \"line\"}",
        ];
        for text in texts {
            let lines = LineStarts::new(text);
            let ours: Vec<&str> = (0..lines.len()).map(|i| lines.line(text, i)).collect();
            assert_eq!(ours, text.lines().collect::<Vec<_>>(), "{text:?}");
        }
    }

    #[test]
    fn json_keeps_surrogate_pairs_and_big_integers() {
        let v = parse_value(
            "{\"a\": \"\\ud83d\\udc4d\", \"b\": -9223372036854776000, \"c\": 1}",
            true,
        )
        .expect("parses");
        assert_eq!(v["a"], "\u{1f44d}");
        assert_eq!(v["b"].as_f64(), Some(-9_223_372_036_854_776_000.0));
        assert_eq!(v["c"].as_i64(), Some(1));
    }

    #[test]
    fn yaml_keeps_big_integers_tags_and_integer_keys() {
        let v = parse_value(
            "min: -9223372036854776000\nmax: 18446744073709551616\nt: !Ref x\n200: ok\nn: ~\nf: .inf\n",
            false,
        )
        .expect("parses");
        assert_eq!(v["min"].as_f64(), Some(-9_223_372_036_854_776_000.0));
        assert_eq!(v["max"].as_f64(), Some(18_446_744_073_709_551_616.0));
        assert_eq!(v["t"], "x");
        assert_eq!(v["200"], "ok");
        assert!(v["n"].is_null());
        assert_eq!(v["f"], "inf");
        let keys: Vec<&String> = v.as_object().expect("map").keys().collect();
        assert_eq!(keys, ["min", "max", "t", "200", "n", "f"], "file order");
    }

    #[test]
    fn flow_yaml_that_looks_like_json_still_loads() {
        let v = parse_value("{a: 1, b: [x]}", false).expect("parses");
        assert_eq!(v["b"][0], "x");
    }

    #[test]
    fn json_errors_name_the_line() {
        let e = parse_value("{\n  \"a\": 1,\n  \"b\": [\n}\n", true).expect_err("bad");
        assert_eq!(e.line, Some(4), "{e:?}");
    }
}
