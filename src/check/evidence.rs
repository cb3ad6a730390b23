//! Statuses and data uses against the evidence: a question's `change:` names a change; a
//! region's status rests on a claim and agrees with the verdict that decides it; a category's
//! uses rest on a claim and agree with the verdict on its change's data.

use super::{Checker, change_ids};
use crate::derive::evidence::{
    asserts, category_item, data_question, decider, region_item, stated_novelty, supported,
};
use crate::diagnostics::suggest;
use crate::model::{Decides, Region, Resolution, State, Status, ValueType};

impl Checker<'_> {
    /// Deciding questions are well formed; statuses and uses agree with them.
    pub(super) fn evidence(&mut self) {
        self.deciding_questions();
        for (i, r) in self.site.regions.iter().enumerate() {
            for (change, status) in &r.status {
                self.status(i, r, change, status);
            }
        }
        self.uses();
        self.listed_data();
    }

    /// Each question's `change:` is known, and `decides:` is only on a `regions` question.
    fn deciding_questions(&mut self) {
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
            if q.decides != Decides::Applies && q.value_type != ValueType::Regions {
                self.error(
                    s.questions.loc(i, "decides"),
                    format!(
                        "`decides:` on question `{}`, which is not of type `regions`",
                        q.id
                    ),
                    "remove `decides:`; it says what a `regions` verdict lists",
                );
            }
        }
    }

    /// One stated status: `new:` agrees with `since:`; the status rests on a claim on its
    /// deciding question and agrees with that question's verdict.
    fn status(&mut self, i: usize, r: &Region, change: &str, status: &Status) {
        let s = self.site;
        let at = |field: &str| s.regions.loc(i, &format!("status/{change}/{field}"));
        if let (Some(since), Some(new)) = (status.since, status.new)
            && (since >= s.config.policy.effective) != new
        {
            self.error(
                at("new"),
                format!(
                    "`new: {new}` disagrees with `since: {since}` (the policy takes effect on {})",
                    s.config.policy.effective
                ),
                "remove `new:` (it follows from `since:`), or correct `since:`",
            );
        }
        let Some(q) = decider(s, r, change) else {
            if status.state != State::Unclear {
                self.warn(
                    at("state"),
                    format!(
                        "no question decides where `{change}` applies, so no claim supports `{}` in `{}`",
                        status.state.key(),
                        r.id
                    ),
                    format!(
                        "add a `regions` question with `change: {change}` that lists `{}` in `regions:`, and the claims that answer it; or mark the status `unclear`",
                        r.id
                    ),
                );
            }
            return;
        };
        let Some(asserted) = asserts(q.decides, status.state, stated_novelty(s, status)) else {
            return;
        };
        let says = |named: bool| match (q.decides, named) {
            (Decides::Applies, true) => "applies",
            (Decides::Applies, false) => "does not apply",
            (Decides::New, true) => "is new",
            (Decides::New, false) => "is not new",
        };
        if !supported(s, q, r, asserted) {
            self.warn(
                at("state"),
                format!(
                    "no claim on question `{}` says `{change}` {} in `{}`",
                    q.id,
                    says(asserted),
                    r.id
                ),
                "add the claim that says so (quoted from its source), or mark the status `unclear`",
            );
        }
        if let Some(item) = region_item(s, self.comparison, q, r)
            && item.covered != asserted
        {
            self.error(
                at("state"),
                format!(
                    "the status of `{change}` in `{}` says it {} there, but the verdict on question `{}` says it {} there",
                    r.id,
                    says(asserted),
                    q.id,
                    says(item.covered)
                ),
                format!(
                    "change the status to match the verdict (or mark it `unclear`), or change the verdict on `{}`",
                    q.id
                ),
            );
        }
    }

    /// Each `used_for` entry rests on a claim on its change's data question and agrees with
    /// that question's verdict.
    fn uses(&mut self) {
        let s = self.site;
        for (i, c) in s.categories.iter().enumerate() {
            // An unknown change is `references`' error; nothing more is said of it here.
            let known = c.used_for.iter().enumerate();
            for (j, change) in known.filter(|(_, u)| s.change(u).is_some()) {
                let at = s.categories.loc(i, &format!("used_for/{j}"));
                let Some(q) = data_question(s, change) else {
                    self.warn(
                        at,
                        format!("no claim supports the use of `{}` for `{change}`: no question decides which data `{change}` uses", c.id),
                        format!("add a question with `type: categories` and `change: {change}`, and a claim per report listing the data it names"),
                    );
                    continue;
                };
                let Some((_, item)) = category_item(s, self.comparison, &c.id, change) else {
                    continue;
                };
                if !item.named {
                    self.warn(
                        at.clone(),
                        format!("no claim on question `{}` names `{}`", q.id, c.id),
                        format!("add the claim that names it (quoted from its source), or remove `{change}` from `used_for`"),
                    );
                }
                if !item.covered {
                    self.error(
                        at,
                        format!("`{}` is used for `{change}` here, but the verdict on question `{}` does not list it", c.id, q.id),
                        format!("add `{}` to that verdict, or remove `{change}` from `used_for`", c.id),
                    );
                }
            }
        }
    }

    /// What a data question's verdict lists is used for its change.
    fn listed_data(&mut self) {
        let s = self.site;
        for (i, q) in s.questions.iter().enumerate() {
            let (ValueType::Categories, Some(change), Some(Resolution::Resolved(v))) =
                (q.value_type, &q.change, &q.resolution)
            else {
                continue;
            };
            let listed = v.verdict.as_sequence().into_iter().flatten().enumerate();
            for (j, id) in listed.filter_map(|(j, x)| Some((j, x.as_str()?))) {
                if let Some(c) = s.categories.get(id)
                    && !c.used_for.contains(change)
                    && c.used_for.iter().all(|u| s.change(u).is_some())
                {
                    self.error(
                        s.questions.loc(i, &format!("resolution/verdict/{j}")),
                        format!("the verdict lists `{id}`, but `{id}` is not used for `{change}`"),
                        format!("add `{change}` to the `used_for` of `{id}`, or take it out of the verdict"),
                    );
                }
            }
        }
    }
}
