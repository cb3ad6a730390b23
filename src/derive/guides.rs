//! Region guides, derived from the facts: the status of each change here (inherited from the
//! groups a region is part of), what data is used and never used, and the opt-outs that
//! apply. Pure functions of the model; templates only lay the result out.

use std::collections::HashSet;

use serde::Serialize;

use crate::derive::answers::{Action, action};
use crate::derive::compare;
use crate::derive::evidence::{self, Evidence, Use, evidence};
use crate::derive::links::{Backlink, Backlinks, Kind, link_url, route};
use crate::derive::regions::{ancestors, members};
use crate::model::{
    Category, Change, Confidence, Exclusion, OptOut, Question, Region, Resolution, Site, State,
    Status,
};

/// A country, for lists and the country finder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Country {
    pub name: String,
    pub code: String,
}

/// The ISO name of a country code (the code itself when unknown; `check` reports those).
pub fn country(code: &str) -> Country {
    Country {
        name: rust_iso3166::from_alpha2(code)
            .map_or_else(|| code.to_string(), |c| c.name.to_string()),
        code: code.to_string(),
    }
}

/// A change's status in a region, and the region it was stated for.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeStatus {
    pub change: Change,
    pub status: Option<Status>,
    /// Set when the status comes from a group the region is part of.
    pub inherited_from: Option<Region>,
    /// Its confidence, novelty and deciding question (`derive::evidence`); `None` without a status.
    pub evidence: Option<Evidence>,
    /// What to do about it here (`derive::answers`; set by `guide`).
    pub action: Action,
}

/// Everything a region's guide shows. It owns copies of the entries it shows, so a build
/// holds the guides beside its `Site` (`derive::Derived`).
#[derive(Debug, Clone, Serialize)]
pub struct Guide {
    pub region: Region,
    pub url: String,
    /// The groups it is part of, nearest first.
    pub groups: Vec<Region>,
    /// The regions that are part of it.
    pub members: Vec<Region>,
    /// Its countries and those of its members, by name.
    pub countries: Vec<Country>,
    pub changes: Vec<ChangeStatus>,
    /// Categories used for a change that applies (or may apply) here.
    pub categories: Vec<Category>,
    /// Each shown category's uses here, by category id, qualified by the change's status.
    pub uses: std::collections::BTreeMap<String, Vec<Use>>,
    pub exclusions: Vec<Exclusion>,
    pub optouts: Vec<OptOut>,
    /// The disputed questions that concern this region or its groups.
    pub questions: Vec<Disputed>,
    /// The reports that name this region (`derive::naming`; set by `derive`).
    pub named_by: Vec<crate::derive::naming::Namer>,
}

/// A disputed question as a guide shows it: the site's answer only when it has one.
#[derive(Debug, Clone, Serialize)]
pub struct Disputed {
    pub question: Question,
    pub url: String,
    /// The verdict written for readers; `None` while the question is open.
    pub answer: Option<String>,
    pub confidence: Option<Confidence>,
}

/// The disputed-point view of `q`, with the published confidence of its row in `comparison`.
pub fn disputed(site: &Site, q: &Question, comparison: &compare::Comparison) -> Disputed {
    let verdict = match &q.resolution {
        Some(Resolution::Resolved(v)) => Some(v),
        _ => None,
    };
    let row = comparison.rows.iter().find(|r| r.question.id == q.id);
    Disputed {
        question: q.clone(),
        url: link_url(Kind::Claim, &q.id, None),
        answer: verdict.map(|v| compare::display(site, q.value_type, &v.verdict)),
        confidence: row.and_then(|r| r.verdict.as_ref()).map(|v| v.confidence),
    }
}

/// The status of `change` in `region`: its own, else the nearest group's.
pub fn status(site: &Site, region: &Region, change: &Change) -> ChangeStatus {
    if let Some(s) = region.status.get(&change.id) {
        return ChangeStatus {
            change: change.clone(),
            status: Some(s.clone()),
            inherited_from: None,
            evidence: None,
            action: Action::default(),
        };
    }
    for group in ancestors(site, region) {
        if let Some(s) = group.status.get(&change.id) {
            return ChangeStatus {
                change: change.clone(),
                status: Some(s.clone()),
                inherited_from: Some(group.clone()),
                evidence: None,
                action: Action::default(),
            };
        }
    }
    ChangeStatus {
        change: change.clone(),
        status: None,
        inherited_from: None,
        evidence: None,
        action: Action::default(),
    }
}

/// Derives the guide for `region` (its disputed points from the build's `comparison`).
pub fn guide(site: &Site, region: &Region, comparison: &compare::Comparison) -> Guide {
    super::GUIDES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let groups = ancestors(site, region);
    let mut here: HashSet<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    here.insert(&region.id);
    let members = members(site, region);

    let mut countries: Vec<Country> = std::iter::once(region)
        .chain(members.iter().copied())
        .flat_map(|r| r.countries.iter().map(|c| country(c)))
        .collect();
    countries.sort();
    countries.dedup();

    let changes: Vec<ChangeStatus> = site
        .config
        .changes
        .iter()
        .map(|c| {
            let mut st = status(site, region, c);
            st.evidence =
                (st.status.as_ref()).map(|s| evidence(site, region, &c.id, s, comparison));
            st
        })
        .collect();
    let live: HashSet<&str> = changes
        .iter()
        .filter(|c| {
            c.status
                .as_ref()
                .is_none_or(|s| s.state != State::DoesNotApply)
        })
        .map(|c| c.change.id.as_str())
        .collect();
    let categories: Vec<Category> = site
        .categories
        .iter()
        .filter(|c| c.used_for.iter().any(|u| live.contains(u.as_str())))
        .cloned()
        .collect();
    let uses = (categories.iter())
        .map(|c| (c.id.clone(), uses_of(site, comparison, c, &changes)))
        .collect();
    let exclusions = site
        .exclusions
        .iter()
        .filter(|e| e.applies_to.iter().any(|u| live.contains(u.as_str())))
        .cloned()
        .collect();
    let optouts: Vec<OptOut> = (site.optouts.iter())
        .filter(|o| applies(o, &here))
        .cloned()
        .collect();
    let mut changes = changes;
    for c in &mut changes {
        c.action = action(c.status.as_ref(), &c.change.id, &optouts);
    }
    let questions = site
        .questions
        .iter()
        .filter(|q| q.regions.iter().any(|r| here.contains(r.as_str())))
        .map(|q| disputed(site, q, comparison))
        .collect();
    Guide {
        region: region.clone(),
        url: route(Kind::Region, &region.id),
        groups: groups.into_iter().cloned().collect(),
        members: members.into_iter().cloned().collect(),
        countries,
        changes,
        categories,
        uses,
        exclusions,
        optouts,
        questions,
        named_by: Vec::new(),
    }
}

/// The uses of `category` on a guide with these `changes`: those whose change may apply here,
/// `disputed` (with the question) when the change's status here or the use itself rests on a
/// disputed verdict, else `applies` when the status says so and `unclear` otherwise.
fn uses_of(
    site: &Site,
    comparison: &compare::Comparison,
    category: &Category,
    changes: &[ChangeStatus],
) -> Vec<Use> {
    (category.used_for.iter())
        .filter_map(|u| changes.iter().find(|c| &c.change.id == u))
        .filter(|c| {
            c.status
                .as_ref()
                .is_none_or(|s| s.state != State::DoesNotApply)
        })
        .map(|c| {
            let status_dispute = (c.evidence.as_ref())
                .filter(|e| e.disputed)
                .and_then(|e| e.decided_by.clone());
            let item = evidence::category_item(site, comparison, &category.id, &c.change.id);
            let use_dispute = (item.as_ref())
                .filter(|(_, i)| i.assessed.level == Confidence::Low)
                .map(|(q, _)| q.clone());
            let applies = c.status.as_ref().is_some_and(|s| s.state == State::Applies);
            let question = status_dispute.or(use_dispute);
            Use {
                change: c.change.id.clone(),
                name: c.change.name.clone(),
                qualifier: match (question.is_some(), applies) {
                    (true, _) => "disputed",
                    (false, true) => "applies",
                    (false, false) => "unclear",
                },
                question,
                confidence: item.as_ref().map(|(_, i)| i.assessed.level),
                reason: item.map(|(_, i)| i.assessed.reason),
            }
        })
        .collect()
}

/// Whether an opt-out path applies in a region whose ids (its own and its groups') are `here`.
fn applies(o: &OptOut, here: &HashSet<&str>) -> bool {
    match &o.regions {
        None => true,
        Some(ids) => ids.iter().any(|id| here.contains(id.as_str())),
    }
}

/// Records that each region guide links to the facts and questions it shows.
pub fn backlinks(guides: &[Guide], backlinks: &mut Backlinks) {
    for g in guides {
        let from = Backlink {
            url: g.url.clone(),
            title: g.region.name.clone(),
        };
        let targets = g
            .categories
            .iter()
            .map(|c| route(Kind::Category, &c.id))
            .chain(g.exclusions.iter().map(|e| route(Kind::Exclusion, &e.id)))
            .chain(g.optouts.iter().map(|o| route(Kind::OptOut, &o.id)))
            .chain(
                g.questions
                    .iter()
                    .map(|d| route(Kind::Claim, &d.question.id)),
            );
        for target in targets {
            backlinks.entry(target).or_default().insert(from.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::State;

    fn fixture() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        crate::load::load(&root).expect("fixture loads")
    }

    fn ids<T: crate::model::Entity>(items: &[T]) -> Vec<String> {
        items.iter().map(|i| i.id().to_string()).collect()
    }

    #[test]
    fn a_member_inherits_its_groups_status_and_opt_outs() {
        let site = fixture();
        let member = site.regions.get("member").unwrap();
        let g = guide(&site, member, &compare::compare(&site));
        assert_eq!(ids(&g.groups), ["group"]);
        let training = &g.changes[0];
        assert_eq!(
            training.status.as_ref().map(|s| s.state),
            Some(State::Applies)
        );
        assert_eq!(
            training.inherited_from.as_ref().map(|r| r.id.as_str()),
            Some("group")
        );
        assert_eq!(ids(&g.optouts), ["toggle"]);
        assert_eq!(ids(&g.categories), ["posts"]);
        let names: Vec<&str> = g.countries.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["France", "Germany"]);
        let asked: Vec<&str> = g.questions.iter().map(|d| d.question.id.as_str()).collect();
        assert_eq!(
            asked,
            ["who", "start", "data", "shared"],
            "the group's questions concern its members"
        );
        assert_eq!(g.questions[0].answer.as_deref(), Some("Group of Countries"));
        assert_eq!(g.questions[1].answer.as_deref(), Some("1 March 2026"));
    }

    #[test]
    fn a_group_lists_its_members_countries_and_an_unrelated_region_gets_no_opt_out() {
        let site = fixture();
        let group = guide(
            &site,
            site.regions.get("group").unwrap(),
            &compare::compare(&site),
        );
        assert_eq!(ids(&group.members), ["member"]);
        assert_eq!(group.countries.len(), 2);
        assert!(group.changes[0].inherited_from.is_none());
        assert_eq!(
            group.changes[1].status.as_ref().map(|s| s.state),
            Some(State::DoesNotApply)
        );

        let elsewhere = guide(
            &site,
            site.regions.get("elsewhere").unwrap(),
            &compare::compare(&site),
        );
        assert!(elsewhere.optouts.is_empty());
        assert!(
            elsewhere.changes[1].status.is_none(),
            "no status stated for sharing"
        );
        let asked: Vec<&str> = elsewhere
            .questions
            .iter()
            .map(|d| d.question.id.as_str())
            .collect();
        assert_eq!(asked, ["start"], "only the question naming it");
    }

    #[test]
    fn guides_backlink_the_facts_they_show() {
        let site = fixture();
        let mut links = Backlinks::new();
        let comparison = compare::compare(&site);
        let guides: Vec<Guide> = (site.regions.iter())
            .map(|r| guide(&site, r, &comparison))
            .collect();
        backlinks(&guides, &mut links);
        let from: Vec<&str> = links["/optouts/toggle/"]
            .iter()
            .map(|b| b.url.as_str())
            .collect();
        assert_eq!(from, ["/regions/group/", "/regions/member/"]);
    }
}
