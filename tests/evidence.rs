//! Statuses tied to the evidence (issue 15, items 2 and 3): a status contradicting its deciding
//! verdict is a located error; a guide's "used for" line follows the status, in HTML and JSON.

mod common;

use common::{build_into, edit, explainer, fixture, stderr};

const WHO: &str = "  type: regions\n  regions: [group]\n";

/// Links the fixture's `who` question (verdict `[group]`) to `change`.
fn decide(root: &std::path::Path, change: &str) {
    let to = format!("  type: regions\n  change: {change}\n  regions: [group]\n");
    edit(root, "content/facts/questions.yaml", WHO, &to);
}

#[test]
fn a_status_contradicting_its_deciding_verdict_is_a_located_error() {
    let (_tmp, root) = fixture("basic");
    decide(&root, "sharing");
    let out = explainer(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: the status of `sharing` in `group` is `does-not-apply`, but the verdict on question `who` covers it"),
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
        group.contains("Applies</span> · new · since 1 March 2026 · confidence: low</span>"),
        "the badge: state, new, since, confidence by sources\n{group}"
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

    let tmp = tempfile::tempdir().unwrap();
    let out = explainer(&[
        "export",
        "--root",
        root.to_str().unwrap(),
        "--region",
        "member",
        "--format",
        "json",
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = std::fs::read_dir(tmp.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
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
        err.contains(
            "warning: no claim on question `who` supports `applies` for `training` in `group`"
        ),
        "{err}"
    );
    assert!(err.contains("--> content/facts/regions.yaml:5:14"), "{err}");
    let strict = explainer(&["check", "--strict", "--root", root.to_str().unwrap()]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
}
