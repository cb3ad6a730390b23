//! The bundled site builds to the same bytes as recorded in `tests/golden/bundled.manifest`
//! (each output file's BLAKE3 hash and size). A refactoring must keep it; a change meant to
//! alter pages updates it with `UPDATE_GOLDEN=1 cargo test --test golden`, and the diff of
//! the manifest shows in review which pages changed. Built with `--no-history`, so that the
//! bytes do not depend on the repository's log (`tests/history.rs` covers the history).

mod common;

use std::fs;

use common::{build_into_with, repo};

#[test]
fn the_bundled_site_builds_to_the_recorded_bytes() {
    // Without the history: its pages would change with every commit to content/.
    let (_tmp, out, _) = build_into_with(&repo(), &["--no-history"]);
    let built = fs::read_to_string(out.join(".explainer-manifest")).expect("the build's manifest");
    let golden = repo().join("tests/golden/bundled.manifest");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&golden, &built).expect("write the golden manifest");
        return;
    }
    let recorded = fs::read_to_string(&golden).expect("tests/golden/bundled.manifest");
    if built != recorded {
        let differs: Vec<String> = built
            .lines()
            .filter(|l| !recorded.lines().any(|r| r == *l))
            .chain(recorded.lines().filter(|l| !built.lines().any(|b| b == *l)))
            .map(|l| l.rsplit(' ').next().unwrap_or(l).to_string())
            .collect();
        panic!(
            "the bundled site's output changed ({} files differ: {}); if that is intended, run \
             UPDATE_GOLDEN=1 cargo test --test golden and commit tests/golden/bundled.manifest",
            differs.len(),
            differs.join(", ")
        );
    }
}
