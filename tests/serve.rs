//! `explainer serve` over a temp copy of a site: edits show up and send a reload event; a
//! broken file keeps the last good site served and sends the error; deletes and renames work.

mod common;

use std::fs;

use common::{Serving, edit, fixture, http_get};

#[test]
fn serves_clean_urls_types_and_the_404_page() {
    let (_tmp, root) = fixture("basic");
    let s = Serving::start(&root);
    let (status, home) = http_get(s.port, "/");
    assert_eq!(status, 200);
    assert!(
        home.contains("<script src=\"/__explainer/live.js\"></script></body>"),
        "live reload is injected"
    );
    assert_eq!(http_get(s.port, "/regions/member").0, 301);
    let (status, css) = http_get(s.port, "/style.css");
    assert_eq!(status, 200);
    assert!(!css.contains("live.js"));
    let (status, missing) = http_get(s.port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        missing.contains("Page not found"),
        "the site's own 404 page"
    );
    assert_eq!(http_get(s.port, "/__explainer/live.js").0, 200);
}

#[test]
fn edits_errors_recovery_deletes_and_renames() {
    let (_tmp, root) = fixture("basic");
    let s = Serving::start(&root);

    // An article edit is served after a reload event.
    edit(
        &root,
        "content/articles/intro.md",
        "## Details",
        "Freshly edited sentence.\n\n## Details",
    );
    s.expect_event("reload");
    assert!(
        http_get(s.port, "/articles/intro/")
            .1
            .contains("Freshly edited sentence.")
    );

    // A broken YAML file: an error event naming the file; the last good site stays served.
    edit(
        &root,
        "content/facts/regions.yaml",
        "  name: Member Land",
        "  name: [Member Land",
    );
    let error = s.expect_event("build-error");
    assert!(error.contains("content/facts/regions.yaml:"), "{error}");
    let (status, page) = http_get(s.port, "/articles/intro/");
    assert_eq!(status, 200);
    assert!(page.contains("Freshly edited sentence."));

    // Fixing it recovers.
    edit(
        &root,
        "content/facts/regions.yaml",
        "  name: [Member Land",
        "  name: Member Land Again",
    );
    s.expect_event("reload");
    assert!(
        http_get(s.port, "/regions/member/")
            .1
            .contains("Member Land Again")
    );

    // Deleting an article removes its page.
    fs::remove_file(root.join("content/articles/intro.md")).unwrap();
    s.expect_event("reload");
    assert_eq!(http_get(s.port, "/articles/intro/").0, 404);

    // An editor's atomic save: write a scratch file, rename it over the target.
    let scratch = root.join("content/articles/.later.md.tmp");
    fs::write(
        &scratch,
        "---\ntitle: Later\ndate: 2026-03-09\n---\nWritten later.\n",
    )
    .unwrap();
    fs::rename(&scratch, root.join("content/articles/later.md")).unwrap();
    s.expect_event("reload");
    assert!(
        http_get(s.port, "/articles/later/")
            .1
            .contains("Written later.")
    );

    // Renaming it moves the page.
    fs::rename(
        root.join("content/articles/later.md"),
        root.join("content/articles/renamed.md"),
    )
    .unwrap();
    s.expect_event("reload");
    assert_eq!(http_get(s.port, "/articles/later/").0, 404);
    assert_eq!(http_get(s.port, "/articles/renamed/").0, 200);

    let log = s.stdout.lock().unwrap().clone();
    assert!(
        log.contains("content/articles/intro.md changed: 1 pages re-rendered (incremental) in "),
        "{log}"
    );
    assert!(log.contains("build failed"), "{log}");
}

#[test]
fn a_css_edit_swaps_the_stylesheet_without_a_reload() {
    let (_tmp, root) = fixture("basic");
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/style.css"), "body { color: red }").unwrap();
    let s = Serving::start(&root);
    fs::write(root.join("static/style.css"), "body { color: blue }").unwrap();
    s.expect_event("css");
    assert_eq!(http_get(s.port, "/style.css").1, "body { color: blue }");
}

#[test]
fn a_taken_port_moves_to_the_next_free_one_with_a_message() {
    let (_tmp, root) = fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let s = Serving::start_on(&root, port);
    assert_ne!(s.port, port);
    let log = s.stdout.lock().unwrap().clone();
    assert!(
        log.contains(&format!("port {port} is taken; using {}", s.port)),
        "{log}"
    );
    assert_eq!(http_get(s.port, "/").0, 200);
}
