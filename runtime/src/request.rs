//! What every generated request builder is: the [`Request`] trait (`send`,
//! `send_with_response`, `options`) and the macro that implements it for generated builders.

use super::call::Call;
use super::decode::Decode;
use super::error::Result;
use super::future::BoxFuture;
use super::options::RequestOptions;
use super::response::ApiResponse;

/// What every generated request builder can do: send itself, with or without the response's
/// metadata, and take per-request options. Each builder also has these three as inherent
/// methods (from `request!`), so calls need no import; the trait is for code generic over
/// requests, and generated crates export it in their `prelude`.
pub trait Request<'a>: Sized {
    /// How the operation's response decodes.
    type Decode: Decode;

    /// The typed request inside the builder.
    #[doc(hidden)]
    fn into_call(self) -> Call<'a, Self::Decode>;

    /// The builder around a typed request.
    #[doc(hidden)]
    fn from_call(call: Call<'a, Self::Decode>) -> Self;

    /// Per-request options: timeout, retries, extra headers.
    fn options(self, options: RequestOptions) -> Self {
        Self::from_call(self.into_call().options(options))
    }

    /// Sends the request and returns the decoded result (awaiting the builder does the same).
    fn send(self) -> BoxFuture<'a, Result<<Self::Decode as Decode>::Output>> {
        self.into_call().send()
    }

    /// Sends the request and returns the result with the status, headers and envelope metadata.
    #[allow(clippy::type_complexity)]
    fn send_with_response(
        self,
    ) -> BoxFuture<
        'a,
        Result<ApiResponse<<Self::Decode as Decode>::Output, <Self::Decode as Decode>::Meta>>,
    > {
        self.into_call().send_with_response()
    }
}

/// Implements [`Request`] and `IntoFuture` for a generated request builder, given the names of
/// the builder (a one-field struct around a [`Call`], emitted in the open with its docs) and of
/// the type its response decodes as (an alias emitted beside it). The call takes identifiers
/// only, so the generated code around it reads as written by hand; a `cfg` on the call removes
/// the impls. Expanded only inside generated crates, where `crate::runtime` is this runtime,
/// whether it is a dependency or a vendored module.
#[doc(hidden)]
#[macro_export]
// `crate::runtime` on purpose: the generated crate's path to this runtime, crate or vendored.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __request {
    ($name:ident, $decode:ty) => {
        impl<'a> crate::runtime::Request<'a> for $name<'a> {
            type Decode = $decode;
            fn into_call(self) -> crate::runtime::Call<'a, $decode> {
                self.0
            }
            fn from_call(call: crate::runtime::Call<'a, $decode>) -> Self {
                Self(call)
            }
        }
        // The trait's methods again as inherent ones, so that sending needs no trait import.
        impl<'a> $name<'a> {
            /// Per-request options: timeout, retries, extra headers.
            #[inline]
            pub fn options(self, options: crate::runtime::RequestOptions) -> Self {
                <Self as crate::runtime::Request<'a>>::options(self, options)
            }
            /// Sends the request and returns the decoded result (awaiting the builder does the
            /// same).
            #[inline]
            pub fn send(
                self,
            ) -> crate::runtime::BoxFuture<
                'a,
                crate::runtime::Result<<$decode as crate::runtime::Decode>::Output>,
            > {
                self.0.send()
            }
            /// Sends the request and returns the result with the status, headers and envelope
            /// metadata.
            #[inline]
            #[allow(clippy::type_complexity)]
            pub fn send_with_response(
                self,
            ) -> crate::runtime::BoxFuture<
                'a,
                crate::runtime::Result<
                    crate::runtime::ApiResponse<
                        <$decode as crate::runtime::Decode>::Output,
                        <$decode as crate::runtime::Decode>::Meta,
                    >,
                >,
            > {
                self.0.send_with_response()
            }
        }
        impl<'a> ::std::future::IntoFuture for $name<'a> {
            type Output = crate::runtime::Result<<$decode as crate::runtime::Decode>::Output>;
            type IntoFuture = crate::runtime::BoxFuture<'a, Self::Output>;
            fn into_future(self) -> Self::IntoFuture {
                self.0.send()
            }
        }
    };
}
