//! Diagnostics as people read them: rustc-style, with the source line and a caret under the
//! column, and one-line counts. Used by the command line and by `serve`'s terminal and overlay.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

/// `2 errors, 1 warning`.
pub fn counts(diags: &Diagnostics) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(diags.errors(), "error"),
        plural(diags.warnings(), "warning")
    )
}

/// One diagnostic, with the line of `root`'s file it points at.
pub fn render(root: &Path, d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut s = format!("{level}: {}\n", d.message);
    if let Some(loc) = &d.loc {
        s.push_str(&format!("  --> {loc}\n"));
        let line = std::fs::read_to_string(root.join(&loc.file))
            .ok()
            .and_then(|text| {
                text.lines()
                    .nth(loc.line.saturating_sub(1))
                    .map(str::to_string)
            });
        if let Some(line) = line {
            let n = loc.line.to_string();
            let pad = " ".repeat(n.len());
            let caret = " ".repeat(line.chars().take(loc.col.saturating_sub(1)).count());
            s.push_str(&format!("{pad} |\n{n} | {line}\n{pad} | {caret}^\n"));
        }
    }
    if let Some(help) = &d.help {
        s.push_str(&format!("  = help: {help}\n"));
    }
    s
}

/// Every diagnostic, one after another.
pub fn render_all(root: &Path, diags: &Diagnostics) -> String {
    diags.iter().map(|d| render(root, d) + "\n").collect()
}
