//! Streamed answers of the mock's [`Stub`]: server-sent events, NDJSON items, streams that
//! fail in the middle (an `error` event, a last line cut short, a dropped connection), and
//! bodies sent piece by piece with pauses ([`Chunks`], served by `mock_front.rs`).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use tokio::sync::Notify;
use wiremock::ResponseTemplate;

use super::mock::Stub;
use super::mock_front::PACED;

/// The `data:` text of one event.
fn data(item: &impl Serialize) -> String {
    serde_json::to_string(item).unwrap_or_else(|_| "null".to_owned())
}

impl<R, I, T> Stub<'_, R, I, T> {
    fn streamed(self, content_type: &str, body: String) -> Self {
        self.respond_with(ResponseTemplate::new(200).set_body_raw(body.into_bytes(), content_type))
    }

    /// Answers with these server-sent events (one `data:` line each), then `data: [DONE]`.
    pub fn events<E: Serialize>(self, events: impl IntoIterator<Item = E>) -> Self {
        let mut body: String = events
            .into_iter()
            .map(|e| format!("data: {}\n\n", data(&e)))
            .collect();
        body.push_str("data: [DONE]\n\n");
        self.streamed("text/event-stream", body)
    }

    /// Answers with these server-sent events, then an `error` event with `error` as its data
    /// (the client's stream yields `Error::Stream`).
    pub fn events_then_error<E: Serialize>(
        self,
        events: impl IntoIterator<Item = E>,
        error: impl Serialize,
    ) -> Self {
        let mut body: String = events
            .into_iter()
            .map(|e| format!("data: {}\n\n", data(&e)))
            .collect();
        body.push_str(&format!("event: error\ndata: {}\n\n", data(&error)));
        self.streamed("text/event-stream", body)
    }

    /// Answers with these server-sent events, then half an event: the stream is cut inside a
    /// line (the client's stream yields `Error::Stream`).
    pub fn events_then_cut<E: Serialize>(self, events: impl IntoIterator<Item = E>) -> Self {
        let mut body: String = events
            .into_iter()
            .map(|e| format!("data: {}\n\n", data(&e)))
            .collect();
        body.push_str("data: {\"cut");
        self.streamed("text/event-stream", body)
    }

    /// Answers with these items as NDJSON, one line each.
    pub fn lines<E: Serialize>(self, items: impl IntoIterator<Item = E>) -> Self {
        let body: String = items
            .into_iter()
            .map(|e| format!("{}\n", data(&e)))
            .collect();
        self.streamed("application/x-ndjson", body)
    }

    /// Answers with this body sent piece by piece, with its pauses, waits and failure (see
    /// [`Chunks`]): the client reads each piece as it arrives.
    pub fn chunks(self, chunks: Chunks) -> Self {
        let content_type = chunks.content_type.clone();
        let key = self.server().paced(chunks);
        self.respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", content_type.as_str())
                .insert_header(PACED, key.as_str()),
        )
    }
}

/// A response body sent piece by piece, with pauses between the pieces, for [`Stub::chunks`]:
/// events arriving one at a time, a slow stream, or one that breaks after a while.
///
/// ```no_run
/// # use std::time::Duration;
/// # use openapi_client_runtime::mock::Chunks;
/// let body = Chunks::events()
///     .event(&serde_json::json!({"id": "c1"}))
///     .pause(Duration::from_millis(200)) // the next event comes 200 ms later
///     .event(&serde_json::json!({"id": "c2"}))
///     .done();
/// ```
///
/// Each request the stub answers gets every piece again. A [`Chunks::wait_for`] step waits for
/// its `Notify`; it is for a stub answered once.
#[derive(Debug, Clone)]
pub struct Chunks {
    pub(crate) content_type: String,
    pub(crate) steps: Vec<Step>,
}

/// One step of a paced body.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    Send(Bytes),
    Pause(Duration),
    Wait(Arc<Notify>),
    Fail,
}

impl Chunks {
    /// An empty body of this media type.
    pub fn new(content_type: impl Into<String>) -> Self {
        Self {
            content_type: content_type.into(),
            steps: Vec::new(),
        }
    }

    /// An empty `text/event-stream` body.
    pub fn events() -> Self {
        Self::new("text/event-stream")
    }

    /// An empty `application/x-ndjson` body.
    pub fn lines() -> Self {
        Self::new("application/x-ndjson")
    }

    /// Sends these bytes as they are (a piece of a line, say).
    pub fn raw(mut self, bytes: impl Into<Bytes>) -> Self {
        self.steps.push(Step::Send(bytes.into()));
        self
    }

    /// Sends one server-sent event: `data: <item as JSON>` and its blank line.
    pub fn event(self, item: &impl Serialize) -> Self {
        self.raw(format!("data: {}\n\n", data(item)))
    }

    /// Sends one server-sent event with an `event:` name.
    pub fn named_event(self, name: &str, item: &impl Serialize) -> Self {
        self.raw(format!("event: {name}\ndata: {}\n\n", data(item)))
    }

    /// Sends `data: [DONE]`, the end of an OpenAI-style event stream.
    pub fn done(self) -> Self {
        self.raw("data: [DONE]\n\n")
    }

    /// Sends one NDJSON line: the item as JSON and `\n`.
    pub fn line(self, item: &impl Serialize) -> Self {
        self.raw(format!("{}\n", data(item)))
    }

    /// Waits `delay` before sending what follows.
    pub fn pause(mut self, delay: Duration) -> Self {
        self.steps.push(Step::Pause(delay));
        self
    }

    /// Waits until `notify` is notified (`notify_one`, before or after the wait starts) before
    /// sending what follows: a test can hold the rest of the stream until it has read the start.
    pub fn wait_for(mut self, notify: Arc<Notify>) -> Self {
        self.steps.push(Step::Wait(notify));
        self
    }

    /// Drops the connection here, without ending the body: the client's stream yields an
    /// error (a broken connection), never a quiet end.
    pub fn fail(mut self) -> Self {
        self.steps.push(Step::Fail);
        self
    }
}
