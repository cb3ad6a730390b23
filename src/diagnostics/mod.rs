//! Diagnostics: what is wrong with a site, where (file:line:column) and how to fix it.
//! Every stage reports user mistakes as `Diagnostic`s; only the CLI turns them into text.

pub mod report;

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;

/// A place in a source file. Lines and columns count from 1.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// Path relative to the site root (as the user would type it).
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

impl Loc {
    pub fn new(file: impl Into<PathBuf>, line: usize, col: usize) -> Loc {
        Loc {
            file: file.into(),
            line,
            col,
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding: a message, where it is, and a hint to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub loc: Option<Loc>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(loc: Option<Loc>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            loc,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(loc: Option<Loc>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(loc, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One-line form, `file:line:col: error: message (help: ...)`, for logs and tests.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.loc {
            write!(f, "{loc}: ")?;
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", tidy(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, " (help: {})", tidy(help))?;
        }
        Ok(())
    }
}

/// The diagnostics of one run, in a stable order (by file, line, column).
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }

    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.loc, a.severity, &a.message).cmp(&(&b.loc, b.severity, &b.message))
        });
        self.0.dedup();
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `text`; an offset inside
/// a character counts as that character, one past the end as the end.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[start..].chars().count() + 1,
    )
}

/// `line_col` for many offsets of one text, in about constant time each when the offsets
/// come in order (the links of a Markdown body do): line starts are found once, on first use,
/// and the column is counted on from the previous offset on the same line.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
    /// The last answer: (offset, line, column).
    last: (usize, usize, usize),
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Lines<'t> {
        Lines {
            text,
            starts: Vec::new(),
            last: (0, 1, 1),
        }
    }

    /// What `line_col(text, offset)` gives.
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let text = self.text;
        if self.starts.is_empty() {
            self.starts = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
        }
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let (last_offset, last_line, last_col) = self.last;
        let col = if last_line == line && (start..=offset).contains(&last_offset) {
            last_col + text[last_offset..offset].chars().count()
        } else {
            text[start..offset].chars().count() + 1
        };
        self.last = (offset, line, col);
        (line, col)
    }
}

/// The longest a quoted value (`…`) in a message may be before it is shortened.
const MAX_QUOTED: usize = 80;

/// A message made safe to print: control characters escaped (a file's bytes must not drive
/// the terminal) and long quoted values shortened (a 2 MB bad value is not echoed whole).
pub fn tidy(text: &str) -> Cow<'_, str> {
    let risky = text.chars().any(|c| c.is_control() && c != '\n');
    if !risky && text.len() <= MAX_QUOTED {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(4 * MAX_QUOTED));
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let quoted = i % 2 == 1;
        let count = part.chars().count();
        let limit = if quoted { MAX_QUOTED } else { 8 * MAX_QUOTED };
        for (j, c) in part.chars().enumerate() {
            if count > limit && j == limit / 2 {
                out.push_str(&format!("…({} characters)…", count - limit));
            }
            if count > limit && j >= limit / 2 && j < count - limit / 2 {
                continue;
            }
            if c.is_control() && c != '\n' {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
    }
    Cow::Owned(out)
}

/// The closest candidate to `wanted` by edit distance, if it is close enough to be a typo.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// The help text for an unknown name: a suggestion, or the list of known names.
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> String {
    match did_you_mean(wanted, candidates.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => {
            let mut known: Vec<&str> = candidates.into_iter().collect();
            known.sort_unstable();
            if known.is_empty() {
                "none are defined yet".to_string()
            } else {
                format!("known: {}", known.join(", "))
            }
        }
    }
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["eu", "eea", "uk", "rest-of-world"];
        assert_eq!(did_you_mean("eu2", ids), Some("eu"));
        assert_eq!(did_you_mean("rest-of-wrld", ids), Some("rest-of-world"));
        assert_eq!(did_you_mean("brazil", ids), None);
        assert_eq!(suggest("brazil", ids), "known: eea, eu, rest-of-world, uk");
    }

    #[test]
    fn tidies_control_characters_and_long_values() {
        assert_eq!(tidy("plain `eu`"), "plain `eu`");
        assert_eq!(tidy("bell `a\u{7}b`"), "bell `a\\u{7}b`");
        let long = format!("unknown variant `{}`, expected `a`", "x".repeat(100_000));
        let t = tidy(&long);
        assert!(t.len() < 200, "{t}");
        assert!(t.contains("…(99920 characters)…"), "{t}");
        assert!(t.ends_with("`, expected `a`"), "{t}");
    }

    #[test]
    fn lines_give_what_line_col_gives_in_any_order() {
        let text = "ab\ncé d\n\nxyz";
        let mut lines = Lines::new(text);
        for offset in [0, 1, 3, 5, 6, 7, 12, 4, 2, 99, 9] {
            assert_eq!(
                lines.line_col(offset),
                line_col(text, offset),
                "at {offset}"
            );
        }
    }

    #[test]
    fn lines_and_columns_count_characters() {
        assert_eq!(line_col("ab\ncé d", 6), (2, 3));
        assert_eq!(line_col("ab\ncé d", 5), (2, 2), "inside `é`");
        assert_eq!(line_col("ab", 99), (1, 3));
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
