//! The page plan: every page of the site as (route, template, context), built from the
//! linked model and the derived views. No templating happens here.

use serde::Serialize;
use serde_json::{Value, json};

use crate::guides::{self, guide};
use crate::links::{Backlinks, Kind, link_url, route};
use crate::compare;
use crate::model::{Article, Site};

/// One page to render.
#[derive(Debug)]
pub struct Page {
    /// Clean URL, e.g. `/regions/eu/` (or `/404.html`).
    pub route: String,
    pub template: &'static str,
    /// The page's own context, under the `page` key; `site` is shared.
    pub context: Value,
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

/// Plans every page of the site.
pub fn plan(site: &Site, backlinks: &Backlinks) -> Vec<Page> {
    let mut pages = Vec::new();
    let back = |url: &str| backlinks.get(url).map(|b| json!(b)).unwrap_or(json!([]));
    let articles_about = |pred: &dyn Fn(&Article) -> bool| -> Vec<ArticleCard> {
        site.published().filter(|a| pred(a)).map(card).collect()
    };

    // Home.
    let regions: Vec<Value> = site
        .regions
        .iter()
        .map(|r| {
            let g = guide(site, r);
            json!({ "region": r, "url": g.url, "changes": g.changes })
        })
        .collect();
    let finder: Vec<Value> = guides::finder(site)
        .into_iter()
        .map(|(c, r)| json!({ "country": c, "region": r.name, "url": route(Kind::Region, &r.id) }))
        .collect();
    pages.push(Page {
        route: "/".into(),
        template: "home.html",
        context: json!({
            "title": site.config.title,
            "regions": regions,
            "finder": finder,
            "elsewhere": site.regions.iter().find(|r| r.elsewhere).map(|r| json!({ "name": r.name, "url": route(Kind::Region, &r.id) })),
            "articles": articles_about(&|_| true),
            "categories": list(Kind::Category, site.categories.iter().map(|c| (c.id.as_str(), c.name.as_str(), c.summary.as_ref().map(|t| t.html.as_str())))),
            "exclusions": list(Kind::Exclusion, site.exclusions.iter().map(|e| (e.id.as_str(), e.name.as_str(), e.summary.as_ref().map(|t| t.html.as_str())))),
            "optouts": list(Kind::OptOut, site.optouts.iter().map(|o| (o.id.as_str(), o.name.as_str(), o.summary.as_ref().map(|t| t.html.as_str())))),
        }),
    });

    // Regions.
    index_page(
        &mut pages,
        Kind::Region,
        "Regions",
        site.regions.iter().map(|r| {
            (
                r.id.as_str(),
                r.name.as_str(),
                r.notes.as_ref().map(|t| t.html.as_str()),
            )
        }),
    );
    for r in site.regions.iter() {
        let url = route(Kind::Region, &r.id);
        pages.push(Page {
            context: json!({
                "title": r.name,
                "guide": guide(site, r),
                "articles": articles_about(&|a| a.front.regions.contains(&r.id)),
                "backlinks": back(&url),
            }),
            route: url,
            template: "region.html",
        });
    }

    // Categories, exclusions, opt-outs.
    index_page(
        &mut pages,
        Kind::Category,
        "Data used",
        site.categories.iter().map(|c| {
            (
                c.id.as_str(),
                c.name.as_str(),
                c.summary.as_ref().map(|t| t.html.as_str()),
            )
        }),
    );
    for c in site.categories.iter() {
        let url = route(Kind::Category, &c.id);
        pages.push(Page {
            context: json!({
                "title": c.name,
                "category": c,
                "articles": articles_about(&|a| a.front.categories.contains(&c.id)),
                "backlinks": back(&url),
            }),
            route: url,
            template: "category.html",
        });
    }
    index_page(
        &mut pages,
        Kind::Exclusion,
        "Never used",
        site.exclusions.iter().map(|e| {
            (
                e.id.as_str(),
                e.name.as_str(),
                e.summary.as_ref().map(|t| t.html.as_str()),
            )
        }),
    );
    for e in site.exclusions.iter() {
        let url = route(Kind::Exclusion, &e.id);
        pages.push(Page {
            context: json!({ "title": e.name, "exclusion": e, "backlinks": back(&url) }),
            route: url,
            template: "exclusion.html",
        });
    }
    index_page(
        &mut pages,
        Kind::OptOut,
        "Opt-out paths",
        site.optouts.iter().map(|o| {
            (
                o.id.as_str(),
                o.name.as_str(),
                o.summary.as_ref().map(|t| t.html.as_str()),
            )
        }),
    );
    for o in site.optouts.iter() {
        let url = route(Kind::OptOut, &o.id);
        pages.push(Page {
            context: json!({ "title": o.name, "optout": o, "backlinks": back(&url) }),
            route: url,
            template: "optout.html",
        });
    }

    // Sources and the questions they answer.
    index_page(
        &mut pages,
        Kind::Source,
        "Sources",
        site.sources
            .iter()
            .map(|s| (s.id.as_str(), s.title.as_str(), Some(s.publisher.as_str()))),
    );
    let comparison = compare::compare(site);
    for (s, score) in site.sources.iter().zip(&comparison.scores) {
        let url = route(Kind::Source, &s.id);
        let claims: Vec<Value> = comparison
            .rows
            .iter()
            .flat_map(|row| {
                let cell = row.cells.iter().find(|c| c.source == s.id);
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
        pages.push(Page {
            context: json!({ "title": s.title, "source": s, "score": score, "claims": claims, "backlinks": back(&url) }),
            route: url,
            template: "source.html",
        });
    }
    pages.push(Page {
        route: "/compare/".into(),
        template: "compare.html",
        context: json!({
            "title": "Who said what",
            "comparison": comparison,
            "jsonld": compare::claim_reviews(site, &comparison),
        }),
    });
    index_page(
        &mut pages,
        Kind::Claim,
        "Disputed points",
        site.questions
            .iter()
            .map(|q| (q.id.as_str(), q.text.as_str(), None)),
    );
    for row in &comparison.rows {
        let url = route(Kind::Claim, &row.question.id);
        pages.push(Page {
            context: json!({ "title": row.question.text, "row": row, "backlinks": back(&url) }),
            route: url,
            template: "question.html",
        });
    }

    // Articles.
    pages.push(Page {
        route: "/articles/".into(),
        template: "list.html",
        context: json!({ "title": "Articles", "articles": articles_about(&|_| true) }),
    });
    for a in site.published() {
        let url = route(Kind::Article, &a.slug);
        pages.push(Page {
            context: json!({
                "title": a.front.title,
                "article": card(a),
                "content": a.html,
                "toc": a.toc,
                "regions": a.front.regions,
                "categories": a.front.categories.iter().filter_map(|c| site.categories.get(c)).map(|c| json!({ "title": c.name, "url": route(Kind::Category, &c.id) })).collect::<Vec<_>>(),
                "backlinks": back(&url),
            }),
            route: url,
            template: "article.html",
        });
    }

    pages.push(Page {
        route: "/404.html".into(),
        template: "404.html",
        context: json!({ "title": "Page not found" }),
    });
    pages
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

fn index_page<'a>(
    pages: &mut Vec<Page>,
    kind: Kind,
    title: &str,
    items: impl Iterator<Item = (&'a str, &'a str, Option<&'a str>)>,
) {
    pages.push(Page {
        route: format!("/{}/", kind.section()),
        template: "list.html",
        context: json!({ "title": title, "items": list(kind, items) }),
    });
}
