//! Markdown to HTML with pulldown-cmark: the site's extensions, heading ids and a table of
//! contents, and a hook that rewrites each link destination (where cross-links resolve).
//! Also Markdown to Markdown for exports: link destinations rewritten, plain text escaped.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::model::Heading;

/// The extensions every page gets.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The HTML of a Markdown text and its headings.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
}

/// Renders `src`. `rewrite(dest, offset)` sees every link and image destination with its byte
/// offset in `src`, and returns a replacement (or `None` to keep it).
pub fn render(src: &str, mut rewrite: impl FnMut(&str, usize) -> Option<String>) -> Rendered {
    // About one event per 16 bytes of Markdown: grown once or twice rather than a dozen times.
    let mut events: Vec<Event> = Vec::with_capacity(src.len() / 16);
    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: rewrite(&dest_url, range.start).map_or(dest_url, CowStr::from),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: rewrite(&dest_url, range.start).map_or(dest_url, CowStr::from),
                title,
                id,
            }),
            Event::Text(t) if t.contains('\0') => Event::Text(no_nul(&t)),
            Event::Code(t) if t.contains('\0') => Event::Code(no_nul(&t)),
            Event::Html(t) if t.contains('\0') => Event::Html(no_nul(&t)),
            Event::InlineHtml(t) if t.contains('\0') => Event::InlineHtml(no_nul(&t)),
            // A task-list box as a named mark, not an unlabelled (and untickable) form field.
            Event::TaskListMarker(done) => Event::InlineHtml(CowStr::Borrowed(task_mark(done))),
            other => other,
        };
        events.push(event);
    }
    let toc = assign_heading_ids(&mut events);
    let mut out = HTML_BUFFER.take();
    out.clear();
    html::push_html(&mut out, events.into_iter());
    // NULs outside text (a fence's info string, a link's destination) pass through as well.
    let html = if out.contains('\0') {
        out.replace('\0', "\u{fffd}")
    } else {
        out.as_str().to_owned()
    };
    if out.capacity() <= KEPT_BUFFER {
        HTML_BUFFER.set(out);
    }
    Rendered { html, toc }
}

thread_local! {
    /// This thread's HTML buffer, reused from text to text: the HTML is copied out at its
    /// exact size, so a large site does not keep each body's spare capacity.
    static HTML_BUFFER: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// The largest HTML buffer kept for the next text; a larger one is freed.
const KEPT_BUFFER: usize = 1 << 20;

/// The mark of a task-list item (`- [ ]`, `- [x]`): a box a screen reader names.
fn task_mark(done: bool) -> &'static str {
    if done {
        r#"<span class="task task-done" role="img" aria-label="Done">☑</span> "#
    } else {
        r#"<span class="task" role="img" aria-label="To do">☐</span> "#
    }
}

/// `text` with each NUL replaced by U+FFFD, as CommonMark asks (pulldown-cmark keeps them).
fn no_nul(text: &str) -> CowStr<'static> {
    CowStr::from(text.replace('\0', "\u{fffd}"))
}

/// Renders a short text field; a single paragraph loses its `<p>` so it can sit inline.
pub fn render_inline(src: &str, rewrite: impl FnMut(&str, usize) -> Option<String>) -> String {
    let html = render(src, rewrite).html;
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// Gives every heading an id (its own `{#id}`, or a slug of its text, made unique) and
/// returns the level-2 and level-3 headings for a table of contents.
fn assign_heading_ids(events: &mut [Event]) -> Vec<Heading> {
    let mut used: HashSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut toc = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, .. }) = &events[i] {
            let level = *level;
            let mut title = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    title.push_str(t);
                }
                j += 1;
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                let final_id = match id {
                    Some(existing) => existing.to_string(),
                    None => {
                        let base = slugify(&title);
                        let base = if base.is_empty() {
                            "section".to_string()
                        } else {
                            base
                        };
                        let candidate = unique_id(base, &mut used, &mut next_suffix);
                        *id = Some(CowStr::from(candidate.clone()));
                        candidate
                    }
                };
                if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                    toc.push(Heading {
                        level: level as u8,
                        id: final_id,
                        title,
                    });
                }
            }
            i = j;
        }
        i += 1;
    }
    toc
}

/// The first of `base`, `base-1`, `base-2`, … not in `used`, which it joins.
///
/// `next_suffix` remembers per base where the previous search stopped: `used` only grows, so
/// every candidate tried before is still taken and the search resumes there. Each id is thus
/// tried at most once per base that could produce it, which keeps the whole pass linear (it
/// was quadratic in the number of equal headings) while giving the same ids as a search from 1.
fn unique_id(
    base: String,
    used: &mut HashSet<String>,
    next_suffix: &mut HashMap<String, usize>,
) -> String {
    let mut n = next_suffix.get(&base).copied().unwrap_or(0);
    let mut candidate = if n == 0 {
        base.clone()
    } else {
        format!("{base}-{n}")
    };
    while used.contains(&candidate) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    used.insert(candidate.clone());
    next_suffix.insert(base, n + 1);
    candidate
}

/// `What's new?` → `what-s-new`: lowercase ASCII letters and digits joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Escapes plain text for Markdown: every character that could start markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `src` with each link and image destination `d` replaced by `dest(d)` where that gives one.
/// The Markdown stays as the editor wrote it; only destinations change.
pub fn rewrite_links(src: &str, dest: impl Fn(&str) -> Option<String>) -> String {
    let parser = Parser::new_ext(src, options());
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let defs = parser.reference_definitions().iter();
    for (_, def) in defs {
        if let (Some(new), Some(at)) = (dest(&def.dest), find_dest(src, &def.span, &def.dest, "]:"))
        {
            edits.push((at, new));
        }
    }
    for (event, range) in parser.into_offset_iter() {
        let (Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            ..
        })) = event
        else {
            continue;
        };
        let Some(new) = dest(&dest_url) else { continue };
        match link_type {
            LinkType::Inline => {
                edits.extend(find_dest(src, &range, &dest_url, "](").map(|at| (at, new)))
            }
            LinkType::Autolink => edits.push((range, format!("<{new}>"))),
            _ => {} // reference links: their definitions were rewritten above
        }
    }
    edits.sort_by_key(|(at, _)| at.start);
    let (mut out, mut done) = (String::with_capacity(src.len() + 64), 0);
    for (at, new) in edits {
        if at.start >= done {
            out.push_str(&src[done..at.start]);
            out.push_str(&new);
            done = at.end;
        }
    }
    out.push_str(&src[done..]);
    out
}

/// Where `dest` is written in `src[within]`: the first occurrence after the last `marker`.
fn find_dest(src: &str, within: &Range<usize>, dest: &str, marker: &str) -> Option<Range<usize>> {
    let text = src.get(within.clone())?;
    let from = if marker == "](" {
        text.rfind(marker)?
    } else {
        text.find(marker)?
    };
    let start = within.start + from + text[from..].find(dest)?;
    Some(start..start + dest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_ids_and_a_toc() {
        let r = render(
            "# Title\n\n## What's new?\n\n### Details {#own}\n\n## What's new?\n",
            |_, _| None,
        );
        assert!(r.html.contains(r#"<h2 id="what-s-new">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="what-s-new-1">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h3 id="own">"#), "{}", r.html);
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["what-s-new", "own", "what-s-new-1"]);
        assert_eq!(r.toc[0].title, "What\u{2019}s new?");
    }

    #[test]
    fn duplicate_ids_skip_explicit_and_earlier_ones() {
        let r = render(
            "# A\n\n# A {#a-1}\n\n# A\n\n# A-1\n\n# A\n\n# a-2\n",
            |_, _| None,
        );
        let ids: Vec<&str> = r
            .html
            .split("id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        // Same as searching from `-1` every time: `a-1` is explicit, so the second `A` is
        // `a-2`; `A-1` then finds `a-1` taken and becomes `a-1-1`.
        assert_eq!(ids, ["a", "a-1", "a-2", "a-1-1", "a-3", "a-2-1"]);
    }

    #[test]
    fn ids_match_a_search_from_one_on_mixed_headings() {
        // The former quadratic search, as the reference.
        fn reference(headings: &[(&str, Option<&str>)]) -> Vec<String> {
            let mut used: HashSet<String> = headings
                .iter()
                .filter_map(|h| h.1.map(String::from))
                .collect();
            let mut ids = Vec::new();
            for (text, own) in headings {
                if let Some(own) = own {
                    ids.push(own.to_string());
                    continue;
                }
                let base = slugify(text);
                let (mut candidate, mut n) = (base.clone(), 1);
                while used.contains(&candidate) {
                    candidate = format!("{base}-{n}");
                    n += 1;
                }
                used.insert(candidate.clone());
                ids.push(candidate);
            }
            ids
        }
        let texts = ["a", "a-1", "a-2", "a 1 1", "b", "a-1-1", "b-1"];
        let owns = [None, None, None, Some("a-3"), Some("b-1"), Some("a-1-2")];
        let mut seed: u32 = 7;
        for _ in 0..200 {
            let mut headings = Vec::new();
            for _ in 0..12 {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let text = texts[(seed >> 8) as usize % texts.len()];
                let own = owns[(seed >> 20) as usize % owns.len()];
                headings.push((text, own));
            }
            let src: String = headings
                .iter()
                .map(|(t, own)| match own {
                    Some(o) => format!("## {t} {{#{o}}}\n\n"),
                    None => format!("## {t}\n\n"),
                })
                .collect();
            let got: Vec<String> = render(&src, |_, _| None)
                .toc
                .into_iter()
                .map(|h| h.id)
                .collect();
            assert_eq!(got, reference(&headings), "{src}");
        }
    }

    #[test]
    fn twenty_thousand_duplicate_headings_are_numbered_in_linear_time() {
        let src = "## x\n\n".repeat(20_000);
        let r = render(&src, |_, _| None);
        assert_eq!(r.toc.len(), 20_000);
        assert_eq!(r.toc[0].id, "x");
        for (i, h) in r.toc.iter().enumerate().skip(1) {
            assert_eq!(h.id, format!("x-{i}"));
        }
        assert_eq!(r.toc[19_999].id, "x-19999");
    }

    #[test]
    fn nul_bytes_become_replacement_characters() {
        let r = render(
            "a\0b `c\0` <i>\0</i>\n\n<div>\0</div>\n\n~~~\0\nx\n~~~\n",
            |_, _| None,
        );
        assert!(!r.html.contains('\0'), "{:?}", r.html);
        assert_eq!(r.html.matches('\u{fffd}').count(), 5, "{}", r.html);
    }

    #[test]
    fn extensions_are_on() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ - [x] done\n\nNote[^1].\n\n[^1]: A footnote.\n",
            |_, _| None,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("footnote"));
        let tasks = render("- [ ] to do\n- [x] done\n", |_, _| None).html;
        assert!(!tasks.contains("<input"), "{tasks}");
        assert!(
            tasks.contains(r#"aria-label="To do">☐</span> to do"#),
            "{tasks}"
        );
        assert!(
            tasks.contains(r#"aria-label="Done">☑</span> done"#),
            "{tasks}"
        );
    }

    #[test]
    fn links_are_rewritten_with_their_offsets() {
        let src = "See [the EU](region:eu) and [web](https://example.org).";
        let mut seen = Vec::new();
        let html = render_inline(src, |dest, at| {
            seen.push((dest.to_string(), at));
            dest.strip_prefix("region:")
                .map(|id| format!("/regions/{id}/"))
        });
        assert_eq!(
            html,
            r#"See <a href="/regions/eu/">the EU</a> and <a href="https://example.org">web</a>."#
        );
        assert_eq!(seen[0], ("region:eu".to_string(), 4));
    }

    #[test]
    fn rewrites_inline_reference_and_auto_links_and_keeps_the_rest() {
        let dest = |d: &str| {
            d.strip_prefix("region:")
                .map(|id| format!("https://x.org/regions/{id}/"))
        };
        assert_eq!(
            rewrite_links(
                "See [the EU](region:eu \"t\") and [web](https://a.b/).",
                dest
            ),
            "See [the EU](https://x.org/regions/eu/ \"t\") and [web](https://a.b/)."
        );
        assert_eq!(
            rewrite_links("[![i](region:uk)](region:eu) <region:ch>", dest),
            "[![i](https://x.org/regions/uk/)](https://x.org/regions/eu/) <https://x.org/regions/ch/>"
        );
        assert_eq!(
            rewrite_links("The [UK][u].\n\n[u]: region:uk\n", dest),
            "The [UK][u].\n\n[u]: https://x.org/regions/uk/\n"
        );
        assert_eq!(
            rewrite_links("**bold** `region:eu`", dest),
            "**bold** `region:eu`"
        );
    }

    #[test]
    fn escapes_markdown_in_plain_text() {
        assert_eq!(
            escape("a_b *c* [d] <e> #1"),
            "a\\_b \\*c\\* \\[d\\] \\<e\\> \\#1"
        );
        assert_eq!(escape("Settings & Privacy"), "Settings & Privacy");
    }
}
