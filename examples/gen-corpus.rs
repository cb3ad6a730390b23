//! Generates a deterministic benchmark corpus: the `init` scaffold's facts plus N articles of
//! about 4 KB, and the same articles laid out as a Hugo site, so both tools do comparable work.
//!
//! `cargo run --release --example gen-corpus -- DIR --articles N [--seed S]`
//!
//! DIR/content/...      an explainer site (build it with `explainer build --root DIR`)
//! DIR/hugo/            a Hugo site whose contentDir is DIR/content (`hugo -s DIR/hugo`)
//! Same seed, same bytes, on any machine.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: [&str; 48] = [
    "data",
    "member",
    "profile",
    "policy",
    "training",
    "model",
    "setting",
    "region",
    "consent",
    "notice",
    "source",
    "report",
    "opt-out",
    "privacy",
    "platform",
    "content",
    "public",
    "post",
    "comment",
    "advertising",
    "partner",
    "affiliate",
    "regulator",
    "basis",
    "interest",
    "control",
    "default",
    "change",
    "update",
    "account",
    "history",
    "feed",
    "activity",
    "signal",
    "purpose",
    "review",
    "claim",
    "evidence",
    "question",
    "answer",
    "reader",
    "guide",
    "step",
    "option",
    "deadline",
    "scope",
    "record",
    "summary",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = rng.pick(&WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(first) = c.next() {
                s.extend(first.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

fn slug(i: usize) -> String {
    format!("a-{i:05}")
}

/// One article of about 4 KB: front matter, headings, lists, a table, emphasis, inline code,
/// a code block in every third, and 2–5 `article:` links.
fn article(rng: &mut Rng, i: usize, n: usize) -> String {
    let mut s = String::with_capacity(4600);
    let month = 1 + i % 12;
    let day = 1 + i % 28;
    let _ = write!(
        s,
        "---\ntitle: \"Article {i}: {}\"\nsummary: \"{}\"\ndate: 2025-{month:02}-{day:02}\n---\n\n",
        sentence(rng, 4).trim_end_matches('.'),
        sentence(rng, 12)
    );
    let links = 2 + rng.below(4);
    let mut linked = 0;
    let mut section = 0;
    while s.len() < 4000 {
        section += 1;
        let _ = write!(
            s,
            "## {} {section}\n\n",
            sentence(rng, 3).trim_end_matches('.')
        );
        for _ in 0..2 {
            let mut para = String::new();
            for k in 0..4 {
                let len = 8 + rng.below(8);
                let mut sent = sentence(rng, len);
                if k == 1 {
                    let (a, b) = (rng.pick(&WORDS), rng.pick(&WORDS));
                    sent = format!("Some *{a}* and `{b}` here. {sent}");
                }
                if linked < links && k == 2 {
                    let target = slug(rng.below(n));
                    sent = format!("See [the related note](article:{target}). {sent}");
                    linked += 1;
                }
                para.push_str(&sent);
                para.push(' ');
            }
            s.push_str(para.trim_end());
            s.push_str("\n\n");
        }
        for _ in 0..3 {
            let _ = writeln!(s, "- {}", sentence(rng, 6));
        }
        s.push('\n');
        if section == 2 {
            s.push_str("| what | where | since |\n|---|---|---|\n");
            for _ in 0..3 {
                let (a, b) = (rng.pick(&WORDS), rng.pick(&WORDS));
                let _ = writeln!(s, "| {a} | {b} | 2025 |");
            }
            s.push('\n');
        }
        if section == 3 && i % 3 == 0 {
            let _ = write!(
                s,
                "```yaml\nsetting: {}\nenabled: false\n```\n\n",
                rng.pick(&WORDS)
            );
        }
    }
    while linked < links {
        let _ = write!(s, "Also see [this](article:{}).\n\n", slug(rng.below(n)));
        linked += 1;
    }
    s
}

const HUGO_CONFIG: &str = r#"baseURL = "http://example.org/"
title = "Corpus"
contentDir = "../content"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]

[markup.goldmark.renderer]
unsafe = true
[markup.goldmark.extensions]
table = true
strikethrough = true
taskList = true
footnote = true
typographer = true
[markup.goldmark.parser]
autoHeadingID = true
[markup.tableOfContents]
startLevel = 2
endLevel = 3
"#;

const HUGO_BASEOF: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ site.Title }}</a> <nav><a href="/articles/">Articles</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>Corpus</footer></body></html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Summary }}</p><p><time>{{ .Date.Format "2 January 2006" }}</time></p>
<nav>{{ .TableOfContents }}</nav>{{ .Content }}</article>{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>
{{ end }}</ul>{{ end }}
"#;

fn run(dir: &Path, n: usize, seed: u64) -> std::io::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    explainer::commands::init::init(dir).map_err(std::io::Error::other)?;
    let articles = dir.join("content/articles");
    fs::remove_dir_all(&articles)?;
    fs::create_dir_all(&articles)?;
    let mut rng = Rng(seed);
    for i in 0..n {
        fs::write(
            articles.join(format!("{}.md", slug(i))),
            article(&mut rng, i, n),
        )?;
    }
    // Hugo's home page; explainer reads only content/site.yaml, facts/ and articles/.
    fs::write(dir.join("content/_index.md"), "---\ntitle: Corpus\n---\n")?;
    let hugo = dir.join("hugo");
    fs::create_dir_all(hugo.join("layouts/_default"))?;
    fs::write(hugo.join("config.toml"), HUGO_CONFIG)?;
    fs::write(hugo.join("layouts/_default/baseof.html"), HUGO_BASEOF)?;
    fs::write(hugo.join("layouts/_default/single.html"), HUGO_SINGLE)?;
    fs::write(hugo.join("layouts/_default/list.html"), HUGO_LIST)?;
    fs::write(hugo.join("layouts/index.html"), HUGO_LIST)?;
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir: Option<PathBuf> = None;
    let (mut n, mut seed) = (1000usize, 1u64);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let parsed = match a.as_str() {
            "--articles" => it.next().and_then(|v| v.parse().ok()).map(|v| n = v),
            "--seed" => it.next().and_then(|v| v.parse().ok()).map(|v| seed = v),
            other if !other.starts_with('-') && dir.is_none() => {
                dir = Some(PathBuf::from(other));
                Some(())
            }
            _ => None,
        };
        if parsed.is_none() {
            eprintln!("usage: gen-corpus DIR --articles N [--seed S] (bad argument `{a}`)");
            return ExitCode::from(2);
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: gen-corpus DIR --articles N [--seed S]");
        return ExitCode::from(2);
    };
    match run(&dir, n, seed) {
        Ok(()) => {
            println!("wrote {n} articles (seed {seed}) to {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
