//! The output folder, through the real binary: `build` writes only into a folder it owns,
//! keeps the user's files there, and publishes atomically (a kill or a full disk leaves the
//! old site or the new one, never a mix, and no temp folder after the next build).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{edit, explainer, fixture, snapshot, stderr, stdout};
use walkdir::WalkDir;

/// Every entry under `dir` (folders too, so an emptied folder shows) → its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            let bytes = e
                .file_type()
                .is_file()
                .then(|| fs::read(e.path()).expect("read"));
            (rel.to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

/// Runs `explainer build --root ROOT --out OUT` in `cwd`.
fn build_in(cwd: &Path, root: &Path, out: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_explainer"))
        .current_dir(cwd)
        .args(["build", "--root", path_str(root), "--out", out])
        .output()
        .expect("run explainer")
}

fn build(root: &Path, out: &Path) -> Output {
    explainer(&["build", "--root", path_str(root), "--out", path_str(out)])
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Names in `dir` other than those in `keep`.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

#[test]
fn a_folder_with_foreign_files_is_refused_and_left_byte_for_byte() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("mine");
    fs::create_dir_all(out.join("notes")).unwrap();
    fs::write(out.join("index.html"), "my own page").unwrap();
    fs::write(out.join("notes/todo.txt"), "keep me").unwrap();
    fs::create_dir(out.join("empty")).unwrap();
    let before = tree(&out);
    let run = build(&root, &out);
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    let err = stderr(&run);
    assert!(
        err.contains(&format!("refusing to build into {}", out.display()))
            && err.contains("no .explainer-manifest")
            && err.contains("nothing was changed"),
        "{err}"
    );
    assert_eq!(tree(&out), before);
    assert_eq!(others(tmp.path(), &["site", "mine"]), Vec::<String>::new());
}

#[test]
fn the_current_folder_the_site_root_and_its_ancestors_are_refused() {
    let (tmp, root) = fixture("basic");
    fs::write(root.join("index.html"), "looks like a site").unwrap();
    fs::write(root.join("CNAME"), "example.org").unwrap();
    let before = tree(tmp.path());
    let parent = path_str(tmp.path()).to_string();
    let cases: [(&Path, &str, &str); 6] = [
        (&root, ".", "current folder"),
        (&root, "./", "current folder"),
        (tmp.path(), path_str(&root), "site folder"),
        (tmp.path(), &parent, "current folder"),
        (&root, "..", "current folder"),
        (tmp.path(), "site/content/..", "site folder"),
    ];
    for (cwd, out, why) in cases {
        let run = build_in(cwd, &root, out);
        assert_eq!(run.status.code(), Some(1), "--out {out}: {}", stdout(&run));
        let err = stderr(&run);
        assert!(
            err.contains("refusing to build into") && err.contains(why),
            "--out {out}: {err}"
        );
        assert_eq!(tree(tmp.path()), before, "--out {out} changed something");
    }
    // A folder inside the site's sources is refused.
    let run = build(&root, &root.join("content/new/public"));
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("inside the site's content/"),
        "{}",
        stderr(&run)
    );
    assert_eq!(tree(tmp.path()), before);
    // Another site's folder (it holds content/) is refused too, even with a manifest.
    let (_other_tmp, other) = fixture("basic");
    let run = build(&other, &other.join("public"));
    assert!(run.status.success(), "{}", stderr(&run));
    fs::copy(
        other.join("public/.explainer-manifest"),
        other.join(".explainer-manifest"),
    )
    .unwrap();
    let before = tree(&other);
    let run = build(&root, &other);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("content/ folder"), "{}", stderr(&run));
    assert_eq!(tree(&other), before);
}

#[test]
fn a_cname_and_a_git_folder_survive_a_rebuild_and_a_removed_article_goes() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("public");
    assert!(build(&root, &out).status.success());
    assert!(out.join("articles/intro/index.html").is_file());
    fs::write(out.join("CNAME"), "example.org\n").unwrap();
    fs::create_dir_all(out.join(".git/objects/ab")).unwrap();
    fs::create_dir_all(out.join(".git/refs/tags")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    fs::write(out.join(".git/objects/ab/cdef"), [0u8, 1, 2, 255]).unwrap();
    let git_before = tree(&out.join(".git"));

    fs::remove_file(root.join("content/articles/intro.md")).unwrap();
    let run = build(&root, &out);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!stdout(&run).contains(" 0 removed"), "{}", stdout(&run));
    assert!(!out.join("articles/intro").exists());
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "example.org\n"
    );
    assert_eq!(tree(&out.join(".git")), git_before);
    assert_eq!(
        others(tmp.path(), &["site", "public"]),
        Vec::<String>::new()
    );

    // The manifest lists exactly the generated files, each with its size and hash.
    let manifest = fs::read_to_string(out.join(".explainer-manifest")).unwrap();
    let mut lines = manifest.lines();
    assert_eq!(lines.next(), Some("explainer-manifest 1"));
    let listed: Vec<&str> = lines.map(|l| l.splitn(3, ' ').nth(2).unwrap()).collect();
    let generated: Vec<String> = snapshot(&out)
        .into_keys()
        .filter(|k| k != "CNAME" && k != ".explainer-manifest" && !k.starts_with(".git"))
        .collect();
    assert_eq!(listed, generated);

    // A user's file exactly where a generated one must go is refused by name.
    fs::remove_dir_all(out.join("articles")).unwrap();
    fs::write(out.join("articles"), "mine").unwrap();
    let before = tree(&out);
    let run = build(&root, &out);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains(&format!("{}", out.join("articles").display())));
    assert_eq!(tree(&out), before);
}

#[test]
fn an_out_with_a_trailing_slash_works() {
    let (tmp, root) = fixture("basic");
    for _ in 0..2 {
        let run = build_in(tmp.path(), &root, "public/");
        assert!(run.status.success(), "{}", stderr(&run));
    }
    assert!(tmp.path().join("public/index.html").is_file());
    let abs = format!("{}/", tmp.path().join("public").display());
    let run = explainer(&["build", "--root", path_str(&root), "--out", &abs]);
    assert!(
        stdout(&run).contains("(0 files written"),
        "{}",
        stdout(&run)
    );
    assert_eq!(
        others(tmp.path(), &["site", "public"]),
        Vec::<String>::new()
    );
}

/// The basic fixture with `n` extra articles of about 4 KB each, titled `title`.
fn big_site(dir: &Path, n: usize, title: &str) -> PathBuf {
    let root = dir.join(title.replace(' ', "-"));
    common::copy_dir(&common::repo().join("tests/fixtures/basic"), &root);
    edit(&root, "content/site.yaml", "Fixture explainer", title);
    let body = "Some words about a policy, repeated to make a page of some size. ".repeat(60);
    for i in 0..n {
        let text = format!("---\ntitle: \"Article {i}\"\ndate: 2025-01-01\n---\n\n{body}\n");
        fs::write(root.join(format!("content/articles/a-{i:04}.md")), text).unwrap();
    }
    root
}

/// SplitMix64, for kill delays that a seed reproduces.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[test]
fn a_rebuild_killed_at_any_point_leaves_the_old_site_or_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let old_root = big_site(tmp.path(), 150, "Old title");
    let new_root = big_site(tmp.path(), 150, "New title");
    let refs = tmp.path().join("refs");
    assert!(build(&old_root, &refs.join("old")).status.success());
    assert!(build(&new_root, &refs.join("new")).status.success());
    let (old, new) = (snapshot(&refs.join("old")), snapshot(&refs.join("new")));
    assert!(
        old.iter()
            .filter(|(k, v)| k.ends_with(".html") && new.get(*k) == Some(v))
            .count()
            == 0,
        "every page changes"
    );

    // Kills land anywhere in a rebuild: the window is 1.5 times one, timed here.
    let parent = tmp.path().join("deploy");
    let out = parent.join("public");
    assert!(build(&old_root, &out).status.success());
    let started = Instant::now();
    assert!(build(&new_root, &out).status.success());
    let full = started.elapsed();
    let seed = std::env::var("KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| started.elapsed().as_nanos() as u64);
    let mut rng = seed;
    let window = full.as_micros() as u64 * 3 / 2;
    let (mut saw_old, mut saw_new) = (0, 0);
    for i in 0..20 {
        let run = build(&old_root, &out);
        assert!(run.status.success(), "{}", stderr(&run));
        assert_eq!(
            snapshot(&out),
            old,
            "rebuild of the old site after kill {i}"
        );
        assert_eq!(
            others(&parent, &["public"]),
            Vec::<String>::new(),
            "after kill {i}"
        );
        assert!(!out.join(".explainer-temp").exists());

        let delay = Duration::from_micros(next(&mut rng) % window);
        let mut child = Command::new(env!("CARGO_BIN_EXE_explainer"))
            .args([
                "build",
                "--root",
                path_str(&new_root),
                "--out",
                path_str(&out),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        let now = snapshot(&out);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!("kill {i} after {delay:?} (seed {seed}) left a mix of the old and new sites");
        }
    }
    let run = build(&new_root, &out);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(snapshot(&out), new);
    assert_eq!(others(&parent, &["public"]), Vec::<String>::new());
    eprintln!(
        "seed {seed}: 20 kills within {window} us: {saw_old} left the old site, {saw_new} the new"
    );
}

/// A small tmpfs mounted on a temp folder (needs root); unmounted when dropped.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

#[test]
fn a_full_disk_leaves_the_last_site_whole_and_no_temp() {
    let Some(disk) = Tmpfs::mount("8m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let old_root = big_site(tmp.path(), 100, "Old title");
    let new_root = big_site(tmp.path(), 100, "New title");
    let out = disk.0.path().join("public");
    assert!(build(&old_root, &out).status.success());
    let old = snapshot(&out);
    let pages = old.keys().filter(|k| k.ends_with(".html")).count() as u64;

    // Fill the disk, then free room for about half of the new pages.
    let ballast = disk.0.path().join("ballast");
    {
        use std::io::Write;
        let mut f = fs::File::create(&ballast).unwrap();
        let chunk = vec![7u8; 64 * 1024];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.flush();
        let len = fs::metadata(&ballast).unwrap().len();
        f.set_len(len.saturating_sub(pages / 2 * 8192)).unwrap();
    }
    let run = build(&new_root, &out);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    assert!(
        err.contains("No space left on device") && err.contains(path_str(disk.0.path())),
        "{err}"
    );
    assert_eq!(snapshot(&out), old);
    assert_eq!(
        others(disk.0.path(), &["public", "ballast"]),
        Vec::<String>::new()
    );

    fs::remove_file(&ballast).unwrap();
    let run = build(&new_root, &out);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(page_has(&out, "index.html", "New title"));
}

fn page_has(out: &Path, rel: &str, text: &str) -> bool {
    fs::read_to_string(out.join(rel)).is_ok_and(|p| p.contains(text))
}

/// `build` writes each page into a temp folder beside the output as it renders: a build that
/// fails after that (a broken link, found once every page is out; a template error on one
/// page) leaves the last site byte for byte and no temp folder, and says where the error is.
#[test]
fn a_build_failing_after_its_pages_are_written_leaves_the_last_site() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("public");
    assert!(build(&root, &out).status.success());
    let old = tree(&out);
    edit(
        &root,
        "content/articles/intro.md",
        "## Details",
        "See [the FAQ](/faq/).\n\n## Details",
    );
    let run = build(&root, &out);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("error: broken link `/faq/`"), "{err}");
    assert!(err.contains("was left as it was"), "{err}");
    assert_eq!(tree(&out), old);
    assert_eq!(
        others(tmp.path(), &["site", "public"]),
        Vec::<String>::new()
    );

    edit(
        &root,
        "content/articles/intro.md",
        "See [the FAQ](/faq/).",
        "",
    );
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/article.html"),
        "{% extends \"base.html\" %}{% block content %}{{ page.no_such_field }}{% endblock %}",
    )
    .unwrap();
    let run = build(&root, &out);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("templates/article.html"), "{err}");
    assert_eq!(tree(&out), old);
    assert_eq!(
        others(tmp.path(), &["site", "public"]),
        Vec::<String>::new()
    );

    fs::remove_file(root.join("templates/article.html")).unwrap();
    let run = build(&root, &out);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(tree(&out), old);
}
