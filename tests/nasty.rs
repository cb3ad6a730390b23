//! Nasty inputs (`tests/nasty/`, and large ones made here) in a copy of the fixture site:
//! `check` and `build` with the real binary must end within time and memory bounds, with a
//! located error (exit 1) or a correct page (exit 0), never a panic, abort or kill.
//!
//! Bounds: 2 s and 200 MB per run for a release build (`cargo test --release --test nasty`,
//! see `scripts/nasty-release.sh`); a debug build gets 20 s (`NASTY_MAX_SECONDS`,
//! `NASTY_MAX_RSS_MB` override). Every run prints `nasty: NAME COMMAND exit … s … MB`.

#![cfg(unix)]

mod common;

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a run ended with.
struct Run {
    /// Exit code, or `None` when a signal ended it.
    code: Option<i32>,
    signal: Option<i32>,
    stdout: String,
    stderr: String,
    seconds: f64,
    peak_rss_mb: f64,
}

/// The peak resident set (kB) of a running process, from `/proc/PID/status`.
fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn bound_seconds() -> f64 {
    let default = if cfg!(debug_assertions) { 20.0 } else { 2.0 };
    env_f64("NASTY_MAX_SECONDS").unwrap_or(default)
}

fn bound_rss_mb() -> f64 {
    env_f64("NASTY_MAX_RSS_MB").unwrap_or(200.0)
}

fn env_f64(name: &str) -> Option<f64> {
    std::env::var(name).ok()?.parse().ok()
}

/// Runs the binary with `args`, killing it past twice the time bound. Peak RSS is the
/// child's `VmHWM`, polled every millisecond until it exits (getrusage's `ru_maxrss` would
/// count this test process's memory too: a forked child starts from the parent's high-water mark).
fn run(args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_explainer"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start explainer");
    let pid = child.id();
    let read = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = r.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let out = read(Box::new(child.stdout.take().expect("stdout")));
    let err = read(Box::new(child.stderr.take().expect("stderr")));
    let start = Instant::now();
    let kill_after = Duration::from_secs_f64(bound_seconds() * 2.0);
    let (mut killed, mut peak_kb) = (false, 0);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for explainer") {
            break status;
        }
        peak_kb = peak_kb.max(vm_hwm_kb(pid).unwrap_or(0));
        if !killed && start.elapsed() > kill_after {
            let _ = child.kill();
            killed = true;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let seconds = start.elapsed().as_secs_f64();
    Run {
        code: status.code(),
        signal: status.signal(),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        seconds,
        peak_rss_mb: peak_kb as f64 / 1024.0,
    }
}

/// What a case must end in.
enum Expect {
    /// Exit 1 with a diagnostic at a location in this file (`--> FILE:LINE:COL`).
    ErrorIn(&'static str),
    /// Exit 0, and the built `FILE` contains `TEXT`.
    Page(&'static str, &'static str),
    /// Either of the two (for inputs that a size cap may refuse).
    PageOrErrorIn(&'static str, &'static str, &'static str),
}

/// Puts `files` (site-relative path, bytes) into a copy of the fixture site, runs `check`
/// and `build`, and checks bounds and outcome.
fn case(name: &str, files: &[(&str, Vec<u8>)], expect: Expect) {
    let expect = &expect;
    let (tmp, root) = common::fixture("basic");
    for (rel, bytes) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write nasty input");
    }
    let site = root.to_str().expect("utf-8 path");
    let out = tmp.path().join("public");
    let out = out.to_str().expect("utf-8 path");
    for (command, args) in [
        ("check", vec!["check", "--root", site]),
        ("build", vec!["build", "--root", site, "--out", out]),
    ] {
        let r = run(&args);
        println!(
            "nasty: {name:<28} {command:<5} exit {:<4} {:>6.2} s {:>7.1} MB",
            r.code.map_or_else(
                || format!("sig{}", r.signal.unwrap_or(0)),
                |c| c.to_string()
            ),
            r.seconds,
            r.peak_rss_mb
        );
        let context = format!("{name} {command}: stderr:\n{}", tail(&r.stderr));
        assert!(
            r.signal.is_none(),
            "killed by signal {:?}; {context}",
            r.signal
        );
        assert_ne!(r.code, Some(101), "panicked; {context}");
        assert!(!r.stderr.contains("panicked at"), "panicked; {context}");
        assert!(
            r.seconds <= bound_seconds(),
            "took {:.2} s; {context}",
            r.seconds
        );
        assert!(
            r.peak_rss_mb <= bound_rss_mb(),
            "peak RSS {:.0} MB; {context}",
            r.peak_rss_mb
        );
        let expect = match *expect {
            Expect::PageOrErrorIn(_, _, file) if r.code == Some(1) => &Expect::ErrorIn(file),
            Expect::PageOrErrorIn(page, text, _) => &Expect::Page(page, text),
            ref other => other,
        };
        match &expect {
            Expect::PageOrErrorIn(..) => unreachable!("resolved above"),
            Expect::ErrorIn(file) => {
                assert_eq!(r.code, Some(1), "expected a located error; {context}");
                assert!(
                    located_in(&r.stderr, file),
                    "no `--> {file}:LINE:COL`; {context}"
                );
            }
            Expect::Page(page, text) => {
                assert_eq!(r.code, Some(0), "expected success; {context}{}", r.stdout);
                if command == "build" {
                    let html = std::fs::read_to_string(Path::new(out).join(page))
                        .unwrap_or_else(|e| panic!("{name}: no {page}: {e}"));
                    assert!(html.contains(text), "{name}: {page} lacks {text:?}");
                }
            }
        }
    }
}

/// Whether `stderr` has a `--> FILE:LINE:COL` line.
fn located_in(stderr: &str, file: &str) -> bool {
    stderr.lines().any(|l| {
        l.trim_start()
            .strip_prefix("--> ")
            .and_then(|rest| rest.strip_prefix(file))
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|rest| {
                let mut nums = rest.split(':');
                nums.next().is_some_and(|n| n.parse::<usize>().is_ok())
                    && nums
                        .next()
                        .is_some_and(|n| n.trim().parse::<usize>().is_ok())
            })
    })
}

fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

fn nasty(name: &str) -> Vec<u8> {
    std::fs::read(common::repo().join("tests/nasty").join(name)).expect("corpus file")
}

fn fixture_file(rel: &str) -> Vec<u8> {
    std::fs::read(common::repo().join("tests/fixtures/basic").join(rel)).expect("fixture file")
}

const ARTICLE: &str = "content/articles/nasty.md";
const FRONT: &str = "---\ntitle: Nasty\ndate: 2026-03-02\n---\n";
const REGIONS: &str = "content/facts/regions.yaml";
/// Claims take any YAML as `value`, so nesting and aliases reach the parser in full there.
const CLAIMS: &str = "content/facts/claims.yaml";

// --- YAML (limits in src/yaml.rs, facts.rs and articles.rs, another branch) ---

#[test]
fn yaml_alias_bomb() {
    let mut claims = fixture_file(CLAIMS);
    claims.extend(nasty("yaml_alias_bomb.yaml"));
    case(
        "yaml_alias_bomb",
        &[(CLAIMS, claims)],
        Expect::ErrorIn(CLAIMS),
    );
}

#[test]
fn yaml_deep_flow() {
    let mut claims = fixture_file(CLAIMS);
    claims.extend(nasty("yaml_deep_flow.yaml"));
    case(
        "yaml_deep_flow",
        &[(CLAIMS, claims)],
        Expect::ErrorIn(CLAIMS),
    );
}

#[test]
fn yaml_bom() {
    let mut regions = "\u{feff}".as_bytes().to_vec();
    regions.extend(fixture_file(REGIONS));
    let page = Expect::Page("regions/member/index.html", "Member Land");
    case("yaml_bom", &[(REGIONS, regions)], page);
}

#[test]
fn yaml_crlf() {
    let regions = String::from_utf8(fixture_file(REGIONS)).expect("utf-8");
    let regions = regions.replace('\n', "\r\n").into_bytes();
    let page = Expect::Page("regions/member/index.html", "Member Land");
    case("yaml_crlf", &[(REGIONS, regions)], page);
}

#[test]
fn yaml_long_line() {
    let regions = String::from_utf8(fixture_file(REGIONS)).expect("utf-8");
    let long = format!("notes: {} Inherits", "x".repeat(10_000_000));
    let regions = regions.replacen("notes: Inherits", &long, 1);
    case(
        "yaml_long_line",
        &[(REGIONS, regions.into_bytes())],
        Expect::ErrorIn(REGIONS),
    );
}

// --- Markdown articles ---

#[test]
fn markdown_deep_quotes() {
    let page = Expect::Page("articles/nasty/index.html", "after");
    case(
        "markdown_deep_quotes",
        &[(ARTICLE, nasty("markdown_deep_quotes.md"))],
        page,
    );
}

#[test]
fn markdown_deep_lists() {
    let page = Expect::Page("articles/nasty/index.html", "after");
    case(
        "markdown_deep_lists",
        &[(ARTICLE, nasty("markdown_deep_lists.md"))],
        page,
    );
}

#[test]
fn article_bom() {
    let page = Expect::Page("articles/nasty/index.html", "<h2 id=\"heading\">");
    case("article_bom", &[(ARTICLE, nasty("article_bom.md"))], page);
}

#[test]
fn article_crlf() {
    let page = Expect::Page("articles/nasty/index.html", "href=\"/regions/member/\"");
    case("article_crlf", &[(ARTICLE, nasty("article_crlf.md"))], page);
}

#[test]
fn article_nul() {
    let page = Expect::Page("articles/nasty/index.html", "A NUL \u{fffd} byte");
    case("article_nul", &[(ARTICLE, nasty("article_nul.md"))], page);
}

#[test]
fn article_non_utf8() {
    case(
        "article_non_utf8",
        &[(ARTICLE, nasty("article_non_utf8.md"))],
        Expect::ErrorIn(ARTICLE),
    );
}

#[test]
fn article_long_line() {
    let body = format!("{FRONT}## Long\n\n{}\n\nafter\n", "word ".repeat(2_000_000));
    let page = Expect::PageOrErrorIn("articles/nasty/index.html", "after", ARTICLE);
    case("article_long_line", &[(ARTICLE, body.into_bytes())], page);
}

#[test]
fn article_duplicate_headings() {
    let body = format!("{FRONT}{}", "## x\n\n".repeat(20_000));
    let page = Expect::Page("articles/nasty/index.html", "id=\"x-19999\"");
    case(
        "article_duplicate_headings",
        &[(ARTICLE, body.into_bytes())],
        page,
    );
}

// --- Templates ---

#[test]
fn template_self_include() {
    let file = ("templates/404.html", nasty("template_self_include.html"));
    case(
        "template_self_include",
        &[file],
        Expect::ErrorIn("templates/404.html"),
    );
}

#[test]
fn template_extends_cycle() {
    let files = [
        ("templates/cycle_a.html", nasty("template_extends_a.html")),
        ("templates/cycle_b.html", nasty("template_extends_b.html")),
    ];
    case(
        "template_extends_cycle",
        &files,
        Expect::ErrorIn("templates/cycle_a.html"),
    );
}

#[test]
fn template_recursive_macro() {
    let mut macros = std::fs::read(common::repo().join("templates/macros.html")).expect("macros");
    macros.extend(nasty("template_recursive_macro.html"));
    let file = ("templates/macros.html", macros);
    case(
        "template_recursive_macro",
        &[file],
        Expect::ErrorIn("templates/macros.html"),
    );
}

#[test]
fn template_huge_range() {
    let file = ("templates/404.html", nasty("template_huge_range.html"));
    case(
        "template_huge_range",
        &[file],
        Expect::ErrorIn("templates/404.html"),
    );
}

#[test]
fn template_doubling() {
    let file = ("templates/404.html", nasty("template_doubling.html"));
    case(
        "template_doubling",
        &[file],
        Expect::ErrorIn("templates/404.html"),
    );
}

#[test]
fn template_huge_page() {
    let file = ("templates/404.html", nasty("template_huge_page.html"));
    case(
        "template_huge_page",
        &[file],
        Expect::ErrorIn("templates/404.html"),
    );
}

#[test]
fn template_deep_includes() {
    // 64 templates, each including the next inside 8 `if`s: 576 levels of Tera recursion,
    // which overflowed the stack although each template alone is shallow.
    let mut files = vec![(
        "templates/404.html".to_string(),
        b"{% include 't0.html' %}".to_vec(),
    )];
    for i in 0..64 {
        let next = if i < 63 {
            format!("{{% include 't{}.html' %}}", i + 1)
        } else {
            "leaf".into()
        };
        let text = format!(
            "{}{next}{}",
            "{% if true %}".repeat(8),
            "{% endif %}".repeat(8)
        );
        files.push((format!("templates/t{i}.html"), text.into_bytes()));
    }
    let files: Vec<(&str, Vec<u8>)> = files.iter().map(|(p, b)| (p.as_str(), b.clone())).collect();
    case(
        "template_deep_includes",
        &files,
        Expect::ErrorIn("templates/404.html"),
    );
}
