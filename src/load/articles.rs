//! Loads `content/articles/**/*.md`: YAML front matter between `---` lines, then a Markdown
//! body. Rendering the body happens later, once every link target is known (`links`).

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Loc};
use crate::load::facts::read;
use crate::load::{front, yaml};
use crate::model::Article;

/// The article files under `content/articles`, relative to `root`, in path order. Symlinks
/// are followed; one that leads nowhere, or in a loop, is an error at the link.
pub fn article_files(root: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let dir = root.join("content/articles");
    let mut files = Vec::new();
    for entry in WalkDir::new(&dir).follow_links(true) {
        match entry {
            Ok(e) if e.file_type().is_file() && e.file_name() == "_index.md" => {
                let at = e.path().strip_prefix(root).unwrap_or(e.path());
                diags.push(
                    Diagnostic::warning(
                        Some(Loc::new(at, 1, 1)),
                        "a section page (`_index.md`, as Hugo and Zola have them) is not an article; it is ignored",
                    )
                    .with_help("the articles list is generated; move any text you need into an article"),
                );
            }
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                files.extend(e.path().strip_prefix(root).ok().map(Path::to_path_buf));
            }
            Ok(_) => {}
            Err(e) => {
                let at = e
                    .path()
                    .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf());
                let Some(at) = at.filter(|_| dir.exists()) else {
                    continue;
                };
                let why = if e.loop_ancestor().is_some() {
                    "this symlink leads back into a folder that contains it".to_string()
                } else {
                    format!(
                        "cannot read this path: {}",
                        e.io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string)
                    )
                };
                diags.push(
                    Diagnostic::error(Some(Loc::new(at, 1, 1)), format!("article skipped: {why}"))
                        .with_help("fix or remove the symlink (a symlink to a file or folder that exists is followed)"),
                );
            }
        }
    }
    files.sort();
    files
}

/// Loads every article; each bad one becomes diagnostics and is left out (its slug is
/// returned, so links to it raise nothing more).
pub fn load_all(root: &Path, diags: &mut Diagnostics) -> (Vec<Article>, Vec<String>) {
    let loaded: Vec<(PathBuf, Result<Article, Vec<Diagnostic>>)> = article_files(root, diags)
        .into_par_iter()
        .map(|rel| {
            let parsed = read(root, &rel)
                .map_err(|d| vec![d])
                .and_then(|src| parse_reporting(&rel, &src));
            (rel, parsed)
        })
        .collect();
    let mut articles = Vec::with_capacity(loaded.len());
    let mut unloaded = Vec::new();
    for (rel, result) in loaded {
        match result {
            Ok(mut a) => {
                diags.extend(std::mem::take(&mut a.warnings));
                articles.push(a);
            }
            Err(found) => {
                diags.extend(found);
                unloaded.push(default_slug(&rel));
            }
        }
    }
    // By cached keys: an article is large, and a comparison sort would move each one many
    // times; this sorts the keys and moves each article about once.
    articles.sort_by_cached_key(|a| (a.front.order(), a.slug.clone()));
    (articles, unloaded)
}

impl Article {
    /// The locations in the front matter. Built on demand: only diagnostics need them, and a
    /// large site has thousands of articles.
    pub fn spans(&self) -> yaml::Spans {
        front::spans(&self.file, self.format, &self.front_src)
    }
}

/// Splits and parses one article file; on error, the first problem.
pub fn parse(rel: &Path, src: &str) -> Result<Article, Diagnostic> {
    parse_reporting(rel, src).map_err(|mut found| found.swap_remove(0))
}

/// The slug of an article without `slug:`: its file name without `.md`, or for an `index.md`
/// (a Hugo page bundle, `my-post/index.md`) its folder's name.
pub fn default_slug(rel: &Path) -> String {
    let name = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    match rel.parent() {
        Some(dir) if name(rel) == "index" && !dir.ends_with("content/articles") => dir
            .file_name()
            .map_or_else(|| name(rel), |d| d.to_string_lossy().into_owned()),
        _ => name(rel),
    }
}

/// Splits and parses one article file, with every problem of its front matter.
pub fn parse_reporting(rel: &Path, src: &str) -> Result<Article, Vec<Diagnostic>> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let split = front::split(rel, src).map_err(|d| vec![d])?;
    let (format, front_src) = (split.format, split.front);
    let front = front::parse(rel, format, front_src)?;
    let slug = match &front.slug {
        Some(s) => s.clone(),
        None => default_slug(rel),
    };
    if !crate::model::is_valid_id(&slug) {
        let loc = if front.slug.is_some() {
            front::spans(rel, format, front_src).at("slug")
        } else {
            Loc::new(rel, 1, 1)
        };
        return Err(vec![
            Diagnostic::error(Some(loc), format!("`{slug}` is not a valid slug")).with_help(
                "use lowercase letters, digits and `-` (set `slug:` or rename the file)",
            ),
        ]);
    }
    let aliases = front::aliases(rel, format, front_src, &front.aliases)?;
    let body_line = 2 + front_src.matches('\n').count() + 1;
    let mut front = front;
    front.aliases = aliases;
    Ok(Article {
        slug,
        file: rel.to_path_buf(),
        front,
        front_src: front_src.to_string(),
        format,
        body: src[split.body_start..].to_string(),
        body_line,
        html: String::new(),
        toc: Vec::new(),
        links_to: Default::default(),
        hrefs: Vec::new(),
        warnings: front::unknown_keys(rel, format, front_src),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let a = parse(
            Path::new("content/articles/x.md"),
            "---\ntitle: Hi\ndate: 2025-11-03\n---\n# Body\n",
        )
        .unwrap();
        assert_eq!(a.slug, "x");
        assert_eq!(a.front.title, "Hi");
        assert_eq!(a.body, "# Body\n");
        assert_eq!(a.body_line, 5);
    }

    #[test]
    fn bad_front_matter_is_located_in_the_file() {
        let e = parse(
            Path::new("a.md"),
            "---\ntitle: Hi\ndate: 2025-11-33\n---\nbody\n",
        )
        .unwrap_err();
        assert_eq!(e.loc.as_ref().map(|l| l.line), Some(3), "{e}");
        assert!(e.message.contains("not a day"), "{e}");
        let e = parse(Path::new("a.md"), "# no front matter\n").unwrap_err();
        assert!(e.message.contains("no front matter"), "{e}");
    }
}

#[cfg(test)]
mod hugo_zola {
    use super::*;

    #[test]
    fn toml_front_matter_datetimes_and_unknown_keys() {
        let src = "+++\ntitle = \"Hi\"\ndate = 2021-07-08T17:05:00Z\ndescription = \"D\"\ntemplate = \"x.html\"\naliases = [\"/old/\"]\n[taxonomies]\ntags = [\"a\"]\n+++\nBody\n";
        let a = parse(Path::new("content/articles/x.md"), src).unwrap();
        assert_eq!(a.front.date.to_string(), "2021-07-08");
        assert_eq!(a.front.summary.as_deref(), Some("D"));
        assert_eq!(a.front.tags, ["a"]);
        assert_eq!(a.front.aliases, ["/old/"]);
        assert_eq!(a.body, "Body\n");
        assert_eq!(a.warnings.len(), 1, "{:?}", a.warnings);
        assert_eq!(a.warnings[0].loc.as_ref().map(|l| l.line), Some(5));
        let e = parse(
            Path::new("a.md"),
            "+++\ntitle = \"Hi\"\ndate = 2021-07-08\nweight = \"x\"\n+++\n",
        )
        .unwrap_err();
        assert_eq!(
            e.loc.as_ref().map(|l| (l.line, l.col)),
            Some((4, 10)),
            "{e}"
        );
    }
}
