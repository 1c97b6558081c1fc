//! What every generated string enum implements: the [`StringEnum`] trait over the enum's table
//! of known values (emitted in the open as its `VALUES` constant), generic code for the wire text
//! both ways, and the macro that forwards each enum's `as_str`, `From<&str>`, `FromStr`,
//! `Display` and serde impls to that code, so rustc checks the logic once, not once per enum.

use std::fmt;
use std::marker::PhantomData;
use std::mem::discriminant;

use serde::de::{self, Deserializer, Visitor};

use super::de::same_text;

/// A generated string enum: its known values with their wire text, and an `Unknown(String)`
/// variant that keeps any other value. Implemented by `string_enum!`.
#[doc(hidden)]
pub trait StringEnum: Sized + Clone + 'static {
    /// Each known value with its wire text, in the spec's order (the enum's `VALUES`).
    fn known() -> &'static [(&'static str, Self)];
    /// The `Unknown` variant holding `value`.
    fn unknown(value: String) -> Self;
    /// The text of the `Unknown` variant, `None` for a known value.
    fn as_unknown(&self) -> Option<&str>;
}

/// The wire text of a value: the table's for a known value, the kept text for an unknown one.
#[doc(hidden)]
pub fn as_str<T: StringEnum>(value: &T) -> &str {
    if let Some(text) = value.as_unknown() {
        return text;
    }
    let wanted = discriminant(value);
    T::known()
        .iter()
        .find(|(_, known)| discriminant(known) == wanted)
        .map_or("", |(wire, _)| wire)
}

/// The value of some wire text: a known value, else `Unknown` holding the text.
#[doc(hidden)]
pub fn parse<T: StringEnum>(text: &str) -> T {
    T::known()
        .iter()
        .find(|(wire, _)| same_text(wire, text))
        .map_or_else(|| T::unknown(text.to_owned()), |(_, known)| known.clone())
}

/// Deserializes a string into a [`StringEnum`] without allocating for a known value.
#[doc(hidden)]
pub fn deserialize<'de, T: StringEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(WireText(PhantomData))
}

/// The visitor of [`deserialize`].
struct WireText<T>(PhantomData<fn() -> T>);

impl<T: StringEnum> Visitor<'_> for WireText<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        Ok(parse(text))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<T, E> {
        let known = T::known().iter().find(|(wire, _)| same_text(wire, &text));
        Ok(match known {
            Some((_, known)) => known.clone(),
            None => T::unknown(text),
        })
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<T, E> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(parse(text)),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(bytes), &self)),
        }
    }
}

/// Implements a generated string enum's behaviour from its `VALUES` table (written in the open
/// beside it) and its `Unknown(String)` variant: [`StringEnum`], `as_str`, `From<&str>`,
/// `FromStr`, `Display`, `Serialize` and `Deserialize`, each forwarding to this module's generic
/// code. Takes the enum's name only; the expansion names only `::std`, `::serde` and
/// `crate::runtime`.
#[doc(hidden)]
#[macro_export]
// `crate::runtime` on purpose: the generated crate's path to this runtime, crate or vendored.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __string_enum {
    ($name:ident) => {
        impl crate::runtime::StringEnum for $name {
            fn known() -> &'static [(&'static str, Self)] {
                Self::VALUES
            }
            fn unknown(value: ::std::string::String) -> Self {
                Self::Unknown(value)
            }
            fn as_unknown(&self) -> ::std::option::Option<&str> {
                match self {
                    Self::Unknown(value) => ::std::option::Option::Some(value),
                    _ => ::std::option::Option::None,
                }
            }
        }
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                crate::runtime::enums::as_str(self)
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                crate::runtime::enums::parse(value)
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(crate::runtime::enums::parse(value))
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::enums::deserialize(deserializer)
            }
        }
    };
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    // What `string_enum!` writes (the macro itself is tested in `tests/string_enum.rs`, where
    // `crate::runtime` exists).
    #[derive(Debug, Clone, PartialEq)]
    enum Color {
        Red,
        DarkBlue,
        Unknown(String),
    }

    impl StringEnum for Color {
        fn known() -> &'static [(&'static str, Self)] {
            &[("red", Self::Red), ("dark_blue", Self::DarkBlue)]
        }
        fn unknown(value: String) -> Self {
            Self::Unknown(value)
        }
        fn as_unknown(&self) -> Option<&str> {
            match self {
                Self::Unknown(value) => Some(value),
                _ => None,
            }
        }
    }

    #[test]
    fn wire_text_both_ways() {
        assert_eq!(as_str(&Color::Red), "red");
        assert_eq!(as_str(&Color::DarkBlue), "dark_blue");
        assert_eq!(as_str(&Color::Unknown("teal".into())), "teal");
        assert_eq!(parse::<Color>("dark_blue"), Color::DarkBlue);
        assert_eq!(parse::<Color>("blue"), Color::Unknown("blue".into()));
    }

    #[test]
    fn deserializes_borrowed_escaped_and_owned_text() {
        let mut de = serde_json::Deserializer::from_str(r#""red""#);
        assert_eq!(deserialize::<Color, _>(&mut de).unwrap(), Color::Red);
        // An escape makes serde_json hand over a transient string.
        let mut de = serde_json::Deserializer::from_str(r#""dark\u005fblue""#);
        assert_eq!(deserialize::<Color, _>(&mut de).unwrap(), Color::DarkBlue);
        let owned = serde_json::json!("teal");
        assert_eq!(
            deserialize::<Color, _>(owned).unwrap(),
            Color::Unknown("teal".into())
        );
        let mut de = serde_json::Deserializer::from_str("1");
        assert!(deserialize::<Color, _>(&mut de).is_err());
    }
}
