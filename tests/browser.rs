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

/// Sets the finder's query as typing does and returns the ids of the listed options, in
/// order, and the active one.
const QUERY: &str = "var input = document.getElementById('finder-filter');
    input.value = arguments[0];
    input.dispatchEvent(new Event('input'));
    var ids = Array.prototype.filter.call(document.getElementById('finder-list').children,
        function (li) { return !li.hidden && li.hasAttribute('data-terms'); })
      .map(function (li) { return li.id; });
    return [ids, input.getAttribute('aria-activedescendant')];";

#[test]
fn the_finder_ranks_as_the_rust_ranking_and_enter_opens_the_guide() {
    use common::finder_cases::CASES;
    let Some(browser) = common::Browser::start() else {
        return;
    };
    let (_tmp, out, _) = common::build_into(&common::repo());
    let server = StaticServer::start(&out);
    let home = format!("http://127.0.0.1:{}/", server.port);
    let built = explainer::pipeline::build(&common::repo()).unwrap_or_else(|d| panic!("{d:?}"));
    let found = &built.derived.finder;

    // finder.js lists exactly what the Rust ranking lists, in the same order, for every query,
    // and its best match (the active option) is the table's.
    browser.goto(&home);
    assert!(browser.wait_for("return !document.querySelector('.finder-form').hidden"));
    let mut queries: Vec<&str> = CASES.iter().map(|(q, _, _)| *q).collect();
    queries.extend(["", "a", "united", "states", "island", "zzqx", "é"]);
    for query in queries {
        let got = browser.eval_with(QUERY, &[query]);
        let want: Vec<String> = (explainer::derive::finder::rank(query, found).iter())
            .map(|f| format!("country-{}", f.country.code))
            .collect();
        assert_eq!(
            got[0],
            serde_json::json!(want),
            "{query:?}: JS and Rust disagree"
        );
        let best = explainer::derive::finder::best(query, found);
        let active = best.map(|f| format!("country-{}", f.country.code));
        assert_eq!(
            got[1],
            serde_json::json!(active),
            "{query:?}: active option"
        );
    }
    for (query, code, _) in CASES {
        let got = browser.eval_with(QUERY, &[query]);
        assert_eq!(
            got[1],
            serde_json::json!(format!("country-{code}")),
            "{query:?}"
        );
    }

    // Typed key by key, Enter opens the best match's guide.
    for (query, url) in [
        ("US", "/regions/us/"),
        ("England", "/regions/uk/"),
        ("Schweiz", "/regions/ch/"),
        ("Brasil", "/regions/rest-of-world/"),
        ("côte d'ivoire", "/regions/rest-of-world/"),
        ("IN", "/regions/in/"),
    ] {
        browser.goto(&home);
        assert!(browser.wait_for("return !document.querySelector('.finder-form').hidden"));
        browser.type_into("#finder-filter", &format!("{query}\u{E007}"));
        assert!(
            browser.wait_for(&format!("return location.pathname === '{url}';")),
            "{query} + Enter did not open {url}: at {}",
            browser.eval("return location.href;")
        );
    }
}

#[test]
fn the_finder_is_a_combobox_the_arrow_keys_move_through() {
    let Some(browser) = common::Browser::start() else {
        return;
    };
    let (_tmp, out, _) = common::build_into(&common::repo());
    let server = StaticServer::start(&out);
    browser.goto(&format!("http://127.0.0.1:{}/", server.port));
    assert!(browser.wait_for("return !document.querySelector('.finder-form').hidden"));

    // The WAI-ARIA combobox pattern: a labelled combobox controlling a listbox of options.
    let aria = browser.eval(
        "var i = document.getElementById('finder-filter'), l = document.getElementById('finder-list');
         return [i.getAttribute('role'), i.getAttribute('aria-controls'), i.labels.length,
                 l.getAttribute('role'), l.querySelectorAll('li[role=option]').length ===
                 l.querySelectorAll('li').length, document.getElementById(l.getAttribute('aria-labelledby')).textContent];",
    );
    assert_eq!(
        aria,
        serde_json::json!(["combobox", "finder-list", 1, "listbox", true, "Country"])
    );
    // The placeholder is not cut off.
    let fits = browser.eval(
        "var i = document.getElementById('finder-filter'), s = getComputedStyle(i);
         var c = document.createElement('canvas').getContext('2d'); c.font = s.font;
         var room = i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
         return [c.measureText(i.placeholder).width <= room, i.placeholder, room];",
    );
    assert_eq!(fits[0], true, "placeholder cut off: {fits}");

    // Typing makes the best match active; ArrowDown and ArrowUp move through the list, in
    // the Rust ranking's order.
    let built = explainer::pipeline::build(&common::repo()).unwrap_or_else(|d| panic!("{d:?}"));
    let ranked = explainer::derive::finder::rank("united", &built.derived.finder);
    let id = |i: usize| format!("country-{}", ranked[i].country.code);
    assert!(ranked.len() >= 4, "several countries match `united`");
    let active =
        "return document.getElementById('finder-filter').getAttribute('aria-activedescendant');";
    browser.type_into("#finder-filter", "united");
    assert!(browser.wait_for(
        "return document.getElementById('finder-filter').getAttribute('aria-expanded') === 'true';"
    ));
    assert_eq!(browser.eval(active), id(0), "the best match is active");
    browser.type_into("#finder-filter", "\u{E015}");
    assert_eq!(browser.eval(active), id(1), "down");
    assert_eq!(
        browser.eval(&format!(
            "return document.getElementById('{}').getAttribute('aria-selected');",
            id(1)
        )),
        "true"
    );
    browser.type_into("#finder-filter", "\u{E015}\u{E015}\u{E013}");
    assert_eq!(browser.eval(active), id(2), "down, down, up");
    browser.type_into("#finder-filter", "\u{E007}");
    let url = &ranked[2].url;
    assert!(
        browser.wait_for(&format!("return location.pathname === '{url}';")),
        "Enter opens the active option"
    );

    // A shared `?country=` link pre-fills and ranks.
    browser.goto(&format!(
        "http://127.0.0.1:{}/?country=Deutschland",
        server.port
    ));
    assert!(browser.wait_for(
        "return document.getElementById('finder-filter').value === 'Deutschland' && document.getElementById('finder-filter').getAttribute('aria-activedescendant') === 'country-DE';"
    ));
}
