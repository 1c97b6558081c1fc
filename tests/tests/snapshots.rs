//! Snapshots of every file the generator emits (not the verbatim runtime copies, which the drift
//! test covers), for `spec/` and for each fixture spec in `tests/fixtures/ok/`.

use tests::{fixtures, generate, spec_path};

fn snapshot_all(label: &str, generated: &codegen::Generated) {
    let mut count = 0;
    for file in generated.files.iter().filter(|f| f.emitted) {
        let name = format!("{label}__{}", file.path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, &file.contents);
        count += 1;
    }
    assert!(
        count >= 5,
        "{label}: expected Cargo.toml, lib.rs, types.rs, resources/mod.rs and a resource; got {count}"
    );
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(format!("{label}__warnings"), warnings.join("\n"));
}

#[test]
fn spec_output_matches_snapshots() {
    snapshot_all(
        "spec",
        &generate(&spec_path(), "cloudflare-client-certificates"),
    );
}

#[test]
fn fixture_outputs_match_snapshots() {
    let all = fixtures("ok");
    assert!(all.len() >= 6, "fixtures missing: {all:?}");
    for (name, path) in all {
        snapshot_all(&name, &generate(&path, &name.replace('_', "-")));
    }
}

#[test]
fn generation_is_deterministic() {
    let a = generate(&spec_path(), "cloudflare-client-certificates");
    let b = generate(&spec_path(), "cloudflare-client-certificates");
    assert_eq!(a.files, b.files);
}

#[test]
fn hostile_spec_text_stays_in_strings_and_docs() {
    let path = tests::root().join("tests/fixtures/ok/hostile_text.yaml");
    let generated = generate(&path, "hostile-text");
    for file in generated
        .files
        .iter()
        .filter(|f| f.emitted && f.path.ends_with(".rs"))
    {
        for line in file.contents.lines() {
            let code = without_string_literals(line.trim_start());
            if code.starts_with("//") {
                continue;
            }
            for injected in [
                "fn main",
                "#[cfg(x)]",
                "#[no_mangle]",
                "panic!",
                "alert(1)",
                "/*",
            ] {
                assert!(
                    !code.contains(injected),
                    "{}: spec text reached code: {line}",
                    file.path
                );
            }
        }
    }
    let types = generated
        .files
        .iter()
        .find(|f| f.path == "src/types.rs")
        .expect("types.rs");
    assert!(
        types.contents.contains("pub struct Self_ {"),
        "a schema named `Self` is renamed"
    );
    assert!(
        types.contents.contains("pub r#type:"),
        "a field named `type` is a raw identifier"
    );
    assert!(
        types.contents.contains("pub self_:"),
        "a field named `self` gets a suffix"
    );
}

/// The line with the contents of `"..."` literals removed (escapes honoured).
fn without_string_literals(line: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (in_string, c) {
            (true, '\\') => {
                chars.next();
            }
            (true, '"') => {
                in_string = false;
                out.push('"');
            }
            (true, _) => {}
            (false, '"') => {
                in_string = true;
                out.push('"');
            }
            (false, c) => out.push(c),
        }
    }
    out
}
