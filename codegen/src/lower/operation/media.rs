//! Media types: a media type without its parameters, and whether it is JSON.

/// A media type without its parameters, in lower case (`application/json; charset=utf-8` is
/// `application/json`).
pub(in crate::lower) fn media_base(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

pub(super) fn is_json(media: &str) -> bool {
    let m = media_base(media);
    m == "application/json" || m.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("multipart/form-data"));
    }
}
