//! The bundled site reads well: backlinks are titled, page titles (`<h1>`) carry no citation markers,
//! article contents are numbered once, and every cell of the comparison names its source.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{build_into, repo};

/// The bundled site, built once for this file: (the folder's guard, every page's path and HTML).
fn site() -> &'static (tempfile::TempDir, Vec<(PathBuf, String)>) {
    static OUT: OnceLock<(tempfile::TempDir, Vec<(PathBuf, String)>)> = OnceLock::new();
    OUT.get_or_init(|| {
        let (tmp, out, _) = build_into(&repo());
        let pages = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                let rel = e.path().strip_prefix(&out).unwrap().to_path_buf();
                (rel, fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        (tmp, pages)
    })
}

fn page(rel: &str) -> &'static str {
    let (_, pages) = site();
    pages
        .iter()
        .find(|(p, _)| p == Path::new(rel))
        .map(|(_, html)| html.as_str())
        .unwrap_or_else(|| panic!("no page {rel}"))
}

/// The text between `open` (which must occur) and the next `close`.
fn between<'h>(html: &'h str, open: &str, close: &str) -> Option<&'h str> {
    let start = html.find(open)? + open.len();
    let end = html[start..].find(close)?;
    Some(&html[start..start + end])
}

/// (href, text) of every link in `html`.
fn links(html: &str) -> Vec<(&str, &str)> {
    html.split("<a href=\"")
        .skip(1)
        .filter_map(|rest| {
            let (href, rest) = rest.split_once('"')?;
            let text = rest.split_once('>')?.1.split_once("</a>")?.0;
            Some((href, text))
        })
        .collect()
}

#[test]
fn backlinks_show_page_titles_not_ids() {
    let (_, pages) = site();
    let mut seen = 0;
    for (rel, html) in pages {
        let Some(aside) = between(html, "<aside class=\"backlinks\"", "</aside>") else {
            continue;
        };
        for (href, text) in links(aside) {
            seen += 1;
            let slug = href
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default();
            assert!(
                !text.is_empty() && text != slug,
                "{}: the backlink to {href} shows its id {text:?}",
                rel.display()
            );
        }
    }
    assert!(seen > 50, "only {seen} backlinks");
    // A claim links from its question's page: titled by the question's text.
    // (Its note links the source; the link used to be titled `us-change`.)
    let source = page("sources/week-warning-article/index.html");
    let aside = between(source, "<aside class=\"backlinks\"", "</aside>").unwrap();
    assert!(
        aside.contains(r#"<a href="/questions/us-change/">What changes for members in the United States on 3 November 2025?</a>"#),
        "{aside}"
    );
}

#[test]
fn no_h1_holds_a_citation_marker() {
    let (_, pages) = site();
    for (rel, html) in pages {
        for part in html.split("<h1").skip(1) {
            let heading = part.split("</h1>").next().unwrap_or_default();
            assert!(
                !heading.contains("class=\"cite\""),
                "{}: citation in <h1{heading}",
                rel.display()
            );
        }
    }
    // The citations are still there, right after the heading.
    let category = page("categories/profile/index.html");
    let meta = between(category, "</h1>", "</p>").unwrap();
    assert!(meta.contains("Sources: <sup class=\"cite\">"), "{meta}");
    for rel in [
        "exclusions/private-messages/index.html",
        "optouts/genai-toggle/index.html",
    ] {
        let html = page(rel);
        let h1 = between(html, "<h1>", "</h1>").unwrap();
        assert!(!h1.contains("cite"), "{rel}: {h1}");
        assert!(
            between(html, "</h1>", "</p>")
                .unwrap()
                .contains("class=\"cite\"")
        );
    }
}

#[test]
fn article_contents_are_numbered_once() {
    let html = page("articles/how-to-opt-out/index.html");
    let toc = between(html, "<nav class=\"toc\"", "</nav>").expect("a table of contents");
    assert!(
        !toc.contains("<ol"),
        "a numbered list around numbered headings:\n{toc}"
    );
    assert!(toc.contains(">1. Stop AI training"), "{toc}");
}

#[test]
fn every_comparison_cell_names_its_source() {
    let html = page("compare/index.html");
    let body = between(html, "<tbody>", "</tbody>").unwrap();
    let cells = body.matches("<td class=\"cell ").count();
    assert!(cells > 10);
    assert_eq!(
        body.matches("<p class=\"cell-source\"><a href=\"/sources/")
            .count(),
        cells
    );
}
