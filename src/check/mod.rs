//! Checks that a loaded site hangs together (`ids`, `references`, `values`, `comparison`; this
//! file runs them and holds their shared helpers) and that statements carry sources. Pure:
//! reads the model, returns diagnostics.

mod comparison;
pub mod coverage;
pub mod drafts;
mod evidence;
mod ids;
pub mod quotes;
mod references;
mod values;

use crate::derive::compare::Comparison;
use crate::diagnostics::{Diagnostic, Diagnostics, Loc, suggest};
use crate::load::yaml::Spans;
use crate::model::Site;

/// Every check, in a stable order, over the site and its comparison (derived once, by the
/// caller: `compare::compare(site)`).
pub fn check(site: &Site, comparison: &Comparison) -> Diagnostics {
    let mut c = Checker {
        site,
        comparison,
        diags: Diagnostics::default(),
    };
    c.config();
    c.ids();
    c.regions();
    c.facts();
    c.claims();
    c.evidence();
    c.articles();
    c.diags.sort();
    c.diags
}

struct Checker<'a> {
    site: &'a Site,
    comparison: &'a Comparison,
    diags: Diagnostics,
}

impl<'a> Checker<'a> {
    fn error(&mut self, loc: Loc, message: String, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(Some(loc), message).with_help(help));
    }

    fn warn(&mut self, loc: Loc, message: String, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(Some(loc), message).with_help(help));
    }

    /// Each of `ids` (at `field/j` of `spans`) must be one of `known`.
    fn refs<'k>(
        &mut self,
        spans: &Spans,
        field: &str,
        ids: &[String],
        noun: &str,
        known: impl Iterator<Item = &'k str> + Clone,
    ) {
        for (j, id) in ids.iter().enumerate() {
            self.one_ref(spans, &format!("{field}/{j}"), id, noun, known.clone());
        }
    }

    /// `id` (at `field` of `spans`) must be one of `known`.
    fn one_ref<'k>(
        &mut self,
        spans: &Spans,
        field: &str,
        id: &str,
        noun: &str,
        known: impl Iterator<Item = &'k str> + Clone,
    ) {
        if self.site.is_draft(noun, id) {
            self.error(
                spans.at(field),
                format!("`{id}` is a draft {noun}: a published page cannot refer to it"),
                "publish it (remove `draft: true`) or remove the link",
            );
        } else if !known.clone().any(|k| k == id) {
            self.error(
                spans.at(field),
                format!("unknown {noun} `{id}`"),
                suggest(id, known),
            );
        }
    }

    fn sources(&mut self, spans: &Spans, field: &str, ids: &[String]) {
        let known = self.site.sources.known_ids();
        self.refs(spans, field, ids, "source", known);
    }

    fn unsourced(&mut self, loc: Loc, noun: &str, id: &str, sources: &[String]) {
        if sources.is_empty() {
            self.warn(
                loc,
                format!("{noun} `{id}` cites no source"),
                "add `sources:` with the ids of the reports that state it",
            );
        }
    }
}

/// The ids of the policy's changes.
fn change_ids(site: &Site) -> impl Iterator<Item = &str> + Clone {
    site.config.changes.iter().map(|c| c.id.as_str())
}

#[cfg(test)]
mod tests {
    use crate::model::is_valid_id;

    #[test]
    fn ids_are_lowercase_words() {
        assert!(is_valid_id("rest-of-world"));
        assert!(is_valid_id("eu"));
        assert!(!is_valid_id("EU"));
        assert!(!is_valid_id("-eu"));
        assert!(!is_valid_id("e u"));
        assert!(!is_valid_id(""));
    }
}
