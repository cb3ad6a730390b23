//! The comparison as machine-readable output: the versioned JSON beside the comparison page
//! and schema.org `ClaimReview` JSON-LD. Serialisation only; the comparison is made in `compare`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::derive::compare::confidence::Rule;
use crate::derive::compare::{Agreement, Comparison, Row};
use crate::derive::links::{Kind, link_url};
use crate::model::date::Date;
use crate::model::{Basis, Confidence, Resolution, Site, SourceKind, ValueType};

/// The version of the comparison JSON (`/compare/index.json`); bump it when a field changes
/// meaning or disappears.
pub const JSON_VERSION: u32 = 1;

/// The comparison as machine-readable JSON (`/compare/index.json`): every question with its
/// verdict and every source's claims and states. The README documents the schema; fields are
/// in alphabetical order, as the file has always listed them.
#[derive(Debug, Serialize)]
pub struct ComparisonJson<'a> {
    pub policy: &'a str,
    pub questions: Vec<QuestionJson<'a>>,
    pub site: &'a str,
    pub sources: Vec<SourceJson<'a>>,
    pub verified: Date,
    pub version: u32,
}

/// One question of the comparison JSON.
#[derive(Debug, Serialize)]
pub struct QuestionJson<'a> {
    pub claims: Vec<ClaimJson<'a>>,
    pub conflict: bool,
    pub id: &'a str,
    pub regions: &'a [String],
    /// Each source's state on the question, by source id.
    pub sources: BTreeMap<&'a str, Agreement>,
    /// `open`, `resolved` or `unresolved`.
    pub status: &'static str,
    pub supported: bool,
    pub text: &'a str,
    #[serde(rename = "type")]
    pub value_type: ValueType,
    pub url: String,
    pub verdict: Option<VerdictJson<'a>>,
}

/// The site's verdict on a question.
#[derive(Debug, Serialize)]
pub struct VerdictJson<'a> {
    pub answer: &'a str,
    pub basis: Basis,
    /// The published level: the derived one, or the editor's if lower.
    pub confidence: Confidence,
    /// The level the rule table gives (README, "Confidence").
    pub confidence_derived: Confidence,
    /// Why it has the published level, in a sentence.
    pub confidence_reason: &'a str,
    /// The row of the rule table that applied.
    pub confidence_rule: Rule,
    pub rationale_html: &'a str,
    /// The verdict as written: free YAML of the question's type.
    pub value: serde_json::Value,
}

/// One source's claim on a question.
#[derive(Debug, Serialize)]
pub struct ClaimJson<'a> {
    pub answer: &'a str,
    pub quote: &'a str,
    pub source: &'a str,
    pub state: Agreement,
    /// The claim as written: free YAML of the question's type.
    pub value: serde_json::Value,
}

/// A source and how it fares across all questions.
#[derive(Debug, Serialize)]
pub struct SourceJson<'a> {
    pub agrees: usize,
    pub claims: usize,
    pub contradicts: usize,
    pub date: Option<Date>,
    pub id: &'a str,
    pub kind: SourceKind,
    pub partly_agrees: usize,
    pub publisher: &'a str,
    pub title: &'a str,
    pub url: Option<&'a str>,
}

fn question(row: &Row) -> Result<QuestionJson<'_>, serde_json::Error> {
    let q = &row.question;
    let verdict = match (&q.resolution, &row.verdict) {
        (Some(Resolution::Resolved(v)), Some(view)) => Some(VerdictJson {
            answer: &view.answer,
            basis: view.basis,
            confidence: view.confidence,
            confidence_derived: view.assessed.derived,
            confidence_reason: &view.assessed.reason,
            confidence_rule: view.assessed.rule,
            rationale_html: &view.rationale,
            value: serde_json::to_value(&v.verdict)?,
        }),
        _ => None,
    };
    let mut claims = Vec::new();
    for cell in &row.cells {
        for v in &cell.claims {
            claims.push(ClaimJson {
                answer: &v.value,
                quote: &v.quote,
                source: &cell.source,
                state: v.state,
                value: serde_json::to_value(&v.claim.value)?,
            });
        }
    }
    let status = match (row.open, row.verdict.is_some()) {
        (true, _) => "open",
        (false, true) => "resolved",
        (false, false) => "unresolved",
    };
    Ok(QuestionJson {
        claims,
        conflict: row.conflict,
        id: &q.id,
        regions: &q.regions,
        sources: row.cells.iter().map(|c| (&*c.source, c.state)).collect(),
        status,
        supported: row.supported,
        text: &q.text,
        value_type: q.value_type,
        url: link_url(Kind::Claim, &q.id, None),
        verdict,
    })
}

/// The comparison JSON of `cmp`; an error only if a claim's YAML value has no JSON form.
pub fn export<'a>(
    site: &'a Site,
    cmp: &'a Comparison,
) -> Result<ComparisonJson<'a>, serde_json::Error> {
    let sources = (cmp.scores.iter())
        .map(|s| SourceJson {
            agrees: s.agrees,
            claims: s.claims,
            contradicts: s.contradicts,
            date: s.source.date,
            id: &s.source.id,
            kind: s.source.kind,
            partly_agrees: s.partly,
            publisher: &s.source.publisher,
            title: &s.source.title,
            url: s.source.url.as_deref(),
        })
        .collect();
    Ok(ComparisonJson {
        policy: &site.config.policy.name,
        questions: (cmp.rows.iter()).map(question).collect::<Result<_, _>>()?,
        site: &site.config.title,
        sources,
        verified: site.config.policy.verified,
        version: JSON_VERSION,
    })
}

/// schema.org `ClaimReview` JSON-LD for every reconciled question, ready to sit in a
/// `<script type="application/ld+json">` (`</` is escaped).
pub fn claim_reviews(site: &Site, cmp: &Comparison) -> Result<String, serde_json::Error> {
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
                .filter_map(|c| site.sources.get(&c.source))
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
                    "ratingExplanation": format!("{} {}", format!("{:?} basis, {:?} confidence.", v.basis, v.confidence).to_lowercase(), v.assessed.reason),
                },
                "itemReviewed": { "@type": "Claim", "appearance": appearances },
            });
            if let Some(base) = &site.config.base_url {
                review["url"] = json!(format!("{}/compare/#{}", base.trim_end_matches('/'), row.question.id));
            }
            review
        })
        .collect();
    Ok(serde_json::to_string(&reviews)?.replace("</", "<\\/"))
}
