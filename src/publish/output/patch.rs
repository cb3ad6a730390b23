//! An incremental rebuild's write into the live output folder: only the files whose bytes
//! changed, each written beside the folder and renamed into place; removed files deleted; then
//! the manifest. Before any file is touched, the manifest lists the files about to change with
//! an unknown (zero) hash, so a run killed halfway leaves a folder that the next build knows as
//! its own but never trusts a file of: it builds in full and writes those anew.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::manifest::{Entry, MANIFEST, Manifest, is_safe_path};
use super::publish::{self, TempTree, io_err};
use super::{WriteError, WriteStats};

/// The hash that no file has: written for a file while it is replaced.
const UNKNOWN: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Writes `text` as the manifest of `dir`, through a file in `tree` renamed over it.
fn put_manifest(tree: &TempTree, dir: &Path, text: &str) -> Result<(), WriteError> {
    let tmp = tree.path.join(MANIFEST);
    fs::write(&tmp, text).map_err(io_err(&tmp))?;
    let to = dir.join(MANIFEST);
    fs::rename(&tmp, &to).map_err(io_err(&to))
}

/// Refuses a new file whose place, or a folder on the way to it, is taken by something the
/// manifest does not list (the user's).
fn check_place(dir: &Path, old: &Manifest, rel: &str) -> Result<(), WriteError> {
    let conflict = || WriteError::Conflict {
        dir: dir.to_path_buf(),
        path: dir.join(rel),
    };
    if !old.files.contains_key(rel) && fs::symlink_metadata(dir.join(rel)).is_ok() {
        return Err(conflict());
    }
    for (i, _) in rel.match_indices('/') {
        match fs::symlink_metadata(dir.join(&rel[..i])) {
            Ok(m) if !m.is_dir() => return Err(conflict()),
            _ => {}
        }
    }
    Ok(())
}

/// Replaces the files `write` and removes the files `remove` in the output folder `dir`,
/// whose manifest is `old` (as the caller read it); returns what it did, the new manifest's
/// BLAKE3 hash and the manifest.
pub fn patch(
    dir: &Path,
    site_root: &Path,
    old: &Manifest,
    write: &[(String, Vec<u8>)],
    remove: &[String],
) -> Result<(WriteStats, String, Manifest), WriteError> {
    let bad = (write.iter().map(|(p, _)| p).chain(remove))
        .find(|p| !is_safe_path(p) || *p == MANIFEST || p.starts_with(".explainer-"));
    if let Some(bad) = bad {
        return Err(WriteError::BadPath(bad.clone()));
    }
    let target = publish::resolve(dir, Some(site_root))?;
    publish::clean_leftovers(&target)?;
    let dir = target.dir.as_path();
    for (rel, _) in write {
        check_place(dir, old, rel)?;
    }
    let tree = TempTree::create(&target)?;
    let mut marked = old.clone();
    for (rel, bytes) in write {
        let size = bytes.len() as u64;
        let hash = UNKNOWN.to_string();
        marked.files.insert(rel.clone(), Entry { size, hash });
    }
    put_manifest(&tree, dir, &marked.render())?;
    (write.par_iter().enumerate()).try_for_each(|(i, (rel, bytes))| {
        let to = dir.join(rel);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let tmp = tree.path.join(format!("f{i}"));
        fs::write(&tmp, bytes).map_err(io_err(&tmp))?;
        fs::rename(&tmp, &to).map_err(io_err(&to))
    })?;
    for rel in remove {
        let path = dir.join(rel);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_err(&path)(e)),
            _ => {}
        }
        // Folders left empty go too, as a full build would not make them.
        let mut folder = path.parent();
        while let Some(f) = folder.filter(|f| *f != dir) {
            if fs::remove_dir(f).is_err() {
                break;
            }
            folder = f.parent();
        }
    }
    let mut new = old.clone();
    for rel in remove {
        new.files.remove(rel);
    }
    let entries: BTreeMap<String, Entry> = (write.par_iter())
        .map(|(rel, bytes)| (rel.clone(), Entry::of(bytes)))
        .collect();
    new.files.extend(entries);
    let text = new.render();
    put_manifest(&tree, dir, &text)?;
    tree.remove()?;
    let stats = WriteStats {
        written: write.len(),
        unchanged: new.files.len() - write.len(),
        deleted: remove.len(),
    };
    Ok((
        stats,
        blake3::hash(text.as_bytes()).to_hex().to_string(),
        new,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::output::Output;

    #[test]
    fn patches_changed_files_and_a_killed_patch_is_never_trusted() {
        let tmp = tempfile::tempdir().unwrap();
        let (site, dir) = (tmp.path().join("site"), tmp.path().join("public"));
        fs::create_dir_all(&site).unwrap();
        let mut out = Output::default();
        out.files.insert("index.html".into(), b"home".to_vec());
        out.files.insert("a/index.html".into(), b"a".to_vec());
        let (_, _, old) = out.write_site_manifest(&dir, &site).unwrap();
        let write = vec![("b/index.html".to_string(), b"b".to_vec())];
        let (stats, hash, new) =
            patch(&dir, &site, &old, &write, &["a/index.html".into()]).unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.deleted), (1, 1, 1));
        assert!(!dir.join("a").exists());
        assert_eq!(fs::read(dir.join("b/index.html")).unwrap(), b"b");
        let text = fs::read_to_string(dir.join(MANIFEST)).unwrap();
        assert_eq!(blake3::hash(text.as_bytes()).to_hex().as_str(), hash);
        assert_eq!(Manifest::parse(&text).unwrap(), new);
        // A foreign file in the way is refused, nothing changed.
        fs::write(dir.join("c"), "mine").unwrap();
        let bad = vec![("c/index.html".to_string(), b"c".to_vec())];
        assert!(matches!(
            patch(&dir, &site, &new, &bad, &[]),
            Err(WriteError::Conflict { .. })
        ));
        // What a killed patch leaves: a file listed with the unknown hash is written anew.
        let mut marked = new.clone();
        marked.files.get_mut("index.html").unwrap().hash = UNKNOWN.into();
        fs::write(dir.join(MANIFEST), marked.render()).unwrap();
        fs::write(dir.join("index.html"), "HOME").unwrap();
        let mut full = out.clone();
        full.files.remove("a/index.html");
        full.files.insert("b/index.html".into(), b"b".to_vec());
        full.write_site(&dir, &site).unwrap();
        assert_eq!(fs::read(dir.join("index.html")).unwrap(), b"home");
    }
}
