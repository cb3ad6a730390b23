//! What the state keeps for the fast path (`fast`) to render an article page without planning
//! the site: each article page's description and backlinks (`View`), and the last build's
//! warnings; with their file form in `codec`'s binary.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::codec::{Reader, Writer};
use crate::derive::links::{Backlink, Backlinks, Kind, route};
use crate::diagnostics::{Diagnostic, Diagnostics, Loc, Severity};
use crate::model::Site;

/// What an article page shows of the rest of the site: its description (made unique among
/// every page's) and the pages that link it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    pub description: String,
    pub backlinks: Vec<Backlink>,
}

/// Each article page's `View`, by route, from a build's backlinks and descriptions.
pub fn of(
    site: &Site,
    backlinks: &Backlinks,
    description: impl Fn(&str) -> Option<String> + Sync,
) -> HashMap<String, View> {
    (site.articles.par_iter())
        .map(|a| {
            let url = route(Kind::Article, &a.slug);
            let view = View {
                description: description(&url).unwrap_or_default(),
                backlinks: (backlinks.get(&url).into_iter().flatten().cloned()).collect(),
            };
            (url, view)
        })
        .collect()
}

/// Writes the views, sorted by route.
pub(super) fn encode(w: &mut Writer, views: &HashMap<String, View>) {
    let mut sorted: Vec<(&String, &View)> = views.iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    w.n(sorted.len() as u64);
    for (url, v) in sorted {
        w.s(url);
        w.s(&v.description);
        w.n(v.backlinks.len() as u64);
        for b in &v.backlinks {
            w.s(&b.url);
            w.s(&b.title);
        }
    }
}

pub(super) fn decode(r: &mut Reader) -> Option<HashMap<String, View>> {
    let n = r.len()?;
    let mut views = HashMap::with_capacity(n);
    for _ in 0..n {
        let (url, description) = (r.s()?, r.s()?);
        let mut backlinks = Vec::new();
        for _ in 0..r.len()? {
            backlinks.push(Backlink {
                url: r.s()?,
                title: r.s()?,
            });
        }
        views.insert(
            url,
            View {
                description,
                backlinks,
            },
        );
    }
    Some(views)
}

/// Writes diagnostics (a good build's warnings), in order.
pub(super) fn encode_diagnostics(w: &mut Writer, diags: &Diagnostics) {
    w.n(diags.0.len() as u64);
    for d in &diags.0 {
        w.n(u64::from(d.severity == Severity::Error));
        let file = d.loc.as_ref().map(|l| l.file.to_string_lossy());
        w.opt_s(file.as_deref());
        if let Some(l) = &d.loc {
            w.n(l.line as u64);
            w.n(l.col as u64);
        }
        w.s(&d.message);
        w.opt_s(d.help.as_deref());
    }
}

pub(super) fn decode_diagnostics(r: &mut Reader) -> Option<Diagnostics> {
    let mut out = Vec::new();
    for _ in 0..r.len()? {
        let severity = match r.n()? {
            0 => Severity::Warning,
            _ => Severity::Error,
        };
        let loc = match r.opt_s()? {
            Some(file) => Some(Loc {
                file: PathBuf::from(file),
                line: usize::try_from(r.n()?).ok()?,
                col: usize::try_from(r.n()?).ok()?,
            }),
            None => None,
        };
        out.push(Diagnostic {
            severity,
            loc,
            message: r.s()?,
            help: r.opt_s()?,
        });
    }
    Some(Diagnostics(out))
}
