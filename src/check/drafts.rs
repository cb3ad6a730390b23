//! In a build that shows drafts (`serve`, `build --drafts`): a warning for each published page
//! that links a draft, which `build` would refuse (there, it is an error at the link).

use std::collections::BTreeSet;

use crate::derive::links::{Backlinks, Kind, route};
use crate::diagnostics::{Diagnostic, Diagnostics, Loc};
use crate::model::{Entity, Site, Table};

/// The routes of the drafts, with where each is marked.
fn drafts(site: &Site) -> Vec<(String, Loc)> {
    fn of<T: Entity>(t: &Table<T>, kind: Kind, out: &mut Vec<(String, Loc)>) {
        for (i, item) in t.iter().enumerate().filter(|(_, x)| x.is_draft()) {
            out.push((route(kind, item.id()), t.loc(i, "draft")));
        }
    }
    let mut out = Vec::new();
    of(&site.regions, Kind::Region, &mut out);
    of(&site.categories, Kind::Category, &mut out);
    of(&site.exclusions, Kind::Exclusion, &mut out);
    of(&site.optouts, Kind::OptOut, &mut out);
    of(&site.sources, Kind::Source, &mut out);
    of(&site.questions, Kind::Claim, &mut out);
    for a in site.articles.iter().filter(|a| a.front.draft) {
        out.push((route(Kind::Article, &a.slug), a.spans().at("draft")));
    }
    out
}

/// A warning at each draft that a published page links, naming the pages.
pub fn linked(site: &Site, backlinks: &Backlinks) -> Diagnostics {
    let drafts = drafts(site);
    let routes: BTreeSet<&str> = drafts.iter().map(|(r, _)| r.as_str()).collect();
    let mut diags = Diagnostics::default();
    for (target, at) in &drafts {
        let from: Vec<&str> = backlinks
            .get(target)
            .into_iter()
            .flatten()
            .map(|b| b.url.as_str())
            .filter(|url| !routes.contains(url))
            .collect();
        if !from.is_empty() {
            diags.push(
                Diagnostic::warning(
                    Some(at.clone()),
                    format!(
                        "the draft {target} is linked from published pages ({}): `build` will refuse it",
                        from.join(", ")
                    ),
                )
                .with_help("publish it (remove `draft: true`) or remove the links"),
            );
        }
    }
    diags
}
