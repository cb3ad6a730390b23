//! Link checking on the rendered output, in memory: every internal `href` and `src` must name
//! a file of the output, and every `#anchor` an `id` in the page it points to.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;

/// The values of attribute `name` in `html`, in order (double- or single-quoted).
fn attr_values<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let needle = format!(" {name}={quote}");
        let mut rest = html;
        while let Some(i) = rest.find(&needle) {
            rest = &rest[i + needle.len()..];
            if let Some(end) = rest.find(quote) {
                out.push(&rest[..end]);
                rest = &rest[end..];
            }
        }
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

/// The output file a link from `page` (an output path) to `target` points at, or `None` when
/// nothing in `files` matches.
fn resolve<'o>(output: &'o Output, page: &str, target: &str) -> Option<&'o str> {
    let path = if let Some(abs) = target.strip_prefix('/') {
        abs.to_string()
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
    let candidates = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.clone(), format!("{path}/index.html")]
    };
    candidates
        .into_iter()
        .find_map(|c| output.files.get_key_value(&c).map(|(k, _)| k.as_str()))
}

/// Checks every internal link and anchor of `output`.
pub fn check(output: &Output) -> Diagnostics {
    let ids: HashMap<&str, HashSet<&str>> = output
        .pages()
        .map(|(path, html)| (path, attr_values(html, "id").into_iter().collect()))
        .collect();
    let mut diags = Diagnostics::default();
    for (page, html) in output.pages() {
        let shown = format!("/{}", page.trim_end_matches("index.html"));
        let links = attr_values(html, "href")
            .into_iter()
            .chain(attr_values(html, "src"));
        for link in links {
            if link.is_empty() || is_external(link) {
                continue;
            }
            let link = decode(link);
            let (target, fragment) = match link.split_once('#') {
                Some((t, f)) => (t, Some(f)),
                None => (link.as_str(), None),
            };
            let target = target.split('?').next().unwrap_or_default();
            let file = if target.is_empty() {
                Some(page)
            } else {
                resolve(output, page, target)
            };
            let Some(file) = file else {
                diags.push(
                    Diagnostic::error(
                        None,
                        format!("page {shown} links to `{link}`, which does not exist"),
                    )
                    .with_help(
                        "fix the link in the article, fact or template that makes this page",
                    ),
                );
                continue;
            };
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                if ids.get(file).is_some_and(|set| !set.contains(f)) {
                    diags.push(
                        Diagnostic::error(
                            None,
                            format!(
                                "page {shown} links to `{link}`, but that page has no id `{f}`"
                            ),
                        )
                        .with_help(
                            "link to a heading id that exists (headings get ids from their text)",
                        ),
                    );
                }
            }
        }
    }
    diags.sort();
    diags
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
        }
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
