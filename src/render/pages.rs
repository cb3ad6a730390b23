//! The page plan: every page of the site as (route, template, what it shows), and the
//! context all pages share. Each page's own context (`contexts`) is built only when it is
//! rendered, so a large site never holds them all at once. No templating happens here.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::derive::Derived;
use crate::derive::links::{Backlinks, Kind, route};
use crate::diagnostics::Diagnostic;
use crate::model::base_url::BaseUrl;
use crate::model::{Article, Change, Policy, Site};

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
    /// The search page (`/search/`); its index is written beside it (`render::search`).
    Search,
    /// The "What changed" page (`routes::CHANGES`), when the site's history is read.
    Changes,
    NotFound,
}

/// One page to render.
#[derive(Debug, Clone)]
pub struct Page {
    /// Clean URL, e.g. `/regions/eu/` (or `/404.html`).
    pub route: String,
    pub template: &'static str,
    pub shows: Shows,
    /// Its `<meta name="description">`, unique in the site (`meta::descriptions`).
    pub description: String,
}

pub use crate::derive::routes::file_of;

/// A region or source in the shared context's id maps: numbered in site order.
#[derive(Debug, Serialize)]
struct NamedRef<'a> {
    id: &'a str,
    n: usize,
    title: &'a str,
    url: String,
}

/// A link in the site's navigation.
#[derive(Debug, Serialize)]
struct NavLink {
    title: &'static str,
    url: &'static str,
}

/// The context every page shares (`site` in templates).
#[derive(Debug, Serialize)]
struct SiteContext<'a> {
    base_url: Option<&'a str>,
    changes: &'a [Change],
    changes_by_id: BTreeMap<&'a str, &'a Change>,
    description: Option<&'a str>,
    language: &'a str,
    nav: [NavLink; 5],
    policy: &'a Policy,
    regions_by_id: BTreeMap<&'a str, NamedRef<'a>>,
    sources_by_id: BTreeMap<&'a str, NamedRef<'a>>,
    title: &'a str,
}

fn named<'a>(
    kind: Kind,
    items: impl Iterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<&'a str, NamedRef<'a>> {
    (items.enumerate())
        .map(|(n, (id, title))| {
            let url = route(kind, id);
            (
                id,
                NamedRef {
                    id,
                    n: n + 1,
                    title,
                    url,
                },
            )
        })
        .collect()
}

/// The context every page shares: the site, the policy, and small id → name/url maps. Made
/// once per build, as a JSON value each page's context takes a copy of.
pub fn site_context(site: &Site) -> Result<Value, Diagnostic> {
    let cfg = &site.config;
    let nav = |url, title| NavLink { title, url };
    let ctx = SiteContext {
        base_url: cfg.base_url.as_deref(),
        changes: &cfg.changes,
        changes_by_id: cfg.changes.iter().map(|c| (c.id.as_str(), c)).collect(),
        description: cfg.description.as_deref(),
        language: &cfg.language,
        nav: [
            nav("/", "Overview"),
            nav("/regions/", "Regions"),
            nav("/articles/", "Articles"),
            nav("/compare/", "Who said what"),
            nav("/sources/", "Sources"),
        ],
        policy: &cfg.policy,
        regions_by_id: named(
            Kind::Region,
            site.regions.iter().map(|r| (&*r.id, &*r.name)),
        ),
        sources_by_id: named(
            Kind::Source,
            site.sources.iter().map(|s| (&*s.id, &*s.title)),
        ),
        title: &cfg.title,
    };
    serde_json::to_value(&ctx).map_err(|e| {
        Diagnostic::error(
            None,
            format!("cannot make the site's template context: {e}"),
        )
        .with_help("this is a bug in explainer; please report it")
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
    /// Where the site is published, when known.
    pub base: Option<BaseUrl>,
}

/// Plans every page of the site.
pub fn plan<'a>(site: &'a Site, backlinks: &'a Backlinks, derived: &'a Derived) -> Plan<'a> {
    let mut pages = Vec::new();
    let mut add = |route: String, template: &'static str, shows: Shows| {
        pages.push(Page {
            route,
            template,
            shows,
            description: String::new(),
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
    if derived.history.on {
        let changes = crate::derive::routes::CHANGES;
        add(changes.into(), "changes.html", Shows::Changes);
    }
    add(
        "/articles/".into(),
        "list.html",
        Shows::Index(Kind::Article),
    );
    for (i, a) in site.articles.iter().enumerate() {
        add(
            route(Kind::Article, &a.slug),
            "article.html",
            Shows::Article(i),
        );
    }
    add("/search/".into(), "search.html", Shows::Search);
    add("/404.html".into(), "404.html", Shows::NotFound);
    let mut plan = Plan {
        pages,
        site,
        backlinks,
        derived,
        published: site.published().collect(),
        base: site.base_url(),
    };
    describe(&mut plan);
    plan
}

/// Gives each page of `plan` its description (`meta::descriptions`).
fn describe(plan: &mut Plan) {
    let descriptions = super::meta::descriptions(plan);
    for (page, d) in plan.pages.iter_mut().zip(descriptions) {
        page.description = d;
    }
}

impl Shows {
    /// Whether the page shows a draft fact or article (only in a build that shows drafts).
    pub fn is_draft(&self, site: &Site) -> bool {
        match *self {
            Shows::Region(i) => site.regions.items[i].draft,
            Shows::Category(i) => site.categories.items[i].draft,
            Shows::Exclusion(i) => site.exclusions.items[i].draft,
            Shows::OptOut(i) => site.optouts.items[i].draft,
            Shows::Source(i) => site.sources.items[i].draft,
            Shows::Question(i) => site.questions.items[i].draft,
            Shows::Article(i) => site.articles[i].front.draft,
            Shows::Home
            | Shows::Index(_)
            | Shows::Compare
            | Shows::NotFound
            | Shows::Search
            | Shows::Changes => false,
        }
    }
}
