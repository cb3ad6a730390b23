//! A site published under a path (`base_url: https://example.org/sub/`): every root-relative
//! `href`, `src` and `action` of a rendered page gets the path (`/regions/` → `/sub/regions/`),
//! whoever wrote it (a template literal, `link()`, a resolved cross-link, raw HTML in an
//! article). Routes and output paths stay as they are; only the page text changes.

use crate::render::pages::Plan;

/// The attributes whose root-relative values are addresses.
const ATTRIBUTES: [&str; 3] = ["href", "src", "action"];

/// `html` with `prefix` (`/sub`, no final `/`) put before every root-relative address in an
/// `href`, `src` or `action` attribute (quoted with `"` or `'`) of a tag. Text, comments, the
/// content of `<script>` and `<style>` (code samples included: their `<` is escaped), and
/// protocol-relative (`//host`) addresses are left alone.
pub fn rewrite(html: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return html.to_string();
    }
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 32);
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let open = i + off + 1;
        i = open;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
            continue;
        }
        // In the tag until an unquoted `>`.
        while i < bytes.len() && bytes[i] != b'>' {
            if matches!(bytes[i], b'"' | b'\'') {
                let end = html[i + 1..]
                    .find(bytes[i] as char)
                    .map_or(bytes.len(), |e| i + 1 + e);
                if needs_prefix(html, i) {
                    out.push_str(&html[copied..=i]);
                    out.push_str(prefix);
                    copied = i + 1;
                }
                i = end;
            }
            i += 1;
        }
        let name: String = (html[open..].chars())
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            let rest = html[i.min(html.len())..].to_ascii_lowercase();
            i = rest.find(&close).map_or(bytes.len(), |e| i + e);
        }
        if i >= bytes.len() {
            break;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Whether the quoted value opening at `quote` belongs to an address attribute (` href=`)
/// and is root-relative.
fn needs_prefix(html: &str, quote: usize) -> bool {
    let bytes = html.as_bytes();
    let value = &html[quote + 1..];
    if quote == 0 || bytes[quote - 1] != b'=' || !value.starts_with('/') || value.starts_with("//")
    {
        return false;
    }
    let eq = quote - 1;
    let start = html[..eq]
        .rfind(|c: char| !c.is_ascii_alphanumeric())
        .map_or(0, |p| p + 1);
    start > 0 && bytes[start - 1].is_ascii_whitespace() && ATTRIBUTES.contains(&&html[start..eq])
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
<a href="rel/">r</a> <p data-href="/no">x</p> <code>href=&quot;/y&quot;</code>
<pre><code>&lt;a href="/code/"&gt;</code></pre> <!-- <a href="/c/"> --> <a title='it"s' href="/t/">
<script type="application/ld+json">{"a": "x < y", "b": "it's"} <a href="/s/"></script> <a href="/after/">"##;
        let want = r##"<a href="/sub/regions/">r</a> <img src='/sub/x.png'> <form action="/sub/" method="get">
<a href="//cdn.example/x">c</a> <a href="https://e.org/">e</a> <a href="#top">t</a>
<a href="rel/">r</a> <p data-href="/no">x</p> <code>href=&quot;/y&quot;</code>
<pre><code>&lt;a href="/code/"&gt;</code></pre> <!-- <a href="/c/"> --> <a title='it"s' href="/sub/t/">
<script type="application/ld+json">{"a": "x < y", "b": "it's"} <a href="/s/"></script> <a href="/sub/after/">"##;
        assert_eq!(rewrite(html, "/sub"), want);
        assert_eq!(rewrite(html, ""), html);
    }
}
