//! What an incremental rebuild keeps of the last build, without any page's bytes: each
//! article loaded and linked (front matter, slug, links, the first paragraph a description
//! needs), each page's ids and links for the link check, descriptions, what each article page
//! was rendered from, and the search index. `encode`/`decode` give its file form.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::codec::{Reader, Writer};
use crate::derive::search::{Doc, Index};
use crate::diagnostics::{Diagnostic, Loc, Severity};
use crate::model::{Article, Site};
use crate::model::{FrontFormat, FrontMatter};
use crate::pipeline::Built;
use crate::publish::linkcheck::{LinkIndex, PageLinks};
use crate::publish::output::Entry;

/// The first bytes of the state's file; another version is not read.
const HEADER: &[u8] = b"explainer-state 1\n";

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

impl Cached {
    /// What to keep of a loaded, linked article and the warnings its loading gave.
    pub fn of(a: &Article, warnings: &[Diagnostic]) -> Cached {
        let warnings = (warnings.iter())
            .filter_map(|d| {
                let loc = d.loc.as_ref()?;
                Some(Warning {
                    line: loc.line,
                    col: loc.col,
                    message: d.message.clone(),
                    help: d.help.clone(),
                })
            })
            .collect();
        Cached {
            file: a.file.to_string_lossy().replace('\\', "/"),
            slug: a.slug.clone(),
            front: a.front.clone(),
            format: a.format,
            body_line: a.body_line,
            stub: stub(&a.html),
            links_to: a.links_to.iter().cloned().collect(),
            warnings,
        }
    }

    /// The article again, with its first paragraph for HTML and no text, headings or source
    /// of its front matter (a rebuild that must show or locate more loads it again).
    pub fn article(&self) -> Article {
        Article {
            slug: self.slug.clone(),
            file: PathBuf::from(&self.file),
            front: self.front.clone(),
            front_src: String::new(),
            format: self.format,
            body: String::new(),
            body_line: self.body_line,
            html: self.stub.clone(),
            toc: Vec::new(),
            links_to: self.links_to.iter().cloned().collect(),
            hrefs: Vec::new(),
            warnings: Vec::new(),
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
    /// Each page's description, by route.
    pub descriptions: HashMap<String, String>,
    /// For each article page (by route), the hash of what it shows besides its own file.
    pub deps: HashMap<String, String>,
    /// Each HTML page's ids and links, by output path.
    pub pages: LinkIndex,
    pub search: Index,
    /// Every output file's size and hash (the output's manifest; not in the state's file).
    pub files: BTreeMap<String, Entry>,
    /// How many pages the site has.
    pub page_count: usize,
}

impl State {
    /// The state's file form (without `files`: that is the output's manifest).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes.extend_from_slice(HEADER);
        let articles: Vec<&Cached> = self.articles.values().collect();
        w.s(&serde_json::to_string(&articles).unwrap_or_default());
        w.strs(self.article_files.iter());
        w.strs(self.draft_slugs.iter());
        w.strs(self.category_ids.iter());
        w.s(&self.site_ctx);
        for map in [&self.descriptions, &self.deps] {
            let sorted: BTreeMap<&String, &String> = map.iter().collect();
            w.n(sorted.len() as u64);
            for (k, v) in sorted {
                w.s(k);
                w.s(v);
            }
        }
        let pages: BTreeMap<&String, &PageLinks> = self.pages.iter().collect();
        w.n(pages.len() as u64);
        for (path, p) in pages {
            w.s(path);
            w.strs(p.ids.iter());
            w.strs(p.links.iter());
        }
        encode_search(&mut w, &self.search);
        w.n(self.page_count as u64);
        w.bytes
    }

    /// Reads `encode`'s bytes; `None` when they are not a state of this version.
    pub fn decode(bytes: &[u8]) -> Option<State> {
        let mut r = Reader::new(bytes.strip_prefix(HEADER)?);
        let articles: Vec<Cached> = serde_json::from_str(&r.s()?).ok()?;
        let mut s = State {
            articles: articles.into_iter().map(|a| (a.file.clone(), a)).collect(),
            article_files: r.strs()?.into_iter().collect(),
            draft_slugs: r.strs()?,
            category_ids: r.strs()?,
            site_ctx: r.s()?,
            ..State::default()
        };
        for map in [&mut s.descriptions, &mut s.deps] {
            let n = r.len()?;
            map.reserve(n);
            for _ in 0..n {
                map.insert(r.s()?, r.s()?);
            }
        }
        let n = r.len()?;
        s.pages.reserve(n);
        for _ in 0..n {
            let path = r.s()?;
            let (ids, links) = (r.strs()?, r.strs()?);
            s.pages.insert(path, PageLinks { ids, links });
        }
        s.search = decode_search(&mut r)?;
        s.page_count = usize::try_from(r.n()?).ok()?;
        r.done().then_some(s)
    }
}

/// An article's file as the state names it: relative, `/`-separated.
pub fn file_key(a: &Article) -> String {
    a.file.to_string_lossy().replace('\\', "/")
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

/// The parts of a rebuild's state that come from its plan.
pub(super) struct Parts {
    pub site_ctx: String,
    pub descriptions: HashMap<String, String>,
    pub deps: HashMap<String, String>,
    pub page_count: usize,
}

/// The state after a rebuild from `prev`: its articles (unchanged ones moved over from
/// `prev`), and what it assembled.
pub(super) fn next(
    mut prev: State,
    c: &super::Checked,
    search: Index,
    pages: LinkIndex,
    files: BTreeMap<String, Entry>,
    parts: Parts,
) -> State {
    let articles = (c.site.articles.iter())
        .map(|a| {
            let file = file_key(a);
            let cached = match c.fresh.get(&file) {
                Some(warnings) => Cached::of(a, warnings),
                None => prev
                    .articles
                    .remove(&file)
                    .unwrap_or_else(|| Cached::of(a, &[])),
            };
            (file, cached)
        })
        .collect();
    State {
        articles,
        article_files: c.files.clone(),
        draft_slugs: c.site.draft_articles.clone(),
        category_ids: category_ids(&c.site),
        site_ctx: parts.site_ctx,
        descriptions: parts.descriptions,
        deps: parts.deps,
        pages,
        search,
        files,
        page_count: parts.page_count,
    }
}

impl State {
    /// The state of a full build whose output files are `files`.
    pub fn of(built: &Built, files: BTreeMap<String, Entry>) -> State {
        let site = &built.site;
        // Load warnings are not kept apart from the others: the few files warned about are
        // parsed again to find theirs.
        let warned: BTreeSet<&Path> = (built.warnings.iter())
            .filter_map(|d| Some(d.loc.as_ref()?.file.as_path()))
            .collect();
        let articles = (site.articles.par_iter())
            .map(|a| {
                let warnings = if warned.contains(a.file.as_path()) {
                    load_warnings(&built.root, &a.file)
                } else {
                    Vec::new()
                };
                (file_key(a), Cached::of(a, &warnings))
            })
            .collect();
        let mut ignored = crate::diagnostics::Diagnostics::default();
        let article_files = (crate::load::articles::article_files(&built.root, &mut ignored))
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        let ctx = hash_json(&built.site_ctx);
        let deps = super::affected::deps(site, &built.backlinks, &built.descriptions, &ctx);
        State {
            articles,
            article_files,
            draft_slugs: site.draft_articles.clone(),
            category_ids: category_ids(site),
            site_ctx: ctx,
            descriptions: built.descriptions.clone(),
            deps,
            pages: built.links.clone(),
            search: built.search.clone(),
            files,
            page_count: built.pages,
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

fn encode_search(w: &mut Writer, index: &Index) {
    w.n(index.docs.len() as u64);
    for d in &index.docs {
        w.n(u64::from(d.section));
        w.s(&d.url);
        w.s(&d.title);
        w.s(&d.snippet);
    }
    w.n(index.terms.len() as u64);
    for (term, postings) in &index.terms {
        w.s(term);
        w.n(postings.len() as u64);
        let mut prev = 0;
        for &(d, weight) in postings {
            w.n(u64::from(d - prev));
            w.n(u64::from(weight));
            prev = d;
        }
    }
}

fn decode_search(r: &mut Reader) -> Option<Index> {
    let n = r.len()?;
    let mut docs = Vec::with_capacity(n);
    for _ in 0..n {
        let section = u8::try_from(r.n()?).ok()?;
        let (url, title, snippet) = (r.s()?, r.s()?, r.s()?);
        docs.push(Doc {
            section,
            url,
            title,
            snippet,
        });
    }
    let n = r.len()?;
    let mut terms = BTreeMap::new();
    for _ in 0..n {
        let term = r.s()?;
        let count = r.len()?;
        let mut postings = Vec::with_capacity(count);
        let mut d: u32 = 0;
        for _ in 0..count {
            d = d.checked_add(r.u32()?)?;
            postings.push((d, r.u32()?));
        }
        terms.insert(term, postings);
    }
    Some(Index { docs, terms })
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

    #[test]
    fn a_state_round_trips_and_a_damaged_one_is_refused() {
        let mut s = State {
            site_ctx: "h".into(),
            page_count: 3,
            ..State::default()
        };
        s.article_files.insert("content/articles/a.md".into());
        s.descriptions.insert("/".into(), "Home".into());
        s.pages.insert(
            "index.html".into(),
            PageLinks {
                ids: vec!["a".into()],
                links: vec!["/x/".into()],
            },
        );
        s.search.docs.push(Doc {
            section: 0,
            url: "/a/".into(),
            title: "A".into(),
            snippet: "s".into(),
        });
        s.search.terms.insert("a".into(), vec![(0, 8), (3, 1)]);
        let bytes = s.encode();
        let back = State::decode(&bytes).expect("decodes");
        assert_eq!(back.encode(), bytes);
        assert_eq!(back.search, s.search);
        assert!(State::decode(&bytes[..bytes.len() - 1]).is_none());
        assert!(State::decode(b"garbage").is_none());
    }
}
