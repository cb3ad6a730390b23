//! The pipeline for `build`, writing as it goes: the same stages as `build_with`, but each
//! page goes to a `Sink` (the output folder's staging copy) as soon as it is rendered, and
//! only its manifest entry and its ids and links are kept, so no page's bytes are held.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::{Built, Options, Searched, add_files, descriptions, fail, front, link_sources};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::publish::linkcheck::{self, LinkIndex, PageLinks};
use crate::render::output::{Output, Sink};
use crate::render::{self, prefix};

/// A page's ids and links, as the link check reads them (`None` for a file that is no page).
fn links_of(path: &str, bytes: &[u8]) -> Option<PageLinks> {
    path.ends_with(".html")
        .then(|| PageLinks::of(bytes))
        .flatten()
}

/// Builds the site under `root` with `options` as `build_with` does, putting every file into
/// the sink `open` gives (opened once the site has loaded and checked, so a site with errors
/// opens none). On failure, every diagnostic found; the sink, if opened, is dropped unfinished.
/// The `Built` holds no file bytes: its `output` is empty but for the base path.
pub fn build_into<S: Sink>(
    root: &Path,
    options: &Options,
    open: impl FnOnce() -> Result<S, Diagnostic>,
) -> Result<(Built, S), Diagnostics> {
    let (f, mut clock) = front(root, options)?;
    let (
        Searched {
            search,
            index,
            tera,
        },
        plan,
    ) = f.search_and_plan(root, &mut clock)?;
    let sink = open().map_err(|d| fail(f.diags.clone(), Diagnostics(vec![d])))?;
    let put = |path: String, bytes: Vec<u8>| {
        let links = links_of(&path, &bytes);
        sink.put(&path, &bytes)?;
        Ok((path, links))
    };
    let pages = render::render_each(&tera, &f.site_ctx, &plan, |_| true, put);
    let pages = pages.map_err(|mut more| {
        render::locate(root, &mut more);
        fail(f.diags.clone(), more)
    })?;
    // Every other file, beside stand-ins for the pages (`add_files` looks for clashes).
    let mut rest = Output {
        base_path: prefix::base_path(&plan),
        files: (pages.iter().map(|(p, _)| (p.clone(), Vec::new()))).collect(),
    };
    let statics = render::static_files(root).map_err(|d| fail(f.diags.clone(), d))?;
    rest.files.extend(statics);
    if let Err(more) = add_files(&f.site, &f.derived, &plan, &mut rest) {
        return Err(fail(f.diags, more));
    }
    rest.files.extend(index);
    let streamed: HashSet<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
    let others: Vec<Result<(String, Option<PageLinks>), Diagnostic>> = (rest.files.par_iter())
        .filter(|(p, _)| !streamed.contains(p.as_str()))
        .map(|(p, bytes)| {
            sink.put(p, bytes)?;
            Ok((p.clone(), links_of(p, bytes)))
        })
        .collect();
    let others: Vec<_> = others
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(|d| fail(f.diags.clone(), Diagnostics(vec![d])))?;
    clock.lap("render+write");
    let sizes = (plan.pages.len(), descriptions(&plan));
    drop(plan);
    drop(streamed);
    let links: LinkIndex = (pages.into_iter().chain(others))
        .filter_map(|(p, l)| Some((p, l?)))
        .collect();
    // Hashed rather than the map's ordered lookup: each link asks for one or two paths.
    let paths: HashSet<&str> = rest.files.keys().map(String::as_str).collect();
    let exists = |p: &str| paths.contains(p);
    let sources = link_sources(&f.site);
    let mut broken = linkcheck::check_index(&links, None, &exists, &sources, &rest.base_path);
    render::locate(root, &mut broken);
    clock.lap("linkcheck");
    if broken.has_errors() {
        return Err(fail(f.diags, broken));
    }
    drop(paths);
    let output = Output {
        files: BTreeMap::new(),
        base_path: rest.base_path,
    };
    let done = (root, options, clock);
    Ok((f.built(done, (search, tera), sizes, output, links), sink))
}
