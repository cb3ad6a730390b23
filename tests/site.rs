//! Building sites end to end: the bundled explainer, the test fixture and a fresh `init`
//! scaffold; what their pages say, that every internal link resolves on disk, and that an
//! unchanged rebuild touches nothing.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{explainer, fixture, repo, snapshot, stderr, stdout};

fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The values of `attr="…"` in `html`.
fn attrs<'h>(html: &'h str, attr: &str) -> Vec<&'h str> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .filter(|(i, _)| html[..*i].ends_with(char::is_whitespace))
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// Walks the written site and returns every internal href/src that names no file, or names
/// an `#anchor` its page lacks. Independent of the generator's own link checker.
fn broken_links(out: &Path) -> Vec<String> {
    let files = snapshot(out);
    let html: BTreeMap<&String, String> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8_lossy(b).into_owned()))
        .collect();
    let mut broken = Vec::new();
    for (path, text) in &html {
        for link in attrs(text, "href").into_iter().chain(attrs(text, "src")) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (target, anchor) = link.split_once('#').unwrap_or((link, ""));
            let file = if target.is_empty() {
                (*path).clone()
            } else {
                assert!(target.starts_with('/'), "{path}: relative link {link}");
                let t = target.trim_start_matches('/');
                if t.is_empty() || t.ends_with('/') {
                    format!("{t}index.html")
                } else {
                    t.to_string()
                }
            };
            match html.get(&file) {
                _ if !files.contains_key(&file) => broken.push(format!("{path} -> {link}")),
                Some(t) if !anchor.is_empty() && !t.contains(&format!("id=\"{anchor}\"")) => {
                    broken.push(format!("{path} -> {link} (no anchor)"))
                }
                _ => {}
            }
        }
    }
    broken
}

#[test]
fn bundled_site_builds_with_its_key_pages() {
    let (_tmp, out, run) = common::build_into(&repo());
    assert!(stdout(&run).contains("built "), "{}", stdout(&run));

    let home = page(&out, "index.html");
    assert!(home.contains("<html lang=\"en\">"));
    assert!(home.contains("Find your region"));
    assert!(
        home.contains(r#"<a href="/regions/eu/">Germany</a>"#),
        "Germany maps to the EU guide"
    );
    assert!(home.contains("Anywhere else"));
    assert!(home.contains("3 November 2025"));

    let uk = page(&out, "regions/uk/index.html");
    assert!(uk.contains("<h1>United Kingdom</h1>"));
    assert!(
        uk.contains("Data for Generative AI Improvement"),
        "the UK guide shows the setting"
    );
    let eu = page(&out, "regions/eu/index.html");
    assert!(
        eu.contains("Irish Data Protection Commission")
            || eu.contains("Data Protection Commission")
    );
    assert!(
        eu.contains("href=\"/regions/eea/\""),
        "the EU guide links its group"
    );

    for article in [
        "what-changed",
        "who-is-affected",
        "how-to-opt-out",
        "what-is-never-used",
        "microsoft-ads-sharing",
        "why-reports-disagree",
    ] {
        let a = page(&out, &format!("articles/{article}/index.html"));
        assert!(a.contains("class=\"prose\""), "{article}");
    }
    assert!(
        !out.join("articles/update-pending").exists(),
        "drafts are not published"
    );
    assert!(page(&out, "404.html").contains("Page not found"));
    assert!(
        page(&out, "sources/index.html")
            .matches("class=\"cards\"")
            .count()
            == 1
    );

    // No external requests: no absolute http(s) stylesheet, script or image.
    for (path, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for src in attrs(&text, "src") {
            assert!(!src.contains("://"), "{path} loads {src}");
        }
        assert!(!text.contains("rel=\"stylesheet\" href=\"http"), "{path}");
    }
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn bundled_site_is_strictly_clean() {
    let run = explainer(&["check", "--strict", "--root", repo().to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("check ok: 0 errors, 0 warnings"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn fixture_pages_show_facts_backlinks_and_inheritance() {
    let (_tmp, root) = fixture("basic");
    let run = explainer(&["build", "--root", root.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let out = root.join("public");

    let member = page(&out, "regions/member/index.html");
    assert!(
        member.contains("As for <a href=\"/regions/group/\">Group of Countries</a>"),
        "status inherited from the group"
    );
    assert!(
        member.contains("The training toggle"),
        "the group's opt-out applies to its members"
    );
    assert!(member.contains("Germany") && member.contains("France"));
    assert!(
        member.contains(r#"<a href="/articles/intro/">Introduction</a>"#),
        "backlink from the article"
    );

    let elsewhere = page(&out, "regions/elsewhere/index.html");
    assert!(
        !elsewhere.contains("The training toggle"),
        "the toggle is limited to the group"
    );
    assert!(elsewhere.contains("No opt-out path is known to apply here."));

    let intro = page(&out, "articles/intro/index.html");
    assert!(intro.contains(r#"<h2 id="first-things">First things</h2>"#));
    assert!(
        intro.contains(r##"<a href="#details">Details</a>"##),
        "table of contents"
    );
    assert!(intro.contains("<table>"));
    assert!(intro.contains(r#"<a href="/optouts/toggle/">toggle</a>"#));
    assert!(!out.join("articles/hidden").exists());

    let q = page(&out, "questions/who/index.html");
    assert!(q.contains("Only the group is covered."));
    assert!(q.contains("most-specific"));
    assert!(broken_links(&out).is_empty());
}

#[test]
fn unchanged_rebuild_writes_nothing_and_an_edit_rewrites_only_what_changed() {
    let (_tmp, root) = fixture("basic");
    let r = root.to_str().unwrap();
    assert!(explainer(&["build", "--root", r]).status.success());
    let out = root.join("public");
    let mtimes = |p: &Path| -> BTreeMap<String, std::time::SystemTime> {
        snapshot(p)
            .keys()
            .map(|k| {
                (
                    k.clone(),
                    fs::metadata(p.join(k)).unwrap().modified().unwrap(),
                )
            })
            .collect()
    };
    let before = mtimes(&out);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = explainer(&["build", "--root", r]);
    assert!(
        stdout(&again).contains("(0 files written"),
        "{}",
        stdout(&again)
    );
    assert_eq!(mtimes(&out), before);

    common::edit(
        &root,
        "content/facts/exclusions.yaml",
        "Private messages",
        "Direct messages",
    );
    let third = explainer(&["build", "--root", r]);
    let changed: Vec<String> = mtimes(&out)
        .into_iter()
        // The build's manifest is rewritten with every change; it is not a site file.
        .filter(|(k, t)| before.get(k) != Some(t) && k != ".explainer-manifest")
        .map(|(k, _)| k)
        .collect();
    assert!(
        changed.contains(&"exclusions/messages/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&"sources/report/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        stdout(&third).contains(&format!("({} files written", changed.len())),
        "{}",
        stdout(&third)
    );
}

#[test]
fn init_scaffolds_a_site_that_builds_and_passes_strict_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x");
    let d = dir.to_str().unwrap();
    let init = explainer(&["init", d]);
    assert!(init.status.success(), "{}", stderr(&init));
    let check = explainer(&["check", "--strict", "--root", d]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("0 errors, 0 warnings"),
        "{}",
        stderr(&check)
    );
    let build = explainer(&["build", "--root", d]);
    assert!(build.status.success(), "{}", stderr(&build));
    let again = explainer(&["init", d]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already has a content/ folder"));
}

/// What a new site teaches: every kind of fact, one region inheriting from another, a
/// conflict on the comparison, comments on the fields, and `public/` ignored.
#[test]
fn init_scaffold_has_every_part_and_explains_its_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x");
    let d = dir.to_str().unwrap();
    assert!(explainer(&["init", d]).status.success());
    assert!(explainer(&["build", "--root", d]).status.success());
    let out = dir.join("public");

    // Two region guides, the second part of the first and inheriting its status.
    let eea = page(&out, "regions/eea/index.html");
    let eu = page(&out, "regions/eu/index.html");
    assert!(eea.contains("<h1>European Economic Area"), "{eea}");
    assert!(
        eu.contains(r#"As for <a href="/regions/eea/">European Economic Area</a>, which European Union is part of."#),
        "the EU guide inherits from its group:\n{eu}"
    );
    // The opt-out reaches the member through its group.
    assert!(eu.contains("The AI training setting"));

    // One page per kind of fact.
    for rel in [
        "categories/posts/index.html",
        "exclusions/private-messages/index.html",
        "optouts/training-setting/index.html",
        "sources/announcement/index.html",
        "sources/news-report/index.html",
        "questions/training-regions/index.html",
        "articles/what-changed/index.html",
    ] {
        assert!(out.join(rel).is_file(), "no {rel}");
    }

    // The comparison shows the conflict: one source agrees, the other only partly.
    let cmp = page(&out, "compare/index.html");
    let row = &cmp[cmp
        .find(r#"<tr id="training-regions">"#)
        .expect("the question's row")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("state-agrees") && row.contains("state-partly-agrees"),
        "{row}"
    );
    assert!(
        row.contains(r#"<p class="answer">European Economic Area</p>"#),
        "{row}"
    );

    // The finder works from the start: every country of both regions, each to its guide.
    let home = page(&out, "index.html");
    assert!(
        home.contains(r#"<a href="/regions/eu/">Germany</a>"#),
        "{home}"
    );
    assert!(
        home.contains(r#"<a href="/regions/eea/">Norway</a>"#),
        "{home}"
    );

    // Comments explain the fields: the first use of each key in each facts file has a
    // comment on its line or just above (a later entry reuses what the first explained).
    for file in [
        "site.yaml",
        "facts/regions.yaml",
        "facts/categories.yaml",
        "facts/exclusions.yaml",
        "facts/optouts.yaml",
        "facts/sources.yaml",
        "facts/questions.yaml",
        "facts/claims.yaml",
    ] {
        let text = fs::read_to_string(dir.join("content").join(file)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut explained = std::collections::BTreeSet::new();
        for (n, line) in lines.iter().enumerate() {
            let item = line.trim_start().trim_start_matches("- ");
            let Some((key, _)) = item.split_once(':') else {
                continue;
            };
            if key.starts_with('#') || key.contains(' ') || !explained.insert(key.to_string()) {
                continue;
            }
            let above = n.checked_sub(1).map_or("", |p| lines[p]);
            assert!(
                line.contains(" #") || above.trim_start().starts_with('#'),
                "{file}:{}: `{key}` has no comment",
                n + 1
            );
        }
    }
    let ignore = fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l.trim() == "public/"), "{ignore}");

    // In a browser, the finder filters the scaffold's countries as the reader types.
    let Some(chromium) = common::chromium() else {
        return;
    };
    let server = common::StaticServer::start(&out);
    let dom = common::dump_dom(
        &chromium,
        &format!("http://127.0.0.1:{}/?country=norw", server.port),
    );
    let item = |country: &str| {
        let at = dom
            .find(&format!(">{country}</a>"))
            .unwrap_or_else(|| panic!("{country} not in the finder:\n{dom}"));
        dom[dom[..at].rfind("<li").unwrap()..at].to_string()
    };
    assert!(!item("Norway").contains("hidden"), "Norway must stay");
    assert!(
        item("Germany").contains("hidden"),
        "Germany must be filtered out"
    );
}

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let (_tmp, root) = fixture("basic");
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/404.html"),
        r#"{% extends "base.html" %}{% block content %}<h1>Lost? Try the <a href="/">overview</a> or <a href="{{ link(to="region:member") }}">members</a>.</h1>{% endblock content %}"#,
    )
    .unwrap();
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/extra.txt"), "copied as is").unwrap();
    let run = explainer(&["build", "--root", root.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let lost = page(&root.join("public"), "404.html");
    assert!(lost.contains("Lost? Try the"));
    assert!(
        lost.contains(r#"<a href="/regions/member/">members</a>"#),
        "templates resolve cross-links"
    );
    assert_eq!(page(&root.join("public"), "extra.txt"), "copied as is");
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let root = repo();
    for out in [&a, &b] {
        let run = explainer(&[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(run.status.success(), "{}", stderr(&run));
    }
    assert_eq!(snapshot(&a), snapshot(&b));
}
