//! Incremental rebuilds of a built site, for `serve`: an edit to an article's text re-renders
//! that article and only the pages that list or link it; a static-file edit re-copies static
//! files; anything else rebuilds in full. The result always equals a full build, and a
//! failed rebuild leaves the last good state untouched.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::derive::links::{self, Backlink, Kind, route};
use crate::diagnostics::Diagnostics;
use crate::load::articles;
use crate::load::facts::read;
use crate::model::Article;
use crate::pipeline::{self, Built};
use crate::render::{pages, sitemap};
use crate::{check, publish::linkcheck, render};

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rebuilt {
    /// Pages rendered again (all of them after a full rebuild).
    pub rendered: usize,
    /// Whether it fell back to a full rebuild.
    pub full: bool,
    /// Only stylesheets changed: a browser can swap them without reloading.
    pub css_only: bool,
    /// The output paths it wrote or removed (empty after a full rebuild: any may have changed).
    pub paths: Vec<String>,
}

/// How a set of changed paths (relative to the site root) can be rebuilt.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    Articles(Vec<PathBuf>),
    Static,
    Full,
}

fn classify(built: &Built, changed: &[PathBuf]) -> Plan {
    let known: HashSet<&Path> = built.site.articles.iter().map(|a| a.file()).collect();
    let root = &built.root;
    let edited_article = |p: &PathBuf| {
        p.starts_with("content/articles")
            && p.extension().is_some_and(|x| x == "md")
            && known.contains(p.as_path())
            && root.join(p).is_file()
    };
    if !changed.is_empty() && changed.iter().all(edited_article) {
        let mut files = changed.to_vec();
        files.sort();
        files.dedup();
        return Plan::Articles(files);
    }
    if !changed.is_empty() && changed.iter().all(|p| p.starts_with("static")) {
        return Plan::Static;
    }
    Plan::Full
}

/// Whether `rebuild` can patch `built` in place for these changes (else it builds in full).
pub fn can_patch(built: &Built, changed: &[PathBuf]) -> bool {
    classify(built, changed) != Plan::Full
}

/// Rebuilds `built` after the files `changed` (relative to its root) changed. On error,
/// `built` is as it was and the diagnostics say why.
pub fn rebuild(built: &mut Built, changed: &[PathBuf]) -> Result<Rebuilt, Diagnostics> {
    match classify(built, changed) {
        Plan::Static => {
            let files = render::static_files(&built.root)?;
            let css_only = changed
                .iter()
                .all(|p| p.extension().is_some_and(|x| x == "css"));
            // A deleted static file must leave the output too: drop those no longer present.
            let fresh: HashSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
            let mut paths: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
            for p in changed {
                let name = p
                    .strip_prefix("static")
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/");
                if !fresh.contains(name.as_str()) && built.output.files.remove(&name).is_some() {
                    paths.push(name);
                }
            }
            let rendered = files.len();
            built.output.files.extend(files);
            Ok(Rebuilt {
                rendered,
                full: false,
                css_only,
                paths,
            })
        }
        Plan::Articles(files) => match articles_edited(built, &files)? {
            Some(mut paths) => {
                let rendered = paths.len();
                paths.extend(pipeline::refresh_search(built));
                Ok(Rebuilt {
                    rendered,
                    paths,
                    ..Rebuilt::default()
                })
            }
            None => full(built),
        },
        Plan::Full => full(built),
    }
}

fn full(built: &mut Built) -> Result<Rebuilt, Diagnostics> {
    *built = pipeline::build_with(&built.root, &built.options)?;
    Ok(Rebuilt {
        rendered: built.pages,
        full: true,
        css_only: false,
        paths: Vec::new(),
    })
}

/// Whether two versions of an article differ in what other pages show of it.
fn shown_differs(a: &Article, b: &Article) -> bool {
    let (x, y) = (&a.front, &b.front);
    (
        &x.title,
        &x.summary,
        x.date,
        x.updated,
        x.weight,
        &x.regions,
        &x.categories,
        &x.tags,
    ) != (
        &y.title,
        &y.summary,
        y.date,
        y.updated,
        y.weight,
        &y.regions,
        &y.categories,
        &y.tags,
    )
}

/// An edited article swapped in: its index, the old version, the pages the old version
/// linked, its URL, and who the new version links.
type Undo = (usize, Article, BTreeSet<String>, String, links::Backlinks);

/// A freshly loaded article: its index, itself, and who it links.
type Fresh = (usize, Article, links::Backlinks);

/// Re-renders edited articles and the pages that show them; returns the output paths written.
/// `None` when the edit changes what exists (a slug, a draft flag): then only a full rebuild
/// is right.
fn articles_edited(
    built: &mut Built,
    files: &[PathBuf],
) -> Result<Option<Vec<String>>, Diagnostics> {
    let Some(fresh) = fresh_articles(built, files)? else {
        return Ok(None);
    };
    // 2. Swap them in, and check the whole site; undo on error.
    let (affected, undo) = swap_in(built, fresh);
    let order_changed = !is_sorted(&built.site.articles);
    // Facts did not change (a facts edit rebuilds in full), so neither did the comparison.
    let checked = check::check(&built.site, &built.derived.comparison);
    if checked.has_errors() || order_changed {
        for (i, old, ..) in undo {
            built.site.articles[i] = old;
        }
        if order_changed && !checked.has_errors() {
            return Ok(None); // The order of lists changed: rebuild them all.
        }
        return Err(checked);
    }

    render_affected(built, undo, affected, checked)
}

/// Step 1: loads and renders the new versions of `files`; nothing in `built` changes. `None`
/// when an edit changes what exists.
fn fresh_articles(built: &Built, files: &[PathBuf]) -> Result<Option<Vec<Fresh>>, Diagnostics> {
    let mut fresh = Vec::new();
    let mut diags = Diagnostics::default();
    for file in files {
        let parsed = read(&built.root, file).and_then(|src| articles::parse(file, &src));
        let mut article = match parsed {
            Ok(mut a) => {
                crate::load::categories_as_tags(&built.site.categories, &mut a);
                a
            }
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let Some(i) = built.site.articles.iter().position(|a| a.file() == file) else {
            return Ok(None);
        };
        let old = &built.site.articles[i];
        if old.slug != article.slug
            || old.front.draft != article.front.draft
            || old.front.aliases != article.front.aliases
            || (!old.front.aliases.is_empty() && old.front.title != article.front.title)
        {
            return Ok(None);
        }
        let (back, linked) = links::link_article(&mut article, &built.resolver);
        diags.extend(linked);
        fresh.push((i, article, back));
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    Ok(Some(fresh))
}

/// Swaps the fresh articles into the site: the pages their edits affect, and how to undo.
fn swap_in(built: &mut Built, fresh: Vec<Fresh>) -> (BTreeSet<String>, Vec<Undo>) {
    let mut affected: BTreeSet<String> = BTreeSet::new();
    let mut undo = Vec::new();
    for (i, article, back) in fresh {
        let url = route(Kind::Article, &article.slug);
        let old = std::mem::replace(&mut built.site.articles[i], article);
        let new = &built.site.articles[i];
        affected.insert(url.clone());
        let before = old.links_to.clone();
        let after = new.links_to.clone();
        let shown_changed = shown_differs(&old, new);
        if shown_changed {
            affected.insert("/".into());
            affected.insert("/articles/".into());
            for id in old.front.regions.iter().chain(&new.front.regions) {
                affected.insert(route(Kind::Region, id));
            }
            for id in old.front.categories.iter().chain(&new.front.categories) {
                affected.insert(route(Kind::Category, id));
            }
        }
        if shown_changed || before != after {
            affected.extend(before.symmetric_difference(&after).cloned());
            if old.front.title != new.front.title {
                affected.extend(before.union(&after).cloned());
            }
        }
        undo.push((i, old, before, url, back));
    }
    (affected, undo)
}

/// Step 3: commits the backlinks, renders the `affected` pages and checks their links; on error,
/// puts everything back as `undo` says.
fn render_affected(
    built: &mut Built,
    undo: Vec<Undo>,
    mut affected: BTreeSet<String>,
    checked: Diagnostics,
) -> Result<Option<Vec<String>>, Diagnostics> {
    let previous_backlinks = commit_backlinks(built, &undo);
    let plan = pages::plan(&built.site, &built.backlinks, &built.derived);
    // A description made unique by another page's (`meta::descriptions`) may change with it.
    let described = plan.pages.iter().map(|p| (&p.route, &p.description));
    for (route, description) in described {
        if built.descriptions.get(route) != Some(description) {
            affected.insert(route.clone());
        }
    }
    let web_files = sitemap::web_files(&plan);
    let descriptions = pipeline::descriptions(&plan);
    let rendered = render::render_pages(&built.tera, &built.site_ctx, &plan, |r| {
        affected.contains(r)
    });
    let rendered = match rendered {
        Ok(r) => r,
        Err(d) => {
            restore(&mut built.backlinks, previous_backlinks);
            for (i, old, ..) in undo {
                built.site.articles[i] = old;
            }
            return Err(d);
        }
    };
    drop(plan);
    let count = rendered.len();
    let mut replaced = Vec::with_capacity(count);
    let mut ids_changed = false;
    for (path, bytes) in rendered {
        let old = built.output.files.insert(path.clone(), bytes);
        ids_changed |= old.as_ref().is_none_or(|o| {
            linkcheck::page_ids(o) != linkcheck::page_ids(&built.output.files[&path])
        });
        replaced.push((path, old));
    }
    let paths: Vec<&str> = replaced.iter().map(|(p, _)| p.as_str()).collect();
    // A page whose anchors changed can break links into it from anywhere: check them all.
    let broken = if ids_changed {
        linkcheck::check(&built.output)
    } else {
        linkcheck::check_pages(&built.output, &paths)
    };
    if broken.has_errors() {
        for (path, old) in replaced {
            match old {
                Some(bytes) => built.output.files.insert(path, bytes),
                None => built.output.files.remove(&path),
            };
        }
        restore(&mut built.backlinks, previous_backlinks);
        for (i, old, ..) in undo {
            built.site.articles[i] = old;
        }
        return Err(broken);
    }
    built.warnings = checked;
    built.descriptions = descriptions;
    let mut paths: Vec<String> = replaced.into_iter().map(|(path, _)| path).collect();
    for (path, bytes) in web_files {
        if built.output.files.get(&path) != Some(&bytes) {
            built.output.files.insert(path.clone(), bytes);
            paths.push(path);
        }
    }
    Ok(Some(paths))
}

/// Commits the backlinks of the swapped-in articles; returns the entries it touched as they
/// were, to put back if rendering fails.
fn commit_backlinks(built: &mut Built, undo: &[Undo]) -> Vec<(String, Option<BTreeSet<Backlink>>)> {
    // Keep the entries this touches, to put them back if rendering fails.
    let touched: BTreeSet<&String> = undo
        .iter()
        .flat_map(|(_, _, before, _, back)| before.iter().chain(back.keys()))
        .collect();
    let previous_backlinks: Vec<(String, Option<BTreeSet<Backlink>>)> = touched
        .into_iter()
        .map(|t| (t.clone(), built.backlinks.get(t).cloned()))
        .collect();
    for (_, _, before, url, back) in undo {
        for target in before {
            if let Some(set) = built.backlinks.get_mut(target) {
                set.retain(|b: &Backlink| &b.url != url);
                if set.is_empty() {
                    built.backlinks.remove(target);
                }
            }
        }
        for (target, from) in back {
            built
                .backlinks
                .entry(target.clone())
                .or_default()
                .extend(from.iter().cloned());
        }
    }
    previous_backlinks
}

/// Puts saved backlink entries back.
fn restore(backlinks: &mut links::Backlinks, saved: Vec<(String, Option<BTreeSet<Backlink>>)>) {
    for (target, entry) in saved {
        match entry {
            Some(set) => backlinks.insert(target, set),
            None => backlinks.remove(&target),
        };
    }
}

/// Whether articles are in site order (weight, newest first, slug).
fn is_sorted(articles: &[Article]) -> bool {
    let key = |a: &Article| a.front.order();
    articles
        .windows(2)
        .all(|w| (key(&w[0]), &w[0].slug) <= (key(&w[1]), &w[1].slug))
}
