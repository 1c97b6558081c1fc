//! Names the generator or the runtime already use, which names made from the spec must not take.
//!
//! Read from one source each, never from hand-kept lists: the runtime's methods from its embedded
//! sources (`impl Client`, `impl MockServer`, ...: every method, hidden plumbing included, since
//! an inherent method hides a generated accessor of the same name), and the generator's own names
//! from the constants that emit them.

/// The modules and items the generator writes beside resource modules in `src/resources/`.
pub const RESOURCES_MOD_ITEMS: &[&str] = &["tables"];

/// Methods the generated crate itself adds to `Client` (constructors with the API's defaults).
pub const GENERATED_CLIENT_METHODS: &[&str] =
    &["builder", "from_env", "as_runtime", "into_runtime"];

/// The names of every method of the runtime type `ty`: in its inherent `impl` blocks and its
/// trait impls (`clone` from `derive(Clone)` included), read from the runtime's sources.
pub fn runtime_methods(ty: &str) -> Vec<String> {
    let mut out = vec!["clone".to_owned(), "fmt".to_owned()];
    for (_, text) in crate::emit::runtime::RUNTIME_FILES {
        let mut inside = false;
        for line in text.lines() {
            if line.starts_with("impl") {
                let header = line.trim_end_matches('{').trim_end();
                let target = header.rsplit(' ').next().unwrap_or_default();
                inside = target == ty;
                continue;
            }
            if line.starts_with('}') {
                inside = false;
                continue;
            }
            if !inside {
                continue;
            }
            let code = line.trim_start();
            let indent = line.len() - code.len();
            let code = code.strip_prefix("pub(crate) ").unwrap_or(code);
            let code = code.strip_prefix("pub ").unwrap_or(code);
            let code = code.strip_prefix("async ").unwrap_or(code);
            if let (4, Some(rest)) = (indent, code.strip_prefix("fn ")) {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}

/// The names of the methods of the runtime trait `name` (its provided methods included), read
/// from the runtime's sources: a generated type implementing it must not define an inherent
/// method of one of these names, which would hide the trait's.
pub fn runtime_trait_methods(name: &str) -> Vec<String> {
    let header = format!("pub trait {name}");
    let mut out = Vec::new();
    for (_, text) in crate::emit::runtime::RUNTIME_FILES {
        let mut inside = false;
        for line in text.lines() {
            if line.starts_with(&header) {
                inside = true;
                continue;
            }
            if line.starts_with('}') {
                inside = false;
                continue;
            }
            let Some(rest) = line.strip_prefix("    fn ").filter(|_| inside) else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Names a top-level resource accessor on `Client` must not take.
pub fn client_accessors() -> Vec<String> {
    let mut out = runtime_methods("Client");
    out.extend(GENERATED_CLIENT_METHODS.iter().map(|s| (*s).to_owned()));
    out
}

/// Names a resource module must not take.
pub fn modules() -> Vec<String> {
    RESOURCES_MOD_ITEMS
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// Borrowed views for `Namespace::with_reserved`.
pub fn refs(names: &[String]) -> Vec<&str> {
    names.iter().map(String::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_methods_come_from_its_sources() {
        let client = runtime_methods("Client");
        for m in [
            "call",
            "base_url",
            "http_client",
            "http_client_builder",
            "clone",
        ] {
            assert!(client.contains(&m.to_owned()), "{m} in {client:?}");
        }
        let mock = runtime_methods("MockServer");
        for m in ["start", "uri", "client", "take_problems"] {
            assert!(mock.contains(&m.to_owned()), "{m} in {mock:?}");
        }
        assert!(runtime_methods("ClientBuilder").contains(&"build".to_owned()));
        let answers = runtime_trait_methods("Answers");
        for m in ["into_stub", "returns", "paged", "times", "events", "lines"] {
            assert!(answers.contains(&m.to_owned()), "{m} in {answers:?}");
        }
    }
}
