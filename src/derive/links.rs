//! Cross-links: the `region:`/`optout:`/… schemes resolved to their pages' URLs (the address
//! rules are `derive::routes`, re-exported here), and the pass that renders every Markdown
//! field and article with links resolved and backlinks recorded.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::derive::markdown;
pub use crate::derive::routes::{Kind, link_url, route};
use crate::diagnostics::{Diagnostic, Diagnostics, Lines, Loc, did_you_mean, suggest};
use crate::load::yaml::Spans;
use crate::model::{Article, Entity, Site, Table, Text, Walk};

/// A page that links to a thing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Backlink {
    pub url: String,
    pub title: String,
}

/// Target route → the pages that link to it, sorted.
pub type Backlinks = BTreeMap<String, BTreeSet<Backlink>>;

/// The ids that exist, per kind: resolves cross-link destinations to URLs. Cheap to clone
/// into a template function.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    ids: BTreeMap<Kind, HashSet<String>>,
    /// Drafts left out of this build, per kind: a link to one is an error that says so.
    drafts: BTreeMap<Kind, HashSet<String>>,
}

impl Resolver {
    pub fn new(site: &Site) -> Resolver {
        let mut ids: BTreeMap<Kind, HashSet<String>> = BTreeMap::new();
        let mut add = |k: Kind, it: &mut dyn Iterator<Item = &str>| {
            ids.entry(k).or_default().extend(it.map(str::to_string));
        };
        add(Kind::Region, &mut site.regions.known_ids());
        add(Kind::Category, &mut site.categories.known_ids());
        add(Kind::Exclusion, &mut site.exclusions.known_ids());
        add(Kind::OptOut, &mut site.optouts.known_ids());
        add(Kind::Source, &mut site.sources.known_ids());
        add(Kind::Claim, &mut site.questions.known_ids());
        add(
            Kind::Article,
            &mut site
                .published()
                .map(|a| a.slug.as_str())
                .chain(site.unloaded_articles.iter().map(String::as_str)),
        );
        let mut drafts: BTreeMap<Kind, HashSet<String>> = BTreeMap::new();
        let mut draft = |k: Kind, it: &mut dyn Iterator<Item = &str>| {
            drafts.entry(k).or_default().extend(it.map(str::to_string));
        };
        draft(Kind::Region, &mut site.regions.draft_ids());
        draft(Kind::Category, &mut site.categories.draft_ids());
        draft(Kind::Exclusion, &mut site.exclusions.draft_ids());
        draft(Kind::OptOut, &mut site.optouts.draft_ids());
        draft(Kind::Source, &mut site.sources.draft_ids());
        draft(Kind::Claim, &mut site.questions.draft_ids());
        draft(
            Kind::Article,
            &mut site.draft_articles.iter().map(String::as_str),
        );
        Resolver { ids, drafts }
    }

    fn has(&self, kind: Kind, id: &str) -> bool {
        self.ids.get(&kind).is_some_and(|s| s.contains(id))
    }

    fn ids(&self, kind: Kind) -> impl Iterator<Item = &str> + Clone {
        self.ids
            .get(&kind)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }
}

/// What resolving one link destination gave.
enum Resolved {
    /// Not a cross-link: keep the destination as written.
    Plain,
    /// The URL to link to, and the page that gets the backlink.
    Url(String, String),
    Unknown(String, String),
}

impl Resolver {
    /// The URL of a cross-link destination (`region:eu#status`): `Ok(None)` when it is not a
    /// cross-link, `Err((message, help))` when it names nothing.
    pub fn url(&self, dest: &str) -> Result<Option<String>, (String, String)> {
        match self.resolve(dest) {
            Resolved::Plain => Ok(None),
            Resolved::Url(url, _) => Ok(Some(url)),
            Resolved::Unknown(message, help) => Err((message, help)),
        }
    }

    /// The URL of the page of a cross-link destination (`claim:q1` → `/questions/q1/`, where
    /// `url` gives its row of the comparison), without any `#fragment`; as `url` otherwise.
    pub fn page_url(&self, dest: &str) -> Result<Option<String>, (String, String)> {
        match self.resolve(dest) {
            Resolved::Plain => Ok(None),
            Resolved::Url(_, page) => Ok(Some(page)),
            Resolved::Unknown(message, help) => Err((message, help)),
        }
    }

    fn resolve(&self, dest: &str) -> Resolved {
        let Some((scheme, rest)) = dest.split_once(':') else {
            return Resolved::Plain;
        };
        let (id, fragment) = match rest.split_once('#') {
            Some((id, f)) => (id, Some(f)),
            None => (rest, None),
        };
        let Some(kind) = Kind::from_scheme(scheme) else {
            let looks_like_scheme =
                !rest.starts_with("//") && scheme.chars().all(|c| c.is_ascii_lowercase());
            let schemes = Kind::ALL.map(Kind::scheme);
            return match did_you_mean(scheme, schemes) {
                Some(best) if looks_like_scheme && !matches!(scheme, "mailto" | "tel") => {
                    Resolved::Unknown(
                        format!("unknown link scheme `{scheme}:`"),
                        format!("did you mean `{best}:`?"),
                    )
                }
                _ => Resolved::Plain,
            };
        };
        if !self.has(kind, id) && self.drafts.get(&kind).is_some_and(|d| d.contains(id)) {
            return Resolved::Unknown(
                format!(
                    "link to draft {} `{id}`: a published page cannot link to a draft",
                    kind.noun()
                ),
                "publish it (remove `draft: true`) or remove the link".to_string(),
            );
        }
        if !self.has(kind, id) {
            return Resolved::Unknown(
                format!("link to unknown {} `{id}`", kind.noun()),
                suggest(id, self.ids(kind)),
            );
        }
        Resolved::Url(link_url(kind, id, fragment), route(kind, id))
    }
}

/// The page a text appears on, for backlinks.
struct From {
    url: String,
    title: String,
}

struct Linker<'r> {
    index: &'r Resolver,
    backlinks: Backlinks,
    diags: Diagnostics,
    /// Links within the site that only the link check can verify: (page, href, where).
    hrefs: Vec<(String, String, Loc)>,
}

/// Whether a destination stays on the site (no scheme, not protocol-relative).
fn is_internal(dest: &str) -> bool {
    !dest.is_empty()
        && !dest.starts_with("//")
        && !dest
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains('/') && !scheme.is_empty())
}

impl<'r> Linker<'r> {
    fn new(index: &'r Resolver) -> Linker<'r> {
        Linker {
            index,
            backlinks: Backlinks::new(),
            diags: Diagnostics::default(),
            hrefs: Vec::new(),
        }
    }
}

impl Linker<'_> {
    /// Resolves one destination found at `loc_of(offset)`, recording a backlink or an error.
    fn rewrite(&mut self, dest: &str, from: &From, loc: impl FnOnce() -> Loc) -> Option<String> {
        match self.index.resolve(dest) {
            Resolved::Plain => {
                if is_internal(dest) {
                    self.hrefs.push((from.url.clone(), dest.to_string(), loc()));
                }
                None
            }
            Resolved::Url(url, target) => {
                // The page exists (the resolver knows it); an anchor in it may not.
                if url.contains('#') {
                    self.hrefs.push((from.url.clone(), url.clone(), loc()));
                }
                if target != from.url {
                    self.backlinks.entry(target).or_default().insert(Backlink {
                        url: from.url.clone(),
                        title: from.title.clone(),
                    });
                }
                Some(url)
            }
            Resolved::Unknown(message, help) => {
                self.diags
                    .push(Diagnostic::error(Some(loc()), message).with_help(help));
                None
            }
        }
    }

    /// Renders a YAML text field at `field` of `spans`.
    fn text(&mut self, text: &mut Text, spans: &Spans, field: &str, from: &From) {
        let src = std::mem::take(&mut text.src);
        text.html = markdown::render_inline(&src, |dest, at| {
            self.rewrite(dest, from, || spans.within(field, &src, at))
        });
        text.src = src;
    }

    /// Renders every Markdown field of `value` (at `at` of `spans`), shown on `from`.
    fn walk(&mut self, value: &mut impl Walk, spans: &Spans, at: &str, from: &From) {
        value.walk(at, &mut |field, text| self.text(text, spans, field, from));
    }

    /// Renders every Markdown field of a facts table; each entry's texts show on its page.
    fn table<T: Walk + Entity>(
        &mut self,
        table: &mut Table<T>,
        kind: Kind,
        title: impl Fn(&T) -> String,
    ) {
        for (i, item) in table.items.iter_mut().enumerate() {
            let from = From {
                url: route(kind, item.id()),
                title: title(item),
            };
            self.walk(item, &table.spans, &i.to_string(), &from);
        }
    }
}

/// Renders every Markdown field and article of `site` in place, resolving cross-links.
/// Returns who links to what, and an error per unknown link target.
pub fn link(site: &mut Site, resolver: &Resolver) -> (Backlinks, Diagnostics) {
    let (mut backlinks, mut diags) = link_facts(site, resolver);
    // Articles are the bulk of a large site: render them in parallel, each with its own
    // linker, then merge what they found in file order.
    let found: Vec<(Backlinks, Diagnostics)> = site
        .articles
        .par_iter_mut()
        .map(|a| link_article(a, resolver))
        .collect();
    // Merged by one parallel sort of every (target, backlink) pair and a bulk build of the
    // map, rather than an ordered insert of each pair in turn.
    let mut pairs: Vec<(String, Backlink)> = Vec::new();
    let mut flatten = |found: Backlinks| {
        for (target, from) in found {
            pairs.extend(from.into_iter().map(|b| (target.clone(), b)));
        }
    };
    flatten(std::mem::take(&mut backlinks));
    for (found, more) in found {
        flatten(found);
        diags.extend(more);
    }
    pairs.par_sort_unstable();
    pairs.dedup();
    let mut grouped: Vec<(String, Vec<Backlink>)> = Vec::new();
    for (target, b) in pairs {
        match grouped.last_mut() {
            Some((t, from)) if *t == target => from.push(b),
            _ => grouped.push((target, vec![b])),
        }
    }
    let backlinks = (grouped.into_iter())
        .map(|(t, from)| (t, from.into_iter().collect()))
        .collect();
    (backlinks, diags)
}

/// As `link`, for everything but the articles (an incremental rebuild links only the
/// articles that changed); sets `site.text_hrefs`.
pub fn link_facts(site: &mut Site, resolver: &Resolver) -> (Backlinks, Diagnostics) {
    let mut l = Linker::new(resolver);
    let home = From {
        url: "/".to_string(),
        title: "Home".to_string(),
    };
    l.walk(&mut site.config, &site.config_spans, "", &home);
    l.table(&mut site.regions, Kind::Region, |r| r.name.clone());
    l.table(&mut site.categories, Kind::Category, |c| c.name.clone());
    l.table(&mut site.exclusions, Kind::Exclusion, |e| e.name.clone());
    l.table(&mut site.optouts, Kind::OptOut, |o| o.name.clone());
    l.table(&mut site.sources, Kind::Source, |s| s.title.clone());
    l.table(&mut site.questions, Kind::Claim, |q| q.text.clone());
    // A claim shows on its question's page (`Entity::id` is the question), titled by the
    // question's text like the links from the question itself (the id when it is unknown:
    // `check` reports that).
    let questions: BTreeMap<&str, &str> = site
        .questions
        .items
        .iter()
        .map(|q| (q.id.as_str(), q.text.as_str()))
        .collect();
    let question_text = |id: &str| questions.get(id).map_or(id, |t| t).to_string();
    l.table(&mut site.claims, Kind::Claim, |c| {
        question_text(&c.question)
    });
    site.text_hrefs = l.hrefs;
    (l.backlinks, l.diags)
}

/// Renders every Markdown field of one value in place (as `link` does for the model's), shown
/// on the page at `url` titled `title`: its backlinks and diagnostics. Any type that
/// implements `Walk` (see `walk_fields!`) is rendered whole; the link pass needs no change.
pub fn link_value(
    value: &mut impl Walk,
    spans: &Spans,
    (url, title): (&str, &str),
    resolver: &Resolver,
) -> (Backlinks, Diagnostics) {
    let mut l = Linker::new(resolver);
    let from = From {
        url: url.to_string(),
        title: title.to_string(),
    };
    l.walk(value, spans, "", &from);
    (l.backlinks, l.diags)
}

/// Renders one article in place (as `link` does for all): its backlinks and diagnostics.
pub fn link_article(article: &mut Article, resolver: &Resolver) -> (Backlinks, Diagnostics) {
    let mut own = Linker::new(resolver);
    own.article(article);
    article.links_to = own.backlinks.keys().cloned().collect();
    article.hrefs = own
        .hrefs
        .into_iter()
        .map(|(_, href, at)| (href, at))
        .collect();
    (own.backlinks, own.diags)
}

impl Linker<'_> {
    /// Renders an article's body, resolving its links; the Markdown source is dropped after.
    fn article(&mut self, a: &mut Article) {
        let from = From {
            url: route(Kind::Article, &a.slug),
            title: a.front.title.clone(),
        };
        let (file, first_line, body) = (&a.file, a.body_line, &a.body);
        // Every internal link is located; in a long body with many links, incrementally.
        let mut lines = Lines::new(body);
        let rendered = markdown::render(body, |dest, at| {
            self.rewrite(dest, &from, || {
                let (line, col) = lines.line_col(at);
                Loc::new(file, first_line + line - 1, col)
            })
        });
        a.html = rendered.html;
        a.toc = rendered.toc;
        a.body = String::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Resolver {
        let mut ids = BTreeMap::new();
        ids.insert(
            Kind::Region,
            ["eu", "uk"].map(String::from).into_iter().collect(),
        );
        let mut drafts = BTreeMap::new();
        drafts.insert(Kind::Region, HashSet::from(["wip".to_string()]));
        Resolver { ids, drafts }
    }

    #[test]
    fn resolves_schemes_and_suggests_fixes() {
        let ix = index();
        assert!(
            matches!(ix.resolve("region:wip"), Resolved::Unknown(m, h) if m.contains("draft region `wip`") && h.contains("remove `draft: true`"))
        );
        assert!(matches!(ix.resolve("region:eu"), Resolved::Url(u, _) if u == "/regions/eu/"));
        assert!(
            matches!(ix.resolve("region:uk#status"), Resolved::Url(u, _) if u == "/regions/uk/#status")
        );
        assert!(matches!(ix.resolve("https://example.org"), Resolved::Plain));
        assert!(matches!(ix.resolve("mailto:a@b.c"), Resolved::Plain));
        match ix.resolve("region:eu2") {
            Resolved::Unknown(m, h) => {
                assert_eq!(m, "link to unknown region `eu2`");
                assert_eq!(h, "did you mean `eu`?");
            }
            _ => panic!("expected unknown"),
        }
        assert!(matches!(ix.resolve("regoin:eu"), Resolved::Unknown(m, _) if m.contains("scheme")));
    }
}
