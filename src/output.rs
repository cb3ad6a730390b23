//! The built site in memory (path → bytes) and how it reaches the disk: a new output folder
//! appears whole (written aside, then renamed); an existing one gets only the files whose
//! bytes changed, and loses the stale ones, so an unchanged rebuild touches nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Output path (relative, `/`-separated, e.g. `regions/eu/index.html`) → bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// What writing an `Output` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub deleted: usize,
}

/// Why writing failed; the message names the path.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{0} exists and is not a site built by explainer (it has no index.html); remove it or choose another --out"
    )]
    NotOurs(PathBuf),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Output {
    /// The HTML pages, by path.
    pub fn pages(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .filter_map(|(p, b)| Some((p.as_str(), std::str::from_utf8(b).ok()?)))
    }

    /// Writes the site into `dir`.
    pub fn write(&self, dir: &Path) -> Result<WriteStats, WriteError> {
        if dir.exists() && !is_empty_dir(dir) {
            if !dir.join("index.html").is_file() {
                return Err(WriteError::NotOurs(dir.to_path_buf()));
            }
            return self.sync(dir);
        }
        // A fresh folder: write it beside the target, then rename it into place.
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?;
        }
        for (rel, bytes) in &self.files {
            let path = tmp.join(rel);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p).map_err(io_err(p))?;
            }
            fs::write(&path, bytes).map_err(io_err(&path))?;
        }
        if dir.exists() {
            fs::remove_dir(dir).map_err(io_err(dir))?;
        }
        fs::rename(&tmp, dir).map_err(io_err(dir))?;
        Ok(WriteStats {
            written: self.files.len(),
            ..WriteStats::default()
        })
    }

    /// Updates an existing output folder in place, file by file.
    fn sync(&self, dir: &Path) -> Result<WriteStats, WriteError> {
        let mut stats = WriteStats::default();
        for (rel, bytes) in &self.files {
            let path = dir.join(rel);
            if fs::read(&path).is_ok_and(|old| old == *bytes) {
                stats.unchanged += 1;
                continue;
            }
            if let Some(p) = path.parent() {
                fs::create_dir_all(p).map_err(io_err(p))?;
            }
            // Each file is replaced whole: written aside, then renamed over the old one.
            let tmp = path.with_file_name(format!(
                ".{}.tmp",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ));
            fs::write(&tmp, bytes).map_err(io_err(&tmp))?;
            fs::rename(&tmp, &path).map_err(io_err(&path))?;
            stats.written += 1;
        }
        let ours: BTreeSet<PathBuf> = self.files.keys().map(|k| dir.join(k)).collect();
        let mut dirs = Vec::new();
        for entry in WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .filter_map(|e| e.ok())
        {
            let path = entry.path();
            let rel = path.strip_prefix(dir).unwrap_or(path);
            // Leave dot-folders at the top (e.g. a deploy checkout's .git) alone.
            if rel
                .components()
                .next()
                .is_some_and(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            {
                continue;
            }
            if entry.file_type().is_dir() {
                dirs.push(path.to_path_buf());
            } else if !ours.contains(path) {
                fs::remove_file(path).map_err(io_err(path))?;
                stats.deleted += 1;
            }
        }
        // Remove folders left empty, deepest first.
        for d in dirs.iter().rev() {
            if is_empty_dir(d) {
                fs::remove_dir(d).map_err(io_err(d))?;
            }
        }
        Ok(stats)
    }
}

fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(files: &[(&str, &str)]) -> Output {
        Output {
            files: files
                .iter()
                .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
                .collect(),
        }
    }

    #[test]
    fn rewrites_only_changed_files_and_removes_stale_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let first = out(&[
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("b/index.html", "b"),
        ]);
        assert_eq!(first.write(&dir).unwrap().written, 3);
        assert_eq!(
            first.write(&dir).unwrap(),
            WriteStats {
                written: 0,
                unchanged: 3,
                deleted: 0
            }
        );
        let second = out(&[("index.html", "home"), ("a/index.html", "a2")]);
        assert_eq!(
            second.write(&dir).unwrap(),
            WriteStats {
                written: 1,
                unchanged: 1,
                deleted: 1
            }
        );
        assert_eq!(fs::read_to_string(dir.join("a/index.html")).unwrap(), "a2");
        assert!(!dir.join("b").exists());
    }

    #[test]
    fn refuses_a_folder_it_did_not_build() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        let err = out(&[("index.html", "x")]).write(tmp.path()).unwrap_err();
        assert!(matches!(err, WriteError::NotOurs(_)));
        assert_eq!(
            fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
            "mine"
        );
    }
}
