//! Loads `content/site.yaml` and `content/facts/*.yaml` into typed tables with their spans.
//! Only syntax and shape are checked here; references between facts are `check`'s job.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Diagnostics, Loc, suggest};
use crate::load::yaml::{self, Doc, Spans};
use crate::model::{Entity, SiteConfig, Table};

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

pub use crate::load::source::read;

/// Loads `content/site.yaml`.
pub fn load_config(root: &Path) -> Result<Doc<SiteConfig>, Vec<Diagnostic>> {
    let rel = Path::new("content/site.yaml");
    if !root.join(rel).is_file() {
        return Err(vec![
            Diagnostic::error(
                None,
                format!("no content/site.yaml under `{}`", root.display()),
            )
            .with_help(
                "run in a site folder, pass --root DIR, or create one with `explainer init DIR`",
            ),
        ]);
    }
    let src = read(root, rel).map_err(|d| vec![d])?;
    config_from(rel, &src)
}

/// `site.yaml`'s text (at `rel`) as the site's settings.
pub fn config_from(rel: &Path, src: &str) -> Result<Doc<SiteConfig>, Vec<Diagnostic>> {
    yaml::parse(rel, src, 0).map_err(|ds| ds.into_iter().map(explain_untagged).collect())
}

/// Loads `content/facts/NAME` into a table; a missing file is an empty table. An entry with a
/// shape error is left out (its id kept as known, so references to it raise nothing more)
/// and every such error is reported; a file that is not YAML at all gives `None`.
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
    table_from(&rel, &src, diags)
}

/// A facts file's text (at `rel`) as a table, as `load_table` makes it from the file.
pub fn table_from<T: DeserializeOwned + Entity>(
    rel: &Path,
    src: &str,
    diags: &mut Diagnostics,
) -> Option<Table<T>> {
    if src.trim().is_empty() {
        return Some(Table::new(Vec::new(), Spans::default()));
    }
    match yaml::parse::<Vec<T>>(rel, src, 0) {
        Ok(doc) => Some(Table::new(doc.value, doc.spans)),
        Err(found) => entries(rel, src, diags).or_else(|| {
            diags.extend(found.into_iter().map(explain_untagged));
            None
        }),
    }
}

/// The entries of a facts file that did not type as a whole, one by one: the good ones in a
/// table, an error for each problem of the others. `None` when the file is not a list of
/// entries at all (then the whole-file error is the one to show).
fn entries<T: DeserializeOwned + Entity>(
    rel: &Path,
    src: &str,
    diags: &mut Diagnostics,
) -> Option<Table<T>> {
    let scanned = yaml::scan(rel, src, 0);
    if scanned.fatal || !scanned.problems.is_empty() {
        return None;
    }
    let values: Vec<serde_yaml::Value> = serde_yaml::from_str(src).ok()?;
    let before = diags.0.len();
    let mut items = Vec::with_capacity(values.len());
    let mut broken = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        match entry::<T>(&scanned.spans, i, value.clone()) {
            Ok(item) => items.push(item),
            Err(found) => {
                diags.extend(found.into_iter().map(explain_untagged));
                let id = value.get(T::ID_FIELD).and_then(serde_yaml::Value::as_str);
                broken.extend(id.map(str::to_string));
            }
        }
    }
    // Nothing found entry by entry: the whole-file error is the one that explains it.
    if diags.0.len() == before {
        return None;
    }
    Some(Table::new(items, scanned.spans).with_broken(broken))
}

/// Types one entry; on failure, every unknown field and then the first other problem.
fn entry<T: DeserializeOwned>(
    spans: &Spans,
    i: usize,
    mut value: serde_yaml::Value,
) -> Result<T, Vec<Diagnostic>> {
    let mut found = Vec::new();
    // Each round removes one unknown field; a mapping has at most so many.
    for _ in 0..64 {
        let e = match serde_path_to_error::deserialize::<_, T>(value.clone()) {
            Ok(item) if found.is_empty() => return Ok(item),
            Ok(_) => return Err(found),
            Err(e) => e,
        };
        let segments: Vec<String> = e.path().iter().map(segment).collect();
        let message = e.into_inner().to_string();
        found.push(yaml::entry_error(
            spans,
            &i.to_string(),
            &segments.join("/"),
            &message,
        ));
        if !message.starts_with("unknown field") || !remove(&mut value, &segments) {
            return Err(found);
        }
    }
    Err(found)
}

/// A path segment as the span index writes it.
fn segment(s: &serde_path_to_error::Segment) -> String {
    use serde_path_to_error::Segment;
    match s {
        Segment::Seq { index } => index.to_string(),
        Segment::Map { key } => key.clone(),
        Segment::Enum { variant } => variant.clone(),
        Segment::Unknown => "?".to_string(),
    }
}

/// Removes the field at `path` (mapping keys and list indexes) from `value`.
fn remove(value: &mut serde_yaml::Value, path: &[String]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut at = value;
    for p in parents {
        let next = match at {
            serde_yaml::Value::Mapping(m) => m.get_mut(p.as_str()),
            serde_yaml::Value::Sequence(s) => p.parse::<usize>().ok().and_then(|i| s.get_mut(i)),
            _ => None,
        };
        match next {
            Some(v) => at = v,
            None => return false,
        }
    }
    at.as_mapping_mut()
        .and_then(|m| m.remove(last.as_str()))
        .is_some()
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
            "write `resolution: open`, or a map with `verdict`, `rationale` and `basis` (and optionally a lower `confidence` with its `confidence_reason`)"
                .to_string(),
        );
    }
    d
}
