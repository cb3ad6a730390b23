//! Diagnostics as people read them: rustc-style (annotate-snippets), with the source line and
//! a caret under the column, coloured on a terminal and plain when piped; and one-line counts.
//! Used by the command line and by `serve`'s terminal and overlay.

use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::diagnostics::{Diagnostic, Diagnostics, Severity, tidy};

/// How many diagnostics one report shows before it says "and N more".
pub const MAX_SHOWN: usize = 50;

/// The largest file whose line is shown (the loaders refuse larger ones anyway).
const MAX_SOURCE_BYTES: u64 = 16 << 20;

/// A source line longer than this is shown only up to a little past the caret, or (when the
/// caret itself lies further in) not at all.
const MAX_SHOWN_LINE: usize = 4096;

/// `2 errors, 1 warning`.
pub fn counts(diags: &Diagnostics) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(diags.errors(), "error"),
        plural(diags.warnings(), "warning")
    )
}

/// One diagnostic, plain, with the line of `root`'s file it points at.
pub fn render(root: &Path, d: &Diagnostic) -> String {
    render_with(root, d, false)
}

/// One diagnostic, coloured for a terminal when `color`.
pub fn render_with(root: &Path, d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let message = tidy(&d.message);
    let title = level.primary_title(message.as_ref());
    let source = d.loc.as_ref().and_then(|loc| {
        let path = root.join(&loc.file);
        // Only a regular file of a sane size: the diagnostic may be about a FIFO or a giant.
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_SOURCE_BYTES {
            return None;
        }
        let text = std::fs::read_to_string(&path).ok()?;
        let line = text.lines().nth(loc.line.saturating_sub(1))?.to_string();
        shown_line(line, loc.col)
    });
    let path = d.loc.as_ref().map(|l| l.file.display().to_string());
    let group = match (&d.loc, &source, &path) {
        (Some(loc), Some((line, span)), Some(path)) => title.element(
            Snippet::source(line.as_str())
                .line_start(loc.line)
                .path(path.as_str())
                .annotation(AnnotationKind::Primary.span(span.clone())),
        ),
        (Some(loc), _, Some(path)) => title.element(
            Origin::path(path.as_str())
                .line(loc.line)
                .char_column(loc.col),
        ),
        _ => Group::with_title(title),
    };
    let help = d.help.as_deref().map(tidy);
    let mut report = vec![group];
    if let Some(help) = &help {
        report.push(Group::with_title(
            Level::HELP.secondary_title(help.as_ref()),
        ));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&report) + "\n"
}

/// The source line to show and the caret's byte span in it: a very long line is cut a little
/// past the caret (which keeps columns true), or not shown when the caret lies far in.
fn shown_line(mut line: String, col: usize) -> Option<(String, std::ops::Range<usize>)> {
    let start = match line.char_indices().nth(col.saturating_sub(1)) {
        Some((i, _)) => i,
        None => line.len(),
    };
    if start > MAX_SHOWN_LINE {
        return None;
    }
    if line.len() > MAX_SHOWN_LINE {
        let mut cut = (start + 200).min(line.len());
        while !line.is_char_boundary(cut) {
            cut += 1;
        }
        line.truncate(cut);
    }
    let end = line[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    Some((line, start..end))
}

/// Prints `diags` to stderr with the source lines (under `root`) they point at: coloured on a
/// terminal (unless NO_COLOR is set), plain when piped, at most `MAX_SHOWN` of them. The
/// command line reports every problem, its own errors included, through this one function.
pub fn eprint(root: &Path, diags: &Diagnostics) {
    use std::io::IsTerminal;
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", render_all_with(root, diags, color));
}

/// Every diagnostic, one after another (plain), up to `MAX_SHOWN`.
pub fn render_all(root: &Path, diags: &Diagnostics) -> String {
    render_all_with(root, diags, false)
}

/// Every diagnostic up to `MAX_SHOWN`, then how many more there are.
pub fn render_all_with(root: &Path, diags: &Diagnostics, color: bool) -> String {
    let mut out: String = diags
        .iter()
        .take(MAX_SHOWN)
        .map(|d| render_with(root, d, color) + "\n")
        .collect();
    let more = diags.0.len().saturating_sub(MAX_SHOWN);
    if more > 0 {
        out.push_str(&format!(
            "… and {more} more (the first {MAX_SHOWN} are shown; fix these and run again)\n\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Loc;

    fn site(file: &str, text: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(file), text).unwrap();
        dir
    }

    #[test]
    fn shows_the_line_and_caret_plainly() {
        let dir = site("f.yaml", "a: 1\n  title: \"A blog post\n");
        let d = Diagnostic::error(Some(Loc::new("f.yaml", 2, 10)), "found unexpected end")
            .with_help("close the quote");
        let text = render(dir.path(), &d);
        assert!(text.starts_with("error: found unexpected end\n"), "{text}");
        assert!(text.contains(" --> f.yaml:2:10\n"), "{text}");
        assert!(text.contains("2 |   title: \"A blog post\n"), "{text}");
        assert!(text.contains("  |          ^\n"), "{text}");
        assert!(text.contains("help: close the quote"), "{text}");
        assert!(!text.contains('\u{1b}'), "plain when not a terminal");
    }

    #[test]
    fn long_lines_values_and_control_characters_are_tamed() {
        let mut text = "x".repeat(2 << 20);
        text.insert_str(3, "\u{1b}[31m");
        let dir = site("f.md", &text);
        let d = Diagnostic::error(
            Some(Loc::new("f.md", 1, 2)),
            format!("bad value `{}`", "y".repeat(1 << 20)),
        );
        let shown = render(dir.path(), &d);
        assert!(shown.len() < 2000, "{} bytes", shown.len());
        assert!(shown.contains(" --> f.md:1:2"), "{shown}");
        assert!(!shown.contains('\u{1b}'), "{shown}");
        let far = Diagnostic::error(Some(Loc::new("f.md", 1, 1 << 20)), "far in");
        let shown = render(dir.path(), &far);
        assert!(shown.contains("f.md:1:1048576"), "{shown}");
        assert!(shown.len() < 500, "{shown}");
    }

    #[test]
    fn caps_how_many_are_shown() {
        let diags = Diagnostics(
            (0..60)
                .map(|i| Diagnostic::error(None, format!("problem {i}")))
                .collect(),
        );
        let text = render_all(Path::new("."), &diags);
        assert_eq!(text.matches("error: problem").count(), MAX_SHOWN);
        assert!(text.contains("and 10 more"), "{text}");
    }
}
