//! The history of the facts from the site's git log: each commit whose `content/` changed
//! (`load::git`), diffed with its parent (`derive::diff`), each version read once from memory;
//! each commit's diff remembered by commit id in `.explainer-cache/history`, so a later build
//! or `diff --log` diffs only new commits. That memo is the one file the pipeline writes, an
//! optimisation like the build cache: without it, the same history.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use serde::{Deserialize, Serialize};

use crate::derive::Derived;
use crate::derive::diff::{Facts, diff_facts, facts_of};
use crate::derive::history::{self, Change, History, Log, short};
use crate::diagnostics::Diagnostic;
use crate::load::git::{self, Repo, TreeId, tree::Reader};
use crate::model::Site;
use crate::publish::output::cache::{CACHE_DIR, binary_id};

/// The memo's file in the cache folder.
const MEMO: &str = "history";

/// What the site leaves out without its history.
const LEFT_OUT: &str = "the What changed page, history sections and change feeds left out";

/// Each commit's change, by commit id, as this binary made them.
#[derive(Serialize, Deserialize, Default)]
struct Memo {
    binary: String,
    changes: HashMap<String, Change>,
}

/// The memo of the site at `root`, if it is there and this binary's.
fn read_memo(root: &Path, binary: &str) -> Memo {
    let path = root.join(CACHE_DIR).join(MEMO);
    let memo = std::fs::read(path).ok();
    let memo = memo.and_then(|bytes| serde_json::from_slice::<Memo>(&bytes).ok());
    match memo {
        Some(m) if m.binary == binary => m,
        _ => Memo {
            binary: binary.to_string(),
            changes: HashMap::new(),
        },
    }
}

/// Writes the memo beside the build cache (written whole, then renamed); a failure only costs
/// the next build the time to diff again.
fn store_memo(root: &Path, memo: &Memo) {
    let dir = root.join(CACHE_DIR);
    let Ok(json) = serde_json::to_vec(memo) else {
        return;
    };
    // One temporary file per process: two builds of one site may finish together.
    let tmp = dir.join(format!("{MEMO}.{}.tmp", std::process::id()));
    let ignore = dir.join(".gitignore");
    let written = std::fs::create_dir_all(&dir).and_then(|()| {
        // Kept out of version control, as the build cache keeps the folder.
        if !ignore.exists() {
            std::fs::write(&ignore, "# explainer's build cache: safe to delete\n*\n")?;
        }
        std::fs::write(&tmp, json)
    });
    if written
        .and_then(|()| std::fs::rename(&tmp, dir.join(MEMO)))
        .is_err()
    {
        let _ = std::fs::remove_file(tmp);
    }
}

/// The facts of the versions the next commits need, by `content/` tree id: each version's
/// site read in turn (`Reader` parses each distinct file once), their facts derived in
/// parallel, a batch of commits at a time.
struct Versions<'r> {
    reader: Reader<'r>,
    known: HashMap<TreeId, Option<Arc<Facts>>>,
}

/// How many commits' versions are read before their facts are derived together.
const BATCH: usize = 32;

impl Versions<'_> {
    /// Reads and derives the versions `trees` that are not known yet; one that does not load
    /// is said in `left_out` and known as `None`.
    fn prepare(&mut self, root: &Path, trees: &[TreeId], left_out: &mut Vec<String>) {
        let mut sites = Vec::new();
        for &tree in trees {
            if self.known.contains_key(&tree) || sites.iter().any(|(t, _)| *t == tree) {
                continue;
            }
            match self.reader.site(root, tree) {
                Ok(site) => sites.push((tree, site)),
                Err(d) => {
                    let at = format!("tree {}", short(&tree.to_string()));
                    left_out.push(git::not_loaded(&at, d).message);
                    self.known.insert(tree, None);
                }
            }
        }
        let derived: Vec<(TreeId, Arc<Facts>)> = (sites.into_par_iter())
            .map(|(tree, site)| (tree, Arc::new(facts_of(&site))))
            .collect();
        self.known
            .extend(derived.into_iter().map(|(t, f)| (t, Some(f))));
    }

    fn get(&self, tree: TreeId) -> Option<Arc<Facts>> {
        self.known.get(&tree).cloned().flatten()
    }
}

/// The history of the facts of the site at `root`: at most `max` commits that changed its
/// `content/`, newest first, each with its diff.
pub fn log(root: &Path, max: usize) -> Result<Log, Diagnostic> {
    let repo = Repo::discover(root)?;
    let commits = repo.content_log(max)?;
    let binary = binary_id().unwrap_or_default();
    let mut memo = read_memo(root, &binary);
    let mut versions = Versions {
        reader: repo.reader(),
        known: HashMap::new(),
    };
    let (mut left_out, mut changes, mut fresh) = (commits.left_out, Vec::new(), false);
    let empty = Arc::new(Facts::default());
    for batch in commits.commits.chunks(BATCH) {
        let todo = batch.iter().filter(|c| !memo.changes.contains_key(&c.id));
        let trees: Vec<TreeId> = todo
            .flat_map(|c| c.tree.into_iter().chain(c.parent_tree))
            .collect();
        versions.prepare(root, &trees, &mut left_out);
        for c in batch {
            if let Some(known) = memo.changes.get(&c.id) {
                changes.push(known.clone());
                continue;
            }
            let Some(tree) = c.tree else { continue };
            let before = match c.parent_tree {
                Some(t) => versions.get(t),
                None => Some(empty.clone()),
            };
            let (Some(before), Some(after)) = (before, versions.get(tree)) else {
                continue;
            };
            let diff = diff_facts(&before, &after);
            let change = Change {
                commit: c.id.clone(),
                date: c.date.clone(),
                message: c.message.clone(),
                wording_only: !diff.is_empty() && !diff.changes_facts(),
                diff,
            };
            memo.changes.insert(c.id.clone(), change.clone());
            changes.push(change);
            fresh = true;
        }
        // The next batch starts where this one ended: only its oldest version is needed again.
        let keep = batch.last().and_then(|c| c.parent_tree);
        versions.known.retain(|t, _| Some(*t) == keep);
    }
    if fresh {
        if max == usize::MAX {
            let shown: std::collections::HashSet<&str> =
                changes.iter().map(|c| c.commit.as_str()).collect();
            memo.changes.retain(|id, _| shown.contains(id.as_str()));
        }
        store_memo(root, &memo);
    }
    Ok(Log { changes, left_out })
}

/// The site's history for its pages, or an empty one (`on: false`) with a note saying what
/// was left out and why: not a git repository, a shallow clone, a revision that does not load.
pub fn read(root: &Path, site: &Site, derived: &Derived) -> (History, Option<String>) {
    if git::head_id(root).is_none() {
        let note = format!("note: not a git repository (or no commit yet): {LEFT_OUT}");
        return (History::default(), Some(note));
    }
    let log = match log(root, usize::MAX) {
        Ok(log) => log,
        Err(d) => {
            let note = format!(
                "note: the git history cannot be read ({}): {LEFT_OUT}",
                d.message
            );
            return (History::default(), Some(note));
        }
    };
    let said = log.left_out.join("; ");
    if log.changes.is_empty() {
        let why = if said.is_empty() {
            "no commit changed content/".to_string()
        } else {
            said
        };
        return (History::default(), Some(format!("note: {why}: {LEFT_OUT}")));
    }
    let note = (!said.is_empty()).then(|| format!("note: the history leaves out {said}"));
    (history::history(site, derived, &log), note)
}
