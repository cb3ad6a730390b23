//! A Markdown article as loaded: its front matter, body, headings and, once linked, the pages
//! it links to. Parsing it is `load::articles`; rendering its body is `derive::markdown`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Loc;
use crate::model::date::Date;

/// How an article's front matter is written: YAML between `---` lines (ours, Hugo's) or TOML
/// between `+++` lines (Zola's, Hugo's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FrontFormat {
    Yaml,
    Toml,
}

/// An article's front matter. Keys of Hugo and Zola map onto ours (`description`, `lastmod`,
/// `taxonomies`, `author`); keys no field names are ignored here and warned about by `load`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    /// Hugo's and Zola's summary line: the summary when there is no `summary`.
    #[serde(default)]
    pub description: Option<String>,
    pub date: Date,
    #[serde(default, alias = "lastmod")]
    pub updated: Option<Date>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    /// Orders lists when given: lower first, then articles without one, newest first.
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub slug: Option<String>,
    /// Old addresses of the article (`/2021/07/old-name/`): each gets a redirect page.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Zola's taxonomies: `tags` join the tags, `categories` the categories, `authors` the
    /// authors; others are ignored.
    #[serde(default)]
    pub taxonomies: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub author: Option<Names>,
    #[serde(default)]
    pub authors: Vec<String>,
}

/// One name or a list of names (Hugo's `author`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Names {
    One(String),
    Many(Vec<String>),
}

impl FrontMatter {
    /// Folds the Hugo and Zola spellings into ours: `description` into `summary`, taxonomies
    /// and `author` into `tags`, `categories` and `authors`.
    pub fn normalize(&mut self) {
        if self.summary.is_none() {
            self.summary = self.description.take();
        }
        for (name, values) in std::mem::take(&mut self.taxonomies) {
            let into = match name.as_str() {
                "tags" => &mut self.tags,
                "categories" => &mut self.categories,
                "authors" => &mut self.authors,
                _ => continue,
            };
            for v in values {
                if !into.contains(&v) {
                    into.push(v);
                }
            }
        }
        match self.author.take() {
            Some(Names::One(a)) => self.authors.insert(0, a),
            Some(Names::Many(list)) => self.authors.splice(0..0, list).for_each(drop),
            None => {}
        }
    }

    /// The key lists are sorted by: weight when given (lower first, unweighted after), then
    /// newest first.
    pub fn order(&self) -> (bool, i64, std::cmp::Reverse<Date>) {
        (
            self.weight.is_none(),
            self.weight.unwrap_or(0),
            std::cmp::Reverse(self.date),
        )
    }
}

/// A heading in an article, for its table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The front matter's text (it starts on line 2) and its format, kept to locate
    /// diagnostics on demand.
    pub front_src: String,
    pub format: FrontFormat,
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
    /// Warnings found while loading it (front-matter keys it does not use), for the build.
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
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
