//! The lexer under the template scan: the `{% … %}` and `{{ … }}` tags of a template and
//! the tokens of their bodies, with byte offsets. It knows no tag's meaning (see `template_scan`).

/// A token of a tag's body, with its byte offset in the template.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok<'a> {
    Ident(&'a str),
    Str(&'a str),
    Int(&'a str),
    /// `::`
    PathSep,
    Punct(char),
}

/// One `{% … %}` or `{{ … }}`: its body's tokens.
pub(super) struct Tag<'a> {
    /// Byte offset of the tag's `{`.
    pub start: usize,
    pub statement: bool,
    pub toks: Vec<(Tok<'a>, usize)>,
}

/// Line and column (from 1, in characters) of byte `at` in `src`.
pub(super) fn line_col(src: &str, at: usize) -> (usize, usize) {
    let before = src.get(..at).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The tags of `src` in order, skipping comments and `{% raw %}` blocks. An unclosed tag
/// ends the scan: Tera reports it as a syntax error.
pub(super) fn tags(src: &str) -> Vec<Tag<'_>> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_raw = false;
    while let Some(found) = src.get(i..).and_then(|s| s.find('{')) {
        let open = i + found;
        let closer = match bytes.get(open + 1) {
            Some(b'%') => "%}",
            Some(b'{') if !in_raw => "}}",
            Some(b'#') if !in_raw => {
                match src[open + 2..].find("#}") {
                    Some(end) => i = open + 2 + end + 2,
                    None => break,
                }
                continue;
            }
            _ => {
                i = open + 1;
                continue;
            }
        };
        let body_start = open + 2;
        let Some(body_end) = tag_end(src, body_start, closer) else {
            break;
        };
        i = body_end + 2;
        let toks = tokens(src, body_start, body_end);
        let first = toks.first().map(|(t, _)| t.clone());
        if in_raw {
            in_raw = first != Some(Tok::Ident("endraw"));
            continue;
        }
        in_raw = closer == "%}" && first == Some(Tok::Ident("raw"));
        out.push(Tag {
            start: open,
            statement: closer == "%}",
            toks,
        });
    }
    out
}

/// Where `closer` ends the tag whose body starts at `from`, outside string literals.
fn tag_end(src: &str, from: usize, closer: &str) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'' | b'`') => i += 1 + src[i + 1..].find(q as char)? + 1,
            _ if bytes[i..].starts_with(closer.as_bytes()) => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Tokens of `src[from..to]` (whitespace-control dashes are punctuation, and harmless).
fn tokens(src: &str, from: usize, to: usize) -> Vec<(Tok<'_>, usize)> {
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        let rest = &src[i..to];
        let Some(c) = rest.chars().next() else { break };
        let len = if c == '"' || c == '\'' || c == '`' {
            let (text, end) = match rest[1..].find(c) {
                Some(e) => (&rest[1..1 + e], e + 2),
                None => (&rest[1..], rest.len()),
            };
            out.push((Tok::Str(text), i));
            end
        } else if c.is_alphabetic() || c == '_' {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            out.push((Tok::Ident(&rest[..end]), i));
            end
        } else if c.is_ascii_digit() {
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '_'))
                .unwrap_or(rest.len());
            out.push((Tok::Int(&rest[..end]), i));
            end
        } else if rest.starts_with("::") {
            out.push((Tok::PathSep, i));
            2
        } else {
            if !c.is_whitespace() {
                out.push((Tok::Punct(c), i));
            }
            c.len_utf8()
        };
        i += len;
    }
    out
}
