//! The resource tree and method names of every operation, planned from all paths at once.
//!
//! A path becomes a chain of resources and a method: `POST /chat/completions` is
//! `chat().completions().create()`, `POST /batches/{id}/cancel` is `batches().cancel(id)`.
//! Version segments (`v1`, `2010-04-01`), file extensions (`.json`) and a leading scope that
//! many paths share (`/accounts/{account_id}`) are not levels; their parameters stay positional,
//! unless the operation's tag names the scope as the owner of what is below it (`Account
//! Members` for `/accounts/{account_id}/members`: `accounts().members()`).
//! A PUT is `update`; beside a PATCH, the PATCH is `edit` (Stainless's names), and beside a POST
//! that updates, the PUT is `replace`; a trailing `bulk` is a method prefix (`bulk_update`); a
//! plural noun is a collection, never an action; a plural read whole on an instance (only a GET,
//! no query, nothing below) is `get`, as `list` is kept for what filters or pages; where two
//! paths give one call, the path on the tree keeps it.
//! `x-rust-resource` (dotted for a nested resource) and `x-rust-method` override the result. A
//! name two operations of one handle would share falls back to the later one's operationId.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{SpecError, SpecResult};
use crate::ir::Method;
use crate::naming;

/// What the planner needs to know about one operation.
pub struct OpIn<'a> {
    pub path: &'a str,
    pub method: Method,
    pub operation_id: String,
    /// The operation's first tag, if any.
    pub tag: Option<&'a str>,
    /// Whether it takes an optional query parameter that asks for a page (`page`, a cursor,
    /// `offset`): a GET of a singular path then lists (`GET /feed?cursor=` is `feed().list()`).
    pub paged: bool,
    /// Whether it takes any query parameter at all.
    pub queried: bool,
    /// `x-rust-resource` and `x-rust-method`, with the operation's pointer for errors.
    pub resource_override: Option<&'a serde_json::Value>,
    pub method_override: Option<&'a serde_json::Value>,
    pub pointer: &'a str,
}

/// The planned names of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The accessor chain from the client (snake_case), never empty.
    pub chain: Vec<String>,
    /// The method name on the last handle (snake_case, not yet escaped).
    pub method: String,
    /// Whether the name is the operationId fallback.
    pub fallback: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Static(String),
    Param,
}

/// Splits a path into segments without versions, numbers and file extensions; also returns a
/// version dropped after the first resource (`/images/v2`), which can tell two calls apart.
fn segments(path: &str) -> (Vec<Seg>, Option<String>) {
    let mut out = Vec::new();
    let mut inner_version = None;
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let s = strip_extension(raw);
        if s.contains('{') {
            out.push(Seg::Param);
        } else if is_version(s) {
            if !out.is_empty() {
                inner_version = Some(word(s));
            }
        } else {
            let name = word(s);
            if !name.is_empty() {
                out.push(Seg::Static(name));
            }
        }
    }
    (out, inner_version)
}

/// `Calls.json` -> `Calls`, `{Sid}.json` -> `{Sid}`: a short all-letter suffix after a dot.
fn strip_extension(s: &str) -> &str {
    match s.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && (2..=5).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_lowercase()) =>
        {
            stem
        }
        _ => s,
    }
}

/// `v1`, `v2beta1`, `2.0`, `2010-04-01`: a version, not a resource.
pub fn is_version(s: &str) -> bool {
    let b = s.as_bytes();
    let after_v = b.first().is_some_and(|c| *c == b'v' || *c == b'V')
        && b.get(1).is_some_and(u8::is_ascii_digit)
        && s[1..]
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
            .bytes()
            .all(|c| c.is_ascii_alphanumeric());
    after_v
        || (!s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_digit() || c == b'.' || c == b'-'))
}

/// A segment as an identifier word: snake_case, a leading digit spelled out (`1-clicks` ->
/// `one_clicks`), so no handle is named after a number.
fn word(s: &str) -> String {
    const DIGITS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    let snake = naming::snake(s);
    let snake = naming::bare(&snake).trim_matches('_');
    match snake.as_bytes().first() {
        Some(d) if d.is_ascii_digit() => format!("{}_{}", DIGITS[(d - b'0') as usize], &snake[1..])
            .replace("__", "_")
            .trim_end_matches('_')
            .to_owned(),
        _ => snake.to_owned(),
    }
}

/// Whether a word reads as a plural noun (`files`, `settings`), not `status` or `address`.
fn plural(word: &str) -> bool {
    word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is")
}

/// The statics of a segment list, joined: the key of a collection whatever its parameters.
fn key(segs: &[Seg]) -> String {
    segs.iter()
        .filter_map(|s| match s {
            Seg::Static(n) => Some(n.as_str()),
            Seg::Param => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The leading `static/{param}` prefixes that many paths share, as scopes (not levels): at
/// least 10 operations, a fifth of all, and four different things below them; or every
/// operation of a spec of two or more (a spec cut out of a larger API).
fn scopes(all: &[Vec<Seg>]) -> BTreeSet<String> {
    let mut below: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    for segs in all {
        if let [Seg::Static(s), Seg::Param, Seg::Static(next), ..] = segs.as_slice() {
            let e = below.entry(s.clone()).or_default();
            e.0 += 1;
            e.1.insert(next.clone());
        }
    }
    below
        .into_iter()
        .filter(|(_, (n, next))| {
            (*n >= 10 && *n * 5 >= all.len() && next.len() >= 4) || (*n >= 2 && *n == all.len())
        })
        .map(|(s, _)| s)
        .collect()
}

/// Whether the tag reads as the scope's own resource: `Account Members` (or `account-members`)
/// for `members` under the `accounts` scope (`Address Labels` under `addresses`, `Policy Rules`
/// under `policies`). Such a resource keeps the scope as a level, as an API's own SDK does
/// (`accounts().members()`); a product under the scope (`Load Balancer Monitors` under
/// `/accounts/{id}/load_balancers/monitors`) does not.
fn owned_by_scope(tag: Option<&str>, scope: &str, next: &str) -> bool {
    let Some(tag) = tag else { return false };
    let tag = naming::snake(tag);
    let singulars = [
        scope.strip_suffix("ies").map(|s| format!("{s}y")),
        scope.strip_suffix("es").map(str::to_owned),
        scope.strip_suffix('s').map(str::to_owned),
    ];
    singulars
        .into_iter()
        .flatten()
        .any(|singular| tag == format!("{singular}_{next}"))
}

/// Plans the chain and method of every operation, in order; `fallbacks` lists the operations
/// named after their operationId (`chain.method() for METHOD /path`).
pub fn plan(ops: &[OpIn<'_>]) -> SpecResult<(Vec<Named>, Vec<String>)> {
    let split: Vec<(Vec<Seg>, Option<String>)> = ops.iter().map(|o| segments(o.path)).collect();
    let mut all: Vec<Vec<Seg>> = split.iter().map(|(s, _)| s.clone()).collect();
    let scopes = scopes(&all);
    // The resources under a scope that one of their operations' tags names as the scope's own:
    // the whole subtree keeps the scope, whatever its other operations are tagged, so that it
    // stays one handle (`zones().settings()`, not also a top-level `settings()`).
    let owned: BTreeSet<(String, String)> = all
        .iter()
        .zip(ops)
        .filter_map(|(segs, op)| match segs.as_slice() {
            [Seg::Static(s), Seg::Param, Seg::Static(next), ..]
                if scopes.contains(s) && owned_by_scope(op.tag, s, next) =>
            {
                Some((s.clone(), next.clone()))
            }
            _ => None,
        })
        .collect();
    // The scope each operation's path was taken out of.
    let mut scope_of: Vec<Option<String>> = vec![None; ops.len()];
    for (segs, scope) in all.iter_mut().zip(&mut scope_of) {
        if let [Seg::Static(s), Seg::Param, Seg::Static(next), ..] = segs.as_slice() {
            if scopes.contains(s) && !owned.contains(&(s.clone(), next.clone())) {
                *scope = Some(s.clone());
                segs.drain(..2);
            }
        }
    }
    // Collections that have instances (`x/{id}`), by key; the statics right below each key;
    // the keys that have operations; and the methods on each path.
    let mut shape = Shape::default();
    let mut methods_at: BTreeMap<&str, BTreeSet<Method>> = BTreeMap::new();
    for (segs, op) in all.iter().zip(ops) {
        for i in 0..segs.len() {
            if matches!(segs.get(i + 1), Some(Seg::Param)) && matches!(segs[i], Seg::Static(_)) {
                shape.collections.insert(key(&segs[..=i]));
            }
            if let Seg::Static(s) = &segs[i] {
                shape
                    .below
                    .entry(key(&segs[..i]))
                    .or_default()
                    .insert(s.clone());
            }
        }
        shape.with_ops.insert(key(segs));
        methods_at.entry(op.path).or_default().insert(op.method);
    }
    let mut named = Vec::with_capacity(ops.len());
    for (segs, op) in all.iter().zip(ops) {
        let (mut chain, method) = derive(segs, op, &shape, &methods_at[op.path]);
        if chain.is_empty() {
            chain.push("root".to_owned());
        }
        named.push(Named {
            chain,
            method,
            fallback: false,
        });
    }
    rescope(&mut named, &scope_of);
    // Overrides last: they are the maintainer's word.
    for (n, op) in named.iter_mut().zip(ops) {
        if let Some(v) = op.resource_override {
            n.chain = resource_override(v, op.pointer)?;
        }
        if let Some(v) = op.method_override {
            n.method = method_override(v, op.pointer)?;
        }
    }
    // One namespace per handle: its child accessors, then its methods in spec order.
    let mut taken: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for n in &named {
        for i in 1..n.chain.len() {
            taken
                .entry(n.chain[..i].to_vec())
                .or_default()
                .insert(n.chain[i].clone());
        }
    }
    // Paths on the tree claim their names first: `/threads/{id}/runs` is the runs collection,
    // `/threads/runs` (past the `threads` collection without an instance) takes the fallback.
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by_key(|&i| (off_tree(&all[i], &shape.collections), i));
    let mut fallbacks = Vec::new();
    for i in order {
        let (n, op, version) = (&mut named[i], &ops[i], &split[i].1);
        let names = taken.entry(n.chain.clone()).or_default();
        for reserved in ["new", "client"] {
            names.insert(reserved.to_owned());
        }
        if names.insert(n.method.clone()) {
            continue;
        }
        // A version inside the path tells two calls apart (`list_v2`) before the operationId.
        if let Some(v) = version {
            let versioned = format!("{}_{v}", n.method);
            if names.insert(versioned.clone()) {
                n.method = versioned;
                continue;
            }
        }
        let mut fallback = naming::bare(&naming::snake(&op.operation_id)).to_owned();
        let base = fallback.clone();
        let mut i = 2;
        while !names.insert(fallback.clone()) {
            fallback = format!("{base}{i}");
            i += 1;
        }
        fallbacks.push(format!(
            "{}().{fallback}() for {} {} (`{}` is taken)",
            n.chain.join("()."),
            op.method.as_str(),
            op.path,
            n.method
        ));
        n.method = fallback;
        n.fallback = true;
    }
    Ok((named, fallbacks))
}

/// How many times a path steps from a collection straight to a static segment, past its
/// instances (`/threads/runs` beside `/threads/{id}`).
fn off_tree(segs: &[Seg], collections: &BTreeSet<String>) -> usize {
    (0..segs.len().saturating_sub(1))
        .filter(|&i| {
            matches!(segs[i], Seg::Static(_))
                && matches!(segs[i + 1], Seg::Static(_))
                && collections.contains(&key(&segs[..=i]))
        })
        .count()
}

/// Where paths of two scopes give the same call (`/accounts/{a}/rules` and `/zones/{z}/rules`),
/// the scope with fewer operations becomes a level again for that whole family (every call of
/// that scope under the same top-level resource): `zones().rules().list(zone_id)`.
fn rescope(named: &mut [Named], scope_of: &[Option<String>]) {
    let mut size: BTreeMap<&str, usize> = BTreeMap::new();
    for s in scope_of.iter().flatten() {
        *size.entry(s).or_default() += 1;
    }
    let mut by_call: BTreeMap<(Vec<String>, String), BTreeSet<Option<&str>>> = BTreeMap::new();
    for (n, s) in named.iter().zip(scope_of) {
        by_call
            .entry((n.chain.clone(), n.method.clone()))
            .or_default()
            .insert(s.as_deref());
    }
    let mut moved: BTreeSet<(&str, String)> = BTreeSet::new();
    for ((chain, _), scopes) in &by_call {
        if scopes.len() < 2 {
            continue;
        }
        // The keeper: no scope at all, else the scope with the most operations.
        let keeper = scopes
            .iter()
            .max_by_key(|s| s.map_or((1, usize::MAX), |s| (0, size[s])))
            .copied()
            .flatten();
        for s in scopes.iter().flatten() {
            if Some(*s) != keeper {
                moved.insert((s, chain[0].clone()));
            }
        }
    }
    for (n, s) in named.iter_mut().zip(scope_of) {
        if let Some(s) = s.as_deref() {
            if moved.contains(&(s, n.chain[0].clone())) {
                n.chain.insert(0, s.to_owned());
            }
        }
    }
}

/// What all paths together say about each place.
#[derive(Default)]
struct Shape {
    /// Keys of collections with instances (`x/{id}` somewhere).
    collections: BTreeSet<String>,
    /// The statics right below each key.
    below: BTreeMap<String, BTreeSet<String>>,
    /// Keys that have operations of their own.
    with_ops: BTreeSet<String>,
}

/// The method verbs of collections and instances: a level of one of these names (`/system/update/
/// ...`) is joined to the next (`update_repositories`) so that no handle reads like a verb.
const VERBS: &[&str] = &[
    "list", "create", "get", "update", "replace", "edit", "delete",
];

/// A last segment that says a write is to many items at once: a prefix of the method.
const BULK: &str = "bulk";

/// The chain and method a path gives, before overrides.
fn derive(
    segs: &[Seg],
    op: &OpIn<'_>,
    shape: &Shape,
    methods: &BTreeSet<Method>,
) -> (Vec<String>, String) {
    let several_methods = methods.len() > 1;
    let collections = &shape.collections;
    let mut statics: Vec<String> = Vec::new();
    let mut carry: Option<String> = None;
    let last_static = segs.iter().rposition(|s| matches!(s, Seg::Static(_)));
    for (i, s) in segs.iter().enumerate() {
        if let Seg::Static(n) = s {
            let n = match carry.take() {
                Some(c) => format!("{c}_{n}"),
                None => n.clone(),
            };
            if VERBS.contains(&n.as_str()) && Some(i) != last_static {
                carry = Some(n);
            } else {
                statics.push(n);
            }
        }
    }
    let instance = matches!(segs.last(), Some(Seg::Param));
    if instance || statics.is_empty() {
        let verb = match op.method {
            Method::Get => "get",
            // POST beside a PATCH on one instance creates it (`POST /routes/{cidr}`).
            Method::Post if methods.contains(&Method::Patch) => "create",
            Method::Patch => patch_verb(methods, "update", "edit"),
            Method::Post => "update",
            Method::Put => put_verb(methods, "update", "replace"),
            Method::Delete => "delete",
            Method::Head => "head",
            Method::Options => "options",
        };
        return (statics, verb.to_owned());
    }
    let Some(last) = statics.last().cloned() else {
        return (statics, "get".to_owned());
    };
    let last = &last;
    let parent = &segs[..segs.len() - 1];
    let is_collection = collections.contains(&key(segs));
    // A last segment that is a method of what comes before it: an action on an instance
    // (`/batches/{id}/cancel`), a singleton of a collection (`/users/me`), or a noun read on
    // an instance (`/files/{id}/content`).
    // Never a path that others go below (`/logpush/ownership` beside `.../ownership/validate`).
    let leaf = shape.below.get(&key(segs)).is_none_or(BTreeSet::is_empty);
    // `bulk` says how, not what: `PUT /namespaces/{id}/bulk` is `namespaces().bulk_update(id)`.
    if last == BULK && statics.len() > 1 {
        let verb = match op.method {
            Method::Get => "get",
            Method::Post => "create",
            Method::Put => put_verb(methods, "update", "replace"),
            Method::Patch => patch_verb(methods, "update", "edit"),
            Method::Delete => "delete",
            Method::Head => "head",
            Method::Options => "options",
        };
        return (
            statics[..statics.len() - 1].to_vec(),
            format!("{BULK}_{verb}"),
        );
    }
    // A plural noun is a collection whatever the method (`POST /uploads/{id}/parts` creates);
    // a phrase of several words on an instance can still be an action (`submit_tool_outputs`).
    let action = !is_collection
        && !several_methods
        && leaf
        && match parent.last() {
            Some(Seg::Param) => !plural(last) || (last.contains('_') && op.method != Method::Get),
            Some(Seg::Static(_)) => {
                !plural(last)
                    && (collections.contains(&key(parent))
                        || shape.below.get(&key(parent)).is_some_and(|b| b.len() >= 2)
                        || shape.with_ops.contains(&key(parent)))
            }
            None => false,
        };
    if action {
        return (statics[..statics.len() - 1].to_vec(), last.clone());
    }
    // A plural noun read whole on an instance, with nothing to filter or page by and no other
    // call, is one value of it (`GET /pools/{id}/references` is `pools().references().get(id)`).
    let read_whole = op.method == Method::Get
        && !is_collection
        && !several_methods
        && leaf
        && !op.paged
        && !op.queried
        && matches!(parent.last(), Some(Seg::Param));
    // On a collection whose items have calls of their own, a write is to many items at once.
    let verb = match op.method {
        Method::Get if read_whole => "get",
        Method::Get if is_collection || plural(last) || op.paged => "list",
        Method::Get => "get",
        Method::Post => "create",
        Method::Put if is_collection => put_verb(methods, "bulk_update", "bulk_replace"),
        Method::Patch if is_collection => patch_verb(methods, "bulk_update", "bulk_edit"),
        Method::Delete if is_collection => "bulk_delete",
        Method::Put => put_verb(methods, "update", "replace"),
        Method::Patch => patch_verb(methods, "update", "edit"),
        Method::Delete => "delete",
        Method::Head => "head",
        Method::Options => "options",
    };
    (statics, verb.to_owned())
}

/// A PUT is the update of its path. Beside a POST that updates too (no PATCH there), the PUT is
/// the `replace` that tells the two apart.
fn put_verb(
    methods: &BTreeSet<Method>,
    update: &'static str,
    replace: &'static str,
) -> &'static str {
    if methods.contains(&Method::Post) && !methods.contains(&Method::Patch) {
        replace
    } else {
        update
    }
}

/// A PATCH is the update of its path, or its `edit` beside a PUT (which is then the `update`):
/// the names of the Stainless SDKs, such as Cloudflare's (`pools.update` / `pools.edit`).
fn patch_verb(
    methods: &BTreeSet<Method>,
    update: &'static str,
    edit: &'static str,
) -> &'static str {
    if methods.contains(&Method::Put) {
        edit
    } else {
        update
    }
}

fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !s.as_bytes()[0].is_ascii_digit()
}

/// `x-rust-resource`: a snake_case name, or a dotted chain of them (`chat.completions`).
fn resource_override(v: &serde_json::Value, op_ptr: &str) -> SpecResult<Vec<String>> {
    let ptr = crate::load::child(op_ptr, "x-rust-resource");
    let Some(s) = v.as_str() else {
        return Err(SpecError::new(ptr, "`x-rust-resource` must be a string"));
    };
    let parts: Vec<String> = s.split('.').map(str::to_owned).collect();
    if parts.iter().all(|p| is_word(p)) {
        Ok(parts)
    } else {
        Err(SpecError::new(
            ptr,
            format!(
                "`x-rust-resource: {s}` must be a snake_case name or a dotted chain of them \
                 (`chat.completions`)"
            ),
        ))
    }
}

/// `x-rust-method`: a snake_case name.
fn method_override(v: &serde_json::Value, op_ptr: &str) -> SpecResult<String> {
    let ptr = crate::load::child(op_ptr, "x-rust-method");
    match v.as_str() {
        Some(s) if is_word(s) => Ok(s.to_owned()),
        Some(s) => Err(SpecError::new(
            ptr,
            format!("`x-rust-method: {s}` must be a snake_case name (`list`, `cancel`)"),
        )),
        None => Err(SpecError::new(ptr, "`x-rust-method` must be a string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An operation at `path` with the facts the planner reads; no overrides.
    fn op<'a>(path: &'a str, method: Method, tag: Option<&'a str>, paged: bool) -> OpIn<'a> {
        OpIn {
            path,
            method,
            operation_id: format!("{}{}", method.as_str(), path),
            tag,
            paged,
            queried: true,
            resource_override: None,
            method_override: None,
            pointer: "#",
        }
    }

    /// The planned calls of `ops`, as `chain().method`.
    fn planned(ops: &[OpIn<'_>]) -> Vec<String> {
        let (named, _) = plan(ops).expect("plans");
        named
            .into_iter()
            .map(|n| format!("{}().{}", n.chain.join("()."), n.method))
            .collect()
    }

    fn calls(paths: &[(&str, Method)]) -> Vec<String> {
        let ops: Vec<OpIn> = paths.iter().map(|(p, m)| op(p, *m, None, false)).collect();
        planned(&ops)
    }

    #[test]
    fn paths_become_a_tree_with_verbs() {
        use Method::*;
        assert_eq!(
            calls(&[
                ("/v1/chat/completions", Post),
                ("/v1/chat/completions/{id}", Get),
                ("/v1/batches", Get),
                ("/v1/batches/{id}", Get),
                ("/v1/batches/{id}/cancel", Post),
                ("/v1/files/{id}/content", Get),
                ("/v1/users/{id}", Patch),
                ("/v1/users/me", Get),
                ("/v1/vector_stores/{id}/files/{file_id}", Delete),
                ("/v1/containers/{id}/files", Get),
            ]),
            [
                "chat().completions().create",
                "chat().completions().get",
                "batches().list",
                "batches().get",
                "batches().cancel",
                "files().content",
                "users().update",
                "users().me",
                "vector_stores().files().delete",
                "containers().files().list",
            ]
        );
    }

    #[test]
    fn versions_extensions_and_shared_scopes_are_not_levels() {
        use Method::*;
        let mut paths: Vec<(String, Method)> = Vec::new();
        for r in ["Calls", "Messages", "Queues", "Conferences", "Recordings"] {
            paths.push((format!("/2010-04-01/Accounts/{{AccountSid}}/{r}.json"), Get));
            paths.push((
                format!("/2010-04-01/Accounts/{{AccountSid}}/{r}/{{Sid}}.json"),
                Get,
            ));
        }
        paths.push(("/2010-04-01/Accounts.json".to_owned(), Get));
        let refs: Vec<(&str, Method)> = paths.iter().map(|(p, m)| (p.as_str(), *m)).collect();
        let got = calls(&refs);
        assert_eq!(got[0], "calls().list");
        assert_eq!(got[1], "calls().get");
        assert_eq!(got[10], "accounts().list");
        assert!(is_version("v2beta1") && is_version("2.0") && !is_version("volumes"));
        assert_eq!(word("1-clicks"), "one_clicks");
    }

    #[test]
    fn a_paged_get_of_a_singular_path_lists() {
        let ops = [
            op("/feed", Method::Get, None, true),
            op("/status", Method::Get, None, false),
            op("/users/{id}/feed", Method::Get, None, true),
        ];
        // An action on an instance stays an action; only the `get` of a singular path changes.
        assert_eq!(
            planned(&ops),
            ["feed().list", "status().get", "users().feed"]
        );
    }

    #[test]
    fn a_tag_naming_the_scope_as_owner_keeps_the_scope() {
        let mut paths = Vec::new();
        for r in ["members", "pools", "queues", "monitors", "rules"] {
            paths.push(format!("/accounts/{{account_id}}/{r}"));
            paths.push(format!("/accounts/{{account_id}}/{r}/{{id}}"));
        }
        let tags = [
            "Account Members",
            "Load Balancer Pools",
            "Queues",
            "Account Monitor",
            "x",
        ];
        let mut ops: Vec<OpIn> = paths
            .iter()
            .enumerate()
            .map(|(i, p)| op(p, Method::Get, Some(tags[i / 2]), false))
            .collect();
        let got = planned(&ops);
        assert_eq!(got[0], "accounts().members().list");
        assert_eq!(got[1], "accounts().members().get");
        assert_eq!(got[2], "pools().list");
        assert_eq!(got[4], "queues().list");
        // `Account Monitor` is not `Account Monitors`: the words must match.
        assert_eq!(got[6], "monitors().list");
        // An operation of an owned subtree tagged otherwise stays in it: one handle.
        let rules = "/accounts/{account_id}/members/{id}/rules";
        ops.push(op(rules, Method::Get, Some("Member Rules"), false));
        assert_eq!(
            planned(&ops).last().map(String::as_str),
            Some("accounts().members().rules().list")
        );
        assert!(owned_by_scope(Some("Policy Rules"), "policies", "rules"));
        assert!(owned_by_scope(
            Some("Address Labels"),
            "addresses",
            "labels"
        ));
    }

    #[test]
    fn put_bulk_plural_posts_and_off_tree_paths() {
        use Method::*;
        assert_eq!(
            calls(&[
                ("/queues/{id}", Put),
                ("/pools/{id}", Put),
                ("/pools/{id}", Patch),
                ("/calls/{id}", Post),
                ("/calls/{id}", Put),
                ("/ns/{id}/bulk", Put),
                ("/ns/{id}/bulk", Delete),
                ("/uploads/{id}/parts", Post),
                ("/runs/{id}/submit_tool_outputs", Post),
                ("/threads/runs", Post),
                ("/threads/{id}", Get),
                ("/threads/{id}/runs", Post),
            ]),
            [
                "queues().update",
                // Beside a PATCH, the PUT updates and the PATCH edits; beside a POST that
                // updates, the PUT replaces.
                "pools().update",
                "pools().edit",
                "calls().update",
                "calls().replace",
                "ns().bulk_update",
                "ns().bulk_delete",
                "uploads().parts().create",
                "runs().submit_tool_outputs",
                "threads().runs().post_threads_runs",
                "threads().get",
                "threads().runs().create",
            ]
        );
    }

    #[test]
    fn a_plural_read_whole_on_an_instance_is_get() {
        let mut references = op("/pools/{pool_id}/references", Method::Get, None, false);
        references.queried = false;
        let mut filtered = op("/pools/{pool_id}/origins", Method::Get, None, false);
        filtered.queried = true;
        let mut top = op("/models", Method::Get, None, false);
        top.queried = false;
        let mut written = op("/pools/{pool_id}/members", Method::Get, None, false);
        written.queried = false;
        let ops = [
            op("/pools", Method::Get, None, true),
            op("/pools/{pool_id}", Method::Get, None, false),
            references,
            filtered,
            top,
            written,
            op("/pools/{pool_id}/members", Method::Post, None, false),
        ];
        assert_eq!(
            planned(&ops),
            [
                "pools().list",
                "pools().get",
                "pools().references().get",
                "pools().origins().list",
                "models().list",
                "pools().members().list",
                "pools().members().create",
            ]
        );
    }

    #[test]
    fn overrides_are_checked() {
        let bad = serde_json::json!("Chat..completions");
        let err = resource_override(&bad, "#/paths/~1a/get").unwrap_err();
        assert!(format!("{err:?}").contains("x-rust-resource"), "{err:?}");
        let ok = serde_json::json!("chat.completions");
        assert_eq!(
            resource_override(&ok, "#").unwrap(),
            ["chat", "completions"]
        );
        assert!(method_override(&serde_json::json!(3), "#").is_err());
    }
}
