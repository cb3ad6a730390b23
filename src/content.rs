//! Loads a whole site folder into the model: `site.yaml`, the facts tables and the articles.
//! Collects every loading error rather than stopping at the first.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::facts::{self, load_table};
use crate::model::Site;
use crate::{articles, yaml};

/// Loads the site under `root`, or every reason it could not be loaded.
pub fn load(root: &Path) -> Result<Site, Diagnostics> {
    let mut diags = facts::unknown_files(root);
    let config = facts::load_config(root).map_err(|d| diags.push(d)).ok();
    let regions = load_table(root, "regions.yaml", &mut diags);
    let categories = load_table(root, "categories.yaml", &mut diags);
    let exclusions = load_table(root, "exclusions.yaml", &mut diags);
    let optouts = load_table(root, "optouts.yaml", &mut diags);
    let sources = load_table(root, "sources.yaml", &mut diags);
    let questions = load_table(root, "questions.yaml", &mut diags);
    let claims = load_table(root, "claims.yaml", &mut diags);
    let articles = articles::load_all(root, &mut diags);
    let (
        Some(config),
        Some(regions),
        Some(categories),
        Some(exclusions),
        Some(optouts),
        Some(sources),
        Some(questions),
        Some(claims),
    ) = (
        config, regions, categories, exclusions, optouts, sources, questions, claims,
    )
    else {
        diags.sort();
        return Err(diags);
    };
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    let yaml::Doc {
        value: config,
        spans: config_spans,
    } = config;
    Ok(Site {
        root: root.to_path_buf(),
        config,
        config_spans,
        regions,
        categories,
        exclusions,
        optouts,
        sources,
        questions,
        claims,
        articles,
    })
}
