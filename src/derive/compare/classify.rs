//! Claim values against verdicts: normalizing a value (sets with region groups expanded,
//! dates as dates), writing it for readers, and classifying one claim against a verdict.
//! Works on one value at a time; `compare` assembles the rows.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_yaml::Value;

use crate::derive::regions::members;
use crate::model::{Claim, Site, Stance, ValueType, Verdict};

/// A claim or verdict value, normalized for comparison.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Norm {
    /// Region ids, with every group expanded to its members as well.
    Regions(BTreeSet<String>),
    /// Category ids.
    Categories(BTreeSet<String>),
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
        (ValueType::Categories, Value::Sequence(items)) => Norm::Categories(
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        ),
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
        (ValueType::Regions | ValueType::Categories, Value::Sequence(items)) => {
            let name = |id: &'_ str| -> String {
                let known = match ty {
                    ValueType::Regions => site.regions.get(id).map(|r| r.name.clone()),
                    _ => site.categories.get(id).map(|c| c.name.clone()),
                };
                known.unwrap_or_else(|| id.to_string())
            };
            let names: Vec<String> = items.iter().filter_map(Value::as_str).map(name).collect();
            names.join(", ")
        }
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
    pub const ALL: [Agreement; 6] = [
        Agreement::Agrees,
        Agreement::PartlyAgrees,
        Agreement::Contradicts,
        Agreement::ContradictsItself,
        Agreement::Silent,
        Agreement::Unclassified,
    ];

    /// How templates and the JSON export name it.
    pub fn key(self) -> &'static str {
        match self {
            Agreement::Agrees => "agrees",
            Agreement::PartlyAgrees => "partly-agrees",
            Agreement::Contradicts => "contradicts",
            Agreement::ContradictsItself => "contradicts-itself",
            Agreement::Silent => "silent",
            Agreement::Unclassified => "unclassified",
        }
    }

    /// The label readers see beside the colour (templates: `label(agreement=…)`).
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
        (Norm::Regions(a), Norm::Regions(b)) | (Norm::Categories(a), Norm::Categories(b))
            if a.is_subset(b) || a.is_superset(b) =>
        {
            Agreement::PartlyAgrees
        }
        _ => Agreement::Contradicts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::compare::compare;

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
            draft: false,
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
            confidence: None,
            confidence_reason: None,
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
        assert_eq!((report.claims, report.agrees), (5, 5));
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
