//! The page plan: every page of the site as (route, template, what it shows), and the
//! context all pages share. Each page's own context (`contexts`) is built only when it is
//! rendered, so a large site never holds them all at once. No templating happens here.

use serde_json::{Value, json};

use crate::derive::Derived;
use crate::derive::links::{Backlinks, Kind, route};
use crate::model::{Article, Site};

/// What a page shows: an index into the site's tables where it shows one thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    Home,
    /// The list page of a section (`/regions/`, `/articles/`, …).
    Index(Kind),
    Region(usize),
    Category(usize),
    Exclusion(usize),
    OptOut(usize),
    Source(usize),
    Question(usize),
    Compare,
    Article(usize),
    NotFound,
}

/// One page to render.
#[derive(Debug, Clone)]
pub struct Page {
    /// Clean URL, e.g. `/regions/eu/` (or `/404.html`).
    pub route: String,
    pub template: &'static str,
    pub shows: Shows,
}

/// The output path of a route: `/regions/eu/` → `regions/eu/index.html`.
pub fn file_of(route: &str) -> String {
    let r = route.trim_start_matches('/');
    if r.is_empty() || r.ends_with('/') {
        format!("{r}index.html")
    } else {
        r.to_string()
    }
}

/// The context every page shares: the site, the policy, and small id → name/url maps.
pub fn site_context(site: &Site) -> Value {
    let named = |kind: Kind, items: Vec<(&str, &str)>| -> Value {
        items
            .into_iter()
            .enumerate()
            .map(|(n, (id, title))| {
                (
                    id.to_string(),
                    json!({ "id": id, "title": title, "url": route(kind, id), "n": n + 1 }),
                )
            })
            .collect::<serde_json::Map<String, Value>>()
            .into()
    };
    json!({
        "title": site.config.title,
        "description": site.config.description,
        "language": site.config.language,
        "base_url": site.config.base_url,
        "policy": site.config.policy,
        "changes": site.config.changes,
        "changes_by_id": site.config.changes.iter().map(|c| (c.id.clone(), json!(c))).collect::<serde_json::Map<_, _>>(),
        "regions_by_id": named(Kind::Region, site.regions.iter().map(|r| (r.id.as_str(), r.name.as_str())).collect()),
        "sources_by_id": named(Kind::Source, site.sources.iter().map(|s| (s.id.as_str(), s.title.as_str())).collect()),
        "nav": [
            { "url": "/", "title": "Overview" },
            { "url": "/regions/", "title": "Regions" },
            { "url": "/articles/", "title": "Articles" },
            { "url": "/compare/", "title": "Who said what" },
            { "url": "/sources/", "title": "Sources" },
        ],
    })
}

/// The pages of a site and what their contexts are built from.
pub struct Plan<'a> {
    pub pages: Vec<Page>,
    pub(crate) site: &'a Site,
    pub(crate) backlinks: &'a Backlinks,
    pub(crate) derived: &'a Derived,
    /// Published articles, in site order.
    pub(crate) published: Vec<&'a Article>,
}

/// Plans every page of the site.
pub fn plan<'a>(site: &'a Site, backlinks: &'a Backlinks, derived: &'a Derived) -> Plan<'a> {
    let mut pages = Vec::new();
    let mut add = |route: String, template: &'static str, shows: Shows| {
        pages.push(Page {
            route,
            template,
            shows,
        })
    };
    add("/".into(), "home.html", Shows::Home);
    let sections = [
        (Kind::Region, site.regions.items.len()),
        (Kind::Category, site.categories.items.len()),
        (Kind::Exclusion, site.exclusions.items.len()),
        (Kind::OptOut, site.optouts.items.len()),
        (Kind::Source, site.sources.items.len()),
        (Kind::Claim, site.questions.items.len()),
    ];
    for (kind, count) in sections {
        add(
            format!("/{}/", kind.section()),
            "list.html",
            Shows::Index(kind),
        );
        for i in 0..count {
            let (id, template, shows) = match kind {
                Kind::Region => (&site.regions.items[i].id, "region.html", Shows::Region(i)),
                Kind::Category => (
                    &site.categories.items[i].id,
                    "category.html",
                    Shows::Category(i),
                ),
                Kind::Exclusion => (
                    &site.exclusions.items[i].id,
                    "exclusion.html",
                    Shows::Exclusion(i),
                ),
                Kind::OptOut => (&site.optouts.items[i].id, "optout.html", Shows::OptOut(i)),
                Kind::Source => (&site.sources.items[i].id, "source.html", Shows::Source(i)),
                Kind::Claim => (
                    &site.questions.items[i].id,
                    "question.html",
                    Shows::Question(i),
                ),
                Kind::Article => unreachable!("articles are planned below"),
            };
            add(route(kind, id), template, shows);
        }
    }
    add("/compare/".into(), "compare.html", Shows::Compare);
    add(
        "/articles/".into(),
        "list.html",
        Shows::Index(Kind::Article),
    );
    for (i, a) in site
        .articles
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.front.draft)
    {
        add(
            route(Kind::Article, &a.slug),
            "article.html",
            Shows::Article(i),
        );
    }
    add("/404.html".into(), "404.html", Shows::NotFound);
    Plan {
        pages,
        site,
        backlinks,
        derived,
        published: site.published().collect(),
    }
}
