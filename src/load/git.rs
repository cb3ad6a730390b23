//! A site's facts at a git revision, read with `gix` (no `git` process): the revision's
//! `content/` tree written out to a temporary folder and loaded like any site. Used by
//! `explainer diff`.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::model::Site;

/// The repository a site folder is in, and the site's place in its work tree.
pub struct Repo {
    repo: gix::Repository,
    /// The site root relative to the work tree (empty at the top).
    prefix: PathBuf,
}

fn error(message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(None, message)
}

impl Repo {
    /// The repository holding `root`, or why there is none.
    pub fn discover(root: &Path) -> Result<Repo, Diagnostic> {
        let repo = gix::discover(root).map_err(|e| {
            error(format!("`{}` is not in a git repository: {e}", root.display()))
                .with_help("`explainer diff` compares the facts with a committed revision; run `git init` and commit first")
        })?;
        let workdir = (repo.workdir())
            .ok_or_else(|| error("the git repository has no work tree (it is bare)"))?;
        let (top, site) = (workdir.canonicalize(), root.canonicalize());
        let prefix = match (top, site) {
            (Ok(top), Ok(site)) => site.strip_prefix(&top).map(Path::to_path_buf).ok(),
            _ => None,
        };
        let prefix = prefix.ok_or_else(|| {
            error(format!(
                "`{}` is outside the repository's work tree",
                root.display()
            ))
        })?;
        Ok(Repo { repo, prefix })
    }

    /// The tree of the site's `content/` at `rev` (a commit, branch, tag, `HEAD~2`, …).
    fn content_tree(&self, rev: &str) -> Result<gix::Tree<'_>, Diagnostic> {
        let id = (self.repo.rev_parse_single(rev))
            .map_err(|e| error(format!("unknown revision `{rev}`: {e}")))?;
        let object = (id.object()).map_err(|e| error(format!("revision `{rev}`: {e}")))?;
        let tree = (object.peel_to_tree())
            .map_err(|e| error(format!("revision `{rev}` is not a commit: {e}")))?;
        let path = self.prefix.join("content");
        let entry = (tree.lookup_entry_by_path(&path))
            .map_err(|e| error(format!("revision `{rev}`: {e}")))?
            .ok_or_else(|| error(format!("revision `{rev}` has no `{}`", path.display())))?;
        let object = (entry.object()).map_err(|e| error(format!("revision `{rev}`: {e}")))?;
        (object.try_into_tree()).map_err(|_| {
            error(format!(
                "revision `{rev}`: `{}` is not a folder",
                path.display()
            ))
        })
    }

    /// Writes the site's `content/` at `rev` into `dest/content`.
    pub fn extract(&self, rev: &str, dest: &Path) -> Result<(), Diagnostic> {
        let tree = self.content_tree(rev)?;
        write_tree(&tree, &dest.join("content"))
            .map_err(|e| error(format!("revision `{rev}`: cannot write its content/: {e}")))
    }
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Writes every file of `tree` under `dir` (symbolic links and submodules are left out).
fn write_tree(tree: &gix::Tree<'_>, dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)?;
    for entry in tree.iter() {
        let entry = entry?;
        let name = entry.filename().to_string();
        if name.contains(['/', '\\']) || name == ".." || name == "." {
            continue;
        }
        let mode = entry.mode();
        if mode.is_tree() {
            write_tree(&entry.object()?.try_into_tree()?, &dir.join(&name))?;
        } else if mode.is_blob() {
            std::fs::write(dir.join(&name), &entry.object()?.data)?;
        }
    }
    Ok(())
}

/// The site under `root` as it was at `rev`: loaded (drafts left out, as published) from a
/// temporary copy of that revision's `content/`; an error names the revision and the first
/// problem when it does not load.
pub fn load_at(root: &Path, rev: &str) -> Result<Site, Diagnostic> {
    let repo = Repo::discover(root)?;
    let dir = tempfile::tempdir().map_err(|e| error(format!("no temporary folder: {e}")))?;
    repo.extract(rev, dir.path())?;
    let mut site = super::load(dir.path()).map_err(|diags| {
        let first = diags.iter().find(|d| d.is_error()).or(diags.iter().next());
        let what = first.map_or("no details".to_string(), |d| match &d.loc {
            Some(loc) => format!("{}:{}: {}", loc.file.display(), loc.line, d.message),
            None => d.message.clone(),
        });
        error(format!("the facts at revision `{rev}` do not load: {what}"))
    })?;
    site.strip_drafts();
    site.root = root.to_path_buf();
    Ok(site)
}
