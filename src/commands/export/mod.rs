//! `explainer export`: one region's guide as a single file (self-contained print-ready HTML,
//! Markdown, versioned JSON, or PDF via headless Chromium), from a finished build: its guide,
//! templates and files. `document` types the guide; deciding where the bytes go is the CLI's job.

mod document;
mod inline;
mod pdf;
pub mod run;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde_json::Value;
use tera::Tera;

pub use document::{Document, Rich, SCHEMA_VERSION};
pub use pdf::{chromium, margins_warning, print_pdf};

use crate::derive::Derived;
use crate::derive::guides::Guide;
use crate::derive::links::Resolver;
use crate::diagnostics::{Diagnostic, suggest};
use crate::model::{Region, Site, Text};
use crate::pipeline::Built;
use crate::{derive::markdown, render};
use inline::{base64, inline_refs, mime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Html,
    Markdown,
    Json,
    Pdf,
}

impl Format {
    /// The file extension, also the name `--format` takes.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Pdf => "pdf",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("unknown region `{id}`")]
    UnknownRegion { id: String, help: String },
    /// A template failed to load or render; located like any other diagnostic.
    #[error("{0}")]
    Template(Diagnostic),
    #[error(
        "no Chromium found to print the PDF (looked for $EXPLAINER_CHROMIUM, /usr/bin/chromium \
         and `chromium` on PATH)"
    )]
    NoBrowser,
    #[error("Chromium did not print the PDF: {0}")]
    Browser(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl ExportError {
    /// How to fix it, for the CLI to print under the message.
    pub fn help(&self) -> Option<String> {
        match self {
            ExportError::UnknownRegion { help, .. } => Some(help.clone()),
            ExportError::Template(d) => d.help.clone(),
            ExportError::NoBrowser => Some(
                "install Chromium (`apt-get install chromium`), or export html and print it \
                 from a browser"
                    .into(),
            ),
            ExportError::Browser(_) => Some(
                "check that `chromium --headless --no-sandbox --dump-dom about:blank` runs".into(),
            ),
            ExportError::Io { .. } => None,
        }
    }

    fn io(what: impl fmt::Display, source: std::io::Error) -> ExportError {
        ExportError::Io {
            what: what.to_string(),
            source,
        }
    }
}

/// One exported file, and what the reader should know about it.
#[derive(Debug)]
pub struct Exported {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
}

/// What an export template sees: the site's shared context, the guide as `page`, the
/// stylesheet to inline, and the guide's URL.
#[derive(Serialize)]
struct ExportRender<'a> {
    site: &'a Value,
    page: &'a Document,
    css: &'a str,
    current_url: &'a str,
}

/// Exports guides of a built site with the build's own templates (the site's
/// `templates/export/*` override the built-in ones), resolver, site context and guides.
pub struct Exporter<'a> {
    site: &'a Site,
    /// The built site's files, where the stylesheet and images are inlined from.
    files: &'a BTreeMap<String, Vec<u8>>,
    tera: &'a Tera,
    resolver: &'a Resolver,
    site_ctx: &'a Value,
    derived: &'a Derived,
    /// Whether the PDF's Chromium is too old to print the margins, asked once.
    margins: std::sync::OnceLock<Option<String>>,
}

impl<'a> Exporter<'a> {
    /// An exporter for `built`, the build of the site at `_root` (the build holds everything
    /// the export needs; the folder is not read again).
    pub fn new(built: &'a Built) -> Exporter<'a> {
        Exporter {
            site: &built.site,
            files: &built.output.files,
            tera: &built.tera,
            resolver: &built.resolver,
            site_ctx: &built.site_ctx,
            derived: &built.derived,
            margins: std::sync::OnceLock::new(),
        }
    }

    /// The region with id `id`, or an error naming the known ones.
    pub fn region(&self, id: &str) -> Result<&'a Region, ExportError> {
        self.site.regions.get(id).ok_or_else(|| {
            let ids = self.site.regions.ids();
            let mut known: Vec<&str> = ids.clone().collect();
            known.sort_unstable();
            // Ids are lowercase: `EU` means `eu`, not the nearest spelling (`au`).
            let lower = id.to_lowercase();
            let mut help = if lower != id && self.site.regions.contains(&lower) {
                format!("did you mean `{lower}`? region ids are lowercase")
            } else {
                suggest(&lower, ids)
            };
            if help.starts_with("did you mean") {
                help = format!("{help} (known regions: {})", known.join(", "));
            }
            ExportError::UnknownRegion {
                id: id.to_string(),
                help,
            }
        })
    }

    /// The build's guide of `region`, one of the site's regions.
    fn guide(&self, region: &Region) -> &'a Guide {
        self.derived
            .guide(&region.id)
            .expect("the build derives a guide for every region")
    }

    fn base(&self) -> Option<&str> {
        let base = self.site.config.base_url.as_deref()?.trim_end_matches('/');
        (!base.is_empty()).then_some(base)
    }

    /// A site path (`/regions/eu/`) as exported: absolute under `base_url` when it is set.
    fn url(&self, path: &str) -> String {
        match self.base() {
            Some(base) if path.starts_with('/') && !path.starts_with("//") => {
                format!("{base}{path}")
            }
            _ => path.to_string(),
        }
    }

    /// A Markdown field as exported. Without `base_url` its links are the site's own, so the
    /// HTML the build rendered is reused; with it, links are made absolute, which needs a
    /// render of its own. The Markdown form always has its cross-links resolved here.
    fn rich(&self, text: &Text) -> Rich {
        let dest = |d: &str| match self.resolver.url(d) {
            Ok(Some(url)) => Some(self.url(&url)),
            _ => Some(self.url(d)).filter(|u| u != d),
        };
        let html = match self.base() {
            None => text.html.clone(),
            Some(_) => markdown::render_inline(&text.src, |d, _| dest(d)),
        };
        Rich {
            markdown: markdown::rewrite_links(&text.src, dest),
            html,
        }
    }

    /// Exports `region`'s guide as `format`. Only `Pdf` runs anything (Chromium).
    pub fn export(&self, region: &Region, format: Format) -> Result<Exported, ExportError> {
        let page = self.data(region);
        let mut warnings = Vec::new();
        if self.base().is_none() {
            warnings.push(
                "content/site.yaml sets no `base_url`, so links to the site stay root-relative \
                 (/regions/…/) and work only on the site itself; set it, e.g. \
                 `base_url: https://example.org/`"
                    .to_string(),
            );
        }
        let bytes = match format {
            Format::Json => {
                let mut bytes = serde_json::to_vec_pretty(&page).map_err(|e| {
                    ExportError::Template(Diagnostic::error(
                        None,
                        format!(
                            "cannot write the export of region `{}` as JSON: {e}",
                            region.id
                        ),
                    ))
                })?;
                bytes.push(b'\n');
                bytes
            }
            Format::Markdown => {
                let md = self.render("export/guide.md", &page, "", region)?;
                format!("{}\n", md.trim()).into_bytes()
            }
            Format::Html | Format::Pdf => {
                let css = self
                    .files
                    .get("style.css")
                    .map(|c| String::from_utf8_lossy(c));
                let css = inline_refs(&css.unwrap_or_default(), "url(", ")", |r| {
                    self.asset(r, &mut warnings)
                });
                let html = self.render("export/guide.html", &page, &css, region)?;
                let html = inline_refs(&html, "src=\"", "\"", |r| self.asset(r, &mut warnings));
                match format {
                    Format::Pdf => {
                        let browser = chromium().ok_or(ExportError::NoBrowser)?;
                        let old = self.margins.get_or_init(|| margins_warning(&browser));
                        warnings.extend(old.clone());
                        print_pdf(&browser, &html)?
                    }
                    _ => html.into_bytes(),
                }
            }
        };
        Ok(Exported { bytes, warnings })
    }

    fn render(
        &self,
        template: &str,
        page: &Document,
        css: &str,
        region: &Region,
    ) -> Result<String, ExportError> {
        let ctx = ExportRender {
            site: self.site_ctx,
            page,
            css,
            current_url: &page.url,
        };
        let what = format!("the export of region `{}`", region.id);
        let bytes = render::render_bounded(self.tera, template, &ctx, &what)
            .map_err(ExportError::Template)?;
        String::from_utf8(bytes).map_err(|e| {
            ExportError::Template(crate::diagnostics::Diagnostic::error(
                None,
                format!("{what} is not UTF-8: {e}"),
            ))
        })
    }

    /// What an asset reference becomes in the single-file HTML: a site file as a data URI; an
    /// external one is dropped (the export makes no request).
    fn asset(&self, r: &str, warnings: &mut Vec<String>) -> Option<String> {
        let local = self.base().and_then(|b| r.strip_prefix(b)).unwrap_or(r);
        if r.starts_with("data:") || r.starts_with('#') || r.is_empty() {
            return None;
        }
        if let Some(path) = local.strip_prefix('/').filter(|p| !p.starts_with('/')) {
            let path = path.split(['?', '#']).next().unwrap_or_default();
            if let Some(bytes) = self.files.get(path) {
                return Some(format!("data:{};base64,{}", mime(path), base64(bytes)));
            }
        }
        warnings.push(format!(
            "left out `{r}` from the html export: only the site's own files can be inlined"
        ));
        Some("data:,".to_string())
    }
}
