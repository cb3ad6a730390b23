//! Reads a site's text files (facts, articles) with the limits every loader shares: a size
//! cap, a line-length cap, UTF-8 checked with the place it breaks, and a leading BOM dropped.

use std::io::Read;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Loc};

/// The largest text file a site may have. The bundled site's largest is 30 KB; 10,000
/// articles of 4 KB need nothing near it.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// The longest line a text file may have (Markdown and YAML are written in lines).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Reads `root/rel` as text, or a diagnostic located at the problem.
pub fn read(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::error(Some(Loc::new(rel, 1, 1)), format!("cannot read file: {e}"))
            .with_help("check that the file exists and is readable")
    };
    let path = root.join(rel);
    // A FIFO or device would block or never end: only regular files (or links to them).
    let meta = std::fs::metadata(&path);
    if meta.as_ref().is_ok_and(|m| !m.is_file()) {
        return Err(
            Diagnostic::error(Some(Loc::new(rel, 1, 1)), "not a regular file")
                .with_help("replace it with a text file"),
        );
    }
    let file = std::fs::File::open(&path).map_err(cannot)?;
    // Read one byte past the cap, to tell a file at the cap from a longer one; sized for the
    // file, the buffer is filled in one read rather than grown by doubling.
    let size = meta.map_or(0, |m| m.len().min(MAX_FILE_BYTES)) as usize;
    let mut bytes = Vec::with_capacity(size + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    text(rel, bytes)
}

/// The bytes of the file `rel` (read from disk or from git) as text, with the same limits.
pub fn text(rel: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            Some(Loc::new(rel, 1, 1)),
            format!(
                "file is larger than {} MiB, the limit for a site's text files",
                MAX_FILE_BYTES >> 20
            ),
        )
        .with_help("split it into several files"));
    }
    let text = decode(rel, bytes)?;
    long_line(rel, &text).map_or(Ok(text), Err)
}

/// `bytes` as UTF-8 text without a leading byte-order mark.
fn decode(rel: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let (line, col) = line_col(good);
        Diagnostic::error(
            Some(Loc::new(rel, line, col)),
            "file is not UTF-8 text: an invalid byte sequence starts here",
        )
        .with_help("save the file as UTF-8 (most editors have it under \"encoding\")")
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// The 1-based line and column just after `before` (columns count characters).
fn line_col(before: &[u8]) -> (usize, usize) {
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let last = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(before, |i| &before[i + 1..]);
    let col = String::from_utf8_lossy(last).chars().count() + 1;
    (line, col)
}

/// A diagnostic for the first line longer than the cap, if any.
fn long_line(rel: &Path, text: &str) -> Option<Diagnostic> {
    let (i, line) = text
        .split('\n')
        .enumerate()
        .find(|(_, l)| l.len() > MAX_LINE_BYTES)?;
    Some(
        Diagnostic::error(
            Some(Loc::new(rel, i + 1, 1)),
            format!(
                "line {} is {} bytes long; the limit is {} MiB",
                i + 1,
                line.len(),
                MAX_LINE_BYTES >> 20
            ),
        )
        .with_help(
            "break the line up; Markdown paragraphs and YAML block scalars (`|`) can span lines",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_bytes(bytes: &[u8]) -> Result<String, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f.md"), bytes).unwrap();
        read(dir.path(), Path::new("f.md"))
    }

    #[test]
    fn drops_a_bom_and_locates_bad_bytes_and_long_lines() {
        assert_eq!(read_bytes(b"\xef\xbb\xbfid: a\n").unwrap(), "id: a\n");
        let e = read_bytes(b"ok\nab\xffc\n").unwrap_err();
        assert_eq!(e.loc.map(|l| (l.line, l.col)), Some((2, 3)));
        let mut long = b"a\nb\n".to_vec();
        long.extend(vec![b'x'; MAX_LINE_BYTES + 1]);
        let e = read_bytes(&long).unwrap_err();
        assert_eq!(e.loc.as_ref().map(|l| l.line), Some(3));
        assert!(e.message.contains("limit"), "{e}");
    }
}
