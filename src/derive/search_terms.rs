//! The search tokenizer: text to folded terms, quickly for ASCII, exactly as `static/search.js`
//! does it (`tests/search_browser.rs`), and the words of rendered HTML.

use crate::derive::finder::fold;

/// Longer "words" (hashes, URLs run together) are left out of the index.
pub const MAX_TERM: usize = 32;

/// The terms of `text`: folded ([`fold`]: case, accents and punctuation away), split at
/// spaces, those over [`MAX_TERM`] characters left out.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_token(text, |t| out.push(t.to_string()));
    out
}

/// Calls `f` with each term of `text`, as [`tokens`] lists them. A run of ASCII between
/// ASCII spaces takes a fast path that folds it as [`fold`] would (nothing to decompose;
/// only ASCII letters and digits are kept); any other run is folded on its own, which is
/// the same as folding the whole text (spaces separate terms either way, and end the
/// context of a final sigma).
pub(crate) fn each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    for run in text.split_ascii_whitespace() {
        if !run.is_ascii() {
            let folded = fold(run);
            let terms = folded.split(' ');
            terms
                .filter(|t| !t.is_empty() && t.chars().count() <= MAX_TERM)
                .for_each(&mut f);
            continue;
        }
        let b = run.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let (start, mut upper) = (i, false);
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                upper |= b[i].is_ascii_uppercase();
                i += 1;
            }
            let part = &run[start..i];
            if part.len() > MAX_TERM {
            } else if upper {
                buf.clear();
                buf.push_str(part);
                buf.make_ascii_lowercase();
                f(&buf);
            } else {
                f(part);
            }
        }
    }
}

/// The shard a term is in: its first `prefix` characters.
pub fn shard_key(term: &str, prefix: usize) -> String {
    term.chars().take(prefix).collect()
}

/// The text of some HTML: tags dropped (block ends as spaces), the entities Markdown
/// rendering writes decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    html_segments(html, |s| {
        out.push_str(s);
        out.push(' ');
    });
    out
}

/// Calls `f` with each run of text between the tags of `html`, its entities decoded: the words
/// of [`html_text`] without making it (a tag separates words as a space does).
pub(crate) fn html_segments(html: &str, mut f: impl FnMut(&str)) {
    let mut each = |s: &str| {
        if s.contains('&') {
            f(&(s
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&nbsp;", " ")
                .replace("&amp;", "&")));
        } else if !s.is_empty() {
            f(s);
        }
    };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        each(&rest[..lt]);
        rest = rest[lt..].find('>').map_or("", |gt| &rest[lt + gt + 1..]);
    }
    each(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_case_accents_and_punctuation() {
        assert_eq!(
            tokens("Côte d’Ivoire, GROß!"),
            ["cote", "d", "ivoire", "gross"]
        );
        assert_eq!(tokens("opt-out 2025"), ["opt", "out", "2025"]);
        assert!(tokens(&"x".repeat(MAX_TERM + 1)).is_empty());
    }

    #[test]
    fn html_becomes_text() {
        let t = html_text("<p>Fish &amp; <em>chips</em></p><p>&lt;b&gt;</p>");
        assert_eq!(
            t.split_whitespace().collect::<Vec<_>>(),
            ["Fish", "&", "chips", "<b>"]
        );
    }
}
