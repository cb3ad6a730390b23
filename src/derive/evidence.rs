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
    let ids: Vec<&str> = v
        .verdict
        .as_sequence()?
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    Some(regions_of(site, region).iter().any(|r| ids.contains(r)))
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
