//! The site model: typed facts (`facts`, kept in a `Table`) and articles (`article`) as the
//! editor wrote them, each remembering where it came from, gathered in `Site`. Loading fills
//! it; nothing here reads files or renders.

pub mod base_url;
pub mod date;
pub mod spans;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize, Serializer};

mod article;
mod facts;
mod table;
mod walk;

pub use article::{Article, FrontFormat, FrontMatter, Heading, Names};
pub use facts::{
    Basis, Category, Change, Claim, Confidence, Decides, Dismissal, Exclusion, OpenWord, OptOut,
    Policy, Question, Region, Resolution, SiteConfig, Source, SourceKind, Stance, State, Status,
    Steps, ValueType, Verdict,
};
pub use table::{Entity, Table};
pub use walk::{Visit, Walk};

use crate::diagnostics::Loc;
use spans::Spans;

/// Markdown from the content: its source, and its HTML once links are resolved.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "String")]
pub struct Text {
    pub src: String,
    pub html: String,
}

impl From<String> for Text {
    fn from(src: String) -> Text {
        Text {
            src,
            html: String::new(),
        }
    }
}

impl Serialize for Text {
    /// Templates see the rendered HTML.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.html)
    }
}

/// Ids are lowercase ASCII letters, digits and inner `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Everything a site is made of, loaded and typed.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub config_spans: Spans,
    pub regions: Table<Region>,
    pub categories: Table<Category>,
    pub exclusions: Table<Exclusion>,
    pub optouts: Table<OptOut>,
    pub sources: Table<Source>,
    pub questions: Table<Question>,
    pub claims: Table<Claim>,
    /// Published and draft articles, sorted by weight, then newest first.
    pub articles: Vec<Article>,
    /// Slugs of the articles that failed to load (links to them raise nothing more).
    pub unloaded_articles: Vec<String>,
    /// Slugs of the draft articles left out of a published build (`strip_drafts`).
    pub draft_articles: Vec<String>,
    /// Links within the site written in YAML text fields, as (page route, href, where), for
    /// the link check to name the source of a broken one. Filled by `links::link`.
    pub text_hrefs: Vec<(String, String, Loc)>,
    /// Sources' archived texts by source id, read from `archive_dir` when it is set and the
    /// file is there (none otherwise: an absent archive is no error).
    pub archives: BTreeMap<String, String>,
}

impl Site {
    /// The site's base URL, when `base_url` is set and valid (`check` reports it otherwise).
    pub fn base_url(&self) -> Option<base_url::BaseUrl> {
        let url = self.config.base_url.as_deref()?;
        base_url::BaseUrl::parse(url).ok()
    }

    /// The articles this build shows: after `strip_drafts`, the published ones; in a build
    /// that shows drafts (`serve`, `build --drafts`), all of them.
    pub fn published(&self) -> impl Iterator<Item = &Article> {
        self.articles.iter()
    }

    /// Leaves every draft out, as if it were not written: facts and articles marked
    /// `draft: true`, and the claims of a draft source or on a draft question. Their ids are
    /// kept, so a reference to one from what is published is an error that says so.
    pub fn strip_drafts(&mut self) {
        self.regions.strip_drafts(|_| false);
        self.categories.strip_drafts(|_| false);
        self.exclusions.strip_drafts(|_| false);
        self.optouts.strip_drafts(|_| false);
        self.sources.strip_drafts(|_| false);
        self.questions.strip_drafts(|_| false);
        let (questions, sources) = (&self.questions, &self.sources);
        self.claims
            .strip_drafts(|c| questions.is_draft(&c.question) || sources.is_draft(&c.source));
        let (drafts, published) = std::mem::take(&mut self.articles)
            .into_iter()
            .partition(|a| a.front.draft);
        self.articles = published;
        let drafts: Vec<Article> = drafts;
        self.draft_articles = drafts.into_iter().map(|a| a.slug).collect();
    }

    /// Whether `id`, referred to as a `noun` (`region`, `source`, `data category`, …), is a
    /// draft left out of this build.
    pub fn is_draft(&self, noun: &str, id: &str) -> bool {
        match noun {
            "region" | "regions" => self.regions.is_draft(id),
            "category" | "data category" => self.categories.is_draft(id),
            "exclusion" => self.exclusions.is_draft(id),
            "opt-out" | "optout" => self.optouts.is_draft(id),
            "source" => self.sources.is_draft(id),
            "question" | "claim" => self.questions.is_draft(id),
            "article" => self.draft_articles.iter().any(|s| s == id),
            _ => false,
        }
    }

    pub fn change(&self, id: &str) -> Option<&Change> {
        self.config.changes.iter().find(|c| c.id == id)
    }
}
