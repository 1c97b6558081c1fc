//! A regeneration tells the maintainer what changed in the public API and whether it breaks.

use std::process::Command;

fn codegen(spec: &std::path::Path, out: &std::path::Path) -> String {
    let output = Command::new(env!("CARGO"))
        .current_dir(tests::root())
        .args([
            "run",
            "--quiet",
            "-p",
            "xtask",
            "--",
            "codegen",
            "--crate-name",
            "changes",
            "--spec",
        ])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run xtask");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn regeneration_reports_breaking_and_additive_changes() {
    let dir = std::env::temp_dir().join(format!("codegen-api-changes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let before =
        std::fs::read_to_string(tests::root().join("tests/fixtures/ok/nullable_field.yaml"))
            .expect("fixture");
    let spec = dir.join("openapi.yaml");
    std::fs::write(&spec, &before).expect("write spec");
    let out = dir.join("crate");
    codegen(&spec, &out);
    assert!(codegen(&spec, &out).contains("public API: unchanged"));

    // New and removed fields of an existing struct break users (struct literals stop compiling).
    let after = before
        .replace(
            "        text: {type: string}\n",
            "        title: {type: string}\n        size: {type: integer}\n",
        )
        .replace("required: [text, parent]", "required: [title, parent]");
    std::fs::write(&spec, &after).expect("write spec");
    let report = codegen(&spec, &out);
    assert!(
        report.contains(
            "public API: 3 breaking change(s), 0 addition(s); this needs a major version bump"
        ),
        "{report}"
    );
    assert!(
        report.contains("- struct Note.text: String (required)"),
        "{report}"
    );
    assert!(
        report.contains("+ struct Note.title: String (required)"),
        "{report}"
    );
    assert!(
        report.contains("+ struct Note.size: Option<i64>"),
        "{report}"
    );

    // A renamed call is one breaking change, reported old -> new by operationId.
    let renamed = after.replace(
        "      operationId: put-note\n",
        "      operationId: put-note\n      x-rust-resource: memos\n      x-rust-method: store\n",
    );
    std::fs::write(&spec, renamed).expect("write spec");
    let report = codegen(&spec, &out);
    assert!(
        report.contains("renamed put-note: notes().update() -> memos().store()"),
        "{report}"
    );
    assert!(
        report.contains("this needs a major version bump"),
        "{report}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_value_or_branch_added_to_the_spec_renames_nothing() {
    let dir = std::env::temp_dir().join(format!("codegen-api-names-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let before = std::fs::read_to_string(tests::root().join("tests/fixtures/ok/builders.yaml"))
        .expect("fixture");
    let spec = dir.join("openapi.yaml");
    std::fs::write(&spec, &before).expect("write spec");
    let out = dir.join("crate");
    codegen(&spec, &out);

    // A one-value branch before the others (Oxide's style) and an inline branch first in an
    // untagged union: both only add lines; nothing is renamed or renumbered.
    let after = before
        .replace(
            "        - {type: string, enum: [idle], description: Not connected.}\n",
            "        - {type: string, enum: [paused], description: Paused.}\n        - {type: string, enum: [idle], description: Not connected.}\n",
        )
        .replace(
            "      oneOf:\n        - type: object\n          required: [if_index]\n",
            "      oneOf:\n        - type: object\n          required: [name]\n          properties: {name: {type: string}}\n        - type: object\n          required: [if_index]\n",
        );
    assert_ne!(after, before, "the fixture still has the edited branches");
    std::fs::write(&spec, after).expect("write spec");
    let report = codegen(&spec, &out);
    let lines: Vec<&str> = report.lines().filter(|l| l.starts_with("  ")).collect();
    assert!(!lines.is_empty(), "{report}");
    assert!(
        lines.iter().all(|l| l.trim_start().starts_with("+ ")),
        "only additions: {report}"
    );
    assert!(
        report.contains("+ enum PeerState::Paused = \"paused\""),
        "{report}"
    );
    assert!(
        report.contains("+ union Interface::Name(InterfaceName)"),
        "{report}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
