//! The installable command, `openapi-codegen` (`cli/`): installed into a temporary root, it
//! generates a crate from a fixture outside the workspace; the crate is moved and still builds
//! (its runtime is vendored, never a path back into this checkout). Its flags, messages and exit
//! statuses are the xtask's.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Installs the command (debug profile, this workspace's lock file and target folder, offline)
/// into `target/cli-install/bin/` and returns its path.
fn install() -> PathBuf {
    let target = tests::root().join("target");
    let root = target.join("cli-install");
    let output = Command::new(cargo())
        .current_dir(tests::root())
        .args([
            "install",
            "--quiet",
            "--debug",
            "--locked",
            "--offline",
            "--force",
        ])
        .arg("--path")
        .arg(tests::root().join("cli"))
        .arg("--root")
        .arg(&root)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("run cargo install");
    assert!(
        output.status.success(),
        "cargo install failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    root.join("bin")
        .join(format!("openapi-codegen{}", std::env::consts::EXE_SUFFIX))
}

fn run(program: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run openapi-codegen")
}

fn xtask(args: &[&str]) -> Output {
    Command::new(cargo())
        .current_dir(tests::root())
        .args(["run", "--quiet", "-p", "xtask", "--", "codegen"])
        .args(args)
        .output()
        .expect("run xtask")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-codegen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn the_installed_command_makes_a_crate_that_builds_after_it_is_moved() {
    let bin = install();
    let work = scratch("moved");
    let spec = tests::root().join("examples/build-rs/openapi.yaml");
    std::fs::copy(&spec, work.join("my-api.yaml")).expect("copy spec");
    std::fs::copy(
        tests::root().join("examples/build-rs/openapi.overlay.yaml"),
        work.join("my-api.overlay.yaml"),
    )
    .expect("copy overlay");
    let out = run(&bin, &work, &["--spec", "my-api.yaml", "--out", "my-api"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("my-api: "), "{stdout}");
    assert!(stdout.contains("file(s) written"), "{stdout}");
    let check = run(
        &bin,
        &work,
        &["--spec", "my-api.yaml", "--out", "my-api", "--check"],
    );
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    // The change report: an overlay removes an operation, which breaks users.
    std::fs::write(
        work.join("drop-get.yaml"),
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/notes/{id}']\n    remove: true\n",
    )
    .expect("overlay");
    let dropped = run(
        &bin,
        &work,
        &[
            "--spec",
            "my-api.yaml",
            "--out",
            "my-api",
            "--overlay",
            "drop-get.yaml",
        ],
    );
    assert_eq!(
        dropped.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&dropped.stderr)
    );
    let report = String::from_utf8_lossy(&dropped.stdout);
    assert!(
        report.contains("public API: 1 breaking change(s)")
            && report.contains("major version bump"),
        "{report}"
    );
    let stale = run(
        &bin,
        &work,
        &["--spec", "my-api.yaml", "--out", "my-api", "--check"],
    );
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&stale.stderr)
            .contains("run `openapi-codegen` and commit the result"),
        "{}",
        String::from_utf8_lossy(&stale.stderr)
    );

    let manifest = std::fs::read_to_string(work.join("my-api/Cargo.toml")).expect("manifest");
    assert!(
        !manifest.contains("path ="),
        "no path dependency:\n{manifest}"
    );
    assert!(
        work.join("my-api/src/runtime/mod.rs").is_file(),
        "the runtime is vendored"
    );
    let lib = std::fs::read_to_string(work.join("my-api/src/lib.rs")).expect("lib.rs");
    assert!(
        lib.contains("\"NOTES_TOKEN\""),
        "the overlay beside the spec applied"
    );

    // Moved to another folder, it builds (offline, with this workspace's lock file).
    let moved = scratch("moved-to").join("elsewhere");
    std::fs::rename(work.join("my-api"), &moved).expect("move the crate");
    std::fs::copy(tests::root().join("Cargo.lock"), moved.join("Cargo.lock")).expect("lock");
    let built = Command::new(cargo())
        .current_dir(&moved)
        .args(["check", "--offline", "--quiet", "--all-features"])
        .env(
            "CARGO_TARGET_DIR",
            tests::root().join("target/compile-tests-target"),
        )
        .output()
        .expect("cargo check");
    assert!(
        built.status.success(),
        "the moved crate does not build:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );

    // Bad input: the xtask's located error, and the output folder as it was.
    let bad = tests::root().join("tests/fixtures/bad/dangling_ref.yaml");
    let keep = work.join("keep");
    std::fs::create_dir_all(keep.join("src")).expect("keep");
    std::fs::write(keep.join("src/lib.rs"), "// keep me\n").expect("keep");
    let bad_arg = bad.display().to_string();
    let keep_arg = keep.display().to_string();
    let ours = run(&bin, &work, &["--spec", &bad_arg, "--out", &keep_arg]);
    let theirs = xtask(&["--spec", &bad_arg, "--out", &keep_arg]);
    assert_eq!(ours.status.code(), Some(1));
    assert_eq!(theirs.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&ours.stderr),
        String::from_utf8_lossy(&theirs.stderr),
        "the same located error"
    );
    assert!(
        String::from_utf8_lossy(&ours.stderr).contains("dangling_ref.yaml: #/paths/~1a/get"),
        "{}",
        String::from_utf8_lossy(&ours.stderr)
    );
    let overlay = work.join("broken.overlay.yaml");
    std::fs::write(&overlay, "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.nothing\n    remove: true\n").expect("overlay");
    let broken = run(
        &bin,
        &work,
        &[
            "--spec",
            "my-api.yaml",
            "--out",
            &keep_arg,
            "--overlay",
            "broken.overlay.yaml",
        ],
    );
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&broken.stderr).contains(
            "broken.overlay.yaml: #/actions/0/target (line 4): `$.nothing` selects nothing"
        ),
        "{}",
        String::from_utf8_lossy(&broken.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(keep.join("src/lib.rs")).expect("read"),
        "// keep me\n",
        "a failed run leaves the output folder as it was"
    );
    assert_eq!(std::fs::read_dir(&keep).expect("keep").count(), 1);

    // Usage: --help exits 0, a wrong option or a missing --out exits 2 with the usage.
    let help = run(&bin, &work, &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("usage: openapi-codegen"));
    for args in [&["--no-such-option"][..], &["--spec", "my-api.yaml"][..]] {
        let wrong = run(&bin, &work, args);
        assert_eq!(wrong.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&wrong.stderr).contains("usage: openapi-codegen"));
    }
    let _ = std::fs::remove_dir_all(&work);
    let _ = std::fs::remove_dir_all(moved.parent().unwrap_or(&moved));
}
