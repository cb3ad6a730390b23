//! Derivation, pure functions of the model: `markdown` and `links` render Markdown with
//! cross-links resolved; `routes` holds the site's addresses; `regions` walks the region
//! hierarchy; `compare` and `guides` make the comparison and the region guides, `finder` the
//! home page's country finder (names from `countries`), which `derive` runs once per build
//! into `Derived`; `search` the offline search index (its tokenizer: `search_terms`), made
//! once per build by the pipeline.

pub mod annotate;
pub mod answers;
pub mod compare;
pub mod countries;
pub mod diff;
pub mod evidence;
pub mod finder;
pub mod guides;
pub mod history;
pub mod links;
pub mod markdown;
pub mod naming;
pub mod passages;
pub mod regions;
pub mod routes;
pub mod search;
pub mod search_terms;
pub mod search_update;
pub mod summary;

use std::sync::atomic::AtomicUsize;

use crate::model::Site;

/// How many comparisons (`compare::compare`) this process has made: a build makes one, and
/// nothing after it makes another (`tests/derive_once.rs`).
pub static COMPARISONS: AtomicUsize = AtomicUsize::new(0);
/// How many region guides (`guides::guide`) this process has derived: one per region per build.
pub static GUIDES: AtomicUsize = AtomicUsize::new(0);

/// Everything derived from a linked site, computed once per build (`pipeline::build`) and read
/// by every consumer: `check`, the page contexts, the comparison JSON, `export`, and serve's
/// incremental rebuilds.
///
/// The derived values own their data (copies of the entries they show) rather than borrow
/// the `Site`: `Built` holds both the site and this, and owned values need no self-reference,
/// no `Arc` and no index-to-entry lookups in every consumer. The copies are small beside the
/// rendered pages.
#[derive(Debug, Clone)]
pub struct Derived {
    pub comparison: compare::Comparison,
    /// One guide per region, in region order.
    pub guides: Vec<guides::Guide>,
    /// The country finder, by country name.
    pub finder: Vec<finder::Found>,
    /// Each source's annotated archive copy, by source id, when its archived text was read.
    pub annotated: std::collections::BTreeMap<String, Vec<annotate::Piece>>,
    /// Who each change affects, by change, from the guides' statuses.
    pub summaries: Vec<summary::Summary>,
    /// The site's history from its git log (empty, `on: false`, until `pipeline::build`
    /// reads the log, and in a build without it).
    pub history: history::History,
}

impl Derived {
    /// The guide of the region with id `id`.
    pub fn guide(&self, id: &str) -> Option<&guides::Guide> {
        self.guides.iter().find(|g| g.region.id == id)
    }
}

/// Derives the comparison, every region's guide, the change summaries and the finder from a
/// linked site.
pub fn derive(site: &Site) -> Derived {
    let comparison = compare::compare(site);
    let mut namers = naming::namers(site, &passages::known_names(site)).into_iter();
    let guides: Vec<guides::Guide> = (site.regions.iter())
        .map(|r| guides::Guide {
            named_by: namers.next().map(|(_, by)| by).unwrap_or_default(),
            ..guides::guide(site, r, &comparison)
        })
        .collect();
    let policy = &site.config;
    Derived {
        summaries: summary::summaries(&policy.changes, &guides),
        guides,
        comparison,
        finder: finder::finder(site),
        annotated: annotate::all(site),
        history: history::History::default(),
    }
}
