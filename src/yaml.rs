//! YAML with locations. serde_yaml types the values but keeps no spans for them, so a second,
//! span-aware pass over yaml-rust2's events records where every value and key starts, by path
//! (`3/part_of/1`). Later stages turn a path into a file:line:column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostics::{Diagnostic, Loc, suggest};

/// Where one YAML node starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pos {
    line: usize,
    col: usize,
    /// How the scalar was written, which decides how offsets in its text map to columns.
    style: Style,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Plain scalars, collections and keys: text starts at the position.
    Plain,
    /// Quoted scalars: text starts one column after the position.
    Quoted,
    /// Literal blocks (`|`): the position is the text's first character; lines map one to one.
    Literal,
    /// Folded blocks (`>`): lines are joined, so only the first line maps exactly.
    Folded,
}

/// The locations of one YAML document's nodes, by path.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    file: PathBuf,
    /// Lines before the YAML in its file (front matter starts after `---`).
    line_offset: usize,
    values: HashMap<String, Pos>,
    keys: HashMap<String, Pos>,
}

/// Joins a path and a segment: `path("3", "part_of")` is `3/part_of`.
pub fn path(parent: &str, segment: impl std::fmt::Display) -> String {
    if parent.is_empty() {
        segment.to_string()
    } else {
        format!("{parent}/{segment}")
    }
}

impl Spans {
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The location of the value at `path`, or of its nearest located ancestor.
    pub fn at(&self, path: &str) -> Loc {
        let mut p = path;
        loop {
            if let Some(pos) = self.values.get(p) {
                return self.loc(pos.line, pos.col);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None if !p.is_empty() => p = "",
                None => return self.loc(1, 1),
            }
        }
    }

    /// The location of the key that introduces `path` (falls back to the value).
    pub fn key_at(&self, path: &str) -> Loc {
        match self.keys.get(path) {
            Some(pos) => self.loc(pos.line, pos.col),
            None => self.at(path),
        }
    }

    /// The location of byte `offset` inside the string value at `path`, whose text is `value`.
    /// Exact for single-line and literal block scalars; other multi-line forms give the start.
    pub fn within(&self, path: &str, value: &str, offset: usize) -> Loc {
        let Some(pos) = self.values.get(path) else {
            return self.at(path);
        };
        let before = &value[..offset.min(value.len())];
        let line_in = before.matches('\n').count();
        let col_in = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
        match pos.style {
            Style::Literal => self.loc(pos.line + line_in, pos.col + col_in),
            Style::Quoted if line_in == 0 => self.loc(pos.line, pos.col + 1 + col_in),
            _ if line_in == 0 => self.loc(pos.line, pos.col + col_in),
            _ => self.loc(pos.line, pos.col),
        }
    }

    fn loc(&self, line: usize, col: usize) -> Loc {
        Loc::new(self.file.clone(), line + self.line_offset, col)
    }
}

/// A parsed YAML document: the typed value and where its parts are.
#[derive(Debug)]
pub struct Doc<T> {
    pub value: T,
    pub spans: Spans,
}

/// Parses `src` (the text of `file`, starting `line_offset` lines into it) into `T`.
/// Syntax and shape errors (unknown or missing fields, wrong types) become a located diagnostic.
pub fn parse<T: DeserializeOwned>(
    file: &Path,
    src: &str,
    line_offset: usize,
) -> Result<Doc<T>, Diagnostic> {
    let value = serde_yaml::from_str::<T>(src)
        .map_err(|e| shape_error(&index(file, src, line_offset), src, &e))?;
    Ok(Doc {
        value,
        spans: index(file, src, line_offset),
    })
}

/// Parses `src` like `parse`, but leaves the span index to be built later, on demand (see
/// `index`). Errors are located all the same.
pub fn parse_value<T: DeserializeOwned>(
    file: &Path,
    src: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str::<T>(src).map_err(|e| shape_error(&index(file, src, line_offset), src, &e))
}

/// Builds the span index of `src`. Never fails: a document serde_yaml accepted is well-formed,
/// and an index that stops early only makes locations coarser.
pub fn index(file: &Path, src: &str, line_offset: usize) -> Spans {
    let mut indexer = Indexer {
        stack: Vec::new(),
        spans: Spans {
            file: file.to_path_buf(),
            line_offset,
            ..Spans::default()
        },
    };
    let _ = Parser::new_from_str(src).load(&mut indexer, false);
    indexer.spans
}

/// Our own value errors (a bad date) start with the value in backticks, and serde_yaml places
/// them at the enclosing mapping; find the value's text from there on.
fn value_in_source(spans: &Spans, src: &str, e: &serde_yaml::Error, message: &str) -> Option<Loc> {
    let value = message.strip_prefix('`')?.split('`').next()?;
    let from = e.location().map_or(0, |l| l.index()).min(src.len());
    let at = from + src.get(from..)?.find(value)?;
    let before = &src[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    Some(Loc::new(spans.file(), line + spans.line_offset, col))
}

const SYNTAX_HELP: &str = "check the indentation and quoting on this line or the one before; quote text that contains `: ` or starts with a special character";

/// A syntax error inside a construct, located where the construct starts.
fn syntax_error(
    spans: &Spans,
    problem_loc: Option<Loc>,
    problem: &str,
    context: &str,
) -> Diagnostic {
    let (what, start) = match context.split_once(" at line ") {
        Some((what, at)) => {
            let nums: Vec<usize> = at
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect();
            let start = match nums[..] {
                [line, col, ..] => Some(Loc::new(spans.file(), line + spans.line_offset, col)),
                _ => None,
            };
            (what, start)
        }
        None => (context, None),
    };
    let problem = problem.split(" at line ").next().unwrap_or(problem);
    let mut message = format!("{problem} while reading {what}");
    if let (Some(_), Some(p)) = (&start, &problem_loc) {
        message.push_str(&format!(
            " (the problem shows at line {}, column {})",
            p.line, p.col
        ));
    }
    let help = if what.contains("quoted scalar") {
        "close the quote; inside double quotes write a quote mark as \\\""
    } else if what.contains("flow sequence") {
        "close the list with `]`, and separate its items with `,`"
    } else if what.contains("flow mapping") {
        "close the mapping with `}`, and separate its entries with `,`"
    } else {
        SYNTAX_HELP
    };
    Diagnostic::error(start.or(problem_loc), message).with_help(help)
}

/// Splits serde_yaml's `.[0].name: message` into the span path `0/name` and the message.
fn split_path(message: &str) -> Option<(String, &str)> {
    let (head, rest) = message.split_once(": ")?;
    let is_path = !head.is_empty()
        && head
            .chars()
            .all(|c| c.is_alphanumeric() || "._[]-".contains(c));
    if !is_path {
        return None;
    }
    let segments: Vec<&str> = head
        .split(['.', '[', ']'])
        .filter(|s| !s.is_empty())
        .collect();
    Some((segments.join("/"), rest))
}

fn shape_error(spans: &Spans, src: &str, e: &serde_yaml::Error) -> Diagnostic {
    let serde_loc = e
        .location()
        .map(|l| Loc::new(spans.file(), l.line() + spans.line_offset, l.column()));
    let full = e.to_string();
    // A syntax error may name where the construct it broke began ("…, while scanning a quoted
    // scalar at line 1 column 6"): that start is where the fix goes.
    if let Some((problem, context)) = full
        .split_once(", while scanning ")
        .or_else(|| full.split_once(", while parsing "))
    {
        return syntax_error(spans, serde_loc, problem, context);
    }
    // serde_yaml appends " at line L column C"; the location is shown on its own.
    let text = match full.find(" at line ") {
        Some(i) => &full[..i],
        None => &full,
    };
    let (path, message) = match split_path(text) {
        Some((path, rest)) => (Some(path), rest.to_string()),
        None => (None, text.to_string()),
    };
    // serde_yaml places an unknown field at its key, precisely; other shape errors are best
    // placed by their path, since it may point at the start of the document.
    let loc = if let Some(found) = value_in_source(spans, src, e, &message) {
        Some(found)
    } else {
        match &path {
            Some(p) if !message.starts_with("unknown field") => Some(spans.at(p)),
            _ => serde_loc,
        }
    };
    let backticked = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let help = if let Some(rest) = message.strip_prefix("unknown field ") {
        let names = backticked(rest);
        let field = names.first().cloned().unwrap_or_default();
        let expected = names.iter().skip(1).map(String::as_str);
        Some(format!(
            "{}; remove the field or fix its name",
            suggest(&field, expected)
        ))
    } else if let Some(rest) = message.strip_prefix("missing field ") {
        let field = backticked(rest).into_iter().next().unwrap_or_default();
        Some(format!("add `{field}:` to this entry"))
    } else if message.starts_with("unknown variant ") {
        let names = backticked(&message);
        let wanted = names.first().cloned().unwrap_or_default();
        Some(suggest(&wanted, names.iter().skip(1).map(String::as_str)))
    } else if path.is_none() && !message.starts_with('`') {
        Some(SYNTAX_HELP.to_string())
    } else {
        None
    };
    let mut d = Diagnostic::error(loc, message);
    d.help = help;
    d
}

enum Frame {
    Seq {
        path: String,
        next: usize,
    },
    Map {
        path: String,
        key: Option<String>,
        first: bool,
    },
}

struct Indexer {
    stack: Vec<Frame>,
    spans: Spans,
}

impl Indexer {
    /// The path of the node that starts now, advancing its parent.
    fn next_path(&mut self) -> String {
        match self.stack.last_mut() {
            None => String::new(),
            Some(Frame::Seq { path: p, next }) => {
                *next += 1;
                path(p, *next - 1)
            }
            Some(Frame::Map { path: p, key, .. }) => path(p, key.take().unwrap_or_default()),
        }
    }

    /// yaml-rust2 counts lines from 1 and columns from 0.
    fn pos(mark: Marker, style: Option<&TScalarStyle>) -> Pos {
        Pos {
            line: mark.line(),
            col: mark.col() + 1,
            style: match style {
                Some(TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted) => Style::Quoted,
                Some(TScalarStyle::Literal) => Style::Literal,
                Some(TScalarStyle::Folded) => Style::Folded,
                _ => Style::Plain,
            },
        }
    }
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, style, ..) => {
                if let Some(Frame::Map {
                    path: p,
                    key: key @ None,
                    first,
                }) = self.stack.last_mut()
                {
                    let pos = Self::pos(mark, None);
                    // A block mapping's own mark lies past its first key; its first key is
                    // where a reader sees it start.
                    if std::mem::take(first) {
                        self.spans.values.insert(p.clone(), pos);
                    }
                    self.spans.keys.insert(path(p, &text), pos);
                    *key = Some(text);
                    return;
                }
                let p = self.next_path();
                let pos = Self::pos(mark, Some(&style));
                self.spans.values.insert(p, pos);
            }
            Event::Alias(_) => {
                let p = self.next_path();
                let pos = Self::pos(mark, None);
                self.spans.values.insert(p, pos);
            }
            Event::SequenceStart(..) => {
                let p = self.next_path();
                let pos = Self::pos(mark, None);
                self.spans.values.insert(p.clone(), pos);
                self.stack.push(Frame::Seq { path: p, next: 0 });
            }
            Event::MappingStart(..) => {
                let p = self.next_path();
                let pos = Self::pos(mark, None);
                self.spans.values.insert(p.clone(), pos);
                self.stack.push(Frame::Map {
                    path: p,
                    key: None,
                    first: true,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
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
        let err = parse::<Vec<Item>>(Path::new("f.yaml"), "- id: a\n  nmae: b\n", 3).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("f.yaml:5:3: error: "), "{text}");
        assert!(text.contains("unknown field `nmae`"), "{text}");
        assert!(text.contains("did you mean `name`?"), "{text}");
    }

    #[test]
    fn missing_field_and_bad_syntax_are_located() {
        let err = parse::<Vec<Item>>(Path::new("f.yaml"), "- id: a\n", 0).unwrap_err();
        assert!(err.to_string().contains("missing field `name`"), "{err}");
        assert!(err.loc.is_some());
        let err =
            parse::<Vec<Item>>(Path::new("f.yaml"), "- id: a\n  name: b\n - c\n", 0).unwrap_err();
        assert_eq!(err.loc.as_ref().map(|l| l.line), Some(3), "{err}");
    }
}
