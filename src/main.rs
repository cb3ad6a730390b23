//! The `explainer` command line: parses arguments, runs the pipeline, and reports diagnostics
//! to the terminal with the source line they point at. No site logic lives here.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use explainer::diagnostics::Diagnostics;
use explainer::diagnostics::report::{self, counts};
use explainer::{check::quotes, commands::export, commands::init, commands::serve, pipeline};

/// A static-site generator for policy explainers: sourced, region-by-region facts and
/// articles in, a cross-linked site out.
#[derive(Parser)]
#[command(name = "explainer", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder, swapped in whole (unchanged files are kept).
    ///
    /// The output folder must be new, empty, or an earlier build's (it has .explainer-manifest);
    /// files there that the manifest does not list, such as a CNAME or .git/, are kept.
    Build {
        /// The site folder (the one holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site: a new or empty folder, or an earlier build's
        /// [default: ROOT/public].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print how long each pipeline stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Load and validate the site, and report every problem; writes nothing.
    Check {
        /// The site folder (the one holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Fail on warnings too (e.g. a statement that cites no source).
        #[arg(long)]
        strict: bool,
        /// Also check that every claim's quote occurs in its source's archived text, a file
        /// in DIR named by the source's `archive:` (default ID.txt).
        #[arg(long, value_name = "DIR")]
        sources_archive: Option<PathBuf>,
    },
    /// Serve the site from memory with live reload; rebuild on every change.
    Serve {
        /// The site folder (the one holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on (loopback by default: only this machine can connect).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port to try first; the next free one is used when it is taken (0: any).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Also answer requests for this Host: NAME (on the served port) or NAME:PORT (e.g. a
        /// forwarded port). Repeatable. Loopback names and the bound address always work.
        #[arg(long, value_name = "NAME")]
        allow_host: Vec<String>,
    },
    /// Export a region's guide as one file: HTML, Markdown, JSON or PDF.
    ///
    /// The site is built and checked first; links to its pages are absolute when
    /// content/site.yaml sets base_url. Examples: `explainer export --region eu` writes
    /// ./eu.html; `explainer export --all --format html,md,json,pdf --out exports` writes
    /// exports/ID.EXT for every region and format.
    #[command(group = clap::ArgGroup::new("which").required(true).args(["region", "all"]))]
    Export {
        /// The region to export, by id (e.g. `eu`).
        #[arg(long, value_name = "ID")]
        region: Option<String>,
        /// Export every region (needs --out DIR).
        #[arg(long, requires = "out")]
        all: bool,
        /// The format to write; several, comma-separated (html,md,json), write one file each.
        #[arg(long, value_enum, value_delimiter = ',', default_value = "html")]
        format: Vec<ExportFormat>,
        /// Where to write: for one region in one format, the file [default: ./ID.EXT]; with
        /// --all, several formats or an existing folder, the folder that gets DIR/ID.EXT.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// The site folder (the one holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a small new site in DIR that builds and passes `check --strict`.
    Init {
        /// The folder to create the site in (made if missing).
        dir: PathBuf,
    },
}

/// The formats of `export`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    /// One self-contained file (CSS and images inlined, no external request), print-ready
    Html,
    /// CommonMark, links absolute to site.yaml's base_url
    Md,
    /// The guide's data, with a versioned schema (README, "Export")
    Json,
    /// The html printed by headless Chromium (apt-get install chromium)
    Pdf,
}

impl From<ExportFormat> for export::Format {
    fn from(f: ExportFormat) -> export::Format {
        match f {
            ExportFormat::Html => export::Format::Html,
            ExportFormat::Md => export::Format::Markdown,
            ExportFormat::Json => export::Format::Json,
            ExportFormat::Pdf => export::Format::Pdf,
        }
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build { root, out, timings } => {
            let out = out.unwrap_or_else(|| {
                if root == Path::new(".") {
                    PathBuf::from("public")
                } else {
                    root.join("public")
                }
            });
            build(&root, out, timings)
        }
        Command::Check {
            root,
            strict,
            sources_archive,
        } => check(&root, strict, sources_archive.as_deref()),
        Command::Serve {
            root,
            bind,
            port,
            open,
            allow_host,
        } => match serve::serve(serve::Options {
            root,
            bind,
            port,
            open,
            allow_hosts: allow_host,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Export {
            region,
            all: _,
            format,
            out,
            root,
        } => {
            let formats: Vec<export::Format> = format.into_iter().map(Into::into).collect();
            export(&root, region.as_deref(), &formats, out.as_deref())
        }
        Command::Init { dir } => match init::init(&dir) {
            Ok(files) => {
                println!(
                    "created a new site in {} ({} files)",
                    dir.display(),
                    files.len()
                );
                println!("next: explainer build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

fn build(root: &Path, out: PathBuf, timings: bool) -> ExitCode {
    let start = Instant::now();
    let built = match pipeline::build(root) {
        Ok(b) => b,
        Err(diags) => {
            report(root, &diags);
            eprintln!(
                "build failed: {}; {} was left as it was",
                counts(&diags),
                out.display()
            );
            return ExitCode::FAILURE;
        }
    };
    report(root, &built.warnings);
    let write_start = Instant::now();
    match built.output.write_site(&out, root) {
        Ok(stats) => {
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
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(root: &Path, strict: bool, archive: Option<&Path>) -> ExitCode {
    let diags = match pipeline::build(root) {
        Ok(b) => {
            let mut diags = b.warnings;
            if let Some(dir) = archive {
                diags.extend(quotes::check(&b.site, dir));
                diags.sort();
            }
            diags
        }
        Err(diags) => diags,
    };

    report(root, &diags);
    let failed = diags.has_errors() || (strict && !diags.is_empty());
    let verdict = if failed { "failed" } else { "ok" };
    let strict_note = if strict && !diags.has_errors() && !diags.is_empty() {
        " (--strict: warnings fail)"
    } else {
        ""
    };
    eprintln!("check {verdict}: {}{strict_note}", counts(&diags));
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `export`: `region` (or every region when `None`) in each of `formats`.
fn export(
    root: &Path,
    region: Option<&str>,
    formats: &[export::Format],
    out: Option<&Path>,
) -> ExitCode {
    let built = match pipeline::build(root) {
        Ok(b) => b,
        Err(diags) => {
            report(root, &diags);
            eprintln!("export failed: {}", counts(&diags));
            return ExitCode::FAILURE;
        }
    };
    report(root, &built.warnings);
    let failed = |e: export::ExportError| {
        match e {
            export::ExportError::Template(d) => report(root, &Diagnostics(vec![d])),
            e => {
                eprintln!("error: {e}");
                if let Some(help) = e.help() {
                    eprintln!("  = help: {help}");
                }
            }
        }
        ExitCode::FAILURE
    };
    let exporter = match export::Exporter::new(root, &built) {
        Ok(x) => x,
        Err(e) => return failed(e),
    };
    let regions = match region {
        Some(id) => match exporter.region(id) {
            Ok(r) => vec![r],
            Err(e) => return failed(e),
        },
        None => built.site.regions.iter().collect(),
    };
    let mut formats = formats.to_vec();
    formats.sort();
    formats.dedup();
    let into_dir = region.is_none() || formats.len() > 1 || out.is_some_and(Path::is_dir);
    let mut warned = std::collections::BTreeSet::new();
    for r in regions {
        for &format in &formats {
            let name = format!("{}.{}", r.id, format.ext());
            let path = match out {
                Some(dir) if into_dir => dir.join(&name),
                Some(file) => file.to_path_buf(),
                None => PathBuf::from(&name),
            };
            let exported = match exporter.export(r, format) {
                Ok(x) => x,
                Err(e) => return failed(e),
            };
            for w in exported.warnings {
                if warned.insert(w.clone()) {
                    eprintln!("warning: {w}");
                }
            }
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            let written = parent.map_or(Ok(()), std::fs::create_dir_all);
            if let Err(e) = written.and_then(|()| std::fs::write(&path, &exported.bytes)) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            println!("exported {} ({}) to {}", r.id, format.ext(), path.display());
        }
    }
    ExitCode::SUCCESS
}

/// Prints the diagnostics with the source lines they point at, rustc-style: coloured on a
/// terminal (unless NO_COLOR is set), plain when piped, at most `report::MAX_SHOWN` of them.
fn report(root: &Path, diags: &Diagnostics) {
    use std::io::IsTerminal;
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", report::render_all_with(root, diags, color));
}
