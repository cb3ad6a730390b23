//! A Markdown field added to a model type is rendered with its links resolved by the one
//! link pass, with no change to it: the type lists its fields once (`walk_fields!`).

use std::path::Path;

use explainer::model::Text;
use explainer::{derive::links, load, load::yaml, walk_fields};

/// A model type of the test's own, as a new fact type would be written.
#[derive(Debug, serde::Deserialize)]
struct Notice {
    title: String,
    body: Text,
    #[serde(default)]
    footnotes: Vec<Text>,
    #[serde(default)]
    aside: Option<Text>,
}
walk_fields!(Notice {
    title,
    body,
    footnotes,
    aside
});

#[test]
fn a_new_markdown_field_is_rendered_with_its_links_resolved() {
    let site = load::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"))
        .expect("fixture loads");
    let resolver = links::Resolver::new(&site);
    let src = "title: A notice\nbody: See [the group](region:group).\nfootnotes:\n  - Per [the report](source:report).\naside: Try [a typo](region:gruop).\n";
    let doc = yaml::parse::<Notice>(Path::new("notice.yaml"), src, 0).expect("parses");
    let mut notice = doc.value;
    let title = notice.title.clone();
    let (backlinks, diags) =
        links::link_value(&mut notice, &doc.spans, ("/notices/a/", &title), &resolver);
    assert_eq!(
        notice.body.html,
        r#"See <a href="/regions/group/">the group</a>."#
    );
    assert_eq!(
        notice.footnotes[0].html,
        r#"Per <a href="/sources/report/">the report</a>."#
    );
    let titles: Vec<&str> = backlinks["/regions/group/"]
        .iter()
        .map(|b| b.title.as_str())
        .collect();
    assert_eq!(titles, ["A notice"]);
    let errors: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("notice.yaml:5:12: error: link to unknown region `gruop`"),
        "{errors:?}"
    );
}
