//! Rendering: Tera templates (built-in, overridable by a site's `templates/`) applied to the
//! page plan in parallel, plus the static files, into an in-memory `Output`.

pub mod contexts;
pub mod output;
pub mod pages;
pub mod redirects;

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::Path;

use serde_json::Value;
use tera::Tera;
use walkdir::WalkDir;

use crate::derive::links::Resolver;
use crate::derive::routes;
use crate::diagnostics::{Diagnostic, Diagnostics, Loc, suggest};
use crate::render::pages::Plan;
use escape::escape_html;
use output::Output;

pub use each::render_each;
pub use locate::locate;

mod css;
mod each;
mod escape;
pub mod feeds;
mod labels;
pub mod limits;
mod locate;
pub mod meta;
pub mod prefix;
pub mod search;
pub mod sitemap;
mod template_lex;
mod template_scan;
mod templates_check;

/// The built-in templates, compiled into the binary so any site folder works without them.
const TEMPLATES: [(&str, &str); 18] = [
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("list.html", include_str!("../../templates/list.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("region.html", include_str!("../../templates/region.html")),
    // The guide's sections, shared by region.html and export/guide.html.
    (
        "partials/guide_sections.html",
        include_str!("../../templates/partials/guide_sections.html"),
    ),
    (
        "category.html",
        include_str!("../../templates/category.html"),
    ),
    (
        "exclusion.html",
        include_str!("../../templates/exclusion.html"),
    ),
    ("optout.html", include_str!("../../templates/optout.html")),
    ("source.html", include_str!("../../templates/source.html")),
    (
        "question.html",
        include_str!("../../templates/question.html"),
    ),
    ("compare.html", include_str!("../../templates/compare.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("changes.html", include_str!("../../templates/changes.html")),
    // `explainer export`, not part of the site.
    (
        "export/guide.html",
        include_str!("../../templates/export/guide.html"),
    ),
    (
        "export/guide.md",
        include_str!("../../templates/export/guide.md"),
    ),
];

/// The built-in static files.
const STATIC: [(&str, &[u8]); 5] = [
    ("style.css", include_bytes!("../../static/style.css")),
    ("finder.js", include_bytes!("../../static/finder.js")),
    ("search.js", include_bytes!("../../static/search.js")),
    // The favicon, and the default image of shared links (`meta::DEFAULT_IMAGE`).
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("card.png", include_bytes!("../../static/card.png")),
];

/// Files of a site folder's `dir` (e.g. `templates`), relative to it, in path order.
pub(crate) fn site_files(root: &Path, dir: &str) -> Vec<(String, std::path::PathBuf)> {
    let base = root.join(dir);
    let mut files: Vec<_> = WalkDir::new(&base)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&base).ok()?;
            let name = rel.to_str()?.replace('\\', "/");
            Some((name, e.path().to_path_buf()))
        })
        .collect();
    files.sort();
    files
}

/// Loads the templates: built-ins, then the site's `templates/*.html` (and
/// `templates/export/*.md`) by the same name.
pub fn templates(root: &Path, resolver: Resolver) -> Result<Tera, Diagnostic> {
    let mut sources: BTreeMap<String, String> = TEMPLATES
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    for (name, path) in site_files(root, "templates") {
        if !(name.ends_with(".html") || name.starts_with("export/") && name.ends_with(".md")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(
                Some(Loc::new(Path::new("templates").join(&name), 1, 1)),
                format!("cannot read template: {e}"),
            )
        })?;
        sources.insert(name, text);
    }
    templates_check::check(&sources)?;
    let mut tera = Tera::default();
    // Tera's own `range` has no bound (and panics on `step_by=0`).
    tera.register_function("range", limits::range);
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("human_date", human_date);
    tera.register_function("label", labels::label);
    tera.register_filter("css_string", css::CssString);
    // For `export/guide.md`: plain text made safe inside Markdown.
    tera.register_filter("md_escape", |v: &Value, _: &HashMap<String, Value>| {
        let text = v
            .as_str()
            .ok_or_else(|| tera::Error::msg("md_escape expects text"))?;
        Ok(Value::String(crate::derive::markdown::escape(text)))
    });
    tera.register_function("link", move |args: &HashMap<String, Value>| {
        let to = args
            .get("to")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("link() needs `to`, e.g. link(to=\"region:eu\")"))?;
        if let Some(name) = to.strip_prefix("section:") {
            return section_link(name);
        }
        let page = args.get("page").and_then(Value::as_bool).unwrap_or(false);
        let url = if page {
            resolver.page_url(to)
        } else {
            resolver.url(to)
        };
        match url {
            Ok(Some(url)) => Ok(Value::String(url)),
            Ok(None) => Ok(Value::String(to.to_string())),
            Err((message, help)) => Err(tera::Error::msg(format!("{message}; {help}"))),
        }
    });
    let compiled = std::panic::catch_unwind(AssertUnwindSafe(|| {
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
    }));
    match compiled {
        Ok(result) => result.map_err(|e| template_error(&e, None))?,
        Err(_) => return Err(engine_panic(None, "compiling the templates")),
    }
    Ok(tera)
}

/// `link(to="section:NAME")`: the URL of a section's index page (`/regions/`).
fn section_link(name: &str) -> tera::Result<Value> {
    let url = routes::section_url(name).ok_or_else(|| {
        let help = suggest(name, routes::section_names());
        tera::Error::msg(format!("unknown section `{name}`; {help}"))
    })?;
    Ok(Value::String(url))
}

/// `{{ "2025-11-03" | human_date }}` → `3 November 2025`.
fn human_date(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("human_date expects a date string"))?;
    let date: crate::model::date::Date = text.parse().map_err(tera::Error::msg)?;
    Ok(Value::String(date.human()))
}

/// A Tera error, with its causes, as a diagnostic at the template it names.
pub(crate) fn template_error(e: &tera::Error, page: Option<&str>) -> Diagnostic {
    let mut message = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    let name = message
        .split('\'')
        .nth(1)
        .filter(|n| n.ends_with(".html") || n.ends_with(".md"))
        .map(|n| Path::new("templates").join(n));
    // A parse error carries its own position (" --> 3:14") and a pest snippet; keep the
    // position in the location and the final "= expected …" line in the message.
    let (mut line, mut col) = (1, 1);
    if let Some(pos) = message.split(" --> ").nth(1) {
        let nums: Vec<usize> = pos
            .split(|c: char| !c.is_ascii_digit())
            .take_while(|s| !s.is_empty())
            .filter_map(|n| n.parse().ok())
            .collect();
        if let [l, c, ..] = nums[..] {
            (line, col) = (l, c);
        }
        let head = message
            .split(" --> ")
            .next()
            .unwrap_or_default()
            .trim_end()
            .to_string();
        let expected = message
            .lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix("= "))
            .unwrap_or_default()
            .to_string();
        message = format!("{head} {expected}");
    }
    let template = name.map(|n| Loc::new(n, line, col));
    let d = Diagnostic::error(template, message);
    match page {
        Some(p) => d.with_help(format!("while rendering {p}; fix the template or the site's override of it")),
        None => d.with_help("fix the template syntax; a site's templates/NAME.html overrides the built-in NAME.html"),
    }
}

/// What a page's template sees: the shared `site`, its own `page`, and its URL.
#[derive(serde::Serialize)]
struct PageRender<'a> {
    site: &'a Value,
    page: contexts::PageContext<'a>,
    meta: meta::Head<'a>,
    current_url: &'a str,
    /// Whether the page shows a draft (only in a build that shows drafts): the banner.
    draft: bool,
}

thread_local! {
    /// This thread's page buffer, reused from page to page (up to `KEPT_BUFFER` bytes): Tera
    /// writes a page piece by piece, and a buffer grown by doubling keeps up to twice its bytes.
    static PAGE_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}
const KEPT_BUFFER: usize = 1 << 20;

/// Renders `template` with `ctx` for `what` (a page's route, or an export), within the
/// limits of `limits`: a page over `MAX_PAGE_BYTES` or a `range` over its limits fails.
pub(crate) fn render_bounded(
    tera: &Tera,
    template: &str,
    ctx: &impl serde::Serialize,
    what: &str,
) -> Result<Vec<u8>, Diagnostic> {
    let at = || Some(Loc::new(Path::new("templates").join(template), 1, 1));
    let ctx = tera::Context::from_serialize(ctx).map_err(|e| {
        Diagnostic::error(
            at(),
            format!("cannot make the template context for {what}: {e}"),
        )
        .with_help("this is a bug in explainer: please report it with the site that shows it")
    })?;
    limits::start_page();
    let mut out = limits::Bounded {
        bytes: PAGE_BUFFER.take(),
        over: false,
    };
    let rendered = std::panic::catch_unwind(AssertUnwindSafe(|| {
        tera.render_to(template, &ctx, &mut out)
    }));
    let Ok(rendered) = rendered else {
        return Err(engine_panic(Some(template), &format!("rendering {what}")));
    };
    let (page, over) = (rendered.is_ok().then(|| out.bytes.to_vec()), out.over);
    if out.bytes.capacity() <= KEPT_BUFFER {
        out.bytes.clear();
        PAGE_BUFFER.set(out.bytes);
    }
    match rendered {
        Ok(()) => Ok(page.unwrap_or_default()),
        Err(_) if over => Err(Diagnostic::error(
            at(),
            format!(
                "{what} is over the limit of {} MiB per page (MAX_PAGE_BYTES) while rendering {template}",
                limits::MAX_PAGE_BYTES >> 20
            ),
        )
        .with_help("a loop in the template (or one it includes) repeats too much output; loop over less data or fewer times")),
        Err(e) => Err(template_error(&e, Some(what))),
    }
}

/// A panic inside Tera (none is known; this is a last line of defence so that no template
/// can crash a build) as a diagnostic at the template, if known.
fn engine_panic(template: Option<&str>, doing: &str) -> Diagnostic {
    let at = template.map(|t| Loc::new(Path::new("templates").join(t), 1, 1));
    Diagnostic::error(at, format!("the template engine failed while {doing}"))
        .with_help("this is a bug in Tera or explainer; simplify the template around recent changes and report it")
}

/// Renders every page (in parallel) and adds the static files.
pub fn render(
    root: &Path,
    tera: &Tera,
    site_ctx: &Value,
    plan: &Plan,
) -> Result<Output, Diagnostics> {
    let pages = render_pages(tera, site_ctx, plan, |_| true);
    let assets = static_files(root);
    let mut diags = Diagnostics::default();
    let mut out = Output {
        base_path: prefix::base_path(plan),
        ..Output::default()
    };
    match (pages, assets) {
        (Ok(pages), Ok(assets)) => out.files.extend(pages.into_iter().chain(assets)),
        (pages, assets) => {
            diags.extend(pages.err().into_iter().flatten());
            diags.extend(assets.err().into_iter().flatten());
            diags.sort();
            return Err(diags);
        }
    }
    Ok(out)
}

/// Renders the pages of `plan` that `wanted` selects (by route), in parallel: output path
/// and bytes of each.
pub fn render_pages(
    tera: &Tera,
    site_ctx: &Value,
    plan: &Plan,
    wanted: impl Fn(&str) -> bool + Sync,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    render_each(tera, site_ctx, plan, wanted, |path, bytes| {
        Ok((path, bytes))
    })
}

/// The static files: the built-in ones, then the site's `static/` (which may replace them).
pub fn static_files(root: &Path) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    let mut files: Vec<(String, Vec<u8>)> = STATIC
        .iter()
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect();
    let mut diags = Diagnostics::default();
    for (name, path) in site_files(root, "static") {
        match std::fs::read(&path) {
            Ok(bytes) => files.push((name, bytes)),
            Err(e) => diags.push(Diagnostic::error(
                Some(Loc::new(Path::new("static").join(&name), 1, 1)),
                format!("cannot read static file: {e}"),
            )),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_links() {
        assert_eq!(section_link("regions").unwrap(), Value::from("/regions/"));
        assert_eq!(section_link("compare").unwrap(), Value::from("/compare/"));
        let err = section_link("regoins").unwrap_err().to_string();
        assert!(
            err.contains("unknown section `regoins`; did you mean `regions`?"),
            "{err}"
        );
    }
}
