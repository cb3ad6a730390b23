//! The value checks: claims name a known question and source, and a claim's or verdict's
//! value has its question's type. What the comparison finds is `comparison`'.

use super::Checker;
use crate::load::yaml::Spans;
use crate::model::ValueType;
use crate::model::base_url::BaseUrl;

impl Checker<'_> {
    /// `site.yaml`'s `base_url` must be an absolute http(s) address, and `image` one or a path.
    pub(super) fn config(&mut self) {
        let (cfg, spans) = (&self.site.config, &self.site.config_spans);
        if let Some(Err(e)) = cfg.base_url.as_deref().map(BaseUrl::parse) {
            self.error(
                spans.at("base_url"),
                format!("invalid base_url: {e}"),
                "write the site's public address, e.g. `base_url: https://example.org/` or `https://example.org/sub/`",
            );
        }
        let image = cfg.image.as_deref().unwrap_or("/");
        let absolute = image.starts_with("https://") || image.starts_with("http://");
        let local = image.starts_with('/') && !image.starts_with("//");
        if !(absolute || local) || image.contains(|c: char| c.is_whitespace() || c == '"') {
            self.error(
                spans.at("image"),
                format!("invalid image `{image}`: expected a path from the site's root or an absolute http(s) address"),
                "e.g. `image: /card.png` (a file of static/) or `image: https://example.org/card.png`",
            );
        }
    }

    /// A claim's or verdict's value must have its question's type.
    pub(super) fn value(
        &mut self,
        spans: &Spans,
        field: &str,
        ty: ValueType,
        v: &serde_yaml::Value,
    ) {
        use serde_yaml::Value;
        let wrong = |expected: &str| format!("expected {expected} for this question's type");
        match (ty, v) {
            (ValueType::Regions, Value::Sequence(items)) => {
                let ids: Vec<String> = items
                    .iter()
                    .map(|x| x.as_str().unwrap_or_default().to_string())
                    .collect();
                self.refs(spans, field, &ids, "region", self.site.regions.known_ids());
            }
            (ValueType::Regions, _) => self.error(
                spans.at(field),
                wrong("a list of region ids"),
                "e.g. `[eu, uk]`",
            ),
            (ValueType::Categories, Value::Sequence(items)) => {
                let ids: Vec<String> = items
                    .iter()
                    .map(|x| x.as_str().unwrap_or_default().to_string())
                    .collect();
                self.refs(
                    spans,
                    field,
                    &ids,
                    "category",
                    self.site.categories.known_ids(),
                );
            }
            (ValueType::Categories, _) => self.error(
                spans.at(field),
                wrong("a list of category ids"),
                "e.g. `[profile, posts]`",
            ),
            (ValueType::Date, Value::String(d))
                if d.parse::<crate::model::date::Date>().is_ok() => {}
            (ValueType::Date, _) => {
                self.error(spans.at(field), wrong("a date"), "write it as YYYY-MM-DD")
            }
            (ValueType::YesNo, Value::Bool(_)) => {}
            (ValueType::YesNo, _) => self.error(
                spans.at(field),
                wrong("yes or no"),
                "write `true` or `false`",
            ),
            (ValueType::Text, Value::String(_)) => {}
            (ValueType::Text, _) => self.error(spans.at(field), wrong("text"), "quote the value"),
        }
    }

    pub(super) fn claims(&mut self) {
        let s = self.site;
        let t = &s.claims;
        for (i, c) in t.iter().enumerate() {
            self.one_ref(
                &t.spans,
                &format!("{i}/question"),
                &c.question,
                "question",
                s.questions.known_ids(),
            );
            self.one_ref(
                &t.spans,
                &format!("{i}/source"),
                &c.source,
                "source",
                s.sources.known_ids(),
            );
            if c.quote.trim().is_empty() {
                self.error(
                    t.loc(i, "quote"),
                    "claim has an empty quote".to_string(),
                    "quote the source's own words, briefly",
                );
            }
            if let Some(q) = s.questions.get(&c.question) {
                self.value(&t.spans, &format!("{i}/value"), q.value_type, &c.value);
                if c.stance.is_some() && q.value_type != ValueType::Text {
                    self.error(
                        t.spans.key_at(&format!("{i}/stance")),
                        format!(
                            "`stance` is for text questions; `{}` is compared by value",
                            q.id
                        ),
                        "remove `stance:`; the comparison classifies this claim from its value",
                    );
                }
            }
        }
        self.comparison();
    }
}
