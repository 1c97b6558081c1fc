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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::operation::Method;

    static OP: OperationInfo = OperationInfo {
        operation_id: "streamEvents",
        method: Method::Get,
        path_template: "/events",
        security: &[],
        query: &[],
    };

    #[tokio::test]
    async fn headers_within_the_timeout_or_a_stream_error() {
        let ready = headers_within(Duration::from_secs(5), &OP, async { 7 }).await;
        assert_eq!(ready.unwrap(), 7);
        let late =
            headers_within(Duration::from_millis(10), &OP, std::future::pending::<()>()).await;
        match late {
            Err(Error::Stream {
                operation_id,
                message,
            }) => {
                assert_eq!(operation_id, "streamEvents");
                assert!(message.contains("no response within"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_streamed_body_is_attached_once_with_its_length() {
        let http = crate::platform::http_builder(Duration::from_secs(1), false)
            .unwrap()
            .build()
            .unwrap();
        let upload = Upload::from_stream(
            futures_util::stream::once(async { Ok::<_, std::io::Error>(b"abc".to_vec()) }),
            Some(3),
        );
        let first = attach_upload(http.post("http://127.0.0.1:1/"), &upload, 1).unwrap();
        let request = first.build().unwrap();
        assert_eq!(request.headers()[reqwest::header::CONTENT_LENGTH], "3");
        let again = attach_upload(http.post("http://127.0.0.1:1/"), &upload, 2);
        assert!(
            matches!(again, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("already sent")),
            "{again:?}"
        );
        let error = not_replayable(Error::Config("x".to_owned()));
        assert!(
            error.to_string().contains("cannot be sent again"),
            "{error}"
        );
    }
}
