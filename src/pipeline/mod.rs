//! The one pipeline every command consumes: load → link → derive → check → plan → render →
//! link-check, all in memory. `build` writes its `Output`, `check` only reports; nothing here
//! writes files.

mod clock;
pub mod history;
pub mod incremental;
pub mod streamed;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use clock::Clock;
use std::time::{Duration, Instant};
use tera::Tera;

use crate::derive::links::Backlinks;
use crate::derive::{self, Derived};
use crate::diagnostics::{Diagnostic, Diagnostics, Loc};
use crate::model::Site;
use crate::model::base_url::BaseUrl;
use crate::publish::output::Output;
use crate::render::sitemap;
use crate::{
    check, derive::compare, derive::guides, derive::links, load, publish::linkcheck, render,
    render::pages,
};

/// How to build: what the command line adds to the site's own settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--base-url` (or `serve`'s own address): replaces `site.yaml`'s `base_url`.
    pub base_url: Option<BaseUrl>,
    /// Show drafts, each page of one with the draft banner (`serve`, `build --drafts`).
    pub drafts: bool,
    /// Read the site's git history (`history::read`) for the "What changed" page, the fact
    /// pages' history, the guides' "changed" badges and the change feeds (`build` and `serve`
    /// unless `--no-history`).
    pub history: bool,
}

/// A site that built: its output, the linked model it came from, and its warnings; plus
/// what an incremental rebuild (`incremental`) needs to reuse.
pub struct Built {
    pub root: PathBuf,
    /// What it was built with; a rebuild uses the same.
    pub options: Options,
    pub site: Site,
    /// The comparison, guides and finder, derived once from `site` after linking.
    pub derived: Derived,
    pub output: Output,
    pub backlinks: Backlinks,
    pub resolver: links::Resolver,
    pub tera: Tera,
    pub site_ctx: serde_json::Value,
    pub pages: usize,
    /// Each page's meta description, by route: an incremental rebuild re-renders the pages
    /// whose description changed.
    pub descriptions: HashMap<String, String>,
    /// Each page's ids and links, as the link check found them (for `incremental`).
    pub links: linkcheck::LinkIndex,
    /// The search index its `search/` files were made from (for `incremental`).
    pub search: derive::search::Index,
    /// Warnings only; a build with errors is an `Err`.
    pub warnings: Diagnostics,
    /// What the build left out and why, said once (`note: …`): the history without git.
    pub notes: Vec<String>,
    /// How long each stage took, in order (`build --timings` prints them).
    pub timings: Vec<(&'static str, Duration)>,
}

/// Where the machine-readable comparison goes.
const COMPARISON_JSON: &str = "compare/index.json";

/// The machine-readable comparison beside its page.
pub fn comparison_json(site: &Site, derived: &Derived) -> Result<(String, Vec<u8>), Diagnostic> {
    let bytes = compare::export(site, &derived.comparison)
        .and_then(|json| serde_json::to_vec_pretty(&json))
        .map_err(|e| {
            Diagnostic::error(None, format!("cannot write {COMPARISON_JSON}: {e}"))
                .with_help("this is a bug in explainer; please report it")
        })?;
    Ok((COMPARISON_JSON.to_string(), bytes))
}

/// The offline search index (`derive::search`) and its files (`render::search`).
fn search_index(site: &Site, derived: &Derived) -> (derive::search::Index, Vec<(String, Vec<u8>)>) {
    let search = derive::search::index(site, derived);
    let files = render::search::files(&search);
    (search, files)
}

/// Whether an output path is one of the search index's files.
pub fn is_search_file(path: &str) -> bool {
    path.starts_with("search/") && path.ends_with(".json")
}

/// Files of the site's `static/` at a path that a generated page takes: each would replace the
/// page silently, so each is an error at the file.
pub(crate) fn static_collisions(root: &Path, plan: &pages::Plan) -> Diagnostics {
    let generated: HashSet<String> = plan
        .pages
        .iter()
        .map(|p| pages::file_of(&p.route))
        .chain([COMPARISON_JSON.to_string()])
        .chain(sitemap::web_file_names(plan))
        .collect();
    let mut diags = Diagnostics::default();
    for (name, _) in render::site_files(root, "static") {
        if generated.contains(&name) {
            let route = format!("/{}", name.trim_end_matches("index.html"));
            diags.push(
                Diagnostic::error(
                    Some(Loc::new(Path::new("static").join(&name), 1, 1)),
                    format!("static/{name} would replace the generated page {route}"),
                )
                .with_help("rename or remove the file; to change a generated page, override its template in templates/"),
            );
        }
    }
    diags
}

/// Each planned page's description, by route.
pub(crate) fn descriptions(plan: &pages::Plan) -> HashMap<String, String> {
    (plan.pages.iter())
        .map(|p| (p.route.clone(), p.description.clone()))
        .collect()
}

/// Where the content's own links are written, for the link check.
fn link_sources(site: &Site) -> linkcheck::Sources {
    let articles = site.published().flat_map(|a| {
        let route = links::route(links::Kind::Article, &a.slug);
        a.hrefs
            .iter()
            .map(move |(href, loc)| (route.clone(), href.clone(), loc.clone()))
    });
    linkcheck::Sources::new(site.text_hrefs.iter().cloned().chain(articles))
}

/// Builds the published site under `root` in memory, as `site.yaml` says, drafts left out.
/// On failure, every diagnostic found (errors and warnings) in a stable order.
pub fn build(root: &Path) -> Result<Built, Diagnostics> {
    build_with(root, &Options::default())
}

/// The diagnostics found so far and `more`, in order: what a failed build reports.
fn fail(mut diags: Diagnostics, more: Diagnostics) -> Diagnostics {
    diags.extend(more);
    diags.sort();
    diags
}

/// The files beside the pages: the comparison's JSON, the sitemap, robots.txt and feeds, and
/// articles' alias redirects; an error when the card image is missing or a redirect clashes.
pub(crate) fn add_files(
    site: &Site,
    derived: &Derived,
    plan: &pages::Plan,
    output: &mut Output,
) -> Result<(), Diagnostics> {
    let (path, json) = comparison_json(site, derived).map_err(|d| Diagnostics(vec![d]))?;
    output.files.insert(path, json);
    output.files.extend(sitemap::web_files(plan));
    if let Some(d) = missing_image(site, output) {
        return Err(Diagnostics(vec![d]));
    }
    let clashes = render::redirects::add(site, output);
    if clashes.has_errors() {
        return Err(clashes);
    }
    Ok(())
}

/// `site.yaml`'s `image:` when it names a file of the site that is not in `output`: an error
/// at the field.
fn missing_image(site: &Site, output: &Output) -> Option<Diagnostic> {
    let path = site.config.image.as_deref()?.strip_prefix('/')?;
    if output.files.contains_key(path) {
        return None;
    }
    let d = Diagnostic::error(
        Some(site.config_spans.at("image")),
        format!("image `/{path}` is not a file of the site"),
    );
    Some(d.with_help(format!(
        "put the image at static/{path}, or give its absolute address"
    )))
}

/// With `options.history`, reads the site's history into `derived` (the memo makes a second
/// read cheap); the notes to say of what was left out.
pub(crate) fn with_history(
    root: &Path,
    options: &Options,
    site: &Site,
    derived: &mut Derived,
) -> Vec<String> {
    if !options.history {
        return Vec::new();
    }
    let (history, note) = history::read(root, site, derived);
    derived.history = history;
    note.into_iter().collect()
}

/// What a build has made before the search index and its pages: the checked site, the
/// diagnostics so far (warnings only) and the notes.
pub(crate) struct Front {
    pub site: Site,
    pub derived: Derived,
    pub backlinks: Backlinks,
    pub resolver: links::Resolver,
    pub site_ctx: serde_json::Value,
    pub diags: Diagnostics,
    pub notes: Vec<String>,
}

/// The search index, its files, and the templates.
pub(crate) struct Searched {
    pub search: derive::search::Index,
    pub index: Vec<(String, Vec<u8>)>,
    pub tera: Tera,
}

/// Loads, links, derives and checks the site; every diagnostic found when one is an error.
fn front(root: &Path, options: &Options) -> Result<(Front, Clock), Diagnostics> {
    let mut clock = Clock::start();
    // Entries and articles that fail to load are left out and reported; the rest is still
    // linked and checked, so one run reports every error.
    let (mut site, mut diags) = load::load_partial(root)?;
    if !options.drafts {
        site.strip_drafts();
    }
    clock.lap("load");
    let resolver = links::Resolver::new(&site);
    let (mut backlinks, link_diags) = links::link(&mut site, &resolver);
    diags.extend(link_diags);
    clock.lap("markdown+links");
    let mut derived = derive::derive(&site);
    guides::backlinks(&derived.guides, &mut backlinks);
    clock.lap("derive");
    let notes = with_history(root, options, &site, &mut derived);
    clock.lap("history");
    diags.extend(check::check(&site, &derived.comparison));
    if options.drafts {
        diags.extend(check::drafts::linked(&site, &backlinks));
    }
    clock.lap("check");
    diags.sort();
    if diags.has_errors() {
        return Err(diags);
    }
    // Validated by `check`; from here on `base_url` is the one in force, normalised.
    let base = options.base_url.clone().or_else(|| site.base_url());
    site.config.base_url = base.map(|b| b.to_string());
    let site_ctx =
        pages::site_context(&site).map_err(|d| fail(diags.clone(), Diagnostics(vec![d])))?;
    let front = Front {
        site,
        derived,
        backlinks,
        resolver,
        site_ctx,
        diags,
        notes,
    };
    Ok((front, clock))
}

impl Front {
    /// The search index, and meanwhile the templates and the page plan. The index before the
    /// pages: making it takes more memory than any other stage, and by then no page is held.
    /// Laps `search` (its own time) and `plan` (the rest).
    fn search_and_plan(
        &self,
        root: &Path,
        clock: &mut Clock,
    ) -> Result<(Searched, pages::Plan<'_>), Diagnostics> {
        let templates = || {
            render::templates(root, self.resolver.clone())
                .map_err(|d| fail(self.diags.clone(), Diagnostics(vec![d])))
        };
        let searched = || {
            let start = Instant::now();
            (search_index(&self.site, &self.derived), start.elapsed())
        };
        let (((search, index), took), made) = rayon::join(searched, || {
            Ok::<_, Diagnostics>((templates()?, self.plan(root)?))
        });
        clock.lap_beside("search", took);
        clock.lap("plan");
        let (tera, plan) = made?;
        let searched = Searched {
            search,
            index,
            tera,
        };
        Ok((searched, plan))
    }

    /// The page plan, or the static files that would replace a page.
    fn plan(&self, root: &Path) -> Result<pages::Plan<'_>, Diagnostics> {
        let plan = pages::plan(&self.site, &self.backlinks, &self.derived);
        let collisions = static_collisions(root, &plan);
        if collisions.has_errors() {
            return Err(fail(self.diags.clone(), collisions));
        }
        Ok(plan)
    }

    /// The built site, from its output and each page's ids and links.
    fn built(
        self,
        (root, options, clock): (&Path, &Options, Clock),
        (search, tera): (derive::search::Index, Tera),
        (pages, descriptions): (usize, HashMap<String, String>),
        output: Output,
        links: linkcheck::LinkIndex,
    ) -> Built {
        Built {
            root: root.to_path_buf(),
            options: options.clone(),
            site: self.site,
            derived: self.derived,
            pages,
            descriptions,
            output,
            backlinks: self.backlinks,
            resolver: self.resolver,
            tera,
            site_ctx: self.site_ctx,
            links,
            search,
            warnings: self.diags,
            notes: self.notes,
            timings: clock.laps,
        }
    }
}

/// Builds the site under `root` in memory with `options` (with `drafts`, drafts are shown,
/// each page of one with the draft banner; else left out, see `Site::strip_drafts`). On
/// failure, every diagnostic found (errors and warnings) in a stable order.
pub fn build_with(root: &Path, options: &Options) -> Result<Built, Diagnostics> {
    let (f, mut clock) = front(root, options)?;
    let (
        Searched {
            search,
            index,
            tera,
        },
        plan,
    ) = f.search_and_plan(root, &mut clock)?;
    let (diags, site, derived) = (&f.diags, &f.site, &f.derived);
    let mut output = render::render(root, &tera, &f.site_ctx, &plan).map_err(|mut more| {
        render::locate(root, &mut more);
        fail(diags.clone(), more)
    })?;
    if let Err(more) = add_files(site, derived, &plan, &mut output) {
        return Err(fail(diags.clone(), more));
    }
    output.files.extend(index);
    clock.lap("render");
    let sizes = (plan.pages.len(), descriptions(&plan));
    drop(plan);
    let (mut broken, links) = linkcheck::check_indexed(&output, &link_sources(&f.site));
    render::locate(root, &mut broken);
    clock.lap("linkcheck");
    if broken.has_errors() {
        return Err(fail(f.diags, broken));
    }
    let done = (root, options, clock);
    Ok(f.built(done, (search, tera), sizes, output, links))
}
