//! `Plan::context`: a page's typed context from the site, its backlinks and the build's
//! derived comparison and guides. Selection and borrowing only; nothing is derived here.

use super::{
    ArchivePiece, ArticleCard, ArticleContext, ArticlesContext, CategoryContext, ChangesContext,
    CompareContext, ExclusionContext, HomeContext, Item, ListContext, Named, NotFoundContext,
    OptOutContext, PageContext, PageHistory, QuestionContext, QuestionLink, RegionContext,
    RegionGlance, SourceClaim, SourceContext, Titled,
};
use crate::derive::compare;
use crate::derive::links::{Backlink, Kind, link_url, route};
use crate::diagnostics::Diagnostic;
use crate::model::{Article, Text};
use crate::render::pages::{Page, Plan, Shows};

/// How many articles the home page lists; `/articles/` lists them all.
const HOME_ARTICLES: usize = 12;

fn card(a: &Article) -> ArticleCard<'_> {
    ArticleCard {
        url: route(Kind::Article, &a.slug),
        title: &a.front.title,
        summary: a.front.summary.as_deref(),
        date: a.front.date.to_string(),
        updated: a.front.updated.map(|d| d.to_string()),
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

fn html(t: &Option<Text>) -> Option<&str> {
    t.as_ref().map(|t| t.html.as_str())
}

/// The title of a section's list page.
pub(crate) fn index_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Region => "Regions",
        Kind::Category => "Data used",
        Kind::Exclusion => "Never used",
        Kind::OptOut => "Opt-out paths",
        Kind::Source => "Sources",
        _ => "Disputed points",
    }
}

impl<'a> Plan<'a> {
    /// The dated changes of the page at `url`, and its feed of changes (`feed`, written only
    /// with a base URL).
    fn history_of(&self, url: &str, feed: Option<String>) -> PageHistory<'a> {
        let history = &self.derived.history;
        PageHistory {
            commits: history.pages.get(url).map_or(&[][..], Vec::as_slice),
            all: crate::derive::routes::CHANGES,
            feed: feed.filter(|_| self.base.is_some() && history.on),
        }
    }

    /// Who links to the page at `url`.
    fn backlinks_of(&self, url: &str) -> Vec<&'a Backlink> {
        let backlinks = self.backlinks;
        backlinks
            .get(url)
            .map_or_else(Vec::new, |b| b.iter().collect())
    }

    fn articles_about(&self, pred: impl Fn(&Article) -> bool) -> Vec<ArticleCard<'a>> {
        (self.published.iter())
            .filter(|a| pred(a))
            .map(|a| card(a))
            .collect()
    }

    /// The items of a section's list page.
    fn items(&self, kind: Kind) -> Vec<Item<'a>> {
        let s = self.site;
        match kind {
            Kind::Region => list(
                kind,
                s.regions.iter().map(|r| (&*r.id, &*r.name, html(&r.notes))),
            ),
            Kind::Category => list(
                kind,
                (s.categories.iter()).map(|c| (&*c.id, &*c.name, html(&c.summary))),
            ),
            Kind::Exclusion => list(
                kind,
                (s.exclusions.iter()).map(|e| (&*e.id, &*e.name, html(&e.summary))),
            ),
            Kind::OptOut => list(
                kind,
                s.optouts
                    .iter()
                    .map(|o| (&*o.id, &*o.name, html(&o.summary))),
            ),
            Kind::Source => list(
                kind,
                (s.sources.iter()).map(|x| (&*x.id, &*x.title, Some(&*x.publisher))),
            ),
            Kind::Claim => list(kind, s.questions.iter().map(|q| (&*q.id, &*q.text, None))),
            Kind::Article => Vec::new(),
        }
    }

    fn home(&self) -> HomeContext<'a> {
        let s = self.site;
        let regions = (self.derived.guides.iter())
            .map(|g| RegionGlance {
                region: &g.region,
                url: &g.url,
                changes: &g.changes,
            })
            .collect();
        let mut latest = self.articles_about(|_| true);
        let more = latest.len() > HOME_ARTICLES;
        latest.truncate(HOME_ARTICLES);
        HomeContext {
            title: &s.config.title,
            changes: &self.derived.summaries,
            regions,
            finder: &self.derived.finder,
            elsewhere: s.regions.iter().find(|r| r.elsewhere).map(|r| Named {
                name: &r.name,
                url: route(Kind::Region, &r.id),
            }),
            articles: latest,
            more_articles: more,
            categories: self.items(Kind::Category),
            exclusions: self.items(Kind::Exclusion),
            optouts: self.items(Kind::OptOut),
        }
    }

    fn source(&self, i: usize, back: Vec<&'a Backlink>) -> SourceContext<'a> {
        let src = &self.site.sources.items[i];
        let comparison = &self.derived.comparison;
        let claims = (comparison.rows.iter())
            .flat_map(|row| {
                let cell = row.cells.iter().find(|c| c.source == src.id);
                cell.into_iter().flat_map(move |cell| {
                    cell.claims.iter().map(move |v| SourceClaim {
                        question: &row.question.text,
                        url: link_url(Kind::Claim, &row.question.id, None),
                        claim: v,
                    })
                })
            })
            .collect();
        SourceContext {
            title: &src.title,
            source: src,
            score: &comparison.scores[i],
            claims,
            archive: self.archive(&src.id),
            backlinks: back,
            history: self.history_of(&route(Kind::Source, &src.id), None),
        }
    }

    /// The source's annotated archive copy, each quoted passage numbered `q1`, `q2`, ….
    fn archive(&self, id: &str) -> Vec<ArchivePiece<'a>> {
        let pieces = self
            .derived
            .annotated
            .get(id)
            .map_or(&[][..], Vec::as_slice);
        let mut n = 0;
        (pieces.iter())
            .map(|p| ArchivePiece {
                text: &p.text,
                id: (!p.quoted_by.is_empty()).then(|| {
                    n += 1;
                    format!("q{n}")
                }),
                quoted_by: (p.quoted_by.iter())
                    .filter_map(|q| self.site.questions.get(q))
                    .map(|q| QuestionLink {
                        question: &q.text,
                        url: link_url(Kind::Claim, &q.id, None),
                    })
                    .collect(),
                dismissed: p.dismissed.as_deref(),
            })
            .collect()
    }

    fn region(&self, i: usize, back: Vec<&'a Backlink>) -> RegionContext<'a> {
        let r = &self.site.regions.items[i];
        RegionContext {
            title: &r.name,
            guide: &self.derived.guides[i],
            articles: self.articles_about(|a| a.front.regions.contains(&r.id)),
            backlinks: back,
            changed: self.derived.history.changed.get(&r.id).map(String::as_str),
            history: self.history_of(
                &route(Kind::Region, &r.id),
                Some(crate::render::meta::region_changes_feed(&r.id)),
            ),
        }
    }

    fn article(&self, i: usize, back: Vec<&'a Backlink>) -> ArticleContext<'a> {
        let (s, a) = (self.site, &self.site.articles[i]);
        let categories = (a.front.categories.iter())
            .filter_map(|c| s.categories.get(c))
            .map(|c| Titled {
                title: &c.name,
                url: route(Kind::Category, &c.id),
            })
            .collect();
        ArticleContext {
            title: &a.front.title,
            article: card(a),
            content: &a.html,
            toc: &a.toc,
            regions: &a.front.regions,
            categories,
            tags: &a.front.tags,
            authors: &a.front.authors,
            backlinks: back,
        }
    }

    /// The `page` context of `page`.
    pub fn context(&self, page: &Page) -> Result<PageContext<'a>, Diagnostic> {
        let (s, back) = (self.site, self.backlinks_of(&page.route));
        Ok(match page.shows {
            Shows::Home => PageContext::Home(self.home()),
            Shows::Index(Kind::Article) => PageContext::Articles(ArticlesContext {
                title: "Articles",
                articles: self.articles_about(|_| true),
            }),
            Shows::Index(kind) => PageContext::List(ListContext {
                title: index_title(kind),
                items: self.items(kind),
            }),
            Shows::Region(i) => PageContext::Region(self.region(i, back)),
            Shows::Category(i) => {
                let c = &s.categories.items[i];
                PageContext::Category(CategoryContext {
                    title: &c.name,
                    category: c,
                    articles: self.articles_about(|a| a.front.categories.contains(&c.id)),
                    backlinks: back,
                    history: self.history_of(&page.route, None),
                })
            }
            Shows::Exclusion(i) => {
                let e = &s.exclusions.items[i];
                PageContext::Exclusion(ExclusionContext {
                    title: &e.name,
                    exclusion: e,
                    backlinks: back,
                    history: self.history_of(&page.route, None),
                })
            }
            Shows::OptOut(i) => {
                let o = &s.optouts.items[i];
                PageContext::OptOut(OptOutContext {
                    title: &o.name,
                    optout: o,
                    backlinks: back,
                    history: self.history_of(&page.route, None),
                })
            }
            Shows::Source(i) => PageContext::Source(self.source(i, back)),
            Shows::Question(i) => {
                let row = &self.derived.comparison.rows[i];
                PageContext::Question(QuestionContext {
                    title: &row.question.text,
                    row,
                    backlinks: back,
                    history: self.history_of(&page.route, None),
                })
            }
            Shows::Compare => PageContext::Compare(CompareContext {
                title: "Who said what",
                comparison: &self.derived.comparison,
                jsonld: compare::claim_reviews(s, &self.derived.comparison).map_err(|e| {
                    Diagnostic::error(None, format!("cannot write the ClaimReview JSON-LD: {e}"))
                        .with_help("this is a bug in explainer; please report it")
                })?,
            }),
            Shows::Article(i) => PageContext::Article(self.article(i, back)),
            Shows::Search => PageContext::Search(NotFoundContext { title: "Search" }),
            Shows::Changes => PageContext::Changes(ChangesContext {
                title: "What changed",
                commits: &self.derived.history.commits,
                feed: self
                    .base
                    .is_some()
                    .then_some(crate::render::meta::CHANGES_FEED),
            }),
            Shows::NotFound => PageContext::NotFound(NotFoundContext {
                title: "Page not found",
            }),
        })
    }
}
