//! The watcher and the rebuild loop: collects bursts of changes, rebuilds a private copy of the
//! site (incrementally where it can) without holding any lock, then publishes the result as a
//! new snapshot in one pointer swap. Readers never wait for it; answering is `respond`'s job.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::files::Files;
use super::{Live, ServeError, Shared, Snapshot};
use crate::diagnostics::Diagnostics;
use crate::diagnostics::report;
use crate::pipeline::{
    self,
    incremental::{Change, Session as Site},
};

/// How long the watcher waits for a burst of changes to end before rebuilding.
const QUIET: Duration = Duration::from_millis(8);
/// The longest a continuous burst may delay a rebuild.
const MAX_BURST: Duration = Duration::from_millis(250);

/// Watches content/, templates/ and static/ under `root` and rebuilds on changes, on a thread
/// of its own that owns `built`. Watching stops when the returned watcher is dropped.
pub fn start(
    root: &Path,
    built: Option<Site>,
    options: pipeline::Options,
    shared: Arc<Shared>,
) -> Result<RecommendedWatcher, ServeError> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            if !matches!(ev.kind, EventKind::Access(_)) {
                for p in ev.paths {
                    let _ = tx.send(p);
                }
            }
        }
    })
    .map_err(|e| ServeError::Watch(root.to_path_buf(), e))?;
    for dir in ["content", "templates", "static"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| ServeError::Watch(path.clone(), e))?;
        }
    }
    let mut rebuilder = Rebuilder {
        root: root.to_path_buf(),
        options,
        built,
        shared,
    };
    std::thread::spawn(move || rebuilder.run(&rx));
    Ok(watcher)
}

/// Whether vim's write probe: it checks that it may write in a folder by creating the file
/// `4913`, or when that exists `5036`, `5159`, … (4913 + 123·k), and deleting it at once.
fn is_vim_probe(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('0')
        && name.bytes().all(|b| b.is_ascii_digit())
        && name
            .parse::<u64>()
            .is_ok_and(|n| n >= 4913 && (n - 4913) % 123 == 0)
}

/// Whether a changed path (that is a folder when `is_dir`) is an editor's scratch file rather
/// than content. Folders are always content: `2024/` holds articles.
fn is_scratch(path: &Path, is_dir: bool) -> bool {
    if is_dir {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || [".swp", ".swx", ".tmp", ".bak"]
            .iter()
            .any(|x| name.ends_with(x))
        || is_vim_probe(&name)
}

/// The rebuild loop's state: the last good build, which only this loop reads or changes.
struct Rebuilder {
    root: PathBuf,
    /// The first build's: `serve`'s own base URL.
    options: pipeline::Options,
    built: Option<Site>,
    shared: Arc<Shared>,
}

impl Rebuilder {
    /// Collects bursts of changes and rebuilds after each, until the watcher is gone.
    fn run(&mut self, rx: &mpsc::Receiver<PathBuf>) {
        while let Ok(first) = rx.recv() {
            let started = Instant::now();
            let mut paths = BTreeSet::from([first]);
            loop {
                match rx.recv_timeout(QUIET) {
                    Ok(p) => {
                        paths.insert(p);
                        if started.elapsed() > MAX_BURST {
                            break;
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            let changed: Vec<PathBuf> = paths
                .iter()
                .filter(|p| !is_scratch(p, p.is_dir()))
                .filter_map(|p| p.strip_prefix(&self.root).ok())
                .map(Path::to_path_buf)
                .collect();
            if !changed.is_empty() {
                self.rebuild(&changed, started);
            }
        }
    }

    /// Rebuilds after `changed`, publishes the result and prints one line about it.
    fn rebuild(&mut self, changed: &[PathBuf], started: Instant) {
        let result = match self.built.as_mut() {
            Some(site) => site.rebuild(changed),
            None => pipeline::build_with(&self.root, &self.options).map(|b| {
                let site = Site::new(b);
                let rendered = site.pages;
                self.built = Some(site);
                Change {
                    rendered,
                    full: true,
                    ..Change::default()
                }
            }),
        };
        let what = match changed {
            [one] => one.display().to_string(),
            [one, rest @ ..] => format!("{} and {} more", one.display(), rest.len()),
            [] => String::new(),
        };
        match result {
            Ok(r) => self.succeeded(&r, &what, started),
            Err(diags) => self.failed(&diags, &what, started.elapsed().as_millis()),
        }
    }

    /// Publishes the rebuilt files, and tells the browsers to reload.
    fn succeeded(&self, r: &Change, what: &str, started: Instant) {
        let Some(built) = &self.built else {
            return;
        };
        let current = self.shared.current();
        let files = match (&current.files, r.full) {
            (Some(old), false) => patched(old, built, &r.paths),
            _ => Arc::new(Files::of(&built.output)),
        };
        self.shared.publish(Snapshot {
            files: Some(files),
            error: None,
        });
        let ms = started.elapsed().as_millis(); // Publishing included.
        report::eprint(&self.root, &built.warnings);
        let how = if r.full {
            "full rebuild"
        } else {
            "incremental"
        };
        println!(
            "{what} changed: {} pages re-rendered ({how}) in {ms} ms",
            r.rendered
        );
        let _ = self
            .shared
            .events
            .send(if r.css_only { Live::Css } else { Live::Reload });
    }

    /// Keeps the last good files served, with the error beside them for the overlay.
    fn failed(&self, diags: &Diagnostics, what: &str, ms: u128) {
        report::eprint(&self.root, diags);
        let text = report::render_all(&self.root, diags);
        println!(
            "{what} changed: build failed ({}) in {ms} ms; still serving the last good site",
            report::counts(diags)
        );
        self.shared.publish(Snapshot {
            files: self.shared.current().files.clone(),
            error: Some(text.clone()),
        });
        let _ = self.shared.events.send(Live::Error(text));
    }
}

/// `old` with the output `paths` of `built` written again (or removed, when gone from it).
fn patched(old: &Files, built: &Site, paths: &[String]) -> Arc<Files> {
    let changes =
        (paths.iter()).map(|p| (p.as_str(), built.output.files.get(p).map(Vec::as_slice)));
    Arc::new(old.patched(changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_files_are_ignored() {
        for p in [
            ".intro.md.swp",
            "intro.md~",
            "4913",
            "content/articles/5036",
            "5159",
            "#intro.md#",
            ".goutputstream-X",
        ] {
            assert!(is_scratch(Path::new(p), false), "{p}");
        }
        for p in [
            "content/articles/intro.md",
            "content/articles/2024",
            "content/articles/2024.md",
            "4914",
            "5000",
            "04913",
            "49130",
        ] {
            assert!(!is_scratch(Path::new(p), false), "{p}");
        }
        // A folder is content whatever its name.
        assert!(!is_scratch(Path::new("content/articles/4913"), true));
    }
}
