//! `application/x-www-form-urlencoded` bodies: a typed body, serialised with serde, encoded field
//! by field as the spec's `encoding` says (`style` and `explode`, OpenAPI's rules for forms).

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// What the form encoding leaves alone: ASCII letters, digits and `*-._` (the WHATWG
/// `application/x-www-form-urlencoded` set; a space becomes `+`).
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// How one field of a form is written, from the spec's `encoding` entry for it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    /// `style: form` (the default): lists as repeated keys (`explode`) or comma-separated;
    /// objects as their own keys (`explode`) or `key,value` pairs.
    Form,
    /// `style: spaceDelimited`: lists joined with spaces.
    SpaceDelimited,
    /// `style: pipeDelimited`: lists joined with `|`.
    PipeDelimited,
    /// `style: deepObject`: objects as `name[key]=value`, nested as deep as they go.
    DeepObject,
}

/// A field whose encoding differs from the default (`style: form`, `explode: true`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormField {
    /// The field's name on the wire.
    pub name: &'static str,
    /// Its style.
    pub style: FormStyle,
    /// Whether lists and objects are spread over several pairs.
    pub explode: bool,
}

/// A serialised value that keeps the order of object keys (`serde_json::Value` sorts them unless
/// a feature every dependent crate would share is switched on).
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Null,
    Text(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

/// Encodes `body` (a struct) as a form, fields in declaration order. `fields` lists the fields
/// whose encoding is not the default. `null` and absent fields are left out.
pub fn encode<B: Serialize + ?Sized>(body: &B, fields: &[FormField]) -> Result<String, String> {
    let text = serde_json::to_string(body).map_err(|e| e.to_string())?;
    let node: Node = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let Node::Map(map) = node else {
        return Err("a form body must be an object".to_owned());
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (name, value) in &map {
        let field = fields.iter().find(|f| f.name == name).copied();
        let (style, explode) = field.map_or((FormStyle::Form, true), |f| (f.style, f.explode));
        field_pairs(name, value, style, explode, &mut pairs);
    }
    Ok(pairs
        .iter()
        .map(|(k, v)| format!("{}={}", component(k), component(v)))
        .collect::<Vec<_>>()
        .join("&"))
}

fn field_pairs(
    name: &str,
    value: &Node,
    style: FormStyle,
    explode: bool,
    out: &mut Vec<(String, String)>,
) {
    match value {
        Node::Null => {}
        Node::Text(t) => out.push((name.to_owned(), t.clone())),
        Node::List(items) => {
            let texts: Vec<String> = items.iter().filter_map(item_text).collect();
            // Exploded lists repeat the key whatever the style; the style picks the separator.
            let joiner = (!explode).then(|| separator(style));
            match joiner {
                Some(j) => out.push((name.to_owned(), texts.join(j))),
                None => out.extend(texts.into_iter().map(|t| (name.to_owned(), t))),
            }
        }
        Node::Map(map) => match style {
            FormStyle::DeepObject => deep(name, value, out),
            _ if explode => {
                for (k, v) in map {
                    field_pairs(k, v, FormStyle::Form, true, out);
                }
            }
            _ => {
                let sep = separator(style);
                let flat: Vec<String> = map
                    .iter()
                    .filter_map(|(k, v)| item_text(v).map(|t| format!("{k}{sep}{t}")))
                    .collect();
                out.push((name.to_owned(), flat.join(sep)));
            }
        },
    }
}

/// The separator of a non-exploded list or object: `,`, a space or `|`.
fn separator(style: FormStyle) -> &'static str {
    match style {
        FormStyle::SpaceDelimited => " ",
        FormStyle::PipeDelimited => "|",
        FormStyle::Form | FormStyle::DeepObject => ",",
    }
}

/// `deepObject`: `name[a][b]=value`; list items repeat their key.
fn deep(prefix: &str, value: &Node, out: &mut Vec<(String, String)>) {
    match value {
        Node::Null => {}
        Node::Text(t) => out.push((prefix.to_owned(), t.clone())),
        Node::Map(map) => {
            for (k, v) in map {
                deep(&format!("{prefix}[{k}]"), v, out);
            }
        }
        Node::List(items) => {
            for item in items {
                deep(prefix, item, out);
            }
        }
    }
}

/// The text of a list item or nested value: scalars as they are, lists and objects as JSON.
fn item_text(value: &Node) -> Option<String> {
    match value {
        Node::Null => None,
        Node::Text(t) => Some(t.clone()),
        other => Some(to_json(other)),
    }
}

fn to_json(node: &Node) -> String {
    match node {
        Node::Null => "null".to_owned(),
        Node::Text(t) => serde_json::Value::String(t.clone()).to_string(),
        Node::List(items) => format!(
            "[{}]",
            items.iter().map(to_json).collect::<Vec<_>>().join(",")
        ),
        Node::Map(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}:{}", serde_json::Value::String(k.clone()), to_json(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

fn component(text: &str) -> String {
    utf8_percent_encode(text, FORM)
        .to_string()
        .replace("%20", "+")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(name: &'static str, style: FormStyle, explode: bool) -> FormField {
        FormField {
            name,
            style,
            explode,
        }
    }

    #[derive(Serialize)]
    #[allow(non_snake_case)]
    struct Message {
        To: &'static str,
        Body: &'static str,
        N: i64,
        On: bool,
        Gone: Option<i64>,
    }

    #[test]
    fn scalars_are_pairs_in_field_order_and_nulls_are_left_out() {
        let body = Message {
            To: "+1 555",
            Body: "héllo & bye",
            N: 3,
            On: true,
            Gone: None,
        };
        assert_eq!(
            encode(&body, &[]).unwrap_or_default(),
            "To=%2B1+555&Body=h%C3%A9llo+%26+bye&N=3&On=true"
        );
    }

    #[test]
    fn lists_follow_style_and_explode() {
        let body = json!({"a": ["x", "y"], "b": ["x", "y"], "c": [1, 2], "d": ["p q", "r"]});
        let fields = [
            f("b", FormStyle::Form, false),
            f("c", FormStyle::PipeDelimited, false),
            f("d", FormStyle::SpaceDelimited, false),
        ];
        assert_eq!(
            encode(&body, &fields).unwrap_or_default(),
            "a=x&a=y&b=x%2Cy&c=1%7C2&d=p+q+r"
        );
    }

    #[test]
    fn exploded_delimited_lists_repeat_the_key() {
        let body = json!({"a": ["x", "y"], "o": {"k": "v", "n": "m"}});
        let fields = [
            f("a", FormStyle::PipeDelimited, true),
            f("o", FormStyle::PipeDelimited, false),
        ];
        assert_eq!(
            encode(&body, &fields).unwrap_or_default(),
            "a=x&a=y&o=k%7Cv%7Cn%7Cm"
        );
    }

    #[test]
    fn objects_follow_style_and_explode() {
        let body =
            json!({"o": {"k": "v", "n": 1}, "p": {"k": "v"}, "q": {"a": {"b": "c"}, "l": [1, 2]}});
        let fields = [
            f("p", FormStyle::Form, false),
            f("q", FormStyle::DeepObject, true),
        ];
        assert_eq!(
            encode(&body, &fields).unwrap_or_default(),
            "k=v&n=1&p=k%2Cv&q%5Ba%5D%5Bb%5D=c&q%5Bl%5D=1&q%5Bl%5D=2"
        );
    }

    #[test]
    fn a_body_that_is_not_an_object_is_an_error() {
        assert!(encode(&json!([1]), &[]).is_err());
    }
}
