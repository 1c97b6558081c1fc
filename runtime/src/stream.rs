//! Streamed responses and request bodies: typed server-sent events ([`EventStream`]), typed
//! NDJSON / JSON Lines / JSON sequence items ([`LineStream`]), raw bytes ([`ByteStream`]) and
//! bodies read from a reader or a file ([`Upload`]).
//!
//! Each stream sends its request when first polled. Retries apply until the response headers
//! arrive; once the body has started, a failure is an `Err` item that ends the stream. Every
//! stream has an inherent `next()`, so no extra crate is needed to drive it, and implements
//! `futures_core::Stream` for combinators.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use super::call::Call;
use super::decode::{self, Decode};
use super::error::{Error, RequestName, Result};
use super::platform::BoxStream;
use super::transport;
use super::{BoxFuture, StatusCode};
use super::{ndjson, sse};

use super::upload::Upload;

/// One server-sent event: its `event:` name, its `id:` and its `data:` decoded as `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The `event:` field; `None` for the default type (`message`).
    pub event: Option<String>,
    /// The `id:` field, when the event has one.
    pub id: Option<String>,
    /// The `data:` payload, decoded as the operation's event schema.
    pub data: T,
}

type BodyChunks = BoxStream<'static, reqwest::Result<Bytes>>;

enum State<'a> {
    Start(BoxFuture<'a, Result<reqwest::Response>>),
    Body(BodyChunks),
    Done,
}

/// The body of a successful response as chunks of bytes, read as they arrive and never held
/// whole. An error (the request failed, or the connection broke) is yielded once and ends it.
pub struct ByteStream<'a> {
    state: State<'a>,
    name: RequestName,
    status: StatusCode,
}

impl<'a> ByteStream<'a> {
    fn new(name: RequestName, start: BoxFuture<'a, Result<reqwest::Response>>) -> Self {
        Self {
            state: State::Start(start),
            name,
            status: StatusCode::OK,
        }
    }

    /// The next chunk, or `None` at the end of the body. (The same as `StreamExt::next`,
    /// without importing it.)
    pub async fn next(&mut self) -> Option<Result<Bytes>> {
        StreamExt::next(self).await
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }
}

impl Stream for ByteStream<'_> {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match &mut self.state {
                State::Start(start) => match start.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Err(error)) => {
                        self.state = State::Done;
                        return Poll::Ready(Some(Err(error)));
                    }
                    Poll::Ready(Ok(response)) => {
                        self.status = response.status();
                        self.state = State::Body(Box::pin(response.bytes_stream()));
                    }
                },
                State::Body(body) => {
                    return match body.as_mut().poll_next(cx) {
                        Poll::Pending => Poll::Pending,
                        Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
                        Poll::Ready(Some(Err(error))) => {
                            self.state = State::Done;
                            Poll::Ready(Some(Err(Error::from_transport(error, self.name))))
                        }
                        Poll::Ready(None) => {
                            self.state = State::Done;
                            Poll::Ready(None)
                        }
                    };
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

impl std::fmt::Debug for ByteStream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("request", &self.name)
            .finish_non_exhaustive()
    }
}

/// A stream of server-sent events whose data decode as `T`. It ends at the end of the body or
/// at a `[DONE]` data line. An `error` event, a line or event cut short, or a dropped
/// connection is an `Err` item that ends the stream; an event whose data does not decode as `T`
/// is an `Err` item ([`Error::Decode`]) and the stream goes on.
pub struct EventStream<'a, T> {
    body: ByteStream<'a>,
    parser: sse::SseParser,
    done: bool,
    item: PhantomData<fn() -> T>,
}

impl<T> Unpin for EventStream<'_, T> {}

impl<'a, T: DeserializeOwned> EventStream<'a, T> {
    /// The next event, or `None` when the stream is over. (The same as `StreamExt::next`,
    /// without importing it.)
    pub async fn next(&mut self) -> Option<Result<Event<T>>> {
        StreamExt::next(self).await
    }

    /// Collects every event's data, or returns the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>> {
        let mut items = Vec::new();
        while let Some(event) = self.next().await {
            items.push(event?.data);
        }
        Ok(items)
    }
}

/// Decodes one event: `None` for `[DONE]`; an `error` event is an error. The flag says whether
/// the stream ends.
fn decode_event<T: DeserializeOwned>(
    raw: sse::RawEvent<'_>,
    status: StatusCode,
    operation_id: &'static str,
) -> (Option<Result<Event<T>>>, bool) {
    if raw.data.trim_ascii() == b"[DONE]" {
        return (None, true);
    }
    if raw.event.as_deref() == Some("error") {
        let message = format!(
            "the server sent an error event: {}",
            String::from_utf8_lossy(raw.data)
        );
        return (
            Some(Err(Error::Stream {
                operation_id,
                message,
            })),
            true,
        );
    }
    let item = match serde_json::from_slice(raw.data) {
        Ok(data) => Ok(Event {
            event: raw.event,
            id: raw.id,
            data,
        }),
        Err(error) => Err(decode_error(status, &error, raw.data)),
    };
    (Some(item), false)
}

impl<T: DeserializeOwned> Stream for EventStream<'_, T> {
    type Item = Result<Event<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            match this.parser.next_event() {
                Some(Ok(raw)) => {
                    let (item, end) =
                        decode_event(raw, this.body.status, this.body.name.operation_id);
                    this.done = end;
                    return Poll::Ready(item);
                }
                Some(Err(message)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(this.body.broken(message))));
                }
                None => {}
            }
            match this.body.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.parser.push(&chunk),
                Poll::Ready(Some(Err(error))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(
                        this.parser.finish().err().map(|m| Err(this.body.broken(m))),
                    );
                }
            }
        }
    }
}

impl<T> std::fmt::Debug for EventStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("request", &self.body.name)
            .finish_non_exhaustive()
    }
}

/// A stream of NDJSON, JSON Lines or JSON sequence items decoded as `T`, one line at a time.
/// A failed request, a dropped connection or a last line cut short is an `Err` item that ends
/// the stream; a line that does not decode as `T` is an `Err` item and the stream goes on.
pub struct LineStream<'a, T> {
    body: ByteStream<'a>,
    lines: ndjson::LineSplitter,
    done: bool,
    item: PhantomData<fn() -> T>,
}

impl<T> Unpin for LineStream<'_, T> {}

impl<'a, T: DeserializeOwned> LineStream<'a, T> {
    /// The next item, or `None` at the end. (The same as `StreamExt::next`, without importing
    /// it.)
    pub async fn next(&mut self) -> Option<Result<T>> {
        StreamExt::next(self).await
    }

    /// Collects every item, or returns the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<T: DeserializeOwned> Stream for LineStream<'_, T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            let status = this.body.status;
            if let Some(line) = this.lines.next_record() {
                return Poll::Ready(Some(
                    serde_json::from_slice(line).map_err(|e| decode_error(status, &e, line)),
                ));
            }
            match this.body.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.lines.push(&chunk),
                Poll::Ready(Some(Err(error))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    let name = this.body.name;
                    let Some(last) = this.lines.finish() else {
                        return Poll::Ready(None);
                    };
                    // A last line without its line end is an item only when it is whole.
                    return Poll::Ready(Some(serde_json::from_slice(last).map_err(|e| {
                        Error::Stream {
                            operation_id: name.operation_id,
                            message: format!(
                                "the stream ended inside a line ({e}): `{}`",
                                String::from_utf8_lossy(&last[..last.len().min(80)])
                            ),
                        }
                    })));
                }
            }
        }
    }
}

impl<T> std::fmt::Debug for LineStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LineStream")
            .field("request", &self.body.name)
            .finish_non_exhaustive()
    }
}

impl ByteStream<'_> {
    fn broken(&self, message: String) -> Error {
        Error::Stream {
            operation_id: self.name.operation_id,
            message,
        }
    }
}

fn decode_error(status: StatusCode, error: &serde_json::Error, data: &[u8]) -> Error {
    Error::Decode {
        status,
        message: error.to_string(),
        body_snippet: String::from_utf8_lossy(&data[..data.len().min(512)]).into_owned(),
    }
}

impl<'a, R: Decode> Call<'a, R> {
    fn start(mut self, accept: &'static str) -> ByteStream<'a> {
        let op = self.request.op;
        let name = RequestName {
            operation_id: op.operation_id,
            method: op.method.as_str(),
            path: op.path_template,
        };
        let first_invalid = self.first_invalid();
        let rules = self.rules();
        self.request.accept = accept;
        let client = &self.client.inner;
        let request = self.request;
        ByteStream::new(
            name,
            Box::pin(async move {
                if let Some(error) = first_invalid {
                    return Err(error);
                }
                let sent = transport::send_streaming(client, request).await?;
                match sent.live {
                    Some(live) => Ok(live),
                    None if sent.not_replayable => Err(super::transport_stream::not_replayable(
                        decode::status_error(sent.raw, &rules),
                    )),
                    None => Err(decode::status_error(sent.raw, &rules)),
                }
            }),
        )
    }

    /// Sets the boolean body field `field` to `true` (such as `"stream": true`, for operations
    /// that answer with JSON or with a stream by a body flag).
    pub fn stream_flag(mut self, field: &'static str) -> Self {
        if let Some(Ok(bytes)) = &self.request.body {
            if let Ok(serde_json::Value::Object(mut object)) = serde_json::from_slice(bytes) {
                object.insert(field.to_owned(), serde_json::Value::Bool(true));
                self.request.body = Some(serde_json::to_vec(&object).map_err(|e| e.to_string()));
            }
        }
        self
    }

    /// Sets a body that may be streamed, with its media type; see [`Upload`].
    pub fn upload_body(mut self, content_type: &'static str, body: impl Into<Upload>) -> Self {
        self.request.body = None;
        self.request.upload = Some(body.into());
        self.request.content_type = Some(content_type.to_owned());
        self
    }

    /// Sends the request and streams its server-sent events, decoded as `T`.
    pub fn sse<T: DeserializeOwned>(self) -> EventStream<'a, T> {
        EventStream {
            body: self.start("text/event-stream"),
            parser: sse::SseParser::default(),
            done: false,
            item: PhantomData,
        }
    }

    /// Sends the request and streams its NDJSON, JSON Lines or JSON sequence items, decoded as
    /// `T`; `accept` is the media type asked for.
    pub fn json_lines<T: DeserializeOwned>(self, accept: &'static str) -> LineStream<'a, T> {
        LineStream {
            body: self.start(accept),
            lines: ndjson::LineSplitter::default(),
            done: false,
            item: PhantomData,
        }
    }

    /// Sends the request and streams its body as bytes.
    pub fn byte_stream(self) -> ByteStream<'a> {
        self.start("*/*")
    }
}
