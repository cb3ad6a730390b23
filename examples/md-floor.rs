//! The Markdown floor of the benchmark: reads every article under DIR and renders it to HTML
//! in memory with pulldown-cmark and the site's options, on all cores. Nothing else.
//!
//! `cargo run --release --example md-floor -- DIR`

use std::process::ExitCode;

use rayon::prelude::*;
use walkdir::WalkDir;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: md-floor DIR");
        return ExitCode::from(2);
    };
    let files: Vec<_> = WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let bytes: usize = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            // Skip the front matter: the floor renders bodies only.
            let body = text
                .strip_prefix("---\n")
                .and_then(|rest| rest.split_once("\n---\n").map(|(_, b)| b))
                .unwrap_or(&text);
            let mut html = String::with_capacity(body.len() * 3 / 2);
            let parser =
                pulldown_cmark::Parser::new_ext(body, explainer::derive::markdown::options());
            pulldown_cmark::html::push_html(&mut html, parser);
            html.len()
        })
        .sum();
    println!("rendered {} articles, {bytes} bytes of HTML", files.len());
    ExitCode::SUCCESS
}
