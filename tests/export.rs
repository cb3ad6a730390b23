//! `explainer export`: every bundled region as html, md and json, with its status, opt-out
//! steps and citations; the html makes no external request and the md has the html's
//! headings; `--all`, default names, base_url, unknown regions, and a PDF through Chromium.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{BUNDLED_REGIONS as REGIONS, copy_dir, edit, explainer, repo, stderr, stdout};
use serde_json::Value;

/// Newly covered by AI training on 3 November 2025.
const NEW: [&str; 6] = ["eu", "eea", "uk", "ch", "ca", "hk"];

/// Every bundled region exported once with `--all` as html, md and json.
fn exported() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &OUT.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("exports");
        let run = explainer(&[
            "export",
            "--root",
            repo().to_str().unwrap(),
            "--all",
            "--format",
            "html,md,json",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(run.status.success(), "{}", stderr(&run));
        (tmp, out)
    })
    .1
}

fn read(region: &str, ext: &str) -> String {
    std::fs::read_to_string(exported().join(format!("{region}.{ext}")))
        .unwrap_or_else(|e| panic!("{region}.{ext}: {e}"))
}

fn json(region: &str) -> Value {
    serde_json::from_str(&read(region, "json")).expect("valid JSON")
}

/// The entry of `list` whose `id` is `id`.
fn by_id<'v>(list: &'v Value, id: &str) -> &'v Value {
    list.as_array()
        .and_then(|l| l.iter().find(|x| x["id"] == id))
        .unwrap_or_else(|| panic!("no `{id}` in {list}"))
}

/// The text of every h2 and h3 of an HTML page, entities decoded.
fn html_headings(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<h") {
        rest = &rest[at + 2..];
        if !(rest.starts_with('2') || rest.starts_with('3')) {
            continue;
        }
        let level = &rest[..1];
        let body = &rest[rest.find('>').unwrap() + 1..];
        let end = body.find(&format!("</h{level}>")).unwrap();
        let mut text = String::new();
        let mut in_tag = false;
        for c in body[..end].chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        out.push(
            text.replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
                .trim()
                .to_string(),
        );
    }
    out
}

/// The text of every h2 and h3 of a Markdown document, as pulldown-cmark reads it.
fn md_headings(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new(md) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2 | HeadingLevel::H3,
                ..
            }) => current = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = current.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            _ => {}
        }
    }
    out.into_iter().map(|h| h.trim().to_string()).collect()
}

#[test]
fn all_writes_one_file_per_region_and_format() {
    let files: BTreeSet<String> = std::fs::read_dir(exported())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = REGIONS
        .iter()
        .flat_map(|r| ["html", "md", "json"].map(|ext| format!("{r}.{ext}")))
        .collect();
    assert_eq!(files, expected);
}

#[test]
fn json_carries_the_schema_version_status_steps_and_citations() {
    for region in REGIONS {
        let g = json(region);
        assert_eq!(g["schema_version"], 1, "{region}");
        assert_eq!(g["region"]["id"], region);
        assert_eq!(
            g["policy"]["verified"], "2025-11-20",
            "the facts' as-of date"
        );
        let ai = by_id(&g["changes"], "ai-training");
        assert_eq!(ai["state"], "applies", "{region}");
        let since = if NEW.contains(&region) {
            Value::from("2025-11-03")
        } else {
            Value::Null
        };
        assert_eq!(ai["since"], since, "{region}: new on 3 November or not");
        assert_eq!(ai["default_on"], true);

        let toggle = by_id(&g["optouts"], "genai-toggle");
        let desktop = toggle["steps"]["desktop"].as_array().unwrap();
        assert!(desktop.len() >= 3, "{region}: desktop steps");
        assert!(
            desktop[3]["markdown"]
                .as_str()
                .unwrap()
                .contains("**Data for Generative AI Improvement**")
        );
        assert!(desktop[3]["html"].as_str().unwrap().contains("<strong>"));
        assert_eq!(
            toggle["link"],
            "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
        );
        by_id(&g["optouts"], "ads-data-sharing");

        // Citations are numbers into the source list, which is numbered 1..n.
        let sources = g["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "{region}");
        for (i, s) in sources.iter().enumerate() {
            assert_eq!(s["n"], i + 1);
            for field in ["id", "title", "publisher", "kind"] {
                assert!(s[field].is_string(), "{region}: source {field}");
            }
        }
        let cited: Vec<&Value> = ["changes", "categories", "exclusions", "optouts"]
            .iter()
            .flat_map(|list| g[list].as_array().unwrap())
            .map(|x| &x["citations"])
            .chain([&g["region"]["citations"]])
            .collect();
        assert!(cited.iter().any(|c| !c.as_array().unwrap().is_empty()));
        for c in cited.iter().flat_map(|c| c.as_array().unwrap()) {
            let n = c.as_u64().unwrap() as usize;
            assert!((1..=sources.len()).contains(&n), "{region}: citation {n}");
        }
    }
    assert_eq!(
        by_id(&json("us")["changes"], "ads-sharing")["state"],
        "applies"
    );
    assert_eq!(
        by_id(&json("eu")["changes"], "ads-sharing")["state"],
        "unclear"
    );
    let eu = json("eu");
    assert_eq!(
        by_id(&eu["changes"], "ai-training")["inherited_from"]["id"],
        "eea"
    );
    assert_eq!(eu["groups"][0]["id"], "eea");
}

#[test]
fn html_is_one_self_contained_print_ready_file() {
    for region in REGIONS {
        let html = read(region, "html");
        for external in [
            "<link",
            "<script",
            "@import",
            "src=\"http",
            "src='http",
            "url(http",
        ] {
            assert!(!html.contains(external), "{region}: {external}");
        }
        for src in html.split(" src=\"").skip(1) {
            assert!(src.starts_with("data:"), "{region}: src=\"{}", &src[..40]);
        }
        assert!(html.contains(".status-row {"), "style.css is inlined");
        assert!(html.contains("@media print"));
        assert!(html.contains(r#"a[href^="http"]::after { content: " (" attr(href) ")";"#));
        assert!(html.contains("break-after: avoid"), "sensible page breaks");
        assert!(
            html.contains("Facts as of <time datetime=\"2025-11-20\">20 November 2025</time>"),
            "{region}: as-of date"
        );

        let start = html.find("id=\"status-ai-training\"").unwrap();
        let ai = &html[start..start + html[start..].find("</div>").unwrap()];
        assert!(ai.contains("Applies; confidence"), "{region}: {ai}");
        assert_eq!(
            ai.contains("Since <time datetime=\"2025-11-03\">"),
            NEW.contains(&region),
            "{region}"
        );

        let todo = &html[html.find("<h2 id=\"do\">").unwrap()..];
        assert!(todo.contains("<h4>On the website</h4>"), "{region}");
        assert!(todo.contains("<h4>In the app (iOS and Android)</h4>"));
        assert!(todo.contains(
            "<li>Under <strong>How LinkedIn uses your data</strong>, find <strong>Data for Generative AI Improvement</strong>.</li>"
        ));
        assert!(todo.contains(
            "href=\"https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement\""
        ));

        // Every footnote points at an entry of the numbered source list.
        let sources = &html[html.find("<h2 id=\"sources\">").expect("a source list")..];
        let cited: BTreeSet<&str> = html
            .split("href=\"#source-")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert!(!cited.is_empty(), "{region}: footnotes");
        for n in cited {
            assert!(
                sources.contains(&format!("<li id=\"source-{n}\">")),
                "{region}: [{n}]"
            );
        }
        assert!(sources.contains(
            "<cite>LinkedIn to share user data with Microsoft for AI and ads from November 3</cite>. Unnamed news site (publisher not named in the text). News report, <time datetime=\"2025-09-24\">24 September 2025</time>."
        ), "{region}: title, publisher, kind and date");
    }
}

#[test]
fn markdown_has_the_htmls_headings_and_the_guide() {
    for region in REGIONS {
        let (md, html) = (read(region, "md"), read(region, "html"));
        let headings = md_headings(&md);
        assert_eq!(headings, html_headings(&html), "{region}");
        for h in ["Am I affected?", "What you can do", "Sources"] {
            assert!(headings.iter().any(|x| x == h), "{region}: {h}");
        }
        assert!(headings.contains(&"\"Data for Generative AI Improvement\" setting".to_string()));

        assert!(md.starts_with("# Guide for "), "{region}");
        assert!(md.contains("**Facts as of 20 November 2025**"));
        assert!(
            md.contains("**Generative AI training: Applies**"),
            "{region}"
        );
        assert!(md.contains("\n1. Sign in to LinkedIn and click your profile picture"));
        assert!(
            md.contains("\n6. Switch the setting **off**."),
            "mobile steps"
        );
        assert!(md.contains(
            "Direct link: <https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement>"
        ));
        assert!(md.contains("\n1. *LinkedIn to share user data with Microsoft for AI and ads from November 3*. Unnamed news site (publisher not named in the text). News report, 24 September 2025."));
        for scheme in ["region", "optout", "category", "source", "claim", "article"] {
            assert!(
                !md.contains(&format!("]({scheme}:")),
                "{region}: {scheme}: resolved"
            );
        }
        assert!(
            !md.contains("<p>") && !md.contains("<a "),
            "no HTML in the Markdown"
        );
    }
}

/// A copy of the bundled site with a base_url, a local and a remote image in the EU notes.
fn site_with_base_url() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("content"), &root.join("content"));
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(
        root.join("static/flag.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"3\" height=\"2\"/>",
    )
    .unwrap();
    edit(
        &root,
        "content/site.yaml",
        "language: en\n",
        "language: en\nbase_url: https://explainer.example/\n",
    );
    edit(
        &root,
        "content/facts/regions.yaml",
        "    The EU is part of",
        "    ![EU flag](/flag.svg) ![remote](https://images.example/x.png) The EU is part of",
    );
    (tmp, root)
}

#[test]
fn with_base_url_links_are_absolute_and_images_inlined() {
    let (tmp, root) = site_with_base_url();
    let out = tmp.path().join("out");
    let run = explainer(&[
        "export",
        "--root",
        root.to_str().unwrap(),
        "--region",
        "eu",
        "--format",
        "md,html,json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(!err.contains("base_url"), "{err}");
    assert!(
        err.contains("images.example/x.png"),
        "the remote image is reported: {err}"
    );

    let md = std::fs::read_to_string(out.join("eu.md")).unwrap();
    assert!(md.contains("[European Economic Area](https://explainer.example/regions/eea/)"));
    assert!(
        md.contains("[generative AI setting](https://explainer.example/optouts/genai-toggle/)")
    );
    assert!(md.contains("(https://explainer.example/compare/#ads-sharing-regions)"));
    assert!(!md.contains("](/"), "no root-relative link left");

    let html = std::fs::read_to_string(out.join("eu.html")).unwrap();
    assert!(
        html.contains("<img src=\"data:image/svg+xml;base64,"),
        "local image inlined"
    );
    assert!(!html.contains("images.example"), "remote image left out");
    assert!(html.contains("href=\"https://explainer.example/regions/eea/\""));
    assert!(html.contains("<a class=\"url\" href=\"https://explainer.example/regions/eu/\">"));

    let g: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("eu.json")).unwrap()).unwrap();
    assert_eq!(g["url"], "https://explainer.example/regions/eu/");
    assert_eq!(g["site"]["base_url"], "https://explainer.example/");
}

#[test]
fn without_base_url_links_stay_root_relative_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("uk.md");
    let run = explainer(&[
        "export",
        "--root",
        repo().to_str().unwrap(),
        "--region",
        "uk",
        "--format",
        "md",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stderr(&run).contains("warning: content/site.yaml sets no `base_url`"));
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(
        md.contains("[generative AI setting](/optouts/genai-toggle/)"),
        "{md}"
    );
}

#[test]
fn a_region_is_written_to_id_ext_in_the_current_folder_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(["export", "--root"])
        .arg(repo())
        .args(["--region", "ch", "--format", "json,md"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(tmp.path().join("ch.json").is_file() && tmp.path().join("ch.md").is_file());
    assert!(stdout(&run).contains("exported ch (json) to ch.json"));
    let run = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(["export", "--root"])
        .arg(repo())
        .args(["--region", "ch"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(tmp.path().join("ch.html").is_file(), "html by default");
}

#[test]
fn an_unknown_region_fails_with_a_did_you_mean_and_the_known_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x.html");
    let run = explainer(&[
        "export",
        "--root",
        repo().to_str().unwrap(),
        "--region",
        "uk2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(err.contains("error: unknown region `uk2`"), "{err}");
    assert!(err.contains("did you mean `uk`?"), "{err}");
    assert!(
        err.contains("known regions: au, ca, ch, eea, eu, hk, in, jp, rest-of-world, uk, us"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn all_needs_an_output_folder() {
    let run = explainer(&["export", "--root", repo().to_str().unwrap(), "--all"]);
    assert!(!run.status.success());
    assert!(stderr(&run).contains("--out"), "{}", stderr(&run));
}

#[test]
fn a_pdf_without_chromium_says_what_to_install() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("eu.pdf");
    let run = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(["export", "--root"])
        .arg(repo())
        .args(["--region", "eu", "--format", "pdf", "--out"])
        .arg(&out)
        .env("EXPLAINER_CHROMIUM", tmp.path().join("no-such-browser"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("apt-get install chromium"),
        "{}",
        stderr(&run)
    );
    assert!(!out.exists());
}

#[test]
fn a_pdf_is_printed_by_chromium() {
    let Some(_chromium) = common::chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("eu.pdf");
    let run = explainer(&[
        "export",
        "--root",
        repo().to_str().unwrap(),
        "--region",
        "eu",
        "--format",
        "pdf",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let pdf = std::fs::read(&out).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let Some(pages) = common::pdf_pages(&out, false) else {
        return;
    };
    let text = pages.concat();
    assert!(text.contains("Guide for European Union"), "{text}");
    assert!(text.contains("Facts as of 20 November 2025"), "{text}");
    assert!(text.contains("Data for Generative AI Improvement"));
    assert!(
        text.contains("data-for-ai-improvement"),
        "the direct link is printed"
    );
}

#[test]
fn an_uppercase_region_id_suggests_the_lowercase_one() {
    let tmp = tempfile::tempdir().unwrap();
    let run = explainer(&[
        "export",
        "--root",
        repo().to_str().unwrap(),
        "--region",
        "EU",
        "--out",
        tmp.path().join("x.html").to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(err.contains("did you mean `eu`?"), "{err}");
    assert!(!err.contains("`au`"), "{err}");
}
