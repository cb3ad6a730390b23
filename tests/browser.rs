//! Browser behaviour, in Debian's headless Chromium: the home page's country finder filters
//! as the reader types, and the page works without its script.

mod common;

use common::{StaticServer, chromium, dump_dom, explainer, fixture, stderr};

/// The `<li>` of the finder whose link text is `country`.
fn finder_item<'d>(dom: &'d str, country: &str) -> &'d str {
    let at = dom
        .find(&format!(">{country}</a>"))
        .unwrap_or_else(|| panic!("{country} not in the finder"));
    let start = dom[..at].rfind("<li").expect("li start");
    &dom[start..at]
}

#[test]
fn country_finder_filters_in_a_real_browser() {
    let Some(chromium) = chromium() else { return };
    let (_tmp, root) = fixture("basic");
    let run = explainer(&["build", "--root", root.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let server = StaticServer::start(&root.join("public"));

    // With a filter: Germany stays, France is hidden, the form is shown.
    let dom = dump_dom(
        &chromium,
        &format!("http://127.0.0.1:{}/?country=germ", server.port),
    );
    assert!(
        dom.contains("id=\"finder-list\""),
        "page did not load:\n{dom}"
    );
    assert!(
        !finder_item(&dom, "Germany").contains("hidden"),
        "Germany must stay visible"
    );
    assert!(
        finder_item(&dom, "France").contains("hidden"),
        "France must be filtered out"
    );
    assert!(
        dom.contains("<form class=\"finder-form\" role=\"search\" action=\"/\" method=\"get\">"),
        "the script reveals the form"
    );
    assert!(
        !dom.contains("id=\"finder-none\" class=\"meta\">"),
        "a match hides the no-match note"
    );

    // Accents and case fold, and a miss shows the note.
    let dom = dump_dom(
        &chromium,
        &format!("http://127.0.0.1:{}/?country=FRANCÉ", server.port),
    );
    assert!(!finder_item(&dom, "France").contains("hidden"));
    let dom = dump_dom(
        &chromium,
        &format!("http://127.0.0.1:{}/?country=atlantis", server.port),
    );
    assert!(finder_item(&dom, "Germany").contains("hidden"));
    assert!(
        dom.contains("id=\"finder-none\" class=\"meta\">"),
        "no match shows the note"
    );
    assert!(
        !finder_item(&dom, "Anywhere else").contains(" hidden"),
        "anywhere else is always shown"
    );
}

#[test]
fn without_javascript_the_full_list_is_in_the_html() {
    let (_tmp, root) = fixture("basic");
    let run = explainer(&["build", "--root", root.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let html = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(html.contains(r#"<a href="/regions/member/">Germany</a>"#));
    assert!(html.contains(r#"<a href="/regions/member/">France</a>"#));
    assert!(html.contains(r#"<a href="/regions/elsewhere/">Anywhere else</a>"#));
    assert!(
        html.contains("role=\"search\" action=\"/\" method=\"get\" hidden>"),
        "no empty search box without the script"
    );
}

#[test]
fn an_open_page_picks_up_edits_and_shows_errors_by_itself() {
    let Some(browser) = common::Browser::start() else {
        return;
    };
    let (_tmp, root) = fixture("basic");
    let serving = common::Serving::start(&root);
    browser.goto(&format!(
        "http://127.0.0.1:{}/articles/intro/",
        serving.port
    ));
    assert!(browser.wait_for("return document.body.innerText.includes('First things')"));
    // Mark this document: a reload replaces it, so the mark disappears.
    browser.eval("window.__before_edit = true; return true;");
    // Wait until the page's event stream is connected before editing.
    assert!(browser.wait_for("return performance.getEntriesByType('resource').some(r => r.name.includes('/__explainer/live.js'))"));
    std::thread::sleep(std::time::Duration::from_millis(300));

    common::edit(
        &root,
        "content/articles/intro.md",
        "## Details",
        "A live edit arrived.\n\n## Details",
    );
    assert!(
        browser.wait_for("return document.body.innerText.includes('A live edit arrived.')"),
        "the open page did not pick up the edit"
    );
    assert_eq!(
        browser.eval("return window.__before_edit === undefined;"),
        true,
        "it reloaded itself"
    );

    // A broken file: the page stays, with an overlay naming the file and line.
    std::thread::sleep(std::time::Duration::from_millis(300));
    common::edit(
        &root,
        "content/facts/regions.yaml",
        "  name: Member Land",
        "  name: [Member Land",
    );
    assert!(
        browser.wait_for("var o = document.getElementById('explainer-error'); return !!o && o.innerText.includes('content/facts/regions.yaml:');"),
        "no error overlay"
    );
    assert!(
        browser.eval("return document.body.innerText.includes('A live edit arrived.');") == true
    );

    // The next good save clears it.
    common::edit(
        &root,
        "content/facts/regions.yaml",
        "  name: [Member Land",
        "  name: Member Land",
    );
    assert!(browser.wait_for(
        "return document.readyState === 'complete' && !document.getElementById('explainer-error');"
    ));
}
