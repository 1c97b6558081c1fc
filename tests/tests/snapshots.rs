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
