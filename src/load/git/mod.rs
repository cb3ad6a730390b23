//! A site's facts at a git revision, read with `gix` (no `git` process): the revision's
//! `content/` tree read from the repository's objects in memory (`tree::Reader`), and the
//! commits that changed it. Used by `explainer diff` and the site's history.

pub mod tree;

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

    /// The id of the site's `content/` tree at `rev` (a commit, branch, tag, `HEAD~2`, …).
    fn content_tree(&self, rev: &str) -> Result<TreeId, Diagnostic> {
        let id = (self.repo.rev_parse_single(rev))
            .map_err(|e| error(format!("unknown revision `{rev}`: {e}")))?;
        let object = (id.object()).map_err(|e| error(format!("revision `{rev}`: {e}")))?;
        let tree = (object.peel_to_tree())
            .map_err(|e| error(format!("revision `{rev}` is not a commit: {e}")))?;
        let path = self.prefix.join("content");
        let entry = (tree.lookup_entry_by_path(&path))
            .map_err(|e| error(format!("revision `{rev}`: {e}")))?
            .ok_or_else(|| error(format!("revision `{rev}` has no `{}`", path.display())))?;
        if !entry.mode().is_tree() {
            let path = path.display();
            return Err(error(format!("revision `{rev}`: `{path}` is not a folder")));
        }
        Ok(entry.object_id())
    }

    /// A reader of `content/` trees of this repository (`tree::Reader`).
    pub fn reader(&self) -> tree::Reader<'_> {
        tree::Reader::new(&self.repo)
    }

    /// The id of the site's `content/` tree in `commit`'s tree (`None`: it has none).
    fn content_tree_id(&self, commit: &gix::Commit<'_>) -> Option<TreeId> {
        let tree = commit.tree().ok()?;
        let entry = tree
            .lookup_entry_by_path(self.prefix.join("content"))
            .ok()??;
        entry.mode().is_tree().then(|| entry.object_id())
    }

    /// The commits of the first-parent line from HEAD whose `content/` tree differs from their
    /// parent's, newest first, at most `max`; compared by tree id, nothing is loaded.
    pub fn content_log(&self, max: usize) -> Result<Log, Diagnostic> {
        let mut log = Log::default();
        let head = (self.repo.head_commit())
            .map_err(|e| error(format!("the repository has no commit to read: {e}")))?;
        let mut commit = Some(head);
        while let Some(c) = commit.take() {
            let tree = self.content_tree_id(&c);
            let parent = c.parent_ids().next().map(|id| id.object());
            let parent = match parent {
                None => None,
                Some(Ok(o)) => o.try_into_commit().ok(),
                Some(Err(_)) => {
                    let id = c.id().shorten_or_id();
                    log.left_out.push(format!(
                        "the history from {id} back (a shallow clone: its parent is not here)"
                    ));
                    break;
                }
            };
            let parent_tree = parent.as_ref().and_then(|p| self.content_tree_id(p));
            if tree != parent_tree && tree.is_some() {
                if log.commits.len() == max {
                    log.left_out.push(format!("commits before the last {max}"));
                    break;
                }
                log.commits.push(Commit::of(&c, tree, parent_tree));
            }
            commit = parent;
        }
        Ok(log)
    }
}

/// The site under `root` as it was at `rev`: loaded (drafts left out, as published) from that
/// revision's `content/` in memory; an error names the revision and the first problem when it
/// does not load.
pub fn load_at(root: &Path, rev: &str) -> Result<Site, Diagnostic> {
    let repo = Repo::discover(root)?;
    let tree = repo.content_tree(rev)?;
    repo.reader()
        .site(root, tree)
        .map_err(|d| not_loaded(&format!("revision `{rev}`"), d))
}

/// The error for facts at `what` that do not load, `first` being the first problem.
pub fn not_loaded(what: &str, first: Diagnostic) -> Diagnostic {
    let first = match &first.loc {
        Some(loc) => format!("{}:{}: {}", loc.file.display(), loc.line, first.message),
        None => first.message.clone(),
    };
    error(format!("the facts at {what} do not load: {first}"))
}

/// The id of the commit HEAD names in the repository holding `root` (`None`: no repository,
/// or no commit yet). Part of the build cache's key when the build shows the history.
pub fn head_id(root: &Path) -> Option<String> {
    let repo = gix::discover(root).ok()?;
    Some(repo.head_id().ok()?.to_string())
}

/// A git object id (of a `content/` tree).
pub type TreeId = gix::ObjectId;

/// A commit that changed the facts: its id, its day (UTC), the first line of its message, and
/// its `content/` tree and its parent's.
#[derive(Debug, Clone)]
pub struct Commit {
    pub id: String,
    pub date: String,
    pub message: String,
    pub tree: Option<TreeId>,
    pub parent_tree: Option<TreeId>,
}

impl Commit {
    fn of(c: &gix::Commit<'_>, tree: Option<TreeId>, parent_tree: Option<TreeId>) -> Commit {
        let seconds = c.time().map_or(0, |t| t.seconds);
        let message = c
            .message()
            .map_or(String::new(), |m| m.summary().to_string());
        Commit {
            id: c.id().to_string(),
            date: crate::model::date::Date::from_unix(seconds).to_string(),
            message,
            tree,
            parent_tree,
        }
    }
}

/// The commits that changed the facts, newest first, and what the walk left out.
#[derive(Debug, Clone, Default)]
pub struct Log {
    pub commits: Vec<Commit>,
    pub left_out: Vec<String>,
}
