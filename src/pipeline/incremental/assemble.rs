//! A rebuild's output: every file the site has now, the bytes of those made again (pages
//! rendered, the site-wide files, the search index), compared by hash with the last build's;
//! then the link check of what changed, on the ids and links the state keeps of the rest.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use super::Changes;
use super::page_links::PageStore;
use super::state::{State, is_fresh};
use crate::derive::links::{Kind, route};
use crate::derive::{search, search_update};
use crate::diagnostics::Diagnostic;
use crate::pipeline::add_files;
use crate::publish::linkcheck::{self, PageLinks, Pages, Sources};
use crate::publish::output::{Entry, Output};
use crate::render;
use crate::render::pages::{Plan, file_of};

/// What the output becomes.
pub(super) struct Assembled {
    pub write: Vec<(String, Vec<u8>)>,
    pub remove: Vec<String>,
    pub files: BTreeMap<String, Entry>,
    pub index: PageStore,
    pub search: search::Index,
    pub search_prefix: usize,
}

/// Every output file: `Some(bytes)` when made by this rebuild, `None` when kept as it was.
type Files = BTreeMap<String, Option<Vec<u8>>>;

/// What a stand-in output holds for a file kept from the last build.
const KEPT: &[u8] = b"\0explainer: kept from the last build\0";

/// The static files, and the files beside the pages as a full build adds them: by the same
/// `pipeline::add_files`, on a stand-in output of every path the site has so far, so that the
/// two cannot drift apart.
fn site_files(root: &Path, plan: &Plan, files: &mut Files) -> Result<(), Option<String>> {
    let statics = render::static_files(root).map_err(|_| None::<String>)?;
    files.extend(statics.into_iter().map(|(p, b)| (p, Some(b))));
    let mut scratch = Output {
        files: files.keys().map(|p| (p.clone(), KEPT.to_vec())).collect(),
        base_path: String::new(),
    };
    add_files(plan.site, plan.derived, plan, &mut scratch).map_err(|_| None::<String>)?;
    for (p, b) in scratch.files {
        if b != KEPT {
            files.insert(p, Some(b));
        }
    }
    Ok(())
}

/// Assembles the output after a rebuild rendered `rendered`, and checks its links.
pub(super) fn assemble(
    root: &Path,
    prev: &mut State,
    plan: &Plan,
    rendered: Vec<(String, Vec<u8>)>,
    changes: &Changes,
    fresh: &BTreeMap<String, Vec<Diagnostic>>,
) -> Result<Assembled, Option<String>> {
    let mut files: Files = (plan.pages.iter())
        .map(|p| (file_of(&p.route), None))
        .collect();
    files.extend(rendered.into_iter().map(|(p, b)| (p, Some(b))));
    site_files(root, plan, &mut files)?;
    let old_search = std::mem::take(&mut prev.search);
    let index = if changes.articles.is_empty() && !changes.facts {
        for p in prev
            .files
            .keys()
            .filter(|p| crate::pipeline::is_search_file(p))
        {
            files.entry(p.clone()).or_insert(None);
        }
        old_search
    } else {
        let fresh_urls: BTreeSet<String> = (plan.site.articles.iter())
            .filter(|a| is_fresh(fresh, a))
            .map(|a| route(Kind::Article, &a.slug))
            .collect();
        let reuse = |url: &str| !fresh_urls.contains(url);
        let up = search_update::update(old_search, plan.site, plan.derived, reuse, !changes.facts);
        let touched = up.touched.as_ref().map(|t| (t, prev.search_prefix));
        let (prefix, laid) = render::search::files_touched(&up.index, touched);
        prev.search_prefix = prefix;
        files.extend(laid);
        up.index
    };
    let (write, entries) = compare(prev, files)?;
    let remove: Vec<String> = (prev.files.keys())
        .filter(|p| !entries.contains_key(*p))
        .cloned()
        .collect();
    let links = check_links(prev, &write, &remove, &entries, plan)?;
    Ok(Assembled {
        write,
        remove,
        files: entries,
        index: links,
        search: index,
        search_prefix: prev.search_prefix,
    })
}

/// The files whose bytes differ from the last build's, and every file's entry.
#[allow(clippy::type_complexity)]
fn compare(
    prev: &State,
    files: Files,
) -> Result<(Vec<(String, Vec<u8>)>, BTreeMap<String, Entry>), Option<String>> {
    let judged: Result<Vec<(String, Entry, Option<Vec<u8>>)>, String> = files
        .into_par_iter()
        .map(|(path, bytes)| match bytes {
            Some(b) => {
                let e = Entry::of(&b);
                let same = prev.files.get(&path) == Some(&e);
                Ok((path, e, (!same).then_some(b)))
            }
            None => match prev.files.get(&path) {
                Some(e) => Ok((path, e.clone(), None)),
                None => Err(format!("{path} was not in the last build")),
            },
        })
        .collect();
    let mut write = Vec::new();
    let mut entries = BTreeMap::new();
    for (path, e, bytes) in judged.map_err(Some)? {
        if let Some(b) = bytes {
            write.push((path.clone(), b));
        }
        entries.insert(path, e);
    }
    Ok((write, entries))
}

/// The link check of a rebuild: the pages written, against every file there is and the ids
/// of every page; all pages when a page's ids changed or a file is gone.
pub(super) fn check_links(
    prev: &mut State,
    write: &[(String, Vec<u8>)],
    remove: &[String],
    entries: &BTreeMap<String, Entry>,
    plan: &Plan,
) -> Result<PageStore, Option<String>> {
    let mut index = std::mem::take(&mut prev.pages);
    let mut all = !remove.is_empty();
    let mut checked = Vec::new();
    for p in remove {
        index.remove(p);
    }
    let fresh: Vec<(&String, Option<PageLinks>)> = (write.par_iter())
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, PageLinks::of(b)))
        .collect();
    for (path, links) in fresh {
        match links {
            Some(l) => {
                all |= index.page(path).is_none_or(|old| old.ids != l.ids);
                index.insert(path.clone(), l);
                checked.push(path.as_str());
            }
            None => {
                all = true;
                index.remove(path);
            }
        }
    }
    let exists = |f: &str| entries.contains_key(f);
    let base_path = render::prefix::base_path(plan);
    let pages = (!all).then_some(checked.as_slice());
    let broken = linkcheck::check_index(&index, pages, &exists, &Sources::default(), &base_path);
    if broken.has_errors() {
        return Err(None);
    }
    Ok(index)
}
