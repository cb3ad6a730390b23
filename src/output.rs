//! The built site in memory (path → bytes) and how it reaches the disk: a new output folder
//! appears whole (written aside, then renamed); an existing one gets only the files whose
//! bytes changed, and loses the stale ones, so an unchanged rebuild touches nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
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
        self.make_dirs(&tmp)?;
        self.files.par_iter().try_for_each(|(rel, bytes)| {
            let path = tmp.join(rel);
            fs::write(&path, bytes).map_err(io_err(&path))
        })?;
        if dir.exists() {
            fs::remove_dir(dir).map_err(io_err(dir))?;
        }
        fs::rename(&tmp, dir).map_err(io_err(dir))?;
        Ok(WriteStats {
            written: self.files.len(),
            ..WriteStats::default()
        })
    }

    /// Creates every folder the files need under `base`, each once.
    fn make_dirs(&self, base: &Path) -> Result<(), WriteError> {
        let dirs: BTreeSet<&str> = self
            .files
            .keys()
            .filter_map(|rel| rel.rsplit_once('/').map(|(d, _)| d))
            .collect();
        fs::create_dir_all(base).map_err(io_err(base))?;
        for d in dirs {
            let path = base.join(d);
            fs::create_dir_all(&path).map_err(io_err(&path))?;
        }
        Ok(())
    }

    /// Updates an existing output folder in place, file by file.
    fn sync(&self, dir: &Path) -> Result<WriteStats, WriteError> {
        // Compare with what is on disk (in parallel: reading dominates), then replace the
        // files that differ, each written aside and renamed over the old one.
        let changed: Vec<(&String, &Vec<u8>)> = self
            .files
            .par_iter()
            .filter(|(rel, bytes)| fs::read(dir.join(rel)).map_or(true, |old| old != **bytes))
            .collect();
        let mut stats = WriteStats {
            written: changed.len(),
            unchanged: self.files.len() - changed.len(),
            deleted: 0,
        };
        if !changed.is_empty() {
            self.make_dirs(dir)?;
        }
        changed.par_iter().try_for_each(|(rel, bytes)| {
            let path = dir.join(rel);
            let tmp = path.with_file_name(format!(
                ".{}.tmp",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ));
            fs::write(&tmp, bytes).map_err(io_err(&tmp))?;
            fs::rename(&tmp, &path).map_err(io_err(&path))
        })?;
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
            } else if !rel
                .to_str()
                .is_some_and(|r| self.files.contains_key(&r.replace('\\', "/")))
            {
                fs::remove_file(path).map_err(io_err(path))?;
                stats.deleted += 1;
            }
        }
        // Remove folders left empty, deepest first (only files were removed can leave one).
        if stats.deleted > 0 {
            for d in dirs.iter().rev() {
                if is_empty_dir(d) {
                    fs::remove_dir(d).map_err(io_err(d))?;
                }
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
