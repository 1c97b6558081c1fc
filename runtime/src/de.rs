//! Decoding generated structs: one generic map visitor, driven by a tuple of field slots, so
//! each struct's hand-written `Deserialize` impl is one call and a constructor (far less for
//! rustc to check than serde's derive expansion, or than a visitor per struct).
//!
//! A struct's fields are a tuple of [`Fields`], one per field in declaration order: [`Req`] for
//! a field that must be present, [`Opt`] for one that may be missing or `null` (an `Option<T>`
//! field). The generated closure names them in its pattern, `|(Req(id), Opt(name))| ..`, and
//! rustc infers their types from the struct's fields, so the impl never spells a type. Tuples
//! of up to 12 are fields themselves, so a larger struct nests them
//! (`|((Req(a), ..), (Opt(m), ..))|`). [`object`] decodes the map into those values;
//! [`object_with_others`] also keeps the entries no field names (additional properties).
//!
//! Behaviour matches `#[derive(Deserialize)]` as the generator used it: unknown fields are
//! skipped (or kept in the struct's map of additional properties), an `Option` field may be
//! missing or `null`, a missing required field is "missing field `x`", a repeated one
//! "duplicate field `x`". An error in a field's value also names the field and the struct.
//!
//! ```
//! use openapi_client_runtime::de::{self, Opt, Req};
//!
//! struct Disk { id: i64, name: Option<String> }
//!
//! impl<'de> serde::Deserialize<'de> for Disk {
//!     fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
//!         de::object(deserializer, "Disk", &["id", "name"], |(Req(id), Opt(name))| Self {
//!             id,
//!             name,
//!         })
//!     }
//! }
//!
//! let disk: Disk = serde_json::from_str(r#"{"id": 7, "name": null}"#).unwrap();
//! assert_eq!((disk.id, disk.name), (7, None));
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// The decoded value of a field that must be present.
pub struct Req<T>(pub T);

/// The decoded value of a field that may be missing or `null`.
pub struct Opt<T>(pub Option<T>);

/// Decoded field values ([`Req`], [`Opt`], `()` and tuples of up to 12 of them), with the
/// slots that collect them while the map is read.
pub trait Fields<'de>: Sized {
    /// The slots that fill up to these values.
    type Slots: Slots<'de, Out = Self>;
}

/// The slots of a struct's fields (or of some of them), filled as the map's entries arrive.
///
/// Implemented for the slots of [`Req`], [`Opt`], `()` and tuples of up to 12 slots; generated
/// code never names them (see [`Fields::Slots`]).
pub trait Slots<'de>: Sized {
    /// The fields' values once decoded.
    type Out;
    /// How many fields these slots hold.
    const LEN: usize;

    /// The slots before any entry is read.
    fn empty() -> Self;

    /// Reads the map's next value into the slot of field `index` (counted within these slots).
    fn read<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;

    /// The values; `Err(i)` names the first required field missing, `i` counted from `at`.
    fn done(self, at: usize) -> Result<Self::Out, usize>;
}

/// The slot of a [`Req`] field.
pub struct ReqSlot<T>(Option<T>);

/// The slot of an [`Opt`] field: missing, `null` or a value.
pub struct OptSlot<T>(Option<Option<T>>);

/// Fills `slot` with the map's next value; a second value for it is an error.
fn fill<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::custom("duplicate field"));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

impl<'de, T: de::Deserialize<'de>> Fields<'de> for Req<T> {
    type Slots = ReqSlot<T>;
}

impl<'de, T: de::Deserialize<'de>> Fields<'de> for Opt<T> {
    type Slots = OptSlot<T>;
}

impl<'de> Fields<'de> for () {
    type Slots = ();
}

impl<'de, T: de::Deserialize<'de>> Slots<'de> for ReqSlot<T> {
    type Out = Req<T>;
    const LEN: usize = 1;

    fn empty() -> Self {
        Self(None)
    }

    fn read<A: MapAccess<'de>>(&mut self, _: usize, map: &mut A) -> Result<(), A::Error> {
        fill(&mut self.0, map)
    }

    fn done(self, at: usize) -> Result<Req<T>, usize> {
        self.0.map(Req).ok_or(at)
    }
}

impl<'de, T: de::Deserialize<'de>> Slots<'de> for OptSlot<T> {
    type Out = Opt<T>;
    const LEN: usize = 1;

    fn empty() -> Self {
        Self(None)
    }

    fn read<A: MapAccess<'de>>(&mut self, _: usize, map: &mut A) -> Result<(), A::Error> {
        fill(&mut self.0, map)
    }

    fn done(self, _: usize) -> Result<Opt<T>, usize> {
        Ok(Opt(self.0.flatten()))
    }
}

impl<'de> Slots<'de> for () {
    type Out = ();
    const LEN: usize = 0;

    fn empty() -> Self {}

    fn read<A: MapAccess<'de>>(&mut self, _: usize, map: &mut A) -> Result<(), A::Error> {
        skip(map)
    }

    fn done(self, _: usize) -> Result<(), usize> {
        Ok(())
    }
}

/// `Fields` and `Slots` for tuples: field `index` is in the first element whose fields reach
/// past it.
macro_rules! tuple_slots {
    ($($field:ident $slot:ident $i:tt),+) => {
        impl<'de, $($field: Fields<'de>),+> Fields<'de> for ($($field,)+) {
            type Slots = ($($field::Slots,)+);
        }

        impl<'de, $($slot: Slots<'de>),+> Slots<'de> for ($($slot,)+) {
            type Out = ($($slot::Out,)+);
            const LEN: usize = 0 $(+ $slot::LEN)+;

            fn empty() -> Self {
                ($($slot::empty(),)+)
            }

            // The last element's subtraction is never read.
            #[allow(unused_assignments)]
            fn read<M: MapAccess<'de>>(&mut self, index: usize, map: &mut M) -> Result<(), M::Error> {
                let mut rest = index;
                $(
                    if rest < $slot::LEN {
                        return self.$i.read(rest, map);
                    }
                    rest -= $slot::LEN;
                )+
                skip(map)
            }

            fn done(self, at: usize) -> Result<Self::Out, usize> {
                let mut _next = at;
                Ok(($({
                    let value = self.$i.done(_next)?;
                    _next += $slot::LEN;
                    value
                },)+))
            }
        }
    };
}

tuple_slots!(F0 S0 0);
tuple_slots!(F0 S0 0, F1 S1 1);
tuple_slots!(F0 S0 0, F1 S1 1, F2 S2 2);
tuple_slots!(F0 S0 0, F1 S1 1, F2 S2 2, F3 S3 3);
tuple_slots!(F0 S0 0, F1 S1 1, F2 S2 2, F3 S3 3, F4 S4 4);
tuple_slots!(F0 S0 0, F1 S1 1, F2 S2 2, F3 S3 3, F4 S4 4, F5 S5 5);
tuple_slots!(F0 S0 0, F1 S1 1, F2 S2 2, F3 S3 3, F4 S4 4, F5 S5 5, F6 S6 6);
tuple_slots!(F0 S0 0, F1 S1 1, F2 S2 2, F3 S3 3, F4 S4 4, F5 S5 5, F6 S6 6, F7 S7 7);
tuple_slots!(F0 S0 0, F1 S1 1, F2 S2 2, F3 S3 3, F4 S4 4, F5 S5 5, F6 S6 6, F7 S7 7, F8 S8 8);
tuple_slots!(F0 S0 0, F1 S1 1, F2 S2 2, F3 S3 3, F4 S4 4, F5 S5 5, F6 S6 6, F7 S7 7, F8 S8 8, F9 S9 9);
tuple_slots!(F0 S0 0, F1 S1 1, F2 S2 2, F3 S3 3, F4 S4 4, F5 S5 5, F6 S6 6, F7 S7 7, F8 S8 8, F9 S9 9, F10 S10 10);
tuple_slots!(F0 S0 0, F1 S1 1, F2 S2 2, F3 S3 3, F4 S4 4, F5 S5 5, F6 S6 6, F7 S7 7, F8 S8 8, F9 S9 9, F10 S10 10, F11 S11 11);

/// What becomes of the entries no field names: skipped (`()`) or kept (a map of additional
/// properties).
pub trait Others<'de>: Default {
    /// Whether entries are kept (the map is then read as a map, not as a struct).
    const KEEP: bool;

    /// Reads the value of the entry `key`.
    fn other<A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error>;
}

impl<'de> Others<'de> for () {
    const KEEP: bool = false;

    fn other<A: MapAccess<'de>>(&mut self, _: String, map: &mut A) -> Result<(), A::Error> {
        skip(map)
    }
}

impl<'de, T: de::Deserialize<'de>> Others<'de> for BTreeMap<String, T> {
    const KEEP: bool = true;

    fn other<A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        self.insert(key, map.next_value()?);
        Ok(())
    }
}

/// Decodes struct `name`, whose fields have the wire names `fields` (in declaration order), into
/// their values `F`, and builds the struct from them with `build`. Entries no field names are
/// skipped.
pub fn object<'de, D: Deserializer<'de>, F: Fields<'de>, T>(
    deserializer: D,
    name: &'static str,
    fields: &'static [&'static str],
    build: impl FnOnce(F) -> T,
) -> Result<T, D::Error> {
    object_with_others::<D, F, (), T>(deserializer, name, fields, |(out, ())| build(out))
}

/// [`object`] for a struct that keeps the entries no field names, in `O` (a map of additional
/// properties), which `build` also takes.
pub fn object_with_others<'de, D: Deserializer<'de>, F: Fields<'de>, O: Others<'de>, T>(
    deserializer: D,
    name: &'static str,
    fields: &'static [&'static str],
    build: impl FnOnce((F, O)) -> T,
) -> Result<T, D::Error> {
    let visitor = ObjectVisitor::<F::Slots, O, _> {
        name,
        fields,
        build,
        slots: PhantomData,
    };
    if O::KEEP {
        deserializer.deserialize_map(visitor)
    } else {
        deserializer.deserialize_struct(name, fields, visitor)
    }
}

/// Skips the map's next value.
fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// The struct's values go to `build` where they are made (the struct is built in place, not
/// moved out through a tuple of values).
struct ObjectVisitor<S, O, B> {
    name: &'static str,
    fields: &'static [&'static str],
    build: B,
    slots: PhantomData<(S, O)>,
}

impl<'de, S: Slots<'de>, O: Others<'de>, T, B: FnOnce((S::Out, O)) -> T> Visitor<'de>
    for ObjectVisitor<S, O, B>
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut slots = S::empty();
        let mut others = O::default();
        // Servers mostly send fields in the schema's order: the field after the last one read
        // is tried before the others.
        let mut next = 0;
        // An unknown key the struct keeps, put aside by the seed (a key is read as a plain
        // index, which the seed returns in a register, not as an enum holding a `String`).
        let mut other: Option<String> = None;
        while let Some(index) = map.next_key_seed(KeySeed {
            fields: self.fields,
            next,
            other: if O::KEEP { Some(&mut other) } else { None },
        })? {
            if let Some(&field) = self.fields.get(index) {
                next = index + 1;
                slots
                    .read(index, &mut map)
                    .map_err(|e| in_field::<A::Error>(e, self.name, field))?;
            } else if let Some(key) = other.take() {
                others.other(key, &mut map)?;
            } else {
                skip(&mut map)?;
            }
        }
        match slots.done(0) {
            Ok(out) => Ok((self.build)((out, others))),
            Err(missing) => Err(de::Error::missing_field(
                self.fields.get(missing).copied().unwrap_or("?"),
            )),
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

/// What [`KeySeed`] reads for a key that names no field (then skipped, or put aside in the
/// seed's `other` when the struct keeps such entries).
const UNKNOWN: usize = usize::MAX;

/// Reads a map key as the index of the field it names, or [`UNKNOWN`].
struct KeySeed<'k> {
    fields: &'static [&'static str],
    /// The index tried first.
    next: usize,
    /// Where an unknown key goes, for a struct that keeps the entries no field names.
    other: Option<&'k mut Option<String>>,
}

/// `a == b` for field names and enum values. Names are short, so equal lengths are compared as
/// at most four machine words (two overlapping ones from each end), or three bytes below four,
/// not byte by byte or through a call to `memcmp` (what `==` on strings becomes when neither is
/// a constant).
#[inline]
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        // Three bytes (some twice) cover every byte of a name of one to three bytes.
        0 => true,
        1..4 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..8 => {
            a.first_chunk::<4>() == b.first_chunk::<4>()
                && a.last_chunk::<4>() == b.last_chunk::<4>()
        }
        8..=16 => {
            a.first_chunk::<8>() == b.first_chunk::<8>()
                && a.last_chunk::<8>() == b.last_chunk::<8>()
        }
        17..=32 => {
            a.first_chunk::<16>() == b.first_chunk::<16>()
                && a.last_chunk::<16>() == b.last_chunk::<16>()
        }
        _ => a == b,
    }
}

impl KeySeed<'_> {
    /// The field `name` names: the expected one is checked here, inline, and the others (and
    /// names too long to compare in a few words) out of line, so the common case calls nothing
    /// and saves no registers.
    #[inline]
    fn key(self, name: &str) -> usize {
        match self.fields.get(self.next) {
            Some(expected) if name.len() <= 32 && same_text(expected, name) => self.next,
            _ => self.search(name),
        }
    }

    /// [`KeySeed::key`] for a key other than the expected one.
    #[inline(never)]
    fn search(self, name: &str) -> usize {
        match self.fields.iter().position(|n| same_text(n, name)) {
            Some(index) => index,
            None => {
                if let Some(other) = self.other {
                    *other = Some(name.to_owned());
                }
                UNKNOWN
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<usize, E> {
        Ok(self.key(name))
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<usize, E> {
        Ok(match std::str::from_utf8(name) {
            Ok(name) => self.key(name),
            Err(_) => UNKNOWN,
        })
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<usize, E> {
        Ok(match usize::try_from(index) {
            Ok(i) if i < self.fields.len() => i,
            _ => UNKNOWN,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::{Opt, Req, object, object_with_others, same_text};

    /// What the generator writes for `{id: integer (required), name: string, note: string|null
    /// (required)}`.
    #[derive(Debug, PartialEq, serde::Serialize)]
    struct Thing {
        id: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        note: Option<String>,
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            object(
                deserializer,
                "Thing",
                &["id", "name", "note"],
                |(Req(id), Opt(name), Opt(note))| Thing { id, name, note },
            )
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
            object_with_others(deserializer, "Open", &["kind"], |((Req(kind),), extra)| {
                Open { kind, extra }
            })
        }
    }

    /// 14 fields: nested tuples, as the generator writes past 12. The last field is required.
    #[derive(Debug, PartialEq)]
    struct Wide {
        first: Option<i64>,
        middle: Option<i64>,
        last: String,
    }

    impl<'de> Deserialize<'de> for Wide {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            type O = Opt<i64>;
            object::<_, ((O, O, O, O, O, O, O, O, O, O, O, O), (O, Req<String>)), _>(
                deserializer,
                "Wide",
                &[
                    "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11",
                    "f12", "f13",
                ],
                |((Opt(first), _, _, _, _, _, _, _, _, _, _, _), (Opt(middle), Req(last)))| Wide {
                    first,
                    middle,
                    last,
                },
            )
        }
    }

    /// Names of every length up to 40 are equal only to themselves: one byte changed anywhere
    /// (first, middle, last) makes them differ, whichever words the comparison reads.
    #[test]
    fn same_text_compares_every_byte() {
        let base: String = ('a'..='z').chain('A'..='Z').take(40).collect();
        for n in 0..=40 {
            let name = &base[..n];
            assert!(same_text(name, name), "{n}");
            assert!(
                !same_text(name, &base[..n.saturating_sub(1)]) || n == 0,
                "{n}"
            );
            for at in 0..n {
                let mut other = name.as_bytes().to_vec();
                other[at] = b'_';
                let other = String::from_utf8(other).unwrap();
                assert!(!same_text(name, &other), "{n} at {at}");
            }
        }
    }

    #[test]
    fn nested_tuples_reach_every_field_and_name_the_missing_one() {
        let wide: Wide = serde_json::from_str(r#"{"f13":"z","f12":5,"f0":1,"f7":3}"#).unwrap();
        assert_eq!(
            wide,
            Wide {
                first: Some(1),
                middle: Some(5),
                last: "z".to_owned()
            }
        );
        let err = serde_json::from_str::<Wide>(r#"{"f12":5}"#).unwrap_err();
        assert!(err.to_string().starts_with("missing field `f13`"), "{err}");
        let err = serde_json::from_str::<Wide>(r#"{"f13":"a","f13":"b"}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("duplicate field `f13`"),
            "{err}"
        );
    }

    #[test]
    fn a_struct_without_fields_skips_every_entry() {
        struct Empty;
        impl<'de> Deserialize<'de> for Empty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                object(d, "Empty", &[], |()| Empty)
            }
        }
        assert!(serde_json::from_str::<Empty>(r#"{"a":[1,{"b":2}]}"#).is_ok());
        assert!(serde_json::from_str::<Empty>("3").is_err());
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
