//! What every generated string enum implements, as one macro call per enum.

/// Implements `as_str`, `From<&str>`, `FromStr`, `Display`, `Serialize` and `Deserialize` for a
/// generated string enum from its table of variants and wire values, so that generated code
/// carries the table once instead of six impls. Values not in the table go to `Unknown(String)`.
/// The expansion names only `::std` and `::serde`.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
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
                let value =
                    <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_ref()))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq)]
    enum Color {
        Red,
        Unknown(String),
    }

    crate::string_enum!(Color { Red = "red" });

    #[test]
    fn round_trips_known_and_unknown_values() {
        assert_eq!("red".parse::<Color>(), Ok(Color::Red));
        assert_eq!(Color::Red.as_str(), "red");
        assert_eq!(Color::from("blue"), Color::Unknown("blue".into()));
        assert_eq!(Color::Unknown("teal".into()).to_string(), "teal");
        let decoded: Vec<Color> = serde_json::from_str(r#"["red","teal"]"#).expect("decodes");
        assert_eq!(decoded, [Color::Red, Color::Unknown("teal".into())]);
        assert_eq!(
            serde_json::to_string(&decoded).expect("encodes"),
            r#"["red","teal"]"#
        );
    }
}
