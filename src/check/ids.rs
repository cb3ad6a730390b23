//! The id checks: every id is well-formed (see `model::is_valid_id`) and unique within its
//! table. References to ids are `references`'.

use std::collections::HashMap;

use super::Checker;
use crate::diagnostics::Loc;
use crate::load::yaml::Spans;
use crate::model::{Entity, Table, is_valid_id};

impl Checker<'_> {
    /// Ids are valid and unique within each table.
    pub(super) fn ids(&mut self) {
        let s = self.site;
        let cfg = &s.config_spans;
        let mut seen = HashMap::new();
        for (i, c) in s.config.changes.iter().enumerate() {
            self.id(cfg, &format!("changes/{i}/id"), &c.id, "change", &mut seen);
        }
        self.table_ids(&s.regions, "region");
        self.table_ids(&s.categories, "data category");
        self.table_ids(&s.exclusions, "exclusion");
        self.table_ids(&s.optouts, "opt-out path");
        self.table_ids(&s.sources, "source");
        self.table_ids(&s.questions, "question");
        let mut slugs: HashMap<&str, &crate::model::Article> = HashMap::new();
        for a in &s.articles {
            if let Some(first) = slugs.insert(&a.slug, a) {
                self.error(
                    a.slug_loc(),
                    format!("duplicate article slug `{}`", a.slug),
                    format!(
                        "`{}` has it already; set a different `slug:`",
                        first.slug_loc()
                    ),
                );
            }
        }
    }

    fn table_ids<T: Entity>(&mut self, table: &Table<T>, noun: &str) {
        let mut seen = HashMap::new();
        for (i, item) in table.iter().enumerate() {
            self.id(&table.spans, &format!("{i}/id"), item.id(), noun, &mut seen);
        }
    }

    fn id(
        &mut self,
        spans: &Spans,
        field: &str,
        id: &str,
        noun: &str,
        seen: &mut HashMap<String, Loc>,
    ) {
        let loc = spans.at(field);
        if !is_valid_id(id) {
            self.error(
                loc.clone(),
                format!("`{id}` is not a valid {noun} id"),
                "use lowercase letters, digits and `-`, e.g. `rest-of-world`",
            );
        }
        if let Some(first) = seen.insert(id.to_string(), loc.clone()) {
            self.error(
                loc,
                format!("duplicate {noun} id `{id}`"),
                format!("first defined at {first}; rename one of them"),
            );
        }
    }
}
