//! The `css_string` filter: text as a quoted CSS string, for values a template writes inside
//! `<style>` (the export's `@page` margin boxes), where HTML escaping does not apply.

use std::collections::HashMap;
use std::fmt::Write;

use serde_json::Value;

/// `{{ page.url | css_string }}` → `"https://example.org/"`. Safe as it is: `"` and `\` are
/// escaped, and `<`, `>`, `&` and control characters become hex escapes, so the value can
/// neither end the string nor the `<style>` element.
pub struct CssString;

impl tera::Filter for CssString {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err(tera::Error::msg("css_string expects text")),
        };
        Ok(Value::String(quote(&text)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `text` as a double-quoted CSS string.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' | '\u{0}'..='\u{1f}' | '\u{7f}' => {
                // A hex escape ends at its trailing space, which CSS drops.
                let _ = write!(out, "\\{:X} ", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(quote("https://example.org/"), "\"https://example.org/\"");
        assert_eq!(quote("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(quote("</style>&\n"), r#""\3C /style\3E \26 \A ""#);
        assert_eq!(quote("Données · 20 novembre"), "\"Données · 20 novembre\"");
    }
}
