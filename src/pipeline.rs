//! The one pipeline every command consumes: load → link → check → plan → render → link-check,
//! all in memory. `build` writes its `Output`, `check` only reports; nothing here writes files.

use std::path::Path;
use std::time::{Duration, Instant};

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
    /// How long each stage took, in order (`build --timings` prints them).
    pub timings: Vec<(&'static str, Duration)>,
}

/// Records stage durations.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// Builds the site under `root` in memory. On failure, every diagnostic found (errors and
/// warnings) in a stable order.
pub fn build(root: &Path) -> Result<Built, Diagnostics> {
    let mut clock = Clock {
        last: Instant::now(),
        laps: Vec::new(),
    };
    let mut site = content::load(root)?;
    clock.lap("load");
    let resolver = links::Resolver::new(&site);
    let (mut backlinks, mut diags) = links::link(&mut site, &resolver);
    guides::backlinks(&site, &mut backlinks);
    clock.lap("markdown+links");
    diags.extend(check::check(&site));
    clock.lap("check");
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
    clock.lap("plan");
    let mut output = render::render(root, &tera, &pages::site_context(&site), &plan)
        .map_err(|more| fail(diags.clone(), more))?;
    let comparison = compare::export(&site, plan.comparison());
    output.files.insert(
        "compare/index.json".to_string(),
        serde_json::to_vec_pretty(&comparison).unwrap_or_default(),
    );
    clock.lap("render");
    let pages = plan.pages.len();
    drop(plan);
    let broken = linkcheck::check(&output);
    clock.lap("linkcheck");
    if broken.has_errors() {
        return Err(fail(diags, broken));
    }
    Ok(Built {
        site,
        pages,
        output,
        warnings: diags,
        timings: clock.laps,
    })
}
