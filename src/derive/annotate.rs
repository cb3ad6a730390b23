//! A source's archived text as an annotated copy: its passages in order, each quoted one with
//! the questions whose claims quote it, each dismissed one with its reason. Pure.

use super::passages::{covers, normalize, passages};
use std::collections::BTreeMap;

use crate::model::{Dismissal, Site};

/// A run of the archived text: a passage, or the white space between two.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Piece {
    pub text: String,
    /// The ids of the questions whose claims (of this source) quote it.
    pub quoted_by: Vec<String>,
    /// The reason it was dismissed, when no claim quotes it.
    pub dismissed: Option<String>,
}

/// `text` cut into pieces; `claims` are (question id, quote) of the source's claims.
pub fn annotate(text: &str, claims: &[(&str, &str)], dismissed: &[Dismissal]) -> Vec<Piece> {
    let quotes: Vec<(&str, String)> = claims.iter().map(|(q, t)| (*q, normalize(t))).collect();
    let excerpts: Vec<(String, Option<&str>)> = dismissed
        .iter()
        .map(|d| (normalize(&d.passage), d.reason.as_deref()))
        .collect();
    let plain = |t: &str| Piece {
        text: t.to_string(),
        quoted_by: Vec::new(),
        dismissed: None,
    };
    let mut out = Vec::new();
    let mut at = 0;
    for p in passages(text) {
        if p.start > at {
            out.push(plain(&text[at..p.start]));
        }
        let passage = normalize(&text[p.start..p.end]);
        let mut quoted_by: Vec<String> = Vec::new();
        for (q, quote) in &quotes {
            if covers(&passage, quote) && !quoted_by.iter().any(|x| x == q) {
                quoted_by.push((*q).to_string());
            }
        }
        let dismissed = if quoted_by.is_empty() {
            (excerpts.iter())
                .find(|(e, _)| !e.is_empty() && passage.contains(e.as_str()))
                .map(|(_, r)| r.unwrap_or_default().to_string())
        } else {
            None
        };
        out.push(Piece {
            text: text[p.start..p.end].to_string(),
            quoted_by,
            dismissed,
        });
        at = p.end;
    }
    if at < text.len() {
        out.push(plain(&text[at..]));
    }
    out
}

/// The annotated copy of every source whose archived text the site loaded.
pub fn all(site: &Site) -> BTreeMap<String, Vec<Piece>> {
    (site.sources.iter())
        .filter_map(|s| {
            let text = site.archives.get(&s.id)?;
            let claims: Vec<(&str, &str)> = (site.claims.iter())
                .filter(|c| c.source == s.id)
                .map(|c| (c.question.as_str(), c.quote.as_str()))
                .collect();
            Some((s.id.clone(), annotate(text, &claims, &s.dismissed)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_quoted_and_dismissed_passages_and_keeps_every_byte() {
        let text = "Dateline, 1 May.\n\nIt starts on\n1 March. Nothing here.";
        let d = [Dismissal {
            passage: "Dateline".into(),
            reason: Some("The dateline.".into()),
        }];
        let pieces = annotate(text, &[("start", "starts on 1 March")], &d);
        let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(pieces[0].dismissed.as_deref(), Some("The dateline."));
        assert_eq!(pieces[2].text, "It starts on\n1 March.");
        assert_eq!(pieces[2].quoted_by, ["start"]);
        assert!(pieces[4].quoted_by.is_empty() && pieces[4].dismissed.is_none());
    }
}
