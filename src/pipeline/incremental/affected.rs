//! Which pages a rebuild renders again: an article page when its file changed or what it shows
//! of the rest of the site did (`deps`); any page whose description changed; every other page
//! after a facts change, else those that list or link a changed article (as `serve` did).

use std::collections::{BTreeSet, HashMap, HashSet};

use super::state::{Cached, State, file_key};
use super::{Changes, Checked};
use crate::derive::links::{Backlinks, Kind, route};
use crate::model::{Article, Site};
use crate::render::pages::{Page, Shows};

/// For each article page (by route), the BLAKE3 hash of what it shows besides its own file:
/// the shared context's hash, its backlinks, its description and its data categories' names.
pub(super) fn deps(
    site: &Site,
    backlinks: &Backlinks,
    descriptions: &HashMap<String, u128>,
    ctx_hash: &str,
) -> HashMap<String, u128> {
    use rayon::prelude::*;
    (site.articles.par_iter())
        .map(|a| {
            let url = route(Kind::Article, &a.slug);
            let mut h = blake3::Hasher::new();
            let mut put = |s: &str| {
                h.update(&(s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            };
            put(ctx_hash);
            let description = descriptions.get(&url).copied().unwrap_or_default();
            put(&description.to_string());
            for b in backlinks.get(&url).into_iter().flatten() {
                put(&b.url);
                put(&b.title);
            }
            for c in &a.front.categories {
                put(c);
                put(site.categories.get(c).map_or("", |c| c.name.as_str()));
            }
            let mut first = [0u8; 16];
            first.copy_from_slice(&h.finalize().as_bytes()[..16]);
            (url, u128::from_le_bytes(first))
        })
        .collect()
}

/// What lists and cards show of an article.
fn shown(c: &Cached) -> impl PartialEq + '_ {
    let f = &c.front;
    let list = (&f.title, &f.summary, f.date, f.updated, f.weight, f.draft);
    (list, &f.regions, &f.categories, &f.tags, &c.slug)
}

/// The routes to render again.
pub(super) fn pages(
    prev: &State,
    c: &Checked,
    planned: &[Page],
    (descriptions, deps): (&HashMap<String, u128>, &HashMap<String, u128>),
    changes: &Changes,
    ctx_changed: bool,
) -> HashSet<String> {
    let all = planned.iter().map(|p| p.route.clone());
    if ctx_changed {
        return all.collect();
    }
    let mut out: HashSet<String> = HashSet::new();
    for p in planned {
        let is_article = matches!(p.shows, Shows::Article(_));
        if prev.descriptions.get(&p.route) != descriptions.get(&p.route)
            || (changes.facts && !is_article)
            || (is_article && prev.deps.get(&p.route) != deps.get(&p.route))
        {
            out.insert(p.route.clone());
        }
    }
    let now: HashMap<String, &Article> =
        (c.site.articles.iter()).map(|a| (file_key(a), a)).collect();
    for file in &changes.articles {
        let old = prev.articles.get(file);
        let new = now.get(file).map(|a| Cached::of(a, &[]));
        if let Some(a) = &new {
            out.insert(route(Kind::Article, &a.slug));
        }
        listed(old, new.as_ref(), &mut out);
    }
    out
}

/// Adds the pages that list or link an article edited from `old` to `new` (either absent
/// when it was added or removed).
fn listed(old: Option<&Cached>, new: Option<&Cached>, out: &mut HashSet<String>) {
    let both = old.into_iter().chain(new);
    let shown_changed = match (old, new) {
        (Some(a), Some(b)) => shown(a) != shown(b),
        _ => true,
    };
    if shown_changed {
        out.insert("/".into());
        out.insert("/articles/".into());
        for a in both.clone() {
            for id in &a.front.regions {
                out.insert(route(Kind::Region, id));
            }
            for id in &a.front.categories {
                out.insert(route(Kind::Category, id));
            }
        }
    }
    let links = |c: Option<&Cached>| -> BTreeSet<String> {
        c.map(|c| c.links_to.iter().cloned().collect())
            .unwrap_or_default()
    };
    let (before, after) = (links(old), links(new));
    if shown_changed || before != after {
        out.extend(before.symmetric_difference(&after).cloned());
        let title = |c: Option<&Cached>| c.map(|c| c.front.title.clone());
        if title(old) != title(new) {
            out.extend(before.union(&after).cloned());
        }
    }
}
