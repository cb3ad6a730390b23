//! Checks that a loaded site hangs together: ids are well-formed and unique, every reference
//! resolves, values have their question's type, and statements carry sources. Pure: reads
//! the model, returns diagnostics.

pub mod quotes;

use std::collections::{HashMap, HashSet};

use crate::derive::compare::{self, Comparison};
use crate::diagnostics::{Diagnostic, Diagnostics, Loc, suggest};
use crate::load::yaml::Spans;
use crate::model::is_valid_id;
use crate::model::{Basis, Entity, Resolution, Site, Table, ValueType};

/// Every check, in a stable order, over the site and its comparison (derived once, by the
/// caller: `compare::compare(site)`).
pub fn check(site: &Site, comparison: &Comparison) -> Diagnostics {
    let mut c = Checker {
        site,
        comparison,
        diags: Diagnostics::default(),
    };
    c.ids();
    c.regions();
    c.facts();
    c.claims();
    c.articles();
    c.diags.sort();
    c.diags
}

struct Checker<'a> {
    site: &'a Site,
    comparison: &'a Comparison<'a>,
    diags: Diagnostics,
}

impl<'a> Checker<'a> {
    fn error(&mut self, loc: Loc, message: String, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(Some(loc), message).with_help(help));
    }

    fn warn(&mut self, loc: Loc, message: String, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(Some(loc), message).with_help(help));
    }

    /// Each of `ids` (at `field/j` of `spans`) must be one of `known`.
    fn refs<'k>(
        &mut self,
        spans: &Spans,
        field: &str,
        ids: &[String],
        noun: &str,
        known: impl Iterator<Item = &'k str> + Clone,
    ) {
        for (j, id) in ids.iter().enumerate() {
            self.one_ref(spans, &format!("{field}/{j}"), id, noun, known.clone());
        }
    }

    /// `id` (at `field` of `spans`) must be one of `known`.
    fn one_ref<'k>(
        &mut self,
        spans: &Spans,
        field: &str,
        id: &str,
        noun: &str,
        known: impl Iterator<Item = &'k str> + Clone,
    ) {
        if !known.clone().any(|k| k == id) {
            self.error(
                spans.at(field),
                format!("unknown {noun} `{id}`"),
                suggest(id, known),
            );
        }
    }

    fn sources(&mut self, spans: &Spans, field: &str, ids: &[String]) {
        let known = self.site.sources.known_ids();
        self.refs(spans, field, ids, "source", known);
    }

    /// Ids are valid and unique within each table.
    fn ids(&mut self) {
        let s = self.site;
        let cfg = &s.config_spans;
        let mut seen = HashMap::new();
        for (i, c) in s.config.changes.iter().enumerate() {
            self.id(cfg, &format!("changes/{i}/id"), &c.id, "change", &mut seen);
        }
        self.table_ids(&s.regions, "region");
        self.table_ids(&s.categories, "data category");
        self.table_ids(&s.exclusions, "exclusion");
        self.table_ids(&s.optouts, "opt-out path");
        self.table_ids(&s.sources, "source");
        self.table_ids(&s.questions, "question");
        let mut slugs: HashMap<&str, &crate::model::Article> = HashMap::new();
        for a in &s.articles {
            if let Some(first) = slugs.insert(&a.slug, a) {
                self.error(
                    a.slug_loc(),
                    format!("duplicate article slug `{}`", a.slug),
                    format!(
                        "`{}` has it already; set a different `slug:`",
                        first.slug_loc()
                    ),
                );
            }
        }
    }

    fn table_ids<T: Entity>(&mut self, table: &Table<T>, noun: &str) {
        let mut seen = HashMap::new();
        for (i, item) in table.iter().enumerate() {
            self.id(&table.spans, &format!("{i}/id"), item.id(), noun, &mut seen);
        }
    }

    fn id(
        &mut self,
        spans: &Spans,
        field: &str,
        id: &str,
        noun: &str,
        seen: &mut HashMap<String, Loc>,
    ) {
        let loc = spans.at(field);
        if !is_valid_id(id) {
            self.error(
                loc.clone(),
                format!("`{id}` is not a valid {noun} id"),
                "use lowercase letters, digits and `-`, e.g. `rest-of-world`",
            );
        }
        if let Some(first) = seen.insert(id.to_string(), loc.clone()) {
            self.error(
                loc,
                format!("duplicate {noun} id `{id}`"),
                format!("first defined at {first}; rename one of them"),
            );
        }
    }

    fn regions(&mut self) {
        let s = self.site;
        let t = &s.regions;
        let mut elsewhere: Option<Loc> = None;
        let mut country_owner: HashMap<&str, &str> = HashMap::new();
        for (i, r) in t.iter().enumerate() {
            self.refs(
                &t.spans,
                &format!("{i}/part_of"),
                &r.part_of,
                "region",
                t.known_ids(),
            );
            if r.part_of.contains(&r.id) {
                self.error(
                    t.loc(i, "part_of"),
                    format!("region `{}` is part of itself", r.id),
                    "remove it from its own `part_of`",
                );
            }
            for (j, code) in r.countries.iter().enumerate() {
                let loc = t.loc(i, &format!("countries/{j}"));
                if rust_iso3166::from_alpha2(code).is_none() {
                    let help = match code.as_str() {
                        "UK" => "the ISO 3166 code of the United Kingdom is `GB`".to_string(),
                        "EL" => "the ISO 3166 code of Greece is `GR`".to_string(),
                        _ => "use an ISO 3166-1 alpha-2 code in capitals, e.g. `DE`".to_string(),
                    };
                    self.error(loc, format!("`{code}` is not a country code"), help);
                } else if let Some(other) = country_owner.insert(code, &r.id) {
                    self.error(
                        loc,
                        format!("country `{code}` is listed in regions `{other}` and `{}`", r.id),
                        "list a country in its most specific region only; groups reach it through `part_of`",
                    );
                }
            }
            if r.elsewhere {
                if let Some(first) = &elsewhere {
                    self.error(
                        t.loc(i, "elsewhere"),
                        "more than one region has `elsewhere: true`".to_string(),
                        format!("keep one; the other is at {first}"),
                    );
                }
                elsewhere = Some(t.loc(i, "elsewhere"));
            }
            for (change, status) in &r.status {
                let field = format!("{i}/status/{change}");
                if s.change(change).is_none() {
                    self.error(
                        t.spans.key_at(&field),
                        format!("unknown change `{change}` in status"),
                        suggest(change, change_ids(s)),
                    );
                }
                self.sources(&t.spans, &format!("{field}/sources"), &status.sources);
                if status.sources.is_empty() && r.sources.is_empty() {
                    self.warn(
                        t.loc(i, &format!("status/{change}")),
                        format!("the status of `{change}` in `{}` cites no source", r.id),
                        "add `sources:` to the status or the region",
                    );
                }
            }
            self.sources(&t.spans, &format!("{i}/sources"), &r.sources);
        }
        self.region_cycles();
    }

    /// `part_of` must not loop (a group inside itself, however indirectly).
    fn region_cycles(&mut self) {
        let t = &self.site.regions;
        for (i, r) in t.iter().enumerate() {
            let mut stack: Vec<&str> = r.part_of.iter().map(String::as_str).collect();
            let mut seen: HashSet<&str> = HashSet::new();
            while let Some(id) = stack.pop() {
                if id == r.id && r.part_of.iter().all(|p| p != &r.id) {
                    self.error(
                        t.loc(i, "part_of"),
                        format!("region `{}` is, through `part_of`, part of itself", r.id),
                        "remove one link of the loop",
                    );
                    break;
                }
                if seen.insert(id) {
                    if let Some(parent) = t.get(id) {
                        stack.extend(parent.part_of.iter().map(String::as_str));
                    }
                }
            }
        }
    }

    fn facts(&mut self) {
        let s = self.site;
        let t = &s.categories;
        for (i, c) in t.iter().enumerate() {
            self.refs(
                &t.spans,
                &format!("{i}/used_for"),
                &c.used_for,
                "change",
                change_ids(s),
            );
            self.sources(&t.spans, &format!("{i}/sources"), &c.sources);
            self.unsourced(t.loc(i, ""), "data category", &c.id, &c.sources);
        }
        let t = &s.exclusions;
        for (i, e) in t.iter().enumerate() {
            self.refs(
                &t.spans,
                &format!("{i}/applies_to"),
                &e.applies_to,
                "change",
                change_ids(s),
            );
            self.sources(&t.spans, &format!("{i}/sources"), &e.sources);
            self.unsourced(t.loc(i, ""), "exclusion", &e.id, &e.sources);
        }
        let t = &s.optouts;
        for (i, o) in t.iter().enumerate() {
            self.one_ref(
                &t.spans,
                &format!("{i}/change"),
                &o.change,
                "change",
                change_ids(s),
            );
            if let Some(regions) = &o.regions {
                self.refs(
                    &t.spans,
                    &format!("{i}/regions"),
                    regions,
                    "region",
                    s.regions.known_ids(),
                );
            }
            if let Some(link) = &o.link {
                if !(link.starts_with("https://") || link.starts_with("http://")) {
                    self.error(
                        t.loc(i, "link"),
                        format!("`{link}` is not a web address"),
                        "write the full address, starting with https://",
                    );
                }
            }
            self.sources(&t.spans, &format!("{i}/sources"), &o.sources);
            self.unsourced(t.loc(i, ""), "opt-out path", &o.id, &o.sources);
        }
        let t = &s.questions;
        for (i, q) in t.iter().enumerate() {
            self.refs(
                &t.spans,
                &format!("{i}/regions"),
                &q.regions,
                "region",
                s.regions.known_ids(),
            );
            if let Some(Resolution::Resolved(v)) = &q.resolution {
                self.value(
                    &t.spans,
                    &format!("{i}/resolution/verdict"),
                    q.value_type,
                    &v.verdict,
                );
            }
        }
    }

    fn unsourced(&mut self, loc: Loc, noun: &str, id: &str, sources: &[String]) {
        if sources.is_empty() {
            self.warn(
                loc,
                format!("{noun} `{id}` cites no source"),
                "add `sources:` with the ids of the reports that state it",
            );
        }
    }

    /// A claim's or verdict's value must have its question's type.
    fn value(&mut self, spans: &Spans, field: &str, ty: ValueType, v: &serde_yaml::Value) {
        use serde_yaml::Value;
        let wrong = |expected: &str| format!("expected {expected} for this question's type");
        match (ty, v) {
            (ValueType::Regions, Value::Sequence(items)) => {
                let ids: Vec<String> = items
                    .iter()
                    .map(|x| x.as_str().unwrap_or_default().to_string())
                    .collect();
                self.refs(spans, field, &ids, "region", self.site.regions.known_ids());
            }
            (ValueType::Regions, _) => self.error(
                spans.at(field),
                wrong("a list of region ids"),
                "e.g. `[eu, uk]`",
            ),
            (ValueType::Date, Value::String(d))
                if d.parse::<crate::model::date::Date>().is_ok() => {}
            (ValueType::Date, _) => {
                self.error(spans.at(field), wrong("a date"), "write it as YYYY-MM-DD")
            }
            (ValueType::YesNo, Value::Bool(_)) => {}
            (ValueType::YesNo, _) => self.error(
                spans.at(field),
                wrong("yes or no"),
                "write `true` or `false`",
            ),
            (ValueType::Text, Value::String(_)) => {}
            (ValueType::Text, _) => self.error(spans.at(field), wrong("text"), "quote the value"),
        }
    }

    fn claims(&mut self) {
        let s = self.site;
        let t = &s.claims;
        for (i, c) in t.iter().enumerate() {
            self.one_ref(
                &t.spans,
                &format!("{i}/question"),
                &c.question,
                "question",
                s.questions.known_ids(),
            );
            self.one_ref(
                &t.spans,
                &format!("{i}/source"),
                &c.source,
                "source",
                s.sources.known_ids(),
            );
            if c.quote.trim().is_empty() {
                self.error(
                    t.loc(i, "quote"),
                    "claim has an empty quote".to_string(),
                    "quote the source's own words, briefly",
                );
            }
            if let Some(q) = s.questions.get(&c.question) {
                self.value(&t.spans, &format!("{i}/value"), q.value_type, &c.value);
                if c.stance.is_some() && q.value_type != ValueType::Text {
                    self.error(
                        t.spans.key_at(&format!("{i}/stance")),
                        format!(
                            "`stance` is for text questions; `{}` is compared by value",
                            q.id
                        ),
                        "remove `stance:`; the comparison classifies this claim from its value",
                    );
                }
            }
        }
        self.comparison();
    }

    /// What the comparison engine found: unresolved conflicts and unsupported verdicts.
    fn comparison(&mut self) {
        let s = self.site;
        let (questions, claims) = (&s.questions, &s.claims);
        for (i, row) in self.comparison.rows.iter().enumerate() {
            let id = &row.question.id;
            if row.conflict && row.verdict.is_none() {
                let (loc, how) = if row.open {
                    (questions.loc(i, "resolution"), "and its resolution is open")
                } else {
                    (questions.loc(i, "id"), "and it has no resolution")
                };
                self.warn(
                    loc,
                    format!("sources disagree on question `{id}` {how}"),
                    "add a `resolution:` with the verdict, its rationale, basis and confidence",
                );
            }
            let Some(verdict) = &row.verdict else {
                continue;
            };
            let unclassified = row
                .cells
                .iter()
                .flat_map(|c| &c.claims)
                .filter(|v| v.state == compare::Agreement::Unclassified);
            for v in unclassified {
                self.warn(
                    claims.loc(v.index, ""),
                    format!("claim on text question `{id}` has no `stance`"),
                    "add `stance: agrees`, `partly-agrees` or `contradicts` (against the verdict)",
                );
            }
            if !row.supported && verdict.basis != Basis::Editor {
                self.warn(
                    questions.loc(i, "resolution/verdict"),
                    format!("no source's claim agrees with the verdict on `{id}`"),
                    "add the claim that supports it, or say `basis: editor` if it is the editors' own judgement",
                );
            }
        }
    }

    fn articles(&mut self) {
        let s = self.site;
        for a in &s.articles {
            let known = a.front.regions.iter().all(|r| s.regions.contains(r))
                && a.front.categories.iter().all(|c| s.categories.contains(c));
            if known {
                continue; // Locating needs the front matter's spans: only build them for errors.
            }
            let spans = a.spans();
            self.refs(
                &spans,
                "regions",
                &a.front.regions,
                "region",
                s.regions.known_ids(),
            );
            self.refs(
                &spans,
                "categories",
                &a.front.categories,
                "data category",
                s.categories.known_ids(),
            );
        }
    }
}

/// The ids of the policy's changes.
fn change_ids(site: &Site) -> impl Iterator<Item = &str> + Clone {
    site.config.changes.iter().map(|c| c.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_words() {
        assert!(is_valid_id("rest-of-world"));
        assert!(is_valid_id("eu"));
        assert!(!is_valid_id("EU"));
        assert!(!is_valid_id("-eu"));
        assert!(!is_valid_id("e u"));
        assert!(!is_valid_id(""));
    }
}
