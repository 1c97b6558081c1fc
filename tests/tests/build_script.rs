//! `codegen::build::Build`, the entry point for a downstream `build.rs`: every file read is
//! reported (for `cargo::rerun-if-changed`), the include form points at the generated files,
//! and a bad spec gives the xtask's located error and leaves the output folder as it was.
//! (`examples/build-rs/` is a crate that uses it from its build script.)

use codegen::build::Build;

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-build-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn every_file_of_a_multi_file_spec_is_an_input_and_include_rs_points_at_the_output() {
    let spec = tests::root().join("tests/fixtures/ok/multi_file/openapi.yaml");
    let out = scratch("multi");
    let output = Build::new(&spec)
        .out_dir(&out)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let doc = codegen::load::load_file(&spec).unwrap_or_else(|e| panic!("{e}"));
    assert!(!doc.sources.is_empty(), "the fixture spans several files");
    assert_eq!(output.inputs[0], spec, "the spec itself comes first");
    for source in &doc.sources {
        assert!(
            output.inputs.contains(&source.path),
            "{} is read but not reported: {:?}",
            source.path.display(),
            output.inputs
        );
    }
    let include = std::fs::read_to_string(&output.include).expect("include.rs");
    assert!(!include.contains("#!["), "no inner attributes:\n{include}");
    assert!(!include.contains("//!"), "no inner docs:\n{include}");
    let types = out.join("src/types.rs");
    assert!(
        include.contains(&format!(
            "#[path = {:?}]\npub mod types;",
            types.display().to_string()
        )),
        "{include}"
    );
    assert!(types.is_file());
    let docs = std::fs::read_to_string(out.join("docs.md")).expect("docs.md");
    assert!(docs.starts_with("# "), "{docs}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn a_bad_spec_is_the_xtasks_located_error_and_the_output_stays() {
    let spec = tests::root().join("tests/fixtures/bad/dangling_ref.yaml");
    let out = scratch("bad");
    std::fs::create_dir_all(out.join("src")).expect("out");
    std::fs::write(out.join("src/lib.rs"), "// keep me\n").expect("lib");
    let err = Build::new(&spec)
        .out_dir(&out)
        .generate()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    let xtask = codegen::generate_file(&spec, &codegen::Settings::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with("dangling_ref.yaml: #/paths/~1a/get"),
        "{err}"
    );
    assert_eq!(err, xtask);
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).expect("lib"),
        "// keep me\n"
    );
    assert_eq!(std::fs::read_dir(&out).expect("out").count(), 1);
    let _ = std::fs::remove_dir_all(&out);
}
