//! Who each change affects, generated from the derived guides' statuses: for every change, the
//! regions where it is new, already in place, applies from a date not given, unclear, or does
//! not apply. The home page shows
//! it, so the summary and the guides cannot disagree.

use serde::Serialize;

use crate::derive::guides::{ChangeStatus, Guide};
use crate::model::{Change, State};

/// A region in a group: its name, its guide and whether its status there is disputed.
#[derive(Debug, Clone, Serialize)]
pub struct Affected {
    pub id: String,
    pub name: String,
    pub url: String,
    pub disputed: bool,
    /// The deciding question's address when disputed.
    pub question: Option<String>,
}

/// The regions sharing one answer for a change, and whether any of them is disputed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Group {
    pub regions: Vec<Affected>,
    pub disputed: bool,
}

/// Who one change affects, region by region, in region order within each group.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub change: Change,
    /// Applies, new with the policy (`derive::evidence`'s novelty).
    pub new: Group,
    /// Applies, already in place before the policy.
    pub in_place: Group,
    /// Applies, with nothing saying whether it is new: neither can be said.
    pub applies: Group,
    /// An unclear status, or none.
    pub unclear: Group,
    pub not_applies: Group,
}

/// Each change's summary from the build's `guides` (statuses as the guides derive them,
/// inherited ones included, novelty as their evidence marks it).
pub fn summaries(changes: &[Change], guides: &[Guide]) -> Vec<Summary> {
    changes
        .iter()
        .map(|change| {
            let mut s = Summary {
                change: change.clone(),
                new: Group::default(),
                in_place: Group::default(),
                applies: Group::default(),
                unclear: Group::default(),
                not_applies: Group::default(),
            };
            for g in guides {
                let Some(cs) = g.changes.iter().find(|c| c.change.id == change.id) else {
                    continue;
                };
                let group = match answer(cs) {
                    Answer::New => &mut s.new,
                    Answer::InPlace => &mut s.in_place,
                    Answer::Applies => &mut s.applies,
                    Answer::Unclear => &mut s.unclear,
                    Answer::NotApplies => &mut s.not_applies,
                };
                let ev = cs.evidence.as_ref().filter(|e| e.disputed);
                let disputed = ev.is_some();
                group.disputed |= disputed;
                group.regions.push(Affected {
                    id: g.region.id.clone(),
                    name: g.region.name.clone(),
                    url: g.url.clone(),
                    disputed,
                    question: ev
                        .and_then(|e| e.decided_by.as_ref())
                        .map(|q| q.url.clone()),
                });
            }
            s
        })
        .collect()
}

/// The answers to "does this change affect me here".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    New,
    InPlace,
    /// It applies, but the facts give no start date: saying "new" or "already in place"
    /// would be firmer than the evidence.
    Applies,
    Unclear,
    NotApplies,
}

/// The answer a derived status gives: new or already in place as `derive::evidence` marks it
/// (from `since`, `new:`, or a verdict listing where the change is new); without either,
/// only that it applies.
pub fn answer(cs: &ChangeStatus) -> Answer {
    let novelty = cs.evidence.as_ref().and_then(|e| e.novelty);
    match cs.status.as_ref() {
        None => Answer::Unclear,
        Some(s) => match (s.state, novelty) {
            (State::Unclear, _) => Answer::Unclear,
            (State::DoesNotApply, _) => Answer::NotApplies,
            (State::Applies, Some("new")) => Answer::New,
            (State::Applies, Some(_)) => Answer::InPlace,
            (State::Applies, None) => Answer::Applies,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::derive;
    use crate::model::Site;

    fn fixture() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        crate::load::load(&root).expect("fixture loads")
    }

    fn ids(g: &Group) -> Vec<&str> {
        g.regions.iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn regions_are_grouped_by_their_derived_status_inherited_ones_included() {
        let site = fixture();
        let d = derive(&site);
        let training = &d.summaries[0];
        assert_eq!(training.change.id, "training");
        assert_eq!(ids(&training.new), ["group", "member"], "member inherits");
        assert!(training.in_place.regions.is_empty());
        assert_eq!(ids(&training.unclear), ["elsewhere"]);
        assert_eq!(training.new.regions[1].url, "/regions/member/");
        let sharing = &d.summaries[1];
        assert_eq!(ids(&sharing.not_applies), ["group", "member"]);
        assert_eq!(ids(&sharing.unclear), ["elsewhere"], "no status is unclear");
        assert!(!sharing.unclear.disputed);
    }

    #[test]
    fn an_earlier_since_is_already_in_place_a_missing_one_only_applies_and_disputes_mark_the_group()
    {
        let mut site = fixture();
        let group = site.regions.items.iter_mut().find(|r| r.id == "group");
        let st = group.unwrap().status.get_mut("training").unwrap();
        st.since = Some("2020-01-01".parse().unwrap());
        let d = derive(&site);
        assert_eq!(ids(&d.summaries[0].in_place), ["group", "member"]);
        let mut site = fixture();
        let group = site.regions.items.iter_mut().find(|r| r.id == "group");
        group.unwrap().status.get_mut("training").unwrap().since = None;
        let mut d = derive(&site);
        assert!(
            d.summaries[0].in_place.regions.is_empty(),
            "no since: not said"
        );
        assert_eq!(ids(&d.summaries[0].applies), ["group", "member"]);
        d.guides[1].changes[0].evidence.as_mut().unwrap().disputed = true;
        let again = summaries(&site.config.changes, &d.guides);
        assert!(again[0].applies.disputed && again[0].applies.regions[1].disputed);
        assert!(!again[0].applies.regions[0].disputed);
    }
}
