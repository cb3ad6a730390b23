//! Where a build may publish and how it switches the site: resolves `--out`, refuses folders
//! explainer does not own, and swaps a finished temp sibling in with one rename.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::WriteError;
use super::manifest::{MANIFEST, Manifest};

/// Written first into a temp folder, so a killed run's leftover is recognisably ours.
pub(super) const TEMP_MARKER: &str = ".explainer-temp";

pub(super) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn refused(dir: &Path, reason: impl Into<String>) -> WriteError {
    WriteError::Refused {
        dir: dir.to_path_buf(),
        reason: reason.into(),
    }
}

/// The output folder, absolute and normalised (no `.`/`..`, no trailing slash, symlinks of
/// an existing folder resolved), with its parent and name.
#[derive(Debug)]
pub(super) struct Target {
    pub dir: PathBuf,
    pub parent: PathBuf,
    pub name: OsString,
}

impl Target {
    fn sibling(&self, kind: &str, pid: u32) -> PathBuf {
        let mut n = OsString::from(".");
        n.push(&self.name);
        n.push(format!(".explainer-{kind}-{pid}"));
        self.parent.join(n)
    }
}

/// Resolves `dir` and refuses, before touching anything, the current folder, the site root,
/// any folder holding either, a folder inside the site's sources, and any folder holding a
/// `content/` folder. Then creates missing parents of an absent `dir`.
pub(super) fn resolve(dir: &Path, site_root: Option<&Path>) -> Result<Target, WriteError> {
    let abs = std::path::absolute(dir).map_err(io_err(dir))?;
    let mut norm = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                norm.pop();
            }
            other => norm.push(other),
        }
    }
    // Resolve symlinks in the part that exists; the rest is created after the checks.
    let mut existing = norm.as_path();
    while fs::symlink_metadata(existing).is_err() {
        existing = existing.parent().unwrap_or(Path::new("/"));
    }
    let rest = norm.strip_prefix(existing).unwrap_or(Path::new(""));
    let resolved = fs::canonicalize(existing)
        .map_err(io_err(existing))?
        .join(rest);
    let (Some(parent), Some(name)) = (resolved.parent(), resolved.file_name()) else {
        return Err(refused(&resolved, "it is the filesystem root"));
    };
    let holds = |p: &Path| fs::canonicalize(p).is_ok_and(|p| p.starts_with(&resolved));
    let own = "build into a folder of its own, e.g. --out public";
    if std::env::current_dir().is_ok_and(|cwd| holds(&cwd)) {
        return Err(refused(
            &resolved,
            format!("it is the current folder or holds it; {own}"),
        ));
    }
    if let Some(root) = site_root.filter(|r| holds(r)) {
        return Err(refused(
            &resolved,
            format!(
                "it is the site folder or holds it; build into a folder of its own, e.g. --out {}",
                root.join("public").display()
            ),
        ));
    }
    if let Some(root) = site_root {
        for sources in ["content", "templates", "static"] {
            if fs::canonicalize(root.join(sources)).is_ok_and(|s| resolved.starts_with(&s)) {
                return Err(refused(
                    &resolved,
                    format!("it is inside the site's {sources}/ folder; {own}"),
                ));
            }
        }
    }
    if resolved.join("content").is_dir() {
        return Err(refused(
            &resolved,
            format!("it holds a content/ folder, so it looks like a site's sources; {own}"),
        ));
    }
    fs::create_dir_all(parent).map_err(io_err(parent))?;
    Ok(Target {
        parent: parent.to_path_buf(),
        name: name.to_os_string(),
        dir: resolved,
    })
}

/// What the output folder holds now.
pub(super) enum State {
    /// Absent or empty: nothing to keep.
    Fresh,
    /// An earlier build's, with its manifest and the manifest's exact text.
    Ours(Manifest, String),
}

/// Reads the output folder's state; a file, or a folder with other files and no readable
/// manifest, is refused.
pub(super) fn state(t: &Target) -> Result<State, WriteError> {
    let meta = match fs::symlink_metadata(&t.dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(State::Fresh),
        Err(e) => return Err(io_err(&t.dir)(e)),
    };
    if !meta.is_dir() {
        return Err(refused(
            &t.dir,
            "it is a file, not a folder; choose another --out or remove the file",
        ));
    }
    let mut names: Vec<String> = fs::read_dir(&t.dir)
        .map_err(io_err(&t.dir))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(State::Fresh);
    }
    let path = t.dir.join(MANIFEST);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            names.sort();
            let more = if names.len() > 3 { ", ..." } else { "" };
            names.truncate(3);
            return Err(refused(
                &t.dir,
                format!(
                    "it is not empty ({}{more}) and has no {MANIFEST}, so explainer did not \
                     build it; choose a new or empty folder for --out, or empty this one yourself \
                     (a build by an explainer older than the manifest leaves none: remove it once)",
                    names.join(", ")
                ),
            ));
        }
        Err(e) => return Err(io_err(&path)(e)),
    };
    match Manifest::parse(&text) {
        Ok(m) => Ok(State::Ours(m, text)),
        Err(e) => Err(refused(
            &t.dir,
            format!(
                "its {MANIFEST} cannot be read: {e}; remove the folder yourself if it is a \
                 disposable build, or choose another --out"
            ),
        )),
    }
}

fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Whether process `pid` still runs this same program (Linux: `/proc`); elsewhere, no.
fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let comm = |p: &str| fs::read(format!("/proc/{p}/comm")).ok();
    comm(&pid.to_string()).is_some_and(|c| Some(c) == comm("self"))
}

/// Removes what killed runs left beside the output folder: siblings named like our temp
/// folders whose process is gone and that are empty or carry our marker or a manifest. An
/// old site set aside by the rename fallback is put back if the output folder is missing.
pub(super) fn clean_leftovers(t: &Target) -> Result<(), WriteError> {
    let mut prefix = OsString::from(".");
    prefix.push(&t.name);
    prefix.push(".explainer-");
    let prefix = prefix.to_string_lossy().into_owned();
    for entry in fs::read_dir(&t.parent).map_err(io_err(&t.parent))? {
        let entry = entry.map_err(io_err(&t.parent))?;
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some((kind, pid)) = rest.split_once('-') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let path = entry.path();
        let ours = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir())
            && (is_empty_dir(&path)
                || path.join(TEMP_MARKER).is_file()
                || path.join(MANIFEST).is_file());
        if !ours || !matches!(kind, "new" | "old") || is_running(pid) {
            continue;
        }
        if kind == "old" && fs::symlink_metadata(&t.dir).is_err() {
            fs::rename(&path, &t.dir).map_err(io_err(&t.dir))?;
        } else {
            remove_temp(&path).map_err(io_err(&path))?;
        }
    }
    Ok(())
}

/// A temp folder beside the output that is removed when dropped (on errors and panics too)
/// unless disarmed. After an exchange it holds the old site, which dropping then removes.
pub(super) struct TempTree {
    pub path: PathBuf,
    armed: bool,
}

impl TempTree {
    /// Creates `.NAME.explainer-new-PID` beside the output, with our marker inside.
    pub fn create(t: &Target) -> Result<TempTree, WriteError> {
        let path = t.sibling("new", std::process::id());
        if fs::symlink_metadata(&path).is_ok() {
            remove_temp(&path).map_err(io_err(&path))?;
        }
        fs::create_dir(&path).map_err(io_err(&path))?;
        let tree = TempTree { path, armed: true };
        let marker = tree.path.join(TEMP_MARKER);
        fs::write(&marker, b"").map_err(io_err(&marker))?;
        Ok(tree)
    }

    /// Removes the folder now, reporting a failure (dropping ignores it).
    pub fn remove(mut self) -> Result<(), WriteError> {
        self.armed = false;
        remove_temp(&self.path).map_err(|source| WriteError::Cleanup {
            path: self.path.clone(),
            source,
        })
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        if self.armed {
            let _ = remove_temp(&self.path);
        }
    }
}

/// Removes a temp folder of ours: like `fs::remove_dir_all` (symlinks removed, never
/// followed), but our marker is written first and removed last, so a run killed halfway
/// leaves a folder the next build still knows as ours; and the entries of each folder go in
/// parallel (a site has a folder per page, and removing 10k one by one is slow on some disks).
fn remove_temp(dir: &Path) -> io::Result<()> {
    let marker = dir.join(TEMP_MARKER);
    let _ = fs::write(&marker, b"");
    remove_entries(dir, Some(TEMP_MARKER))?;
    match fs::remove_file(&marker) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

fn remove_entries(dir: &Path, keep: Option<&str>) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|e| {
        if keep.is_some_and(|k| e.file_name() == k) {
            Ok(())
        } else if e.file_type()?.is_dir() {
            remove_entries(&e.path(), None)?;
            fs::remove_dir(e.path())
        } else {
            fs::remove_file(e.path())
        }
    })
}

/// Puts the finished `tree` in place of the output folder in one step, then removes the old
/// site. On Linux, `renameat2(RENAME_EXCHANGE)` swaps the two folders atomically: a reader
/// sees the old site or the new one, never a mix, nor no site. Where exchange is missing
/// (other systems, or a filesystem that lacks it), the old folder is renamed aside and the
/// new one renamed in: still never a mix, but for a moment no folder; a run killed in that
/// moment leaves the old site aside, which the next build puts back.
pub(super) fn swap_in(tree: TempTree, t: &Target) -> Result<(), WriteError> {
    let mut tree = tree;
    if fs::symlink_metadata(&t.dir).is_err() {
        fs::rename(&tree.path, &t.dir).map_err(io_err(&t.dir))?;
        tree.armed = false;
        return Ok(());
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, &tree.path, CWD, &t.dir, RenameFlags::EXCHANGE) {
            // The tree now holds the old site.
            Ok(()) => return tree.remove(),
            Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP => {}
            Err(e) => return Err(io_err(&t.dir)(e.into())),
        }
    }
    swap_by_renames(tree, t)
}

/// The fallback of `swap_in`: the old folder renamed aside, the new one renamed in, the old
/// one removed; if the second rename fails, the old folder is put back.
fn swap_by_renames(mut tree: TempTree, t: &Target) -> Result<(), WriteError> {
    let aside = TempTree {
        path: t.sibling("old", std::process::id()),
        armed: false,
    };
    fs::rename(&t.dir, &aside.path).map_err(io_err(&t.dir))?;
    if let Err(e) = fs::rename(&tree.path, &t.dir) {
        let _ = fs::rename(&aside.path, &t.dir);
        return Err(io_err(&t.dir)(e));
    }
    tree.armed = false;
    aside.remove()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(dir: &Path) -> Target {
        resolve(dir, None).unwrap()
    }

    #[test]
    fn the_rename_fallback_swaps_and_leaves_no_temp() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("index.html"), "old").unwrap();
        let t = target(&dir);
        let tree = TempTree::create(&t).unwrap();
        fs::write(tree.path.join("index.html"), "new").unwrap();
        swap_by_renames(tree, &t).unwrap();
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "new");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_old_site_left_aside_by_a_killed_fallback_is_put_back() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let aside = tmp.path().join(".public.explainer-old-4194999");
        fs::create_dir(&aside).unwrap();
        fs::write(aside.join(MANIFEST), "explainer-manifest 1\n").unwrap();
        let new = tmp.path().join(".public.explainer-new-4194999");
        fs::create_dir(&new).unwrap();
        fs::write(new.join(TEMP_MARKER), "").unwrap();
        clean_leftovers(&target(&dir)).unwrap();
        assert!(dir.join(MANIFEST).is_file());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_temp_tree_is_removed_when_dropped_on_error_or_panic() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(&tmp.path().join("public"));
        let path = std::panic::catch_unwind(|| {
            let tree = TempTree::create(&t).unwrap();
            fs::write(tree.path.join("x"), "x").unwrap();
            let path = tree.path.clone();
            if path.exists() {
                panic!("{}", path.display());
            }
            path
        });
        assert!(path.is_err());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}
