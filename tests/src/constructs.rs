//! A synthetic spec of any size that mixes every construct the generator supports, one construct
//! family per operation in rotation, so that a large spec exercises all of them together.

use serde_json::{Map, Value, json};

/// The construct families, in rotation order; the closing report counts them.
pub const FAMILIES: &[&str] = &[
    "paginated allOf envelope with result override",
    "inline JSON body with required fields, 201",
    "oneOf with discriminator and mapping",
    "anyOf untagged",
    "oneOf tagged by a fixed `type` property",
    "recursive schema (boxed)",
    "additionalProperties maps, nullable, readOnly",
    "several success codes with different bodies",
    "204 empty response",
    "operationId with ( ) ' / , or none at all",
    "enums with null, boolean and integer enums, formats",
    "$ref to parameters, requestBodies, responses; path-item parameters",
    "JSON body with no schema, 2XX, default and 5XX responses",
    "3.1 type arrays and const (3.1 only) / nullable (3.0)",
];

/// A spec with `operations` operations (OpenAPI 3.1 when `v31`), as JSON text.
pub fn constructs_spec(operations: usize, v31: bool) -> String {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    let mut components = Map::new();
    schemas.insert(
        "Envelope".into(),
        json!({"type": "object", "required": ["success", "errors", "messages"], "properties": {
            "success": {"type": "boolean", "enum": [true]},
            "errors": {"type": "array", "items": {"type": "object"}},
            "messages": {"type": "array", "items": {"type": "object"}},
            "result": {"anyOf": [{"type": "object"}, {"type": "string"}]}}}),
    );
    schemas.insert(
        "Collection".into(),
        json!({"allOf": [{"$ref": "#/components/schemas/Envelope"}, {"properties": {
            "result": {"type": "array", "items": {}, "nullable": !v31},
            "result_info": {"$ref": "#/components/schemas/ResultInfo"}}}]}),
    );
    schemas.insert(
        "ResultInfo".into(),
        json!({"type": "object", "properties": {"page": {"type": "number"}, "per_page": {"type": "number"},
            "total_pages": {"type": "number"}, "count": {"type": "number"}, "total_count": {"type": "number"}}}),
    );
    components.insert("parameters".into(), json!({
        "ZoneId": {"name": "zone_id", "in": "path", "required": true, "schema": {"type": "string", "maxLength": 32}},
        "Page": {"name": "page", "in": "query", "schema": {"type": "number", "minimum": 1}},
    }));
    components.insert("requestBodies".into(), json!({}));
    components.insert("responses".into(), json!({}));
    for i in 0..operations {
        let family = i % FAMILIES.len();
        let base = format!("/zones/{{zone_id}}/family{family}/res{i}");
        let zone = json!({"$ref": "#/components/parameters/ZoneId"});
        let item = format!("Item{i}");
        schemas.insert(item.clone(), json!({"type": "object", "description": format!("Item {i}."), "properties": {
            "id": {"type": "string", "readOnly": true},
            "status": {"enum": ["active", "paused", "deleted"]},
            "nested": {"type": "object", "properties": {"depth": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}}},
            "created_on": {"type": "string", "format": "date-time"}}}));
        let item_ref = json!({"$ref": format!("#/components/schemas/{item}")});
        let ok = |schema: Value| json!({"description": "ok", "content": {"application/json": {"schema": schema}}});
        let single = |result: Value| json!({"allOf": [{"$ref": "#/components/schemas/Envelope"}, {"properties": {"result": result}}]});
        let (path, method, op): (String, &str, Value) = match family {
            0 => (
                base,
                "get",
                json!({
                "operationId": format!("list-items-{i}"),
                "parameters": [zone, {"$ref": "#/components/parameters/Page"}, {"name": "per_page", "in": "query", "schema": {"type": "number"}}],
                "responses": {"200": ok(json!({"allOf": [{"$ref": "#/components/schemas/Collection"}, {"properties": {"result": {"type": "array", "items": item_ref}}}]})),
                              "4XX": ok(json!({"type": "object"}))}}),
            ),
            1 => (
                base,
                "post",
                json!({
                "operationId": format!("create-item-{i}"), "parameters": [zone],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name", "kind"], "properties": {
                    "name": {"type": "string"}, "kind": {"type": "string", "enum": ["a", "b"]}, "settings": {"type": "object", "properties": {"ttl": {"type": "integer", "format": "int32"}}}}}}}},
                "responses": {"201": ok(single(item_ref))}}),
            ),
            2 => {
                for (n, t) in [("Cat", "cat"), ("Dog", "dog")] {
                    schemas.insert(format!("{n}{i}"), json!({"type": "object", "required": ["pet_type"], "properties": {"pet_type": {"type": "string"}, "name": {"type": "string"}, format!("{t}_only"): {"type": "boolean"}}}));
                }
                (
                    base,
                    "get",
                    json!({"operationId": format!("get-pet-{i}"), "parameters": [zone], "responses": {"200": ok(single(json!({
                    "oneOf": [{"$ref": format!("#/components/schemas/Cat{i}")}, {"$ref": format!("#/components/schemas/Dog{i}")}],
                    "discriminator": {"propertyName": "pet_type", "mapping": {"cat": format!("#/components/schemas/Cat{i}"), "dog": format!("#/components/schemas/Dog{i}")}}})))}}),
                )
            }
            3 => (
                base,
                "get",
                json!({"operationId": format!("get-value-{i}"), "parameters": [zone], "responses": {"200": ok(json!({
                "anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "object", "properties": {"v": {"type": "number"}}}]}))}}),
            ),
            4 => (
                base,
                "put",
                json!({"operationId": format!("put-rule-{i}"), "parameters": [zone],
                "requestBody": {"content": {"application/json": {"schema": {"oneOf": [
                    {"type": "object", "properties": {"type": {"type": "string", "enum": ["block"]}, "ips": {"type": "array", "items": {"type": "string", "format": "ipv4"}}}},
                    {"type": "object", "properties": {"type": {"type": "string", "enum": ["allow"]}, "countries": {"type": "array", "items": {"type": "string"}}}}]}}}},
                "responses": {"200": ok(single(json!({"type": "object", "properties": {"applied": {"type": "boolean"}}})))}}),
            ),
            5 => {
                schemas.insert(format!("Node{i}"), json!({"type": "object", "properties": {
                    "name": {"type": "string"}, "parent": {"$ref": format!("#/components/schemas/Node{i}")},
                    "children": {"type": "array", "items": {"$ref": format!("#/components/schemas/Node{i}")}}}}));
                (
                    base,
                    "get",
                    json!({"operationId": format!("get-tree-{i}"), "parameters": [zone],
                    "responses": {"200": ok(single(json!({"$ref": format!("#/components/schemas/Node{i}")})))}}),
                )
            }
            6 => (
                base,
                "patch",
                json!({"operationId": format!("patch-map-{i}"), "parameters": [zone],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "any": {"type": "object", "additionalProperties": true},
                    "note": {"type": "string", "nullable": true},
                    "id": {"type": "string", "readOnly": true}}, "required": ["id"]}}}},
                "responses": {"200": ok(single(item_ref))}}),
            ),
            7 => (
                base,
                "post",
                json!({"operationId": format!("start-job-{i}"), "parameters": [zone],
                "responses": {"200": ok(single(item_ref)), "202": ok(single(json!({"type": "object", "properties": {"job_id": {"type": "string"}}})))}}),
            ),
            8 => (
                format!("{base}/{{id}}"),
                "delete",
                json!({"operationId": format!("delete-item-{i}"),
                "parameters": [zone, {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"204": {"description": "deleted"}}}),
            ),
            9 => {
                let mut op =
                    json!({"parameters": [zone], "responses": {"200": ok(single(item_ref))}});
                if i % 2 == 0 {
                    op["operationId"] = json!(format!("Item {i} (legacy) / don't, use"));
                }
                (base, "get", op)
            }
            10 => (
                base,
                "get",
                json!({"operationId": format!("get-enums-{i}"), "parameters": [zone,
                    {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["fast", "slow"]}},
                    {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "string", "format": "uuid"}}}],
                "responses": {"200": ok(single(json!({"type": "object", "properties": {
                    "color": {"type": "string", "nullable": true, "enum": ["red", "green", null]},
                    "flag": {"type": "boolean", "enum": [true]}, "level": {"type": "integer", "enum": [1, 2, 3]},
                    "ratio": {"type": "number", "format": "float"}, "big": {"type": "integer", "format": "int64"},
                    "day": {"type": "string", "format": "date"}, "ip6": {"type": "string", "format": "ipv6"},
                    "link": {"type": "string", "format": "uri"}, "email": {"type": "string", "format": "email"}}})))}}),
            ),
            11 => {
                components["requestBodies"][format!("Body{i}")] = json!({"required": true, "content": {"application/json": {"schema": item_ref}}});
                components["responses"][format!("Resp{i}")] = ok(single(item_ref));
                let path = format!("{base}/{{item_id}}");
                let op = json!({"operationId": format!("replace-item-{i}"),
                    "requestBody": {"$ref": format!("#/components/requestBodies/Body{i}")},
                    "responses": {"200": {"$ref": format!("#/components/responses/Resp{i}")}}});
                paths.insert(path.clone(), json!({"parameters": [zone, {"name": "item_id", "in": "path", "required": true, "schema": {"type": "string"}}]}));
                (path, "put", op)
            }
            12 => (
                base,
                "post",
                json!({"operationId": format!("raw-{i}"), "parameters": [zone],
                "requestBody": {"content": {"application/json": {}}},
                "responses": {"2XX": ok(json!({})), "default": ok(json!({"type": "object"})), "5XX": {"description": "server"}}}),
            ),
            _ => {
                let note = if v31 {
                    json!({"type": ["string", "null"]})
                } else {
                    json!({"type": "string", "nullable": true})
                };
                let kind = if v31 {
                    json!({"const": "thing"})
                } else {
                    json!({"type": "string", "enum": ["thing"]})
                };
                (
                    base,
                    "get",
                    json!({"operationId": format!("get-thing-{i}"), "parameters": [zone],
                    "responses": {"200": ok(json!({"type": "object", "required": ["kind"], "properties": {"kind": kind, "note": note}}))}}),
                )
            }
        };
        let entry = paths.entry(path).or_insert_with(|| json!({}));
        entry[method] = op;
    }
    components.insert("schemas".into(), Value::Object(schemas));
    json!({
        "openapi": if v31 { "3.1.0" } else { "3.0.3" },
        "info": {"title": "Constructs", "version": "1"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": paths,
        "components": components,
    })
    .to_string()
}
