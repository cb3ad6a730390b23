//! Incremental rebuilds equal full builds: after each kind of edit, the output of a
//! `Session` rebuilt by the engine (as `serve` keeps it) is byte-for-byte what a fresh
//! `pipeline::build` makes, and it renders only the pages the edit reaches.

mod common;

use std::path::{Path, PathBuf};

use common::{edit, fixture};
use explainer::pipeline::build;
use explainer::pipeline::incremental::Session;

fn session(root: &Path) -> Session {
    Session::new(build(root).unwrap_or_else(|d| panic!("{d:?}")))
}

fn assert_same_as_full(built: &Session, root: &Path) {
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
    let mut built = session(&root);
    edit(
        &root,
        "content/articles/intro.md",
        "| 1 | 2 |",
        "| 1 | 2 |\n\nA new paragraph.",
    );
    let r = built
        .rebuild(&changed("content/articles/intro.md"))
        .unwrap();
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
    let mut built = session(&root);
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
    let r = built
        .rebuild(&changed("content/articles/intro.md"))
        .unwrap();
    assert!(!r.full);
    assert!(r.rendered > 1 && r.rendered < built.pages, "{r:?}");
    assert_same_as_full(&built, &root);
}

#[test]
fn a_bad_edit_keeps_the_last_good_state() {
    let (_tmp, root) = fixture("basic");
    let mut built = session(&root);
    let before = built.output.clone();
    edit(
        &root,
        "content/articles/intro.md",
        "(region:member)",
        "(region:nowhere)",
    );
    let err = built
        .rebuild(&changed("content/articles/intro.md"))
        .unwrap_err();
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
    built
        .rebuild(&changed("content/articles/intro.md"))
        .unwrap();
    assert_same_as_full(&built, &root);
}

#[test]
fn facts_new_and_deleted_articles_are_patched_and_templates_rebuild_in_full() {
    let (_tmp, root) = fixture("basic");
    let mut built = session(&root);
    edit(
        &root,
        "content/facts/exclusions.yaml",
        "Private messages",
        "Direct messages",
    );
    let r = built
        .rebuild(&changed("content/facts/exclusions.yaml"))
        .unwrap();
    assert!(!r.full, "{r:?}");
    assert!(
        r.rendered < built.pages,
        "article pages not showing it stay: {r:?}"
    );
    assert_same_as_full(&built, &root);

    std::fs::write(
        root.join("content/articles/new.md"),
        "---\ntitle: New\ndate: 2026-03-05\n---\nHello, [intro](article:intro).\n",
    )
    .unwrap();
    let r = built.rebuild(&changed("content/articles/new.md")).unwrap();
    assert!(!r.full, "{r:?}");
    assert!(built.output.files.contains_key("articles/new/index.html"));
    assert_same_as_full(&built, &root);
    std::fs::remove_file(root.join("content/articles/new.md")).unwrap();
    let r = built.rebuild(&changed("content/articles/new.md")).unwrap();
    assert!(!r.full, "{r:?}");
    assert!(!built.output.files.contains_key("articles/new/index.html"));
    assert!(r.paths.contains(&"articles/new/index.html".to_string()));
    assert_same_as_full(&built, &root);

    let builtin = std::fs::read_to_string(common::repo().join("templates/404.html")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        builtin.replace("Page not found", "Gone"),
    )
    .unwrap();
    let r = built.rebuild(&changed("templates/404.html")).unwrap();
    assert!(r.full);
    assert_same_as_full(&built, &root);
}

#[test]
fn a_css_edit_is_css_only() {
    let (_tmp, root) = fixture("basic");
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/extra.css"), "body { color: red }").unwrap();
    let mut built = session(&root);
    std::fs::write(root.join("static/extra.css"), "body { color: blue }").unwrap();
    let r = built.rebuild(&changed("static/extra.css")).unwrap();
    assert!(r.css_only && !r.full);
    assert_eq!(built.output.files["extra.css"], b"body { color: blue }");
    assert_same_as_full(&built, &root);
}
