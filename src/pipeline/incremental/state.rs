//! What an incremental rebuild keeps of the last build, without any page's bytes: each
//! article loaded and linked (front matter, slug, links, the first paragraph a description
//! needs), each page's ids and links for the link check, descriptions, what each article page
//! was rendered from, and the search index. Its file form is `store`'s.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::page_links::PageStore;
use super::views::{self, View};
use crate::derive::search::Index;
use crate::diagnostics::{Diagnostic, Diagnostics, Loc, Severity};
use crate::model::{Article, Site};
use crate::model::{FrontFormat, FrontMatter};
use crate::pipeline::Built;
use crate::publish::output::Entry;

/// A warning found while loading an article, kept to be said again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Warning {
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub help: Option<String>,
}

/// An article as a rebuild keeps it: loaded and linked, without its text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cached {
    pub file: String,
    pub slug: String,
    pub front: FrontMatter,
    pub format: FrontFormat,
    pub body_line: usize,
    /// The first `<p>…</p>` of its HTML: all that the page descriptions read of its text.
    pub stub: String,
    pub links_to: Vec<String>,
    pub warnings: Vec<Warning>,
}

/// The first `<p>…</p>` of `html`, or nothing when it has none (as `meta` finds it).
fn stub(html: &str) -> String {
    let Some(start) = html.find("<p>") else {
        return String::new();
    };
    match html[start + 3..].find("</p>") {
        Some(len) => html[start..start + 3 + len + 4].to_string(),
        None => String::new(),
    }
}

/// Load warnings as the state keeps them.
fn kept(warnings: &[Diagnostic]) -> Vec<Warning> {
    (warnings.iter())
        .filter_map(|d| {
            let loc = d.loc.as_ref()?;
            Some(Warning {
                line: loc.line,
                col: loc.col,
                message: d.message.clone(),
                help: d.help.clone(),
            })
        })
        .collect()
}

impl Cached {
    /// What to keep of a loaded, linked article and the warnings its loading gave.
    pub fn of(a: &Article, warnings: &[Diagnostic]) -> Cached {
        Cached {
            file: file_key(a),
            slug: a.slug.clone(),
            front: a.front.clone(),
            format: a.format,
            body_line: a.body_line,
            stub: stub(&a.html),
            links_to: a.links_to.iter().cloned().collect(),
            warnings: kept(warnings),
        }
    }

    /// The article again, with its first paragraph for HTML, its load warnings, and no text,
    /// headings or source of its front matter (a rebuild that must show or locate more loads
    /// it again).
    pub fn into_article(self) -> Article {
        let warnings = self.diagnostics().collect();
        Article {
            file: PathBuf::from(&self.file),
            slug: self.slug,
            front: self.front,
            front_src: String::new(),
            format: self.format,
            body: String::new(),
            body_line: self.body_line,
            html: self.stub,
            toc: Vec::new(),
            links_to: self.links_to.into_iter().collect(),
            hrefs: Vec::new(),
            warnings,
        }
    }

    /// As `of`, taking the article apart (its load warnings are `warnings`, else its own).
    pub fn from_article(a: Article, warnings: Option<&[Diagnostic]>) -> Cached {
        Cached {
            file: file_key(&a),
            // An article taken from the state has its stub for HTML already.
            stub: if stub(&a.html).len() == a.html.len() {
                a.html
            } else {
                stub(&a.html)
            },
            warnings: kept(warnings.unwrap_or(&a.warnings)),
            slug: a.slug,
            front: a.front,
            format: a.format,
            body_line: a.body_line,
            links_to: a.links_to.into_iter().collect(),
        }
    }

    /// Its loading warnings, as diagnostics.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.warnings.iter().map(|w| Diagnostic {
            severity: Severity::Warning,
            loc: Some(Loc::new(&self.file, w.line, w.col)),
            message: w.message.clone(),
            help: w.help.clone(),
        })
    }
}

/// The state of the last good build that a rebuild starts from.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// Every loaded article (drafts too in a build that shows them), by file.
    pub articles: BTreeMap<String, Cached>,
    /// Every article file of that build: those not in `articles` were drafts left out.
    pub article_files: BTreeSet<String>,
    pub draft_slugs: Vec<String>,
    /// The data categories' ids: which front-matter categories are labels depends on them.
    pub category_ids: Vec<String>,
    /// The BLAKE3 hash of the context every page shares.
    pub site_ctx: String,
    /// Each page's description's `fingerprint`, by route.
    pub descriptions: HashMap<String, u128>,
    /// For each article page (by route), the fingerprint of what it shows besides its file.
    pub deps: HashMap<String, u128>,
    /// Each HTML page's ids and links, by output path.
    pub pages: PageStore,
    pub search: Index,
    /// The shard prefix its files were laid out with.
    pub search_prefix: usize,
    /// Every output file's size and hash (the output's manifest; not in the state's file).
    pub files: BTreeMap<String, Entry>,
    /// How many pages the site has.
    pub page_count: usize,
    /// Each article page's description and backlinks, by route (for `fast`).
    pub views: HashMap<String, View>,
    /// The build's warnings, in order (said again by a rebuild that changes none).
    pub warnings: Diagnostics,
}

/// An article's file as the state names it: relative, `/`-separated.
pub fn file_key(a: &Article) -> String {
    a.file.to_string_lossy().replace('\\', "/")
}

/// Whether the article's file is among `fresh`'s keys (without making its key when the path
/// is already `/`-separated text).
pub fn is_fresh<V>(fresh: &BTreeMap<String, V>, a: &Article) -> bool {
    match a.file.to_str() {
        Some(f) if !f.contains('\\') => fresh.contains_key(f),
        _ => fresh.contains_key(&file_key(a)),
    }
}

/// The data categories' ids (drafts too), sorted.
pub fn category_ids(site: &Site) -> Vec<String> {
    let mut ids: Vec<String> = (site.categories.known_ids())
        .chain(site.categories.draft_ids())
        .map(str::to_string)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The BLAKE3 hash of a JSON value's text.
pub fn hash_json(v: &serde_json::Value) -> String {
    blake3::hash(&serde_json::to_vec(v).unwrap_or_default())
        .to_hex()
        .to_string()
}

/// The first 128 bits of a text's BLAKE3 hash: enough to tell two versions apart.
pub fn fingerprint(text: &str) -> u128 {
    let hash = blake3::hash(text.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&hash.as_bytes()[..16]);
    u128::from_le_bytes(first)
}

/// Each description's fingerprint, by route.
pub fn fingerprints(descriptions: &HashMap<String, String>) -> HashMap<String, u128> {
    (descriptions.iter())
        .map(|(route, d)| (route.clone(), fingerprint(d)))
        .collect()
}

/// The parts of a rebuild's state that come from its plan.
pub(super) struct Parts {
    pub search_prefix: usize,
    pub site_ctx: String,
    pub descriptions: HashMap<String, u128>,
    pub deps: HashMap<String, u128>,
    pub page_count: usize,
    pub views: HashMap<String, View>,
    pub warnings: Diagnostics,
}

/// The state after a rebuild from `prev`: its articles (unchanged ones moved over from
/// `prev`), and what it assembled.
pub(super) fn next(
    c: super::Checked,
    search: Index,
    pages: PageStore,
    files: BTreeMap<String, Entry>,
    parts: Parts,
) -> State {
    let category_ids = category_ids(&c.site);
    let fresh = &c.fresh;
    let articles = (c.site.articles.into_par_iter())
        .map(|a| {
            let file = file_key(&a);
            let warnings = fresh.get(&file).map(Vec::as_slice);
            (file, Cached::from_article(a, warnings))
        })
        .collect();
    State {
        articles,
        article_files: c.files,
        draft_slugs: c.site.draft_articles,
        category_ids,
        site_ctx: parts.site_ctx,
        descriptions: parts.descriptions,
        deps: parts.deps,
        pages,
        search,
        search_prefix: parts.search_prefix,
        files,
        page_count: parts.page_count,
        views: parts.views,
        warnings: parts.warnings,
    }
}

impl State {
    /// The state of a full build whose output files are `files`. Takes the build's articles,
    /// link index and search index (left empty: the build is done with them).
    pub fn of(built: &mut Built, files: BTreeMap<String, Entry>) -> State {
        let search = std::mem::take(&mut built.search);
        let links = std::mem::take(&mut built.links);
        let ctx = hash_json(&built.site_ctx);
        let descriptions = fingerprints(&built.descriptions);
        let deps = super::affected::deps(&built.site, &built.backlinks, &descriptions, &ctx);
        let texts = &built.descriptions;
        let views = views::of(&built.site, &built.backlinks, |r| texts.get(r).cloned());
        let site = &mut built.site;
        // Load warnings are not kept apart from the others: the few files warned about are
        // parsed again to find theirs.
        let warned: BTreeSet<&Path> = (built.warnings.iter())
            .filter_map(|d| Some(d.loc.as_ref()?.file.as_path()))
            .collect();
        let root = &built.root;
        let articles = (std::mem::take(&mut site.articles).into_par_iter())
            .map(|a| {
                let warnings = if warned.contains(a.file.as_path()) {
                    load_warnings(root, &a.file)
                } else {
                    Vec::new()
                };
                (file_key(&a), Cached::from_article(a, Some(&warnings)))
            })
            .collect();
        let mut ignored = crate::diagnostics::Diagnostics::default();
        let article_files = (crate::load::articles::article_files(&built.root, &mut ignored))
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        State {
            articles,
            article_files,
            draft_slugs: site.draft_articles.clone(),
            category_ids: category_ids(site),
            site_ctx: ctx,
            descriptions,
            deps,
            pages: PageStore::from_index(links),
            search_prefix: crate::render::search::prefix_of(&search),
            search,
            files,
            page_count: built.pages,
            views,
            warnings: built.warnings.clone(),
        }
    }
}

/// The warnings loading the article at `file` gives.
fn load_warnings(root: &Path, file: &Path) -> Vec<Diagnostic> {
    let src = crate::load::facts::read(root, file);
    src.ok()
        .and_then(|s| crate::load::articles::parse_reporting(file, &s).ok())
        .map(|a| a.warnings)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stubs_keep_the_first_paragraph() {
        assert_eq!(
            stub("<h2>x</h2><p>One <em>a</em></p><p>2</p>"),
            "<p>One <em>a</em></p>"
        );
        assert_eq!(stub("<pre>x</pre>"), "");
        assert_eq!(stub("<p>open"), "");
    }
}
