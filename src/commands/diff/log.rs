//! `explainer diff --log`: the history of the facts, newest first: each commit of the
//! first-parent line from HEAD whose `content/` tree differs from its parent's, dated, with
//! its message as the editor's note and its semantic diff (a wording-only commit listed as
//! such). The walk is `pipeline::history::log` (each commit's diff remembered by commit id in
//! `.explainer-cache/history`); this prints it.

use std::fmt::Write;

pub use crate::derive::history::Log as History;
pub use crate::pipeline::history::log as history;

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
