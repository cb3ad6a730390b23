//! Single-file HTML: site assets referenced from the export (`src="…"`, CSS `url(…)`) inlined
//! as data URIs. Text rewriting only; which references to inline is `Exporter::asset`'s call.

/// `text` with the value after each `open` (up to `close`) replaced by `f(value)` when it
/// gives one, e.g. `src="…"` attributes or CSS `url(…)`s.
pub(super) fn inline_refs(
    text: &str,
    open: &str,
    close: &str,
    mut f: impl FnMut(&str) -> Option<String>,
) -> String {
    let (mut out, mut rest) = (String::with_capacity(text.len()), text);
    while let Some(i) = rest.find(open) {
        // `src="` only as an attribute of its own (not `data-src="`).
        let applies = open != "src=\"" || rest[..i].ends_with(char::is_whitespace);
        let value_at = i + open.len();
        let Some(len) = rest[value_at..].find(close) else {
            break;
        };
        out.push_str(&rest[..value_at]);
        let raw = &rest[value_at..value_at + len];
        let value = raw.trim().trim_matches(['"', '\'']);
        match applies.then(|| f(value)).flatten() {
            Some(new) if raw != value => out.push_str(&format!("\"{new}\"")),
            Some(new) => out.push_str(&new),
            None => out.push_str(raw),
        }
        rest = &rest[value_at + len..];
    }
    out.push_str(rest);
    out
}

pub(super) fn mime(path: &str) -> &'static str {
    let ext = path
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

pub(super) fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        for i in 0..4 {
            let c = if i <= chunk.len() {
                ABC[(n >> (18 - 6 * i)) as usize & 63]
            } else {
                b'='
            };
            out.push(char::from(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_base64_with_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn inlines_only_attribute_values() {
        let f = |v: &str| (v == "/a.png").then(|| "data:x".to_string());
        assert_eq!(
            inline_refs(
                "<img src=\"/a.png\"> <img data-src=\"/a.png\">",
                "src=\"",
                "\"",
                f
            ),
            "<img src=\"data:x\"> <img data-src=\"/a.png\">"
        );
        let css = inline_refs("a{background:url('/a.png')}", "url(", ")", f);
        assert_eq!(css, "a{background:url(\"data:x\")}");
    }
}
