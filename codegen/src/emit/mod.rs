//! Emitting: IR -> Rust tokens -> formatted files. Emitters read only the IR and cannot fail on
//! user input; the only failure left is a generator bug caught when formatting.

mod builders;
mod client;
mod deserialize;
mod docs;
mod errors;
mod features;
mod mock;
mod mock_table;
mod pagination;
mod root;
pub(crate) mod runtime;
mod serialize;
mod stream;
pub mod surface;
mod tables;
mod typeref;
mod types;

use proc_macro2::Ident;

use crate::RuntimeSource;
use crate::error::Error;
use crate::format::{Plan, chunk, format_files};
use crate::ir::Api;

pub use runtime::{RUNTIME_PACKAGE, RUNTIME_VERSION};

/// One output file: a path relative to the crate root and its full contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the crate directory, with `/` separators.
    pub path: String,
    /// The file's contents.
    pub contents: String,
    /// Whether the generator wrote it from the spec (`false` for verbatim runtime copies).
    pub emitted: bool,
}

/// Produces every file of the generated crate, in a fixed order.
pub fn emit(
    api: &Api,
    spec_name: &str,
    runtime_source: &RuntimeSource,
) -> Result<Vec<OutputFile>, Error> {
    let vendored = *runtime_source == RuntimeSource::Vendored;
    let mut files = vec![OutputFile {
        path: "Cargo.toml".to_owned(),
        contents: root::cargo_toml(api, spec_name, runtime_source),
        emitted: true,
    }];
    // Every Rust file is planned as chunks first, then built and formatted on all cores.
    let mut plans = vec![Plan::new(
        "src/lib.rs",
        [chunk(|| root::lib_rs(api, vendored))],
    )];
    if api.features.is_empty() {
        plans.push(Plan::new(
            "src/types.rs",
            types::types_file(api).chain([chunk(|| pagination::page_info_impls(api))]),
        ));
    } else {
        // With a feature per tag: a module per feature, so no file holds every type.
        let modules = types::type_modules(api);
        let names: Vec<(crate::ir::Name, Option<&str>)> = modules
            .iter()
            .map(|m| (m.name.clone(), m.feature))
            .collect();
        plans.push(Plan::new(
            "src/types/mod.rs",
            [
                chunk(move || types::types_mod(&names)),
                chunk(|| pagination::page_info_impls(api)),
            ],
        ));
        for m in modules {
            let path = format!("src/types/{}.rs", m.name.bare());
            plans.push(Plan::new(path, types::module_file(api, m)));
        }
    }
    plans.push(Plan::new(
        "src/resources/mod.rs",
        [chunk(|| client::resources_mod(api))],
    ));
    for (index, resource) in api.resources.iter().enumerate() {
        let path = format!("src/resources/{}.rs", resource.name.bare());
        plans.push(Plan::new(path, client::resource_file(api, index)));
    }
    plans.push(Plan::new("src/mock.rs", mock::mock_file(api)));
    for (path, contents) in format_files(plans, spec_name)? {
        files.push(OutputFile {
            path,
            contents,
            emitted: true,
        });
    }
    if vendored {
        files.extend(runtime::vendored_files(&api.crate_name.replace('-', "_")));
    }
    files.push(OutputFile {
        path: "api-surface.txt".to_owned(),
        contents: surface::surface(api),
        emitted: true,
    });
    // Module names are unique by construction; this guards the "a failure writes nothing" rule.
    let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    if let Some(w) = paths.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::Internal {
            file: w[0].to_owned(),
            message: "two outputs have the same path".to_owned(),
        });
    }
    Ok(files)
}

/// An identifier token from a name the emitter composed (`format!("{}Mock", ..)`), with the
/// same rules as [`Name`](crate::ir::Name)'s tokens: `r#type` becomes a raw identifier, and
/// anything that is still not a valid identifier is replaced rather than allowed to panic.
pub(crate) fn ident(name: &str) -> Ident {
    crate::name::ident(name)
}
