//! Pagination driven by the response rather than a page number: a cursor or token the response
//! hands back (`next_page`, `next_cursor`, `result_info.cursors.after`, the last item's id when
//! `has_more`), the next page's URL (an RFC 8288 `Link: <...>; rel="next"` header, or a body field
//! such as `next_page_uri` or `links.pages.next`), or an offset advanced by the items received.
//!
//! The same guarantees as page numbers: the stream stops as soon as the response says it is the
//! last page (no next cursor, `has_more: false`, a short page), so no wasted trailing request;
//! it never loops forever (a cursor the server already gave is an [`Error::Pagination`], so a
//! server that ignores the cursor cannot silently truncate the list); it holds one page at a time.

use std::collections::HashSet;
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};

use futures_util::stream;
use reqwest::Url;

use super::error::{Error, Result};
use super::pagination::PageStream;
use super::platform::MaybeSend;
use super::response::ApiResponse;

/// One page as the generated code hands it over: the page (its items as the result) and where
/// the next page starts, `None` when the response says this is the last one.
pub type Step<T, I, C> = (ApiResponse<Vec<T>, I>, Option<C>);

/// Streams pages by cursor. `fetch(cursor)` requests the page at `cursor` (`None` for the first
/// page, or the caller's own starting cursor) and returns the page with the next cursor.
///
/// Stops after a page without a next cursor or without items. A next cursor equal to one already
/// requested yields [`Error::Pagination`] after the page, since following it would loop.
pub fn paginate_by<'a, T, I, C, F, Fut>(first: Option<C>, fetch: F) -> PageStream<'a, T, I>
where
    C: Hash + Send + 'a,
    F: FnMut(Option<C>) -> Fut + MaybeSend + 'a,
    Fut: Future<Output = Result<Step<T, I, C>>> + MaybeSend + 'a,
    T: Send + 'a,
    I: Send + 'a,
{
    let seen = first.as_ref().map(fingerprint);
    walk(first, seen, fetch)
}

/// Like [`paginate_by`] from the first page (`fetch(None)`), where `visited` is where that page
/// is (the first request's URL): a next cursor equal to it is [`Error::Pagination`] too.
pub fn paginate_after<'a, T, I, C, F, Fut>(visited: Option<C>, fetch: F) -> PageStream<'a, T, I>
where
    C: Hash + Send + 'a,
    F: FnMut(Option<C>) -> Fut + MaybeSend + 'a,
    Fut: Future<Output = Result<Step<T, I, C>>> + MaybeSend + 'a,
    T: Send + 'a,
    I: Send + 'a,
{
    walk(None, visited.as_ref().map(fingerprint), fetch)
}

/// The walk of [`paginate_by`], starting at `first`, with `visited` already seen.
fn walk<'a, T, I, C, F, Fut>(
    first: Option<C>,
    visited: Option<u64>,
    fetch: F,
) -> PageStream<'a, T, I>
where
    C: Hash + Send + 'a,
    F: FnMut(Option<C>) -> Fut + MaybeSend + 'a,
    Fut: Future<Output = Result<Step<T, I, C>>> + MaybeSend + 'a,
    T: Send + 'a,
    I: Send + 'a,
{
    let seen: HashSet<u64> = visited.into_iter().collect();
    let state = Walker {
        fetch,
        next: Some(Next::Fetch(first)),
        seen,
        previous: None,
    };
    let pages = stream::unfold(state, |mut state| async move {
        let cursor = match state.next.take()? {
            Next::Fetch(cursor) => cursor,
            Next::Fail(message) => return Some((Err(Error::Pagination(message)), state)),
        };
        match (state.fetch)(cursor).await {
            Err(error) => Some((Err(error), state)),
            Ok((page, next)) => {
                // A page identical to the one before: the server ignores the cursor or offset
                // (new cursors each time would otherwise never end the walk).
                let page_print = page.fingerprint();
                if page_print.is_some() && page_print == state.previous {
                    state.next = None;
                    let message = "the server returned the same page again; \
                                   the pages after the previous one were not fetched";
                    return Some((Err(Error::Pagination(message.to_owned())), state));
                }
                state.previous = page_print;
                state.next = match next {
                    _ if page.result().is_empty() => None,
                    None => None,
                    Some(c) if !state.seen.insert(fingerprint(&c)) => Some(Next::Fail(
                        "the server returned a cursor it had already given; \
                         the pages after this one were not fetched"
                            .to_owned(),
                    )),
                    Some(c) => Some(Next::Fetch(Some(c))),
                };
                Some((Ok(page), state))
            }
        }
    });
    PageStream {
        inner: Box::pin(pages),
    }
}

/// Where the next offset starts, for offset/limit pagination: `None` (the end) when the page was
/// empty, shorter than the `limit` asked for, or reached the `total` the response announced.
pub fn next_offset(
    offset: u64,
    received: usize,
    limit: Option<u64>,
    total: Option<u64>,
) -> Option<u64> {
    let received = u64::try_from(received).unwrap_or(u64::MAX);
    if received == 0 || limit.is_some_and(|l| received < l) {
        return None;
    }
    let next = offset.checked_add(received)?;
    if total.is_some_and(|t| next >= t) {
        return None;
    }
    Some(next)
}

/// The `rel="next"` target of the RFC 8288 `Link` headers of a response, if there is one.
pub fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(next_in)
}

/// The next page's URL made absolute: `next` resolved against the URL of the request whose
/// response gave it (RFC 3986 section 5, as RFC 8288 asks for `Link` targets). Left as it is
/// when there is no request URL or it does not resolve; sending it then fails with the reason.
pub fn resolve_next(request_url: Option<&Url>, next: &str) -> String {
    request_url
        .and_then(|base| base.join(next).ok())
        .map_or_else(|| next.to_owned(), String::from)
}

/// Finds `<url>; rel="next"` (or `rel=next`, or `rel="next last"`) in one header value.
fn next_in(value: &str) -> Option<String> {
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>')?;
        let url = &after[..close];
        let params_end = after[close..].find('<').map_or(after.len(), |i| close + i);
        let params = &after[close + 1..params_end];
        let is_next = params.split(';').any(|p| {
            let Some((name, v)) = p.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && v.trim()
                    .trim_end_matches(',')
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(url.to_owned());
        }
        rest = &after[params_end..];
    }
    None
}

enum Next<C> {
    Fetch(Option<C>),
    Fail(String),
}

struct Walker<F, C> {
    fetch: F,
    next: Option<Next<C>>,
    seen: HashSet<u64>,
    previous: Option<u64>,
}

fn fingerprint(cursor: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    cursor.hash(&mut h);
    h.finish()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::sync::{Arc, Mutex};

    use reqwest::StatusCode;

    use super::*;

    /// The cursors a scripted fetch was asked for, in order.
    type Asked = Arc<Mutex<Vec<Option<String>>>>;

    /// Pages served from a script: for each requested cursor, the items and the next cursor.
    fn scripted(
        script: Vec<(Vec<u32>, Option<&'static str>)>,
    ) -> (PageStream<'static, u32, ()>, Asked) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&asked);
        let mut script = script.into_iter();
        let pages = paginate_by(None, move |cursor: Option<String>| {
            log.lock().unwrap().push(cursor);
            let (items, next) = script.next().expect("no request beyond the script");
            async move {
                Ok((
                    ApiResponse::new(StatusCode::OK, items),
                    next.map(str::to_owned),
                ))
            }
        });
        (pages, asked)
    }

    #[tokio::test]
    async fn follows_cursors_and_stops_without_a_trailing_request() {
        let (pages, asked) = scripted(vec![
            (vec![1, 2], Some("b")),
            (vec![3], Some("c")),
            (vec![4], None),
        ]);
        let items = pages.items().try_collect().await.unwrap();
        assert_eq!(items, [1, 2, 3, 4]);
        assert_eq!(
            *asked.lock().unwrap(),
            [None, Some("b".to_owned()), Some("c".to_owned())]
        );
    }

    #[tokio::test]
    async fn an_empty_page_ends_the_list_even_with_a_cursor() {
        let (pages, asked) = scripted(vec![(vec![1], Some("b")), (vec![], Some("c"))]);
        assert_eq!(pages.items().try_collect().await.unwrap(), [1]);
        assert_eq!(asked.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_repeated_cursor_is_an_error_not_a_loop_or_a_silent_end() {
        let (mut pages, asked) = scripted(vec![(vec![1], Some("b")), (vec![2], Some("b"))]);
        assert!(pages.next().await.unwrap().is_ok());
        assert!(pages.next().await.unwrap().is_ok());
        let err = pages.next().await.unwrap().expect_err("loop detected");
        assert!(matches!(err, Error::Pagination(_)), "{err}");
        assert!(pages.next().await.is_none(), "the error ends the stream");
        assert_eq!(asked.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_cursor_back_to_the_first_page_is_an_error() {
        let mut script = vec![(vec![1], Some("b")), (vec![2], Some("a"))].into_iter();
        let mut pages = paginate_after(Some("a".to_owned()), move |_: Option<String>| {
            let (items, next) = script.next().expect("no request beyond the script");
            async move {
                Ok((
                    ApiResponse::<Vec<u32>, ()>::new(StatusCode::OK, items),
                    next.map(str::to_owned),
                ))
            }
        });
        assert!(pages.next().await.unwrap().is_ok());
        assert!(pages.next().await.unwrap().is_ok());
        let err = pages.next().await.unwrap().expect_err("back to the start");
        assert!(matches!(err, Error::Pagination(_)), "{err}");
        assert!(pages.next().await.is_none());
    }

    #[tokio::test]
    async fn a_repeated_page_with_new_cursors_is_an_error_not_endless() {
        // A server that ignores the offset: the same page every time, the offset growing.
        let pages = paginate_by(None, |offset: Option<u64>| async move {
            let page: ApiResponse<Vec<u32>, ()> =
                ApiResponse::new(StatusCode::OK, vec![1, 2]).with_fingerprint(7);
            Ok((page, Some(offset.unwrap_or(0) + 2)))
        });
        let mut items = pages.items();
        assert_eq!(items.next().await.unwrap().unwrap(), 1);
        assert_eq!(items.next().await.unwrap().unwrap(), 2);
        let err = items.next().await.unwrap().expect_err("repeat");
        assert!(matches!(err, Error::Pagination(_)), "{err}");
        assert!(items.next().await.is_none());
    }

    #[test]
    fn link_headers_give_the_next_page() {
        assert_eq!(
            next_in(r#"<https://a.b/x?page=2>; rel="next", <https://a.b/x?page=5>; rel="last""#),
            Some("https://a.b/x?page=2".to_owned())
        );
        assert_eq!(
            next_in(r#"<https://a.b/x?page=1>; rel="prev", </x?page=3>; rel=next"#),
            Some("/x?page=3".to_owned())
        );
        assert_eq!(
            next_in(r#"<https://a.b/y>; title="a, b"; rel="next last""#),
            Some("https://a.b/y".to_owned())
        );
        assert_eq!(next_in(r#"<https://a.b/x?page=1>; rel="prev""#), None);
        assert_eq!(next_in("garbage"), None);
    }

    #[test]
    fn next_urls_resolve_against_the_request_url() {
        let here = Url::parse("https://a.b/v1/things/list?page=1").unwrap();
        let at = |next: &str| resolve_next(Some(&here), next);
        assert_eq!(at("https://a.b/v1/x?page=2"), "https://a.b/v1/x?page=2");
        assert_eq!(
            at("/2010-04-01/Calls.json?Page=1"),
            "https://a.b/2010-04-01/Calls.json?Page=1"
        );
        assert_eq!(at("?page=2"), "https://a.b/v1/things/list?page=2");
        assert_eq!(at("more?page=2"), "https://a.b/v1/things/more?page=2");
        assert_eq!(at("../other"), "https://a.b/v1/other");
        assert_eq!(at("//elsewhere.example/x"), "https://elsewhere.example/x");
        assert_eq!(resolve_next(None, "/x?page=2"), "/x?page=2");
    }

    #[test]
    fn offsets_advance_by_what_was_received() {
        assert_eq!(next_offset(0, 10, Some(10), None), Some(10));
        assert_eq!(next_offset(10, 4, Some(10), None), None, "short page");
        assert_eq!(next_offset(10, 0, None, None), None, "empty page");
        assert_eq!(next_offset(0, 10, None, Some(10)), None, "total reached");
        assert_eq!(next_offset(0, 10, None, Some(25)), Some(10));
    }
}
