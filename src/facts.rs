//! Loads `content/site.yaml` and `content/facts/*.yaml` into typed tables with their spans.
//! Only syntax and shape are checked here; references between facts are `check`'s job.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Diagnostics, Loc, suggest};
use crate::model::{Entity, SiteConfig, Table};
use crate::yaml::{self, Doc, Spans};

/// The facts files a site may have, by name, in load order.
pub const FACT_FILES: [&str; 7] = [
    "regions.yaml",
    "categories.yaml",
    "exclusions.yaml",
    "optouts.yaml",
    "sources.yaml",
    "questions.yaml",
    "claims.yaml",
];

/// Reads a file of the site; an unreadable file is a diagnostic at that file.
pub fn read(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    std::fs::read_to_string(root.join(rel)).map_err(|e| {
        Diagnostic::error(Some(Loc::new(rel, 1, 1)), format!("cannot read file: {e}"))
            .with_help("check that the file exists, is readable and is UTF-8 text")
    })
}

/// Loads `content/site.yaml`.
pub fn load_config(root: &Path) -> Result<Doc<SiteConfig>, Diagnostic> {
    let rel = Path::new("content/site.yaml");
    if !root.join(rel).is_file() {
        return Err(Diagnostic::error(
            None,
            format!("no content/site.yaml under `{}`", root.display()),
        )
        .with_help(
            "run in a site folder, pass --root DIR, or create one with `explainer init DIR`",
        ));
    }
    let src = read(root, rel)?;
    yaml::parse(rel, &src, 0).map_err(explain_untagged)
}

/// Loads `content/facts/NAME` into a table; a missing file is an empty table.
pub fn load_table<T: DeserializeOwned + Entity>(
    root: &Path,
    name: &str,
    diags: &mut Diagnostics,
) -> Option<Table<T>> {
    let rel = Path::new("content/facts").join(name);
    if !root.join(&rel).exists() {
        return Some(Table::new(Vec::new(), yaml::index(&rel, "", 0)));
    }
    let src = match read(root, &rel) {
        Ok(src) => src,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    if src.trim().is_empty() {
        return Some(Table::new(Vec::new(), Spans::default()));
    }
    match yaml::parse::<Vec<T>>(&rel, &src, 0) {
        Ok(doc) => Some(Table::new(doc.value, doc.spans)),
        Err(d) => {
            diags.push(explain_untagged(d));
            None
        }
    }
}

/// Reports files in `content/facts/` that no table reads (a misspelt name loses data silently).
pub fn unknown_files(root: &Path) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Ok(dir) = std::fs::read_dir(root.join("content/facts")) else {
        return diags;
    };
    let mut names: Vec<String> = dir
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    for name in names {
        if !FACT_FILES.contains(&name.as_str()) && !name.starts_with('.') {
            diags.push(
                Diagnostic::error(
                    Some(Loc::new(Path::new("content/facts").join(&name), 1, 1)),
                    format!("unknown facts file `{name}`"),
                )
                .with_help(format!(
                    "{}; facts files are read by name",
                    suggest(&name, FACT_FILES)
                )),
            );
        }
    }
    diags
}

/// serde's untagged enums say only "did not match any variant"; say what would match.
fn explain_untagged(mut d: Diagnostic) -> Diagnostic {
    if d.message.contains("untagged enum Resolution") {
        d.message = d.message.replace(
            "data did not match any variant of untagged enum Resolution",
            "invalid resolution",
        );
        d.help = Some(
            "write `resolution: open`, or a map with `verdict`, `rationale`, `basis` and `confidence`"
                .to_string(),
        );
    }
    d
}
