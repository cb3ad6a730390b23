//! Loads a whole site folder into the model: `site.yaml`, the facts tables and the articles.
//! Collects every loading error rather than stopping at the first.

pub mod articles;
pub mod facts;
pub mod front;
pub mod git;
pub mod source;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Article, Category, Site, Table};
use facts::load_table;

/// The archived texts under `archive_dir` that are there and readable; the others are left
/// out without a word, as on a machine without them.
fn read_archives(site: &Site) -> BTreeMap<String, String> {
    match &site.config.archive_dir {
        Some(dir) => archives(site, &site.root.join(dir)),
        None => BTreeMap::new(),
    }
}

/// Each source's archived text in `dir` (its `archive_file()`), by source id, read with the
/// limits of every site file; a missing or unreadable one is left out (the quote check says so).
pub fn archives(site: &Site, dir: &Path) -> BTreeMap<String, String> {
    (site.sources.iter())
        .filter_map(|s| {
            let text = source::read(dir, Path::new(&s.archive_file())).ok()?;
            Some((s.id.clone(), text))
        })
        .collect()
}

/// Loads the site under `root`, or every reason it could not be loaded.
pub fn load(root: &Path) -> Result<Site, Diagnostics> {
    let (site, mut diags) = load_partial(root)?;
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    Ok(site)
}

/// Loads what can be loaded: the site (without the entries and articles that failed, whose
/// ids stay known) and the errors about those. `Err` when a whole file or folder is unusable,
/// so that checking what is left would only report its absence over and over.
pub fn load_partial(root: &Path) -> Result<(Site, Diagnostics), Diagnostics> {
    load_partial_with(root, articles::load_all)
}

/// As `load_partial`, with the articles from `load_articles` (the loaded ones, sorted, and
/// the slugs of those that failed): an incremental rebuild takes unchanged ones from its cache.
pub fn load_partial_with(
    root: &Path,
    load_articles: impl FnOnce(&Path, &mut Diagnostics) -> (Vec<Article>, Vec<String>),
) -> Result<(Site, Diagnostics), Diagnostics> {
    if root.join("content/site.yaml").is_file() && !root.join("content/facts").is_dir() {
        return Err(Diagnostics(vec![
            Diagnostic::error(
                None,
                format!("no content/facts/ folder under `{}`", root.display()),
            )
            .with_help("the facts (regions.yaml, sources.yaml, …) live in content/facts/; `explainer init DIR` shows the layout"),
        ]));
    }
    let mut diags = facts::unknown_files(root);
    let config = facts::load_config(root).map_err(|d| diags.extend(d)).ok();
    let regions = load_table(root, "regions.yaml", &mut diags);
    let categories = load_table(root, "categories.yaml", &mut diags);
    let exclusions = load_table(root, "exclusions.yaml", &mut diags);
    let optouts = load_table(root, "optouts.yaml", &mut diags);
    let sources = load_table(root, "sources.yaml", &mut diags);
    let questions = load_table(root, "questions.yaml", &mut diags);
    let claims = load_table(root, "claims.yaml", &mut diags);
    let (articles, unloaded_articles) = load_articles(root, &mut diags);
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
    let yaml::Doc {
        value: config,
        spans: config_spans,
    } = config;
    let site = Site {
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
        unloaded_articles,
        draft_articles: Vec::new(),
        text_hrefs: Vec::new(),
        archives: Default::default(),
    };
    let archives = read_archives(&site);
    let mut site = Site { archives, ..site };
    for a in &mut site.articles {
        categories_as_tags(&site.categories, a);
    }
    Ok((site, diags))
}

/// Hugo's and Zola's `categories` are labels, ours are data-category facts: a value that is no
/// category's id (nor one typo away from one, which `check` reports) is kept as a tag.
pub fn categories_as_tags(categories: &Table<Category>, a: &mut Article) {
    let (ours, labels): (Vec<String>, Vec<String>) = std::mem::take(&mut a.front.categories)
        .into_iter()
        .partition(|c| {
            categories.contains(c)
                || (crate::model::is_valid_id(c)
                    && crate::diagnostics::did_you_mean(c, categories.known_ids()).is_some())
        });
    a.front.categories = ours;
    for label in labels {
        if !a.front.tags.contains(&label) {
            a.front.tags.push(label);
        }
    }
}
