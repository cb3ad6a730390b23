//! The `.explainer-manifest` file a build leaves in its output folder: the format version and,
//! for every file the build wrote, its size and BLAKE3 hash. It marks the folder as ours and
//! says which files a rebuild may replace or remove; any other file there is the user's.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The manifest's file name, at the top of the output folder.
pub const MANIFEST: &str = ".explainer-manifest";

/// The first line of a manifest; a different version is refused rather than guessed at.
const HEADER: &str = "explainer-manifest 1";

/// One written file: its size in bytes and the hex BLAKE3 hash of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub size: u64,
    pub hash: String,
}

impl Entry {
    pub fn of(bytes: &[u8]) -> Entry {
        Entry {
            size: bytes.len() as u64,
            hash: blake3::hash(bytes).to_hex().to_string(),
        }
    }
}

/// Output path (relative, `/`-separated) → entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub files: BTreeMap<String, Entry>,
}

/// Why a manifest could not be read; the line number is 1-based.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ManifestError {
    #[error("it does not start with `{HEADER}` (another version of explainer, or damaged)")]
    Header,
    #[error("line {0} is not `HASH SIZE PATH`")]
    Line(usize),
    #[error("line {0} names a path outside the folder or a malformed one")]
    Path(usize),
}

/// Whether `rel` is a plain relative `/`-separated path: no empty, `.` or `..` part, no
/// leading `/`, no backslash or line break. Only such paths are written, linked or trusted.
pub fn is_safe_path(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains(['\\', '\n', '\r', '\0'])
        && rel
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

impl Manifest {
    /// The text of the manifest: the header, then `HASH SIZE PATH` per file, sorted by path.
    pub fn render(&self) -> String {
        let mut text = format!("{HEADER}\n");
        for (path, e) in &self.files {
            let _ = writeln!(text, "{} {} {path}", e.hash, e.size);
        }
        text
    }

    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Err(ManifestError::Header);
        }
        let mut files = BTreeMap::new();
        for (i, line) in lines.enumerate() {
            let n = i + 2;
            let mut parts = line.splitn(3, ' ');
            let (Some(hash), Some(size), Some(path)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(ManifestError::Line(n));
            };
            let size = size.parse().map_err(|_| ManifestError::Line(n))?;
            if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ManifestError::Line(n));
            }
            if !is_safe_path(path) || path == MANIFEST {
                return Err(ManifestError::Path(n));
            }
            let entry = Entry {
                size,
                hash: hash.to_string(),
            };
            files.insert(path.to_string(), entry);
        }
        Ok(Manifest { files })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_spaces_in_paths() {
        let mut m = Manifest::default();
        m.files.insert("index.html".into(), Entry::of(b"home"));
        m.files.insert("a b/index.html".into(), Entry::of(b""));
        let text = m.render();
        assert!(text.starts_with("explainer-manifest 1\n"));
        assert_eq!(Manifest::parse(&text), Ok(m));
    }

    #[test]
    fn refuses_other_versions_bad_lines_and_escaping_paths() {
        assert_eq!(
            Manifest::parse("explainer-manifest 2\n"),
            Err(ManifestError::Header)
        );
        let h = "0".repeat(64);
        let bad = |line: String| Manifest::parse(&format!("{HEADER}\n{line}\n"));
        assert_eq!(
            bad(format!("{h} x index.html")),
            Err(ManifestError::Line(2))
        );
        assert_eq!(bad("abc 1 index.html".into()), Err(ManifestError::Line(2)));
        assert_eq!(bad(format!("{h} 1")), Err(ManifestError::Line(2)));
        for path in ["../x", "/etc/passwd", "a//b", "a/./b", MANIFEST] {
            assert_eq!(bad(format!("{h} 1 {path}")), Err(ManifestError::Path(2)));
        }
    }

    #[test]
    fn the_hash_is_blake3_hex() {
        let e = Entry::of(b"abc");
        assert_eq!(e.size, 3);
        assert_eq!(
            e.hash,
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
        );
    }
}
