//! One walk over every Markdown field (`Text`) of the model, with its YAML path. Each model
//! type lists all its fields in an exhaustive pattern, so a new field does not compile until
//! it is listed, and once listed a `Text` in it is rendered like every other.

use std::collections::BTreeMap;

use super::spans::path;
use super::*;

/// What a walk calls for each Markdown field: its path (`3/steps/desktop/0`) and the text.
pub type Visit<'v> = dyn FnMut(&str, &mut Text) + 'v;

/// A value whose Markdown fields can be visited.
pub trait Walk {
    fn walk(&mut self, at: &str, visit: &mut Visit<'_>);
}

impl Walk for Text {
    fn walk(&mut self, at: &str, visit: &mut Visit<'_>) {
        visit(at, self);
    }
}

impl<T: Walk> Walk for Option<T> {
    fn walk(&mut self, at: &str, visit: &mut Visit<'_>) {
        if let Some(t) = self {
            t.walk(at, visit);
        }
    }
}

impl<T: Walk> Walk for Vec<T> {
    fn walk(&mut self, at: &str, visit: &mut Visit<'_>) {
        for (i, t) in self.iter_mut().enumerate() {
            t.walk(&path(at, i), visit);
        }
    }
}

impl<T: Walk> Walk for BTreeMap<String, T> {
    fn walk(&mut self, at: &str, visit: &mut Visit<'_>) {
        for (key, t) in self.iter_mut() {
            t.walk(&path(at, key), visit);
        }
    }
}

/// Values that hold no Markdown.
macro_rules! plain {
    ($($t:ty),*) => {$(
        impl Walk for $t {
            fn walk(&mut self, _: &str, _: &mut Visit<'_>) {}
        }
    )*};
}
plain!(
    String,
    bool,
    i64,
    crate::model::date::Date,
    serde_yaml::Value,
    State,
    SourceKind,
    ValueType,
    Decides,
    Basis,
    Confidence,
    Stance,
    Dismissal
);

/// Implements `Walk` for a struct by naming every one of its fields (`field` or
/// `field = "yaml_name"`): the pattern has no `..`, so leaving a field out does not compile.
#[macro_export]
macro_rules! walk_fields {
    ($t:ident { $($field:ident $(= $name:literal)?),* $(,)? }) => {
        impl $crate::model::Walk for $t {
            fn walk(&mut self, at: &str, visit: &mut $crate::model::Visit<'_>) {
                let $t { $($field),* } = self;
                $(
                    let name = $crate::walk_fields!(@name $field $($name)?);
                    $field.walk(&$crate::model::spans::path(at, name), visit);
                )*
            }
        }
    };
    (@name $field:ident) => { stringify!($field) };
    (@name $field:ident $name:literal) => { $name };
}

walk_fields!(SiteConfig {
    title,
    description,
    base_url,
    image,
    language,
    policy,
    changes,
    archive_dir
});
walk_fields!(Policy {
    platform,
    name,
    effective,
    verified,
    summary
});
walk_fields!(Change { id, name, summary });
walk_fields!(Region {
    id,
    draft,
    name,
    aliases,
    countries,
    part_of,
    elsewhere,
    status,
    regulator,
    legal_basis,
    notes,
    sources
});
walk_fields!(Status {
    state,
    since,
    default_on,
    opt_out,
    new,
    note,
    sources
});
walk_fields!(Category {
    id,
    draft,
    name,
    used_for,
    summary,
    examples,
    sources
});
walk_fields!(Exclusion {
    id,
    draft,
    name,
    applies_to,
    condition,
    summary,
    sources
});
walk_fields!(Steps { desktop, mobile });
walk_fields!(OptOut {
    id,
    draft,
    name,
    change,
    regions,
    summary,
    stops,
    does_not_stop,
    steps,
    link,
    sources
});
walk_fields!(Source {
    id,
    draft,
    title,
    publisher,
    kind,
    date,
    url,
    archive,
    notes,
    dismissed
});
walk_fields!(Verdict {
    verdict,
    rationale,
    basis,
    confidence,
    confidence_reason
});
walk_fields!(Question { id, draft, text, value_type = "type", regions, change, decides, resolution });
walk_fields!(Claim {
    question,
    draft,
    source,
    value,
    quote,
    stance,
    note
});

impl Walk for Resolution {
    fn walk(&mut self, at: &str, visit: &mut Visit<'_>) {
        match self {
            Resolution::Open(_) => {}
            Resolution::Resolved(v) => v.walk(at, visit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visits_every_markdown_field_with_its_path() {
        let mut o: OptOut = serde_yaml::from_str(
            "id: t\nname: T\nchange: c\nsummary: S\nstops: [a, b]\nsteps:\n  mobile: [m]\n",
        )
        .unwrap();
        let mut seen = Vec::new();
        o.walk("4", &mut |at, t| seen.push(format!("{at}={}", t.src)));
        assert_eq!(
            seen,
            [
                "4/summary=S",
                "4/stops/0=a",
                "4/stops/1=b",
                "4/steps/mobile/0=m"
            ]
        );
    }
}
