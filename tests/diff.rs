//! `explainer diff`: a git repository made from the fixture site with three fact changes (a
//! status, a claim, an opt-out step) and one wording change, each commit compared with the
//! one before as text, JSON and Markdown; the work tree against HEAD; and the errors.

mod common;

use std::path::Path;
use std::process::Command;

use common::{edit, explainer, fixture, stderr, stdout};

/// The day every commit of `history()` is made.
const DAY: &str = "2026-03-02T10:00:00Z";

fn git(root: &Path, args: &[&str]) {
    common::git_at(root, args, DAY);
}

fn commit(root: &Path, message: &str) {
    common::commit_at(root, message, DAY);
}

/// The fixture in a repository: the first commit, then the four changes, one commit each.
fn history() -> (tempfile::TempDir, std::path::PathBuf) {
    common::fact_history(&[DAY; 5])
}

fn diff(root: &Path, args: &[&str]) -> (String, String, bool) {
    let mut all = vec!["diff", "--root", root.to_str().unwrap()];
    all.extend(args);
    let out = explainer(&all);
    (stdout(&out), stderr(&out), out.status.success())
}

fn json(root: &Path, from: &str, to: &str) -> serde_json::Value {
    let (out, err, ok) = diff(root, &[from, to, "--format", "json"]);
    assert!(ok, "{err}");
    serde_json::from_str(&out).expect("diff --format json is JSON")
}

fn field<'j>(entry: &'j serde_json::Value, path: &str) -> &'j serde_json::Value {
    let fields = entry["fields"].as_array().unwrap();
    fields
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("no {path} in {entry}"))
}

fn entry<'j>(doc: &'j serde_json::Value, kind: &str, id: &str) -> &'j serde_json::Value {
    let entries = doc["entries"].as_array().unwrap();
    (entries.iter())
        .find(|e| e["kind"] == kind && e["id"] == id)
        .unwrap_or_else(|| panic!("no {kind} {id} in {doc:#}"))
}

#[test]
fn each_commit_shows_its_fact_change() {
    let (_tmp, root) = history();

    let (text, err, ok) = diff(&root, &["HEAD~4", "HEAD~3"]);
    assert!(ok, "{err}");
    assert!(
        text.contains("regions\n  ~ elsewhere (Rest of the world)\n"),
        "{text}"
    );
    assert!(
        text.contains("Model training: unclear → applies, since 3 November 2025"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour when piped: {text:?}");
    let doc = json(&root, "HEAD~4", "HEAD~3");
    let region = entry(&doc, "region", "elsewhere");
    assert_eq!(region["op"], "changed");
    assert_eq!(field(region, "status.training.state")["before"], "unclear");
    assert_eq!(field(region, "status.training.state")["after"], "applies");
    assert_eq!(
        field(region, "status.training.since")["before"],
        serde_json::Value::Null
    );
    assert_eq!(
        field(region, "status.training.since")["after"],
        "2025-11-03"
    );

    let (text, _, _) = diff(&root, &["HEAD~3", "HEAD~2"]);
    assert!(
        text.contains("claims\n  + undo@blog (A blog post on undo)\n"),
        "{text}"
    );
    assert!(text.contains("value: It cannot be undone."), "{text}");
    let doc = json(&root, "HEAD~3", "HEAD~2");
    let claim = entry(&doc, "claim", "undo@blog");
    assert_eq!(claim["op"], "added");
    assert_eq!(
        field(claim, "quote")["after"],
        "Opting out stops future training only."
    );

    let (text, _, _) = diff(&root, &["HEAD~2", "HEAD~1"]);
    assert!(
        text.contains("opt-outs\n  ~ toggle (The training toggle)\n"),
        "{text}"
    );
    assert!(
        text.contains("steps.desktop[2]: Switch it off → Privacy"),
        "{text}"
    );
    let doc = json(&root, "HEAD~2", "HEAD~1");
    let optout = entry(&doc, "opt-out", "toggle");
    assert_eq!(field(optout, "steps.desktop[3]")["after"], "Switch it off");
    assert_eq!(doc["changed"], 1);

    let (text, _, _) = diff(&root, &["HEAD~1", "HEAD"]);
    assert!(
        text.contains("~ member (Member Land)  (wording only)"),
        "{text}"
    );
    assert!(
        text.contains("0 changed, 1 changed in wording only"),
        "{text}"
    );
    let doc = json(&root, "HEAD~1", "HEAD");
    let member = entry(&doc, "region", "member");
    assert_eq!(member["wording_only"], true);
    assert_eq!(doc["wording_only"], 1);
    assert_eq!(doc["changed"], 0);
}

#[test]
fn the_work_tree_against_head_and_markdown() {
    let (_tmp, root) = history();
    let (text, err, ok) = diff(&root, &[]);
    assert!(ok, "{err}");
    assert_eq!(text, "no fact changed between HEAD and working tree\n");

    edit(
        &root,
        "content/facts/regions.yaml",
        "state: does-not-apply",
        "state: unclear",
    );
    let (text, _, _) = diff(&root, &[]);
    assert!(
        text.contains("Partner sharing: does-not-apply → unclear"),
        "{text}"
    );
    let (md, _, _) = diff(&root, &["HEAD~4", "--format", "markdown"]);
    assert!(
        md.starts_with("### Facts changed from `HEAD~4` to `working tree`\n\n**regions**\n"),
        "{md}"
    );
    assert!(
        md.contains("- Group of Countries (`group`): changed\n"),
        "{md}"
    );
    assert!(
        md.contains("- A blog post on undo (`undo@blog`): added\n"),
        "{md}"
    );
}

#[test]
fn a_revision_that_does_not_load_or_exist_is_named() {
    let (_tmp, root) = history();
    edit(
        &root,
        "content/facts/regions.yaml",
        "- id: member\n  name: Member Land\n",
        "- id: member\n",
    );
    commit(&root, "Break a region");
    let (_, err, ok) = diff(&root, &["HEAD~1", "HEAD"]);
    assert!(!ok);
    assert!(
        err.contains("the facts at revision `HEAD` do not load: content/facts/regions.yaml:"),
        "{err}"
    );
    assert!(err.contains("missing field `name`"), "{err}");
    let (_, err, ok) = diff(&root, &["no-such-branch"]);
    assert!(!ok);
    assert!(err.contains("unknown revision `no-such-branch`"), "{err}");
}

#[test]
fn outside_a_repository_it_says_so() {
    let (_tmp, root) = fixture("basic");
    let (_, err, ok) = diff(&root, &[]);
    assert!(!ok);
    assert!(err.contains("is not in a git repository"), "{err}");
}

#[test]
fn the_log_lists_each_commit_that_changed_the_facts_newest_first() {
    let (_tmp, root) = history();
    std::fs::write(root.join("NOTES.txt"), "not a fact").unwrap();
    commit(&root, "Not about the facts");
    let (text, err, ok) = diff(&root, &["--log"]);
    assert!(ok, "{err}");
    let messages = [
        "Reword the member's notes (wording only)",
        "A new step on desktop",
        "The blog on undoing",
        "Training applies everywhere from November",
        "Initial facts",
    ];
    let at: Vec<usize> = (messages.iter())
        .map(|m| text.find(m).unwrap_or_else(|| panic!("no {m:?} in {text}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "newest first: {text}");
    assert!(text.starts_with("2026-03-02 "), "{text}");
    assert!(!text.contains("Not about the facts"), "{text}");
    assert!(
        text.contains("Model training: unclear → applies, since 3 November 2025"),
        "{text}"
    );

    let (out, _, _) = diff(&root, &["--log", "2", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["wording_only"], true);
    assert_eq!(changes[1]["message"], "A new step on desktop");
    assert_eq!(changes[1]["date"], "2026-03-02");
    assert_eq!(doc["left_out"][0], "commits before the last 2");
}

#[test]
fn a_shallow_clone_says_what_the_log_left_out() {
    let (tmp, root) = history();
    let shallow = tmp.path().join("shallow");
    let url = format!("file://{}", root.display());
    let to = shallow.to_str().unwrap();
    git(tmp.path(), &["clone", "-q", "--depth", "2", &url, to]);
    let (text, err, ok) = diff(&shallow, &["--log"]);
    assert!(ok, "{err}");
    assert!(text.contains("Reword the member's notes"), "{text}");
    assert!(!text.contains("The blog on undoing"), "{text}");
    assert!(text.contains("left out: the history from "), "{text}");
    assert!(!text.contains("A new step on desktop"), "{text}");
    assert_eq!(text.matches("left out:").count(), 1, "said once: {text}");
}

/// `cargo test --test diff -- --ignored --nocapture`: the time `diff --log` takes over N
/// generated commits (half of them changing the facts), for the README.
#[test]
#[ignore]
fn bench_the_log_over_many_commits() {
    let n: usize = std::env::var("COMMITS").map_or(1000, |v| v.parse().unwrap());
    let (_tmp, root) = history();
    let regions = std::fs::read_to_string(root.join("content/facts/regions.yaml")).unwrap();
    let mut stream = String::new();
    for i in 0..n {
        let (path, body) = if i % 2 == 0 {
            let text = regions.replace(
                "Takes its status",
                &format!("Revision {i} takes its status"),
            );
            ("content/facts/regions.yaml", text)
        } else {
            ("NOTES.txt", format!("note {i}\n"))
        };
        let msg = format!("Commit {i}");
        let time = 1_772_445_600 + i * 60;
        stream += &format!("commit refs/heads/main\ncommitter E <e@example.org> {time} +0000\n");
        stream += &format!("data {}\n{msg}\n", msg.len());
        if i == 0 {
            stream += "from refs/heads/main^0\n";
        }
        stream += &format!("M 100644 inline {path}\ndata {}\n{body}\n", body.len());
    }
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(&root)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    let start = std::time::Instant::now();
    let (text, err, ok) = diff(&root, &["--log", "100000", "--format", "json"]);
    let took = start.elapsed();
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let listed = doc["changes"].as_array().unwrap().len();
    println!("{n} commits, {listed} changed the facts: diff --log took {took:?}");
}
