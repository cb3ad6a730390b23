//! The checks over the comparison (derived by the caller): unresolved conflicts between
//! sources and verdicts no claim supports.

use super::Checker;
use crate::derive::compare;
use crate::model::Basis;

impl Checker<'_> {
    /// What the comparison engine found: unresolved conflicts and unsupported verdicts.
    pub(super) fn comparison(&mut self) {
        let s = self.site;
        let (questions, claims) = (&s.questions, &s.claims);
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
}
