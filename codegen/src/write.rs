//! Writing and checking the output directory.
//!
//! Everything is generated in memory first. Writing then touches only files whose contents
//! changed: each is staged next to its target and renamed into place, so a failure before the
//! renames leaves the directory exactly as it was. The generator owns `Cargo.toml` and `src/`;
//! stale files under `src/` are removed, and anything else (examples, READMEs) is left alone.

use std::path::{Path, PathBuf};

use crate::emit::OutputFile;
use crate::error::Error;

/// What a write or check found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Files created or rewritten (relative paths).
    pub written: Vec<String>,
    /// Stale files under `src/` removed, or that `--check` found.
    pub removed: Vec<String>,
}

impl Changes {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }
}

/// Compares `files` with what is in `dir` without writing anything.
pub fn check(dir: &Path, files: &[OutputFile]) -> Result<Changes, Error> {
    let mut changes = Changes::default();
    for f in files {
        let path = dir.join(&f.path);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() != Some(f.contents.as_str()) {
            changes.written.push(f.path.clone());
        }
    }
    changes.removed = stale(dir, files)?;
    Ok(changes)
}

/// Writes `files` into `dir`, changing only what differs.
pub fn write(dir: &Path, files: &[OutputFile]) -> Result<Changes, Error> {
    let changes = check(dir, files)?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for f in files.iter().filter(|f| changes.written.contains(&f.path)) {
            let target = dir.join(&f.path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, &e))?;
            }
            let tmp = target.with_extension("codegen-tmp");
            std::fs::write(&tmp, &f.contents).map_err(|e| io(&tmp, &e))?;
            staged.push((tmp, target));
        }
        Ok::<(), Error>(())
    })();
    if let Err(e) = result {
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    for (i, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, target) {
            for (rest, _) in &staged[i..] {
                let _ = std::fs::remove_file(rest);
            }
            return Err(io(target, &e));
        }
    }
    for rel in &changes.removed {
        let path = dir.join(rel);
        std::fs::remove_file(&path).map_err(|e| io(&path, &e))?;
    }
    Ok(changes)
}

fn io(path: &Path, e: &std::io::Error) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Files under `dir/src` that the new output does not contain.
fn stale(dir: &Path, files: &[OutputFile]) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let src = dir.join("src");
    if !src.exists() {
        return Ok(out);
    }
    let mut stack = vec![src];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| io(&d, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io(&d, &e))?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if !files.iter().any(|f| f.path == rel) {
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}
