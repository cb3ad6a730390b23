//! The build cache (`.explainer-cache/` in the site folder), through the real binary: a
//! rebuild with nothing changed does nothing and touches no output file; an edit, a deleted,
//! damaged or foreign cache, or another binary all give the bytes of a fresh build.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{edit, explainer, fixture, snapshot, stderr, stdout};
use explainer::publish::output::cache::{self, CACHE_DIR};

fn build(root: &Path, out: &Path) -> Output {
    let run = explainer(&[
        "build",
        "--root",
        root.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    run
}

/// The bytes a fresh build of `root` gives: no cache, a new output folder.
fn fresh(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let tmp = tempfile::tempdir().expect("temp");
    let copy = tmp.path().join("site");
    common::copy_dir(root, &copy);
    let _ = fs::remove_dir_all(copy.join(CACHE_DIR));
    let out = tmp.path().join("public");
    build(&copy, &out);
    snapshot(&out)
}

fn cache_file(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join("build")
}

fn state_file(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join("state")
}

#[cfg(unix)]
fn stamps(out: &Path) -> Vec<(String, u64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.expect("walk"))
        .map(|e| {
            let m = e.metadata().expect("stat");
            let name = e.path().to_string_lossy().into_owned();
            // A file read updates its atime (not later than its mtime: relatime updates it);
            // a folder's changes when this walk lists it.
            // The manifest is read (it is explainer's own, not a page).
            let read = m.is_file() && !name.ends_with(".explainer-manifest");
            let atime = if read { m.atime_nsec() } else { 0 };
            (name, m.ino(), m.mtime_nsec(), atime)
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn nothing_changed_touches_nothing_and_a_touch_is_not_a_change() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("public");
    let first = build(&root, &out);
    assert!(!stdout(&first).contains("nothing changed"));
    let before = stamps(&out);
    let again = build(&root, &out);
    assert!(
        stdout(&again).starts_with("nothing changed"),
        "{}",
        stdout(&again)
    );
    assert!(stdout(&again).contains("0 files written"));
    // The warnings and notes of the cached build are said again.
    assert_eq!(stderr(&again), stderr(&first));
    assert_eq!(
        stamps(&out),
        before,
        "no output file read, written or replaced"
    );
    // Same bytes, new times: hashed, found unchanged.
    let intro = root.join("content/articles/intro.md");
    fs::write(&intro, fs::read(&intro).unwrap()).unwrap();
    let touched = build(&root, &out);
    assert!(stdout(&touched).starts_with("nothing changed"));
    assert_eq!(stamps(&out), before);
    assert!(
        fs::read_to_string(root.join(CACHE_DIR).join(".gitignore"))
            .unwrap()
            .contains('*')
    );
}

#[test]
fn an_edit_a_new_article_a_static_file_and_a_template_give_the_bytes_of_a_fresh_build() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("public");
    build(&root, &out);
    edit(
        &root,
        "content/articles/intro.md",
        "## Details",
        "## More details",
    );
    let run = build(&root, &out);
    assert!(!stdout(&run).contains("nothing changed"));
    assert_eq!(snapshot(&out), fresh(&root));
    assert!(stdout(&build(&root, &out)).starts_with("nothing changed"));
    fs::write(
        root.join("content/articles/new.md"),
        "---\ntitle: New\ndate: 2026-03-04\n---\nNew text.\n",
    )
    .unwrap();
    build(&root, &out);
    assert!(snapshot(&out).contains_key("articles/new/index.html"));
    assert_eq!(snapshot(&out), fresh(&root));
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/extra.txt"), "x").unwrap();
    build(&root, &out);
    assert_eq!(snapshot(&out)["extra.txt"], b"x");
    assert_eq!(snapshot(&out), fresh(&root));
    // A template the site overrides.
    let builtin = fs::read_to_string(common::repo().join("templates/404.html")).unwrap();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/404.html"),
        builtin.replace("Page not found", "Nothing here (site's)"),
    )
    .unwrap();
    assert!(!stdout(&build(&root, &out)).contains("nothing changed"));
    let page = String::from_utf8(snapshot(&out)["404.html"].clone()).unwrap();
    assert!(page.contains("Nothing here (site's)"), "{page}");
    assert_eq!(snapshot(&out), fresh(&root));
}

#[test]
fn a_deleted_damaged_or_foreign_cache_gives_a_full_build_with_a_note() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("public");
    build(&root, &out);
    let want = fresh(&root);
    let text = fs::read_to_string(cache_file(&root)).unwrap();
    let damaged = [
        text[..text.len() / 2].to_string(),
        text.replace("pages ", "pages 1"),
        "garbage\n\u{1}\u{2}".to_string(),
        String::new(),
    ];
    let intro = root.join("content/articles/intro.md");
    let original = fs::read_to_string(&intro).unwrap();
    for (i, bad) in damaged.iter().enumerate() {
        // An edit the damaged cache must not hide.
        fs::write(&intro, format!("{original}\nEdit {i}.\n")).unwrap();
        fs::write(cache_file(&root), bad).unwrap();
        let run = build(&root, &out);
        assert!(
            stderr(&run).contains("note: the build cache is unusable"),
            "{}",
            stderr(&run)
        );
        assert!(!stdout(&run).contains("nothing changed"));
        assert_eq!(snapshot(&out), fresh(&root));
    }
    fs::write(&intro, original).unwrap();
    fs::write(cache_file(&root), [0xff, 0xfe, 0]).unwrap();
    build(&root, &out);
    assert_eq!(snapshot(&out), want);
    fs::remove_dir_all(root.join(CACHE_DIR)).unwrap();
    let run = build(&root, &out);
    assert!(!stderr(&run).contains("build cache"), "{}", stderr(&run));
    assert_eq!(snapshot(&out), want);
    // Another binary: its cache is not trusted.
    let mut c = cache::load(&root).unwrap().expect("a cache");
    c.binary = "0.0.0 other".into();
    cache::store(&root, &c).unwrap();
    let run = build(&root, &out);
    assert!(stderr(&run).contains("note: explainer changed since the cached build"));
    assert_eq!(snapshot(&out), want);
    assert!(stdout(&build(&root, &out)).starts_with("nothing changed"));
}

#[test]
fn options_output_folder_and_archives_are_part_of_the_key() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("public");
    build(&root, &out);
    let other = tmp.path().join("other");
    assert!(!stdout(&build(&root, &other)).contains("nothing changed"));
    assert!(!stdout(&build(&root, &out)).contains("nothing changed"));
    // A damaged output is made again.
    fs::remove_file(out.join("index.html")).unwrap();
    assert!(!stdout(&build(&root, &out)).contains("nothing changed"));
    assert_eq!(snapshot(&out), fresh(&root));
    let r = root.to_str().unwrap();
    let o = out.to_str().unwrap();
    let drafts = explainer(&["build", "--root", r, "--out", o, "--drafts"]);
    assert!(!stdout(&drafts).contains("nothing changed"));
    assert!(!stdout(&build(&root, &out)).contains("nothing changed"));
    // The archive folder, once site.yaml names it, is fingerprinted too.
    edit(
        &root,
        "content/site.yaml",
        "title: Fixture explainer\n",
        "title: Fixture explainer\narchive_dir: archive\n",
    );
    build(&root, &out);
    build(&root, &out);
    assert!(stdout(&build(&root, &out)).starts_with("nothing changed"));
    let report = root.join("archive/report.txt");
    let text = fs::read_to_string(&report).unwrap();
    fs::write(&report, text.replacen("a", "A", 1)).unwrap();
    assert!(!stdout(&build(&root, &out)).contains("nothing changed"));
    assert_eq!(snapshot(&out), fresh(&root));
}

#[test]
fn a_site_folder_without_room_for_the_cache_still_builds() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("public");
    fs::write(root.join(CACHE_DIR), "not a folder").unwrap();
    let run = build(&root, &out);
    assert!(
        stderr(&run).contains("note: could not write the build cache"),
        "{}",
        stderr(&run)
    );
    assert_eq!(snapshot(&out), fresh(&root));
    let again = build(&root, &out);
    assert!(!stdout(&again).contains("nothing changed"));
    assert_eq!(
        fs::read_to_string(root.join(CACHE_DIR)).unwrap(),
        "not a folder"
    );
}

#[test]
fn an_edit_is_rebuilt_incrementally_and_a_damaged_or_missing_state_builds_in_full() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("public");
    build(&root, &out);
    assert!(state_file(&root).is_file());
    let intro = root.join("content/articles/intro.md");
    let original = fs::read_to_string(&intro).unwrap();
    fs::write(&intro, format!("{original}\nOne more line.\n")).unwrap();
    let run = build(&root, &out);
    assert!(
        stdout(&run).starts_with("rebuilt 1 of "),
        "{}",
        stdout(&run)
    );
    assert_eq!(snapshot(&out), fresh(&root));
    let state = fs::read(state_file(&root)).unwrap();
    let mut flipped = state.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    let damaged: [Option<Vec<u8>>; 4] = [
        Some(state[..state.len() / 2].to_vec()),
        Some(flipped),
        Some(b"garbage".to_vec()),
        None,
    ];
    for (i, bad) in damaged.into_iter().enumerate() {
        fs::write(&intro, format!("{original}\nEdit {i}.\n")).unwrap();
        match bad {
            Some(bytes) => fs::write(state_file(&root), bytes).unwrap(),
            None => fs::remove_file(state_file(&root)).unwrap(),
        }
        let run = build(&root, &out);
        assert!(stdout(&run).starts_with("built "), "{}", stdout(&run));
        assert_eq!(snapshot(&out), fresh(&root));
    }
    // A state made by another build than the one the cache remembers is not used either.
    fs::write(&intro, format!("{original}\nAgain.\n")).unwrap();
    fs::write(state_file(&root), &state).unwrap();
    assert!(stdout(&build(&root, &out)).starts_with("built "));
    assert_eq!(snapshot(&out), fresh(&root));
}

#[test]
fn a_rebuild_killed_while_patching_is_followed_by_a_full_build() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("public");
    build(&root, &out);
    let manifest = fs::read_to_string(out.join(".explainer-manifest")).unwrap();
    // What a patch leaves before its files are written: the page it replaces marked unknown,
    // and here the old bytes changed under it (as a half-done write would).
    let page = "articles/intro/index.html";
    let unknown = "0".repeat(64);
    let marked: String = (manifest.lines())
        .map(|l| match l.strip_suffix(page) {
            Some(head) => format!("{unknown} {}{page}\n", &head[65..]),
            None => format!("{l}\n"),
        })
        .collect();
    assert_ne!(marked, manifest);
    fs::write(out.join(".explainer-manifest"), marked).unwrap();
    // Same size, other bytes: only the unknown hash keeps the next build from keeping it.
    let bytes = fs::read(out.join(page)).unwrap();
    fs::write(out.join(page), vec![b'x'; bytes.len()]).unwrap();
    let run = build(&root, &out);
    assert!(stdout(&run).starts_with("built "), "{}", stdout(&run));
    assert_eq!(snapshot(&out), fresh(&root));
}
