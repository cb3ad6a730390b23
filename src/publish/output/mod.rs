//! The built site in memory (path → bytes) and how it reaches the disk: into a folder the
//! build owns (see `manifest`), built whole beside the old site and swapped in at once (see
//! `publish`), so a reader never sees a mix; unchanged files are hard-linked, not rewritten.

pub mod cache;
mod foreign;
mod manifest;
pub mod patch;
mod publish;
mod stream;

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use manifest::is_safe_path;
pub use manifest::{Entry, MANIFEST, Manifest};
use publish::{State, TEMP_MARKER, TempTree, io_err};
pub use stream::Staging;

use crate::diagnostics::Diagnostic;
pub use crate::render::output::Output;

/// What writing an `Output` did: files written anew, files kept because their bytes did not
/// change (hard-linked from the old site), and files of the old site's that are gone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub deleted: usize,
}

/// Why writing failed; each message names the path, and the OS reason where there is one.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}; the last built site was left as it was")]
    Io { path: PathBuf, source: io::Error },
    #[error("refusing to build into {dir}: {reason}; nothing was changed")]
    Refused { dir: PathBuf, reason: String },
    #[error(
        "refusing to build into {dir}: {path} is not explainer's (its {MANIFEST} does not list \
         it) but the new site needs that place; move or remove it; nothing was changed"
    )]
    Conflict { dir: PathBuf, path: PathBuf },
    #[error("the site was built into {0:?}, a path it may not have")]
    BadPath(String),
    #[error("the new site is in place, but the old one at {path} could not be removed: {source}")]
    Cleanup { path: PathBuf, source: io::Error },
}

impl From<WriteError> for Diagnostic {
    /// The error as the command line reports it (the message says what to do).
    fn from(e: WriteError) -> Diagnostic {
        Diagnostic::error(None, e.to_string())
    }
}

/// Checks that `dir` is a folder a build of `site_root` may publish into and removes what
/// killed builds left beside it, as a build does first; for a rebuild with nothing to write.
pub fn tidy(dir: &Path, site_root: &Path) -> Result<(), WriteError> {
    let target = publish::resolve(dir, Some(site_root))?;
    publish::clean_leftovers(&target)
}

impl Output {
    /// Publishes the site into `dir`, atomically. `dir` must be absent, empty, or an earlier
    /// build's (it holds `.explainer-manifest`); the current folder, a folder holding it or a
    /// `content/` folder, or a non-empty folder without a manifest is refused untouched.
    pub fn write(&self, dir: &Path) -> Result<WriteStats, WriteError> {
        self.publish(dir, None).map(|(stats, ..)| stats)
    }

    /// As `write`, and also refuses `dir` when it is `site_root` or holds it.
    pub fn write_site(&self, dir: &Path, site_root: &Path) -> Result<WriteStats, WriteError> {
        self.publish(dir, Some(site_root)).map(|(stats, ..)| stats)
    }

    /// As `write_site`, and also returns the BLAKE3 hash of the manifest it left (for the
    /// build cache: that of this build, whatever another build wrote since).
    pub fn write_site_hashed(
        &self,
        dir: &Path,
        site_root: &Path,
    ) -> Result<(WriteStats, String), WriteError> {
        self.publish(dir, Some(site_root))
            .map(|(stats, hash, _)| (stats, hash))
    }

    /// As `write_site_hashed`, and also returns the manifest it left (for the rebuild state).
    pub fn write_site_manifest(
        &self,
        dir: &Path,
        site_root: &Path,
    ) -> Result<(WriteStats, String, Manifest), WriteError> {
        self.publish(dir, Some(site_root))
    }

    fn publish(
        &self,
        dir: &Path,
        site_root: Option<&Path>,
    ) -> Result<(WriteStats, String, Manifest), WriteError> {
        if let Some(bad) = self
            .files
            .keys()
            .find(|p| !is_safe_path(p) || *p == MANIFEST || p.starts_with(".explainer-"))
        {
            return Err(WriteError::BadPath(bad.clone()));
        }
        let target = publish::resolve(dir, site_root)?;
        publish::clean_leftovers(&target)?;
        let (old, old_text) = match publish::state(&target)? {
            State::Fresh => (Manifest::default(), None),
            State::Ours(m, text) => (m, Some(text)),
        };
        let new = Manifest {
            files: self
                .files
                .par_iter()
                .map(|(p, b)| (p.clone(), Entry::of(b)))
                .collect(),
        };
        let (text, hash) = rendered(&new);
        if as_left(&target.dir, old_text.as_deref(), &text, &new) {
            let stats = WriteStats {
                unchanged: self.files.len(),
                ..WriteStats::default()
            };
            return Ok((stats, hash, new));
        }
        let foreign = if old_text.is_some() {
            foreign::foreign_entries(&target.dir, &old)?
        } else {
            Vec::new()
        };
        foreign::check_conflicts(&self.files, &target.dir, &foreign)?;

        let tree = TempTree::create(&target)?;
        let linked = self.fill(&tree, &target.dir, &old, &new, &foreign)?;
        let path = tree.path.join(MANIFEST);
        write_file(&path, text.as_bytes())?;
        let marker = tree.path.join(TEMP_MARKER);
        fs::remove_file(&marker).map_err(io_err(&marker))?;
        publish::swap_in(tree, &target)?;
        let stats = WriteStats {
            written: self.files.len() - linked,
            unchanged: linked,
            deleted: old
                .files
                .keys()
                .filter(|p| !self.files.contains_key(*p))
                .count(),
        };
        Ok((stats, hash, new))
    }

    /// Fills the temporary tree: its folders, the foreign entries carried over from `dir`,
    /// and every file, hard-linked from `dir` when `old` lists it with the same bytes.
    /// Returns how many files were linked rather than written.
    fn fill(
        &self,
        tree: &TempTree,
        dir: &Path,
        old: &Manifest,
        new: &Manifest,
        foreign: &[foreign::Foreign],
    ) -> Result<usize, WriteError> {
        let present = |rel: &str, e: &Entry| {
            fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.is_file() && m.len() == e.size)
        };
        if let Ok(meta) = fs::metadata(dir) {
            let _ = fs::set_permissions(&tree.path, meta.permissions());
        }
        let dirs: BTreeSet<&str> = self
            .files
            .keys()
            .filter_map(|rel| rel.rsplit_once('/').map(|(d, _)| d))
            .collect();
        dirs.par_iter().try_for_each(|d| {
            let path = tree.path.join(d);
            fs::create_dir_all(&path).map_err(io_err(&path))
        })?;
        for f in foreign {
            foreign::carry(&dir.join(&f.rel), &tree.path.join(&f.rel), &f.kind)?;
        }
        let linked = self
            .files
            .par_iter()
            .map(|(rel, bytes)| {
                let to = tree.path.join(rel);
                let e = &new.files[rel];
                // Unchanged bytes: share the old file (a hard link), else write them anew.
                if old.files.get(rel) == Some(e)
                    && present(rel, e)
                    && fs::hard_link(dir.join(rel), &to).is_ok()
                {
                    return Ok(1);
                }
                write_file(&to, bytes).map(|()| 0)
            })
            .try_reduce(|| 0, |a, b| Ok(a + b))?;
        Ok(linked)
    }
}

/// Writes `bytes` to `path`. Unit tests inject a full disk for a file named `fail-injected`.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    #[cfg(test)]
    if path.file_name().is_some_and(|n| n == "fail-injected") {
        return Err(io_err(path)(io::Error::from_raw_os_error(28)));
    }
    fs::write(path, bytes).map_err(io_err(path))
}

/// A manifest's text and its BLAKE3 hash.
pub(super) fn rendered(m: &Manifest) -> (String, String) {
    let text = m.render();
    let hash = blake3::hash(text.as_bytes()).to_hex().to_string();
    (text, hash)
}

/// Whether the live folder `dir` already holds the site whose manifest is `text` (`new`):
/// the same manifest as before (`old_text`), and every file it lists there at its size.
pub(super) fn as_left(dir: &Path, old_text: Option<&str>, text: &str, new: &Manifest) -> bool {
    let present = |rel: &str, e: &Entry| {
        fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.is_file() && m.len() == e.size)
    };
    old_text == Some(text) && new.files.par_iter().all(|(p, e)| present(p, e))
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
            base_path: String::new(),
        }
    }

    /// Names in `dir` other than `keep`.
    fn others(dir: &Path, keep: &str) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != keep)
            .collect()
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
        let stats = |written, unchanged, deleted| WriteStats {
            written,
            unchanged,
            deleted,
        };
        assert_eq!(first.write(&dir).unwrap(), stats(0, 3, 0));
        let second = out(&[("index.html", "home"), ("a/index.html", "a2")]);
        assert_eq!(second.write(&dir).unwrap(), stats(1, 1, 1));
        assert_eq!(fs::read_to_string(dir.join("a/index.html")).unwrap(), "a2");
        assert!(!dir.join("b").exists());
        let manifest = fs::read_to_string(dir.join(MANIFEST)).unwrap();
        assert_eq!(manifest.lines().count(), 3, "{manifest}");
        assert!(others(tmp.path(), "public").is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_rebuild_touches_nothing_and_a_change_links_the_rest() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let ino = |rel: &str| fs::metadata(dir.join(rel)).unwrap().ino();
        out(&[("index.html", "home"), ("a.css", "a")])
            .write(&dir)
            .unwrap();
        let (home, top) = (ino("index.html"), ino("."));
        out(&[("index.html", "home"), ("a.css", "a")])
            .write(&dir)
            .unwrap();
        assert_eq!((ino("index.html"), ino(".")), (home, top));
        out(&[("index.html", "home"), ("a.css", "b")])
            .write(&dir)
            .unwrap();
        assert_eq!(ino("index.html"), home, "unchanged bytes are hard-linked");
        assert_ne!(ino("."), top, "a change swaps in a new folder");
    }

    #[test]
    fn refuses_a_folder_it_did_not_build_and_touches_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        fs::write(tmp.path().join("index.html"), "mine too").unwrap();
        let err = out(&[("index.html", "x")]).write(tmp.path()).unwrap_err();
        assert!(matches!(err, WriteError::Refused { .. }), "{err}");
        assert!(err.to_string().contains("no .explainer-manifest"), "{err}");
        assert_eq!(
            fs::read_to_string(tmp.path().join("index.html")).unwrap(),
            "mine too"
        );
        assert_eq!(others(tmp.path(), "").len(), 2);
    }

    #[test]
    fn refuses_a_folder_holding_content_even_with_a_manifest() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        out(&[("index.html", "x")]).write(&dir).unwrap();
        fs::create_dir(dir.join("content")).unwrap();
        let err = out(&[("index.html", "y")]).write(&dir).unwrap_err();
        assert!(err.to_string().contains("content/"), "{err}");
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "x");
    }

    #[test]
    fn keeps_foreign_files_and_refuses_one_in_the_way() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        out(&[("index.html", "x"), ("a/index.html", "a")])
            .write(&dir)
            .unwrap();
        fs::write(dir.join("CNAME"), "example.org").unwrap();
        fs::create_dir_all(dir.join(".git/refs/tags")).unwrap();
        fs::write(dir.join(".git/HEAD"), "ref").unwrap();
        fs::write(dir.join("a/notes.txt"), "n").unwrap();
        let stats = out(&[("index.html", "y")]).write(&dir).unwrap();
        assert_eq!(stats.deleted, 1);
        assert_eq!(
            fs::read_to_string(dir.join("CNAME")).unwrap(),
            "example.org"
        );
        assert_eq!(fs::read_to_string(dir.join(".git/HEAD")).unwrap(), "ref");
        assert!(dir.join(".git/refs/tags").is_dir());
        assert_eq!(fs::read_to_string(dir.join("a/notes.txt")).unwrap(), "n");
        assert!(!dir.join("a/index.html").exists());

        let err = out(&[("index.html", "z"), ("CNAME", "mine")])
            .write(&dir)
            .unwrap_err();
        assert!(matches!(err, WriteError::Conflict { .. }), "{err}");
        assert!(err.to_string().contains("CNAME"), "{err}");
        let err = out(&[("a/notes.txt/x.html", "z")]).write(&dir).unwrap_err();
        assert!(matches!(err, WriteError::Conflict { .. }), "{err}");
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "y");
        assert!(others(tmp.path(), "public").is_empty());
    }

    #[test]
    fn a_failed_write_leaves_the_old_site_and_no_temp() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let first = out(&[("index.html", "x"), ("a/index.html", "a")]);
        first.write(&dir).unwrap();
        let err = out(&[("index.html", "y"), ("b/fail-injected", "b")])
            .write(&dir)
            .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("fail-injected") && msg.contains("No space left"),
            "{msg}"
        );
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "x");
        assert!(others(tmp.path(), "public").is_empty());
        assert_eq!(first.write(&dir).unwrap().written, 0);
    }

    #[test]
    fn removes_leftovers_of_a_killed_run_and_takes_a_trailing_slash() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        out(&[("index.html", "x")]).write(&dir).unwrap();
        let dead = tmp.path().join(".public.explainer-new-4194999");
        fs::create_dir_all(dead.join("a")).unwrap();
        fs::write(dead.join(TEMP_MARKER), "").unwrap();
        fs::create_dir(tmp.path().join(".public.explainer-new-4194998")).unwrap();
        let foreign = tmp.path().join(".public.explainer-new-4194997");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("mine"), "").unwrap();
        let slashed = PathBuf::from(format!("{}/", dir.display()));
        out(&[("index.html", "y")]).write(&slashed).unwrap();
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "y");
        let mut left = others(tmp.path(), "public");
        left.sort();
        assert_eq!(left, [".public.explainer-new-4194997"]);
    }

    #[test]
    fn refuses_paths_outside_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        for bad in ["../x.html", "/x.html", MANIFEST] {
            let err = out(&[(bad, "x")]).write(&tmp.path().join("p")).unwrap_err();
            assert!(matches!(err, WriteError::BadPath(_)), "{err}");
        }
    }
}
