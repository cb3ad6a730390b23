//! axe-core in the test browser: the vendored `tests/vendor/axe-core/axe.min.js` (axe-core
//! 4.14.1 from npm, MPL-2.0, its licence beside it; Debian has no package of it), injected
//! into the page and run with its WCAG 2 A/AA rules.

use super::Browser;

/// One rule that failed, with the elements it failed on.
#[derive(Debug)]
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown: Vec<&str> = self.targets.iter().take(3).map(String::as_str).collect();
        write!(
            f,
            "{} ({}): {} at {} element(s): {}",
            self.id,
            self.impact,
            self.help,
            self.targets.len(),
            shown.join(" | ")
        )
    }
}

const AXE: &str = include_str!("../vendor/axe-core/axe.min.js");

/// Runs axe on the page open in `browser`, restricted to `rules` when given (else every WCAG
/// 2 A/AA and best-practice rule), and returns its violations.
pub fn run(browser: &Browser, rules: Option<&[&str]>) -> Vec<Violation> {
    let loaded = browser.eval(&format!("{AXE}\n;return typeof window.axe === 'object';"));
    assert_eq!(loaded, true, "axe-core did not load");
    let options = match rules {
        Some(rules) => serde_json::json!({ "runOnly": { "type": "rule", "values": rules } }),
        None => serde_json::json!({ "runOnly": { "type": "tag",
            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } }),
    };
    let result = browser.eval_async(&format!(
        "var done = arguments[arguments.length - 1];
         axe.run(document, {options}).then(function (r) {{
           done(r.violations.map(function (v) {{
             return {{ id: v.id, impact: v.impact || '', help: v.help,
                       targets: v.nodes.map(function (n) {{ return n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' '); }}) }};
           }}));
         }}, function (e) {{ done('axe failed: ' + e); }});"
    ));
    let list = result
        .as_array()
        .unwrap_or_else(|| panic!("axe returned {result}"));
    list.iter()
        .map(|v| Violation {
            id: v["id"].as_str().unwrap_or_default().to_string(),
            impact: v["impact"].as_str().unwrap_or_default().to_string(),
            help: v["help"].as_str().unwrap_or_default().to_string(),
            targets: v["targets"]
                .as_array()
                .map(|t| {
                    t.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}
