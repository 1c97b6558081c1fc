//! The answers of a generated stub wrapper: a wrapper adds typed query matchers to a [`Stub`]
//! and implements [`StubWrapper`]; the `stub_answers!` macro then gives it every answer of
//! [`Stub`] as an inherent method (no trait import for users), written once here instead of
//! once per operation. Each hands the wrapper's stub to the [`Stub`] method of the same name.

#[cfg(doc)]
use super::mock_stub::Stub;
use super::mock_stub::StubFor;

/// A generated stub wrapper (`mock.certificates().list(zone).status(..)`): typed query matchers
/// around a [`Stub`], whose answers `stub_answers!` defines. Implemented by generated code.
pub trait StubWrapper<'a>: Sized {
    /// How the client decodes the operation's response ([`Envelope`](super::decode::Envelope),
    /// [`Json`](super::decode::Json), ...): the stub answers with its output and `result_info` types.
    type Decode: super::decode::Decode;
    /// The page item type, or [`NoPages`](super::mock::NoPages) for an operation that does not
    /// paginate.
    type Item;

    /// The stub inside.
    fn into_stub(self) -> StubFor<'a, Self::Decode, Self::Item>;
}

/// The stub inside the wrapper `W`.
pub type StubOf<'a, W> = StubFor<'a, <W as StubWrapper<'a>>::Decode, <W as StubWrapper<'a>>::Item>;
/// What the client's call of the wrapper `W`'s operation returns.
pub type OutputOf<'a, W> = <<W as StubWrapper<'a>>::Decode as super::decode::Decode>::Output;
/// The `result_info` type of the wrapper `W`'s operation.
pub type MetaOf<'a, W> = <<W as StubWrapper<'a>>::Decode as super::decode::Decode>::Meta;
/// The page item type of the wrapper `W`'s operation.
pub type ItemOf<'a, W> = <W as StubWrapper<'a>>::Item;

/// Gives the generated stub wrapper named (a [`StubWrapper`]) the answers of [`Stub`] as
/// inherent methods. Expanded only inside generated crates, where `crate::runtime` is this
/// runtime (a dependency or vendored).
#[doc(hidden)]
#[macro_export]
// `crate::runtime` on purpose: the generated crate's path to this runtime, crate or vendored.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __stub_answers {
    ($wrapper:ident) => {
        #[allow(clippy::type_complexity)]
        impl<'a> $wrapper<'a> {
            /// See [`Stub::returns`](crate::runtime::mock::Stub::returns).
            pub fn returns(
                self,
                result: crate::runtime::mock::OutputOf<'a, Self>,
            ) -> crate::runtime::mock::StubOf<'a, Self>
            where
                crate::runtime::mock::OutputOf<'a, Self>: ::serde::Serialize,
            {
                crate::runtime::mock::StubWrapper::into_stub(self).returns(result)
            }

            /// See [`Stub::returns_with_info`](crate::runtime::mock::Stub::returns_with_info)
            /// (paginated operations).
            pub fn returns_with_info(
                self,
                result: crate::runtime::mock::OutputOf<'a, Self>,
                info: crate::runtime::mock::MetaOf<'a, Self>,
            ) -> crate::runtime::mock::StubOf<'a, Self>
            where
                crate::runtime::mock::OutputOf<'a, Self>: ::serde::Serialize,
                crate::runtime::mock::MetaOf<'a, Self>: ::serde::Serialize,
                crate::runtime::mock::ItemOf<'a, Self>: ::serde::Serialize,
            {
                crate::runtime::mock::StubWrapper::into_stub(self).returns_with_info(result, info)
            }

            /// See [`Stub::paged`](crate::runtime::mock::Stub::paged) (paginated operations).
            pub fn paged(
                self,
                items: Vec<crate::runtime::mock::ItemOf<'a, Self>>,
                page_size: usize,
            ) -> crate::runtime::mock::StubOf<'a, Self>
            where
                crate::runtime::mock::OutputOf<'a, Self>: ::serde::Serialize,
                crate::runtime::mock::MetaOf<'a, Self>: ::serde::Serialize,
                crate::runtime::mock::ItemOf<'a, Self>: ::serde::Serialize,
            {
                crate::runtime::mock::StubWrapper::into_stub(self).paged(items, page_size)
            }

            /// See [`Stub::paged_with`](crate::runtime::mock::Stub::paged_with) (paginated
            /// operations).
            pub fn paged_with(
                self,
                page: crate::runtime::mock::OutputOf<'a, Self>,
                items: Vec<crate::runtime::mock::ItemOf<'a, Self>>,
                page_size: usize,
            ) -> crate::runtime::mock::StubOf<'a, Self>
            where
                crate::runtime::mock::OutputOf<'a, Self>: ::serde::Serialize,
                crate::runtime::mock::MetaOf<'a, Self>: ::serde::Serialize,
                crate::runtime::mock::ItemOf<'a, Self>: ::serde::Serialize,
            {
                crate::runtime::mock::StubWrapper::into_stub(self)
                    .paged_with(page, items, page_size)
            }

            /// See [`Stub::fails`](crate::runtime::mock::Stub::fails).
            pub fn fails(
                self,
                status: crate::runtime::StatusCode,
                errors: impl IntoIterator<Item = crate::runtime::ApiMessage>,
            ) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).fails(status, errors)
            }

            /// See [`Stub::fails_with`](crate::runtime::mock::Stub::fails_with).
            pub fn fails_with(
                self,
                status: crate::runtime::StatusCode,
                body: impl ::serde::Serialize,
            ) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).fails_with(status, body)
            }

            /// See [`Stub::unsuccessful`](crate::runtime::mock::Stub::unsuccessful).
            pub fn unsuccessful(
                self,
                errors: impl IntoIterator<Item = crate::runtime::ApiMessage>,
            ) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).unsuccessful(errors)
            }

            /// See [`Stub::malformed`](crate::runtime::mock::Stub::malformed).
            pub fn malformed(self) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).malformed()
            }

            /// See [`Stub::respond_with`](crate::runtime::mock::Stub::respond_with).
            pub fn respond_with(
                self,
                response: crate::runtime::mock::wiremock::ResponseTemplate,
            ) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).respond_with(response)
            }

            /// See [`Stub::delayed`](crate::runtime::mock::Stub::delayed).
            pub fn delayed(
                self,
                delay: ::std::time::Duration,
            ) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).delayed(delay)
            }

            /// See [`Stub::rate_limited_first`](crate::runtime::mock::Stub::rate_limited_first).
            pub fn rate_limited_first(
                self,
                times: usize,
                retry_after: ::std::time::Duration,
            ) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self)
                    .rate_limited_first(times, retry_after)
            }

            /// See [`Stub::server_error_first`](crate::runtime::mock::Stub::server_error_first).
            pub fn server_error_first(
                self,
                times: usize,
                status: crate::runtime::StatusCode,
            ) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).server_error_first(times, status)
            }

            /// See [`Stub::times`](crate::runtime::mock::Stub::times).
            pub fn times(self, n: u64) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).times(n)
            }

            /// See [`Stub::events`](crate::runtime::mock::Stub::events).
            pub fn events<E: ::serde::Serialize>(
                self,
                events: impl IntoIterator<Item = E>,
            ) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).events(events)
            }

            /// See [`Stub::events_then_error`](crate::runtime::mock::Stub::events_then_error).
            pub fn events_then_error<E: ::serde::Serialize>(
                self,
                events: impl IntoIterator<Item = E>,
                error: impl ::serde::Serialize,
            ) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).events_then_error(events, error)
            }

            /// See [`Stub::events_then_cut`](crate::runtime::mock::Stub::events_then_cut).
            pub fn events_then_cut<E: ::serde::Serialize>(
                self,
                events: impl IntoIterator<Item = E>,
            ) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).events_then_cut(events)
            }

            /// See [`Stub::lines`](crate::runtime::mock::Stub::lines).
            pub fn lines<E: ::serde::Serialize>(
                self,
                items: impl IntoIterator<Item = E>,
            ) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).lines(items)
            }

            /// See [`Stub::chunks`](crate::runtime::mock::Stub::chunks).
            pub fn chunks(
                self,
                chunks: crate::runtime::mock::Chunks,
            ) -> crate::runtime::mock::StubOf<'a, Self> {
                crate::runtime::mock::StubWrapper::into_stub(self).chunks(chunks)
            }
        }
    };
}
