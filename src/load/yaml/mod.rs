//! YAML with locations. serde_yaml types the values but keeps no spans for them, so a second,
//! span-aware pass over yaml-rust2's events records where every value and key starts, by path
//! (`3/part_of/1`). Later stages turn a path into a file:line:column.

mod errors;
mod scan;

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;

pub use scan::{MAX_ALIAS_NODES, MAX_DEPTH, scan};

pub use crate::model::spans::{Spans, path};

/// A parsed YAML document: the typed value and where its parts are.
#[derive(Debug, Clone)]
pub struct Doc<T> {
    pub value: T,
    pub spans: Spans,
}

/// Parses `src` (the text of `file`, starting `line_offset` lines into it) into `T`. Syntax
/// and shape errors (unknown or missing fields, wrong types), duplicate keys, a second
/// document and texts past the limits (`scan`) become located diagnostics.
pub fn parse<T: DeserializeOwned>(
    file: &Path,
    src: &str,
    line_offset: usize,
) -> Result<Doc<T>, Vec<Diagnostic>> {
    let scanned = scan(file, src, line_offset);
    if scanned.fatal {
        return Err(scanned.problems);
    }
    match serde_yaml::from_str::<T>(src) {
        Ok(value) if scanned.problems.is_empty() => Ok(Doc {
            value,
            spans: scanned.spans,
        }),
        Ok(_) => Err(scanned.problems),
        Err(e) => Err(with_problems(scanned, src, &e)),
    }
}

/// Parses `src` like `parse`, but leaves the span index to be built later, on demand (see
/// `index`): a text with no anchor is typed by serde_yaml first, and scanned only on error.
pub fn parse_value<T: DeserializeOwned>(
    file: &Path,
    src: &str,
    line_offset: usize,
) -> Result<T, Vec<Diagnostic>> {
    if src.contains('&') {
        return parse(file, src, line_offset).map(|doc| doc.value);
    }
    serde_yaml::from_str::<T>(src).map_err(|e| {
        let scanned = scan(file, src, line_offset);
        with_problems(scanned, src, &e)
    })
}

/// The scan's problems, and serde_yaml's error unless it is one of them (a duplicate).
fn with_problems(scanned: scan::Scan, src: &str, e: &serde_yaml::Error) -> Vec<Diagnostic> {
    let mut found = scanned.problems;
    let duplicate = e.to_string().contains("duplicate ");
    if found.is_empty() || !duplicate {
        found.push(errors::shape_error(&scanned.spans, src, e));
    }
    found
}

/// Builds the span index of `src`. Never fails: an index that stops early (at a syntax
/// error, or past a limit) only makes locations coarser.
pub fn index(file: &Path, src: &str, line_offset: usize) -> Spans {
    scan(file, src, line_offset).spans
}

/// The diagnostic for an error found while typing the entry at `entry` (a path such as `3`)
/// of an already-parsed document: `at` is the path inside the entry, `message` serde's.
pub fn entry_error(spans: &Spans, entry: &str, at: &str, message: &str) -> Diagnostic {
    let full = if at.is_empty() {
        entry.to_string()
    } else {
        path(entry, at)
    };
    let loc = if message.starts_with("unknown field") {
        spans.key_at(&full)
    } else {
        spans.at(&full)
    };
    let mut d = Diagnostic::error(Some(loc), message.to_string());
    d.help = errors::help_for(message, true);
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    const SRC: &str = "\
- id: eu
  part_of: [eea, nope]
  notes: |
    First line.
    See [x](region:zz).
- id: uk
  name: \"United Kingdom\"
";

    fn spans() -> Spans {
        index(Path::new("f.yaml"), SRC, 0)
    }

    #[test]
    fn locates_values_by_path() {
        let s = spans();
        assert_eq!(s.at("0/id").to_string(), "f.yaml:1:7");
        assert_eq!(s.at("0/part_of/1").to_string(), "f.yaml:2:18");
        assert_eq!(s.key_at("1/name").to_string(), "f.yaml:7:3");
        assert_eq!(s.at("1").to_string(), "f.yaml:6:3");
        // An unknown path falls back to its nearest ancestor.
        assert_eq!(s.at("1/name/zz").to_string(), "f.yaml:7:9");
    }

    #[test]
    fn locates_text_inside_block_and_quoted_scalars() {
        let s = spans();
        let notes = "First line.\nSee [x](region:zz).\n";
        let offset = notes.find("[x]").unwrap();
        assert_eq!(s.within("0/notes", notes, offset).to_string(), "f.yaml:5:9");
        assert_eq!(
            s.within("1/name", "United Kingdom", 7).to_string(),
            "f.yaml:7:17"
        );
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        name: String,
    }

    #[test]
    fn unknown_field_is_located_with_a_suggestion() {
        let err =
            &parse::<Vec<Item>>(Path::new("f.yaml"), "- id: a\n  nmae: b\n", 3).unwrap_err()[0];
        let text = err.to_string();
        assert!(text.starts_with("f.yaml:5:3: error: "), "{text}");
        assert!(text.contains("unknown field `nmae`"), "{text}");
        assert!(text.contains("did you mean `name`?"), "{text}");
    }

    #[test]
    fn missing_field_and_bad_syntax_are_located() {
        let err = &parse::<Vec<Item>>(Path::new("f.yaml"), "- id: a\n", 0).unwrap_err()[0];
        assert!(err.to_string().contains("missing field `name`"), "{err}");
        assert!(err.loc.is_some());
        let err = &parse::<Vec<Item>>(Path::new("f.yaml"), "- id: a\n  name: b\n - c\n", 0)
            .unwrap_err()[0];
        assert_eq!(err.loc.as_ref().map(|l| l.line), Some(3), "{err}");
    }
}
