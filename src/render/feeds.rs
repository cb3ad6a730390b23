//! The Atom feeds (RFC 4287): `/feed.xml`, one entry per published article, and one feed per
//! region guide, `/regions/ID/feed.xml`, for a reader who follows their own country: the
//! articles about the region or a group it is part of, and each change's status there (a new
//! entry when a status changes state). Entries carry the page's description as their
//! summary; every address is absolute under the base URL. With the site's history, also the
//! feeds of changes (`changes`): `/changes/feed.xml`, one entry per commit that changed the
//! facts, and `/regions/ID/changes.xml`, the commits that changed what a region's guide shows.

use std::collections::BTreeMap;

use crate::derive::history::Commit;
use crate::derive::links::{Kind, route};
use crate::derive::routes::CHANGES;
use crate::model::Article;
use crate::model::base_url::BaseUrl;
use crate::model::date::Date;
use crate::render::meta::{self, FEED};
use crate::render::pages::Plan;

/// One entry of a feed.
struct Entry {
    title: String,
    /// The page it links to (root-relative).
    route: String,
    /// Its Atom id (absolute, stable).
    id: String,
    published: Date,
    updated: Date,
    summary: String,
}

/// Every feed of the site, as output path → bytes.
pub fn feeds(plan: &Plan, base: &BaseUrl) -> BTreeMap<String, Vec<u8>> {
    let descriptions: BTreeMap<&str, &str> = (plan.pages.iter())
        .map(|p| (p.route.as_str(), p.description.as_str()))
        .collect();
    let article = |a: &Article| {
        let route = route(Kind::Article, &a.slug);
        Entry {
            title: a.front.title.clone(),
            id: base.absolute(&route),
            summary: descriptions.get(route.as_str()).unwrap_or(&"").to_string(),
            route,
            published: a.front.date,
            updated: a.front.updated.unwrap_or(a.front.date),
        }
    };
    let cfg = &plan.site.config;
    let mut files = BTreeMap::new();
    // A build that shows drafts (a preview) still feeds only what is published.
    let published: Vec<&Article> = (plan.published.iter().copied())
        .filter(|a| !a.front.draft)
        .collect();
    let entries = published.iter().map(|a| article(a)).collect();
    let head = Head {
        title: format!("{}: articles", cfg.title),
        self_route: FEED.to_string(),
        page_route: route_of_section(Kind::Article),
    };
    files.insert(
        FEED[1..].to_string(),
        feed(plan, base, &head, entries).into_bytes(),
    );
    for (i, r) in plan.site.regions.iter().enumerate() {
        let g = &plan.derived.guides[i];
        let concerns = |a: &Article| {
            (a.front.regions.iter())
                .any(|id| *id == r.id || g.groups.iter().any(|grp| grp.id == *id))
        };
        let mut entries: Vec<Entry> = (published.iter())
            .filter(|a| concerns(a))
            .map(|a| article(a))
            .collect();
        entries.extend(statuses(plan, base, i));
        let head = Head {
            title: format!("{}: {}", cfg.title, r.name),
            self_route: meta::region_feed(&r.id),
            page_route: route(Kind::Region, &r.id),
        };
        files.insert(
            head.self_route[1..].to_string(),
            feed(plan, base, &head, entries).into_bytes(),
        );
    }
    changes(plan, base, &mut files);
    files
}

/// A commit as a feed entry linking to `route`, its id under `page` (absolute): its message
/// as the title, each fact it changed (with what changed) as the summary.
fn change(c: &Commit, base: &BaseUrl, page: &str, route: String) -> Option<Entry> {
    let date = c.date.parse::<Date>().ok()?;
    let facts: Vec<String> = (c.facts.iter())
        .map(|f| {
            let only = if f.wording_only {
                " (wording only)"
            } else {
                ""
            };
            let op = serde_json::to_value(f.op).ok();
            let op = op.as_ref().and_then(|v| v.as_str()).unwrap_or("changed");
            let mut text = format!("{} {}: {op}{only}", f.kind, f.name);
            if !f.lines.is_empty() {
                text = format!("{text}: {}", f.lines.join("; "));
            }
            text
        })
        .collect();
    let only = if c.wording_only {
        " (wording only)"
    } else {
        ""
    };
    Some(Entry {
        title: format!("{}{only}", c.message),
        route,
        id: format!("{}#{}", base.absolute(page), c.id),
        published: date,
        updated: date,
        summary: facts.join(". "),
    })
}

/// The feeds of changes, when the site's history was read.
fn changes(plan: &Plan, base: &BaseUrl, files: &mut BTreeMap<String, Vec<u8>>) {
    let history = &plan.derived.history;
    if !history.on {
        return;
    }
    let cfg = &plan.site.config;
    let at = |c: &Commit| format!("{CHANGES}#{}", c.anchor);
    let entries = (history.commits.iter())
        .filter_map(|c| change(c, base, CHANGES, at(c)))
        .collect();
    let head = Head {
        title: format!("{}: what changed", cfg.title),
        self_route: meta::CHANGES_FEED.to_string(),
        page_route: CHANGES.to_string(),
    };
    let xml = feed(plan, base, &head, entries);
    files.insert(meta::CHANGES_FEED[1..].to_string(), xml.into_bytes());
    for r in plan.site.regions.iter() {
        let page = route(Kind::Region, &r.id);
        let commits = history.pages.get(&page).map_or(&[][..], Vec::as_slice);
        let entries = (commits.iter())
            .filter_map(|c| change(c, base, &page, at(c)))
            .collect();
        let head = Head {
            title: format!("{}: what changed for {}", cfg.title, r.name),
            self_route: meta::region_changes_feed(&r.id),
            page_route: page.clone(),
        };
        let xml = feed(plan, base, &head, entries);
        files.insert(head.self_route[1..].to_string(), xml.into_bytes());
    }
}

/// A section's index route.
fn route_of_section(kind: Kind) -> String {
    format!("/{}/", kind.section())
}

/// One entry per change with a status in region `i`'s guide: its state there, dated by its
/// `since` (else the facts' `verified` date); its id names the state, so a status that
/// changes state arrives as a new entry.
fn statuses(plan: &Plan, base: &BaseUrl, i: usize) -> Vec<Entry> {
    let g = &plan.derived.guides[i];
    let verified = plan.site.config.policy.verified;
    (g.changes.iter())
        .filter_map(|c| {
            let st = c.status.as_ref()?;
            let date = st.since.unwrap_or(verified);
            let mut summary = format!("{}.", meta::status_text(c));
            if let Some(note) = &st.note {
                summary = format!("{summary} {}", meta::plain(&note.html));
            }
            Some(Entry {
                title: format!(
                    "{} in {}: {}",
                    c.change.name,
                    g.region.name,
                    st.state.label().to_lowercase()
                ),
                route: g.url.clone(),
                id: format!(
                    "{}#status-{}-{}",
                    base.absolute(&g.url),
                    c.change.id,
                    st.state.key()
                ),
                published: date,
                updated: date,
                summary,
            })
        })
        .collect()
}

/// A feed's own title and addresses.
struct Head {
    title: String,
    self_route: String,
    page_route: String,
}

/// An Atom date-time: the day, at midnight UTC.
fn stamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// The feed document, entries newest first.
fn feed(plan: &Plan, base: &BaseUrl, head: &Head, mut entries: Vec<Entry>) -> String {
    entries.sort_by(|a, b| (b.updated, &a.id).cmp(&(a.updated, &b.id)));
    let cfg = &plan.site.config;
    let updated = (entries.iter().map(|e| e.updated).max())
        .unwrap_or(cfg.policy.verified)
        .max(cfg.policy.verified);
    let self_url = base.absolute(&head.self_route);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n<id>{self_url}</id>\n\
         <updated>{updated}</updated>\n<author><name>{site}</name></author>\n\
         <generator version=\"{version}\">explainer</generator>\n",
        lang = escape(&cfg.language),
        title = escape(&head.title),
        self_url = escape(&self_url),
        page = escape(&base.absolute(&head.page_route)),
        updated = stamp(updated),
        site = escape(&cfg.title),
        version = env!("CARGO_PKG_VERSION"),
    );
    if let Some(d) = &cfg.description {
        xml.push_str(&format!("<subtitle>{}</subtitle>\n", escape(d)));
    }
    for e in &entries {
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <id>{}</id>\n<published>{}</published>\n<updated>{}</updated>\n<summary>{}</summary>\n</entry>\n",
            escape(&e.title),
            escape(&base.absolute(&e.route)),
            escape(&e.id),
            stamp(e.published),
            stamp(e.updated),
            escape(&e.summary),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// Text made safe in XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Not allowed in XML 1.0 at all: dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_xml() {
        assert_eq!(
            super::escape("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;"
        );
    }
}
