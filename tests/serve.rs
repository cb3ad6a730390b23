//! `explainer serve` over a temp copy of a site: edits show up and send a reload event; a
//! broken file keeps the last good site served and sends the error; deletes and renames work.

mod common;

use std::fs;

use common::{Serving, edit, fixture, http_get};

#[test]
fn serves_clean_urls_types_and_the_404_page() {
    let (_tmp, root) = fixture("basic");
    let s = Serving::start(&root);
    let (status, home) = http_get(s.port, "/");
    assert_eq!(status, 200);
    assert!(
        home.contains("<script src=\"/__explainer/live.js\"></script></body>"),
        "live reload is injected"
    );
    assert_eq!(http_get(s.port, "/regions/member").0, 301);
    let (status, css) = http_get(s.port, "/style.css");
    assert_eq!(status, 200);
    assert!(!css.contains("live.js"));
    let (status, missing) = http_get(s.port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        missing.contains("Page not found"),
        "the site's own 404 page"
    );
    assert_eq!(http_get(s.port, "/__explainer/live.js").0, 200);
}

#[test]
fn edits_errors_recovery_deletes_and_renames() {
    let (_tmp, root) = fixture("basic");
    let s = Serving::start(&root);

    // An article edit is served after a reload event.
    edit(
        &root,
        "content/articles/intro.md",
        "## Details",
        "Freshly edited sentence.\n\n## Details",
    );
    s.expect_event("reload");
    assert!(
        http_get(s.port, "/articles/intro/")
            .1
            .contains("Freshly edited sentence.")
    );

    // A broken YAML file: an error event naming the file; the last good site stays served.
    edit(
        &root,
        "content/facts/regions.yaml",
        "  name: Member Land",
        "  name: [Member Land",
    );
    let error = s.expect_event("build-error");
    assert!(error.contains("content/facts/regions.yaml:"), "{error}");
    let (status, page) = http_get(s.port, "/articles/intro/");
    assert_eq!(status, 200);
    assert!(page.contains("Freshly edited sentence."));

    // Fixing it recovers.
    edit(
        &root,
        "content/facts/regions.yaml",
        "  name: [Member Land",
        "  name: Member Land Again",
    );
    s.expect_event("reload");
    assert!(
        http_get(s.port, "/regions/member/")
            .1
            .contains("Member Land Again")
    );

    // Deleting an article removes its page.
    fs::remove_file(root.join("content/articles/intro.md")).unwrap();
    s.expect_event("reload");
    assert_eq!(http_get(s.port, "/articles/intro/").0, 404);

    // An editor's atomic save: write a scratch file, rename it over the target.
    let scratch = root.join("content/articles/.later.md.tmp");
    fs::write(
        &scratch,
        "---\ntitle: Later\ndate: 2026-03-09\n---\nWritten later.\n",
    )
    .unwrap();
    fs::rename(&scratch, root.join("content/articles/later.md")).unwrap();
    s.expect_event("reload");
    assert!(
        http_get(s.port, "/articles/later/")
            .1
            .contains("Written later.")
    );

    // Renaming it moves the page.
    fs::rename(
        root.join("content/articles/later.md"),
        root.join("content/articles/renamed.md"),
    )
    .unwrap();
    s.expect_event("reload");
    assert_eq!(http_get(s.port, "/articles/later/").0, 404);
    assert_eq!(http_get(s.port, "/articles/renamed/").0, 200);

    let log = s.stdout.lock().unwrap().clone();
    assert!(
        log.contains("content/articles/intro.md changed: 1 pages re-rendered (incremental) in "),
        "{log}"
    );
    assert!(log.contains("build failed"), "{log}");
}

#[test]
fn a_css_edit_swaps_the_stylesheet_without_a_reload() {
    let (_tmp, root) = fixture("basic");
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/style.css"), "body { color: red }").unwrap();
    let s = Serving::start(&root);
    fs::write(root.join("static/style.css"), "body { color: blue }").unwrap();
    s.expect_event("css");
    assert_eq!(http_get(s.port, "/style.css").1, "body { color: blue }");
}

#[test]
fn a_taken_port_moves_to_the_next_free_one_with_a_message() {
    let (_tmp, root) = fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let s = Serving::start_on(&root, port);
    assert_ne!(s.port, port);
    let log = s.stdout.lock().unwrap().clone();
    assert!(
        log.contains(&format!("port {port} is taken; using {}", s.port)),
        "{log}"
    );
    assert_eq!(http_get(s.port, "/").0, 200);
}

/// Sends `request` (CRLF line ends, ending in a blank line) and reads the status line and
/// headers; for a closed response, the body too. Returns the status, the head and body read,
/// and the still-open stream.
fn request(port: u16, request: &str) -> (u16, String, std::net::TcpStream) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("send");
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => raw.push(byte[0]),
            _ => break,
        }
    }
    let mut text = String::from_utf8_lossy(&raw).into_owned();
    if text.to_ascii_lowercase().contains("connection: close") {
        let _ = stream.read_to_string(&mut text);
    }
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text, stream)
}

fn get(port: u16, path: &str, host: &str, extra: &str) -> (u16, String, std::net::TcpStream) {
    request(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n"),
    )
}

#[test]
fn a_wrong_host_or_a_foreign_origin_is_refused() {
    let (_tmp, root) = fixture("basic");
    let s = Serving::start(&root);
    let me = format!("localhost:{}", s.port);
    let ip = format!("127.0.0.1:{}", s.port);

    // A DNS-rebinding page names its own host: 421 on pages and on the event stream.
    for path in ["/", "/articles/intro/", "/__explainer/events"] {
        let (status, text, _) = get(s.port, path, &format!("evil.example:{}", s.port), "");
        assert_eq!(status, 421, "{path}: {text}");
        assert!(text.contains("does not answer to the Host"), "{text}");
    }
    assert_eq!(get(s.port, "/", "localhost:1", "").0, 421, "another port");
    assert_eq!(get(s.port, "/", &ip, "Connection: close\r\n").0, 200);

    // A page of another origin may not read the event stream (nor pages).
    let evil = "Origin: http://evil.example\r\n";
    let (status, text, _) = get(s.port, "/__explainer/events", &me, evil);
    assert_eq!(status, 403, "{text}");
    assert_eq!(get(s.port, "/", &me, evil).0, 403);
    let same = format!("Origin: http://{me}\r\n");
    assert_eq!(get(s.port, "/__explainer/events", &me, &same).0, 200);
}

#[test]
fn live_reload_clients_are_capped_and_slots_come_back() {
    use explainer::commands::serve::MAX_LIVE_CLIENTS;
    let (_tmp, root) = fixture("basic");
    let s = Serving::start(&root); // Holds one slot itself.
    let me = format!("localhost:{}", s.port);
    let mut open: Vec<std::net::TcpStream> = (1..MAX_LIVE_CLIENTS)
        .map(|i| {
            let (status, text, stream) = get(s.port, "/__explainer/events", &me, "");
            assert_eq!(status, 200, "client {i}: {text}");
            stream
        })
        .collect();
    for _ in 0..3 {
        let (status, text, _) = get(s.port, "/__explainer/events", &me, "");
        assert_eq!(status, 503, "{text}");
        assert!(
            text.to_ascii_lowercase().contains("retry-after: 5"),
            "{text}"
        );
        assert!(text.contains("too many live-reload clients"), "{text}");
    }
    // Pages are still served meanwhile.
    assert_eq!(http_get(s.port, "/").0, 200);

    // Closing clients frees their slots.
    open.truncate(open.len() - 2);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (status, _, stream) = get(s.port, "/__explainer/events", &me, "");
        if status == 200 {
            open.push(stream);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no slot came back");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (status, _, second) = get(s.port, "/__explainer/events", &me, "");
    assert_eq!(status, 200);
    assert_eq!(get(s.port, "/__explainer/events", &me, "").0, 503);
    drop((open, second));
}

#[test]
fn a_new_folder_named_with_digits_is_content() {
    let (_tmp, root) = fixture("basic");
    let s = Serving::start(&root);
    let dir = root.join("content/articles/2024");
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("new-year.md"),
        "---\ntitle: New year\ndate: 2026-03-09\n---\nWritten in a dated folder.\n",
    )
    .unwrap();
    s.expect_event("reload");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let (status, page) = http_get(s.port, "/articles/new-year/");
        if status == 200 {
            assert!(page.contains("Written in a dated folder."), "{page}");
            break;
        }
        // The folder's event may come before the file's: wait for the next reload.
        assert!(
            std::time::Instant::now() < deadline,
            "never served: {status}"
        );
        s.expect_event("reload");
    }
}
