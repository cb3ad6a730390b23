//! A site held in memory between rebuilds, as `serve` keeps it: every output file's bytes and
//! the engine's state. Each rebuild runs the same engine as `build` and patches the files; when
//! the engine cannot vouch for a change, the site is built in full.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Outcome, State, fast, rebuild_with};
use crate::diagnostics::Diagnostics;
use crate::pipeline::{self, Built, Options};
use crate::publish::output::{Entry, Output};

/// A site in memory: its output, its warnings, and what the next rebuild starts from.
pub struct Session {
    pub root: PathBuf,
    pub options: Options,
    pub output: Output,
    pub warnings: Diagnostics,
    pub pages: usize,
    pub has_base_url: bool,
    /// `None` after a failed rebuild: the next one builds in full.
    state: Option<State>,
    /// What the fast path renders with, kept while it holds (made at the first edit).
    base: Option<fast::Base>,
}

/// What a rebuild of a `Session` site did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Pages rendered again (all of them after a full rebuild).
    pub rendered: usize,
    /// Whether it built in full.
    pub full: bool,
    /// Only stylesheets changed: a browser can swap them without reloading.
    pub css_only: bool,
    /// The output paths written or removed (empty after a full rebuild: any may have changed).
    pub paths: Vec<String>,
}

impl Session {
    /// Keeps a full build in memory, with its state for the next rebuild.
    pub fn new(mut built: Built) -> Session {
        let files: BTreeMap<String, Entry> = (built.output.files.par_iter())
            .map(|(p, b)| (p.clone(), Entry::of(b)))
            .collect();
        let state = State::of(&mut built, files);
        Session {
            has_base_url: built.site.config.base_url.is_some(),
            root: built.root,
            options: built.options,
            output: built.output,
            warnings: built.warnings,
            pages: built.pages,
            state: Some(state),
            base: None,
        }
    }

    /// Rebuilds after the files `changed` (relative to the root) changed. On error the last
    /// good output stays, and the diagnostics say why.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Change, Diagnostics> {
        let paths: BTreeSet<String> = (changed.iter())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        let outcome = match self.state.take() {
            Some(state) => rebuild_with(&self.root, &self.options, state, &paths, &mut self.base),
            None => Outcome::Full(None),
        };
        let r = match outcome {
            Outcome::Patched(r) => r,
            Outcome::Full(_) => return self.full(),
        };
        let css_only = changed
            .iter()
            .all(|p| p.starts_with("static") && p.extension().is_some_and(|x| x == "css"));
        let mut written: Vec<String> = Vec::with_capacity(r.write.len() + r.remove.len());
        for (path, bytes) in r.write {
            written.push(path.clone());
            self.output.files.insert(path, bytes);
        }
        for path in r.remove {
            self.output.files.remove(&path);
            written.push(path);
        }
        self.state = Some(r.state);
        self.warnings = r.warnings;
        self.has_base_url = r.has_base_url;
        Ok(Change {
            rendered: r.rendered,
            full: false,
            css_only,
            paths: written,
        })
    }

    fn full(&mut self) -> Result<Change, Diagnostics> {
        let built = pipeline::build_with(&self.root, &self.options)?;
        *self = Session::new(built);
        Ok(Change {
            rendered: self.pages,
            full: true,
            css_only: false,
            paths: Vec::new(),
        })
    }

    /// The site's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }
}
