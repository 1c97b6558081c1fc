//! The trait implementations every generated string enum shares, as one macro call per enum.

/// Implements `FromStr`, `Display`, `Serialize` and `Deserialize` for a generated string enum
/// through its `as_str` and `From<&str>`, so that generated code carries one line per enum
/// instead of four impls. The expansion names only `::std` and `::serde`.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum_traits {
    ($name:ident) => {
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
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(
                    deserializer,
                )?;
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

    impl Color {
        fn as_str(&self) -> &str {
            match self {
                Self::Red => "red",
                Self::Unknown(v) => v,
            }
        }
    }

    impl From<&str> for Color {
        fn from(value: &str) -> Self {
            match value {
                "red" => Self::Red,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }

    crate::string_enum_traits!(Color);

    #[test]
    fn round_trips_known_and_unknown_values() {
        assert_eq!("red".parse::<Color>(), Ok(Color::Red));
        assert_eq!(Color::Unknown("teal".into()).to_string(), "teal");
        let decoded: Vec<Color> = serde_json::from_str(r#"["red","teal"]"#).expect("decodes");
        assert_eq!(decoded, [Color::Red, Color::Unknown("teal".into())]);
        assert_eq!(
            serde_json::to_string(&decoded).expect("encodes"),
            r#"["red","teal"]"#
        );
    }
}
