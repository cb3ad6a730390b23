//! Incremental rebuilds equal full builds: after each kind of edit, the output of
//! `incremental::rebuild` is byte-for-byte what a fresh `pipeline::build` makes.

mod common;

use std::path::{Path, PathBuf};

use common::{edit, fixture};
use explainer::pipeline::incremental::rebuild;
use explainer::pipeline::{Built, build};

fn assert_same_as_full(built: &Built, root: &Path) {
    let fresh = build(root).unwrap_or_else(|d| panic!("full build fails: {d:?}"));
    let (a, b) = (&built.output.files, &fresh.output.files);
    let differ: Vec<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "incremental output differs from a full build in {differ:?}"
    );
}

fn changed(p: &str) -> Vec<PathBuf> {
    vec![PathBuf::from(p)]
}

#[test]
fn an_article_text_edit_rerenders_only_that_article() {
    let (_tmp, root) = fixture("basic");
    let mut built = build(&root).unwrap();
    edit(
        &root,
        "content/articles/intro.md",
        "| 1 | 2 |",
        "| 1 | 2 |\n\nA new paragraph.",
    );
    let r = rebuild(&mut built, &changed("content/articles/intro.md")).unwrap();
    assert!(!r.full);
    assert_eq!(r.rendered, 1, "only the article itself");
    assert!(
        String::from_utf8_lossy(&built.output.files["articles/intro/index.html"])
            .contains("A new paragraph.")
    );
    assert_same_as_full(&built, &root);
}

#[test]
fn a_title_or_link_edit_rerenders_the_pages_that_show_it() {
    let (_tmp, root) = fixture("basic");
    let mut built = build(&root).unwrap();
    edit(
        &root,
        "content/articles/intro.md",
        "title: Introduction",
        "title: A new start",
    );
    edit(
        &root,
        "content/articles/intro.md",
        "(optout:toggle)",
        "(exclusion:messages)",
    );
    let r = rebuild(&mut built, &changed("content/articles/intro.md")).unwrap();
    assert!(!r.full);
    assert!(r.rendered > 1 && r.rendered < built.pages, "{r:?}");
    assert_same_as_full(&built, &root);
}

#[test]
fn a_bad_edit_keeps_the_last_good_state() {
    let (_tmp, root) = fixture("basic");
    let mut built = build(&root).unwrap();
    let before = built.output.clone();
    edit(
        &root,
        "content/articles/intro.md",
        "(region:member)",
        "(region:nowhere)",
    );
    let err = rebuild(&mut built, &changed("content/articles/intro.md")).unwrap_err();
    assert!(
        err.iter()
            .any(|d| d.message == "link to unknown region `nowhere`"),
        "{err:?}"
    );
    assert_eq!(built.output, before);
    edit(
        &root,
        "content/articles/intro.md",
        "(region:nowhere)",
        "(region:member)",
    );
    rebuild(&mut built, &changed("content/articles/intro.md")).unwrap();
    assert_same_as_full(&built, &root);
}

#[test]
fn facts_templates_new_and_deleted_files_rebuild_in_full() {
    let (_tmp, root) = fixture("basic");
    let mut built = build(&root).unwrap();
    edit(
        &root,
        "content/facts/exclusions.yaml",
        "Private messages",
        "Direct messages",
    );
    assert!(
        rebuild(&mut built, &changed("content/facts/exclusions.yaml"))
            .unwrap()
            .full
    );
    assert_same_as_full(&built, &root);

    std::fs::write(
        root.join("content/articles/new.md"),
        "---\ntitle: New\ndate: 2026-03-05\n---\nHello.\n",
    )
    .unwrap();
    assert!(
        rebuild(&mut built, &changed("content/articles/new.md"))
            .unwrap()
            .full
    );
    assert!(built.output.files.contains_key("articles/new/index.html"));
    std::fs::remove_file(root.join("content/articles/new.md")).unwrap();
    assert!(
        rebuild(&mut built, &changed("content/articles/new.md"))
            .unwrap()
            .full
    );
    assert!(!built.output.files.contains_key("articles/new/index.html"));
    assert_same_as_full(&built, &root);
}

#[test]
fn a_css_edit_is_css_only() {
    let (_tmp, root) = fixture("basic");
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/extra.css"), "body { color: red }").unwrap();
    let mut built = build(&root).unwrap();
    std::fs::write(root.join("static/extra.css"), "body { color: blue }").unwrap();
    let r = rebuild(&mut built, &changed("static/extra.css")).unwrap();
    assert!(r.css_only && !r.full);
    assert_eq!(built.output.files["extra.css"], b"body { color: blue }");
    assert_same_as_full(&built, &root);
}
