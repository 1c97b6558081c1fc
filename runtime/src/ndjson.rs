//! Splits newline-delimited JSON (`application/x-ndjson`, `application/jsonl`) and JSON text
//! sequences (`application/json-seq`, records that start with the RS byte `0x1E`) into one
//! record at a time. Pure: no I/O, no decoding.

/// The record separator that starts each record of a JSON text sequence (RFC 7464).
const RS: u8 = 0x1E;

/// Splits a byte stream into records, one per line; blank lines are skipped.
#[derive(Debug, Default)]
pub(crate) struct LineSplitter {
    buf: Vec<u8>,
    pos: usize,
}

impl LineSplitter {
    /// Appends a chunk of the body.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.extend_from_slice(chunk);
    }

    /// The next complete record (without its line end or leading RS), `None` when more bytes
    /// are needed.
    pub fn next_record(&mut self) -> Option<&[u8]> {
        loop {
            let rest = &self.buf[self.pos..];
            let end = memchr::memchr2(b'\n', RS, rest)?;
            let start = self.pos;
            self.pos += end + 1;
            let record = trim(&self.buf[start..start + end]);
            if !record.is_empty() {
                return Some(record);
            }
        }
    }

    /// What is left after the body ended: a last record without its line end, or nothing.
    pub fn finish(&mut self) -> Option<&[u8]> {
        let rest = trim(&self.buf[self.pos..]);
        self.pos = self.buf.len();
        (!rest.is_empty()).then_some(rest)
    }
}

fn trim(record: &[u8]) -> &[u8] {
    record.trim_ascii()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn records(chunks: &[&[u8]]) -> Vec<String> {
        let mut s = LineSplitter::default();
        let mut out = Vec::new();
        for chunk in chunks {
            s.push(chunk);
            while let Some(r) = s.next_record() {
                out.push(String::from_utf8(r.to_vec()).unwrap());
            }
        }
        if let Some(r) = s.finish() {
            out.push(String::from_utf8(r.to_vec()).unwrap());
        }
        out
    }

    #[test]
    fn lines_sequences_and_a_last_line_without_end() {
        assert_eq!(
            records(&[b"{\"a\":1}\r\n\n{\"a\"", b":2}\n{\"a\":3}"]),
            ["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"]
        );
        assert_eq!(
            records(&[b"\x1e{\"a\":1}\n\x1e{\"a\":", b"2}\n"]),
            ["{\"a\":1}", "{\"a\":2}"]
        );
    }
}
