//! `explainer new KIND ID`: a stub with every field commented, written as a draft into the
//! right file (existing text kept byte for byte), refused for a taken or bad id, and the site
//! still passes `check` (and `check --drafts`, which checks the stub itself).

mod common;

use std::fs;
use std::path::Path;

use common::{explainer, stderr};

/// A site made by `explainer init` in a temporary folder (kept while the handle lives).
fn init_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    assert!(
        explainer(&["init", root.to_str().unwrap()])
            .status
            .success()
    );
    (tmp, root)
}

fn run_new(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["new"];
    all.extend(args);
    all.extend(["--root", root.to_str().unwrap()]);
    explainer(&all)
}

/// Every `key:` line of the stub (commented out or not) is explained: by a comment on its own
/// line, or by the comment line just above it.
fn assert_every_field_commented(stub: &str, what: &str) {
    let lines: Vec<&str> = stub.lines().collect();
    for (n, line) in lines.iter().enumerate() {
        let code = line
            .trim_start()
            .trim_start_matches("# ")
            .trim_start_matches("- ");
        let is_field = code.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-')
        });
        if !is_field || line.trim() == "---" {
            continue;
        }
        let commented_here = line.trim_start().starts_with('#') || line.contains(" # ");
        let above = n > 0 && lines[n - 1].trim_start().starts_with('#');
        let nested = n > 0 && lines[n - 1].trim_end().ends_with(':');
        assert!(
            commented_here || above || nested,
            "{what}: field without a comment: {line}"
        );
    }
}

#[test]
fn new_writes_commented_drafts_that_pass_check_and_refuses_taken_ids() {
    let (_tmp, root) = init_site();
    let facts = ["regions", "sources", "questions", "claims"];
    let before: Vec<Vec<u8>> = facts
        .iter()
        .map(|f| fs::read(root.join(format!("content/facts/{f}.yaml"))).unwrap())
        .collect();
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &["article", "fresh-take"],
            "content/articles/fresh-take.md",
            "already exists",
        ),
        (
            &["region", "atlantis"],
            "content/facts/regions.yaml",
            "a region with id `atlantis` already exists",
        ),
        (
            &["source", "new-memo"],
            "content/facts/sources.yaml",
            "a source with id `new-memo` already exists",
        ),
        (
            &["question", "who-decides"],
            "content/facts/questions.yaml",
            "a question with id `who-decides` already exists",
        ),
        (
            &["claim", "who-decides"],
            "content/facts/claims.yaml",
            "a claim of source `announcement` on question `who-decides` already exists",
        ),
        (
            &["claim", "training-regions", "--source", "new-memo"],
            "content/facts/claims.yaml",
            "a claim of source `new-memo` on question `training-regions` already exists",
        ),
    ];
    for (args, file, refusal) in cases {
        let text_before = fs::read_to_string(root.join(file)).unwrap_or_default();
        let out = run_new(&root, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = fs::read_to_string(root.join(file)).unwrap();
        assert!(
            text.starts_with(&text_before),
            "{file} changed before the stub"
        );
        let stub = &text[text_before.len()..];
        assert!(stub.contains("draft: true"), "{stub}");
        assert_every_field_commented(stub, file);
        let again = run_new(&root, args);
        assert!(!again.status.success(), "{args:?} accepted twice");
        assert!(stderr(&again).contains(refusal), "{}", stderr(&again));
        assert_eq!(
            fs::read_to_string(root.join(file)).unwrap(),
            text,
            "a refusal wrote"
        );
    }
    for (f, old) in facts.iter().zip(&before) {
        let now = fs::read(root.join(format!("content/facts/{f}.yaml"))).unwrap();
        assert!(now.starts_with(old), "{f}.yaml: existing content changed");
    }
    for args in [
        &["check", "--strict"][..],
        &["check", "--strict", "--drafts"],
    ] {
        let mut all = args.to_vec();
        all.extend(["--root", root.to_str().unwrap()]);
        let out = explainer(&all);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn new_refuses_bad_ids_and_unknown_questions() {
    let (_tmp, root) = init_site();
    let out = run_new(&root, &["region", "Bad_Id"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("`Bad_Id` is not a valid id"),
        "{}",
        stderr(&out)
    );
    let out = run_new(&root, &["claim", "no-such-question"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("there is no question `no-such-question`"),
        "{}",
        stderr(&out)
    );
    let out = run_new(&root, &["article", "what-changed"]);
    assert!(stderr(&out).contains("an article with slug `what-changed` already exists"));
}
