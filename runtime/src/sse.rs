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

/// Where the `data:` of the event being built is.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Data {
    /// No `data:` line yet.
    #[default]
    None,
    /// One `data:` line: its value is `buf[start..end]`, read in place (the usual case).
    Line(usize, usize),
    /// Several `data:` lines, joined with `\n` in `SseParser::joined`.
    Joined,
}

/// Splits a byte stream into events. Lines end with `\n` or `\r\n`; a blank line ends an event;
/// lines starting with `:` are comments; unknown fields are ignored (as the format says).
///
/// The value of an event's single `data:` line is handed out in place, borrowed from the
/// parser's buffer: no copy per event. Only an event of several `data:` lines is joined into a
/// second buffer, which is reused.
#[derive(Debug, Default)]
pub(crate) struct SseParser {
    buf: Vec<u8>,
    /// How much of `buf` has been read already.
    pos: usize,
    event: Option<String>,
    id: Option<String>,
    data: Data,
    /// The joined `data:` lines of an event that has several.
    joined: Vec<u8>,
    /// Whether the event being built has a field yet.
    started: bool,
    /// Whether `data` belongs to the event returned last (cleared on the next call).
    dispatched: bool,
}

impl SseParser {
    /// Appends a chunk of the body. The bytes already read are dropped once they are at least
    /// half the buffer, except the `data:` line of the event being built.
    pub fn push(&mut self, chunk: &[u8]) {
        self.reset_if_dispatched();
        let keep = match self.data {
            Data::Line(start, _) => start,
            Data::None | Data::Joined => self.pos,
        };
        if keep > 0 && keep >= self.buf.len() / 2 {
            self.buf.drain(..keep);
            self.pos -= keep;
            if let Data::Line(start, end) = &mut self.data {
                *start -= keep;
                *end -= keep;
            }
        }
        self.buf.extend_from_slice(chunk);
    }

    fn reset_if_dispatched(&mut self) {
        if self.dispatched {
            self.dispatched = false;
            self.data = Data::None;
            self.joined.clear();
        }
    }

    /// The next complete event in what was pushed so far, `None` when more bytes are needed;
    /// an error for a line that is not UTF-8.
    pub fn next_event(&mut self) -> Option<Result<RawEvent<'_>, String>> {
        self.reset_if_dispatched();
        loop {
            let start = self.pos;
            let rest = &self.buf[start..];
            let len = memchr::memchr(b'\n', rest)?;
            self.pos += len + 1;
            let mut end = start + len;
            if len > 0 && self.buf[end - 1] == b'\r' {
                end -= 1;
            }
            if start == end {
                if !self.started {
                    continue;
                }
                self.started = false;
                self.dispatched = true;
                let data = match self.data {
                    Data::None => &[][..],
                    Data::Line(s, e) => &self.buf[s..e],
                    Data::Joined => &self.joined[..],
                };
                return Some(Ok(RawEvent {
                    event: self.event.take(),
                    id: self.id.take(),
                    data,
                }));
            }
            let line = &self.buf[start..end];
            if line[0] == b':' {
                continue;
            }
            let (name, value_start) = match line.iter().position(|b| *b == b':') {
                Some(colon) => {
                    let space = line.get(colon + 1) == Some(&b' ');
                    (&line[..colon], start + colon + 1 + usize::from(space))
                }
                None => (line, end),
            };
            if name == b"data" {
                self.add_data(value_start, end);
                continue;
            }
            let value = match std::str::from_utf8(&self.buf[value_start..end]) {
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

    /// Adds the `data:` value `buf[start..end]` to the event being built.
    fn add_data(&mut self, start: usize, end: usize) {
        self.started = true;
        match self.data {
            Data::None => self.data = Data::Line(start, end),
            Data::Line(s, e) => {
                self.joined.extend_from_slice(&self.buf[s..e]);
                self.joined.push(b'\n');
                self.joined.extend_from_slice(&self.buf[start..end]);
                self.data = Data::Joined;
            }
            Data::Joined => {
                self.joined.push(b'\n');
                self.joined.extend_from_slice(&self.buf[start..end]);
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
    fn data_read_in_place_survives_the_buffer_being_compacted() {
        // Byte by byte, so that the buffer is compacted while a `data:` line is pending.
        let mut text = Vec::new();
        for i in 0..50 {
            text.extend_from_slice(format!("data: {{\"n\":{i}}}\r\n").as_bytes());
            if i % 3 == 0 {
                text.extend_from_slice(format!("data: {i}\n").as_bytes());
            }
            text.extend_from_slice(b": pad\n\n");
        }
        let mut p = SseParser::default();
        let mut events = Vec::new();
        for byte in &text {
            p.push(std::slice::from_ref(byte));
            events.extend(all(&mut p));
        }
        p.finish().unwrap();
        assert_eq!(events.len(), 50);
        for (i, (_, _, data)) in events.iter().enumerate() {
            let mut want = format!("{{\"n\":{i}}}");
            if i % 3 == 0 {
                want.push_str(&format!("\n{i}"));
            }
            assert_eq!(String::from_utf8_lossy(data), want);
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
