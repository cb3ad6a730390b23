//! One partial, `partials/guide_sections.html`, lays out a guide's sections for both the
//! region page and the HTML export; a site overrides it by name like any other template.

mod common;

use explainer::commands::export::{Exporter, Format};

#[test]
fn the_region_page_and_the_export_share_the_guide_sections_and_a_site_may_override_them() {
    let (_guard, root) = common::fixture("basic");
    let built = explainer::pipeline::build(&root).unwrap_or_else(|d| panic!("{d:?}"));
    let page =
        String::from_utf8_lossy(&built.output.files["regions/member/index.html"]).to_string();
    assert!(page.contains(r#"<h2 id="affected">Am I affected?</h2>"#));

    let dir = root.join("templates/partials");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("guide_sections.html"),
        r#"<p id="own-sections">Sections of {{ r.name }}</p>"#,
    )
    .expect("write the override");
    let built = explainer::pipeline::build(&root).unwrap_or_else(|d| panic!("{d:?}"));
    let page =
        String::from_utf8_lossy(&built.output.files["regions/member/index.html"]).to_string();
    assert!(
        page.contains(r#"<p id="own-sections">Sections of Member Land</p>"#),
        "{page}"
    );
    assert!(!page.contains(r#"id="affected""#));

    let exporter = Exporter::new(&built);
    let member = exporter.region("member").expect("region");
    let html = exporter.export(member, Format::Html).expect("export");
    let html = String::from_utf8_lossy(&html.bytes);
    assert!(html.contains(r#"<p id="own-sections">Sections of Member Land</p>"#));
    assert!(!html.contains(r#"id="affected""#));
}
