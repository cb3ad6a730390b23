//! Publishing on the open web (issue 17): base URLs with a path, canonical links, cards, the
//! sitemap, robots.txt and the Atom feeds (parsed with maintained crates, not string checks),
//! unique meta descriptions, and the located errors for a bad `base_url` or `image`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use common::{BUNDLED_REGIONS, edit, explainer, fixture, repo, snapshot, stderr};

const BASE: &str = "https://example.org/sub/";

/// The bundled site built into a temp folder with `args`: its files.
fn build_bundled(args: &[&str]) -> (BTreeMap<String, Vec<u8>>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let root = repo();
    let mut all = vec!["build", "--root", root.to_str().unwrap(), "--out"];
    all.push(out.to_str().unwrap());
    all.extend(args);
    let run = explainer(&all);
    assert!(run.status.success(), "{}", stderr(&run));
    (snapshot(&out), stderr(&run))
}

/// `explainer build` of the site at `root`, into its `public/`, with `--base-url BASE`.
fn build_at_base(root: &Path) -> std::process::Output {
    explainer(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--base-url",
        BASE,
    ])
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files[path].clone()).unwrap()
}

/// The HTML pages' paths.
fn pages(files: &BTreeMap<String, Vec<u8>>) -> Vec<&String> {
    files.keys().filter(|p| p.ends_with(".html")).collect()
}

/// The values of attribute `name` in `html` (double-quoted).
fn attrs<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let v = &html[i + needle.len()..];
            &v[..v.find('"').unwrap()]
        })
        .collect()
}

/// The `content` of `<meta name|property="key">` in `html`.
fn meta<'h>(html: &'h str, key: &str) -> Vec<&'h str> {
    let mut found = Vec::new();
    for attr in ["name", "property"] {
        let needle = format!("<meta {attr}=\"{key}\" content=\"");
        for (i, _) in html.match_indices(&needle) {
            let v = &html[i + needle.len()..];
            found.push(&v[..v.find('"').unwrap()]);
        }
    }
    found
}

/// The output file a site path (`/regions/eu/`, `/style.css`) names, if any.
fn file_of<'f>(files: &'f BTreeMap<String, Vec<u8>>, path: &str) -> Option<&'f str> {
    let rel = path
        .split(['#', '?'])
        .next()
        .unwrap()
        .trim_start_matches('/');
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![format!("{rel}index.html")]
    } else {
        vec![rel.to_string(), format!("{rel}/index.html")]
    };
    candidates
        .into_iter()
        .find_map(|c| files.get_key_value(&c).map(|(k, _)| k.as_str()))
}

/// The absolute URL of an output page file under BASE.
fn url_of(page: &str) -> String {
    format!("{BASE}{}", page.trim_end_matches("index.html"))
}

#[test]
fn under_a_base_path_every_address_carries_it_and_resolves() {
    let (files, _) = build_bundled(&["--base-url", "https://example.org/sub"]);
    for page in pages(&files) {
        let html = text(&files, page);
        if page != "404.html" {
            assert_eq!(
                attrs(&html, "href")
                    .iter()
                    .find(|h| h.starts_with("https://example.org/sub/")),
                Some(&url_of(page).as_str()),
                "{page}: canonical first"
            );
            assert!(html.contains(&format!(
                "<link rel=\"canonical\" href=\"{}\">",
                url_of(page)
            )));
            assert_eq!(meta(&html, "og:url"), [url_of(page)]);
        }
        for key in ["og:image", "twitter:image"] {
            assert_eq!(
                meta(&html, key),
                [format!("{BASE}card.png")],
                "{page} {key}"
            );
        }
        for link in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
            if !link.starts_with('/') || link.starts_with("//") {
                continue;
            }
            let inside = link.strip_prefix("/sub/").unwrap_or_else(|| {
                panic!("{page}: internal link `{link}` lacks the base path /sub/")
            });
            assert!(
                file_of(&files, inside).is_some(),
                "{page}: `{link}` resolves to nothing"
            );
        }
    }
    assert!(files.contains_key("card.png") && files.contains_key("favicon.svg"));
}

#[test]
fn sitemap_lists_every_page_and_robots_names_it() {
    let (files, _) = build_bundled(&["--base-url", BASE]);
    let xml = text(&files, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
    let mut locs = BTreeSet::new();
    for url in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((ns, "url")))
    {
        let child = |name| url.children().find(|n| n.has_tag_name((ns, name))).unwrap();
        let lastmod = child("lastmod").text().unwrap();
        assert!(
            lastmod.len() == 10 && lastmod.starts_with("20"),
            "{lastmod}"
        );
        locs.insert(child("loc").text().unwrap().to_string());
    }
    let want: BTreeSet<String> = (pages(&files).into_iter())
        .filter(|p| *p != "404.html")
        .map(|p| url_of(p))
        .collect();
    assert_eq!(locs, want);
    assert!(
        text(&files, "robots.txt").contains("\nSitemap: https://example.org/sub/sitemap.xml\n")
    );
}

#[test]
fn feeds_parse_as_atom_with_an_entry_per_article() {
    let (files, _) = build_bundled(&["--base-url", BASE]);
    let feed: atom_syndication::Feed = text(&files, "feed.xml").parse().expect("feed.xml is Atom");
    let articles: BTreeSet<String> = (pages(&files).into_iter())
        .filter(|p| p.starts_with("articles/") && *p != "articles/index.html")
        .map(|p| url_of(p))
        .collect();
    assert!(!articles.is_empty());
    let linked: BTreeSet<String> = feed
        .entries()
        .iter()
        .map(|e| e.links()[0].href().to_string())
        .collect();
    assert_eq!(feed.entries().len(), articles.len());
    assert_eq!(linked, articles);
    assert_eq!(feed.id(), format!("{BASE}feed.xml"));
    for e in feed.entries() {
        assert!(
            e.summary().is_some_and(|s| !s.value.is_empty()),
            "{}",
            e.id()
        );
    }
    let home = text(&files, "index.html");
    assert!(home.contains(r#"<link rel="alternate" type="application/atom+xml" title="#));
    assert!(attrs(&home, "href").contains(&"/sub/feed.xml"));
    for id in BUNDLED_REGIONS {
        let path = format!("regions/{id}/feed.xml");
        let feed: atom_syndication::Feed =
            text(&files, &path).parse().expect("region feed is Atom");
        assert!(!feed.entries().is_empty(), "{path}");
        for e in feed.entries() {
            let href = e.links()[0].href();
            let inside = href
                .strip_prefix(BASE)
                .unwrap_or_else(|| panic!("{path}: {href}"));
            assert!(file_of(&files, inside).is_some(), "{path}: {href}");
        }
        let ids: BTreeSet<&str> = feed.entries().iter().map(|e| e.id()).collect();
        assert_eq!(ids.len(), feed.entries().len(), "{path}: entry ids unique");
        let guide = text(&files, &format!("regions/{id}/index.html"));
        assert!(attrs(&guide, "href").contains(&format!("/sub/{path}").as_str()));
    }
}

#[test]
fn no_two_pages_share_a_meta_description() {
    let (files, _) = build_bundled(&[]);
    let site_description = "A sourced, region-by-region guide to how LinkedIn uses member data";
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for page in pages(&files) {
        let html = text(&files, page);
        let found = meta(&html, "description");
        assert_eq!(found.len(), 1, "{page}");
        let d = found[0];
        assert!(d.len() > 20, "{page}: {d}");
        if page != "index.html" {
            assert!(
                !d.starts_with(site_description),
                "{page} uses the site's description"
            );
        }
        if let Some(other) = seen.insert(d.to_string(), page) {
            panic!("{page} and {other} share the description {d:?}");
        }
    }
}

#[test]
fn without_base_url_it_builds_leaves_out_what_needs_one_and_says_so() {
    let (files, err) = build_bundled(&[]);
    assert_eq!(err.matches("no base_url").count(), 1, "{err}");
    assert!(err.contains("pass --base-url"), "{err}");
    for absent in ["sitemap.xml", "feed.xml", "regions/eu/feed.xml"] {
        assert!(!files.contains_key(absent), "{absent}");
    }
    let html = text(&files, "regions/eu/index.html");
    assert!(!html.contains("rel=\"canonical\"") && !html.contains("og:image"));
    assert!(html.contains("<link rel=\"icon\" href=\"/favicon.svg\""));
    assert_eq!(html.matches("<meta name=\"theme-color\" media=").count(), 2);
    assert!(files.contains_key("robots.txt"));
}

#[test]
fn drafts_stay_out_of_the_sitemap_and_feeds() {
    let (_tmp, root) = fixture("basic");
    let out = root.join("public");
    let run = build_at_base(&root);
    assert!(run.status.success(), "{}", stderr(&run));
    let files = snapshot(&out);
    let feed: atom_syndication::Feed = text(&files, "feed.xml").parse().unwrap();
    assert_eq!(feed.entries().len(), 1);
    assert!(!text(&files, "sitemap.xml").contains("hidden"));
}

#[test]
fn a_bad_base_url_is_an_error_at_its_place() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "description:",
        "base_url: example.org/\ndescription:",
    );
    let run = explainer(&["check", "--root", root.to_str().unwrap()]);
    assert!(!run.status.success());
    let err = stderr(&run);
    assert!(
        err.contains("invalid base_url: `example.org/` is not an absolute http(s) address"),
        "{err}"
    );
    assert!(err.contains("content/site.yaml:2:11"), "{err}");

    let run = explainer(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--base-url",
        "ftp://x/",
    ]);
    assert_eq!(run.status.code(), Some(2));
    let err = stderr(&run);
    assert!(
        err.contains("--base-url") && err.contains("https://"),
        "{err}"
    );
}

#[test]
fn a_configured_image_is_the_card_and_must_exist() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "description:",
        "image: /share.png\ndescription:",
    );
    let build = build_at_base;
    let run = build(&root);
    assert!(!run.status.success());
    let err = stderr(&run);
    assert!(
        err.contains("image `/share.png` is not a file of the site"),
        "{err}"
    );
    assert!(err.contains("content/site.yaml:2:8"), "{err}");
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/share.png"), b"png").unwrap();
    let run = build(&root);
    assert!(run.status.success(), "{}", stderr(&run));
    let html = fs::read_to_string(root.join("public/index.html")).unwrap();
    assert_eq!(meta(&html, "og:image"), [format!("{BASE}share.png")]);
}

#[test]
fn exports_link_to_the_base_url() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("eu.html");
    let root = repo();
    let run = explainer(&[
        "export",
        "--root",
        root.to_str().unwrap(),
        "--region",
        "eu",
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        BASE,
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!stderr(&run).contains("base_url"), "{}", stderr(&run));
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.contains("https://example.org/sub/regions/eu/"));
    for href in attrs(&html, "href") {
        assert!(
            href.starts_with("https://") || href.starts_with('#'),
            "{href}"
        );
    }
}

#[test]
fn an_incremental_rebuild_keeps_feeds_sitemap_and_descriptions_as_a_full_build_makes_them() {
    use explainer::model::base_url::BaseUrl;
    use explainer::pipeline::{Options, build_with, incremental::Session};
    let (_tmp, root) = fixture("basic");
    let options = Options {
        base_url: Some(BaseUrl::parse(BASE).unwrap()),
        drafts: false,
        history: false,
    };
    let mut built = Session::new(build_with(&root, &options).unwrap());
    edit(
        &root,
        "content/articles/intro.md",
        "title: ",
        "title: Renamed ",
    );
    let r = built
        .rebuild(&[std::path::PathBuf::from("content/articles/intro.md")])
        .unwrap();
    assert!(!r.full);
    assert!(r.paths.contains(&"feed.xml".to_string()), "{:?}", r.paths);
    let fresh = build_with(&root, &options).unwrap();
    assert!(text(&fresh.output.files, "feed.xml").contains("Renamed"));
    assert_eq!(built.output, fresh.output);
}

#[test]
fn an_image_that_is_neither_a_path_nor_an_address_is_an_error() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "description:",
        "image: share.png\ndescription:",
    );
    let run = explainer(&["check", "--root", root.to_str().unwrap()]);
    assert!(!run.status.success());
    let err = stderr(&run);
    assert!(err.contains("invalid image `share.png`"), "{err}");
    assert!(err.contains("content/site.yaml:2:8"), "{err}");
}

#[test]
fn code_samples_keep_their_addresses_under_a_base_path() {
    let (_tmp, root) = fixture("basic");
    let intro = root.join("content/articles/intro.md");
    let mut text = fs::read_to_string(&intro).unwrap();
    text.push_str("\n```html\n<a href=\"/regions/\">x</a>\n```\n\nA [link](region:group).\n");
    fs::write(&intro, text).unwrap();
    let run = build_at_base(&root);
    assert!(run.status.success(), "{}", stderr(&run));
    let html = fs::read_to_string(root.join("public/articles/intro/index.html")).unwrap();
    assert!(
        html.contains("&lt;a href=\"/regions/\"&gt;"),
        "the sample is shown as written"
    );
    assert!(html.contains("<a href=\"/sub/regions/group/\">link</a>"));
}
