//! Generates the client from `openapi.yaml` (and `openapi.overlay.yaml`, found beside it) into
//! `$OUT_DIR/openapi/`; `src/lib.rs` includes it.

fn main() {
    codegen::build::Build::new("openapi.yaml").run();
}
