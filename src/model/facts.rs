//! The fact types, as `content/*.yaml` spells them: the site's config and policy, regions,
//! categories, exclusions, opt-outs, sources, questions and claims. Plain data: no loading here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Text;
use super::date::Date;

/// `content/site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The site's public address; validated by `check` (`base_url::BaseUrl`).
    #[serde(default)]
    pub base_url: Option<String>,
    /// The image shared links show (OpenGraph, Twitter cards): a file of the site's `static/`
    /// (`/card.png`) or an absolute address; default the built-in `card.png`.
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default = "default_language")]
    pub language: String,
    pub policy: Policy,
    pub changes: Vec<Change>,
    /// The folder of the sources' archived texts, relative to the site root, for the
    /// annotated copy on source pages (left out when the folder is absent).
    #[serde(default)]
    pub archive_dir: Option<String>,
}

fn default_language() -> String {
    "en".to_string()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub platform: String,
    pub name: String,
    pub effective: Date,
    pub verified: Date,
    pub summary: Text,
}

/// One distinct change the policy makes (e.g. AI training, ads sharing).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub summary: Option<Text>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub id: String,
    /// `true` keeps it out of the published site (see "Drafts" in the README).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    pub name: String,
    /// Other names readers type for it (`EU`), found by the home page's country finder.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub part_of: Vec<String>,
    #[serde(default)]
    pub elsewhere: bool,
    #[serde(default)]
    pub status: BTreeMap<String, Status>,
    #[serde(default)]
    pub regulator: Option<String>,
    #[serde(default)]
    pub legal_basis: Option<String>,
    #[serde(default)]
    pub notes: Option<Text>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Applies,
    DoesNotApply,
    Unclear,
}

impl State {
    pub const ALL: [State; 3] = [State::Applies, State::DoesNotApply, State::Unclear];

    /// How it is written in YAML and in templates.
    pub fn key(self) -> &'static str {
        match self {
            State::Applies => "applies",
            State::DoesNotApply => "does-not-apply",
            State::Unclear => "unclear",
        }
    }

    /// The word readers see (templates get it through `label(state=…)`).
    pub fn label(self) -> &'static str {
        match self {
            State::Applies => "Applies",
            State::DoesNotApply => "Does not apply",
            State::Unclear => "Unclear",
        }
    }
}

/// The status of one change in one region.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Status {
    pub state: State,
    #[serde(default)]
    pub since: Option<Date>,
    #[serde(default)]
    pub default_on: Option<bool>,
    #[serde(default)]
    pub opt_out: Option<bool>,
    /// Whether the change is new here with the policy (`false`: already in place before it).
    /// Follows from `since` when that is given; `check` reports the two disagreeing.
    #[serde(default)]
    pub new: Option<bool>,
    #[serde(default)]
    pub note: Option<Text>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    /// `true` keeps it out of the published site (see "Drafts" in the README).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    pub name: String,
    pub used_for: Vec<String>,
    #[serde(default)]
    pub summary: Option<Text>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub id: String,
    /// `true` keeps it out of the published site (see "Drafts" in the README).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    pub name: String,
    pub applies_to: Vec<String>,
    #[serde(default)]
    pub condition: Option<Text>,
    #[serde(default)]
    pub summary: Option<Text>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Steps {
    #[serde(default)]
    pub desktop: Vec<Text>,
    #[serde(default)]
    pub mobile: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OptOut {
    pub id: String,
    /// `true` keeps it out of the published site (see "Drafts" in the README).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    pub name: String,
    pub change: String,
    /// Where it applies; `None` means everywhere.
    #[serde(default)]
    pub regions: Option<Vec<String>>,
    #[serde(default)]
    pub summary: Option<Text>,
    #[serde(default)]
    pub stops: Vec<Text>,
    #[serde(default)]
    pub does_not_stop: Vec<Text>,
    #[serde(default)]
    pub steps: Steps,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    Official,
    News,
    Blog,
    Other,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    /// `true` keeps it out of the published site (see "Drafts" in the README).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    pub title: String,
    pub publisher: String,
    pub kind: SourceKind,
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub archive: Option<String>,
    #[serde(default)]
    pub notes: Option<Text>,
    /// Passages of the archived text that mention known names but need no claim.
    #[serde(default)]
    pub dismissed: Vec<Dismissal>,
}

impl Source {
    /// The file its archived text is in: its `archive`, else `ID.txt`.
    pub fn archive_file(&self) -> String {
        self.archive
            .clone()
            .unwrap_or_else(|| format!("{}.txt", self.id))
    }
}

/// A passage of a source's archive set aside by `check --coverage`: an exact excerpt of it and
/// why no claim cites it (optional here so that a missing reason is a located error).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dismissal {
    pub passage: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueType {
    Regions,
    /// Category ids: which data a change uses (a source's claims on it add up).
    Categories,
    Date,
    YesNo,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    Official,
    Agreement,
    MostSpecific,
    Editor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

impl Confidence {
    /// How it is written in YAML and in templates.
    pub fn key(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }

    /// Its place on the scale: low 0, medium 1, high 2.
    pub fn rank(self) -> u8 {
        match self {
            Confidence::Low => 0,
            Confidence::Medium => 1,
            Confidence::High => 2,
        }
    }
}

/// The site's answer to a question.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    pub verdict: serde_yaml::Value,
    pub rationale: Text,
    pub basis: Basis,
    /// A cap on the derived level (`derive::compare::confidence`): it may only lower it.
    #[serde(default)]
    pub confidence: Option<Confidence>,
    /// Why the editor lowered the level; required when `confidence` is below the derived one.
    #[serde(default)]
    pub confidence_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpenWord {
    Open,
}

/// `resolution: open`, or a verdict.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Resolution {
    Open(OpenWord),
    Resolved(Verdict),
}

/// A question the sources answer, possibly differently.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    /// `true` keeps it out of the published site (see "Drafts" in the README).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    pub text: String,
    #[serde(rename = "type")]
    pub value_type: ValueType,
    #[serde(default)]
    pub regions: Vec<String>,
    /// The change a `regions` question decides the regions of, or a `categories` question the
    /// data of (`derive::evidence`).
    #[serde(default)]
    pub change: Option<String>,
    /// What a `regions` question with a `change` decides: where it applies (the default) or
    /// where it is new.
    #[serde(default)]
    pub decides: Decides,
    #[serde(default)]
    pub resolution: Option<Resolution>,
}

/// What the verdict of a deciding `regions` question lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decides {
    /// The regions where the change applies.
    #[default]
    Applies,
    /// The regions where the change is new with the policy (elsewhere it may apply already).
    New,
}

/// How a text claim stands against the verdict; typed claims are compared by value instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    Agrees,
    PartlyAgrees,
    Contradicts,
}

/// What one source says about one question.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub question: String,
    /// `true` keeps it out of the published site (see "Drafts" in the README).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    pub source: String,
    pub value: serde_yaml::Value,
    pub quote: String,
    /// For `text` questions only: the editor's reading of the claim against the verdict.
    #[serde(default)]
    pub stance: Option<Stance>,
    #[serde(default)]
    pub note: Option<Text>,
}
