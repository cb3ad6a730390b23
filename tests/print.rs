//! Print and export (issue 17, item 5): a PDF of a bundled guide has "Page N of M", the
//! facts' as-of date and the guide's address on every page, the short answer with the
//! opt-out on page 1, and only absolute links; the html and md exports put the short answer
//! before the policy summary and, with a base URL, link only absolutely.

mod common;

use std::path::Path;
use std::process::Command;

use common::{copy_dir, edit, explainer, repo, stderr};

const BASE: &str = "https://example.org/";
const ADDRESS: &str = "https://example.org/regions/eu/";
const AS_OF: &str = "Facts as of 20 November 2025";
const OPT_OUT: &str = "Data for Generative AI Improvement";
/// The first words of the policy summary, the intro that follows the short answer.
const INTRO: &str = "updated data-use terms took effect";

/// Exports `region` of the bundled site as `format` into `dir` with `--base-url`.
fn export(dir: &Path, region: &str, format: &str) -> std::path::PathBuf {
    let out = dir.join(format!("{region}.{format}"));
    let run = explainer(&[
        "export",
        "--root",
        repo().to_str().unwrap(),
        "--region",
        region,
        "--format",
        format,
        "--base-url",
        BASE,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!stderr(&run).contains("warning"), "{}", stderr(&run));
    out
}

/// The `/URI (…)` link targets of a PDF (Chromium writes link annotations uncompressed).
fn pdf_uris(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    text.split("/URI (")
        .skip(1)
        .map(|s| s[..s.find(')').unwrap_or(s.len())].to_string())
        .collect()
}

#[test]
fn a_pdf_has_page_numbers_address_and_date_on_every_page_and_the_answer_on_page_1() {
    if common::chromium().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let pdf = export(tmp.path(), "eu", "pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let Some(pages) = common::pdf_pages(&pdf, true) else {
        return;
    };
    let n = pages.len();
    assert!(n > 1, "{n} pages");
    for (i, page) in pages.iter().enumerate() {
        let number = format!("Page {} of {n}", i + 1);
        assert!(page.contains(&number), "page {}: {number}\n{page}", i + 1);
        assert!(
            page.contains(AS_OF),
            "page {}: the as-of date\n{page}",
            i + 1
        );
        assert!(
            page.contains(ADDRESS),
            "page {}: the address\n{page}",
            i + 1
        );
        assert!(page.contains("Guide for European Union"), "page {}", i + 1);
    }
    let first = &pages[0];
    let answer = first
        .find("The short answer")
        .expect("the short answer on page 1");
    let action = first.find("Turn it off:").expect("the action on page 1");
    assert!(
        first[action..].contains(OPT_OUT),
        "the opt-out on page 1:\n{first}"
    );
    let intro = first.find(INTRO).unwrap_or(first.len());
    assert!(
        answer < action && action < intro,
        "the answer before the intro:\n{first}"
    );

    let uris = pdf_uris(&bytes);
    assert!(uris.len() > 20, "{} links", uris.len());
    for uri in &uris {
        assert!(uri.starts_with("https://"), "an absolute link: {uri}");
    }
    assert!(
        uris.iter().any(|u| u.starts_with(BASE)),
        "links to the site"
    );
    assert!(
        !String::from_utf8_lossy(&bytes).contains("file://"),
        "no file:// link"
    );
}

/// The attribute values of `attr="…"` in `html`.
fn attrs<'h>(html: &'h str, attr: &str) -> Vec<&'h str> {
    let start = format!(" {attr}=\"");
    html.split(start.as_str())
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect()
}

#[test]
fn the_html_export_has_the_answer_first_and_only_absolute_links() {
    let tmp = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(export(tmp.path(), "eu", "html")).unwrap();
    let answer = html.find("<section class=\"answer-box\"").unwrap();
    let intro = html.find("<div class=\"intro\">").unwrap();
    let toc = html.find("<nav class=\"toc\"").unwrap();
    assert!(answer < intro && intro < toc, "answer box, intro, contents");
    assert!(html[answer..intro].contains(OPT_OUT));
    assert!(html[intro..toc].contains(INTRO));

    let hrefs = attrs(&html, "href");
    assert!(hrefs.len() > 50, "{} links", hrefs.len());
    for href in &hrefs {
        let inside = href.starts_with('#') && href.len() > 1;
        assert!(
            inside || href.starts_with("https://"),
            "absolute or in-page: {href}"
        );
        if let Some(id) = href.strip_prefix('#') {
            assert!(
                html.contains(&format!(" id=\"{id}\"")),
                "#{id} is in the file"
            );
        }
    }
    assert!(hrefs.iter().any(|h| h.starts_with(ADDRESS)));

    // The printed page's margins, as CSS margin boxes.
    let margins = format!("@bottom-left {{ content: \"{ADDRESS}\"; }}");
    assert!(html.contains(&margins), "the address in the margin");
    assert!(html.contains("@top-right { content: \"Facts as of \" \"20 November 2025\"; }"));
    assert!(html.contains("content: \"Page \" counter(page) \" of \" counter(pages);"));

    let md = std::fs::read_to_string(export(tmp.path(), "eu", "md")).unwrap();
    let answer = md.find("## The short answer").unwrap();
    let intro = md.find(INTRO).unwrap();
    assert!(answer < intro && intro < md.find("## On this page").unwrap());
}

#[test]
fn margin_text_is_escaped_and_without_a_base_url_there_is_no_address() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("content"), &root.join("content"));
    edit(
        &root,
        "content/site.yaml",
        "title: \"LinkedIn, your data and AI: the November 2025 changes\"",
        "title: 'Data \"and\" </style> AI'",
    );
    let out = tmp.path().join("eu.html");
    let run = explainer(&[
        "export",
        "--root",
        root.to_str().unwrap(),
        "--region",
        "eu",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let html = std::fs::read_to_string(out).unwrap();
    assert!(
        html.contains(r#"@top-left { content: "Data \"and\" \3C /style\3E  AI" " · " "Guide for European Union"; }"#),
        "{}",
        &html[html.find("@page").unwrap()..][..400]
    );
    assert!(
        !html.contains("@bottom-left { content"),
        "no address without a base URL"
    );
    assert!(html.contains("counter(pages)"));
}

#[cfg(unix)]
#[test]
fn an_old_chromium_is_warned_about_the_margins() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let fake = tmp.path().join("chromium");
    std::fs::write(
        &fake,
        "#!/bin/sh\n[ \"$1\" = --version ] && { echo 'Chromium 120.0.6099.224 built on Debian'; exit 0; }\n\
         for a in \"$@\"; do case \"$a\" in --print-to-pdf=*) printf '%%PDF-1.4 fake' > \"${a#--print-to-pdf=}\";; esac; done\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = tmp.path().join("eu.pdf");
    let run = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(["export", "--root"])
        .arg(repo())
        .args([
            "--region",
            "eu",
            "--format",
            "pdf",
            "--base-url",
            BASE,
            "--out",
        ])
        .arg(&out)
        .env("EXPLAINER_CHROMIUM", &fake)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(err.contains("Chromium 120 prints no page numbers"), "{err}");
    assert!(err.contains("Chromium 131 or later"), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), b"%PDF-1.4 fake");
}
