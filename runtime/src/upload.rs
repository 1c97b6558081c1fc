//! Request bodies that need not sit whole in memory: bytes, an async reader or a file.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_core::Stream;

/// A stream of body chunks.
pub(crate) type ChunkStream = Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>;

/// A request body: bytes in memory (sent again on a retry) or a stream read once, from an async
/// reader or a file, never held whole in memory. A streamed body is not retried: a failed
/// attempt is reported as [`Error::BodyNotReplayable`](super::Error::BodyNotReplayable).
///
/// ```no_run
/// # async fn f() -> std::io::Result<()> {
/// use openapi_client_runtime::Upload;
/// let file = tokio::fs::File::open("backup.tar").await?;
/// let body = Upload::file(file).await?; // sent with its length, read as it goes out
/// let small = Upload::from(b"in memory".to_vec());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Upload {
    inner: Inner,
    length: Option<u64>,
}

#[derive(Clone)]
enum Inner {
    Bytes(Bytes),
    /// Taken by the first attempt; a clone shares it, so it is still read only once.
    Stream(Arc<Mutex<Option<ChunkStream>>>),
}

impl Upload {
    /// A body read from `reader` as it is sent. `length` is sent as `Content-Length` when
    /// given (it must be exact); otherwise the body is sent chunked. Native targets only.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_reader<R>(reader: R, length: Option<u64>) -> Self
    where
        R: tokio::io::AsyncRead + Send + 'static,
    {
        Self::from_stream(tokio_util::io::ReaderStream::new(reader), length)
    }

    /// A body from a stream of chunks, sent as they come.
    pub fn from_stream<S, B>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = std::io::Result<B>> + Send + 'static,
        B: Into<Bytes>,
    {
        use futures_util::StreamExt;
        let stream: ChunkStream = Box::pin(stream.map(|chunk| chunk.map(Into::into)));
        Self {
            inner: Inner::Stream(Arc::new(Mutex::new(Some(stream)))),
            length,
        }
    }

    /// A body read from an open file, sent with the file's length.
    #[cfg(not(target_arch = "wasm32"))]
    pub async fn file(file: tokio::fs::File) -> std::io::Result<Self> {
        let length = file.metadata().await?.len();
        Ok(Self::from_reader(file, Some(length)))
    }

    /// The body's length in bytes, when known.
    pub fn length(&self) -> Option<u64> {
        self.length
    }

    /// Whether the body can be sent again (it is in memory).
    pub fn is_replayable(&self) -> bool {
        matches!(self.inner, Inner::Bytes(_))
    }

    /// The bytes of an in-memory body.
    pub(crate) fn as_bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Bytes(b) => Some(b),
            Inner::Stream(_) => None,
        }
    }

    /// The body as a stream of chunks, `None` when a streamed body was already taken.
    pub(crate) fn take_stream(&self) -> Option<ChunkStream> {
        match &self.inner {
            Inner::Bytes(b) => {
                let b = b.clone();
                Some(Box::pin(futures_util::stream::once(async move { Ok(b) })))
            }
            Inner::Stream(slot) => slot.lock().ok()?.take(),
        }
    }

    /// The body for one attempt, `None` when a streamed body was already sent (or, on wasm32,
    /// for any streamed body: reqwest cannot send one there).
    pub(crate) fn take_body(&self) -> Option<reqwest::Body> {
        match &self.inner {
            Inner::Bytes(b) => Some(reqwest::Body::from(b.clone())),
            #[cfg(not(target_arch = "wasm32"))]
            Inner::Stream(_) => self.take_stream().map(reqwest::Body::wrap_stream),
            // The browser's fetch takes no streamed request body through reqwest.
            #[cfg(target_arch = "wasm32")]
            Inner::Stream(_) => None,
        }
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Self {
            length: Some(bytes.len() as u64),
            inner: Inner::Bytes(bytes),
        }
    }
}

impl From<&'static [u8]> for Upload {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        text.into_bytes().into()
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("replayable", &self.is_replayable())
            .field("length", &self.length)
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    #[tokio::test]
    async fn a_reader_is_read_once_and_bytes_again_and_again() {
        let reader = Upload::from_reader(&b"hello world"[..], Some(11));
        assert!(!reader.is_replayable());
        let copy = reader.clone();
        let mut stream = reader.take_stream().unwrap();
        let mut read = Vec::new();
        while let Some(chunk) = stream.next().await {
            read.extend_from_slice(&chunk.unwrap());
        }
        assert_eq!(read, b"hello world");
        assert!(
            copy.take_stream().is_none(),
            "a clone shares the one reader"
        );
        let bytes = Upload::from(b"abc".to_vec());
        assert!(bytes.take_body().is_some() && bytes.take_body().is_some());
        assert_eq!(bytes.length(), Some(3));
    }
}
