//! The API model between lowering and emitting: plain, ordered data with Rust names decided.
//!
//! Only `lower` builds it and only `emit` reads it. Every name in it is already a valid, unique
//! Rust identifier, so the emitters cannot fail on user input.

/// The whole API to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Cargo package name of the generated crate.
    pub crate_name: String,
    /// Cargo package version of the generated crate.
    pub crate_version: String,
    /// The spec's title.
    pub title: String,
    /// The spec's `info.version`.
    pub api_version: String,
    /// The spec's description, for the crate docs.
    pub description: Option<String>,
    /// The license named in the spec, if any.
    pub license: Option<String>,
    /// The first server URL, used as the default base URL.
    pub base_url: Option<String>,
    /// Authentication schemes the spec declares, for the docs.
    pub security_schemes: Vec<SecurityScheme>,
    /// Every named type, sorted by name.
    pub types: Vec<TypeDef>,
    /// Resources in spec order, each with its operations.
    pub resources: Vec<Resource>,
}

/// A security scheme the spec declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's key in `components/securitySchemes`.
    pub key: String,
    /// A short description such as "HTTP bearer token" or "API key in header `X-Auth-Key`".
    pub summary: String,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust type name (PascalCase, unique).
    pub name: String,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// The JSON pointer of the schema it came from.
    pub origin: String,
    /// What the type is.
    pub kind: TypeKind,
}

/// The shapes of named types.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known fields.
    Struct {
        /// Fields in spec order.
        fields: Vec<Field>,
        /// Type of extra properties kept in a flattened map, if the schema allows them.
        additional: Option<TypeRef>,
    },
    /// A string enum. Unknown wire values decode to an `Unknown(String)` variant.
    Enum {
        /// Known values in spec order.
        variants: Vec<Variant>,
    },
    /// A choice between several shapes (`oneOf`/`anyOf`).
    Union {
        /// The branches in spec order.
        variants: Vec<UnionVariant>,
        /// How the branches are told apart on the wire.
        tagging: Tagging,
    },
}

/// How a union is represented on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tagging {
    /// The first branch that decodes wins, in order.
    Untagged,
    /// A property names the branch (`discriminator`).
    Internal {
        /// The wire name of the tag property.
        property: String,
    },
}

/// A branch of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The tag value on the wire, for tagged unions.
    pub tag: Option<String>,
    /// The branch's type.
    pub ty: TypeRef,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name (snake_case, escaped, unique within the struct).
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    /// The field's type, without the `Option` wrapper.
    pub ty: TypeRef,
    /// Whether the property must be present (required and not read-only in a request).
    pub required: bool,
    /// Whether `null` is a valid value.
    pub nullable: bool,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// Limits checked before a request carrying this field is sent.
    pub constraints: Constraints,
}

/// Limits from the schema, checked on what the client sends and never on what it receives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength` of a string.
    pub min_length: Option<u64>,
    /// `maxLength` of a string.
    pub max_length: Option<u64>,
    /// `minimum` of a number.
    pub minimum: Option<f64>,
    /// `maximum` of a number.
    pub maximum: Option<f64>,
    /// `minItems` of a list.
    pub min_items: Option<u64>,
    /// `maxItems` of a list.
    pub max_items: Option<u64>,
}

impl Constraints {
    /// Reads the limits of a schema node.
    pub fn of(schema: &serde_json::Value) -> Self {
        let uint = |k: &str| schema.get(k).and_then(serde_json::Value::as_u64);
        let num = |k: &str| schema.get(k).and_then(serde_json::Value::as_f64);
        Self {
            min_length: uint("minLength").filter(|v| *v > 0),
            max_length: uint("maxLength"),
            // OpenAPI 3.1's numeric `exclusiveMinimum`/`exclusiveMaximum` are checked as
            // inclusive bounds: weaker by the bound itself, never rejecting a valid value.
            minimum: num("minimum").or_else(|| num("exclusiveMinimum")),
            maximum: num("maximum").or_else(|| num("exclusiveMaximum")),
            min_items: uint("minItems").filter(|v| *v > 0),
            max_items: uint("maxItems"),
        }
    }

    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A string enum value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub wire: String,
}

/// A reference to a type, as used in fields, parameters and responses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// `String`.
    String,
    /// A signed integer of the given width (32 or 64).
    Integer(u8),
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// Any JSON value (`serde_json::Value`).
    Json,
    /// A named type in the `types` module.
    Named(String),
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// A map from string keys to values.
    Map(Box<TypeRef>),
    /// `Option<T>` for a nullable value inside a container.
    Nullable(Box<TypeRef>),
    /// A boxed value, used to break recursion.
    Boxed(Box<TypeRef>),
    /// Raw bytes (`Vec<u8>`): binary file parts and non-JSON bodies.
    Bytes,
}

/// A group of operations on one kind of thing, such as `client_certificates`.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The module and accessor name (snake_case).
    pub name: String,
    /// The handle type's name (PascalCase).
    pub type_name: String,
    /// The operations, in spec order.
    pub operations: Vec<Operation>,
}

/// HTTP methods the generator supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
}

impl Method {
    /// The upper-case method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    /// The variant name of the runtime's `Method` enum.
    pub fn variant(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Put => "Put",
            Method::Patch => "Patch",
            Method::Delete => "Delete",
            Method::Head => "Head",
            Method::Options => "Options",
        }
    }
}

/// One API operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's operationId (or one derived from method and path).
    pub operation_id: String,
    /// The method name on the resource handle (snake_case).
    pub method_name: String,
    /// The request builder's type name (PascalCase, unique within the resource module).
    pub builder_name: String,
    /// The HTTP method.
    pub method: Method,
    /// The path template, such as `/zones/{zone_id}/client_certificates`.
    pub path: String,
    /// The spec's summary.
    pub summary: Option<String>,
    /// The spec's description.
    pub description: Option<String>,
    /// Permissions the spec says the operation needs (`x-cfPermissionsRequired`).
    pub permissions: Vec<String>,
    /// Whether the spec marks the operation deprecated.
    pub deprecated: bool,
    /// Parameters: required ones first in spec order, then optional ones in spec order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// What a successful response holds.
    pub response: Response,
    /// Page-number pagination, when the operation supports it.
    pub pagination: Option<Pagination>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A `{name}` segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
}

/// A path, query or header parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The Rust name (snake_case, unique within the operation).
    pub name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Required parameters are positional arguments; optional ones are builder setters.
    pub required: bool,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// Limits checked before the request is sent.
    pub constraints: Constraints,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The body's type.
    pub ty: TypeRef,
    /// Whether the body must be sent.
    pub required: bool,
    /// The media type.
    pub content_type: String,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// How the body is encoded.
    pub kind: BodyKind,
}

/// How a request body is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `serde_json`.
    Json,
    /// Newline-delimited JSON: the body type is a list, one line per item.
    Ndjson,
    /// `multipart/form-data`: the body type is a struct, one part per field.
    Multipart,
    /// Raw bytes sent as they are with the media type (`application/octet-stream`, ...).
    Bytes,
}

/// The decoded form of a successful response.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// The Cloudflare envelope `{success, errors, messages, result, result_info}`.
    Envelope {
        /// The type of `result`.
        result: TypeRef,
        /// Whether `result` may be null or absent on success.
        result_optional: bool,
        /// The type of `result_info`, if the envelope has one.
        result_info: Option<TypeRef>,
    },
    /// A plain JSON body.
    Json(TypeRef),
    /// A text body (`text/*`), as a `String`.
    Text,
    /// Any other non-JSON body, as bytes.
    Bytes,
    /// No body, or one that is ignored.
    Empty,
}

/// Page-number pagination over an envelope whose `result` is a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The Rust name of the page parameter.
    pub page_param: String,
    /// The page parameter's type.
    pub page_ty: TypeRef,
    /// The Rust name of the page-size parameter, if any.
    pub per_page_param: Option<String>,
    /// The page-size parameter's type.
    pub per_page_ty: Option<TypeRef>,
    /// The item type.
    pub item: TypeRef,
    /// The `result_info` type, which gets a `PageInfo` implementation.
    pub info: TypeRef,
}
