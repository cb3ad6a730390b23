//! The semantic diff of two versions of a site's facts: which regions, categories,
//! exclusions, opt-outs, sources, questions (with their verdicts), claims, changes and articles
//! were added, removed or changed, field by field, with ids and human names; a status change
//! summed up in one line with its derived confidence ("AI training: unclear → applies, since
//! 2025-11-03 (confidence low → high)"); and whether a change is only one of wording. Pure.

pub mod flat;
mod kinds;
pub mod lines;

use serde::{Deserialize, Serialize};

use crate::model::Site;
use crate::model::date::Date;
use flat::{Flat, is_wording};

/// What a fact is, as the diff groups them, in the order it shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Site,
    Change,
    Region,
    Category,
    Exclusion,
    OptOut,
    Source,
    Question,
    Claim,
    Article,
}

impl Kind {
    /// The group's heading: `regions`, `opt-outs`, …
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Site => "site",
            Kind::Change => "changes",
            Kind::Region => "regions",
            Kind::Category => "categories",
            Kind::Exclusion => "exclusions",
            Kind::OptOut => "opt-outs",
            Kind::Source => "sources",
            Kind::Question => "questions",
            Kind::Claim => "claims",
            Kind::Article => "articles",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    Added,
    Removed,
    Changed,
}

/// One field that differs: its path in the fact and its value before and after (`None`: absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// A prose field or a name (`flat::is_wording`).
    pub wording: bool,
}

/// One fact that was added, removed or changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub kind: Kind,
    /// Its id (a claim's: `question@source`, with `#2` for a second claim of the pair).
    pub id: String,
    /// Its human name (a source's title, a question's text), as it is after (before if removed).
    pub name: String,
    pub op: Op,
    /// Every changed field, or for an added or removed fact every field it has.
    pub fields: Vec<Field>,
    /// One line per status of a region that changed: `AI training: unclear → applies, …`.
    pub statuses: Vec<String>,
    /// Changed, and only in wording.
    pub wording_only: bool,
}

/// Every fact that differs, grouped by kind (`Kind` order), in the facts' order within a kind.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Diff {
    pub entries: Vec<Entry>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many entries were added, removed, changed in fact, and changed only in wording.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let count = |f: &dyn Fn(&Entry) -> bool| self.entries.iter().filter(|e| f(e)).count();
        (
            count(&|e| e.op == Op::Added),
            count(&|e| e.op == Op::Removed),
            count(&|e| e.op == Op::Changed && !e.wording_only),
            count(&|e| e.wording_only),
        )
    }

    /// Whether anything but wording changed.
    pub fn changes_facts(&self) -> bool {
        self.entries.iter().any(|e| !e.wording_only)
    }
}

/// One fact as the diff sees it: its kind, key, name and fields.
#[derive(Debug, Clone)]
pub struct Fact {
    pub kind: Kind,
    pub id: String,
    pub name: String,
    pub fields: Flat,
}

/// A site's facts as the diff compares them (`facts_of`), kept to compare with several others.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    facts: Vec<Fact>,
    /// Each change's id and name.
    names: Vec<(String, String)>,
}

/// The facts of `site`, with what is derived from them (this derives the site once).
pub fn facts_of(site: &Site) -> Facts {
    Facts {
        facts: kinds::facts(site),
        names: kinds::change_names(site),
    }
}

/// The semantic diff from `before` to `after`.
pub fn diff(before: &Site, after: &Site) -> Diff {
    diff_facts(&facts_of(before), &facts_of(after))
}

/// A fact's key: its kind and id.
fn key(f: &Fact) -> (Kind, &str) {
    (f.kind, &f.id)
}

/// The semantic diff from the facts `before` to `after`.
pub fn diff_facts(before: &Facts, after: &Facts) -> Diff {
    let (old, new) = (&before.facts, &after.facts);
    let names: Vec<(String, String)> = (after.names.iter().chain(&before.names)).cloned().collect();
    let mut entries = Vec::new();
    let olds: std::collections::HashMap<_, &Fact> = old.iter().map(|f| (key(f), f)).collect();
    let news: std::collections::HashSet<_> = new.iter().map(key).collect();
    for fact in new {
        match olds.get(&key(fact)) {
            None => entries.push(entry(fact, Op::Added, &[], &fact.fields, &names)),
            Some(o) if o.fields != fact.fields => {
                entries.push(entry(fact, Op::Changed, &o.fields, &fact.fields, &names));
            }
            Some(_) => {}
        }
    }
    for fact in old {
        if !news.contains(&key(fact)) {
            entries.push(entry(fact, Op::Removed, &fact.fields, &[], &names));
        }
    }
    entries.sort_by_key(|e| e.kind);
    Diff { entries }
}

fn entry(
    fact: &Fact,
    op: Op,
    before: &[(String, String)],
    after: &[(String, String)],
    names: &[(String, String)],
) -> Entry {
    let fields = fields(before, after);
    let statuses = if fact.kind == Kind::Region {
        status_lines(&fields, before, after, names)
    } else {
        Vec::new()
    };
    Entry {
        kind: fact.kind,
        id: fact.id.clone(),
        name: fact.name.clone(),
        op,
        wording_only: op == Op::Changed && fields.iter().all(|f| f.wording),
        fields,
        statuses,
    }
}

fn get<'a>(fields: &'a [(String, String)], path: &str) -> Option<&'a String> {
    fields.iter().find(|(p, _)| p == path).map(|(_, v)| v)
}

/// The fields that differ, in `after`'s order, then those only `before` has.
fn fields(before: &[(String, String)], after: &[(String, String)]) -> Vec<Field> {
    let mut out = Vec::new();
    let field = |path: &str| Field {
        path: path.to_string(),
        before: get(before, path).cloned(),
        after: get(after, path).cloned(),
        wording: is_wording(path),
    };
    for (path, value) in after {
        if get(before, path) != Some(value) {
            out.push(field(path));
        }
    }
    for (path, _) in before {
        if get(after, path).is_none() {
            out.push(field(path));
        }
    }
    out
}

/// `old → new`, or the one value when they agree (`none` for an absent one).
fn arrow(before: Option<&String>, after: Option<&String>) -> String {
    let show = |v: Option<&String>| v.map_or("none".to_string(), |s| s.to_string());
    match (before, after) {
        (b, a) if b == a => show(a),
        (None, Some(a)) => a.clone(),
        (Some(b), None) => format!("{b} → none"),
        (b, a) => format!("{} → {}", show(b), show(a)),
    }
}

/// A part of a status as readers say it: `since 3 November 2025`, `new`, `already in place`,
/// `on by default`, `can opt out`, `sources report, blog`.
fn phrase(part: &str, value: Option<&String>) -> Option<String> {
    let v = value?.as_str();
    Some(match (part, v) {
        ("since", _) => format!(
            "since {}",
            v.parse::<Date>().map_or(v.to_string(), |d| d.human())
        ),
        ("new", "true") => "new".to_string(),
        ("new", _) => "already in place".to_string(),
        ("default_on", "true") => "on by default".to_string(),
        ("default_on", _) => "off by default".to_string(),
        ("opt_out", "true") => "can opt out".to_string(),
        ("opt_out", _) => "no opt-out".to_string(),
        _ => format!("{} {v}", part.replace('_', " ")),
    })
}

/// One line per change whose status in the region changed (`status.CHANGE.*`): the state, then
/// each other changed part, then the derived confidence.
fn status_lines(
    fields: &[Field],
    before: &[(String, String)],
    after: &[(String, String)],
    names: &[(String, String)],
) -> Vec<String> {
    let mut changes: Vec<&str> = Vec::new();
    for f in fields.iter().filter(|f| !f.wording) {
        let Some(rest) = f.path.strip_prefix("status.") else {
            continue;
        };
        let change = rest.split('.').next().unwrap_or(rest);
        if !changes.contains(&change) {
            changes.push(change);
        }
    }
    let line = |change: &str| {
        let at = |part: &str| format!("status.{change}.{part}");
        let v = |part: &str| (get(before, &at(part)), get(after, &at(part)));
        let (b, a) = v("state");
        let mut parts = vec![arrow(b, a)];
        for part in ["since", "new", "default_on", "opt_out", "sources"] {
            let (b, a) = v(part);
            let (b, a) = (phrase(part, b), phrase(part, a));
            if b != a {
                parts.push(arrow(b.as_ref(), a.as_ref()));
            }
        }
        let (b, a) = v("confidence");
        let name = names
            .iter()
            .find(|(id, _)| id == change)
            .map_or(change, |(_, n)| n);
        format!("{name}: {} (confidence {})", parts.join(", "), arrow(b, a))
    };
    changes.into_iter().map(line).collect()
}

#[cfg(test)]
mod tests;
