//! The JSONPath subset that overlay targets use (RFC 9535): `$`, `.name`, `['name']`,
//! `["name"]`, `.*`, `[*]`, `[N]`, `..name` / `..*` (descendants) and filters comparing a
//! member with a literal: `[?(@.name == 'value')]`, `[?@.name != 1]`, `[?@.name]`.
//!
//! Hand-written (about 250 lines) rather than a crate: it only has to select nodes and return
//! their JSON pointers, in document order, which is what applying an overlay needs.

use serde_json::Value;

use super::child;

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// A member by name.
    Name(String),
    /// An array element (negative counts from the end).
    Index(i64),
    /// Every member or element.
    Wildcard,
    /// The node and all its descendants, then the next step on each.
    Descend,
    /// The members or elements for which the filter holds.
    Filter(Filter),
}

/// `@.a.b OP literal`, or `@.a.b` alone (the member exists).
#[derive(Debug, Clone, PartialEq)]
struct Filter {
    path: Vec<String>,
    test: Option<(bool, Value)>,
}

/// Parses `path` and returns the JSON pointers (`#/a/b`) of the nodes it selects in `root`,
/// in document order. The error says what part of the path could not be read.
pub fn select(root: &Value, path: &str) -> Result<Vec<String>, String> {
    let steps = parse(path)?;
    let mut current = vec![("#".to_owned(), root)];
    for step in &steps {
        let mut next = Vec::new();
        for (ptr, node) in current {
            apply(step, &ptr, node, &mut next);
        }
        current = next;
    }
    let mut out: Vec<String> = Vec::new();
    for (ptr, _) in current {
        if !out.contains(&ptr) {
            out.push(ptr);
        }
    }
    Ok(out)
}

fn apply<'a>(step: &Step, ptr: &str, node: &'a Value, out: &mut Vec<(String, &'a Value)>) {
    match step {
        Step::Name(name) => {
            if let Some(v) = node.as_object().and_then(|o| o.get(name)) {
                out.push((child(ptr, name), v));
            }
        }
        Step::Index(i) => {
            if let Some(items) = node.as_array() {
                let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
                let at = if *i < 0 { len + i } else { *i };
                if let Some(v) = usize::try_from(at).ok().and_then(|at| items.get(at)) {
                    out.push((child(ptr, &at.to_string()), v));
                }
            }
        }
        Step::Wildcard => children(ptr, node, out),
        Step::Descend => {
            out.push((ptr.to_owned(), node));
            let mut kids = Vec::new();
            children(ptr, node, &mut kids);
            for (p, v) in kids {
                apply(step, &p, v, out);
            }
        }
        Step::Filter(filter) => {
            let mut kids = Vec::new();
            children(ptr, node, &mut kids);
            out.extend(kids.into_iter().filter(|(_, v)| filter.holds(v)));
        }
    }
}

fn children<'a>(ptr: &str, node: &'a Value, out: &mut Vec<(String, &'a Value)>) {
    match node {
        Value::Object(o) => out.extend(o.iter().map(|(k, v)| (child(ptr, k), v))),
        Value::Array(a) => out.extend(
            a.iter()
                .enumerate()
                .map(|(i, v)| (child(ptr, &i.to_string()), v)),
        ),
        _ => {}
    }
}

impl Filter {
    fn holds(&self, node: &Value) -> bool {
        let mut v = Some(node);
        for name in &self.path {
            v = v.and_then(|v| v.as_object()).and_then(|o| o.get(name));
        }
        match (&self.test, v) {
            (None, found) => found.is_some(),
            (Some((equal, literal)), found) => (found == Some(literal)) == *equal,
        }
    }
}

/// Reads a path into steps.
fn parse(path: &str) -> Result<Vec<Step>, String> {
    let mut p = Parser {
        text: path,
        at: path.strip_prefix('$').map_or(0, |_| 1),
    };
    if p.at == 0 {
        return Err(format!("`{path}` does not start with `$`"));
    }
    let mut steps = Vec::new();
    while !p.done() {
        if p.eat("..") {
            steps.push(Step::Descend);
            if p.peek() == Some('[') {
                continue;
            }
            steps.push(p.dot_member()?);
        } else if p.eat(".") {
            steps.push(p.dot_member()?);
        } else if p.eat("[") {
            steps.push(p.bracket()?);
        } else {
            return Err(p.unexpected());
        }
    }
    Ok(steps)
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn done(&self) -> bool {
        self.at >= self.text.len()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.at += s.len();
            true
        } else {
            false
        }
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn unexpected(&self) -> String {
        if self.done() {
            format!("`{}` ends too early", self.text)
        } else {
            format!(
                "`{}`: cannot read `{}` (supported: `$`, `.name`, `['name']`, `[*]`, `[N]`, `..`, \
                 `[?(@.name == 'value')]`)",
                self.text,
                self.rest()
            )
        }
    }

    /// A name after `.`: `*` or letters, digits, `_`, `-`, `$` and non-ASCII characters.
    fn dot_member(&mut self) -> Result<Step, String> {
        if self.eat("*") {
            return Ok(Step::Wildcard);
        }
        let name = self.name();
        if name.is_empty() {
            return Err(self.unexpected());
        }
        Ok(Step::Name(name))
    }

    fn name(&mut self) -> String {
        let len = self
            .rest()
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '$')))
            .unwrap_or(self.rest().len());
        let name = self.rest()[..len].to_owned();
        self.at += len;
        name
    }

    /// The inside of `[...]`, after the `[`.
    fn bracket(&mut self) -> Result<Step, String> {
        self.skip_spaces();
        let step = if self.eat("*") {
            Step::Wildcard
        } else if self.eat("?") {
            self.skip_spaces();
            let parens = self.eat("(");
            let filter = self.filter()?;
            self.skip_spaces();
            if parens && !self.eat(")") {
                return Err(self.unexpected());
            }
            Step::Filter(filter)
        } else if matches!(self.peek(), Some('\'' | '"')) {
            Step::Name(self.quoted()?)
        } else {
            let len = self
                .rest()
                .find(|c: char| !(c.is_ascii_digit() || c == '-'))
                .unwrap_or(self.rest().len());
            let index = self.rest()[..len].parse().map_err(|_| self.unexpected())?;
            self.at += len;
            Step::Index(index)
        };
        self.skip_spaces();
        if !self.eat("]") {
            return Err(self.unexpected());
        }
        Ok(step)
    }

    /// A string in single or double quotes, with `\` escapes of the quote and `\`.
    fn quoted(&mut self) -> Result<String, String> {
        let Some(quote) = self.peek() else {
            return Err(self.unexpected());
        };
        self.at += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, e)) => out.push(e),
                    None => break,
                },
                c if c == quote => {
                    self.at += i + 1;
                    return Ok(out);
                }
                c => out.push(c),
            }
        }
        Err(format!("`{}`: a quoted name is not closed", self.text))
    }

    /// `@.a.b`, `@['a']`, optionally followed by `==` or `!=` and a literal.
    fn filter(&mut self) -> Result<Filter, String> {
        if !self.eat("@") {
            return Err(self.unexpected());
        }
        let mut path = Vec::new();
        loop {
            if self.eat(".") {
                let name = self.name();
                if name.is_empty() {
                    return Err(self.unexpected());
                }
                path.push(name);
            } else if self.rest().starts_with("['") || self.rest().starts_with("[\"") {
                self.at += 1;
                path.push(self.quoted()?);
                if !self.eat("]") {
                    return Err(self.unexpected());
                }
            } else {
                break;
            }
        }
        self.skip_spaces();
        let equal = if self.eat("==") {
            true
        } else if self.eat("!=") {
            false
        } else {
            return Ok(Filter { path, test: None });
        };
        self.skip_spaces();
        let literal = self.literal()?;
        Ok(Filter {
            path,
            test: Some((equal, literal)),
        })
    }

    /// A string in quotes, a number, `true`, `false` or `null`.
    fn literal(&mut self) -> Result<Value, String> {
        if matches!(self.peek(), Some('\'' | '"')) {
            return self.quoted().map(Value::String);
        }
        let len = self
            .rest()
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '+')))
            .unwrap_or(self.rest().len());
        let word = &self.rest()[..len];
        let value = serde_json::from_str::<Value>(word).map_err(|_| self.unexpected())?;
        self.at += len;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::select;
    use serde_json::json;

    fn doc() -> serde_json::Value {
        json!({
            "info": {"title": "t"},
            "paths": {
                "/a/{id}": {"get": {"operationId": "getA", "tags": ["x"]}, "post": {"operationId": "makeA"}},
                "/b": {"get": {"operationId": "getB"}}
            },
            "tags": [{"name": "x"}, {"name": "y", "n": 2}]
        })
    }

    fn sel(path: &str) -> Vec<String> {
        select(&doc(), path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn names_quotes_wildcards_and_indexes_select_pointers() {
        assert_eq!(sel("$"), ["#"]);
        assert_eq!(sel("$.info"), ["#/info"]);
        assert_eq!(sel("$.info.title"), ["#/info/title"]);
        assert_eq!(sel("$.paths['/a/{id}'].get"), ["#/paths/~1a~1{id}/get"]);
        assert_eq!(sel("$[\"paths\"][\"/b\"]"), ["#/paths/~1b"]);
        assert_eq!(
            sel("$.paths.*.get"),
            ["#/paths/~1a~1{id}/get", "#/paths/~1b/get"]
        );
        assert_eq!(sel("$.tags[*].name"), ["#/tags/0/name", "#/tags/1/name"]);
        assert_eq!(sel("$.tags[1]"), ["#/tags/1"]);
        assert_eq!(sel("$.tags[-1]"), ["#/tags/1"]);
        assert!(sel("$.tags[5]").is_empty());
        assert!(sel("$.nothing.here").is_empty());
    }

    #[test]
    fn descendants_and_filters_select_in_document_order() {
        assert_eq!(
            sel("$..operationId"),
            [
                "#/paths/~1a~1{id}/get/operationId",
                "#/paths/~1a~1{id}/post/operationId",
                "#/paths/~1b/get/operationId"
            ]
        );
        assert_eq!(
            sel("$.paths.*[?(@.operationId == 'makeA')]"),
            ["#/paths/~1a~1{id}/post"]
        );
        assert_eq!(sel("$.tags[?@.n == 2]"), ["#/tags/1"]);
        assert_eq!(sel("$.tags[?@.name != 'x']"), ["#/tags/1"]);
        assert_eq!(sel("$.tags[?(@.n)]"), ["#/tags/1"]);
        assert_eq!(
            sel("$..[?(@.operationId == \"getB\")]"),
            ["#/paths/~1b/get"]
        );
    }

    #[test]
    fn unreadable_paths_say_where() {
        for bad in ["info", "$.", "$[", "$['a", "$[?(@.a == )]", "$.a b", "$[x]"] {
            let err = select(&doc(), bad).expect_err(bad);
            assert!(err.contains('`'), "{bad}: {err}");
        }
    }
}
