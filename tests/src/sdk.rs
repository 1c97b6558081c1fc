//! Our calls beside an official SDK's, operation by operation: the SDK's calls are read from a
//! checked-in list (`tests/fixtures/sdk/<api>.txt`, lines `METHOD /path sdk.chain.method`),
//! matched to our operations by method and path (parameter names ignored), and compared by
//! method name (verbs by class, so `get` and `retrieve` agree) and by whole call.

use std::collections::BTreeMap;

use codegen::ir::Api;
use codegen::naming::bare;

/// Verbs that name the same thing, one class per line; the first word names the class.
/// `get` and `retrieve` agree, `update` and `modify` agree, and so on.
pub const VERB_CLASSES: &[&[&str]] = &[
    &["get", "retrieve", "read", "fetch", "show", "describe"],
    &["list"],
    &["create", "add"],
    &["update", "modify", "patch", "edit"],
    &["delete", "del", "remove", "destroy"],
    &["replace", "put", "set"],
];

/// A method name with every word put in its verb class: `retrieve_content` -> `get_content`;
/// a keyword escape (`import_`) is dropped.
pub fn by_class(method: &str) -> String {
    method
        .trim_end_matches('_')
        .split('_')
        .map(|w| {
            VERB_CLASSES
                .iter()
                .find(|c| c.contains(&w))
                .map_or(w, |c| c[0])
        })
        .collect::<Vec<_>>()
        .join("_")
}

/// `GET /a/{id}/b` with every parameter name dropped: `GET /a/{}/b`.
pub fn route_key(method: &str, path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    out.push('{');
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    out.push('}');
                }
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    format!(
        "{} {}",
        method.to_ascii_uppercase(),
        out.trim_end_matches('/')
    )
}

/// One call: the handles from the client, then the method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub chain: Vec<String>,
    pub method: String,
}

impl Call {
    /// `a.b.method`.
    pub fn dotted(&self) -> String {
        let mut parts = self.chain.clone();
        parts.push(self.method.clone());
        parts.join(".")
    }
}

/// The SDK's calls by route key (a route can have two names), read from the fixture text.
/// Lines starting with `#` and blank lines are skipped; a malformed line panics with its number.
pub fn parse_expected(text: &str) -> BTreeMap<String, (String, Vec<Call>)> {
    let mut out: BTreeMap<String, (String, Vec<Call>)> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [method, path, call] = parts.as_slice() else {
            panic!("line {}: expected `METHOD /path sdk.call`: {line}", i + 1);
        };
        let mut words: Vec<String> = call.split('.').map(str::to_owned).collect();
        let m = words.pop().filter(|m| !m.is_empty() && !words.is_empty());
        let Some(m) = m else {
            panic!(
                "line {}: the call needs a handle and a method: {line}",
                i + 1
            );
        };
        let e = out
            .entry(route_key(method, path))
            .or_insert_with(|| (format!("{method} {path}"), Vec::new()));
        e.1.push(Call {
            chain: words,
            method: m,
        });
    }
    out
}

/// Our calls by route key.
pub fn ours(api: &Api) -> BTreeMap<String, (String, Call)> {
    let mut out = BTreeMap::new();
    for (i, r) in api.resources.iter().enumerate() {
        let chain: Vec<String> = api
            .chain(i)
            .split('.')
            .map(|s| bare(s.trim_end_matches("()")).to_owned())
            .collect();
        for op in &r.operations {
            out.insert(
                route_key(op.method.as_str(), &op.path),
                (
                    format!("{} {}", op.method.as_str(), op.path),
                    Call {
                        chain: chain.clone(),
                        method: bare(&op.method_name).to_owned(),
                    },
                ),
            );
        }
    }
    out
}

/// The snake_case words of a path's static segments: what a chain can be made of.
fn path_words(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty() && !s.contains('{'))
        .map(|s| codegen::naming::snake(s.split('.').next().unwrap_or(s)))
        .collect()
}

/// The SDK's chain without its hand-picked grouping above the path: leading handles that are
/// no word of the path (`beta.` in `beta.threads.runs`).
fn without_grouping(chain: &[String], path: &str) -> Vec<String> {
    let words = path_words(path);
    let skip = chain.iter().take_while(|c| !words.contains(c)).count();
    chain[skip..].to_vec()
}

/// The comparison of one API.
#[derive(Debug, Default)]
pub struct Comparison {
    /// Routes in both the SDK's list and our crate.
    pub matched: usize,
    /// Of those, routes whose method names agree by verb class.
    pub same_method: usize,
    /// Of those, routes whose whole calls agree (chain and method by class).
    pub same_call: usize,
    /// Routes the SDK lists that our crate does not have.
    pub sdk_only: Vec<String>,
    /// Disagreements: `METHOD /path: sdk a.b.m, ours c.d.m`, method-name ones first.
    pub mismatches: Vec<String>,
}

impl Comparison {
    /// Compares our calls with the SDK's.
    pub fn of(api: &Api, expected: &BTreeMap<String, (String, Vec<Call>)>) -> Self {
        let ours = ours(api);
        let mut out = Comparison::default();
        let mut method_misses = Vec::new();
        let mut chain_misses = Vec::new();
        for (key, (route, sdk_calls)) in expected {
            let Some((_, our)) = ours.get(key) else {
                out.sdk_only.push(route.clone());
                continue;
            };
            out.matched += 1;
            let path = route.split_once(' ').map_or("", |(_, p)| p);
            let same_method = sdk_calls
                .iter()
                .any(|c| by_class(&c.method) == by_class(&our.method));
            let same_call = sdk_calls.iter().any(|c| {
                by_class(&c.method) == by_class(&our.method)
                    && without_grouping(&c.chain, path) == our.chain
            });
            let sdk = sdk_calls
                .iter()
                .map(Call::dotted)
                .collect::<Vec<_>>()
                .join(" | ");
            let line = format!("{route}: sdk {sdk}, ours {}", our.dotted());
            if same_method {
                out.same_method += 1;
            } else {
                method_misses.push(line.clone());
            }
            if same_call {
                out.same_call += 1;
            } else if same_method {
                chain_misses.push(line);
            }
        }
        out.mismatches = method_misses;
        out.mismatches.extend(chain_misses);
        out
    }

    /// A percentage of the matched routes.
    pub fn pct(&self, n: usize) -> f64 {
        100.0 * n as f64 / self.matched.max(1) as f64
    }

    /// The table header matching [`Comparison::line`].
    pub const HEADER: &'static str = "| API | SDK routes matched | Same method name | Same whole call | SDK routes we lack |\n|---|---|---|---|---|";

    /// One Markdown table row.
    pub fn line(&self, api: &str) -> String {
        format!(
            "| {api} | {} | {} ({:.0}%) | {} ({:.0}%) | {} |",
            self.matched,
            self.same_method,
            self.pct(self.same_method),
            self.same_call,
            self.pct(self.same_call),
            self.sdk_only.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_compare_by_class_and_routes_ignore_parameter_names() {
        assert_eq!(by_class("retrieve"), by_class("get"));
        assert_eq!(by_class("retrieve_content"), "get_content");
        assert_ne!(by_class("list"), by_class("get"));
        assert_eq!(
            route_key("get", "/a/{a_id}/b/{b}"),
            route_key("GET", "/a/{x}/b/{y}")
        );
        let chain = vec!["beta".to_owned(), "threads".to_owned(), "runs".to_owned()];
        assert_eq!(
            without_grouping(&chain, "/threads/{thread_id}/runs"),
            ["threads", "runs"]
        );
    }
}
