//! Every fact of a site as the diff compares it (`Fact`): its kind, its key, its human name
//! and its flat fields, with what is derived from it added where readers see it (a status's
//! confidence from the region's guide, a verdict's published confidence from the comparison).

use super::flat::{Flat, flat, push};
use super::{Fact, Kind};
use crate::derive::{compare, evidence};
use crate::model::{Claim, Region, Site};

/// Every fact of `site`, in kind order and, within a kind, in file order.
pub fn facts(site: &Site) -> Vec<Fact> {
    // Only what the diff shows: the comparison and each status's evidence (not the guides,
    // the finder or archives).
    let comparison = compare::compare(site);
    let mut out = Vec::new();
    let mut config = site.config.clone();
    let changes = std::mem::take(&mut config.changes);
    out.push(fact(Kind::Site, "site", &config.title, flat(&config)));
    for c in &changes {
        out.push(fact(Kind::Change, &c.id, &c.name, flat(c)));
    }
    for r in site.regions.iter() {
        let mut fields = flat(r);
        confidences(site, r, &comparison, &mut fields);
        out.push(fact(Kind::Region, &r.id, &r.name, fields));
    }
    out.extend(
        site.categories
            .iter()
            .map(|c| fact(Kind::Category, &c.id, &c.name, flat(c))),
    );
    out.extend(
        site.exclusions
            .iter()
            .map(|e| fact(Kind::Exclusion, &e.id, &e.name, flat(e))),
    );
    out.extend(
        site.optouts
            .iter()
            .map(|o| fact(Kind::OptOut, &o.id, &o.name, flat(o))),
    );
    out.extend(
        site.sources
            .iter()
            .map(|s| fact(Kind::Source, &s.id, &s.title, flat(s))),
    );
    for q in site.questions.iter() {
        let mut fields = flat(q);
        verdict_confidence(&comparison, &q.id, &mut fields);
        out.push(fact(Kind::Question, &q.id, &q.text, fields));
    }
    claims(site, &mut out);
    articles(site, &mut out);
    out
}

fn fact(kind: Kind, id: &str, name: &str, fields: Flat) -> Fact {
    Fact {
        kind,
        id: id.to_string(),
        name: name.to_string(),
        fields,
    }
}

/// Each own status's derived confidence, after the status's fields (as the region's guide
/// derives it, `evidence::evidence`, without deriving the rest of the guide).
fn confidences(site: &Site, region: &Region, comparison: &compare::Comparison, fields: &mut Flat) {
    for c in &site.config.changes {
        let Some(status) = region.status.get(&c.id) else {
            continue;
        };
        let confidence = evidence::evidence(site, region, &c.id, status, comparison).confidence;
        let prefix = format!("status.{}.", c.id);
        let at = fields.iter().rposition(|(p, _)| p.starts_with(&prefix));
        let value = (format!("{prefix}confidence"), confidence.key().to_string());
        match at {
            Some(i) => fields.insert(i + 1, value),
            None => fields.push(value),
        }
    }
}

/// The verdict's published confidence (the derived level, or the editor's if lower).
fn verdict_confidence(comparison: &compare::Comparison, question: &str, fields: &mut Flat) {
    let row = comparison.rows.iter().find(|r| r.question.id == question);
    if let Some(v) = row.and_then(|r| r.verdict.as_ref()) {
        let level = v.confidence.key().to_string();
        fields.push(("resolution.published_confidence".to_string(), level));
    }
}

/// A claim's key: `question@source`, and `#N` for the Nth claim of one pair after the first.
fn claim_key(claims: &[Claim], i: usize) -> String {
    let c = &claims[i];
    let same = |o: &&Claim| o.question == c.question && o.source == c.source;
    let n = claims[..i].iter().filter(same).count();
    match n {
        0 => format!("{}@{}", c.question, c.source),
        n => format!("{}@{}#{}", c.question, c.source, n + 1),
    }
}

fn claims(site: &Site, out: &mut Vec<Fact>) {
    let claims = &site.claims.items;
    for (i, c) in claims.iter().enumerate() {
        let source = site.sources.get(&c.source).map_or(&c.source, |s| &s.title);
        let name = format!("{source} on {}", c.question);
        out.push(fact(Kind::Claim, &claim_key(claims, i), &name, flat(c)));
    }
}

fn articles(site: &Site, out: &mut Vec<Fact>) {
    for a in &site.articles {
        let mut fields = vec![
            ("title".to_string(), a.front.title.clone()),
            ("date".to_string(), a.front.date.to_string()),
        ];
        if let Some(s) = &a.front.summary {
            fields.push(("summary".to_string(), s.clone()));
        }
        push(&serde_yaml::Value::from(a.body.trim()), "body", &mut fields);
        out.push(fact(Kind::Article, &a.slug, &a.front.title, fields));
    }
}

/// Each change's id and name, for the status lines.
pub fn change_names(site: &Site) -> Vec<(String, String)> {
    (site.config.changes.iter())
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect()
}
