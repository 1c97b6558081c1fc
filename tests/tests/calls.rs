//! The calls of every real-world spec meet the targets: at most 3% of operations named after
//! their operationId, no handle named like a verb, an extension or a number, and no name two
//! things of one handle share. Lowering only (no emitting, no `cargo check`), so it is cheap,
//! Cloudflare's whole API included. Prints the calls table and ten sample calls per spec.
//! SKIPPED when `../shared/realworld/` is absent; a failure under CI.

use tests::calls::Calls;
use tests::corpus;

#[test]
fn realworld_calls_meet_the_targets() {
    let Some(dir) = corpus::folder() else {
        return;
    };
    let specs = corpus::specs(&dir);
    assert!(!specs.is_empty(), "{}: no spec", dir.display());
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for spec in &specs {
        let doc = codegen::load::load_file(&spec.root)
            .unwrap_or_else(|e| panic!("{}: does not load: {e}", spec.name));
        let (api, _) = codegen::lower::lower(&doc, &codegen::Settings::default())
            .unwrap_or_else(|e| panic!("{}: does not lower: {e:?}", spec.name));
        let calls = Calls::of(&api);
        assert!(calls.operations > 0, "{}: no operation", spec.name);
        problems.extend(
            calls
                .problems()
                .into_iter()
                .map(|p| format!("{}: {p}", spec.name)),
        );
        rows.push((spec.name.clone(), calls));
    }
    println!("{}", Calls::HEADER);
    for (name, calls) in &rows {
        println!("{}", calls.line(name));
    }
    for (name, calls) in &rows {
        println!("\n{name}:");
        for s in &calls.samples {
            println!("  {s}");
        }
        // `CALLS_DUMP=DIR` writes every call of each spec to `DIR/<spec>.txt`.
        if let Some(dir) = std::env::var_os("CALLS_DUMP") {
            let path = std::path::Path::new(&dir).join(format!("{name}.txt"));
            std::fs::write(&path, calls.all.join("\n")).expect("write the calls");
        }
        if std::env::var_os("CALLS_FALLBACKS").is_some() {
            println!("{name}: operationId fallbacks:");
            for s in &calls.fallback_calls {
                println!("  {s}");
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// OpenAI's streaming operations get `.stream()`: chat completions sets `"stream": true` itself
/// and yields `CreateChatCompletionStreamResponse` events. Lowering only.
#[test]
fn openai_streaming_calls() {
    let Some(dir) = corpus::folder() else {
        return;
    };
    let Some(spec) = corpus::specs(&dir)
        .into_iter()
        .find(|s| s.name == "openai.yaml")
    else {
        println!("SKIPPED: no openai.yaml in {}", dir.display());
        return;
    };
    let doc = codegen::load::load_file(&spec.root).expect("openai.yaml loads");
    let (api, _) =
        codegen::lower::lower(&doc, &codegen::Settings::default()).expect("openai.yaml lowers");
    let streams = tests::streams::Streams::of(&api);
    println!(
        "{}\n{}",
        tests::streams::Streams::HEADER,
        streams.line(&spec.name)
    );
    for call in &streams.calls {
        println!("  {call}");
    }
    let chat = "POST /chat/completions -> client.chat().completions().create(body).stream()  \
                (events of CreateChatCompletionStreamResponse; sets `stream: true`)";
    assert!(
        streams.calls.iter().any(|c| c == chat),
        "{:#?}",
        streams.calls
    );
    // The spec's seven operations with a `text/event-stream` success response.
    assert!(streams.events >= 7, "{} event streams", streams.events);
    assert!(streams.bytes >= 1, "no byte stream");
}
