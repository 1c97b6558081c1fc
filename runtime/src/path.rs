//! Filling a path template such as `/zones/{zone_id}/client_certificates/{id}` with values,
//! each percent-encoded as exactly one path segment.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::error::Error;

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded, so a value
/// can never add a segment (`/`), start a query (`?`) or fragment (`#`), or smuggle an escape
/// (`%`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// RFC 3986's unreserved characters: the bytes [`SEGMENT`] leaves as they are.
fn is_unreserved(b: u8) -> bool {
    UNRESERVED[usize::from(b)]
}

/// [`is_unreserved`] as a table: one load per byte of a path value.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

/// Refuses values that cannot stand as one segment: empty (which would merge two segments),
/// `.` and `..` (which URL parsers resolve, escaping the intended path).
pub(super) fn check_segment(name: &str, value: &str) -> Result<(), Error> {
    let reason = match value {
        "" => "must not be empty",
        "." | ".." => "must not be `.` or `..`",
        _ => return Ok(()),
    };
    Err(Error::InvalidRequest {
        parameter: name.to_owned(),
        reason: reason.to_owned(),
    })
}

/// Whether `template` has the placeholder `{name}` (without building that string).
fn has_placeholder(template: &str, name: &str) -> bool {
    template.match_indices(name).any(|(at, _)| {
        template[..at].ends_with('{') && template[at + name.len()..].starts_with('}')
    })
}

/// Fills `template` with `params`, encoding each value as one segment, after what `path` holds
/// (a prefix, such as the base URL's path).
///
/// Every `{name}` must have a value and every value must have a `{name}`; a name given twice
/// uses its last value. What is appended always starts with `/`. One pass over the template:
/// which values were used is kept in a bit set, and the template is searched for a name only
/// when an error is to be reported.
pub(super) fn render_path_into(
    path: &mut String,
    template: &str,
    params: &[(&str, String)],
) -> Result<(), Error> {
    let not_in_template = |params: &[(&str, String)]| {
        params
            .iter()
            .find(|(name, _)| !has_placeholder(template, name))
            .map(|(name, _)| Error::InvalidRequest {
                parameter: (*name).to_owned(),
                reason: format!("is not a parameter of the path `{template}`"),
            })
    };
    // Values in order, as a caller reads them: a name not in the template before it is
    // reported first.
    for (i, (name, value)) in params.iter().enumerate() {
        if let Err(error) = check_segment(name, value) {
            return Err(not_in_template(&params[..i]).unwrap_or(error));
        }
    }
    if params.len() > 64 {
        if let Some(error) = not_in_template(params) {
            return Err(error);
        }
    }
    let mut used: u64 = 0;
    if !template.starts_with('/') {
        path.push('/');
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(
                not_in_template(params).unwrap_or_else(|| Error::InvalidRequest {
                    parameter: template.to_owned(),
                    reason: "the path template has an unclosed `{`".to_owned(),
                }),
            );
        };
        let name = &after[..close];
        let Some(index) = params.iter().rposition(|(given, _)| *given == name) else {
            return Err(
                not_in_template(params).unwrap_or_else(|| Error::InvalidRequest {
                    parameter: name.to_owned(),
                    reason: "is required but was not given".to_owned(),
                }),
            );
        };
        used |= 1u64.checked_shl(index as u32).unwrap_or(0);
        // Pieces straight into the path: no `String` per value, no formatter. Most values (ids)
        // need no escape at all, and a plain scan finds that faster than the encoder.
        let value = params[index].1.as_str();
        if value.bytes().all(is_unreserved) {
            path.push_str(value);
        } else {
            path.extend(utf8_percent_encode(value, SEGMENT));
        }
        rest = &after[close + 1..];
    }
    path.push_str(rest);
    // A value whose name is not in the template (a name given twice counts once, by its last).
    let unused = params.iter().enumerate().take(64).any(|(i, (name, _))| {
        used & (1 << i) == 0 && !params[i + 1..].iter().any(|(later, _)| later == name)
    });
    if unused {
        if let Some(error) = not_in_template(params) {
            return Err(error);
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_leaves_exactly_what_the_encoder_leaves() {
        for b in 0..128u8 {
            let text = char::from(b).to_string();
            let left = utf8_percent_encode(&text, SEGMENT).to_string() == text;
            assert_eq!(is_unreserved(b), left, "byte {b}");
        }
        // Bytes of non-ASCII characters are always encoded.
        assert!((128..=u8::MAX).all(|b| !is_unreserved(b)));
    }

    fn render_path(template: &str, params: &[(&str, String)]) -> Result<String, Error> {
        let mut path = String::new();
        render_path_into(&mut path, template, params)?;
        Ok(path)
    }

    const TEMPLATE: &str = "/zones/{zone_id}/client_certificates/{client_certificate_id}";

    fn params(zone: &str, id: &str) -> Vec<(&'static str, String)> {
        vec![
            ("zone_id", zone.to_owned()),
            ("client_certificate_id", id.to_owned()),
        ]
    }

    #[test]
    fn fills_plain_values() {
        assert_eq!(
            render_path(
                TEMPLATE,
                &params("023e105f4ecef8ad9ca31a8372d0c353", "abc-1_2.3~")
            )
            .unwrap(),
            "/zones/023e105f4ecef8ad9ca31a8372d0c353/client_certificates/abc-1_2.3~"
        );
    }

    /// One value rendered as the only segment of a path.
    fn encode_segment(value: &str) -> String {
        render_path("/{v}", &[("v", value.to_owned())]).unwrap()[1..].to_owned()
    }

    #[test]
    fn encodes_every_reserved_character() {
        assert_eq!(encode_segment("a/b"), "a%2Fb");
        assert_eq!(encode_segment("../etc"), "..%2Fetc");
        assert_eq!(encode_segment("a?b#c"), "a%3Fb%23c");
        assert_eq!(encode_segment("100%"), "100%25");
        assert_eq!(encode_segment("a b+c"), "a%20b%2Bc");
        assert_eq!(encode_segment("é"), "%C3%A9");
        assert_eq!(encode_segment(";,=&@:"), "%3B%2C%3D%26%40%3A");
        assert_eq!(
            render_path(TEMPLATE, &params("z", "a/b")).unwrap(),
            "/zones/z/client_certificates/a%2Fb"
        );
    }

    #[test]
    fn refuses_empty_and_dot_segments() {
        for bad in ["", ".", ".."] {
            let err = render_path(TEMPLATE, &params("z", bad)).unwrap_err();
            match err {
                Error::InvalidRequest { parameter, .. } => {
                    assert_eq!(parameter, "client_certificate_id")
                }
                other => panic!("expected InvalidRequest for {bad:?}, got {other:?}"),
            }
        }
        // Dots inside a longer value are ordinary characters.
        assert!(render_path(TEMPLATE, &params("z", "...")).is_ok());
        assert!(render_path(TEMPLATE, &params("z", ".hidden")).is_ok());
    }

    #[test]
    fn missing_unknown_and_repeated_parameters() {
        let err = render_path(TEMPLATE, &[("zone_id", "z".to_owned())]).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "client_certificate_id"),
            "{err:?}"
        );
        let mut extra = params("z", "c");
        extra.push(("bogus", "x".to_owned()));
        let err = render_path(TEMPLATE, &extra).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "bogus"),
            "{err:?}"
        );
        // Values are checked in order: a name not in the template before an empty value is
        // the error.
        let mut first = vec![("bogus", "x".to_owned())];
        first.extend(params("z", ""));
        let err = render_path(TEMPLATE, &first).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "bogus"),
            "{err:?}"
        );
        let mut twice = params("z", "old");
        twice.push(("client_certificate_id", "new".to_owned()));
        assert_eq!(
            render_path(TEMPLATE, &twice).unwrap(),
            "/zones/z/client_certificates/new"
        );
    }

    #[test]
    fn templates_without_parameters_or_leading_slash() {
        assert_eq!(render_path("/user", &[]).unwrap(), "/user");
        assert_eq!(
            render_path("user/{id}", &[("id", "1".into())]).unwrap(),
            "/user/1"
        );
        assert!(matches!(
            render_path("/broken/{id", &[]),
            Err(Error::InvalidRequest { .. })
        ));
    }
}
