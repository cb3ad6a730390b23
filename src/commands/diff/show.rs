//! The semantic diff for people: as text grouped by kind of fact, like `git diff --stat`
//! (`+` added, `-` removed, `~` changed; a status in one line; wording marked as such), and as
//! Markdown for a pull request comment.

use std::fmt::Write;

use crate::derive::diff::lines::{detail, short};
use crate::derive::diff::{Diff, Entry, Op};

fn sign(op: Op) -> (&'static str, &'static str) {
    match op {
        Op::Added => ("+", "32"),
        Op::Removed => ("-", "31"),
        Op::Changed => ("~", "33"),
    }
}

fn head(e: &Entry) -> String {
    let only = if e.wording_only {
        "  (wording only)"
    } else {
        ""
    };
    format!("{} ({}){only}", e.id, short(Some(&e.name)))
}

/// The last line: how many facts were added, removed and changed.
fn total(d: &Diff) -> String {
    let (added, removed, changed, wording) = d.counts();
    let n = d.entries.len();
    let facts = if n == 1 { "fact" } else { "facts" };
    format!(
        "{n} {facts}: {added} added, {removed} removed, {changed} changed, {wording} changed in wording only"
    )
}

/// The text form, with ANSI colours when `color`.
pub fn text(d: &Diff, from: &str, to: &str, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    if d.is_empty() {
        return format!("no fact changed between {from} and {to}\n");
    }
    let mut out = format!("facts changed from {from} to {to}\n");
    let mut kind = None;
    for e in &d.entries {
        if kind != Some(e.kind) {
            kind = Some(e.kind);
            let _ = writeln!(out, "{}", paint("1", e.kind.plural()));
        }
        let (s, code) = sign(e.op);
        let _ = writeln!(out, "  {} {}", paint(code, s), head(e));
        for line in detail(e) {
            let _ = writeln!(out, "      {line}");
        }
    }
    let _ = writeln!(out, "{}", total(d));
    out
}

/// Markdown, for a CI job to post on a pull request.
pub fn markdown(d: &Diff, from: &str, to: &str) -> String {
    let mut out = format!("### Facts changed from `{from}` to `{to}`\n\n");
    if d.is_empty() {
        out.push_str("No fact changed.\n");
        return out;
    }
    let mut kind = None;
    for e in &d.entries {
        if kind != Some(e.kind) {
            let gap = if kind.is_some() { "\n" } else { "" };
            let _ = writeln!(out, "{gap}**{}**\n", e.kind.plural());
            kind = Some(e.kind);
        }
        let op = match e.op {
            Op::Added => "added",
            Op::Removed => "removed",
            Op::Changed if e.wording_only => "changed in wording only",
            Op::Changed => "changed",
        };
        let _ = writeln!(out, "- {} (`{}`): {op}", md(&short(Some(&e.name))), e.id);
        for line in detail(e) {
            let _ = writeln!(out, "  - {}", md(&line));
        }
    }
    let _ = writeln!(out, "\n{}", total(d));
    out
}

/// `s` with Markdown's inline markup characters escaped.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_what_the_content_wrote() {
        assert_eq!(
            md("steps.desktop[2]: **Data**"),
            "steps.desktop\\[2\\]: \\*\\*Data\\*\\*"
        );
    }
}
