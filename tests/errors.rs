//! Every kind of user mistake is reported at its file:line:column with what is wrong and how
//! to fix it, fails the build, and leaves the last good `public/` exactly as it was.

mod common;

use common::{edit, explainer, fixture, snapshot, stderr};

/// Builds the fixture once, applies `mistake`, rebuilds, and checks the failure.
fn assert_fails(mistake: impl FnOnce(&std::path::Path), expected: &[&str]) {
    let (_tmp, root) = fixture("basic");
    let r = root.to_str().unwrap();
    let first = explainer(&["build", "--root", r]);
    assert!(
        first.status.success(),
        "fixture must build: {}",
        stderr(&first)
    );
    let before = snapshot(&root.join("public"));
    assert!(before.contains_key("index.html"));

    mistake(&root);
    let out = explainer(&["build", "--root", r]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "build must fail:\n{err}");
    for needle in expected {
        assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
    }
    assert!(err.contains("public was left as it was"), "{err}");
    assert_eq!(
        snapshot(&root.join("public")),
        before,
        "public/ changed after a failed build"
    );

    let check = explainer(&["check", "--root", r]);
    assert_eq!(check.status.code(), Some(1), "check must fail too");
}

#[test]
fn malformed_yaml() {
    assert_fails(
        |root| {
            edit(
                root,
                "content/facts/regions.yaml",
                "  regulator: The Group Regulator",
                "  regulator: [The Group Regulator",
            )
        },
        &["--> content/facts/regions.yaml:", "error: "],
    );
}

#[test]
fn malformed_yaml_points_at_the_line() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/facts/sources.yaml",
        "  title: A blog post",
        "  title: \"A blog post",
    );
    let out = explainer(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("--> content/facts/sources.yaml:7:10"), "{err}");
    assert!(err.contains("while reading a quoted scalar"), "{err}");
    assert!(err.contains("help: close the quote"), "{err}");
}

#[test]
fn unknown_field() {
    assert_fails(
        |root| {
            edit(
                root,
                "content/facts/categories.yaml",
                "  examples:",
                "  exmaples:",
            )
        },
        &[
            "error: unknown field `exmaples`",
            "--> content/facts/categories.yaml:4:3",
            "help: did you mean `examples`?",
        ],
    );
}

#[test]
fn missing_required_field() {
    assert_fails(
        |root| {
            edit(
                root,
                "content/facts/exclusions.yaml",
                "  name: Private messages\n",
                "",
            )
        },
        &[
            "error: missing field `name`",
            "--> content/facts/exclusions.yaml:1:3",
            "help: add `name:` to this entry",
        ],
    );
}

#[test]
fn unknown_id_reference() {
    assert_fails(
        |root| {
            edit(
                root,
                "content/facts/regions.yaml",
                "part_of: [group]",
                "part_of: [gruop]",
            )
        },
        &[
            "error: unknown region `gruop`",
            "--> content/facts/regions.yaml:18:13",
            "help: did you mean `group`?",
        ],
    );
}

#[test]
fn duplicate_id() {
    assert_fails(
        |root| {
            edit(
                root,
                "content/facts/sources.yaml",
                "- id: blog",
                "- id: report",
            )
        },
        &[
            "error: duplicate source id `report`",
            "--> content/facts/sources.yaml:6:7",
            "first defined at content/facts/sources.yaml:1:7",
        ],
    );
}

#[test]
fn bad_front_matter() {
    assert_fails(
        |root| {
            edit(
                root,
                "content/articles/intro.md",
                "date: 2026-03-02",
                "date: 2026-02-30",
            )
        },
        &[
            "error: `2026-02-30` is not a day of the calendar",
            "--> content/articles/intro.md:4:7",
        ],
    );
}

#[test]
fn missing_front_matter() {
    assert_fails(
        |root| {
            std::fs::write(root.join("content/articles/bare.md"), "# No front matter\n").unwrap()
        },
        &[
            "error: article has no front matter",
            "--> content/articles/bare.md:1:1",
            "help: start the file with a `---` line",
        ],
    );
}

#[test]
fn unknown_link_target_in_markdown() {
    assert_fails(
        |root| {
            edit(
                root,
                "content/articles/intro.md",
                "(region:member)",
                "(region:membr)",
            )
        },
        &[
            "error: link to unknown region `membr`",
            "--> content/articles/intro.md:10:10",
            "help: did you mean `member`?",
        ],
    );
}

#[test]
fn unknown_link_target_in_a_yaml_text_field() {
    assert_fails(
        |root| {
            edit(
                root,
                "content/facts/regions.yaml",
                "(region:group)",
                "(region:grp)",
            )
        },
        &[
            "error: link to unknown region `grp`",
            "--> content/facts/regions.yaml:19:24",
        ],
    );
}

#[test]
fn broken_internal_link_in_a_template_override() {
    assert_fails(
        |root| {
            std::fs::create_dir_all(root.join("templates")).unwrap();
            std::fs::write(
                root.join("templates/404.html"),
                r#"{% extends "base.html" %}{% block content %}<a href="/nowhere/">x</a>{% endblock content %}"#,
            )
            .unwrap();
        },
        &[
            "error: page /404.html links to `/nowhere/`, which does not exist",
            "--> templates/404.html:1:54",
        ],
    );
}

#[test]
fn unknown_template_variable_is_located_at_its_use() {
    assert_fails(
        |root| {
            std::fs::create_dir_all(root.join("templates")).unwrap();
            std::fs::write(
                root.join("templates/404.html"),
                "{% extends \"base.html\" %}\n{% block content %}\n  <p>{{ page.nope }}</p>\n{% endblock content %}",
            )
            .unwrap();
        },
        &[
            "Variable `page.nope` not found",
            "--> templates/404.html:3:9",
        ],
    );
}

#[test]
fn unknown_link_target_in_a_template() {
    assert_fails(
        |root| {
            std::fs::create_dir_all(root.join("templates")).unwrap();
            std::fs::write(
                root.join("templates/404.html"),
                r#"{% extends "base.html" %}{% block content %}<a href="{{ link(to="optout:toggel") }}">x</a>{% endblock content %}"#,
            )
            .unwrap();
        },
        &[
            "--> templates/404.html",
            "link to unknown opt-out path `toggel`; did you mean `toggle`?",
        ],
    );
}

#[test]
fn template_syntax_error_is_located() {
    assert_fails(
        |root| {
            std::fs::create_dir_all(root.join("templates")).unwrap();
            std::fs::write(
                root.join("templates/404.html"),
                "{% extends \"base.html\" %}\n{% block content %}\n  {% if %}{% endblock content %}",
            )
            .unwrap();
        },
        &[
            "error: Failed to parse '404.html': expected",
            "--> templates/404.html:3:9",
        ],
    );
}

#[test]
fn a_bad_country_code_suggests_the_iso_one() {
    assert_fails(
        |root| {
            edit(
                root,
                "content/facts/regions.yaml",
                "countries: [DE, FR]",
                "countries: [DE, UK]",
            )
        },
        &[
            "error: `UK` is not a country code",
            "--> content/facts/regions.yaml:17:19",
            "the ISO 3166 code of the United Kingdom is `GB`",
        ],
    );
}

#[test]
fn warnings_fail_only_under_strict() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/facts/exclusions.yaml",
        "  sources: [report]\n",
        "",
    );
    let r = root.to_str().unwrap();
    let loose = explainer(&["check", "--root", r]);
    assert!(loose.status.success(), "{}", stderr(&loose));
    assert!(stderr(&loose).contains("warning: exclusion `messages` cites no source"));
    let strict = explainer(&["check", "--strict", "--root", r]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stderr(&strict).contains("--> content/facts/exclusions.yaml:1:3"),
        "{}",
        stderr(&strict)
    );
}

#[test]
fn an_unresolved_disagreement_is_a_warning() {
    let (_tmp, root) = fixture("basic");
    let path = root.join("content/facts/questions.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.find("  resolution:").unwrap();
    std::fs::write(&path, &text[..cut]).unwrap();
    let out = explainer(&["check", "--strict", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("warning: sources disagree on question `who` and it has no resolution"),
        "{}",
        stderr(&out)
    );
}
