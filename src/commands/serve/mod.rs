//! `explainer serve`: builds the site into memory, serves it over HTTP with live reload, and
//! rebuilds on every change. This file starts it all and holds the served snapshot; `guard`
//! screens requests, `respond` answers them, `watch` rebuilds.

mod files;
mod guard;
mod respond;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use axum::Router;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::broadcast;

use crate::diagnostics::{Diagnostic, Diagnostics, report};
use crate::model::base_url::BaseUrl;
use crate::pipeline::{self, incremental::Session};

pub use guard::{MAX_CONNECTIONS, MAX_LIVE_CLIENTS};

/// What `serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// The port to try first; 0 lets the system pick one.
    pub port: u16,
    pub open: bool,
    /// More `Host` names to answer besides the loopback ones and the bound address:
    /// `NAME` (on the served port) or `NAME:PORT` (e.g. behind a forwarded port).
    pub allow_hosts: Vec<String>,
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

impl From<ServeError> for Diagnostic {
    /// The error as the command line reports it (the message says what to do).
    fn from(e: ServeError) -> Diagnostic {
        Diagnostic::error(None, e.to_string())
    }
}

/// A live-reload event for the browsers.
#[derive(Debug, Clone)]
enum Live {
    Reload,
    Css,
    Error(String),
    Ok,
}

/// What is being served: the last good build's files, and the error of the latest build if it
/// failed. Never changed once published: a rebuild publishes a new one.
struct Snapshot {
    files: Option<Arc<files::Files>>,
    error: Option<String>,
}

/// What the request handlers share with the rebuild loop.
struct Shared {
    /// Locked only to clone or swap the pointer, never while building or answering.
    snapshot: RwLock<Arc<Snapshot>>,
    events: broadcast::Sender<Live>,
    guard: guard::Guard,
}

impl Shared {
    /// The snapshot to answer from.
    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the served snapshot.
    fn publish(&self, snapshot: Snapshot) {
        let fresh = Arc::new(snapshot);
        let old = std::mem::replace(
            &mut *self.snapshot.write().unwrap_or_else(|e| e.into_inner()),
            fresh,
        );
        drop(old); // Freed (if last) after the lock is released.
    }
}

/// The first build, printed as `build` prints it.
fn first_build(
    root: &std::path::Path,
    options: &pipeline::Options,
) -> (Option<Session>, Option<String>) {
    let start = Instant::now();
    match pipeline::build_with(root, options) {
        Ok(b) => {
            report::eprint(root, &b.warnings);
            println!(
                "built {} pages in memory in {} ms",
                b.pages,
                start.elapsed().as_millis()
            );
            (Some(Session::new(b)), None)
        }
        Err(diags) => {
            report::eprint(root, &diags);
            let text = report::render_all(root, &diags);
            eprintln!(
                "build failed: {}; serving the error until it is fixed",
                report::counts(&diags)
            );
            (None, Some(text))
        }
    }
}

/// The address pages are served at, as their base URL: `http://127.0.0.1:PORT/` (the
/// loopback address when listening on all of them).
fn own_base_url(addr: SocketAddr) -> Option<BaseUrl> {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        ip => ip,
    };
    BaseUrl::parse(&format!("http://{}/", SocketAddr::new(ip, addr.port()))).ok()
}

/// Builds, serves and watches until the process is stopped.
pub fn serve(opts: Options) -> Result<(), ServeError> {
    let root = opts
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.root.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let listener = {
        let _in_runtime = runtime.enter(); // A tokio listener registers with the runtime.
        bind(opts.bind, opts.port)?
    };
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::Bind(SocketAddr::new(opts.bind, opts.port), e))?;
    // The live preview shows drafts, each page of one with its banner.
    let options = pipeline::Options {
        base_url: own_base_url(addr),
        drafts: true,
        history: true,
    };
    let (built, error) = first_build(&root, &options);
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(Snapshot {
            files: built
                .as_ref()
                .map(|b| Arc::new(files::Files::of(&b.output))),
            error,
        })),
        events,
        guard: guard::Guard::new(addr, &opts.allow_hosts),
    });

    let url = format!("http://{addr}/");
    println!("serving at {url} (watching content/, templates/ and static/; Ctrl-C stops)");
    if !addr.ip().is_loopback() {
        let message = format!(
            "listening on {addr}, which other machines can reach: anyone on your network can \
             read this site. Only Host names {} are answered (add more with --allow-host). \
             Leave out --bind to serve to this machine only.",
            shared.guard.describe()
        );
        report::eprint(
            &opts.root,
            &Diagnostics(vec![Diagnostic::warning(None, message)]),
        );
    }
    if opts.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
    let watcher = watch::start(&root, built, options, shared.clone())?;

    runtime.block_on(async move {
        let app = Router::new().fallback(respond::handle).with_state(shared);
        axum::serve(guard::Capped::new(listener), app)
            .await
            .map_err(ServeError::Runtime)
    })?;
    drop(watcher);
    Ok(())
}

/// How many connections may wait to be accepted. The usual 128 drops some of a burst (a page
/// and its assets, many tabs reloading at once), and a dropped connection retries a second later.
const BACKLOG: u32 = 1024;

/// A listener on `addr` with room for `BACKLOG` waiting connections.
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?; // As std does: a restart need not wait for old connections.
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// Listens on `port`, or the next free one (saying so); port 0 takes any free port. Must run
/// inside the runtime.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
    if port == 0 {
        let addr = SocketAddr::new(ip, 0);
        return listen(addr).map_err(|e| ServeError::Bind(addr, e));
    }
    let last = port.saturating_add(20);
    for p in port..=last {
        let addr = SocketAddr::new(ip, p);
        match listen(addr) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn its_own_address_is_the_base_url() {
        let url = |a: &str| own_base_url(a.parse().unwrap()).unwrap().to_string();
        assert_eq!(url("127.0.0.1:1111"), "http://127.0.0.1:1111/");
        assert_eq!(url("0.0.0.0:2222"), "http://127.0.0.1:2222/");
        assert_eq!(url("[::1]:3333"), "http://[::1]:3333/");
    }
}
