//! The answers of a generated stub wrapper ([`Answers`]): a wrapper adds typed query matchers to
//! a [`Stub`] and gets every answer from this trait's provided methods, written once here
//! instead of once per operation. Each hands the wrapper's stub to the [`Stub`] method of the
//! same name.

use std::time::Duration;

use reqwest::StatusCode;
use serde::Serialize;
use wiremock::ResponseTemplate;

use super::decode::Decode;
use super::message::ApiMessage;
#[cfg(doc)]
use super::mock_stub::Stub;
use super::mock_stub::StubFor;

/// The result type of an operation decoded as `D`.
type Output<D> = <D as Decode>::Output;
/// The `result_info` type of an operation decoded as `D`.
type Meta<D> = <D as Decode>::Meta;

/// The answers of a stub wrapper: implemented by the generated wrappers that add query
/// matchers to a [`Stub`] (`mock.certificates().list(zone).status(..)`). Bring it into scope with the
/// generated crate's prelude (`use <crate>::prelude::*;`).
///
/// Each method gives the wrapper's [`Stub`] its answer; see the [`Stub`] method of the same name.
/// The types are the client's: `returns` takes what the client's call returns.
pub trait Answers<'a>: Sized {
    /// How the client decodes the operation's response ([`Envelope`](super::Envelope),
    /// [`Json`](super::Json), ...): the stub answers with its output and `result_info` types.
    type Decode: Decode;
    /// The page item type, or [`NoPages`](super::mock::NoPages) for an operation that does not
    /// paginate.
    type Item;

    /// The stub inside.
    fn into_stub(self) -> StubFor<'a, Self::Decode, Self::Item>;

    /// See [`Stub::returns`].
    fn returns(self, result: Output<Self::Decode>) -> StubFor<'a, Self::Decode, Self::Item>
    where
        Output<Self::Decode>: Serialize,
    {
        self.into_stub().returns(result)
    }

    /// See [`Stub::returns_with_info`] (paginated operations).
    fn returns_with_info(
        self,
        result: Output<Self::Decode>,
        info: Meta<Self::Decode>,
    ) -> StubFor<'a, Self::Decode, Self::Item>
    where
        Output<Self::Decode>: Serialize,
        Meta<Self::Decode>: Serialize,
        Self::Item: Serialize,
    {
        self.into_stub().returns_with_info(result, info)
    }

    /// See [`Stub::paged`] (paginated operations).
    fn paged(
        self,
        items: Vec<Self::Item>,
        page_size: usize,
    ) -> StubFor<'a, Self::Decode, Self::Item>
    where
        Output<Self::Decode>: Serialize,
        Meta<Self::Decode>: Serialize,
        Self::Item: Serialize,
    {
        self.into_stub().paged(items, page_size)
    }

    /// See [`Stub::paged_with`] (paginated operations).
    fn paged_with(
        self,
        page: Output<Self::Decode>,
        items: Vec<Self::Item>,
        page_size: usize,
    ) -> StubFor<'a, Self::Decode, Self::Item>
    where
        Output<Self::Decode>: Serialize,
        Meta<Self::Decode>: Serialize,
        Self::Item: Serialize,
    {
        self.into_stub().paged_with(page, items, page_size)
    }

    /// See [`Stub::fails`].
    fn fails(
        self,
        status: StatusCode,
        errors: impl IntoIterator<Item = ApiMessage>,
    ) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().fails(status, errors)
    }

    /// See [`Stub::fails_with`].
    fn fails_with(
        self,
        status: StatusCode,
        body: impl Serialize,
    ) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().fails_with(status, body)
    }

    /// See [`Stub::unsuccessful`].
    fn unsuccessful(
        self,
        errors: impl IntoIterator<Item = ApiMessage>,
    ) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().unsuccessful(errors)
    }

    /// See [`Stub::malformed`].
    fn malformed(self) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().malformed()
    }

    /// See [`Stub::respond_with`].
    fn respond_with(self, response: ResponseTemplate) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().respond_with(response)
    }

    /// See [`Stub::delayed`].
    fn delayed(self, delay: Duration) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().delayed(delay)
    }

    /// See [`Stub::rate_limited_first`].
    fn rate_limited_first(
        self,
        times: usize,
        retry_after: Duration,
    ) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().rate_limited_first(times, retry_after)
    }

    /// See [`Stub::server_error_first`].
    fn server_error_first(
        self,
        times: usize,
        status: StatusCode,
    ) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().server_error_first(times, status)
    }

    /// See [`Stub::times`].
    fn times(self, n: u64) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().times(n)
    }

    /// See [`Stub::events`].
    fn events<E: Serialize>(
        self,
        events: impl IntoIterator<Item = E>,
    ) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().events(events)
    }

    /// See [`Stub::events_then_error`].
    fn events_then_error<E: Serialize>(
        self,
        events: impl IntoIterator<Item = E>,
        error: impl Serialize,
    ) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().events_then_error(events, error)
    }

    /// See [`Stub::events_then_cut`].
    fn events_then_cut<E: Serialize>(
        self,
        events: impl IntoIterator<Item = E>,
    ) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().events_then_cut(events)
    }

    /// See [`Stub::lines`].
    fn lines<E: Serialize>(
        self,
        items: impl IntoIterator<Item = E>,
    ) -> StubFor<'a, Self::Decode, Self::Item> {
        self.into_stub().lines(items)
    }
}
