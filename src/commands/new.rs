//! `explainer new article|region|source|question|claim ID`: writes a stub with every field
//! commented, as a draft: an article as a new file, a fact appended to its facts file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostics::report::eprint;
use crate::diagnostics::{Diagnostic, Diagnostics, Loc, suggest};
use crate::model::{Entity, Site, Table, ValueType, is_valid_id};

/// What `new` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    Article,
    Region,
    Source,
    Question,
    Claim,
}

/// The command: writes the stub and says what to do next, or reports why it did not.
pub fn run(root: &Path, kind: NewKind, id: &str, source: Option<&str>) -> ExitCode {
    match new(root, kind, id, source) {
        Ok(file) => {
            println!("wrote a draft stub to {}", file.display());
            println!("next: fill it in, see it with `explainer serve`, then remove `draft: true`");
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint(root, &Diagnostics(diags));
            ExitCode::FAILURE
        }
    }
}

/// Writes the stub of a `kind` named `id` (for a claim: the question id; `source` chooses
/// its source) into the site at `root`; returns the file written to.
pub fn new(
    root: &Path,
    kind: NewKind,
    id: &str,
    source: Option<&str>,
) -> Result<PathBuf, Vec<Diagnostic>> {
    if !is_valid_id(id) {
        return Err(vec![
            Diagnostic::error(None, format!("`{id}` is not a valid id")).with_help(
                "use lowercase ASCII letters, digits and `-`, starting with a letter or digit (e.g. `eu` or `new-rules`)",
            ),
        ]);
    }
    let (site, _) = crate::load::load_partial(root).map_err(|d| d.0)?;
    let vars = Vars::of(&site, id);
    let (rel, text) = match kind {
        NewKind::Article => {
            refuse_article(&site, id)?;
            let rel = format!("content/articles/{id}.md");
            let mut text = vars.fill(include_str!("../../scaffold/new/article.md"));
            if vars.region.is_empty() {
                text = text.replace("[a guide](region:)", "`[a guide](region:eu)`");
            }
            return create(root, &rel, &text);
        }
        NewKind::Region => {
            refuse(&site.regions, "region", id)?;
            (
                "regions.yaml",
                vars.fill(include_str!("../../scaffold/new/region.yaml")),
            )
        }
        NewKind::Source => {
            refuse(&site.sources, "source", id)?;
            (
                "sources.yaml",
                vars.fill(include_str!("../../scaffold/new/source.yaml")),
            )
        }
        NewKind::Question => {
            refuse(&site.questions, "question", id)?;
            (
                "questions.yaml",
                vars.fill(include_str!("../../scaffold/new/question.yaml")),
            )
        }
        NewKind::Claim => ("claims.yaml", claim(&site, id, source, &vars)?),
    };
    append(root, &format!("content/facts/{rel}"), &text)
}

/// The values a stub is filled in with: the id, today, and the site's first change, source
/// and region (so the stub refers to things that exist).
struct Vars {
    id: String,
    today: String,
    change: String,
    source: String,
    region: String,
}

impl Vars {
    fn of(site: &Site, id: &str) -> Vars {
        let first = |mut ids: std::slice::Iter<'_, String>| ids.next().cloned().unwrap_or_default();
        let changes: Vec<String> = site.config.changes.iter().map(|c| c.id.clone()).collect();
        let sources: Vec<String> = site.sources.ids().map(str::to_string).collect();
        let regions: Vec<String> = site.regions.ids().map(str::to_string).collect();
        Vars {
            id: id.to_string(),
            today: today(),
            change: first(changes.iter()),
            source: first(sources.iter()),
            region: first(regions.iter()),
        }
    }

    fn fill(&self, stub: &str) -> String {
        let filled = stub
            .replace("{id}", &self.id)
            .replace("{today}", &self.today)
            .replace("{change}", &self.change)
            .replace("{source}", &self.source)
            .replace("{region}", &self.region);
        align(&filled)
    }
}

/// Lines up the comments that follow a value at column 32, as `explainer init`'s files have
/// them (a longer value pushes its comment along).
fn align(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (line, end) = line.strip_suffix('\n').map_or((line, ""), |l| (l, "\n"));
        let indent = line.len() - line.trim_start().len();
        match line[indent..].find("  # ").filter(|&i| i > 0) {
            Some(i) => {
                let code = line[..indent + i].trim_end();
                let comment = line[indent + i..].trim_start();
                out.push_str(&format!("{code:<30} {comment}{end}"));
            }
            None => out.push_str(&format!("{line}{end}")),
        }
    }
    out
}

/// An error if `id` is taken in `table`, at the entry that has it.
fn refuse<T: Entity>(table: &Table<T>, noun: &str, id: &str) -> Result<(), Vec<Diagnostic>> {
    if !table.contains(id) {
        return Ok(());
    }
    let at = table.ids().position(|i| i == id).map(|i| table.loc(i, ""));
    Err(vec![
        Diagnostic::error(at, format!("a {noun} with id `{id}` already exists"))
            .with_help("choose another id, or edit the existing one"),
    ])
}

fn refuse_article(site: &Site, id: &str) -> Result<(), Vec<Diagnostic>> {
    let taken = site.articles.iter().find(|a| a.slug == id);
    let file = site.root.join("content/articles").join(format!("{id}.md"));
    if taken.is_none() && !file.exists() && !site.unloaded_articles.iter().any(|s| s == id) {
        return Ok(());
    }
    let at = taken.map_or_else(
        || Loc::new(Path::new("content/articles").join(format!("{id}.md")), 1, 1),
        |a| a.slug_loc(),
    );
    Err(vec![
        Diagnostic::error(
            Some(at),
            format!("an article with slug `{id}` already exists"),
        )
        .with_help("choose another id, or edit the existing article"),
    ])
}

/// The stub of a claim on question `id` by `source` (default: the first source).
fn claim(
    site: &Site,
    id: &str,
    source: Option<&str>,
    vars: &Vars,
) -> Result<String, Vec<Diagnostic>> {
    let Some(question) = site.questions.get(id) else {
        return Err(vec![
            Diagnostic::error(
                None,
                format!("there is no question `{id}` to add a claim to"),
            )
            .with_help(format!(
                "{}; `explainer new question {id}` writes one",
                suggest(id, site.questions.ids())
            )),
        ]);
    };
    let source = source.unwrap_or(&vars.source);
    if !site.sources.contains(source) {
        return Err(vec![
            Diagnostic::error(
                None,
                format!("there is no source `{source}` to make the claim"),
            )
            .with_help(format!(
                "{}; `explainer new source ID` writes one",
                suggest(source, site.sources.ids())
            )),
        ]);
    }
    if let Some(i) = (site.claims.iter()).position(|c| c.question == id && c.source == source) {
        return Err(vec![
            Diagnostic::error(
                Some(site.claims.loc(i, "")),
                format!("a claim of source `{source}` on question `{id}` already exists"),
            )
            .with_help("edit it, or give another source with `--source ID`"),
        ]);
    }
    let (value, ty) = match question.value_type {
        ValueType::Regions => (
            format!("[{}]", vars.region),
            "regions: a list of region ids",
        ),
        ValueType::Categories => ("[]".to_string(), "categories: a list of category ids"),
        ValueType::Date => (vars.today.clone(), "date: YYYY-MM-DD"),
        ValueType::YesNo => ("true".to_string(), "yes-no: true or false"),
        ValueType::Text => ("\"Replace with what the source says.\"".to_string(), "text"),
    };
    let stance = if question.value_type == ValueType::Text {
        "  stance: agrees               # text questions: agrees, partly-agrees or contradicts (with the verdict)\n"
    } else {
        "  # stance: agrees             # text questions only: agrees, partly-agrees or contradicts\n"
    };
    let stub = include_str!("../../scaffold/new/claim.yaml")
        .replace("{source}", source)
        .replace("{value}", &value)
        .replace("{type}", ty)
        .replace("{stance}", stance);
    Ok(vars.fill(&stub))
}

/// Writes a new file; it must not exist.
fn create(root: &Path, rel: &str, text: &str) -> Result<PathBuf, Vec<Diagnostic>> {
    let path = root.join(rel);
    let io = |e: std::io::Error| vec![Diagnostic::error(None, format!("cannot write {rel}: {e}"))];
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io)?;
    }
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(io)?;
    f.write_all(text.as_bytes()).map_err(io)?;
    Ok(PathBuf::from(rel))
}

/// Appends `text` to a facts file, leaving what is there byte for byte (a missing final line
/// break is added before the stub).
fn append(root: &Path, rel: &str, text: &str) -> Result<PathBuf, Vec<Diagnostic>> {
    let path = root.join(rel);
    let io = |e: std::io::Error| vec![Diagnostic::error(None, format!("cannot write {rel}: {e}"))];
    let before = fs::read(&path).unwrap_or_default();
    let mut f = fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .map_err(io)?;
    if !before.is_empty() && !before.ends_with(b"\n") {
        f.write_all(b"\n").map_err(io)?;
    }
    f.write_all(text.as_bytes()).map_err(io)?;
    Ok(PathBuf::from(rel))
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::model::date::Date::from_unix(i64::try_from(secs).unwrap_or(0)).to_string()
}
