//! The offline search index of the bundled site (`derive::search`, `render::search`): what
//! each kind of page is found by, ranking by field weight, prefix and AND matching, and
//! byte-identical index files on every build.

use explainer::derive::search::{self, Doc, Index};

fn bundled() -> Index {
    let built = explainer::pipeline::build(&explainer_root()).unwrap_or_else(|d| panic!("{d:?}"));
    search::index(&built.site, &built.derived)
}

fn explainer_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn first<'i>(index: &'i Index, q: &str) -> &'i Doc {
    let hits = search::query(index, q);
    let d = hits
        .first()
        .unwrap_or_else(|| panic!("nothing found for {q:?}"));
    &index.docs[*d]
}

#[test]
fn every_kind_of_page_is_found_by_its_own_words() {
    let index = bundled();
    let cases = [
        ("checklist", "/articles/how-to-opt-out/", "Article"),
        ("leverage", "/questions/effective-date/", "Question"),
        ("beforehand", "/regions/eu/", "Region guide"),
        ("endorsements", "/categories/profile/", "Category"),
        ("Britain", "/regions/uk/", "Region guide"),
    ];
    for (q, url, section) in cases {
        let d = first(&index, q);
        assert_eq!(
            (d.url.as_str(), search::SECTIONS[d.section as usize]),
            (url, section),
            "{q}"
        );
    }
}

#[test]
fn titles_outrank_bodies_and_words_are_anded() {
    let index = bundled();
    // The category titled "Profile" comes before the pages that only mention profiles.
    let d = first(&index, "profile");
    assert_eq!(d.url, "/categories/profile/");
    let profile = search::query(&index, "profile");
    assert!(profile.len() > 3, "others mention it too: {profile:?}");
    let both = search::query(&index, "opt out");
    let out = search::query(&index, "out");
    assert!(!both.is_empty() && both.len() <= out.len());
    assert!(both.iter().all(|d| out.contains(d)));
    assert!(search::query(&index, "checklist zzzqqq").is_empty());
}

#[test]
fn the_last_word_matches_as_a_prefix_and_case_and_accents_fold() {
    let index = bundled();
    assert_eq!(first(&index, "check").url, first(&index, "checklist").url);
    assert_eq!(first(&index, "CHÉCKLIST").url, "/articles/how-to-opt-out/");
    // Only the last word is a prefix.
    assert!(
        search::query(&index, "check opt").len() >= search::query(&index, "checklist opt").len()
    );
    assert!(search::query(&index, "checkl out").is_empty());
}

#[test]
fn index_files_are_byte_identical_across_builds() {
    let a = explainer::pipeline::build(&explainer_root()).unwrap_or_else(|d| panic!("{d:?}"));
    let b = explainer::pipeline::build(&explainer_root()).unwrap_or_else(|d| panic!("{d:?}"));
    let files = |x: &explainer::pipeline::Built| {
        (x.output.files.iter())
            .filter(|(p, _)| explainer::pipeline::is_search_file(p))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    assert!(files(&a).len() >= 3);
    assert_eq!(files(&a), files(&b));
}
