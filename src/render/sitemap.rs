//! The site-wide files for search engines and feed readers: `sitemap.xml` (every published
//! page with its `<lastmod>`), `robots.txt` naming it, and the Atom feeds (`feeds`). They need
//! absolute addresses, so without a base URL only `robots.txt` is written (`web_files`).

use std::collections::BTreeMap;

use crate::derive::links::Kind;
use crate::model::base_url::BaseUrl;
use crate::model::date::Date;
use crate::render::feeds::{self, escape};
use crate::render::pages::{Page, Plan, Shows};

/// Where the sitemap goes.
pub const SITEMAP: &str = "sitemap.xml";

/// The sitemap, robots.txt and feeds of `plan`, as output path → bytes.
pub fn web_files(plan: &Plan) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let Some(base) = plan.base.as_ref() else {
        files.insert("robots.txt".into(), b"User-agent: *\nAllow: /\n".to_vec());
        return files;
    };
    let robots = format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        base.absolute(SITEMAP)
    );
    files.insert("robots.txt".into(), robots.into_bytes());
    files.insert(SITEMAP.into(), sitemap(plan, base).into_bytes());
    files.extend(feeds::feeds(plan, base));
    files
}

/// The output paths `web_files` may write, whatever the base URL (for the static-file
/// collision check).
pub fn web_file_names(plan: &Plan) -> Vec<String> {
    let mut names = vec![
        "robots.txt".to_string(),
        SITEMAP.to_string(),
        crate::render::meta::FEED
            .trim_start_matches('/')
            .to_string(),
    ];
    names.extend(
        (plan.site.regions.iter())
            .map(|r| crate::render::meta::region_feed(&r.id)[1..].to_string()),
    );
    if plan.derived.history.on {
        names.push(crate::render::meta::CHANGES_FEED[1..].to_string());
        names.extend(
            (plan.site.regions.iter())
                .map(|r| crate::render::meta::region_changes_feed(&r.id)[1..].to_string()),
        );
    }
    names
}

/// `<urlset>` with every page but the 404 page.
fn sitemap(plan: &Plan, base: &BaseUrl) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    // A build that shows drafts (a preview) still lists only what is published.
    let listed = |p: &&Page| p.shows != Shows::NotFound && !p.shows.is_draft(plan.site);
    for page in plan.pages.iter().filter(listed) {
        xml.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            escape(&base.absolute(&page.route)),
            lastmod(plan, page)
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// When a page last changed: an article's `updated` (or `date`); a page listing articles, the
/// newest of them or the facts' `verified` date; any other page, `verified`.
pub fn lastmod(plan: &Plan, page: &Page) -> Date {
    let verified = plan.site.config.policy.verified;
    let changed = |a: &&crate::model::Article| a.front.updated.unwrap_or(a.front.date);
    let newest = |pred: &dyn Fn(&crate::model::Article) -> bool| {
        (plan.published.iter())
            .filter(|a| pred(a))
            .map(changed)
            .max()
            .map_or(verified, |d| d.max(verified))
    };
    match page.shows {
        Shows::Article(i) => changed(&&plan.site.articles[i]),
        Shows::Home | Shows::Index(Kind::Article) => newest(&|_| true),
        Shows::Region(i) => {
            let id = &plan.site.regions.items[i].id;
            newest(&|a| a.front.regions.contains(id))
        }
        Shows::Category(i) => {
            let id = &plan.site.categories.items[i].id;
            newest(&|a| a.front.categories.contains(id))
        }
        _ => verified,
    }
}
