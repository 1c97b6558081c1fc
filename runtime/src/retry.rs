//! The retry policy as pure functions: whether to retry an attempt, and how long to wait first.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Retries after the first attempt, unless configured otherwise.
pub(super) const DEFAULT_MAX_RETRIES: u32 = 2;
/// The wait before the first retry, doubled for each further one.
pub(super) const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// The longest computed wait between attempts.
pub(super) const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(8);
/// The longest wait that a server's `Retry-After` can ask for.
pub(super) const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The largest share of a computed wait that jitter removes.
const JITTER_FRACTION: f64 = 0.25;

/// How an attempt ended, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    /// A response with a non-2xx status arrived.
    Status(StatusCode),
    /// The attempt exceeded its timeout.
    Timeout,
    /// The connection failed or broke.
    Connection,
    /// Something that a new attempt cannot fix (a bad request value, `success: false`, ...).
    Final,
}

/// The retry settings of a client or request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct RetryConfig {
    /// Retries after the first attempt.
    pub(super) max_retries: u32,
    /// The wait before the first retry.
    pub(super) initial_backoff: Duration,
    /// The longest computed wait.
    pub(super) max_backoff: Duration,
    /// The longest honoured `Retry-After`.
    pub(super) max_retry_after: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_retries: DEFAULT_MAX_RETRIES,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
        }
    }
}

/// Whether a status is worth retrying by default: 408, 409, 429 and every 5xx.
pub(super) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// Reads the server's `x-should-retry: true|false` header.
pub(super) fn should_retry_header(headers: &HeaderMap) -> Option<bool> {
    let value = headers.get("x-should-retry")?.to_str().ok()?.trim();
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Decides whether to retry an attempt.
///
/// The method gate comes first: a non-idempotent request (`method_allows_retry == false`; the
/// caller passes `true` for one the server provably did not act on) is
/// never retried, whatever the server says, so a create is never issued twice. Then a server's
/// `x-should-retry` answer wins; otherwise timeouts, connection failures and retryable statuses
/// are retried.
pub(super) fn should_retry(
    method_allows_retry: bool,
    outcome: Outcome,
    server_hint: Option<bool>,
) -> bool {
    if !method_allows_retry {
        return false;
    }
    match outcome {
        Outcome::Final => false,
        Outcome::Timeout | Outcome::Connection => server_hint.unwrap_or(true),
        Outcome::Status(status) => server_hint.unwrap_or_else(|| is_retryable_status(status)),
    }
}

/// The computed wait before retry number `retry_index` (0 for the first retry):
/// `min(initial * 2^retry_index, max)`, reduced by up to 25 % according to `jitter`, a sample in
/// `[0, 1)`.
pub(super) fn backoff_delay(
    retry_index: u32,
    initial: Duration,
    max: Duration,
    jitter: f64,
) -> Duration {
    let factor = 1u32.checked_shl(retry_index.min(31)).unwrap_or(u32::MAX);
    let base = initial.checked_mul(factor).unwrap_or(max).min(max);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    base.mul_f64(1.0 - JITTER_FRACTION * jitter)
}

/// The wait a server asked for, from `retry-after-ms` (milliseconds) or `Retry-After` (seconds
/// or an HTTP date, measured from `now`). Negative or unreadable values are ignored; a date in
/// the past means no wait.
pub(super) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    };
    if let Some(millis) = header("retry-after-ms").and_then(parse_non_negative) {
        return Duration::try_from_secs_f64(millis / 1000.0).ok();
    }
    let value = header("retry-after")?;
    if let Some(seconds) = parse_non_negative(value) {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses a finite, non-negative number.
fn parse_non_negative(text: &str) -> Option<f64> {
    text.parse::<f64>()
        .ok()
        .filter(|value| value.is_finite() && *value >= 0.0)
}

/// The wait before retry number `retry_index`: the server's `Retry-After` (capped at
/// `config.max_retry_after`) when it sent one, else the jittered exponential backoff.
pub(super) fn retry_delay(
    headers: Option<&HeaderMap>,
    retry_index: u32,
    config: &RetryConfig,
    jitter: f64,
    now: SystemTime,
) -> Duration {
    match headers.and_then(|headers| retry_after(headers, now)) {
        Some(wait) => wait.min(config.max_retry_after),
        None => backoff_delay(
            retry_index,
            config.initial_backoff,
            config.max_backoff,
            jitter,
        ),
    }
}

/// A random sample in `[0, 1)` for jitter, drawn from the standard library's randomly keyed
/// hasher so that no random-number crate is needed.
pub(super) fn jitter_sample() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x9e37_79b9_7f4a_7c15);
    // The top 53 bits fill an f64 mantissa exactly.
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn backoff_doubles_and_caps_without_jitter() {
        let (initial, max) = (DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
        let delays: Vec<_> = (0..8)
            .map(|n| backoff_delay(n, initial, max, 0.0))
            .collect();
        assert_eq!(
            delays,
            [
                MS(500),
                MS(1000),
                MS(2000),
                MS(4000),
                MS(8000),
                MS(8000),
                MS(8000),
                MS(8000)
            ]
        );
        assert_eq!(backoff_delay(u32::MAX, initial, max, 0.0), MS(8000));
    }

    #[test]
    fn jitter_removes_at_most_a_quarter() {
        let (initial, max) = (DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
        assert_eq!(backoff_delay(0, initial, max, 1.0), MS(375));
        assert_eq!(backoff_delay(4, initial, max, 1.0), MS(6000));
        assert_eq!(backoff_delay(1, initial, max, 0.5), MS(875));
        assert_eq!(backoff_delay(0, initial, max, f64::NAN), MS(500));
        assert_eq!(backoff_delay(0, initial, max, 7.0), MS(375));
        for _ in 0..1000 {
            let sample = jitter_sample();
            assert!((0.0..1.0).contains(&sample), "{sample}");
            let delay = backoff_delay(2, initial, max, sample);
            assert!(delay > MS(1500) && delay <= MS(2000), "{delay:?}");
        }
    }

    #[test]
    fn small_custom_backoff_for_tests() {
        assert_eq!(backoff_delay(0, MS(1), MS(4), 0.0), MS(1));
        assert_eq!(backoff_delay(5, MS(1), MS(4), 0.0), MS(4));
        assert_eq!(
            backoff_delay(3, Duration::ZERO, Duration::ZERO, 0.5),
            Duration::ZERO
        );
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn retry_after_in_seconds_and_milliseconds() {
        let now = SystemTime::now();
        assert_eq!(
            retry_after(&headers(&[("retry-after", "3")]), now),
            Some(MS(3000))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", " 1.5 ")]), now),
            Some(MS(1500))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "0")]), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "250")]), now),
            Some(MS(250))
        );
        assert_eq!(
            retry_after(
                &headers(&[("retry-after-ms", "20"), ("retry-after", "9")]),
                now
            ),
            Some(MS(20)),
            "retry-after-ms is more precise and wins"
        );
        assert_eq!(
            retry_after(
                &headers(&[("retry-after-ms", "junk"), ("retry-after", "2")]),
                now
            ),
            Some(MS(2000))
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "-1")]), now), None);
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(retry_after(&headers(&[("retry-after", "inf")]), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn retry_after_as_an_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:30 GMT").unwrap();
        let later = headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]);
        assert_eq!(retry_after(&later, now), Some(Duration::from_secs(7)));
        let past = headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:00 GMT")]);
        assert_eq!(retry_after(&past, now), Some(Duration::ZERO));
    }

    #[test]
    fn retry_delay_prefers_the_server_and_caps_it() {
        let config = RetryConfig::default();
        let now = SystemTime::now();
        let short = headers(&[("retry-after", "2")]);
        assert_eq!(retry_delay(Some(&short), 0, &config, 0.0, now), MS(2000));
        let long = headers(&[("retry-after", "3600")]);
        assert_eq!(
            retry_delay(Some(&long), 0, &config, 0.0, now),
            Duration::from_secs(60)
        );
        assert_eq!(retry_delay(None, 1, &config, 0.0, now), MS(1000));
        assert_eq!(
            retry_delay(Some(&HeaderMap::new()), 2, &config, 0.0, now),
            MS(2000)
        );
    }

    #[test]
    fn x_should_retry_header_parsing() {
        assert_eq!(
            should_retry_header(&headers(&[("x-should-retry", "true")])),
            Some(true)
        );
        assert_eq!(
            should_retry_header(&headers(&[("x-should-retry", "FALSE")])),
            Some(false)
        );
        assert_eq!(
            should_retry_header(&headers(&[("x-should-retry", "maybe")])),
            None
        );
        assert_eq!(should_retry_header(&HeaderMap::new()), None);
    }

    #[test]
    fn decision_per_status() {
        for code in [408, 409, 429, 500, 502, 503, 504, 599] {
            let status = StatusCode::from_u16(code).unwrap();
            assert!(should_retry(true, Outcome::Status(status), None), "{code}");
        }
        for code in [300, 400, 401, 403, 404, 405, 413, 422] {
            let status = StatusCode::from_u16(code).unwrap();
            assert!(!should_retry(true, Outcome::Status(status), None), "{code}");
        }
        assert!(should_retry(true, Outcome::Timeout, None));
        assert!(should_retry(true, Outcome::Connection, None));
        assert!(!should_retry(true, Outcome::Final, None));
        assert!(!should_retry(true, Outcome::Final, Some(true)));
    }

    #[test]
    fn server_hint_overrides_the_status() {
        let unavailable = Outcome::Status(StatusCode::SERVICE_UNAVAILABLE);
        let bad = Outcome::Status(StatusCode::BAD_REQUEST);
        assert!(!should_retry(true, unavailable, Some(false)));
        assert!(should_retry(true, bad, Some(true)));
    }

    #[test]
    fn non_idempotent_requests_are_never_retried() {
        for outcome in [
            Outcome::Timeout,
            Outcome::Connection,
            Outcome::Status(StatusCode::TOO_MANY_REQUESTS),
            Outcome::Status(StatusCode::BAD_GATEWAY),
        ] {
            assert!(!should_retry(false, outcome, None), "{outcome:?}");
            assert!(!should_retry(false, outcome, Some(true)), "{outcome:?}");
        }
    }
}
