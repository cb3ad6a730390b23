//! The home page's country finder: every country mapped to its guide, with the names a reader
//! may type for it, and the ranking of countries for a query. `static/finder.js` repeats
//! [`fold`] and [`rank`] line for line over the terms this writes into the page
//! (`tests/browser.rs` checks that both agree).
//!
//! A country listed in a region's `countries` goes to that region's guide (the first region
//! listing it, in file order); every other ISO 3166-1 country goes to the `elsewhere: true`
//! region's guide when the site has one, and is left out when it has none.
//!
//! Terms, by kind: its alpha-2 and alpha-3 codes; its English and ISO names; aliases (CLDR's
//! English alternates, the vendored alias table, the region's `aliases:`); its endonyms; the
//! name of its region. Ranking, best first: a term equal to the query (a code only matches
//! so), then a name starting with it, then a word of a name starting with it, then a name
//! containing it; ties go to the lower kind, then to the list's order (by name).

use std::collections::BTreeMap;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::derive::countries::{self, Names};
use crate::derive::guides::{Country, country};
use crate::derive::links::{Kind, route};
use crate::model::{Region, Site};

/// The kinds of term, in ranking order: the digit that leads each term in [`Found::terms`].
pub const CODE: u8 = 0;
pub const NAME: u8 = 1;
pub const ALIAS: u8 = 2;
pub const ENDONYM: u8 = 3;
pub const REGION: u8 = 4;

/// A country in the finder, and its region's guide.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    /// Its English name (CLDR's) and alpha-2 code.
    pub country: Country,
    /// The region's name.
    pub region: String,
    pub url: String,
    /// In no region of the site: its guide is the `elsewhere` region's. Listed only when
    /// the query matches it (and always without the script).
    pub other: bool,
    /// Its terms, folded ([`fold`]), each led by its kind's digit, `|` between:
    /// `0us|0usa|1united states|2america`.
    pub terms: String,
    #[serde(skip)]
    pub id: String,
}

impl Found {
    /// Its terms as (kind, folded text).
    pub fn terms(&self) -> impl Iterator<Item = (u8, &str)> {
        self.terms.split('|').filter_map(|t| {
            let kind = t.bytes().next()?.checked_sub(b'0')?;
            Some((kind, t.get(1..)?))
        })
    }
}

/// Case-, accent- and punctuation-insensitive form: decomposed, marks dropped, lower case, a
/// few letters that do not decompose spelled out (`ß` → `ss`, `ø` → `o`), and every run of
/// characters that are neither letters nor digits one space (`Côte d’Ivoire` → `cote d ivoire`).
pub fn fold(text: &str) -> String {
    let bare: String = text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect();
    let mut out = String::with_capacity(bare.len());
    for c in bare.to_lowercase().chars() {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'þ' => out.push_str("th"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'ı' => out.push('i'),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How well a folded `term` of `kind` matches the folded query `q`: 0 equal, 1 the term
/// starts with it, 2 a word of the term does, 3 the term contains it. Codes match only whole.
pub fn tier(q: &str, kind: u8, term: &str) -> Option<u8> {
    if term == q {
        Some(0)
    } else if kind == CODE {
        None
    } else if term.starts_with(q) {
        Some(1)
    } else if term.contains(&format!(" {q}")) {
        Some(2)
    } else if term.contains(q) {
        Some(3)
    } else {
        None
    }
}

/// A country's best (tier, kind) for the folded query `q`, if any term matches.
pub fn score(q: &str, found: &Found) -> Option<(u8, u8)> {
    (found.terms())
        .filter_map(|(kind, term)| tier(q, kind, term).map(|t| (t, kind)))
        .min()
}

/// The countries the finder lists for `query`, best first: every match ranked, ties in list
/// order. An empty query lists the countries the site names, in list order.
pub fn rank<'f>(query: &str, found: &'f [Found]) -> Vec<&'f Found> {
    let q = fold(query);
    if q.is_empty() {
        return found.iter().filter(|f| !f.other).collect();
    }
    let mut hits: Vec<((u8, u8), usize)> = (found.iter().enumerate())
        .filter_map(|(i, f)| score(&q, f).map(|s| (s, i)))
        .collect();
    hits.sort_unstable();
    hits.into_iter().map(|(_, i)| &found[i]).collect()
}

/// The guide Enter opens for `query`: the best match's.
pub fn best<'f>(query: &str, found: &'f [Found]) -> Option<&'f Found> {
    if fold(query).is_empty() {
        return None;
    }
    rank(query, found).into_iter().next()
}

/// Every country mapped to its region, sorted by folded English name (see the module doc).
pub fn finder(site: &Site) -> Vec<Found> {
    let names = countries::all();
    let mut placed: BTreeMap<&str, &Region> = BTreeMap::new();
    for r in site.regions.iter() {
        for code in &r.countries {
            placed.entry(code.as_str()).or_insert(r);
        }
    }
    let mut out: Vec<Found> = placed
        .iter()
        .map(|(code, r)| found(code, names.get(*code), r, false))
        .collect();
    if let Some(elsewhere) = site.regions.iter().find(|r| r.elsewhere) {
        out.extend(
            (names.iter())
                .filter(|(code, _)| !placed.contains_key(code.as_str()))
                .map(|(code, n)| found(code, Some(n), elsewhere, true)),
        );
    }
    out.sort_by_cached_key(|f| (fold(&f.country.name), f.country.name.clone(), f.id.clone()));
    out
}

/// One country's entry: its names (the ISO name alone when the tables lack the code) and,
/// when the site places it, its region's name and aliases.
fn found(code: &str, names: Option<&Names>, region: &Region, other: bool) -> Found {
    let iso = country(code);
    let fallback = Names {
        alpha2: code.to_string(),
        english: iso.name.clone(),
        ..Names::default()
    };
    let n = names.unwrap_or(&fallback);
    let mut terms: Vec<(u8, &str)> = vec![(CODE, &n.alpha2), (CODE, &n.alpha3)];
    terms.extend([(NAME, n.english.as_str()), (NAME, iso.name.as_str())]);
    terms.extend(n.aliases.iter().map(|a| (ALIAS, a.as_str())));
    terms.extend(n.endonyms.iter().map(|e| (ENDONYM, e.as_str())));
    if !other {
        terms.extend(region.aliases.iter().map(|a| (ALIAS, a.as_str())));
        terms.push((REGION, &region.name));
    }
    Found {
        country: Country {
            name: n.english.clone(),
            code: code.to_string(),
        },
        region: region.name.clone(),
        url: route(Kind::Region, &region.id),
        other,
        terms: encode(&terms),
        id: region.id.clone(),
    }
}

/// Terms folded, each once (at its lowest kind), as `KIND` + text joined by `|`.
fn encode(terms: &[(u8, &str)]) -> String {
    let mut seen: Vec<(u8, String)> = Vec::new();
    for (kind, text) in terms {
        let folded = fold(text);
        if folded.is_empty() || seen.iter().any(|(_, t)| *t == folded) {
            continue;
        }
        seen.push((*kind, folded));
    }
    seen.sort_by_key(|(kind, _)| *kind);
    (seen.iter())
        .map(|(kind, t)| format!("{kind}{t}"))
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        crate::load::load(&root).expect("fixture loads")
    }

    #[test]
    fn folding_drops_case_accents_and_punctuation() {
        assert_eq!(fold("Côte d’Ivoire"), "cote d ivoire");
        assert_eq!(fold("  ÖSTERREICH "), "osterreich");
        assert_eq!(fold("España"), "espana");
        assert_eq!(fold("Færøerne"), "faeroerne");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("St. Kitts & Nevis"), "st kitts nevis");
        assert_eq!(fold("Россия"), "россия");
        assert_eq!(fold("?!"), "");
    }

    #[test]
    fn tiers_rank_exact_then_prefix_then_word_then_substring() {
        assert_eq!(tier("us", CODE, "us"), Some(0));
        assert_eq!(tier("u", CODE, "us"), None, "codes match only whole");
        assert_eq!(tier("ger", NAME, "germany"), Some(1));
        assert_eq!(tier("states", NAME, "united states"), Some(2));
        assert_eq!(tier("ger", NAME, "algeria"), Some(3));
        assert_eq!(tier("x", NAME, "germany"), None);
    }

    #[test]
    fn the_finder_maps_named_countries_to_their_region_and_the_rest_elsewhere() {
        let site = fixture();
        let found = finder(&site);
        let of = |code: &str| found.iter().find(|f| f.country.code == code).expect(code);
        assert_eq!((of("FR").id.as_str(), of("FR").other), ("member", false));
        assert_eq!((of("DE").id.as_str(), of("DE").other), ("member", false));
        assert_eq!((of("BR").id.as_str(), of("BR").other), ("elsewhere", true));
        assert!(found.len() >= 240, "every country");
        let listed: Vec<&str> = (rank("", &found).into_iter())
            .map(|f| f.country.code.as_str())
            .collect();
        assert_eq!(
            listed,
            ["FR", "DE"],
            "the site's own, by name, when nothing is typed"
        );
    }

    #[test]
    fn terms_are_folded_once_each_at_their_lowest_kind() {
        let site = fixture();
        let found = finder(&site);
        let de = found.iter().find(|f| f.country.code == "DE").expect("DE");
        assert!(
            de.terms.starts_with("0de|0deu|1germany|3deutschland"),
            "{}",
            de.terms
        );
        let us = found.iter().find(|f| f.country.code == "US").expect("US");
        assert_eq!(us.terms().filter(|(_, t)| *t == "us").count(), 1);
        assert!(us.terms().any(|t| t == (ALIAS, "america")));
    }

    #[test]
    fn exact_codes_beat_names_that_contain_them() {
        let site = fixture();
        let found = finder(&site);
        for (q, code) in [
            ("US", "US"),
            ("in", "IN"),
            ("CH", "CH"),
            ("br", "BR"),
            ("uk", "GB"),
        ] {
            assert_eq!(
                best(q, &found).map(|f| f.country.code.as_str()),
                Some(code),
                "{q}"
            );
        }
        assert!(best("  ", &found).is_none());
        assert!(best("atlantis", &found).is_none());
    }
}
