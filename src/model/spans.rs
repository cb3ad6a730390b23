//! Locations inside a YAML text: where every value and key starts, by path (`3/part_of/1`),
//! so that any stage can turn a path of the model into a file:line:column. `load::yaml` fills
//! them; the model keeps them beside the values.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::Loc;

/// Where one YAML node starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    pub(crate) line: usize,
    pub(crate) col: usize,
    /// How the scalar was written, which decides how offsets in its text map to columns.
    pub(crate) style: Style,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
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
    pub(crate) file: PathBuf,
    /// Lines before the YAML in its file (front matter starts after `---`).
    pub(crate) line_offset: usize,
    pub(crate) values: HashMap<String, Pos>,
    pub(crate) keys: HashMap<String, Pos>,
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

    /// The spans with each path's first segment (an entry's index) renamed by `index`, and the
    /// paths of entries not in it dropped: for a table that left some entries out.
    pub fn reindexed(&self, index: &HashMap<String, String>) -> Spans {
        let map = |m: &HashMap<String, Pos>| {
            m.iter()
                .filter_map(|(p, pos)| {
                    let (first, rest) = p
                        .split_once('/')
                        .map_or((p.as_str(), None), |(f, r)| (f, Some(r)));
                    let new = index.get(first)?;
                    Some((
                        rest.map_or_else(|| new.clone(), |r| format!("{new}/{r}")),
                        *pos,
                    ))
                })
                .collect()
        };
        Spans {
            file: self.file.clone(),
            line_offset: self.line_offset,
            values: map(&self.values),
            keys: map(&self.keys),
        }
    }

    pub(crate) fn loc(&self, line: usize, col: usize) -> Loc {
        Loc::new(self.file.clone(), line + self.line_offset, col)
    }
}
