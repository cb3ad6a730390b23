//! An article's front matter as Hugo and Zola write it: YAML between `---` lines or TOML
//! between `+++` lines, their keys mapped onto ours, and keys we do not use found (a warning).

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Loc, line_col};
use crate::load::yaml;
use crate::model::spans::{Pos, Spans, Style};
use crate::model::{FrontFormat, FrontMatter};

/// The keys an article's front matter may hold (ours, and Hugo's and Zola's we map).
pub const KNOWN_KEYS: [&str; 16] = [
    "title",
    "summary",
    "description",
    "date",
    "updated",
    "lastmod",
    "regions",
    "categories",
    "draft",
    "weight",
    "slug",
    "aliases",
    "tags",
    "taxonomies",
    "author",
    "authors",
];

/// A file split at its front matter's fences: the format, the front matter's text (it starts
/// on line 2) and the byte where the body starts.
pub struct Split<'s> {
    pub format: FrontFormat,
    pub front: &'s str,
    pub body_start: usize,
}

/// Finds the front matter: a first line `---` (YAML) or `+++` (TOML), closed by the first
/// line that is the same fence.
pub fn split<'s>(rel: &Path, src: &'s str) -> Result<Split<'s>, Diagnostic> {
    let no_front = || {
        Diagnostic::error(Some(Loc::new(rel, 1, 1)), "article has no front matter")
            .with_help("start the file with a `---` line, then `title:` and `date:` lines, then a closing `---` line (or TOML between `+++` lines)")
    };
    let first_end = src.find('\n').ok_or_else(no_front)?;
    let (format, fence) = match src[..first_end].trim_end() {
        "---" => (FrontFormat::Yaml, "---"),
        "+++" => (FrontFormat::Toml, "+++"),
        _ => return Err(no_front()),
    };
    let rest = &src[first_end + 1..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == fence {
            return Ok(Split {
                format,
                front: &rest[..offset],
                body_start: first_end + 1 + offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(Some(Loc::new(rel, 1, 1)), "front matter is not closed").with_help(
            format!("add a line with just `{fence}` after the front matter"),
        ),
    )
}

/// Types the front matter; errors are located in the file (the front matter starts on line 2).
pub fn parse(rel: &Path, format: FrontFormat, front: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
    let mut fm = match format {
        FrontFormat::Yaml => yaml::parse_value::<FrontMatter>(rel, front, 1)?,
        FrontFormat::Toml => toml::from_str::<FrontMatter>(front).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(front, s.start));
            let message = e.message().trim().to_string();
            vec![
                Diagnostic::error(Some(Loc::new(rel, line + 1, col)), message).with_help(
                    "fix the TOML between the `+++` lines (strings in quotes, lists in `[ ]`, dates as 2025-11-03 or 2025-11-03T10:00:00Z)",
                ),
            ]
        })?,
    };
    fm.normalize();
    Ok(fm)
}

/// A warning for each top-level key of the front matter that `explainer` does not use.
pub fn unknown_keys(rel: &Path, format: FrontFormat, front: &str) -> Vec<Diagnostic> {
    let unknown: Vec<String> = (top_keys(format, front).into_iter())
        .map(|(key, _)| key)
        .filter(|key| !KNOWN_KEYS.contains(&key.as_str()))
        .collect();
    if unknown.is_empty() {
        // The span index is a second parse of the front matter: only for a warning.
        return Vec::new();
    }
    let spans = spans(rel, format, front);
    unknown
        .into_iter()
        .map(|key| {
            Diagnostic::warning(
                Some(spans.key_at(&key)),
                format!("front matter key `{key}` is not used by explainer; it is ignored"),
            )
            .with_help(format!(
                "remove it, or keep it if another tool reads it; the keys used are {}",
                KNOWN_KEYS.join(", ")
            ))
        })
        .collect()
}

/// The article's `aliases` as site routes (`/2021/07/old/`, or `/old.html` for a file); an
/// alias that cannot be a path on the site is an error at it.
pub fn aliases(
    rel: &Path,
    format: FrontFormat,
    front: &str,
    aliases: &[String],
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut routes = Vec::new();
    let mut errors = Vec::new();
    for (j, alias) in aliases.iter().enumerate() {
        let path = alias.trim().trim_start_matches('/');
        let bad = path.is_empty()
            || path.contains(['?', '#', '\\', ':', '"', '<', '>', ' '])
            || path.split('/').any(|seg| seg == ".." || seg == ".");
        if bad {
            let at = spans(rel, format, front).at(&format!("aliases/{j}"));
            errors.push(
                Diagnostic::error(Some(at), format!("alias `{alias}` is not a path on the site"))
                    .with_help("write the old address's path, e.g. `/2021/07/old-name/` (no host, query, `#` or `..`)"),
            );
        } else if path.ends_with(".html") || path.ends_with('/') {
            routes.push(format!("/{path}"));
        } else {
            routes.push(format!("/{path}/"));
        }
    }
    if errors.is_empty() {
        Ok(routes)
    } else {
        Err(errors)
    }
}

/// The locations in the front matter.
pub fn spans(rel: &Path, format: FrontFormat, front: &str) -> Spans {
    match format {
        FrontFormat::Yaml => yaml::index(rel, front, 1),
        FrontFormat::Toml => toml_spans(rel, front),
    }
}

/// The top-level keys of the front matter, each with its line (0-based) and column (1-based).
fn top_keys(format: FrontFormat, front: &str) -> Vec<(String, (usize, usize))> {
    let mut keys = Vec::new();
    let mut in_table = false;
    for (n, line) in front.lines().enumerate() {
        let key = match format {
            FrontFormat::Yaml => line
                .split_once(':')
                .map(|(k, _)| k)
                .filter(|k| !k.starts_with([' ', '\t', '#', '-', '"', '\'']))
                .filter(|k| !k.is_empty() && !k.contains(' ')),
            FrontFormat::Toml => {
                let t = line.trim_start();
                if let Some(header) = t.strip_prefix('[') {
                    in_table = true;
                    let name = header.trim_start_matches('[').split([']', '.']).next();
                    name.map(str::trim)
                } else if in_table || t.starts_with('#') {
                    None
                } else {
                    t.split_once('=')
                        .map(|(k, _)| k.split('.').next().unwrap_or(k).trim())
                        .filter(|k| !k.is_empty())
                }
            }
        };
        if let Some(k) = key {
            let col = if line.trim_start().starts_with('[') {
                line.len() - line.trim_start().len() + 1
            } else {
                line.find(k).map_or(1, |i| line[..i].chars().count() + 1)
            };
            let k = k.trim_matches(['"', '\'']);
            if !keys.iter().any(|(seen, _): &(String, _)| seen == k) {
                keys.push((k.to_string(), (n, col)));
            }
        }
    }
    keys
}

/// Where each top-level key of a TOML front matter and its value are (by key name).
fn toml_spans(rel: &Path, front: &str) -> Spans {
    let mut keys = HashMap::new();
    let mut values = HashMap::new();
    let lines: Vec<&str> = front.lines().collect();
    for (key, (n, col)) in top_keys(FrontFormat::Toml, front) {
        let at = |col| Pos {
            line: n + 1,
            col,
            style: Style::Plain,
        };
        keys.insert(key.clone(), at(col));
        let line = lines.get(n).copied().unwrap_or("");
        let value_col = line.find('=').map_or(col, |i| {
            let after = &line[i + 1..];
            line[..i + 1].chars().count() + 1 + (after.len() - after.trim_start().len())
        });
        values.insert(key, at(value_col));
    }
    Spans {
        file: rel.to_path_buf(),
        line_offset: 1,
        values,
        keys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_top_level_keys() {
        let yaml = "title: A\nlayout: post\nmenu:\n  main: x\n# c\n";
        let keys: Vec<String> = top_keys(FrontFormat::Yaml, yaml)
            .into_iter()
            .map(|k| k.0)
            .collect();
        assert_eq!(keys, ["title", "layout", "menu"]);
        let toml = "title = \"A\"\ntemplate = \"p.html\"\n[taxonomies]\ntags = [\"x\"]\n[extra]\n";
        let keys: Vec<String> = top_keys(FrontFormat::Toml, toml)
            .into_iter()
            .map(|k| k.0)
            .collect();
        assert_eq!(keys, ["title", "template", "taxonomies", "extra"]);
    }
}
