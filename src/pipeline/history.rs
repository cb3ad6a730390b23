//! The history of the facts from the site's git log: each commit whose `content/` changed
//! (`load::git`), diffed with its parent (`derive::diff`), each version read once from memory;
//! each commit's diff remembered by commit id in `.explainer-cache/history`, so a later build
//! or `diff --log` diffs only new commits. That memo is the one file the pipeline writes, an
//! optimisation like the build cache: without it, the same history.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::rc::Rc;

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
    let tmp = dir.join(format!("{MEMO}.tmp"));
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&tmp, json));
    if written
        .and_then(|()| std::fs::rename(&tmp, dir.join(MEMO)))
        .is_err()
    {
        let _ = std::fs::remove_file(tmp);
    }
}

/// The facts of the versions read last, by `content/` tree id (a commit's parent is the next
/// commit's version, so a few suffice).
struct Versions<'r> {
    reader: Reader<'r>,
    recent: VecDeque<(TreeId, Option<Rc<Facts>>)>,
}

impl Versions<'_> {
    fn facts(
        &mut self,
        root: &Path,
        tree: TreeId,
        left_out: &mut Vec<String>,
    ) -> Option<Rc<Facts>> {
        if let Some((_, f)) = self.recent.iter().find(|(t, _)| *t == tree) {
            return f.clone();
        }
        let loaded = match self.reader.site(root, tree) {
            Ok(site) => Some(Rc::new(facts_of(&site))),
            Err(d) => {
                let at = format!("tree {}", short(&tree.to_string()));
                left_out.push(git::not_loaded(&at, d).message);
                None
            }
        };
        if self.recent.len() == 4 {
            self.recent.pop_front();
        }
        self.recent.push_back((tree, loaded.clone()));
        loaded
    }
}

/// The history of the facts of the site at `root`: at most `max` commits that changed its
/// `content/`, newest first, each with its diff.
pub fn log(root: &Path, max: usize) -> Result<Log, Diagnostic> {
    // One version after another: a pool of one thread keeps the derivations' parallel parts
    // from waking idle threads hundreds of times.
    match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool.install(|| walk(root, max)),
        Err(_) => walk(root, max),
    }
}

fn walk(root: &Path, max: usize) -> Result<Log, Diagnostic> {
    let repo = Repo::discover(root)?;
    let commits = repo.content_log(max)?;
    let binary = binary_id().unwrap_or_default();
    let mut memo = read_memo(root, &binary);
    let mut versions = Versions {
        reader: repo.reader(),
        recent: VecDeque::new(),
    };
    let (mut left_out, mut changes, mut fresh) = (commits.left_out, Vec::new(), false);
    let empty = Rc::new(Facts::default());
    for c in commits.commits {
        if let Some(known) = memo.changes.get(&c.id) {
            changes.push(known.clone());
            continue;
        }
        let Some(tree) = c.tree else { continue };
        let before = match c.parent_tree {
            Some(t) => versions.facts(root, t, &mut left_out),
            None => Some(empty.clone()),
        };
        let after = versions.facts(root, tree, &mut left_out);
        let (Some(before), Some(after)) = (before, after) else {
            continue;
        };
        let diff = diff_facts(&before, &after);
        let change = Change {
            commit: c.id.clone(),
            date: c.date,
            message: c.message,
            wording_only: !diff.is_empty() && !diff.changes_facts(),
            diff,
        };
        memo.changes.insert(c.id, change.clone());
        changes.push(change);
        fresh = true;
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
