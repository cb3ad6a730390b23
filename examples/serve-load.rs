//! A load test of `explainer serve` (std threads and raw HTTP/1.1 only). On a copy of a site it
//! runs readers fetching pages in a loop while an article is edited again and again, floods
//! the live-reload stream with connection attempts, checks that a wrong `Host` is refused, then
//! makes one slow rebuild (an article with thousands of duplicate headings) and measures the
//! readers' latency meanwhile. Prints a summary; exits 1 if any check failed.
//!
//! `cargo run --release --example serve-load -- [--quick] [--site DIR] [--explainer BIN]
//!  [--readers N] [--edits N] [--attempts N] [--headings N] [--fd-limit N]`
//!
//! Defaults: the bundled site, 200 readers, 100 edits, 2,000 live-reload attempts, 20,000
//! headings, the server started with `ulimit -n 1024` (0 leaves the limit alone); `--quick`:
//! 20 readers, 10 edits, 200 attempts, 2,000 headings (a few seconds). It runs the release
//! binary beside it (target/release/explainer): build that first.

use std::collections::{BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// The live-reload cap the server is expected to hold (`explainer::commands::serve::MAX_LIVE_CLIENTS`).
const CAP: usize = explainer::commands::serve::MAX_LIVE_CLIENTS;
const MARK: &str = "load-marker-v";

struct Config {
    quick: bool,
    site: PathBuf,
    bin: PathBuf,
    readers: usize,
    edits: usize,
    attempts: usize,
    headings: usize,
    fd_limit: usize,
}

fn config() -> Result<Config, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let number = |name: &str, full: usize, short: usize| -> Result<usize, String> {
        match value(name) {
            Some(v) => v.parse().map_err(|_| format!("{name}: not a number: {v}")),
            None => Ok(if quick { short } else { full }),
        }
    };
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    // target/<profile>/examples/serve-load → target/<profile>/explainer
    let default_bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("explainer"))
        .unwrap_or_default();
    Ok(Config {
        quick,
        site: value("--site")
            .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from),
        bin: value("--explainer").map_or(default_bin, PathBuf::from),
        readers: number("--readers", 200, 20)?,
        edits: number("--edits", 100, 10)?,
        attempts: number("--attempts", 2000, 200)?,
        headings: number("--headings", 20_000, 2_000)?,
        fd_limit: number("--fd-limit", 1024, 1024)?,
    })
}

/// Copies content/, templates/ and static/ of `from` into `to`.
fn copy_site(from: &Path, to: &Path) -> std::io::Result<()> {
    for dir in ["content", "templates", "static"] {
        let src = from.join(dir);
        if !src.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&src)
            .into_iter()
            .filter_map(Result::ok)
        {
            let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
            let dest = to.join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest)?;
            } else {
                std::fs::copy(entry.path(), &dest)?;
            }
        }
    }
    Ok(())
}

/// The article to edit: the first under content/articles, its text and its page's URL.
fn pick_article(root: &Path) -> Option<(PathBuf, String, String)> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/articles"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let file = files.into_iter().next()?;
    let text = std::fs::read_to_string(&file).ok()?;
    let front = text.split("\n---").next().unwrap_or_default();
    let slug = front
        .lines()
        .find_map(|l| l.strip_prefix("slug:"))
        .map(|s| s.trim().trim_matches(['"', '\'']).to_string())
        .or_else(|| Some(file.file_stem()?.to_string_lossy().into_owned()))?;
    Some((file, text, format!("/articles/{slug}/")))
}

/// `original` with the version marker at the start and the end of its body, and `extra` after.
fn versioned(original: &str, version: usize, extra: &str) -> String {
    let (front, body) = match original
        .strip_prefix("---\n")
        .and_then(|r| r.split_once("\n---\n"))
    {
        Some((front, body)) => (format!("---\n{front}\n---\n"), body),
        None => (String::new(), original),
    };
    format!("{front}\n{MARK}{version}-end\n\n{body}\n\n{MARK}{version}-end\n\n{extra}")
}

/// Writes `text` to `file` as editors do: a scratch file renamed over it.
fn save(file: &Path, text: &str) -> std::io::Result<()> {
    let tmp = file.with_file_name(".serve-load.md.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, file)
}

/// The running server: its port, process and printed lines.
struct Server {
    port: u16,
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(cfg: &Config, root: &Path) -> Result<Server, String> {
    if !cfg.bin.is_file() {
        return Err(format!(
            "no {} (build it first: cargo build --release --bin explainer)",
            cfg.bin.display()
        ));
    }
    let mut cmd = if cfg.fd_limit > 0 && cfg!(unix) {
        let mut c = Command::new("sh");
        c.args([
            "-c",
            "ulimit -n \"$1\" 2>/dev/null; shift; exec \"$@\"",
            "sh",
        ])
        .arg(cfg.fd_limit.to_string())
        .arg(&cfg.bin);
        c
    } else {
        Command::new(&cfg.bin)
    };
    cmd.args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().map_err(|e| {
        format!(
            "cannot start {}: {e} (build it first: cargo build --release --bin explainer)",
            cfg.bin.display()
        )
    })?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let port = loop {
        let Some(Ok(line)) = lines.next() else {
            return Err("serve did not start".into());
        };
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
        }
    };
    thread::spawn(move || for _ in lines.by_ref() {});
    Ok(Server { port, child })
}

/// A reader's kept-alive connection (as a browser keeps one), opened again when closed.
#[derive(Default)]
struct Conn {
    stream: Option<BufReader<TcpStream>>,
    opened: usize,
    /// The longest `connect` took, in microseconds.
    slowest_connect: u64,
}

impl Conn {
    /// One GET on the open connection (or a new one when the old was closed).
    fn get(&mut self, port: u16, path: &str, host: &str) -> std::io::Result<(u16, Vec<u8>)> {
        use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
        let reused = self.stream.is_some();
        match self.try_get(port, path, host) {
            // The server closed a kept-alive connection: try once on a new one (a browser
            // does too). A timeout is not retried: it is an error.
            Err(e)
                if reused
                    && matches!(
                        e.kind(),
                        BrokenPipe | ConnectionAborted | ConnectionReset | UnexpectedEof
                    ) =>
            {
                self.stream = None;
                self.try_get(port, path, host)
            }
            result => result,
        }
    }

    fn try_get(&mut self, port: u16, path: &str, host: &str) -> std::io::Result<(u16, Vec<u8>)> {
        if self.stream.is_none() {
            let start = Instant::now();
            let stream = TcpStream::connect(("127.0.0.1", port))?;
            let took = start.elapsed().as_micros() as u64;
            self.slowest_connect = self.slowest_connect.max(took);
            stream.set_read_timeout(Some(Duration::from_secs(5)))?;
            stream.set_nodelay(true)?; // As browsers do: no 40 ms wait on the previous ACK.
            self.stream = Some(BufReader::new(stream));
            self.opened += 1;
        }
        let result = self.exchange(path, host);
        if !matches!(result, Ok((_, _, true))) {
            self.stream = None;
        }
        result.map(|(status, body, _)| (status, body))
    }

    /// Sends the request and reads the response; whether the connection stays open.
    fn exchange(&mut self, path: &str, host: &str) -> std::io::Result<(u16, Vec<u8>, bool)> {
        let closed = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed");
        let reader = self.stream.as_mut().ok_or_else(closed)?;
        write!(
            reader.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n"
        )?;
        let (mut status, mut length, mut keep) = (0, None, true);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Err(closed());
            }
            let lower = line.trim_end().to_ascii_lowercase();
            if lower.is_empty() {
                break;
            }
            if status == 0 {
                status = lower
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
            } else if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse::<usize>().ok();
            } else if lower == "connection: close" {
                keep = false;
            }
        }
        let mut body = vec![0; length.ok_or_else(|| std::io::Error::other("no Content-Length"))?];
        reader.read_exact(&mut body)?;
        Ok((status, body, keep))
    }
}

/// The version markers on a page.
fn versions(body: &str) -> Vec<usize> {
    body.match_indices(MARK)
        .filter_map(|(at, _)| {
            let digits: String = body[at + MARK.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

/// What the readers saw.
#[derive(Default)]
struct Seen {
    requests: usize,
    connections: usize,
    slowest_connect: u64,
    errors: usize,
    mixed: usize,
    backwards: usize,
    first_error: Option<String>,
    /// Latencies in microseconds, by phase (0: edits and flood; 1: during the slow rebuild;
    /// 2: after it, not reported).
    latency: [Vec<u64>; 3],
}

/// Whether a page is whole and shows one version (the edited article: exactly two markers).
fn consistent(path: &str, article: &str, body: &str) -> Result<Option<usize>, String> {
    let end = body.trim_end().as_bytes();
    if !end[end.len().saturating_sub(7)..].eq_ignore_ascii_case(b"</html>") {
        return Err(format!("{path}: page does not end with </html>"));
    }
    let found = versions(body);
    let distinct: BTreeSet<usize> = found.iter().copied().collect();
    if distinct.len() > 1 || (path == article && found.len() != 2) {
        return Err(format!("{path}: versions {found:?} on one page"));
    }
    Ok(distinct.into_iter().next())
}

/// What a reader thread is given.
struct Reading {
    port: u16,
    paths: Vec<String>,
    article: String,
    stop: Arc<AtomicBool>,
    phase: Arc<AtomicU8>,
    /// The version the slow rebuild makes: a page showing it was served after that rebuild,
    /// so its latency is not counted as "during" it.
    slow_version: usize,
}

/// One reader: fetches its paths in turn until stopped.
fn reader(r: &Reading) -> Seen {
    let host = format!("localhost:{}", r.port);
    let mut seen = Seen::default();
    let mut newest = 0;
    let mut conn = Conn::default();
    for path in r.paths.iter().cycle() {
        if r.stop.load(SeqCst) {
            break;
        }
        let mut in_phase = usize::from(r.phase.load(SeqCst).min(2));
        let start = Instant::now();
        let result = conn.get(r.port, path, &host);
        let took = start.elapsed().as_micros() as u64;
        seen.requests += 1;
        let problem = match result {
            Ok((200, body)) => {
                match consistent(path, &r.article, &String::from_utf8_lossy(&body)) {
                    Ok(Some(v)) if v < newest => {
                        seen.backwards += 1;
                        None
                    }
                    Ok(v) => {
                        newest = newest.max(v.unwrap_or(0));
                        if v == Some(r.slow_version) {
                            in_phase = 2;
                        }
                        None
                    }
                    Err(e) => {
                        seen.mixed += 1;
                        seen.first_error.get_or_insert(e);
                        None
                    }
                }
            }
            Ok((status, _)) => Some(format!("{path}: status {status}")),
            Err(e) => Some(format!("{path}: {e}")),
        };
        seen.latency[in_phase].push(took);
        if let Some(p) = problem {
            seen.errors += 1;
            seen.first_error.get_or_insert(p);
        }
    }
    seen.connections = conn.opened;
    seen.slowest_connect = conn.slowest_connect;
    seen
}

/// Opens the event stream and sends each event's name as it arrives.
fn listen(port: u16) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
            return;
        };
        let _ = write!(
            stream,
            "GET /__explainer/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
        );
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                if tx.send(name.to_string()).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// Waits up to `limit` for a `reload` event; the time it took.
fn wait_reload(events: &mpsc::Receiver<String>, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    let deadline = start + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(name) if name == "reload" => return Some(start.elapsed()),
            Ok(_) => continue,
            Err(_) => return None,
        }
    }
}

/// Live-reload connection attempts, counted.
#[derive(Default)]
struct Flood {
    accepted: AtomicUsize,
    refused: AtomicUsize,
    errors: AtomicUsize,
    /// Accepted streams this program holds open now (the event listener included), and the most.
    open: AtomicUsize,
    most_open: AtomicUsize,
    first_error: Mutex<Option<String>>,
}

/// Sends a GET for `path` with `Host` and `more` header lines, and reads only the response
/// head (an accepted event stream never ends): the status, the head, and the open stream.
fn head(
    port: u16,
    path: &str,
    host: &str,
    more: &str,
) -> std::io::Result<(u16, String, TcpStream)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{more}\r\n");
    stream.write_all(request.as_bytes())?;
    let mut head = String::new();
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, head, stream))
}

/// One live-reload attempt: the status, and the stream still open.
fn attempt(port: u16) -> std::io::Result<(u16, String, TcpStream)> {
    head(
        port,
        "/__explainer/events",
        &format!("localhost:{port}"),
        "",
    )
}

/// One flooding thread: `count` attempts, holding up to four accepted streams a short while.
fn flood(port: u16, count: usize, seed: u64, f: &Flood) {
    let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut held: VecDeque<(Instant, TcpStream)> = VecDeque::new();
    let release = |held: &mut VecDeque<(Instant, TcpStream)>, all: bool| {
        while held
            .front()
            .is_some_and(|(until, _)| all || *until <= Instant::now() || held.len() >= 4)
        {
            f.open.fetch_sub(1, SeqCst);
            held.pop_front();
        }
    };
    for _ in 0..count {
        release(&mut held, false);
        match attempt(port) {
            Ok((200, _, stream)) => {
                f.accepted.fetch_add(1, SeqCst);
                let now = f.open.fetch_add(1, SeqCst) + 1;
                f.most_open.fetch_max(now, SeqCst);
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                held.push_back((
                    Instant::now() + Duration::from_millis(20 + rng % 200),
                    stream,
                ));
            }
            Ok((503, head, _)) if head.to_ascii_lowercase().contains("retry-after:") => {
                f.refused.fetch_add(1, SeqCst);
            }
            Ok((status, head, _)) => {
                f.errors.fetch_add(1, SeqCst);
                let mut first = f.first_error.lock().unwrap_or_else(|e| e.into_inner());
                first.get_or_insert(format!("status {status}: {}", head.trim()));
            }
            Err(e) => {
                f.errors.fetch_add(1, SeqCst);
                let mut first = f.first_error.lock().unwrap_or_else(|e| e.into_inner());
                first.get_or_insert(e.to_string());
            }
        }
    }
    release(&mut held, true);
}

/// Samples how many file descriptors the server has open, until `stop`; the most seen.
fn watch_fds(pid: u32, stop: Arc<AtomicBool>) -> thread::JoinHandle<Option<usize>> {
    thread::spawn(move || {
        let dir = PathBuf::from(format!("/proc/{pid}/fd"));
        let mut most = None;
        while !stop.load(SeqCst) {
            if let Ok(entries) = std::fs::read_dir(&dir) {
                let n = entries.count();
                most = Some(most.map_or(n, |m: usize| m.max(n)));
            }
            thread::sleep(Duration::from_millis(10));
        }
        most
    })
}

/// Whether wrong hosts and foreign origins are refused: the statuses seen, and whether all right.
fn refusals(port: u16) -> (String, bool) {
    let evil = format!("evil.example:{port}");
    let me = format!("localhost:{port}");
    let status =
        |path: &str, host: &str, more: &str| head(port, path, host, more).map_or(0, |r| r.0);
    let page = status("/", &evil, "");
    let events = status("/__explainer/events", &evil, "");
    let origin = status(
        "/__explainer/events",
        &me,
        "Origin: http://evil.example\r\n",
    );
    (
        format!("page {page}, events {events}, foreign Origin {origin}"),
        page == 421 && events == 421 && origin == 403,
    )
}

/// p50, p99 and max of microsecond samples, in milliseconds.
fn percentiles(samples: &mut [u64], noun: &str) -> String {
    if samples.is_empty() {
        return "no samples".into();
    }
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize] as f64 / 1000.0;
    format!(
        "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} {noun})",
        at(0.5),
        at(0.99),
        at(1.0),
        samples.len()
    )
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("serve-load: {e}");
            ExitCode::from(2)
        }
    }
}

/// A started run: the server and what is being edited.
struct Site {
    _tmp: tempfile::TempDir,
    server: Server,
    article: PathBuf,
    original: String,
    url: String,
    events: mpsc::Receiver<String>,
}

fn set_up(cfg: &Config) -> Result<Site, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let root = tmp.path().join("site");
    copy_site(&cfg.site, &root).map_err(|e| format!("copy {}: {e}", cfg.site.display()))?;
    let (article, original, url) = pick_article(&root).ok_or("no article to edit")?;
    save(&article, &versioned(&original, 0, "")).map_err(|e| e.to_string())?;
    let server = start_server(cfg, &root)?;
    let events = listen(server.port);
    if !wait_hello(&events) {
        return Err("no event stream".into());
    }
    // The limit the server really has (`ulimit` may have been refused).
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", server.child.id()));
    let fd_limit = limits
        .ok()
        .and_then(|l| {
            let line = l.lines().find(|l| l.starts_with("Max open files"))?;
            line.split_whitespace().nth(3).map(String::from)
        })
        .unwrap_or_else(|| "unknown".into());
    println!(
        "serve-load{}: {} on port {} (server's open-file limit {fd_limit}), editing {url}",
        if cfg.quick { " --quick" } else { "" },
        cfg.site.display(),
        server.port,
    );
    Ok(Site {
        _tmp: tmp,
        server,
        article,
        original,
        url,
        events,
    })
}

/// The reader threads, their stop flag and the phase they record latency under.
struct Readers {
    threads: Vec<thread::JoinHandle<Seen>>,
    stop: Arc<AtomicBool>,
    phase: Arc<AtomicU8>,
}

impl Readers {
    fn start(count: usize, port: u16, url: &str, slow_version: usize) -> Readers {
        let stop = Arc::new(AtomicBool::new(false));
        let phase = Arc::new(AtomicU8::new(0));
        let paths: Vec<String> = [url, "/", "/articles/"].map(String::from).into();
        let threads = (0..count)
            .map(|i| {
                let mut mine = paths.clone();
                mine.rotate_left(i % paths.len());
                let reading = Reading {
                    port,
                    paths: mine,
                    article: url.to_string(),
                    stop: stop.clone(),
                    phase: phase.clone(),
                    slow_version,
                };
                thread::spawn(move || reader(&reading))
            })
            .collect();
        Readers {
            threads,
            stop,
            phase,
        }
    }

    /// Stops them; what they saw, together.
    fn finish(self) -> Seen {
        self.stop.store(true, SeqCst);
        let mut seen = Seen::default();
        for r in self.threads {
            let Ok(s) = r.join() else { continue };
            seen.requests += s.requests;
            seen.connections += s.connections;
            seen.slowest_connect = seen.slowest_connect.max(s.slowest_connect);
            seen.errors += s.errors;
            seen.mixed += s.mixed;
            seen.backwards += s.backwards;
            if seen.first_error.is_none() {
                seen.first_error = s.first_error;
            }
            for (all, mine) in seen.latency.iter_mut().zip(s.latency) {
                all.extend(mine);
            }
        }
        seen
    }
}

/// Starts `attempts` live-reload attempts on 50 threads.
fn start_flood(attempts: usize, port: u16) -> (Arc<Flood>, Vec<thread::JoinHandle<()>>) {
    let state = Arc::new(Flood::default());
    state.open.store(1, SeqCst); // The event listener.
    let threads = 50.min(attempts.max(1));
    let handles = (0..threads)
        .map(|t| {
            let f = state.clone();
            let count = attempts / threads + usize::from(t < attempts % threads);
            thread::spawn(move || flood(port, count, t as u64 + 1, &f))
        })
        .collect();
    (state, handles)
}

/// The edits, each waiting for its reload: how many had none, and how long the others took.
fn edit(cfg: &Config, site: &Site) -> Result<(usize, Vec<u64>), String> {
    let mut missed = 0;
    let mut took = Vec::new();
    for v in 1..=cfg.edits {
        save(&site.article, &versioned(&site.original, v, "")).map_err(|e| e.to_string())?;
        match wait_reload(&site.events, Duration::from_secs(15)) {
            Some(t) => took.push(t.as_micros() as u64),
            None => missed += 1,
        }
    }
    Ok((missed, took))
}

/// The slow rebuild: thousands of duplicate headings in the edited article, with the readers
/// recording under phase 1 until its reload. How long it took, if it came.
fn slow_rebuild(cfg: &Config, site: &Site, phase: &AtomicU8) -> Result<Result<f64, f64>, String> {
    let heavy: String = (0..cfg.headings)
        .map(|i| format!("## Same heading\n\nText {i}.\n\n"))
        .collect();
    phase.store(1, SeqCst);
    let start = Instant::now();
    let text = versioned(&site.original, cfg.edits + 1, &heavy);
    save(&site.article, &text).map_err(|e| e.to_string())?;
    let reload = wait_reload(&site.events, Duration::from_secs(300));
    phase.store(2, SeqCst);
    Ok(reload
        .map(|t| t.as_secs_f64())
        .ok_or(start.elapsed().as_secs_f64()))
}

fn run() -> Result<bool, String> {
    let cfg = config()?;
    let site = set_up(&cfg)?;
    let port = site.server.port;
    let fd_stop = Arc::new(AtomicBool::new(false));
    let fds = watch_fds(site.server.child.id(), fd_stop.clone());
    let readers = Readers::start(cfg.readers, port, &site.url, cfg.edits + 1);
    let (flood_state, flooders) = start_flood(cfg.attempts, port);
    let (missed, edit_us) = edit(&cfg, &site)?;
    for f in flooders {
        let _ = f.join();
    }
    let refused = refusals(port);
    let slow = slow_rebuild(&cfg, &site, &readers.phase)?;
    thread::sleep(Duration::from_millis(200));
    let seen = readers.finish();
    fd_stop.store(true, SeqCst);
    let most_fds = fds.join().ok().flatten();
    drop(site);
    let outcome = Outcome {
        seen,
        missed,
        edit_us,
        most_fds,
        refused,
        slow,
    };
    Ok(report(&cfg, outcome, &flood_state))
}

/// What a run measured, besides the flood.
struct Outcome {
    seen: Seen,
    missed: usize,
    edit_us: Vec<u64>,
    most_fds: Option<usize>,
    refused: (String, bool),
    slow: Result<f64, f64>,
}

/// Prints the summary table; whether every check passed.
fn report(cfg: &Config, o: Outcome, f: &Flood) -> bool {
    let Outcome {
        mut seen,
        missed,
        mut edit_us,
        most_fds,
        refused,
        slow,
    } = o;
    let row = |name: &str, value: String, ok: bool| (name.to_string(), value, ok);
    let count = |n: usize| (n.to_string(), n == 0);
    let (most_open, flood_errors) = (f.most_open.load(SeqCst), f.errors.load(SeqCst));
    let readers = format!(
        "{} threads, {} requests on {} connections (slowest connect {:.1} ms)",
        cfg.readers,
        seen.requests,
        seen.connections,
        seen.slowest_connect as f64 / 1000.0
    );
    let edits = format!(
        "{}, {missed} without a reload; edit→reload {}",
        cfg.edits,
        percentiles(&mut edit_us, "edits")
    );
    let attempts = format!(
        "{}: {} accepted, {} refused 503 + Retry-After, {flood_errors} errors",
        cfg.attempts,
        f.accepted.load(SeqCst),
        f.refused.load(SeqCst),
    );
    let slow_text = match slow {
        Ok(t) => format!("reload after {t:.2} s"),
        Err(t) => format!("no reload after {t:.0} s"),
    };
    let [errors, mixed, backwards] = [seen.errors, seen.mixed, seen.backwards].map(count);
    let rows = [
        row("readers", readers, true),
        row("reader errors", errors.0, errors.1),
        row("mixed or torn pages", mixed.0, mixed.1),
        row("older version after newer", backwards.0, backwards.1),
        row("edits (reload each)", edits, missed == 0),
        row("live-reload attempts", attempts, flood_errors == 0),
        row(
            "live-reload streams open at once",
            format!("at most {most_open} (cap {CAP})"),
            most_open <= CAP,
        ),
        row(
            "server file descriptors",
            most_fds.map_or("not measured".into(), |n| format!("at most {n}")),
            true,
        ),
        row("wrong Host / Origin", refused.0, refused.1),
        row(
            "reader latency, edits + flood",
            percentiles(&mut seen.latency[0], "requests"),
            true,
        ),
        row(
            &format!("slow rebuild ({} headings)", cfg.headings),
            slow_text,
            slow.is_ok(),
        ),
        row(
            "reader latency during it",
            percentiles(&mut seen.latency[1], "requests"),
            true,
        ),
    ];
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    for (name, value, ok) in &rows {
        let mark = if *ok { "ok" } else { "FAIL" };
        println!("{mark:<4} {name:<width$}  {value}");
    }
    if let Some(e) = &seen.first_error {
        println!("first reader problem: {e}");
    }
    let first = f.first_error.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = first.as_ref() {
        println!("first live-reload problem: {e}");
    }
    rows.iter().all(|r| r.2)
}

/// Waits for the stream's greeting.
fn wait_hello(events: &mpsc::Receiver<String>) -> bool {
    events
        .recv_timeout(Duration::from_secs(30))
        .is_ok_and(|name| name == "hello")
}
