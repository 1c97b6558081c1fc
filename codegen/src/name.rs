//! [`Name`]: a Rust identifier decided by lowering, as the IR holds it.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

/// A Rust identifier decided by lowering, stored raw (`r#type` for a keyword).
///
/// [`raw`](Name::raw) is how it is written in code; [`bare`](Name::bare) drops the `r#`, for
/// file names, docs and names derived from it. As tokens it is an identifier (a raw one for a
/// keyword). Ordering, equality and hashing are those of the raw text, so a `Name` can be looked
/// up by `&str` in sorted and hashed collections.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(String);

impl Name {
    /// A name lowering already made a valid identifier (by the `naming` module).
    pub fn new(name: impl Into<String>) -> Self {
        let name = name.into();
        debug_assert!(is_valid(&name), "not a valid Rust identifier: {name:?}");
        Self(name)
    }

    /// The identifier as written in code: `r#type`.
    pub fn raw(&self) -> &str {
        &self.0
    }

    /// The identifier without a raw prefix: `type`.
    pub fn bare(&self) -> &str {
        crate::naming::bare(&self.0)
    }

    /// The identifier token ([`ToTokens`] appends the same).
    pub fn ident(&self) -> Ident {
        ident(&self.0)
    }
}

/// Whether `name` (possibly `r#`-prefixed) is a valid identifier.
fn is_valid(name: &str) -> bool {
    let bare = crate::naming::bare(name);
    !bare.is_empty()
        && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !bare.starts_with(|c: char| c.is_ascii_digit())
        && bare != "_"
}

/// An identifier token from a name the naming module produced (`r#type` becomes a raw
/// identifier). Anything that is still not a valid identifier is replaced rather than allowed to
/// panic.
pub(crate) fn ident(name: &str) -> Ident {
    if !is_valid(name) {
        return Ident::new("invalid_name", Span::call_site());
    }
    match name.strip_prefix("r#") {
        Some(bare) => Ident::new_raw(bare, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

impl ToTokens for Name {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append(self.ident());
    }
}

/// The raw form, as written in code.
impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The raw form, so a `Name` reads as the `&str` a function takes (`naming::bare(&f.name)`).
impl Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl From<Name> for String {
    fn from(name: Name) -> Self {
        name.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_and_bare_forms() {
        let n = Name::new("r#type");
        assert_eq!(n.raw(), "r#type");
        assert_eq!(n.bare(), "type");
        assert_eq!(n.to_string(), "r#type");
        assert_eq!(n.to_token_stream().to_string(), "r#type");
        let n = Name::new("zone_id");
        assert_eq!(n.bare(), "zone_id");
        assert_eq!(n.to_token_stream().to_string(), "zone_id");
        assert!(n == "zone_id");
    }

    #[test]
    fn invalid_text_becomes_a_placeholder() {
        assert_eq!(ident("a-b").to_string(), "invalid_name");
        assert_eq!(ident("r#").to_string(), "invalid_name");
        assert_eq!(ident("_").to_string(), "invalid_name");
        assert_eq!(ident("9a").to_string(), "invalid_name");
    }
}
