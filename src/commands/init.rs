//! `explainer init DIR`: scaffolds a small site (site.yaml, a region, a source, a question
//! with a claim, an article) that builds and passes `check --strict`, to edit from there.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

const FILES: [(&str, &str); 7] = [
    (
        "content/site.yaml",
        r#"title: What the new policy means for you
description: A sourced, region-by-region explainer.
language: en
policy:
  platform: Example platform
  name: Data-use policy update
  effective: 2026-01-01
  verified: 2026-01-01
  summary: |
    From 1 January 2026 the platform uses member posts to train its models.
    See [the guide for your region](region:everywhere).
changes:
  - id: ai-training
    name: AI training
    summary: Member posts are used to train the platform's models.
"#,
    ),
    (
        "content/facts/regions.yaml",
        r#"- id: everywhere
  name: Everywhere
  elsewhere: true
  status:
    ai-training:
      state: applies
      since: 2026-01-01
      default_on: true
      opt_out: true
      sources: [announcement]
  notes: Replace this with the regions the policy treats differently.
  sources: [announcement]
"#,
    ),
    (
        "content/facts/sources.yaml",
        r#"- id: announcement
  title: The platform's announcement
  publisher: Example platform
  kind: official
  date: 2025-12-01
  notes: Add the reports you rely on here; quote each only briefly, in claims.
"#,
    ),
    (
        "content/facts/questions.yaml",
        r#"- id: start-date
  text: When does the change take effect?
  type: date
  resolution:
    verdict: 2026-01-01
    rationale: The [announcement](source:announcement) gives the date.
    basis: official
    confidence: high
- id: where
  text: Where does the change apply?
  type: regions
  change: ai-training
  regions: [everywhere]
  resolution:
    verdict: [everywhere]
    rationale: The [announcement](source:announcement) says it applies to all members.
    basis: official
"#,
    ),
    (
        "content/facts/claims.yaml",
        r#"- question: start-date
  source: announcement
  value: 2026-01-01
  quote: "The new policy takes effect on 1 January 2026."
- question: where
  source: announcement
  value: [everywhere]
  quote: "It applies to all members."
"#,
    ),
    (
        "content/facts/optouts.yaml",
        r#"- id: settings-toggle
  name: The training setting
  change: ai-training
  summary: A switch in the account settings.
  stops: [Future use of your posts for training.]
  does_not_stop: [Use of posts already collected.]
  steps:
    desktop: [Open Settings, "Turn off *Use my data for training*"]
    mobile: [Open the app's Settings, "Turn off *Use my data for training*"]
  sources: [announcement]
"#,
    ),
    (
        "content/articles/what-changed.md",
        r#"---
title: What changed
summary: The change in two minutes.
date: 2026-01-01
regions: [everywhere]
---
## The short version

The platform now trains its models on member posts, unless you
[turn it off](optout:settings-toggle). When it starts is
[sourced](claim:start-date).
"#,
    ),
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
