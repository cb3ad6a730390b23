//! The page plan: every page of the site as (route, template, what it shows). Each page's
//! context is built only when it is rendered, so a large site never holds them all at once
//! and they are built in parallel. No templating happens here.

use serde::Serialize;
use serde_json::{Value, json};

use crate::derive::Derived;
use crate::derive::compare;
use crate::derive::links::{Backlinks, Kind, link_url, route};
use crate::model::{Article, Site};

/// How many articles the home page lists; `/articles/` lists them all.
const HOME_ARTICLES: usize = 12;

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

/// An item in a list page.
#[derive(Debug, Serialize)]
struct Item<'a> {
    url: String,
    title: &'a str,
    summary: Option<&'a str>,
}

/// An article as lists show it.
#[derive(Debug, Serialize)]
pub struct ArticleCard<'a> {
    pub url: String,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub date: String,
    pub updated: Option<String>,
}

fn card(a: &Article) -> ArticleCard<'_> {
    ArticleCard {
        url: route(Kind::Article, &a.slug),
        title: &a.front.title,
        summary: a.front.summary.as_deref(),
        date: a.front.date.to_string(),
        updated: a.front.updated.map(|d| d.to_string()),
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
    site: &'a Site,
    backlinks: &'a Backlinks,
    derived: &'a Derived,
    /// Published articles, in site order.
    published: Vec<&'a Article>,
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

fn list<'a>(
    kind: Kind,
    items: impl Iterator<Item = (&'a str, &'a str, Option<&'a str>)>,
) -> Vec<Item<'a>> {
    items
        .map(|(id, title, summary)| Item {
            url: route(kind, id),
            title,
            summary,
        })
        .collect()
}

impl Plan<'_> {
    fn backlinks(&self, url: &str) -> Value {
        self.backlinks
            .get(url)
            .map_or_else(|| json!([]), |b| json!(b))
    }

    fn articles_about(&self, pred: impl Fn(&Article) -> bool) -> Vec<ArticleCard<'_>> {
        self.published
            .iter()
            .filter(|a| pred(a))
            .map(|a| card(a))
            .collect()
    }

    /// The items of a section's list page.
    fn items(&self, kind: Kind) -> Vec<Item<'_>> {
        let s = self.site;
        fn html(t: &Option<crate::model::Text>) -> Option<&str> {
            t.as_ref().map(|t| t.html.as_str())
        }
        match kind {
            Kind::Region => list(
                kind,
                s.regions
                    .iter()
                    .map(|r| (r.id.as_str(), r.name.as_str(), html(&r.notes))),
            ),
            Kind::Category => list(
                kind,
                s.categories
                    .iter()
                    .map(|c| (c.id.as_str(), c.name.as_str(), html(&c.summary))),
            ),
            Kind::Exclusion => list(
                kind,
                s.exclusions
                    .iter()
                    .map(|e| (e.id.as_str(), e.name.as_str(), html(&e.summary))),
            ),
            Kind::OptOut => list(
                kind,
                s.optouts
                    .iter()
                    .map(|o| (o.id.as_str(), o.name.as_str(), html(&o.summary))),
            ),
            Kind::Source => list(
                kind,
                s.sources
                    .iter()
                    .map(|x| (x.id.as_str(), x.title.as_str(), Some(x.publisher.as_str()))),
            ),
            Kind::Claim => list(
                kind,
                s.questions
                    .iter()
                    .map(|q| (q.id.as_str(), q.text.as_str(), None)),
            ),
            Kind::Article => Vec::new(),
        }
    }

    /// The `page` context of `page`.
    pub fn context(&self, page: &Page) -> Value {
        let s = self.site;
        let back = self.backlinks(&page.route);
        match page.shows {
            Shows::Home => {
                let regions: Vec<Value> = (self.derived.guides.iter())
                    .map(|g| json!({ "region": g.region, "url": g.url, "changes": g.changes }))
                    .collect();
                let finder = &self.derived.finder;
                let mut latest = self.articles_about(|_| true);
                let more = latest.len() > HOME_ARTICLES;
                latest.truncate(HOME_ARTICLES);
                json!({
                    "title": s.config.title,
                    "regions": regions,
                    "finder": finder,
                    "elsewhere": s.regions.iter().find(|r| r.elsewhere).map(|r| json!({ "name": r.name, "url": route(Kind::Region, &r.id) })),
                    "articles": latest,
                    "more_articles": more,
                    "categories": self.items(Kind::Category),
                    "exclusions": self.items(Kind::Exclusion),
                    "optouts": self.items(Kind::OptOut),
                })
            }
            Shows::Index(Kind::Article) => {
                json!({ "title": "Articles", "articles": self.articles_about(|_| true) })
            }
            Shows::Index(kind) => {
                let title = match kind {
                    Kind::Region => "Regions",
                    Kind::Category => "Data used",
                    Kind::Exclusion => "Never used",
                    Kind::OptOut => "Opt-out paths",
                    Kind::Source => "Sources",
                    _ => "Disputed points",
                };
                json!({ "title": title, "items": self.items(kind) })
            }
            Shows::Region(i) => {
                let r = &s.regions.items[i];
                json!({
                    "title": r.name,
                    "guide": self.derived.guides[i],
                    "articles": self.articles_about(|a| a.front.regions.contains(&r.id)),
                    "backlinks": back,
                })
            }
            Shows::Category(i) => {
                let c = &s.categories.items[i];
                json!({
                    "title": c.name,
                    "category": c,
                    "articles": self.articles_about(|a| a.front.categories.contains(&c.id)),
                    "backlinks": back,
                })
            }
            Shows::Exclusion(i) => {
                let e = &s.exclusions.items[i];
                json!({ "title": e.name, "exclusion": e, "backlinks": back })
            }
            Shows::OptOut(i) => {
                let o = &s.optouts.items[i];
                json!({ "title": o.name, "optout": o, "backlinks": back })
            }
            Shows::Source(i) => {
                let src = &s.sources.items[i];
                let claims: Vec<Value> = self
                    .derived
                    .comparison
                    .rows
                    .iter()
                    .flat_map(|row| {
                        let cell = row.cells.iter().find(|c| c.source == src.id);
                        cell.into_iter().flat_map(move |cell| {
                            cell.claims.iter().map(move |v| {
                                json!({
                                    "question": row.question.text,
                                    "url": link_url(Kind::Claim, &row.question.id, None),
                                    "claim": v,
                                })
                            })
                        })
                    })
                    .collect();
                json!({
                    "title": src.title,
                    "source": src,
                    "score": self.derived.comparison.scores[i],
                    "claims": claims,
                    "backlinks": back,
                })
            }
            Shows::Question(i) => {
                let row = &self.derived.comparison.rows[i];
                json!({ "title": row.question.text, "row": row, "backlinks": back })
            }
            Shows::Compare => json!({
                "title": "Who said what",
                "comparison": self.derived.comparison,
                "jsonld": compare::claim_reviews(s, &self.derived.comparison),
            }),
            Shows::Article(i) => {
                let a = &s.articles[i];
                json!({
                    "title": a.front.title,
                    "article": card(a),
                    "content": a.html,
                    "toc": a.toc,
                    "regions": a.front.regions,
                    "categories": a.front.categories.iter().filter_map(|c| s.categories.get(c)).map(|c| json!({ "title": c.name, "url": route(Kind::Category, &c.id) })).collect::<Vec<_>>(),
                    "backlinks": back,
                })
            }
            Shows::NotFound => json!({ "title": "Page not found" }),
        }
    }
}
