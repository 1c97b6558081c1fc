//! A thin blocking façade (cargo feature `blocking`): a private current-thread tokio runtime that
//! drives the async client's futures and streams to completion.
//!
//! Every generated operation returns a future, and every list a stream; this module does not
//! duplicate them. Instead, wrap the call:
//!
//! ```text
//! let rt = BlockingRuntime::new()?;
//! // Any request builder or future that yields a `Result`:
//! let response = rt.block_on(client.some_operation(args))?;
//! // Any stream of `Result`s, such as a pagination stream's items:
//! for item in rt.iter(client.some_list_operation(args).items()) {
//!     let item = item?;
//! }
//! ```
//!
//! Calling these methods from inside an async runtime would deadlock or panic in tokio, so it is
//! refused with [`Error::Config`] instead.

use std::future::IntoFuture;
use std::pin::Pin;

use futures_core::Stream;

use super::error::{Error, Result};

/// A single-threaded runtime that runs the client's futures to completion on the calling thread.
#[derive(Debug)]
pub struct BlockingRuntime {
    runtime: tokio::runtime::Runtime,
}

impl BlockingRuntime {
    /// Starts the runtime (with its I/O and timer drivers).
    pub fn new() -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| Error::Config(format!("could not start a tokio runtime: {error}")))?;
        Ok(Self { runtime })
    }

    /// Runs a request (anything that can be awaited to a `Result`) to completion.
    pub fn block_on<T, F>(&self, request: F) -> Result<T>
    where
        F: IntoFuture<Output = Result<T>>,
    {
        check_not_async()?;
        self.runtime.block_on(request.into_future())
    }

    /// Turns a stream of results (such as a pagination stream) into a blocking iterator.
    pub fn iter<S>(&self, stream: S) -> BlockingIter<'_, S>
    where
        S: Stream + Unpin,
    {
        BlockingIter {
            runtime: self,
            stream,
            refused: false,
        }
    }
}

/// A blocking iterator over a stream of results, from [`BlockingRuntime::iter`].
#[derive(Debug)]
pub struct BlockingIter<'r, S> {
    runtime: &'r BlockingRuntime,
    stream: S,
    refused: bool,
}

impl<T, S> Iterator for BlockingIter<'_, S>
where
    S: Stream<Item = Result<T>> + Unpin,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.refused {
            return None;
        }
        if let Err(error) = check_not_async() {
            self.refused = true;
            return Some(Err(error));
        }
        let stream = &mut self.stream;
        self.runtime.runtime.block_on(std::future::poll_fn(|cx| {
            Pin::new(&mut *stream).poll_next(cx)
        }))
    }
}

/// Refuses blocking calls made from inside an async runtime.
fn check_not_async() -> Result<()> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Config(
            "a blocking call was made from inside an async runtime; `.await` the request instead"
                .into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::pagination::paginate;
    use super::super::{ApiResponse, StatusCode};
    use super::*;

    #[test]
    fn runs_futures_and_streams() {
        let rt = BlockingRuntime::new().unwrap();
        assert_eq!(rt.block_on(async { Ok::<_, Error>(5) }).unwrap(), 5);
        let items = paginate(1, Some(2), |n| async move {
            let len = if n < 3 { 2 } else { 1 };
            Ok::<_, Error>(
                ApiResponse::<Vec<u64>, ()>::new(
                    StatusCode::OK,
                    (0..len).map(|i| n * 10 + i).collect(),
                )
                .with_fingerprint(n),
            )
        })
        .items();
        let collected: Result<Vec<u64>> = rt.iter(items).collect();
        assert_eq!(collected.unwrap(), vec![10, 11, 20, 21, 30]);
    }

    #[tokio::test]
    async fn refuses_to_block_inside_a_runtime() {
        let rt = std::thread::spawn(|| BlockingRuntime::new().unwrap())
            .join()
            .unwrap();
        let err = rt.block_on(async { Ok::<_, Error>(1) }).unwrap_err();
        assert!(matches!(err, Error::Config(_)));
        let items = paginate(1, None, |_| async {
            Ok::<_, Error>(ApiResponse::<Vec<u8>, ()>::new(StatusCode::OK, Vec::new()))
        })
        .items();
        let results: Vec<_> = rt.iter(items).collect();
        assert_eq!(results.len(), 1);
        assert!(results[0].is_err());
        // Dropping a runtime inside another is not allowed either; hand it back to a thread.
        std::thread::spawn(move || drop(rt)).join().unwrap();
    }
}
