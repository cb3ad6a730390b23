//! The rendered site in memory: output path → bytes. Rendering fills it; `publish` checks its
//! links and writes it, `serve` serves it, and nothing here touches the disk.

use std::collections::BTreeMap;

/// Output path (relative, `/`-separated, e.g. `regions/eu/index.html`) → bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Vec<u8>>,
    /// The path every internal link starts with: empty at a host's root, else the base URL's
    /// path without its final `/` (`/sub`). The link check maps `/sub/x/` back to `x/`.
    pub base_path: String,
}

impl Output {
    /// The HTML pages, by path.
    pub fn pages(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .filter_map(|(p, b)| Some((p.as_str(), std::str::from_utf8(b).ok()?)))
    }
}

/// Where a build that writes as it goes puts each file as soon as it is made (the output
/// folder's staging copy, for `build`), so that no page's bytes are held to the end.
pub trait Sink: Sync {
    /// Takes the file at output path `path`; an error stops the build.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), crate::diagnostics::Diagnostic>;
}
