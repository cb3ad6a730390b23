//! Accessibility and small screens, in Debian's headless Chromium over WebDriver: axe-core
//! (vendored, `tests/common/axe.rs`) finds no violation on a page of each type of the bundled
//! site (every section's list page and one of its pages, the home page, the comparison, the
//! search page with results, the "What changed" page and the 404 page), in light and dark mode; the comparison shows each claim's
//! source on a phone; and `serve`'s error overlay is readable in both themes and says what
//! failed, where, and that the last good page is still shown.

mod common;

use std::path::Path;

use common::{Browser, StaticServer, build_into, commit_at, copy_dir, edit, git_at, repo};

/// One browser at a time: the tests of this file each start a chromedriver.
static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn browser() -> Option<(std::sync::MutexGuard<'static, ()>, Browser)> {
    let guard = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    Browser::start().map(|b| (guard, b))
}

/// The bundled site with a history (in a git repository of its own: its first commit, then a
/// changed opt-out step and reworded notes), built into a temp folder and served.
fn bundled() -> (tempfile::TempDir, StaticServer) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    for dir in ["content", "templates", "static"] {
        copy_dir(&repo().join(dir), &site.join(dir));
    }
    git_at(&site, &["init", "-q", "-b", "main"], "2026-01-05T10:00:00Z");
    commit_at(&site, "The bundled site", "2026-01-05T10:00:00Z");
    let step = "Switch the setting **off**.";
    edit(
        &site,
        "content/facts/optouts.yaml",
        step,
        "Switch the setting **off** and save.",
    );
    edit(
        &site,
        "content/facts/regions.yaml",
        "The EU is part of",
        "The EU belongs to",
    );
    commit_at(
        &site,
        "A step on saving; the EU's notes reworded",
        "2026-01-06T10:00:00Z",
    );
    let (out_tmp, out, _) = build_into(&site);
    assert!(
        out.join("changes/index.html").is_file(),
        "the What changed page"
    );
    let server = StaticServer::start(&out);
    (out_tmp, server)
}

/// One page of each type of the bundled site, as addresses: the home page, the comparison,
/// the 404 page (at an address that does not exist), and for every section folder of the
/// output its list page and one of its pages (a named one that shows the most, else the
/// first), and the search page with results. A section added later is found in the output
/// and covered without a change here.
fn one_page_of_each_type(out: &Path) -> Vec<String> {
    const SHOWN: [&str; 6] = [
        "/regions/eu/",
        "/articles/how-to-opt-out/",
        "/categories/profile/",
        "/optouts/genai-toggle/",
        "/questions/us-change/",
        "/sources/privacy-blog/",
    ];
    let mut paths = vec!["/".to_string(), "/no-such-page/".to_string()];
    for section in sorted_subfolders(out) {
        let dir = out.join(&section);
        if dir.join("index.html").is_file() {
            paths.push(format!("/{section}/"));
        }
        let pages = sorted_subfolders(&dir);
        let shown = SHOWN
            .iter()
            .find(|p| p.starts_with(&format!("/{section}/")))
            .map(|p| p.to_string());
        if let Some(shown) = &shown {
            let page = &shown[section.len() + 2..shown.len() - 1];
            assert!(pages.iter().any(|p| p == page), "{shown} is not built");
        }
        if let Some(page) = shown.or_else(|| pages.first().map(|p| format!("/{section}/{p}/"))) {
            paths.push(page);
        }
        if section == "search" {
            // With results, as a reader sees it after typing.
            paths.push("/search/?q=opt".to_string());
        }
    }
    paths
}

/// The folders in `dir` that hold an `index.html`, by name.
fn sorted_subfolders(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn axe_finds_no_violation_on_any_page_type_in_light_and_dark_mode() {
    let Some((_one, browser)) = browser() else {
        return;
    };
    let (_tmp, out, _) = build_into(&repo());
    let server = StaticServer::start(&out);
    let paths = one_page_of_each_type(&out);
    for kind in [
        "/compare/",
        "/regions/",
        "/articles/",
        "/categories/",
        "/exclusions/",
        "/optouts/",
        "/questions/",
        "/sources/",
        "/exclusions/ad-restricted-data/",
        "/search/",
        "/search/?q=opt",
    ] {
        assert!(paths.iter().any(|p| p == kind), "{kind} not in {paths:?}");
    }
    let mut found = Vec::new();
    for scheme in ["light", "dark"] {
        browser.color_scheme(scheme);
        for path in &paths {
            browser.goto(&format!("http://127.0.0.1:{}{path}", server.port));
            assert!(browser.wait_for("return document.readyState === 'complete';"));
            if path.starts_with("/search/?") {
                assert!(browser.wait_for(
                    "return document.querySelectorAll('#search-results li').length > 0;"
                ));
            }
            let dark = browser.eval("return matchMedia('(prefers-color-scheme: dark)').matches;");
            assert_eq!(
                dark,
                scheme == "dark",
                "the {scheme} scheme is not emulated"
            );
            // A page, not an empty answer that axe would pass.
            let h1 = browser.eval(
                "var h = document.querySelector('main h1'); return h ? h.textContent : null;",
            );
            assert!(h1.is_string(), "{path}: no heading");
            for v in common::axe::run(&browser, None) {
                found.push(format!("{scheme} {path}: {v}"));
            }
        }
    }
    assert!(found.is_empty(), "axe violations:\n{}", found.join("\n"));
}

/// A new site from `explainer init` starts accessible too.
#[test]
fn axe_finds_no_violation_on_a_new_site() {
    let Some((_one, browser)) = browser() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let init = common::explainer(&["init", dir.to_str().unwrap()]);
    assert!(init.status.success(), "{}", common::stderr(&init));
    let (_out_tmp, out, _) = build_into(&dir);
    let server = StaticServer::start(&out);
    let mut found = Vec::new();
    for scheme in ["light", "dark"] {
        browser.color_scheme(scheme);
        for path in [
            "/",
            "/regions/eu/",
            "/compare/",
            "/articles/what-changed/",
            "/search/",
        ] {
            browser.goto(&format!("http://127.0.0.1:{}{path}", server.port));
            assert!(browser.wait_for("return document.readyState === 'complete';"));
            for v in common::axe::run(&browser, None) {
                found.push(format!("{scheme} {path}: {v}"));
            }
        }
    }
    assert!(found.is_empty(), "axe violations:\n{}", found.join("\n"));
}

/// At 390×844 every claim on the comparison shows its source's name: rendered, of non-zero
/// size, and within the viewport's width.
#[test]
fn the_comparison_shows_each_claims_source_on_a_phone() {
    let Some((_one, browser)) = browser() else {
        return;
    };
    let (_tmp, server) = bundled();
    browser.viewport(390, 844, true);
    browser.goto(&format!("http://127.0.0.1:{}/compare/", server.port));
    assert!(browser.wait_for("return document.readyState === 'complete';"));
    let report = browser.eval(
        r#"var width = document.documentElement.clientWidth, bad = [], seen = 0;
        document.querySelectorAll('.matrix td.cell').forEach(function (td) {
          var name = td.querySelector('.cell-source');
          if (!name) { bad.push('no source name in ' + td.closest('tr').id); return; }
          var r = name.getBoundingClientRect(), s = getComputedStyle(name);
          seen++;
          if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || s.display === 'none')
            bad.push(name.textContent + ' is not rendered');
          else if (r.left < 0 || r.right > width)
            bad.push(name.textContent + ' is outside the viewport (' + r.left + '..' + r.right + ' of ' + width + ')');
        });
        return { width: width, seen: seen, bad: bad };"#,
    );
    assert_eq!(report["width"], 390, "{report}");
    assert!(report["seen"].as_u64().unwrap_or(0) > 10, "{report}");
    assert_eq!(report["bad"], serde_json::json!([]), "{report}");
    // Stacked, it is still accessible.
    let axe = common::axe::run(&browser, None);
    assert!(axe.is_empty(), "axe at 390 px: {axe:#?}");

    // No page of these is wider than the phone (a long address wraps).
    for path in ["/compare/", "/regions/eu/", "/articles/how-to-opt-out/"] {
        browser.goto(&format!("http://127.0.0.1:{}{path}", server.port));
        assert!(browser.wait_for("return document.readyState === 'complete';"));
        let width = browser.eval("return document.documentElement.scrollWidth;");
        assert_eq!(width, 390, "{path} scrolls sideways on a phone");
    }
}

/// WCAG contrast of the overlay's text against its background, worst element first.
const OVERLAY_CONTRAST: &str = r#"
function rgb(c) { var m = c.match(/[\d.]+/g).map(Number); return m; }
function lum(c) { return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2]); }
function ch(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
function bg(e) {
  for (; e; e = e.parentElement) { var c = rgb(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] === 1) return c; }
  return [255, 255, 255];
}
var o = document.getElementById('explainer-error'), worst = 99, at = '';
if (!o) return null;
o.querySelectorAll('h2, p, span, pre, button').forEach(function (e) {
  var f = lum(rgb(getComputedStyle(e).color)), b = lum(bg(e));
  var ratio = (Math.max(f, b) + 0.05) / (Math.min(f, b) + 0.05);
  if (ratio < worst) { worst = ratio; at = e.tagName; }
});
return { ratio: worst, at: at, text: o.innerText };
"#;

#[test]
fn the_serve_overlay_is_readable_and_says_what_to_do_in_both_themes() {
    let Some((_one, browser)) = browser() else {
        return;
    };
    let (_tmp, root) = common::fixture("basic");
    let serving = common::Serving::start(&root);
    common::edit(
        &root,
        "content/facts/regions.yaml",
        "  name: Member Land",
        "  name: [Member Land",
    );
    serving.expect_event("build-error");
    for scheme in ["light", "dark"] {
        browser.color_scheme(scheme);
        browser.goto(&format!(
            "http://127.0.0.1:{}/articles/intro/",
            serving.port
        ));
        assert!(
            browser.wait_for("return !!document.getElementById('explainer-error');"),
            "no overlay in {scheme} mode"
        );
        let seen = browser.eval(OVERLAY_CONTRAST);
        let ratio = seen["ratio"].as_f64().unwrap_or(0.0);
        assert!(
            ratio >= 4.5,
            "{scheme}: contrast {ratio:.2} at {}",
            seen["at"]
        );
        let text = seen["text"].as_str().unwrap_or_default();
        assert!(
            text.contains("Where: content/facts/regions.yaml:"),
            "{scheme}: no file:line in\n{text}"
        );
        assert!(text.contains("The build failed:"), "{text}");
        assert!(
            text.contains("the last good version of this page is still shown"),
            "{text}"
        );
        let axe = common::axe::run(&browser, Some(&["color-contrast"]));
        assert!(axe.is_empty(), "{scheme}: {axe:?}");
    }
}

/// Issue 16: the action comes first. On a phone (390×844) and a desktop (1280×800), every
/// bundled guide shows a link to its first opt-out's steps within the first 1,000 px, and
/// the link lands on those steps.
#[test]
fn every_guide_shows_its_first_opt_out_within_the_first_1000_px() {
    let Some((_one, browser)) = browser() else {
        return;
    };
    let (_tmp, server) = bundled();
    let mut late = Vec::new();
    for (width, height, mobile) in [(390, 844, true), (1280, 800, false)] {
        browser.viewport(width, height, mobile);
        for region in common::BUNDLED_REGIONS {
            browser.goto(&format!(
                "http://127.0.0.1:{}/regions/{region}/",
                server.port
            ));
            assert!(browser.wait_for("return document.readyState === 'complete';"));
            let found = browser.eval(
                "const a = document.querySelector('a[href^=\"#optout-\"]');
                 if (!a) return null;
                 const target = document.getElementById(a.getAttribute('href').slice(1));
                 return [a.getBoundingClientRect().top + window.scrollY, !!target,
                         target && target.querySelector('ol') !== null];",
            );
            let top = found[0].as_f64();
            match top {
                Some(top) if top < 1000.0 && found[1] == true && found[2] == true => {}
                _ => late.push(format!("{width}×{height} {region}: {found}")),
            }
        }
    }
    assert!(
        late.is_empty(),
        "opt-out link missing, below 1,000 px, or not landing on steps:\n{}",
        late.join("\n")
    );
}
