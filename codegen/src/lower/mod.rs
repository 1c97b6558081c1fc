//! Lowering: the OpenAPI document -> the IR. All validation of the spec happens here.
//!
//! `schema` turns schemas into types; `conventions` decides the API's envelope and error
//! message once; `operation` turns paths into resources and operations; `pagination` finds how
//! a list operation is walked.

mod constraints;
mod conventions;
mod features;
pub mod nodes;
mod operation;
mod pagination;
mod requests;
pub(crate) mod reserved;
mod resources;
pub mod schema;
pub mod security;
mod shapes;
mod stream;
mod variants;

use serde_json::Value;

use crate::Settings;
use crate::error::{SpecResult, Warning};
use crate::ir::Api;
use crate::load::Document;

/// Lowers a loaded document to the IR, returning warnings for what was tolerated.
pub fn lower(doc: &Document, settings: &Settings) -> SpecResult<(Api, Vec<Warning>)> {
    let info = doc.root.get("info");
    let text = |key: &str| {
        info.and_then(|i| i.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let title = text("title").unwrap_or_else(|| "API".to_owned());
    let crate_name = settings
        .crate_name
        .clone()
        .or_else(|| text("x-rust-crate-name"))
        .unwrap_or_else(|| title.clone());
    // Only letters, digits and dashes survive, so the name is a valid package name.
    let crate_name =
        heck::ToKebabCase::to_kebab_case(crate::naming::bare(&crate::naming::snake(&crate_name)));
    // A package name must start with a letter.
    let crate_name = if crate_name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        crate_name
    } else {
        format!("api-{}", crate_name.trim_start_matches(['_', '-']))
    };
    let crate_version = settings
        .crate_version
        .clone()
        .unwrap_or_else(|| "0.1.0".to_owned());

    let mut types = schema::Types::new(doc);
    let conventions = conventions::read(doc, &mut types)?;
    let mut resources = operation::lower_paths(doc, settings, &conventions, &mut types)?;
    let (mut types, mut warnings) = types.into_defs();
    shapes::share(&mut types);
    let security = security::lower(doc, &crate_name, &mut resources, &mut warnings)?;
    warnings.sort();
    warnings.dedup();

    let api = Api {
        crate_name,
        crate_version,
        title,
        api_version: text("version").unwrap_or_default(),
        description: text("description").filter(|d| !d.trim().is_empty()),
        license: info
            .and_then(|i| i.get("license"))
            .and_then(|l| l.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        base_url: security.base_url,
        base_url_env: security.base_url_env,
        security_schemes: security.schemes,
        credential_sets: security.sets,
        anonymous_allowed: security.anonymous_allowed,
        credentials_required: security.credentials_required,
        request_id_header: security.request_id_header,
        envelope: conventions.envelope,
        error_message: conventions.error_message,
        types,
        resources,
        features: Vec::new(),
        type_features: std::collections::BTreeMap::new(),
        request_types: std::collections::BTreeSet::new(),
        security_sets: Vec::new(),
    };
    let api = requests::mark(api);
    let mut api = features::assign(api, settings.tag_features);
    for op in api.resources.iter().flat_map(|r| &r.operations) {
        if !api.security_sets.contains(&op.security) {
            api.security_sets.push(op.security.clone());
        }
    }
    Ok((api, warnings))
}
