//! How sure the site is of a verdict, computed from the claims, their states against the
//! verdict and their sources' kinds by a small rule table; an editor may only lower it.
//! Pure: `compare` calls it once per row.

use serde::Serialize;

use super::{Agreement, Cell};
use crate::model::{Basis, Confidence, Source, SourceKind, Verdict};

/// Which row of the rule table applied (the first that matches, in this order):
///
/// | rule | when | level |
/// |---|---|---|
/// | `official` | `basis: official` and a source of `kind: official` agrees | high |
/// | `editor-conflict` | a source contradicts the verdict (or itself) and `basis: editor` | low |
/// | `unanimous` | two or more sources agree and every source with a claim agrees | high |
/// | `single` | one source has a claim, and it agrees | medium |
/// | `majority` | more than half the sources with a claim agree (partly agrees counts ½) | medium |
/// | `weak` | anything else: half or fewer agree, or no source has a claim | low |
///
/// A source that contradicts itself counts as contradicting; an unclassified claim (a text
/// claim with no `stance`) counts as not agreeing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    Official,
    EditorConflict,
    Unanimous,
    Single,
    Majority,
    Weak,
}

impl Rule {
    /// How `check` and the JSON name it.
    pub fn key(self) -> &'static str {
        match self {
            Rule::Official => "official",
            Rule::EditorConflict => "editor-conflict",
            Rule::Unanimous => "unanimous",
            Rule::Single => "single",
            Rule::Majority => "majority",
            Rule::Weak => "weak",
        }
    }

    pub fn level(self) -> Confidence {
        match self {
            Rule::Official | Rule::Unanimous => Confidence::High,
            Rule::Single | Rule::Majority => Confidence::Medium,
            Rule::EditorConflict | Rule::Weak => Confidence::Low,
        }
    }

    /// The sentence a reader sees, given the tally of the sources that address the question.
    fn reason(self, t: Tally) -> String {
        match self {
            Rule::Official => {
                "An official source states this answer, and it settles what the reports say."
                    .to_string()
            }
            Rule::EditorConflict => {
                "The sources conflict, and this answer rests on the editors' reading of them."
                    .to_string()
            }
            Rule::Unanimous if t.n == 2 => {
                "Both sources that address this agree with it.".to_string()
            }
            Rule::Unanimous => format!("All {} sources that address this agree with it.", t.n),
            Rule::Single => {
                "Only one source addresses this; it agrees, but one report is not corroboration."
                    .to_string()
            }
            Rule::Majority => format!("The sources mostly agree: {}.", t.words()),
            Rule::Weak if t.n == 0 => "No source addresses this.".to_string(),
            Rule::Weak => format!("The sources are split: {}.", t.words()),
        }
    }
}

/// How the sources that address a question (`n`) stand: fully agreeing, partly, the rest not.
#[derive(Debug, Clone, Copy)]
pub struct Tally {
    pub full: usize,
    pub partly: usize,
    pub n: usize,
}

impl Tally {
    /// E.g. "2 of the 4 sources that address this agree with it, 1 in part; 1 does not".
    fn words(self) -> String {
        let mut s = format!(
            "{} of the {} sources that address this agree with it",
            self.full, self.n
        );
        if self.partly > 0 {
            s += &format!(", {} in part", self.partly);
        }
        match self.n - self.full - self.partly {
            0 => {}
            1 => s += "; 1 does not",
            rest => s += &format!("; {rest} do not"),
        }
        s
    }
}

/// A verdict's confidence: the derived level, the editor's cap, and what is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessed {
    /// The level published: the typed one if lower, else the derived one.
    pub level: Confidence,
    /// The level the rule table gives.
    pub derived: Confidence,
    pub rule: Rule,
    /// Why it has the published level, in a sentence.
    pub reason: String,
    /// The editor lowered it (`confidence` below the derived level, with a reason).
    pub lowered: bool,
}

/// The rule of the table that applies to a row's `cells` (with their `sources`) under `basis`.
pub fn rule(basis: Basis, cells: &[Cell], sources: &[&Source]) -> (Rule, Tally) {
    let kind = |id: &str| sources.iter().find(|s| s.id == id).map(|s| s.kind);
    let speaking: Vec<&Cell> = cells.iter().filter(|c| !c.claims.is_empty()).collect();
    let full = speaking
        .iter()
        .filter(|c| c.state == Agreement::Agrees)
        .count();
    let partly = speaking
        .iter()
        .filter(|c| c.state == Agreement::PartlyAgrees)
        .count();
    let contradicts = speaking.iter().any(|c| {
        matches!(
            c.state,
            Agreement::Contradicts | Agreement::ContradictsItself
        )
    });
    let official = speaking
        .iter()
        .any(|c| c.state == Agreement::Agrees && kind(&c.source) == Some(SourceKind::Official));
    let n = speaking.len();
    let rule = if basis == Basis::Official && official {
        Rule::Official
    } else if contradicts && basis == Basis::Editor {
        Rule::EditorConflict
    } else if full >= 2 && full == n {
        Rule::Unanimous
    } else if n == 1 && full == 1 {
        Rule::Single
    } else if 2 * full + partly > n {
        Rule::Majority
    } else {
        Rule::Weak
    };
    (rule, Tally { full, partly, n })
}

/// The confidence of `verdict` on a row with `cells`: the rule table's level, capped by the
/// editor's `confidence` when that is lower (an equal or higher one is ignored; `check` reports it).
pub fn assess(verdict: &Verdict, cells: &[Cell], sources: &[&Source]) -> Assessed {
    let (rule, tally) = rule(verdict.basis, cells, sources);
    let derived = rule.level();
    match (verdict.confidence, &verdict.confidence_reason) {
        (Some(typed), Some(why)) if typed.rank() < derived.rank() => Assessed {
            level: typed,
            derived,
            rule,
            reason: format!(
                "The editors lowered it from {}: {}",
                derived.key(),
                why.trim()
            ),
            lowered: true,
        },
        _ => Assessed {
            level: derived,
            derived,
            rule,
            reason: rule.reason(tally),
            lowered: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(id: &str, kind: SourceKind) -> Source {
        Source {
            id: id.into(),
            draft: false,
            title: id.into(),
            publisher: id.into(),
            kind,
            date: None,
            url: None,
            archive: None,
            notes: None,
            dismissed: Vec::new(),
        }
    }

    /// Sources `s0…` (`s0` official, the rest news) with the given states; `Silent` has no claim.
    fn cells(states: &[Agreement]) -> (Vec<Cell>, Vec<Source>) {
        let claim = crate::model::Claim {
            question: "q".into(),
            draft: false,
            source: String::new(),
            value: serde_yaml::Value::Null,
            quote: String::new(),
            stance: None,
            note: None,
        };
        let view = super::super::ClaimView {
            claim,
            index: 0,
            value: String::new(),
            quote: String::new(),
            note: None,
            state: Agreement::Agrees,
            label: "",
        };
        let cells = states
            .iter()
            .enumerate()
            .map(|(i, &state)| Cell {
                source: format!("s{i}"),
                claims: if state == Agreement::Silent {
                    vec![]
                } else {
                    vec![view.clone()]
                },
                state,
                label: "",
            })
            .collect();
        let sources = (0..states.len())
            .map(|i| {
                source(
                    &format!("s{i}"),
                    if i == 0 {
                        SourceKind::Official
                    } else {
                        SourceKind::News
                    },
                )
            })
            .collect();
        (cells, sources)
    }

    fn rule_of(basis: Basis, states: &[Agreement]) -> Rule {
        let (cells, sources) = cells(states);
        rule(basis, &cells, &sources.iter().collect::<Vec<_>>()).0
    }

    use Agreement::{
        Agrees as A, Contradicts as C, ContradictsItself as CI, PartlyAgrees as P, Silent as S,
    };

    #[test]
    fn every_row_of_the_table() {
        assert_eq!(rule_of(Basis::Official, &[A, C, C]), Rule::Official);
        assert_eq!(
            rule_of(Basis::Official, &[S, A, A, C]),
            Rule::Majority,
            "no official source agrees"
        );
        assert_eq!(rule_of(Basis::Editor, &[A, A, A, C]), Rule::EditorConflict);
        assert_eq!(
            rule_of(Basis::Editor, &[A, A, CI]),
            Rule::EditorConflict,
            "self-contradiction counts"
        );
        assert_eq!(rule_of(Basis::Agreement, &[S, A, A, S]), Rule::Unanimous);
        assert_eq!(rule_of(Basis::Agreement, &[S, A, S]), Rule::Single);
        assert_eq!(rule_of(Basis::Agreement, &[A, A, A, C]), Rule::Majority);
        assert_eq!(
            rule_of(Basis::Editor, &[P, P, A]),
            Rule::Majority,
            "partly counts as half"
        );
        assert_eq!(
            rule_of(Basis::Agreement, &[A, A, C, CI]),
            Rule::Weak,
            "half is not a majority"
        );
        assert_eq!(
            rule_of(Basis::Agreement, &[S, P]),
            Rule::Weak,
            "one partial source"
        );
        assert_eq!(
            rule_of(Basis::MostSpecific, &[S, S]),
            Rule::Weak,
            "no source speaks"
        );
        assert_eq!(Rule::Official.level(), Confidence::High);
        assert_eq!(Rule::Weak.level(), Confidence::Low);
    }

    fn verdict(typed: Option<Confidence>, why: Option<&str>) -> Verdict {
        Verdict {
            verdict: serde_yaml::Value::Null,
            rationale: String::new().into(),
            basis: Basis::Agreement,
            confidence: typed,
            confidence_reason: why.map(str::to_string),
        }
    }

    #[test]
    fn the_editor_can_only_lower_it_with_a_reason() {
        let (cells, owned) = cells(&[A, A, A]);
        let sources: Vec<&Source> = owned.iter().collect();
        let high = assess(&verdict(None, None), &cells, &sources);
        assert_eq!((high.level, high.rule), (Confidence::High, Rule::Unanimous));
        assert_eq!(
            high.reason,
            "All 3 sources that address this agree with it."
        );
        let lowered = assess(
            &verdict(Some(Confidence::Low), Some("It may change.")),
            &cells,
            &sources,
        );
        assert_eq!(
            (lowered.level, lowered.derived),
            (Confidence::Low, Confidence::High)
        );
        assert!(
            lowered.reason.ends_with("from high: It may change."),
            "{}",
            lowered.reason
        );
        let (one, owned) = self::cells(&[S, A]);
        let sources: Vec<&Source> = owned.iter().collect();
        let raised = assess(&verdict(Some(Confidence::High), None), &one, &sources);
        assert_eq!(
            (raised.level, raised.rule),
            (Confidence::Medium, Rule::Single)
        );
        let unexplained = assess(&verdict(Some(Confidence::Low), None), &one, &sources);
        assert_eq!(unexplained.level, Confidence::Medium);
    }
}
