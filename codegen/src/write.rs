//! Writing and checking the output directory.
//!
//! Everything is generated in memory first. Writing then touches only files whose contents
//! changed: each is staged next to its target and renamed into place, so a failure before the
//! renames leaves the directory exactly as it was. The generator owns `Cargo.toml` and `src/`;
//! stale files under `src/` are removed, and anything else (examples, READMEs) is left alone.

use std::collections::HashSet;
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

/// Writes `files` into `dir`, changing only what differs. The staged copies are written on
/// every core (a large spec is hundreds of files, and writing them is most of this).
pub fn write(dir: &Path, files: &[OutputFile]) -> Result<Changes, Error> {
    let changes = check(dir, files)?;
    let written: HashSet<&str> = changes.written.iter().map(String::as_str).collect();
    let todo: Vec<&OutputFile> = files
        .iter()
        .filter(|f| written.contains(f.path.as_str()))
        .collect();
    let stage = |f: &OutputFile| -> Staged {
        let target = dir.join(&f.path);
        if let Some(parent) = target.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                return Staged::Failed(None, Box::new(io(parent, &e)));
            }
        }
        let tmp = target.with_extension("codegen-tmp");
        match std::fs::write(&tmp, &f.contents) {
            Ok(()) => Staged::Ready(tmp, target),
            // A partly written copy is removed with the others.
            Err(e) => {
                let error = io(&tmp, &e);
                Staged::Failed(Some(tmp), Box::new(error))
            }
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, todo.len().max(1));
    let per = todo.len().div_ceil(threads).max(1);
    // Each thread stages a run of files in order; the runs come back in order.
    let runs: Vec<Vec<Staged>> = std::thread::scope(|scope| {
        let handles: Vec<_> = todo
            .chunks(per)
            .map(|run| scope.spawn(move || run.iter().map(|f| stage(f)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(todo.len());
    let mut first_error = None;
    for result in runs.into_iter().flatten() {
        match result {
            Staged::Ready(tmp, target) => staged.push((tmp, target)),
            Staged::Failed(tmp, e) => {
                if let Some(tmp) = tmp {
                    let _ = std::fs::remove_file(tmp);
                }
                first_error.get_or_insert(e);
            }
        }
    }
    if let Some(e) = first_error {
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(*e);
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

/// What staging one file gave: its copy beside the target, or the error (with the partly
/// written copy, if any, to remove).
enum Staged {
    Ready(PathBuf, PathBuf),
    Failed(Option<PathBuf>, Box<Error>),
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
    let known: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
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
            if !known.contains(rel.as_str()) {
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> OutputFile {
        OutputFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
            emitted: true,
        }
    }

    /// A fresh folder in the system temp directory (removed first if a run left one).
    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("codegen-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        dir
    }

    /// Every file under `dir`, relative, with its contents.
    fn listing(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    out.push((rel, std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn many_files_are_written_in_order_and_stale_ones_removed() {
        let dir = folder("many");
        std::fs::write(dir.join("src/old.rs"), "stale").unwrap();
        std::fs::write(dir.join("README.md"), "kept").unwrap();
        let files: Vec<OutputFile> = (0..50)
            .map(|i| file(&format!("src/m{i}/f.rs"), &format!("// {i}")))
            .collect();
        let changes = write(&dir, &files).unwrap();
        assert_eq!(changes.written.len(), 50);
        assert_eq!(changes.removed, ["src/old.rs"]);
        let listed = listing(&dir);
        assert_eq!(listed.len(), 51, "{listed:?}");
        assert!(listed.contains(&("src/m7/f.rs".to_owned(), "// 7".to_owned())));
        // Written again, nothing changes.
        assert!(write(&dir, &files).unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_that_cannot_be_staged_leaves_the_folder_as_it_was() {
        let dir = folder("fail");
        std::fs::write(dir.join("Cargo.toml"), "[package]").unwrap();
        std::fs::write(dir.join("src/lib.rs"), "old").unwrap();
        let before = listing(&dir);
        // `Cargo.toml` is a file, so nothing can be written below it; the other files (staged
        // on other threads, before and after it) must not reach the folder either.
        let mut files: Vec<OutputFile> = (0..20)
            .map(|i| file(&format!("src/f{i}.rs"), "new"))
            .collect();
        files.insert(10, file("Cargo.toml/inner.rs", "x"));
        files.push(file("src/lib.rs", "new"));
        assert!(matches!(write(&dir, &files), Err(Error::Output { .. })));
        assert_eq!(listing(&dir), before);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
