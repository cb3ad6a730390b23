//! `explainer build`: runs the pipeline and writes the site into its output folder, then says
//! what it did. Every problem is reported through `report::eprint`; parsing is `main.rs`'s.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::commands::fail;
use crate::diagnostics::report::{counts, eprint};
use crate::pipeline;

/// Said once when the site has no address: what was left out and how to have it.
pub const NO_BASE_URL: &str = "note: no base_url: sitemap.xml, feeds, canonical links and card images left out; \
     set base_url in content/site.yaml or pass --base-url";

/// Builds the site at `root` into `out`; with `timings`, prints how long each stage took.
/// With `options.drafts`, drafts are built too, each with its banner.
pub fn run(root: &Path, out: &Path, timings: bool, options: &pipeline::Options) -> ExitCode {
    let start = Instant::now();
    let built = match pipeline::build_with(root, options) {
        Ok(b) => b,
        Err(diags) => {
            eprint(root, &diags);
            eprintln!(
                "build failed: {}; {} was left as it was",
                counts(&diags),
                out.display()
            );
            return ExitCode::FAILURE;
        }
    };
    eprint(root, &built.warnings);
    if built.site.config.base_url.is_none() {
        eprintln!("{NO_BASE_URL}");
    }
    let write_start = Instant::now();
    let stats = match built.output.write_site(out, root) {
        Ok(stats) => stats,
        Err(e) => return fail(root, e),
    };
    if timings {
        for (stage, took) in &built.timings {
            println!("{stage:>16}: {:>6.1} ms", took.as_secs_f64() * 1000.0);
        }
        println!(
            "{:>16}: {:>6.1} ms",
            "write",
            write_start.elapsed().as_secs_f64() * 1000.0
        );
    }
    println!(
        "built {} pages into {} in {} ms ({} files written, {} unchanged, {} removed)",
        built.pages,
        out.display(),
        start.elapsed().as_millis(),
        stats.written,
        stats.unchanged,
        stats.deleted
    );
    ExitCode::SUCCESS
}
