//! Helpers for the behaviour tests: fixture sites in temp folders, the real binary, and
//! snapshots of output folders.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use walkdir::WalkDir;

/// The repository root (where the bundled `content/` lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `tests/fixtures/NAME` in a fresh temp folder; the folder lives as long as the guard.
pub fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures").join(name), &root);
    (tmp, root)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in WalkDir::new(from) {
        let e = e.expect("walk fixture");
        let target = to.join(e.path().strip_prefix(from).expect("inside"));
        if e.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// Runs the `explainer` binary with `args`.
pub fn explainer(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(args)
        .output()
        .expect("run explainer")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every file under `dir`, relative path → bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Replaces `from` (which must occur) by `to` in `root/rel`.
pub fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).expect("read file to edit");
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write edit");
}
