//! The country finder's ranking on the bundled site: what the best match is for what readers
//! type (codes, aliases, endonyms, any case, with or without accents) and which guide Enter
//! opens. `tests/browser.rs` runs the same table through finder.js.

mod common;

use common::finder_cases::CASES;
use explainer::derive::finder::{best, rank};

#[test]
fn every_query_opens_the_right_guide_on_the_bundled_site() {
    let built = explainer::pipeline::build(&common::repo()).unwrap_or_else(|d| panic!("{d:?}"));
    let found = &built.derived.finder;
    assert!(CASES.len() >= 40);
    let mut wrong = Vec::new();
    for (query, code, url) in CASES {
        let got = best(query, found).map(|f| (f.country.code.as_str(), f.url.as_str()));
        if got != Some((*code, *url)) {
            let top: Vec<&str> = (rank(query, found).iter().take(5))
                .map(|f| f.country.code.as_str())
                .collect();
            wrong.push(format!(
                "{query:?}: want {code} {url}, got {got:?} (top {top:?})"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_guides_are_the_regions_that_list_the_country() {
    let built = explainer::pipeline::build(&common::repo()).unwrap_or_else(|d| panic!("{d:?}"));
    for (_, code, url) in CASES {
        let listing = built
            .site
            .regions
            .iter()
            .find(|r| r.countries.contains(&code.to_string()));
        let expected = match listing {
            Some(r) => format!("/regions/{}/", r.id),
            None => "/regions/rest-of-world/".to_string(),
        };
        assert_eq!(*url, expected, "{code}: the table's guide is the site's");
    }
}

#[test]
fn nothing_typed_lists_the_sites_countries_and_nonsense_finds_nothing() {
    let built = explainer::pipeline::build(&common::repo()).unwrap_or_else(|d| panic!("{d:?}"));
    let found = &built.derived.finder;
    let listed = rank("", found);
    assert!(listed.iter().all(|f| !f.other));
    assert_eq!(
        listed.len(),
        38,
        "the countries content/facts/regions.yaml names"
    );
    assert!(best("", found).is_none());
    assert!(best("zzqx", found).is_none());
    assert!(rank("zzqx", found).is_empty());
}
