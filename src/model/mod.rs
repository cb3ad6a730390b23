//! The site model: typed facts and articles as the editor wrote them, each remembering where
//! it came from. Loading fills it (`facts`, `articles`); nothing here reads files or renders.

pub mod date;
pub mod spans;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize, Serializer};

mod walk;

pub use walk::{Visit, Walk};

use crate::diagnostics::Loc;
use crate::model::date::Date;
use spans::{Spans, path};

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

/// `content/site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default = "default_language")]
    pub language: String,
    pub policy: Policy,
    pub changes: Vec<Change>,
}

fn default_language() -> String {
    "en".to_string()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub platform: String,
    pub name: String,
    pub effective: Date,
    pub verified: Date,
    pub summary: Text,
}

/// One distinct change the policy makes (e.g. AI training, ads sharing).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub summary: Option<Text>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub part_of: Vec<String>,
    #[serde(default)]
    pub elsewhere: bool,
    #[serde(default)]
    pub status: BTreeMap<String, Status>,
    #[serde(default)]
    pub regulator: Option<String>,
    #[serde(default)]
    pub legal_basis: Option<String>,
    #[serde(default)]
    pub notes: Option<Text>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Applies,
    DoesNotApply,
    Unclear,
}

/// The status of one change in one region.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Status {
    pub state: State,
    #[serde(default)]
    pub since: Option<Date>,
    #[serde(default)]
    pub default_on: Option<bool>,
    #[serde(default)]
    pub opt_out: Option<bool>,
    #[serde(default)]
    pub note: Option<Text>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub used_for: Vec<String>,
    #[serde(default)]
    pub summary: Option<Text>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub id: String,
    pub name: String,
    pub applies_to: Vec<String>,
    #[serde(default)]
    pub condition: Option<Text>,
    #[serde(default)]
    pub summary: Option<Text>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Steps {
    #[serde(default)]
    pub desktop: Vec<Text>,
    #[serde(default)]
    pub mobile: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OptOut {
    pub id: String,
    pub name: String,
    pub change: String,
    /// Where it applies; `None` means everywhere.
    #[serde(default)]
    pub regions: Option<Vec<String>>,
    #[serde(default)]
    pub summary: Option<Text>,
    #[serde(default)]
    pub stops: Vec<Text>,
    #[serde(default)]
    pub does_not_stop: Vec<Text>,
    #[serde(default)]
    pub steps: Steps,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    Official,
    News,
    Blog,
    Other,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub kind: SourceKind,
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub archive: Option<String>,
    #[serde(default)]
    pub notes: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueType {
    Regions,
    Date,
    YesNo,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    Official,
    Agreement,
    MostSpecific,
    Editor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

/// The site's answer to a question.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    pub verdict: serde_yaml::Value,
    pub rationale: Text,
    pub basis: Basis,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpenWord {
    Open,
}

/// `resolution: open`, or a verdict.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Resolution {
    Open(OpenWord),
    Resolved(Verdict),
}

/// A question the sources answer, possibly differently.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    #[serde(rename = "type")]
    pub value_type: ValueType,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub resolution: Option<Resolution>,
}

/// How a text claim stands against the verdict; typed claims are compared by value instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    Agrees,
    PartlyAgrees,
    Contradicts,
}

/// What one source says about one question.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub question: String,
    pub source: String,
    pub value: serde_yaml::Value,
    pub quote: String,
    /// For `text` questions only: the editor's reading of the claim against the verdict.
    #[serde(default)]
    pub stance: Option<Stance>,
    #[serde(default)]
    pub note: Option<Text>,
}

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
    pub links_to: std::collections::BTreeSet<String>,
    /// Its body's links within the site that the link check must verify (as rendered, e.g.
    /// `/guide/#faq`), with where each is written.
    pub hrefs: Vec<(String, Loc)>,
}

impl Article {
    pub fn file(&self) -> &std::path::Path {
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

/// Ids are lowercase ASCII letters, digits and inner `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Anything with an id, kept in a table.
pub trait Entity {
    /// The YAML field that holds the id.
    const ID_FIELD: &'static str = "id";
    fn id(&self) -> &str;
}

macro_rules! entity {
    ($($t:ty),*) => {$(
        impl Entity for $t {
            fn id(&self) -> &str {
                &self.id
            }
        }
    )*};
}
entity!(Region, Category, Exclusion, OptOut, Source, Question);

impl Entity for Claim {
    const ID_FIELD: &'static str = "question";
    fn id(&self) -> &str {
        &self.question
    }
}

/// The entries of one facts file, in file order, with their locations.
#[derive(Debug, Clone, Default)]
pub struct Table<T> {
    pub items: Vec<T>,
    pub spans: Spans,
    index: HashMap<String, usize>,
    /// Ids of entries left out because they did not load: known, so that references to
    /// them add no error of their own.
    broken: HashSet<String>,
}

impl<T: Entity> Table<T> {
    /// Builds the table; the first of several entries with one id wins the index.
    pub fn new(items: Vec<T>, spans: Spans) -> Table<T> {
        let mut index = HashMap::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            index.entry(item.id().to_string()).or_insert(i);
        }
        Table {
            items,
            spans,
            index,
            broken: HashSet::new(),
        }
    }

    /// The table, knowing `ids` of entries that failed to load.
    pub fn with_broken(mut self, ids: impl IntoIterator<Item = String>) -> Table<T> {
        self.broken.extend(ids);
        self
    }

    /// The ids of the entries, and of those that failed to load.
    pub fn known_ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.ids().chain(self.broken.iter().map(String::as_str))
    }

    pub fn get(&self, id: &str) -> Option<&T> {
        self.index.get(id).map(|&i| &self.items[i])
    }

    /// Whether an entry has this id (or had: one that failed to load counts).
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id) || self.broken.contains(id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.items.iter().map(Entity::id)
    }

    /// Where field `field` (a path such as `part_of/1`, or "" for the entry) of entry `i` is.
    pub fn loc(&self, i: usize, field: &str) -> Loc {
        if field.is_empty() {
            self.spans.at(&i.to_string())
        } else {
            self.spans.at(&path(&i.to_string(), field))
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
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
    /// Links within the site written in YAML text fields, as (page route, href, where), for
    /// the link check to name the source of a broken one. Filled by `links::link`.
    pub text_hrefs: Vec<(String, String, Loc)>,
}

impl Site {
    /// Articles that are published (not drafts).
    pub fn published(&self) -> impl Iterator<Item = &Article> {
        self.articles.iter().filter(|a| !a.front.draft)
    }

    pub fn change(&self, id: &str) -> Option<&Change> {
        self.config.changes.iter().find(|c| c.id == id)
    }
}
