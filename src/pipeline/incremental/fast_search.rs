//! The fast path's search index update: the edited article pages indexed on their own (an
//! article page's document and term weights are its own: `derive::search` weighs each page
//! apart), their documents and postings replaced in the kept index, numbered as they were;
//! then only the files holding them laid out again (`render::search::files_patched`).

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use crate::derive::search::Index;
use crate::derive::{self, Derived};
use crate::model::{Article, Site, Table};

/// A site of no facts and no articles, to index a few articles on their own.
pub(super) struct Alone {
    site: Site,
    derived: Derived,
    /// The terms each article page (by URL) was last indexed with here.
    terms: HashMap<String, Vec<String>>,
}

impl Alone {
    pub fn of(site: &Site) -> Alone {
        let site = Site {
            root: site.root.clone(),
            config: site.config.clone(),
            config_spans: Default::default(),
            regions: Table::new(Vec::new(), Default::default()),
            categories: Table::new(Vec::new(), Default::default()),
            exclusions: Table::new(Vec::new(), Default::default()),
            optouts: Table::new(Vec::new(), Default::default()),
            sources: Table::new(Vec::new(), Default::default()),
            questions: Table::new(Vec::new(), Default::default()),
            claims: Table::new(Vec::new(), Default::default()),
            articles: Vec::new(),
            unloaded_articles: Vec::new(),
            draft_articles: Vec::new(),
            text_hrefs: Vec::new(),
            archives: Default::default(),
        };
        let derived = derive::derive(&site);
        Alone {
            site,
            derived,
            terms: HashMap::new(),
        }
    }
}

/// What a patch changed: the terms whose postings changed and the documents replaced.
pub(super) struct Patched {
    pub touched: BTreeSet<String>,
    pub docs: BTreeSet<u32>,
}

/// The terms whose postings hold document `n`.
fn terms_of(index: &Index, n: u32) -> Vec<String> {
    (index.terms.par_iter())
        .filter(|(_, p)| p.binary_search_by(|(d, _)| d.cmp(&n)).is_ok())
        .map(|(t, _)| t.clone())
        .collect()
}

/// Replaces the documents and postings of the article pages `fresh` in `index`; `None` when
/// one is not in it (then the index may be patched in part: the caller drops it).
pub(super) fn patch(index: &mut Index, fresh: &[&Article], alone: &mut Alone) -> Option<Patched> {
    alone.site.articles = fresh.iter().map(|a| (*a).clone()).collect();
    let own = derive::search::index(&alone.site, &alone.derived);
    alone.site.articles.clear();
    let mut out = Patched {
        touched: BTreeSet::new(),
        docs: BTreeSet::new(),
    };
    for (m, doc) in own.docs.iter().enumerate() {
        let m = m as u32;
        if doc.section != 0 {
            continue; // A page of the empty site, not an article's.
        }
        let n = index.docs.iter().position(|d| d.url == doc.url)?;
        let n = n as u32;
        let old = match alone.terms.remove(&doc.url) {
            Some(t) => t,
            None => terms_of(index, n),
        };
        for t in old {
            if let Some(p) = index.terms.get_mut(&t) {
                if let Ok(i) = p.binary_search_by(|(d, _)| d.cmp(&n)) {
                    p.remove(i);
                }
                if p.is_empty() {
                    index.terms.remove(&t);
                }
            }
            out.touched.insert(t);
        }
        let new: Vec<(&String, u32)> = (own.terms.iter())
            .filter_map(|(t, p)| Some((t, p.iter().find(|(d, _)| *d == m)?.1)))
            .collect();
        for &(t, w) in &new {
            let p = index.terms.entry(t.clone()).or_default();
            match p.binary_search_by(|(d, _)| d.cmp(&n)) {
                Ok(i) => p[i].1 = w,
                Err(i) => p.insert(i, (n, w)),
            }
            out.touched.insert(t.clone());
        }
        let kept = new.into_iter().map(|(t, _)| t.clone()).collect();
        alone.terms.insert(doc.url.clone(), kept);
        index.docs[n as usize] = doc.clone();
        out.docs.insert(n);
    }
    Some(out)
}
