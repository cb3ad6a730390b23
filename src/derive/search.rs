//! The offline search index, a pure function of the site: each page worth finding as folded
//! terms → (page, weight), titles weighted over headings over body. `static/search.js` repeats
//! [`tokens`], [`shard_key`] and [`query`] (`tests/search_browser.rs` checks they agree).

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::derive::Derived;
use crate::derive::links::{Kind, route};
pub use crate::derive::search_terms::{MAX_TERM, html_text, shard_key, tokens};
use crate::derive::search_terms::{each_html_token, each_token, html_lead};
use crate::model::{Article, Resolution, Site, Text};
use postings::Postings;

mod postings;

/// The section each page is listed under, by the number its documents carry.
pub const SECTIONS: [&str; 7] = [
    "Article",
    "Region guide",
    "Category",
    "Exclusion",
    "Opt-out",
    "Source",
    "Question",
];
/// What one occurrence of a term weighs in a title, a heading, the body.
pub const TITLE: u32 = 8;
pub const HEADING: u32 = 3;
pub const BODY: u32 = 1;
/// How long a snippet is, in characters, at most.
const SNIPPET: usize = 180;

/// A page in the index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Doc {
    /// Its index in [`SECTIONS`].
    pub section: u8,
    pub url: String,
    pub title: String,
    pub snippet: String,
}

/// The index: its pages, in site order, and each term's postings (page, weight) by page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    pub docs: Vec<Doc>,
    pub terms: BTreeMap<String, Vec<(u32, u32)>>,
}

/// A page's text, by field, before tokenising.
#[derive(Debug, Default)]
pub(super) struct Fields<'s> {
    title: String,
    headings: Vec<String>,
    body: Vec<String>,
    /// More body, as rendered HTML (an article's), made text with the tokenising, in parallel.
    pub(super) html: Option<&'s str>,
}

/// A rich text's words: its rendered HTML as text, or its source before rendering.
fn text(t: &Text) -> String {
    if t.html.is_empty() {
        t.src.clone()
    } else {
        html_text(&t.html)
    }
}

/// At most [`SNIPPET`] characters of `text`, cut at a space, whitespace collapsed.
pub(super) fn snippet(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        if out.chars().count() + w.chars().count() + 1 > SNIPPET {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Calls `add` with each term of a page's fields and the weight of the field it is in.
fn each_term(f: &Fields, mut add: impl FnMut(&str, u32)) {
    each_token(&f.title, |t| add(t, TITLE));
    f.headings
        .iter()
        .for_each(|h| each_token(h, |t| add(t, HEADING)));
    f.body.iter().for_each(|b| each_token(b, |t| add(t, BODY)));
    (f.html.into_iter()).for_each(|h| each_html_token(h, |t| add(t, BODY)));
}

/// A page's terms and their weights, in term order.
pub type Weights = Vec<(String, u32)>;

/// Each term of a page's fields and its weight (occurrences times the field's weight), in
/// term order.
pub(super) fn weights(f: &Fields) -> Weights {
    let mut p = Postings::default();
    each_term(f, |t, w| p.add(0, t, w));
    (p.into_sorted().into_iter())
        .map(|(t, list)| (t, list.iter().map(|&(_, w)| w).sum()))
        .collect()
}

/// The snippet of a page with neither summary nor body: from the start of its HTML.
pub(super) fn html_snippet(f: &Fields) -> String {
    snippet(
        &f.html
            .map(|h| html_lead(h, SNIPPET + 1))
            .unwrap_or_default(),
    )
}

/// A page: section, URL, fields, and its snippet from `summary` (else the body).
fn page(section: u8, url: String, f: Fields, summary: Option<String>) -> (Doc, Option<Fields>) {
    // Without a summary or body, `index` takes the snippet from `f.html`.
    let snip = summary.unwrap_or_else(|| f.body.first().cloned().unwrap_or_default());
    let doc = Doc {
        section,
        url,
        title: f.title.clone(),
        snippet: snippet(&snip),
    };
    (doc, Some(f))
}

/// The article pages of `pages`, in site order.
fn article_pages<'s>(
    site: &'s Site,
    kept: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<(Doc, Option<Fields<'s>>)> {
    let mut out = Vec::new();
    for a in site.published() {
        let url = route(Kind::Article, &a.slug);
        if kept(&url) {
            let doc = Doc {
                section: 0,
                url,
                title: String::new(),
                snippet: String::new(),
            };
            out.push((doc, None));
            continue;
        }
        out.push(article_page(a, url));
    }
    out
}

/// An article's page at `url`: its title, headings, summary and HTML.
fn article_page(a: &Article, url: String) -> (Doc, Option<Fields<'_>>) {
    let f = Fields {
        title: a.front.title.clone(),
        headings: a.toc.iter().map(|h| h.title.clone()).collect(),
        body: a.front.summary.iter().cloned().collect(),
        html: Some(&a.html),
    };
    page(0, url, f, None)
}

/// An article page's document and term weights, as `index` makes them: a page's weights
/// depend on that page alone, so an edited article can be indexed on its own.
pub fn article_entry(a: &Article) -> (Doc, Weights) {
    let (mut doc, f) = article_page(a, route(Kind::Article, &a.slug));
    let f = f.unwrap_or_default();
    if doc.snippet.is_empty() {
        doc.snippet = html_snippet(&f);
    }
    let w = weights(&f);
    (doc, w)
}

/// Every page the index covers, in the order of `SECTIONS`, each in site order; an article
/// page `kept` accepts (by URL) only as its URL, without fields (`search_update` keeps its
/// document from an earlier index).
pub(super) fn pages<'s>(
    site: &'s Site,
    derived: &Derived,
    kept: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<(Doc, Option<Fields<'s>>)> {
    let mut out = article_pages(site, kept);
    let opt = |t: &Option<Text>| t.as_ref().map(text);
    for g in &derived.guides {
        out.push(guide(g));
    }
    for c in site.categories.iter() {
        let mut body: Vec<String> = opt(&c.summary).into_iter().collect();
        body.extend(c.examples.iter().cloned());
        let f = Fields {
            title: c.name.clone(),
            body,
            ..Fields::default()
        };
        out.push(page(2, route(Kind::Category, &c.id), f, None));
    }
    for e in site.exclusions.iter() {
        let body = [opt(&e.summary), opt(&e.condition)]
            .into_iter()
            .flatten()
            .collect();
        let f = Fields {
            title: e.name.clone(),
            body,
            ..Fields::default()
        };
        out.push(page(3, route(Kind::Exclusion, &e.id), f, None));
    }
    for o in site.optouts.iter() {
        let mut body: Vec<String> = opt(&o.summary).into_iter().collect();
        let lists = [
            &o.steps.desktop,
            &o.steps.mobile,
            &o.stops,
            &o.does_not_stop,
        ];
        body.extend(lists.into_iter().flatten().map(text));
        let f = Fields {
            title: o.name.clone(),
            body,
            ..Fields::default()
        };
        out.push(page(4, route(Kind::OptOut, &o.id), f, None));
    }
    for s in site.sources.iter() {
        let body = [Some(s.publisher.clone()), opt(&s.notes)]
            .into_iter()
            .flatten()
            .collect();
        let f = Fields {
            title: s.title.clone(),
            body,
            ..Fields::default()
        };
        out.push(page(5, route(Kind::Source, &s.id), f, None));
    }
    for q in site.questions.iter() {
        out.push(question(site, q));
    }
    out
}

/// A region's guide: its name; its other names, countries and changes as headings; what it
/// shows as body.
fn guide(g: &crate::derive::guides::Guide) -> (Doc, Option<Fields<'static>>) {
    let r = &g.region;
    let mut headings: Vec<String> = r.aliases.clone();
    headings.extend(g.countries.iter().map(|c| c.name.clone()));
    headings.extend(g.changes.iter().map(|c| c.change.name.clone()));
    let mut body: Vec<String> = [&r.regulator, &r.legal_basis]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    body.extend(r.notes.as_ref().map(text));
    let notes = g
        .changes
        .iter()
        .filter_map(|c| c.status.as_ref()?.note.as_ref());
    body.extend(notes.map(text));
    body.extend(g.categories.iter().map(|c| c.name.clone()));
    body.extend(g.exclusions.iter().map(|e| e.name.clone()));
    body.extend(g.optouts.iter().map(|o| o.name.clone()));
    body.extend(g.questions.iter().map(|q| q.question.text.clone()));
    let summary = r.notes.as_ref().map(text).or_else(|| r.regulator.clone());
    let f = Fields {
        title: format!("{} guide", r.name),
        headings,
        body,
        html: None,
    };
    page(1, g.url.clone(), f, summary)
}

/// A question: its text, its verdict's rationale, and its claims' quotes.
fn question(site: &Site, q: &crate::model::Question) -> (Doc, Option<Fields<'static>>) {
    let mut body = Vec::new();
    if let Some(Resolution::Resolved(v)) = &q.resolution {
        body.push(text(&v.rationale));
    }
    let quotes = site.claims.iter().filter(|c| c.question == q.id);
    body.extend(quotes.map(|c| c.quote.clone()));
    let f = Fields {
        title: q.text.clone(),
        body,
        ..Fields::default()
    };
    page(6, route(Kind::Claim, &q.id), f, None)
}

/// Pages indexed so far: their documents and the terms' postings.
#[derive(Default)]
struct Part {
    docs: Vec<Doc>,
    postings: Postings,
}

/// The search index of the site's pages.
pub fn index(site: &Site, derived: &Derived) -> Index {
    // Runs of pages on both cores, each run's terms owned once, then the runs joined in order.
    let all = (pages(site, derived, &|_| false).into_par_iter().enumerate())
        .with_min_len(256)
        .fold(Part::default, |mut part, (n, (mut doc, f))| {
            let f = f.unwrap_or_default();
            if doc.snippet.is_empty() {
                doc.snippet = html_snippet(&f);
            }
            each_term(&f, |t, w| part.postings.add(n as u32, t, w));
            part.docs.push(doc);
            part
        })
        .reduce(Part::default, |mut a, b| {
            a.docs.extend(b.docs);
            Part {
                docs: a.docs,
                postings: a.postings.merge(b.postings),
            }
        });
    Index {
        docs: all.docs,
        terms: all.postings.into_sorted().into_iter().collect(),
    }
}

/// The pages that match `query`, best first: every word must match a term (the last word
/// may be a term's prefix, at half the weight of the whole term); a page scores, for each
/// word, its best matching term's weight, summed over the words; ties in site order.
pub fn query(index: &Index, query: &str) -> Vec<usize> {
    let words = tokens(query);
    let mut total: Option<HashMap<u32, u32>> = None;
    for (i, w) in words.iter().enumerate() {
        let last = i + 1 == words.len();
        let mut best: HashMap<u32, u32> = HashMap::new();
        let matching = index
            .terms
            .range(w.clone()..)
            .take_while(|(t, _)| t.starts_with(w.as_str()));
        for (t, postings) in matching.filter(|(t, _)| last || *t == w) {
            let exact = if t == w { 2 } else { 1 };
            for &(d, weight) in postings {
                let s = best.entry(d).or_default();
                *s = (*s).max(weight * exact);
            }
        }
        total = Some(match total {
            None => best,
            Some(prev) => prev
                .into_iter()
                .filter_map(|(d, s)| best.get(&d).map(|b| (d, s + b)))
                .collect(),
        });
    }
    let mut hits: Vec<(u32, u32)> = total.unwrap_or_default().into_iter().collect();
    hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    hits.into_iter().map(|(d, _)| d as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_cut_at_a_word() {
        let long = "word ".repeat(100);
        let s = snippet(&long);
        assert!(
            s.ends_with("word…") && s.chars().count() <= SNIPPET + 1,
            "{s}"
        );
        assert_eq!(snippet("  two\n words "), "two words");
    }
}
