//! What a request must pass before `respond` answers it: a `Host` naming this server (against
//! DNS rebinding), a same-origin `Origin`, and the caps on live-reload clients and on open
//! connections. It decides and counts; `respond` turns a refusal into a response.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::{HeaderMap, header};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The most live-reload (event stream) clients served at once. Each holds a connection open for
/// as long as its tab is open; a few dozen tabs is already a lot for one person's preview.
/// Beyond it, a client gets 503 with `Retry-After` (and `EventSource` retries by itself).
pub const MAX_LIVE_CLIENTS: usize = 64;

/// The most connections open at once (fewer when the process may open fewer than twice as many
/// files): beyond it, new connections wait in the system's queue instead of being accepted, so
/// the server never runs out of file descriptors for its sockets, its watcher and its rebuilds.
pub const MAX_CONNECTIONS: usize = 512;

/// What a refused `EventSource` is told to wait before trying again, in seconds.
pub const RETRY_AFTER_SECS: u64 = 5;

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// 421: the `Host` does not name this server (a DNS-rebinding page, a stray proxy).
    #[error("this server does not answer to the Host {0:?}")]
    Host(String),
    /// 403: the request comes from a page of another origin.
    #[error("requests from the origin {0:?} are not allowed")]
    Origin(String),
}

/// The `Host` names this server answers to, and its live-reload slots.
pub struct Guard {
    port: u16,
    /// Lower-case host names (IPv6 in brackets) answered on `port`.
    names: Vec<String>,
    /// Lower-case `NAME:PORT` hosts answered as they are (from `--allow-host NAME:PORT`).
    exact: Vec<String>,
    /// Bound to every address (`0.0.0.0`, `::`): any IP-literal host is this machine.
    any_ip: bool,
    live: Arc<Semaphore>,
}

/// One live-reload client's slot, held by its event stream and freed when it is dropped
/// (the client went away, or the server did).
pub struct LiveSlot {
    _permit: OwnedSemaphorePermit,
}

impl Guard {
    /// The guard for a server listening on `addr`, also answering the `extra` hosts.
    pub fn new(addr: SocketAddr, extra: &[String]) -> Guard {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].map(String::from).into();
        names.push(ip_name(addr.ip()));
        let (exact, more): (Vec<String>, Vec<String>) = extra
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .partition(|h| split_port(h).is_some_and(|(_, port)| port.is_some()));
        names.extend(more);
        names.sort();
        names.dedup();
        Guard {
            port: addr.port(),
            names,
            exact,
            any_ip: addr.ip().is_unspecified(),
            live: Arc::new(Semaphore::new(MAX_LIVE_CLIENTS)),
        }
    }

    /// The hosts answered, for messages.
    pub fn describe(&self) -> String {
        let mut all: Vec<String> = self
            .names
            .iter()
            .filter(|n| !(self.any_ip && is_ip_literal(n)))
            .map(|n| format!("{n}:{}", self.port))
            .chain(self.exact.iter().cloned())
            .collect();
        if self.any_ip {
            all.push(format!(
                "any IP address of this machine, port {}",
                self.port
            ));
        }
        all.join(", ")
    }

    /// Whether a request with these headers may be answered.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), Refused> {
        let host = headers
            .get(header::HOST)
            .map(|h| String::from_utf8_lossy(h.as_bytes()).to_ascii_lowercase())
            .unwrap_or_default();
        if !self.host_allowed(&host) {
            return Err(Refused::Host(host));
        }
        match headers.get(header::ORIGIN) {
            Some(origin) => {
                let origin = String::from_utf8_lossy(origin.as_bytes()).to_ascii_lowercase();
                if origin == format!("http://{host}") {
                    Ok(())
                } else {
                    Err(Refused::Origin(origin))
                }
            }
            None => Ok(()),
        }
    }

    /// Whether `host` (a lower-case `Host` value) names this server.
    fn host_allowed(&self, host: &str) -> bool {
        if self.exact.iter().any(|h| h == host) {
            return true;
        }
        let Some((name, port)) = split_port(host) else {
            return false;
        };
        if port != Some(self.port) {
            return false;
        }
        self.names.iter().any(|n| n == name) || (self.any_ip && is_ip_literal(name))
    }

    /// A live-reload slot, if one is free.
    pub fn live_slot(&self) -> Option<LiveSlot> {
        self.live
            .clone()
            .try_acquire_owned()
            .ok()
            .map(|p| LiveSlot { _permit: p })
    }
}

/// How an address is written in a `Host` header.
fn ip_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

fn is_ip_literal(name: &str) -> bool {
    name.parse::<Ipv4Addr>().is_ok()
        || name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .is_some_and(|n| n.parse::<Ipv6Addr>().is_ok())
}

/// A `Host` value's name and port (`None` when it has none); `None` when it is malformed.
fn split_port(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let end = rest.find(']')? + 2;
            (&host[..end], host[end..].strip_prefix(':'))
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    if name.is_empty() || name.contains(['/', '@', ' ']) {
        return None;
    }
    match port {
        Some(p) => Some((name, Some(p.parse().ok()?))),
        None if host.len() == name.len() => Some((name, None)),
        None => None,
    }
}

/// The soft limit on open files, where the system says (Linux's /proc).
fn open_files_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// How many connections may be open at once here: `MAX_CONNECTIONS`, or half the limit on
/// open files when that is lower.
pub fn connection_cap() -> usize {
    open_files_limit().map_or(MAX_CONNECTIONS, |n| MAX_CONNECTIONS.min(n / 2).max(8))
}

/// A listener that accepts a connection only while fewer than the cap are open.
pub struct Capped {
    listener: TcpListener,
    slots: Arc<Semaphore>,
}

impl Capped {
    pub fn new(listener: TcpListener) -> Capped {
        Capped {
            listener,
            slots: Arc::new(Semaphore::new(connection_cap())),
        }
    }
}

impl axum::serve::Listener for Capped {
    type Io = Held;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Held, SocketAddr) {
        // Never closed, so this waits for a slot rather than failing.
        let slot = self.slots.clone().acquire_owned().await.ok();
        loop {
            match self.listener.accept().await {
                Ok((io, addr)) => {
                    // Answers go out whole at once: no waiting for the client's delayed ACK.
                    let _ = io.set_nodelay(true);
                    return (Held { io, _slot: slot }, addr);
                }
                // Out of descriptors despite the cap (files, another thread): wait a little.
                Err(e) if !is_connection_error(&e) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(_) => {}
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}

/// An accepted connection, holding its slot until it is closed.
pub struct Held {
    io: TcpStream,
    _slot: Option<OwnedSemaphorePermit>,
}

impl AsyncRead for Held {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Held {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(host: Option<&str>, origin: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(v) = host {
            h.insert(header::HOST, HeaderValue::from_str(v).unwrap());
        }
        if let Some(v) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn loopback() -> Guard {
        Guard::new("127.0.0.1:4000".parse().unwrap(), &[])
    }

    #[test]
    fn loopback_names_on_the_served_port_only() {
        let g = loopback();
        for ok in [
            "localhost:4000",
            "LOCALHOST:4000",
            "127.0.0.1:4000",
            "[::1]:4000",
        ] {
            assert_eq!(g.check(&headers(Some(ok), None)), Ok(()), "{ok}");
        }
        for bad in [
            "evil.example:4000",
            "localhost:4001",
            "localhost",
            "localhost.:4000",
            "127.0.0.2:4000",
            "localhost:4000@evil",
            "[::1:4000",
            "",
        ] {
            assert!(
                matches!(g.check(&headers(Some(bad), None)), Err(Refused::Host(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            g.check(&headers(None, None)),
            Err(Refused::Host(_))
        ));
    }

    #[test]
    fn origin_must_be_the_same_origin() {
        let g = loopback();
        let ok = headers(Some("localhost:4000"), Some("http://localhost:4000"));
        assert_eq!(g.check(&ok), Ok(()));
        for bad in [
            "http://evil.example",
            "http://127.0.0.1:4000",
            "https://localhost:4000",
            "null",
        ] {
            let h = headers(Some("localhost:4000"), Some(bad));
            assert!(matches!(g.check(&h), Err(Refused::Origin(_))), "{bad}");
        }
    }

    #[test]
    fn other_bindings_and_extra_hosts() {
        let g = Guard::new("192.168.1.5:80".parse().unwrap(), &["Box.Lan".into()]);
        assert!(g.host_allowed("192.168.1.5:80"));
        assert!(g.host_allowed("box.lan:80"));
        assert!(!g.host_allowed("192.168.1.6:80"));
        let any = Guard::new("[::]:80".parse().unwrap(), &["tunnel.test:8080".into()]);
        assert!(any.host_allowed("10.0.0.7:80"));
        assert!(any.host_allowed("[fe80::1]:80"));
        assert!(any.host_allowed("tunnel.test:8080"));
        assert!(!any.host_allowed("tunnel.test:80"));
        assert!(!any.host_allowed("rebind.evil.example:80"));
    }

    #[test]
    fn live_slots_are_capped_and_freed() {
        let g = loopback();
        let slots: Vec<LiveSlot> = (0..MAX_LIVE_CLIENTS)
            .filter_map(|_| g.live_slot())
            .collect();
        assert_eq!(slots.len(), MAX_LIVE_CLIENTS);
        assert!(g.live_slot().is_none());
        drop(slots);
        assert!(g.live_slot().is_some());
    }
}
