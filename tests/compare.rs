//! The source comparison end to end: the matrix page, the JSON beside it, ClaimReview
//! JSON-LD, the strict check of unresolved disputes, and the quote check.

mod common;

use common::{edit, explainer, fixture, repo, stderr};

fn build(root: &std::path::Path) -> std::path::PathBuf {
    let run = explainer(&["build", "--root", root.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    root.join("public")
}

/// The HTML of the comparison row with anchor `id`.
fn row(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("<tr id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no row {id}"));
    let end = html[start..].find("</tr>").unwrap() + start;
    html[start..end].to_string()
}

#[test]
fn the_matrix_shows_each_sources_claim_state_and_the_verdict() {
    let (_tmp, root) = fixture("basic");
    let out = build(&root);
    let html = std::fs::read_to_string(out.join("compare/index.html")).unwrap();
    assert!(html.contains("Legend"));

    let who = row(&html, "who");
    let cells: Vec<&str> = who.split("<td class=\"cell ").skip(1).collect();
    assert_eq!(cells.len(), 2, "one cell per source");
    assert!(cells[0].starts_with("cell-agrees") && cells[0].contains(">Agrees</span>"));
    assert!(cells[0].contains("“Only the group is covered.”"));
    assert!(
        cells[1].starts_with("cell-partly-agrees") && cells[1].contains(">Partly agrees</span>")
    );
    assert!(
        cells[1].contains("Group of Countries, Rest of the world"),
        "the claim's value"
    );
    assert!(who.contains("<p class=\"answer\">Group of Countries</p>"));
    assert!(who.contains("medium"), "confidence");

    let start = row(&html, "start");
    assert!(start.contains(">Contradicts itself</span>"), "{start}");
    assert!(start.contains("1 March 2026") && start.contains("9 March 2026"));
    let undo = row(&html, "undo");
    assert!(undo.contains("cell-silent"), "the blog says nothing on it");

    // claim: links land on the row; the question page is the row's detail page.
    let guide = std::fs::read_to_string(out.join("regions/member/index.html")).unwrap();
    assert!(
        guide.contains(r#"<a href="/compare/#who">Which regions are covered?</a>"#),
        "guides link to their questions"
    );
    let q = std::fs::read_to_string(out.join("questions/start/index.html")).unwrap();
    assert!(q.contains(">Contradicts itself</span>"));

    let source = std::fs::read_to_string(out.join("sources/report/index.html")).unwrap();
    assert!(
        source.contains("5 of 5 claims agree with this site's conclusions."),
        "{source}"
    );
    let blog = std::fs::read_to_string(out.join("sources/blog/index.html")).unwrap();
    assert!(
        blog.contains(
            "1 of 3 claims agree with this site's conclusions, 1 partly, 1 contradict them"
        ),
        "{blog}"
    );
}

#[test]
fn the_comparison_is_published_as_json_and_claim_review() {
    let (_tmp, root) = fixture("basic");
    let out = build(&root);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("compare/index.json")).unwrap()).unwrap();
    assert_eq!(json["version"], 1);
    let who = &json["questions"][0];
    assert_eq!(who["id"], "who");
    assert_eq!(who["status"], "resolved");
    assert_eq!(who["verdict"]["value"], serde_json::json!(["group"]));
    assert_eq!(who["sources"]["blog"], "partly-agrees");
    assert_eq!(
        json["questions"][1]["sources"]["blog"],
        "contradicts-itself"
    );

    let html = std::fs::read_to_string(out.join("compare/index.html")).unwrap();
    let start = html.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = html[start..].find("</script>").unwrap() + start;
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).expect("valid JSON-LD");
    let reviews = ld.as_array().unwrap();
    assert_eq!(reviews.len(), 5, "one ClaimReview per reconciled question");
    assert_eq!(reviews[0]["@type"], "ClaimReview");
    assert_eq!(reviews[0]["claimReviewed"], "Which regions are covered?");
    assert_eq!(
        reviews[0]["reviewRating"]["alternateName"],
        "Group of Countries"
    );
    assert_eq!(
        reviews[0]["itemReviewed"]["appearance"][0]["name"],
        "A report"
    );
}

#[test]
fn removing_a_resolution_fails_strict_check_naming_the_question() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/facts/questions.yaml",
        "  resolution:\n    verdict: 2026-03-01\n    rationale: The report gives the date; the blog gives two.\n    basis: official\n    confidence: low\n",
        "  resolution: open\n",
    );
    let out = explainer(&["check", "--strict", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("warning: sources disagree on question `start` and its resolution is open"),
        "{err}"
    );
    assert!(
        err.contains("--> content/facts/questions.yaml:15:15"),
        "{err}"
    );
    let loose = explainer(&["check", "--root", root.to_str().unwrap()]);
    assert!(loose.status.success(), "without --strict it is a warning");
}

#[test]
fn a_misquote_fails_the_quote_check_at_the_claim() {
    let (_tmp, root) = fixture("basic");
    let r = root.to_str().unwrap();
    let archive = root.join("archive");
    let a = archive.to_str().unwrap();
    let ok = explainer(&["check", "--strict", "--root", r, "--sources-archive", a]);
    assert!(
        ok.status.success(),
        "whitespace and curly quotes are normalized: {}",
        stderr(&ok)
    );

    edit(
        &root,
        "content/facts/claims.yaml",
        "Only the group is covered.",
        "Only the group is included.",
    );
    let bad = explainer(&["check", "--root", r, "--sources-archive", a]);
    let err = stderr(&bad);
    assert_eq!(bad.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: quote not found in the archived text of `report` (report.txt)"),
        "{err}"
    );
    assert!(err.contains("--> content/facts/claims.yaml:4:10"), "{err}");
    assert!(
        err.contains("the archive matches up to “Only the group is ”, then reads “covered."),
        "{err}"
    );

    std::fs::remove_file(archive.join("blog.txt")).unwrap();
    let missing = explainer(&["check", "--root", r, "--sources-archive", a]);
    assert!(
        stderr(&missing).contains("no archived text for source `blog`"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn bundled_disputes_have_the_expected_states() {
    let (_tmp, out, _) = common::build_into(&repo());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("compare/index.json")).unwrap()).unwrap();
    let q = |id: &str| {
        json["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == id)
            .unwrap_or_else(|| panic!("no question {id}"))
            .clone()
    };
    // India: the blog asserts inclusion, the news brief contradicts it; the site sides with the brief.
    let india = q("india-included");
    assert_eq!(india["verdict"]["value"], false);
    assert_eq!(india["sources"]["privacy-blog"], "contradicts");
    assert_eq!(india["sources"]["news-in-brief"], "agrees");
    // The UK: the week-warning article lists the regions twice, once without the UK.
    let regions = q("ai-training-regions");
    assert_eq!(
        regions["sources"]["week-warning-article"],
        "contradicts-itself"
    );
    assert_eq!(regions["sources"]["privacy-blog"], "contradicts");
    assert_eq!(q("uk-included")["verdict"]["value"], true);
    // The news brief contradicts itself on the date (3 vs 9 November).
    assert_eq!(
        q("effective-date")["sources"]["news-in-brief"],
        "contradicts-itself"
    );
    for question in json["questions"].as_array().unwrap() {
        assert_eq!(
            question["status"], "resolved",
            "{} is reconciled",
            question["id"]
        );
    }
}

#[test]
fn bundled_quotes_occur_in_the_seed_reports() {
    let seeds = repo().join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!("skipping: {} not present", seeds.display());
        return;
    }
    let run = explainer(&[
        "check",
        "--strict",
        "--root",
        repo().to_str().unwrap(),
        "--sources-archive",
        seeds.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
}
