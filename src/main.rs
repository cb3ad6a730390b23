//! The `explainer` command line: parses arguments, runs the pipeline, and reports diagnostics
//! to the terminal with the source line they point at. No site logic lives here.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use explainer::diagnostics::{Diagnostic, Diagnostics, Severity};
use explainer::{init, pipeline, quotes};

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
    /// Build the site into its output folder (only changed files are rewritten).
    Build {
        /// The site folder (the one holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
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
    /// Create a small new site in DIR that builds and passes `check --strict`.
    Init {
        /// The folder to create the site in (made if missing).
        dir: PathBuf,
    },
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
    match built.output.write(&out) {
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

fn counts(diags: &Diagnostics) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(diags.errors(), "error"),
        plural(diags.warnings(), "warning")
    )
}

/// Prints each diagnostic with the source line it points at, rustc-style.
fn report(root: &Path, diags: &Diagnostics) {
    for d in diags.iter() {
        eprintln!("{}", render(root, d));
    }
}

fn render(root: &Path, d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut s = format!("{level}: {}\n", d.message);
    if let Some(loc) = &d.loc {
        s.push_str(&format!("  --> {loc}\n"));
        let line = std::fs::read_to_string(root.join(&loc.file))
            .ok()
            .and_then(|text| {
                text.lines()
                    .nth(loc.line.saturating_sub(1))
                    .map(str::to_string)
            });
        if let Some(line) = line {
            let n = loc.line.to_string();
            let pad = " ".repeat(n.len());
            let caret = " ".repeat(line.chars().take(loc.col.saturating_sub(1)).count());
            s.push_str(&format!("{pad} |\n{n} | {line}\n{pad} | {caret}^\n"));
        }
    }
    if let Some(help) = &d.help {
        s.push_str(&format!("  = help: {help}\n"));
    }
    s
}
