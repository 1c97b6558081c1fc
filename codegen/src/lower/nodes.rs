//! Small readers of spec nodes that both schema lowering and union naming use: a component's
//! name from its pointer, and a node's description.

use serde_json::Value;

/// The name a schema at `ptr` gives its type: `NAME` for `#/components/schemas/NAME`, also in
/// another file of a multi-file spec; there, also a top-level key of the file (`file.yaml#/NAME`)
/// or a `definitions`/`$defs` entry, or the file's stem for a whole-file schema
/// (`models/droplet.yaml`).
pub fn component_name(ptr: &str) -> Option<&str> {
    if let Some(rest) = ptr.strip_prefix("#/components/schemas/") {
        return if rest.contains('/') { None } else { Some(rest) };
    }
    let mounted = ptr
        .strip_prefix("#/")?
        .strip_prefix(crate::load::MOUNT_KEY)?;
    let mounted = mounted.strip_prefix('/')?;
    let (file, inner) = mounted.split_once('/').unwrap_or((mounted, ""));
    if inner.is_empty() {
        let name = file.rsplit("~1").next().unwrap_or(file);
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        return (!stem.is_empty()).then_some(stem);
    }
    let rest = ["components/schemas/", "definitions/", "$defs/"]
        .iter()
        .find_map(|p| inner.strip_prefix(p))
        .unwrap_or(inner);
    if rest.contains('/') { None } else { Some(rest) }
}

/// A schema's description, if it has one.
pub fn description(node: &Value) -> Option<String> {
    node.get("description")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::component_name;

    #[test]
    fn schemas_in_other_files_are_named_after_their_place() {
        let mounted = |p: &str| format!("#/{}/{p}", crate::load::MOUNT_KEY);
        assert_eq!(component_name("#/components/schemas/Pet"), Some("Pet"));
        assert_eq!(
            component_name("#/components/schemas/Pet/properties/a"),
            None
        );
        assert_eq!(component_name(&mounted("models~1pet.yaml")), Some("pet"));
        assert_eq!(
            component_name(&mounted("m.yaml/definitions/Tag")),
            Some("Tag")
        );
        assert_eq!(
            component_name(&mounted("m.yaml/components/schemas/X")),
            Some("X")
        );
        assert_eq!(component_name(&mounted("m.yaml/Droplet")), Some("Droplet"));
        assert_eq!(
            component_name(&mounted("m.yaml/Droplet/properties/a")),
            None
        );
    }
}
