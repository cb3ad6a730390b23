//! `check --coverage` on the fixture site: uncited passages that name known things are listed
//! at their archive line, a dismissal sets one aside, and a bad dismissal is a located error.

mod common;

use common::{edit, explainer, fixture, stderr};

fn coverage(root: &std::path::Path) -> (bool, String) {
    let r = root.to_str().unwrap();
    let a = root.join("archive");
    let out = explainer(&[
        "check",
        "--strict",
        "--coverage",
        "--root",
        r,
        "--sources-archive",
        a.to_str().unwrap(),
    ]);
    (out.status.success(), stderr(&out))
}

#[test]
fn an_uncited_passage_naming_a_region_is_listed_and_a_dismissal_removes_it() {
    let (_tmp, root) = fixture("basic");
    let report = root.join("archive/report.txt");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        format!("{text}\nMember Land joins later. Germany too.\n"),
    )
    .unwrap();
    let (ok, err) = coverage(&root);
    assert!(!ok, "--strict fails on an uncovered passage: {err}");
    assert!(
        err.contains(
            "warning: passage of `report` mentions “Member Land” (region `member`) but no claim quotes it"
        ),
        "{err}"
    );
    assert!(err.contains("--> archive/report.txt:7:1"), "{err}");
    assert!(
        err.contains("mentions “Germany” (a country of region `member`)"),
        "{err}"
    );
    assert!(err.contains("--> archive/report.txt:7:26"), "{err}");
    assert!(err.contains("--> archive/report.txt:1:1"), "a date: {err}");
    assert!(
        !err.contains("report.txt:3:"),
        "quoted passages are covered: {err}"
    );
    assert!(!err.contains("blog.txt"), "{err}");

    edit(
        &root,
        "content/facts/sources.yaml",
        "  date: 2026-02-01\n",
        "  date: 2026-02-01\n  dismissed:\n    - passage: joins later\n      reason: A forecast, not a fact.\n    - passage: Germany\n      reason: Named by its region already.\n    - {passage: \"Example News, 1 February\", reason: The dateline.}\n",
    );
    let (ok, err) = coverage(&root);
    assert!(ok, "every passage is dismissed: {err}");
}

#[test]
fn a_region_the_archive_names_must_be_named_in_an_excerpt_too() {
    let (_tmp, root) = fixture("basic");
    let report = root.join("archive/report.txt");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, format!("{text}\nMember Land joins later.\n")).unwrap();
    // Dismissed by an excerpt without the name: the passage is covered, the naming is not.
    edit(
        &root,
        "content/facts/sources.yaml",
        "  date: 2026-02-01\n",
        "  date: 2026-02-01\n  dismissed:\n    - {passage: joins later, reason: A forecast.}\n    - {passage: \"Example News, 1 February\", reason: The dateline.}\n",
    );
    let (ok, err) = coverage(&root);
    assert!(!ok, "{err}");
    assert!(
        err.contains("warning: the archive of `report` names region `member`, but none of its quotes or dismissed excerpts does"),
        "{err}"
    );
    assert!(err.contains("--> archive/report.txt:7:1"), "{err}");
    edit(
        &root,
        "content/facts/sources.yaml",
        "{passage: joins later,",
        "{passage: Member Land joins later,",
    );
    let (ok, err) = coverage(&root);
    assert!(ok, "the excerpt names it now: {err}");
}

#[test]
fn a_dismissal_without_reason_or_passage_is_a_located_error() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/facts/sources.yaml",
        "  date: 2026-02-01\n",
        "  date: 2026-02-01\n  dismissed:\n    - passage: Only the group\n    - passage: not in the text\n      reason: Gone.\n",
    );
    let (ok, err) = coverage(&root);
    assert!(!ok, "{err}");
    assert!(
        err.contains("error: dismissal of a passage of `report` gives no reason"),
        "{err}"
    );
    assert!(err.contains("--> content/facts/sources.yaml:7:7"), "{err}");
    assert!(
        err.contains("error: dismissed passage not found in the archived text of `report`"),
        "{err}"
    );
    assert!(err.contains("--> content/facts/sources.yaml:8:16"), "{err}");
}

#[test]
fn coverage_needs_the_archive_folder() {
    let (_tmp, root) = fixture("basic");
    let out = explainer(&["check", "--coverage", "--root", root.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--sources-archive"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_source_page_highlights_quoted_passages_when_the_archive_is_there() {
    let (_tmp, root) = fixture("basic");
    let page = |root: &std::path::Path| {
        let (_out_tmp, out, run) = common::build_into(root);
        assert!(run.status.success(), "{}", stderr(&run));
        std::fs::read_to_string(out.join("sources/report/index.html")).unwrap()
    };
    assert!(!page(&root).contains("class=\"archive\""), "no archive_dir");

    edit(
        &root,
        "content/site.yaml",
        "title: Fixture explainer\n",
        "title: Fixture explainer\narchive_dir: archive\n",
    );
    edit(
        &root,
        "content/facts/sources.yaml",
        "  date: 2026-02-01\n",
        "  date: 2026-02-01\n  dismissed: [{passage: Example News, reason: The dateline.}]\n",
    );
    let html = page(&root);
    assert!(
        html.contains(
            "<mark id=\"q1\">Only the group is covered.</mark> <a class=\"quoted-by\" href=\"/compare/#who\">[Which regions are covered?]</a>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"dismissed\">Example News, 1 February 2026.</span> <small class=\"dismissed-reason\">[not cited: The dateline.]</small>"),
        "{html}"
    );

    std::fs::remove_dir_all(root.join("archive")).unwrap();
    assert!(
        !page(&root).contains("class=\"archive\""),
        "an absent archive folder leaves the copy out, with no error"
    );
}
