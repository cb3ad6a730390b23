//! Renders the planned pages in parallel and hands each page's output path and bytes to the
//! caller as soon as it is made: kept in memory (`render_pages`), or written and dropped.

use rayon::prelude::*;
use serde_json::Value;
use tera::Tera;

use super::pages::{Plan, file_of};
use super::{PageRender, meta, prefix, render_bounded};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Renders the pages of `plan` that `wanted` selects (by route), in parallel, passing each
/// (output path, bytes) to `keep`; what `keep` returned for each, or every error found.
pub fn render_each<T: Send>(
    tera: &Tera,
    site_ctx: &Value,
    plan: &Plan,
    wanted: impl Fn(&str) -> bool + Sync,
    keep: impl Fn(String, Vec<u8>) -> Result<T, Diagnostic> + Sync,
) -> Result<Vec<T>, Diagnostics> {
    let rendered: Vec<Result<T, Diagnostic>> = plan
        .pages
        .par_iter()
        .filter(|page| wanted(&page.route))
        .map(|page| {
            // Serialised whole: `Context::insert` would copy the page's data again.
            let ctx = PageRender {
                site: site_ctx,
                page: plan.context(page)?,
                meta: meta::head(plan.site, plan.base.as_ref(), page),
                current_url: &page.route,
                draft: page.shows.is_draft(plan.site),
            };
            let html = render_bounded(tera, page.template, &ctx, &page.route)?;
            keep(file_of(&page.route), prefix::with_base_path(html, plan))
        })
        .collect();
    let mut kept = Vec::with_capacity(rendered.len());
    let mut diags = Diagnostics::default();
    for r in rendered {
        match r {
            Ok(page) => kept.push(page),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    Ok(kept)
}
