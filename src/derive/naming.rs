//! Which reports name a region: a source names it when its archived text mentions the region
//! or one of its countries by name; without the archive, when one of its claims' quotes or
//! dismissed excerpts does. `check --coverage` keeps the two answers equal. Pure.

use std::collections::BTreeSet;

use serde::Serialize;

use super::passages::{Name, normalize};
use crate::derive::links::{Kind, route};
use crate::model::{Site, Source};

/// A source as a guide lists it among those naming the region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Namer {
    pub id: String,
    pub title: String,
    pub url: String,
}

/// The texts of `source` to read for names: its archived text when the build has it, else
/// its claims' quotes and its dismissed excerpts.
pub fn texts<'s>(site: &'s Site, source: &'s Source) -> Vec<&'s str> {
    if let Some(text) = site.archives.get(&source.id) {
        return vec![text.as_str()];
    }
    excerpts(site, source)
}

/// The quotes of `source`'s claims and its dismissed excerpts.
pub fn excerpts<'s>(site: &'s Site, source: &'s Source) -> Vec<&'s str> {
    let quotes = (site.claims.iter())
        .filter(|c| c.source == source.id)
        .map(|c| c.quote.as_str());
    let dismissed = source.dismissed.iter().map(|d| d.passage.as_str());
    quotes.chain(dismissed).collect()
}

/// The ids of the regions that `texts` name, by any of `names`.
pub fn regions_named(texts: &[&str], names: &[Name]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for text in texts {
        let text = normalize(text);
        let lower = text.to_lowercase();
        for n in names {
            if let Some(r) = &n.region
                && !out.contains(r)
                && n.found_in(&text, &lower)
            {
                out.insert(r.clone());
            }
        }
    }
    out
}

/// For each region (in region order), the sources that name it.
pub fn namers(site: &Site, names: &[Name]) -> Vec<(String, Vec<Namer>)> {
    let named: Vec<(&Source, BTreeSet<String>)> = (site.sources.iter())
        .map(|s| (s, regions_named(&texts(site, s), names)))
        .collect();
    (site.regions.iter())
        .map(|r| {
            let by = (named.iter())
                .filter(|(_, ids)| ids.contains(&r.id))
                .map(|(s, _)| Namer {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    url: route(Kind::Source, &s.id),
                })
                .collect();
            (r.id.clone(), by)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::passages::known_names;

    #[test]
    fn a_source_names_a_region_by_its_name_or_a_country_and_excerpts_stand_in_for_the_archive() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let mut site = crate::load::load(&root).expect("fixture loads");
        let names = known_names(&site);
        let ids = |texts: &[&str]| regions_named(texts, &names).into_iter().collect::<Vec<_>>();
        assert_eq!(ids(&["Only the group is covered."]), Vec::<String>::new());
        assert_eq!(ids(&["Members in Germany"]), ["member"]);
        assert_eq!(
            ids(&["Group of Countries and Member Land"]),
            ["group", "member"]
        );
        // Without archives, the report's quotes are read: none names a region.
        let by = namers(&site, &names);
        assert!(by.iter().all(|(_, v)| v.is_empty()), "{by:?}");
        site.archives
            .insert("report".into(), "Member Land joins later.".into());
        let by = namers(&site, &names);
        let member = &by.iter().find(|(r, _)| r == "member").unwrap().1;
        assert_eq!(member[0].id, "report");
    }
}
