//! Source comparison: classifies each source's claims against the site's verdict, question by
//! question, and detects conflicts. Pure: the comparison page, the JSON export and `check` all
//! read its result. How one value compares lives in `classify`; output formats in `json`.

mod classify;
pub mod confidence;
pub mod items;
mod json;

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;

use serde::Serialize;

pub use classify::{Agreement, Norm, classify, display, normalize};
pub use json::{ComparisonJson, JSON_VERSION, claim_reviews, export};

use crate::model::{Claim, Question, Resolution, Site, Source, ValueType, Verdict};

/// One claim as the comparison shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    #[serde(skip)]
    pub claim: Claim,
    /// Its position in `claims.yaml`, for located diagnostics.
    #[serde(skip)]
    pub index: usize,
    pub value: String,
    pub quote: String,
    pub note: Option<String>,
    pub state: Agreement,
    pub label: &'static str,
}

/// One source's column in one question's row.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub source: String,
    pub claims: Vec<ClaimView>,
    pub state: Agreement,
    pub label: &'static str,
}

/// The site's answer, as the comparison shows it.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictView {
    pub answer: String,
    pub rationale: String,
    pub basis: crate::model::Basis,
    /// The published level (`confidence::assess`): the derived one, or the editor's if lower.
    pub confidence: crate::model::Confidence,
    /// How it was derived, and why it has its published level (`assessed.reason`).
    pub assessed: confidence::Assessed,
}

/// One question: every source's claims, the verdict, and what the engine found.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub question: Question,
    pub cells: Vec<Cell>,
    pub verdict: Option<VerdictView>,
    /// `resolution: open` was written.
    pub open: bool,
    /// The sources' claims do not all say the same.
    pub conflict: bool,
    /// Some claim agrees with the verdict (false when there is no verdict).
    pub supported: bool,
}

/// How one source fares across all questions.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub source: Source,
    pub claims: usize,
    pub agrees: usize,
    pub partly: usize,
    pub contradicts: usize,
}

/// The whole comparison: questions × sources.
///
/// It owns its data (copies of the questions, sources and claims it shows) so that a build
/// can hold it beside the `Site` it was derived from (`derive::Derived`, `pipeline::Built`).
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub sources: Vec<Source>,
    pub rows: Vec<Row>,
    pub scores: Vec<Score>,
}

/// Compares every source on every question.
pub fn compare(site: &Site) -> Comparison {
    super::COMPARISONS.fetch_add(1, Ordering::Relaxed);
    let sources: Vec<&Source> = site.sources.iter().collect();
    let rows: Vec<Row> = site
        .questions
        .iter()
        .map(|q| row(site, q, &sources))
        .collect();
    let scores = sources.iter().map(|s| score(s, &rows)).collect();
    Comparison {
        sources: sources.into_iter().cloned().collect(),
        rows,
        scores,
    }
}

/// How `source` fares across `rows`.
fn score(source: &Source, rows: &[Row]) -> Score {
    let states: Vec<Agreement> = rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|c| c.source == source.id)
        .flat_map(|c| c.claims.iter().map(|v| v.state))
        .collect();
    let count = |a: Agreement| states.iter().filter(|s| **s == a).count();
    Score {
        source: source.clone(),
        claims: states.len(),
        agrees: count(Agreement::Agrees),
        partly: count(Agreement::PartlyAgrees),
        contradicts: count(Agreement::Contradicts),
    }
}

fn row(site: &Site, q: &Question, sources: &[&Source]) -> Row {
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
    let cells: Vec<Cell> = sources
        .iter()
        .map(|s| cell(site, q, verdict, s, &claims))
        .collect();
    let all: Vec<&ClaimView> = cells.iter().flat_map(|c| &c.claims).collect();
    Row {
        question: q.clone(),
        // A source's claims on a `categories` question add up: its cell may agree as a whole.
        supported: all.iter().any(|v| v.state == Agreement::Agrees)
            || cells.iter().any(|c| c.state == Agreement::Agrees),
        conflict: conflict(site, q, verdict, &all),
        verdict: verdict.map(|v| {
            let assessed = confidence::assess(v, &cells, sources);
            VerdictView {
                answer: display(site, q.value_type, &v.verdict),
                rationale: v.rationale.html.clone(),
                basis: v.basis,
                confidence: assessed.level,
                assessed,
            }
        }),
        cells,
        open,
    }
}

/// `source`'s column in the row of `q`: its claims (of `claims`, the question's) and its state.
fn cell(
    site: &Site,
    q: &Question,
    verdict: Option<&Verdict>,
    source: &Source,
    claims: &[(usize, &Claim)],
) -> Cell {
    let view = |(index, claim): (usize, &Claim)| {
        let state = verdict.map_or(Agreement::Unclassified, |v| {
            classify(site, q.value_type, claim, v)
        });
        ClaimView {
            claim: claim.clone(),
            index,
            value: display(site, q.value_type, &claim.value),
            quote: claim.quote.clone(),
            note: claim.note.as_ref().map(|n| n.html.clone()),
            state,
            label: state.label(),
        }
    };
    let mine: Vec<ClaimView> = claims
        .iter()
        .filter(|(_, c)| c.source == source.id)
        .map(|&c| view(c))
        .collect();
    let distinct: BTreeSet<Norm> = mine
        .iter()
        .map(|v| normalize(site, q.value_type, &v.claim.value))
        .collect();
    let state = match mine.first() {
        None => Agreement::Silent,
        Some(first) if q.value_type == ValueType::Categories => verdict
            .map_or(Agreement::Unclassified, |v| {
                classify(site, q.value_type, &summed(&first.claim, &mine), v)
            }),
        Some(_) if q.value_type != ValueType::Text && distinct.len() > 1 => {
            Agreement::ContradictsItself
        }
        Some(first) if mine.iter().all(|v| v.state == first.state) => first.state,
        Some(_) => Agreement::ContradictsItself,
    };
    Cell {
        source: source.id.clone(),
        claims: mine,
        state,
        label: state.label(),
    }
}

/// One claim holding what all of a source's claims on a `categories` question name (`mine`,
/// led by `first`): they add up, as reports list the data used in more than one place.
fn summed(first: &Claim, mine: &[ClaimView]) -> Claim {
    let mut ids: Vec<serde_yaml::Value> = Vec::new();
    for id in mine
        .iter()
        .filter_map(|v| v.claim.value.as_sequence())
        .flatten()
    {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    Claim {
        value: serde_yaml::Value::Sequence(ids),
        ..first.clone()
    }
}

/// Whether the claims on `q` (`all`) conflict.
fn conflict(site: &Site, q: &Question, verdict: Option<&Verdict>, all: &[&ClaimView]) -> bool {
    if q.value_type == ValueType::Text {
        // Paraphrases differ in wording; they conflict when the editor says one does not agree,
        // or, before a verdict, whenever there is more than one.
        match verdict {
            Some(_) => all.iter().any(|v| v.state != Agreement::Agrees),
            None => all.len() > 1,
        }
    } else if q.value_type == ValueType::Categories {
        // Sources conflict when what they name, added up per source, differs.
        let mut by_source: Vec<(&str, Vec<&ClaimView>)> = Vec::new();
        for v in all {
            match by_source.iter_mut().find(|(s, _)| *s == v.claim.source) {
                Some((_, vs)) => vs.push(v),
                None => by_source.push((&v.claim.source, vec![v])),
            }
        }
        by_source
            .iter()
            .map(|(_, vs)| {
                let mine: Vec<ClaimView> = vs.iter().map(|v| (*v).clone()).collect();
                normalize(site, q.value_type, &summed(&vs[0].claim, &mine).value)
            })
            .collect::<BTreeSet<_>>()
            .len()
            > 1
    } else {
        all.iter()
            .map(|v| normalize(site, q.value_type, &v.claim.value))
            .collect::<BTreeSet<_>>()
            .len()
            > 1
    }
}
