//! A `multipart/form-data` body: text fields and file parts, encoded in memory so that a retried
//! request sends exactly the same bytes, or with file parts streamed from a reader or a file
//! ([`Multipart::file_upload`]), read as the body goes out and never retried.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

/// A form being built; a generated request builder takes it as its `multipart/form-data` body.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
    /// A streamed part's body (then `data` is empty).
    upload: Option<super::upload::Upload>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.to_owned(),
            filename: None,
            content_type: None,
            data: value.into().into_bytes(),
            upload: None,
        });
        self
    }

    /// Adds a file part with its file name and media type.
    pub fn file(mut self, name: &str, filename: &str, content_type: &str, data: Vec<u8>) -> Self {
        self.parts.push(Part {
            name: name.to_owned(),
            filename: Some(filename.to_owned()),
            content_type: Some(content_type.to_owned()),
            data,
            upload: None,
        });
        self
    }

    /// Adds a file part whose content may be streamed (an [`Upload`](super::Upload) from a
    /// reader or a file), with its file name and media type. A form with a streamed part is sent
    /// with a `Content-Length` when every streamed part's length is known, and is not retried.
    pub fn file_upload(
        mut self,
        name: &str,
        filename: &str,
        content_type: &str,
        data: impl Into<super::upload::Upload>,
    ) -> Self {
        let upload = data.into();
        let (data, upload) = match upload.as_bytes() {
            Some(bytes) => (bytes.to_vec(), None),
            None => (Vec::new(), Some(upload)),
        };
        self.parts.push(Part {
            name: name.to_owned(),
            filename: Some(filename.to_owned()),
            content_type: Some(content_type.to_owned()),
            data,
            upload,
        });
        self
    }

    /// Whether a part is streamed.
    pub(super) fn has_streams(&self) -> bool {
        self.parts.iter().any(|p| p.upload.is_some())
    }

    /// The `Content-Type` header value and the body as a stream: the encoded headers and
    /// in-memory parts around each streamed part's chunks.
    pub(super) fn encode_streaming(&self) -> (String, super::upload::Upload) {
        use super::upload::ChunkStream;
        use futures_util::StreamExt;
        let boundary = self.boundary();
        let mut pieces: Vec<ChunkStream> = Vec::new();
        let mut length = Some(0u64);
        let mut pending = Vec::new();
        let flush =
            |pending: &mut Vec<u8>, pieces: &mut Vec<ChunkStream>, length: &mut Option<u64>| {
                let bytes = bytes::Bytes::from(std::mem::take(pending));
                *length = length.map(|l| l + bytes.len() as u64);
                pieces.push(Box::pin(futures_util::stream::once(
                    async move { Ok(bytes) },
                )));
            };
        for part in &self.parts {
            self.encode_part(&boundary, part, &mut pending);
            if let Some(upload) = &part.upload {
                flush(&mut pending, &mut pieces, &mut length);
                length = length.zip(upload.length()).map(|(a, b)| a + b);
                match upload.take_stream() {
                    Some(stream) => pieces.push(stream),
                    None => pieces.push(Box::pin(futures_util::stream::once(async {
                        Err(std::io::Error::other(
                            "this file part was already sent once",
                        ))
                    }))),
                }
            }
            pending.extend_from_slice(b"\r\n");
        }
        pending.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        flush(&mut pending, &mut pieces, &mut length);
        let stream = futures_util::stream::iter(pieces).flatten();
        (
            format!("multipart/form-data; boundary={boundary}"),
            super::upload::Upload::from_stream(stream, length),
        )
    }

    /// Appends one part's boundary line, headers and in-memory data (without the line end).
    fn encode_part(&self, boundary: &str, part: &Part, out: &mut Vec<u8>) {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disposition = format!(
            "Content-Disposition: form-data; name=\"{}\"",
            quote(&part.name)
        );
        if let Some(filename) = &part.filename {
            disposition.push_str(&format!("; filename=\"{}\"", quote(filename)));
        }
        out.extend_from_slice(disposition.as_bytes());
        out.extend_from_slice(b"\r\n");
        if let Some(t) = &part.content_type {
            out.extend_from_slice(format!("Content-Type: {}\r\n", strip_breaks(t)).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&part.data);
    }

    /// The `Content-Type` header value (with the boundary) and the encoded body.
    pub(super) fn encode(&self) -> (String, Vec<u8>) {
        let boundary = self.boundary();
        let mut out = Vec::new();
        for part in &self.parts {
            self.encode_part(&boundary, part, &mut out);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), out)
    }

    /// A random boundary that occurs in no part.
    fn boundary(&self) -> String {
        let state = RandomState::new();
        let mut seed = state.hash_one(self.parts.len());
        loop {
            let candidate = format!("----rust-form-{seed:016x}");
            if !self
                .parts
                .iter()
                .any(|p| contains(&p.data, candidate.as_bytes()))
            {
                return candidate;
            }
            seed = state.hash_one(seed);
        }
    }
}

/// Escapes a name or file name for a quoted header parameter, as browsers do.
fn quote(s: &str) -> String {
    s.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn strip_breaks(s: &str) -> String {
    s.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_text_and_file_parts() {
        let (content_type, body) = Multipart::new()
            .text("name", "cert \"one\"")
            .file(
                "file",
                "a\"b.pem",
                "application/x-pem-file",
                b"PEM\r\nDATA".to_vec(),
            )
            .encode();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("boundary");
        let body = String::from_utf8(body).expect("utf-8");
        assert_eq!(
            body,
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\ncert \"one\"\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.pem\"\r\n\
                 Content-Type: application/x-pem-file\r\n\r\nPEM\r\nDATA\r\n--{boundary}--\r\n"
            )
        );
    }

    #[tokio::test]
    async fn a_streamed_part_gives_the_same_bytes_and_its_length() {
        use futures_util::StreamExt;
        let in_memory = Multipart::new().text("name", "a").file(
            "file",
            "f.bin",
            "application/octet-stream",
            b"0123456789".to_vec(),
        );
        let (_, whole) = in_memory.encode();
        let streamed = Multipart::new().text("name", "a").file_upload(
            "file",
            "f.bin",
            "application/octet-stream",
            super::super::upload::Upload::from_reader(&b"0123456789"[..], Some(10)),
        );
        assert!(streamed.has_streams());
        let (content_type, upload) = streamed.encode_streaming();
        let boundary = content_type
            .rsplit('=')
            .next()
            .expect("boundary")
            .to_owned();
        let mut read = Vec::new();
        let mut stream = upload.take_stream().expect("stream");
        while let Some(chunk) = stream.next().await {
            read.extend_from_slice(&chunk.expect("chunk"));
        }
        assert_eq!(upload.length(), Some(read.len() as u64));
        // The same form but for the random boundary.
        let old = String::from_utf8(whole).expect("utf-8");
        let old_boundary = old[2..old.find("\r\n").expect("line")].to_owned();
        assert_eq!(
            String::from_utf8(read).expect("utf-8"),
            old.replace(&old_boundary, &boundary)
        );
    }

    #[test]
    fn boundary_never_occurs_in_the_data() {
        let form = Multipart::new().text("a", "x");
        let (content_type, _) = form.encode();
        let boundary = content_type
            .rsplit('=')
            .next()
            .unwrap_or_default()
            .to_owned();
        let tricky = Multipart::new().text("a", boundary.clone());
        let (second, body) = tricky.encode();
        let new_boundary = second.rsplit('=').next().unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&body).matches(new_boundary).count(),
            2
        );
    }
}
