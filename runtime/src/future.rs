//! [`BoxFuture`]: the boxed future that sending a request and asking a token provider return.

use std::future::Future;
use std::pin::Pin;

#[doc(hidden)]
/// A boxed, `Send` future, used by generated `IntoFuture` implementations so that a request
/// builder can be awaited directly.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
#[doc(hidden)]
/// A boxed future, used by generated `IntoFuture` implementations so that a request builder can
/// be awaited directly. Not `Send` on wasm32, where the browser's futures are not.
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;
