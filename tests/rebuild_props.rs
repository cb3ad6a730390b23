//! Property test of incremental rebuilds through the real binary: random sequences of edits
//! (article text and titles, new, deleted and moved articles, facts, templates, static files)
//! on the fixture site (some sequences under a base URL with a path), `explainer build` after
//! each, and every output byte-identical to a fresh build of the same tree (a copy without the
//! cache, into a new folder); a tree that fails to build fails both ways, and the next edits
//! still agree.
//!
//! `PROPTEST_CASES` sets the number of sequences (default 8: some tens of seconds); the seed
//! is fixed unless `PROPTEST_RNG_SEED` gives another.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{explainer, snapshot, stderr, stdout};
use explainer::publish::output::cache::CACHE_DIR;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

/// One change to the site's files.
#[derive(Debug, Clone)]
enum Edit {
    /// A paragraph appended to article `0` (by index among the articles there are).
    Text(usize, u8),
    Title(usize, u8),
    Delete(usize),
    /// Moved into a subfolder: same slug, another file.
    Move(usize),
    /// A new article, linking the first article when `true`.
    New(u8, bool),
    /// The 404 template overridden with a word, or the override removed (`None`).
    Template(Option<u8>),
    /// A fact: a source's title, a region status's `since` day, an exclusion's name.
    Fact(u8, u8),
    /// A static file with some bytes, or removed.
    Static(Option<u8>),
    /// Text appended to an article that changes nothing else (the fast path).
    Plain(usize, u8),
    /// A section appended: the page's ids change.
    Section(usize, u8),
    /// A paragraph put first: the first paragraph (a description) changes.
    Lead(usize, u8),
    /// A link to the intro's first heading (`#first-things`) appended.
    LinkHeading(usize),
    /// The intro's first heading renamed (`true`) or named back: links to it break.
    RenameHeading(bool),
    /// A link to no article appended: an error.
    Break(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (0..4usize, any::<u8>()).prop_map(|(i, n)| Edit::Text(i, n)),
        2 => (0..4usize, any::<u8>()).prop_map(|(i, n)| Edit::Title(i, n)),
        1 => (0..4usize).prop_map(Edit::Delete),
        1 => (0..4usize).prop_map(Edit::Move),
        2 => (any::<u8>(), any::<bool>()).prop_map(|(n, l)| Edit::New(n, l)),
        1 => proptest::option::of(any::<u8>()).prop_map(Edit::Template),
        3 => (0..3u8, any::<u8>()).prop_map(|(k, n)| Edit::Fact(k, n)),
        1 => proptest::option::of(any::<u8>()).prop_map(Edit::Static),
        3 => (0..4usize, any::<u8>()).prop_map(|(i, n)| Edit::Plain(i, n)),
        1 => (0..4usize, any::<u8>()).prop_map(|(i, n)| Edit::Section(i, n)),
        1 => (0..4usize, any::<u8>()).prop_map(|(i, n)| Edit::Lead(i, n)),
        1 => (0..4usize).prop_map(Edit::LinkHeading),
        2 => any::<bool>().prop_map(Edit::RenameHeading),
        1 => (0..4usize, any::<u8>()).prop_map(|(i, n)| Edit::Break(i, n)),
    ]
}

/// The published articles' files, sorted (the draft is left alone).
fn articles(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = walkdir::WalkDir::new(root.join("content/articles"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != "hidden.md")
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

/// Replaces the first `from` by `to` in the file, if it has one.
fn replace(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read");
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// Appends `more` to the file.
fn append(path: &Path, more: &str) {
    let text = fs::read_to_string(path).expect("read");
    fs::write(path, format!("{text}{more}")).expect("write");
}

/// The edits that touch only articles' text (the fast path's, when the face stays).
fn apply_text(list: &[std::path::PathBuf], e: &Edit) {
    let pick = |i: usize| list.get(i % list.len().max(1)).cloned();
    match e {
        Edit::Plain(i, n) => pick(*i)
            .iter()
            .for_each(|p| append(p, &format!("\nMore words {n}.\n"))),
        Edit::Section(i, n) => {
            let more = format!("\n## Part {n}\n\nIts text.\n");
            pick(*i).iter().for_each(|p| append(p, &more));
        }
        Edit::Lead(i, n) => {
            if let Some(p) = pick(*i) {
                let text = fs::read_to_string(&p).expect("read");
                let at = text[3..].find("---\n").expect("front matter") + 7;
                let lead = format!("{}Lead {n}.\n\n{}", &text[..at], &text[at..]);
                fs::write(&p, lead).expect("write");
            }
        }
        Edit::LinkHeading(i) => {
            let more = "\nSee [its first part](article:intro#first-things).\n";
            pick(*i).iter().for_each(|p| append(p, more));
        }
        Edit::RenameHeading(away) => {
            let intro = list.iter().find(|p| p.ends_with("intro.md"));
            let name = if *away { "First steps" } else { "First things" };
            if let Some(p) = intro {
                let text = fs::read_to_string(p).expect("read");
                let out: Vec<String> = (text.lines())
                    .enumerate()
                    .map(|(n, l)| match l.starts_with("## ") && n < 10 {
                        true => format!("## {name}"),
                        false => l.to_string(),
                    })
                    .collect();
                fs::write(p, out.join("\n") + "\n").expect("write");
            }
        }
        Edit::Break(i, n) => {
            let more = format!("\nA [broken link](article:gone-{n}).\n");
            pick(*i).iter().for_each(|p| append(p, &more));
        }
        _ => unreachable!("not a text edit"),
    }
}

fn apply(root: &Path, e: &Edit) {
    let list = articles(root);
    let pick = |i: usize| list.get(i % list.len().max(1)).cloned();
    match e {
        Edit::Plain(..)
        | Edit::Section(..)
        | Edit::Lead(..)
        | Edit::LinkHeading(_)
        | Edit::RenameHeading(_)
        | Edit::Break(..) => apply_text(&list, e),
        Edit::Text(i, n) => {
            if let Some(p) = pick(*i) {
                let text = fs::read_to_string(&p).expect("read");
                fs::write(
                    &p,
                    format!("{text}\nParagraph {n} with [a link](region:member).\n"),
                )
                .expect("write");
            }
        }
        Edit::Title(i, n) => {
            if let Some(p) = pick(*i) {
                let text = fs::read_to_string(&p).expect("read");
                let out: Vec<String> = (text.lines())
                    .map(|l| match l.strip_prefix("title: ") {
                        Some(_) => format!("title: Title {n}"),
                        None => l.to_string(),
                    })
                    .collect();
                fs::write(&p, out.join("\n") + "\n").expect("write");
            }
        }
        Edit::Delete(i) => {
            if let Some(p) = pick(*i).filter(|_| list.len() > 1) {
                fs::remove_file(p).expect("delete");
            }
        }
        Edit::Move(i) => {
            if let Some(p) = pick(*i) {
                let name = p.file_name().expect("name").to_owned();
                let to = root.join("content/articles/moved").join(&name);
                if !to.exists() {
                    fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
                    fs::rename(&p, &to).expect("move");
                }
            }
        }
        Edit::New(n, link) => {
            let body = if *link {
                "See [intro](article:intro)."
            } else {
                "Plain text."
            };
            let text = format!(
                "---\ntitle: New {n}\ndate: 2026-04-{:02}\nregions: [member]\n---\n{body}\n",
                n % 28 + 1
            );
            fs::write(root.join(format!("content/articles/new-{n}.md")), text).expect("write");
        }
        Edit::Template(word) => {
            let path = root.join("templates/404.html");
            match word {
                Some(w) => {
                    let builtin = fs::read_to_string(common::repo().join("templates/404.html"))
                        .expect("builtin");
                    fs::create_dir_all(root.join("templates")).expect("mkdir");
                    let page = builtin.replace("Page not found", &format!("Not here {w}"));
                    fs::write(path, page).expect("write");
                }
                None => {
                    let _ = fs::remove_file(path);
                }
            }
        }
        Edit::Fact(kind, n) => {
            let facts = root.join("content/facts");
            match kind {
                0 => replace(
                    &facts.join("sources.yaml"),
                    "title: A report",
                    &format!("title: A report {n}"),
                ),
                1 => {
                    let path = facts.join("regions.yaml");
                    let text = fs::read_to_string(&path).expect("read");
                    let at = text.find("since: 2026-03-").expect("a since date") + 15;
                    let day = format!("{:02}", n % 28 + 1);
                    fs::write(&path, format!("{}{day}{}", &text[..at], &text[at + 2..]))
                        .expect("write");
                }
                _ => replace(
                    &facts.join("exclusions.yaml"),
                    "Private messages",
                    &format!("Private messages {n}"),
                ),
            }
        }
        Edit::Static(bytes) => {
            let path = root.join("static/extra.css");
            match bytes {
                Some(b) => {
                    fs::create_dir_all(root.join("static")).expect("mkdir");
                    fs::write(path, format!("body {{ margin: {b}px }}\n")).expect("write");
                }
                None => {
                    let _ = fs::remove_file(path);
                }
            }
        }
    }
}

/// How many rebuilds were incremental (`rebuilt …`), in all the sequences.
static PATCHED: AtomicUsize = AtomicUsize::new(0);
/// How many of them took the fast path (`--timings` says `rebuild (fast)`).
static FAST: AtomicUsize = AtomicUsize::new(0);

/// Builds `root` into `out` (under a base URL with a path when `base`, so feeds, the sitemap
/// and prefixed links are made too): whether it succeeded, and the output's files and folders.
/// What a build said of the site on stderr: its diagnostics, without notes about the cache
/// or the output folder's name.
fn said(root: &str, run: &std::process::Output) -> Vec<String> {
    (stderr(run).replace(root, "ROOT").lines())
        .filter(|l| !l.starts_with("note:") && !l.contains("was left as it was"))
        .map(str::to_string)
        .collect()
}

/// A build's outcome: whether it succeeded, the output's files and folders, and what it said.
type Built = (bool, BTreeMap<String, Vec<u8>>, Vec<String>, Vec<String>);

fn build(root: &Path, out: &Path, base: bool) -> Built {
    let (root, out_s) = (root.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    let mut args = vec!["build", "--timings", "--root", root, "--out", out_s];
    if base {
        args.extend(["--base-url", "https://example.org/sub/"]);
    }
    let run = explainer(&args);
    let ok = run.status.success();
    assert!(ok || !stderr(&run).contains("panicked"), "{}", stderr(&run));
    if stdout(&run).contains("\nrebuilt ") {
        PATCHED.fetch_add(1, Ordering::SeqCst);
    }
    if stdout(&run).contains("rebuild (fast):") {
        FAST.fetch_add(1, Ordering::SeqCst);
    }
    let dirs = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(out)
                .expect("inside")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    (
        ok,
        if out.exists() {
            snapshot(out)
        } else {
            BTreeMap::new()
        },
        dirs,
        said(root, &run),
    )
}

fn sequence((edits, base): (Vec<Edit>, bool)) -> Result<(), TestCaseError> {
    let (tmp, root) = common::fixture("basic");
    let out = tmp.path().join("public");
    let (first_ok, mut last, ..) = build(&root, &out, base);
    assert!(first_ok);
    for (step, e) in edits.iter().enumerate() {
        apply(&root, e);
        let (ok, files, dirs, says) = build(&root, &out, base);
        let fresh = tempfile::tempdir().expect("temp");
        let copy = fresh.path().join("site");
        common::copy_dir(&root, &copy);
        let _ = fs::remove_dir_all(copy.join(CACHE_DIR));
        let fresh_out = fresh.path().join("public");
        let (fresh_ok, mut want, want_dirs, want_says) = build(&copy, &fresh_out, base);
        prop_assert_eq!(ok, fresh_ok, "step {} ({:?}) of {:?}", step, e, edits);
        prop_assert_eq!(
            says,
            want_says,
            "stderr, step {} ({:?}) of {:?}",
            step,
            e,
            edits
        );
        if !ok {
            // Both failed: the last good site stays; the next edits must still agree.
            prop_assert!(files == last, "a failed build changed the output: {:?}", e);
            continue;
        }
        let differ: Vec<&String> = (files.keys().chain(want.keys()))
            .filter(|k| files.get(*k) != want.get(*k))
            .collect();
        prop_assert!(
            differ.is_empty(),
            "step {} ({:?}) of {:?}: {:?} differ",
            step,
            e,
            edits,
            differ
        );
        prop_assert_eq!(
            dirs,
            want_dirs,
            "folders after step {} of {:?}",
            step,
            &edits
        );
        want.clear();
        last = files;
    }
    Ok(())
}

#[test]
fn rebuilds_after_random_edits_equal_fresh_builds() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(8);
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x5eed_u64);
    let config = Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: 16,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let strategy = (prop::collection::vec(edit(), 1..7), any::<bool>());
    if let Err(e) = runner.run(&strategy, sequence) {
        panic!("{e}");
    }
    let patched = PATCHED.load(Ordering::SeqCst);
    let fast = FAST.load(Ordering::SeqCst);
    eprintln!("{patched} incremental rebuilds, {fast} of them fast");
    assert!(
        patched > cases as usize,
        "the engine patched too rarely: {patched}"
    );
    assert!(
        fast > cases as usize / 2,
        "the fast path ran too rarely: {fast}"
    );
}
