//! How firmly a list verdict (`regions`, `categories`) decides one of its items: each source
//! that answers the question agrees on the item when it names it exactly as the verdict does
//! (names it, or leaves it out); the rule table of `confidence` then applies to those votes.

use serde_yaml::Value;

use super::confidence::{Assessed, assess};
use super::{Agreement, Cell, Row};
use crate::model::{Resolution, Source};

/// What a row's verdict says of one item, and how firmly.
#[derive(Debug, Clone)]
pub struct Item {
    /// The verdict names the item.
    pub covered: bool,
    /// Some claim on the question names the item.
    pub named: bool,
    pub assessed: Assessed,
}

/// The verdict of `row` on the item that `names` recognises in a value; `None` while the
/// question has no verdict. A source names the item when any of its claims does.
pub fn item(row: &Row, sources: &[Source], names: impl Fn(&Value) -> bool) -> Option<Item> {
    let Some(Resolution::Resolved(verdict)) = &row.question.resolution else {
        return None;
    };
    let covered = names(&verdict.verdict);
    let mut named = false;
    let votes: Vec<Cell> = (row.cells.iter())
        .filter(|c| !c.claims.is_empty())
        .map(|c| {
            let says = c.claims.iter().any(|v| names(&v.claim.value));
            named |= says;
            let state = if says == covered {
                Agreement::Agrees
            } else {
                Agreement::Contradicts
            };
            Cell {
                state,
                label: state.label(),
                ..c.clone()
            }
        })
        .collect();
    let sources: Vec<&Source> = sources.iter().collect();
    Some(Item {
        covered,
        named,
        assessed: assess(verdict, &votes, &sources),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::compare::compare;
    use crate::model::Confidence;

    fn site() -> crate::model::Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        crate::load::load(&root).expect("fixture loads")
    }

    fn on(site: &crate::model::Site, q: &str, id: &str) -> Option<Item> {
        let cmp = compare(site);
        let row = cmp.rows.iter().find(|r| r.question.id == q).expect("row");
        item(row, &cmp.sources, |v| {
            v.as_sequence()
                .is_some_and(|ids| ids.iter().any(|x| x.as_str() == Some(id)))
        })
    }

    #[test]
    fn each_item_is_decided_by_the_sources_that_name_it_or_leave_it_out() {
        let site = site();
        // `who`: the report names [group], the blog [group, elsewhere]; the verdict [group].
        let group = on(&site, "who", "group").expect("a verdict");
        assert!(group.covered && group.named);
        assert_eq!(group.assessed.rule.key(), "unanimous");
        // `elsewhere` is left out by the verdict and the report, named by the blog.
        let elsewhere = on(&site, "who", "elsewhere").expect("a verdict");
        assert!(!elsewhere.covered && elsewhere.named);
        assert_eq!(elsewhere.assessed.rule.key(), "weak");
        assert_eq!(elsewhere.assessed.level, Confidence::Low);
        // `data`: one source names `posts`.
        let posts = on(&site, "data", "posts").expect("a verdict");
        assert_eq!(
            (posts.assessed.rule.key(), posts.assessed.level),
            ("single", Confidence::Medium)
        );
    }

    #[test]
    fn an_open_question_decides_no_item() {
        let mut site = site();
        site.questions.items[0].resolution = None;
        assert!(on(&site, "who", "group").is_none());
    }
}
