//! The short answer that opens a guide: per change, the one thing to do about it here (turn
//! it off with an opt-out that applies, or nothing), from the change's status and the
//! region's opt-outs. Pure; the guide's answer box and the exports read it.

use serde::Serialize;

use crate::model::{OptOut, State, Status};

/// What to do about one change in one region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Action {
    /// `turn-off` (it applies), `to-be-safe` (unclear), `if-it-applies` (no status) — each
    /// with `optout`; `none-known` (applies, no opt-out), `wait` (unclear, none), `nothing`
    /// (does not apply), `not-stated` (no status, none).
    pub kind: &'static str,
    pub optout: Option<OptRef>,
}

/// The opt-out an action points to (its steps are on the same guide, at `#optout-ID`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OptRef {
    pub id: String,
    pub name: String,
}

/// The action for `change` under `status`, given the opt-outs that apply in the region.
pub fn action(status: Option<&Status>, change: &str, optouts: &[OptOut]) -> Action {
    let optout = (optouts.iter())
        .find(|o| o.change == change)
        .map(|o| OptRef {
            id: o.id.clone(),
            name: o.name.clone(),
        });
    let kind = match (status.map(|s| s.state), optout.is_some()) {
        (Some(State::DoesNotApply), _) => "nothing",
        (Some(State::Applies), true) => "turn-off",
        (Some(State::Applies), false) => "none-known",
        (Some(State::Unclear), true) => "to-be-safe",
        (Some(State::Unclear), false) => "wait",
        (None, true) => "if-it-applies",
        (None, false) => "not-stated",
    };
    Action {
        kind,
        optout: optout.filter(|_| kind != "nothing"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(state: State) -> Status {
        Status {
            state,
            since: None,
            default_on: None,
            opt_out: None,
            new: None,
            note: None,
            sources: Vec::new(),
        }
    }

    fn optout(change: &str) -> OptOut {
        serde_yaml::from_str(&format!("id: off\nname: The switch\nchange: {change}\n"))
            .expect("an opt-out")
    }

    #[test]
    fn the_action_follows_the_state_and_the_opt_outs_that_apply() {
        let here = [optout("other"), optout("training")];
        let kind = |s: Option<State>, o: &[OptOut]| {
            let st = s.map(status);
            action(st.as_ref(), "training", o).kind
        };
        assert_eq!(kind(Some(State::Applies), &here), "turn-off");
        assert_eq!(kind(Some(State::Applies), &here[..1]), "none-known");
        assert_eq!(kind(Some(State::Unclear), &here), "to-be-safe");
        assert_eq!(kind(Some(State::Unclear), &[]), "wait");
        assert_eq!(kind(Some(State::DoesNotApply), &here), "nothing");
        assert_eq!(kind(None, &here), "if-it-applies");
        assert_eq!(kind(None, &[]), "not-stated");
        let a = action(Some(&status(State::Applies)), "training", &here);
        assert_eq!(a.optout.map(|o| o.name), Some("The switch".to_string()));
        let none = action(Some(&status(State::DoesNotApply)), "training", &here);
        assert_eq!(none.optout, None, "nothing to do links nowhere");
    }
}
