//! What ties a guide's statuses to the evidence: the question that decides a change's regions,
//! each status's confidence and whether it is new, disputed or contradicted, and each category's
//! uses qualified by the status of the change they serve. Pure functions of the model.

use serde::Serialize;

use crate::derive::compare::Comparison;
use crate::derive::links::{Kind, link_url};
use crate::derive::regions::ancestors;
use crate::model::{Confidence, Question, Region, Resolution, Site, State, Status, ValueType};

/// The question deciding a status, as a guide links to it.
#[derive(Debug, Clone, Serialize)]
pub struct Decider {
    pub id: String,
    pub text: String,
    pub url: String,
}

/// What the evidence says of one status: its confidence, whether it is new, and why disputed.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The deciding verdict's published level; otherwise by the status's sources (3+ high,
    /// 2 medium, fewer low).
    pub confidence: Confidence,
    /// `new` when `since` is on or after the policy's effective date, `in-place` when before.
    pub novelty: Option<&'static str>,
    /// The question that decides this change's regions for this region.
    pub decided_by: Option<Decider>,
    /// The deciding verdict is open or of low confidence.
    pub disputed: bool,
}

/// The `regions` question that decides which regions `change` covers, if it concerns `region`.
pub fn decider<'s>(site: &'s Site, region: &Region, change: &str) -> Option<&'s Question> {
    let here = regions_of(site, region);
    site.questions.iter().find(|q| {
        q.value_type == ValueType::Regions
            && q.change.as_deref() == Some(change)
            && q.regions.iter().any(|r| here.contains(&r.as_str()))
    })
}

/// The region's id and its groups' ids.
fn regions_of<'s>(site: &'s Site, region: &'s Region) -> Vec<&'s str> {
    std::iter::once(region.id.as_str())
        .chain(ancestors(site, region).into_iter().map(|g| g.id.as_str()))
        .collect()
}

/// Whether `q`'s verdict covers `region` (named, or through a group); `None` while open.
pub fn covers(site: &Site, q: &Question, region: &Region) -> Option<bool> {
    let Some(Resolution::Resolved(v)) = &q.resolution else {
        return None;
    };
    names(site, &v.verdict, region)
}

/// Whether a `regions` value names `region` or one of its groups; `None` if not a list.
pub fn names(site: &Site, value: &serde_yaml::Value, region: &Region) -> Option<bool> {
    let ids: Vec<&str> = (value.as_sequence()?.iter())
        .filter_map(|x| x.as_str())
        .collect();
    Some(regions_of(site, region).iter().any(|r| ids.contains(r)))
}

/// Whether a claim on `q` supports `state` in `region`: `applies` needs a claim naming it (or
/// a group of it), `does-not-apply` one leaving it out; `unclear` asserts nothing.
pub fn supported(site: &Site, q: &Question, region: &Region, state: State) -> bool {
    let mut claims = site.claims.iter().filter(|c| c.question == q.id);
    match state {
        State::Unclear => true,
        State::Applies => claims.any(|c| names(site, &c.value, region) == Some(true)),
        State::DoesNotApply => claims.any(|c| names(site, &c.value, region) == Some(false)),
    }
}

/// Whether `state` contradicts a verdict that does (`true`) or does not cover the region.
pub fn contradicts(state: State, covered: bool) -> bool {
    matches!(
        (state, covered),
        (State::DoesNotApply, true) | (State::Applies, false)
    )
}

/// The evidence for `status` of `change` in `region`.
pub fn evidence(
    site: &Site,
    region: &Region,
    change: &str,
    status: &Status,
    comparison: &Comparison,
) -> Evidence {
    let q = decider(site, region, change);
    let row = q.and_then(|q| comparison.rows.iter().find(|r| r.question.id == q.id));
    let published = row.and_then(|r| r.verdict.as_ref()).map(|v| v.confidence);
    let confidence = match (q, published) {
        (Some(_), Some(c)) => c,
        (Some(_), None) => Confidence::Low,
        (None, _) => by_sources(status.sources.len()),
    };
    Evidence {
        confidence,
        novelty: status.since.map(|s| {
            if s < site.config.policy.effective {
                "in-place"
            } else {
                "new"
            }
        }),
        decided_by: q.map(|q| Decider {
            id: q.id.clone(),
            text: q.text.clone(),
            url: link_url(Kind::Claim, &q.id, None),
        }),
        disputed: q.is_some() && confidence == Confidence::Low,
    }
}

/// A status's confidence from how many sources it cites.
pub fn by_sources(n: usize) -> Confidence {
    match n {
        0 | 1 => Confidence::Low,
        2 => Confidence::Medium,
        _ => Confidence::High,
    }
}

/// One use of a category on a guide: the change, and how sure it is that it applies here.
#[derive(Debug, Clone, Serialize)]
pub struct Use {
    pub change: String,
    pub name: String,
    /// `applies`, `unclear` (no status, or an unclear one) or `disputed`.
    pub qualifier: &'static str,
    /// The question to read when disputed.
    pub question: Option<Decider>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::{compare, guides};

    /// The fixture with question `who` (verdict `[group]`, published `low`) deciding `training`.
    fn decided() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let mut site = crate::load::load(&root).expect("fixture loads");
        let who = &mut site.questions.items[0];
        who.change = Some("training".into());
        if let Some(Resolution::Resolved(v)) = &mut who.resolution {
            v.confidence = Some(Confidence::Low);
            v.confidence_reason = Some("One report.".into());
        }
        site
    }

    #[test]
    fn a_decided_status_takes_the_verdicts_confidence_and_is_disputed_when_low() {
        let site = decided();
        let member = site.regions.get("member").unwrap();
        let g = guides::guide(&site, member, &compare::compare(&site));
        let ev = g.changes[0].evidence.as_ref().expect("a status");
        assert_eq!(ev.confidence, Confidence::Low);
        assert!(ev.disputed);
        assert_eq!(
            ev.novelty,
            Some("new"),
            "since 2026-03-01, on or after the effective date"
        );
        assert_eq!(ev.decided_by.as_ref().map(|q| q.id.as_str()), Some("who"));
        let uses = &g.uses["posts"];
        assert_eq!(
            (uses[0].qualifier, uses[0].question.is_some()),
            ("disputed", true)
        );
        assert!(supported(
            &site,
            &site.questions.items[0],
            member,
            State::Applies
        ));
    }

    #[test]
    fn an_undecided_status_counts_its_sources_and_an_unclear_one_qualifies_its_uses() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let site = crate::load::load(&root).expect("fixture loads");
        let comparison = compare::compare(&site);
        let elsewhere = guides::guide(&site, site.regions.get("elsewhere").unwrap(), &comparison);
        let ev = elsewhere.changes[0].evidence.as_ref().unwrap();
        assert_eq!((ev.confidence, ev.disputed), (Confidence::Low, false));
        assert_eq!(elsewhere.uses["posts"][0].qualifier, "unclear");
        let group = guides::guide(&site, site.regions.get("group").unwrap(), &comparison);
        assert_eq!(group.uses["posts"][0].qualifier, "applies");
    }

    #[test]
    fn confidence_by_sources_and_contradictions() {
        assert_eq!(by_sources(1), Confidence::Low);
        assert_eq!(by_sources(2), Confidence::Medium);
        assert_eq!(by_sources(4), Confidence::High);
        assert!(contradicts(State::Applies, false));
        assert!(contradicts(State::DoesNotApply, true));
        assert!(!contradicts(State::Unclear, true));
        assert!(!contradicts(State::Applies, true));
    }
}
