//! The search tokenizer: text to folded terms, quickly for ASCII, exactly as `static/search.js`
//! does it (`tests/search_browser.rs`), the words of rendered HTML, and terms' postings.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

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

/// The start of [`html_text`]: whole runs between tags (so whole words) until their words,
/// each with a space after it, are more than `chars` characters, or all of it.
pub(crate) fn html_lead(html: &str, chars: usize) -> String {
    let (mut out, mut total) = (String::new(), 0);
    html_segments_while(html, |s| {
        out.push_str(s);
        out.push(' ');
        total += s
            .split_whitespace()
            .map(|w| w.chars().count() + 1)
            .sum::<usize>();
        total <= chars
    });
    out
}

/// Calls `f` with each run of text between the tags of `html`, its entities decoded: the words
/// of [`html_text`] without making it (a tag separates words as a space does).
pub(crate) fn html_segments(html: &str, mut f: impl FnMut(&str)) {
    html_segments_while(html, |s| {
        f(s);
        true
    });
}

/// As [`html_segments`], until `f` returns false.
fn html_segments_while(html: &str, mut f: impl FnMut(&str) -> bool) {
    let mut each = |s: &str| {
        if s.contains('&') {
            f(&(s
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&nbsp;", " ")
                .replace("&amp;", "&")))
        } else {
            s.is_empty() || f(s)
        }
    };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if !each(&rest[..lt]) {
            return;
        }
        rest = rest[lt..].find('>').map_or("", |gt| &rest[lt + gt + 1..]);
    }
    each(rest);
}

/// FxHash's multiply-and-mix over eight bytes at a time, finished with a rotation so the bits
/// `HashMap` picks buckets by are mixed: terms are short, and SipHash showed in profiles.
#[derive(Default, Clone, Copy)]
pub(crate) struct TermHasher(u64);

const SEED: u64 = 0xf135_7aea_2e62_a9c5;

impl Hasher for TermHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = c.try_into().map_or(0, u64::from_le_bytes);
            self.0 = (self.0 ^ word).wrapping_mul(SEED);
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.0 = (self.0 ^ u64::from_le_bytes(last) ^ bytes.len() as u64).wrapping_mul(SEED);
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0 ^ u64::from(i)).wrapping_mul(SEED);
    }
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// A map from terms, hashed with [`TermHasher`].
pub(crate) type TermMap<V> = HashMap<String, V, BuildHasherDefault<TermHasher>>;

/// Each term's postings (page, weight, by page) for pages added in order, one page's terms
/// together: a term is owned once, however many pages have it.
#[derive(Default)]
pub(crate) struct Postings {
    ids: TermMap<u32>,
    lists: Vec<Vec<(u32, u32)>>,
}

impl Postings {
    /// Adds `weight` to `term`'s weight on page `page` (the page added last, or a new one).
    pub(crate) fn add(&mut self, page: u32, term: &str, weight: u32) {
        let id = match self.ids.get(term) {
            Some(&id) => id as usize,
            None => {
                self.ids.insert(term.to_string(), self.lists.len() as u32);
                self.lists.push(Vec::new());
                self.lists.len() - 1
            }
        };
        let list = &mut self.lists[id];
        match list.last_mut() {
            Some((p, w)) if *p == page => *w += weight,
            _ => list.push((page, weight)),
        }
    }

    /// These postings and `later`'s (of pages after these), into the larger of the two.
    pub(crate) fn merge(mut self, mut later: Postings) -> Postings {
        if self.lists.len() >= later.lists.len() {
            for (term, id) in later.ids {
                let more = std::mem::take(&mut later.lists[id as usize]);
                match self.ids.get(&term) {
                    Some(&mine) => self.lists[mine as usize].extend(more),
                    None => {
                        self.ids.insert(term, self.lists.len() as u32);
                        self.lists.push(more);
                    }
                }
            }
            self
        } else {
            for (term, id) in self.ids {
                let mut list = std::mem::take(&mut self.lists[id as usize]);
                match later.ids.get(&term) {
                    Some(&theirs) => {
                        let theirs = &mut later.lists[theirs as usize];
                        list.append(theirs);
                        *theirs = list;
                    }
                    None => {
                        later.ids.insert(term, later.lists.len() as u32);
                        later.lists.push(list);
                    }
                }
            }
            later
        }
    }

    /// Each term and its postings, in term order.
    pub(crate) fn into_sorted(mut self) -> Vec<(String, Vec<(u32, u32)>)> {
        let mut out: Vec<(String, Vec<(u32, u32)>)> = (self.ids.into_iter())
            .map(|(t, id)| (t, std::mem::take(&mut self.lists[id as usize])))
            .collect();
        out.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        out
    }
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
