//! `explainer diff --log`: the history of the facts, newest first: each commit of the
//! first-parent line from HEAD whose `content/` tree differs from its parent's, dated, with
//! its message as the editor's note and its semantic diff (a wording-only commit listed as
//! such). A commit whose `content/` did not change is skipped by comparing tree ids, without
//! loading anything; each distinct `content/` tree is loaded once (cached by tree id).

use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

use serde::Serialize;

use crate::derive::diff::{Diff, Facts, diff_facts, facts_of};
use crate::diagnostics::Diagnostic;
use crate::load::git::{Commit, Repo, TreeId};

/// One commit that changed the facts, and what it changed.
#[derive(Serialize)]
pub struct Change {
    pub commit: String,
    pub date: String,
    pub message: String,
    /// The diff against the parent (for the first commit with facts: all added).
    pub diff: Diff,
    pub wording_only: bool,
}

/// The history, and what it left out (a shallow clone's cut, a revision that does not load).
#[derive(Serialize)]
pub struct History {
    pub changes: Vec<Change>,
    pub left_out: Vec<String>,
}

/// The facts of `tree`, loaded once.
fn facts<'c>(
    repo: &Repo,
    cache: &'c mut HashMap<TreeId, Option<Facts>>,
    tree: Option<TreeId>,
    left_out: &mut Vec<String>,
) -> Option<&'c Facts> {
    let tree = tree?;
    let loaded = cache
        .entry(tree)
        .or_insert_with(|| match repo.load_tree(tree) {
            Ok(site) => Some(facts_of(&site)),
            Err(d) => {
                left_out.push(d.message);
                None
            }
        });
    loaded.as_ref()
}

/// The history of the facts of the site at `root`, at most `max` commits that changed them.
pub fn history(root: &Path, max: usize) -> Result<History, Diagnostic> {
    // One version after another: a pool of one thread keeps the loader's parallel article
    // reading from waking idle threads hundreds of times (measured: most of the time was that).
    match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool.install(|| walk(root, max)),
        Err(_) => walk(root, max),
    }
}

fn walk(root: &Path, max: usize) -> Result<History, Diagnostic> {
    let repo = Repo::discover(root)?;
    let log = repo.content_log(max)?;
    let mut cache = HashMap::new();
    let mut left_out = log.left_out;
    let mut changes = Vec::new();
    let empty = Facts::default();
    for Commit {
        id,
        date,
        message,
        tree,
        parent_tree,
    } in log.commits
    {
        let before = facts(&repo, &mut cache, parent_tree, &mut left_out).cloned();
        let Some(after) = facts(&repo, &mut cache, tree, &mut left_out) else {
            continue;
        };
        let diff = diff_facts(before.as_ref().unwrap_or(&empty), after);
        changes.push(Change {
            commit: id,
            date,
            message,
            wording_only: !diff.is_empty() && !diff.changes_facts(),
            diff,
        });
    }
    Ok(History { changes, left_out })
}

/// The history as text: per commit its date, short id, message and diff.
pub fn text(history: &History, color: bool) -> String {
    let mut out = String::new();
    for c in &history.changes {
        let what = if c.wording_only {
            " (wording only)"
        } else {
            ""
        };
        let short = &c.commit[..c.commit.len().min(10)];
        let _ = writeln!(out, "{} {short} {}{what}", c.date, c.message);
        let body = super::show::text(&c.diff, "", "", color);
        for line in body.lines().skip(1) {
            let _ = writeln!(out, "    {line}");
        }
    }
    for note in &history.left_out {
        let _ = writeln!(out, "left out: {note}");
    }
    out
}

/// The history in Markdown: a heading per commit, then its diff.
pub fn markdown(history: &History) -> String {
    let mut out = String::from("## What changed\n");
    for c in &history.changes {
        let what = if c.wording_only {
            " (wording only)"
        } else {
            ""
        };
        let _ = writeln!(out, "\n### {}: {}{what}\n", c.date, c.message);
        let body = super::show::markdown(&c.diff, "", "");
        out.push_str(body.split_once("\n\n").map_or("", |(_, rest)| rest));
    }
    for note in &history.left_out {
        let _ = writeln!(out, "\nLeft out: {note}");
    }
    out
}
