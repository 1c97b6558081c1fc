//! Encoding generated structs: each struct's hand-written `Serialize` impl is one chain of
//! calls, a call a field (`.field("id", &self.id).optional("name", &self.name)`), on an
//! [`Object`] that holds the serializer's state. That is far less for rustc to check than
//! serde's derive expansion, which writes an `if`, two calls and a `?` for each optional field.
//!
//! Output matches `#[derive(Serialize)]` as the generator used it: a struct is serialized with
//! `serialize_struct` and the exact number of fields it writes, an optional field that is `None`
//! is skipped (`skip_serializing_if = "Option::is_none"`), and a struct with additional
//! properties is a map whose entries follow the fields (`#[serde(flatten)]` of a map).

use std::collections::BTreeMap;

use serde::ser::{self, SerializeMap, SerializeStruct, Serializer};

/// Whether an optional field is present: implemented for `Option`, so that [`Object::new`] can
/// count the fields it will write from a slice of them.
pub trait Present {
    /// `true` unless the value is `None`.
    fn is_present(&self) -> bool;
}

impl<T> Present for Option<T> {
    fn is_present(&self) -> bool {
        self.is_some()
    }
}

/// A struct being serialized: fields go in with [`Object::field`] and [`Object::optional`],
/// additional properties with [`Object::extra`], and [`Object::end`] gives the result. The
/// first error is kept and every later call does nothing.
pub struct Object<S: Serializer> {
    state: State<S>,
}

enum State<S: Serializer> {
    Struct(S::SerializeStruct),
    Map(S::SerializeMap),
    Failed(S::Error),
}

impl<S: Serializer> Object<S> {
    /// Starts struct `name` with `required` fields always written and the `optional` ones that
    /// are present.
    pub fn new(
        serializer: S,
        name: &'static str,
        required: usize,
        optional: &[&dyn Present],
    ) -> Self {
        let len = required + optional.iter().filter(|f| f.is_present()).count();
        Self {
            state: match serializer.serialize_struct(name, len) {
                Ok(s) => State::Struct(s),
                Err(e) => State::Failed(e),
            },
        }
    }

    /// Starts a struct with additional properties: a map of unknown length.
    pub fn map(serializer: S) -> Self {
        Self {
            state: match serializer.serialize_map(None) {
                Ok(m) => State::Map(m),
                Err(e) => State::Failed(e),
            },
        }
    }

    /// Writes a field that is always sent (a `None` of a nullable one is `null`).
    #[must_use]
    pub fn field<T: ?Sized + ser::Serialize>(mut self, name: &'static str, value: &T) -> Self {
        let written = match &mut self.state {
            State::Struct(s) => s.serialize_field(name, value),
            State::Map(m) => m.serialize_entry(name, value),
            State::Failed(_) => return self,
        };
        self.fail_on(written)
    }

    /// Writes an optional field when it is `Some`; a `None` is left out.
    #[must_use]
    pub fn optional<T: ser::Serialize>(mut self, name: &'static str, value: &Option<T>) -> Self {
        let written = match (&mut self.state, value) {
            (State::Failed(_), _) => return self,
            (State::Struct(s), None) => s.skip_field(name),
            (State::Map(_), None) => return self,
            (State::Struct(s), Some(v)) => s.serialize_field(name, v),
            (State::Map(m), Some(v)) => m.serialize_entry(name, v),
        };
        self.fail_on(written)
    }

    /// Writes the additional properties after the fields (only after [`Object::map`]).
    #[must_use]
    pub fn extra<T: ser::Serialize>(mut self, properties: &BTreeMap<String, T>) -> Self {
        let State::Map(m) = &mut self.state else {
            return self;
        };
        let written = properties
            .iter()
            .try_for_each(|(key, value)| m.serialize_entry(key, value));
        self.fail_on(written)
    }

    /// Ends the struct: its serializer's output, or the first error.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        match self.state {
            State::Struct(s) => s.end(),
            State::Map(m) => m.end(),
            State::Failed(e) => Err(e),
        }
    }

    fn fail_on(mut self, written: Result<(), S::Error>) -> Self {
        if let Err(e) = written {
            self.state = State::Failed(e);
        }
        self
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::Object;

    /// What the generator writes for `{id: integer (required), name: string, note: string|null
    /// (required)}`, with additional properties when `extra` is set.
    struct Thing {
        id: i64,
        name: Option<String>,
        note: Option<String>,
        extra: Option<BTreeMap<String, serde_json::Value>>,
    }

    impl Serialize for Thing {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match &self.extra {
                None => Object::new(serializer, "Thing", 2, &[&self.name]),
                Some(_) => Object::map(serializer),
            }
            .field("id", &self.id)
            .optional("name", &self.name)
            .field("note", &self.note)
            .extra(self.extra.as_ref().unwrap_or(&BTreeMap::new()))
            .end()
        }
    }

    /// The same struct with serde's derive, as the generator used to write it.
    #[derive(Serialize)]
    struct Derived {
        id: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        note: Option<String>,
        #[serde(flatten)]
        extra: BTreeMap<String, serde_json::Value>,
    }

    fn both(id: i64, name: Option<&str>, note: Option<&str>, extra: &[(&str, i64)]) {
        let extra_map: BTreeMap<String, serde_json::Value> = extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).into()))
            .collect();
        let ours = Thing {
            id,
            name: name.map(str::to_owned),
            note: note.map(str::to_owned),
            extra: (!extra.is_empty()).then(|| extra_map.clone()),
        };
        let derived = Derived {
            id,
            name: name.map(str::to_owned),
            note: note.map(str::to_owned),
            extra: extra_map,
        };
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&derived).unwrap()
        );
    }

    #[test]
    fn writes_what_the_derive_wrote() {
        both(1, None, None, &[]);
        both(2, Some("n"), None, &[]);
        both(3, Some("n"), Some("x"), &[("zz", 1), ("aa", 2)]);
        assert_eq!(
            serde_json::to_string(&Thing {
                id: 4,
                name: None,
                note: None,
                extra: None
            })
            .unwrap(),
            r#"{"id":4,"note":null}"#
        );
    }

    /// A serializer that counts: the length given to `serialize_struct` is the number of
    /// fields written, as formats that write it first (MessagePack, CBOR) need.
    #[test]
    fn the_struct_length_counts_only_written_fields() {
        use serde::ser::{Impossible, SerializeStruct};
        struct Counter(usize, usize);
        #[derive(Debug)]
        struct E;
        impl std::fmt::Display for E {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("e")
            }
        }
        impl std::error::Error for E {}
        impl serde::ser::Error for E {
            fn custom<T: std::fmt::Display>(_: T) -> Self {
                E
            }
        }
        impl SerializeStruct for &mut Counter {
            type Ok = ();
            type Error = E;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                _: &'static str,
                _: &T,
            ) -> Result<(), E> {
                self.1 += 1;
                Ok(())
            }
            fn end(self) -> Result<(), E> {
                Ok(())
            }
        }
        macro_rules! unsupported {
            ($($f:ident($($t:ty),*) -> $r:ty;)*) => {
                $(fn $f(self, $(_: $t),*) -> Result<$r, E> { Err(E) })*
            };
        }
        impl<'a> serde::Serializer for &'a mut Counter {
            type Ok = ();
            type Error = E;
            type SerializeSeq = Impossible<(), E>;
            type SerializeTuple = Impossible<(), E>;
            type SerializeTupleStruct = Impossible<(), E>;
            type SerializeTupleVariant = Impossible<(), E>;
            type SerializeMap = Impossible<(), E>;
            type SerializeStruct = &'a mut Counter;
            type SerializeStructVariant = Impossible<(), E>;
            fn serialize_struct(self, _: &'static str, len: usize) -> Result<Self, E> {
                self.0 = len;
                Ok(self)
            }
            unsupported! {
                serialize_bool(bool) -> (); serialize_i8(i8) -> (); serialize_i16(i16) -> ();
                serialize_i32(i32) -> (); serialize_i64(i64) -> (); serialize_u8(u8) -> ();
                serialize_u16(u16) -> (); serialize_u32(u32) -> (); serialize_u64(u64) -> ();
                serialize_f32(f32) -> (); serialize_f64(f64) -> (); serialize_char(char) -> ();
                serialize_str(&str) -> (); serialize_bytes(&[u8]) -> (); serialize_none() -> ();
                serialize_unit() -> (); serialize_unit_struct(&'static str) -> ();
                serialize_unit_variant(&'static str, u32, &'static str) -> ();
                serialize_seq(Option<usize>) -> Self::SerializeSeq;
                serialize_tuple(usize) -> Self::SerializeTuple;
                serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
                serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
                serialize_map(Option<usize>) -> Self::SerializeMap;
                serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
            }
            fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), E> {
                Err(E)
            }
            fn serialize_newtype_struct<T: ?Sized + Serialize>(
                self,
                _: &'static str,
                _: &T,
            ) -> Result<(), E> {
                Err(E)
            }
            fn serialize_newtype_variant<T: ?Sized + Serialize>(
                self,
                _: &'static str,
                _: u32,
                _: &'static str,
                _: &T,
            ) -> Result<(), E> {
                Err(E)
            }
        }
        for (name, written) in [(None, 2), (Some("n".to_owned()), 3)] {
            let mut counter = Counter(0, 0);
            let thing = Thing {
                id: 1,
                name,
                note: None,
                extra: None,
            };
            thing.serialize(&mut counter).unwrap();
            assert_eq!((counter.0, counter.1), (written, written));
        }
    }
}
