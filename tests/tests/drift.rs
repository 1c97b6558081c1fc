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

/// `runtime/api-surface.txt` lists the runtime crate's public API as it is now.
#[test]
fn runtime_api_surface_is_fresh() {
    let path = tests::root().join("runtime/api-surface.txt");
    let on_disk = std::fs::read_to_string(&path).expect("read runtime/api-surface.txt");
    let now = codegen::emit::surface::runtime_surface();
    assert!(
        on_disk == now,
        "runtime/api-surface.txt is stale; run `cargo xtask codegen` and commit:\n{:#?}",
        codegen::emit::surface::diff(&on_disk, &now)
    );
    for item in [
        "struct client::Client",
        "struct config::ApiConfig",
        "enum error::Error",
    ] {
        assert!(now.lines().any(|l| l == item), "{item} missing:\n{now}");
    }
    assert!(
        !now.contains("RequestBuilder") && !now.contains("OperationInfo"),
        "plumbing for generated code is #[doc(hidden)] and not part of the listed API:\n{now}"
    );
}
