//! The words readers see for a status state or a source's agreement, kept once, beside the
//! Rust types that own them (`State::label`, `Agreement::label`), and given to templates as
//! `label(state="applies")` and `label(agreement="partly-agrees")`.

use std::collections::HashMap;

use serde_json::Value;

use crate::derive::compare::Agreement;
use crate::model::State;

/// The `label` template function.
pub fn label(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let arg = |name: &str| args.get(name).and_then(Value::as_str);
    let found = match (arg("state"), arg("agreement")) {
        (Some(key), None) => State::ALL
            .into_iter()
            .find(|s| s.key() == key)
            .map(State::label),
        (None, Some(key)) => Agreement::ALL
            .into_iter()
            .find(|a| a.key() == key)
            .map(Agreement::label),
        _ => {
            return Err(tera::Error::msg(
                "label() takes one of `state` or `agreement`, e.g. label(state=\"applies\")",
            ));
        }
    };
    found.map(|l| Value::String(l.to_string())).ok_or_else(|| {
        tera::Error::msg(format!(
            "label(): unknown state or agreement {:?}",
            arg("state").or(arg("agreement")).unwrap_or_default()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, value: &str) -> tera::Result<Value> {
        label(&HashMap::from([(name.to_string(), Value::from(value))]))
    }

    #[test]
    fn labels_come_from_the_types() {
        assert_eq!(call("state", "does-not-apply").unwrap(), "Does not apply");
        assert_eq!(call("agreement", "partly-agrees").unwrap(), "Partly agrees");
        assert!(call("state", "nope").is_err());
        // Every key round-trips through serde's own naming.
        for s in State::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.key());
        }
        for a in Agreement::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), a.key());
        }
    }
}
