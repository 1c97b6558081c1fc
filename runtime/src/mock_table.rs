//! The operation table a generated crate hands to the mock: each operation's method, path,
//! parameters, body, response kind and pagination, as plain `'static` data. The `const fn`
//! constructors keep the generated table short: `MockOperation::get(id, call, path)`, then
//! `.params(..)`, `.json_body::<T>(..)`, `.response(..)`, `.paging(..)`.

use serde::de::DeserializeOwned;

/// One operation of the spec, as the mock checks and answers it. Generated crates emit a static
/// table of these; nothing here is API-specific.
#[derive(Debug)]
pub struct MockOperation {
    /// The spec's operationId.
    pub operation_id: &'static str,
    /// How the client calls it, such as `certificates().list()`.
    pub call: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, such as `/zones/{zone_id}/certificates`.
    pub path: &'static str,
    /// The path, query and header parameters.
    pub params: &'static [MockParam],
    /// The request body, if the operation takes one.
    pub body: Option<MockBody>,
    /// How a successful response is written.
    pub response: MockResponse,
    /// How the operation pages, if it is a paginated list.
    pub paging: Option<MockPaging>,
}

/// A parameter of a [`MockOperation`].
#[derive(Debug)]
pub struct MockParam {
    /// The name on the wire.
    pub name: &'static str,
    /// Where it goes.
    pub location: ParamIn,
    /// Whether the spec requires it.
    pub required: bool,
    /// What its values may be.
    pub ty: ParamType,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    /// A `{name}` of the path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
}

/// What a parameter's values may be.
#[derive(Debug)]
pub enum ParamType {
    /// Any text.
    String,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// One of these values.
    Enum(&'static [&'static str]),
    /// A list of values of a type: repeated query values, or comma-separated in a path or header.
    List(&'static ParamType),
    /// Anything (objects and other shapes the mock does not check).
    Any,
}

/// The request body of a [`MockOperation`].
#[derive(Debug)]
pub struct MockBody {
    /// Whether the spec requires it.
    pub required: bool,
    /// Its media type.
    pub content_type: &'static str,
    /// Decodes a JSON body into the client's body type; the error says what differs.
    pub check: Option<BodyCheck>,
}

/// Decodes a request body into the operation's body type; the error says what differs.
pub type BodyCheck = fn(&[u8]) -> std::result::Result<(), String>;

/// How a successful response of a [`MockOperation`] is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockResponse {
    /// The `{success, errors, messages, result, result_info}` envelope.
    Envelope,
    /// A JSON body.
    Json,
    /// A `text/plain` body.
    Text,
    /// An `application/octet-stream` body.
    Bytes,
    /// No body.
    Empty,
}

/// How a paginated operation asks for the next page. JSON paths start at the response body's
/// root (`["result_info", "cursors", "after"]`).
#[derive(Debug)]
pub struct MockPaging {
    /// The path of the items list in a page (`["result"]`; empty for a bare list).
    pub items: &'static [&'static str],
    /// How the next page is asked for.
    pub style: PagingStyle,
}

/// The pagination styles a generated client walks.
#[derive(Debug)]
pub enum PagingStyle {
    /// A page number, with the envelope's `result_info` (`page`, `per_page`, `count`,
    /// `total_count`, `total_pages`).
    PageNumber {
        /// The page parameter.
        page: &'static str,
        /// The page-size parameter.
        per_page: Option<&'static str>,
    },
    /// A cursor parameter whose next value the response gives at `next` (empty on the last page).
    Cursor {
        /// The cursor parameter.
        param: &'static str,
        /// Where the next cursor goes.
        next: &'static [&'static str],
    },
    /// The last item's id in a parameter, while a `has_more` flag is true.
    LastItemId {
        /// The parameter that takes the last id.
        param: &'static str,
        /// Where the `has_more` flag goes.
        has_more: &'static [&'static str],
        /// The id field of an item.
        id: &'static str,
    },
    /// An offset advanced by the items received.
    Offset {
        /// The offset parameter.
        param: &'static str,
        /// The page-size parameter.
        limit: Option<&'static str>,
        /// Where the total count goes.
        total: Option<&'static [&'static str]>,
    },
    /// A `Link: <url>; rel="next"` header.
    Link,
    /// The next page's URL in the body at `next` (empty on the last page).
    NextUrl {
        /// Where the next page's URL goes.
        next: &'static [&'static str],
    },
}

impl MockOperation {
    const fn new(
        operation_id: &'static str,
        call: &'static str,
        method: &'static str,
        path: &'static str,
    ) -> Self {
        Self {
            operation_id,
            call,
            method,
            path,
            params: &[],
            body: None,
            response: MockResponse::Json,
            paging: None,
        }
    }

    /// A `GET` operation without parameters or body, answered with JSON, without pages.
    pub const fn get(operation_id: &'static str, call: &'static str, path: &'static str) -> Self {
        Self::new(operation_id, call, "GET", path)
    }

    /// A `POST` operation; see [`MockOperation::get`].
    pub const fn post(operation_id: &'static str, call: &'static str, path: &'static str) -> Self {
        Self::new(operation_id, call, "POST", path)
    }

    /// A `PUT` operation; see [`MockOperation::get`].
    pub const fn put(operation_id: &'static str, call: &'static str, path: &'static str) -> Self {
        Self::new(operation_id, call, "PUT", path)
    }

    /// A `PATCH` operation; see [`MockOperation::get`].
    pub const fn patch(operation_id: &'static str, call: &'static str, path: &'static str) -> Self {
        Self::new(operation_id, call, "PATCH", path)
    }

    /// A `DELETE` operation; see [`MockOperation::get`].
    pub const fn delete(
        operation_id: &'static str,
        call: &'static str,
        path: &'static str,
    ) -> Self {
        Self::new(operation_id, call, "DELETE", path)
    }

    /// A `HEAD` operation; see [`MockOperation::get`].
    pub const fn head(operation_id: &'static str, call: &'static str, path: &'static str) -> Self {
        Self::new(operation_id, call, "HEAD", path)
    }

    /// An `OPTIONS` operation; see [`MockOperation::get`].
    pub const fn options(
        operation_id: &'static str,
        call: &'static str,
        path: &'static str,
    ) -> Self {
        Self::new(operation_id, call, "OPTIONS", path)
    }

    /// With these parameters.
    pub const fn params(self, params: &'static [MockParam]) -> Self {
        Self { params, ..self }
    }

    /// With a request body of this media type that is not decoded (form, multipart, raw).
    pub const fn body(self, required: bool, content_type: &'static str) -> Self {
        let body = MockBody {
            required,
            content_type,
            check: None,
        };
        Self {
            body: Some(body),
            ..self
        }
    }

    /// With a JSON request body that must decode into `B`, the client's body type.
    pub const fn json_body<B: DeserializeOwned>(
        self,
        required: bool,
        content_type: &'static str,
    ) -> Self {
        let body = MockBody {
            required,
            content_type,
            check: Some(check_json::<B>),
        };
        Self {
            body: Some(body),
            ..self
        }
    }

    /// Answered this way (JSON unless set).
    pub const fn response(self, response: MockResponse) -> Self {
        Self { response, ..self }
    }

    /// Paged: the items at `items` in a page (`&["result"]`; empty for a bare list), the next
    /// page asked for in `style`.
    pub const fn paging(self, items: &'static [&'static str], style: PagingStyle) -> Self {
        Self {
            paging: Some(MockPaging { items, style }),
            ..self
        }
    }
}

impl MockParam {
    /// A path parameter (always required).
    pub const fn path(name: &'static str, ty: ParamType) -> Self {
        Self {
            name,
            location: ParamIn::Path,
            required: true,
            ty,
        }
    }

    /// An optional query parameter.
    pub const fn query(name: &'static str, ty: ParamType) -> Self {
        Self {
            name,
            location: ParamIn::Query,
            required: false,
            ty,
        }
    }

    /// An optional header.
    pub const fn header(name: &'static str, ty: ParamType) -> Self {
        Self {
            name,
            location: ParamIn::Header,
            required: false,
            ty,
        }
    }

    /// The same parameter, required.
    pub const fn required(self) -> Self {
        Self {
            required: true,
            ..self
        }
    }
}

/// Whether `body` decodes as JSON into `B`; the error says what differs. The check of
/// [`MockOperation::json_body`].
pub fn check_json<B: DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    serde_json::from_slice::<B>(body)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_fill_every_field() {
        static OP: MockOperation = MockOperation::post("create", "things().create()", "/things")
            .params(&[
                MockParam::path("id", ParamType::String),
                MockParam::query("n", ParamType::Integer).required(),
            ])
            .json_body::<Vec<u32>>(true, "application/json")
            .response(MockResponse::Envelope)
            .paging(&["result"], PagingStyle::Link);
        assert_eq!(
            (OP.method, OP.path, OP.call),
            ("POST", "/things", "things().create()")
        );
        assert_eq!(OP.params[1].location, ParamIn::Query);
        assert!(OP.params[0].required && OP.params[1].required);
        assert_eq!(OP.response, MockResponse::Envelope);
        let body = OP.body.as_ref().expect("a body");
        let check = body.check.expect("a JSON check");
        assert_eq!(check(b"[1, 2]"), Ok(()));
        assert!(check(b"{}").is_err());
        assert_eq!(OP.paging.as_ref().map(|p| p.items), Some(&["result"][..]));
        let plain =
            MockOperation::delete("d", "things().delete()", "/things").body(false, "text/plain");
        assert_eq!(plain.method, "DELETE");
        assert!(plain.body.is_some_and(|b| b.check.is_none() && !b.required));
    }
}
