//! `explainer serve`: builds the site into memory, serves it over HTTP with live reload, and
//! rebuilds on every change under content/, templates/ and static/ (incrementally where it
//! can). A bad edit keeps the last good site served and shows its error in the browser.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use notify::{EventKind, RecursiveMode, Watcher};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use crate::incremental;
use crate::pipeline::{self, Built};
use crate::report;

/// How long the watcher waits for a burst of changes to end before rebuilding.
const QUIET: Duration = Duration::from_millis(8);
/// The longest a continuous burst may delay a rebuild.
const MAX_BURST: Duration = Duration::from_millis(250);
/// The script `serve` adds to every HTML page it serves (never to `build` output).
const LIVE_JS: &str = r#"// explainer serve: live reload and the error overlay.
(function () {
  "use strict";
  var overlay = null;
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(text) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "explainer-error";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,24,.94);color:#f6f6f6;padding:2rem;font:14px/1.5 ui-monospace,monospace";
    var title = document.createElement("h2");
    title.textContent = "The last edit broke the build; this is the last good version.";
    title.style.cssText = "font:600 18px system-ui,sans-serif;margin:0 0 1rem;color:#ffb4b4";
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.whiteSpace = "pre-wrap";
    overlay.appendChild(title);
    overlay.appendChild(pre);
    document.body.appendChild(overlay);
  }
  function swapStyles() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("v", Date.now());
      link.href = url.toString();
    });
  }
  var events = new EventSource("/__explainer/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("css", function () { hide(); swapStyles(); });
  events.addEventListener("build-error", function (e) { show(e.data); });
  events.addEventListener("build-ok", hide);
})();
"#;

/// What `serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// The port to try first; 0 lets the system pick one.
    pub port: u16,
    pub open: bool,
}

/// Why `serve` could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("no free port from {0} to {1} on {2}; pass another with --port")]
    NoPort(u16, u16, IpAddr),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("cannot watch {0} for changes: {1}")]
    Watch(PathBuf, notify::Error),
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

/// A live-reload event for the browsers.
#[derive(Debug, Clone)]
enum Live {
    Reload,
    Css,
    Error(String),
    Ok,
}

/// What is being served: the last good build, and the error of the latest one if it failed.
struct Snapshot {
    built: Option<Built>,
    error: Option<String>,
}

struct Shared {
    root: PathBuf,
    snapshot: RwLock<Snapshot>,
    events: broadcast::Sender<Live>,
}

/// Builds, serves and watches until the process is stopped.
pub fn serve(opts: Options) -> Result<(), ServeError> {
    let root = opts
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.root.clone());
    let start = Instant::now();
    let (built, error) = match pipeline::build(&root) {
        Ok(b) => {
            eprint!("{}", report::render_all(&root, &b.warnings));
            println!(
                "built {} pages in memory in {} ms",
                b.pages,
                start.elapsed().as_millis()
            );
            (Some(b), None)
        }
        Err(diags) => {
            let text = report::render_all(&root, &diags);
            eprint!("{text}");
            eprintln!(
                "build failed: {}; serving the error until it is fixed",
                report::counts(&diags)
            );
            (None, Some(text))
        }
    };
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        root: root.clone(),
        snapshot: RwLock::new(Snapshot { built, error }),
        events,
    });

    let listener = bind(opts.bind, opts.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::Bind(SocketAddr::new(opts.bind, opts.port), e))?;
    let url = format!("http://{addr}/");
    println!("serving at {url} (watching content/, templates/ and static/; Ctrl-C stops)");
    if opts.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }

    let (tx, rx) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            if !matches!(ev.kind, EventKind::Access(_)) {
                for p in ev.paths {
                    let _ = tx.send(p);
                }
            }
        }
    })
    .map_err(|e| ServeError::Watch(root.clone(), e))?;
    for dir in ["content", "templates", "static"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| ServeError::Watch(path.clone(), e))?;
        }
    }
    let rebuilder = shared.clone();
    std::thread::spawn(move || watch_loop(&rebuilder, &rx));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|e| ServeError::Bind(addr, e))?;
        let listener =
            tokio::net::TcpListener::from_std(listener).map_err(|e| ServeError::Bind(addr, e))?;
        let app = Router::new().fallback(handle).with_state(shared);
        axum::serve(listener, app)
            .await
            .map_err(ServeError::Runtime)
    })?;
    drop(watcher);
    Ok(())
}

/// Listens on `port`, or the next free one (saying so); port 0 takes any free port.
fn bind(ip: IpAddr, port: u16) -> Result<std::net::TcpListener, ServeError> {
    if port == 0 {
        let addr = SocketAddr::new(ip, 0);
        return std::net::TcpListener::bind(addr).map_err(|e| ServeError::Bind(addr, e));
    }
    let last = port.saturating_add(20);
    for p in port..=last {
        let addr = SocketAddr::new(ip, p);
        match std::net::TcpListener::bind(addr) {
            Ok(l) => {
                if p != port {
                    println!("port {port} is taken; using {p}");
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(ServeError::Bind(addr, e)),
        }
    }
    Err(ServeError::NoPort(port, last, ip))
}

/// Whether a changed path is an editor's scratch file rather than content.
fn is_scratch(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || [".swp", ".swx", ".tmp", ".bak"]
            .iter()
            .any(|x| name.ends_with(x))
        || name.chars().all(|c| c.is_ascii_digit()) // vim's write probe "4913"
}

/// Collects bursts of changes and rebuilds after each.
fn watch_loop(shared: &Shared, rx: &mpsc::Receiver<PathBuf>) {
    while let Ok(first) = rx.recv() {
        let started = Instant::now();
        let mut paths = BTreeSet::from([first]);
        loop {
            match rx.recv_timeout(QUIET) {
                Ok(p) => {
                    paths.insert(p);
                    if started.elapsed() > MAX_BURST {
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        let changed: Vec<PathBuf> = paths
            .iter()
            .filter_map(|p| p.strip_prefix(&shared.root).ok())
            .filter(|p| !is_scratch(p))
            .map(Path::to_path_buf)
            .collect();
        if !changed.is_empty() {
            rebuild(shared, &changed, started);
        }
    }
}

/// Rebuilds after `changed`, publishes the result and prints one line about it.
fn rebuild(shared: &Shared, changed: &[PathBuf], started: Instant) {
    let patchable = {
        let snap = shared.snapshot.read().unwrap_or_else(|e| e.into_inner());
        snap.built
            .as_ref()
            .is_some_and(|b| incremental::can_patch(b, changed))
    };
    let result = if patchable {
        let mut snap = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
        match snap.built.as_mut() {
            Some(built) => {
                incremental::rebuild(built, changed).map(|r| (r, built.warnings.clone()))
            }
            None => Err(Default::default()),
        }
    } else {
        // A full build needs no lock: the last good site stays served meanwhile.
        pipeline::build(&shared.root).map(|b| {
            let report = incremental::Rebuilt {
                rendered: b.pages,
                full: true,
                css_only: false,
            };
            let warnings = b.warnings.clone();
            let mut snap = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
            snap.built = Some(b);
            (report, warnings)
        })
    };
    let what = match changed {
        [one] => one.display().to_string(),
        [one, rest @ ..] => format!("{} and {} more", one.display(), rest.len()),
        [] => String::new(),
    };
    let ms = started.elapsed().as_millis();
    let mut snap = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
    match result {
        Ok((r, warnings)) => {
            snap.error = None;
            eprint!("{}", report::render_all(&shared.root, &warnings));
            let how = if r.full {
                "full rebuild"
            } else {
                "incremental"
            };
            println!(
                "{what} changed: {} pages re-rendered ({how}) in {ms} ms",
                r.rendered
            );
            let _ = shared
                .events
                .send(if r.css_only { Live::Css } else { Live::Reload });
        }
        Err(diags) => {
            let text = report::render_all(&shared.root, &diags);
            eprint!("{text}");
            println!(
                "{what} changed: build failed ({}) in {ms} ms; still serving the last good site",
                report::counts(&diags)
            );
            snap.error = Some(text.clone());
            let _ = shared.events.send(Live::Error(text));
        }
    }
}

fn sse_event(live: Live) -> Event {
    match live {
        Live::Reload => Event::default().event("reload").data("reload"),
        Live::Css => Event::default().event("css").data("css"),
        Live::Error(text) => Event::default().event("build-error").data(text),
        Live::Ok => Event::default().event("build-ok").data("ok"),
    }
}

/// The event stream: a greeting with the current state, then every rebuild.
fn events(shared: &Shared) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let rx = shared.events.subscribe();
    let now = {
        let snap = shared.snapshot.read().unwrap_or_else(|e| e.into_inner());
        match &snap.error {
            Some(text) => Live::Error(text.clone()),
            None => Live::Ok,
        }
    };
    let hello = Event::default().event("hello").data("connected");
    let first = tokio_stream::iter([hello, sse_event(now)]);
    let rest = BroadcastStream::new(rx).filter_map(|r| r.ok().map(sse_event));
    Sse::new(first.chain(rest).map(Ok)).keep_alive(KeepAlive::default())
}

/// Every request: the event stream, the live script, or a file of the site.
async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    match path.as_str() {
        "/__explainer/events" => events(&shared).into_response(),
        "/__explainer/live.js" => with_type(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            LIVE_JS.as_bytes().to_vec(),
        ),
        _ => page(&shared, &path),
    }
}

fn with_type(status: StatusCode, kind: &'static str, body: Vec<u8>) -> Response {
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The content type of an output path.
fn content_type(path: &str) -> &'static str {
    match path
        .rsplit_once('.')
        .map(|(_, x)| x.to_ascii_lowercase())
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("xml") => "application/xml",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script to an HTML page.
fn inject(html: &[u8]) -> Vec<u8> {
    let tag = b"<script src=\"/__explainer/live.js\"></script>";
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    [&html[..at], tag, &html[at..]].concat()
}

fn decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A page or file of the last good build, with clean URLs and the site's 404 page.
fn page(shared: &Shared, path: &str) -> Response {
    let snap = shared.snapshot.read().unwrap_or_else(|e| e.into_inner());
    let Some(built) = &snap.built else {
        let text = snap.error.clone().unwrap_or_default();
        let html = format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Build failed</title></head>\
             <body><h1>The site does not build yet</h1><pre>{}</pre></body></html>",
            text.replace('&', "&amp;").replace('<', "&lt;")
        );
        return with_type(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            inject(html.as_bytes()),
        );
    };
    let files = &built.output.files;
    let rel = decode(path.trim_start_matches('/'));
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    if let Some(bytes) = files.get(&file) {
        let kind = content_type(&file);
        let body = if kind.starts_with("text/html") {
            inject(bytes)
        } else {
            bytes.clone()
        };
        return with_type(StatusCode::OK, kind, body);
    }
    if files.contains_key(&format!("{rel}/index.html")) {
        let mut res = with_type(
            StatusCode::MOVED_PERMANENTLY,
            "text/plain; charset=utf-8",
            Vec::new(),
        );
        if let Ok(to) = HeaderValue::from_str(&format!("/{rel}/")) {
            res.headers_mut().insert(header::LOCATION, to);
        }
        return res;
    }
    let body = files
        .get("404.html")
        .map_or_else(|| b"not found".to_vec(), |b| inject(b));
    with_type(StatusCode::NOT_FOUND, "text/html; charset=utf-8", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_closing_body() {
        let out = inject(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><body><p>x</p><script src=\"/__explainer/live.js\"></script></body></html>"
        );
    }

    #[test]
    fn scratch_files_are_ignored() {
        for p in [
            ".intro.md.swp",
            "intro.md~",
            "4913",
            "#intro.md#",
            ".goutputstream-X",
        ] {
            assert!(is_scratch(Path::new(p)), "{p}");
        }
        assert!(!is_scratch(Path::new("content/articles/intro.md")));
    }

    #[test]
    fn types_and_paths() {
        assert_eq!(content_type("a/b.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x"), "application/octet-stream");
        assert_eq!(decode("a%20b/c"), "a b/c");
    }
}
