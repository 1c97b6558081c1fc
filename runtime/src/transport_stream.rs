//! The transport's pieces for streamed bodies: attaching a streamed request body to one attempt,
//! the error of an attempt not retried because its body was streamed, and the wait for the
//! response headers of a streamed response.

use std::future::Future;
use std::time::Duration;

use super::error::{Error, Result};
use super::operation::OperationInfo;
use super::upload::Upload;

/// Gives one attempt its body: a streamed body is taken by the first attempt and sent with its
/// length when known.
pub(super) fn attach_upload(
    request: reqwest::RequestBuilder,
    upload: &Upload,
    attempt: u32,
) -> Result<reqwest::RequestBuilder> {
    let Some(body) = upload.take_body() else {
        let reason = if cfg!(target_arch = "wasm32") {
            "is streamed, which wasm32 cannot send; give the body in memory".to_owned()
        } else {
            format!(
                "was streamed and already sent (attempt {attempt}); a streamed body is sent once"
            )
        };
        return Err(Error::InvalidRequest {
            parameter: "body".to_owned(),
            reason,
        });
    };
    let request = match upload.length() {
        Some(length) if !upload.is_replayable() => {
            request.header(reqwest::header::CONTENT_LENGTH, length)
        }
        _ => request,
    };
    Ok(request.body(body))
}

/// The error of a failed attempt that is not retried because its body was streamed.
pub(super) fn not_replayable(error: Error) -> Error {
    Error::BodyNotReplayable {
        source: Box::new(error),
    }
}

/// Waits for the response headers of a streamed request for at most `timeout`.
pub(super) async fn headers_within<T>(
    timeout: Duration,
    op: &'static OperationInfo,
    receive: impl Future<Output = T>,
) -> Result<T> {
    let receive = std::pin::pin!(receive);
    let timer = std::pin::pin!(super::platform::sleep(timeout));
    match futures_util::future::select(receive, timer).await {
        futures_util::future::Either::Left((received, _)) => Ok(received),
        futures_util::future::Either::Right(_) => Err(Error::Stream {
            operation_id: op.operation_id,
            message: format!("no response within {timeout:?}"),
        }),
    }
}
