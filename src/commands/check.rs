//! `explainer check`: runs the pipeline (and, when asked, the quote check against archived
//! sources), reports every problem through `report::eprint`, and writes nothing.

use std::path::Path;
use std::process::ExitCode;

use crate::check::{coverage, quotes};
use crate::diagnostics::report::{counts, eprint};
use crate::load;
use crate::pipeline;

/// Checks the site at `root`; `strict` fails on warnings too; `archive` is the folder of the
/// sources' archived texts, for the quote check; `coverage` also checks which of their passages
/// no claim quotes; `drafts` checks drafts too, as `serve` shows them.
pub fn run(
    root: &Path,
    strict: bool,
    archive: Option<&Path>,
    coverage: bool,
    drafts: bool,
) -> ExitCode {
    let options = pipeline::Options {
        drafts,
        ..Default::default()
    };
    let diags = match pipeline::build_with(root, &options) {
        Ok(b) => {
            let mut diags = b.warnings;
            if let Some(dir) = archive {
                // Read once, with the limits of every site file, for both checks.
                let archives = load::archives(&b.site, dir);
                diags.extend(quotes::check(&b.site, dir, &archives));
                if coverage {
                    diags.extend(coverage::check(&b.site, dir, &archives));
                }
                diags.sort();
            }
            diags
        }
        Err(diags) => diags,
    };

    eprint(root, &diags);
    let failed = diags.has_errors() || (strict && !diags.is_empty());
    let verdict = if failed { "failed" } else { "ok" };
    let strict_note = if strict && !diags.has_errors() && !diags.is_empty() {
        " (--strict: warnings fail)"
    } else {
        ""
    };
    eprintln!("check {verdict}: {}{strict_note}", counts(&diags));
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
