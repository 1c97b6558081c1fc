//! Page serving for the mock's `paged` answers: each request gets the slice of items its page,
//! cursor, offset or next-page URL asks for, with the next page's pointer in the operation's
//! pagination style.

use serde_json::{Map, Value, json};
use wiremock::{Request, ResponseTemplate};

use super::mock_table::{MockPaging, PagingStyle};

/// A list served page by page.
pub(crate) struct Pages {
    pub(crate) items: Vec<Value>,
    pub(crate) page_size: usize,
    pub(crate) shell: Value,
    pub(crate) paging: &'static MockPaging,
    /// The envelope field that page numbers go in.
    pub(crate) result_info: &'static str,
    /// The server's base URL, for `Link` headers.
    pub(crate) base: String,
}

impl Pages {
    pub(crate) fn page(&self, request: &Request) -> ResponseTemplate {
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let number =
            |name: Option<&str>| name.and_then(query).and_then(|v| v.parse::<usize>().ok());
        let total = self.items.len();
        let mut size = self.page_size;
        let start = match &self.paging.style {
            PagingStyle::PageNumber { page, per_page } => {
                size = number(*per_page).unwrap_or(size).max(1);
                number(Some(page))
                    .unwrap_or(1)
                    .max(1)
                    .saturating_sub(1)
                    .saturating_mul(size)
            }
            PagingStyle::Cursor { param, .. } => query(param)
                .and_then(|c| c.strip_prefix("page-").and_then(|n| n.parse().ok()))
                .unwrap_or(0),
            PagingStyle::LastItemId { param, id, .. } => match query(param) {
                Some(last) => self
                    .items
                    .iter()
                    .position(|i| i.get(id).and_then(Value::as_str) == Some(last.as_str()))
                    .map_or(total, |p| p + 1),
                None => 0,
            },
            PagingStyle::Offset { param, limit, .. } => {
                size = number(*limit).unwrap_or(size).max(1);
                number(Some(param)).unwrap_or(0)
            }
            PagingStyle::Link | PagingStyle::NextUrl { .. } => number(Some(LINK_PAGE)).unwrap_or(0),
        };
        let start = start.min(total);
        let end = start.saturating_add(size).min(total);
        let more = end < total;
        let mut body = self.shell.clone();
        set_at(
            &mut body,
            self.paging.items,
            Value::Array(self.items[start..end].to_vec()),
        );
        let mut template = ResponseTemplate::new(200);
        match &self.paging.style {
            PagingStyle::PageNumber { .. } => {
                let info = json!({
                    "page": start / size + 1,
                    "per_page": size,
                    "count": end - start,
                    "total_count": total,
                    "total_pages": total.div_ceil(size).max(1),
                });
                set_at(&mut body, &[self.result_info], info);
            }
            PagingStyle::Cursor { next, .. } => {
                let cursor = if more {
                    format!("page-{end}")
                } else {
                    String::new()
                };
                set_at(&mut body, next, Value::String(cursor));
            }
            PagingStyle::LastItemId { has_more, .. } => {
                set_at(&mut body, has_more, Value::Bool(more));
            }
            PagingStyle::Offset {
                total: Some(path), ..
            } => {
                set_at(&mut body, path, json!(total));
            }
            PagingStyle::Offset { total: None, .. } => {}
            PagingStyle::Link if more => {
                // The server's own origin: wiremock names every request's host `localhost`.
                let link = format!("{}{}", self.base, next_target(request, end));
                template =
                    template.insert_header("link", format!("<{link}>; rel=\"next\"").as_str());
            }
            PagingStyle::Link => {}
            PagingStyle::NextUrl { next } => {
                // A path and query on the server's host, resolved by the client (Twilio's style).
                let url = if more {
                    next_target(request, end)
                } else {
                    String::new()
                };
                set_at(&mut body, next, Value::String(url));
            }
        }
        template.set_body_json(body)
    }
}

/// The path and query of the page starting at item `start`: the request's, with [`LINK_PAGE`]
/// set to `start`.
fn next_target(request: &Request, start: usize) -> String {
    let mut url = request.url.clone();
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != LINK_PAGE)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair(LINK_PAGE, &start.to_string());
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

/// The query value that numbers the pages a `Link` header or next-page URL points to.
const LINK_PAGE: &str = "mock_page";

/// Puts `value` at `path` in `root`, creating objects on the way (an empty path replaces it).
pub(crate) fn set_at(root: &mut Value, path: &[&str], value: Value) {
    let mut at = root;
    for key in path {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Value::Object(map) = at else { return };
        at = map.entry((*key).to_owned()).or_insert(Value::Null);
    }
    *at = value;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_at_builds_objects() {
        let mut v = json!({"result": []});
        set_at(&mut v, &["result_info", "cursors", "after"], json!("c"));
        assert_eq!(
            v,
            json!({"result": [], "result_info": {"cursors": {"after": "c"}}})
        );
        set_at(&mut v, &[], json!([1]));
        assert_eq!(v, json!([1]));
    }
}
