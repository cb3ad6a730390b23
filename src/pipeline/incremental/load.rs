//! Loading for a rebuild: the site with its facts read anew, its changed articles parsed and
//! its unchanged ones taken from the state; and, for the unchanged articles whose pages are
//! rendered again, their text loaded and linked again.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::Changes;
use super::state::{self, State};
use crate::derive::links::{self, Kind, route};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, articles};
use crate::model::{Article, Site};

/// A site loaded for a rebuild.
pub(super) struct Loaded {
    pub site: Site,
    pub diags: Diagnostics,
    /// The article files parsed anew, with their load warnings.
    pub fresh: BTreeMap<String, Vec<Diagnostic>>,
    /// Every article file there is now.
    pub files: BTreeSet<String>,
}

/// Loads the site: facts anew, changed articles parsed, the others from `prev`.
/// Unchanged articles are moved out of `prev` (what stays there is the last version of each
/// changed one).
pub(super) fn load(
    root: &Path,
    prev: &mut State,
    changes: &Changes,
) -> Result<Loaded, Option<String>> {
    let mut files = prev.article_files.clone();
    let mut parse = Vec::new();
    for p in &changes.articles {
        match fs::symlink_metadata(root.join(p)) {
            Ok(m) if m.is_file() => {
                files.insert(p.clone());
                parse.push(p.clone());
            }
            Ok(_) => return Err(Some(format!("{p} is not a plain file"))),
            Err(_) => {
                files.remove(p);
            }
        }
    }
    let mut fresh = BTreeMap::new();
    let loaded = load::load_partial_with(root, |root, diags| {
        let parsed: Vec<(String, Result<Article, Vec<Diagnostic>>)> = (parse.par_iter())
            .map(|f| {
                let rel = Path::new(f);
                let result = load::facts::read(root, rel)
                    .map_err(|d| vec![d])
                    .and_then(|src| articles::parse_reporting(rel, &src));
                (f.clone(), result)
            })
            .collect();
        let mut list = Vec::with_capacity(files.len());
        let mut unloaded = Vec::new();
        for (f, result) in parsed {
            match result {
                Ok(mut a) => {
                    let warnings = std::mem::take(&mut a.warnings);
                    diags.extend(warnings.iter().cloned());
                    fresh.insert(f, warnings);
                    list.push(a);
                }
                Err(found) => {
                    diags.extend(found);
                    unloaded.push(articles::default_slug(Path::new(&f)));
                }
            }
        }
        let (kept, changed) = std::mem::take(&mut prev.articles)
            .into_iter()
            .partition(|(f, _)| files.contains(f) && !changes.articles.contains(f));
        prev.articles = changed;
        let kept: BTreeMap<String, state::Cached> = kept;
        for c in kept.into_values() {
            diags.extend(c.diagnostics());
            list.push(c.into_article());
        }
        list.sort_by(|a, b| (a.front.order(), &a.slug).cmp(&(b.front.order(), &b.slug)));
        (list, unloaded)
    });
    let (site, diags) = loaded.map_err(|_| None::<String>)?;
    Ok(Loaded {
        site,
        diags,
        fresh,
        files,
    })
}

/// Loads and links again the unchanged articles whose pages are among `wanted` (routes), so
/// that their pages can be rendered: their text, headings and links come back.
pub(super) fn reload(
    root: &Path,
    site: &mut Site,
    fresh: &BTreeMap<String, Vec<Diagnostic>>,
    wanted: &HashSet<String>,
    resolver: &links::Resolver,
) -> Result<(), Option<String>> {
    let categories = &site.categories;
    (site.articles.par_iter_mut())
        .filter(|a| !state::is_fresh(fresh, a) && wanted.contains(&route(Kind::Article, &a.slug)))
        .try_for_each(|a| {
            let src = load::facts::read(root, &a.file).map_err(|_| None::<String>)?;
            let mut again = articles::parse(&a.file, &src).map_err(|_| None::<String>)?;
            load::categories_as_tags(categories, &mut again);
            let (_, diags) = links::link_article(&mut again, resolver);
            let same = again.slug == a.slug && again.links_to == a.links_to;
            if diags.has_errors() || !same {
                return Err(Some(format!(
                    "{} changed during the build",
                    a.file.display()
                )));
            }
            a.html = again.html;
            a.toc = again.toc;
            a.hrefs = again.hrefs;
            a.front_src = again.front_src;
            Ok(())
        })
}
