//! The user's files in an output folder: whatever its manifest does not list (a CNAME, a
//! deploy checkout's .git/) is found, checked against the new site, and carried into it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::WriteError;
use super::manifest::{MANIFEST, Manifest};
use super::publish::io_err;

/// A file, symlink or empty folder in the output that its manifest does not list: the
/// user's (a CNAME, a deploy checkout's .git/), carried over into every new build.
#[derive(Debug)]
pub(super) struct Foreign {
    pub rel: PathBuf,
    /// `rel` with `/` separators, to compare with output paths.
    pub key: String,
    pub kind: Kind,
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Kind {
    File,
    Symlink,
    EmptyDir,
}

/// Refuses when a foreign entry sits where a generated file goes, or on the way to one.
pub(super) fn check_conflicts<V>(
    files: &BTreeMap<String, V>,
    dir: &Path,
    foreign: &[Foreign],
) -> Result<(), WriteError> {
    for f in foreign {
        let rel = &f.key;
        let under = format!("{rel}/");
        let blocks_folder = f.kind != Kind::EmptyDir
            && files
                .range(under.clone()..)
                .next()
                .is_some_and(|(p, _)| p.starts_with(&under));
        let mut ancestors = rel.match_indices('/').map(|(i, _)| &rel[..i]);
        if files.contains_key(rel) || blocks_folder || ancestors.any(|a| files.contains_key(a)) {
            return Err(WriteError::Conflict {
                dir: dir.to_path_buf(),
                path: dir.join(&f.rel),
            });
        }
    }
    Ok(())
}

/// Every entry under `dir` that `old` does not list (files, symlinks, empty folders), by
/// relative path; folders holding one are implied by it.
pub(super) fn foreign_entries(dir: &Path, old: &Manifest) -> Result<Vec<Foreign>, WriteError> {
    let mut found = Vec::new();
    for entry in WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            io_err(&path)(e.into())
        })?;
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let key: String = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let ft = entry.file_type();
        if key == MANIFEST || old.files.contains_key(&key) && ft.is_file() {
            continue;
        }
        let kind = if ft.is_dir() {
            if fs::read_dir(entry.path()).is_ok_and(|mut d| d.next().is_some()) {
                continue;
            }
            Kind::EmptyDir
        } else if ft.is_symlink() {
            Kind::Symlink
        } else {
            Kind::File
        };
        found.push(Foreign {
            rel: rel.to_path_buf(),
            key,
            kind,
        });
    }
    Ok(found)
}

/// Puts a foreign entry of the old site at the same place in the new one, sharing its
/// bytes (a hard link; a copy where linking fails), so the old site stays whole until the swap.
pub(super) fn carry(from: &Path, to: &Path, kind: &Kind) -> Result<(), WriteError> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    match kind {
        Kind::EmptyDir => fs::create_dir_all(to).map_err(io_err(to)),
        Kind::File => {
            if fs::hard_link(from, to).is_err() {
                fs::copy(from, to).map_err(io_err(to))?;
            }
            Ok(())
        }
        Kind::Symlink => {
            let link = fs::read_link(from).map_err(io_err(from))?;
            #[cfg(unix)]
            let made = std::os::unix::fs::symlink(&link, to);
            #[cfg(not(unix))]
            let made = fs::copy(from, to).map(|_| ());
            made.map_err(io_err(to))
        }
    }
}
