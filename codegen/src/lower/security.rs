//! What the client needs to know about the API beyond its operations, all from the spec: the
//! default base URL (`servers`, variables replaced by their defaults), the security schemes
//! (`components/securitySchemes`), the ways to authenticate (alternatives of the root and
//! operation `security`), and the environment variables that hold credentials.
//!
//! Extensions that tune the result (all optional, all checked with located errors):
//! - `info.x-rust-env-prefix`: the prefix of environment variables (`CLOUDFLARE` gives
//!   `CLOUDFLARE_BASE_URL`, `CLOUDFLARE_<SCHEME>`); default: the title's words in capitals with
//!   a trailing "API" dropped and brand words kept whole (`OpenAI API` gives `OPENAI`), else the
//!   crate name.
//! - `x-rust-env` on a security scheme: its variable (a string), or for HTTP basic a list of two
//!   (user name, password); default `<PREFIX>_<SCHEME>` (basic: `..._USERNAME`, `..._PASSWORD`),
//!   where `<SCHEME>` is the scheme's name without the words that only say it is a scheme
//!   (`auth`, `bearer`, ...: `ApiKeyAuth` gives `API_KEY`); a name left empty is `TOKEN` for a
//!   bearer scheme and `API_KEY` for an API key, a bare `KEY` is `API_KEY`. A credential set of
//!   one scheme takes the same words for its builder method (`.api_key(..)`, `.token(..)`).
//! - `x-rust-credentials` at the root: `{method_name: [scheme, ...]}` names the builder method
//!   of a combination of schemes and the order of its arguments; the schemes must be exactly one
//!   alternative of some `security` requirement.

use heck::ToShoutySnakeCase;
use serde_json::Value;

use crate::error::{SpecError, SpecResult, Warning};
use crate::ir::{ApiKeyLocation, CredentialSet, Name, Resource, SchemeKind, SecurityScheme};
use crate::load::{Document, child};
use crate::naming::{self, Namespace};

/// The lowered security and server settings.
#[derive(Debug)]
pub struct Security {
    /// The default base URL.
    pub base_url: Option<String>,
    /// The base-URL variable.
    pub base_url_env: String,
    /// Supported schemes, in spec order.
    pub schemes: Vec<SecurityScheme>,
    /// The ways to authenticate.
    pub sets: Vec<CredentialSet>,
    /// Whether every operation can be called without credentials.
    pub anonymous_allowed: bool,
    /// Whether every operation needs credentials (none can be called without).
    pub credentials_required: bool,
    /// The request-id header.
    pub request_id_header: String,
}

/// The alternatives of a `security` value: each requirement object's scheme names, in order.
pub fn requirements(value: Option<&Value>) -> Vec<Vec<String>> {
    value
        .and_then(Value::as_array)
        .map(|alternatives| {
            alternatives
                .iter()
                .filter_map(Value::as_object)
                .map(|o| o.keys().cloned().collect())
                .collect()
        })
        .unwrap_or_default()
}

/// Lowers servers and security, and drops from each operation's requirements the alternatives
/// that name schemes the client cannot send (with a warning).
pub fn lower(
    doc: &Document,
    crate_name: &str,
    resources: &mut [Resource],
    warnings: &mut Vec<Warning>,
) -> SpecResult<Security> {
    let mut warn = |pointer: &str, message: String| {
        warnings.push(Warning {
            location: crate::error::Location::at(pointer),
            message,
        });
    };
    let title = doc
        .root
        .get("info")
        .and_then(|i| i.get("title"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let prefix = match doc
        .root
        .get("info")
        .and_then(|i| i.get("x-rust-env-prefix"))
    {
        None => title_prefix(title).unwrap_or_else(|| crate_name.to_shouty_snake_case()),
        Some(v) => {
            let ptr = "#/info/x-rust-env-prefix";
            let p = v.as_str().filter(|p| is_env_name(p)).ok_or_else(|| {
                SpecError::new(
                    ptr,
                    "`x-rust-env-prefix` must be a string of capital letters, digits and `_`, \
                     starting with a letter (such as `MY_API`)",
                )
            })?;
            p.to_owned()
        }
    };

    let mut schemes = Vec::new();
    if let Some(map) = doc
        .get("#/components/securitySchemes")
        .and_then(Value::as_object)
    {
        for (key, s) in map {
            let ptr = child("#/components/securitySchemes", key);
            let field = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or_default();
            let kind = match field("type") {
                "http" if field("scheme").eq_ignore_ascii_case("bearer") => SchemeKind::Bearer,
                "http" if field("scheme").eq_ignore_ascii_case("basic") => SchemeKind::Basic,
                "apiKey" => {
                    let location = match field("in") {
                        "header" => ApiKeyLocation::Header,
                        "query" => ApiKeyLocation::Query,
                        "cookie" => ApiKeyLocation::Cookie,
                        other => {
                            warn(
                                &ptr,
                                format!(
                                    "API key `in: {other}` is not header, query or cookie; \
                                     operations that need this scheme get no credentials"
                                ),
                            );
                            continue;
                        }
                    };
                    let name = field("name");
                    if name.is_empty() {
                        warn(
                            &ptr,
                            "API key scheme without a `name`; operations that need it get no \
                             credentials"
                                .to_owned(),
                        );
                        continue;
                    }
                    SchemeKind::ApiKey {
                        location,
                        name: name.to_owned(),
                    }
                }
                "oauth2" | "openIdConnect" => SchemeKind::OAuth2,
                other => {
                    let what = if other == "http" {
                        format!("HTTP scheme `{}`", field("scheme"))
                    } else {
                        format!("security scheme type `{other}`")
                    };
                    warn(
                        &ptr,
                        format!(
                            "{what} is not supported; operations that need it get no credentials"
                        ),
                    );
                    continue;
                }
            };
            // The conventional name unless an earlier scheme took it (`bearer` and `bearerAuth`).
            let mut base = format!(
                "{prefix}_{}",
                scheme_words(key, &kind).join("_").to_uppercase()
            );
            if schemes
                .iter()
                .any(|s: &SecurityScheme| s.env.contains(&base))
            {
                base = format!("{prefix}_{}", key.to_shouty_snake_case());
            }
            let env = match s.get("x-rust-env") {
                None if kind == SchemeKind::Basic => {
                    vec![format!("{base}_USERNAME"), format!("{base}_PASSWORD")]
                }
                None => vec![base],
                Some(v) => {
                    let names: Vec<String> = match v {
                        Value::String(n) => vec![n.clone()],
                        Value::Array(a) => a
                            .iter()
                            .map(|n| n.as_str().unwrap_or_default().to_owned())
                            .collect(),
                        _ => Vec::new(),
                    };
                    let wanted = if kind == SchemeKind::Basic { 2 } else { 1 };
                    if names.len() != wanted || !names.iter().all(|n| is_env_name(n)) {
                        return Err(SpecError::new(
                            child(&ptr, "x-rust-env"),
                            if wanted == 2 {
                                "`x-rust-env` of an HTTP basic scheme must be a list of two \
                                 variable names (user name, password) in capitals, digits and `_`"
                            } else {
                                "`x-rust-env` must be one variable name in capitals, digits and `_`"
                            },
                        ));
                    }
                    names
                }
            };
            let summary = match &kind {
                SchemeKind::Bearer => "HTTP bearer authentication".to_owned(),
                SchemeKind::Basic => "HTTP basic authentication".to_owned(),
                SchemeKind::ApiKey { name, .. } => format!("API key in {} {name}", field("in")),
                SchemeKind::OAuth2 => {
                    "OAuth 2 / OpenID Connect bearer token (fixed or from a token provider)"
                        .to_owned()
                }
            };
            schemes.push(SecurityScheme {
                key: key.clone(),
                summary,
                kind,
                env,
            });
        }
    }
    let supported = |key: &str| schemes.iter().any(|s| s.key == key);

    // Drop alternatives the client cannot satisfy; keep empty ones (no credentials needed).
    let mut keep = |alternatives: Vec<Vec<String>>, ptr: &str| -> Vec<Vec<String>> {
        alternatives
            .into_iter()
            .filter(|alt| {
                let unknown: Vec<&String> = alt.iter().filter(|k| !supported(k)).collect();
                if unknown.is_empty() {
                    return true;
                }
                warn(
                    ptr,
                    format!(
                        "security requirement names unsupported or undeclared scheme(s) {}; \
                         that alternative is ignored",
                        unknown
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                false
            })
            .collect()
    };
    let root = keep(requirements(doc.root.get("security")), "#/security");
    for resource in resources.iter_mut() {
        for op in &mut resource.operations {
            let ptr = format!("#/paths/{}", op.path.replace('~', "~0").replace('/', "~1"));
            op.security = keep(std::mem::take(&mut op.security), &ptr);
        }
    }
    let anonymous_allowed = resources
        .iter()
        .flat_map(|r| &r.operations)
        .all(|op| op.security.is_empty() || op.security.iter().any(Vec::is_empty));
    let credentials_required = resources
        .iter()
        .flat_map(|r| &r.operations)
        .all(|op| !op.security.is_empty() && !op.security.iter().any(Vec::is_empty));

    // The ways to authenticate: root alternatives first, then those only operations name.
    let named = named_sets(doc, &supported)?;
    let mut sets: Vec<CredentialSet> = Vec::new();
    // Names the builder and `Credentials` already use (read from the runtime, see `reserved`).
    let reserved = super::reserved::credential_methods();
    let mut names = Namespace::with_reserved(&super::reserved::refs(&reserved));
    for (name, _) in &named {
        names.claim(name);
    }
    let mut used_named = vec![false; named.len()];
    let all = root.iter().chain(
        resources
            .iter()
            .flat_map(|r| &r.operations)
            .flat_map(|op| &op.security),
    );
    for alt in all {
        if alt.is_empty() || sets.iter().any(|s| same_set(&s.schemes, alt)) {
            continue;
        }
        let set = match named.iter().position(|(_, schemes)| same_set(schemes, alt)) {
            Some(i) => {
                used_named[i] = true;
                CredentialSet {
                    name: Name::new(named[i].0.clone()),
                    schemes: named[i].1.clone(),
                }
            }
            None => {
                let mut wanted = match alt.as_slice() {
                    [one] => schemes.iter().find(|s| s.key == *one).map_or_else(
                        || naming::snake(one),
                        |s| scheme_words(one, &s.kind).join("_"),
                    ),
                    _ => alt
                        .iter()
                        .map(|k| naming::bare(&naming::snake(k)).to_owned())
                        .collect::<Vec<_>>()
                        .join("_and_"),
                };
                if reserved.contains(&wanted) {
                    wanted.push_str("_credentials");
                }
                CredentialSet {
                    name: Name::new(names.claim(&naming::snake(&wanted))),
                    schemes: alt.clone(),
                }
            }
        };
        sets.push(set);
    }
    if let Some(i) = used_named.iter().position(|used| !used) {
        return Err(SpecError::new(
            child("#/x-rust-credentials", &named[i].0),
            "these schemes are not one alternative of any `security` requirement",
        ));
    }

    let prefix_base = format!("{prefix}_BASE_URL");
    let request_id_header = request_id_header(doc)?;
    Ok(Security {
        request_id_header,
        base_url: base_url(doc, &mut warn),
        base_url_env: prefix_base,
        schemes,
        sets,
        anonymous_allowed,
        credentials_required,
    })
}

/// The environment prefix a title gives: its words in capitals (a brand word such as `OpenAI`
/// or `DigitalOcean` stays one word), without a trailing `API`; `None` when nothing usable is
/// left.
fn title_prefix(title: &str) -> Option<String> {
    let mut words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    while words.len() > 1 && words.last().is_some_and(|w| w == "API") {
        words.pop();
    }
    let prefix = words.join("_");
    is_env_name(&prefix).then_some(prefix)
}

/// The words of a scheme's name that say what the credential is (snake_case): `ApiKeyAuth`
/// gives `api_key`, `bearer_auth` gives `token`, `api_token` stays.
fn scheme_words(key: &str, kind: &SchemeKind) -> Vec<String> {
    const NOISE: &[&str] = &[
        "auth",
        "authentication",
        "authorization",
        "scheme",
        "security",
        "bearer",
        "http",
        "header",
    ];
    let snake = naming::bare(&naming::snake(key)).to_owned();
    if !matches!(kind, SchemeKind::Bearer | SchemeKind::ApiKey { .. }) {
        return vec![snake];
    }
    let mut words: Vec<String> = snake
        .split('_')
        .filter(|w| !w.is_empty() && !NOISE.contains(w))
        .map(str::to_owned)
        .collect();
    if words.is_empty() {
        words = match kind {
            SchemeKind::ApiKey { .. } => vec!["api".to_owned(), "key".to_owned()],
            _ => vec!["token".to_owned()],
        };
    } else if words == ["key"] {
        words.insert(0, "api".to_owned());
    }
    words
}

/// The request-id header: `info.x-rust-request-id-header`, else the first response header the
/// spec declares whose name says it is one (`x-request-id`, `request-id`, `x-amzn-requestid`,
/// ...), else `x-request-id`. A vendor's own name (such as `cf-ray`) must be
/// declared.
fn request_id_header(doc: &Document) -> SpecResult<String> {
    if let Some(v) = doc
        .root
        .get("info")
        .and_then(|i| i.get("x-rust-request-id-header"))
    {
        let ptr = "#/info/x-rust-request-id-header";
        return v
            .as_str()
            .filter(|h| {
                !h.is_empty()
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            })
            .map(str::to_ascii_lowercase)
            .ok_or_else(|| SpecError::new(ptr, "expected a header name such as `x-request-id`"));
    }
    let looks_like = |name: &str| {
        let n = name.to_ascii_lowercase();
        n.contains("request-id") || n.contains("requestid")
    };
    let mut declared = Vec::new();
    if let Some(paths) = doc.root.get("paths").and_then(Value::as_object) {
        for item in paths.values().filter_map(Value::as_object) {
            for op in item.values().filter_map(Value::as_object) {
                let responses = op.get("responses").and_then(Value::as_object);
                for response in responses.into_iter().flat_map(|r| r.values()) {
                    if let Some(h) = response.get("headers").and_then(Value::as_object) {
                        declared.extend(h.keys().cloned());
                    }
                }
            }
        }
    }
    if let Some(h) = doc.get("#/components/headers").and_then(Value::as_object) {
        declared.extend(h.keys().cloned());
    }
    Ok(declared
        .into_iter()
        .find(|n| looks_like(n))
        .map_or_else(|| "x-request-id".to_owned(), |n| n.to_ascii_lowercase()))
}

/// `x-rust-credentials`: method name -> schemes, checked.
fn named_sets(
    doc: &Document,
    supported: &dyn Fn(&str) -> bool,
) -> SpecResult<Vec<(String, Vec<String>)>> {
    let Some(v) = doc.root.get("x-rust-credentials") else {
        return Ok(Vec::new());
    };
    let ptr = "#/x-rust-credentials";
    let reserved = super::reserved::credential_methods();
    let map = v.as_object().ok_or_else(|| {
        SpecError::new(
            ptr,
            "`x-rust-credentials` must map method names to lists of schemes",
        )
    })?;
    let mut out = Vec::new();
    for (name, schemes) in map {
        let at = child(ptr, name);
        let valid_name = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && naming::snake(name) == *name
            && !reserved.contains(name);
        if !valid_name {
            return Err(SpecError::new(
                at,
                "the method name must be snake_case, not a Rust keyword, and not one the client \
                 builder already has",
            ));
        }
        let list: Vec<String> = schemes
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        if list.is_empty() || schemes.as_array().map(Vec::len) != Some(list.len()) {
            return Err(SpecError::new(
                at,
                "expected a list of security scheme names",
            ));
        }
        if let Some(bad) = list.iter().find(|k| !supported(k)) {
            return Err(SpecError::new(
                at,
                format!("`{bad}` is not a supported scheme of `components/securitySchemes`"),
            ));
        }
        out.push((name.clone(), list));
    }
    Ok(out)
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|k| b.contains(k))
}

fn is_env_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The first server's URL with its variables replaced by their defaults; `None` (with a
/// warning) for a relative URL or a variable without a default.
fn base_url(doc: &Document, warn: &mut dyn FnMut(&str, String)) -> Option<String> {
    let server = doc.root.get("servers")?.get(0)?;
    let mut url = server.get("url")?.as_str()?.to_owned();
    let ptr = "#/servers/0";
    for _ in 0..64 {
        let Some(start) = url.find('{') else {
            break;
        };
        let end = url[start..].find('}').map(|e| start + e)?;
        let name = url[start + 1..end].to_owned();
        let default = server
            .get("variables")
            .and_then(|v| v.get(&name))
            .and_then(|v| v.get("default"))
            .and_then(Value::as_str);
        match default {
            Some(d) => url.replace_range(start..=end, d),
            None => {
                warn(
                    ptr,
                    format!(
                        "server variable `{name}` has no default; the client has no default \
                         base URL"
                    ),
                );
                return None;
            }
        }
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        warn(
            ptr,
            format!(
                "server URL `{url}` is not an absolute http(s) URL; the client has no default \
                 base URL"
            ),
        );
        return None;
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventional_prefixes_and_variables() {
        assert_eq!(title_prefix("OpenAI API").as_deref(), Some("OPENAI"));
        assert_eq!(title_prefix("Twilio - Api").as_deref(), Some("TWILIO"));
        assert_eq!(
            title_prefix("DigitalOcean API").as_deref(),
            Some("DIGITALOCEAN")
        );
        assert_eq!(
            title_prefix("Oxide Region API").as_deref(),
            Some("OXIDE_REGION")
        );
        assert_eq!(title_prefix("API").as_deref(), Some("API"));
        assert_eq!(title_prefix("3 things"), None);
        let bearer = SchemeKind::Bearer;
        assert_eq!(scheme_words("ApiKeyAuth", &bearer), ["api", "key"]);
        assert_eq!(
            scheme_words("AdminApiKeyAuth", &bearer),
            ["admin", "api", "key"]
        );
        assert_eq!(scheme_words("bearer_auth", &bearer), ["token"]);
        assert_eq!(scheme_words("api_token", &bearer), ["api", "token"]);
        let key = SchemeKind::ApiKey {
            location: ApiKeyLocation::Header,
            name: "X-Key".to_owned(),
        };
        assert_eq!(scheme_words("key", &key), ["api", "key"]);
        assert_eq!(scheme_words("ApiKeyHeader", &key), ["api", "key"]);
        // Other kinds keep their whole name.
        assert_eq!(
            scheme_words("accountSid_authToken", &SchemeKind::Basic),
            ["account_sid_auth_token"]
        );
    }
}
