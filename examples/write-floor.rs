//! The write floor for `benches/run`: creates the folders and files a build wrote, each of the
//! same size, and does nothing else (no reading, no rendering, no hashing), so a build's time
//! can be set against what the filesystem alone costs.
//!
//! `cargo run --release --example write-floor -- MANIFEST OUT`
//! (MANIFEST: a build's `.explainer-manifest`, lines of `hash size path`; OUT must not exist)

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [manifest, out] = &args[..] else {
        eprintln!("usage: write-floor MANIFEST OUT");
        return ExitCode::from(2);
    };
    let text = match fs::read_to_string(manifest) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {manifest}: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Parsed before the first write, so the timing is the writing.
    let files: Vec<(usize, &str)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut parts = l.splitn(3, ' ');
            let (_hash, size, path) = (parts.next()?, parts.next()?, parts.next()?);
            Some((size.parse().ok()?, path))
        })
        .collect();
    let largest = files.iter().map(|(s, _)| *s).max().unwrap_or(0);
    let bytes = vec![b'x'; largest];
    let out = Path::new(out);
    let mut made: HashSet<&Path> = HashSet::new();
    if let Err(e) = fs::create_dir(out) {
        eprintln!("cannot create {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    for (size, path) in &files {
        let parent = Path::new(path).parent().unwrap_or(Path::new(""));
        if !parent.as_os_str().is_empty() && made.insert(parent) {
            if let Err(e) = fs::create_dir_all(out.join(parent)) {
                eprintln!("cannot create {}: {e}", parent.display());
                return ExitCode::FAILURE;
            }
        }
        if let Err(e) = fs::write(out.join(path), &bytes[..*size]) {
            eprintln!("cannot write {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    println!("wrote {} files", files.len());
    ExitCode::SUCCESS
}
