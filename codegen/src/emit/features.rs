//! `#[cfg(feature = ...)]` attributes for crates with a feature per tag, and the crate docs'
//! table of features.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Name, Operation};

/// `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", ...))]`; nothing for no features.
pub fn cfg_any<'a>(features: impl IntoIterator<Item = &'a String>) -> TokenStream {
    let mut names: Vec<&String> = features.into_iter().collect();
    names.sort();
    names.dedup();
    match names.as_slice() {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// The attribute of an operation's items.
pub fn cfg_op(op: &Operation) -> TokenStream {
    cfg_any(op.feature.as_ref())
}

/// The attribute of a resource's module, handle and accessor: any feature of its operations or
/// of the operations of the resources below it.
pub fn cfg_resource(api: &Api, index: usize) -> TokenStream {
    if api.subtree_operations(index).any(|o| o.feature.is_none()) {
        return TokenStream::new();
    }
    cfg_any(
        api.subtree_operations(index)
            .filter_map(|o| o.feature.as_ref()),
    )
}

/// The attribute of a named type.
pub fn cfg_type(api: &Api, name: &Name) -> TokenStream {
    api.type_features.get(name).map(cfg_any).unwrap_or_default()
}

/// The crate docs' section listing the features, when the crate has them.
pub fn docs_section(api: &Api) -> String {
    if api.features.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n## Features\n\nOne cargo feature per tag of the spec: enable the ones you use \
         (`features = [\"...\"]`), or `full` for all. Without any, only the client, its \
         configuration and the shared types compile.\n\n| Feature | Tag | Operations | Resources |\n|---|---|---|---|\n",
    );
    for f in &api.features {
        let resources: Vec<String> = f.resources.iter().map(|r| format!("`{r}()`")).collect();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            f.name,
            f.tag.replace('|', "\\|").replace(['\n', '\r'], " "),
            f.operations,
            resources.join(", ")
        ));
    }
    out
}
