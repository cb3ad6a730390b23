//! explainer: a static-site generator for policy explainers. Structured YAML facts and
//! Markdown articles go in; a cross-linked, sourced, region-by-region site comes out.
//!
//! The pipeline (see `pipeline`): `content` loads the model (`facts`, `articles`, with
//! locations from `yaml`), `links` renders Markdown and resolves cross-links, `check`
//! validates, `guides` and `pages` derive what each page shows, `render` applies the
//! templates, `linkcheck` verifies the result and `output` writes it. `export` turns one
//! region's guide of a built site into a single file (HTML, Markdown, JSON or PDF).

pub mod articles;
pub mod check;
pub mod compare;
pub mod content;
pub mod date;
pub mod diagnostics;
pub mod export;
pub mod facts;
pub mod guides;
pub mod incremental;
pub mod init;
pub mod linkcheck;
pub mod links;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pages;
pub mod pipeline;
pub mod quotes;
pub mod render;
pub mod report;
pub mod serve;
pub mod source;
pub mod yaml;
