//! The site's history from its git log: a repository made from the fixture site with three
//! fact changes (a status, a claim, an opt-out step) and one wording change on four days,
//! built with a base URL: the "What changed" page, the fact pages' History sections, the
//! guide's "changed" badge, the feeds of changes parsed as Atom, and `explainer diff` for each
//! commit pair; `explainer diff` on the bundled site; and builds outside git, in a shallow
//! clone and with `--no-history`, each saying once what it left out.

mod common;

use std::path::{Path, PathBuf};

use common::{
    commit_at, copy_dir, edit, explainer, fact_history, git_at, repo, snapshot, stderr, stdout,
};

const BASE: &str = "https://example.org/";

/// The dates of `fact_history`'s five commits.
const DATES: [&str; 5] = [
    "2026-03-01T09:00:00Z",
    "2026-03-02T09:00:00Z",
    "2026-03-03T09:00:00Z",
    "2026-03-04T09:00:00Z",
    "2026-03-05T09:00:00Z",
];

/// Builds `root` into a fresh folder with `args`: the files, stdout and stderr.
fn build(root: &Path, args: &[&str]) -> (tempfile::TempDir, PathBuf, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let mut all = vec!["build", "--root", root.to_str().unwrap()];
    all.extend(["--out", out.to_str().unwrap()]);
    all.extend(args);
    let run = explainer(&all);
    assert!(run.status.success(), "{}", stderr(&run));
    (tmp, out, stdout(&run), stderr(&run))
}

/// A page's text as a reader sees it: tags dropped, entities decoded, spaces collapsed.
fn text_of(html: &str) -> String {
    let main = html.split("<main").nth(1).unwrap_or(html);
    let mut text = String::new();
    let mut in_tag = false;
    for c in main.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = (text.replace("&amp;", "&").replace("&quot;", "\"")).replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `needles` occur in `text` in this order.
fn in_order(text: &str, needles: &[&str]) {
    let mut at = 0;
    for n in needles {
        let found = text[at..].find(n);
        let found = found.unwrap_or_else(|| panic!("{n:?} not after byte {at} in:\n{text}"));
        at += found + n.len();
    }
}

#[test]
fn the_what_changed_page_the_fact_pages_and_the_feeds_show_each_commit() {
    let (_tmp, root) = fact_history(&DATES);
    let (_out_tmp, out, _, err) = build(&root, &["--base-url", BASE]);
    assert!(!err.contains("note: not a git"), "{err}");
    let changes = text_of(&page(&out, "changes/index.html"));
    in_order(
        &changes,
        &[
            "What changed",
            "5 March 2026 : Reword the member's notes",
            "Wording only.",
            "Region Member Land : changed (wording only)",
            "notes: Inherits from the group. → Takes its status from the group.",
            "4 March 2026 : A new step on desktop",
            "Opt-out The training toggle : changed",
            "steps.desktop[2]: Switch it off → Privacy",
            "steps.desktop[3]: none → Switch it off",
            "3 March 2026 : The blog on undoing",
            "Claim",
            ": added",
            "quote: Opting out stops future training only.",
            "2 March 2026 : Training applies everywhere from November",
            "Region Rest of the world : changed",
            "unclear → applies, since 3 November 2025",
            "1 March 2026 : Initial facts",
        ],
    );
    let wording = changes.split("4 March 2026").next().unwrap();
    assert_eq!(wording.matches("Wording only.").count(), 1, "{wording}");

    // Each fact page lists its own changes, dated, linked to the entry on the page above.
    let elsewhere = page(&out, "regions/elsewhere/index.html");
    let history = text_of(
        elsewhere
            .split("id=\"history\"")
            .nth(1)
            .expect("a History section"),
    );
    in_order(
        &history,
        &[
            "History",
            "2 March 2026 : Training applies everywhere from November",
            "unclear → applies, since 3 November 2025",
            "1 March 2026 : Initial facts",
        ],
    );
    assert!(!history.contains("A new step on desktop"), "{history}");
    assert!(
        elsewhere.contains("href=\"/changes/#c-"),
        "links to its entry"
    );
    let toggle = text_of(&page(&out, "optouts/toggle/index.html"));
    in_order(
        &toggle,
        &[
            "History",
            "4 March 2026 : A new step on desktop",
            "steps.desktop[2]",
        ],
    );
    let undo = text_of(&page(&out, "questions/undo/index.html"));
    in_order(&undo, &["History", "3 March 2026 : The blog on undoing"]);
    let blog = text_of(&page(&out, "sources/blog/index.html"));
    in_order(&blog, &["History", "3 March 2026 : The blog on undoing"]);
    let member = text_of(&page(&out, "regions/member/index.html"));
    in_order(
        &member,
        &[
            "History",
            "5 March 2026 : Reword the member's notes",
            "(wording only)",
        ],
    );

    // The badge: the last change in fact to what the guide shows, linked to its history.
    assert!(
        elsewhere.contains(
            "<a href=\"#history\">Changed <time datetime=\"2026-03-02\">2 March 2026</time></a>"
        ),
        "{elsewhere}"
    );
    // The member's guide shows the toggle: its last change in fact is the step, not the wording.
    assert!(
        page(&out, "regions/member/index.html").contains("Changed <time datetime=\"2026-03-04\">")
    );

    // The feeds of changes: every commit site-wide, and per region the ones its guide shows.
    let feed: atom_syndication::Feed = page(&out, "changes/feed.xml").parse().expect("Atom");
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(
        titles,
        [
            "Reword the member's notes (wording only)",
            "A new step on desktop",
            "The blog on undoing",
            "Training applies everywhere from November",
            "Initial facts",
        ]
    );
    assert_eq!(
        feed.entries()[1].updated().to_rfc3339(),
        "2026-03-04T00:00:00+00:00"
    );
    let summary = feed.entries()[1]
        .summary()
        .map(|s| s.as_str())
        .unwrap_or("");
    assert!(
        summary.contains("Opt-out The training toggle: changed"),
        "{summary}"
    );
    for e in feed.entries() {
        let href = e.links()[0].href();
        assert!(href.starts_with(&format!("{BASE}changes/#c-")), "{href}");
    }
    let region: atom_syndication::Feed = page(&out, "regions/elsewhere/changes.xml")
        .parse()
        .expect("Atom");
    let titles: Vec<&str> = region
        .entries()
        .iter()
        .map(|e| e.title().as_str())
        .collect();
    assert_eq!(
        titles,
        ["Training applies everywhere from November", "Initial facts"]
    );
    assert!(
        page(&out, "regions/elsewhere/index.html")
            .contains("href=\"/regions/elsewhere/changes.xml\"")
    );
    assert!(page(&out, "sitemap.xml").contains(&format!("{BASE}changes/")));
}

#[test]
fn explainer_diff_shows_each_commit_pair_as_text_and_json() {
    let (_tmp, root) = fact_history(&DATES);
    let r = root.to_str().unwrap();
    let cases = [
        ("regions", "unclear → applies, since 3 November 2025"),
        ("claims", "undo@blog"),
        ("opt-outs", "steps.desktop[3]: none → Switch it off"),
        ("regions", "(wording only)"),
    ];
    for (i, (group, line)) in cases.iter().enumerate() {
        let (from, to) = (format!("HEAD~{}", 4 - i), format!("HEAD~{}", 3 - i));
        let text = stdout(&explainer(&["diff", "--root", r, &from, &to]));
        assert!(
            text.contains(&format!("\n{group}\n")),
            "{from}..{to}: {text}"
        );
        assert!(text.contains(line), "{from}..{to}: {text}");
        let json = stdout(&explainer(&[
            "diff", "--root", r, &from, &to, "--format", "json",
        ]));
        let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        let entries = doc["entries"].as_array().expect("entries");
        assert_eq!(entries.len(), 1, "{json}");
        assert_eq!(doc["wording_only"], if i == 3 { 1 } else { 0 }, "{json}");
    }
    // The log, with its memo kept out of version control (nothing new to commit).
    let log = stdout(&explainer(&[
        "diff", "--root", r, "--log", "--format", "json",
    ]));
    assert!(root.join(".explainer-cache/history").is_file());
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(stdout(&status), "", "git status is clean");
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    let dates: Vec<&str> = (log["changes"].as_array().unwrap().iter())
        .map(|c| c["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2026-03-05",
            "2026-03-04",
            "2026-03-03",
            "2026-03-02",
            "2026-03-01"
        ]
    );
}

#[test]
fn diff_on_the_bundled_site_prints_the_changed_statuses() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("content"), &root.join("content"));
    let day = "2026-01-10T12:00:00Z";
    git_at(&root, &["init", "-q", "-b", "main"], day);
    commit_at(&root, "The bundled facts", day);
    let regions = root.join("content/facts/regions.yaml");
    let text = std::fs::read_to_string(&regions).unwrap();
    let uk = text.find("- id: uk\n").expect("the UK");
    let at = uk
        + text[uk..]
            .find("      state: unclear\n")
            .expect("an unclear status");
    let changed = format!(
        "{}      state: does-not-apply\n{}",
        &text[..at],
        &text[at + "      state: unclear\n".len()..]
    );
    std::fs::write(&regions, changed).unwrap();
    commit_at(&root, "The UK: no extra sharing", "2026-01-11T12:00:00Z");
    let run = explainer(&["diff", "--root", root.to_str().unwrap(), "HEAD~1", "HEAD"]);
    let text = stdout(&run);
    assert!(run.status.success(), "{}", stderr(&run));
    in_order(
        &text,
        &[
            "facts changed from HEAD~1 to HEAD",
            "regions",
            "~ uk (United Kingdom)",
            "Extra data sharing with Microsoft for ads: unclear → does-not-apply",
        ],
    );
}

/// The note a build says when it has no history to read.
const LEFT_OUT: &str = "the What changed page, history sections and change feeds left out";

#[test]
fn outside_git_in_a_shallow_clone_and_with_no_history_it_builds_and_says_so_once() {
    let (_tmp, site) = common::fixture("basic");
    let (_o, out, _, err) = build(&site, &[]);
    assert_eq!(err.matches(LEFT_OUT).count(), 1, "{err}");
    assert!(err.contains("note: not a git repository"), "{err}");
    assert!(!out.join("changes").exists());
    assert!(!page(&out, "regions/elsewhere/index.html").contains("id=\"history\""));

    let (tmp, root) = fact_history(&DATES);
    let clone = tmp.path().join("clone");
    let url = format!("file://{}", root.display());
    git_at(
        tmp.path(),
        &["clone", "-q", "--depth", "1", &url, "clone"],
        DATES[4],
    );
    let (_o, out, _, err) = build(&clone, &[]);
    assert!(err.contains("a shallow clone"), "{err}");
    assert_eq!(err.matches(LEFT_OUT).count(), 1, "{err}");
    assert!(!out.join("changes").exists());
    let without = snapshot(&out);

    // The same pages as `--no-history`, which says nothing.
    let (_o, out, _, err) = build(&root, &["--no-history"]);
    assert!(!err.contains("git") && !err.contains(LEFT_OUT), "{err}");
    assert_eq!(
        snapshot(&out).keys().collect::<Vec<_>>(),
        without.keys().collect::<Vec<_>>()
    );
}

#[test]
fn a_rebuild_reuses_the_memo_and_a_new_commit_rebuilds() {
    let (_tmp, root) = fact_history(&DATES);
    let (_o, out, said, _) = build(&root, &[]);
    assert!(said.starts_with("built"), "{said}");
    assert!(root.join(".explainer-cache/history").is_file());
    let r = root.to_str().unwrap();
    let o = out.to_str().unwrap();
    let again = stdout(&explainer(&["build", "--root", r, "--out", o]));
    assert!(again.starts_with("nothing changed"), "{again}");
    // Edited and built, then committed as it was built: only the history changed.
    edit(
        &root,
        "content/facts/regions.yaml",
        "name: Member Land",
        "name: Memberland",
    );
    let third = stdout(&explainer(&["build", "--root", r, "--out", o]));
    assert!(
        third.starts_with("rebuilt"),
        "a fact edit is patched: {third}"
    );
    edit(&root, "content/articles/intro.md", "\n\n", "\n\nEdited. ");
    let fourth = explainer(&["build", "--root", r, "--out", o]);
    assert!(
        !stderr(&fourth).contains("in full"),
        "an edit without a commit is patched: {}",
        stderr(&fourth)
    );
    // The incremental rebuilds kept the history: the bytes of a fresh build of this tree.
    let (_f, fresh, ..) = build(&root, &[]);
    assert!(page(&out, "changes/index.html").contains("Reword the member"));
    assert!(
        snapshot(&out) == snapshot(&fresh),
        "patched and fresh builds differ"
    );
    commit_at(&root, "Rename the member", "2026-03-06T09:00:00Z");
    let fifth = stdout(&explainer(&["build", "--root", r, "--out", o]));
    assert!(
        fifth.starts_with("built"),
        "a new commit is a new history: {fifth}"
    );
    let changes = text_of(&page(&out, "changes/index.html"));
    in_order(
        &changes,
        &["6 March 2026 : Rename the member", "5 March 2026"],
    );
}
