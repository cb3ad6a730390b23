//! `explainer init DIR`: scaffolds a small site that builds and passes `check --strict`, to
//! edit from there: two regions (one part of the other), a category, an exclusion, an
//! opt-out, two sources that disagree on a question with a verdict, an article, comments
//! that explain each field, and a `.gitignore` for `public/`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The scaffold, file by file: its text is in `scaffold/` (example content, kept out of `src/`), commented field by field.
const FILES: [(&str, &str); 11] = [
    (
        "content/site.yaml",
        include_str!("../../scaffold/site.yaml"),
    ),
    (
        "content/facts/regions.yaml",
        include_str!("../../scaffold/regions.yaml"),
    ),
    (
        "content/facts/categories.yaml",
        include_str!("../../scaffold/categories.yaml"),
    ),
    (
        "content/facts/exclusions.yaml",
        include_str!("../../scaffold/exclusions.yaml"),
    ),
    (
        "content/facts/optouts.yaml",
        include_str!("../../scaffold/optouts.yaml"),
    ),
    (
        "content/facts/sources.yaml",
        include_str!("../../scaffold/sources.yaml"),
    ),
    (
        "content/facts/questions.yaml",
        include_str!("../../scaffold/questions.yaml"),
    ),
    (
        "content/facts/claims.yaml",
        include_str!("../../scaffold/claims.yaml"),
    ),
    (
        "content/articles/what-changed.md",
        include_str!("../../scaffold/what-changed.md"),
    ),
    (".gitignore", include_str!("../../scaffold/gitignore")),
    ("README.md", include_str!("../../scaffold/README.md")),
];

/// Why `init` could not scaffold.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0} already has a content/ folder; choose an empty or new folder")]
    Exists(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl From<InitError> for Diagnostic {
    /// The error as the command line reports it (the message says what to do).
    fn from(e: InitError) -> Diagnostic {
        Diagnostic::error(None, e.to_string())
    }
}

/// Writes the scaffold into `dir`, which must not hold a site already.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    if dir.join("content").exists() {
        return Err(InitError::Exists(dir.to_path_buf()));
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let io = |source| InitError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        fs::write(&path, text).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}
