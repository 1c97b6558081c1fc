//! A server-sent events parser (the WHATWG `text/event-stream` format), fed chunks of bytes as
//! they arrive. Pure: no I/O, no decoding of the `data:` payload.

/// One event as sent: its `event:` name, `id:` and the joined `data:` lines (borrowed from the
/// parser, whose buffer is reused for the next event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent<'a> {
    /// The `event:` field; `None` for the default type (`message`).
    pub event: Option<String>,
    /// The `id:` field of this event.
    pub id: Option<String>,
    /// The `data:` lines joined with `\n` (not checked for UTF-8 here: the JSON decoder does).
    pub data: &'a [u8],
}

/// Splits a byte stream into events. Lines end with `\n` or `\r\n`; a blank line ends an event;
/// lines starting with `:` are comments; unknown fields are ignored (as the format says).
#[derive(Debug, Default)]
pub(crate) struct SseParser {
    buf: Vec<u8>,
    /// How much of `buf` has been read already.
    pos: usize,
    event: Option<String>,
    id: Option<String>,
    data: Vec<u8>,
    /// Whether the event being built has a field yet.
    started: bool,
    /// Whether `data` belongs to the event returned last (cleared on the next call).
    dispatched: bool,
}

impl SseParser {
    /// Appends a chunk of the body.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.extend_from_slice(chunk);
    }

    /// The next complete event in what was pushed so far, `None` when more bytes are needed;
    /// an error for a line that is not UTF-8.
    pub fn next_event(&mut self) -> Option<Result<RawEvent<'_>, String>> {
        if self.dispatched {
            self.dispatched = false;
            self.data.clear();
        }
        loop {
            let rest = &self.buf[self.pos..];
            let end = rest.iter().position(|b| *b == b'\n')?;
            let mut line = &rest[..end];
            self.pos += end + 1;
            if let [head @ .., b'\r'] = line {
                line = head;
            }
            if line.is_empty() {
                if self.started {
                    self.started = false;
                    if self.data.ends_with(b"\n") {
                        self.data.pop();
                    }
                    self.dispatched = true;
                    return Some(Ok(RawEvent {
                        event: self.event.take(),
                        id: self.id.take(),
                        data: &self.data,
                    }));
                }
                continue;
            }
            if line[0] == b':' {
                continue;
            }
            let (name, value) = match line.iter().position(|b| *b == b':') {
                Some(colon) => {
                    let value = &line[colon + 1..];
                    (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
                }
                None => (line, &b""[..]),
            };
            if name == b"data" {
                self.data.extend_from_slice(value);
                self.data.push(b'\n');
                self.started = true;
                continue;
            }
            let value = match std::str::from_utf8(value) {
                Ok(v) => v,
                Err(_) => return Some(Err("an event line is not valid UTF-8".to_owned())),
            };
            match name {
                b"event" => {
                    self.event = Some(value.to_owned());
                    self.started = true;
                }
                b"id" if !value.contains('\0') => {
                    self.id = Some(value.to_owned());
                    self.started = true;
                }
                _ => {}
            }
        }
    }

    /// Checks that the body ended between events: a line without its end or an event without
    /// its blank line means the stream was cut short.
    pub fn finish(&self) -> Result<(), String> {
        let rest = &self.buf[self.pos..];
        if !rest.is_empty() {
            let shown = String::from_utf8_lossy(&rest[..rest.len().min(80)]).into_owned();
            return Err(format!("the stream ended inside a line: `{shown}`"));
        }
        if self.started {
            return Err("the stream ended inside an event (no blank line after it)".to_owned());
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// (event, id, data) of every complete event pushed so far.
    fn all(parser: &mut SseParser) -> Vec<(Option<String>, Option<String>, Vec<u8>)> {
        let mut out = Vec::new();
        while let Some(event) = parser.next_event() {
            let event = event.unwrap();
            out.push((event.event, event.id, event.data.to_vec()));
        }
        out
    }

    #[test]
    fn events_with_names_ids_comments_and_split_chunks() {
        let text = b": keep-alive\r\nevent: delta\r\nid: 7\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\ndata: x\n\nretry: 5\n\n";
        // Every split point gives the same events.
        for split in 0..text.len() {
            let mut p = SseParser::default();
            p.push(&text[..split]);
            let mut events = all(&mut p);
            p.push(&text[split..]);
            events.extend(all(&mut p));
            assert_eq!(
                events,
                [
                    (
                        Some("delta".to_owned()),
                        Some("7".to_owned()),
                        b"{\"a\":\n1}".to_vec()
                    ),
                    (None, None, b"x".to_vec()),
                ],
                "split at {split}"
            );
            p.finish().unwrap();
        }
    }

    #[test]
    fn a_cut_line_or_event_is_an_error() {
        let mut p = SseParser::default();
        p.push(b"data: {\"a\"");
        assert!(p.next_event().is_none());
        assert!(p.finish().unwrap_err().contains("inside a line"));
        let mut p = SseParser::default();
        p.push(b"data: 1\n");
        assert!(p.next_event().is_none());
        assert!(p.finish().unwrap_err().contains("inside an event"));
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let mut p = SseParser::default();
        p.push(b"event: \xff\n\n");
        assert!(p.next_event().unwrap().is_err());
    }
}
