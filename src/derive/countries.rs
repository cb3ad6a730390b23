//! The names of every ISO 3166-1 country, for the country finder: vendored data compiled in
//! from `data/countries/` (its README says where it comes from). `names.tsv` is generated
//! from Unicode CLDR by `scripts/country-names.py`: alpha-2, alpha-3, the English display
//! name, CLDR's English alternates and the endonyms in the country's official languages.
//! `aliases.tsv` adds the few everyday names CLDR lacks (`England` → GB). Generic country
//! data: nothing here knows a policy or a site.

use std::collections::BTreeMap;

const NAMES: &str = include_str!("../../data/countries/names.tsv");
const ALIASES: &str = include_str!("../../data/countries/aliases.tsv");

/// One country's names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub alpha2: String,
    pub alpha3: String,
    /// The English display name (`United Kingdom`, `Côte d’Ivoire`).
    pub english: String,
    /// CLDR's English alternates (`UK`, `Ivory Coast`) and the hand-kept aliases (`England`).
    pub aliases: Vec<String>,
    /// Its name in its official languages (`Schweiz`, `Suisse`, `Svizzera`).
    pub endonyms: Vec<String>,
}

/// Every country of the vendored tables, by alpha-2 code. A malformed line is skipped (the
/// tables are generated; `tests` below read them whole).
pub fn all() -> BTreeMap<String, Names> {
    let mut out = BTreeMap::new();
    for line in rows(NAMES) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [alpha2, alpha3, english, alternates, endonyms] = cols[..] else {
            continue;
        };
        out.insert(
            alpha2.to_string(),
            Names {
                alpha2: alpha2.to_string(),
                alpha3: alpha3.to_string(),
                english: english.to_string(),
                aliases: list(alternates),
                endonyms: list(endonyms),
            },
        );
    }
    for line in rows(ALIASES) {
        let data = line.split('#').next().unwrap_or_default();
        let Some((code, alias)) = data.split_once('\t') else {
            continue;
        };
        if let Some(names) = out.get_mut(code.trim()) {
            names.aliases.push(alias.trim().to_string());
        }
    }
    out
}

/// The lines of a table that hold data: not blank, not a `#` comment.
fn rows(table: &str) -> impl Iterator<Item = &str> {
    table
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// A `|`-separated list; empty for an empty column.
fn list(col: &str) -> Vec<String> {
    col.split('|')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_tables_is_read() {
        let all = all();
        assert_eq!(all.len(), rows(NAMES).count(), "no malformed line");
        assert!(all.len() >= 240, "every ISO 3166-1 country: {}", all.len());
        for code in all.keys() {
            assert!(
                rust_iso3166::from_alpha2(code).is_some(),
                "{code} is an ISO 3166-1 code"
            );
        }
        let aliases = rows(ALIASES).count();
        let read: usize = (all.values())
            .map(|n| {
                n.aliases
                    .iter()
                    .filter(|a| ALIASES.contains(a.as_str()))
                    .count()
            })
            .sum();
        assert!(read >= aliases, "every alias line names a known country");
    }

    #[test]
    fn names_come_from_cldr_and_the_alias_table() {
        let all = all();
        let ch = &all["CH"];
        assert_eq!(
            (ch.alpha3.as_str(), ch.english.as_str()),
            ("CHE", "Switzerland")
        );
        assert!(ch.endonyms.iter().any(|n| n == "Suisse"));
        assert!(all["GB"].aliases.contains(&"UK".to_string()));
        assert!(all["GB"].aliases.contains(&"England".to_string()));
        assert_eq!(all["DE"].endonyms, ["Deutschland"]);
    }
}
