//! The fast path's search index update: the edited article pages indexed on their own (an
//! article page's document and term weights are its own: `derive::search` weighs each page
//! apart), their documents and postings replaced in the kept index, numbered as they were;
//! then only the files holding them laid out again (`render::search::files_patched`).

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use crate::derive;
use crate::derive::search::Index;
use crate::model::Article;

/// The terms each article page (by URL) was last indexed with here, with their weights: an
/// edit compares with these rather than scanning the index for its page's old terms.
#[derive(Default)]
pub(super) struct Indexed(HashMap<String, HashMap<String, u32>>);

/// What a patch changed: the terms whose postings changed and the documents replaced.
pub(super) struct Patched {
    pub touched: BTreeSet<String>,
    pub docs: BTreeSet<u32>,
}

/// The terms whose postings hold document `n`, with its weight in each.
fn terms_of(index: &Index, n: u32) -> Vec<(String, u32)> {
    (index.terms.par_iter())
        .filter_map(|(t, p)| {
            let i = p.binary_search_by(|(d, _)| d.cmp(&n)).ok()?;
            Some((t.clone(), p[i].1))
        })
        .collect()
}

/// Sets the weight of document `n` in the postings of `term` (`None`: takes it out), and
/// says the term is touched.
fn set(index: &mut Index, term: &str, n: u32, weight: Option<u32>, touched: &mut BTreeSet<String>) {
    touched.insert(term.to_string());
    let p = index.terms.entry(term.to_string()).or_default();
    match (p.binary_search_by(|(d, _)| d.cmp(&n)), weight) {
        (Ok(i), Some(w)) => p[i].1 = w,
        (Ok(i), None) => {
            p.remove(i);
        }
        (Err(i), Some(w)) => p.insert(i, (n, w)),
        (Err(_), None) => {}
    }
    if p.is_empty() {
        index.terms.remove(term);
    }
}

/// Replaces the documents and postings of the article pages `fresh` in `index`, touching only
/// the terms whose weight in them changed; `None` when one is not in it (then the index may
/// be patched in part: the caller drops it).
pub(super) fn patch(index: &mut Index, fresh: &[&Article], seen: &mut Indexed) -> Option<Patched> {
    let mut out = Patched {
        touched: BTreeSet::new(),
        docs: BTreeSet::new(),
    };
    for a in fresh {
        let (doc, new) = derive::search::article_entry(a);
        let n = index.docs.iter().position(|d| d.url == doc.url)? as u32;
        let old: HashMap<String, u32> = match seen.0.remove(&doc.url) {
            Some(t) => t,
            None => terms_of(index, n).into_iter().collect(),
        };
        let new: HashMap<String, u32> = new.into_iter().collect();
        for t in old.keys().filter(|t| !new.contains_key(*t)) {
            set(index, t, n, None, &mut out.touched);
        }
        for (t, &w) in new.iter().filter(|(t, w)| old.get(*t) != Some(*w)) {
            set(index, t, n, Some(w), &mut out.touched);
        }
        seen.0.insert(doc.url.clone(), new);
        index.docs[n as usize] = doc;
        out.docs.insert(n);
    }
    Some(out)
}
