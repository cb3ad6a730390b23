//! Source comparison: what each claim's value means, normalized so claims can be compared
//! (sets as sets, with region groups expanded; dates as dates), and written for readers.

use std::collections::BTreeSet;

use serde_yaml::Value;

use crate::guides::members;
use crate::model::{Site, ValueType};

/// A claim or verdict value, normalized for comparison.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Norm {
    /// Region ids, with every group expanded to its members as well.
    Regions(BTreeSet<String>),
    Date(crate::date::Date),
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
            .parse::<crate::date::Date>()
            .map_or_else(|_| s.clone(), |d| d.human()),
        (_, Value::String(s)) => s.clone(),
        (_, other) => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}
