//! The `page` context of each kind of page, typed: what every template sees as `page`. Built
//! by `Plan::context` (`build`) from the model and the build's derived values, one page at a
//! time; laying it out is the templates' job.

mod build;

pub(crate) use build::index_title;

use serde::Serialize;

use crate::derive::compare::{ClaimView, Comparison, Row, Score};
use crate::derive::finder::Found;
use crate::derive::guides::{ChangeStatus, Guide};
use crate::derive::history::Commit;
use crate::derive::links::Backlink;
use crate::derive::summary::Summary;
use crate::model::{Category, Exclusion, Heading, OptOut, Region, Source};

/// An item in a list page.
#[derive(Debug, Serialize)]
pub struct Item<'a> {
    pub url: String,
    pub title: &'a str,
    pub summary: Option<&'a str>,
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

/// A region on the home page: its changes at a glance.
#[derive(Debug, Serialize)]
pub struct RegionGlance<'a> {
    pub region: &'a Region,
    pub url: &'a str,
    pub changes: &'a [ChangeStatus],
}

/// A link with the name it shows (`{ name, url }`).
#[derive(Debug, Serialize)]
pub struct Named<'a> {
    pub name: &'a str,
    pub url: String,
}

/// A link with its title (`{ title, url }`).
#[derive(Debug, Serialize)]
pub struct Titled<'a> {
    pub title: &'a str,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct HomeContext<'a> {
    pub title: &'a str,
    /// Each change with who it affects, generated from the guides' statuses.
    pub changes: &'a [Summary],
    pub regions: Vec<RegionGlance<'a>>,
    pub finder: &'a [Found],
    pub elsewhere: Option<Named<'a>>,
    pub articles: Vec<ArticleCard<'a>>,
    pub more_articles: bool,
    pub categories: Vec<Item<'a>>,
    pub exclusions: Vec<Item<'a>>,
    pub optouts: Vec<Item<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ArticlesContext<'a> {
    pub title: &'static str,
    pub articles: Vec<ArticleCard<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ListContext<'a> {
    pub title: &'static str,
    pub items: Vec<Item<'a>>,
}

#[derive(Debug, Serialize)]
pub struct RegionContext<'a> {
    pub title: &'a str,
    pub guide: &'a Guide,
    /// The day of the last change in fact to what the guide shows (with the site's history).
    pub changed: Option<&'a str>,
    pub history: PageHistory<'a>,
    pub articles: Vec<ArticleCard<'a>>,
    pub backlinks: Vec<&'a Backlink>,
}

#[derive(Debug, Serialize)]
pub struct CategoryContext<'a> {
    pub title: &'a str,
    pub category: &'a Category,
    pub articles: Vec<ArticleCard<'a>>,
    pub backlinks: Vec<&'a Backlink>,
    pub history: PageHistory<'a>,
}

#[derive(Debug, Serialize)]
pub struct ExclusionContext<'a> {
    pub title: &'a str,
    pub exclusion: &'a Exclusion,
    pub backlinks: Vec<&'a Backlink>,
    pub history: PageHistory<'a>,
}

#[derive(Debug, Serialize)]
pub struct OptOutContext<'a> {
    pub title: &'a str,
    pub optout: &'a OptOut,
    pub backlinks: Vec<&'a Backlink>,
    pub history: PageHistory<'a>,
}

/// One claim a source makes, on its page.
#[derive(Debug, Serialize)]
pub struct SourceClaim<'a> {
    pub question: &'a str,
    pub url: String,
    pub claim: &'a ClaimView,
}

#[derive(Debug, Serialize)]
pub struct SourceContext<'a> {
    pub title: &'a str,
    pub source: &'a Source,
    pub score: &'a Score,
    pub claims: Vec<SourceClaim<'a>>,
    /// The annotated copy of its archived text (empty without one).
    pub archive: Vec<ArchivePiece<'a>>,
    pub backlinks: Vec<&'a Backlink>,
    pub history: PageHistory<'a>,
}

/// A run of a source's archived text on its page: a quoted passage has an anchor (`q3`) and
/// links to the questions whose claims quote it; a dismissed one has the reason.
#[derive(Debug, Serialize)]
pub struct ArchivePiece<'a> {
    pub text: &'a str,
    pub id: Option<String>,
    pub quoted_by: Vec<QuestionLink<'a>>,
    pub dismissed: Option<&'a str>,
}

/// A link to a question (the `claim:` cross-link's address) with its text.
#[derive(Debug, Serialize)]
pub struct QuestionLink<'a> {
    pub question: &'a str,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct QuestionContext<'a> {
    pub title: &'a str,
    pub row: &'a Row,
    pub backlinks: Vec<&'a Backlink>,
    pub history: PageHistory<'a>,
}

#[derive(Debug, Serialize)]
pub struct CompareContext<'a> {
    pub title: &'static str,
    pub comparison: &'a Comparison,
    /// schema.org `ClaimReview` JSON-LD, escaped for a `<script>` element.
    pub jsonld: String,
}

#[derive(Debug, Serialize)]
pub struct ArticleContext<'a> {
    pub title: &'a str,
    pub article: ArticleCard<'a>,
    pub content: &'a str,
    pub toc: &'a [Heading],
    pub regions: &'a [String],
    pub categories: Vec<Titled<'a>>,
    /// Labels (`tags`, and Hugo's or Zola's categories that are no data category).
    pub tags: &'a [String],
    pub authors: &'a [String],
    pub backlinks: Vec<&'a Backlink>,
}

/// A fact page's dated changes (empty without the site's history): each commit with the facts
/// of the page it changed, the "What changed" page's address, and the page's feed of changes.
#[derive(Debug, Serialize)]
pub struct PageHistory<'a> {
    pub commits: &'a [Commit],
    /// Where the "What changed" page is (each commit's anchor is on it).
    pub all: &'static str,
    /// The feed of these changes (a region's; with a base URL only).
    pub feed: Option<String>,
}

/// The "What changed" page: every commit that changed the facts, newest first.
#[derive(Debug, Serialize)]
pub struct ChangesContext<'a> {
    pub title: &'static str,
    pub commits: &'a [Commit],
    /// The site-wide feed of changes (with a base URL only).
    pub feed: Option<&'static str>,
}

/// A page with only a title: the 404 page and the search page.
#[derive(Debug, Serialize)]
pub struct NotFoundContext {
    pub title: &'static str,
}

/// The `page` context of a page, one variant per kind (serialized as the variant's fields).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum PageContext<'a> {
    Home(HomeContext<'a>),
    Articles(ArticlesContext<'a>),
    List(ListContext<'a>),
    Region(RegionContext<'a>),
    Category(CategoryContext<'a>),
    Exclusion(ExclusionContext<'a>),
    OptOut(OptOutContext<'a>),
    Source(SourceContext<'a>),
    Question(QuestionContext<'a>),
    Compare(CompareContext<'a>),
    Article(ArticleContext<'a>),
    NotFound(NotFoundContext),
    /// The search page: its title only (the results come from its script).
    Search(NotFoundContext),
    Changes(ChangesContext<'a>),
}
