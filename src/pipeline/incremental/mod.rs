//! The incremental rebuild engine, one for `build` and `serve`: from the state of the last
//! good build (`State`) and the input files changed since, it loads and renders only what the
//! changes reach and says which output files' bytes changed. Whatever it cannot vouch for
//! (templates, site.yaml, a draft, an error) it leaves to a full build: `Outcome::Full`.

mod affected;
mod assemble;
mod codec;
mod fast;
mod fast_search;
mod live;
mod load;
mod page_links;
pub mod state;
mod store;
pub mod views;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use crate::derive::links::{self, Backlink, Kind, route};
use crate::diagnostics::Diagnostics;
use crate::pipeline::{Options, static_collisions};
use crate::render::pages::{self, Plan};
use crate::{check, derive, derive::guides, render};
pub use live::{Change, Session};
pub use state::State;

/// What an incremental rebuild made: the state to keep, and what changed in the output.
#[derive(Debug)]
pub struct Rebuilt {
    pub state: State,
    /// The output files that are new or whose bytes changed, with their bytes.
    pub write: Vec<(String, Vec<u8>)>,
    /// The output files that are gone.
    pub remove: Vec<String>,
    /// How many pages it rendered again.
    pub rendered: usize,
    pub warnings: Diagnostics,
    /// What the build left out and why, said once (`Built::notes`).
    pub notes: Vec<String>,
    /// Whether the site has a base URL (else `build` says what is left out).
    pub has_base_url: bool,
    /// Whether it took the fast path (`fast`: only edited articles' own pages).
    pub fast: bool,
}

/// How a rebuild went.
#[derive(Debug)]
pub enum Outcome {
    Patched(Box<Rebuilt>),
    /// Only a full build can be vouched for; with a one-line reason to say, or none when the
    /// full build will report the site's errors itself.
    Full(Option<String>),
}

/// Which inputs changed, by kind.
#[derive(Debug, Default)]
struct Changes {
    articles: BTreeSet<String>,
    facts: bool,
    /// A file under `static/` changed.
    statics: bool,
}

/// Sorts the changed paths (relative, `/`-separated); `Err` with the reason when one needs a
/// full build.
fn classify(prev: &State, changed: &BTreeSet<String>) -> Result<Changes, String> {
    let mut c = Changes::default();
    for p in changed {
        if let Some(name) = p.strip_prefix("content/articles/") {
            if !name.ends_with(".md") || name == "_index.md" || name.ends_with("/_index.md") {
                return Err(format!("{p} changed"));
            }
            if prev.article_files.contains(p) && !prev.articles.contains_key(p) {
                return Err(format!("the draft {p} changed"));
            }
            c.articles.insert(p.clone());
        } else if p.starts_with("content/facts/") {
            c.facts = true;
        } else if p.starts_with("static/") {
            c.statics = true;
        } else {
            return Err(format!("{p} changed"));
        }
    }
    Ok(c)
}

/// Rebuilds the site at `root` from `prev` after the input files `changed` (relative to
/// `root`, `/`-separated; added, edited or removed). The result equals a fresh build's.
pub fn rebuild(root: &Path, options: &Options, prev: State, changed: &BTreeSet<String>) -> Outcome {
    rebuild_with(root, options, prev, changed, &mut None)
}

/// As `rebuild`, with what the fast path renders with (`fast::Base`), kept between rebuilds
/// by `serve` (`None`: made here when the fast path may apply; dropped when it cannot be
/// vouched for after this rebuild).
fn rebuild_with(
    root: &Path,
    options: &Options,
    mut prev: State,
    changed: &BTreeSet<String>,
    base: &mut Option<fast::Base>,
) -> Outcome {
    let changes = match classify(&prev, changed) {
        Ok(c) => c,
        Err(why) => return Outcome::Full(Some(why)),
    };
    if fast::applies(root, options, &prev, &changes, base.as_ref()) {
        if base.is_none() {
            *base = fast::Base::of(root, options, &prev);
        }
        if let Some(b) = base.as_mut() {
            match fast::rebuild(root, &mut prev, &changes, b) {
                Ok(Some(r)) => return Outcome::Patched(Box::new(r)),
                Ok(None) => {}
                Err(why) => {
                    *base = None;
                    return Outcome::Full(why);
                }
            }
        }
    }
    *base = None;
    match try_rebuild(root, options, prev, &changes) {
        Ok(r) => Outcome::Patched(Box::new(r)),
        Err(why) => Outcome::Full(why),
    }
}

/// A site linked, derived and checked by a rebuild, ready to plan.
struct Checked {
    site: crate::model::Site,
    derived: derive::Derived,
    backlinks: links::Backlinks,
    resolver: links::Resolver,
    warnings: Diagnostics,
    /// What the build left out and why (`Built::notes`).
    notes: Vec<String>,
    /// The article files loaded anew, with their load warnings.
    fresh: BTreeMap<String, Vec<crate::diagnostics::Diagnostic>>,
    files: BTreeSet<String>,
}

/// Adds the backlinks of the articles taken unchanged from the state (their links are kept).
fn unchanged_backlinks(
    site: &crate::model::Site,
    fresh: &BTreeMap<String, Vec<crate::diagnostics::Diagnostic>>,
    backlinks: &mut links::Backlinks,
) {
    for a in site.articles.iter().filter(|a| !state::is_fresh(fresh, a)) {
        let back = Backlink {
            url: route(Kind::Article, &a.slug),
            title: a.front.title.clone(),
        };
        for target in a.links_to.iter().filter(|t| **t != back.url) {
            backlinks
                .entry(target.clone())
                .or_default()
                .insert(back.clone());
        }
    }
}

/// Loads, links, derives and checks, taking unchanged articles from `prev`.
fn checked(
    root: &Path,
    options: &Options,
    prev: &mut State,
    changes: &Changes,
) -> Result<Checked, Option<String>> {
    let load::Loaded {
        mut site,
        mut diags,
        fresh,
        files,
    } = load::load(root, prev, changes)?;
    if state::category_ids(&site) != prev.category_ids {
        return Err(Some("the data categories changed".into()));
    }
    if !options.drafts {
        site.strip_drafts();
        site.draft_articles.extend(prev.draft_slugs.iter().cloned());
    }
    let resolver = links::Resolver::new(&site);
    let (mut backlinks, found) = links::link_facts(&mut site, &resolver);
    diags.extend(found);
    let linked: Vec<(links::Backlinks, Diagnostics)> = (site.articles.par_iter_mut())
        .filter(|a| state::is_fresh(&fresh, a))
        .map(|a| links::link_article(a, &resolver))
        .collect();
    for (found, more) in linked {
        for (target, from) in found {
            backlinks.entry(target).or_default().extend(from);
        }
        diags.extend(more);
    }
    unchanged_backlinks(&site, &fresh, &mut backlinks);
    let mut derived = derive::derive(&site);
    guides::backlinks(&derived.guides, &mut backlinks);
    // The history comes from commits, not from the edit.
    let notes = crate::pipeline::with_history(root, options, &site, &mut derived);
    let mut found = check::check(&site, &derived.comparison);
    if options.drafts {
        found.extend(check::drafts::linked(&site, &backlinks));
    }
    // Unchanged articles were not read: what is said about them could not be located.
    let unread = |f: &Path| {
        site.articles
            .iter()
            .any(|a| a.file == f && !state::is_fresh(&fresh, a))
    };
    let located = (found.iter()).any(|d| d.loc.as_ref().is_some_and(|l| unread(&l.file)));
    diags.extend(found);
    diags.sort();
    if located && !diags.has_errors() {
        return Err(Some("a warning points into an unchanged article".into()));
    }
    if diags.has_errors() {
        return Err(None);
    }
    Ok(Checked {
        site,
        derived,
        backlinks,
        resolver,
        warnings: diags,
        notes,
        fresh,
        files,
    })
}

/// A rebuild's plan: the pages, their descriptions, what each article page shows, and the
/// routes to render again.
type Planned = (
    Vec<pages::Page>,
    HashMap<String, u128>,
    HashMap<String, u128>,
    HashSet<String>,
);

/// Plans the pages and finds those to render again; `Err` when an unchanged article links a
/// page that is gone or a static file takes a page's place (errors the full build reports).
fn plan_pages(
    root: &Path,
    prev: &State,
    c: &Checked,
    changes: &Changes,
    ctx_hash: &str,
) -> Result<Planned, Option<String>> {
    let plan = pages::plan(&c.site, &c.backlinks, &c.derived);
    if static_collisions(root, &plan).has_errors() {
        return Err(None);
    }
    let routes: BTreeSet<&str> = plan.pages.iter().map(|p| p.route.as_str()).collect();
    let gone = (c.site.articles.iter())
        .filter(|a| !state::is_fresh(&c.fresh, a))
        .any(|a| a.links_to.iter().any(|t| !routes.contains(t.as_str())));
    if gone {
        return Err(None);
    }
    let descriptions: HashMap<String, u128> = (plan.pages.par_iter())
        .map(|p| (p.route.clone(), state::fingerprint(&p.description)))
        .collect();
    let deps = affected::deps(&c.site, &c.backlinks, &descriptions, ctx_hash);
    let ctx_changed = ctx_hash != prev.site_ctx;
    let wanted = affected::pages(
        prev,
        c,
        &plan.pages,
        (&descriptions, &deps),
        changes,
        ctx_changed,
    );
    Ok((plan.pages, descriptions, deps, wanted))
}

fn try_rebuild(
    root: &Path,
    options: &Options,
    mut prev: State,
    changes: &Changes,
) -> Result<Rebuilt, Option<String>> {
    let mut c = checked(root, options, &mut prev, changes)?;
    let base = options.base_url.clone().or_else(|| c.site.base_url());
    c.site.config.base_url = base.map(|b| b.to_string());
    let tera = render::templates(root, c.resolver.clone()).map_err(|_| None::<String>)?;
    let site_ctx = pages::site_context(&c.site).map_err(|_| None::<String>)?;
    let ctx_hash = state::hash_json(&site_ctx);
    let (planned, descriptions, deps, wanted) = plan_pages(root, &prev, &c, changes, &ctx_hash)?;
    load::reload(root, &mut c.site, &c.fresh, &wanted, &c.resolver)?;
    let (rendered, out, page_count, views) = {
        let plan = Plan {
            pages: planned,
            site: &c.site,
            backlinks: &c.backlinks,
            derived: &c.derived,
            published: c.site.published().collect(),
            base: c.site.base_url(),
        };
        let rendered = render::render_pages(&tera, &site_ctx, &plan, |r| wanted.contains(r))
            .map_err(|_| None::<String>)?;
        let count = rendered.len();
        let out = assemble::assemble(root, &mut prev, &plan, rendered, changes, &c.fresh)?;
        let texts: HashMap<&str, &str> = (plan.pages.iter())
            .filter(|p| matches!(p.shows, pages::Shows::Article(_)))
            .map(|p| (p.route.as_str(), p.description.as_str()))
            .collect();
        let views = views::of(&c.site, &c.backlinks, |r| {
            texts.get(r).map(|d| d.to_string())
        });
        (count, out, plan.pages.len(), views)
    };
    let has_base_url = c.site.config.base_url.is_some();
    let warnings = std::mem::take(&mut c.warnings);
    let notes = std::mem::take(&mut c.notes);
    let parts = state::Parts {
        search_prefix: out.search_prefix,
        site_ctx: ctx_hash,
        descriptions,
        deps,
        page_count,
        views,
        warnings: warnings.clone(),
    };
    let state = state::next(c, out.search, out.index, out.files, parts);
    Ok(Rebuilt {
        state,
        write: out.write,
        remove: out.remove,
        rendered,
        warnings,
        notes,
        has_base_url,
        fast: false,
    })
}
