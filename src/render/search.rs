//! The search index as files under `search/`: `meta.json`, term shards `t/KEY.json` (terms by
//! their first `prefix` characters) and page chunks `d/N.json`, so a query fetches only the
//! shards of its words and the chunks of the pages it shows (`static/search.js`).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::derive::search::{Index, SECTIONS, shard_key};

/// Pages per chunk file.
pub const CHUNK: usize = 500;
/// The largest shard aimed for, in bytes: the shortest prefix whose shards all fit is used.
const SHARD_BYTES: usize = 48 * 1024;

/// A shard key as a file name: ASCII letters and digits as they are, any other character as
/// `_`, its code point in hex and `_`; the empty key (one shard) is `_`.
pub fn shard_file(key: &str) -> String {
    if key.is_empty() {
        return "_".into();
    }
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("_{:x}_", c as u32)
            }
        })
        .collect()
}

/// A term's postings as one list: each page's number as the difference from the one before,
/// then its weight.
fn postings(p: &[(u32, u32)]) -> Vec<u32> {
    let mut out = Vec::with_capacity(p.len() * 2);
    let mut prev = 0;
    for &(d, w) in p {
        out.push(d - prev);
        out.push(w);
        prev = d;
    }
    out
}

/// The terms' shards for a prefix length: shard key → term → postings.
fn shards(index: &Index, prefix: usize) -> BTreeMap<String, BTreeMap<&str, Vec<u32>>> {
    let mut out: BTreeMap<String, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (term, p) in &index.terms {
        let shard = out.entry(shard_key(term, prefix)).or_default();
        shard.insert(term, postings(p));
    }
    out
}

fn to_bytes(v: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// The index's files, by output path.
pub fn files(index: &Index) -> Vec<(String, Vec<u8>)> {
    let mut chosen = Vec::new();
    let mut prefix = 0;
    for p in 0..=2 {
        let encoded: Vec<(String, Vec<u8>)> = shards(index, p)
            .into_iter()
            .map(|(k, s)| (k, to_bytes(&s)))
            .collect();
        let fits = encoded.iter().all(|(_, b)| b.len() <= SHARD_BYTES);
        prefix = p;
        chosen = encoded;
        if fits {
            break;
        }
    }
    let keys: Vec<&str> = chosen.iter().map(|(k, _)| k.as_str()).collect();
    let meta = json!({
        "v": 1,
        "prefix": prefix,
        "chunk": CHUNK,
        "docs": index.docs.len(),
        "sections": SECTIONS,
        "shards": keys,
    });
    let mut out = vec![("search/meta.json".to_string(), to_bytes(&meta))];
    for (n, chunk) in index.docs.chunks(CHUNK).enumerate() {
        let docs: Vec<Value> = chunk
            .iter()
            .map(|d| json!([d.section, d.url, d.title, d.snippet]))
            .collect();
        out.push((format!("search/d/{n}.json"), to_bytes(&docs)));
    }
    for (key, bytes) in chosen {
        out.push((format!("search/t/{}.json", shard_file(&key)), bytes));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_files_are_safe_names() {
        assert_eq!(shard_file(""), "_");
        assert_eq!(shard_file("ab"), "ab");
        assert_eq!(shard_file("a9"), "a9");
        assert_eq!(shard_file("дa"), "_434_a");
        assert_eq!(shard_file("\u{434a}"), "_434a_");
    }

    #[test]
    fn postings_are_delta_coded() {
        assert_eq!(postings(&[(3, 8), (5, 1), (9, 2)]), vec![3, 8, 2, 1, 4, 2]);
    }
}
