//! Measures `explainer serve`'s edit latency: the time from writing an article to the
//! browser's reload event arriving over the event stream.
//!
//! `cargo run --release --example serve-latency -- EXPLAINER ROOT ARTICLE [RUNS]`
//! (EXPLAINER: the binary; ARTICLE: a Markdown file under ROOT/content/articles)

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [bin, root, article, rest @ ..] = &args[..] else {
        eprintln!("usage: serve-latency EXPLAINER ROOT ARTICLE [RUNS]");
        return ExitCode::from(2);
    };
    let runs: usize = rest.first().and_then(|r| r.parse().ok()).unwrap_or(20);
    let article = PathBuf::from(article);
    let Ok(original) = std::fs::read_to_string(&article) else {
        eprintln!("cannot read {}", article.display());
        return ExitCode::FAILURE;
    };

    let mut child = match Command::new(bin)
        .args(["serve", "--port", "0", "--root", root])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot start {bin}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let port: u16 = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                    break rest
                        .split('/')
                        .next()
                        .and_then(|p| p.parse().ok())
                        .unwrap_or(0);
                }
            }
            _ => {
                eprintln!("serve did not start");
                return ExitCode::FAILURE;
            }
        }
    };
    std::thread::spawn(move || for _ in lines.by_ref() {});

    // The event stream, read on its own thread: each event's name and arrival time.
    let (tx, rx) = mpsc::channel::<(String, Instant)>();
    std::thread::spawn(move || {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
            return;
        };
        let _ = write!(
            stream,
            "GET /__explainer/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
        );
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                if tx.send((name.to_string(), Instant::now())).is_err() {
                    return;
                }
            }
        }
    });
    let wait = |name: &str| -> Option<Instant> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while let Ok((event, at)) =
            rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            if event == name {
                return Some(at);
            }
        }
        None
    };
    if wait("hello").is_none() {
        eprintln!("no event stream");
        let _ = child.kill();
        return ExitCode::FAILURE;
    }

    let mut samples = Vec::with_capacity(runs);
    for i in 0..=runs {
        std::thread::sleep(Duration::from_millis(150));
        let text = format!("{original}\nEdit number {i}, measured.\n");
        let written = Instant::now();
        if std::fs::write(&article, text).is_err() {
            break;
        }
        match wait("reload") {
            Some(at) if i > 0 => samples.push(at.duration_since(written)),
            Some(_) => {} // the first edit warms up
            None => {
                eprintln!("no reload event after edit {i}");
                break;
            }
        }
    }
    let _ = std::fs::write(&article, original);
    let _ = child.kill();
    let _ = child.wait();
    if samples.is_empty() {
        return ExitCode::FAILURE;
    }
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "edit → reload event over {} edits: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        samples.len(),
        ms(samples[samples.len() / 2]),
        ms(samples[0]),
        ms(samples[samples.len() - 1])
    );
    ExitCode::SUCCESS
}
