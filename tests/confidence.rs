//! Confidence is derived from the claims; a typed `confidence` may only lower it, with a
//! reason. Mistakes are reported at the field; the question page says why it has its level.

mod common;

use common::{edit, explainer, fixture, stderr};

const WHO: &str = "    basis: most-specific\n    confidence: medium\n";

fn check(root: &std::path::Path) -> (Option<i32>, String) {
    let out = explainer(&["check", "--strict", "--root", root.to_str().unwrap()]);
    (out.status.code(), stderr(&out))
}

#[test]
fn an_editor_raising_the_level_is_an_error_naming_both_levels_and_the_rule() {
    let (_tmp, root) = fixture("basic");
    let raised = "    basis: most-specific\n    confidence: high\n";
    edit(&root, "content/facts/questions.yaml", WHO, raised);
    let (code, err) = check(&root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error: confidence `high` on `who` is higher than the derived `medium` (rule `majority`: The sources mostly agree: 1 of the 2 sources that address this agree with it, 1 in part.)"),
        "{err}"
    );
    assert!(
        err.contains("--> content/facts/questions.yaml:9:17"),
        "{err}"
    );
    assert!(
        err.contains(
            "help: lower it (with a `confidence_reason:`), or remove it to publish `medium`"
        ),
        "{err}"
    );
    let build = explainer(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(build.status.code(), Some(1), "the build fails too");
}

#[test]
fn a_lowered_level_needs_a_reason() {
    let (_tmp, root) = fixture("basic");
    let lowered = "    basis: most-specific\n    confidence: low\n";
    edit(&root, "content/facts/questions.yaml", WHO, lowered);
    let (code, err) = check(&root);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error: confidence `low` on `who` is lower than the derived `medium` (rule `majority`) but gives no reason"),
        "{err}"
    );
    assert!(
        err.contains("--> content/facts/questions.yaml:9:17"),
        "{err}"
    );
    assert!(err.contains("help: add `confidence_reason:`"), "{err}");

    let why = "    confidence: low\n    confidence_reason: The blog's list is wider.\n";
    edit(
        &root,
        "content/facts/questions.yaml",
        "    confidence: low\n",
        why,
    );
    let (code, err) = check(&root);
    assert_eq!(
        code,
        Some(0),
        "a lowered level with a reason is fine: {err}"
    );
    let r = root.to_str().unwrap();
    let build = explainer(&["build", "--root", r]);
    assert!(build.status.success(), "{}", stderr(&build));
    let page = std::fs::read_to_string(root.join("public/questions/who/index.html")).unwrap();
    assert!(page.contains("confidence: low"), "{page}");
    assert!(
        page.contains("The editors lowered it from medium: The blog&#39;s list is wider."),
        "{page}"
    );
}

#[test]
fn a_reason_without_a_lowered_level_is_a_warning() {
    let (_tmp, root) = fixture("basic");
    let stray = "    basis: most-specific\n    confidence_reason: Just because.\n";
    edit(&root, "content/facts/questions.yaml", WHO, stray);
    let (code, err) = check(&root);
    assert_eq!(code, Some(1), "--strict fails on the warning: {err}");
    assert!(
        err.contains("warning: `confidence_reason` on `who` explains no lowered confidence"),
        "{err}"
    );
    assert!(
        err.contains("--> content/facts/questions.yaml:9:24"),
        "{err}"
    );
}

#[test]
fn the_question_page_shows_the_derived_level_and_why() {
    let (_tmp, root) = fixture("basic");
    // Without a typed level, the derived one is published.
    edit(
        &root,
        "content/facts/questions.yaml",
        WHO,
        "    basis: most-specific\n",
    );
    let r = root.to_str().unwrap();
    let build = explainer(&["build", "--root", r]);
    assert!(build.status.success(), "{}", stderr(&build));
    let page = std::fs::read_to_string(root.join("public/questions/who/index.html")).unwrap();
    assert!(page.contains("confidence: medium"), "{page}");
    assert!(
        page.contains("The sources mostly agree: 1 of the 2 sources that address this agree with it, 1 in part."),
        "{page}"
    );
    let undo = std::fs::read_to_string(root.join("public/questions/undo/index.html")).unwrap();
    assert!(undo.contains("confidence: medium"), "{undo}");
    assert!(
        undo.contains(
            "Only one source addresses this; it agrees, but one report is not corroboration."
        ),
        "{undo}"
    );
    let json = std::fs::read_to_string(root.join("public/compare/index.json")).unwrap();
    assert!(json.contains("\"confidence_rule\": \"majority\""), "{json}");
}
