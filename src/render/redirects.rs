//! Redirect pages for articles' old addresses (`aliases`, as Hugo and Zola have them): a small
//! HTML page per alias that sends readers and search engines on to the article.

use crate::derive::links::{Kind, route};
use crate::derive::routes::file_of;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::render::output::Output;

/// Adds a redirect page for each alias of each article in the site; an alias at the address
/// of a generated file, or of another alias, is an error at the alias.
pub fn add(site: &Site, output: &mut Output) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for a in &site.articles {
        let target = route(Kind::Article, &a.slug);
        for (j, alias) in a.front.aliases.iter().enumerate() {
            let file = file_of(alias);
            if output.files.contains_key(&file) {
                diags.push(
                    Diagnostic::error(
                        Some(a.spans().at(&format!("aliases/{j}"))),
                        format!("alias `{alias}` is the address of a page the site already has"),
                    )
                    .with_help("remove the alias, or give the old address that no page uses"),
                );
                continue;
            }
            output.files.insert(
                file,
                page(&site.config.language, &a.front.title, &target).into_bytes(),
            );
        }
    }
    diags
}

/// The redirect page: a refresh, the canonical address and a link for readers.
fn page(lang: &str, title: &str, to: &str) -> String {
    let title = escape(title);
    let (lang, to) = (escape(lang), escape(to));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: {title}</title>\n<link rel=\"canonical\" href=\"{to}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{to}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn redirect_page_points_at_the_article() {
        let p = super::page("en", "A <b> & c", "/articles/a/");
        assert!(p.contains("<meta http-equiv=\"refresh\" content=\"0; url=/articles/a/\">"));
        assert!(p.contains("<link rel=\"canonical\" href=\"/articles/a/\">"));
        assert!(p.contains("A &lt;b&gt; &amp; c"));
    }
}
