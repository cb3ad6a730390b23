//! A full build written as it is made (`build`'s streamed path): each file goes into the temp
//! folder beside the output as soon as it is rendered, only its manifest entry kept; the
//! finished folder is swapped in whole, and dropping an unfinished one removes it.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::manifest::{Entry, MANIFEST, Manifest, is_safe_path};
use super::publish::{self, State, TEMP_MARKER, Target, TempTree, io_err};
use super::{WriteError, WriteStats, foreign, write_file};

/// An output folder being built: the new site's files so far, in a temp folder beside it.
pub struct Staging {
    target: Target,
    tree: TempTree,
    old: Manifest,
    old_text: Option<String>,
    entries: Mutex<BTreeMap<String, Entry>>,
    /// How many files were hard-linked from the live folder rather than written.
    linked: AtomicUsize,
}

impl Staging {
    /// Resolves and checks `dir` as `Output::write_site` does (refusing a folder that is not
    /// the tool's, or the site's), removes what killed builds left, and opens the temp folder.
    pub fn open(dir: &Path, site_root: &Path) -> Result<Staging, WriteError> {
        let target = publish::resolve(dir, Some(site_root))?;
        publish::clean_leftovers(&target)?;
        let (old, old_text) = match publish::state(&target)? {
            State::Fresh => (Manifest::default(), None),
            State::Ours(m, text) => (m, Some(text)),
        };
        let tree = TempTree::create(&target)?;
        if let Ok(meta) = fs::metadata(&target.dir) {
            let _ = fs::set_permissions(&tree.path, meta.permissions());
        }
        Ok(Staging {
            target,
            tree,
            old,
            old_text,
            entries: Mutex::new(BTreeMap::new()),
            linked: AtomicUsize::new(0),
        })
    }

    /// Puts one file of the new site in place: hard-linked from the live folder when the
    /// old manifest lists it with the same bytes, else written. Safe to call from many threads.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        if !is_safe_path(rel) || rel == MANIFEST || rel.starts_with(".explainer-") {
            return Err(WriteError::BadPath(rel.to_string()));
        }
        let entry = Entry::of(bytes);
        // Each path once: a second put would write through a hard link into the live site.
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.insert(rel.to_string(), entry.clone()).is_some() {
            return Err(WriteError::BadPath(rel.to_string()));
        }
        drop(entries);
        let to = self.tree.path.join(rel);
        let from = self.target.dir.join(rel);
        let same = self.old.files.get(rel) == Some(&entry)
            && fs::symlink_metadata(&from).is_ok_and(|m| m.is_file() && m.len() == entry.size);
        if same && link_or_mkdir(&from, &to) {
            self.linked.fetch_add(1, Ordering::Relaxed);
        } else {
            write_new(&to, bytes)?;
        }
        Ok(())
    }

    /// Carries the user's files over, writes the manifest and swaps the new site in (or, when
    /// nothing changed, leaves the live folder untouched and removes the temp one). Returns
    /// what changed, the manifest's hash and the manifest.
    pub fn finish(self) -> Result<(WriteStats, String, Manifest), WriteError> {
        let Staging {
            target,
            tree,
            old,
            old_text,
            entries,
            linked,
        } = self;
        let new = Manifest {
            files: entries.into_inner().unwrap_or_else(|e| e.into_inner()),
        };
        let (text, hash) = super::rendered(&new);
        if super::as_left(&target.dir, old_text.as_deref(), &text, &new) {
            tree.remove()?;
            let unchanged = new.files.len();
            let stats = WriteStats {
                unchanged,
                ..WriteStats::default()
            };
            return Ok((stats, hash, new));
        }
        let foreign = match old_text {
            Some(_) => foreign::foreign_entries(&target.dir, &old)?,
            None => Vec::new(),
        };
        foreign::check_conflicts(&new.files, &target.dir, &foreign)?;
        for f in &foreign {
            foreign::carry(&target.dir.join(&f.rel), &tree.path.join(&f.rel), &f.kind)?;
        }
        write_file(&tree.path.join(MANIFEST), text.as_bytes())?;
        let marker = tree.path.join(TEMP_MARKER);
        fs::remove_file(&marker).map_err(io_err(&marker))?;
        let linked = linked.into_inner();
        publish::swap_in(tree, &target)?;
        let stats = WriteStats {
            written: new.files.len() - linked,
            unchanged: linked,
            deleted: (old.files.keys())
                .filter(|p| !new.files.contains_key(*p))
                .count(),
        };
        Ok((stats, hash, new))
    }
}

/// Hard-links `from` at `to`, making `to`'s folder first if it is missing; whether it did.
fn link_or_mkdir(from: &Path, to: &Path) -> bool {
    match fs::hard_link(from, to) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            to.parent().is_some_and(|p| fs::create_dir_all(p).is_ok())
                && fs::hard_link(from, to).is_ok()
        }
        Err(_) => false,
    }
}

/// Writes a file of the new site, making its folder first if it is missing (one failed
/// attempt per new folder is cheaper than asking first for each file).
fn write_new(to: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    match write_file(to, bytes) {
        Err(WriteError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(io_err(parent))?;
            }
            write_file(to, bytes)
        }
        done => done,
    }
}

impl crate::render::output::Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), crate::diagnostics::Diagnostic> {
        Staging::put(self, path, bytes).map_err(Into::into)
    }
}
