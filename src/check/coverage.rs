//! `check --coverage`: each archived passage that mentions a known name must be quoted by a
//! claim of its source or dismissed in the source's YAML with a reason.

use std::collections::BTreeMap;
use std::path::Path;

use crate::derive::naming::{excerpts, regions_named};
use crate::derive::passages::{Name, covers, known_names, mentions, normalize, passages};
use crate::diagnostics::{Diagnostic, Diagnostics, Loc};
use crate::model::Site;

/// Checks every source whose archived text is in `archives` (read from `dir` by
/// `load::archives`; a missing one is the quote check's concern) and every dismissal.
pub fn check(site: &Site, dir: &Path, archives: &BTreeMap<String, String>) -> Diagnostics {
    let names = known_names(site);
    let mut diags = Diagnostics::default();
    for (i, source) in site.sources.iter().enumerate() {
        let file = dir.join(source.archive_file());
        let Some(text) = archives.get(&source.id) else {
            continue;
        };
        let quotes: Vec<String> = site
            .claims
            .iter()
            .filter(|c| c.source == source.id)
            .map(|c| normalize(&c.quote))
            .collect();
        // Shown as the user would type it: inside the site, relative to its root.
        let shown = file.strip_prefix(&site.root).unwrap_or(&file);
        one_source(site, i, shown, text, &names, &quotes, &mut diags);
    }
    diags.sort();
    diags
}

/// The coverage of source `i`, whose archive `file` reads `text`.
fn one_source(
    site: &Site,
    i: usize,
    file: &Path,
    text: &str,
    names: &[Name],
    quotes: &[String],
    diags: &mut Diagnostics,
) {
    let source = &site.sources.items[i];
    let dismissals: Vec<String> = source
        .dismissed
        .iter()
        .map(|d| normalize(&d.passage))
        .collect();
    for p in passages(text) {
        let passage = normalize(&text[p.start..p.end]);
        let found = mentions(&passage, names);
        if found.is_empty() || quotes.iter().any(|q| covers(&passage, q)) {
            continue;
        }
        if dismissals
            .iter()
            .any(|d| !d.is_empty() && passage.contains(d.as_str()))
        {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                Some(Loc::new(file, p.line, p.col)),
                format!(
                    "passage of `{}` mentions {} but no claim quotes it",
                    source.id,
                    found.join(", ")
                ),
            )
            .with_help(format!(
                "cite it with a claim of source `{}`, or dismiss it in its YAML: \
                 `dismissed: [{{passage: \"an exact excerpt\", reason: \"why no claim\"}}]`",
                source.id
            )),
        );
    }
    dismissal_errors(site, i, text, &dismissals, diags);
    named_in_excerpts(site, i, file, text, names, diags);
}

/// Each region the archive names must be named by one of the source's quotes or dismissed
/// excerpts too: guides list the reports that name a region from those when the build has no
/// archive (`derive::naming`), and must give the same answer.
fn named_in_excerpts(
    site: &Site,
    i: usize,
    file: &Path,
    text: &str,
    names: &[Name],
    diags: &mut Diagnostics,
) {
    let source = &site.sources.items[i];
    let excerpts = regions_named(&excerpts(site, source), names);
    let mut missing = regions_named(&[text], names);
    missing.retain(|r| !excerpts.contains(r));
    for region in missing {
        let first = passages(text).into_iter().find(|p| {
            let one = [&text[p.start..p.end]];
            regions_named(&one, names).contains(&region)
        });
        let loc = first.map(|p| Loc::new(file, p.line, p.col));
        diags.push(
            Diagnostic::warning(
                loc,
                format!(
                    "the archive of `{}` names region `{region}`, but none of its quotes or dismissed excerpts does",
                    source.id
                ),
            )
            .with_help(
                "quote or dismiss an excerpt that includes the name, so that guides built without the archive still list this report for the region",
            ),
        );
    }
}

/// A dismissal needs a reason and an excerpt that still occurs in the archive.
fn dismissal_errors(
    site: &Site,
    i: usize,
    text: &str,
    dismissals: &[String],
    diags: &mut Diagnostics,
) {
    let source = &site.sources.items[i];
    let whole = normalize(text);
    for (j, d) in source.dismissed.iter().enumerate() {
        if d.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            diags.push(
                Diagnostic::error(
                    Some(site.sources.loc(i, &format!("dismissed/{j}"))),
                    format!("dismissal of a passage of `{}` gives no reason", source.id),
                )
                .with_help("add `reason:` with one line on why no claim cites it"),
            );
        }
        if dismissals[j].is_empty() || !whole.contains(&dismissals[j]) {
            diags.push(
                Diagnostic::error(
                    Some(site.sources.loc(i, &format!("dismissed/{j}/passage"))),
                    format!(
                        "dismissed passage not found in the archived text of `{}`",
                        source.id
                    ),
                )
                .with_help("copy an excerpt of the passage exactly as the archive has it"),
            );
        }
    }
}
