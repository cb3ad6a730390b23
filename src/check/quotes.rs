//! The quote check: every claim's quote must occur in the archived text of its source, with
//! whitespace and quote marks normalized, so a misquote is caught at the claim's file:line.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;

pub use crate::derive::passages::normalize;

/// Checks every claim's quote against its source's archived text in `archives` (read from
/// `dir` by `load::archives`).
pub fn check(site: &Site, dir: &Path, archives: &BTreeMap<String, String>) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let texts: BTreeMap<&str, String> = archives
        .iter()
        .map(|(id, text)| (id.as_str(), normalize(text)))
        .collect();
    for (i, claim) in site.claims.iter().enumerate() {
        let Some(source) = site.sources.get(&claim.source) else {
            continue; // `check` reports the unknown source.
        };
        let name = source.archive_file();
        match texts.get(source.id.as_str()) {
            None => diags.push(
                Diagnostic::error(
                    Some(site.claims.loc(i, "source")),
                    format!(
                        "no archived text for source `{}`: {} is missing or unreadable",
                        source.id,
                        dir.join(&name).display()
                    ),
                )
                .with_help(
                    "save the source's text there, or set the source's `archive:` to its file name",
                ),
            ),
            Some(text) => {
                let quote = normalize(&claim.quote);
                if !text.contains(&quote) {
                    let found = longest_prefix(text, &quote);
                    let help = if found.len() >= 12 {
                        let next: String = text[text.find(found).map_or(0, |p| p + found.len())..]
                            .chars()
                            .take(40)
                            .collect();
                        format!("the archive matches up to “{found}”, then reads “{next}…”")
                    } else {
                        "copy the words exactly as the source has them".to_string()
                    };
                    diags.push(
                        Diagnostic::error(
                            Some(site.claims.loc(i, "quote")),
                            format!(
                                "quote not found in the archived text of `{}` ({name})",
                                source.id
                            ),
                        )
                        .with_help(help),
                    );
                }
            }
        }
    }
    diags.sort();
    diags
}

/// The longest start of `quote` that occurs in `text` (on a char boundary).
fn longest_prefix<'q>(text: &str, quote: &'q str) -> &'q str {
    let ends: Vec<usize> = quote
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    let (mut lo, mut hi) = (0usize, ends.len());
    // Occurrence of a prefix is monotone in its length: binary search.
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text.contains(&quote[..ends[mid - 1]]) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 { "" } else { &quote[..ends[lo - 1]] }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_whitespace_and_quote_marks() {
        assert_eq!(
            normalize("  “Data  for\n AI”  isn’t "),
            "\"Data for AI\" isn't"
        );
    }

    #[test]
    fn finds_the_longest_matching_start() {
        assert_eq!(
            longest_prefix("the quick brown fox", "the quick red fox"),
            "the quick "
        );
        assert_eq!(longest_prefix("abc", "xyz"), "");
        assert_eq!(longest_prefix("naïve café", "naïve cafe"), "naïve caf");
    }
}
