//! The semantic diff on the fixture site and edited copies of it.

use super::*;
use crate::model::date::Date;
use crate::model::{State, Text};

fn fixture() -> Site {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
    crate::load::load(&root).expect("the fixture loads")
}

fn one(d: &Diff) -> &Entry {
    assert_eq!(d.entries.len(), 1, "{:#?}", d.entries);
    &d.entries[0]
}

#[test]
fn a_site_against_itself_has_no_diff() {
    let site = fixture();
    assert!(diff(&site, &site).is_empty());
}

#[test]
fn a_status_change_is_one_line_with_before_and_after() {
    let before = fixture();
    let mut after = before.clone();
    let elsewhere = after.regions.items.iter_mut().find(|r| r.id == "elsewhere");
    let status = elsewhere.unwrap().status.get_mut("training").unwrap();
    status.state = State::Applies;
    status.since = Some("2025-11-03".parse::<Date>().unwrap());
    let d = diff(&before, &after);
    let e = one(&d);
    assert_eq!(
        (e.kind, e.op, e.id.as_str()),
        (Kind::Region, Op::Changed, "elsewhere")
    );
    assert_eq!(e.name, "Rest of the world");
    assert!(!e.wording_only);
    assert_eq!(e.statuses.len(), 1, "{:?}", e.statuses);
    let line = &e.statuses[0];
    assert!(
        line.starts_with("Model training: unclear → applies, since 3 November 2025 (confidence "),
        "{line}"
    );
    let state = e
        .fields
        .iter()
        .find(|f| f.path == "status.training.state")
        .unwrap();
    assert_eq!(state.before.as_deref(), Some("unclear"));
    assert_eq!(state.after.as_deref(), Some("applies"));
}

#[test]
fn a_notes_edit_is_wording_only() {
    let before = fixture();
    let mut after = before.clone();
    after.regions.items[1].notes = Some(Text::from("Now worded otherwise.".to_string()));
    let d = diff(&before, &after);
    let e = one(&d);
    assert!(e.wording_only);
    assert!(!d.changes_facts());
    assert_eq!(e.fields[0].path, "notes");
    assert_eq!(e.fields[0].after.as_deref(), Some("Now worded otherwise."));
    assert_eq!(d.counts(), (0, 0, 0, 1));
}

#[test]
fn an_optout_step_is_a_fact_change_by_its_index() {
    let before = fixture();
    let mut after = before.clone();
    after.optouts.items[0].steps.desktop[1] = Text::from("Switch it off and save".to_string());
    let d = diff(&before, &after);
    let e = one(&d);
    assert_eq!((e.kind, e.id.as_str()), (Kind::OptOut, "toggle"));
    assert!(!e.wording_only);
    let f = &e.fields[0];
    assert_eq!(f.path, "steps.desktop[2]");
    assert_eq!(f.before.as_deref(), Some("Switch it off"));
    assert_eq!(f.after.as_deref(), Some("Switch it off and save"));
}

#[test]
fn claims_are_keyed_by_question_and_source_and_added_or_removed() {
    let before = fixture();
    let mut after = before.clone();
    let removed = after.claims.items.remove(0);
    assert_eq!(removed.question, "who");
    let mut extra = after.claims.items[3].clone();
    extra.quote = "Another one.".to_string();
    after.claims.items.push(extra);
    after.claims = crate::model::Table::new(after.claims.items, Default::default());
    let d = diff(&before, &after);
    let claims: Vec<(&str, Op)> = (d.entries.iter())
        .filter(|e| e.kind == Kind::Claim)
        .map(|e| (e.id.as_str(), e.op))
        .collect();
    assert!(claims.contains(&("start@blog#3", Op::Added)), "{claims:?}");
    assert!(claims.contains(&("who@report", Op::Removed)), "{claims:?}");
    let removed = d.entries.iter().find(|e| e.id == "who@report").unwrap();
    assert!(removed.name.contains("on who"), "{}", removed.name);
}

#[test]
fn a_verdict_change_shows_in_the_question() {
    let before = fixture();
    let mut after = before.clone();
    let q = after
        .questions
        .items
        .iter_mut()
        .find(|q| q.id == "start")
        .unwrap();
    if let Some(crate::model::Resolution::Resolved(v)) = &mut q.resolution {
        v.verdict = serde_yaml::Value::from("2026-03-09");
    }
    let d = diff(&before, &after);
    let q = d.entries.iter().find(|e| e.kind == Kind::Question).unwrap();
    assert_eq!(q.name, "When does it start?");
    let f = q
        .fields
        .iter()
        .find(|f| f.path == "resolution.verdict")
        .unwrap();
    assert_eq!(f.before.as_deref(), Some("2026-03-01"));
    assert_eq!(f.after.as_deref(), Some("2026-03-09"));
}

#[test]
fn a_removed_region_lists_its_fields() {
    let before = fixture();
    let mut after = before.clone();
    let region = after.regions.items.pop().unwrap();
    after.regions = crate::model::Table::new(after.regions.items, Default::default());
    let d = diff(&before, &after);
    let e = d.entries.iter().find(|e| e.kind == Kind::Region).unwrap();
    assert_eq!((e.op, e.id.as_str()), (Op::Removed, region.id.as_str()));
    assert!(e.fields.iter().all(|f| f.after.is_none()));
}
