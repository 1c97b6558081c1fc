//! A `multipart/form-data` body: text fields and file parts, encoded in memory so that a retried
//! request sends exactly the same bytes.

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
        });
        self
    }

    /// The `Content-Type` header value (with the boundary) and the encoded body.
    pub(super) fn encode(&self) -> (String, Vec<u8>) {
        let boundary = self.boundary();
        let mut out = Vec::new();
        for part in &self.parts {
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
