//! The calls a user of a generated crate types, measured from the IR: handles, chain depth,
//! methods named by a verb or an action, operationId fallbacks, odd handle names, collisions
//! and sample calls (`METHOD /path -> client.a().b().method(args)`).

use std::collections::BTreeMap;

use codegen::ir::{Api, Operation};
use codegen::naming::bare;

/// The verbs of collections and instances.
const CRUD: &[&str] = &[
    "list", "create", "get", "update", "replace", "delete", "head", "options",
];

/// Words that make a handle read like an action (the examples and the usual ones).
const ACTION_VERBS: &[&str] = &[
    "cancel",
    "accept",
    "activate",
    "deactivate",
    "archive",
    "complete",
    "copy",
    "commit",
    "revert",
    "regenerate",
    "apply",
    "execute",
    "start",
    "stop",
    "resend",
    "merge",
    "hangup",
    "compact",
    "ask",
    "create",
    "delete",
    "update",
    "get",
    "list",
    "post",
    "put",
    "patch",
];

/// What the calls of one generated crate look like.
#[derive(Debug, Clone, Default)]
pub struct Calls {
    /// Operations generated.
    pub operations: usize,
    /// Resource handles.
    pub handles: usize,
    /// The longest accessor chain (`client.a().b()` is 2).
    pub deepest: usize,
    /// Methods named by a collection/instance verb or by an action segment of the path.
    pub by_verb: usize,
    /// Methods named after the operationId because the path's name was taken.
    pub fallbacks: usize,
    /// Those calls (`METHOD /path -> call`).
    pub fallback_calls: Vec<String>,
    /// Handles named like a verb, a file extension or a number.
    pub odd_handles: Vec<String>,
    /// Names two things of one handle share (`chain.name`).
    pub collisions: Vec<String>,
    /// Ten calls spread over the spec: `METHOD /path -> call`.
    pub samples: Vec<String>,
    /// Every call, in spec order.
    pub all: Vec<String>,
}

impl Calls {
    /// The table header matching [`Calls::line`].
    pub const HEADER: &'static str = "| Spec | Operations | Handles | Deepest chain | By verb or action | operationId fallbacks | Odd handles | Collisions |\n|---|---|---|---|---|---|---|---|";

    /// Measures the calls of `api`.
    pub fn of(api: &Api) -> Self {
        let mut out = Calls {
            handles: api.resources.len(),
            ..Calls::default()
        };
        let mut all: Vec<(String, &Operation)> = Vec::new();
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        for (i, r) in api.resources.iter().enumerate() {
            let chain = api.chain(i);
            out.deepest = out.deepest.max(chain.matches("()").count());
            let accessor = bare(&r.accessor);
            let odd = ACTION_VERBS.contains(&accessor)
                || accessor.ends_with("_json")
                || accessor.ends_with("_xml")
                || accessor
                    .trim_start_matches('_')
                    .starts_with(|c: char| c.is_ascii_digit());
            if odd {
                out.odd_handles.push(chain.clone());
            }
            let parent = r
                .parent
                .map_or_else(|| "client".to_owned(), |p| api.chain(p));
            *names.entry(format!("{parent}.{accessor}")).or_default() += 1;
            for op in &r.operations {
                *names
                    .entry(format!("{chain}.{}", bare(&op.method_name)))
                    .or_default() += 1;
                all.push((chain.clone(), op));
            }
        }
        out.collisions = names
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(k, _)| k)
            .collect();
        out.operations = all.len();
        out.fallback_calls = all
            .iter()
            .filter(|(_, o)| o.name_fallback)
            .map(|(chain, op)| call(chain, op))
            .collect();
        out.fallbacks = out.fallback_calls.len();
        out.by_verb = all
            .iter()
            .filter(|(_, o)| !o.name_fallback || CRUD.contains(&bare(&o.method_name)))
            .count();
        out.all = all.iter().map(|(chain, op)| call(chain, op)).collect();
        let step = (all.len() / 10).max(1);
        out.samples = all
            .iter()
            .step_by(step)
            .take(10)
            .map(|(chain, op)| call(chain, op))
            .collect();
        out
    }

    /// Whether the calls meet the targets: fallbacks at most 3% of operations, no odd handle,
    /// no collision.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.fallbacks * 100 > self.operations * 3 {
            out.push(format!(
                "{} of {} operations fall back to their operationId (over 3%)",
                self.fallbacks, self.operations
            ));
        }
        if !self.odd_handles.is_empty() {
            out.push(format!(
                "handles named like a verb, an extension or a number: {:?}",
                self.odd_handles
            ));
        }
        if !self.collisions.is_empty() {
            out.push(format!("names shared on one handle: {:?}", self.collisions));
        }
        out
    }

    /// One Markdown table row.
    pub fn line(&self, spec: &str) -> String {
        let pct = |n: usize| 100.0 * n as f64 / self.operations.max(1) as f64;
        format!(
            "| {spec} | {} | {} | {} | {} ({:.0}%) | {} ({:.1}%) | {} | {} |",
            self.operations,
            self.handles,
            self.deepest,
            self.by_verb,
            pct(self.by_verb),
            self.fallbacks,
            pct(self.fallbacks),
            self.odd_handles.len(),
            self.collisions.len()
        )
    }
}

/// `GET /v1/batches/{batch_id} -> client.batches().get(batch_id)`.
pub(crate) fn call(chain: &str, op: &Operation) -> String {
    let mut args: Vec<&str> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| bare(&p.name))
        .collect();
    if op.body.as_ref().is_some_and(|b| b.required) {
        args.push("body");
    }
    format!(
        "{} {} -> client.{chain}.{}({})",
        op.method.as_str(),
        op.path,
        bare(&op.method_name),
        args.join(", ")
    )
}
