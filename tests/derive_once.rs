//! Derive once: a build makes one comparison and one guide per region; exporting every region
//! from it derives nothing more, and an incremental rebuild derives once. Its own test binary,
//! and one test at a time (`SERIAL`), so nothing else moves the process-wide counters.

mod common;

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::Ordering;

use explainer::commands::export::{Exporter, Format};
use explainer::derive::{COMPARISONS, GUIDES};
use explainer::pipeline::incremental::Session;

/// The counters are process-wide: the tests here take turns.
static SERIAL: Mutex<()> = Mutex::new(());

#[test]
fn a_build_derives_once_and_export_reuses_it() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let root = common::repo();
    let (comparisons, guides) = (
        COMPARISONS.load(Ordering::SeqCst),
        GUIDES.load(Ordering::SeqCst),
    );
    let built = explainer::pipeline::build(&root).unwrap_or_else(|d| panic!("{d:?}"));
    let regions = built.site.regions.iter().count();
    assert!(regions > 1);
    assert_eq!(COMPARISONS.load(Ordering::SeqCst) - comparisons, 1);
    assert_eq!(GUIDES.load(Ordering::SeqCst) - guides, regions);
    assert_eq!(built.derived.guides.len(), regions);

    let exporter = Exporter::new(&built);
    for region in built.site.regions.iter() {
        for format in [Format::Html, Format::Markdown, Format::Json] {
            exporter.export(region, format).expect("export");
        }
    }
    assert_eq!(
        COMPARISONS.load(Ordering::SeqCst) - comparisons,
        1,
        "export compares again"
    );
    assert_eq!(
        GUIDES.load(Ordering::SeqCst) - guides,
        regions,
        "export derives guides again"
    );
}

#[test]
fn an_incremental_rebuild_derives_once() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (_guard, root) = common::fixture("basic");
    let built = explainer::pipeline::build(&root).unwrap_or_else(|d| panic!("{d:?}"));
    let regions = built.site.regions.iter().count();
    let mut built = Session::new(built);
    let (comparisons, guides) = (
        COMPARISONS.load(Ordering::SeqCst),
        GUIDES.load(Ordering::SeqCst),
    );
    let article = PathBuf::from("content/articles/intro.md");
    let text = std::fs::read_to_string(root.join(&article)).expect("read article");
    std::fs::write(root.join(&article), format!("{text}\nOne more sentence.\n")).expect("edit");
    let rebuilt = built
        .rebuild(&[article])
        .unwrap_or_else(|d| panic!("{d:?}"));
    assert!(!rebuilt.full, "an article edit is patched in place");
    // The engine derives again (a millisecond), once: not per page it renders.
    assert_eq!(COMPARISONS.load(Ordering::SeqCst) - comparisons, 1);
    assert_eq!(GUIDES.load(Ordering::SeqCst) - guides, regions);
}
