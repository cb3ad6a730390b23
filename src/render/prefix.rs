//! A site published under a path (`base_url: https://example.org/sub/`): every root-relative
//! `href`, `src` and `action` of a rendered page gets the path (`/regions/` → `/sub/regions/`),
//! whoever wrote it (a template literal, `link()`, a resolved cross-link, raw HTML in an
//! article). Routes and output paths stay as they are; only the page text changes.

use crate::render::pages::Plan;

/// The attributes whose root-relative values are addresses.
const ATTRIBUTES: [&str; 3] = ["href", "src", "action"];

/// `html` with `prefix` (`/sub`, no final `/`) put before every root-relative address in an
/// `href`, `src` or `action` attribute (quoted with `"` or `'`). Protocol-relative (`//host`)
/// addresses and text are left alone: in text, a quote is escaped and never matches.
pub fn rewrite(html: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return html.to_string();
    }
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 32);
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = html[i..].find('=') {
        let eq = i + off;
        i = eq + 1;
        let (Some(&quote), Some(&slash)) = (bytes.get(eq + 1), bytes.get(eq + 2)) else {
            break;
        };
        if !matches!(quote, b'"' | b'\'') || slash != b'/' || bytes.get(eq + 3) == Some(&b'/') {
            continue;
        }
        let start = html[..eq]
            .rfind(|c: char| !c.is_ascii_alphanumeric())
            .map_or(0, |p| p + 1);
        let preceded = start > 0 && bytes[start - 1].is_ascii_whitespace();
        if preceded && ATTRIBUTES.contains(&&html[start..eq]) {
            out.push_str(&html[copied..eq + 2]);
            out.push_str(prefix);
            copied = eq + 2;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// `html` with the base URL's path before every root-relative address (`prefix::rewrite`).
pub(crate) fn with_base_path(html: Vec<u8>, plan: &Plan) -> Vec<u8> {
    match (plan.base.as_ref(), String::from_utf8(html)) {
        (Some(base), Ok(text)) if base.path() != "/" => {
            rewrite(&text, base.path().trim_end_matches('/')).into_bytes()
        }
        (_, Ok(text)) => text.into_bytes(),
        (_, Err(e)) => e.into_bytes(),
    }
}

/// The path internal links start with under `plan`'s base URL (`Output::base_path`).
pub fn base_path(plan: &Plan) -> String {
    let path = plan.base.as_ref().map_or("/", |b| b.path());
    path.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn prefixes_root_relative_addresses_only() {
        let html = r##"<a href="/regions/">r</a> <img src='/x.png'> <form action="/" method="get">
<a href="//cdn.example/x">c</a> <a href="https://e.org/">e</a> <a href="#top">t</a>
<a href="rel/">r</a> <p data-href="/no">x</p> <code>href=&quot;/y&quot;</code>"##;
        let want = r##"<a href="/sub/regions/">r</a> <img src='/sub/x.png'> <form action="/sub/" method="get">
<a href="//cdn.example/x">c</a> <a href="https://e.org/">e</a> <a href="#top">t</a>
<a href="rel/">r</a> <p data-href="/no">x</p> <code>href=&quot;/y&quot;</code>"##;
        assert_eq!(rewrite(html, "/sub"), want);
        assert_eq!(rewrite(html, ""), html);
    }
}
