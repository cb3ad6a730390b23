//! Statuses against the evidence: a question's `change:` must name a change, and a region's
//! stated status must rest on a claim and not contradict the question that decides it.

use super::{Checker, change_ids};
use crate::derive::evidence::{contradicts, covers, decider, supported};
use crate::diagnostics::suggest;
use crate::model::State;

impl Checker<'_> {
    /// Each question's `change:` is known; each stated status agrees with its deciding verdict.
    pub(super) fn evidence(&mut self) {
        let s = self.site;
        for (i, q) in s.questions.iter().enumerate() {
            if let Some(change) = &q.change
                && s.change(change).is_none()
            {
                self.error(
                    s.questions.loc(i, "change"),
                    format!("unknown change `{change}` on question `{}`", q.id),
                    suggest(change, change_ids(s)),
                );
            }
        }
        for (i, r) in s.regions.iter().enumerate() {
            for (change, status) in &r.status {
                let Some(q) = decider(s, r, change) else {
                    continue;
                };
                if !supported(s, q, r, status.state) {
                    self.warn(
                        s.regions.loc(i, &format!("status/{change}/state")),
                        format!(
                            "no claim on question `{}` supports `{}` for `{change}` in `{}`",
                            q.id,
                            status.state.key(),
                            r.id
                        ),
                        "add the claim that says so (quoted from its source), or mark the status `unclear`",
                    );
                }
                let Some(covered) = covers(s, q, r) else {
                    continue;
                };
                if contradicts(status.state, covered) {
                    let says = if covered { "covers" } else { "does not cover" };
                    self.error(
                        s.regions.loc(i, &format!("status/{change}/state")),
                        format!(
                            "the status of `{change}` in `{}` is `{}`, but the verdict on question `{}` {says} it",
                            r.id,
                            status.state.key(),
                            q.id
                        ),
                        format!(
                            "use `state: {}` (or `unclear`), or change the verdict on `{}`",
                            if covered { State::Applies.key() } else { State::DoesNotApply.key() },
                            q.id
                        ),
                    );
                }
            }
        }
    }
}
