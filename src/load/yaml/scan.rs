//! The span-aware pass over a YAML text, on yaml-rust2's events: where every key and value
//! starts, by path, and the structural problems serde_yaml misses or cannot place: duplicate
//! keys, a second document, nesting too deep and aliases that expand too far.

use std::collections::HashMap;
use std::path::Path;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostics::{Diagnostic, Loc};
use crate::model::spans::{Pos, Spans, Style, path};

/// The deepest nesting of lists and mappings a YAML text may have. Facts need 5 or so;
/// serde_yaml itself gives up at 128, and a hostile file can nest far deeper.
pub const MAX_DEPTH: usize = 64;

/// How many nodes aliases (`*name`) may add to a document once expanded. A "billion laughs"
/// file of a few kilobytes expands to gigabytes; facts need a handful of aliases.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// What the pass found: the spans, and the problems (fatal ones stop serde_yaml from
/// being asked at all).
#[derive(Debug, Default)]
pub struct Scan {
    pub spans: Spans,
    pub problems: Vec<Diagnostic>,
    /// A problem that makes the text unsafe or pointless to deserialize.
    pub fatal: bool,
}

/// Scans `src` (the text of `file`, starting `line_offset` lines into it). Syntax errors end
/// the pass quietly: serde_yaml reports them with their own location.
pub fn scan(file: &Path, src: &str, line_offset: usize) -> Scan {
    let mut s = Scanner {
        stack: Vec::new(),
        spans: Spans {
            file: file.to_path_buf(),
            line_offset,
            ..Spans::default()
        },
        problems: Vec::new(),
        fatal: false,
        documents: 0,
        anchors: HashMap::new(),
        expanded: 0,
        root_done: false,
    };
    let mut parser = Parser::new_from_str(src);
    while !s.fatal {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) => break,
            Ok((ev, mark)) => s.event(ev, mark),
            // yaml-rust2 stops flow nesting (`[[[…`) at 255 levels, before any event.
            Err(e) if e.info().contains("recursion limit") => s.too_deep(*e.marker()),
            Err(_) => break,
        }
    }
    Scan {
        spans: s.spans,
        problems: s.problems,
        fatal: s.fatal,
    }
}

enum Kind {
    Seq {
        next: usize,
    },
    Map {
        key: Option<String>,
        first: bool,
        /// This mapping's keys so far, with the line each is on.
        seen: HashMap<String, usize>,
    },
}

struct Frame {
    path: String,
    kind: Kind,
    /// The anchor this collection carries (0: none).
    anchor: usize,
    /// Nodes inside it so far, aliases expanded.
    nodes: usize,
}

struct Scanner {
    stack: Vec<Frame>,
    spans: Spans,
    problems: Vec<Diagnostic>,
    fatal: bool,
    documents: usize,
    /// Anchor id → the number of nodes an alias to it stands for.
    anchors: HashMap<usize, usize>,
    expanded: usize,
    /// The first document's root is complete: later nodes are not indexed.
    root_done: bool,
}

impl Scanner {
    fn loc(&self, mark: Marker) -> Loc {
        self.spans.loc(mark.line(), mark.col() + 1)
    }

    fn fail(&mut self, d: Diagnostic) {
        self.problems.push(d);
        self.fatal = true;
    }

    /// The path of the node that starts now, advancing its parent.
    fn next_path(&mut self) -> String {
        match self.stack.last_mut() {
            None => String::new(),
            Some(Frame {
                path: p,
                kind: Kind::Seq { next },
                ..
            }) => {
                *next += 1;
                path(p, *next - 1)
            }
            Some(Frame {
                path: p,
                kind: Kind::Map { key, .. },
                ..
            }) => path(p, key.take().unwrap_or_default()),
        }
    }

    /// A node of `size` nodes is complete: count it in its parent.
    fn complete(&mut self, size: usize) {
        match self.stack.last_mut() {
            Some(parent) => parent.nodes += size,
            None => self.root_done = true,
        }
    }

    fn record(&mut self, p: String, pos: Pos) {
        if !self.root_done {
            self.spans.values.insert(p, pos);
        }
    }

    fn event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::DocumentStart => self.document(mark),
            Event::Scalar(text, style, anchor, _) => self.scalar(text, &style, anchor, mark),
            Event::Alias(id) => self.alias(id, mark),
            Event::SequenceStart(anchor, _) => self.open(Kind::Seq { next: 0 }, anchor, mark),
            Event::MappingStart(anchor, _) => self.open(
                Kind::Map {
                    key: None,
                    first: true,
                    seen: HashMap::new(),
                },
                anchor,
                mark,
            ),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(frame) = self.stack.pop() {
                    let size = frame.nodes + 1;
                    if frame.anchor != 0 {
                        self.anchors.insert(frame.anchor, size);
                    }
                    self.complete(size);
                }
            }
            _ => {}
        }
    }

    fn document(&mut self, mark: Marker) {
        self.documents += 1;
        if self.documents == 2 {
            let loc = self.loc(mark);
            self.fail(
                Diagnostic::error(Some(loc), "a second YAML document starts here")
                    .with_help("a facts file holds one document: remove this `---` line, or move what follows it to its own file"),
            );
        }
    }

    fn scalar(&mut self, text: String, style: &TScalarStyle, anchor: usize, mark: Marker) {
        if anchor != 0 {
            self.anchors.insert(anchor, 1);
        }
        if let Some(Frame {
            path: p,
            kind:
                Kind::Map {
                    key: key @ None,
                    first,
                    seen,
                },
            nodes,
            ..
        }) = self.stack.last_mut()
        {
            *nodes += 1;
            let pos = pos(mark, None);
            let key_path = path(p, &text);
            // A block mapping's own mark lies past its first key; its first key is where a
            // reader sees it start.
            let indexing = !self.root_done;
            if std::mem::take(first) && indexing {
                self.spans.values.insert(p.clone(), pos);
            }
            let earlier = seen.insert(text.clone(), pos.line);
            *key = Some(text);
            if !indexing {
                return;
            }
            match earlier {
                Some(line) => {
                    let line = line + self.spans.line_offset;
                    let name = key.as_deref().unwrap_or_default().to_string();
                    let loc = self.loc(mark);
                    self.problems.push(
                        Diagnostic::error(Some(loc), format!("duplicate key `{name}`")).with_help(
                            format!("`{name}` is already set on line {line}; keep one of the two"),
                        ),
                    );
                }
                None => {
                    self.spans.keys.insert(key_path, pos);
                }
            }
            return;
        }
        let p = self.next_path();
        self.record(p, pos(mark, Some(style)));
        self.complete(1);
    }

    fn alias(&mut self, id: usize, mark: Marker) {
        let p = self.next_path();
        self.record(p, pos(mark, None));
        let size = self.anchors.get(&id).copied().unwrap_or(1);
        self.expanded = self.expanded.saturating_add(size);
        if self.expanded > MAX_ALIAS_NODES {
            let loc = self.loc(mark);
            self.fail(
                Diagnostic::error(
                    Some(loc),
                    format!("aliases in this file expand to more than {MAX_ALIAS_NODES} values"),
                )
                .with_help("write the values out, or use fewer nested aliases (`*name`)"),
            );
        }
        self.complete(size);
    }

    fn open(&mut self, kind: Kind, anchor: usize, mark: Marker) {
        let p = self.next_path();
        self.record(p.clone(), pos(mark, None));
        self.stack.push(Frame {
            path: p,
            kind,
            anchor,
            nodes: 0,
        });
        if self.stack.len() > MAX_DEPTH {
            self.too_deep(mark);
        }
    }

    fn too_deep(&mut self, mark: Marker) {
        let loc = self.loc(mark);
        self.fail(
            Diagnostic::error(
                Some(loc),
                format!("lists and mappings nest more than {MAX_DEPTH} levels deep here"),
            )
            .with_help("flatten the structure; facts need only a few levels"),
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(src: &str) -> Vec<String> {
        scan(Path::new("f.yaml"), src, 0)
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn duplicate_keys_are_located_at_the_second() {
        // The second `s` map repeats the first's keys: only `s` itself is a duplicate.
        let p =
            problems("- id: a\n  name: A\n  name: B\n- id: b\n  s:\n    x: 1\n  s:\n    x: 2\n");
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[1].starts_with("f.yaml:7:3: error: duplicate key `s`"),
            "{p:?}"
        );
        let p = problems("- id: a\n  name: A\n  name: B\n- id: b\n  name: C\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("f.yaml:3:3: error: duplicate key `name`"),
            "{p:?}"
        );
        assert!(p[0].contains("line 2"), "{p:?}");
    }

    #[test]
    fn a_second_document_is_located() {
        let s = scan(Path::new("f.yaml"), "- id: a\n---\n- id: b\n", 0);
        assert!(s.fatal);
        assert!(
            s.problems[0]
                .to_string()
                .starts_with("f.yaml:2:1: error: a second YAML document"),
            "{:?}",
            s.problems
        );
    }

    #[test]
    fn alias_bombs_and_deep_nesting_stop_early() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            bomb.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                [prev.as_str(); 10].join(", ")
            ));
        }
        let s = scan(Path::new("f.yaml"), &bomb, 0);
        assert!(s.fatal);
        assert!(s.problems[0].message.contains("expand"), "{:?}", s.problems);
        let deep = "[".repeat(10_000);
        let s = scan(Path::new("f.yaml"), &deep, 0);
        assert!(s.fatal);
        assert!(s.problems[0].message.contains("nest"), "{:?}", s.problems);
        let deep = "a:\n".to_string()
            + &(1..100)
                .map(|i| format!("{}b:\n", " ".repeat(i)))
                .collect::<String>();
        let s = scan(Path::new("f.yaml"), &deep, 0);
        assert!(s.fatal);
        assert_eq!(
            s.problems[0].loc.as_ref().map(|l| l.line),
            Some(MAX_DEPTH + 1)
        );
        // A few aliases are fine.
        let s = scan(Path::new("f.yaml"), "a: &x [1, 2]\nb: *x\nc: *x\n", 0);
        assert!(!s.fatal && s.problems.is_empty(), "{:?}", s.problems);
    }
}
