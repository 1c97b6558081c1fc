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

/// The error for a multi-file bad spec: `tests/fixtures/bad/<name>/openapi.yaml`.
fn error_for_folder(name: &str, settings: &Settings) -> String {
    let path = tests::root()
        .join("tests/fixtures/bad")
        .join(name)
        .join("openapi.yaml");
    match codegen::generate_file(&path, settings) {
        Ok(_) => panic!("{name}: expected an error"),
        Err(e) => e.to_string(),
    }
}

const REF_AT: &str =
    "openapi.yaml: #/paths/~1a/get/responses/200/content/application~1json/schema/$ref (line 12): ";

#[test]
fn ref_leaving_the_spec_folder_is_refused_unless_allowed() {
    let e = error_for_folder("outside_ref", &Settings::default());
    assert!(e.starts_with(REF_AT), "{e}");
    assert!(
        e.contains("`$ref: ../../ok/multi_file/models/pet.yaml` leaves the spec's folder")
            && e.ends_with("pass --allow-outside-refs to allow it"),
        "{e}"
    );
    let path = tests::root().join("tests/fixtures/bad/outside_ref/openapi.yaml");
    let allowed = Settings {
        allow_outside_refs: true,
        ..Settings::default()
    };
    let generated = codegen::generate_file(&path, &allowed).expect("allowed with the flag");
    assert!(generated.api.types.iter().any(|t| t.name == "Pet"));
}

/// A symbolic link inside the spec's folder that leads out of it is refused like `../`.
#[cfg(unix)]
#[test]
fn symlink_out_of_the_spec_folder_is_refused() {
    let base = tests::root().join(format!("target/tmp/symlink-ref-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let (spec_dir, outside) = (base.join("spec"), base.join("outside"));
    std::fs::create_dir_all(&spec_dir).expect("spec dir");
    std::fs::create_dir_all(&outside).expect("outside dir");
    std::fs::write(outside.join("pet.yaml"), "type: object\n").expect("outside file");
    std::os::unix::fs::symlink(&outside, spec_dir.join("models")).expect("symlink");
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'models/pet.yaml'}\n";
    std::fs::write(spec_dir.join("openapi.yaml"), spec).expect("spec");
    let e = codegen::generate_file(&spec_dir.join("openapi.yaml"), &Settings::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    let _ = std::fs::remove_dir_all(&base);
    assert!(
        e.contains("`$ref: models/pet.yaml` leaves the spec's folder"),
        "{e}"
    );
}

#[test]
fn url_ref_is_never_fetched() {
    let e = error_for_folder("url_ref", &Settings::default());
    assert_eq!(
        e,
        format!(
            "{REF_AT}`$ref: https://example.com/schemas/pet.yaml#/Pet` is a URL; the generator \
             never fetches anything: save the document beside the spec and refer to it by a \
             relative path"
        )
    );
}

#[test]
fn dangling_ref_into_another_file_names_both() {
    let e = error_for_folder("dangling_file_ref", &Settings::default());
    assert_eq!(
        e,
        format!("{REF_AT}`$ref: models.yaml#/Missing` points at nothing in that file")
    );
}

#[test]
fn ref_to_a_missing_file_names_it() {
    let e = error_for_folder("missing_file", &Settings::default());
    assert!(
        e.starts_with(&format!(
            "{REF_AT}`$ref: schemas/nothere.yaml` names a file that cannot be read"
        )),
        "{e}"
    );
}

#[test]
fn cycle_across_files_names_each_file() {
    let e = error_for_folder("cross_file_cycle", &Settings::default());
    assert!(
        e.ends_with("reference cycle: a.yaml#/A -> b.yaml#/B -> a.yaml#/A"),
        "{e}"
    );
}

#[test]
fn errors_inside_another_file_name_that_file_and_line() {
    let doc = codegen::load::parse_files(&[
        (
            "openapi.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: paths/a.yaml\n",
        ),
        ("paths/a.yaml", "# the path item\nget:\n  summary: no responses\n"),
    ])
    .expect("loads");
    let e = codegen::generate_doc(&doc, &Settings::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        e,
        "paths/a.yaml: #/get (line 2): the operation has no `responses`; at least one is required"
    );
}

#[test]
fn cli_help_exits_0_and_unknown_options_exit_2() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO"))
            .current_dir(tests::root())
            .args(["run", "--quiet", "-p", "xtask", "--"])
            .args(args)
            .output()
            .expect("run xtask")
    };
    let help = run(&["codegen", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("usage: cargo xtask codegen"));
    let bad = run(&["codegen", "--no-such-option"]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("unknown option `--no-such-option`") && stderr.contains("usage:"),
        "{stderr}"
    );
    let missing = run(&["codegen", "--spec"]);
    assert_eq!(missing.status.code(), Some(2));
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
fn generator_extensions_are_checked_where_they_are() {
    assert_eq!(
        error_for("bad_generator_extensions"),
        "bad_generator_extensions.yaml: #/info/x-rust-env-prefix (line 5): `x-rust-env-prefix` \
         must be a string of capital letters, digits and `_`, starting with a letter (such as \
         `MY_API`)"
    );
    // The first problem found: the scheme's variables come before the named combinations.
    assert_eq!(
        error_for("bad_credentials_extension"),
        "bad_credentials_extension.yaml: #/components/securitySchemes/email/x-rust-env (line 11): \
         `x-rust-env` must be one variable name in capitals, digits and `_`"
    );
    let spec = std::fs::read_to_string(
        tests::root().join("tests/fixtures/bad/bad_credentials_extension.yaml"),
    )
    .expect("read")
    .replace(", x-rust-env: [A, B]", "");
    let e = codegen::generate_str("creds.yaml", &spec, &Settings::default())
        .expect_err("unknown scheme")
        .to_string();
    assert_eq!(
        e,
        "creds.yaml: #/x-rust-credentials/key_and_email (line 7): `token` is not a supported \
         scheme of `components/securitySchemes`"
    );
    let spec = spec.replace("[key, token]", "[key]");
    let e = codegen::generate_str("creds.yaml", &spec, &Settings::default())
        .expect_err("not an alternative")
        .to_string();
    assert_eq!(
        e,
        "creds.yaml: #/x-rust-credentials/key_and_email (line 7): these schemes are not one \
         alternative of any `security` requirement"
    );
    let spec = spec.replace("[key]", "[email, key]");
    let generated = codegen::generate_str("creds.yaml", &spec, &Settings::default())
        .expect("a valid combination");
    assert_eq!(
        generated.api.credential_sets,
        [codegen::ir::CredentialSet {
            name: codegen::ir::Name::new("key_and_email"),
            schemes: vec!["email".to_owned(), "key".to_owned()],
        }]
    );
}

#[test]
fn recursive_ref_needs_an_anchor() {
    assert_eq!(
        error_for("recursive_ref_without_anchor"),
        "recursive_ref_without_anchor.yaml: #/components/schemas/Node/properties/next/$recursiveRef (line 17): \
         `$recursiveRef` outside a component schema that declares `$recursiveAnchor: true` or `$dynamicAnchor`"
    );
}

#[test]
fn response_convention_extensions_are_checked_with_their_place() {
    assert_eq!(
        error_for("bad_envelope_extension"),
        "bad_envelope_extension.yaml: #/x-rust-envelope/sucess (line 7): unknown envelope field \
         `sucess`; expected one of [\"result\", \"success\", \"errors\", \"messages\", \"result_info\"]"
    );
    let spec = std::fs::read_to_string(
        tests::root().join("tests/fixtures/bad/bad_envelope_extension.yaml"),
    )
    .expect("read");
    let error = |text: &str| {
        codegen::generate_str("env.yaml", text, &Settings::default())
            .expect_err("a bad extension")
            .to_string()
    };
    assert_eq!(
        error(
            &spec
                .replace("  sucess: ok\n", "")
                .replace("result: data", "success: ok")
        ),
        "env.yaml: #/x-rust-envelope (line 5): an envelope needs `result`: the field that holds \
         the payload"
    );
    assert_eq!(
        error(
            &spec
                .replace("  result: data\n  sucess: ok\n", "")
                .replace("x-rust-envelope:", "x-rust-envelope: true")
        ),
        "env.yaml: #/x-rust-envelope (line 5): expected `false` (no envelope) or a mapping such as \
         `{result: data, success: ok, errors: errors}`"
    );
    let no_envelope = spec.replace("x-rust-envelope:\n  result: data\n  sucess: ok\n", "");
    assert_eq!(
        error(&no_envelope.replace("paths:", "x-rust-error-message: 'error..message'\npaths:")),
        "env.yaml: #/x-rust-error-message (line 5): expected the message's field path, such as \
         `message` or `error.message`, or `false`"
    );
    assert_eq!(
        error(&no_envelope.replace("  version: '1'", "  version: '1'\n  x-rust-permissions: 3")),
        "env.yaml: #/info/x-rust-permissions (line 5): expected the name of an operation \
         extension, such as `x-permissions`"
    );
    let declared = codegen::generate_str(
        "env.yaml",
        &no_envelope.replace(
            "paths:",
            "x-rust-error-message: detail.text\nx-rust-envelope: false\npaths:",
        ),
        &Settings::default(),
    )
    .expect("valid extensions");
    assert_eq!(declared.api.error_message, ["detail", "text"]);
    assert_eq!(declared.api.envelope, None);
}

#[test]
fn pagination_extension_misfits_are_errors_at_their_key() {
    const AT: &str = "bad_pagination_extension.yaml: #/paths/~1things/get/x-rust-pagination";
    assert_eq!(
        error_for("bad_pagination_extension"),
        format!(
            "{AT}/param (line 8): `x-rust-pagination` (cursor): `from` is not a query parameter \
             of the operation"
        )
    );
    let spec = std::fs::read_to_string(
        tests::root().join("tests/fixtures/bad/bad_pagination_extension.yaml"),
    )
    .expect("read");
    let error = |from: &str, to: &str| {
        assert!(spec.contains(from), "{from}");
        let text = spec.replace(from, to);
        codegen::generate_str("bad_pagination_extension.yaml", &text, &Settings::default())
            .map(|_| "generated".to_owned())
            .unwrap_or_else(|e| e.to_string())
    };
    assert_eq!(
        error("param: from", "param: after"),
        format!(
            "{AT}/next (line 8): `x-rust-pagination` (cursor): `paging.resume` is not a string \
             property of the response's JSON object; a path is property names joined by `.`, \
             through objects and untagged unions"
        )
    );
    assert_eq!(
        error("style: cursor, param: from", "style: pages, param: from"),
        format!(
            "{AT}/style (line 8): `pages` is not a pagination style; expected one of \
             `page_number`, `cursor`, `last_item_id`, `offset`, `link`, `next_url`"
        )
    );
    assert_eq!(
        error("style: cursor, param: from", "style: next_url, param: from"),
        format!(
            "{AT}/param (line 8): `param` is not a key of the `next_url` style, which takes \
             `items`, `next`"
        )
    );
    assert_eq!(
        error(
            "{style: cursor, param: from, next: paging.resume}",
            "cursor"
        ),
        format!(
            "{AT} (line 8): `x-rust-pagination` must be `false`, `true` or a mapping with a \
             `style` (one of `page_number`, `cursor`, `last_item_id`, `offset`, `link`, \
             `next_url`)"
        )
    );
    assert_eq!(
        error(
            "{style: cursor, param: from, next: paging.resume}",
            "{style: link, items: paging}"
        ),
        format!(
            "{AT}/items (line 8): `x-rust-pagination` (link): `paging` is not an array property of the success response's JSON object"
        )
    );
    // Fitting values generate; the root's declaration only applies where it fits.
    assert_eq!(
        error(
            "{style: cursor, param: from, next: paging.resume}",
            "{style: link, items: things}"
        ),
        "generated"
    );
    // The root's: its shape is checked; where it does not fit, detection runs.
    assert_eq!(
        error("paths:", "x-rust-pagination: {style: next_url}\npaths:"),
        "bad_pagination_extension.yaml: #/x-rust-pagination (line 5): `x-rust-pagination` \
         (next_url) needs `next`"
    );
    let text = spec
        .replace(
            "paths:",
            "x-rust-pagination: {style: next_url, next: elsewhere}\npaths:",
        )
        .replace(
            "x-rust-pagination: {style: cursor, param: from, next: paging.resume}",
            "summary: Things.",
        );
    let generated = codegen::generate_str("root.yaml", &text, &Settings::default())
        .expect("the root's declaration does not fit: detection runs");
    assert!(
        generated.api.resources[0].operations[0]
            .pagination
            .is_none()
    );
}
