//! What differs between native targets and wasm32 (a browser or a worker): the HTTP client,
//! the retry wait and the wall clock.
//!
//! On native targets reqwest runs on hyper with rustls (`tls.rs`), the wait is tokio's timer and
//! the clock is the system's. On wasm32 reqwest calls the browser's `fetch`, which does TLS with
//! the browser's own certificates; the standard library has no timer or clock there
//! (`SystemTime::now()` panics), so the wait is the JavaScript timer (`setTimeout`, through
//! `gloo-timers`) and the clock is `Date.now()`.
//!
//! What the browser decides on wasm32: there is no connect timeout (the per-attempt timeout,
//! which aborts the fetch, still applies); proxies are the browser's; and redirects are followed
//! by the browser, which drops `Authorization` on a redirect to another origin but keeps other
//! headers (API keys in a header), as the fetch standard says.

use std::pin::Pin;
use std::time::{Duration, SystemTime};

use futures_core::Stream;

use super::error::Error;

/// `Send` on native targets; on wasm32, where the browser's futures are not `Send`, any type.
/// Bounds of futures and closures that the pagination streams hold use it.
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + ?Sized> MaybeSend for T {}
/// `Send` on native targets; on wasm32, where the browser's futures are not `Send`, any type.
/// Bounds of futures and closures that the pagination streams hold use it.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSend for T {}

/// A boxed stream, `Send` except on wasm32 (see [`MaybeSend`]).
#[cfg(not(target_arch = "wasm32"))]
pub(super) type BoxStream<'a, T> = Pin<Box<dyn Stream<Item = T> + Send + 'a>>;
/// A boxed stream, `Send` except on wasm32 (see [`MaybeSend`]).
#[cfg(target_arch = "wasm32")]
pub(super) type BoxStream<'a, T> = Pin<Box<dyn Stream<Item = T> + 'a>>;

/// The reqwest builder of the built-in HTTP client: rustls with the system's roots (see
/// `tls.rs`), a connect timeout, and no redirects.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn http_builder(
    connect_timeout: Duration,
    needs_roots: bool,
) -> Result<reqwest::ClientBuilder, Error> {
    let tls = super::tls::client_config(needs_roots)?;
    Ok(reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        // Redirects are not followed: the API does not use them, and following one to another
        // host would forward the `X-Auth-*` credentials.
        .redirect(reqwest::redirect::Policy::none())
        .tls_backend_preconfigured(tls))
}

/// Gives the built-in HTTP client the attempt timeout as its own, so that a request with that
/// timeout needs no per-request setting (reqwest keeps one in the request's extensions, an
/// allocation per request): the builder, and the timeout the client now applies by itself.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn with_total_timeout(
    builder: reqwest::ClientBuilder,
    timeout: Duration,
) -> (reqwest::ClientBuilder, Option<Duration>) {
    (builder.timeout(timeout), Some(timeout))
}

/// On wasm32 every request carries its own timeout, as `fetch` has no client-wide one.
#[cfg(target_arch = "wasm32")]
pub(super) fn with_total_timeout(
    builder: reqwest::ClientBuilder,
    _timeout: Duration,
) -> (reqwest::ClientBuilder, Option<Duration>) {
    (builder, None)
}

/// The reqwest builder of the built-in HTTP client on wasm32: the browser's `fetch`, which has no
/// connect timeout and no TLS settings of ours (see the module docs).
#[cfg(target_arch = "wasm32")]
pub(super) fn http_builder(
    _connect_timeout: Duration,
    _needs_roots: bool,
) -> Result<reqwest::ClientBuilder, Error> {
    Ok(reqwest::Client::builder())
}

/// Whether a transport error happened while connecting, before anything was sent.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn is_connect(error: &reqwest::Error) -> bool {
    error.is_connect()
}

/// Whether a transport error happened while connecting: never known on wasm32, where `fetch`
/// does not say (so a failed POST is not retried).
#[cfg(target_arch = "wasm32")]
pub(super) fn is_connect(_error: &reqwest::Error) -> bool {
    false
}

/// Reads a response's body in full, chunk by chunk: a body that arrives in one chunk is kept as
/// it came (no copy); more are joined once, into a buffer of exactly their size (the
/// `Content-Length` a server sends is never trusted to size it). reqwest's `bytes()` does the
/// same through a collecting future of 568 bytes, which every call's boxed future would carry
/// and copy; this one is small.
#[cfg(not(target_arch = "wasm32"))]
pub(super) async fn read_body(mut response: reqwest::Response) -> reqwest::Result<bytes::Bytes> {
    let Some(first) = next_chunk(&mut response).await? else {
        return Ok(bytes::Bytes::new());
    };
    let Some(second) = next_chunk(&mut response).await? else {
        return Ok(first);
    };
    let mut chunks = vec![first, second];
    while let Some(chunk) = next_chunk(&mut response).await? {
        chunks.push(chunk);
    }
    let mut body = Vec::with_capacity(chunks.iter().map(bytes::Bytes::len).sum());
    for chunk in &chunks {
        body.extend_from_slice(chunk);
    }
    Ok(body.into())
}

/// The next chunk of a response's body; an error names the response's URL, as reqwest's own
/// body errors do.
#[cfg(not(target_arch = "wasm32"))]
async fn next_chunk(response: &mut reqwest::Response) -> reqwest::Result<Option<bytes::Bytes>> {
    response
        .chunk()
        .await
        .map_err(|error| error.with_url(response.url().clone()))
}

/// Reads a response's body in full: `fetch` gives it whole.
#[cfg(target_arch = "wasm32")]
pub(super) async fn read_body(response: reqwest::Response) -> reqwest::Result<bytes::Bytes> {
    response.bytes().await
}

/// Waits for `duration` without blocking the thread (or the browser's event loop).
#[cfg(not(target_arch = "wasm32"))]
pub(super) async fn sleep(duration: Duration) {
    tokio::time::sleep(duration).await;
}

/// Waits for `duration` without blocking the browser's event loop. JavaScript timers take at
/// most 2^31 - 1 ms (about 24 days); a longer wait is cut to that.
#[cfg(target_arch = "wasm32")]
pub(super) async fn sleep(duration: Duration) {
    const MAX_MILLIS: u32 = i32::MAX as u32;
    let millis = u32::try_from(duration.as_millis()).map_or(MAX_MILLIS, |m| m.min(MAX_MILLIS));
    gloo_timers::future::TimeoutFuture::new(millis).await;
}

/// The current wall-clock time (for `Retry-After` dates).
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn now() -> SystemTime {
    SystemTime::now()
}

/// The current wall-clock time (for `Retry-After` dates), from JavaScript's `Date.now()`.
#[cfg(target_arch = "wasm32")]
pub(super) fn now() -> SystemTime {
    let millis = js_sys::Date::now();
    let since_epoch = if millis.is_finite() && millis > 0.0 {
        Duration::from_secs_f64(millis / 1000.0)
    } else {
        Duration::ZERO
    };
    SystemTime::UNIX_EPOCH + since_epoch
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sleeps_at_least_the_duration_and_reads_the_clock() {
        let before = now();
        let started = std::time::Instant::now();
        sleep(Duration::from_millis(20)).await;
        assert!(started.elapsed() >= Duration::from_millis(20));
        assert!(now() >= before);
    }
}
