//! `explainer diff [REV] [REV]`: the semantic diff (`derive::diff`) of the facts in the work
//! tree against a git revision (default `HEAD`), or between two revisions, printed as text
//! (`show::text`), Markdown (`show::markdown`) or JSON.

pub mod log;
mod show;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use crate::derive::diff::{Diff, diff};
use crate::diagnostics::Diagnostics;
use crate::diagnostics::report::eprint;
use crate::load;
use crate::model::Site;

/// How `diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

/// The JSON document: the two sides, the counts, and every entry.
#[derive(Serialize)]
struct Document<'d> {
    from: &'d str,
    to: &'d str,
    added: usize,
    removed: usize,
    changed: usize,
    wording_only: usize,
    entries: &'d [crate::derive::diff::Entry],
}

/// The work tree's site, as `build` publishes it (drafts left out).
fn work_tree(root: &Path) -> Result<Site, Diagnostics> {
    let mut site = load::load(root)?;
    site.strip_drafts();
    Ok(site)
}

/// Prints the diff between the revisions `revs` (none: `HEAD` against the work tree; one: it
/// against the work tree; two: the first against the second).
pub fn run(root: &Path, revs: &[String], format: Format) -> ExitCode {
    let from = revs.first().map_or("HEAD", String::as_str);
    let to = revs.get(1).map_or("working tree", String::as_str);
    let before = match load::git::load_at(root, from) {
        Ok(site) => site,
        Err(d) => return super::fail(root, d),
    };
    let after = match revs.get(1) {
        Some(rev) => match load::git::load_at(root, rev) {
            Ok(site) => site,
            Err(d) => return super::fail(root, d),
        },
        None => match work_tree(root) {
            Ok(site) => site,
            Err(diags) => {
                eprint(root, &diags);
                eprintln!("diff failed: the facts in the working tree do not load");
                return ExitCode::FAILURE;
            }
        },
    };
    let d = diff(&before, &after);
    print!("{}", render(&d, from, to, format));
    ExitCode::SUCCESS
}

/// Prints the history of the facts (`log::history`), at most `max` commits.
pub fn run_log(root: &Path, max: usize, format: Format) -> ExitCode {
    let history = match log::history(root, max) {
        Ok(h) => h,
        Err(d) => return super::fail(root, d),
    };
    let out = match format {
        Format::Text => log::text(&history, color()),
        Format::Markdown => log::markdown(&history),
        Format::Json => serde_json::to_string_pretty(&history).unwrap_or_default() + "\n",
    };
    print!("{out}");
    ExitCode::SUCCESS
}

/// Whether to colour text: on a terminal, unless `NO_COLOR` is set.
fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The diff as `format` says; text is coloured only on a terminal without `NO_COLOR`.
pub fn render(d: &Diff, from: &str, to: &str, format: Format) -> String {
    match format {
        Format::Text => show::text(d, from, to, color()),
        Format::Markdown => show::markdown(d, from, to),
        Format::Json => {
            let (added, removed, changed, wording_only) = d.counts();
            let doc = Document {
                from,
                to,
                added,
                removed,
                changed,
                wording_only,
                entries: &d.entries,
            };
            let json = serde_json::to_string_pretty(&doc).unwrap_or_default();
            format!("{json}\n")
        }
    }
}
