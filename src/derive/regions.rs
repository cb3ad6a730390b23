//! The region hierarchy: the groups a region belongs to (through `part_of`, transitively) and
//! the regions that belong to a group. Guides inherit statuses along it; the comparison
//! expands groups with it.

use crate::model::{Region, Site};

/// The groups `region` is part of, transitively, nearest first, each once.
pub fn ancestors<'a>(site: &'a Site, region: &Region) -> Vec<&'a Region> {
    let mut out: Vec<&Region> = Vec::new();
    let mut queue: Vec<&str> = region.part_of.iter().map(String::as_str).collect();
    let mut i = 0;
    while i < queue.len() {
        if let Some(r) = site.regions.get(queue[i]) {
            if r.id != region.id && !out.iter().any(|o| o.id == r.id) {
                out.push(r);
                queue.extend(r.part_of.iter().map(String::as_str));
            }
        }
        i += 1;
    }
    out
}

/// The regions that are part of `region`, transitively.
pub fn members<'a>(site: &'a Site, region: &Region) -> Vec<&'a Region> {
    site.regions
        .iter()
        .filter(|r| r.id != region.id && ancestors(site, r).iter().any(|a| a.id == region.id))
        .collect()
}
