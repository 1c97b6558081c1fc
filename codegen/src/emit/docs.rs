//! Spec text -> rustdoc attributes that cannot inject code and do not trip rustdoc lints.
//!
//! Text only ever reaches the output inside `#[doc = "..."]` string literals, so it cannot
//! close a comment or open an item. Markdown is kept, but bare URLs are wrapped in `<...>`,
//! brackets that are not links are escaped, and code fences are marked `text` so rustdoc does
//! not compile them as Rust.

use std::borrow::Cow;

use proc_macro2::TokenStream;
use quote::quote;

/// Doc attributes for spec text, or for `fallback` (generator-written markdown) when the spec
/// gives none or only text that sanitizes to nothing, so that every item has a doc line.
pub fn doc_or(text: Option<&str>, fallback: &str) -> TokenStream {
    if let Some(t) = text {
        let sanitized = sanitize(t);
        let cleaned = clean(&sanitized);
        if !cleaned.trim().is_empty() {
            return attrs_of_clean(&cleaned);
        }
    }
    raw_doc(fallback)
}

/// Doc attributes from several paragraphs, skipping empty ones.
pub fn doc_paragraphs(paragraphs: &[String]) -> TokenStream {
    let joined: Vec<String> = paragraphs
        .iter()
        .map(|p| sanitize(p))
        .filter(|p| !p.trim().is_empty())
        .collect();
    lines_to_attrs(&joined.join("\n\n"))
}

/// Doc attributes for text the generator wrote itself (already valid markdown).
pub fn raw_doc(text: &str) -> TokenStream {
    lines_to_attrs(text)
}

/// Inner `#![doc]` attributes for a module's own docs, from generator-written text.
pub fn inner_doc(text: &str) -> TokenStream {
    let text = clean(text);
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            doc_literal("")
        } else {
            doc_literal(&format!(" {l}"))
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// Removes what rustc refuses in doc comments: bare carriage returns (made line breaks), other
/// control characters, and the bidirectional-override code points (`text_direction_codepoint`).
pub(crate) fn clean(text: &str) -> Cow<'_, str> {
    let keep = |c: &char| {
        (*c == '\n' || *c == '\t' || !c.is_control())
            && !matches!(*c as u32, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C)
    };
    // Most text has nothing to drop: it is used as it is, not copied.
    if !text.contains('\r') && text.chars().all(|c| keep(&c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(keep)
            .collect(),
    )
}

fn lines_to_attrs(text: &str) -> TokenStream {
    attrs_of_clean(&clean(text))
}

/// [`lines_to_attrs`] for text already [`clean`].
fn attrs_of_clean(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            doc_literal("")
        } else {
            doc_literal(&format!(" {l}"))
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// `line` as a raw string literal (`r"..."`, with as many `#` as it needs), which prettyplease
/// prints as the same `///` line as an escaped one. Raw literals skip the escaping here and the
/// unescaping syn does when it reads them back: about a tenth of formatting time on doc-heavy
/// output. `line` holds no carriage return (see [`clean`]).
pub(crate) fn doc_literal(line: &str) -> proc_macro2::Literal {
    let mut hashes = 0;
    let mut run = None;
    for c in line.chars() {
        run = match (c, run) {
            ('"', _) => Some(0),
            ('#', Some(n)) => Some(n + 1),
            _ => None,
        };
        if let Some(n) = run {
            hashes = hashes.max(n + 1);
        }
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{line}\"{fence}")
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(line))
}

pub use crate::naming::code_span as code;

/// Makes spec markdown safe for rustdoc.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if in_fence {
                out.push(trimmed[..3].to_owned());
            } else {
                out.push(format!("{}text", &trimmed[..3]));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        // Indented lines would become code blocks that rustdoc compiles as Rust.
        out.push(escape_line(line.trim_start()));
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out.join("\n")
}

fn escape_line(line: &str) -> String {
    // An unpaired backtick would open a code span that never closes; escape them all then.
    let unpaired = line.matches('`').count() % 2 == 1;
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            if unpaired {
                out.push_str("\\`");
            } else {
                in_code = !in_code;
                out.push(c);
            }
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        if c == '[' {
            if let Some(end) = link_end(&chars, i) {
                // The link is kept; `<` and `>` in its text would read as HTML tags.
                let link: String = chars[i..end].iter().collect();
                let close = link.find("](").unwrap_or(link.len());
                out.push_str(&link[..close].replace('<', "&lt;").replace('>', "&gt;"));
                out.push_str(&link[close..]);
                i = end;
                continue;
            }
            out.push_str("\\[");
            i += 1;
            continue;
        }
        if c == ']' {
            out.push_str("\\]");
            i += 1;
            continue;
        }
        if c == '<' && starts_url(&chars[i + 1..]) {
            // An autolink `<https://...>` is kept as it is.
            let close = (i + 1..chars.len())
                .find(|&j| chars[j].is_whitespace() || matches!(chars[j], '<' | '>'));
            if let Some(end) = close.filter(|&j| chars[j] == '>') {
                out.extend(&chars[i..=end]);
                i = end + 1;
                continue;
            }
        }
        // Any other URL is wrapped, also inside quotes or parentheses: rustdoc's `bare_urls`
        // lint fires there too (a link whose text spans two lines is no longer a link here).
        if starts_url(&chars[i..]) {
            let end = (i..chars.len())
                .find(|&j| {
                    chars[j].is_whitespace()
                        || matches!(chars[j], '<' | '>' | ')' | '"' | '\'' | '`')
                })
                .unwrap_or(chars.len());
            let mut url: String = chars[i..end].iter().collect();
            let mut tail = String::new();
            while url.ends_with(['.', ',', ';', ':']) {
                if let Some(c) = url.pop() {
                    tail.insert(0, c);
                }
            }
            out.push('<');
            out.push_str(&url);
            out.push('>');
            out.push_str(&tail);
            i = end;
            continue;
        }
        if c == '<' && starts_url(&chars[i + 1..]) {
            // An autolink (`<https://...>`) is kept as it is.
            if let Some(end) = (i + 1..chars.len()).find(|&j| chars[j] == '>') {
                if !chars[i + 1..end]
                    .iter()
                    .any(|c| c.is_whitespace() || *c == '<')
                {
                    out.extend(&chars[i..=end]);
                    i = end + 1;
                    continue;
                }
            }
        }
        if c == '<' || c == '>' {
            // A stray `<tag>` would be read as unclosed HTML.
            out.push_str(if c == '<' { "&lt;" } else { "&gt;" });
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Whether `chars` starts with `http://` or `https://` (called at every character: no allocation).
fn starts_url(chars: &[char]) -> bool {
    let starts = |prefix: &str| {
        prefix.len() <= chars.len() && prefix.chars().zip(chars).all(|(p, c)| p == *c)
    };
    chars.first() == Some(&'h') && (starts("https://") || starts("http://"))
}

/// If `[text](url)` starts at `start`, the index just past it.
fn link_end(chars: &[char], start: usize) -> Option<usize> {
    let close = (start + 1..chars.len()).find(|&j| chars[j] == ']')?;
    if chars[start + 1..close].contains(&'[') || chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = (close + 2..chars.len()).find(|&j| chars[j] == ')')?;
    // Only web links are kept: `[x](Foo)` would be an intra-doc link rustdoc cannot resolve.
    let target: String = chars[close + 2..end].iter().collect();
    let web = ["http://", "https://", "mailto:", "#"]
        .iter()
        .any(|p| target.starts_with(p));
    web.then_some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Doc lines become raw literals with just enough `#`s, whose value is the line itself
    /// (what prettyplease prints after `///`).
    #[test]
    fn doc_literals_are_raw_and_keep_the_line() {
        for (line, literal) in [
            ("", "r\"\""),
            (" plain", "r\" plain\""),
            (" a \"quote\"", "r#\" a \"quote\"\"#"),
            (" ends \"#", "r##\" ends \"#\"##"),
            (" \"## and \"#", "r###\" \"## and \"#\"###"),
            (" # no quote ##", "r\" # no quote ##\""),
            (" back\\slash \\n", "r\" back\\slash \\n\""),
        ] {
            let lit = doc_literal(line);
            assert_eq!(lit.to_string(), literal);
            let parsed: syn::LitStr = syn::parse_str(&lit.to_string()).unwrap();
            assert_eq!(parsed.value(), line);
        }
    }

    #[test]
    fn urls_are_found_by_their_scheme_only() {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        for yes in ["https://x", "http://x", "https://", "http://"] {
            assert!(starts_url(&chars(yes)), "{yes}");
        }
        for no in [
            "",
            "h",
            "http:/",
            "https:/",
            "ftp://x",
            "Https://x",
            "xhttp://",
            "htt",
        ] {
            assert!(!starts_url(&chars(no)), "{no}");
        }
    }

    #[test]
    fn html_in_link_text_is_escaped() {
        assert_eq!(
            sanitize("the [<Pay> Connector](https://x.y/pay)"),
            "the [&lt;Pay&gt; Connector](https://x.y/pay)"
        );
    }

    #[test]
    fn links_are_kept_and_brackets_escaped() {
        assert_eq!(
            sanitize("see [docs](https://x.y/z) and [true]"),
            "see [docs](https://x.y/z) and \\[true\\]"
        );
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(sanitize("at https://a.b/c."), "at <https://a.b/c>.");
        assert_eq!(
            sanitize("(e.g. \"https://a.b\")"),
            "(e.g. \"<https://a.b>\")"
        );
        assert_eq!(
            sanitize("Cluster](https://a.b/c)."),
            "Cluster\\](<https://a.b/c>)."
        );
        assert_eq!(sanitize("see <https://a.b/c> ok"), "see <https://a.b/c> ok");
        assert_eq!(
            sanitize("Format: https://<host>:<port>."),
            "Format: <https://>&lt;host&gt;:&lt;port&gt;."
        );
    }

    #[test]
    fn urls_in_parentheses_and_quotes_are_wrapped() {
        assert_eq!(
            sanitize("code (https://a.b/c) e.g. \"https://t.io\""),
            "code (<https://a.b/c>) e.g. \"<https://t.io>\""
        );
    }

    #[test]
    fn autolinks_are_kept() {
        assert_eq!(
            sanitize("See: <https://a.b/c> and <b>"),
            "See: <https://a.b/c> and &lt;b&gt;"
        );
        assert_eq!(sanitize("<https://a.b/c"), "&lt;<https://a.b/c>");
    }

    #[test]
    fn fences_become_text_and_html_is_escaped() {
        assert_eq!(
            sanitize("```\nfn x() {}\n```\n<b>"),
            "```text\nfn x() {}\n```\n&lt;b&gt;"
        );
        assert_eq!(sanitize("```json\n{}"), "```text\n{}\n```");
    }

    #[test]
    fn control_and_bidi_characters_are_removed() {
        let attrs = lines_to_attrs("a\rb\u{202E}c\u{7}").to_string();
        assert!(
            attrs.contains("\" a\"") && attrs.contains("\" bc\""),
            "{attrs}"
        );
    }

    #[test]
    fn unpaired_backticks_and_intra_doc_links_are_escaped() {
        assert_eq!(sanitize("a ` <b>"), "a \\` &lt;b&gt;");
        assert_eq!(
            sanitize("[x](Foo) [y](https://y)"),
            "\\[x\\](Foo) [y](https://y)"
        );
    }

    #[test]
    fn blank_text_falls_back() {
        assert_eq!(
            doc_or(Some(" \n\u{202E} "), "Fallback.").to_string(),
            raw_doc("Fallback.").to_string()
        );
        assert_eq!(
            doc_or(Some("Own."), "Fallback.").to_string(),
            lines_to_attrs(&sanitize("Own.")).to_string()
        );
        assert_eq!(
            doc_or(None, "Fallback.").to_string(),
            raw_doc("Fallback.").to_string()
        );
    }

    #[test]
    fn clean_drops_controls_and_direction_marks_and_borrows_plain_text() {
        assert!(matches!(
            clean("plain\ttext\n"),
            Cow::Borrowed("plain\ttext\n")
        ));
        assert_eq!(clean("a\r\nb\rc\u{7}d\u{202E}e\u{200F}"), "a\nb\ncde");
    }

    #[test]
    fn code_spans_are_untouched() {
        assert_eq!(sanitize("`[a]` <x>"), "`[a]` &lt;x&gt;");
    }
}
