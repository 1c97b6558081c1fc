//! Overlays: applied before lowering, located errors for bad ones (the output stays as it was),
//! part of `--check`; and OpenAI's published spec made to read `OPENAI_API_KEY` by an overlay.

use std::path::{Path, PathBuf};

use codegen::Settings;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-overlays-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn lib_rs(generated: &codegen::Generated) -> &str {
    &generated
        .files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .expect("lib.rs")
        .contents
}

const SPEC: &str = "openapi: 3.0.3\ninfo:\n  title: Notes\n  version: '1'\nservers:\n  - url: https://notes.example.com\nsecurity:\n  - token: []\npaths:\n  /notes:\n    get:\n      operationId: listNotes\n      responses:\n        '200':\n          description: ok\ncomponents:\n  securitySchemes:\n    token:\n      type: http\n      scheme: bearer\n";

const HEAD: &str = "overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\nactions:\n";

#[test]
fn the_overlay_beside_the_spec_and_given_ones_apply_in_order_and_take_part_in_check() {
    let dir = scratch("order");
    let spec = dir.join("my-api.yaml");
    std::fs::write(&spec, SPEC).expect("spec");
    std::fs::write(
        dir.join("my-api.overlay.yaml"),
        format!("{HEAD}  - target: $.info\n    update:\n      x-rust-env-prefix: FIRST\n"),
    )
    .expect("overlay beside");
    let given = dir.join("more.yaml");
    std::fs::write(
        &given,
        format!("{HEAD}  - target: $.components.securitySchemes.token\n    update:\n      x-rust-env: SECOND_TOKEN\n"),
    )
    .expect("given overlay");
    let settings = Settings {
        overlays: vec![given.clone()],
        ..tests::settings("notes")
    };
    let generated = codegen::generate_file(&spec, &settings).unwrap_or_else(|e| panic!("{e}"));
    let lib = lib_rs(&generated);
    assert!(lib.contains("\"FIRST_BASE_URL\""), "{lib}");
    assert!(lib.contains("\"SECOND_TOKEN\""), "{lib}");
    assert_eq!(
        generated.inputs,
        [spec.clone(), dir.join("my-api.overlay.yaml"), given.clone()],
        "every file read is an input (rerun-if-changed)"
    );
    assert_eq!(
        std::fs::read_to_string(&spec).expect("spec"),
        SPEC,
        "the spec is not edited"
    );

    // `--check` sees an overlay change.
    let out = dir.join("out");
    codegen::write::write(&out, &generated.files).expect("write");
    std::fs::write(
        &given,
        format!("{HEAD}  - target: $.components.securitySchemes.token\n    update:\n      x-rust-env: THIRD_TOKEN\n"),
    )
    .expect("change the overlay");
    let again = codegen::generate_file(&spec, &settings).unwrap_or_else(|e| panic!("{e}"));
    let changes = codegen::write::check(&out, &again.files).expect("check");
    assert!(
        changes.written.contains(&"src/lib.rs".to_owned()),
        "{changes:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_overlays_get_located_errors_and_leave_the_output_as_it_was() {
    let dir = scratch("bad");
    let spec = dir.join("openapi.yaml");
    std::fs::write(&spec, SPEC).expect("spec");
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("src")).expect("out");
    std::fs::write(out.join("src/lib.rs"), "// keep me\n").expect("lib");
    let overlay = dir.join("rust.overlay.yaml");
    let cases = [
        (
            format!("{HEAD}  - target: $.paths['/nothing']\n    remove: true\n"),
            "rust.overlay.yaml: #/actions/0/target (line 6): `$.paths['/nothing']` selects nothing in the spec",
        ),
        (
            format!("{HEAD}  - target: $.info.title\n    update:\n      x: 1\n"),
            "rust.overlay.yaml: #/actions/0/update (line 7): the update is a mapping but `#/info/title` is a string",
        ),
        (
            "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions: []\n".to_owned(),
            "rust.overlay.yaml: #/overlay (line 1): unsupported overlay version \"1.1.0\"",
        ),
        (
            format!("{HEAD}  - target: [\n"),
            "rust.overlay.yaml: not valid YAML or JSON at line",
        ),
    ];
    for (text, want) in cases {
        std::fs::write(&overlay, &text).expect("overlay");
        let settings = Settings {
            overlays: vec![overlay.clone()],
            ..tests::settings("notes")
        };
        let err = codegen::generate_file(&spec, &settings)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains(want), "{text}\n{err}");
    }
    // A bad value an overlay put in is located in the overlay.
    std::fs::write(
        &overlay,
        format!("{HEAD}  - target: $.info\n    update:\n      x-rust-env-prefix: lower\n"),
    )
    .expect("overlay");
    let settings = Settings {
        overlays: vec![overlay.clone()],
        ..tests::settings("notes")
    };
    let err = codegen::generate_file(&spec, &settings)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("rust.overlay.yaml: #/actions/0/update/x-rust-env-prefix (line 8): `x-rust-env-prefix` must be"),
        "{err}"
    );
    // A spec error after an overlay still names the spec: the overlay removed the responses.
    std::fs::write(
        &overlay,
        format!("{HEAD}  - target: $.paths['/notes'].get.responses\n    remove: true\n"),
    )
    .expect("overlay");
    let settings = Settings {
        overlays: vec![overlay.clone()],
        ..tests::settings("notes")
    };
    let err = codegen::generate_file(&spec, &settings)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with("openapi.yaml: #/paths/~1notes/get"),
        "a spec problem is located in the spec: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).expect("lib"),
        "// keep me\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn digest(path: &Path) -> (usize, u64) {
    let bytes = std::fs::read(path).expect("read");
    // FNV-1a: enough to see that not one byte changed.
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    (bytes.len(), hash)
}

/// OpenAI's published spec, untouched, with `tests/fixtures/overlays/openai.overlay.yaml`: the
/// client reads `OPENAI_API_KEY` and `OPENAI_BASE_URL`.
#[test]
fn openai_with_an_overlay_reads_openai_api_key() {
    let spec = tests::root().join("../shared/realworld/openai.yaml");
    if !spec.is_file() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is absent and CI is set",
            spec.display()
        );
        eprintln!("SKIPPED: {} is absent", spec.display());
        return;
    }
    let before = digest(&spec);
    let settings = Settings {
        crate_name: None,
        overlays: vec![tests::root().join("tests/fixtures/overlays/openai.overlay.yaml")],
        ..tests::settings("unused")
    };
    let generated = codegen::generate_file(&spec, &settings).unwrap_or_else(|e| panic!("{e}"));
    let lib = lib_rs(&generated);
    for name in [
        "\"OPENAI_API_KEY\"",
        "\"OPENAI_ADMIN_KEY\"",
        "\"OPENAI_BASE_URL\"",
    ] {
        assert!(lib.contains(name), "{name} missing from lib.rs");
    }
    assert!(
        lib.contains("Client::from_env()") && lib.contains("`OPENAI_API_KEY`"),
        "the crate docs name the variable"
    );
    let manifest = &generated
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .expect("Cargo.toml")
        .contents;
    assert!(manifest.contains("name = \"openai-client\""), "{manifest}");
    assert_eq!(digest(&spec), before, "the vendor's file is untouched");
}
