//! Bad specs give an error naming the file and the JSON pointer (or line), never a panic, and a
//! failed generation leaves the output directory untouched.

use codegen::Settings;

fn error_for(name: &str) -> String {
    let path = tests::root()
        .join("tests/fixtures/bad")
        .join(format!("{name}.yaml"));
    match codegen::generate_file(&path, &Settings::default()) {
        Ok(_) => panic!("{name}: expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn malformed_yaml_names_the_line() {
    let e = error_for("malformed_yaml");
    assert!(
        e.starts_with("malformed_yaml.yaml: not valid YAML or JSON at line 5:"),
        "{e}"
    );
}

#[test]
fn dangling_ref_names_the_pointer() {
    assert_eq!(
        error_for("dangling_ref"),
        "dangling_ref.yaml: #/paths/~1a/get/responses/200/content/application~1json/schema/$ref (line 12): \
         `$ref: #/components/schemas/Missing` points at nothing in this document"
    );
}

#[test]
fn operation_without_responses() {
    assert_eq!(
        error_for("no_responses"),
        "no_responses.yaml: #/paths/~1a/get (line 5): the operation has no `responses`; at least one is required"
    );
}

#[test]
fn path_parameter_missing_from_template() {
    assert_eq!(
        error_for("path_param_missing"),
        "path_param_missing.yaml: #/paths/~1zones~1{zone_id}~1items/get/parameters/0 (line 8): \
         path parameter `zone` does not appear in the path template `/zones/{zone_id}/items`"
    );
}

#[test]
fn template_placeholder_without_parameter() {
    assert_eq!(
        error_for("undeclared_placeholder"),
        "undeclared_placeholder.yaml: #/paths/~1zones~1{zone_id}~1items/get (line 5): \
         the path template `/zones/{zone_id}/items` has `{zone_id}` but no path parameter named `zone_id`"
    );
}

#[test]
fn swagger_2_is_refused() {
    assert_eq!(
        error_for("swagger2"),
        "swagger2.yaml: #/swagger (line 1): Swagger 2.0 is not supported; convert it to OpenAPI 3.0 or 3.1 first"
    );
}

#[test]
fn reference_cycle_is_named() {
    let e = error_for("ref_cycle");
    assert!(
        e.ends_with("reference cycle: #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A"),
        "{e}"
    );
}

#[test]
fn missing_file_is_an_error() {
    let e = codegen::generate_file(
        std::path::Path::new("/nonexistent/openapi.yaml"),
        &Settings::default(),
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        e.starts_with("/nonexistent/openapi.yaml: cannot read the spec"),
        "{e}"
    );
}

#[test]
fn failed_generation_leaves_output_untouched() {
    let out = std::env::temp_dir().join(format!("codegen-untouched-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(out.join("src")).expect("mkdir");
    std::fs::write(out.join("src/lib.rs"), "// keep me\n").expect("write");
    let xtask = env!("CARGO");
    let status = std::process::Command::new(xtask)
        .current_dir(tests::root())
        .args(["run", "--quiet", "-p", "xtask", "--", "codegen", "--spec"])
        .arg(tests::root().join("tests/fixtures/bad/dangling_ref.yaml"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run xtask");
    assert!(!status.status.success());
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(
        stderr.contains("dangling_ref.yaml: #/paths/~1a/get"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).expect("read"),
        "// keep me\n"
    );
    assert_eq!(
        std::fs::read_dir(&out).expect("ls").count(),
        1,
        "nothing new may appear"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn recursive_ref_needs_an_anchor() {
    assert_eq!(
        error_for("recursive_ref_without_anchor"),
        "recursive_ref_without_anchor.yaml: #/components/schemas/Node/properties/next/$recursiveRef (line 17): \
         `$recursiveRef` outside a component schema that declares `$recursiveAnchor: true` or `$dynamicAnchor`"
    );
}
