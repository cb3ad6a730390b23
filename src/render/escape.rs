//! The HTML escaping of template output (Tera's escape function here): the five characters
//! that matter in text and attribute values, and nothing else.

/// HTML escaping for text and attribute values. Tera's default also escapes `/`, which
/// bloats every URL; it is harmless in HTML.
pub(super) fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    // Runs without a special character are copied whole (all five are ASCII).
    let mut copied = 0;
    for (i, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&input[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters_and_nothing_else() {
        assert_eq!(
            escape_html(r#"a<b>&"c'/é"#),
            "a&lt;b&gt;&amp;&quot;c&#39;/é"
        );
        assert_eq!(escape_html("plain"), "plain");
        assert_eq!(escape_html(""), "");
    }
}
