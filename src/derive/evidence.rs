//! What ties a guide's statuses and data uses to the evidence: the question that decides a
//! change's regions (or its data), how firmly its verdict decides this region (or category),
//! and whether a status is new, disputed or contradicted. Pure functions of the model.

use serde::Serialize;

use crate::derive::compare::Comparison;
use crate::derive::compare::items::{Item, item};
use crate::derive::links::{Kind, link_url};
use crate::derive::regions::ancestors;
use crate::model::{Confidence, Decides, Question, Region, Site, State, Status, ValueType};

/// The question deciding a status or a use, as a guide links to it.
#[derive(Debug, Clone, Serialize)]
pub struct Decider {
    pub id: String,
    pub text: String,
    pub url: String,
}

impl Decider {
    fn of(q: &Question) -> Decider {
        Decider {
            id: q.id.clone(),
            text: q.text.clone(),
            url: link_url(Kind::Claim, &q.id, None),
        }
    }
}

/// What the evidence says of one status: its confidence, whether it is new, and why disputed.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// How firmly the deciding verdict decides this region (`compare::items`); without one,
    /// by the status's sources (3+ high, 2 medium, fewer low).
    pub confidence: Confidence,
    /// Why it has that level, in a sentence.
    pub reason: String,
    /// `new` or `in-place`: from `since` against the policy's effective date, else `new:`,
    /// else from a verdict that lists where the change is new.
    pub novelty: Option<&'static str>,
    /// The question that decides this change's regions for this region.
    pub decided_by: Option<Decider>,
    /// The deciding question is open, or decides this region with low confidence.
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

/// Whether a `regions` value names `region` or one of its groups; `None` if not a list.
pub fn names(site: &Site, value: &serde_yaml::Value, region: &Region) -> Option<bool> {
    let ids: Vec<&str> = (value.as_sequence()?.iter())
        .filter_map(|x| x.as_str())
        .collect();
    Some(regions_of(site, region).iter().any(|r| ids.contains(r)))
}

/// How the verdict on `q` decides `region`; `None` while it is open.
pub fn region_item(
    site: &Site,
    comparison: &Comparison,
    q: &Question,
    region: &Region,
) -> Option<Item> {
    let row = comparison.rows.iter().find(|r| r.question.id == q.id)?;
    item(row, &comparison.sources, |v| {
        names(site, v, region) == Some(true)
    })
}

/// What a status says about its deciding verdict's list: that the region is in it (`true`),
/// out of it (`false`), or nothing (`unclear`, or applying without saying whether it is new
/// when the list is of where the change is new).
pub fn asserts(decides: Decides, state: State, novelty: Option<&str>) -> Option<bool> {
    match (decides, state) {
        (_, State::Unclear) => None,
        (_, State::DoesNotApply) => Some(false),
        (Decides::Applies, State::Applies) => Some(true),
        (Decides::New, State::Applies) => novelty.map(|n| n == "new"),
    }
}

/// Whether a claim on `q` says what the status asserts of `region` (`asserted`: named or not).
pub fn supported(site: &Site, q: &Question, region: &Region, asserted: bool) -> bool {
    (site.claims.iter())
        .filter(|c| c.question == q.id)
        .any(|c| names(site, &c.value, region) == Some(asserted))
}

/// `new` or `in-place`, as the status itself says: by `since`, else by `new:`.
pub fn stated_novelty(site: &Site, status: &Status) -> Option<&'static str> {
    let word = |new: bool| if new { "new" } else { "in-place" };
    (status.since.map(|s| s >= site.config.policy.effective))
        .or(status.new)
        .map(word)
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
    let item = q.and_then(|q| region_item(site, comparison, q, region));
    let mut novelty = stated_novelty(site, status);
    if let (Some(q), Some(i), None) = (q, &item, novelty)
        && q.decides == Decides::New
        && status.state == State::Applies
    {
        novelty = Some(if i.covered { "new" } else { "in-place" });
    }
    let (confidence, reason) = match (q, &item) {
        // A list of where the change is new decides only that it is not new here; that it
        // applies already rests on the status's own sources, which may lower the level.
        (Some(q), Some(i))
            if q.decides == Decides::New && !i.covered && status.state == State::Applies =>
        {
            let (cited, _) = by_sources(status.sources.len());
            let level = if cited.rank() < i.assessed.level.rank() {
                cited
            } else {
                i.assessed.level
            };
            let n = status.sources.len();
            let why = format!(
                "{} That it applied here already rests on the {n} source{} cited for it.",
                i.assessed.reason,
                if n == 1 { "" } else { "s" }
            );
            (level, why)
        }
        (Some(_), Some(i)) => (i.assessed.level, i.assessed.reason.clone()),
        (Some(_), None) => (
            Confidence::Low,
            "The question that decides this is still open.".to_string(),
        ),
        (None, _) => by_sources(status.sources.len()),
    };
    Evidence {
        confidence,
        reason,
        novelty,
        decided_by: q.map(Decider::of),
        disputed: q.is_some() && confidence == Confidence::Low,
    }
}

/// A status's confidence from how many sources it cites, with the sentence saying so.
pub fn by_sources(n: usize) -> (Confidence, String) {
    let level = match n {
        0 | 1 => Confidence::Low,
        2 => Confidence::Medium,
        _ => Confidence::High,
    };
    let why = match n {
        0 => "No question decides this, and no source is cited.".to_string(),
        1 => "No question decides this; one source is cited.".to_string(),
        n => format!("No question decides this; {n} sources are cited."),
    };
    (level, why)
}

/// The `categories` question that decides which data `change` uses.
pub fn data_question<'s>(site: &'s Site, change: &str) -> Option<&'s Question> {
    site.questions
        .iter()
        .find(|q| q.value_type == ValueType::Categories && q.change.as_deref() == Some(change))
}

/// How the verdict on `change`'s data question decides `category`; `None` without a
/// question or while it is open.
pub fn category_item(
    site: &Site,
    comparison: &Comparison,
    category: &str,
    change: &str,
) -> Option<(Decider, Item)> {
    let q = data_question(site, change)?;
    let row = comparison.rows.iter().find(|r| r.question.id == q.id)?;
    let names = |v: &serde_yaml::Value| {
        (v.as_sequence()).is_some_and(|ids| ids.iter().any(|x| x.as_str() == Some(category)))
    };
    Some((Decider::of(q), item(row, &comparison.sources, names)?))
}

/// One use of a category on a guide: the change, and how sure it is that it applies here.
#[derive(Debug, Clone, Serialize)]
pub struct Use {
    pub change: String,
    pub name: String,
    /// `applies`, `unclear` (no status, or an unclear one) or `disputed` (the change's status
    /// here, or the use itself, rests on a low-confidence or open verdict).
    pub qualifier: &'static str,
    /// The question to read when disputed.
    pub question: Option<Decider>,
    /// How firmly the change's data question decides this use (`None` without one).
    pub confidence: Option<Confidence>,
    /// Why, in a sentence.
    pub reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::{compare, guides};
    use crate::model::Resolution;

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
        assert!(supported(&site, &site.questions.items[0], member, true));
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
    fn already_in_place_under_a_list_of_where_it_is_new_rests_on_the_cited_sources() {
        let mut site = decided();
        let who = &mut site.questions.items[0];
        who.decides = Decides::New;
        who.regions.push("elsewhere".into());
        if let Some(Resolution::Resolved(v)) = &mut who.resolution {
            (v.confidence, v.confidence_reason) = (None, None);
        }
        // Both sources leave `elsewhere` out of the list: it is not new there, unanimously.
        site.claims.items[1].value = serde_yaml::from_str("[group]").unwrap();
        let elsewhere = site.regions.get("elsewhere").unwrap().clone();
        let mut status = elsewhere.status["training"].clone();
        (status.state, status.new) = (State::Applies, Some(false));
        let ev = evidence(
            &site,
            &elsewhere,
            "training",
            &status,
            &compare::compare(&site),
        );
        assert_eq!(ev.novelty, Some("in-place"));
        assert_eq!(ev.confidence, Confidence::Low, "{}", ev.reason);
        assert!(
            ev.reason.ends_with("rests on the 1 source cited for it."),
            "{}",
            ev.reason
        );
    }

    #[test]
    fn confidence_by_sources_and_what_a_status_asserts() {
        assert_eq!(by_sources(1).0, Confidence::Low);
        assert_eq!(by_sources(2).0, Confidence::Medium);
        assert_eq!(by_sources(4).0, Confidence::High);
        assert_eq!(asserts(Decides::Applies, State::Applies, None), Some(true));
        assert_eq!(
            asserts(Decides::Applies, State::DoesNotApply, None),
            Some(false)
        );
        assert_eq!(asserts(Decides::Applies, State::Unclear, Some("new")), None);
        assert_eq!(
            asserts(Decides::New, State::Applies, Some("new")),
            Some(true)
        );
        assert_eq!(
            asserts(Decides::New, State::Applies, Some("in-place")),
            Some(false)
        );
        assert_eq!(asserts(Decides::New, State::Applies, None), None);
        assert_eq!(
            asserts(Decides::New, State::DoesNotApply, None),
            Some(false)
        );
    }
}
