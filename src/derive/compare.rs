//! Source comparison: normalizes claim values (sets as sets with region groups expanded,
//! dates as dates), classifies each source against the site's verdict, and detects
//! conflicts. Pure: the comparison page, the JSON export and `check` all read its result.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_yaml::Value;

use crate::derive::regions::members;
use crate::model::{Claim, Question, Resolution, Site, Source, Stance, ValueType, Verdict};

/// A claim or verdict value, normalized for comparison.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Norm {
    /// Region ids, with every group expanded to its members as well.
    Regions(BTreeSet<String>),
    Date(crate::model::date::Date),
    YesNo(bool),
    Text(String),
    /// A value of the wrong type (`check` reports it).
    Invalid,
}

/// Normalizes `value` as a value of type `ty`.
pub fn normalize(site: &Site, ty: ValueType, value: &Value) -> Norm {
    match (ty, value) {
        (ValueType::Regions, Value::Sequence(items)) => {
            let mut set = BTreeSet::new();
            for id in items.iter().filter_map(Value::as_str) {
                set.insert(id.to_string());
                if let Some(region) = site.regions.get(id) {
                    set.extend(members(site, region).into_iter().map(|m| m.id.clone()));
                }
            }
            Norm::Regions(set)
        }
        (ValueType::Date, Value::String(s)) => s.parse().map_or(Norm::Invalid, Norm::Date),
        (ValueType::YesNo, Value::Bool(b)) => Norm::YesNo(*b),
        (ValueType::Text, Value::String(s)) => {
            Norm::Text(s.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        _ => Norm::Invalid,
    }
}

/// `value` written for a reader: region names, `Yes`/`No`, `3 November 2025`, or the text.
pub fn display(site: &Site, ty: ValueType, value: &Value) -> String {
    match (ty, value) {
        (ValueType::Regions, Value::Sequence(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|id| site.regions.get(id).map_or(id, |r| r.name.as_str()))
            .collect::<Vec<_>>()
            .join(", "),
        (ValueType::YesNo, Value::Bool(true)) => "Yes".to_string(),
        (ValueType::YesNo, Value::Bool(false)) => "No".to_string(),
        (ValueType::Date, Value::String(s)) => s
            .parse::<crate::model::date::Date>()
            .map_or_else(|_| s.clone(), |d| d.human()),
        (_, Value::String(s)) => s.clone(),
        (_, other) => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// Where a source stands against the verdict on one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agreement {
    Agrees,
    /// Its set is a subset or superset of the verdict's.
    PartlyAgrees,
    Contradicts,
    /// Its claims on the question disagree with each other.
    ContradictsItself,
    /// It makes no claim on the question.
    Silent,
    /// There is no verdict to compare with, or a text claim has no `stance`.
    Unclassified,
}

impl Agreement {
    /// The label readers see beside the colour.
    pub fn label(self) -> &'static str {
        match self {
            Agreement::Agrees => "Agrees",
            Agreement::PartlyAgrees => "Partly agrees",
            Agreement::Contradicts => "Contradicts",
            Agreement::ContradictsItself => "Contradicts itself",
            Agreement::Silent => "Silent",
            Agreement::Unclassified => "Not classified",
        }
    }
}

/// Classifies one claim against a verdict of type `ty`.
pub fn classify(site: &Site, ty: ValueType, claim: &Claim, verdict: &Verdict) -> Agreement {
    if ty == ValueType::Text {
        return match claim.stance {
            Some(Stance::Agrees) => Agreement::Agrees,
            Some(Stance::PartlyAgrees) => Agreement::PartlyAgrees,
            Some(Stance::Contradicts) => Agreement::Contradicts,
            None => Agreement::Unclassified,
        };
    }
    let (c, v) = (
        normalize(site, ty, &claim.value),
        normalize(site, ty, &verdict.verdict),
    );
    match (&c, &v) {
        (Norm::Invalid, _) | (_, Norm::Invalid) => Agreement::Unclassified,
        _ if c == v => Agreement::Agrees,
        (Norm::Regions(a), Norm::Regions(b)) if a.is_subset(b) || a.is_superset(b) => {
            Agreement::PartlyAgrees
        }
        _ => Agreement::Contradicts,
    }
}

/// One claim as the comparison shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimView<'a> {
    #[serde(skip)]
    pub claim: &'a Claim,
    /// Its position in `claims.yaml`, for located diagnostics.
    #[serde(skip)]
    pub index: usize,
    pub value: String,
    pub quote: &'a str,
    pub note: Option<&'a str>,
    pub state: Agreement,
    pub label: &'static str,
}

/// One source's column in one question's row.
#[derive(Debug, Clone, Serialize)]
pub struct Cell<'a> {
    pub source: &'a str,
    pub claims: Vec<ClaimView<'a>>,
    pub state: Agreement,
    pub label: &'static str,
}

/// The site's answer, as the comparison shows it.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictView<'a> {
    pub answer: String,
    pub rationale: &'a str,
    pub basis: crate::model::Basis,
    pub confidence: crate::model::Confidence,
}

/// One question: every source's claims, the verdict, and what the engine found.
#[derive(Debug, Clone, Serialize)]
pub struct Row<'a> {
    pub question: &'a Question,
    pub cells: Vec<Cell<'a>>,
    pub verdict: Option<VerdictView<'a>>,
    /// `resolution: open` was written.
    pub open: bool,
    /// The sources' claims do not all say the same.
    pub conflict: bool,
    /// Some claim agrees with the verdict (false when there is no verdict).
    pub supported: bool,
}

/// How one source fares across all questions.
#[derive(Debug, Clone, Serialize)]
pub struct Score<'a> {
    pub source: &'a Source,
    pub claims: usize,
    pub agrees: usize,
    pub partly: usize,
    pub contradicts: usize,
}

/// The whole comparison: questions × sources.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison<'a> {
    pub sources: Vec<&'a Source>,
    pub rows: Vec<Row<'a>>,
    pub scores: Vec<Score<'a>>,
}

/// Compares every source on every question.
pub fn compare(site: &Site) -> Comparison<'_> {
    let sources: Vec<&Source> = site.sources.iter().collect();
    let rows: Vec<Row> = site
        .questions
        .iter()
        .map(|q| row(site, q, &sources))
        .collect();
    let scores = sources
        .iter()
        .map(|s| {
            let states: Vec<Agreement> = rows
                .iter()
                .flat_map(|r| &r.cells)
                .filter(|c| c.source == s.id)
                .flat_map(|c| c.claims.iter().map(|v| v.state))
                .collect();
            let count = |a: Agreement| states.iter().filter(|s| **s == a).count();
            Score {
                source: s,
                claims: states.len(),
                agrees: count(Agreement::Agrees),
                partly: count(Agreement::PartlyAgrees),
                contradicts: count(Agreement::Contradicts),
            }
        })
        .collect();
    Comparison {
        sources,
        rows,
        scores,
    }
}

fn row<'a>(site: &'a Site, q: &'a Question, sources: &[&'a Source]) -> Row<'a> {
    let (verdict, open) = match &q.resolution {
        Some(Resolution::Resolved(v)) => (Some(v), false),
        Some(Resolution::Open(_)) => (None, true),
        None => (None, false),
    };
    let claims: Vec<(usize, &Claim)> = site
        .claims
        .iter()
        .enumerate()
        .filter(|(_, c)| c.question == q.id)
        .collect();
    let view = |(index, claim): (usize, &'a Claim)| {
        let state = verdict.map_or(Agreement::Unclassified, |v| {
            classify(site, q.value_type, claim, v)
        });
        ClaimView {
            claim,
            index,
            value: display(site, q.value_type, &claim.value),
            quote: &claim.quote,
            note: claim.note.as_ref().map(|n| n.html.as_str()),
            state,
            label: state.label(),
        }
    };
    let cells: Vec<Cell> = sources
        .iter()
        .map(|s| {
            let mine: Vec<ClaimView> = claims
                .iter()
                .filter(|(_, c)| c.source == s.id)
                .map(|&c| view(c))
                .collect();
            let distinct: BTreeSet<Norm> = mine
                .iter()
                .map(|v| normalize(site, q.value_type, &v.claim.value))
                .collect();
            let state = match mine.first() {
                None => Agreement::Silent,
                Some(_) if q.value_type != ValueType::Text && distinct.len() > 1 => {
                    Agreement::ContradictsItself
                }
                Some(first) if mine.iter().all(|v| v.state == first.state) => first.state,
                Some(_) => Agreement::ContradictsItself,
            };
            Cell {
                source: &s.id,
                claims: mine,
                state,
                label: state.label(),
            }
        })
        .collect();
    let all: Vec<&ClaimView> = cells.iter().flat_map(|c| &c.claims).collect();
    let conflict = if q.value_type == ValueType::Text {
        // Paraphrases differ in wording; they conflict when the editor says one does not agree,
        // or, before a verdict, whenever there is more than one.
        match verdict {
            Some(_) => all.iter().any(|v| v.state != Agreement::Agrees),
            None => all.len() > 1,
        }
    } else {
        all.iter()
            .map(|v| normalize(site, q.value_type, &v.claim.value))
            .collect::<BTreeSet<_>>()
            .len()
            > 1
    };
    Row {
        question: q,
        supported: all.iter().any(|v| v.state == Agreement::Agrees),
        verdict: verdict.map(|v| VerdictView {
            answer: display(site, q.value_type, &v.verdict),
            rationale: &v.rationale.html,
            basis: v.basis,
            confidence: v.confidence,
        }),
        cells,
        open,
        conflict,
    }
}

/// The version of the comparison JSON (`/compare/index.json`); bump it when a field changes
/// meaning or disappears.
pub const JSON_VERSION: u32 = 1;

/// The comparison as machine-readable JSON: every question with its verdict and every
/// source's claims and states. The schema is documented in the README.
pub fn export(site: &Site, cmp: &Comparison) -> serde_json::Value {
    use serde_json::json;
    let questions: Vec<serde_json::Value> = cmp
        .rows
        .iter()
        .map(|row| {
            let q = row.question;
            let verdict = match &q.resolution {
                Some(Resolution::Resolved(v)) => json!({
                    "value": v.verdict,
                    "answer": display(site, q.value_type, &v.verdict),
                    "rationale_html": v.rationale.html,
                    "basis": v.basis,
                    "confidence": v.confidence,
                }),
                _ => serde_json::Value::Null,
            };
            let claims: Vec<serde_json::Value> = row
                .cells
                .iter()
                .flat_map(|cell| {
                    cell.claims.iter().map(|v| {
                        json!({
                            "source": cell.source,
                            "value": v.claim.value,
                            "answer": v.value,
                            "quote": v.quote,
                            "state": v.state,
                        })
                    })
                })
                .collect();
            let states: serde_json::Map<String, serde_json::Value> = row
                .cells
                .iter()
                .map(|c| (c.source.to_string(), json!(c.state)))
                .collect();
            json!({
                "id": q.id,
                "text": q.text,
                "type": q.value_type,
                "regions": q.regions,
                "url": crate::derive::links::link_url(crate::derive::links::Kind::Claim, &q.id, None),
                "status": if row.open { "open" } else if row.verdict.is_some() { "resolved" } else { "unresolved" },
                "conflict": row.conflict,
                "supported": row.supported,
                "verdict": verdict,
                "sources": states,
                "claims": claims,
            })
        })
        .collect();
    let sources: Vec<serde_json::Value> = cmp
        .scores
        .iter()
        .map(|s| {
            json!({
                "id": s.source.id,
                "title": s.source.title,
                "publisher": s.source.publisher,
                "kind": s.source.kind,
                "date": s.source.date,
                "url": s.source.url,
                "claims": s.claims,
                "agrees": s.agrees,
                "partly_agrees": s.partly,
                "contradicts": s.contradicts,
            })
        })
        .collect();
    json!({
        "version": JSON_VERSION,
        "site": site.config.title,
        "policy": site.config.policy.name,
        "verified": site.config.policy.verified,
        "sources": sources,
        "questions": questions,
    })
}

/// schema.org `ClaimReview` JSON-LD for every reconciled question, ready to sit in a
/// `<script type="application/ld+json">` (`</` is escaped).
pub fn claim_reviews(site: &Site, cmp: &Comparison) -> String {
    use serde_json::json;
    let reviews: Vec<serde_json::Value> = cmp
        .rows
        .iter()
        .filter_map(|row| row.verdict.as_ref().map(|v| (row, v)))
        .map(|(row, v)| {
            let appearances: Vec<serde_json::Value> = row
                .cells
                .iter()
                .filter(|c| !c.claims.is_empty())
                .filter_map(|c| site.sources.get(c.source))
                .map(|s| {
                    let mut work = json!({ "@type": "CreativeWork", "name": s.title, "publisher": { "@type": "Organization", "name": s.publisher } });
                    if let Some(d) = s.date {
                        work["datePublished"] = json!(d.to_string());
                    }
                    if let Some(u) = &s.url {
                        work["url"] = json!(u);
                    }
                    work
                })
                .collect();
            let mut review = json!({
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "claimReviewed": row.question.text,
                "datePublished": site.config.policy.verified.to_string(),
                "author": { "@type": "Organization", "name": site.config.title },
                "reviewRating": {
                    "@type": "Rating",
                    "alternateName": v.answer,
                    "ratingExplanation": format!("{:?} basis, {:?} confidence", v.basis, v.confidence).to_lowercase(),
                },
                "itemReviewed": { "@type": "Claim", "appearance": appearances },
            });
            if let Some(base) = &site.config.base_url {
                review["url"] = json!(format!("{}/compare/#{}", base.trim_end_matches('/'), row.question.id));
            }
            review
        })
        .collect();
    serde_json::to_string(&reviews)
        .unwrap_or_default()
        .replace("</", "<\\/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        crate::load::load(&root).expect("fixture loads")
    }

    fn yaml(s: &str) -> Value {
        serde_yaml::from_str(s).unwrap()
    }

    fn regions(site: &Site, claim: &str, verdict: &str) -> Agreement {
        let claim = Claim {
            question: "q".into(),
            source: "s".into(),
            value: yaml(claim),
            quote: "q".into(),
            stance: None,
            note: None,
        };
        let verdict = Verdict {
            verdict: yaml(verdict),
            rationale: String::new().into(),
            basis: crate::model::Basis::Editor,
            confidence: crate::model::Confidence::Low,
        };
        classify(site, ValueType::Regions, &claim, &verdict)
    }

    #[test]
    fn region_sets_compare_as_sets_with_groups_expanded() {
        let site = fixture();
        assert_eq!(
            regions(&site, "[member, group]", "[group]"),
            Agreement::Agrees
        );
        assert_eq!(
            regions(&site, "[group, member]", "[member, group]"),
            Agreement::Agrees
        );
        assert_eq!(
            regions(&site, "[member]", "[group]"),
            Agreement::PartlyAgrees
        );
        assert_eq!(
            regions(&site, "[group, elsewhere]", "[group]"),
            Agreement::PartlyAgrees
        );
        assert_eq!(
            regions(&site, "[elsewhere]", "[group]"),
            Agreement::Contradicts
        );
    }

    #[test]
    fn rows_classify_sources_and_find_conflicts() {
        let site = fixture();
        let cmp = compare(&site);
        let state = |q: &str, s: &str| {
            let row = cmp.rows.iter().find(|r| r.question.id == q).unwrap();
            row.cells.iter().find(|c| c.source == s).unwrap().state
        };
        assert_eq!(state("who", "report"), Agreement::Agrees);
        assert_eq!(state("who", "blog"), Agreement::PartlyAgrees);
        assert_eq!(state("start", "report"), Agreement::Agrees);
        assert_eq!(state("start", "blog"), Agreement::ContradictsItself);
        assert_eq!(state("undo", "report"), Agreement::Agrees);
        assert_eq!(state("undo", "blog"), Agreement::Silent);
        let who = &cmp.rows[0];
        assert!(who.conflict && who.supported);
        let report = cmp.scores.iter().find(|s| s.source.id == "report").unwrap();
        assert_eq!((report.claims, report.agrees), (3, 3));
    }

    #[test]
    fn dates_compare_as_dates_and_display_for_readers() {
        let site = fixture();
        assert_eq!(
            normalize(&site, ValueType::Date, &yaml("2026-03-01")),
            normalize(&site, ValueType::Date, &yaml("'2026-03-01'"))
        );
        assert_eq!(
            display(&site, ValueType::Date, &yaml("2026-03-01")),
            "1 March 2026"
        );
        assert_eq!(
            display(&site, ValueType::Regions, &yaml("[group, member]")),
            "Group of Countries, Member Land"
        );
        assert_eq!(display(&site, ValueType::YesNo, &yaml("false")), "No");
    }
}
