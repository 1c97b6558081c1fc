//! A deterministic generator of Cloudflare-like OpenAPI descriptions of any size, for scale
//! benchmarks and for tests that need a large spec.
//!
//! The text is YAML. Operations come in groups of five per resource (`things_N`): list, create,
//! get, edit and delete, on `/zones/{zone_id}/things_N` and `/zones/{zone_id}/things_N/{id}`.
//! Every schema pattern the real Cloudflare spec leans on appears in each group: `allOf`
//! envelopes whose later member narrows `result`, string enums (component and inline), objects
//! nested two levels deep, arrays of inline objects, `page`/`per_page` query parameters with a
//! `result_info`, `4XX` failure responses and a shared `$ref`'d path parameter.

use std::fmt::Write as _;

/// The operations of one resource, in the order they are emitted.
const OPERATIONS_PER_RESOURCE: usize = 5;

/// A Cloudflare-like OpenAPI 3.0 description with exactly `operations` operations, as YAML text.
/// The same count always gives the same text.
pub fn synthetic_spec(operations: usize) -> String {
    let resources = operations.div_ceil(OPERATIONS_PER_RESOURCE);
    let mut out = String::with_capacity(operations * 1_400 + 8_000);
    header(&mut out, operations);
    out.push_str("paths:\n");
    for index in 1..=resources {
        let ops = (operations - (index - 1) * OPERATIONS_PER_RESOURCE).min(OPERATIONS_PER_RESOURCE);
        resource_paths(&mut out, index, ops);
    }
    out.push_str("components:\n");
    shared_components(&mut out);
    for index in 1..=resources {
        resource_schemas(&mut out, index);
    }
    out
}

/// Appends formatted text. Writing to a `String` cannot fail, so the result is dropped.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

fn header(out: &mut String, operations: usize) {
    put!(
        out,
        "\
openapi: 3.0.3
info:
  title: 'Synthetic Cloudflare-like API'
  version: 4.0.0
  description: >-
    A synthetic description with {operations} operations in the shape of the Cloudflare API v4,
    made by bench::synthetic_spec for scale benchmarks. Every response uses the standard
    envelope (success, errors, messages, result).
servers:
  - url: https://api.cloudflare.com/client/v4
    description: Cloudflare client API v4.
security:
  - api_token: []
  - api_email: []
    api_key: []
"
    );
}

/// The one or two path items of resource `index`, holding its first `ops` operations.
fn resource_paths(out: &mut String, index: usize, ops: usize) {
    let n = index;
    put!(out, "  /zones/{{zone_id}}/things_{n}:\n");
    put!(
        out,
        "    get:
      operationId: things-{n}-list-things-{n}
      summary: List Things {n}
      description: List, filter and sort the things of kind {n} in a zone, one page at a time.
      tags:
        - Things {n}
      x-cfPermissionsRequired:
        enum:
          - '#zone:read'
      parameters:
        - $ref: '#/components/parameters/ZoneId'
        - name: status
          in: query
          required: false
          description: Only things with this status.
          schema:
            $ref: '#/components/schemas/Thing{n}Status'
        - name: match
          in: query
          required: false
          description: Whether every filter or any filter must match.
          schema:
            type: string
            enum:
              - any
              - all
            default: all
        - name: order
          in: query
          required: false
          description: Field to order things by.
          schema:
            type: string
            enum:
              - name
              - created_on
              - modified_on
              - status
        - name: direction
          in: query
          required: false
          description: Direction to order things.
          schema:
            type: string
            enum:
              - asc
              - desc
        - name: name
          in: query
          required: false
          description: Only things whose name contains this text.
          schema:
            type: string
            maxLength: 253
        - name: page
          in: query
          required: false
          description: Page number of paginated results.
          schema:
            type: integer
            minimum: 1
            default: 1
        - name: per_page
          in: query
          required: false
          description: Number of things per page.
          schema:
            type: integer
            minimum: 5
            maximum: 50
            default: 20
      responses:
        '200':
          description: List Things {n} Response
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing{n}ResponseCollection'
        '4XX':
          $ref: '#/components/responses/Failure'
"
    );
    if ops >= 2 {
        put!(
            out,
            "    post:
      operationId: things-{n}-create-thing-{n}
      summary: Create Thing {n}
      description: Create a new thing of kind {n} in the zone.
      tags:
        - Things {n}
      parameters:
        - $ref: '#/components/parameters/ZoneId'
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Thing{n}Create'
      responses:
        '200':
          description: Create Thing {n} Response
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing{n}ResponseSingle'
        '4XX':
          $ref: '#/components/responses/Failure'
"
        );
    }
    if ops < 3 {
        return;
    }
    put!(out, "  /zones/{{zone_id}}/things_{n}/{{id}}:\n");
    put!(
        out,
        "    get:
      operationId: things-{n}-thing-{n}-details
      summary: Thing {n} Details
      description: Get the details of one thing of kind {n}.
      tags:
        - Things {n}
      parameters:
        - $ref: '#/components/parameters/ZoneId'
        - $ref: '#/components/parameters/ThingId'
      responses:
        '200':
          description: Thing {n} Details Response
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing{n}ResponseSingle'
        '4XX':
          $ref: '#/components/responses/Failure'
"
    );
    if ops >= 4 {
        put!(
            out,
            "    patch:
      operationId: things-{n}-edit-thing-{n}
      summary: Edit Thing {n}
      description: Change some settings of one thing of kind {n}.
      tags:
        - Things {n}
      parameters:
        - $ref: '#/components/parameters/ZoneId'
        - $ref: '#/components/parameters/ThingId'
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Thing{n}Edit'
      responses:
        '200':
          description: Edit Thing {n} Response
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing{n}ResponseSingle'
        '4XX':
          $ref: '#/components/responses/Failure'
"
        );
    }
    if ops >= 5 {
        put!(
            out,
            "    delete:
      operationId: things-{n}-delete-thing-{n}
      summary: Delete Thing {n}
      description: Delete one thing of kind {n}.
      tags:
        - Things {n}
      parameters:
        - $ref: '#/components/parameters/ZoneId'
        - $ref: '#/components/parameters/ThingId'
      responses:
        '200':
          description: Delete Thing {n} Response
          content:
            application/json:
              schema:
                type: object
                description: Envelope holding the id of the deleted thing.
                allOf:
                  - $ref: '#/components/schemas/ApiResponseSingle'
                  - type: object
                    properties:
                      result:
                        type: object
                        nullable: true
                        properties:
                          id:
                            type: string
                            description: Identifier of the deleted thing.
                            maxLength: 32
        '4XX':
          $ref: '#/components/responses/Failure'
"
        );
    }
}

/// Security schemes, shared parameters, the failure response and the envelope schemas.
fn shared_components(out: &mut String) {
    out.push_str(
        "  securitySchemes:
    api_token:
      type: http
      scheme: bearer
      description: 'API token, sent as `Authorization: Bearer <token>`.'
    api_key:
      type: apiKey
      in: header
      name: X-Auth-Key
      description: Global API key; must be sent together with X-Auth-Email.
    api_email:
      type: apiKey
      in: header
      name: X-Auth-Email
      description: Email address of the account; must be sent together with X-Auth-Key.
  parameters:
    ZoneId:
      name: zone_id
      in: path
      required: true
      description: Identifier of the zone.
      schema:
        type: string
        maxLength: 32
    ThingId:
      name: id
      in: path
      required: true
      description: Identifier of the thing.
      schema:
        type: string
        maxLength: 32
  responses:
    Failure:
      description: Failure response; `success` is false and `errors` explains why.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/ApiResponseCommonFailure'
  schemas:
    ResultInfo:
      type: object
      description: Pagination information for a collection result.
      properties:
        count:
          type: integer
          description: Number of results on this page.
        page:
          type: integer
          description: Current page within paginated list of results.
        per_page:
          type: integer
          description: Number of results per page of results.
        total_count:
          type: integer
          description: Total results available without any search parameters.
        total_pages:
          type: integer
          description: The number of total pages in the entire result set.
    ApiMessage:
      type: object
      description: An error or informational message returned by the API.
      required:
        - code
        - message
      properties:
        code:
          type: integer
          minimum: 1000
        message:
          type: string
        documentation_url:
          type: string
        source:
          type: object
          properties:
            pointer:
              type: string
    ApiMessages:
      type: array
      items:
        $ref: '#/components/schemas/ApiMessage'
    ApiResponseCommon:
      type: object
      required:
        - success
        - errors
        - messages
      properties:
        success:
          type: boolean
        errors:
          $ref: '#/components/schemas/ApiMessages'
        messages:
          $ref: '#/components/schemas/ApiMessages'
    ApiResponseSingle:
      type: object
      allOf:
        - $ref: '#/components/schemas/ApiResponseCommon'
        - type: object
          properties:
            result:
              type: object
    ApiResponseCollection:
      type: object
      allOf:
        - $ref: '#/components/schemas/ApiResponseCommon'
        - type: object
          properties:
            result:
              type: array
              items:
                type: object
            result_info:
              $ref: '#/components/schemas/ResultInfo'
    ApiResponseCommonFailure:
      type: object
      required:
        - success
        - errors
        - messages
        - result
      properties:
        success:
          type: boolean
        errors:
          type: array
          minItems: 1
          items:
            $ref: '#/components/schemas/ApiMessage'
        messages:
          $ref: '#/components/schemas/ApiMessages'
        result:
          type: object
          nullable: true
",
    );
}

/// The schemas of resource `index`: the model, its status enum, the create and edit bodies and
/// the two envelopes that narrow `result`.
fn resource_schemas(out: &mut String, index: usize) {
    let n = index;
    put!(
        out,
        "    Thing{n}:
      type: object
      description: A thing of kind {n}.
      properties:
        id:
          type: string
          description: Identifier.
          maxLength: 32
          readOnly: true
        name:
          type: string
          description: Human-readable name.
          maxLength: 253
        description:
          type: string
          description: Free-form description.
        status:
          $ref: '#/components/schemas/Thing{n}Status'
        enabled:
          type: boolean
          description: Whether the thing is in effect.
        priority:
          type: integer
          description: Evaluation order; lower runs first.
        created_on:
          type: string
          format: date-time
          readOnly: true
        modified_on:
          type: string
          format: date-time
          readOnly: true
        tags:
          type: array
          items:
            type: string
        settings:
          type: object
          description: How the thing behaves.
          properties:
            mode:
              type: string
              enum:
                - 'off'
                - monitor
                - block
            ttl:
              type: integer
              minimum: 30
            origin:
              type: object
              description: Where the thing sends traffic.
              properties:
                host:
                  type: string
                port:
                  type: integer
                tls:
                  type: string
                  enum:
                    - strict
                    - flexible
        rules:
          type: array
          items:
            type: object
            properties:
              id:
                type: string
              action:
                type: string
                enum:
                  - allow
                  - block
                  - challenge
                  - log
              expression:
                type: string
    Thing{n}Status:
      type: string
      description: Where the thing of kind {n} is in its life cycle.
      enum:
        - active
        - pending
        - disabled
        - deleted
    Thing{n}Create:
      type: object
      description: Request body for creating a thing of kind {n}.
      required:
        - name
      properties:
        name:
          type: string
          maxLength: 253
        description:
          type: string
        enabled:
          type: boolean
          default: true
        priority:
          type: integer
        tags:
          type: array
          items:
            type: string
    Thing{n}Edit:
      type: object
      description: Request body for changing a thing of kind {n}; absent fields stay as they are.
      properties:
        name:
          type: string
        enabled:
          type: boolean
        priority:
          type: integer
    Thing{n}ResponseSingle:
      type: object
      allOf:
        - $ref: '#/components/schemas/ApiResponseSingle'
        - type: object
          required:
            - result
          properties:
            result:
              $ref: '#/components/schemas/Thing{n}'
    Thing{n}ResponseCollection:
      type: object
      allOf:
        - $ref: '#/components/schemas/ApiResponseCollection'
        - type: object
          properties:
            result:
              type: array
              items:
                $ref: '#/components/schemas/Thing{n}'
"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_operations_and_is_deterministic() {
        for n in [1, 2, 3, 4, 5, 7, 100] {
            let text = synthetic_spec(n);
            assert_eq!(text, synthetic_spec(n));
            let ops = text
                .lines()
                .filter(|l| l.trim_start().starts_with("operationId:"))
                .count();
            assert_eq!(ops, n, "{n} operations");
        }
    }

    #[test]
    fn the_generator_accepts_it_without_warnings() {
        let generated = codegen::generate_str(
            "synthetic.yaml",
            &synthetic_spec(12),
            &codegen::Settings::default(),
        )
        .expect("the synthetic spec generates");
        assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
        let resources: Vec<&str> = generated
            .files
            .iter()
            .filter_map(|f| f.path.strip_prefix("src/resources/"))
            .collect();
        assert_eq!(
            resources,
            ["mod.rs", "things_1.rs", "things_2.rs", "things_3.rs"]
        );
    }
}
