//! Checks of request values against the spec's limits (lengths, ranges, list sizes), run before
//! anything is sent. Responses are never checked: a server may change its limits.

use super::error::{Error, Result};

fn invalid(parameter: &str, reason: String) -> Error {
    Error::InvalidRequest {
        parameter: parameter.to_owned(),
        reason,
    }
}

/// Fails when `value` has fewer than `min` or more than `max` characters.
pub fn length(parameter: &str, value: &str, min: Option<u64>, max: Option<u64>) -> Result<()> {
    // A UTF-8 text of n bytes has between n/4 (rounded up) and n characters: when both bounds
    // hold for those, the characters need not be counted.
    let bytes = value.len() as u64;
    if min.is_none_or(|m| bytes.div_ceil(4) >= m) && max.is_none_or(|m| bytes <= m) {
        return Ok(());
    }
    let len = value.chars().count() as u64;
    if let Some(min) = min.filter(|m| len < *m) {
        return Err(invalid(
            parameter,
            format!("is {len} characters long; the minimum is {min}"),
        ));
    }
    if let Some(max) = max.filter(|m| len > *m) {
        return Err(invalid(
            parameter,
            format!("is {len} characters long; the maximum is {max}"),
        ));
    }
    Ok(())
}

/// Fails when `value` is below `min` or above `max`.
pub fn range(parameter: &str, value: f64, min: Option<f64>, max: Option<f64>) -> Result<()> {
    if let Some(min) = min.filter(|m| value < *m) {
        return Err(invalid(
            parameter,
            format!("is {value}; the minimum is {min}"),
        ));
    }
    if let Some(max) = max.filter(|m| value > *m) {
        return Err(invalid(
            parameter,
            format!("is {value}; the maximum is {max}"),
        ));
    }
    Ok(())
}

/// Fails when a list has fewer than `min` or more than `max` items.
pub fn items(parameter: &str, len: usize, min: Option<u64>, max: Option<u64>) -> Result<()> {
    let len = len as u64;
    if let Some(min) = min.filter(|m| len < *m) {
        return Err(invalid(
            parameter,
            format!("has {len} items; the minimum is {min}"),
        ));
    }
    if let Some(max) = max.filter(|m| len > *m) {
        return Err(invalid(
            parameter,
            format!("has {len} items; the maximum is {max}"),
        ));
    }
    Ok(())
}

/// A parameter's or body field's limits from the spec, checked by [`Limited::check`]. Generated
/// crates keep one table of them (`crate::tables`) rather than a check per use.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Limit {
    /// `minLength` / `maxLength` of a string, in characters.
    Length(Option<u64>, Option<u64>),
    /// `minimum` / `maximum` of a number.
    Range(Option<f64>, Option<f64>),
    /// `minItems` / `maxItems` of an array.
    Items(Option<u64>, Option<u64>),
}

/// A value that can be checked against a [`Limit`]; a limit of another kind passes.
pub trait Limited {
    /// Fails with [`Error::InvalidRequest`] naming `parameter` when the value is outside `limit`.
    fn check(&self, parameter: &str, limit: &Limit) -> Result<()>;
}

impl Limited for str {
    fn check(&self, parameter: &str, limit: &Limit) -> Result<()> {
        match *limit {
            Limit::Length(min, max) => length(parameter, self, min, max),
            _ => Ok(()),
        }
    }
}

impl Limited for String {
    fn check(&self, parameter: &str, limit: &Limit) -> Result<()> {
        self.as_str().check(parameter, limit)
    }
}

impl<T> Limited for [T] {
    fn check(&self, parameter: &str, limit: &Limit) -> Result<()> {
        match *limit {
            Limit::Items(min, max) => items(parameter, self.len(), min, max),
            _ => Ok(()),
        }
    }
}

impl<T> Limited for Vec<T> {
    fn check(&self, parameter: &str, limit: &Limit) -> Result<()> {
        self.as_slice().check(parameter, limit)
    }
}

impl<T: Limited> Limited for Option<T> {
    fn check(&self, parameter: &str, limit: &Limit) -> Result<()> {
        self.as_ref().map_or(Ok(()), |v| v.check(parameter, limit))
    }
}

impl<T: Limited + ?Sized> Limited for Box<T> {
    fn check(&self, parameter: &str, limit: &Limit) -> Result<()> {
        (**self).check(parameter, limit)
    }
}

macro_rules! limited_number {
    ($($t:ty),*) => {$(
        impl Limited for $t {
            fn check(&self, parameter: &str, limit: &Limit) -> Result<()> {
                match *limit {
                    Limit::Range(min, max) => range(parameter, *self as f64, min, max),
                    _ => Ok(()),
                }
            }
        }
    )*};
}
limited_number!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(r: Result<()>) -> String {
        match r {
            Err(Error::InvalidRequest { parameter, reason }) => format!("{parameter} {reason}"),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn lengths_count_characters() {
        assert!(length("id", "ü".repeat(32).as_str(), None, Some(32)).is_ok());
        assert_eq!(
            reason(length("id", &"a".repeat(33), None, Some(32))),
            "id is 33 characters long; the maximum is 32"
        );
        assert_eq!(
            reason(length("id", "abc", Some(36), Some(36))),
            "id is 3 characters long; the minimum is 36"
        );
        // Bytes and characters differ: a bound that holds for the bytes alone is not trusted.
        assert!(length("id", "üü", Some(2), Some(2)).is_ok());
        assert!(length("id", "€€€€", Some(4), Some(4)).is_ok());
        assert_eq!(
            reason(length("id", "üü", Some(3), None)),
            "id is 2 characters long; the minimum is 3"
        );
        assert_eq!(
            reason(length("id", "üüü", None, Some(2))),
            "id is 3 characters long; the maximum is 2"
        );
    }

    #[test]
    fn ranges_and_items() {
        assert!(range("per_page", 5.0, Some(5.0), Some(50.0)).is_ok());
        assert_eq!(
            reason(range("per_page", 51.0, Some(5.0), Some(50.0))),
            "per_page is 51; the maximum is 50"
        );
        assert_eq!(
            reason(range("page", 0.0, Some(1.0), None)),
            "page is 0; the minimum is 1"
        );
        assert_eq!(
            reason(items("errors", 0, Some(1), None)),
            "errors has 0 items; the minimum is 1"
        );
        assert!(items("hostnames", 3, None, Some(3)).is_ok());
    }
}
