//! What a generated operation says about itself, as static data: its HTTP [`Method`] and its
//! [`OperationInfo`] (operation id, path template, security requirements, query order).

use std::fmt;

/// An HTTP method used by an operation.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
    /// `HEAD`.
    Head,
    /// `OPTIONS`.
    Options,
}

impl Method {
    /// The method's name as sent on the wire, such as `"GET"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
            Self::Head => "HEAD",
            Self::Options => "OPTIONS",
        }
    }

    /// Whether repeating the request has the same effect as sending it once (RFC 9110): true for
    /// everything but POST and PATCH. Only idempotent requests are retried by default.
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Self::Post | Self::Patch)
    }

    /// The reqwest equivalent.
    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
            Self::Head => reqwest::Method::HEAD,
            Self::Options => reqwest::Method::OPTIONS,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A static description of one API operation, written by the generator for each operation.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationInfo {
    /// The spec's `operationId`, used in errors and tracing.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path relative to the base URL, with `{name}` placeholders.
    pub path_template: &'static str,
    /// The security requirements: alternatives, each naming the schemes that go together; empty
    /// when the operation needs no credentials.
    pub security: &'static [&'static [&'static str]],
    /// The query parameters in the spec's order, which is the order they are sent in whatever
    /// order they were set.
    pub query: &'static [&'static str],
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        let idempotent: Vec<bool> = [
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Patch,
            Method::Delete,
            Method::Head,
            Method::Options,
        ]
        .iter()
        .map(|m| m.is_idempotent())
        .collect();
        assert_eq!(idempotent, [true, false, true, false, true, true, true]);
        assert_eq!(Method::Patch.to_string(), "PATCH");
        assert_eq!(Method::Delete.to_reqwest(), reqwest::Method::DELETE);
    }
}
