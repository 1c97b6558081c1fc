//! The committed `generated/` crate is exactly what the generator produces from `spec/` now.
//! The same check backs `cargo xtask codegen --check`.

#[test]
fn generated_crate_is_fresh() {
    let generated = tests::generate(&tests::spec_path(), "cloudflare-client-certificates");
    let changes = codegen::write::check(&tests::root().join("generated"), &generated.files)
        .expect("read generated/");
    assert!(
        changes.is_empty(),
        "generated/ is stale (differs: {:?}; not generated any more: {:?}); run `cargo xtask codegen` and commit",
        changes.written,
        changes.removed
    );
}
