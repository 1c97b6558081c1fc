//! The page-number walk behind [`paginate`]: requests pages one by one and decides after each
//! whether to go on, with its stop rules as a pure function (`next_step`).

use std::future::Future;

use futures_util::stream;

use super::error::{Error, Result};
use super::pagination::{PageInfo, PageStream};
use super::platform::MaybeSend;
use super::response::ApiResponse;

/// Streams the pages of a page-numbered list.
///
/// `fetch(n)` requests page `n`, starting at `first_page`; `requested_per_page` is the page size
/// the caller asked for, if any. After each page the stream stops when:
///
/// - `result_info.total_pages` is known and the page just fetched is the last or beyond (when
///   only `total_count` and `result_info.per_page` are known, the page count is derived from
///   them), so no empty trailing request is made;
/// - the page is empty;
/// - the page count is unknown and the page is short: fewer items than `result_info.per_page`,
///   or, when the server did not say, than `requested_per_page` (a known page count wins over a
///   short page, which may come from a page size the server capped without saying so);
/// - `result_info.page` names a page other than the one requested (the page is still yielded if
///   it is the first one; a later one is dropped, as it repeats one already seen, and the stream
///   ends with [`Error::Pagination`]: the list could not be walked to its end);
/// - the page's payload is identical to the previous page's (a server that ignores `page`): the
///   repeat is dropped and the stream ends with [`Error::Pagination`].
///
/// An error from `fetch` is yielded once and ends the stream.
#[doc(hidden)]
pub fn paginate<'a, T, I, F, Fut>(
    first_page: u64,
    requested_per_page: Option<u64>,
    fetch: F,
) -> PageStream<'a, T, I>
where
    F: FnMut(u64) -> Fut + MaybeSend + 'a,
    Fut: Future<Output = Result<ApiResponse<Vec<T>, I>>> + MaybeSend + 'a,
    T: Send + 'a,
    I: PageInfo + Send + 'a,
{
    let state = Pager {
        fetch,
        next_page: Some(first_page),
        first_page,
        requested_per_page,
        previous_fingerprint: None,
    };
    let pages = stream::unfold(state, |mut state| async move {
        let page = state.next_page.take()?;
        match (state.fetch)(page).await {
            Err(error) => Some((Err(error), state)),
            Ok(response) => {
                let fingerprint = response.fingerprint();
                let view = PageView {
                    requested_page: page,
                    is_first: page == state.first_page,
                    item_count: response.result().len(),
                    info: response.result_info().map(InfoView::of),
                    requested_per_page: state.requested_per_page,
                    fingerprint,
                    previous_fingerprint: state.previous_fingerprint,
                };
                match next_step(&view) {
                    Step::Drop(reason) => {
                        // The rest of the list cannot be reached: say so rather than end as if
                        // complete, which would lose items silently.
                        tracing::debug!(page, reason, "pagination stopped; page dropped");
                        let message = format!(
                            "{reason} when asked for page {page}; that page and the ones after it were not fetched"
                        );
                        Some((Err(Error::Pagination(message)), state))
                    }
                    Step::Yield(next) => {
                        if next.is_none() {
                            tracing::debug!(page, "pagination reached the last page");
                        }
                        state.next_page = next;
                        state.previous_fingerprint = fingerprint;
                        Some((Ok(response), state))
                    }
                }
            }
        }
    });
    PageStream {
        inner: Box::pin(pages),
    }
}

/// The state carried between page requests.
struct Pager<F> {
    fetch: F,
    next_page: Option<u64>,
    first_page: u64,
    requested_per_page: Option<u64>,
    previous_fingerprint: Option<u64>,
}

/// The paging details that the stop rules read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct InfoView {
    page: Option<u64>,
    per_page: Option<u64>,
    total_pages: Option<u64>,
    total_count: Option<u64>,
}

impl InfoView {
    fn of(info: &impl PageInfo) -> Self {
        Self {
            page: info.page(),
            per_page: info.per_page(),
            total_pages: info.total_pages(),
            total_count: info.total_count(),
        }
    }
}

/// Everything the stop rules need to know about a page just fetched.
#[derive(Clone, Copy, Debug)]
struct PageView {
    requested_page: u64,
    is_first: bool,
    item_count: usize,
    info: Option<InfoView>,
    requested_per_page: Option<u64>,
    fingerprint: Option<u64>,
    previous_fingerprint: Option<u64>,
}

/// What to do with a page just fetched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Yield it, then request the given page, or stop after it.
    Yield(Option<u64>),
    /// Drop it (it duplicates what was already yielded) and stop.
    Drop(&'static str),
}

/// The stop rules, as a pure function.
fn next_step(view: &PageView) -> Step {
    let info = view.info.unwrap_or_default();
    if !view.is_first && view.fingerprint.is_some() && view.fingerprint == view.previous_fingerprint
    {
        return Step::Drop("the server returned the previous page again");
    }
    if info.page.is_some_and(|page| page != view.requested_page) {
        return if view.is_first {
            Step::Yield(None)
        } else {
            Step::Drop("the server answered for a different page")
        };
    }
    if view.item_count == 0 {
        return Step::Yield(None);
    }
    let reported_per_page = info.per_page.filter(|&n| n > 0);
    let total_pages = info.total_pages.or_else(|| {
        // Only the server's own page size is trusted here: it may have capped the requested one.
        let per_page = reported_per_page?;
        Some(info.total_count?.div_ceil(per_page))
    });
    if let Some(total) = total_pages {
        // The server's own page count decides. A page can be short without being the last (a
        // server that caps the page size without saying so, or drops items from a page after
        // paginating); stopping there would silently lose the rest of the list.
        return Step::Yield(if view.requested_page < total {
            view.requested_page.checked_add(1)
        } else {
            None
        });
    }
    let items = u64::try_from(view.item_count).unwrap_or(u64::MAX);
    let per_page = reported_per_page.or(view.requested_per_page.filter(|&n| n > 0));
    if per_page.is_some_and(|per_page| items < per_page) {
        return Step::Yield(None);
    }
    Step::Yield(view.requested_page.checked_add(1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use reqwest::StatusCode;

    use super::super::Error;
    use super::*;

    #[derive(Clone, Copy, Debug, Default)]
    struct Info {
        page: Option<u64>,
        per_page: Option<u64>,
        total_pages: Option<u64>,
        total_count: Option<u64>,
    }

    impl PageInfo for Info {
        fn page(&self) -> Option<u64> {
            self.page
        }
        fn per_page(&self) -> Option<u64> {
            self.per_page
        }
        fn total_pages(&self) -> Option<u64> {
            self.total_pages
        }
        fn total_count(&self) -> Option<u64> {
            self.total_count
        }
        fn count(&self) -> Option<u64> {
            None
        }
    }

    /// A page of items `start..start + len` with a fingerprint derived from its content.
    fn page(start: u64, len: u64, info: Info) -> ApiResponse<Vec<u64>, Info> {
        let items: Vec<u64> = (start..start + len).collect();
        let fingerprint = items
            .iter()
            .fold(len, |acc, item| acc.wrapping_mul(31).wrapping_add(*item));
        ApiResponse::new(StatusCode::OK, items)
            .with_result_info(info)
            .with_fingerprint(fingerprint)
    }

    /// Runs a pagination whose fetch is `respond(page)`, returning the items and the number of
    /// fetches made.
    async fn run(
        first_page: u64,
        requested_per_page: Option<u64>,
        respond: impl Fn(u64) -> Result<ApiResponse<Vec<u64>, Info>> + Send + Sync + 'static,
    ) -> (Vec<Result<u64>>, u64) {
        let calls = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&calls);
        let respond = Arc::new(respond);
        let mut items = paginate(first_page, requested_per_page, move |n| {
            counter.fetch_add(1, Ordering::SeqCst);
            let respond = Arc::clone(&respond);
            async move { respond(n) }
        })
        .items();
        let mut out = Vec::new();
        while let Some(item) = items.next().await {
            out.push(item);
            assert!(out.len() < 10_000, "runaway pagination");
        }
        (out, calls.load(Ordering::SeqCst))
    }

    fn ok_items(items: Vec<Result<u64>>) -> Vec<u64> {
        items.into_iter().map(|item| item.unwrap()).collect()
    }

    /// The items before the last, which must be `Error::Pagination` (the list is incomplete).
    fn items_then_incomplete(mut items: Vec<Result<u64>>) -> Vec<u64> {
        let last = items.pop().expect("an error at the end");
        assert!(matches!(last, Err(Error::Pagination(_))), "{last:?}");
        ok_items(items)
    }

    #[tokio::test]
    async fn three_pages_by_total_pages_make_exactly_three_calls() {
        let (items, calls) = run(1, Some(2), |n| {
            assert!(n <= 3, "page {n} must not be requested");
            Ok(page(
                (n - 1) * 2,
                2,
                Info {
                    page: Some(n),
                    per_page: Some(2),
                    total_pages: Some(3),
                    total_count: Some(6),
                },
            ))
        })
        .await;
        assert_eq!(ok_items(items), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(calls, 3);
    }

    #[tokio::test]
    async fn total_count_gives_the_last_page_when_total_pages_is_missing() {
        let (items, calls) = run(1, None, |n| {
            Ok(page(
                (n - 1) * 2,
                2,
                Info {
                    page: Some(n),
                    per_page: Some(2),
                    total_count: Some(4),
                    ..Info::default()
                },
            ))
        })
        .await;
        assert_eq!(ok_items(items), vec![0, 1, 2, 3]);
        assert_eq!(calls, 2);
    }

    #[tokio::test]
    async fn a_server_ignoring_page_stops_on_the_repeat() {
        // No result_info at all: only the fingerprint reveals the repeat.
        let (items, calls) = run(1, Some(3), |_| {
            Ok(ApiResponse::new(StatusCode::OK, vec![7, 8, 9]).with_fingerprint(99))
        })
        .await;
        assert_eq!(items_then_incomplete(items), vec![7, 8, 9]);
        assert_eq!(calls, 2);
    }

    #[tokio::test]
    async fn a_server_answering_for_another_page_stops() {
        let (items, calls) = run(1, Some(3), |n| {
            // The payload differs each time, but result_info always says page 1.
            Ok(page(
                n * 10,
                3,
                Info {
                    page: Some(1),
                    per_page: Some(3),
                    ..Info::default()
                },
            ))
        })
        .await;
        assert_eq!(items_then_incomplete(items), vec![10, 11, 12]);
        assert_eq!(calls, 2);
    }

    #[tokio::test]
    async fn empty_first_page() {
        let (items, calls) = run(1, Some(20), |_| {
            Ok(page(
                0,
                0,
                Info {
                    page: Some(1),
                    per_page: Some(20),
                    total_pages: Some(0),
                    total_count: Some(0),
                },
            ))
        })
        .await;
        assert!(items.is_empty());
        assert_eq!(calls, 1);
    }

    #[tokio::test]
    async fn empty_page_without_result_info_stops() {
        let (items, calls) = run(1, None, |n| {
            let len = if n < 3 { 2 } else { 0 };
            Ok(
                ApiResponse::new(StatusCode::OK, (0..len).map(|i| n * 10 + i).collect())
                    .with_fingerprint(n),
            )
        })
        .await;
        assert_eq!(ok_items(items), vec![10, 11, 20, 21]);
        assert_eq!(calls, 3);
    }

    #[tokio::test]
    async fn short_page_by_result_info_stops() {
        let (items, calls) = run(1, Some(50), |n| {
            let len = if n == 1 { 5 } else { 2 };
            Ok(page(
                n * 100,
                len,
                Info {
                    page: Some(n),
                    per_page: Some(5),
                    ..Info::default()
                },
            ))
        })
        .await;
        assert_eq!(ok_items(items), vec![100, 101, 102, 103, 104, 200, 201]);
        assert_eq!(
            calls, 2,
            "the server's per_page (5) wins over the requested 50"
        );
    }

    #[tokio::test]
    async fn a_known_page_count_wins_over_a_short_page() {
        // The server caps pages at 3 items without reporting `per_page`, but says there are 2
        // pages: stopping at the short first page would lose page 2.
        let (items, calls) = run(1, Some(5), |n| {
            assert!(n <= 2, "page {n} must not be requested");
            Ok(page(
                (n - 1) * 3,
                3,
                Info {
                    page: Some(n),
                    total_pages: Some(2),
                    ..Info::default()
                },
            ))
        })
        .await;
        assert_eq!(ok_items(items), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(calls, 2);
    }

    #[tokio::test]
    async fn short_page_by_requested_per_page_stops() {
        let (items, calls) = run(1, Some(2), |n| {
            let len = if n == 1 { 2 } else { 1 };
            Ok(
                ApiResponse::new(StatusCode::OK, (0..len).map(|i| n * 10 + i).collect())
                    .with_fingerprint(n),
            )
        })
        .await;
        assert_eq!(ok_items(items), vec![10, 11, 20]);
        assert_eq!(calls, 2);
    }

    #[tokio::test]
    async fn an_error_mid_stream_is_yielded_once_and_ends_it() {
        let (items, calls) = run(1, Some(2), |n| {
            if n == 2 {
                return Err(Error::Config("boom".into()));
            }
            Ok(page(n * 10, 2, Info::default()))
        })
        .await;
        assert_eq!(items.len(), 3);
        assert_eq!(*items[0].as_ref().unwrap(), 10);
        assert_eq!(*items[1].as_ref().unwrap(), 11);
        assert!(matches!(items[2], Err(Error::Config(_))));
        assert_eq!(calls, 2);
    }

    #[tokio::test]
    async fn an_error_on_the_first_page() {
        let (items, calls) = run(1, None, |_| Err(Error::Config("down".into()))).await;
        assert_eq!(items.len(), 1);
        assert!(items[0].is_err());
        assert_eq!(calls, 1);
    }

    #[tokio::test]
    async fn page_stream_yields_whole_pages_and_starts_where_asked() {
        let mut pages = paginate(3, Some(1), |n| async move {
            Ok::<_, Error>(page(
                n,
                1,
                Info {
                    page: Some(n),
                    per_page: Some(1),
                    total_pages: Some(4),
                    ..Info::default()
                },
            ))
        });
        let mut seen = Vec::new();
        while let Some(response) = pages.next().await {
            let response = response.unwrap();
            seen.push((response.result_info().unwrap().page, response.into_result()));
        }
        assert_eq!(seen, vec![(Some(3), vec![3]), (Some(4), vec![4])]);
    }

    #[tokio::test]
    async fn try_collect_gathers_all_items() {
        let items = paginate(1, Some(2), |n| async move {
            Ok::<_, Error>(page(n * 10, if n < 3 { 2 } else { 0 }, Info::default()))
        })
        .items()
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items, vec![10, 11, 20, 21]);
    }

    #[test]
    fn stop_rules_as_a_pure_function() {
        let base = PageView {
            requested_page: 2,
            is_first: false,
            item_count: 10,
            info: None,
            requested_per_page: None,
            fingerprint: Some(1),
            previous_fingerprint: Some(2),
        };
        assert_eq!(next_step(&base), Step::Yield(Some(3)));
        let repeat = PageView {
            previous_fingerprint: Some(1),
            ..base
        };
        assert!(matches!(next_step(&repeat), Step::Drop(_)));
        let unknown = PageView {
            fingerprint: None,
            previous_fingerprint: None,
            ..base
        };
        assert_eq!(next_step(&unknown), Step::Yield(Some(3)));
        let last = PageView {
            info: Some(InfoView {
                total_pages: Some(2),
                ..InfoView::default()
            }),
            ..base
        };
        assert_eq!(next_step(&last), Step::Yield(None));
        let past_last = PageView {
            info: Some(InfoView {
                total_pages: Some(1),
                ..InfoView::default()
            }),
            ..base
        };
        assert_eq!(next_step(&past_last), Step::Yield(None));
        let max = PageView {
            requested_page: u64::MAX,
            ..base
        };
        assert_eq!(next_step(&max), Step::Yield(None));
        let zero_per_page = PageView {
            info: Some(InfoView {
                per_page: Some(0),
                total_count: Some(100),
                ..InfoView::default()
            }),
            ..base
        };
        assert_eq!(next_step(&zero_per_page), Step::Yield(Some(3)));
        let first_mismatch = PageView {
            is_first: true,
            info: Some(InfoView {
                page: Some(1),
                ..InfoView::default()
            }),
            ..base
        };
        assert_eq!(next_step(&first_mismatch), Step::Yield(None));
    }

    #[test]
    fn page_stream_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let stream = paginate(1, None, |_| async {
            Ok::<_, Error>(ApiResponse::<Vec<u8>, ()>::new(StatusCode::OK, Vec::new()))
        });
        assert_send(&stream);
        assert_send(&stream.items());
    }
}
