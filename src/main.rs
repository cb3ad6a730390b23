//! The `explainer` command line: parses the arguments and hands each subcommand to its file
//! in `commands/` (which reports through `diagnostics::report::eprint`). Nothing else here.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use explainer::commands::{build, check, diff, export, fail, init, new, serve};
use explainer::model::base_url::BaseUrl;

/// mimalloc, without transparent huge pages (its `no_thp` feature): on a machine where
/// clearing fresh memory is slow, 2 MiB pages made a build fault in far more than it used.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        /// The site's public address (e.g. https://example.org/ or https://example.org/sub/),
        /// for canonical links, the sitemap, feeds and cards; overrides site.yaml's base_url.
        #[arg(long, value_name = "URL", value_parser = parse_base_url)]
        base_url: Option<BaseUrl>,
        /// Build drafts too, each page of one with a "Draft: not published" banner (for a
        /// preview; `build` alone leaves every draft out).
        #[arg(long)]
        drafts: bool,
        /// Leave out what the site's git history gives: the What changed page, the fact pages'
        /// history, the guides' "changed" badges and the change feeds (as outside git).
        #[arg(long)]
        no_history: bool,
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
        /// Also list each archived passage that mentions a region, country, category, change
        /// or date and that no claim quotes nor the source's `dismissed:` sets aside.
        #[arg(long, requires = "sources_archive")]
        coverage: bool,
        /// Check drafts too, as `serve` and `build --drafts` show them (without it, drafts
        /// are left out like in `build`, and only links to them are checked).
        #[arg(long)]
        drafts: bool,
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
        /// The site's public address that links point at; overrides site.yaml's base_url.
        #[arg(long, value_name = "URL", value_parser = parse_base_url)]
        base_url: Option<BaseUrl>,
    },
    /// Show what changed in the facts: the work tree against a git revision (default HEAD),
    /// or between two revisions.
    ///
    /// Regions, categories, exclusions, opt-outs, sources, questions and their verdicts,
    /// claims and articles, added, removed or changed field by field; a status in one line
    /// with its derived confidence; changes only of wording marked as such. Examples:
    /// `explainer diff`, `explainer diff HEAD~3`, `explainer diff v1 v2 --format markdown`.
    Diff {
        /// The revision to compare from [default: HEAD], and the one to compare to [default:
        /// the work tree].
        #[arg(value_name = "REV", num_args = 0..=2)]
        revs: Vec<String>,
        /// Instead, the history of the facts: each commit (first parent from HEAD, newest first,
        /// at most N [default: 100]) that changed content/, dated, with its message and what it
        /// changed.
        #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "100", conflicts_with = "revs")]
        log: Option<usize>,
        /// How to print: text (coloured on a terminal unless NO_COLOR), json or markdown.
        #[arg(long, value_enum, default_value = "text")]
        format: diff::Format,
        /// The site folder (the one holding content/), inside the git repository.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a small new site in DIR that builds and passes `check --strict`.
    Init {
        /// The folder to create the site in (made if missing).
        dir: PathBuf,
    },
    /// Write a stub with every field commented, as a draft: an article as
    /// content/articles/ID.md, a fact appended to its file in content/facts/.
    ///
    /// A claim's ID is its question's id; `--source` chooses its source (default: the first).
    /// An id already taken is refused.
    New {
        /// What to write.
        #[arg(value_enum)]
        kind: new::NewKind,
        /// Its id (lowercase letters, digits and `-`).
        id: String,
        /// The site folder (the one holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// For a claim: the id of the source that makes it.
        #[arg(long)]
        source: Option<String>,
    },
}

/// `--base-url`: an absolute http(s) address, normalised to end in `/`.
fn parse_base_url(text: &str) -> Result<BaseUrl, String> {
    BaseUrl::parse(text)
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

/// `explainer init DIR`: the new site, and what to do next.
fn run_init(dir: &Path) -> ExitCode {
    match init::init(dir) {
        Ok(files) => {
            println!(
                "created a new site in {} ({} files)",
                dir.display(),
                files.len()
            );
            println!("next: explainer build --root {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(dir, e),
    }
}

/// Where `build` writes without `--out`: `public/` in the site folder.
fn default_out(root: &Path) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::from("public")
    } else {
        root.join("public")
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build {
            root,
            out,
            timings,
            base_url,
            drafts,
            no_history,
        } => {
            let out = out.unwrap_or_else(|| default_out(&root));
            let options = explainer::pipeline::Options {
                base_url,
                drafts,
                history: !no_history,
            };
            build::run(&root, &out, timings, &options)
        }
        Command::Check {
            root,
            strict,
            sources_archive,
            coverage,
            drafts,
        } => check::run(&root, strict, sources_archive.as_deref(), coverage, drafts),
        Command::Serve {
            root,
            bind,
            port,
            open,
            allow_host,
        } => {
            let opts = serve::Options {
                root: root.clone(),
                bind,
                port,
                open,
                allow_hosts: allow_host,
            };
            match serve::serve(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&root, e),
            }
        }
        Command::Export {
            region,
            all: _,
            format,
            out,
            root,
            base_url,
        } => {
            let formats: Vec<export::Format> = format.into_iter().map(Into::into).collect();
            let options = explainer::pipeline::Options {
                base_url,
                drafts: false,
                history: false,
            };
            export::run::run(&root, region.as_deref(), &formats, out.as_deref(), &options)
        }
        Command::New {
            kind,
            id,
            root,
            source,
        } => new::run(&root, kind, &id, source.as_deref()),
        Command::Diff {
            revs,
            log,
            format,
            root,
        } => match log {
            Some(max) => diff::run_log(&root, max, format),
            None => diff::run(&root, &revs, format),
        },
        Command::Init { dir } => run_init(&dir),
    }
}
