//! Answers the requests `guard` lets through: the live-reload event stream and script, and the
//! files of the served snapshot (clean URLs, content types, the live script injected into
//! HTML, the site's 404 page). It reads snapshots; `watch` makes them.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use crate::derive::routes::{Found, file_for};

use super::guard::{LiveSlot, MAX_LIVE_CLIENTS, RETRY_AFTER_SECS, Refused};
use super::{Live, Shared, Snapshot};

/// The script `serve` adds to every HTML page it serves (never to `build` output): live
/// reload, and the overlay naming what failed, where (file:line), and that the last good page
/// is still shown, readable in light and dark themes.
const LIVE_JS: &str = include_str!("live.js");

/// Every request: screened by the guard, then the event stream, the live script, or a file.
pub async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    if let Err(refused) = shared.guard.check(req.headers()) {
        return refusal(&refused);
    }
    match req.uri().path() {
        "/__explainer/events" => match shared.guard.live_slot() {
            Some(slot) => events(&shared, slot).into_response(),
            None => busy(),
        },
        "/__explainer/live.js" => with_type(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            Body::from(LIVE_JS),
        ),
        path => page(&shared.current(), path),
    }
}

/// A short plain-text answer that also closes the connection.
fn plain(status: StatusCode, text: String) -> Response {
    let mut res = with_type(status, "text/plain; charset=utf-8", Body::from(text + "\n"));
    res.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    res
}

/// 421 for a wrong `Host`, 403 for a foreign `Origin`.
fn refusal(refused: &Refused) -> Response {
    let status = match refused {
        Refused::Host(_) => StatusCode::MISDIRECTED_REQUEST,
        Refused::Origin(_) => StatusCode::FORBIDDEN,
    };
    plain(status, refused.to_string())
}

/// 503 when every live-reload slot is taken.
fn busy() -> Response {
    let mut res = plain(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("too many live-reload clients (at most {MAX_LIVE_CLIENTS}); close a tab"),
    );
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    res
}

fn sse_event(live: Live) -> Event {
    match live {
        Live::Reload => Event::default().event("reload").data("reload"),
        Live::Css => Event::default().event("css").data("css"),
        Live::Error(text) => Event::default().event("build-error").data(text),
        Live::Ok => Event::default().event("build-ok").data("ok"),
    }
}

/// The event stream: a greeting with the current state, then every rebuild. It holds `slot`
/// until the client goes away.
fn events(
    shared: &Shared,
    slot: LiveSlot,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let rx = shared.events.subscribe();
    let now = match &shared.current().error {
        Some(text) => Live::Error(text.clone()),
        None => Live::Ok,
    };
    let hello = Event::default().event("hello").data("connected");
    let first = tokio_stream::iter([hello, sse_event(now)]);
    let rest = BroadcastStream::new(rx).filter_map(|r| r.ok().map(sse_event));
    let stream = first.chain(rest).map(move |event| {
        let _held = &slot;
        Ok(event)
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn with_type(status: StatusCode, kind: &'static str, body: Body) -> Response {
    let mut res = Response::new(body);
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

/// The tag `serve` adds to every HTML page.
const LIVE_TAG: &[u8] = b"<script src=\"/__explainer/live.js\"></script>";

/// Where the live-reload script goes in a page: before its last `</body>`, else at the end.
fn script_at(html: &[u8]) -> usize {
    html.windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len())
}

/// Adds the live-reload script to an HTML page.
fn inject(html: &[u8]) -> Vec<u8> {
    let at = script_at(html);
    [&html[..at], LIVE_TAG, &html[at..]].concat()
}

/// `page` with the live-reload script, without copying it: the body is the page's shared bytes
/// before the script, the script, and the rest. Its length goes in `Content-Length`.
fn injected(page: &Arc<[u8]>) -> (Body, usize) {
    let bytes = Bytes::from_owner(page.clone());
    let at = script_at(&bytes);
    let parts = [
        bytes.slice(..at),
        Bytes::from_static(LIVE_TAG),
        bytes.slice(at..),
    ];
    let length = bytes.len() + LIVE_TAG.len();
    let stream = tokio_stream::iter(parts.map(Ok::<_, Infallible>));
    (Body::from_stream(stream), length)
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

/// A page or file of `snap`, with clean URLs and the site's 404 page.
fn page(snap: &Snapshot, path: &str) -> Response {
    let Some(files) = &snap.files else {
        let text = snap.error.clone().unwrap_or_default();
        let html = format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Build failed</title></head>\
             <body data-explainer-no-site><h1>The site does not build yet</h1><pre>{}</pre></body></html>",
            text.replace('&', "&amp;").replace('<', "&lt;")
        );
        return with_type(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            Body::from(inject(html.as_bytes())),
        );
    };
    let rel = decode(path.trim_start_matches('/'));
    match file_for(&rel, |f| files.contains_key(f)) {
        Some(Found::File(file)) => {
            let Some(bytes) = files.get(&file) else {
                return with_type(StatusCode::NOT_FOUND, "text/plain", Body::empty());
            };
            let kind = content_type(&file);
            if !kind.starts_with("text/html") {
                return with_type(
                    StatusCode::OK,
                    kind,
                    Body::from(Bytes::from_owner(bytes.clone())),
                );
            }
            let (body, length) = injected(bytes);
            let mut res = with_type(StatusCode::OK, kind, body);
            res.headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            return res;
        }
        Some(Found::Folder { redirect, .. }) => {
            let mut res = with_type(
                StatusCode::MOVED_PERMANENTLY,
                "text/plain; charset=utf-8",
                Body::empty(),
            );
            if let Ok(to) = HeaderValue::from_str(&redirect) {
                res.headers_mut().insert(header::LOCATION, to);
            }
            return res;
        }
        None => {}
    }
    let body = files
        .get("404.html")
        .map_or_else(|| b"not found".to_vec(), |b| inject(b));
    with_type(
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        Body::from(body),
    )
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
    fn types_and_paths() {
        assert_eq!(content_type("a/b.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x"), "application/octet-stream");
        assert_eq!(decode("a%20b/c"), "a b/c");
    }
}
