//! The streams a paginated list yields: [`PageStream`] (whole pages) and [`ItemStream`] (their
//! items, fetched a page at a time), and the [`PageInfo`] a page's `result_info` offers.
//!
//! Page-number lists stop at the right moment: on the last page announced by `result_info`, on
//! an empty or short page, or when the server repeats a page or answers for a page other than the
//! one asked for. They never loop forever and hold one page at a time.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::StreamExt;

use super::error::Result;
use super::response::ApiResponse;

#[doc(hidden)]
pub use super::pagination_numbers::paginate;

/// Paging details from an envelope's `result_info`. Generated code implements this for the
/// spec's result-info type; every value is optional because servers omit some.
pub trait PageInfo {
    /// The page number this response holds.
    fn page(&self) -> Option<u64>;
    /// How many items a full page holds.
    fn per_page(&self) -> Option<u64>;
    /// How many pages there are.
    fn total_pages(&self) -> Option<u64>;
    /// How many items there are on all pages.
    fn total_count(&self) -> Option<u64>;
    /// How many items this page holds.
    fn count(&self) -> Option<u64>;
}

/// Responses without paging details never announce a last page.
impl PageInfo for () {
    fn page(&self) -> Option<u64> {
        None
    }
    fn per_page(&self) -> Option<u64> {
        None
    }
    fn total_pages(&self) -> Option<u64> {
        None
    }
    fn total_count(&self) -> Option<u64> {
        None
    }
    fn count(&self) -> Option<u64> {
        None
    }
}

/// The outcome of one page request: the page's items with its metadata, or the error.
pub type PageResult<T, I> = Result<ApiResponse<Vec<T>, I>>;

/// A stream of pages, each a [`ApiResponse`] whose result is the page's items. An error is
/// yielded once and ends the stream. Use [`PageStream::items`] to stream the items instead.
pub struct PageStream<'a, T, I> {
    pub(super) inner: super::platform::BoxStream<'a, PageResult<T, I>>,
}

impl<'a, T: Send + 'a, I: Send + 'a> PageStream<'a, T, I> {
    /// Streams the items of every page in order, fetching the next page only when the current
    /// one is used up.
    pub fn items(self) -> ItemStream<'a, T, I> {
        ItemStream {
            pages: self,
            current: Vec::new().into_iter(),
            done: false,
        }
    }

    /// The next page, or `None` when there are no more. (The same as `StreamExt::next`, without
    /// importing it.)
    pub async fn next(&mut self) -> Option<PageResult<T, I>> {
        StreamExt::next(self).await
    }
}

impl<T, I> Stream for PageStream<'_, T, I> {
    type Item = PageResult<T, I>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T, I> std::fmt::Debug for PageStream<'_, T, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageStream").finish_non_exhaustive()
    }
}

/// A stream of the items of every page, from [`PageStream::items`]. An error is yielded once
/// and ends the stream.
pub struct ItemStream<'a, T, I> {
    pages: PageStream<'a, T, I>,
    current: std::vec::IntoIter<T>,
    done: bool,
}

// The items are moved out by value and never pinned, so the stream may move freely.
impl<T, I> Unpin for ItemStream<'_, T, I> {}

impl<'a, T: Send + 'a, I: Send + 'a> ItemStream<'a, T, I> {
    /// The next item, or `None` when there are no more. (The same as `StreamExt::next`, without
    /// importing it.)
    pub async fn next(&mut self) -> Option<Result<T>> {
        StreamExt::next(self).await
    }

    /// Collects every item, or returns the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<T, I> Stream for ItemStream<'_, T, I> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(page))) => this.current = page.into_result().into_iter(),
                Poll::Ready(Some(Err(error))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => this.done = true,
            }
        }
    }
}

impl<T, I> std::fmt::Debug for ItemStream<'_, T, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream")
            .field("buffered", &self.current.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
