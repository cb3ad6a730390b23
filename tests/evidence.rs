//! Statuses tied to the evidence (issue 15, items 2 and 3): a status contradicting its deciding
//! verdict is a located error; a guide's "used for" line follows the status, in HTML and JSON.

mod common;

use common::{build_into, edit, explainer, fixture, stderr};

/// The JSON export of `region`'s guide.
fn export_json(root: &std::path::Path, region: &str) -> serde_json::Value {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join(format!("{region}.json"));
    let out = explainer(&[
        "export",
        "--root",
        root.to_str().unwrap(),
        "--region",
        region,
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

/// Links the fixture's `who` question (verdict `[group]`; it decides `training`) to `change`.
fn decide(root: &std::path::Path, change: &str) {
    let to = format!("  change: {change}\n");
    edit(
        root,
        "content/facts/questions.yaml",
        "  change: training\n",
        &to,
    );
}

#[test]
fn a_status_contradicting_its_deciding_verdict_is_a_located_error() {
    let (_tmp, root) = fixture("basic");
    decide(&root, "sharing");
    let out = explainer(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: the status of `sharing` in `group` says it does not apply there, but the verdict on question `who` says it applies there"),
        "{err}"
    );
    assert!(
        err.contains("--> content/facts/regions.yaml:11:14"),
        "{err}"
    );
}

#[test]
fn an_unknown_change_on_a_question_is_an_error() {
    let (_tmp, root) = fixture("basic");
    decide(&root, "trainin");
    let out = explainer(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(
        err.contains("error: unknown change `trainin` on question `who`"),
        "{err}"
    );
}

#[test]
fn an_unclear_status_qualifies_the_used_for_line() {
    let (_tmp, root) = fixture("basic");
    let (_out, public, _) = build_into(&root);
    let page = std::fs::read_to_string(public.join("regions/elsewhere/index.html")).unwrap();
    assert!(
        page.contains("Used for Model training (unclear here)"),
        "{page}"
    );
    let group = std::fs::read_to_string(public.join("regions/group/index.html")).unwrap();
    assert!(group.contains("Used for Model training</p>"), "{group}");
    assert!(
        group.contains("Applies</span> · new · since 1 March 2026 · confidence: high</span>"),
        "the badge: state, new, since, confidence on this region by the verdict of `who`\n{group}"
    );
}

#[test]
fn a_disputed_category_is_shown_disputed_on_the_guide_and_in_the_json_export() {
    let (_tmp, root) = fixture("basic");
    decide(&root, "training");
    let low = "    confidence: low\n    confidence_reason: Only one report.\n";
    edit(
        &root,
        "content/facts/questions.yaml",
        "    basis: most-specific\n    confidence: medium\n",
        &format!("    basis: most-specific\n{low}"),
    );
    let (_out, public, _) = build_into(&root);
    let page = std::fs::read_to_string(public.join("regions/member/index.html")).unwrap();
    assert!(
        page.contains(
            r#"Used for Model training (<a class="disputed" href="/compare/#who">disputed</a>)"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"<span class="status-badge disputed">"#),
        "{page}"
    );

    let doc = export_json(&root, "member");
    let uses = &doc["categories"][0]["uses"][0];
    assert_eq!(uses["qualifier"], "disputed", "{doc}");
    assert_eq!(uses["question"]["id"], "who", "{doc}");
    assert_eq!(doc["changes"][0]["confidence"], "low", "{doc}");
    assert_eq!(doc["changes"][0]["disputed"]["id"], "who", "{doc}");
}

#[test]
fn a_status_no_claim_supports_warns_and_fails_under_strict() {
    let (_tmp, root) = fixture("basic");
    decide(&root, "training");
    let claims = "content/facts/claims.yaml";
    edit(&root, claims, "  value: [group]\n", "  value: []\n");
    edit(
        &root,
        claims,
        "  value: [group, elsewhere]\n",
        "  value: [elsewhere]\n",
    );
    let out = explainer(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(
        err.contains("warning: no claim on question `who` says `training` applies in `group`"),
        "{err}"
    );
    assert!(err.contains("--> content/facts/regions.yaml:5:14"), "{err}");
    let strict = explainer(&["check", "--strict", "--root", root.to_str().unwrap()]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
}

#[test]
fn a_category_use_needs_a_claim_and_must_agree_with_the_data_verdict() {
    let (_tmp, root) = fixture("basic");
    // The data question's verdict leaves `posts` out while `posts` is used for training.
    edit(
        &root,
        "content/facts/questions.yaml",
        "    verdict: [posts]\n",
        "    verdict: []\n",
    );
    let out = explainer(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: `posts` is used for `training` here, but the verdict on question `data` does not list it"),
        "{err}"
    );
    assert!(
        err.contains("--> content/facts/categories.yaml:3:14"),
        "{err}"
    );

    // No question on the data: a warning at the use, an error under --strict.
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/facts/questions.yaml",
        "  type: categories\n  change: training\n",
        "  type: categories\n",
    );
    let out = explainer(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning: no claim supports the use of `posts` for `training`"),
        "{err}"
    );
    let strict = explainer(&["check", "--strict", "--root", root.to_str().unwrap()]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
}

#[test]
fn a_use_only_one_of_two_reports_names_is_disputed_on_the_guide_and_in_json() {
    let (_tmp, root) = fixture("basic");
    // The blog lists the data as well, without `posts`: one of two sources names it.
    let claims = root.join("content/facts/claims.yaml");
    let mut text = std::fs::read_to_string(&claims).unwrap();
    text.push_str(
        "- question: data\n  source: blog\n  value: []\n  quote: \"Everyone is covered.\"\n",
    );
    std::fs::write(&claims, text).unwrap();
    let (_out, public, _) = build_into(&root);
    let page = std::fs::read_to_string(public.join("regions/group/index.html")).unwrap();
    assert!(
        page.contains(
            r#"Used for Model training (<a class="disputed" href="/compare/#data">disputed</a>)"#
        ),
        "{page}"
    );
    let doc = export_json(&root, "group");
    let posts = &doc["categories"][0]["uses"][0];
    assert_eq!(posts["qualifier"], "disputed", "{doc}");
    assert_eq!(posts["question"]["id"], "data", "{doc}");
}

#[test]
fn new_must_agree_with_since() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/facts/regions.yaml",
        "      since: 2026-03-01\n",
        "      since: 2026-03-01\n      new: false\n",
    );
    let out = explainer(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: `new: false` disagrees with `since: 2026-03-01`"),
        "{err}"
    );
    assert!(err.contains("--> content/facts/regions.yaml:7:12"), "{err}");
}
