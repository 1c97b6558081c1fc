//! The API model between lowering and emitting: plain, ordered data with Rust names decided.
//!
//! Only `lower` builds it and only `emit` reads it. Every name in it is already a valid, unique
//! Rust identifier, so the emitters cannot fail on user input. Rust names are [`Name`]s, which
//! know their raw (`r#type`) and bare (`type`) forms; wire names, tags and paths stay `String`s.

pub use crate::name::Name;

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
    /// The first server URL with its variables replaced by their defaults: the default base URL.
    pub base_url: Option<String>,
    /// The environment variable that overrides the base URL (`<PREFIX>_BASE_URL`).
    pub base_url_env: String,
    /// Authentication schemes the spec declares that the client supports, in spec order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The ways to authenticate (alternatives of the root and operation `security`), in order:
    /// one typed builder method each.
    pub credential_sets: Vec<CredentialSet>,
    /// Whether every operation can be called without credentials.
    pub anonymous_allowed: bool,
    /// Whether every operation needs credentials: a client without any is refused at build.
    pub credentials_required: bool,
    /// The response header that identifies a request (lower case), kept on errors and responses.
    pub request_id_header: String,
    /// The envelope every response of the API is wrapped in, declared or detected; `None` when
    /// responses are plain.
    pub envelope: Option<Envelope>,
    /// Where an error body holds its message (`["error", "message"]`), found in the spec's error
    /// schemas or declared; empty when none is known.
    pub error_message: Vec<String>,
    /// Every named type, sorted by name.
    pub types: Vec<TypeDef>,
    /// Resources in spec order, each with its operations.
    pub resources: Vec<Resource>,
    /// The cargo features, one per tag, when the crate has them (large specs), by name.
    pub features: Vec<Feature>,
    /// The features whose operations reach each named type; a type not listed is always
    /// compiled (no features, or one shared by many features).
    pub type_features: std::collections::BTreeMap<Name, Vec<String>>,
    /// The named types a request body holds (itself, or through fields, items and branches):
    /// the structs among them get a constructor and setters.
    pub request_types: std::collections::BTreeSet<Name>,
    /// The distinct `security` requirements of the operations, in the order operations first
    /// use them: `tables::SECURITY_<index>`.
    pub security_sets: Vec<Vec<Vec<String>>>,
}

impl Api {
    /// Whether resource `index` is `root` or lies below it.
    pub fn in_subtree(&self, root: usize, mut index: usize) -> bool {
        loop {
            if index == root {
                return true;
            }
            match self.resources[index].parent {
                Some(p) => index = p,
                None => return false,
            }
        }
    }

    /// The operations of resource `root` and of every resource below it.
    pub fn subtree_operations(&self, root: usize) -> impl Iterator<Item = &Operation> {
        (root..self.resources.len())
            .filter(move |i| self.in_subtree(root, *i))
            .flat_map(move |i| &self.resources[i].operations)
    }

    /// The resources right below resource `parent` (or the top-level ones for `None`).
    pub fn children(&self, parent: Option<usize>) -> impl Iterator<Item = (usize, &Resource)> {
        self.resources
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.parent == parent)
    }

    /// The call chain of resource `index` from the client: `chat().completions()`.
    pub fn chain(&self, index: usize) -> String {
        let r = &self.resources[index];
        let own = format!("{}()", r.accessor.bare());
        match r.parent {
            Some(p) => format!("{}.{own}", self.chain(p)),
            None => own,
        }
    }

    /// The definition of the named type `name`, found by binary search (`types` is sorted by
    /// name): for an alias, the type it is the same as.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        let def = self.declared(name)?;
        match &def.kind {
            TypeKind::Alias { target } => self.declared(target),
            _ => Some(def),
        }
    }

    /// The named type `name` as declared (an alias stays an alias).
    pub fn declared(&self, name: &str) -> Option<&TypeDef> {
        let i = self
            .types
            .binary_search_by(|t| t.name.raw().cmp(name))
            .ok()?;
        Some(&self.types[i])
    }

    /// `ty` with every alias in it replaced by the type it is the same as: two types that are
    /// equal here are one Rust type.
    pub fn same_type(&self, ty: &TypeRef) -> TypeRef {
        ty.map_named(&|n| match self.declared(n).map(|d| &d.kind) {
            Some(TypeKind::Alias { target }) => target.clone(),
            _ => n.clone(),
        })
    }

    /// The fields of the named struct type `name`; `None` for other kinds or unknown names.
    pub fn struct_fields(&self, name: &str) -> Option<&[Field]> {
        self.type_def(name).and_then(|t| match &t.kind {
            TypeKind::Struct { fields, .. } => Some(fields.as_slice()),
            _ => None,
        })
    }
}

/// The fields of an API's response envelope (`{success, errors, messages, result,
/// result_info}` for example), by wire name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The field that holds the payload.
    pub result: String,
    /// The boolean field that says whether the call succeeded, if any.
    pub success: Option<String>,
    /// The list of error messages, if any.
    pub errors: Option<String>,
    /// The list of informational messages, if any.
    pub messages: Option<String>,
    /// The paging metadata, if any.
    pub result_info: Option<String>,
}

/// A cargo feature of the generated crate: the operations of one tag and the types they reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name (kebab-case of the tag).
    pub name: String,
    /// The tag as the spec spells it.
    pub tag: String,
    /// How many operations it holds.
    pub operations: usize,
    /// The resources it adds operations to, as call chains without the last `()`
    /// (`chat().completions`).
    pub resources: Vec<String>,
}

/// A security scheme the spec declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's key in `components/securitySchemes`.
    pub key: String,
    /// A short description such as "HTTP bearer token" or "API key in header `X-Auth-Key`".
    pub summary: String,
    /// How the credential goes on the wire.
    pub kind: SchemeKind,
    /// The environment variables that hold it: one, or user name and password for basic.
    pub env: Vec<String>,
}

/// How a credential goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer`.
    Bearer,
    /// `Authorization: Basic`.
    Basic,
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// `header`, `query` or `cookie`.
        location: ApiKeyLocation,
        /// The header, parameter or cookie name.
        name: String,
    },
    /// OAuth 2 or OpenID Connect: a bearer token, fixed or from a token provider.
    OAuth2,
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// Schemes sent together, set by one builder method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialSet {
    /// The builder method's name (a Rust identifier).
    pub name: Name,
    /// The scheme keys, in argument order.
    pub schemes: Vec<String>,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust type name (PascalCase, unique).
    pub name: Name,
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
    /// The same shape as another named type, which is defined instead (`pub type A = B;`): see
    /// `lower::shapes`. The target is never an alias itself.
    Alias {
        /// The type this one is the same as.
        target: Name,
    },
}

/// How a union is represented on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    pub name: Name,
    /// The tag value on the wire, for tagged unions.
    pub tag: Option<String>,
    /// The branch's type.
    pub ty: TypeRef,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name (snake_case, escaped, unique within the struct).
    pub name: Name,
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
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A string enum value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    /// The Rust variant name.
    pub name: Name,
    /// The value on the wire.
    pub wire: String,
    /// What the value means, from the spec (the description of a `oneOf` branch that lists it
    /// alone).
    pub doc: Option<String>,
}

/// A reference to a type, as used in fields, parameters and responses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// A named type in the `types` module, by its [`TypeDef::name`].
    Named(Name),
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
    /// A `multipart/form-data` form the caller builds part by part (the runtime's `Multipart`),
    /// for forms whose schema is not one plain object.
    MultipartForm,
}

impl TypeRef {
    /// The same reference with its named type (if any) replaced by `f` of it.
    pub fn map_named(&self, f: &impl Fn(&Name) -> Name) -> TypeRef {
        let inner = |t: &TypeRef| Box::new(t.map_named(f));
        match self {
            TypeRef::Named(n) => TypeRef::Named(f(n)),
            TypeRef::Array(t) => TypeRef::Array(inner(t)),
            TypeRef::Map(t) => TypeRef::Map(inner(t)),
            TypeRef::Nullable(t) => TypeRef::Nullable(inner(t)),
            TypeRef::Boxed(t) => TypeRef::Boxed(inner(t)),
            other => other.clone(),
        }
    }

    /// The named type this reference reaches (through `Vec`, maps, `Option` and boxes), if any:
    /// a reference holds at most one.
    pub fn named(&self) -> Option<&Name> {
        match self {
            TypeRef::Named(n) => Some(n),
            TypeRef::Array(t) | TypeRef::Map(t) | TypeRef::Nullable(t) | TypeRef::Boxed(t) => {
                t.named()
            }
            _ => None,
        }
    }
}

impl TypeKind {
    /// The named types the definition refers to directly, in order: its fields' and additional
    /// properties' types, its branches' types, or an alias's target.
    pub fn refs(&self) -> Vec<&Name> {
        match self {
            TypeKind::Struct { fields, additional } => fields
                .iter()
                .map(|f| &f.ty)
                .chain(additional)
                .filter_map(TypeRef::named)
                .collect(),
            TypeKind::Union { variants, .. } => {
                variants.iter().filter_map(|v| v.ty.named()).collect()
            }
            TypeKind::Alias { target } => vec![target],
            TypeKind::Enum { .. } => Vec::new(),
        }
    }
}

/// A group of operations on one kind of thing, such as `client_certificates`.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The module name (snake_case, unique in the crate; a nested resource's joins its chain).
    pub name: Name,
    /// The accessor on the parent handle, or on the client for a top-level resource.
    pub accessor: Name,
    /// The parent resource's index in `Api::resources` (always before this one).
    pub parent: Option<usize>,
    /// The handle type's name (PascalCase).
    pub type_name: Name,
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
    /// The spec's first tag of the operation.
    pub tag: Option<String>,
    /// The cargo feature that compiles it; `None` when it is always compiled.
    pub feature: Option<String>,
    pub operation_id: String,
    /// The method name on the resource handle (snake_case).
    pub method_name: Name,
    /// Whether `method_name` is the operationId fallback (the name the path gives was taken).
    pub name_fallback: bool,
    /// The request builder's type name (PascalCase, unique within the resource module).
    pub builder_name: Name,
    /// The private type alias of how the builder's response decodes (`GetResponse` beside
    /// `GetRequest`), unique within the resource module.
    pub decode_name: Name,
    /// The HTTP method.
    pub method: Method,
    /// The path template, such as `/zones/{zone_id}/client_certificates`.
    pub path: String,
    /// The spec's summary.
    pub summary: Option<String>,
    /// The spec's description.
    pub description: Option<String>,
    /// Permissions the spec says the operation needs (from the extension `x-rust-permissions`
    /// names).
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
    /// How a success response can be read as it arrives, when it can (issue 18).
    pub stream: Option<Streaming>,
    /// The typed bodies of the documented error responses, in spec order.
    pub errors: Vec<ErrorBody>,
    /// The name of the enum of error bodies, when they have more than one type.
    pub error_enum: Option<Name>,
    /// Security requirements: alternatives, each naming schemes sent together; empty when the
    /// operation needs no credentials (or names only schemes the client does not support).
    pub security: Vec<Vec<String>>,
}

impl Operation {
    /// The wire name of the parameter whose Rust name is `rust` (its bare form when the
    /// operation has no such parameter).
    pub fn wire_name<'a>(&'a self, rust: &'a Name) -> &'a str {
        self.params
            .iter()
            .find(|p| p.name == *rust)
            .map_or_else(|| rust.bare(), |p| p.wire_name.as_str())
    }
}

/// A documented error response with a JSON body of its own type.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorBody {
    /// The response key: `404`, `4XX` or `default`.
    pub status: String,
    /// The body's type.
    pub ty: TypeRef,
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
    pub name: Name,
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
    /// For a form-encoded body: the fields whose `style`/`explode` are not the default, in spec
    /// order.
    pub form_fields: Vec<FormField>,
}

/// How one field of an `application/x-www-form-urlencoded` body is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// The field's name on the wire.
    pub wire_name: String,
    /// The `style`: `form`, `spaceDelimited`, `pipeDelimited` or `deepObject`.
    pub style: FormStyle,
    /// Whether lists and objects are spread over several pairs.
    pub explode: bool,
}

/// The `style` of a form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    /// `form`.
    Form,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
}

impl FormStyle {
    /// The variant name of the runtime's `FormStyle`.
    pub fn variant(self) -> &'static str {
        match self {
            FormStyle::Form => "Form",
            FormStyle::SpaceDelimited => "SpaceDelimited",
            FormStyle::PipeDelimited => "PipeDelimited",
            FormStyle::DeepObject => "DeepObject",
        }
    }
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
    /// `multipart/form-data` whose schema is not one plain object: the caller builds the parts.
    MultipartParts,
    /// `application/x-www-form-urlencoded`: a struct (or map), encoded field by field.
    Form,
    /// Raw bytes sent as they are with the media type (`application/octet-stream`, ...).
    Bytes,
}

/// The decoded form of a successful response.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// A body in the API's envelope ([`Api::envelope`]), whose result field is decoded.
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

/// A success response read as it arrives: `.stream()` (events or lines) or `.bytes_stream()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Streaming {
    /// What the stream yields.
    pub kind: StreamKind,
    /// The wire name of a boolean body property that asks for the stream (`stream: true`),
    /// when the operation answers with JSON or a stream by that flag.
    pub flag: Option<String>,
}

/// What a streamed success response yields.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamKind {
    /// `text/event-stream`: server-sent events whose data decode as the type.
    Events(TypeRef),
    /// NDJSON, JSON Lines or JSON sequences: one item of the type per line.
    Lines {
        /// The item type.
        item: TypeRef,
        /// The media type asked for (`application/x-ndjson`, ...).
        media: String,
    },
    /// A binary body (`application/octet-stream`, `image/*`, `*/*`, ...), as chunks of bytes.
    Bytes,
}

/// How a list operation is walked page by page, with `pages()` and `items()` streams.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// How the next page is asked for.
    pub style: PageStyle,
    /// The item type.
    pub item: TypeRef,
    /// Where the items are in a response.
    pub items: ItemsAt,
    /// The envelope's `result_info` type, if the response is an envelope with one.
    pub info: Option<TypeRef>,
}

/// Where a page's items are.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemsAt {
    /// The envelope's `result`.
    Result,
    /// The whole body, a JSON list.
    Body,
    /// A list field of the JSON body.
    Field(Hop),
}

/// One step into a struct: the Rust field name and whether it is an `Option`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The Rust field name.
    pub field: Name,
    /// Whether the field is an `Option` (optional or nullable).
    pub optional: bool,
    /// When the field is an untagged union: its type name and the variant to go on in (a value
    /// of another shape has nothing further).
    pub variant: Option<(Name, Name)>,
}

/// A field reached from the root of a response: the envelope's `result_info` or the JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// Whether the path starts at `result_info` (else at the body).
    pub from_info: bool,
    /// The fields, outermost first.
    pub hops: Vec<Hop>,
}

/// How the next page is asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum PageStyle {
    /// A `page` number (and maybe `per_page`), stopping by the envelope's `result_info`.
    PageNumber {
        /// The Rust name of the page parameter.
        page_param: Name,
        /// The page parameter's type.
        page_ty: TypeRef,
        /// The Rust name of the page-size parameter, if any.
        per_page_param: Option<Name>,
        /// The page-size parameter's type.
        per_page_ty: Option<TypeRef>,
    },
    /// A cursor or token parameter whose next value the response gives.
    Cursor {
        /// The Rust name of the cursor parameter (a string).
        param: Name,
        /// Where the next cursor comes from.
        next: NextCursor,
    },
    /// The RFC 8288 `Link: <url>; rel="next"` header the response declares.
    Link,
    /// The next page's URL in the response body (`next_page_uri`, `links.pages.next`): absolute,
    /// or relative to the request's URL.
    NextUrl {
        /// The string field holding it.
        next: FieldPath,
    },
    /// An `offset` advanced by the items received, with an optional `limit`.
    Offset {
        /// The Rust name of the offset parameter.
        param: Name,
        /// Its type.
        ty: TypeRef,
        /// The Rust name of the limit parameter, if any.
        limit_param: Option<Name>,
        /// Its type.
        limit_ty: Option<TypeRef>,
        /// A total count in the response, if it has one.
        total: Option<FieldPath>,
    },
}

impl Pagination {
    /// The style's name, as `x-rust-pagination`'s `style` spells it: `page_number`, `cursor`,
    /// `last_item_id`, `offset`, `link` or `next_url`.
    pub fn style_name(&self) -> &'static str {
        match &self.style {
            PageStyle::PageNumber { .. } => "page_number",
            PageStyle::Cursor {
                next: NextCursor::Field(_),
                ..
            } => "cursor",
            PageStyle::Cursor {
                next: NextCursor::LastItemId { .. },
                ..
            } => "last_item_id",
            PageStyle::Offset { .. } => "offset",
            PageStyle::Link => "link",
            PageStyle::NextUrl { .. } => "next_url",
        }
    }
}

/// Where the next cursor comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextCursor {
    /// A string field (`next_page`, `next_cursor`, `result_info.cursors.after`).
    Field(FieldPath),
    /// The last item's `id` while a `has_more` flag is true (`starting_after`/`after` lists).
    LastItemId {
        /// The `has_more` flag.
        has_more: FieldPath,
        /// The item's id field (a string).
        id: Hop,
    },
}
