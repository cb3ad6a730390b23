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
        if run.is_ascii() {
            ascii_terms(run, false, &mut buf, &mut f);
        } else {
            folded_terms(run, &mut f);
        }
    }
}

/// The terms of a run without ASCII spaces, folded whole.
fn folded_terms(run: &str, f: &mut impl FnMut(&str)) {
    let folded = fold(run);
    let terms = folded.split(' ');
    terms
        .filter(|t| !t.is_empty() && t.chars().count() <= MAX_TERM)
        .for_each(f);
}

/// The entities Markdown rendering writes in text, and what each stands for.
const ENTITIES: [(&str, &str); 6] = [
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", "\""),
    ("&#39;", "'"),
    ("&nbsp;", " "),
    ("&amp;", "&"),
];

/// The terms of an ASCII run: its runs of ASCII letters and digits, lowercased, those over
/// [`MAX_TERM`] left out; with `entities`, an entity of [`ENTITIES`] separates terms whole.
fn ascii_terms(run: &str, entities: bool, buf: &mut String, f: &mut impl FnMut(&str)) {
    let b = run.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            let entity = (entities && b[i] == b'&')
                .then(|| ENTITIES.iter().find(|(e, _)| run[i..].starts_with(e)))
                .flatten();
            i += entity.map_or(1, |(e, _)| e.len());
            continue;
        }
        let (start, mut upper) = (i, false);
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            upper |= b[i].is_ascii_uppercase();
            i += 1;
        }
        ascii_term(&run[start..i], upper, buf, f);
    }
}

/// Calls `f` with a run of ASCII letters and digits as a term: lowercased (`upper`: it has
/// capitals), unless it is over [`MAX_TERM`] long.
fn ascii_term(part: &str, upper: bool, buf: &mut String, f: &mut (impl FnMut(&str) + ?Sized)) {
    if part.len() > MAX_TERM {
    } else if upper {
        buf.clear();
        buf.push_str(part);
        buf.make_ascii_lowercase();
        f(buf);
    } else {
        f(part);
    }
}

/// What a byte is to [`each_html_token`]: 0 for other ASCII (punctuation, which separates).
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const SPACE: u8 = 3;
const TAG: u8 = 4;
const AMP: u8 = 5;
const HIGH: u8 = 6;
const CLASS: [u8; 256] = {
    let mut t = [0; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = match i as u8 {
            b'a'..=b'z' | b'0'..=b'9' => LOWER,
            b'A'..=b'Z' => UPPER,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c => SPACE,
            b'<' => TAG,
            b'&' => AMP,
            0x80.. => HIGH,
            _ => 0,
        };
        i += 1;
    }
    t
};

/// A byte in each of eight: the low and the high bits of each.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = ONES * 0x80;

/// The high bit of each byte of `w` that is ASCII from `lo` to `hi` (no byte carries into the
/// next: seven bits plus at most 0x80 stay under 0x100).
fn between(w: u64, lo: u8, hi: u8) -> u64 {
    let low = w & !HIGHS;
    let at_least = low + ONES * u64::from(0x80 - lo);
    let over = low + ONES * u64::from(0x7f - hi);
    at_least & !over & !w & HIGHS
}

/// Where the run of ASCII letters and digits at `i` ends, and whether it has capitals: eight
/// bytes at a time, then one by one.
fn word_end(b: &[u8], mut i: usize) -> (usize, bool) {
    let mut upper = false;
    while let Some(chunk) = b.get(i..i + 8) {
        let w = chunk.try_into().map_or(0, u64::from_le_bytes);
        let word = between(w | (ONES * 0x20), b'a', b'z') | between(w, b'0', b'9');
        let capitals = between(w, b'A', b'Z');
        let stop = !word & HIGHS;
        if stop == 0 {
            (upper, i) = (upper || capitals != 0, i + 8);
            continue;
        }
        let n = stop.trailing_zeros() as usize / 8;
        let before = (1u64 << (n * 8)) - 1;
        return (i + n, upper || (capitals & before) != 0);
    }
    while let Some(c @ (LOWER | UPPER)) = b.get(i).map(|&c| CLASS[c as usize]) {
        upper |= c == UPPER;
        i += 1;
    }
    (i, upper)
}

/// Where the run `i` is in ends: at an ASCII space, a tag, `&nbsp;` or the end of `html`.
fn run_end(html: &str, mut i: usize) -> usize {
    let b = html.as_bytes();
    while i < b.len() {
        match CLASS[b[i] as usize] {
            SPACE | TAG => break,
            AMP if html[i..].starts_with("&nbsp;") => break,
            _ => i += 1,
        }
    }
    i
}

/// Calls `f` with each term of the text of `html`, as [`each_token`] over each of
/// [`html_segments`] would, in one pass. A run (up to an ASCII space, a tag or `&nbsp;`) is
/// cut into terms as it is read, and they are passed on at its end unless it turns out not to
/// be ASCII; then it is folded whole, its entities decoded.
pub(crate) fn each_html_token(html: &str, mut f: impl FnMut(&str)) {
    let b = html.as_bytes();
    let (mut i, mut run) = (0, 0);
    let mut terms: Vec<(usize, usize, bool)> = Vec::new();
    let mut buf = String::new();
    let flush =
        |terms: &mut Vec<(usize, usize, bool)>, buf: &mut String, f: &mut dyn FnMut(&str)| {
            for (start, end, upper) in terms.drain(..) {
                ascii_term(&html[start..end], upper, buf, f);
            }
        };
    while i < b.len() {
        let class = CLASS[b[i] as usize];
        if class == LOWER || class == UPPER {
            let start = i;
            let upper;
            (i, upper) = word_end(b, i);
            // A term right before the end of its run (mostly so) goes now, its run being ASCII.
            if terms.is_empty()
                && b.get(i)
                    .is_none_or(|&c| matches!(CLASS[c as usize], SPACE | TAG))
            {
                ascii_term(&html[start..i], upper, &mut buf, &mut f);
            } else {
                terms.push((start, i, upper));
            }
            continue;
        }
        let nbsp = class == AMP && html[i..].starts_with("&nbsp;");
        if class == SPACE || class == TAG || nbsp {
            flush(&mut terms, &mut buf, &mut f);
            i = match class {
                SPACE => i + 1,
                TAG => match html[i..].find('>') {
                    Some(gt) => i + gt + 1,
                    None => return,
                },
                _ => i + "&nbsp;".len(),
            };
            run = i;
        } else if class == AMP {
            let entity = ENTITIES.iter().find(|(e, _)| html[i..].starts_with(e));
            i += entity.map_or(1, |(e, _)| e.len());
        } else if class == HIGH {
            terms.clear();
            i = run_end(html, i);
            let text = &html[run..i];
            if text.contains('&') {
                let decoded = ENTITIES
                    .iter()
                    .fold(text.to_string(), |s, (e, c)| s.replace(e, c));
                folded_terms(&decoded, &mut f);
            } else {
                folded_terms(text, &mut f);
            }
        } else {
            i += 1;
        }
    }
    flush(&mut terms, &mut buf, &mut f);
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
            f(&ENTITIES
                .iter()
                .fold(s.to_string(), |s, (e, c)| s.replace(e, c)))
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

    #[test]
    fn html_terms_in_one_pass_are_those_of_each_segment() {
        let cases = [
            "<p>Fish &amp; <em>Chips</em>, opt-out 2025.</p>",
            "a&nbsp;b&amp;nbsp;c &lt;b&gt; don&#39;t &quot;q&quot; &bogus; x&y",
            "<h2>Côte d’Ivoire&nbsp;GROß</h2><p>café&amp;co naïve-Word end</p>",
            "caf\u{e9}<em>x</em>é&nbsp;Y a>b <a href=\"x\">link</a> tail <unclosed",
            &format!("{} {}", "x".repeat(MAX_TERM + 1), "Y".repeat(MAX_TERM)),
            "abcdefgH ijklmnopQrst uvwxyz0123456789@[`{ AZaz09/:Z abcdefgh\u{e9}ij abcdefghé",
            "seven77 EIGHT888 nine99999<b>TenTenTenT</b>x1&amp;Y2;z3\u{7f}w4\u{80}",
        ];
        for html in cases {
            let (mut one, mut each) = (Vec::new(), Vec::new());
            each_html_token(html, |t| one.push(t.to_string()));
            html_segments(html, |s| each_token(s, |t| each.push(t.to_string())));
            assert_eq!(one, each, "{html}");
        }
        let mut terms = Vec::new();
        each_html_token("<p>Fish &amp; <em>Chips</em> d’Ivoire</p>", |t| {
            terms.push(t.to_string())
        });
        assert_eq!(terms, ["fish", "chips", "d", "ivoire"]);
    }
}
