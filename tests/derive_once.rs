//! Derive once: a build makes one comparison and one guide per region, and exporting every
//! region from it derives nothing more. Its own test binary, so no other test moves the
//! process-wide counters.

mod common;

use std::sync::atomic::Ordering;

use explainer::commands::export::{Exporter, Format};
use explainer::derive::{COMPARISONS, GUIDES};

#[test]
fn a_build_derives_once_and_export_reuses_it() {
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

    let exporter = Exporter::new(&root, &built).expect("exporter");
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
