//! `explainer export`: one region's guide as a single file (self-contained print-ready HTML,
//! Markdown, versioned JSON, or PDF via headless Chromium). The guide is derived by `guides`
//! and laid out by the `export/` templates; deciding where the bytes go is the CLI's job.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::{Value, json};
use tera::Tera;

use crate::derive::Derived;
use crate::derive::guides::Guide;
use crate::derive::links::{Kind, Resolver, route};
use crate::diagnostics::{Diagnostic, suggest};
use crate::model::{Region, Site, Text};
use crate::pipeline::Built;
use crate::{derive::guides, derive::markdown, render};

/// The JSON export's schema version (README, "Export"); bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// How long Chromium may take to print one guide.
const PRINT_TIMEOUT: Duration = Duration::from_secs(90);

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

/// A Markdown field as exported: the editor's Markdown and its HTML, links absolute to
/// `base_url` when it is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rich {
    pub markdown: String,
    pub html: String,
}

/// A guide as exported, in JSON and to the templates; README, "Export", documents every
/// field. Typed at the top so that `schema_version` comes first.
#[derive(Debug, Serialize)]
pub struct Document {
    pub schema_version: u32,
    pub generator: &'static str,
    pub title: String,
    pub url: String,
    pub site: Value,
    pub policy: Value,
    pub region: Value,
    pub groups: Vec<Value>,
    pub members: Vec<Value>,
    pub countries: Vec<guides::Country>,
    pub changes: Vec<Value>,
    pub categories: Vec<Value>,
    pub exclusions: Vec<Value>,
    pub optouts: Vec<Value>,
    pub disputed: Vec<Value>,
    pub sources: Vec<Value>,
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
}

impl<'a> Exporter<'a> {
    /// An exporter for `built`, the build of the site at `_root` (the build holds everything
    /// the export needs; the folder is not read again).
    pub fn new(_root: &Path, built: &'a Built) -> Result<Exporter<'a>, ExportError> {
        Ok(Exporter {
            site: &built.site,
            files: &built.output.files,
            tera: &built.tera,
            resolver: &built.resolver,
            site_ctx: &built.site_ctx,
            derived: &built.derived,
        })
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

    fn rich(&self, text: &Text) -> Rich {
        let dest = |d: &str| match self.resolver.url(d) {
            Ok(Some(url)) => Some(self.url(&url)),
            _ => Some(self.url(d)).filter(|u| u != d),
        };
        Rich {
            markdown: markdown::rewrite_links(&text.src, dest),
            html: markdown::render_inline(&text.src, |d, _| dest(d)),
        }
    }

    /// The exported guide of `region` (pure): the JSON document, and what the templates see
    /// as `page`.
    pub fn data(&self, region: &Region) -> Document {
        let (site, g) = (self.site, self.guide(region));
        let mut cited: BTreeSet<&str> = region.sources.iter().map(String::as_str).collect();
        let lists = (g
            .changes
            .iter()
            .filter_map(|c| c.status.as_ref())
            .map(|s| &s.sources))
        .chain(g.categories.iter().map(|c| &c.sources))
        .chain(g.exclusions.iter().map(|e| &e.sources))
        .chain(g.optouts.iter().map(|o| &o.sources));
        cited.extend(lists.flatten().map(String::as_str));
        let sources: Vec<_> = site
            .sources
            .iter()
            .filter(|s| cited.contains(s.id.as_str()))
            .collect();
        let cite = |ids: &[String]| -> Vec<usize> {
            let mut ns: Vec<usize> = (ids.iter())
                .filter_map(|id| sources.iter().position(|s| &s.id == id).map(|i| i + 1))
                .collect();
            ns.sort_unstable();
            ns.dedup();
            ns
        };
        let rich = |t: &Option<Text>| t.as_ref().map(|t| self.rich(t));
        let all = |ts: &[Text]| ts.iter().map(|t| self.rich(t)).collect::<Vec<_>>();
        let at = |kind: Kind, id: &str| self.url(&route(kind, id));
        let region_ref =
            |r: &Region| json!({ "id": r.id, "name": r.name, "url": at(Kind::Region, &r.id) });
        let changes = g.changes.iter().map(|c| {
            let s = c.status.as_ref();
            json!({
                "id": c.change.id, "name": c.change.name, "summary": rich(&c.change.summary),
                "state": s.map(|s| s.state), "since": s.and_then(|s| s.since),
                "default_on": s.and_then(|s| s.default_on),
                "opt_out": s.and_then(|s| s.opt_out),
                "note": s.and_then(|s| rich(&s.note)),
                "inherited_from": c.inherited_from.as_ref().map(region_ref),
                "citations": s.map(|s| cite(&s.sources)).unwrap_or_default(),
            })
        });
        let categories = g.categories.iter().map(|c| {
            json!({
                "id": c.id, "name": c.name, "url": at(Kind::Category, &c.id),
                "used_for": c.used_for, "summary": rich(&c.summary), "examples": c.examples,
                "citations": cite(&c.sources),
            })
        });
        let exclusions = g.exclusions.iter().map(|e| {
            json!({
                "id": e.id, "name": e.name, "url": at(Kind::Exclusion, &e.id),
                "condition": rich(&e.condition), "summary": rich(&e.summary),
                "citations": cite(&e.sources),
            })
        });
        let optouts = g.optouts.iter().map(|o| {
            json!({
                "id": o.id, "name": o.name, "url": at(Kind::OptOut, &o.id), "change": o.change,
                "summary": rich(&o.summary),
                "steps": { "desktop": all(&o.steps.desktop), "mobile": all(&o.steps.mobile) },
                "link": o.link, "stops": all(&o.stops), "does_not_stop": all(&o.does_not_stop),
                "citations": cite(&o.sources),
            })
        });
        let disputed = g.questions.iter().map(|d| {
            json!({
                "id": d.question.id, "question": d.question.text, "url": self.url(&d.url),
                "answer": d.answer, "confidence": d.confidence,
            })
        });
        let listed = sources.iter().enumerate().map(|(i, s)| {
            json!({
                "n": i + 1, "id": s.id, "title": s.title, "publisher": s.publisher,
                "kind": s.kind, "date": s.date, "url": s.url,
                "page": at(Kind::Source, &s.id),
            })
        });
        let (cfg, policy) = (&site.config, &site.config.policy);
        Document {
            schema_version: SCHEMA_VERSION,
            generator: concat!("explainer ", env!("CARGO_PKG_VERSION")),
            title: format!("Guide for {}", region.name),
            url: self.url(&g.url),
            site: json!({ "title": cfg.title, "base_url": cfg.base_url, "language": cfg.language }),
            policy: json!({
                "platform": policy.platform, "name": policy.name, "effective": policy.effective,
                "verified": policy.verified, "summary": self.rich(&policy.summary),
            }),
            region: json!({
                "id": region.id, "name": region.name, "elsewhere": region.elsewhere,
                "regulator": region.regulator, "legal_basis": region.legal_basis,
                "notes": rich(&region.notes), "citations": cite(&region.sources),
            }),
            groups: g.groups.iter().map(&region_ref).collect(),
            members: g.members.iter().map(&region_ref).collect(),
            countries: g.countries.clone(),
            changes: changes.collect(),
            categories: categories.collect(),
            exclusions: exclusions.collect(),
            optouts: optouts.collect(),
            disputed: disputed.collect(),
            sources: listed.collect(),
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
                let mut bytes = serde_json::to_vec_pretty(&page).unwrap_or_default();
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
                    Format::Pdf => print_pdf(&chromium().ok_or(ExportError::NoBrowser)?, &html)?,
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
        let ctx =
            json!({ "site": self.site_ctx, "page": page, "css": css, "current_url": page.url });
        let what = format!("the export of region `{}`", region.id);
        let bytes = render::render_bounded(self.tera, template, ctx, &what)
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

/// `text` with the value after each `open` (up to `close`) replaced by `f(value)` when it
/// gives one, e.g. `src="…"` attributes or CSS `url(…)`s.
fn inline_refs(
    text: &str,
    open: &str,
    close: &str,
    mut f: impl FnMut(&str) -> Option<String>,
) -> String {
    let (mut out, mut rest) = (String::with_capacity(text.len()), text);
    while let Some(i) = rest.find(open) {
        // `src="` only as an attribute of its own (not `data-src="`).
        let applies = open != "src=\"" || rest[..i].ends_with(char::is_whitespace);
        let value_at = i + open.len();
        let Some(len) = rest[value_at..].find(close) else {
            break;
        };
        out.push_str(&rest[..value_at]);
        let raw = &rest[value_at..value_at + len];
        let value = raw.trim().trim_matches(['"', '\'']);
        match applies.then(|| f(value)).flatten() {
            Some(new) if raw != value => out.push_str(&format!("\"{new}\"")),
            Some(new) => out.push_str(&new),
            None => out.push_str(raw),
        }
        rest = &rest[value_at + len..];
    }
    out.push_str(rest);
    out
}

fn mime(path: &str) -> &'static str {
    let ext = path
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        for i in 0..4 {
            let c = if i <= chunk.len() {
                ABC[(n >> (18 - 6 * i)) as usize & 63]
            } else {
                b'='
            };
            out.push(char::from(c));
        }
    }
    out
}

/// Chromium, to print PDFs: `$EXPLAINER_CHROMIUM` when set, else `/usr/bin/chromium`, else
/// `chromium` (or `chromium-browser`) on PATH.
pub fn chromium() -> Option<PathBuf> {
    if let Some(chosen) = std::env::var_os("EXPLAINER_CHROMIUM").map(PathBuf::from) {
        return chosen.is_file().then_some(chosen);
    }
    let fixed = PathBuf::from("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Prints `html` to PDF with headless Chromium, from a temp file and a fresh profile.
pub fn print_pdf(browser: &Path, html: &str) -> Result<Vec<u8>, ExportError> {
    let tmp = tempfile::tempdir().map_err(|e| ExportError::io("cannot make a temp folder", e))?;
    let (page, pdf, log) = (
        tmp.path().join("guide.html"),
        tmp.path().join("guide.pdf"),
        tmp.path().join("chromium.log"),
    );
    std::fs::write(&page, html)
        .map_err(|e| ExportError::io(format!("cannot write {}", page.display()), e))?;
    let log_file =
        std::fs::File::create(&log).map_err(|e| ExportError::io("cannot make a log file", e))?;
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
        ])
        .args([
            "--disable-component-update",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            tmp.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&page)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .map_err(|e| ExportError::io(format!("cannot run {}", browser.display()), e))?;
    let deadline = Instant::now() + PRINT_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ExportError::Browser(format!(
                    "no PDF after {} s",
                    PRINT_TIMEOUT.as_secs()
                )));
            }
            Err(e) => return Err(ExportError::io("cannot wait for Chromium", e)),
        }
    };
    match std::fs::read(&pdf) {
        Ok(bytes) if bytes.starts_with(b"%PDF-") => Ok(bytes),
        _ => {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            let lines: Vec<&str> = log.lines().collect();
            let tail = lines[lines.len().saturating_sub(5)..].join(" | ");
            Err(ExportError::Browser(format!("{status}; {tail}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_base64_with_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn inlines_only_attribute_values() {
        let f = |v: &str| (v == "/a.png").then(|| "data:x".to_string());
        assert_eq!(
            inline_refs(
                "<img src=\"/a.png\"> <img data-src=\"/a.png\">",
                "src=\"",
                "\"",
                f
            ),
            "<img src=\"data:x\"> <img data-src=\"/a.png\">"
        );
        let css = inline_refs("a{background:url('/a.png')}", "url(", ")", f);
        assert_eq!(css, "a{background:url(\"data:x\")}");
    }
}
