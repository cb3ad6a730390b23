//! The site's history, from the commits that changed its facts (`Log`, each with its semantic
//! diff, made by `pipeline::history`): the "What changed" list, each fact page's dated
//! changes, and each region guide's last change in fact. Pure: only the log and the site.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::derive::Derived;
use crate::derive::diff::lines::detail;
use crate::derive::diff::{Diff, Entry, Kind as FactKind, Op};
use crate::derive::links::{Kind, route};
use crate::model::Site;

/// One commit that changed the content, and what it changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Change {
    pub commit: String,
    /// Its commit date (UTC), `YYYY-MM-DD`.
    pub date: String,
    /// The first line of its message.
    pub message: String,
    /// The diff against its parent (for the first commit with facts: all added).
    pub diff: Diff,
    pub wording_only: bool,
}

/// The commits that changed the content, newest first, and what the walk left out (a shallow
/// clone's cut, a revision whose facts do not load).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Log {
    pub changes: Vec<Change>,
    pub left_out: Vec<String>,
}

/// One fact a commit changed, as the site shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FactChange {
    /// What it is: `Region`, `Opt-out`, `Claim`, …
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    /// Its page, when it has one and still exists.
    pub url: Option<String>,
    pub op: Op,
    pub wording_only: bool,
    /// Its status lines and changed fields (`derive::diff::lines`).
    pub lines: Vec<String>,
    /// The pages whose history lists it.
    #[serde(skip)]
    pub pages: Vec<String>,
}

/// One commit as the site shows it: on the "What changed" page, or on a fact page with only
/// the facts that page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Commit {
    pub id: String,
    /// Its anchor on the "What changed" page (`c-` and the short id).
    pub anchor: String,
    pub date: String,
    pub message: String,
    pub wording_only: bool,
    pub facts: Vec<FactChange>,
}

/// The history as the site shows it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct History {
    /// Whether the history was read (the site is in a git repository with its history).
    pub on: bool,
    /// Every commit that changed the content, newest first.
    pub commits: Vec<Commit>,
    /// The dated changes each fact page lists, by route, newest first.
    pub pages: BTreeMap<String, Vec<Commit>>,
    /// The day of the last change in fact (not only in wording) to what each region's guide
    /// shows, by region id.
    pub changed: BTreeMap<String, String>,
}

/// The short form of a commit id.
pub fn short(id: &str) -> &str {
    &id[..id.len().min(10)]
}

/// How the site names a kind of fact.
fn label(kind: FactKind) -> &'static str {
    match kind {
        FactKind::Site => "Site",
        FactKind::Change => "Change",
        FactKind::Region => "Region",
        FactKind::Category => "Data category",
        FactKind::Exclusion => "Never used",
        FactKind::OptOut => "Opt-out",
        FactKind::Source => "Source",
        FactKind::Question => "Question",
        FactKind::Claim => "Claim",
        FactKind::Article => "Article",
    }
}

/// The history of `site` from `log` (the guides in `derived` say what each guide shows).
pub fn history(site: &Site, derived: &Derived, log: &Log) -> History {
    let commits: Vec<Commit> = log
        .changes
        .iter()
        .map(|c| commit(site, derived, c))
        .collect();
    let mut pages: BTreeMap<String, Vec<Commit>> = BTreeMap::new();
    for c in &commits {
        let mut routes: Vec<&String> = c.facts.iter().flat_map(|f| &f.pages).collect();
        routes.sort();
        routes.dedup();
        for r in routes {
            let facts: Vec<FactChange> = (c.facts.iter())
                .filter(|f| f.pages.contains(r))
                .cloned()
                .collect();
            let wording_only = facts.iter().all(|f| f.wording_only);
            let shown = Commit {
                facts,
                wording_only,
                ..c.clone()
            };
            pages.entry(r.clone()).or_default().push(shown);
        }
    }
    let changed = (derived.guides.iter())
        .filter_map(|g| {
            let last = pages.get(&g.url)?.iter().find(|c| !c.wording_only)?;
            Some((g.region.id.clone(), last.date.clone()))
        })
        .collect();
    History {
        on: true,
        commits,
        pages,
        changed,
    }
}

fn commit(site: &Site, derived: &Derived, c: &Change) -> Commit {
    Commit {
        id: c.commit.clone(),
        anchor: format!("c-{}", short(&c.commit)),
        date: c.date.clone(),
        message: c.message.clone(),
        wording_only: c.wording_only,
        facts: (c.diff.entries.iter())
            .map(|e| fact(site, derived, e))
            .collect(),
    }
}

fn fact(site: &Site, derived: &Derived, e: &Entry) -> FactChange {
    let (url, pages) = places(site, derived, e);
    FactChange {
        kind: label(e.kind),
        id: e.id.clone(),
        name: e.name.clone(),
        url,
        op: e.op,
        wording_only: e.wording_only,
        lines: detail(e),
        pages,
    }
}

/// The page of the fact `e` (if it has one that exists now), and the pages whose history
/// lists it: its own, the questions' and sources' pages of a claim, and each region guide that
/// shows it (a region's statuses show in the guides of its members too).
fn places(site: &Site, derived: &Derived, e: &Entry) -> (Option<String>, Vec<String>) {
    let id = e.id.as_str();
    let (own, kind, exists) = match e.kind {
        FactKind::Region => (id, Kind::Region, site.regions.contains(id)),
        FactKind::Category => (id, Kind::Category, site.categories.contains(id)),
        FactKind::Exclusion => (id, Kind::Exclusion, site.exclusions.contains(id)),
        FactKind::OptOut => (id, Kind::OptOut, site.optouts.contains(id)),
        FactKind::Source => (id, Kind::Source, site.sources.contains(id)),
        FactKind::Question => (id, Kind::Claim, site.questions.contains(id)),
        FactKind::Claim => {
            let question = id.split('@').next().unwrap_or(id);
            (question, Kind::Claim, site.questions.contains(question))
        }
        FactKind::Article => {
            let exists = site.articles.iter().any(|a| a.slug == id);
            let url = exists.then(|| route(Kind::Article, id));
            return (url, Vec::new());
        }
        FactKind::Site | FactKind::Change => return (None, Vec::new()),
    };
    let url = exists.then(|| route(kind, own));
    let mut pages: Vec<String> = url.iter().cloned().collect();
    if e.kind == FactKind::Claim {
        let source = id.split('@').nth(1).unwrap_or("");
        let source = source.split('#').next().unwrap_or(source);
        if site.sources.contains(source) {
            pages.push(route(Kind::Source, source));
        }
    }
    for g in &derived.guides {
        let shows = match e.kind {
            FactKind::Region => g.region.id == own || g.groups.iter().any(|r| r.id == own),
            FactKind::Category => g.categories.iter().any(|c| c.id == own),
            FactKind::Exclusion => g.exclusions.iter().any(|x| x.id == own),
            FactKind::OptOut => g.optouts.iter().any(|o| o.id == own),
            FactKind::Question | FactKind::Claim => {
                g.questions.iter().any(|q| q.question.id == own)
            }
            _ => false,
        };
        if shows && !pages.contains(&g.url) {
            pages.push(g.url.clone());
        }
    }
    (url, pages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::diff::diff;
    use crate::model::{OptOut, State};

    fn fixture() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        crate::load::load(&root).expect("the fixture loads")
    }

    fn change(id: &str, date: &str, before: &Site, after: &Site) -> Change {
        let diff = diff(before, after);
        Change {
            commit: id.repeat(40 / id.len()),
            date: date.to_string(),
            message: format!("Commit {id}"),
            wording_only: !diff.changes_facts(),
            diff,
        }
    }

    #[test]
    fn each_page_lists_the_commits_that_changed_what_it_shows() {
        let first = fixture();
        let mut second = first.clone();
        let elsewhere = second
            .regions
            .items
            .iter_mut()
            .find(|r| r.id == "elsewhere");
        elsewhere.unwrap().status.get_mut("training").unwrap().state = State::Applies;
        let mut third = second.clone();
        let toggle: &mut OptOut = &mut third.optouts.items[0];
        toggle.name = "The training switch".to_string();
        let log = Log {
            changes: vec![
                change("c", "2026-03-03", &second, &third),
                change("b", "2026-03-02", &first, &second),
            ],
            left_out: Vec::new(),
        };
        let derived = crate::derive::derive(&third);
        let h = history(&third, &derived, &log);
        assert!(h.on);
        assert_eq!(h.commits.len(), 2);
        assert_eq!(h.commits[0].anchor, "c-cccccccccc");
        assert!(h.commits[0].wording_only, "a new name is wording");
        let fact = &h.commits[1].facts[0];
        assert_eq!(
            (fact.kind, fact.url.as_deref()),
            ("Region", Some("/regions/elsewhere/"))
        );
        assert!(
            fact.lines[0].contains("unclear → applies"),
            "{:?}",
            fact.lines
        );
        let on = |route: &str| -> Vec<&str> {
            (h.pages.get(route).into_iter().flatten())
                .map(|c| c.message.as_str())
                .collect()
        };
        assert_eq!(on("/regions/elsewhere/"), ["Commit b"]);
        assert_eq!(on("/optouts/toggle/"), ["Commit c"]);
        // The group's guide shows the toggle: its history has the rename, in wording only.
        assert_eq!(on("/regions/group/"), ["Commit c"]);
        assert_eq!(
            h.changed.get("elsewhere").map(String::as_str),
            Some("2026-03-02")
        );
        assert_eq!(h.changed.get("group"), None, "wording only: no badge");
    }
}
