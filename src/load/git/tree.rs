//! A site's `content/` at a git revision, read from the repository's objects in memory and
//! parsed like the files on disk (`load::facts`, `load::articles`). A `Reader` parses each
//! distinct file once (by blob id) and each distinct `articles/` folder once (by tree id), so
//! a history whose commits each change one file parses about one file per commit.

use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde::de::DeserializeOwned;

use super::TreeId;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{articles, categories_as_tags, facts, source, yaml};
use crate::model::spans::Spans;
use crate::model::{Article, Entity, Site, SiteConfig, Table};

/// Parsed files and article folders, remembered by git object id.
pub struct Reader<'r> {
    repo: &'r gix::Repository,
    files: HashMap<(&'static str, TreeId), Rc<dyn Any>>,
    articles: HashMap<TreeId, Result<Rc<Vec<Article>>, Diagnostic>>,
}

/// A tree's entries: name → (is a folder, object id).
type Entries = HashMap<String, (bool, TreeId)>;

fn error(message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(None, message)
}

/// The first error of `diags` (else the first of them).
fn first(diags: Vec<Diagnostic>) -> Diagnostic {
    let at = diags.iter().position(Diagnostic::is_error).unwrap_or(0);
    (diags.into_iter().nth(at)).unwrap_or_else(|| error("the file does not load"))
}

impl<'r> Reader<'r> {
    pub fn new(repo: &'r gix::Repository) -> Reader<'r> {
        Reader {
            repo,
            files: HashMap::new(),
            articles: HashMap::new(),
        }
    }

    fn entries(&self, tree: TreeId) -> Result<Entries, Diagnostic> {
        let fail = |e: &dyn std::fmt::Display| error(format!("tree {}: {e}", tree.to_hex()));
        let object = self.repo.find_object(tree).map_err(|e| fail(&e))?;
        let tree = object.try_into_tree().map_err(|e| fail(&e))?;
        let mut out = Entries::new();
        for entry in tree.iter() {
            let entry = entry.map_err(|e| fail(&e))?;
            let mode = entry.mode();
            if mode.is_tree() || mode.is_blob() {
                let id = entry.object_id();
                out.insert(entry.filename().to_string(), (mode.is_tree(), id));
            }
        }
        Ok(out)
    }

    /// The text of the blob `id`, as the file `rel`, with the limits of files on disk.
    fn text(&self, rel: &Path, id: TreeId) -> Result<String, Diagnostic> {
        let mut object =
            (self.repo.find_object(id)).map_err(|e| error(format!("{}: {e}", rel.display())))?;
        source::text(rel, std::mem::take(&mut object.data))
    }

    /// The file `rel` (blob `id`) parsed by `parse`, once per blob.
    fn parsed<V: Clone + 'static>(
        &mut self,
        name: &'static str,
        rel: &Path,
        id: TreeId,
        parse: impl FnOnce(&Path, &str) -> Result<V, Diagnostic>,
    ) -> Result<V, Diagnostic> {
        if let Some(hit) = self.files.get(&(name, id)) {
            if let Some(v) = hit.downcast_ref::<Result<V, Diagnostic>>() {
                return v.clone();
            }
        }
        let value = self.text(rel, id).and_then(|src| parse(rel, &src));
        self.files.insert((name, id), Rc::new(value.clone()));
        value
    }

    /// The facts table `name` of the `facts/` folder `dir` (absent: empty).
    fn table<T: DeserializeOwned + Entity + Clone + 'static>(
        &mut self,
        dir: &Entries,
        name: &'static str,
    ) -> Result<Table<T>, Diagnostic> {
        let rel = Path::new("content/facts").join(name);
        let Some(&(false, id)) = dir.get(name) else {
            return Ok(Table::new(Vec::new(), yaml::index(&rel, "", 0)));
        };
        self.parsed(name, &rel, id, |rel, src| {
            // Typed without the span index (only messages about the work tree need it), and
            // parsed again entry by entry only to say what is wrong.
            if src.trim().is_empty() {
                return Ok(Table::new(Vec::new(), Spans::default()));
            }
            if let Ok(items) = yaml::parse_value::<Vec<T>>(rel, src, 0) {
                return Ok(Table::new(items, Spans::default()));
            }
            let mut diags = Diagnostics::default();
            match facts::table_from::<T>(rel, src, &mut diags) {
                Some(t) if !diags.has_errors() => Ok(t),
                _ => Err(first(diags.0)),
            }
        })
    }

    /// The articles under the folder `tree` (at `rel`), parsed, in site order; once per tree.
    fn articles(&mut self, tree: TreeId) -> Result<Rc<Vec<Article>>, Diagnostic> {
        if let Some(hit) = self.articles.get(&tree) {
            return hit.clone();
        }
        let mut files = Vec::new();
        let loaded = self.article_files(tree, PathBuf::from("content/articles"), &mut files);
        let loaded = loaded.and_then(|()| {
            let mut list = Vec::with_capacity(files.len());
            for (rel, id) in files {
                let src = self.text(&rel, id)?;
                list.push(articles::parse_reporting(&rel, &src).map_err(first)?);
            }
            list.sort_by(|a, b| (a.front.order(), &a.slug).cmp(&(b.front.order(), &b.slug)));
            Ok(Rc::new(list))
        });
        self.articles.insert(tree, loaded.clone());
        loaded
    }

    fn article_files(
        &self,
        tree: TreeId,
        rel: PathBuf,
        out: &mut Vec<(PathBuf, TreeId)>,
    ) -> Result<(), Diagnostic> {
        let mut entries: Vec<_> = self.entries(tree)?.into_iter().collect();
        entries.sort();
        for (name, (folder, id)) in entries {
            if folder {
                self.article_files(id, rel.join(&name), out)?;
            } else if name.ends_with(".md") && name != "_index.md" {
                out.push((rel.join(&name), id));
            }
        }
        Ok(())
    }

    /// The site under `root` whose `content/` is the tree `content`, drafts left out (as
    /// published); archived texts are not read. An error is the first problem found.
    pub fn site(&mut self, root: &Path, content: TreeId) -> Result<Site, Diagnostic> {
        let top = self.entries(content)?;
        let Some(&(false, config)) = top.get("site.yaml") else {
            return Err(error("there is no content/site.yaml"));
        };
        let config: yaml::Doc<SiteConfig> = self.parsed(
            "site.yaml",
            Path::new("content/site.yaml"),
            config,
            |rel, src| match yaml::parse_value::<SiteConfig>(rel, src, 0) {
                Ok(value) => Ok(yaml::Doc {
                    value,
                    spans: Spans::default(),
                }),
                Err(_) => facts::config_from(rel, src).map_err(first),
            },
        )?;
        let Some(&(true, dir)) = top.get("facts") else {
            return Err(error("there is no content/facts/ folder"));
        };
        let dir = self.entries(dir)?;
        let articles = match top.get("articles") {
            Some(&(true, tree)) => self.articles(tree)?.as_ref().clone(),
            _ => Vec::new(),
        };
        let mut site = Site {
            root: root.to_path_buf(),
            config: config.value,
            config_spans: config.spans,
            regions: self.table(&dir, "regions.yaml")?,
            categories: self.table(&dir, "categories.yaml")?,
            exclusions: self.table(&dir, "exclusions.yaml")?,
            optouts: self.table(&dir, "optouts.yaml")?,
            sources: self.table(&dir, "sources.yaml")?,
            questions: self.table(&dir, "questions.yaml")?,
            claims: self.table(&dir, "claims.yaml")?,
            articles,
            unloaded_articles: Vec::new(),
            draft_articles: Vec::new(),
            text_hrefs: Vec::new(),
            archives: Default::default(),
        };
        for a in &mut site.articles {
            categories_as_tags(&site.categories, a);
        }
        site.strip_drafts();
        Ok(site)
    }
}
