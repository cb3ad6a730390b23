//! The one pipeline every command consumes: load → link → check → plan → render → link-check,
//! all in memory. `build` writes its `Output`, `check` only reports; nothing here writes files.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::model::Site;
use crate::output::Output;
use crate::{check, compare, content, guides, linkcheck, links, pages, render};

/// A site that built: its output, the linked model it came from, and its warnings.
#[derive(Debug)]
pub struct Built {
    pub site: Site,
    pub output: Output,
    pub pages: usize,
    /// Warnings only; a build with errors is an `Err`.
    pub warnings: Diagnostics,
}

/// Builds the site under `root` in memory. On failure, every diagnostic found (errors and
/// warnings) in a stable order.
pub fn build(root: &Path) -> Result<Built, Diagnostics> {
    let mut site = content::load(root)?;
    let resolver = links::Resolver::new(&site);
    let (mut backlinks, mut diags) = links::link(&mut site, &resolver);
    guides::backlinks(&site, &mut backlinks);
    diags.extend(check::check(&site));
    diags.sort();
    if diags.has_errors() {
        return Err(diags);
    }
    let fail = |mut diags: Diagnostics, more: Diagnostics| {
        diags.extend(more);
        diags.sort();
        diags
    };
    let tera =
        render::templates(root, resolver).map_err(|d| fail(diags.clone(), Diagnostics(vec![d])))?;
    let plan = pages::plan(&site, &backlinks);
    let mut output = render::render(root, &tera, &pages::site_context(&site), &plan)
        .map_err(|more| fail(diags.clone(), more))?;
    let comparison = compare::export(&site, &compare::compare(&site));
    output.files.insert(
        "compare/index.json".to_string(),
        serde_json::to_vec_pretty(&comparison).unwrap_or_default(),
    );
    let broken = linkcheck::check(&output);
    if broken.has_errors() {
        return Err(fail(diags, broken));
    }
    Ok(Built {
        site,
        pages: plan.len(),
        output,
        warnings: diags,
    })
}
