//! Running a child process and measuring its wall time and peak memory. `wait4` returns the
//! child's resource use; on Linux its `ru_maxrss` is the largest resident set of the child and
//! of every descendant the child waited for (cargo waits for each rustc it starts), so one
//! call gives the peak of a whole `cargo check`, and nothing of this process's other children.
//!
//! Besides the counting allocator (src/alloc.rs), this is the bench crate's only unsafe code:
//! the `wait4` call through `libc`.
#![allow(unsafe_code)]

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// What a measured child process did.
#[derive(Debug)]
pub struct Measured {
    /// Its standard error (its standard output is read, and shown only if it fails).
    pub stderr: Vec<u8>,
    /// Wall time from spawn to exit.
    pub seconds: f64,
    /// CPU time (user and system) of the child and of the descendants it waited for: steadier
    /// than the wall time on a busy machine.
    pub cpu: f64,
    /// The peak resident set size of the child or of any descendant it waited for, in bytes.
    pub peak_rss: f64,
}

/// Runs `cmd` to completion with its output captured and measures it; fails with its output
/// when it does not succeed.
pub fn run(cmd: &mut Command) -> Result<Measured> {
    let shown = format!("{cmd:?}");
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start {shown}"))?;
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                pipe.read_to_end(&mut buf)?;
            }
            Ok::<_, std::io::Error>(buf)
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let pid = libc::pid_t::try_from(child.id()).context("child process id out of range")?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is a plain C struct of integers, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, spawned above and not waited for by anyone else (the
        // `Child` handle is never waited on); both pointers are to live, writable locals.
        let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if waited == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error).with_context(|| format!("waiting for {shown}"));
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let join = |h: std::thread::JoinHandle<std::io::Result<Vec<u8>>>| {
        h.join()
            .map_err(|_| anyhow::anyhow!("a pipe reader of {shown} panicked"))?
            .with_context(|| format!("reading the output of {shown}"))
    };
    let stdout = join(out)?;
    let stderr = join(err)?;
    let status = ExitStatus::from_raw(status);
    if !status.success() {
        bail!(
            "{shown} failed ({status}):\n{}{}",
            String::from_utf8_lossy(&stdout),
            String::from_utf8_lossy(&stderr)
        );
    }
    // Linux reports kibibytes; macOS bytes.
    let unit = if cfg!(target_os = "macos") {
        1.0
    } else {
        1024.0
    };
    Ok(Measured {
        stderr,
        seconds,
        cpu: [usage.ru_utime, usage.ru_stime]
            .iter()
            .map(|t| t.tv_sec as f64 + t.tv_usec as f64 / 1e6)
            .sum(),
        peak_rss: usage.ru_maxrss as f64 * unit,
    })
}
