//! `explainer build`: runs the pipeline and writes the site into its output folder, then says
//! what it did. A rebuild whose inputs, binary, options and output are all as the build cache
//! (`publish::output::cache`) remembers them does nothing; one where only some inputs changed
//! runs the incremental engine (`pipeline::incremental`) and patches the changed files in
//! place (`publish::output::patch`). Every problem is reported through `report::eprint`.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::commands::fail;
use crate::diagnostics::report::{counts, eprint, render_all};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline::{self, incremental};
use crate::publish::output::cache::{self, Cache, Inputs};
use crate::publish::output::patch::patch;
use crate::publish::output::{Manifest, Staging, WriteStats};

/// Said once when the site has no address: what was left out and how to have it.
pub const NO_BASE_URL: &str = "note: no base_url: sitemap.xml, feeds, canonical links and card images left out; \
     set base_url in content/site.yaml or pass --base-url";

/// The folders every build reads, relative to the site folder (the archive folder is added
/// when `site.yaml` names one).
const ROOTS: [&str; 3] = ["content", "templates", "static"];

/// What the cache knew before this build: the cache if usable, this build's key and
/// fingerprints, and why the cache was set aside (said on stderr).
struct Before {
    prev: Option<Cache>,
    key: String,
    inputs: Option<Inputs>,
    note: Option<String>,
}

/// Reads the cache and fingerprints the inputs.
fn before(root: &Path, out: &Path, options: &pipeline::Options) -> Before {
    let out_abs = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let key = format!(
        "out={} base_url={} drafts={} history={:?}",
        out_abs.display(),
        options
            .base_url
            .as_ref()
            .map(|b| b.to_string())
            .unwrap_or_default(),
        options.drafts,
        options.history.then(|| crate::load::git::head_id(root))
    );
    let (mut prev, mut note) = match cache::load(root) {
        Ok(c) => (c, None),
        Err(why) => (None, Some(format!("the build cache is unusable ({why})"))),
    };
    if prev
        .as_ref()
        .is_some_and(|c| Some(&c.binary) != cache::binary_id().as_ref())
    {
        prev = None;
        note = Some("explainer changed since the cached build".to_string());
    }
    let roots: Vec<String> = match &prev {
        Some(c) => c.wanted.clone(),
        None => ROOTS.iter().map(|r| r.to_string()).collect(),
    };
    let inputs = cache::fingerprint(root, &roots, prev.as_ref().map(|c| &c.inputs));
    Before {
        prev,
        key,
        inputs,
        note,
    }
}

/// The cached build, if nothing it depends on changed and the output is as it left it (what
/// killed builds left beside it removed).
fn unchanged<'a>(b: &'a Before, root: &Path, out: &Path) -> Option<&'a Cache> {
    let (prev, inputs) = (b.prev.as_ref()?, b.inputs.as_ref()?);
    let same = prev.key == b.key
        && prev.roots == prev.wanted
        && prev.inputs.same_bytes(inputs)
        && cache::output_unchanged(prev, out)
        && crate::publish::output::tidy(out, root).is_ok();
    same.then_some(prev)
}

/// Builds the site at `root` into `out`; with `timings`, prints how long each stage took.
/// With `options.drafts`, drafts are built too, each with its banner.
pub fn run(root: &Path, out: &Path, timings: bool, options: &pipeline::Options) -> ExitCode {
    let start = Instant::now();
    let b = before(root, out, options);
    if let Some(prev) = unchanged(&b, root, out) {
        eprint!("{}", prev.stderr);
        if timings {
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            println!("{:>16}: {ms:>6.1} ms", "fingerprint");
        }
        println!(
            "nothing changed: built {} pages into {} in {} ms (0 files written, {} unchanged, 0 removed)",
            prev.pages,
            out.display(),
            start.elapsed().as_millis(),
            prev.files
        );
        return ExitCode::SUCCESS;
    }
    if let Some(note) = &b.note {
        eprintln!("note: {note}; building in full");
        return full(root, out, timings, options, b, start);
    }
    match rebuild(root, options, &b, out) {
        Some((incremental::Outcome::Patched(r), old)) => {
            patched(root, out, timings, (*r, old), b, start)
        }
        Some((incremental::Outcome::Full(why), _)) => {
            if let Some(why) = why {
                eprintln!("note: {why}; building in full");
            }
            full(root, out, timings, options, b, start)
        }
        None => full(root, out, timings, options, b, start),
    }
}

/// The input files that differ between two fingerprints: changed, added or removed.
fn changed(before: &Inputs, now: &Inputs) -> BTreeSet<String> {
    let differs = |(p, i): (&String, &cache::Input)| {
        (now.files.get(p).map(|n| &n.hash) != Some(&i.hash)).then(|| p.clone())
    };
    let mut out: BTreeSet<String> = before.files.iter().filter_map(differs).collect();
    out.extend(
        now.files
            .keys()
            .filter(|p| !before.files.contains_key(*p))
            .cloned(),
    );
    out
}

/// Runs the incremental engine, when the cache holds a state for this output and options;
/// `None` when it does not (a full build, without a note: nothing was cached to use).
fn rebuild(
    root: &Path,
    options: &pipeline::Options,
    b: &Before,
    out: &Path,
) -> Option<(incremental::Outcome, Manifest)> {
    let (prev, inputs) = (b.prev.as_ref()?, b.inputs.as_ref()?);
    if prev.key != b.key || prev.roots != prev.wanted {
        return None;
    }
    // The output checked on one core while the state is read on the other.
    let (manifest, state) = rayon::join(
        || {
            let manifest = cache::output_manifest(prev, out)?;
            crate::publish::output::tidy(out, root).ok()?;
            Some(manifest)
        },
        || incremental::State::decode(&cache::load_state(root, prev)?),
    );
    let (manifest, mut state) = (manifest?, state?);
    state.files = manifest.files.clone();
    let changed = changed(&prev.inputs, inputs);
    Some((
        incremental::rebuild(root, options, state, &changed),
        manifest,
    ))
}

/// What the build says on stderr besides diagnostics: the note when the site has no address,
/// and what else it left out (`notes`).
fn said(root: &Path, warnings: &Diagnostics, has_base_url: bool, notes: &[String]) -> String {
    eprint(root, warnings);
    let mut said = render_all(root, warnings);
    let no_base_url = (!has_base_url).then_some(NO_BASE_URL);
    for note in no_base_url
        .into_iter()
        .chain(notes.iter().map(String::as_str))
    {
        eprintln!("{note}");
        said.push_str(note);
        said.push('\n');
    }
    said
}

/// Writes what an incremental rebuild changed into `out`, and remembers it in the cache.
fn patched(
    root: &Path,
    out: &Path,
    timings: bool,
    (r, manifest): (incremental::Rebuilt, Manifest),
    b: Before,
    start: Instant,
) -> ExitCode {
    let said = said(root, &r.warnings, r.has_base_url, &r.notes);
    let rebuilt = start.elapsed();
    let (stats, hash, _) = match patch(out, root, &manifest, &r.write, &r.remove) {
        Ok(done) => done,
        Err(e) => return fail(root, e),
    };
    if timings {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        let how = if r.fast { "rebuild (fast)" } else { "rebuild" };
        println!("{how:>16}: {:>6.1} ms", ms(rebuilt));
        println!("{:>16}: {:>6.1} ms", "write", ms(start.elapsed() - rebuilt));
    }
    let wanted = b
        .prev
        .as_ref()
        .map(|c| c.wanted.clone())
        .unwrap_or_default();
    let pages = r.state.page_count;
    let sizes = (pages, r.state.files.len());
    remember(root, b, wanted, sizes, hash, said, Some(&r.state));
    let rendered = r.rendered;
    // The process ends here: freeing the state piece by piece would only take time.
    std::mem::forget(r);
    let what = format!("rebuilt {rendered} of {pages} pages");
    summary(&what, out, start, &stats)
}

/// Builds in full, each file written into a staging copy of `out` as it is made, swaps the
/// new site in once every link checked, and remembers the build in the cache. A failed build
/// leaves `out` as it was.
fn full(
    root: &Path,
    out: &Path,
    timings: bool,
    options: &pipeline::Options,
    b: Before,
    start: Instant,
) -> ExitCode {
    let open = || Staging::open(out, root).map_err(Diagnostic::from);
    let (mut built, staging) = match pipeline::streamed::build_into(root, options, open) {
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
    let said = said(
        root,
        &built.warnings,
        built.site.config.base_url.is_some(),
        &built.notes,
    );
    let write_start = Instant::now();
    let (stats, manifest, entries) = match staging.finish() {
        Ok(written) => written,
        Err(e) => return fail(root, e),
    };
    if timings {
        for (stage, took) in &built.timings {
            println!("{stage:>16}: {:>6.1} ms", took.as_secs_f64() * 1000.0);
        }
        println!(
            "{:>16}: {:>6.1} ms",
            "swap",
            write_start.elapsed().as_secs_f64() * 1000.0
        );
    }
    let mut wanted: Vec<String> = ROOTS.iter().map(|r| r.to_string()).collect();
    wanted.extend(built.site.config.archive_dir.clone());
    let sizes = (built.pages, entries.files.len());
    let state = incremental::State::of(&mut built, entries.files);
    remember(root, b, wanted, sizes, manifest, said, Some(&state));
    let what = format!("built {} pages", built.pages);
    // The process ends here: freeing the site and the state piece by piece would only take time.
    std::mem::forget((built, state));
    summary(&what, out, start, &stats)
}

/// The build's last line: what it built, where, how long it took and which files it wrote.
fn summary(what: &str, out: &Path, start: Instant, stats: &WriteStats) -> ExitCode {
    println!(
        "{what} into {} in {} ms ({} files written, {} unchanged, {} removed)",
        out.display(),
        start.elapsed().as_millis(),
        stats.written,
        stats.unchanged,
        stats.deleted
    );
    ExitCode::SUCCESS
}

/// Stores this build in the cache; a cache that cannot be written is said once and skipped.
fn remember(
    root: &Path,
    b: Before,
    wanted: Vec<String>,
    (pages, files): (usize, usize),
    manifest: String,
    stderr: String,
    state: Option<&incremental::State>,
) {
    let (Some(inputs), Some(binary)) = (b.inputs, cache::binary_id()) else {
        return;
    };
    // The state goes first: the cache names it by its hash.
    let parts = state.map(|s| s.encode_parts());
    let state = match parts.map(|p| cache::store_state(root, &[&p[0], &p[1], &p[2]])) {
        Some(Ok(hash)) => hash,
        _ => String::new(),
    };
    let roots = match b.prev {
        Some(c) => c.wanted,
        None => ROOTS.iter().map(|r| r.to_string()).collect(),
    };
    let cache = Cache {
        binary,
        key: b.key,
        roots,
        wanted,
        manifest,
        state,
        pages,
        files,
        stderr,
        inputs,
    };
    if let Err(e) = cache::store(root, &cache) {
        eprintln!(
            "note: could not write the build cache in {}: {e}; the next build runs in full",
            root.join(cache::CACHE_DIR).display()
        );
    }
}
