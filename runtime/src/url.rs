//! The URL of one request: the base URL, the filled path template and the query parameters,
//! or the next page's link (only on the base URL's origin, so credentials never leave it).

use reqwest::Url;

use super::error::{Error, Result};
use super::path;

/// The URL of the next page (absolute; pagination resolves a relative one against the URL of the
/// response that gave it, and a bare relative one here against the base URL), with the
/// credentials' query values added. A link to another origin is refused: credentials must not follow it there.
pub(crate) fn link_url<'q>(
    base: &Url,
    link: &str,
    auth_query: impl Iterator<Item = &'q (String, String)>,
) -> Result<Url> {
    let refuse = |reason: String| Error::InvalidRequest {
        parameter: "Link".to_owned(),
        reason,
    };
    let mut url = base
        .join(link)
        .map_err(|e| refuse(format!("the next page's link is not a URL: {e}")))?;
    if url.origin() != base.origin() {
        return Err(refuse(
            "the next page's link points at another origin than the base URL".to_owned(),
        ));
    }
    let mut auth_query = auth_query.peekable();
    if auth_query.peek().is_some() {
        let present: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        let mut pairs = url.query_pairs_mut();
        for (name, value) in auth_query.filter(|(n, _)| !present.contains(n)) {
            pairs.append_pair(name, value);
        }
    }
    Ok(url)
}

/// Joins the base URL, the filled path template and the query parameters (form-encoded, in
/// order). The base URL was parsed once, when the client was built: only the path is parsed
/// here.
pub(crate) fn build_url<'q>(
    base: &Url,
    template: &str,
    path_params: &[(&'static str, String)],
    query: impl Iterator<Item = &'q (String, String)>,
) -> Result<Url> {
    let prefix = base.path().trim_end_matches('/');
    let mut path = String::with_capacity(prefix.len() + template.len() + 32);
    path.push_str(prefix);
    path::render_path_into(&mut path, template, path_params)?;
    // A template with its own query or fragment (`/items?beta=true`, which some specs have) is
    // parsed whole, so that `?` starts the query as it would in the spec; `set_path` would
    // escape it. Path values never hold a raw `?` or `#` (they are percent-encoded), nor does
    // a parsed base URL's path, so only the template is searched.
    let mut url = if template.bytes().any(|b| matches!(b, b'?' | b'#')) {
        let origin = base.as_str().trim_end_matches('/');
        let prefix_at = origin.len() - prefix.len();
        Url::parse(&format!("{}{path}", &origin[..prefix_at])).map_err(|error| {
            Error::InvalidRequest {
                parameter: "path".to_owned(),
                reason: format!("does not form a valid URL: {error}"),
            }
        })?
    } else {
        let mut url = base.clone();
        url.set_path(&path);
        url
    };
    let mut query = query.peekable();
    if query.peek().is_some() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in query {
            pairs.append_pair(name, value);
        }
    }
    Ok(url)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "/zones/{zone_id}/client_certificates/{client_certificate_id}";

    fn base(url: &str) -> Url {
        Url::parse(url).unwrap()
    }

    #[test]
    fn urls_keep_query_order_and_encode_segments() {
        let query = [
            ("status".to_owned(), "all".to_owned()),
            ("page".to_owned(), "2".to_owned()),
            ("tag".to_owned(), "a b&c".to_owned()),
            ("tag".to_owned(), "d".to_owned()),
        ];
        let url = build_url(
            &base("https://api.cloudflare.com/client/v4"),
            TEMPLATE,
            &[
                ("zone_id", "z1".to_owned()),
                ("client_certificate_id", "../x?y#z".to_owned()),
            ],
            query.iter(),
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.cloudflare.com/client/v4/zones/z1/client_certificates/..%2Fx%3Fy%23z?status=all&page=2&tag=a+b%26c&tag=d"
        );
        let url = build_url(
            &base("http://127.0.0.1:1"),
            "/zones/{zone_id}/client_certificates",
            &[("zone_id", "z".to_owned())],
            [].iter(),
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:1/zones/z/client_certificates"
        );
        // A template's own query stays a query, before the operation's parameters.
        let url = build_url(
            &base("https://api.example.com/v1/"),
            "/responses/{id}/input_items?beta=true",
            &[("id", "r 1".to_owned())],
            query[..1].iter(),
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.com/v1/responses/r%201/input_items?beta=true&status=all"
        );
    }

    #[test]
    fn links_stay_on_the_origin_and_keep_query_credentials() {
        let base = &base("https://api.example.com/v1");
        let auth = [("key".to_owned(), "k1".to_owned())];
        let url = link_url(base, "/v1/items?page=2", auth.iter()).unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.com/v1/items?page=2&key=k1"
        );
        let url = link_url(
            base,
            "https://api.example.com/v1/items?key=mine",
            auth.iter(),
        )
        .unwrap();
        assert_eq!(url.as_str(), "https://api.example.com/v1/items?key=mine");
        for other in [
            "https://evil.example.com/v1/items",
            "http://api.example.com/v1/items",
        ] {
            let err = link_url(base, other, auth.iter()).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "Link"),
                "{err:?}"
            );
        }
    }
}
