//! A new user's first build: the `spec/` crate generated with the runtime vendored into a
//! directory outside this checkout, its dependencies resolved afresh (`cargo generate-lockfile`,
//! no lock file of ours), then checked with warnings denied (native with each TLS provider, all
//! features, docs, doctests, wasm32). Every other test reuses this workspace's `Cargo.lock`, so
//! only this one sees what the newest semver-compatible dependencies do (a deprecation, say).
//!
//! It needs the network, so it is ignored by default; CI runs it (`.ci/run`):
//! `cargo test -p tests --test fresh_build -- --ignored --nocapture`.

#[test]
#[ignore = "resolves dependencies from the registry (network); CI runs it with --ignored"]
fn a_fresh_downstream_build_has_no_warnings() {
    let dir =
        tests::downstream::outside_dir("fresh-downstream").join("cloudflare-client-certificates");
    // The target directory stays in this checkout, so CI's cache keeps the compiled dependencies.
    let target = tests::root().join("target/fresh-downstream");
    let files = tests::downstream::write_vendored(&dir, "cloudflare-client-certificates");
    eprintln!(
        "generated {} files (runtime vendored) into {}",
        files.len(),
        dir.display()
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(&cargo)
        .current_dir(&dir)
        .args(["generate-lockfile", "--quiet"])
        .output()
        .expect("run cargo generate-lockfile");
    assert!(
        output.status.success(),
        "cargo generate-lockfile failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("resolved afresh (cargo generate-lockfile):");
    for line in tests::downstream::locked_versions(
        &dir,
        &[
            "reqwest",
            "rustls",
            "aws-lc-rs",
            "aws-lc-sys",
            "ring",
            "rustls-platform-verifier",
            "tokio",
            "wiremock",
            "gloo-timers",
            "js-sys",
        ],
    ) {
        eprintln!("  {line}");
    }
    let wasm = tests::downstream::wasm_target_installed();
    assert!(
        wasm || std::env::var_os("CI").is_none(),
        "the {} target is not installed, and CI is set (rustup target add {0})",
        tests::downstream::WASM_TARGET
    );
    if !wasm {
        eprintln!(
            "SKIPPED: the wasm32 check: rustup target add {}",
            tests::downstream::WASM_TARGET
        );
    }
    tests::downstream::run(&dir, &target, false, &tests::downstream::checks(wasm));
    let _ = std::fs::remove_dir_all(dir.parent().unwrap_or(&dir));
}
