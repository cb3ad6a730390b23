//! Offline search in Debian's headless Chromium over WebDriver: the bundled site's search page
//! finds a word only an article, a claim and a guide contain as the first result (`?q=`
//! links), `static/search.js` tokenises and ranks exactly as `derive::search` does, and the
//! page says search needs JavaScript without it. An ignored test is the 10,000-article bench
//! (README, "Offline search").

mod common;

use common::{Browser, StaticServer, build_into, repo};
use explainer::derive::search;
use explainer::render::search::shard_file;

/// One browser at a time: each test here starts a chromedriver.
static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn browser() -> Option<(std::sync::MutexGuard<'static, ()>, Browser)> {
    let guard = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    Browser::start().map(|b| (guard, b))
}

/// The result links the search page lists once it has answered.
fn results(browser: &Browser) -> Vec<String> {
    assert!(
        browser.wait_for("return document.getElementById('search-status').textContent !== '';"),
        "the search page did not answer"
    );
    let urls = browser.eval(
        "return Array.from(document.querySelectorAll('#search-results li > a')).map(a => a.getAttribute('href'));",
    );
    serde_json::from_value(urls).expect("a list of links")
}

#[test]
fn the_search_page_finds_an_article_a_claim_and_a_guide_first() {
    let Some((_one, browser)) = browser() else {
        return;
    };
    let (_tmp, out, _) = build_into(&repo());
    let server = StaticServer::start(&out);
    // Each word is in one page's text only (grep the bundled output): the article's checklist,
    // a claim's quote, the EU guide's note.
    for (word, url, section) in [
        ("checklist", "/articles/how-to-opt-out/", "Article"),
        ("confuses", "/questions/ads-sharing-regions/", "Question"),
        ("beforehand", "/regions/eu/", "Region guide"),
    ] {
        browser.goto(&format!(
            "http://127.0.0.1:{}/search/?q={word}",
            server.port
        ));
        let found = results(&browser);
        assert_eq!(
            found.first().map(String::as_str),
            Some(url),
            "{word}: {found:?}"
        );
        let shown = browser.eval("return document.querySelector('#search-results li').innerText;");
        assert!(
            shown.as_str().unwrap_or_default().contains(section),
            "{shown}"
        );
        assert_eq!(
            browser.eval("return document.getElementById('search-q').value;"),
            word,
            "the query is in the box"
        );
    }
    // Typing searches too; a miss says so.
    browser.goto(&format!("http://127.0.0.1:{}/search/", server.port));
    browser.type_into("#search-q", "zzzqqq");
    assert!(browser.wait_for(
        "return document.getElementById('search-status').textContent === 'No page matches.';"
    ));
    assert_eq!(
        browser.eval("return document.getElementById('search-nojs').hidden;"),
        true,
        "the no-script note is hidden when the script runs"
    );
}

const STRINGS: [&str; 12] = [
    "Côte d’Ivoire",
    "GROSS Straße Æsir Œuvre",
    "İstanbul ıi Łódź Đakovo",
    "opt-out, opt_out; opt.out",
    "ΣΊΣΥΦΟΣ Ὀδυσσεύς",
    "Москва — ЁЛКА",
    "日本語のテキスト 中文",
    "e\u{301}te\u{301} ﬁne ① ²",
    "tab\tnew\nline  spaces",
    "x1234567890123456789012345678901234 short",
    "😀 emoji 👍🏽 done",
    "",
];

#[test]
fn the_script_tokenises_shards_and_ranks_as_the_index_does() {
    let Some((_one, browser)) = browser() else {
        return;
    };
    let (_tmp, out, _) = build_into(&repo());
    let server = StaticServer::start(&out);
    browser.goto(&format!("http://127.0.0.1:{}/search/", server.port));
    assert!(browser.wait_for("return !!window.explainerSearch;"));
    let js = browser.eval_with(
        "return Array.from(arguments).map(s => { const t = explainerSearch.tokens(s);
           return [t, t.map(w => explainerSearch.shardFile(explainerSearch.shardKey(w, 2)))]; });",
        &STRINGS,
    );
    let rust: Vec<(Vec<String>, Vec<String>)> = STRINGS
        .iter()
        .map(|s| {
            let t = search::tokens(s);
            let f = t
                .iter()
                .map(|w| shard_file(&search::shard_key(w, 2)))
                .collect();
            (t, f)
        })
        .collect();
    assert_eq!(js, serde_json::to_value(&rust).unwrap());

    // Whole result lists agree with `derive::search::query`.
    let built = explainer::pipeline::build(&repo()).unwrap_or_else(|d| panic!("{d:?}"));
    let index = search::index(&built.site, &built.derived);
    for q in [
        "opt out",
        "linkedin data",
        "prof",
        "eu",
        "microsoft ad",
        "Ç",
    ] {
        let want: Vec<&str> = (search::query(&index, q).into_iter())
            .map(|d| index.docs[d].url.as_str())
            .collect();
        let got = browser.eval_async(&format!(
            "var done = arguments[arguments.length - 1], S = explainerSearch;
             S.search({q:?}).then(r => S.docs(r.meta, r.hits.map(h => h[0])))
               .then(d => done(d.map(x => x[1])), e => done(String(e)));"
        ));
        assert_eq!(got, serde_json::to_value(&want).unwrap(), "{q}");
    }
}

#[test]
fn without_javascript_the_page_says_so_and_links_the_lists() {
    let (_tmp, out, _) = build_into(&repo());
    let html = std::fs::read_to_string(out.join("search/index.html")).unwrap();
    assert!(html.contains("<p id=\"search-nojs\">Search needs JavaScript"));
    for list in [
        "/articles/",
        "/regions/",
        "/categories/",
        "/sources/",
        "/questions/",
    ] {
        assert!(html.contains(&format!("href=\"{list}\"")), "{list}");
    }
    assert!(
        html.contains("method=\"get\" hidden>"),
        "no dead form without the script"
    );
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("<a href=\"/search/\">Search</a>"),
        "the header links it"
    );
}
