//! Property tests: article files, Markdown, YAML facts and template sources, from token
//! soups and arbitrary strings, never panic, and fail only with a located diagnostic.
//!
//! `PROPTEST_CASES` sets the cases per property (default 64, a few seconds in all);
//! `FUZZ_SECONDS=60` repeats each property with fresh random seeds until that many seconds
//! passed. Without it the seeds are fixed (`PROPTEST_RNG_SEED` overrides), so plain
//! `cargo test` is reproducible.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use explainer::diagnostics::Diagnostic;
use explainer::model::{Category, Claim, Exclusion, OptOut, Question, Region, SiteConfig, Source};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

/// Runs `test` over `strategy`: `PROPTEST_CASES` cases, again and again until `FUZZ_SECONDS`.
fn fuzz<S: Strategy>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    let seconds = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    // A plain `cargo test` is reproducible (fixed seeds); a timed run explores fresh ones.
    let seed: Option<u64> = match std::env::var("PROPTEST_RNG_SEED") {
        Ok(n) => n.parse().ok(),
        Err(_) if seconds == 0 => Some(0x5eed),
        Err(_) => None,
    };
    let mut rounds = 0;
    loop {
        let config = Config {
            cases,
            failure_persistence: None,
            rng_seed: seed.map_or(RngSeed::Random, |s| RngSeed::Fixed(s + rounds)),
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        if let Err(e) = runner.run(&strategy, &test) {
            panic!("{name}: {e}");
        }
        rounds += 1;
        if Instant::now() >= deadline {
            break;
        }
    }
    eprintln!("{name}: {rounds} round(s) of {cases} cases");
}

/// Text from `tokens` and arbitrary snippets, up to `max` pieces.
fn soup(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(tokens).prop_map(str::to_string),
        1 => ".{0,12}",
        1 => "[ \n\t\r\u{0}\u{feff}#:\\-\\[\\]{}*&!|>'\"%]{0,6}",
    ];
    prop::collection::vec(piece, 0..max).prop_map(|v| v.concat())
}

/// A soup or a fully arbitrary string.
fn text(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop_oneof![3 => soup(tokens, max), 1 => any::<String>()]
}

const MARKDOWN: &[&str] = &[
    "# ",
    "## ",
    "### ",
    "x",
    "x\n",
    "\n",
    "\n\n",
    "> ",
    "- ",
    "* ",
    "1. ",
    "  ",
    "    ",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](region:eu)",
    "](#x)",
    "[^1]",
    "[^1]: n\n",
    "{#id}",
    "{#x}",
    "`",
    "```\n",
    "~~~",
    "**",
    "_",
    "~~",
    "|",
    "| a | b |\n|---|---|\n",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "&amp;",
    "\\",
    "- [ ] ",
    "---\n",
    "***\n",
    "<https://a.b>",
    "\r\n",
    "é",
];

const TOML: &[&str] = &[
    "title = \"T\"\n",
    "date = 2021-07-08T17:05:00Z\n",
    "date = 2021-07-08\n",
    "date = \"2021-07-08 25:00\"\n",
    "weight = ",
    "aliases = [\"/a/\", ",
    "\"..\"]",
    "[taxonomies]\n",
    "[extra]\n",
    "tags = [",
    "]",
    " = ",
    "\n",
    "\"",
    "x",
    "1",
    "#",
    "+++",
    "é",
];

const YAML: &[&str] = &[
    "- ",
    ": ",
    "id: ",
    "name: ",
    "x",
    "eu",
    "\n",
    "\n  ",
    "  ",
    "&a ",
    "*a",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "---\n",
    "...\n",
    "#",
    "'",
    "\"",
    "|\n  ",
    ">\n  ",
    "? ",
    "!!str ",
    "!tag ",
    "<<: *a\n",
    "null",
    "~",
    "1",
    "-1",
    "1e9",
    "2025-11-03",
    "true",
    "\t",
    "\r\n",
    "\u{feff}",
    "%YAML 1.2\n",
    "id: eu\n  name: EU\n",
    "- id: eu\n  name: EU\n  countries: [DE, FR]\n",
];

const TEMPLATES: &[&str] = &[
    "{% include \"part.html\" %}",
    "{% include 'part.html' %}",
    "{%- include \"404.html\" -%}",
    "{% include [\"nope.html\", \"part.html\"] ignore missing %}",
    "{% extends \"base.html\" %}",
    "{% extends \"part.html\" %}",
    "{% import \"macros.html\" as m %}",
    "{% import 'part.html' as p %}",
    "{% macro f(n=1) %}",
    "{% endmacro %}",
    "{{ self::f() }}",
    "{{ p::f() }}",
    "{{ m::state(state='x') }}",
    "{% for i in range(end=3) %}",
    "{% for i in range(end=100000000) %}",
    "{% endfor %}",
    "{% if page %}",
    "{% else %}",
    "{% endif %}",
    "{% block content %}",
    "{% endblock %}",
    "{% raw %}",
    "{% endraw %}",
    "{#",
    "#}",
    "{{",
    "}}",
    "{%",
    "%}",
    "{%-",
    "-%}",
    "\"",
    "'",
    "(",
    ")",
    "[",
    "]",
    "x",
    "\n",
    "{{ page.title }}",
    "{{ link(to='region:member') }}",
    "{{ current_url }}",
    "{{ 1 / 0 }}",
    "{{ range(end=5, step_by=0) }}",
    "{% set x = 1 %}",
    "{{ x | human_date }}",
    "{% filter upper %}",
    "{% endfilter %}",
    "{{ super() }}",
    "{% break %}",
];

/// The diagnostic has a location in `file` (or, with `None`, anywhere) with line and column ≥ 1.
fn located(d: &Diagnostic, file: Option<&Path>) -> Result<(), TestCaseError> {
    let Some(loc) = &d.loc else {
        return Err(TestCaseError::fail(format!("no location: {d}")));
    };
    prop_assert!(loc.line >= 1 && loc.col >= 1, "{d}");
    if let Some(file) = file {
        prop_assert_eq!(&loc.file, file, "{}", d);
    }
    Ok(())
}

/// Heading ids are unique within one rendered text.
fn unique_ids(r: &explainer::derive::markdown::Rendered) -> Result<(), TestCaseError> {
    let mut ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    prop_assert!(ids.len() <= n);
    Ok(())
}

#[test]
fn markdown_never_panics() {
    fuzz("markdown", text(MARKDOWN, 60), |src| {
        let r = explainer::derive::markdown::render(&src, |d, at| {
            assert!(at <= src.len());
            d.strip_prefix("region:")
                .map(|id| format!("/regions/{id}/"))
        });
        unique_ids(&r)?;
        prop_assert!(!r.html.contains('\0'), "a NUL in the HTML");
        let _ = explainer::derive::markdown::render_inline(&src, |_, _| None);
        let _ = explainer::derive::markdown::rewrite_links(&src, |d| Some(format!("{d}?")));
        Ok(())
    });
}

#[test]
fn articles_parse_or_fail_located() {
    let file = prop_oneof![
        (soup(YAML, 12), text(MARKDOWN, 40))
            .prop_map(|(f, b)| format!("---\ntitle: T\ndate: 2025-01-02\n{f}\n---\n{b}")),
        (soup(YAML, 12), text(MARKDOWN, 40)).prop_map(|(f, b)| format!("---\n{f}---\n{b}")),
        // TOML front matter, as Zola and Hugo write it, with datetimes.
        (soup(TOML, 14), text(MARKDOWN, 20)).prop_map(|(f, b)| format!("+++\n{f}\n+++\n{b}")),
        text(YAML, 30),
    ];
    fuzz("articles", file, |src: String| {
        let rel = Path::new("content/articles/x.md");
        match explainer::load::articles::parse(rel, &src) {
            Ok(a) => unique_ids(&explainer::derive::markdown::render(&a.body, |_, _| None)),
            Err(d) => located(&d, Some(rel)),
        }
    });
}

/// Parses `src` as a facts file of `T`: Ok, or an error located in that file.
fn yaml_as<T: serde::de::DeserializeOwned>(name: &str, src: &str) -> Result<(), TestCaseError> {
    let rel = PathBuf::from("content/facts").join(name);
    match explainer::load::yaml::parse::<T>(&rel, src, 0) {
        Ok(_) => Ok(()),
        Err(found) => {
            prop_assert!(!found.is_empty(), "an error without a diagnostic");
            found.iter().try_for_each(|d| located(d, Some(&rel)))
        }
    }
}

#[test]
fn yaml_facts_parse_or_fail_located() {
    fuzz("yaml", text(YAML, 40), |src| {
        yaml_as::<Vec<Region>>("regions.yaml", &src)?;
        yaml_as::<Vec<Category>>("categories.yaml", &src)?;
        yaml_as::<Vec<Exclusion>>("exclusions.yaml", &src)?;
        yaml_as::<Vec<OptOut>>("optouts.yaml", &src)?;
        yaml_as::<Vec<Source>>("sources.yaml", &src)?;
        yaml_as::<Vec<Question>>("questions.yaml", &src)?;
        yaml_as::<Vec<Claim>>("claims.yaml", &src)?;
        yaml_as::<SiteConfig>("../site.yaml", &src)
    });
}

#[test]
fn templates_load_and_render_or_fail_located() {
    let (_guard, root) = common::fixture("basic");
    let dir = root.join("templates");
    std::fs::create_dir_all(&dir).expect("templates dir");
    let mut diags = explainer::diagnostics::Diagnostics::default();
    let mut site = explainer::load::load(&root).unwrap_or_else(|d| panic!("{d:?}"));
    let resolver = explainer::derive::links::Resolver::new(&site);
    let (backlinks, more) = explainer::derive::links::link(&mut site, &resolver);
    diags.extend(more);
    assert!(!diags.has_errors(), "{diags:?}");
    let derived = explainer::derive::derive(&site);
    let plan = explainer::render::pages::plan(&site, &backlinks, &derived);
    let site_ctx = explainer::render::pages::site_context(&site).expect("site context");
    let pair = (text(TEMPLATES, 24), text(TEMPLATES, 12));
    fuzz("templates", pair, |(page, part)| {
        std::fs::write(dir.join("404.html"), &page).expect("write template");
        std::fs::write(dir.join("part.html"), &part).expect("write template");
        let tera = match explainer::render::templates(&root, resolver.clone()) {
            Ok(tera) => tera,
            Err(d) => return located(&d, None),
        };
        match explainer::render::render_pages(&tera, &site_ctx, &plan, |r| r == "/404.html") {
            Ok(_) => Ok(()),
            Err(ds) => ds.iter().try_for_each(|d| located(d, None)),
        }
    });
}
