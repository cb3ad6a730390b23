//! A Markdown article as loaded: its front matter, body, headings and, once linked, the pages
//! it links to. Parsing it is `load::articles`; rendering its body is `derive::markdown`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Loc;
use crate::model::date::Date;

/// An article's YAML front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub date: Date,
    #[serde(default)]
    pub updated: Option<Date>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub slug: Option<String>,
}

/// A heading in an article, for its table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A Markdown article.
#[derive(Debug, Clone)]
pub struct Article {
    pub slug: String,
    /// Its file, relative to the site root.
    pub file: PathBuf,
    pub front: FrontMatter,
    /// The front matter's YAML (it starts on line 2), kept to locate diagnostics on demand.
    pub front_src: String,
    /// The Markdown body (emptied once rendered into `html`) and the line it starts on.
    pub body: String,
    pub body_line: usize,
    pub html: String,
    pub toc: Vec<Heading>,
    /// The pages its body links to (routes), once rendered.
    pub links_to: BTreeSet<String>,
    /// Its body's links within the site that the link check must verify (as rendered, e.g.
    /// `/guide/#faq`), with where each is written.
    pub hrefs: Vec<(String, Loc)>,
}

impl Article {
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Where the article's slug comes from: its `slug:` field, or the file itself.
    pub fn slug_loc(&self) -> Loc {
        if self.front.slug.is_some() {
            self.spans().at("slug")
        } else {
            Loc::new(self.file.clone(), 1, 1)
        }
    }
}
