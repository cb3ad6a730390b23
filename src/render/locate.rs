//! Places problems that only show once pages are rendered (an unknown variable, a broken link
//! a template wrote) at the template line that causes them, not at the page or at 1:1.

use std::path::Path;

use super::{TEMPLATES, site_files};
use crate::diagnostics::{Diagnostic, Diagnostics, Loc, line_col};

/// The templates a site renders with, as (name, text): its own overrides, then the built-ins
/// it does not override.
fn sources(root: &Path) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = site_files(root, "templates")
        .into_iter()
        .filter_map(|(name, path)| Some((name, std::fs::read_to_string(path).ok()?)))
        .collect();
    for (name, text) in TEMPLATES {
        if !found.iter().any(|(n, _)| n == name) {
            found.push((name.to_string(), text.to_string()));
        }
    }
    found
}

/// Where `needle` first occurs in `text`, as a location in `templates/NAME`.
fn find(name: &str, text: &str, needle: &str) -> Option<Loc> {
    let (line, col) = line_col(text, text.find(needle)?);
    Some(Loc::new(Path::new("templates").join(name), line, col))
}

/// The first backticked word of a message (`Variable `page.x` not found…` → `page.x`).
fn quoted(message: &str) -> Option<&str> {
    message.split('`').nth(1).filter(|q| !q.is_empty())
}

/// Moves each template diagnostic that rendering could only place at a template's 1:1, or at
/// no file, to the template line that causes it, where its text can be found.
pub fn locate(root: &Path, diags: &mut Diagnostics) {
    let mut cache: Option<Vec<(String, String)>> = None;
    for d in diags.0.iter_mut() {
        if let Some(loc) = wanted(d) {
            let templates = cache.get_or_insert_with(|| sources(root));
            if let Some(found) = loc(d, templates) {
                d.loc = Some(found);
            }
        }
    }
}

type Finder = fn(&Diagnostic, &[(String, String)]) -> Option<Loc>;

/// How to place `d`, if it is one this pass can place.
fn wanted(d: &Diagnostic) -> Option<Finder> {
    let at_top = d
        .loc
        .as_ref()
        .is_some_and(|l| l.file.starts_with("templates") && (l.line, l.col) == (1, 1));
    if at_top && d.message.contains("not found in context") {
        return Some(variable);
    }
    if d.loc.is_none() && d.message.starts_with("page ") && d.message.contains(" links to `") {
        return Some(link);
    }
    None
}

/// An unknown variable: in the template Tera named, where the variable is written.
fn variable(d: &Diagnostic, templates: &[(String, String)]) -> Option<Loc> {
    let name = d
        .loc
        .as_ref()?
        .file
        .strip_prefix("templates")
        .ok()?
        .to_str()?;
    let var = quoted(&d.message)?;
    let (_, text) = templates.iter().find(|(n, _)| n == name)?;
    find(name, text, var).or_else(|| {
        // `page.x.y` may be written through a loop variable: look for its last part.
        let last = var.rsplit('.').next()?;
        find(name, text, &format!(".{last}"))
    })
}

/// A broken link no content wrote: the template text that holds it, if it is literal.
fn link(d: &Diagnostic, templates: &[(String, String)]) -> Option<Loc> {
    let href = quoted(&d.message)?;
    let attr = |q: char| format!("href={q}{href}{q}");
    templates.iter().find_map(|(name, text)| {
        find(name, text, &attr('"'))
            .or_else(|| find(name, text, &attr('\'')))
            .map(|mut loc| {
                loc.col += "href=\"".len();
                loc
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_variables_and_literal_links() {
        let templates = vec![(
            "a.html".to_string(),
            "<p>\n  {{ page.missing }} <a href=\"/nowhere/\">x</a>\n".to_string(),
        )];
        let var = Diagnostic::error(
            Some(Loc::new("templates/a.html", 1, 1)),
            "Failed to render: Variable `page.missing` not found in context while rendering 'a.html'",
        );
        assert_eq!(
            variable(&var, &templates).map(|l| l.to_string()).as_deref(),
            Some("templates/a.html:2:6")
        );
        let broken = Diagnostic::error(None, "page / links to `/nowhere/`, which does not exist");
        assert_eq!(
            link(&broken, &templates).map(|l| l.to_string()).as_deref(),
            Some("templates/a.html:2:31")
        );
    }
}
