//! The reference checks: every id a fact or article names (regions, changes, categories)
//! resolves, and regions do not contain themselves. Claims and values are `values`'.

use std::collections::{HashMap, HashSet};

use super::{Checker, change_ids};
use crate::diagnostics::{Loc, suggest};
use crate::model::Resolution;

impl Checker<'_> {
    pub(super) fn regions(&mut self) {
        let s = self.site;
        let t = &s.regions;
        let mut elsewhere: Option<Loc> = None;
        let mut country_owner: HashMap<&str, &str> = HashMap::new();
        for (i, r) in t.iter().enumerate() {
            self.refs(
                &t.spans,
                &format!("{i}/part_of"),
                &r.part_of,
                "region",
                t.known_ids(),
            );
            if r.part_of.contains(&r.id) {
                self.error(
                    t.loc(i, "part_of"),
                    format!("region `{}` is part of itself", r.id),
                    "remove it from its own `part_of`",
                );
            }
            for (j, code) in r.countries.iter().enumerate() {
                let loc = t.loc(i, &format!("countries/{j}"));
                if rust_iso3166::from_alpha2(code).is_none() {
                    let help = match code.as_str() {
                        "UK" => "the ISO 3166 code of the United Kingdom is `GB`".to_string(),
                        "EL" => "the ISO 3166 code of Greece is `GR`".to_string(),
                        _ => "use an ISO 3166-1 alpha-2 code in capitals, e.g. `DE`".to_string(),
                    };
                    self.error(loc, format!("`{code}` is not a country code"), help);
                } else if let Some(other) = country_owner.insert(code, &r.id) {
                    self.error(
                        loc,
                        format!("country `{code}` is listed in regions `{other}` and `{}`", r.id),
                        "list a country in its most specific region only; groups reach it through `part_of`",
                    );
                }
            }
            if r.elsewhere {
                if let Some(first) = &elsewhere {
                    self.error(
                        t.loc(i, "elsewhere"),
                        "more than one region has `elsewhere: true`".to_string(),
                        format!("keep one; the other is at {first}"),
                    );
                }
                elsewhere = Some(t.loc(i, "elsewhere"));
            }
            for (change, status) in &r.status {
                let field = format!("{i}/status/{change}");
                if s.change(change).is_none() {
                    self.error(
                        t.spans.key_at(&field),
                        format!("unknown change `{change}` in status"),
                        suggest(change, change_ids(s)),
                    );
                }
                self.sources(&t.spans, &format!("{field}/sources"), &status.sources);
                if status.sources.is_empty() && r.sources.is_empty() {
                    self.warn(
                        t.loc(i, &format!("status/{change}")),
                        format!("the status of `{change}` in `{}` cites no source", r.id),
                        "add `sources:` to the status or the region",
                    );
                }
            }
            self.sources(&t.spans, &format!("{i}/sources"), &r.sources);
        }
        self.region_cycles();
    }

    /// `part_of` must not loop (a group inside itself, however indirectly).
    fn region_cycles(&mut self) {
        let t = &self.site.regions;
        for (i, r) in t.iter().enumerate() {
            let mut stack: Vec<&str> = r.part_of.iter().map(String::as_str).collect();
            let mut seen: HashSet<&str> = HashSet::new();
            while let Some(id) = stack.pop() {
                if id == r.id && r.part_of.iter().all(|p| p != &r.id) {
                    self.error(
                        t.loc(i, "part_of"),
                        format!("region `{}` is, through `part_of`, part of itself", r.id),
                        "remove one link of the loop",
                    );
                    break;
                }
                if seen.insert(id) {
                    if let Some(parent) = t.get(id) {
                        stack.extend(parent.part_of.iter().map(String::as_str));
                    }
                }
            }
        }
    }

    pub(super) fn facts(&mut self) {
        let s = self.site;
        let t = &s.categories;
        for (i, c) in t.iter().enumerate() {
            self.refs(
                &t.spans,
                &format!("{i}/used_for"),
                &c.used_for,
                "change",
                change_ids(s),
            );
            self.sources(&t.spans, &format!("{i}/sources"), &c.sources);
            self.unsourced(t.loc(i, ""), "data category", &c.id, &c.sources);
        }
        let t = &s.exclusions;
        for (i, e) in t.iter().enumerate() {
            self.refs(
                &t.spans,
                &format!("{i}/applies_to"),
                &e.applies_to,
                "change",
                change_ids(s),
            );
            self.sources(&t.spans, &format!("{i}/sources"), &e.sources);
            self.unsourced(t.loc(i, ""), "exclusion", &e.id, &e.sources);
        }
        let t = &s.optouts;
        for (i, o) in t.iter().enumerate() {
            self.one_ref(
                &t.spans,
                &format!("{i}/change"),
                &o.change,
                "change",
                change_ids(s),
            );
            if let Some(regions) = &o.regions {
                self.refs(
                    &t.spans,
                    &format!("{i}/regions"),
                    regions,
                    "region",
                    s.regions.known_ids(),
                );
            }
            if let Some(link) = &o.link {
                if !(link.starts_with("https://") || link.starts_with("http://")) {
                    self.error(
                        t.loc(i, "link"),
                        format!("`{link}` is not a web address"),
                        "write the full address, starting with https://",
                    );
                }
            }
            self.sources(&t.spans, &format!("{i}/sources"), &o.sources);
            self.unsourced(t.loc(i, ""), "opt-out path", &o.id, &o.sources);
        }
        let t = &s.questions;
        for (i, q) in t.iter().enumerate() {
            self.refs(
                &t.spans,
                &format!("{i}/regions"),
                &q.regions,
                "region",
                s.regions.known_ids(),
            );
            if let Some(Resolution::Resolved(v)) = &q.resolution {
                self.value(
                    &t.spans,
                    &format!("{i}/resolution/verdict"),
                    q.value_type,
                    &v.verdict,
                );
            }
        }
    }

    pub(super) fn articles(&mut self) {
        let s = self.site;
        for a in &s.articles {
            let known = a.front.regions.iter().all(|r| s.regions.contains(r))
                && a.front.categories.iter().all(|c| s.categories.contains(c));
            if known {
                continue; // Locating needs the front matter's spans: only build them for errors.
            }
            let spans = a.spans();
            self.refs(
                &spans,
                "regions",
                &a.front.regions,
                "region",
                s.regions.known_ids(),
            );
            self.refs(
                &spans,
                "categories",
                &a.front.categories,
                "data category",
                s.categories.known_ids(),
            );
        }
    }
}
