//! Publishing the rendered site: `linkcheck` verifies every internal link of the output in
//! memory; `output` writes it into a folder the tool owns, whole and atomically.

pub mod linkcheck;
pub mod output;
