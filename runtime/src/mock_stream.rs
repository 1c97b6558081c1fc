//! Streamed answers of the mock's [`Stub`]: server-sent events, NDJSON items, and streams that
//! fail in the middle (an `error` event, or a last line cut short).

use serde::Serialize;
use wiremock::ResponseTemplate;

use super::mock::Stub;

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
}
