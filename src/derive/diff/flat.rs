//! One fact as a flat list of (field path, value) in field order, the unit the semantic diff
//! compares: `status.training.state`, `steps.desktop[2]`, `countries`. Markdown fields are
//! compared by what the editor wrote (their source), absent and empty values are left out.

use serde::Serialize;
use serde_yaml::Value;

use crate::model::Walk;

/// Field paths and their values, in the order the fact's type lists its fields.
pub type Flat = Vec<(String, String)>;

/// The fields of `fact`, Markdown fields by their source.
pub fn flat<T: Serialize + Walk + Clone>(fact: &T) -> Flat {
    let mut fact = fact.clone();
    fact.walk("", &mut |_, text| text.html = text.src.clone());
    let mut out = Flat::new();
    if let Ok(value) = serde_yaml::to_value(&fact) {
        push(&value, "", &mut out);
    }
    out
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

/// A scalar as text; `None` for anything else.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A list of short words (ids, country codes) compares as one value; a list of sentences or
/// of nested values compares item by item.
fn is_word_list(items: &[Value]) -> bool {
    items.iter().all(|v| match v {
        Value::String(s) => !s.contains(char::is_whitespace),
        Value::Bool(_) | Value::Number(_) => true,
        _ => false,
    })
}

/// Adds the leaves of `value` under the path `at`.
pub fn push(value: &Value, at: &str, out: &mut Flat) {
    match value {
        Value::Null => {}
        Value::Mapping(map) => {
            for (key, v) in map {
                let key = scalar(key).unwrap_or_default();
                push(v, &join(at, &key), out);
            }
        }
        Value::Sequence(items) if items.is_empty() => {}
        Value::Sequence(items) if is_word_list(items) => {
            let words: Vec<String> = items.iter().filter_map(scalar).collect();
            out.push((at.to_string(), words.join(", ")));
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                push(v, &format!("{at}[{}]", i + 1), out);
            }
        }
        Value::Tagged(tagged) => push(&tagged.value, at, out),
        other => {
            if let Some(s) = scalar(other) {
                out.push((at.to_string(), s));
            }
        }
    }
}

/// Fields whose change is one of wording, not of fact: prose and names.
const WORDING: [&str; 12] = [
    "notes",
    "note",
    "summary",
    "rationale",
    "condition",
    "confidence_reason",
    "reason",
    "name",
    "title",
    "text",
    "description",
    "body",
];

/// Whether a change at `path` is one of wording: its last named segment is a prose field.
pub fn is_wording(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    let last = last.split('[').next().unwrap_or(last);
    WORDING.contains(&last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat_yaml(src: &str) -> Flat {
        let mut out = Flat::new();
        push(&serde_yaml::from_str(src).unwrap(), "", &mut out);
        out
    }

    #[test]
    fn nested_values_become_paths_in_field_order() {
        let out = flat_yaml(
            "id: ch\nstatus: {training: {state: applies, since: 2025-11-03}}\n\
             countries: [CH, LI]\nsteps: {desktop: [Open settings, Turn it off]}\nnotes: null\n",
        );
        let paths: Vec<&str> = out.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "id",
                "status.training.state",
                "status.training.since",
                "countries",
                "steps.desktop[1]",
                "steps.desktop[2]"
            ]
        );
        assert_eq!(out[3].1, "CH, LI");
    }

    #[test]
    fn prose_fields_are_wording() {
        assert!(is_wording("notes"));
        assert!(is_wording("status.training.note"));
        assert!(is_wording("resolution.rationale"));
        assert!(!is_wording("steps.desktop[2]"));
        assert!(!is_wording("status.training.state"));
        assert!(!is_wording("quote"));
    }
}
