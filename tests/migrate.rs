//! Articles brought from Hugo and Zola (`tests/fixtures/migrated`: YAML and TOML front
//! matter, datetimes, aliases, tags, weight, slug), and drafts: left out of `build`, shown
//! with a banner by `build --drafts` and `serve`, and never linked from a published page.

mod common;

use std::fs;
use std::path::Path;

use common::{Serving, build_into, edit, explainer, fixture, http_get, snapshot, stderr};

/// The drafts of the fixture: (file, slug, title).
const DRAFTS: [(&str, &str, &str); 2] = [
    ("hugo/10-roundup.md", "hugo-roundup", "Hugo 10: Roundup"),
    ("zola/10-roundup.md", "10-roundup", "Zola 10: Roundup"),
];

fn build_args<'a>(root: &'a str, out: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["build", "--root", root, "--out", out];
    args.extend(more);
    args
}

#[test]
fn hugo_and_zola_articles_build_unchanged_with_their_aliases() {
    let (_tmp, root) = fixture("migrated");
    let (_out_tmp, out, run) = build_into(&root);
    let said = stderr(&run);
    assert!(!said.contains("error"), "{said}");
    // Every alias answers with a redirect to its article.
    let aliases = [
        ("2021/07/training/index.html", "/articles/01-training/"),
        ("old/hugo-first.html", "/articles/01-training/"),
        ("hugo/sharing/index.html", "/articles/hugo-sharing/"),
        ("hugo/timeline/index.html", "/articles/05-timeline/"),
        ("zola/training/index.html", "/articles/zola-training/"),
        ("blog/training.html", "/articles/zola-training/"),
        ("zola/opt-out/index.html", "/articles/02-opt-out/"),
        ("zola/sharing/index.html", "/articles/04-sharing/"),
        // A Hugo page bundle (`09-sources/index.md`) is named by its folder.
        ("2021/07/sources/index.html", "/articles/09-sources/"),
    ];
    for (file, to) in aliases {
        let page = fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            page.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={to}\">"
            )),
            "{file}: {page}"
        );
        assert!(page.contains(&format!("<link rel=\"canonical\" href=\"{to}\">")));
        assert!(page.contains(&format!("<a href=\"{to}\">")));
        assert!(
            out.join(to.trim_start_matches('/'))
                .join("index.html")
                .is_file()
        );
    }
    let manifest = fs::read_to_string(out.join(".explainer-manifest")).expect("manifest");
    assert!(manifest.contains("old/hugo-first.html"), "{manifest}");
    // Datetimes keep their day; description is the summary; lastmod is `updated`; tags show.
    let a = fs::read_to_string(out.join("articles/hugo-faq/index.html")).unwrap();
    assert!(a.contains("datetime=\"2021-07-06\""), "{a}");
    assert!(a.contains("What the Hugo article 6 says about faq."), "{a}");
    let a = fs::read_to_string(out.join("articles/hugo-opt-out/index.html")).unwrap();
    assert!(a.contains("Tags: privacy, opt-out, News"), "{a}");
    assert!(a.contains("By Reporter 2"), "{a}");
    let a = fs::read_to_string(out.join("articles/zola-regions/index.html")).unwrap();
    assert!(a.contains("datetime=\"2022-04-03\""), "{a}");
    // Weight orders the list: weighted first (Hugo 1, 2, 3, then Zola 11, 12, 13).
    let list = fs::read_to_string(out.join("articles/index.html")).unwrap();
    let at = |t: &str| list.find(t).unwrap_or_else(|| panic!("{t} not listed"));
    assert!(at("Hugo 1:") < at("Hugo 2:") && at("Hugo 2:") < at("Hugo 3:"));
    assert!(at("Hugo 3:") < at("Zola 1:") && at("Zola 3:") < at("Zola 9:"));
    assert_no_drafts(&out);
}

/// No draft's page, alias or title anywhere in the output.
fn assert_no_drafts(out: &Path) {
    assert!(!out.join("zola/roundup").exists() && !out.join("2021/07/roundup").exists());
    for (file, text) in snapshot(out) {
        let text = String::from_utf8_lossy(&text);
        for (_, slug, title) in DRAFTS {
            assert!(!file.contains(slug), "{file}");
            assert!(!text.contains(title), "{file} shows the draft {title}");
            assert!(
                !text.contains(&format!("/articles/{slug}/")),
                "{file} links {slug}"
            );
        }
    }
}

#[test]
fn build_with_drafts_shows_them_with_the_banner() {
    let (_tmp, root) = fixture("migrated");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let (r, o) = (root.to_str().unwrap(), out.to_str().unwrap());
    let run = explainer(&build_args(r, o, &["--drafts"]));
    assert!(run.status.success(), "{}", stderr(&run));
    for (_, slug, title) in DRAFTS {
        let page = fs::read_to_string(out.join("articles").join(slug).join("index.html")).unwrap();
        assert!(page.contains("Draft: not published"), "{page}");
        assert!(page.contains(title));
    }
    assert!(out.join("zola/roundup/index.html").is_file());
    let published = fs::read_to_string(out.join("articles/hugo-faq/index.html")).unwrap();
    assert!(!published.contains("Draft: not published"));
}

#[test]
fn serve_shows_drafts_with_the_banner() {
    let (_tmp, root) = fixture("migrated");
    let serving = Serving::start(&root);
    let (status, body) = http_get(serving.port, "/articles/hugo-roundup/");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Draft: not published"), "{body}");
    let (_, list) = http_get(serving.port, "/articles/");
    assert!(list.contains("Hugo 10: Roundup"));
    let (_, published) = http_get(serving.port, "/articles/hugo-faq/");
    assert!(!published.contains("Draft: not published"));
}

/// `build` fails; returns what it said.
fn build_fails(root: &Path) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let run = explainer(&build_args(
        root.to_str().unwrap(),
        out.to_str().unwrap(),
        &[],
    ));
    assert!(!run.status.success(), "build passed: {}", stderr(&run));
    assert!(!out.exists(), "a failed build wrote output");
    stderr(&run)
}

#[test]
fn a_link_from_a_published_article_to_a_draft_is_a_located_error() {
    let (_tmp, root) = fixture("migrated");
    let file = "content/articles/hugo/01-training.md";
    edit(
        &root,
        file,
        "## Details",
        "See [the roundup](article:hugo-roundup).\n\n## Details",
    );
    let said = build_fails(&root);
    assert!(
        said.contains(&format!("{file}:17:5")),
        "not located: {said}"
    );
    assert!(
        said.contains(
            "link to draft article `hugo-roundup`: a published page cannot link to a draft"
        ),
        "{said}"
    );
    assert!(
        said.contains("publish it (remove `draft: true`) or remove the link"),
        "{said}"
    );
    // `build --drafts` shows both, without complaint.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let (r, o) = (root.to_str().unwrap(), out.to_str().unwrap());
    let run = explainer(&build_args(r, o, &["--drafts"]));
    assert!(run.status.success(), "{}", stderr(&run));
    let said = stderr(&run);
    assert!(
        said.contains("the draft /articles/hugo-roundup/ is linked from published pages (/articles/01-training/): `build` will refuse it"),
        "{said}"
    );
    assert!(
        said.contains("content/articles/hugo/10-roundup.md:10:8"),
        "{said}"
    );
}

#[test]
fn a_fact_citing_a_draft_source_is_a_located_error() {
    let (_tmp, root) = fixture("basic");
    let draft_source = "- id: leak\n  draft: true\n  title: A leaked memo\n  publisher: Nobody yet\n  kind: other\n";
    let sources = root.join("content/facts/sources.yaml");
    let text = fs::read_to_string(&sources).unwrap();
    fs::write(&sources, text + draft_source).unwrap();
    let claims = root.join("content/facts/claims.yaml");
    let text = fs::read_to_string(&claims).unwrap();
    let claim =
        "- question: who\n  source: leak\n  value: [elsewhere]\n  quote: \"Nobody is covered.\"\n";
    fs::write(&claims, text + claim).unwrap();
    // The draft source and its claims are left out: no page, not in the comparison.
    let (_out_tmp, out, _) = build_into(&root);
    assert!(!out.join("sources/leak").exists());
    let json = fs::read_to_string(out.join("compare/index.json")).unwrap();
    assert!(!json.contains("\"leak\""), "{json}");
    // A published region citing it is an error at the citation.
    edit(
        &root,
        "content/facts/regions.yaml",
        "part_of: [group]\n  notes: Inherits from [the group](region:group).\n  sources: [report]",
        "part_of: [group]\n  notes: Inherits from [the group](region:group).\n  sources: [report, leak]",
    );
    let said = build_fails(&root);
    assert!(said.contains("content/facts/regions.yaml:20:21"), "{said}");
    assert!(
        said.contains("`leak` is a draft source: a published page cannot refer to it"),
        "{said}"
    );
}

#[test]
fn a_draft_fact_has_its_page_and_banner_only_with_drafts() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/facts/exclusions.yaml",
        "- id: messages\n",
        "- id: messages\n  draft: true\n",
    );
    // Nothing published links it: `build` leaves it out of its page and of every list.
    let (_out_tmp, published, _) = build_into(&root);
    assert!(!published.join("exclusions/messages").exists());
    for (file, text) in snapshot(&published) {
        let text = String::from_utf8_lossy(&text);
        assert!(!text.contains("Private messages"), "{file} shows the draft");
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let (r, o) = (root.to_str().unwrap(), out.to_str().unwrap());
    let run = explainer(&build_args(r, o, &["--drafts"]));
    assert!(run.status.success(), "{}", stderr(&run));
    let page = fs::read_to_string(out.join("exclusions/messages/index.html")).unwrap();
    assert!(page.contains("Draft: not published"), "{page}");
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("Draft: not published"));
}

#[test]
fn a_draft_region_linked_from_markdown_is_an_error_and_unlinked_is_left_out() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/facts/regions.yaml",
        "- id: member\n",
        "- id: member\n  draft: true\n",
    );
    let said = build_fails(&root);
    // The introduction links the member guide.
    assert!(
        said.contains("content/articles/intro.md:")
            && said.contains("link to draft region `member`"),
        "{said}"
    );
}

#[test]
fn an_unknown_front_matter_key_is_a_warning_at_its_line() {
    let (_tmp, root) = fixture("migrated");
    let (_out_tmp, _out, run) = build_into(&root);
    let said = stderr(&run);
    assert!(
        said.contains("warning: front matter key `toc` is not used by explainer; it is ignored"),
        "{said}"
    );
    assert!(
        said.contains("content/articles/hugo/02-opt-out.md:13:1"),
        "{said}"
    );
    assert!(
        said.contains("content/articles/zola/03-regions.md:16:1"),
        "{said}"
    );
}

#[test]
fn bad_toml_front_matter_is_a_located_error() {
    let (_tmp, root) = fixture("migrated");
    let file = "content/articles/zola/05-timeline.md";
    fs::write(
        root.join(file),
        "+++\ntitle = \"Broken\"\ndate = 2022-03-05T10:15:00Z\nweight = \"first\"\n+++\nBody\n",
    )
    .unwrap();
    let said = build_fails(&root);
    assert!(said.contains(&format!("{file}:4:10")), "{said}");
    assert!(
        said.contains("invalid type: string \"first\", expected i64"),
        "{said}"
    );
    fs::write(
        root.join(file),
        "+++\ntitle = \"Broken\ndate = 2022-03-05\n+++\n",
    )
    .unwrap();
    let said = build_fails(&root);
    assert!(said.contains(&format!("{file}:2:")), "{said}");
    // A datetime in YAML is a date too; a bad one is an error at its value.
    fs::write(
        root.join(file),
        "---\ntitle: T\ndate: 2022-03-05T25:00:00Z\n---\n",
    )
    .unwrap();
    let said = build_fails(&root);
    assert!(said.contains(&format!("{file}:3:7")), "{said}");
}

#[test]
fn a_preview_with_drafts_still_lists_only_published_pages_in_the_sitemap_and_feed() {
    let (_tmp, root) = fixture("migrated");
    let run = explainer(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--drafts",
        "--base-url",
        "https://example.org/",
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let out = root.join("public");
    assert!(
        out.join("articles/hugo-roundup/index.html").exists(),
        "the draft is shown in the preview"
    );
    for file in ["sitemap.xml", "feed.xml"] {
        let xml = fs::read_to_string(out.join(file)).unwrap();
        assert!(
            !xml.contains("hugo-roundup"),
            "{file} lists a draft:\n{xml}"
        );
        assert!(
            !xml.contains("/articles/10-roundup/"),
            "{file} lists a draft"
        );
        assert!(
            xml.contains("https://example.org/articles/"),
            "{file}: {xml}"
        );
    }
}
