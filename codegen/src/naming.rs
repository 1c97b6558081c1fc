//! Naming: every Rust identifier the generator emits comes from here.
//!
//! Spec names are converted with `heck`, keywords are escaped, and collisions are resolved
//! deterministically by numbering in first-come order. The wire name is kept separately and
//! emitted in the struct's hand-written `Serialize` and `Deserialize` impls.

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToSnakeCase};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Keeps letters, digits and separators; everything else becomes a separator, so that spec text
/// can never reach the output as anything but an identifier.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// The words of `raw` when it is plain lower snake case (only `a-z`, `0-9` and `_`), the
/// commonest spelling of spec names: then each `_`-separated piece is one word as heck splits
/// it, and [`snake`] and [`pascal`] can skip heck's general (and much slower) word splitting.
/// The unit test `plain_names_skip_heck_with_the_same_result` holds the two paths equal.
fn plain_words(raw: &str) -> Option<impl Iterator<Item = &str>> {
    raw.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        .then(|| raw.split('_').filter(|w| !w.is_empty()))
}

/// `raw` in snake case, as heck writes it.
fn snake_case(raw: &str) -> String {
    match plain_words(raw) {
        Some(mut words) => {
            let mut out = String::with_capacity(raw.len());
            if let Some(first) = words.next() {
                out.push_str(first);
            }
            for w in words {
                out.push('_');
                out.push_str(w);
            }
            out
        }
        None => words(raw).to_snake_case(),
    }
}

/// `raw` in Pascal case, as heck writes it.
fn pascal_case(raw: &str) -> String {
    match plain_words(raw) {
        Some(words) => {
            let mut out = String::with_capacity(raw.len());
            for w in words {
                out.push(char::from(w.as_bytes()[0].to_ascii_uppercase()));
                out.push_str(&w[1..]);
            }
            out
        }
        None => words(raw).to_pascal_case(),
    }
}

/// A `snake_case` identifier for a field, parameter, method or module, escaped if needed.
pub fn snake(raw: &str) -> String {
    let s = snake_case(raw);
    escape(if s.is_empty() { "value".to_owned() } else { s }, "_")
}

/// A `PascalCase` identifier for a type or variant.
pub fn pascal(raw: &str) -> String {
    let s = pascal_case(raw);
    escape(if s.is_empty() { "Value".to_owned() } else { s }, "T")
}

/// An enum variant name for a wire value, which may be empty or start with a digit.
pub fn variant(raw: &str) -> String {
    let s = pascal_case(raw);
    if s.is_empty() {
        return "Empty".to_owned();
    }
    escape(s, "V")
}

fn escape(s: String, digit_prefix: &str) -> String {
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{s}")
    } else {
        s
    };
    if NON_RAW_KEYWORDS.contains(&s.as_str()) {
        format!("{s}_")
    } else if RAW_KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// A type name from a hint built by joining names (`{owner}{field}`). The parts may carry the
/// escapes of [`pascal`] (`Self_`, a trailing `_`), which would put an underscore inside the
/// joined name and trip rustc's `non_camel_case_types` lint (`Self_Fn`, `Value_Type`). Inner
/// underscores are dropped; trailing ones are kept, so that names stay distinct and stable.
pub fn type_name(hint: &str) -> String {
    let stem = hint.trim_end_matches('_');
    if !stem.contains('_') && stem != "Self" && !stem.is_empty() {
        return hint.to_owned();
    }
    let joined: String = stem.chars().filter(|c| *c != '_').collect();
    let name = pascal(&joined);
    if name.ends_with('_') {
        name
    } else {
        format!("{name}{}", &hint[stem.len()..])
    }
}

/// The identifier text without a raw prefix, for deriving other names from it.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Spec text as an inline code span: backticks and line breaks removed, so it cannot end the
/// span early, and empty text shown as `""`. Lowering and the emitters both write docs with it.
pub fn code_span(text: &str) -> String {
    let keep = |c: &char| *c != '`' && !c.is_control();
    // Most names have nothing to drop and are used as they are.
    let t: std::borrow::Cow<'_, str> = if text.chars().all(|c| keep(&c)) {
        text.into()
    } else {
        text.chars().filter(keep).collect::<String>().into()
    };
    if t.trim().is_empty() {
        "`\"\"`".to_owned()
    } else {
        format!("`{t}`")
    }
}

/// Hands out unique names in one namespace, numbering later claimants of a taken name.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A namespace with some names reserved up front.
    pub fn with_reserved(names: &[&str]) -> Self {
        Self {
            taken: names.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Returns `wanted` if free, otherwise `wanted2`, `wanted3`, ...; the result is then taken.
    /// An escape underscore is dropped before the number (`Self_` gives `Self2`, not `Self_2`,
    /// which would trip the naming lints).
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = bare(wanted);
        if self.taken.insert(base.to_owned()) {
            return wanted.to_owned();
        }
        let base = match base.trim_end_matches('_') {
            "" => base,
            stem => stem,
        };
        let mut n = 2usize;
        loop {
            let candidate = format!("{base}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// The words of a `PascalCase` name: a new word starts at each upper-case letter
/// (`ChatCompletionRequestUserMessage` -> `Chat`, `Completion`, `Request`, `User`, `Message`).
fn pascal_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices() {
        if i > start && c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    if start < name.len() {
        words.push(&name[start..]);
    }
    words
}

/// A union variant's name from its branch's type name: the words it shares with the union's
/// name at the start and at the end are dropped (`ChatCompletionRequestUserMessage` in
/// `ChatCompletionRequestMessage` is `User`). When nothing would be left, only the shared start
/// (or only the shared end) is dropped, and failing that the name is kept whole (`Pet` in
/// `PetOrError`). Both names are `PascalCase` identifiers from [`pascal`].
pub fn variant_of(branch: &str, union: &str) -> String {
    let b = pascal_words(bare(branch));
    let u = pascal_words(bare(union));
    let prefix = b.iter().zip(&u).take_while(|(x, y)| x == y).count();
    let suffix = b
        .iter()
        .rev()
        .zip(u.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let candidates = [
        (prefix, b.len().saturating_sub(suffix)),
        (prefix, b.len()),
        (0, b.len().saturating_sub(suffix)),
    ];
    for (from, to) in candidates {
        if from < to {
            let rest: String = b[from..to].concat();
            if rest.starts_with(|c: char| c.is_ascii_uppercase()) {
                return pascal(&rest);
            }
        }
    }
    branch.to_owned()
}

/// Gives each claimant its wanted name, unique in one namespace, without depending on the
/// claimants' order. `wanted` holds (wanted name, key) pairs, where the key is the spec text the
/// name came from. Names no one else wants are kept; names several want go to them in the
/// order of their keys, the first keeping the name and the others numbered (`Foo2`, ...), after
/// every name that was not contested. Returns the names in input order and the ties, each as the
/// contested name and its claimants' keys in the order they were served.
pub fn distinct(
    wanted: &[(String, String)],
    reserved: &[&str],
) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let mut count: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for (name, _) in wanted {
        *count.entry(bare(name)).or_default() += 1;
    }
    let mut ns = Namespace::with_reserved(reserved);
    let mut out = vec![String::new(); wanted.len()];
    let mut contested: Vec<usize> = Vec::new();
    for (i, (name, _)) in wanted.iter().enumerate() {
        if count[bare(name)] == 1 && !reserved.contains(&bare(name)) {
            out[i] = ns.claim(name);
        } else {
            contested.push(i);
        }
    }
    contested.sort_by(|a, b| {
        (bare(&wanted[*a].0), &wanted[*a].1).cmp(&(bare(&wanted[*b].0), &wanted[*b].1))
    });
    let mut ties: Vec<(String, Vec<String>)> = Vec::new();
    for i in contested {
        out[i] = ns.claim(&wanted[i].0);
        match ties.last_mut() {
            Some((name, keys)) if name == bare(&wanted[i].0) => keys.push(wanted[i].1.clone()),
            _ => ties.push((bare(&wanted[i].0).to_owned(), vec![wanted[i].1.clone()])),
        }
    }
    // A reserved name wanted once is numbered like any other, but is no tie.
    ties.retain(|(_, keys)| keys.len() > 1);
    (out, ties)
}

/// Names of the standard prelude that generated code uses unqualified (`Option`, `String`,
/// `Vec`, `Box`, `Into`, ...): no generated type or resource handle takes them.
pub const PRELUDE_NAMES: [&str; 13] = [
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Into", "From",
    "ToString", "ToOwned",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_drop_backticks_and_line_breaks() {
        assert_eq!(code_span("zone_id"), "`zone_id`");
        assert_eq!(code_span("a`b\nc\td"), "`abcd`");
        assert_eq!(code_span(" \n "), "`\"\"`");
        assert_eq!(code_span(""), "`\"\"`");
    }

    /// The plain-name fast path gives what heck gives, for every name of up to five characters
    /// over letters, digits and `_` (leading, trailing and repeated `_` included) and for
    /// longer ones; names with other characters take heck's path.
    #[test]
    fn plain_names_skip_heck_with_the_same_result() {
        let alphabet = ['a', 'q', 'z', '0', '7', '_'];
        let mut names = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..5 {
            names = names
                .iter()
                .flat_map(|n| alphabet.iter().map(move |c| format!("{n}{c}")))
                .collect();
            all.extend(names.iter().cloned());
        }
        all.extend(
            [
                "zone_id",
                "client_certificate_id",
                "v2_list",
                "per_page",
                "__x__y__",
                "9lives_2",
            ]
            .map(String::from),
        );
        for name in &all {
            assert!(plain_words(name).is_some(), "{name}");
            assert_eq!(snake_case(name), words(name).to_snake_case(), "{name}");
            assert_eq!(pascal_case(name), words(name).to_pascal_case(), "{name}");
        }
        for other in ["ClientCertificate", "zone-id", "HTTPServer", "a b", "é"] {
            assert!(plain_words(other).is_none(), "{other}");
        }
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(snake("async"), "r#async");
    }

    #[test]
    fn hostile_text_becomes_an_identifier() {
        assert_eq!(snake("*/ }\"#[x]"), "x");
        assert_eq!(
            pascal("tls-certificates-and-hostnames_client_certificate"),
            "TlsCertificatesAndHostnamesClientCertificate"
        );
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(variant("10"), "V10");
        assert_eq!(variant(""), "Empty");
        assert_eq!(snake("ünïcode"), "n_code");
        assert_eq!(snake("!!!"), "value");
    }

    #[test]
    fn joined_type_names_pass_the_camel_case_lint() {
        assert_eq!(type_name("ZonesRouteValue_Type"), "ZonesRouteValueType");
        assert_eq!(
            type_name("CustomFieldsFieldValueValue_Object4Value_"),
            "CustomFieldsFieldValueValueObject4Value_"
        );
        assert_eq!(type_name("Self_Fn"), "SelfFn");
        assert_eq!(type_name("Self_"), "Self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("Value_"), "Value_");
        assert_eq!(type_name("FooBar"), "FooBar");
        assert_eq!(type_name(""), "Value");
        assert_eq!(type_name("_"), "Value_");
    }

    #[test]
    fn escaped_names_are_numbered_without_the_underscore() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("Self_"), "Self_");
        assert_eq!(ns.claim("Self_"), "Self2");
        let mut fields = Namespace::default();
        assert_eq!(fields.claim("self_"), "self_");
        assert_eq!(fields.claim("self_"), "self2");
        assert_eq!(fields.claim("_"), "_");
        assert_eq!(fields.claim("_"), "_2");
    }

    #[test]
    fn collisions_are_numbered_in_order() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("FooBar"), "FooBar");
        assert_eq!(ns.claim("FooBar"), "FooBar2");
        assert_eq!(ns.claim("FooBar"), "FooBar3");
        let mut fields = Namespace::default();
        assert_eq!(fields.claim("r#type"), "r#type");
        assert_eq!(fields.claim("r#type"), "type2");
    }
    #[test]
    fn variants_drop_what_they_share_with_the_union() {
        assert_eq!(
            variant_of(
                "ChatCompletionRequestUserMessage",
                "ChatCompletionRequestMessage"
            ),
            "User"
        );
        assert_eq!(variant_of("BetaFilePath", "BetaAnnotation"), "FilePath");
        assert_eq!(variant_of("Pet", "PetOrError"), "Pet");
        assert_eq!(variant_of("Error", "PetOrError"), "Error");
        assert_eq!(variant_of("PetOrError", "PetOrError"), "PetOrError");
        assert_eq!(
            variant_of(
                "ApplyPatchCreateFileOperationParam",
                "ApplyPatchOperationParam"
            ),
            "CreateFile"
        );
        assert_eq!(variant_of("Ipv4Net", "IpNet"), "Ipv4");
    }

    #[test]
    fn contested_names_go_by_key_not_by_position() {
        let w = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect()
        };
        let (names, ties) = distinct(&w(&[("A", "a"), ("B", "b2"), ("B", "b1")]), &[]);
        assert_eq!(names, ["A", "B2", "B"]);
        assert_eq!(
            ties,
            [("B".to_owned(), vec!["b1".to_owned(), "b2".to_owned()])]
        );
        // A new claimant before them changes nothing for the others.
        let (names, _) = distinct(&w(&[("C", "c"), ("A", "a"), ("B", "b1"), ("B", "b2")]), &[]);
        assert_eq!(names, ["C", "A", "B", "B2"]);
        let (names, ties) = distinct(
            &w(&[("Unknown", "unknown"), ("Unknown2", "x")]),
            &["Unknown"],
        );
        assert_eq!(names, ["Unknown3", "Unknown2"]);
        assert!(ties.is_empty());
    }
}
