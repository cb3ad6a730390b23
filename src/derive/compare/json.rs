//! The comparison as machine-readable output: the versioned JSON beside the comparison page
//! and schema.org `ClaimReview` JSON-LD. Serialisation only; the comparison is made in `compare`.

use crate::derive::compare::{Comparison, display};
use crate::model::{Resolution, Site};

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
            let q = &row.question;
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
    Ok(serde_json::to_string(&reviews)?.replace("</", "<\\/"))
}
