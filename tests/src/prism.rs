//! Finding, starting and stopping Prism (Stoplight's OpenAPI mock server and validating proxy),
//! for the contract tests (`tests/prism.rs`, `tests/prism_realworld.rs`).
//!
//! Prism comes from `npm ci` at the workspace root (`node_modules/.bin/prism`). Without it the
//! tests print `SKIPPED: ...` and pass, except under CI (`CI` set, or `REQUIRE_PRISM=1`), where a
//! missing Prism fails them. Each Prism runs on a free port of 127.0.0.1, is waited for by
//! polling the port (bounded), and is killed when dropped. Its log goes to
//! `target/tmp/prism-<test>-<port>.log`.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Prism may take to start listening (a bound, not a wait: a large spec such as
/// Cloudflare's 4 MB one on a busy machine takes over a minute to load).
pub const START_TIMEOUT: Duration = Duration::from_secs(180);

/// Whether a missing Prism fails the test instead of skipping it: under CI (`CI` set to
/// anything but `false` or `0`) or when `REQUIRE_PRISM=1`.
pub fn prism_required() -> bool {
    let set =
        |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    set("CI") || set("REQUIRE_PRISM")
}

/// `node_modules/.bin/prism` at the workspace root. When it is missing, prints why `test` is
/// skipped and returns `None`, or fails the test when Prism is required.
pub fn prism_bin(test: &str) -> Option<PathBuf> {
    let bin = crate::root().join("node_modules/.bin/prism");
    if bin.is_file() {
        return Some(bin);
    }
    let why = format!(
        "Prism is not installed ({} is missing); run `npm ci` at the workspace root",
        bin.display()
    );
    assert!(
        !prism_required(),
        "{test}: {why} (CI or REQUIRE_PRISM=1 requires it)"
    );
    // Straight to the process's stderr, past the test harness's capture, so that a plain
    // `cargo test` shows the skip.
    let _ = writeln!(std::io::stderr(), "SKIPPED: {test}: {why}");
    None
}

/// A running Prism, killed when dropped.
pub struct Prism {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// Prism's log file.
    pub log: PathBuf,
}

impl Prism {
    /// Starts `prism <args> --host 127.0.0.1 --port <free port>` in the workspace root and waits
    /// until it accepts connections. Retries on another port if the chosen one was taken.
    pub async fn start(bin: &Path, test: &str, args: &[&str]) -> Prism {
        let mut last_failure = String::new();
        for _attempt in 0..3 {
            let port = free_port();
            let dir = crate::root().join("target/tmp");
            std::fs::create_dir_all(&dir).expect("create target/tmp");
            let log = dir.join(format!("prism-{test}-{port}.log"));
            let out = File::create(&log).expect("create the Prism log file");
            let err = out.try_clone().expect("clone the Prism log file");
            let child = Command::new(bin)
                .current_dir(crate::root())
                .args(args)
                .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
                .unwrap_or_else(|e| {
                    panic!(
                        "could not start {} (is Node.js installed?): {e}",
                        bin.display()
                    )
                });
            let mut prism = Prism {
                child,
                base_url: format!("http://127.0.0.1:{port}"),
                log,
            };
            eprintln!(
                "Prism for {test}: {} (log: {})",
                prism.base_url,
                prism.log.display()
            );
            match prism.wait_until_listening(port).await {
                Ok(()) => return prism,
                Err(failure) => last_failure = failure,
            }
            // Only a port taken in the meantime is worth another try; `prism` is dropped, and so
            // killed, at the end of this iteration.
            if !last_failure.contains("EADDRINUSE") {
                break;
            }
        }
        panic!("Prism did not start: {last_failure}");
    }

    /// Polls the port until Prism accepts connections and says it is listening, until it exits,
    /// or until [`START_TIMEOUT`].
    async fn wait_until_listening(&mut self, port: u16) -> Result<(), String> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("it exited with {status}:\n{}", self.log_text()));
            }
            // Blocking std calls: Prism starts before the test has anything else to run.
            let connected = std::net::TcpStream::connect_timeout(
                &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
                Duration::from_millis(500),
            )
            .is_ok();
            // Another process could hold the port; Prism's own line confirms it is Prism.
            if connected && self.log_text().contains("Prism is listening") {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "not listening on port {port} after {START_TIMEOUT:?}:\n{}",
                    self.log_text()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Prism's log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind an ephemeral port")
}
