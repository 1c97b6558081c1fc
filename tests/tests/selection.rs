//! Operation selection: `--tag` and `--path-prefix` generate a client for part of a large spec.

use codegen::Settings;

fn operations(text: &str, settings: &Settings) -> Result<Vec<String>, String> {
    let generated =
        codegen::generate_str("spec.json", text, settings).map_err(|e| e.to_string())?;
    Ok(generated
        .api
        .resources
        .iter()
        .flat_map(|r| r.operations.iter().map(|o| o.operation_id.clone()))
        .collect())
}

#[test]
fn path_prefix_selects_only_matching_paths() {
    let text = tests::constructs::constructs_spec(28, false);
    let all = operations(&text, &Settings::default()).expect("all");
    assert_eq!(all.len(), 28);
    let settings = Settings {
        path_prefixes: vec!["/zones/{zone_id}/family0/".to_owned()],
        ..Settings::default()
    };
    assert_eq!(
        operations(&text, &settings).expect("family 0"),
        vec!["list-items-0", "list-items-14"]
    );
}

#[test]
fn tag_selects_only_tagged_operations() {
    let Some(path) = tests::upstream_spec("yaml") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("read");
    let settings = Settings {
        tags: vec!["API Shield Client Certificates for a Zone".to_owned()],
        ..Settings::default()
    };
    assert_eq!(operations(&text, &settings).expect("tagged").len(), 7);
}

#[test]
fn a_selection_matching_nothing_is_an_error() {
    let text = tests::constructs::constructs_spec(5, false);
    let settings = Settings {
        tags: vec!["No such tag".to_owned()],
        ..Settings::default()
    };
    assert_eq!(
        operations(&text, &settings).expect_err("nothing selected"),
        "spec.json: #/paths: no operation matches the selection (tags: [\"No such tag\"], path prefixes: [])"
    );
}
