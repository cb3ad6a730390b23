//! Times the search index alone: `cargo run --release --example search-index -- ROOT [RUNS]`
//! builds ROOT once, then makes its index RUNS times (default 5), printing the wall time of
//! terms and files, the CPU time of both (all threads), and the files' total size.

use std::time::Instant;

/// This process's CPU time so far (user + system, every thread), in ms, from /proc (Linux;
/// 0 elsewhere).
fn cpu_ms() -> f64 {
    let tasks = std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten();
    let ticks = |stat: String| -> f64 {
        let after = stat.rsplit(')').next().unwrap_or_default().to_string();
        let f: Vec<&str> = after.split_whitespace().collect();
        // Fields 14 and 15 (utime, stime, in 10 ms ticks) follow the name by 12 and 13.
        let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
        tick(11) + tick(12)
    };
    let own = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let threads: f64 = tasks
        .map(|t| ticks(std::fs::read_to_string(t.path().join("stat")).unwrap_or_default()))
        .sum();
    // The process's own line also counts threads that have exited; take the larger.
    ticks(own).max(threads) * 10.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().expect("usage: search-index ROOT [RUNS]"));
    let runs: usize = args
        .next()
        .map_or(5, |r| r.parse().expect("RUNS is a number"));
    let built = explainer::pipeline::build(&root).unwrap_or_else(|d| panic!("{d:?}"));
    for _ in 0..runs {
        let (t0, c0) = (Instant::now(), cpu_ms());
        let index = explainer::derive::search::index(&built.site, &built.derived);
        let t1 = Instant::now();
        let files = explainer::render::search::files(&index);
        let (t2, c2) = (Instant::now(), cpu_ms());
        let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
        println!(
            "index {:6.1} ms, files {:6.1} ms (wall), {:6.0} ms CPU: {} pages, {} terms, {} files, {bytes} bytes",
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            c2 - c0,
            index.docs.len(),
            index.terms.len(),
            files.len()
        );
    }
}
