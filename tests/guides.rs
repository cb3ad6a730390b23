//! The bundled region guides, region by region: does the change affect me, since when, what
//! can I do, and which disputed points concern me. Each answer must match the facts.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::repo;

/// The bundled site, built once for all tests here.
fn site() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    &OUT.get_or_init(|| {
        let (tmp, out, _) = common::build_into(&repo());
        (tmp, out)
    })
    .1
}

fn guide(region: &str) -> String {
    std::fs::read_to_string(site().join(format!("regions/{region}/index.html"))).unwrap()
}

/// The status block of `change` in a guide.
fn status<'g>(guide: &'g str, change: &str) -> &'g str {
    let start = guide
        .find(&format!("id=\"status-{change}\""))
        .unwrap_or_else(|| panic!("no status for {change}"));
    let end = guide[start..].find("</div>").unwrap() + start;
    &guide[start..end]
}

/// The short answer's line for `change` in a guide.
fn answer<'g>(guide: &'g str, change: &str) -> &'g str {
    let start = guide
        .find(&format!("id=\"answer-{change}\""))
        .unwrap_or_else(|| panic!("no answer for {change}"));
    let end = guide[start..].find("</li>").unwrap() + start;
    &guide[start..end]
}

/// The section of a guide with heading id `id`.
fn section<'g>(guide: &'g str, id: &str) -> &'g str {
    let start = guide
        .find(&format!("<h2 id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = guide[start..].find("</section>").unwrap() + start;
    &guide[start..end]
}

const NEW_ON_NOV_3: &str = "Since <time datetime=\"2025-11-03\">3 November 2025</time>";

#[test]
fn regions_newly_covered_on_3_november_say_so() {
    for region in ["eu", "eea", "uk", "ch", "ca", "hk"] {
        let g = guide(region);
        let short = answer(&g, "ai-training");
        assert!(
            short.contains(">Applies</span> · new · since 3 November 2025 · confidence: "),
            "{region}: {short}"
        );
        assert!(
            short.contains("Turn it off: <a href=\"#optout-"),
            "{region}: {short}"
        );
        let ai = status(&g, "ai-training");
        assert!(ai.contains(NEW_ON_NOV_3), "{region}: new since 3 November");
        assert!(ai.contains("On by default"), "{region}");
        assert!(ai.contains("You can opt out"), "{region}");
    }
}

#[test]
fn the_eu_inherits_from_the_eea() {
    let g = guide("eu");
    assert!(
        status(&g, "ai-training")
            .contains("As for <a href=\"/regions/eea/\">European Economic Area</a>")
    );
    assert!(g.contains("Part of <a href=\"/regions/eea/\">"));
    assert!(section(&g, "law").contains("Data Protection Commission"));
    let eea = guide("eea");
    assert!(
        section(&eea, "countries").contains("Germany"),
        "the EEA guide lists its members' countries"
    );
}

#[test]
fn where_training_was_already_in_place_the_change_is_not_presented_as_new() {
    for region in ["us", "in", "au", "jp", "rest-of-world"] {
        let g = guide(region);
        let short = answer(&g, "ai-training");
        assert!(
            short.contains(">Applies</span> · already in place · confidence: "),
            "{region}: {short}"
        );
        let ai = status(&g, "ai-training");
        assert!(
            !ai.contains(NEW_ON_NOV_3),
            "{region} must not present 3 November as new"
        );
    }
    assert!(status(&guide("us"), "ai-training").contains("Not new on 3 November 2025"));
}

#[test]
fn ads_sharing_status_follows_the_facts() {
    for region in ["us", "ca", "au", "jp"] {
        let g = guide(region);
        let short = answer(&g, "ads-sharing");
        assert!(
            short.contains(">Applies</span> · new · since 3 November 2025 · confidence: low · <a href=\"/compare/#ads-sharing-regions\">disputed</a>"),
            "{region}: {short}"
        );
        assert!(status(&g, "ads-sharing").contains(NEW_ON_NOV_3), "{region}");
    }
    for region in ["eu", "uk", "ch", "hk", "in", "rest-of-world"] {
        let g = guide(region);
        let short = answer(&g, "ads-sharing");
        assert!(short.contains(">Unclear</span>"), "{region}: {short}");
        assert!(
            short.contains("To be safe, you can turn it off"),
            "{region}: {short}"
        );
    }
}

#[test]
fn every_guide_shows_the_opt_out_paths_with_steps_and_limits() {
    for region in common::BUNDLED_REGIONS {
        let g = guide(region);
        let todo = section(&g, "do");
        assert!(
            todo.contains("Data for Generative AI Improvement"),
            "{region}: the generative-AI setting"
        );
        assert!(todo.contains("id=\"optout-genai-toggle\""), "{region}");
        assert!(
            todo.contains("On the website") && todo.contains("In the app (iOS and Android)"),
            "{region}: desktop and mobile steps"
        );
        assert!(
            todo.contains(
                "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
            ),
            "{region}: direct link"
        );
        assert!(
            todo.contains("It does not stop:"),
            "{region}: what it does not stop"
        );
        assert!(
            todo.contains("id=\"optout-ads-data-sharing\""),
            "{region}: the ads control"
        );
        assert!(
            section(&g, "never").contains("Private messages"),
            "{region}"
        );
    }
}

#[test]
fn guides_show_their_disputed_points_with_the_sites_answer() {
    let uk = section(&guide("uk"), "disputed").to_string();
    assert!(uk.contains("href=\"/compare/#uk-included\""), "{uk}");
    assert!(uk.contains("This site's answer:</strong> Yes"), "{uk}");
    let india = section(&guide("in"), "disputed").to_string();
    assert!(india.contains("href=\"/compare/#india-included\""));
    assert!(india.contains("This site's answer:</strong> No"), "{india}");
    let us = section(&guide("us"), "disputed").to_string();
    assert!(us.contains("href=\"/compare/#us-change\""));
    assert!(
        !section(&guide("jp"), "disputed").contains("#uk-included"),
        "only the questions that concern a region"
    );
}

#[test]
fn statements_carry_footnote_citations_to_source_pages() {
    let g = guide("uk");
    let ai = status(&g, "ai-training");
    assert!(
        ai.contains("<sup class=\"cite\"><a href=\"/sources/"),
        "{ai}"
    );
    let home = std::fs::read_to_string(site().join("index.html")).unwrap();
    assert!(home.contains("<a href=\"/regions/eu/\">Germany</a>"));
    assert!(home.contains("<a href=\"/regions/uk/\">United Kingdom"));
    assert!(home.contains("<a href=\"/regions/rest-of-world/\">Anywhere else</a>"));
}

#[test]
fn fact_pages_list_the_guides_and_articles_that_link_to_them() {
    let toggle = std::fs::read_to_string(site().join("optouts/genai-toggle/index.html")).unwrap();
    let back = &toggle[toggle.find("Pages that link here").expect("backlinks")..];
    assert!(
        back.contains("<a href=\"/regions/uk/\">United Kingdom</a>"),
        "guides link to it"
    );
    assert!(
        back.contains("<a href=\"/articles/how-to-opt-out/\">"),
        "the how-to article links to it"
    );
}
