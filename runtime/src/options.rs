//! [`RequestOptions`]: what one request may change of the client's settings (timeout,
//! retries, extra headers and query parameters), and the link a paging step follows.

use std::fmt;
use std::time::Duration;

/// Settings for one request that override the client's: timeout, retries, extra headers and
/// extra query parameters.
///
/// `Debug` shows header names but not their values, which may be credentials.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) retry_non_idempotent: Option<bool>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) link: Option<String>,
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the timeout of each attempt of this request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets how many times this request is retried.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Allows (or forbids) retrying this request even if its method is POST or PATCH. Only allow
    /// it when a repeat cannot create a duplicate.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = Some(allow);
        self
    }

    /// Adds a header. A name given here replaces the client's header of that name (including
    /// authentication); giving it several times sends every value. Invalid names or values are
    /// refused with [`Error::InvalidRequest`](crate::Error::InvalidRequest) when the request is sent. Values are marked
    /// sensitive.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends the request to the next page's URL (from a `Link` header or the response body)
    /// instead of the operation's path and query. The URL must be on the client's base URL's
    /// origin; pagination resolves a relative one against the URL of the response that gave it.
    #[doc(hidden)]
    pub fn follow_link(mut self, url: impl Into<String>) -> Self {
        self.link = Some(url.into());
        self
    }

    /// Adds a query parameter after the operation's own.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("headers", &header_names)
            .field("query", &self.query)
            .finish()
    }
}
