//! The fast path of a rebuild, for the common edit: only existing articles' files changed,
//! and each one's face (what other pages and the site's checks see of it: as the state keeps
//! it, slug, front matter, first paragraph, links, load warnings) is as it was. Then only its
//! own page and the search files its terms reach can change: it renders that page with the
//! contexts a full build uses (`Base`, which `serve` keeps), checks its links against the kept
//! link index and patches the state in place. Anything else takes the general path.

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;

use tera::Tera;

use super::fast_search::{self, Indexed};
use super::state::{Cached, State};
use super::store::article_bytes;
use super::{Changes, Rebuilt, assemble};
use crate::derive::links::{self, Backlinks, Kind, Resolver, route};
use crate::derive::{self, Derived};
use crate::load::{self, articles};
use crate::model::{Article, Site};
use crate::pipeline::{Options, is_search_file, with_history};
use crate::publish::output::Entry;
use crate::render::pages::{self, Page, Plan, Shows};
use crate::{render, render::search};

/// What the fast path renders with: the site (facts, and every article, most as the state's
/// stand-ins), derived as a build derives it, the link resolver, the compiled templates and
/// the shared context; the same as the general path makes them from the same state.
pub(super) struct Base {
    site: Site,
    derived: Derived,
    resolver: Resolver,
    tera: Tera,
    site_ctx: serde_json::Value,
    notes: Vec<String>,
    /// The git HEAD its history was read at (with `Options::history`).
    head: Option<String>,
    /// The search terms of the articles the fast path indexed.
    indexed: Indexed,
}

/// The template of an article's page (as `pages::plan` plans it).
const ARTICLE_TEMPLATE: &str = "article.html";

impl Base {
    /// Made from the state of the last build; `None` when its facts or templates do not load
    /// or its shared context is not the state's (then the general path says why).
    pub fn of(root: &Path, options: &Options, prev: &State) -> Option<Base> {
        let (mut site, _) = load::load_partial_with(root, |_, _| {
            let mut list: Vec<Article> = (prev.articles.par_iter())
                .map(|(_, c)| c.clone().into_article())
                .collect();
            list.par_sort_by(|a, b| (a.front.order(), &a.slug).cmp(&(b.front.order(), &b.slug)));
            (list, Vec::new())
        })
        .ok()?;
        if !options.drafts {
            site.strip_drafts();
            site.draft_articles.extend(prev.draft_slugs.iter().cloned());
        }
        let resolver = links::Resolver::new(&site);
        // The facts' texts linked, as the general path links them (their links are kept).
        let _ = links::link_facts(&mut site, &resolver);
        let mut derived = derive::derive(&site);
        let head = options.history.then(|| load::git::head_id(root)).flatten();
        let notes = with_history(root, options, &site, &mut derived);
        let base = options.base_url.clone().or_else(|| site.base_url());
        site.config.base_url = base.map(|b| b.to_string());
        let tera = render::templates(root, resolver.clone()).ok()?;
        let site_ctx = pages::site_context(&site).ok()?;
        (super::state::hash_json(&site_ctx) == prev.site_ctx).then_some(Base {
            site,
            derived,
            resolver,
            tera,
            site_ctx,
            notes,
            head,
            indexed: Indexed::default(),
        })
    }
}

/// Whether only existing articles' files changed (the fast path's first condition), and a
/// kept `base` still holds (the history it read is the site's).
pub(super) fn applies(
    root: &Path,
    options: &Options,
    prev: &State,
    changes: &Changes,
    base: Option<&Base>,
) -> bool {
    let files = !changes.facts && !changes.statics && !changes.articles.is_empty();
    let known = (changes.articles.iter()).all(|f| {
        prev.articles.contains_key(f)
            && std::fs::symlink_metadata(root.join(f)).is_ok_and(|m| m.is_file())
    });
    let head = || options.history.then(|| load::git::head_id(root)).flatten();
    files && known && base.is_none_or(|b| !options.history || b.head == head())
}

/// An edited article, loaded and linked as a build does, when its face is as the state keeps
/// it and neither it nor the site's checks say anything new of it; with its index in the site.
fn edited(root: &Path, file: &str, prev: &State, base: &Base) -> Option<(usize, Article)> {
    let old = prev.articles.get(file)?;
    let rel = Path::new(file);
    let src = load::facts::read(root, rel).ok()?;
    let mut a = articles::parse_reporting(rel, &src).ok()?;
    let warnings = std::mem::take(&mut a.warnings);
    load::categories_as_tags(&base.site.categories, &mut a);
    let (_, diags) = links::link_article(&mut a, &base.resolver);
    let face = article_bytes(&Cached::of(&a, &warnings)) == article_bytes(old);
    // Every warning the last build said of this file was one of its load warnings.
    let said = (prev.warnings.iter())
        .filter(|d| d.loc.as_ref().is_some_and(|l| l.file == rel))
        .count();
    if !face || !diags.is_empty() || said != old.warnings.len() {
        return None;
    }
    let url = route(Kind::Article, &a.slug);
    prev.views.get(&url)?;
    let i = base.site.articles.iter().position(|x| x.file == rel)?;
    Some((i, a))
}

/// The fast rebuild: `Ok(None)` when it does not apply (nothing changed yet), `Err` when the
/// site has an error the full build reports (a link broken by the edit).
pub(super) fn rebuild(
    root: &Path,
    prev: &mut State,
    changes: &Changes,
    base: &mut Base,
) -> Result<Option<Rebuilt>, Option<String>> {
    let mut fresh = Vec::new();
    for file in &changes.articles {
        match edited(root, file, prev, base) {
            Some(e) => fresh.push(e),
            None => return Ok(None),
        }
    }
    let mut planned = Vec::new();
    let mut back = Backlinks::new();
    for (i, a) in fresh {
        let url = route(Kind::Article, &a.slug);
        let view = &prev.views[&url];
        back.insert(url.clone(), view.backlinks.iter().cloned().collect());
        planned.push(Page {
            route: url,
            template: ARTICLE_TEMPLATE,
            shows: Shows::Article(i),
            description: view.description.clone(),
        });
        base.site.articles[i] = a;
    }
    let plan = Plan {
        pages: planned,
        site: &base.site,
        backlinks: &back,
        derived: &base.derived,
        published: Vec::new(),
        base: base.site.base_url(),
    };
    let made = render::render_pages(&base.tera, &base.site_ctx, &plan, |_| true)
        .map_err(|_| None::<String>)?;
    let rendered = made.len();
    let (write, remove) = patch_search(prev, &plan, &mut base.indexed, made).ok_or(None)?;
    let mut files = std::mem::take(&mut prev.files);
    for p in &remove {
        files.remove(p);
    }
    for (p, b) in &write {
        files.insert(p.clone(), Entry::of(b));
    }
    prev.pages = assemble::check_links(prev, &write, &remove, &files, &plan)?;
    prev.files = files;
    // Its face unchanged, the edit changed nothing the last build said.
    let warnings = prev.warnings.clone();
    Ok(Some(Rebuilt {
        state: std::mem::take(prev),
        write,
        remove,
        rendered,
        warnings,
        notes: base.notes.clone(),
        has_base_url: base.site.config.base_url.is_some(),
        fast: true,
    }))
}

/// Updates the state's search index for the article pages `plan` renders again, and says
/// which output files change: those `made` and the search files whose bytes differ, and the
/// search files gone; `None` when the index cannot be patched (the caller builds in full).
fn patch_search(
    prev: &mut State,
    plan: &Plan,
    indexed: &mut Indexed,
    made: Vec<(String, Vec<u8>)>,
) -> Option<search::Patched> {
    let fresh: Vec<&Article> = (plan.pages.iter())
        .filter_map(|p| match p.shows {
            Shows::Article(i) => Some(&plan.site.articles[i]),
            _ => None,
        })
        .collect();
    let patched = fast_search::patch(&mut prev.search, &fresh, indexed)?;
    let (touched, docs) = (&patched.touched, &patched.docs);
    let (laid, remove) =
        match search::files_patched(&prev.search, touched, prev.search_prefix, docs) {
            Some(done) => done,
            None => {
                let (prefix, laid) = search::files_touched(&prev.search, None);
                prev.search_prefix = prefix;
                let laid: Vec<(String, Vec<u8>)> = laid
                    .into_iter()
                    .filter_map(|(p, b)| Some((p, b?)))
                    .collect();
                let now: BTreeSet<&str> = laid.iter().map(|(p, _)| p.as_str()).collect();
                let remove = (prev.files.range("search/".to_string()..))
                    .take_while(|(p, _)| p.starts_with("search/"))
                    .filter(|(p, _)| is_search_file(p) && !now.contains(p.as_str()))
                    .map(|(p, _)| p.clone())
                    .collect();
                (laid, remove)
            }
        };
    let write = (made.into_iter().chain(laid))
        .filter(|(p, b)| prev.files.get(p) != Some(&Entry::of(b)))
        .collect();
    Some((write, remove))
}
