//! Writing and checking the output directory.
//!
//! Everything is generated in memory first. Writing then touches only files whose contents
//! changed: an existing file is replaced by a copy staged next to it and renamed into place, and
//! a new file is written in place and removed again on failure, so a failure before the renames
//! leaves the directory's files exactly as they were. The generator owns `Cargo.toml` and `src/`;
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
    Ok(compare(dir, files)?.0)
}

/// [`check`], and for each written file whether it exists now (in `written`'s order).
fn compare(dir: &Path, files: &[OutputFile]) -> Result<(Changes, Vec<bool>), Error> {
    let mut changes = Changes::default();
    let mut exists = Vec::new();
    for f in files {
        let path = dir.join(&f.path);
        let current = std::fs::read_to_string(&path);
        if current.as_deref().ok() != Some(f.contents.as_str()) {
            changes.written.push(f.path.clone());
            // Unreadable as text is still there: it is replaced, not written over in place.
            exists.push(match &current {
                Ok(_) => true,
                Err(e) => e.kind() != std::io::ErrorKind::NotFound,
            });
        }
    }
    changes.removed = stale(dir, files)?;
    Ok((changes, exists))
}

/// Writes `files` into `dir`, changing only what differs. A file that exists is replaced by a
/// copy staged beside it and renamed into place once every file is ready; a new file is written
/// in place (removed again if another one fails). Files are written on every core (a large spec
/// is hundreds of files, and creating them is most of this); their folders are made first, each
/// once.
pub fn write(dir: &Path, files: &[OutputFile]) -> Result<Changes, Error> {
    let (changes, exists) = compare(dir, files)?;
    let by_path: std::collections::HashMap<&str, &OutputFile> =
        files.iter().map(|f| (f.path.as_str(), f)).collect();
    let todo: Vec<(&OutputFile, bool)> = changes
        .written
        .iter()
        .zip(exists)
        .filter_map(|(path, exists)| by_path.get(path.as_str()).map(|f| (*f, exists)))
        .collect();
    let mut folders: Vec<&Path> = todo
        .iter()
        .filter_map(|(f, _)| Path::new(&f.path).parent())
        .collect();
    folders.sort();
    folders.dedup();
    for folder in folders {
        let folder = dir.join(folder);
        std::fs::create_dir_all(&folder).map_err(|e| io(&folder, &e))?;
    }
    let stage = |(f, exists): &(&OutputFile, bool)| -> Staged {
        let target = dir.join(&f.path);
        let at = if *exists {
            target.with_extension("codegen-tmp")
        } else {
            target.clone()
        };
        match std::fs::write(&at, &f.contents) {
            Ok(()) if *exists => Staged::Ready(at, target),
            Ok(()) => Staged::New(target),
            // A partly written file is removed with the others.
            Err(e) => {
                let error = io(&at, &e);
                Staged::Failed(Some(at), Box::new(error))
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
            .map(|run| scope.spawn(move || run.iter().map(stage).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(todo.len());
    let mut created: Vec<PathBuf> = Vec::new();
    let mut first_error = None;
    for result in runs.into_iter().flatten() {
        match result {
            Staged::Ready(tmp, target) => staged.push((tmp, target)),
            Staged::New(target) => created.push(target),
            Staged::Failed(tmp, e) => {
                if let Some(tmp) = tmp {
                    let _ = std::fs::remove_file(tmp);
                }
                first_error.get_or_insert(e);
            }
        }
    }
    if let Some(e) = first_error {
        for path in staged.iter().map(|(tmp, _)| tmp).chain(&created) {
            let _ = std::fs::remove_file(path);
        }
        return Err(*e);
    }
    for (i, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, target) {
            for path in staged[i..].iter().map(|(rest, _)| rest).chain(&created) {
                let _ = std::fs::remove_file(path);
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

/// What writing one file gave: a copy staged beside its target, a new file written in place, or
/// the error (with the partly written file, if any, to remove).
enum Staged {
    Ready(PathBuf, PathBuf),
    New(PathBuf),
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
        // A file that is not text is there all the same: it is replaced.
        std::fs::create_dir_all(dir.join("src/m3")).unwrap();
        std::fs::write(dir.join("src/m3/f.rs"), [0xff, 0xfe]).unwrap();
        let files: Vec<OutputFile> = (0..50)
            .map(|i| file(&format!("src/m{i}/f.rs"), &format!("// {i}")))
            .collect();
        let changes = write(&dir, &files).unwrap();
        assert_eq!(changes.written.len(), 50);
        assert_eq!(changes.removed, ["src/old.rs"]);
        let listed = listing(&dir);
        assert_eq!(listed.len(), 51, "{listed:?}");
        assert!(listed.contains(&("src/m7/f.rs".to_owned(), "// 7".to_owned())));
        assert!(listed.contains(&("src/m3/f.rs".to_owned(), "// 3".to_owned())));
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
        // A name no file system takes fails once its folder exists: the new files written in
        // place beside it are removed again, and the changed one is not replaced.
        files[10] = file(&format!("src/{}.rs", "n".repeat(300)), "x");
        assert!(matches!(write(&dir, &files), Err(Error::Output { .. })));
        assert_eq!(listing(&dir), before);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
