//! The exported guide as a typed document: what the JSON export writes (its schema follows
//! from these types; README, "Export") and what the export templates see as `page`. Built
//! from the build's derived guide; rendering and writing are `Exporter::export`'s.
//! Size: the export's whole schema, each type beside the code that fills it, in one file.

// Nested objects list their fields in alphabetical order: the JSON export wrote them so
// before they were typed, and its bytes stay the same.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Exporter;
use crate::derive::answers::Action;
use crate::derive::evidence::{Decider, Use};
use crate::derive::guides::{ChangeStatus, Country, Disputed, Guide};
use crate::derive::links::{Kind, route};
use crate::derive::naming::Namer;
use crate::model::{
    Category, Confidence, Exclusion, OptOut, Region, Source, SourceKind, State, Text, date::Date,
};

/// The JSON export's schema version (README, "Export"); bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// A Markdown field as exported: the editor's Markdown and its HTML, links absolute to
/// `base_url` when it is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rich {
    pub html: String,
    pub markdown: String,
}

/// A guide as exported, in JSON and to the templates; README, "Export", documents every
/// field. `schema_version` comes first.
#[derive(Debug, Serialize)]
pub struct Document {
    pub schema_version: u32,
    pub generator: &'static str,
    pub title: String,
    pub url: String,
    pub site: SiteDoc,
    pub policy: PolicyDoc,
    pub region: RegionDoc,
    pub groups: Vec<RegionRef>,
    pub members: Vec<RegionRef>,
    pub countries: Vec<Country>,
    pub changes: Vec<ChangeDoc>,
    /// The reports that name the region (`derive::naming`), their addresses absolute.
    pub named_by: Vec<Namer>,
    pub categories: Vec<CategoryDoc>,
    pub exclusions: Vec<ExclusionDoc>,
    pub optouts: Vec<OptOutDoc>,
    pub disputed: Vec<DisputedDoc>,
    pub sources: Vec<SourceDoc>,
}

#[derive(Debug, Serialize)]
pub struct SiteDoc {
    pub base_url: Option<String>,
    pub language: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub struct PolicyDoc {
    pub effective: Date,
    pub name: String,
    pub platform: String,
    pub summary: Rich,
    pub verified: Date,
}

#[derive(Debug, Serialize)]
pub struct RegionDoc {
    pub citations: Vec<usize>,
    pub elsewhere: bool,
    pub id: String,
    pub legal_basis: Option<String>,
    pub name: String,
    pub notes: Option<Rich>,
    pub regulator: Option<String>,
}

/// Another region, as a link.
#[derive(Debug, Serialize)]
pub struct RegionRef {
    pub id: String,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct ChangeDoc {
    pub citations: Vec<usize>,
    pub default_on: Option<bool>,
    pub id: String,
    pub inherited_from: Option<RegionRef>,
    pub name: String,
    pub note: Option<Rich>,
    pub opt_out: Option<bool>,
    pub since: Option<Date>,
    pub state: Option<State>,
    pub summary: Option<Rich>,
    /// The status's confidence (`derive::evidence`).
    pub confidence: Option<Confidence>,
    /// `new` or `in-place` (from `since` against the policy's effective date).
    pub novelty: Option<&'static str>,
    /// The question to read when the status rests on an open or low-confidence verdict.
    pub disputed: Option<UseQuestion>,
    /// Why it has its confidence, in a sentence.
    pub reason: Option<String>,
    /// What to do about it here (`derive::answers`).
    pub action: Action,
}

/// A question a disputed status or use links to.
#[derive(Debug, Serialize)]
pub struct UseQuestion {
    pub id: String,
    pub url: String,
}

/// One use of a category here: `qualifier` is `applies`, `unclear` or `disputed`.
#[derive(Debug, Serialize)]
pub struct UseDoc {
    pub change: String,
    pub name: String,
    pub qualifier: &'static str,
    pub question: Option<UseQuestion>,
}

#[derive(Debug, Serialize)]
pub struct CategoryDoc {
    pub citations: Vec<usize>,
    pub examples: Vec<String>,
    pub id: String,
    pub name: String,
    pub summary: Option<Rich>,
    pub url: String,
    pub used_for: Vec<String>,
    /// Its uses in this region, each qualified by the change's status here.
    pub uses: Vec<UseDoc>,
}

#[derive(Debug, Serialize)]
pub struct ExclusionDoc {
    pub citations: Vec<usize>,
    pub condition: Option<Rich>,
    pub id: String,
    pub name: String,
    pub summary: Option<Rich>,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct StepsDoc {
    pub desktop: Vec<Rich>,
    pub mobile: Vec<Rich>,
}

#[derive(Debug, Serialize)]
pub struct OptOutDoc {
    pub change: String,
    pub citations: Vec<usize>,
    pub does_not_stop: Vec<Rich>,
    pub id: String,
    pub link: Option<String>,
    pub name: String,
    pub steps: StepsDoc,
    pub stops: Vec<Rich>,
    pub summary: Option<Rich>,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct DisputedDoc {
    pub answer: Option<String>,
    pub confidence: Option<Confidence>,
    pub id: String,
    pub question: String,
    pub url: String,
}

/// A cited source, numbered in citation order.
#[derive(Debug, Serialize)]
pub struct SourceDoc {
    pub date: Option<Date>,
    pub id: String,
    pub kind: SourceKind,
    pub n: usize,
    pub page: String,
    pub publisher: String,
    pub title: String,
    pub url: Option<String>,
}

/// Builds one document: the exporter (for URLs and Markdown) and the sources it cites.
struct Doc<'e, 'a> {
    ex: &'e Exporter<'a>,
    sources: Vec<&'a Source>,
}

impl Doc<'_, '_> {
    /// The numbers of the cited `ids` in the source list, sorted, each once.
    fn cite(&self, ids: &[String]) -> Vec<usize> {
        let mut ns: Vec<usize> = (ids.iter())
            .filter_map(|id| self.sources.iter().position(|s| &s.id == id).map(|i| i + 1))
            .collect();
        ns.sort_unstable();
        ns.dedup();
        ns
    }

    fn rich(&self, t: &Option<Text>) -> Option<Rich> {
        t.as_ref().map(|t| self.ex.rich(t))
    }

    fn all(&self, ts: &[Text]) -> Vec<Rich> {
        ts.iter().map(|t| self.ex.rich(t)).collect()
    }

    fn at(&self, kind: Kind, id: &str) -> String {
        self.ex.url(&route(kind, id))
    }

    fn region_ref(&self, r: &Region) -> RegionRef {
        RegionRef {
            id: r.id.clone(),
            name: r.name.clone(),
            url: self.at(Kind::Region, &r.id),
        }
    }

    fn change(&self, c: &ChangeStatus) -> ChangeDoc {
        let s = c.status.as_ref();
        ChangeDoc {
            citations: s.map(|s| self.cite(&s.sources)).unwrap_or_default(),
            default_on: s.and_then(|s| s.default_on),
            id: c.change.id.clone(),
            inherited_from: c.inherited_from.as_ref().map(|r| self.region_ref(r)),
            name: c.change.name.clone(),
            note: s.and_then(|s| self.rich(&s.note)),
            opt_out: s.and_then(|s| s.opt_out),
            since: s.and_then(|s| s.since),
            state: s.map(|s| s.state),
            summary: self.rich(&c.change.summary),
            confidence: c.evidence.as_ref().map(|e| e.confidence),
            novelty: c.evidence.as_ref().and_then(|e| e.novelty),
            disputed: (c.evidence.as_ref())
                .filter(|e| e.disputed)
                .and_then(|e| e.decided_by.as_ref())
                .map(|q| self.question(q)),
            reason: c.evidence.as_ref().map(|e| e.reason.clone()),
            action: c.action.clone(),
        }
    }

    fn question(&self, q: &Decider) -> UseQuestion {
        UseQuestion {
            id: q.id.clone(),
            url: self.ex.url(&q.url),
        }
    }

    fn category(&self, c: &Category, uses: &[Use]) -> CategoryDoc {
        CategoryDoc {
            citations: self.cite(&c.sources),
            examples: c.examples.clone(),
            id: c.id.clone(),
            name: c.name.clone(),
            summary: self.rich(&c.summary),
            url: self.at(Kind::Category, &c.id),
            used_for: c.used_for.clone(),
            uses: (uses.iter())
                .map(|u| UseDoc {
                    change: u.change.clone(),
                    name: u.name.clone(),
                    qualifier: u.qualifier,
                    question: u.question.as_ref().map(|q| self.question(q)),
                })
                .collect(),
        }
    }

    fn exclusion(&self, e: &Exclusion) -> ExclusionDoc {
        ExclusionDoc {
            citations: self.cite(&e.sources),
            condition: self.rich(&e.condition),
            id: e.id.clone(),
            name: e.name.clone(),
            summary: self.rich(&e.summary),
            url: self.at(Kind::Exclusion, &e.id),
        }
    }

    fn optout(&self, o: &OptOut) -> OptOutDoc {
        OptOutDoc {
            change: o.change.clone(),
            citations: self.cite(&o.sources),
            does_not_stop: self.all(&o.does_not_stop),
            id: o.id.clone(),
            link: o.link.clone(),
            name: o.name.clone(),
            steps: StepsDoc {
                desktop: self.all(&o.steps.desktop),
                mobile: self.all(&o.steps.mobile),
            },
            stops: self.all(&o.stops),
            summary: self.rich(&o.summary),
            url: self.at(Kind::OptOut, &o.id),
        }
    }

    fn disputed(&self, d: &Disputed) -> DisputedDoc {
        DisputedDoc {
            answer: d.answer.clone(),
            confidence: d.confidence,
            id: d.question.id.clone(),
            question: d.question.text.clone(),
            url: self.ex.url(&d.url),
        }
    }

    fn source(&self, i: usize, s: &Source) -> SourceDoc {
        SourceDoc {
            date: s.date,
            id: s.id.clone(),
            kind: s.kind,
            n: i + 1,
            page: self.at(Kind::Source, &s.id),
            publisher: s.publisher.clone(),
            title: s.title.clone(),
            url: s.url.clone(),
        }
    }
}

/// The sources `g` cites (the region's own, and those of every status and fact it shows), in
/// site order.
fn cited<'a>(site: &'a crate::model::Site, g: &Guide) -> Vec<&'a Source> {
    let mut ids: BTreeSet<&str> = g.region.sources.iter().map(String::as_str).collect();
    let lists = (g.changes.iter())
        .filter_map(|c| c.status.as_ref())
        .map(|s| &s.sources)
        .chain(g.categories.iter().map(|c| &c.sources))
        .chain(g.exclusions.iter().map(|e| &e.sources))
        .chain(g.optouts.iter().map(|o| &o.sources));
    ids.extend(lists.flatten().map(String::as_str));
    (site.sources.iter())
        .filter(|s| ids.contains(s.id.as_str()))
        .collect()
}

impl Exporter<'_> {
    /// The exported guide of `region` (pure): the JSON document, and what the templates see
    /// as `page`.
    pub fn data(&self, region: &Region) -> Document {
        let (site, g) = (self.site, self.guide(region));
        let d = Doc {
            ex: self,
            sources: cited(site, g),
        };
        let (cfg, policy) = (&site.config, &site.config.policy);
        Document {
            schema_version: SCHEMA_VERSION,
            generator: concat!("explainer ", env!("CARGO_PKG_VERSION")),
            title: format!("Guide for {}", region.name),
            url: self.url(&g.url),
            site: SiteDoc {
                base_url: cfg.base_url.clone(),
                language: cfg.language.clone(),
                title: cfg.title.clone(),
            },
            policy: PolicyDoc {
                effective: policy.effective,
                name: policy.name.clone(),
                platform: policy.platform.clone(),
                summary: self.rich(&policy.summary),
                verified: policy.verified,
            },
            region: RegionDoc {
                citations: d.cite(&region.sources),
                elsewhere: region.elsewhere,
                id: region.id.clone(),
                legal_basis: region.legal_basis.clone(),
                name: region.name.clone(),
                notes: d.rich(&region.notes),
                regulator: region.regulator.clone(),
            },
            groups: g.groups.iter().map(|r| d.region_ref(r)).collect(),
            members: g.members.iter().map(|r| d.region_ref(r)).collect(),
            countries: g.countries.clone(),
            changes: g.changes.iter().map(|c| d.change(c)).collect(),
            named_by: (g.named_by.iter())
                .map(|n| Namer {
                    url: self.url(&n.url),
                    ..n.clone()
                })
                .collect(),
            categories: (g.categories.iter())
                .map(|c| d.category(c, g.uses.get(&c.id).map_or(&[], |u| u)))
                .collect(),
            exclusions: g.exclusions.iter().map(|e| d.exclusion(e)).collect(),
            optouts: g.optouts.iter().map(|o| d.optout(o)).collect(),
            disputed: g.questions.iter().map(|q| d.disputed(q)).collect(),
            sources: (d.sources.iter().enumerate())
                .map(|(i, s)| d.source(i, s))
                .collect(),
        }
    }
}
