//! `openapi-codegen`: the generator as a command of its own, for a spec in any repository.
//! Install it with `cargo install --path cli` from the generator's checkout.
//!
//! It is the same command line as `cargo xtask codegen` (`codegen::cli`): same flags, messages
//! and exit statuses. Without the generator's workspace around it, its spec defaults to
//! `openapi.yaml` in the current folder, `--out` is required, and the runtime is vendored into
//! the output unless `--runtime` says otherwise, so the crate builds wherever it is moved.

use std::process::ExitCode;

/// The same allocator as `xtask` (ARCHITECTURE.md, "Formatting runs in parallel").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let command = codegen::cli::Command {
        name: "openapi-codegen".to_owned(),
        workspace: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    codegen::cli::main(&command, &args)
}
