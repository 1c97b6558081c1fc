//! Decoding generated structs: one generic map visitor, so each struct's hand-written
//! `Deserialize` impl is only a table of field names, a match from index to slot and a
//! constructor (far less for rustc to check than serde's derive expansion).
//!
//! Behaviour matches `#[derive(Deserialize)]` as the generator used it: unknown fields are
//! skipped (or kept in the struct's map of additional properties), an `Option` field may be
//! missing or `null`, a missing required field is "missing field `x`", a repeated one
//! "duplicate field `x`". An error in a field's value also names the field and the struct.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A struct being decoded: one slot per field, filled as the map's entries arrive.
///
/// Generated code implements it on a local tuple struct of `Option`s inside each
/// `Deserialize` impl; [`object`] drives it.
pub trait Fields<'de>: Sized {
    /// The struct this decodes into.
    type Value;
    /// The struct's name, for error messages.
    const NAME: &'static str;
    /// The wire names of the fields, in slot order.
    const NAMES: &'static [&'static str];
    /// How many of the slots, from the first, hold required fields.
    const REQUIRED: usize = 0;
    /// Whether entries not in [`Self::NAMES`] are kept ([`Fields::other`]) rather than skipped.
    const OTHERS: bool = false;

    /// Reads the value of the field at `index` in [`Self::NAMES`] into its slot (see [`next`]).
    fn field<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;

    /// Reads the value of an entry not in [`Self::NAMES`], when [`Self::OTHERS`] is set.
    fn other<A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let _ = key;
        skip(map)
    }

    /// The struct from the filled slots; `None` when a required field is missing (the required
    /// fields' slots come first in [`Self::NAMES`], [`Self::REQUIRED`] of them).
    fn finish(self) -> Option<Self::Value>;
}

/// Decodes a struct through its [`Fields`], starting from `empty` slots.
pub fn object<'de, D: Deserializer<'de>, F: Fields<'de>>(
    deserializer: D,
    empty: F,
) -> Result<F::Value, D::Error> {
    let visitor = ObjectVisitor {
        fields: empty,
        lifetime: PhantomData,
    };
    if F::OTHERS {
        deserializer.deserialize_map(visitor)
    } else {
        deserializer.deserialize_struct(F::NAME, F::NAMES, visitor)
    }
}

/// Fills `slot` with the map's next value; a second value for it is an error.
pub fn next<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::custom("duplicate field"));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the map's next value (for an index no field has; [`object`] never passes one).
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// Reads the map's next value into the additional properties, under `key`.
pub fn insert<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
    properties: &mut BTreeMap<String, T>,
    key: String,
    map: &mut A,
) -> Result<(), A::Error> {
    properties.insert(key, map.next_value()?);
    Ok(())
}

struct ObjectVisitor<'de, F> {
    fields: F,
    lifetime: PhantomData<&'de ()>,
}

impl<'de, F: Fields<'de>> Visitor<'de> for ObjectVisitor<'de, F> {
    type Value = F::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", F::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<F::Value, A::Error> {
        let mut seen = Seen::default();
        while let Some(key) = map.next_key_seed(KeySeed::<F> {
            lifetime: PhantomData,
            fields: PhantomData,
        })? {
            match key {
                Key::Known(index) => {
                    let name = F::NAMES[index];
                    self.fields
                        .field(index, &mut map)
                        .map_err(|e| in_field::<A::Error>(e, F::NAME, name))?;
                    // Only a required field can be missing: the others need no record.
                    if index < F::REQUIRED {
                        seen.insert(index);
                    }
                }
                Key::Other(key) => self.fields.other(key, &mut map)?,
                Key::Skipped => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match self.fields.finish() {
            Some(value) => Ok(value),
            None => {
                let missing = (0..F::REQUIRED).find(|i| !seen.contains(*i)).unwrap_or(0);
                Err(de::Error::missing_field(
                    F::NAMES.get(missing).copied().unwrap_or("?"),
                ))
            }
        }
    }
}

/// The required slots filled so far (only read to name a missing required field).
#[derive(Default)]
struct Seen {
    first: u128,
    rest: Vec<usize>,
}

impl Seen {
    fn insert(&mut self, index: usize) {
        match u32::try_from(index) {
            Ok(i) if i < 128 => self.first |= 1 << i,
            _ => self.rest.push(index),
        }
    }

    fn contains(&self, index: usize) -> bool {
        match u32::try_from(index) {
            Ok(i) if i < 128 => self.first & (1 << i) != 0,
            _ => self.rest.contains(&index),
        }
    }
}

/// An error in the value of `field` of `name`, saying which: "field `size` of `Disk`: ...".
/// A message that already names a field (one from a nested struct) is kept as it is, so the
/// innermost field is named; a trailing position ("at line 1 column 10", serde_json's) is
/// dropped, since the format adds its own again.
fn in_field<E: de::Error>(error: E, name: &str, field: &'static str) -> E {
    let message = error.to_string();
    if message.starts_with("field `") {
        return error;
    }
    if message == "duplicate field" {
        return E::duplicate_field(field);
    }
    let message = strip_position(&message);
    E::custom(format_args!("field `{field}` of `{name}`: {message}"))
}

/// `message` without a trailing " at line N column M".
fn strip_position(message: &str) -> &str {
    let Some(at) = message.rfind(" at line ") else {
        return message;
    };
    let tail = &message[at + " at line ".len()..];
    let mut words = tail.split(' ');
    let well_formed = matches!(
        (words.next(), words.next(), words.next(), words.next()),
        (Some(line), Some("column"), Some(column), None)
            if line.bytes().all(|b| b.is_ascii_digit()) && column.bytes().all(|b| b.is_ascii_digit())
    );
    if well_formed { &message[..at] } else { message }
}

/// A map key: the index of a known field, an unknown key kept for the additional properties,
/// or one skipped.
enum Key {
    Known(usize),
    Other(String),
    Skipped,
}

struct KeySeed<'de, F> {
    lifetime: PhantomData<&'de ()>,
    fields: PhantomData<F>,
}

impl<'de, F: Fields<'de>> KeySeed<'de, F> {
    fn key(name: &str) -> Key {
        match F::NAMES.iter().position(|n| *n == name) {
            Some(index) => Key::Known(index),
            None if F::OTHERS => Key::Other(name.to_owned()),
            None => Key::Skipped,
        }
    }
}

impl<'de, F: Fields<'de>> DeserializeSeed<'de> for KeySeed<'de, F> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, F: Fields<'de>> Visitor<'de> for KeySeed<'de, F> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
        Ok(Self::key(name))
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Key, E> {
        Ok(match std::str::from_utf8(name) {
            Ok(name) => Self::key(name),
            Err(_) => Key::Skipped,
        })
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Key, E> {
        Ok(match usize::try_from(index) {
            Ok(i) if i < F::NAMES.len() => Key::Known(i),
            _ => Key::Skipped,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::{Fields, next, object};

    /// What the generator writes for `{id: integer (required), name: string, note: string|null
    /// (required)}` plus additional properties when `OTHERS` is on.
    #[derive(Debug, PartialEq, serde::Serialize)]
    struct Thing {
        id: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        note: Option<String>,
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Slots(Option<i64>, Option<Option<String>>, Option<Option<String>>);
            impl<'de> Fields<'de> for Slots {
                type Value = Thing;
                const NAME: &'static str = "Thing";
                const NAMES: &'static [&'static str] = &["id", "name", "note"];
                const REQUIRED: usize = 1;
                fn field<A: serde::de::MapAccess<'de>>(
                    &mut self,
                    index: usize,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    match index {
                        0 => next(&mut self.0, map),
                        1 => next(&mut self.1, map),
                        2 => next(&mut self.2, map),
                        _ => super::skip(map),
                    }
                }
                fn finish(self) -> Option<Thing> {
                    let Slots(Some(id), name, note) = self else {
                        return None;
                    };
                    Some(Thing {
                        id,
                        name: name.flatten(),
                        note: note.flatten(),
                    })
                }
            }
            object(deserializer, Slots(None, None, None))
        }
    }

    /// A struct with a map of additional properties.
    #[derive(Debug, PartialEq)]
    struct Open {
        kind: String,
        extra: BTreeMap<String, i64>,
    }

    impl<'de> Deserialize<'de> for Open {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Slots(Option<String>, BTreeMap<String, i64>);
            impl<'de> Fields<'de> for Slots {
                type Value = Open;
                const NAME: &'static str = "Open";
                const NAMES: &'static [&'static str] = &["kind"];
                const REQUIRED: usize = 1;
                const OTHERS: bool = true;
                fn field<A: serde::de::MapAccess<'de>>(
                    &mut self,
                    index: usize,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    match index {
                        0 => next(&mut self.0, map),
                        _ => super::skip(map),
                    }
                }
                fn other<A: serde::de::MapAccess<'de>>(
                    &mut self,
                    key: String,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    super::insert(&mut self.1, key, map)
                }
                fn finish(self) -> Option<Open> {
                    let Slots(Some(kind), extra) = self else {
                        return None;
                    };
                    Some(Open { kind, extra })
                }
            }
            object(deserializer, Slots(None, BTreeMap::new()))
        }
    }

    #[derive(Debug, Deserialize)]
    struct Outer {
        #[allow(dead_code)]
        inner: Thing,
    }

    fn thing(json: &str) -> Result<Thing, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn round_trips_through_serde_json() {
        let value = Thing {
            id: 7,
            name: Some("a".into()),
            note: None,
        };
        let text = serde_json::to_string(&value).unwrap();
        assert_eq!(text, r#"{"id":7,"name":"a","note":null}"#);
        assert_eq!(thing(&text).unwrap(), value);
    }

    #[test]
    fn unknown_fields_are_ignored_and_optional_ones_may_be_missing_or_null() {
        assert_eq!(
            thing(r#"{"zzz":{"deep":[1,2]},"id":1,"name":null}"#).unwrap(),
            Thing {
                id: 1,
                name: None,
                note: None
            }
        );
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(
            thing(r#"{"name":"x"}"#).unwrap_err(),
            "missing field `id` at line 1 column 12"
        );
        assert_eq!(
            thing(r#"{"id":1,"id":2}"#).unwrap_err(),
            "duplicate field `id` at line 1 column 12"
        );
        let err = thing(r#"{"id":"seven"}"#).unwrap_err();
        assert!(
            err.starts_with(
                "field `id` of `Thing`: invalid type: string \"seven\", expected i64 at line 1"
            ),
            "{err}"
        );
        assert_eq!(err.matches(" at line ").count(), 1, "{err}");
        // Nested: the innermost field is named, once.
        let err = serde_json::from_str::<Outer>(r#"{"inner":{"id":true}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("field `id` of `Thing`: invalid type: boolean"),
            "{err}"
        );
        let err = thing("[1]").unwrap_err();
        assert!(
            err.starts_with("invalid type: sequence, expected struct Thing"),
            "{err}"
        );
    }

    #[test]
    fn additional_properties_keep_unknown_entries() {
        let open: Open = serde_json::from_str(r#"{"a":1,"kind":"k","b":2}"#).unwrap();
        assert_eq!(open.kind, "k");
        assert_eq!(
            open.extra,
            BTreeMap::from([("a".into(), 1), ("b".into(), 2)])
        );
        let err = serde_json::from_str::<Open>(r#"{"kind":"k","b":"x"}"#).unwrap_err();
        assert!(err.to_string().starts_with("invalid type: string"), "{err}");
    }

    #[test]
    fn decodes_from_other_self_describing_formats() {
        let value = serde_json::json!({"id": 3, "name": "n"});
        let decoded = Thing::deserialize(&value).unwrap();
        assert_eq!(decoded.id, 3);
        let open = Open::deserialize(serde_json::json!({"kind": "k", "x": 5})).unwrap();
        assert_eq!(open.extra["x"], 5);
    }

    #[test]
    fn positions_are_stripped_only_when_well_formed() {
        assert_eq!(super::strip_position("bad at line 1 column 10"), "bad");
        assert_eq!(super::strip_position("bad at line one"), "bad at line one");
        assert_eq!(super::strip_position("no position"), "no position");
    }
}
