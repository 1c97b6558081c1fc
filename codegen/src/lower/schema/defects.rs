//! Spec defects tolerated with a warning and no effect on the output: a `default` of the wrong
//! type, and a `pattern` that is not a valid regular expression.

use serde_json::Value;

use super::Types;
use crate::load::child;

impl<'d> Types<'d> {
    /// Tolerates what strict validators reject, with a warning: a `default` of the wrong type
    /// and a `pattern` that is not a valid regular expression. Neither affects the output.
    pub(super) fn check_defects(&mut self, obj: &serde_json::Map<String, Value>, ptr: &str) {
        let ty = obj.get("type").and_then(Value::as_str);
        if let Some(d) = obj.get("default") {
            let ok = match ty {
                Some("boolean") => d.is_boolean(),
                Some("integer") => d.is_i64() || d.is_u64(),
                Some("number") => d.is_number(),
                Some("string") => d.is_string(),
                Some("array") => d.is_array(),
                Some("object") => d.is_object(),
                _ => true,
            };
            if !ok && !d.is_null() {
                self.warn(
                    &child(ptr, "default"),
                    format!(
                        "default {d} does not match type `{}`; ignored",
                        ty.unwrap_or_default()
                    ),
                );
            }
        }
        if let Some(Value::String(p)) = obj.get("pattern") {
            if !plausible_regex(p) {
                self.warn(
                    &child(ptr, "pattern"),
                    "`pattern` is not a valid regular expression; ignored (patterns are never enforced)",
                );
            }
        }
    }
}

/// A cheap validity check for a regular expression: brackets balance and it does not end in a
/// lone backslash. Enough to flag the broken patterns real specs contain.
fn plausible_regex(p: &str) -> bool {
    let mut depth: i64 = 0;
    let mut in_class = false;
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '\\' => {}
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0 && !in_class
}

#[cfg(test)]
mod tests {
    use super::plausible_regex;

    #[test]
    fn regex_plausibility() {
        assert!(plausible_regex("^[a-z0-9-]+$"));
        assert!(plausible_regex("^(a|b)\\)$"));
        assert!(!plausible_regex("^(a|b$"));
        assert!(!plausible_regex("[a-z"));
        assert!(!plausible_regex("abc\\"));
    }
}
