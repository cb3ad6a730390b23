//! Helpers for the behaviour tests: fixture sites in temp folders, the real binary, and
//! snapshots of output folders.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use walkdir::WalkDir;

pub mod axe;
pub mod finder_cases;

/// The bundled site's regions, in file order.
pub const BUNDLED_REGIONS: [&str; 11] = [
    "eu",
    "eea",
    "uk",
    "ch",
    "ca",
    "hk",
    "us",
    "in",
    "au",
    "jp",
    "rest-of-world",
];

/// The repository root (where the bundled `content/` lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `tests/fixtures/NAME` in a fresh temp folder; the folder lives as long as the guard.
pub fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures").join(name), &root);
    (tmp, root)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in WalkDir::new(from) {
        let e = e.expect("walk fixture");
        let target = to.join(e.path().strip_prefix(from).expect("inside"));
        if e.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// Runs `git ARGS` in `root`, isolated from the machine's git configuration, as of `date`
/// (the author's and committer's, e.g. `2026-03-02T10:00:00Z`).
pub fn git_at(root: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Editor",
            "-c",
            "user.email=editor@example.org",
        ])
        .args(args)
        .current_dir(root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

/// Commits everything in `root` with `message`, as of `date`.
pub fn commit_at(root: &Path, message: &str, date: &str) {
    git_at(root, &["add", "-A"], date);
    git_at(root, &["commit", "-q", "-m", message], date);
}

/// The fixture `basic` in a git repository: the first commit ("Initial facts"), then three
/// fact changes (a status, a claim, an opt-out step) and one wording change, one commit each,
/// made on `dates` in that order.
pub fn fact_history(dates: &[&str; 5]) -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = fixture("basic");
    // The claim added below makes the sources unanimous: the lower confidence needs a reason.
    edit(
        &root,
        "content/facts/questions.yaml",
        "    confidence: medium\n- id: data",
        "    confidence: medium\n    confidence_reason: Two sources are few.\n- id: data",
    );
    git_at(&root, &["init", "-q", "-b", "main"], dates[0]);
    commit_at(&root, "Initial facts", dates[0]);
    let regions = "content/facts/regions.yaml";
    edit(
        &root,
        regions,
        "      state: unclear\n",
        "      state: applies\n      since: 2025-11-03\n",
    );
    commit_at(&root, "Training applies everywhere from November", dates[1]);
    let claims = "content/facts/claims.yaml";
    let claim = "- question: undo\n  source: blog\n  value: It cannot be undone.\n  \
                 quote: \"Opting out stops future training only.\"\n  stance: agrees\n";
    let text = fs::read_to_string(root.join(claims)).expect("claims");
    fs::write(root.join(claims), format!("{text}{claim}")).expect("write claims");
    commit_at(&root, "The blog on undoing", dates[2]);
    edit(
        &root,
        "content/facts/optouts.yaml",
        "desktop: [Open settings, Switch it off]",
        "desktop: [Open settings, Privacy, Switch it off]",
    );
    commit_at(&root, "A new step on desktop", dates[3]);
    edit(
        &root,
        regions,
        "Inherits from [the group]",
        "Takes its status from [the group]",
    );
    commit_at(&root, "Reword the member's notes", dates[4]);
    (tmp, root)
}

/// Runs the `explainer` binary with `args`.
pub fn explainer(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(args)
        .output()
        .expect("run explainer")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every file under `dir`, relative path → bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Replaces `from` (which must occur) by `to` in `root/rel`.
pub fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).expect("read file to edit");
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write edit");
}

/// A tiny static file server on 127.0.0.1 for browser tests: serves `dir` with clean URLs
/// until the returned guard is dropped.
pub struct StaticServer {
    pub port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl StaticServer {
    pub fn start(dir: &Path) -> StaticServer {
        use std::io::{BufRead, BufReader, Write};
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (dir, flag) = (dir.to_path_buf(), stop.clone());
        std::thread::spawn(move || {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
            while !flag.load(Ordering::Relaxed) && std::time::Instant::now() < deadline {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    continue;
                };
                let _ = stream.set_nonblocking(false);
                let mut line = String::new();
                if BufReader::new(&stream).read_line(&mut line).is_err() {
                    continue;
                }
                let target = line.split_whitespace().nth(1).unwrap_or("/");
                let path = target
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("/")
                    .trim_start_matches('/');
                let mut file = dir.join(path);
                if file.is_dir() {
                    file = file.join("index.html");
                }
                let (status, body) = match fs::read(&file) {
                    Ok(b) => ("200 OK", b),
                    Err(_) => (
                        "404 Not Found",
                        fs::read(dir.join("404.html")).unwrap_or_default(),
                    ),
                };
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("css") => "text/css",
                    Some("js") => "text/javascript",
                    Some("json") => "application/json",
                    _ => "text/html; charset=utf-8",
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        StaticServer { port, stop }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Debian's Chromium, if installed. When it is missing, browser tests are skipped, unless
/// `CI` or `EXPLAINER_REQUIRE_BROWSER` is set: then they fail.
pub fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() {
        let required = std::env::var_os("CI").is_some()
            || std::env::var_os("EXPLAINER_REQUIRE_BROWSER").is_some();
        assert!(
            !required,
            "Chromium is required here (CI): apt-get install chromium"
        );
        eprintln!("skipping browser test: chromium not installed");
    }
    found
}

/// Loads `url` in headless Chromium and returns the DOM after scripts ran.
pub fn dump_dom(chromium: &Path, url: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `GET path` on 127.0.0.1:port: (status code, body).
pub fn http_get(port: u16, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    let status = raw
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A running `explainer serve` child, killed on drop, with its server-sent events.
pub struct Serving {
    pub port: u16,
    child: std::process::Child,
    pub events: std::sync::mpsc::Receiver<(String, String)>,
    pub stdout: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Serving {
    /// Starts `explainer serve --port 0` on `root` and subscribes to its events.
    pub fn start(root: &Path) -> Serving {
        Serving::start_on(root, 0)
    }

    /// Starts `explainer serve --port PORT` on `root` and subscribes to its events.
    pub fn start_on(root: &Path, port: u16) -> Serving {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new(env!("CARGO_BIN_EXE_explainer"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let stdout = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let port = loop {
            let line = lines
                .next()
                .expect("serve printed its address")
                .expect("line");
            stdout.lock().unwrap().push_str(&format!("{line}\n"));
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                break rest
                    .trim_end_matches(|c: char| !c.is_ascii_digit())
                    .split('/')
                    .next()
                    .unwrap()
                    .parse()
                    .expect("port");
            }
        };
        let sink = stdout.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let (tx, events) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::Write;
            let mut stream =
                std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect events");
            write!(
                stream,
                "GET /__explainer/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
            )
            .expect("send");
            let (mut event, mut data) = (String::new(), String::new());
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                    data.push('\n');
                } else if line.is_empty()
                    && !event.is_empty()
                    && tx
                        .send((std::mem::take(&mut event), std::mem::take(&mut data)))
                        .is_err()
                {
                    return;
                }
            }
        });
        let serving = Serving {
            port,
            child,
            events,
            stdout,
        };
        serving.expect_event("hello");
        serving
    }

    /// Waits (up to 15 s) for an event named `name`, skipping others; returns its data.
    pub fn expect_event(&self, name: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.events.recv_timeout(left) {
                Ok((event, data)) if event == name => return data,
                Ok(_) => continue,
                Err(_) => panic!(
                    "no `{name}` event; serve printed:\n{}",
                    self.stdout.lock().unwrap()
                ),
            }
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium driven over WebDriver (Debian's `chromium-driver`), for tests where
/// the page must keep running while the test acts on the files. Quits on drop.
pub struct Browser {
    driver: std::process::Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

fn webdriver(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> serde_json::Value {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut stream =
        std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect chromedriver");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .expect("timeout");
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    // chromedriver may keep the connection open: read exactly Content-Length bytes.
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut json = vec![0; length];
    let _ = reader.read_exact(&mut json);
    serde_json::from_slice(&json).unwrap_or(serde_json::Value::Null)
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session, if both are installed (see
    /// `chromium`: missing is a failure under CI).
    pub fn start() -> Option<Browser> {
        let chromium = chromium()?;
        let driver_path = PathBuf::from("/usr/bin/chromedriver");
        if !driver_path.exists() {
            let required = std::env::var_os("CI").is_some()
                || std::env::var_os("EXPLAINER_REQUIRE_BROWSER").is_some();
            assert!(
                !required,
                "chromedriver is required here (CI): apt-get install chromium-driver"
            );
            eprintln!("skipping browser test: chromium-driver not installed");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "chromedriver did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().expect("profile");
        let caps = serde_json::json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--no-first-run",
                         format!("--user-data-dir={}", profile.path().display())],
            },
        }}});
        let created = webdriver(port, "POST", "/session", Some(&caps));
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        Some(Browser {
            driver,
            port,
            session,
            _profile: profile,
        })
    }

    pub fn goto(&self, url: &str) {
        webdriver(
            self.port,
            "POST",
            &format!("/session/{}/url", self.session),
            Some(&serde_json::json!({ "url": url })),
        );
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub fn eval(&self, script: &str) -> serde_json::Value {
        let r = webdriver(
            self.port,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(&serde_json::json!({ "script": script, "args": [] })),
        );
        r["value"].clone()
    }

    /// Types `text` into the first element `css` selects, key by key, as a reader would
    /// (WebDriver keys: `\u{E007}` Enter, `\u{E015}` ArrowDown, `\u{E013}` ArrowUp).
    pub fn type_into(&self, css: &str, text: &str) {
        let found = webdriver(
            self.port,
            "POST",
            &format!("/session/{}/element", self.session),
            Some(&serde_json::json!({ "using": "css selector", "value": css })),
        );
        let element = found["value"]
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_string();
        webdriver(
            self.port,
            "POST",
            &format!("/session/{}/element/{element}/value", self.session),
            Some(&serde_json::json!({ "text": text })),
        );
    }

    /// Runs `script` (a function body) with `args` as `arguments` and returns its value.
    pub fn eval_with(&self, script: &str, args: &[&str]) -> serde_json::Value {
        let r = webdriver(
            self.port,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(&serde_json::json!({ "script": script, "args": args })),
        );
        r["value"].clone()
    }

    /// Runs `script` (a function body that calls `arguments[0]` with its result, the last
    /// argument WebDriver passes) in the page and returns what it passed.
    pub fn eval_async(&self, script: &str) -> serde_json::Value {
        let r = webdriver(
            self.port,
            "POST",
            &format!("/session/{}/execute/async", self.session),
            Some(&serde_json::json!({ "script": script, "args": [] })),
        );
        r["value"].clone()
    }

    /// Sends a Chrome DevTools Protocol command through chromedriver.
    pub fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        webdriver(
            self.port,
            "POST",
            &format!("/session/{}/goog/cdp/execute", self.session),
            Some(&serde_json::json!({ "cmd": cmd, "params": params })),
        )
    }

    /// Emulates the reader's `prefers-color-scheme` (`light` or `dark`) for this session.
    pub fn color_scheme(&self, scheme: &str) {
        let r = self.cdp(
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        assert!(r["value"].is_object(), "cannot emulate {scheme}: {r}");
    }

    /// Emulates a viewport of `width`×`height` CSS pixels (a phone when `mobile`).
    pub fn viewport(&self, width: u32, height: u32, mobile: bool) {
        let r = self.cdp(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        );
        assert!(r["value"].is_object(), "cannot set the viewport: {r}");
    }

    /// Polls `script` until it returns true (up to 15 s).
    pub fn wait_for(&self, script: &str) -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while std::time::Instant::now() < deadline {
            if self.eval(script) == serde_json::Value::Bool(true) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        webdriver(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Builds the site at `root` with the real binary into a fresh temp folder; asserts success.
/// Returns the folder's guard, the output path, and what the command printed.
pub fn build_into(root: &Path) -> (tempfile::TempDir, PathBuf, Output) {
    build_into_with(root, &[])
}

/// `build_into` with more arguments (`--no-history`, `--base-url URL`, …).
pub fn build_into_with(root: &Path, more: &[&str]) -> (tempfile::TempDir, PathBuf, Output) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
    ];
    args.extend(more);
    let run = explainer(&args);
    assert!(run.status.success(), "{}", stderr(&run));
    (tmp, out, run)
}

/// The text of a PDF by `pdftotext` (with `-layout` when `layout`), one string per page;
/// `None` when poppler-utils is not installed (a failure instead under CI or
/// `EXPLAINER_REQUIRE_BROWSER`).
pub fn pdf_pages(pdf: &Path, layout: bool) -> Option<Vec<String>> {
    let mut cmd = Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    match cmd.arg(pdf).arg("-").output() {
        Ok(run) => {
            assert!(
                run.status.success(),
                "pdftotext failed on {}",
                pdf.display()
            );
            let text = String::from_utf8_lossy(&run.stdout).into_owned();
            let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
            if pages.last().is_some_and(|p| p.trim().is_empty()) {
                pages.pop();
            }
            Some(pages)
        }
        Err(e) => {
            let required = std::env::var_os("CI").is_some()
                || std::env::var_os("EXPLAINER_REQUIRE_BROWSER").is_some();
            assert!(
                !required,
                "pdftotext is required here: apt-get install poppler-utils ({e})"
            );
            eprintln!("skipping the PDF text check: pdftotext not installed");
            None
        }
    }
}
