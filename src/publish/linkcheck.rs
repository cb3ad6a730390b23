//! Link checking on the rendered output, in memory: every internal `href` and `src` must name
//! a file of the output, and every `#anchor` an `id` in the page it points to.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::derive::routes::file_for;
use crate::diagnostics::{Diagnostic, Diagnostics, Loc};
use crate::publish::output::Output;

/// The `href`, `src` and `id` attributes of `html`, in order, as (name, value): one pass,
/// double- or single-quoted values.
fn attributes(html: &str) -> Vec<(&str, &str)> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('=') {
        let eq = i + off;
        i = eq + 1;
        let Some(&quote) = bytes.get(eq + 1) else {
            break;
        };
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        let mut start = eq;
        while start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
            start -= 1;
        }
        let name = &html[start..eq];
        let preceded = start > 0 && bytes[start - 1].is_ascii_whitespace();
        if !preceded || !matches!(name, "href" | "src" | "id") {
            continue;
        }
        let value_start = eq + 2;
        let Some(len) = html[value_start..].find(quote as char) else {
            break;
        };
        out.push((name, &html[value_start..value_start + len]));
        i = value_start + len + 1;
    }
    out
}

/// Whether a URL leaves the site (has a scheme, or is protocol-relative).
fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains('/') && !scheme.is_empty())
}

/// What the link check needs to know of an output: which files it has, the base path its
/// root-relative links carry, and which ids a page has (`None`: not a page it can read).
struct View<'v> {
    exists: &'v (dyn Fn(&str) -> bool + Sync),
    has_id: &'v (dyn Fn(&str, &str) -> Option<bool> + Sync),
    base_path: &'v str,
}

/// The output file a link from `page` (an output path) to `target` points at, or `None` when
/// nothing matches.
fn resolve(view: &View, page: &str, target: &str) -> Option<String> {
    let base_path = view.base_path;
    let path = if let Some(abs) = target.strip_prefix('/') {
        // Under a base path (`/sub`), every tag's root-relative address carries it
        // (`render::prefix`); one without it is text the scan took for a link (`<a href="/x">`
        // in a code sample), checked as before.
        match abs.strip_prefix(base_path.trim_start_matches('/')) {
            Some(rest) if !base_path.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
                rest.trim_start_matches('/').to_string()
            }
            _ => abs.to_string(),
        }
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for seg in target.split('/') {
            match seg {
                "." | "" => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let mut p = parts.join("/");
        if target.ends_with('/') && !p.is_empty() {
            p.push('/');
        }
        p
    };
    Some(file_for(&path, view.exists)?.file().to_string())
}

/// Where the site's own links were written (in Markdown or YAML), so that a broken one is
/// reported at its source rather than at the page it ended up on.
#[derive(Debug, Default)]
pub struct Sources {
    by_page: HashMap<(String, String), Loc>,
    by_href: HashMap<String, Loc>,
}

impl Sources {
    /// From (page route, href as rendered, where it is written); the first place wins.
    pub fn new(links: impl IntoIterator<Item = (String, String, Loc)>) -> Sources {
        let mut sources = Sources::default();
        for (page, href, loc) in links {
            sources.by_href.entry(href.clone()).or_insert(loc.clone());
            sources.by_page.entry((page, href)).or_insert(loc);
        }
        sources
    }

    /// Where `href` on the page at `route` was written, if it was in content.
    fn find(&self, route: &str, href: &str) -> Option<&Loc> {
        self.by_page
            .get(&(route.to_string(), href.to_string()))
            .or_else(|| self.by_href.get(href))
    }
}

/// Checks every internal link and anchor of `output`, pages in parallel.
pub fn check(output: &Output) -> Diagnostics {
    check_with(output, &Sources::default())
}

/// Checks every internal link and anchor of `output`, reporting a broken link written in
/// content at its place in `sources`.
pub fn check_with(output: &Output, sources: &Sources) -> Diagnostics {
    check_indexed(output, sources).0
}

/// A page's anchors and the internal links the check follows: what an incremental rebuild
/// keeps of a page it does not render again.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PageLinks {
    pub ids: Vec<String>,
    pub links: Vec<String>,
}

impl PageLinks {
    /// The ids and links of a page (`None` when it is not UTF-8 text: the check skips it).
    pub fn of(html: &[u8]) -> Option<PageLinks> {
        let attrs = attributes(std::str::from_utf8(html).ok()?);
        let mut p = PageLinks::default();
        for (name, value) in attrs {
            match name {
                "id" => p.ids.push(value.to_string()),
                _ if value.is_empty() || is_external(value) => {}
                _ => p.links.push(value.to_string()),
            }
        }
        p.ids.sort_unstable();
        p.ids.dedup();
        Some(p)
    }
}

/// Every page's `PageLinks`, by output path.
pub type LinkIndex = HashMap<String, PageLinks>;

/// Where the link check finds each page's ids and links: a `LinkIndex`, or a store that
/// decodes a page when asked (an incremental rebuild's).
pub trait Pages: Sync {
    /// The page at an output path, if it is an HTML page the check reads.
    fn page(&self, path: &str) -> Option<std::borrow::Cow<'_, PageLinks>>;
    /// Every page's output path.
    fn paths(&self) -> Vec<&str>;
}

impl Pages for LinkIndex {
    fn page(&self, path: &str) -> Option<std::borrow::Cow<'_, PageLinks>> {
        self.get(path).map(std::borrow::Cow::Borrowed)
    }

    fn paths(&self) -> Vec<&str> {
        self.keys().map(String::as_str).collect()
    }
}

/// As `check_with`, and also each page's ids and links, for a later incremental check.
pub fn check_indexed(output: &Output, sources: &Sources) -> (Diagnostics, LinkIndex) {
    let index: LinkIndex = (output.files.par_iter())
        .filter(|(p, _)| p.ends_with(".html"))
        .filter_map(|(p, b)| Some((p.clone(), PageLinks::of(b)?)))
        .collect();
    // Hashed rather than the map's ordered lookup: each link asks for one or two paths.
    let paths: HashSet<&str> = output.files.keys().map(String::as_str).collect();
    let exists = |f: &str| paths.contains(f);
    let diags = check_index(&index, None, &exists, sources, &output.base_path);
    (diags, index)
}

/// Checks the links of `pages` (output paths; every page of `index` when `None`) against an
/// output whose files `exists` names and whose pages' ids `index` holds.
pub fn check_index(
    index: &dyn Pages,
    pages: Option<&[&str]>,
    exists: &(dyn Fn(&str) -> bool + Sync),
    sources: &Sources,
    base_path: &str,
) -> Diagnostics {
    let has_id = |f: &str, id: &str| {
        (index.page(f)).map(|p| p.ids.binary_search_by(|x| x.as_str().cmp(id)).is_ok())
    };
    let view = View {
        exists,
        has_id: &has_id,
        base_path,
    };
    let all: Vec<&str>;
    let pages = match pages {
        Some(p) => p,
        None => {
            all = index.paths();
            &all
        }
    };
    let found: Vec<Diagnostic> = pages
        .par_iter()
        .filter_map(|page| Some((*page, index.page(page)?)))
        .flat_map_iter(|(page, links)| {
            (links.links.iter())
                .filter_map(|link| {
                    let d = broken(&view, page, link)?;
                    Some(locate(d, sources, base_path, page, link))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut diags = Diagnostics(found);
    diags.sort();
    diags
}

/// Checks the links of some pages of `output` (output paths) against all of it.
pub fn check_pages(output: &Output, pages: &[&str]) -> Diagnostics {
    let index: LinkIndex = (output.files.iter())
        .filter(|(p, _)| p.ends_with(".html"))
        .filter_map(|(p, b)| Some((p.clone(), PageLinks::of(b)?)))
        .collect();
    let exists = |f: &str| output.files.contains_key(f);
    check_index(
        &index,
        Some(pages),
        &exists,
        &Sources::default(),
        &output.base_path,
    )
}

/// The `id`s of a page (empty when it is not UTF-8 text), e.g. to tell whether its anchors
/// changed.
pub fn page_ids(html: &[u8]) -> HashSet<&str> {
    std::str::from_utf8(html).map_or_else(|_| HashSet::new(), |t| ids_of(&attributes(t)))
}

/// The ids among a page's attributes.
fn ids_of<'h>(attrs: &[(&str, &'h str)]) -> HashSet<&'h str> {
    attrs
        .iter()
        .filter(|(n, _)| *n == "id")
        .map(|(_, v)| *v)
        .collect()
}

/// The diagnostic for `link` on `page`, if it is broken.
fn broken(view: &View, page: &str, link: &str) -> Option<Diagnostic> {
    if link.is_empty() || is_external(link) {
        return None;
    }
    let link: std::borrow::Cow<str> = if link.contains('&') {
        decode(link).into()
    } else {
        link.into()
    };
    // Made only for a broken link: most links are fine.
    let shown = || format!("/{}", page.trim_end_matches("index.html"));
    let (target, fragment) = match link.split_once('#') {
        Some((t, f)) => (t, Some(f)),
        None => (&*link, None),
    };
    let target = target.split('?').next().unwrap_or_default();
    let file = if target.is_empty() {
        Some(page.to_string())
    } else {
        resolve(view, page, target)
    };
    let Some(file) = file else {
        return Some(
            Diagnostic::error(
                None,
                format!("page {} links to `{link}`, which does not exist", shown()),
            )
            .with_help("fix the link in the article, fact or template that makes this page"),
        );
    };
    let f = fragment.filter(|f| !f.is_empty())?;
    if (view.has_id)(&file, f) == Some(false) {
        return Some(
            Diagnostic::error(
                None,
                format!(
                    "page {} links to `{link}`, but that page has no id `{f}`",
                    shown()
                ),
            )
            .with_help("link to a heading id that exists (headings get ids from their text)"),
        );
    }
    None
}

/// `d` (about `link` on `page`) moved to where the link is written, if it is in content:
/// said once there, whichever pages show it.
fn locate(
    mut d: Diagnostic,
    sources: &Sources,
    base_path: &str,
    page: &str,
    link: &str,
) -> Diagnostic {
    let route = format!("/{}", page.trim_end_matches("index.html"));
    let link = decode(link);
    // Content wrote the link before the base path was added.
    let link = match link.strip_prefix(base_path) {
        Some(rest) if !base_path.is_empty() && rest.starts_with('/') => rest.to_string(),
        _ => link,
    };
    let Some(loc) = sources.find(&route, &link) else {
        return d;
    };
    d.loc = Some(loc.clone());
    d.message = match d.message.rsplit_once("has no id ") {
        Some((_, id)) => format!("broken link `{link}`: the page it points to has no id {id}"),
        None => format!("broken link `{link}`: no page or file of the site is there"),
    };
    d.help = Some(match link.split_once('#') {
        Some(_) => "link to a heading id that exists (headings get ids from their text), or drop the `#…` part".to_string(),
        None => "link to a page of the site (use `region:ID`, `article:SLUG`, … to link to facts and articles)".to_string(),
    });
    d
}

/// Undoes the HTML escaping that attribute values may carry.
fn decode(url: &str) -> String {
    url.replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Output {
        Output {
            files: files
                .iter()
                .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
                .collect(),
            base_path: String::new(),
        }
    }

    #[test]
    fn under_a_base_path_links_carry_it() {
        let mut out = site(&[
            (
                "index.html",
                r#"<a href="/sub/a/">a</a> <a href="/sub/">home</a> <a href="/sub">h</a> <a href="/sub/b/">b</a> <a href="/subway/">other</a> <code>&lt;a href="/a/"&gt;</code>"#,
            ),
            ("a/index.html", ""),
        ]);
        out.base_path = "/sub".into();
        let msgs: Vec<String> = check(&out).iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            msgs,
            [
                "page / links to `/sub/b/`, which does not exist",
                "page / links to `/subway/`, which does not exist",
            ]
        );
    }

    #[test]
    fn finds_broken_links_and_anchors() {
        let out = site(&[
            (
                "index.html",
                r##"<a href="/a/">a</a> <a href="/a/#top">t</a> <img src="/x.png"> <a href="#here">h</a> <p id="here"></p> <a href="https://e.org/">e</a>"##,
            ),
            (
                "a/index.html",
                r#"<h1 id="top">A</h1> <a href="../">up</a> <a href="/missing/">m</a> <a href="/#nope">n</a> <link href="/style.css">"#,
            ),
            ("style.css", ""),
        ]);
        let msgs: Vec<String> = check(&out).iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            msgs,
            [
                "page / links to `/x.png`, which does not exist",
                "page /a/ links to `/#nope`, but that page has no id `nope`",
                "page /a/ links to `/missing/`, which does not exist",
            ]
        );
    }
}
