//! Running a child process and measuring its wall time, CPU time and peak memory. `wait4`
//! returns the child's resource use; on Linux its `ru_maxrss` is the largest resident set of
//! the child and of every descendant the child waited for (cargo waits for each rustc it
//! starts), so one call gives the peak of a whole `cargo check`.
//!
//! One catch: Linux carries the resident set of the image a process replaces at `exec` into its
//! `ru_maxrss`, and std spawns children sharing the parent's memory until `exec` (vfork-style),
//! so a child of this (large) bench process would report at least the bench's own peak. The
//! measured program is therefore started by a fresh, small copy of the bench binary (the hidden
//! `measure` command), which waits for it with `wait4` and writes the figures to a file: the
//! peak then includes at most the few MiB of that copy.
//!
//! Besides the counting allocator (src/alloc.rs), this is the bench crate's only unsafe code:
//! the `wait4` call through `libc`.
#![allow(unsafe_code)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
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

/// Runs `cmd` (program, arguments, environment changes and directory) to completion through
/// the `measure` command, with its output captured, and measures it; fails with its output when
/// it does not succeed.
pub fn run(cmd: &Command) -> Result<Measured> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let shown = format!("{cmd:?}");
    let figures = std::env::temp_dir().join(format!(
        "cfcc-bench-measure-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let exe = std::env::current_exe().context("locating the bench binary")?;
    let mut outer = Command::new(exe);
    outer
        .arg("measure")
        .arg(&figures)
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => outer.env(key, value),
            None => outer.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        outer.current_dir(dir);
    }
    let start = Instant::now();
    let output = outer
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not start {shown}"))?;
    let seconds = start.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(&figures);
    let _ = std::fs::remove_file(&figures);
    let text = match text {
        Ok(text) if output.status.success() => text,
        _ => bail!(
            "{shown} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    };
    let mut words = text.split_whitespace().map(str::parse::<f64>);
    let (Some(Ok(cpu)), Some(Ok(peak_rss))) = (words.next(), words.next()) else {
        bail!("unexpected figures from the measure command: {text}");
    };
    Ok(Measured {
        stderr: output.stderr,
        seconds,
        cpu,
        peak_rss,
    })
}

/// The hidden `measure FILE PROGRAM [ARGS...]` command: runs the program with this process's
/// standard streams, waits for it with `wait4`, writes `cpu_seconds peak_bytes` to FILE when it
/// succeeds, and fails when it does not.
pub fn measure(figures: &Path, program: &str, args: &[String]) -> Result<()> {
    let child = Command::new(program)
        .args(args)
        .spawn()
        .with_context(|| format!("could not start {program}"))?;
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
            return Err(error).with_context(|| format!("waiting for {program}"));
        }
    }
    let status =
        <std::process::ExitStatus as std::os::unix::process::ExitStatusExt>::from_raw(status);
    if !status.success() {
        bail!("{program} failed ({status})");
    }
    let cpu: f64 = [usage.ru_utime, usage.ru_stime]
        .iter()
        .map(|t| t.tv_sec as f64 + t.tv_usec as f64 / 1e6)
        .sum();
    // Linux reports kibibytes; macOS bytes.
    let unit = if cfg!(target_os = "macos") {
        1.0
    } else {
        1024.0
    };
    let peak = usage.ru_maxrss as f64 * unit;
    std::fs::write(figures, format!("{cpu} {peak}\n"))
        .with_context(|| format!("writing {}", figures.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_a_child_and_fails_with_it() {
        let file = std::env::temp_dir().join(format!("cfcc-bench-rusage-{}", std::process::id()));
        // A child that holds about 64 MiB: its peak is reported, not this test process's.
        let args = [
            "-c".to_owned(),
            "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo ${#x}".to_owned(),
        ];
        measure(&file, "sh", &args).expect("measures");
        let text = std::fs::read_to_string(&file).expect("figures written");
        let _ = std::fs::remove_file(&file);
        let figures: Vec<f64> = text
            .split_whitespace()
            .map(|w| w.parse().expect("a number"))
            .collect();
        assert_eq!(figures.len(), 2, "{text}");
        assert!(figures[0] > 0.0, "CPU time {text}");
        assert!(figures[1] > 64.0 * 1024.0 * 1024.0, "peak {text}");
        let failed = measure(&file, "sh", &["-c".to_owned(), "exit 3".to_owned()]);
        assert!(failed.is_err());
        assert!(!file.exists(), "no figures for a failed run");
    }
}
