//! Derivation: pure functions from the loaded model to what pages show. `markdown` and
//! `links` render every Markdown field with its cross-links resolved; `regions` walks the
//! region hierarchy; `compare` sets the sources' claims against the site's verdicts;
//! `guides` makes each region's guide; `routes` holds the site's addresses.

pub mod compare;
pub mod guides;
pub mod links;
pub mod markdown;
pub mod regions;
pub mod routes;
