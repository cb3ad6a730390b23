//! The search index of a site made from an earlier version's (`update`): pages whose text did
//! not change keep their documents and postings, and only the terms of the pages that changed
//! are touched, so that `render::search` can lay out again only the shards holding them.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use crate::derive::Derived;
use crate::derive::search::{Doc, Index, Weights, html_snippet, pages, weights};
use crate::model::Site;

/// An index made by `update`, and the terms whose postings changed (`None`: any may have).
pub struct Updated {
    pub index: Index,
    pub touched: Option<BTreeSet<String>>,
}

/// The index of the site's pages, made from `old` (the index of an earlier version): an
/// article page `reuse` accepts by URL keeps its document and postings (its text did not
/// change: the site may hold only a stand-in of its HTML), and so does every other page when
/// `facts_same`; the rest is indexed anew. Equal to `search::index` when those are right.
pub fn update(
    old: Index,
    site: &Site,
    derived: &Derived,
    reuse: impl Fn(&str) -> bool + Sync,
    facts_same: bool,
) -> Updated {
    let Index {
        docs: old_docs,
        mut terms,
    } = old;
    let by_url: HashMap<&str, u32> = (old_docs.iter().enumerate())
        .map(|(n, d)| (d.url.as_str(), n as u32))
        .collect();
    let kept = |url: &str| by_url.contains_key(url) && reuse(url);
    let fresh: Vec<(Doc, Option<Weights>)> = pages(site, derived, &kept)
        .into_par_iter()
        .map(|(mut doc, f)| {
            let old = by_url.get(doc.url.as_str()).map(|&o| &old_docs[o as usize]);
            match (f, old) {
                (None, Some(o)) => (o.clone(), None),
                (Some(_), Some(o))
                    if facts_same && doc.section != 0 && o.section == doc.section =>
                {
                    (o.clone(), None)
                }
                (f, _) => {
                    let f = f.unwrap_or_default();
                    if doc.snippet.is_empty() {
                        doc.snippet = html_snippet(&f);
                    }
                    let w = weights(&f);
                    (doc, Some(w))
                }
            }
        })
        .collect();
    let mut remap: Vec<Option<u32>> = vec![None; old_docs.len()];
    for (n, (doc, w)) in fresh.iter().enumerate() {
        if w.is_none() {
            remap[by_url[doc.url.as_str()] as usize] = Some(n as u32);
        }
    }
    let identity = (remap.iter().enumerate()).all(|(o, m)| m.is_none_or(|n| n as usize == o));
    let mut touched = if identity {
        Some(drop_docs(&mut terms, &remap))
    } else {
        remap_all(&mut terms, &remap);
        None
    };
    let mut added = BTreeSet::new();
    let mut docs = Vec::with_capacity(fresh.len());
    for (n, (doc, w)) in fresh.into_iter().enumerate() {
        for (t, weight) in w.into_iter().flatten() {
            terms.entry(t.clone()).or_default().push((n as u32, weight));
            added.insert(t);
        }
        docs.push(doc);
    }
    for t in &added {
        if let Some(p) = terms.get_mut(t) {
            p.sort_unstable();
        }
    }
    if let Some(touched) = &mut touched {
        touched.extend(added);
    }
    terms.retain(|_, p| !p.is_empty());
    Updated {
        index: Index { docs, terms },
        touched,
    }
}

type Terms = std::collections::BTreeMap<String, Vec<(u32, u32)>>;

/// Removes the postings of the documents `remap` drops (numbers stay): the terms touched.
fn drop_docs(terms: &mut Terms, remap: &[Option<u32>]) -> BTreeSet<String> {
    let dropped: Vec<u32> = (remap.iter().enumerate())
        .filter(|(_, m)| m.is_none())
        .map(|(o, _)| o as u32)
        .collect();
    if dropped.is_empty() {
        return BTreeSet::new();
    }
    let few = dropped.len() <= 8;
    (terms.par_iter_mut())
        .filter_map(|(t, p)| {
            let before = p.len();
            if few {
                for d in &dropped {
                    if let Ok(i) = p.binary_search_by(|(x, _)| x.cmp(d)) {
                        p.remove(i);
                    }
                }
            } else {
                p.retain(|(d, _)| remap[*d as usize].is_some());
            }
            (p.len() != before).then(|| t.clone())
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// Renumbers every posting as `remap` says, dropping those it drops.
fn remap_all(terms: &mut Terms, remap: &[Option<u32>]) {
    let monotone = remap.iter().flatten().is_sorted();
    terms.par_iter_mut().for_each(|(_, p)| {
        p.retain_mut(|(d, _)| match remap[*d as usize] {
            Some(n) => {
                *d = n;
                true
            }
            None => false,
        });
        if !monotone {
            p.sort_unstable();
        }
    });
}
