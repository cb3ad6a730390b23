//! An archived source text as passages (sentences), the known names each mentions (regions,
//! countries, categories, changes, dates) and which passages no claim quotes. Pure: text in,
//! positions out; `check --coverage` and the source page read it.

use crate::model::Site;
use crate::model::date::MONTHS;

/// Folds what may differ between a quote and its archive: runs of whitespace become one space;
/// curly, angled and prime quote marks become straight ones.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => '"',
            c if c.is_whitespace() => {
                space = true;
                continue;
            }
            c => c,
        };
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// One passage of an archive: its byte range and where it starts (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub col: usize,
}

/// Splits `text` into sentences: a passage ends at `.`, `!` or `?` (and any closing quote
/// marks) followed by white space and a capital, digit or opening quote, or at a blank line
/// (so a heading or a dateline is a passage of its own).
pub fn passages(text: &str) -> Vec<Passage> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let mut ranges = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < n {
        let (b, c) = chars[i];
        let Some(s) = start else {
            if !c.is_whitespace() {
                start = Some(b);
            }
            i += 1;
            continue;
        };
        if c == '\n' {
            let j = skip(&chars, i + 1, |c| c.is_whitespace() && c != '\n');
            if j >= n || chars[j].1 == '\n' {
                ranges.push((s, b));
                start = None;
            }
        } else if matches!(c, '.' | '!' | '?') {
            let j = skip(&chars, i + 1, closing);
            let k = skip(&chars, j, char::is_whitespace);
            if k > j && (k >= n || opens_sentence(chars[k].1)) {
                let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
                ranges.push((s, end));
                start = None;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if let Some(s) = start {
        ranges.push((s, text.len()));
    }
    locate(text, ranges)
}

fn skip(chars: &[(usize, char)], mut i: usize, pred: impl Fn(char) -> bool) -> usize {
    while i < chars.len() && pred(chars[i].1) {
        i += 1;
    }
    i
}

fn closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '\u{201D}' | '\u{2019}' | '\u{00BB}'
    )
}

fn opens_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || matches!(c, '"' | '\'' | '(' | '\u{201C}' | '\u{2018}')
}

/// Trims each range's end and adds its line and column, in one pass over `text`.
fn locate(text: &str, ranges: Vec<(usize, usize)>) -> Vec<Passage> {
    let (mut line, mut col, mut at) = (1, 1, 0);
    let mut out = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        for c in text[at..start].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        at = start;
        let end = start + text[start..end].trim_end().len();
        out.push(Passage {
            start,
            end,
            line,
            col,
        });
    }
    out
}

/// A name the facts know, as it may appear in a source, and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    /// What it names, for messages: `region \`uk\``.
    pub what: String,
    /// Matched with its case as written (short upper-case forms such as `UK`).
    pub exact: bool,
    /// The region it names (directly, or as one of its countries).
    pub region: Option<String>,
}

impl Name {
    fn new(text: &str, what: String) -> Name {
        let exact = text.chars().count() <= 3;
        Name {
            text: text.to_string(),
            what,
            exact,
            region: None,
        }
    }

    fn of_region(text: &str, what: String, region: &str) -> Name {
        Name {
            region: Some(region.to_string()),
            ..Name::new(text, what)
        }
    }

    /// Whether `text` (and `lower`, its lower-case form) mentions it as a whole word.
    pub fn found_in(&self, text: &str, lower: &str) -> bool {
        if self.exact {
            has_word(text, &self.text)
        } else {
            has_word(lower, &self.text.to_lowercase())
        }
    }
}

/// Every name the site's facts know: each region's name and, for an id of two or three
/// letters, its upper-case form (`UK`); the common English names of its countries; each
/// category's and change's name.
pub fn known_names(site: &Site) -> Vec<Name> {
    let mut names = Vec::new();
    for r in site.regions.iter() {
        let what = format!("region `{}`", r.id);
        names.push(Name::of_region(&r.name, what.clone(), &r.id));
        if (2..=3).contains(&r.id.len()) && r.id.chars().all(|c| c.is_ascii_alphabetic()) {
            names.push(Name::of_region(
                &r.id.to_ascii_uppercase(),
                what.clone(),
                &r.id,
            ));
        }
        for alias in &r.aliases {
            names.push(Name::of_region(alias, what.clone(), &r.id));
        }
        for code in &r.countries {
            for n in country_names(code) {
                let what = format!("a country of region `{}`", r.id);
                names.push(Name::of_region(&n, what, &r.id));
            }
        }
    }
    for c in site.categories.iter() {
        names.push(Name::new(&c.name, format!("category `{}`", c.id)));
    }
    for c in &site.config.changes {
        names.push(Name::new(&c.name, format!("change `{}`", c.id)));
    }
    names.retain(|n| !n.text.trim().is_empty());
    names
}

/// Names in common English use that the ISO list spells otherwise.
const COMMON: [(&str, &str); 16] = [
    ("GB", "Britain"),
    ("GB", "United Kingdom"),
    ("US", "United States"),
    ("CZ", "Czech Republic"),
    ("NL", "Netherlands"),
    ("RU", "Russia"),
    ("KR", "South Korea"),
    ("KP", "North Korea"),
    ("IR", "Iran"),
    ("SY", "Syria"),
    ("VN", "Vietnam"),
    ("TW", "Taiwan"),
    ("TR", "Turkey"),
    ("MD", "Moldova"),
    ("TZ", "Tanzania"),
    ("VE", "Venezuela"),
];

/// A country's names: the ISO name, its part before a comma or bracket (`Bolivia
/// (Plurinational State of)` → `Bolivia`), and a common name when it differs.
pub fn country_names(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(c) = rust_iso3166::from_alpha2(code) {
        out.push(c.name.to_string());
        let short = c.name.split([',', '(']).next().unwrap_or("").trim();
        out.push(short.to_string());
    }
    for (k, v) in COMMON {
        if k.eq_ignore_ascii_case(code) {
            out.push(v.to_string());
        }
    }
    out.retain(|n| !n.is_empty());
    out.sort();
    out.dedup();
    out
}

/// What `passage` mentions: each known name (as a whole word) and each date, as
/// “text” (what it names).
pub fn mentions(passage: &str, names: &[Name]) -> Vec<String> {
    let lower = passage.to_lowercase();
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let found = n.found_in(passage, &lower);
        let m = format!("“{}” ({})", n.text, n.what);
        if found && !out.contains(&m) {
            out.push(m);
        }
    }
    for d in dates(passage) {
        let m = format!("“{d}” (a date)");
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

/// Whether `needle` occurs in `hay` with no letter or digit right before or after it.
fn has_word(hay: &str, needle: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    hay.match_indices(needle).any(|(i, m)| {
        !word(hay[..i].chars().next_back()) && !word(hay[i + m.len()..].chars().next())
    })
}

/// The dates in `text`: a day and a month name or its abbreviation, either order (`3
/// November`, `Nov 3, 2025`, `24 Sep 2025`), and ISO dates (`2025-11-03`).
pub fn dates(text: &str) -> Vec<String> {
    let raw: Vec<&str> = text.split_whitespace().collect();
    let trim = |w: &'_ str| -> usize { w.trim_end_matches(|c: char| !c.is_alphanumeric()).len() };
    let words: Vec<&str> = raw
        .iter()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
        .collect();
    // A word that ends in punctuation (`May;`) ends a phrase: it joins the word before it only.
    let open = |i: usize| trim(raw[i]) == raw[i].len();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if iso_date(w) {
            out.push((*w).to_string());
        }
        if !is_month(w) {
            continue;
        }
        if i > 0 && open(i - 1) && is_day(words[i - 1]) {
            out.push(format!("{} {w}", words[i - 1]));
        } else if open(i) && words.get(i + 1).is_some_and(|d| is_day(d)) {
            out.push(format!("{w} {}", words[i + 1]));
        }
    }
    out
}

fn is_month(w: &str) -> bool {
    MONTHS
        .iter()
        .any(|m| w == *m || (w.len() >= 3 && m.starts_with(w) && w.len() <= 4 && w != "Ma"))
}

fn is_day(w: &str) -> bool {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    matches!(suffix, "" | "st" | "nd" | "rd" | "th")
        && (1..=2).contains(&digits.len())
        && digits.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
}

fn iso_date(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Whether a claim's quote (normalized) covers the passage (normalized): it occurs inside it,
/// or it spans the whole passage.
pub fn covers(passage: &str, quote: &str) -> bool {
    !quote.is_empty() && (passage.contains(quote) || quote.contains(passage))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<(&str, usize, usize)> {
        passages(t)
            .into_iter()
            .map(|p| (&t[p.start..p.end], p.line, p.col))
            .collect()
    }

    #[test]
    fn splits_sentences_and_blank_lines() {
        let t = "A heading\n\nOne sentence. Two “quoted.” 3 more\nlines here.\n  e.g. this stays";
        assert_eq!(
            texts(t),
            vec![
                ("A heading", 1, 1),
                ("One sentence.", 3, 1),
                ("Two “quoted.”", 3, 15),
                ("3 more\nlines here.\n  e.g. this stays", 3, 29),
            ]
        );
        assert!(passages(" \n\n ").is_empty());
    }

    #[test]
    fn finds_dates_in_both_orders() {
        assert_eq!(
            dates("from November 3, 2025 (or 9 Nov), not in May; 24 Sep 2025 and 2025-11-03."),
            vec!["November 3", "9 Nov", "24 Sep", "2025-11-03"]
        );
        assert!(dates("we may see 3 more").is_empty());
    }

    #[test]
    fn names_countries_by_common_name() {
        assert!(country_names("GB").contains(&"United Kingdom".to_string()));
        assert!(country_names("BO").contains(&"Bolivia".to_string()));
        assert!(country_names("DE").contains(&"Germany".to_string()));
    }

    #[test]
    fn matches_whole_words_and_short_forms_by_case() {
        let names = vec![
            Name::new("UK", "region `uk`".into()),
            Name::new("Germany", "a country of region `eu`".into()),
        ];
        let m = mentions("users in germany and the UK, from 3 November", &names);
        assert_eq!(
            m,
            vec![
                "“UK” (region `uk`)",
                "“Germany” (a country of region `eu`)",
                "“3 November” (a date)"
            ]
        );
        assert!(mentions("the uk; Germanys; UKRAINE", &names).is_empty());
    }

    #[test]
    fn a_quote_inside_or_around_covers() {
        assert!(covers("It starts on 1 March 2026.", "starts on 1 March"));
        assert!(covers("Short.", "Long. Short. More."));
        assert!(!covers("It starts.", "It ends."));
    }
}
