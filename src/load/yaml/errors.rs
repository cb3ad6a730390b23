//! serde_yaml's errors made useful: a syntax error located where its construct starts, a
//! shape error (unknown or missing field, wrong type) located by its path, each with a fix.

use crate::diagnostics::{Diagnostic, Loc, line_col, suggest};

use super::Spans;

/// Our own value errors (a bad date) start with the value in backticks, and serde_yaml places
/// them at the enclosing mapping; find the value's text from there on.
fn value_in_source(spans: &Spans, src: &str, e: &serde_yaml::Error, message: &str) -> Option<Loc> {
    let value = message.strip_prefix('`')?.split('`').next()?;
    let from = e.location().map_or(0, |l| l.index()).min(src.len());
    let at = from + src.get(from..)?.find(value)?;
    let (line, col) = line_col(src, at);
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

pub(super) fn shape_error(spans: &Spans, src: &str, e: &serde_yaml::Error) -> Diagnostic {
    let serde_loc = e
        .location()
        .map(|l| Loc::new(spans.file(), l.line() + spans.line_offset, l.column()));
    let full = e.to_string();
    if let Some(d) = reader_error(spans, src, &full) {
        return d;
    }
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
    let help = if message.contains("more than one document") {
        Some("a file holds one YAML document: remove the `---`, `...` or `%` directive lines inside it".to_string())
    } else {
        help_for(&message, path.is_some())
    };
    // serde_yaml gives some errors no place at all: the file is still the place to look.
    let loc = loc.or_else(|| Some(spans.loc(1, 1)));
    let mut d = Diagnostic::error(loc, message);
    d.help = help;
    d
}

/// libyaml's reader errors ("control characters are not allowed at position 812") give a
/// byte offset instead of a line: turn it into one.
fn reader_error(spans: &Spans, src: &str, full: &str) -> Option<Diagnostic> {
    let (problem, at) = full.split_once(" at position ")?;
    let offset: usize = at
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    let (line, col) = line_col(src, offset);
    let help = if problem.contains("control characters") {
        "remove the control character, or write it escaped inside double quotes (e.g. \\u001b)"
    } else {
        SYNTAX_HELP
    };
    Some(
        Diagnostic::error(
            Some(Loc::new(spans.file(), line + spans.line_offset, col)),
            problem,
        )
        .with_help(help),
    )
}

/// The fix for a shape error's message (`unknown field …`, `missing field …`, …).
pub(super) fn help_for(message: &str, has_path: bool) -> Option<String> {
    let backticked = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    if let Some(rest) = message.strip_prefix("unknown field ") {
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
        let names = backticked(message);
        let wanted = names.first().cloned().unwrap_or_default();
        Some(suggest(&wanted, names.iter().skip(1).map(String::as_str)))
    } else if !has_path && !message.starts_with('`') {
        Some(SYNTAX_HELP.to_string())
    } else {
        None
    }
}
