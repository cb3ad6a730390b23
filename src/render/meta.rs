//! What a page's `<head>` says about it to search engines, feed readers and chat previews:
//! its own description (from its summary, first paragraph or, for a guide, its statuses; made
//! unique across the site), its canonical address, its OpenGraph/Twitter card and its feeds.
//! Chosen from the model and `Derived`; the templates lay it out.

use std::collections::HashMap;

use serde::Serialize;

use crate::derive::guides::ChangeStatus;
use crate::derive::links::{Kind, route};
use crate::model::base_url::BaseUrl;
use crate::model::{Site, Text};
use crate::render::pages::{Page, Plan, Shows};

/// The longest description, in characters, before it is cut at a word with `…`.
const MAX_DESCRIPTION: usize = 200;

/// The built-in image shared links show, a static file (`static/card.png`).
pub const DEFAULT_IMAGE: &str = "/card.png";

/// The site-wide Atom feed of articles.
pub const FEED: &str = "/feed.xml";

/// The Atom feed of a region's guide: `/regions/eu/feed.xml`.
pub fn region_feed(id: &str) -> String {
    format!("{}feed.xml", route(Kind::Region, id))
}

/// The Atom feed of the changes to the facts (when the site's history is read).
pub const CHANGES_FEED: &str = "/changes/feed.xml";

/// The Atom feed of the changes to what a region's guide shows: `/regions/eu/changes.xml`.
pub fn region_changes_feed(id: &str) -> String {
    format!("{}changes.xml", route(Kind::Region, id))
}

/// A feed a page announces (`<link rel="alternate" type="application/atom+xml">`).
#[derive(Debug, Serialize)]
pub struct FeedLink {
    pub title: String,
    pub url: String,
}

/// `meta` in templates: what the page's head says about it.
#[derive(Debug, Serialize)]
pub struct Head<'a> {
    pub description: &'a str,
    /// Absolute; `None` without a base URL.
    pub canonical: Option<String>,
    /// `website`, or `article` for an article.
    pub og_type: &'static str,
    /// Absolute; `None` without a base URL (unless `image:` is absolute).
    pub image: Option<String>,
    /// Root-relative; none without a base URL (no feed is written then).
    pub feeds: Vec<FeedLink>,
    /// An article's `date` and `updated` (`article:published_time`, `article:modified_time`).
    pub published: Option<String>,
    pub modified: Option<String>,
}

/// The head of `page` under `base`.
pub fn head<'p>(site: &Site, base: Option<&BaseUrl>, page: &'p Page) -> Head<'p> {
    let absolute = |path: &str| base.map(|b| b.absolute(path));
    let image = match site.config.image.as_deref() {
        Some(url) if !url.starts_with('/') => Some(url.to_string()),
        Some(path) => absolute(path),
        None => absolute(DEFAULT_IMAGE),
    };
    let article = match page.shows {
        Shows::Article(i) => site.articles.get(i),
        _ => None,
    };
    let mut feeds = Vec::new();
    if base.is_some() {
        feeds.push(FeedLink {
            title: format!("{}: articles", site.config.title),
            url: FEED.to_string(),
        });
        if let Shows::Region(i) = page.shows {
            let r = &site.regions.items[i];
            feeds.push(FeedLink {
                title: format!("{}: {}", site.config.title, r.name),
                url: region_feed(&r.id),
            });
        }
    }
    Head {
        description: &page.description,
        canonical: (page.shows != Shows::NotFound)
            .then(|| absolute(&page.route))
            .flatten(),
        og_type: match page.shows {
            Shows::Article(_) => "article",
            _ => "website",
        },
        image,
        feeds,
        published: article.map(|a| a.front.date.to_string()),
        modified: article.and_then(|a| a.front.updated.map(|d| d.to_string())),
    }
}

/// Every page's description, in plan order, no two alike: a description that several pages
/// would share gets each page's title before it (and its address, if that is not enough).
pub fn descriptions(plan: &Plan) -> Vec<String> {
    let described: Vec<(String, String)> = (plan.pages.iter())
        .map(|p| {
            let (title, text) = describe(plan, p);
            (title, cut(&text))
        })
        .collect();
    let count = |texts: &[String]| {
        let mut n: HashMap<String, usize> = HashMap::new();
        for t in texts {
            *n.entry(t.clone()).or_default() += 1;
        }
        n
    };
    let texts: Vec<String> = described.iter().map(|(_, d)| d.clone()).collect();
    let seen = count(&texts);
    let texts: Vec<String> = (described.iter())
        .map(|(title, d)| match seen[d] {
            1 => d.clone(),
            _ => format!("{title}: {d}"),
        })
        .collect();
    let seen = count(&texts);
    (texts.iter().zip(&plan.pages))
        .map(|(d, p)| match seen[d] {
            1 => d.clone(),
            _ => format!("{d} ({})", p.route),
        })
        .collect()
}

/// A page's title and its description, uncut.
fn describe(plan: &Plan, page: &Page) -> (String, String) {
    let (s, cfg) = (plan.site, &plan.site.config);
    let or = |text: &Option<Text>, fallback: String| {
        text.as_ref()
            .map(|t| plain(&t.html))
            .filter(|t| !t.is_empty())
            .unwrap_or(fallback)
    };
    match page.shows {
        Shows::Home => {
            let policy = plain(&cfg.policy.summary.html);
            (cfg.title.clone(), cfg.description.clone().unwrap_or(policy))
        }
        Shows::Index(kind) => index(plan, kind),
        Shows::Region(i) => (s.regions.items[i].name.clone(), guide(plan, i)),
        Shows::Category(i) => {
            let c = &s.categories.items[i];
            (
                c.name.clone(),
                or(&c.summary, format!("{}: data used.", c.name)),
            )
        }
        Shows::Exclusion(i) => {
            let e = &s.exclusions.items[i];
            let fallback = or(&e.condition, format!("{}: never used.", e.name));
            (e.name.clone(), or(&e.summary, fallback))
        }
        Shows::OptOut(i) => {
            let o = &s.optouts.items[i];
            (
                o.name.clone(),
                or(&o.summary, format!("How to opt out: {}.", o.name)),
            )
        }
        Shows::Source(i) => {
            let x = &s.sources.items[i];
            let fallback = format!(
                "{}, by {}: what it says on each question the sources answer.",
                x.title, x.publisher
            );
            (x.title.clone(), or(&x.notes, fallback))
        }
        Shows::Question(i) => {
            let row = &plan.derived.comparison.rows[i];
            let answer = match &row.verdict {
                Some(v) => format!("Our answer: {}.", v.answer.trim_end_matches('.')),
                None => "Still open.".to_string(),
            };
            let text = format!("{} What each source says. {answer}", row.question.text);
            (row.question.text.clone(), text)
        }
        Shows::Compare => {
            let text = format!(
                "Who said what on {}: each question the sources answer, side by side, and the site's answer to each.",
                cfg.policy.name
            );
            ("Who said what".to_string(), text)
        }
        Shows::Article(i) => {
            let a = &s.articles[i];
            let text = (a.front.summary.clone())
                .or_else(|| first_paragraph(&a.html))
                .unwrap_or_else(|| a.front.title.clone());
            (a.front.title.clone(), text)
        }
        Shows::NotFound => (
            "Page not found".to_string(),
            format!("No page of {} is at this address.", cfg.title),
        ),
        Shows::Changes => ("What changed".to_string(), changes_text(&cfg.title)),
        Shows::Search => (
            "Search".to_string(),
            format!(
                "Search {}: articles, region guides, facts, claims and sources.",
                cfg.title
            ),
        ),
    }
}

/// The "What changed" page's description.
fn changes_text(title: &str) -> String {
    format!(
        "What changed on {title}: each change to its facts, newest first, dated, with the editor's note."
    )
}

/// A section's list page: its title and what it lists.
fn index(plan: &Plan, kind: Kind) -> (String, String) {
    let s = plan.site;
    let names: Vec<&str> = match kind {
        Kind::Region => s.regions.iter().map(|r| &*r.name).collect(),
        Kind::Category => s.categories.iter().map(|c| &*c.name).collect(),
        Kind::Exclusion => s.exclusions.iter().map(|e| &*e.name).collect(),
        Kind::OptOut => s.optouts.iter().map(|o| &*o.name).collect(),
        Kind::Source => s.sources.iter().map(|x| &*x.title).collect(),
        Kind::Claim => s.questions.iter().map(|q| &*q.text).collect(),
        Kind::Article => plan.published.iter().map(|a| &*a.front.title).collect(),
    };
    let title = crate::render::contexts::index_title(kind);
    (title.to_string(), format!("{title}: {}.", names.join("; ")))
}

/// A guide's description, from its statuses: `EU: Generative AI training:
/// applies since 3 November 2025, on by default, with an opt-out; …`.
fn guide(plan: &Plan, i: usize) -> String {
    let g = &plan.derived.guides[i];
    let changes: Vec<String> = g.changes.iter().map(status_text).collect();
    format!("{}: {}.", g.region.name, changes.join("; "))
}

/// One change's status in a guide, in words: `Generative AI training: applies since 3
/// November 2025, on by default, with an opt-out`.
pub fn status_text(c: &ChangeStatus) -> String {
    let Some(st) = &c.status else {
        return format!("{}: no source says", c.change.name);
    };
    let mut text = format!("{}: {}", c.change.name, st.state.label().to_lowercase());
    if let Some(d) = st.since {
        text.push_str(&format!(" since {}", d.human()));
    }
    match st.default_on {
        Some(true) => text.push_str(", on by default"),
        Some(false) => text.push_str(", off unless you agree"),
        None => {}
    }
    match st.opt_out {
        Some(true) => text.push_str(", with an opt-out"),
        Some(false) => text.push_str(", no opt-out"),
        None => {}
    }
    text
}

/// The text of the first `<p>` of `html`, if it has any.
fn first_paragraph(html: &str) -> Option<String> {
    let start = html.find("<p>")? + 3;
    let end = start + html[start..].find("</p>")?;
    Some(plain(&html[start..end])).filter(|t| !t.is_empty())
}

/// HTML as plain text: tags dropped, the usual entities decoded, white space collapsed.
pub fn plain(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` cut at a word to at most `MAX_DESCRIPTION` characters, ending in `…` when cut.
fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_DESCRIPTION {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 2 > MAX_DESCRIPTION {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    let out = out.trim_end_matches([',', ';', ':', '.', ' ']);
    format!("{out}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_and_cuts() {
        assert_eq!(
            plain("<p>Use <a href=\"/x\">your &amp; data</a>\n now</p>"),
            "Use your & data now"
        );
        assert_eq!(
            first_paragraph("<h2>x</h2><p>One <em>two</em></p><p>3</p>").as_deref(),
            Some("One two")
        );
        let long = "word ".repeat(60);
        let c = cut(long.trim());
        assert!(
            c.chars().count() <= MAX_DESCRIPTION && c.ends_with("word…"),
            "{c}"
        );
        assert_eq!(cut("short."), "short.");
    }
}
