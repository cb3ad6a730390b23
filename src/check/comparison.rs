//! The checks over the comparison (derived by the caller): unresolved conflicts between
//! sources, verdicts no claim supports, and typed confidence levels against the derived ones.

use super::Checker;
use crate::derive::compare;
use crate::derive::compare::VerdictView;
use crate::model::{Basis, Question, Resolution};

impl Checker<'_> {
    /// What the comparison engine found: unresolved conflicts and unsupported verdicts.
    pub(super) fn comparison(&mut self) {
        let s = self.site;
        let (questions, claims) = (&s.questions, &s.claims);
        // A claim on an unknown question or source (reported by `references`) leaves the
        // derived levels meaningless; the cap is checked once the references hold.
        let refs_hold = claims
            .iter()
            .all(|c| questions.get(&c.question).is_some() && s.sources.get(&c.source).is_some());
        for (i, row) in self.comparison.rows.iter().enumerate() {
            let id = &row.question.id;
            if row.conflict && row.verdict.is_none() {
                let (loc, how) = if row.open {
                    (questions.loc(i, "resolution"), "and its resolution is open")
                } else {
                    (questions.loc(i, "id"), "and it has no resolution")
                };
                self.warn(
                    loc,
                    format!("sources disagree on question `{id}` {how}"),
                    "add a `resolution:` with the verdict, its rationale, basis and confidence",
                );
            }
            let Some(verdict) = &row.verdict else {
                continue;
            };
            if refs_hold {
                self.confidence(i, &row.question, verdict);
            }
            let unclassified = row
                .cells
                .iter()
                .flat_map(|c| &c.claims)
                .filter(|v| v.state == compare::Agreement::Unclassified);
            for v in unclassified {
                self.warn(
                    claims.loc(v.index, ""),
                    format!("claim on text question `{id}` has no `stance`"),
                    "add `stance: agrees`, `partly-agrees` or `contradicts` (against the verdict)",
                );
            }
            if !row.supported && verdict.basis != Basis::Editor {
                self.warn(
                    questions.loc(i, "resolution/verdict"),
                    format!("no source's claim agrees with the verdict on `{id}`"),
                    "add the claim that supports it, or say `basis: editor` if it is the editors' own judgement",
                );
            }
        }
    }

    /// A typed `confidence` is a cap: never above the derived level, and below it only with
    /// a `confidence_reason`.
    fn confidence(&mut self, i: usize, q: &Question, view: &VerdictView) {
        let Some(Resolution::Resolved(v)) = &q.resolution else {
            return;
        };
        let questions = &self.site.questions;
        let (id, a) = (&q.id, &view.assessed);
        let (derived, rule) = (a.derived.key(), a.rule.key());
        match v.confidence {
            Some(typed) if typed.rank() > a.derived.rank() => self.error(
                questions.loc(i, "resolution/confidence"),
                format!(
                    "confidence `{}` on `{id}` is higher than the derived `{derived}` (rule `{rule}`: {})",
                    typed.key(),
                    a.reason
                ),
                format!("lower it (with a `confidence_reason:`), or remove it to publish `{derived}`"),
            ),
            Some(typed) if typed.rank() < a.derived.rank() && v.confidence_reason.is_none() => {
                self.error(
                    questions.loc(i, "resolution/confidence"),
                    format!(
                        "confidence `{}` on `{id}` is lower than the derived `{derived}` (rule `{rule}`) but gives no reason",
                        typed.key()
                    ),
                    "add `confidence_reason:` with one line saying why, or remove `confidence`",
                )
            }
            Some(typed) if typed.rank() < a.derived.rank() => {}
            _ if v.confidence_reason.is_some() => self.warn(
                questions.loc(i, "resolution/confidence_reason"),
                format!("`confidence_reason` on `{id}` explains no lowered confidence"),
                format!("remove it, or set `confidence:` below the derived `{derived}`"),
            ),
            _ => {}
        }
    }
}
