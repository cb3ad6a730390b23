//! One `check` reports every error in every file, each at its source file:line:col; inputs
//! that used to mislead (a BOM, a second document, a duplicate key, a huge value, escape bytes,
//! a symlink, a missing facts folder, a broken Markdown link) are reported where they are.

mod common;

use std::fs;

use common::{edit, explainer, fixture, stderr};

fn check(root: &std::path::Path) -> (Option<i32>, String) {
    let out = explainer(&["check", "--root", root.to_str().unwrap()]);
    (out.status.code(), stderr(&out))
}

#[test]
fn ten_errors_across_six_files_from_one_check() {
    let (_tmp, root) = fixture("basic");
    let f = "content/facts/";
    // regions.yaml: an unknown field in one entry, an unknown state in another.
    edit(
        &root,
        &format!("{f}regions.yaml"),
        "  countries: [DE, FR]",
        "  contries: [DE, FR]",
    );
    edit(
        &root,
        &format!("{f}regions.yaml"),
        "      state: unclear",
        "      state: unclaer",
    );
    // sources.yaml: a bad kind and a bad date.
    edit(
        &root,
        &format!("{f}sources.yaml"),
        "  kind: news",
        "  kind: newz",
    );
    edit(
        &root,
        &format!("{f}sources.yaml"),
        "  kind: blog",
        "  kind: blog\n  date: 2026-02-31",
    );
    // claims.yaml: an unknown source and an unknown question.
    edit(
        &root,
        &format!("{f}claims.yaml"),
        "  source: blog\n  value: [group, elsewhere]",
        "  source: blgo\n  value: [group, elsewhere]",
    );
    edit(
        &root,
        &format!("{f}claims.yaml"),
        "- question: undo",
        "- question: undoo",
    );
    // categories.yaml: a use for a change that does not exist.
    edit(
        &root,
        &format!("{f}categories.yaml"),
        "  used_for: [training]",
        "  used_for: [trainng]",
    );
    // intro.md: two unknown link targets.
    let intro = "content/articles/intro.md";
    edit(&root, intro, "(region:member)", "(region:membr)");
    edit(&root, intro, "(optout:toggle)", "(optout:togle)");
    // hidden.md: a date that is not a day.
    edit(
        &root,
        "content/articles/hidden.md",
        "date: 2026-03-03",
        "date: 2026-03-33",
    );

    let (code, err) = check(&root);
    assert_eq!(code, Some(1), "{err}");
    let expected = [
        (
            "content/facts/regions.yaml:17:3",
            "unknown field `contries`",
        ),
        (
            "content/facts/regions.yaml:26:14",
            "unknown variant `unclaer`",
        ),
        ("content/facts/sources.yaml:4:9", "unknown variant `newz`"),
        ("content/facts/sources.yaml:10:9", "2026-02-31"),
        ("content/facts/claims.yaml:6:11", "blgo"),
        ("content/facts/claims.yaml:", "undoo"),
        ("content/facts/categories.yaml:3:14", "trainng"),
        ("content/articles/intro.md:10:10", "membr"),
        ("content/articles/intro.md:10:47", "togle"),
        ("content/articles/hidden.md:3:7", "2026-03-33"),
    ];
    for (at, what) in expected {
        let found = err
            .split("\n\n")
            .any(|d| d.contains(&format!("--> {at}")) && d.contains(what));
        assert!(found, "expected {what:?} at {at} in:\n{err}");
    }
    assert!(err.contains("check failed: 10 errors"), "{err}");
}

#[test]
fn a_bom_is_not_an_error() {
    let (_tmp, root) = fixture("basic");
    let path = root.join("content/facts/regions.yaml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("\u{feff}{text}")).unwrap();
    let (code, err) = check(&root);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_second_document_and_a_duplicate_key_are_located() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/facts/sources.yaml",
        "- id: blog",
        "---\n- id: blog",
    );
    edit(
        &root,
        "content/facts/regions.yaml",
        "  regulator: The Group Regulator",
        "  regulator: The Group Regulator\n  regulator: Another",
    );
    let (code, err) = check(&root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error: a second YAML document starts here"),
        "{err}"
    );
    assert!(err.contains("--> content/facts/sources.yaml:6:1"), "{err}");
    assert!(err.contains("error: duplicate key `regulator`"), "{err}");
    assert!(err.contains("--> content/facts/regions.yaml:14:3"), "{err}");
    assert!(err.contains("already set on line 13"), "{err}");
}

#[test]
fn huge_values_and_escape_bytes_do_not_reach_the_terminal_whole() {
    let (_tmp, root) = fixture("basic");
    let huge = "x".repeat(500_000);
    edit(
        &root,
        "content/facts/sources.yaml",
        "  kind: news",
        &format!("  kind: \"{huge}\""),
    );
    edit(
        &root,
        "content/facts/categories.yaml",
        "  name: Public posts",
        "  name: \"Public \u{1b}]0;pwned\u{7}\u{1b}[2J posts\"",
    );
    let (code, err) = check(&root);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.len() < 20_000, "{} bytes of errors", err.len());
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(err.contains("characters)…"), "{err}");
    assert!(err.contains("control characters are not allowed"), "{err}");
    assert!(
        err.contains("--> content/facts/categories.yaml:2:17"),
        "{err}"
    );
}

#[test]
fn a_symlinked_article_is_read_and_a_dangling_one_reported() {
    let (tmp, root) = fixture("basic");
    let outside = tmp.path().join("shared.md");
    fs::write(
        &outside,
        "---\ntitle: Shared\ndate: 2026-03-04\n---\nShared text.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, root.join("content/articles/shared.md")).unwrap();
    let out = tmp.path().join("out");
    let built = explainer(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(
        fs::read_to_string(out.join("articles/shared/index.html"))
            .unwrap()
            .contains("Shared text.")
    );

    std::os::unix::fs::symlink(
        tmp.path().join("gone.md"),
        root.join("content/articles/gone.md"),
    )
    .unwrap();
    let (code, err) = check(&root);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("--> content/articles/gone.md"), "{err}");
    assert!(err.contains("article skipped"), "{err}");
}

#[test]
fn a_missing_facts_folder_is_one_error() {
    let (_tmp, root) = fixture("basic");
    fs::remove_dir_all(root.join("content/facts")).unwrap();
    let (code, err) = check(&root);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("no content/facts/ folder"), "{err}");
    assert!(err.contains("check failed: 1 error,"), "{err}");
}

#[test]
fn a_broken_markdown_link_is_reported_in_the_markdown() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/articles/intro.md",
        "## Details",
        "See [the FAQ](/faq/) and [below](#no-such-heading).\n\n## Details",
    );
    let (code, err) = check(&root);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("error: broken link `/faq/`"), "{err}");
    assert!(err.contains("--> content/articles/intro.md:12:5"), "{err}");
    assert!(
        err.contains("error: broken link `#no-such-heading`"),
        "{err}"
    );
    assert!(err.contains("--> content/articles/intro.md:12:26"), "{err}");
}

#[test]
fn non_utf8_and_long_lines_are_located() {
    let (_tmp, root) = fixture("basic");
    let path = root.join("content/articles/intro.md");
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend(b"\nbad \xff byte\n");
    fs::write(&path, bytes).unwrap();
    let long = root.join("content/articles/long.md");
    fs::write(
        &long,
        format!(
            "---\ntitle: Long\ndate: 2026-03-04\n---\n{}\n",
            "y".repeat(10 << 20)
        ),
    )
    .unwrap();
    let (code, err) = check(&root);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("not UTF-8"), "{err}");
    assert!(err.contains("--> content/articles/long.md:5:1"), "{err}");
    assert!(err.len() < 20_000, "{} bytes", err.len());
}

#[test]
fn a_static_file_may_not_replace_a_generated_page() {
    let (_tmp, root) = fixture("basic");
    fs::create_dir_all(root.join("static/regions/member")).unwrap();
    fs::write(root.join("static/regions/member/index.html"), "mine").unwrap();
    let (code, err) = check(&root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error: static/regions/member/index.html would replace the generated page /regions/member/"),
        "{err}"
    );
    assert!(
        err.contains("--> static/regions/member/index.html:1:1"),
        "{err}"
    );
}
