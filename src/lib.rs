//! explainer: a static-site generator for policy explainers. Structured YAML facts and
//! Markdown articles go in; a cross-linked, sourced, region-by-region site comes out.
//!
//! The folders are the pipeline's stages, and a stage imports only from the ones before it:
//! `diagnostics` (what is wrong and where) → `model` (the typed site) → `load` (YAML with
//! spans, facts, articles) → `derive` (Markdown and cross-links, comparison, guides) → `check`
//! (every rule over the model and the comparison) → `render` (page plan, templates) →
//! `publish` (link check, the output folder) → `pipeline` (the one pipeline, and its
//! incremental form) → `commands` (serve, export, init). ARCHITECTURE.md has the map.

pub mod check;
pub mod commands;
pub mod derive;
pub mod diagnostics;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod publish;
pub mod render;
