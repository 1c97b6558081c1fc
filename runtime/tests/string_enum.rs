//! `string_enum!` expanded the way a generated crate expands it: the enum and its `VALUES` table
//! in the open, the macro given the name only, `crate::runtime` naming this runtime.
#![allow(clippy::expect_used)]

use openapi_client_runtime as runtime;

/// A generated-style string enum.
#[derive(Debug, Clone, PartialEq)]
enum Color {
    Red,
    DarkBlue,
    Unknown(String),
}

impl Color {
    const VALUES: &'static [(&'static str, Self)] =
        &[("red", Self::Red), ("dark_blue", Self::DarkBlue)];
}

runtime::string_enum!(Color);

#[test]
fn round_trips_known_and_unknown_values() {
    assert_eq!("red".parse::<Color>(), Ok(Color::Red));
    assert_eq!(Color::DarkBlue.as_str(), "dark_blue");
    assert_eq!(Color::from("blue"), Color::Unknown("blue".into()));
    assert_eq!(Color::Unknown("teal".into()).to_string(), "teal");
    let decoded: Vec<Color> =
        serde_json::from_str(r#"["red","teal","dark_blue"]"#).expect("decodes");
    assert_eq!(
        decoded,
        [Color::Red, Color::Unknown("teal".into()), Color::DarkBlue]
    );
    assert_eq!(
        serde_json::to_string(&decoded).expect("encodes"),
        r#"["red","teal","dark_blue"]"#
    );
}
