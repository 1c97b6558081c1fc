//! Names the generator or the runtime already use, which names made from the spec must not take.
//!
//! Read from one source each, never from hand-kept lists: the runtime's methods from its embedded
//! sources (`impl Client`, `impl MockServer`, ...: every method, hidden plumbing included, since
//! an inherent method hides a generated accessor of the same name), the methods of a generated
//! crate's own `Client` and `ClientBuilder` from the runtime's `client_types!` macro that defines
//! them, and the generator's own names from the constants that emit them.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

/// The modules and items the generator writes beside resource modules in `src/resources/`.
pub const RESOURCES_MOD_ITEMS: &[&str] = &["tables"];

/// The methods of std traits that runtime types derive (`PartialEq`, `Default`), which the
/// source reading below does not see (it adds `clone` and `fmt` itself).
const DERIVED_METHODS: &[&str] = &["eq", "ne", "default"];

/// The names of every method of the runtime type `ty`: in its inherent `impl` blocks and its
/// trait impls (`clone` from `derive(Clone)` included), read from the runtime's sources.
pub fn runtime_methods(ty: &str) -> Vec<String> {
    static ALL: LazyLock<HashMap<String, Vec<String>>> = LazyLock::new(read_runtime_methods);
    let mut out = vec!["clone".to_owned(), "fmt".to_owned()];
    for name in ALL.get(ty).into_iter().flatten() {
        if !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

/// The methods of every `impl` target in the runtime's sources, read in one pass.
fn read_runtime_methods() -> HashMap<String, Vec<String>> {
    let mut all: HashMap<String, Vec<String>> = HashMap::new();
    for (_, text) in crate::emit::runtime::RUNTIME_FILES {
        let mut target: Option<&str> = None;
        for line in text.lines() {
            if line.starts_with("impl") {
                let header = line.trim_end_matches('{').trim_end();
                target = header.rsplit(' ').next();
                continue;
            }
            if line.starts_with('}') {
                target = None;
                continue;
            }
            let Some(ty) = target else { continue };
            let code = line.trim_start();
            let indent = line.len() - code.len();
            let code = code.strip_prefix("pub(crate) ").unwrap_or(code);
            let code = code.strip_prefix("pub ").unwrap_or(code);
            let code = code.strip_prefix("async ").unwrap_or(code);
            if let (4, Some(rest)) = (indent, code.strip_prefix("fn ")) {
                push_fn_name(rest, all.entry(ty.to_owned()).or_default());
            }
        }
    }
    all
}

/// `compute()`, once per `key` per process: the runtime's sources are embedded and never change,
/// and a large spec asks for the same names once per operation or parameter.
fn memo(key: String, compute: impl FnOnce() -> Vec<String>) -> Vec<String> {
    static CACHE: LazyLock<Mutex<HashMap<String, Vec<String>>>> = LazyLock::new(Default::default);
    let lock = || CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(names) = lock().get(&key) {
        return names.clone();
    }
    let names = compute();
    lock().insert(key, names.clone());
    names
}

/// Adds the name at the start of `rest` (what follows `fn `) to `out`, once.
fn push_fn_name(rest: &str, out: &mut Vec<String>) {
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if !name.is_empty() && !out.contains(&name) {
        out.push(name);
    }
}

/// The names of every method the runtime's `client_types!` macro gives the generated type bound
/// to `var` (`client` or `builder`), in its inherent `impl` and its trait impls, plus `clone`
/// and `fmt` (derived).
pub fn generated_type_methods(var: &str) -> Vec<String> {
    memo(format!("client_types ${var}"), || {
        let mut out = vec!["clone".to_owned(), "fmt".to_owned()];
        push_macro_methods("client_types.rs", var, &mut out);
        out
    })
}

/// The names a query setter of a generated stub wrapper must not take: the answers the
/// runtime's `stub_answers!` macro gives the wrapper and the methods of its `StubWrapper` trait.
pub fn stub_wrapper_methods() -> Vec<String> {
    memo("stub_answers $wrapper".to_owned(), || {
        let mut out = runtime_trait_methods("StubWrapper");
        push_macro_methods("mock_answers.rs", "wrapper", &mut out);
        out
    })
}

/// Adds to `out` the methods a runtime macro in `file` defines in its `impl` blocks for the
/// type bound to `$var`.
fn push_macro_methods(file: &str, var: &str, out: &mut Vec<String>) {
    let Some((_, text)) = crate::emit::runtime::RUNTIME_FILES
        .iter()
        .find(|(name, _)| *name == file)
    else {
        return;
    };
    let target = format!("${var}");
    let mut inside = false;
    for line in text.lines().map(str::trim_start) {
        if line.starts_with("impl") {
            let header = line.trim_end_matches('{').trim_end();
            let ty = header.rsplit(' ').next().unwrap_or_default();
            inside = ty.split('<').next() == Some(target.as_str());
            continue;
        }
        let code = line.strip_prefix("pub ").unwrap_or(line);
        if let (true, Some(rest)) = (inside, code.strip_prefix("fn ")) {
            push_fn_name(rest, out);
        }
    }
}

/// The names of the methods of the runtime trait `name` (its provided methods included), read
/// from the runtime's sources: a generated type implementing it must not define an inherent
/// method of one of these names, which would hide the trait's.
pub fn runtime_trait_methods(name: &str) -> Vec<String> {
    memo(format!("trait {name}"), || read_trait_methods(name))
}

fn read_trait_methods(name: &str) -> Vec<String> {
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
            push_fn_name(rest, &mut out);
        }
    }
    out
}

/// Names a top-level resource accessor on the generated crate's `Client` must not take: the
/// methods `client_types!` gives it.
pub fn client_accessors() -> Vec<String> {
    generated_type_methods("client")
}

/// Names a credential method must not take: it becomes an inherent method of the generated
/// crate's `ClientBuilder` (beside those `client_types!` gives it) and a `CredentialsExt`
/// constructor on the runtime's `Credentials`.
pub fn credential_methods() -> Vec<String> {
    let mut out = generated_type_methods("builder");
    for name in runtime_methods("Credentials")
        .into_iter()
        .chain(DERIVED_METHODS.iter().map(|s| (*s).to_owned()))
    {
        if !out.contains(&name) {
            out.push(name);
        }
    }
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
        let answers = stub_wrapper_methods();
        for m in [
            "into_stub",
            "returns",
            "paged",
            "times",
            "events",
            "lines",
            "chunks",
        ] {
            assert!(answers.contains(&m.to_owned()), "{m} in {answers:?}");
        }
    }

    #[test]
    fn generated_client_methods_come_from_the_runtime_macro() {
        let client = client_accessors();
        for m in [
            "builder",
            "from_env",
            "runtime",
            "into_runtime",
            "from_runtime",
            "base_url",
            "as_ref",
            "from",
        ] {
            assert!(client.contains(&m.to_owned()), "{m} in {client:?}");
        }
        // Builder settings are not client methods: a resource may be called `timeout`.
        assert!(!client.contains(&"timeout".to_owned()), "{client:?}");
        let builder = credential_methods();
        for m in [
            "build",
            "timeout",
            "add_credentials",
            "without_credentials",
            "from_env_with",
            "env",
            "secret",
            "token_provider",
            "eq",
        ] {
            assert!(builder.contains(&m.to_owned()), "{m} in {builder:?}");
        }
    }
}
