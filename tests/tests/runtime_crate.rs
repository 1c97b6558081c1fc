//! The runtime as a crate of its own: crates generated from two tags of one spec share one
//! runtime client (connection pool and credentials, through a cheap conversion between their
//! `Client`s) and one `Error`, and a `vendored` crate (the runtime's sources copied in, without their
//! tests) builds on its own outside this workspace.

use codegen::ir::{Api, ParamLocation, TypeRef};
use codegen::{OutputFile, RuntimeSource};

/// A call, as Rust source, of the first operation of `api` whose required inputs are string path
/// parameters and that has no body: `<client>.<resource>().<method>("x", ...)`.
fn simple_call(api: &Api, client: &str) -> String {
    api.resources
        .iter()
        .enumerate()
        .find_map(|(i, r)| {
            r.operations
                .iter()
                .find(|o| {
                    o.body.is_none()
                        && o.params
                            .iter()
                            .filter(|p| p.required)
                            .all(|p| p.ty == TypeRef::String && p.location == ParamLocation::Path)
                })
                .map(|o| {
                    let args = vec!["\"x\""; o.params.iter().filter(|p| p.required).count()];
                    format!(
                        "{client}.{}.{}({})",
                        api.chain(i),
                        codegen::naming::bare(&o.method_name),
                        args.join(", ")
                    )
                })
        })
        .unwrap_or_else(|| {
            panic!(
                "{}: no operation with only string path parameters",
                api.crate_name
            )
        })
}

#[test]
fn two_crates_from_two_tags_share_one_runtime_client_and_one_error() {
    let Some(dir) = tests::corpus::folder() else {
        return;
    };
    let spec = dir.join("cloudflare.json");
    let doc = codegen::load::load_file(&spec).unwrap_or_else(|e| panic!("{e}"));
    let mut crates: Vec<(String, Vec<OutputFile>)> = Vec::new();
    let mut calls = Vec::new();
    for (name, tag, client) in [
        ("cf-account-roles", "Account Roles", "roles"),
        (
            "cf-load-balancer-regions",
            "Load Balancer Regions",
            "regions",
        ),
    ] {
        let settings = codegen::Settings {
            tags: vec![tag.to_owned()],
            ..tests::settings(name)
        };
        let generated = codegen::generate_doc(&doc, &settings).unwrap_or_else(|e| panic!("{e}"));
        calls.push(simple_call(&generated.api, client));
        crates.push((name.to_owned(), generated.files));
    }
    // One client built through the first crate and converted (one `Arc` clone, no trait import)
    // into the second crate's `Client`: one pool and one set of credentials. One error type and
    // one handler for both (`?` would need a `From` impl, and `handle` would not accept the
    // other's error, if the types were not the same).
    let main = format!(
        "//! Uses two generated crates with one runtime client and one error handler.\n\
         \n\
         fn handle(error: &cf_account_roles::Error) -> String {{\n    \
             format!(\"failed: {{error}} (retryable: {{}})\", error.is_retryable())\n\
         }}\n\
         \n\
         async fn both(\n    \
             roles: &cf_account_roles::Client,\n    \
             regions: &cf_load_balancer_regions::Client,\n\
         ) -> Result<(), cf_load_balancer_regions::Error> {{\n    \
             let _first = {a}.await?;\n    \
             let _second = {b}.await?;\n    \
             Ok(())\n\
         }}\n\
         \n\
         fn main() {{\n    \
             let roles = cf_account_roles::Client::builder()\n        \
                 .api_token(\"token\")\n        \
                 .base_url(\"http://127.0.0.1:9\")\n        \
                 .build()\n        \
                 .expect(\"client\");\n    \
             let regions = cf_load_balancer_regions::Client::from(roles.runtime().clone());\n    \
             assert_eq!(regions.base_url(), roles.base_url());\n    \
             let future = both(&roles, &regions);\n    \
             drop(future);\n    \
             let error: cf_load_balancer_regions::Error = cf_account_roles::Error::Config(\"x\".into());\n    \
             println!(\"{{}}\", handle(&error));\n\
         }}\n",
        a = calls[0],
        b = calls[1],
    );
    let program = vec![
        OutputFile {
            path: "Cargo.toml".to_owned(),
            contents: "[package]\nname = \"two-tags\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
                       [dependencies]\ncf-account-roles = { path = \"../cf-account-roles\" }\n\
                       cf-load-balancer-regions = { path = \"../cf-load-balancer-regions\" }\n"
                .to_owned(),
            emitted: true,
        },
        OutputFile {
            path: "src/main.rs".to_owned(),
            contents: main,
            emitted: true,
        },
    ];
    crates.push(("two-tags".to_owned(), program));
    tests::check_crates("two-tags", &crates);
}

#[test]
fn a_vendored_crate_builds_on_its_own() {
    let settings = codegen::Settings {
        runtime: RuntimeSource::Vendored,
        ..tests::settings("vendored-client")
    };
    let generated =
        codegen::generate_file(&tests::spec_path(), &settings).unwrap_or_else(|e| panic!("{e}"));
    let runtime_files: Vec<&OutputFile> = generated
        .files
        .iter()
        .filter(|f| f.path.starts_with("src/runtime/"))
        .collect();
    assert!(
        runtime_files.iter().any(|f| f.path == "src/runtime/mod.rs")
            && runtime_files
                .iter()
                .any(|f| f.path == "src/runtime/client.rs"),
        "the runtime's sources are copied"
    );
    for file in &runtime_files {
        assert!(
            !file.contents.contains("#[cfg(test)]") && !file.contents.contains("mod tests"),
            "{}: the runtime's tests are not vendored",
            file.path
        );
        assert!(
            !file.contents.contains("openapi_client_runtime"),
            "{}: examples name the vendored copy, not the runtime crate",
            file.path
        );
    }
    let manifest = &generated
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .expect("Cargo.toml")
        .contents;
    assert!(
        !manifest.contains(codegen::RUNTIME_PACKAGE) && manifest.contains("reqwest"),
        "a vendored crate depends on the runtime's dependencies, not on the runtime:\n{manifest}"
    );

    // A directory of its own, outside any workspace: its own `[workspace]` table. Checked
    // offline with this workspace's lock file (which holds the wasm32 dependencies too): all
    // features and wasm32; `tests/fresh_build.rs` runs the longer list with fresh versions.
    let target = tests::root().join("target");
    let dir = target.join("compile-tests/vendored/vendored-client");
    tests::downstream::write_vendored(&dir, "vendored-client");
    std::fs::copy(tests::root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
    let wasm = tests::downstream::wasm_target_installed();
    assert!(
        wasm || std::env::var_os("CI").is_none(),
        "the {} target is not installed, and CI is set",
        tests::downstream::WASM_TARGET
    );
    if !wasm {
        eprintln!(
            "SKIPPED: the vendored crate's wasm32 check: rustup target add {}",
            tests::downstream::WASM_TARGET
        );
    }
    tests::downstream::run(
        &dir,
        &target.join("compile-tests-target"),
        true,
        &tests::downstream::checks(false, wasm),
    );
}

/// Nothing of Cloudflare (names, host, variables) reaches a crate generated from another API's
/// spec: base URL, environment variables and credentials all come from that spec.
#[test]
fn a_crate_from_another_api_names_nothing_of_cloudflare() {
    let path = tests::root().join("tests/fixtures/ok/auth_styles.yaml");
    let generated = tests::generate(&path, "auth-styles");
    for file in &generated.files {
        let lower = file.contents.to_ascii_lowercase();
        for needle in [
            "cloudflare",
            "api.cloudflare.com",
            "cf-ray",
            "cf_ray",
            "x-auth-",
        ] {
            assert!(
                !lower.contains(needle),
                "{}: mentions `{needle}`",
                file.path
            );
        }
    }
    let lib = &generated
        .files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .expect("lib.rs")
        .contents;
    for expected in [
        "https://eu.example.test/v2",
        "AUTH_DEMO_BASE_URL",
        "AUTH_DEMO_TOKEN",
        "AUTH_DEMO_BASIC_USERNAME",
    ] {
        assert!(lib.contains(expected), "lib.rs lacks {expected}");
    }
}
