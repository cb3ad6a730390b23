//! An entry of the semantic diff in lines for people: its status lines, then each other field
//! that changed as `path: before → after`, long values cut where they differ. Shared by
//! `explainer diff` and the site's history.

use super::{Entry, Field, Kind, Op};

const LONG: usize = 72;

/// Markdown links `[text](target)` as their text: a reader of the history sees words, not
/// `claim:` or `source:` addresses.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let mid = rest[open..].find(']').map(|m| open + m);
        let close = mid
            .filter(|&m| rest[m + 1..].starts_with('('))
            .and_then(|m| rest[m..].find(')').map(|c| m + c));
        out.push_str(&rest[..open]);
        match (mid, close) {
            (Some(mid), Some(close)) => {
                out.push_str(&rest[open + 1..mid]);
                rest = &rest[close + 1..];
            }
            _ => {
                out.push('[');
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A value in one line, its links as their text, cut after `LONG` characters; `none` when
/// absent.
pub fn short(value: Option<&String>) -> String {
    let Some(v) = value else {
        return "none".to_string();
    };
    let line = plain(v).split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(LONG) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}

/// `before → after` in one line; two long texts are shown from a little before where they
/// first differ, so that the change is in sight.
fn changed(before: Option<&String>, after: Option<&String>) -> String {
    let (Some(b), Some(a)) = (before, after) else {
        return format!("{} → {}", short(before), short(after));
    };
    let (b, a) = (&plain(b), &plain(a));
    let same = b.char_indices().zip(a.chars()).find(|((_, x), y)| x != y);
    let at = same.map_or(b.len().min(a.len()), |((i, _), _)| i);
    let start = b[..at].rfind(' ').filter(|&i| i > 24).map(|i| i + 1);
    let Some(start) = start else {
        return format!("{} → {}", short(before), short(after));
    };
    let cut = |s: &String| format!("…{}", short(Some(&s[start..].to_string())));
    format!("{} → {}", cut(b), cut(a))
}

/// The lines under an entry: its status lines, then each other field that changed (for an
/// added or removed claim its value and quote, else nothing more).
pub fn detail(e: &Entry) -> Vec<String> {
    let mut lines = e.statuses.clone();
    let status = |f: &Field| !e.statuses.is_empty() && !f.wording && f.path.starts_with("status.");
    let shown = |f: &&Field| match e.op {
        Op::Changed => !status(f),
        _ => e.kind == Kind::Claim && (f.path == "quote" || f.path == "value"),
    };
    for f in e.fields.iter().filter(shown) {
        let value = match e.op {
            Op::Changed => changed(f.before.as_ref(), f.after.as_ref()),
            Op::Added => short(f.after.as_ref()),
            Op::Removed => short(f.before.as_ref()),
        };
        let wording = if f.wording && !e.wording_only {
            " (wording)"
        } else {
            ""
        };
        lines.push(format!("{}: {value}{wording}", f.path));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_shown_from_where_they_differ() {
        let before =
            "The reports do not name the regulator of this region, nor its law.".to_string();
        let after =
            "The reports do not name the regulator of this region; one names its law.".to_string();
        assert_eq!(
            changed(Some(&before), Some(&after)),
            "…region, nor its law. → …region; one names its law."
        );
        assert_eq!(changed(None, Some(&after)), format!("none → {after}"));
        let (a, b) = ("unclear".to_string(), "applies".to_string());
        let linked = "As [the blog](source:blog) says, [x] (y) and [a] [b](c:d) stay.".to_string();
        assert_eq!(
            short(Some(&linked)),
            "As the blog says, [x] (y) and [a] b stay."
        );
        assert_eq!(changed(Some(&a), Some(&b)), "unclear → applies");
    }
}
