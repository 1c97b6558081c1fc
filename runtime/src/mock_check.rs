//! The mock's request checks: which operation of the table a request is for (its path template
//! and method), and whether its parameters and body are ones the spec allows. Requests that
//! break the spec get `400`, requests no stub matched `404`; both are recorded as [`Problem`]s.

use percent_encoding::percent_decode_str;
use wiremock::{Match, Request, Respond, ResponseTemplate};

use super::config::ApiConfig;
use super::message::ApiMessage;
use super::mock::{Problem, Problems};
use super::mock_stub::error_body;
use super::mock_table::{MockOperation, ParamIn, ParamType};

/// Matches the path of a stub: the template with the stub's values, segment by segment.
pub(crate) struct PathIs {
    pub(crate) template: &'static str,
    pub(crate) values: Vec<(&'static str, String)>,
}

impl Match for PathIs {
    fn matches(&self, request: &Request) -> bool {
        let Some(found) = match_template(self.template, request.url.path()) else {
            return false;
        };
        self.values
            .iter()
            .all(|(name, value)| found.iter().any(|(n, v)| n == name && v == value))
    }
}

/// The path values if `path` fits `template` (values percent-decoded), else `None`.
fn match_template(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let want: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if want.len() != got.len() {
        return None;
    }
    let mut values = Vec::new();
    for (w, g) in want.iter().zip(&got) {
        let decoded = percent_decode_str(g).decode_utf8_lossy();
        match_segment(w, &decoded, &mut values)?;
    }
    Some(values)
}

/// Matches one segment: literal text and `{name}` placeholders (each at least one character).
fn match_segment(template: &str, text: &str, values: &mut Vec<(String, String)>) -> Option<()> {
    let Some(open) = template.find('{') else {
        return (template == text).then_some(());
    };
    let text = text.strip_prefix(&template[..open])?;
    let rest = &template[open + 1..];
    let close = rest.find('}')?;
    let name = &rest[..close];
    let after = &rest[close + 1..];
    // The literal that follows the placeholder ends its value.
    let literal_end = after.find('{').unwrap_or(after.len());
    let literal = &after[..literal_end];
    let end = if literal.is_empty() {
        if literal_end == after.len() {
            text.len()
        } else {
            1.min(text.len())
        }
    } else if literal_end == after.len() {
        text.strip_suffix(literal).map(str::len)?
    } else {
        text.get(1..)?.find(literal)? + 1
    };
    if end == 0 {
        return None;
    }
    values.push((name.to_owned(), text[..end].to_owned()));
    match_segment(after, &text[end..], values)
}

/// Matches requests that break the spec.
pub(crate) struct BreaksSpec(pub(crate) &'static [MockOperation]);

impl Match for BreaksSpec {
    fn matches(&self, request: &Request) -> bool {
        check(self.0, request).is_err()
    }
}

/// Records requests that break the spec (answering 400) or that no stub matched (404).
pub(crate) struct Checker {
    pub(crate) api: &'static ApiConfig,
    pub(crate) operations: &'static [MockOperation],
    pub(crate) problems: Problems,
    pub(crate) unmatched: bool,
}

impl Respond for Checker {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let (operation, message, status) = match check(self.operations, request) {
            Err((op, message)) => (op, message, 400),
            Ok(op) => (
                Some(op),
                "no stub matched this request (its path values, query or body differ from every stub's)"
                    .to_owned(),
                404,
            ),
        };
        let target = match request.url.query() {
            Some(q) => format!("{} {}?{q}", request.method, request.url.path()),
            None => format!("{} {}", request.method, request.url.path()),
        };
        let problem = Problem {
            operation: operation.map(|o| format!("{} `{}`", o.call, o.operation_id)),
            request: target,
            message,
            unmatched: self.unmatched && status == 404,
        };
        let text = format!("mock: {problem}");
        match self.problems.lock() {
            Ok(mut list) => list.push(problem),
            Err(poisoned) => poisoned.into_inner().push(problem),
        }
        ResponseTemplate::new(status)
            .set_body_json(error_body(self.api, vec![ApiMessage::new(0, text)]))
    }
}

type Checked =
    std::result::Result<&'static MockOperation, (Option<&'static MockOperation>, String)>;

/// The operation a request is for, or what about it the spec does not allow.
fn check(operations: &'static [MockOperation], request: &Request) -> Checked {
    let path = request.url.path();
    // The most literal template wins (`/a/list` over `/a/{id}`).
    let literal = |t: &str| t.split('/').filter(|s| !s.contains('{')).count();
    let mut on_path: Vec<(&MockOperation, Vec<(String, String)>)> = operations
        .iter()
        .filter_map(|o| match_template(o.path, path).map(|v| (o, v)))
        .collect();
    on_path.sort_by_key(|(o, _)| std::cmp::Reverse(literal(o.path)));
    if on_path.is_empty() {
        return Err((
            None,
            format!("the spec has no operation on the path `{path}`"),
        ));
    }
    let method = request.method.as_str();
    let Some((op, values)) = on_path.iter().find(|(o, _)| o.method == method) else {
        let allowed: Vec<&str> = on_path.iter().map(|(o, _)| o.method).collect();
        return Err((
            None,
            format!(
                "the spec has no {method} on `{}` (it has {})",
                on_path[0].0.path,
                allowed.join(", ")
            ),
        ));
    };
    let op: &'static MockOperation = op;
    let fail = |message: String| Err((Some(op), message));
    for p in op.params {
        let found: Vec<String> = match p.location {
            ParamIn::Path => values
                .iter()
                .filter(|(n, _)| n == p.name)
                .map(|(_, v)| v.clone())
                .collect(),
            ParamIn::Query => request
                .url
                .query_pairs()
                .filter(|(k, _)| k == p.name)
                .map(|(_, v)| v.into_owned())
                .collect(),
            ParamIn::Header => request
                .headers
                .get_all(p.name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect(),
        };
        let place = match p.location {
            ParamIn::Path => "path parameter",
            ParamIn::Query => "query parameter",
            ParamIn::Header => "header",
        };
        if found.is_empty() {
            if p.required {
                return fail(format!("the required {place} `{}` is missing", p.name));
            }
            continue;
        }
        for value in &found {
            if let Err(why) = check_value(&p.ty, value, p.location) {
                return fail(format!("{place} `{}`: `{value}` {why}", p.name));
            }
        }
    }
    if let Some(body) = &op.body {
        if request.body.is_empty() {
            if body.required {
                return fail("the required request body is missing".to_owned());
            }
        } else {
            let sent = request
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let media = sent.split(';').next().unwrap_or_default().trim();
            let wanted = body
                .content_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim();
            if !media.eq_ignore_ascii_case(wanted) && !wanted.ends_with("/*") {
                return fail(format!(
                    "the body's content type is `{sent}`, the spec's is `{}`",
                    body.content_type
                ));
            }
            if let Some(decode) = body.check {
                if let Err(why) = decode(&request.body) {
                    return fail(format!("the request body does not match the spec: {why}"));
                }
            }
        }
    } else if !request.body.is_empty() {
        return fail("the operation takes no request body, but one was sent".to_owned());
    }
    Ok(op)
}

/// Whether `value` is one the parameter type allows; the error completes "`value` ...".
fn check_value(ty: &ParamType, value: &str, location: ParamIn) -> std::result::Result<(), String> {
    match ty {
        ParamType::String | ParamType::Any => Ok(()),
        ParamType::Integer => value
            .parse::<i64>()
            .map(|_| ())
            .map_err(|_| "is not an integer".to_owned()),
        ParamType::Number => value
            .parse::<f64>()
            .map(|_| ())
            .map_err(|_| "is not a number".to_owned()),
        ParamType::Boolean => match value {
            "true" | "false" => Ok(()),
            _ => Err("is not `true` or `false`".to_owned()),
        },
        ParamType::Enum(allowed) => {
            if allowed.contains(&value) {
                Ok(())
            } else {
                Err(format!("is not one of {}", allowed.join(", ")))
            }
        }
        ParamType::List(inner) => {
            if location == ParamIn::Query {
                check_value(inner, value, location)
            } else {
                value
                    .split(',')
                    .try_for_each(|v| check_value(inner, v, location))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_segment_by_segment() {
        let v = match_template("/zones/{zone_id}/certs/{id}", "/zones/z1/certs/a%2Fb");
        assert_eq!(
            v,
            Some(vec![
                ("zone_id".into(), "z1".into()),
                ("id".into(), "a/b".into())
            ])
        );
        assert_eq!(match_template("/zones/{zone_id}", "/zones/z1/x"), None);
        assert_eq!(match_template("/zones/{zone_id}", "/zones/"), None);
        assert_eq!(
            match_template("/files/{name}.json", "/files/a.b.json"),
            Some(vec![("name".into(), "a.b".into())])
        );
        assert_eq!(match_template("/files/{name}.json", "/files/a.yaml"), None);
        assert_eq!(
            match_template("/v/{a}-{b}", "/v/x-y"),
            Some(vec![("a".into(), "x".into()), ("b".into(), "y".into())])
        );
    }

    #[test]
    fn values_are_checked_by_type() {
        assert!(check_value(&ParamType::Integer, "12", ParamIn::Query).is_ok());
        assert_eq!(
            check_value(&ParamType::Integer, "x", ParamIn::Query),
            Err("is not an integer".to_owned())
        );
        assert!(check_value(&ParamType::Enum(&["a", "b"]), "c", ParamIn::Query).is_err());
        assert!(check_value(&ParamType::List(&ParamType::Integer), "1,2", ParamIn::Path).is_ok());
        assert!(
            check_value(
                &ParamType::List(&ParamType::Integer),
                "1,x",
                ParamIn::Header
            )
            .is_err()
        );
        assert!(check_value(&ParamType::Boolean, "yes", ParamIn::Query).is_err());
    }
}
