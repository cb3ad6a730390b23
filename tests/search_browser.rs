//! Offline search in headless Chromium: an article, a claim and a guide each first for a word
//! only it has (`?q=` links), the script tokenising and ranking as `derive::search` does,
//! serve, the page without JavaScript, and (ignored) the README's 10,000-article bench.

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
        ("leverage", "/questions/effective-date/", "Question"),
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

/// `serve` holds the index in memory like the pages, and an article edit reaches it.
#[test]
fn search_works_from_serve_and_follows_edits() {
    let Some((_one, browser)) = browser() else {
        return;
    };
    let (_tmp, root) = common::fixture("basic");
    let serving = common::Serving::start(&root);
    browser.goto(&format!(
        "http://127.0.0.1:{}/search/?q=first",
        serving.port
    ));
    assert!(!results(&browser).is_empty(), "serve answers a search");
    common::edit(
        &root,
        "content/articles/intro.md",
        "## Details",
        "A quixotically rare word.\n\n## Details",
    );
    serving.expect_event("reload");
    browser.goto(&format!(
        "http://127.0.0.1:{}/search/?q=quixotic",
        serving.port
    ));
    assert_eq!(
        results(&browser),
        ["/articles/intro/"],
        "the edit is in the index"
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

/// Median and max of some milliseconds.
fn median_max(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], ms[ms.len() - 1])
}

/// The search bench (README, "Offline search"): `SEARCH_BENCH_SITE=DIR cargo test --release
/// --test search_browser -- --ignored --nocapture`, DIR a built site. Per query, from a fresh
/// page with the HTTP cache off: the first search (loading meta.json, the query's shards and
/// the shown pages' chunks, then ranking) and the same search again (index in memory).
#[test]
#[ignore]
fn bench_search_in_chromium() {
    let site = std::env::var("SEARCH_BENCH_SITE").expect("SEARCH_BENCH_SITE=built site folder");
    let browser = Browser::start().expect("chromium and chromedriver");
    let server = StaticServer::start(std::path::Path::new(&site));
    browser.cdp("Network.enable", serde_json::json!({}));
    browser.cdp(
        "Network.setCacheDisabled",
        serde_json::json!({ "cacheDisabled": true }),
    );
    let queries = [
        "data",
        "opt out",
        "regulator dead",
        "article 4242",
        "consent hist",
        "p",
    ];
    let (mut first, mut again) = (Vec::new(), Vec::new());
    for q in queries {
        for _ in 0..5 {
            browser.goto(&format!("http://127.0.0.1:{}/search/", server.port));
            assert!(browser.wait_for("return !!window.explainerSearch;"));
            let r = browser.eval_async(&format!(
                "var done = arguments[arguments.length - 1], S = explainerSearch, t = [];
                 function run() {{
                   var t0 = performance.now();
                   return S.search({q:?}).then(r => S.docs(r.meta, r.hits.slice(0, 20).map(h => h[0]))
                     .then(d => {{ t.push(performance.now() - t0); return [r.hits.length, d[0] && d[0][1]]; }}));
                 }}
                 run().then(() => run()).then(h => done({{ first: t[0], again: t[1], hits: h[0], top: h[1],
                   bytes: performance.getEntriesByType('resource').filter(e => e.name.includes('/search/'))
                     .reduce((n, e) => n + e.encodedBodySize, 0) }}), e => done(String(e)));"
            ));
            let ms = |k: &str| r[k].as_f64().unwrap_or_else(|| panic!("{q}: {r}"));
            first.push((q, ms("first"), r["bytes"].as_u64().unwrap_or(0)));
            again.push((q, ms("again")));
            println!(
                "{q:>16}: first {:7.1} ms, again {:5.1} ms, {} hits, {} bytes, top {}",
                ms("first"),
                ms("again"),
                r["hits"],
                r["bytes"],
                r["top"]
            );
        }
    }
    let (fm, fx) = median_max(first.iter().map(|x| x.1).collect());
    let (am, ax) = median_max(again.iter().map(|x| x.1).collect());
    let (bm, bx) = median_max(first.iter().map(|x| x.2 as f64).collect());
    println!("first search (load + query): median {fm:.1} ms, max {fx:.1} ms");
    println!("again (index in memory):     median {am:.1} ms, max {ax:.1} ms");
    println!("bytes loaded by a first search: median {bm:.0}, max {bx:.0}");
}
