//! The search index as files under `search/`: `meta.json`, term shards `t/KEY.json` (terms by
//! their first `prefix` characters) and page chunks `d/N.json`, so a query fetches only the
//! shards of its words and the chunks of the pages it shows (`static/search.js`).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rayon::prelude::*;

use serde_json::{Value, json};

use crate::derive::search::{Doc, Index, SECTIONS};

/// Pages per chunk file.
pub const CHUNK: usize = 20;
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

/// A term's postings as one list: each page's number as the difference from the one before
/// (the first from -1, so never 0); a page where the term weighs more than 1 has the
/// difference negated and its weight after it: `[(0, 1), (4, 8)]` → `[1, -4, 8]`.
fn postings(p: &[(u32, u32)]) -> Vec<i64> {
    let mut out = Vec::with_capacity(p.len() * 2);
    let mut prev = -1;
    for &(d, w) in p {
        let delta = i64::from(d) - prev;
        if w == 1 {
            out.push(delta);
        } else {
            out.push(-delta);
            out.push(i64::from(w));
        }
        prev = i64::from(d);
    }
    out
}

/// About how many bytes a term's entry takes in its shard (an upper bound: every number as
/// up to 6 characters and a comma).
fn estimate(term: &str, p: &[(u32, u32)]) -> usize {
    let digits = |n: u32| n.checked_ilog10().unwrap_or(0) as usize + 2;
    let numbers: usize = p.iter().map(|&(d, w)| digits(d) + 2 + digits(w)).sum();
    term.len() + 6 + numbers
}

/// The first `prefix` characters of `term`, as a slice of it (what `shard_key` makes).
fn key_of(term: &str, prefix: usize) -> &str {
    match term.char_indices().nth(prefix) {
        Some((i, _)) => &term[..i],
        None => term,
    }
}

/// The shortest shard prefix (0 to 3 characters) whose shards all stay under
/// [`SHARD_BYTES`] by [`estimate`], else 3.
fn prefix(index: &Index) -> usize {
    let sized: Vec<(&str, usize)> = (index.terms.par_iter())
        .map(|(t, post)| (t.as_str(), estimate(t, post)))
        .collect();
    // Terms are sorted, so the terms of one shard are next to each other.
    (0..3)
        .find(|&p| {
            let mut shard: Option<(&str, usize)> = None;
            for (t, size) in &sized {
                let key = key_of(t, p);
                shard = match shard {
                    Some((k, total)) if k == key => Some((k, total + size)),
                    _ => Some((key, *size)),
                };
                if shard.is_some_and(|(_, total)| total > SHARD_BYTES) {
                    return false;
                }
            }
            true
        })
        .unwrap_or(3)
}

/// A shard's terms and their postings, in term order.
type Shard<'i> = Vec<(&'i str, &'i [(u32, u32)])>;

/// The terms' shards for a prefix length, in key order: shard key, its terms and postings
/// (sorted terms: one shard's are next to each other).
fn shards(index: &Index, prefix: usize) -> Vec<(&str, Shard<'_>)> {
    let mut out: Vec<(&str, Shard)> = Vec::new();
    for (term, p) in &index.terms {
        let key = key_of(term, prefix);
        match out.last_mut() {
            Some((last, shard)) if *last == key => shard.push((term, p)),
            _ => out.push((key, vec![(term, p)])),
        }
    }
    out
}

fn to_bytes(v: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// The index's files, by output path.
pub fn files(index: &Index) -> Vec<(String, Vec<u8>)> {
    (files_touched(index, None).1.into_iter())
        .map(|(p, b)| (p, b.unwrap_or_default()))
        .collect()
}

/// The shard prefix `files` lays `index` out with.
pub fn prefix_of(index: &Index) -> usize {
    prefix(index)
}

/// The meta file: the layout's version, prefix, chunk size, page count, sections and shards.
fn meta_file(index: &Index, prefix: usize, keys: &[&str]) -> (String, Vec<u8>) {
    let meta = json!({
        "v": 1,
        "prefix": prefix,
        "chunk": CHUNK,
        "docs": index.docs.len(),
        "sections": SECTIONS,
        "shards": keys,
    });
    ("search/meta.json".to_string(), to_bytes(&meta))
}

/// Chunk number `n` of the pages' documents.
fn chunk_file(n: usize, chunk: &[Doc]) -> (String, Vec<u8>) {
    let docs: Vec<Value> = (chunk.iter())
        .map(|d| json!([d.section, d.url, d.title, d.snippet]))
        .collect();
    (format!("search/d/{n}.json"), to_bytes(&docs))
}

/// The output path of the term shard `key`.
fn shard_path(key: &str) -> String {
    format!("search/t/{}.json", shard_file(key))
}

/// Output files by path, each with its bytes, or `None` when they are as they were.
pub type Laid = Vec<(String, Option<Vec<u8>>)>;

/// As `files`, with the shard prefix it chose; when `touched` gives the terms whose postings
/// changed since an index laid out with `prefix` characters, a term shard holding none of them
/// is not laid out again: `None` for its bytes, as they were.
pub fn files_touched(index: &Index, touched: Option<(&BTreeSet<String>, usize)>) -> (usize, Laid) {
    let prefix = prefix(index);
    let hit: Option<HashSet<&str>> = touched
        .filter(|(_, old)| *old == prefix)
        .map(|(t, _)| t.iter().map(|t| key_of(t, prefix)).collect());
    let chosen: Vec<(String, Option<Vec<u8>>)> = shards(index, prefix)
        .into_par_iter()
        .map(|(k, s)| {
            if hit.as_ref().is_some_and(|h| !h.contains(k)) {
                return (k.to_string(), None);
            }
            let s: BTreeMap<&str, Vec<i64>> =
                s.into_iter().map(|(t, p)| (t, postings(p))).collect();
            (k.to_string(), Some(to_bytes(&s)))
        })
        .collect();
    let keys: Vec<&str> = chosen.iter().map(|(k, _)| k.as_str()).collect();
    let (path, meta) = meta_file(index, prefix, &keys);
    let mut out = vec![(path, Some(meta))];
    for (n, chunk) in index.docs.chunks(CHUNK).enumerate() {
        let (path, bytes) = chunk_file(n, chunk);
        out.push((path, Some(bytes)));
    }
    for (key, bytes) in chosen {
        out.push((shard_path(&key), bytes));
    }
    (prefix, out)
}

/// Whether `prefix(index)` is still `old`, the prefix of an index that differed only in the
/// postings of the terms `touched`: each shorter prefix still has a shard too big (found by a
/// scan that stops at the first), and under `old` (unless the longest) each touched term's
/// shard still fits (the others are as they were).
fn prefix_kept(index: &Index, touched: &BTreeSet<String>, old: usize) -> bool {
    let overflows = |p: usize| {
        let mut shard: Option<(&str, usize)> = None;
        (index.terms.iter()).any(|(t, post)| {
            let (key, size) = (key_of(t, p), estimate(t, post));
            shard = match shard {
                Some((k, total)) if k == key => Some((k, total + size)),
                _ => Some((key, size)),
            };
            shard.is_some_and(|(_, total)| total > SHARD_BYTES)
        })
    };
    if !(0..old).all(overflows) {
        return false;
    }
    let keys: BTreeSet<&str> = touched.iter().map(|t| key_of(t, old)).collect();
    old >= 3
        || keys.into_iter().all(|key| {
            let size: usize = (index.terms.range(key.to_string()..))
                .take_while(|(t, _)| key_of(t, old) == key)
                .map(|(t, post)| estimate(t, post))
                .sum();
            size <= SHARD_BYTES
        })
}

/// Files to write, with their bytes, and files gone, by output path.
pub type Patched = (Vec<(String, Vec<u8>)>, Vec<String>);

/// As `files_touched` after only the pages numbered `docs` changed (their number the same)
/// and the postings of the terms `touched`: the files to lay out again (the meta file, the
/// chunks holding those pages, the shards holding those terms) and the shard files gone;
/// `None` when the shard prefix is not `old_prefix` any more (then lay out all).
pub fn files_patched(
    index: &Index,
    touched: &BTreeSet<String>,
    old_prefix: usize,
    docs: &BTreeSet<u32>,
) -> Option<Patched> {
    if !prefix_kept(index, touched, old_prefix) {
        return None;
    }
    let prefix = old_prefix;
    let mut keys: Vec<&str> = Vec::new();
    for t in index.terms.keys() {
        let key = key_of(t, prefix);
        if keys.last() != Some(&key) {
            keys.push(key);
        }
    }
    let mut out = vec![meta_file(index, prefix, &keys)];
    for n in docs
        .iter()
        .map(|&d| d as usize / CHUNK)
        .collect::<BTreeSet<_>>()
    {
        out.push(chunk_file(n, index.docs.chunks(CHUNK).nth(n)?));
    }
    let mut gone = Vec::new();
    for key in touched
        .iter()
        .map(|t| key_of(t, prefix))
        .collect::<BTreeSet<_>>()
    {
        let shard: BTreeMap<&str, Vec<i64>> = (index.terms.range(key.to_string()..))
            .take_while(|(t, _)| key_of(t, prefix) == key)
            .map(|(t, p)| (t.as_str(), postings(p)))
            .collect();
        let path = shard_path(key);
        match shard.is_empty() {
            true => gone.push(path),
            false => out.push((path, to_bytes(&shard))),
        }
    }
    Some((out, gone))
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
        assert_eq!(postings(&[(3, 8), (5, 1), (9, 2)]), vec![-4, 8, 2, -4, 2]);
        assert_eq!(postings(&[(0, 1), (1, 1)]), vec![1, 1]);
    }

    #[test]
    fn a_patch_lays_out_what_a_full_layout_changes() {
        use crate::derive::search::Doc;
        let doc = |n: usize| Doc {
            section: 0,
            url: format!("/articles/a{n}/"),
            title: format!("A{n}"),
            snippet: String::new(),
        };
        let mut index = Index {
            docs: (0..45).map(doc).collect(),
            terms: BTreeMap::new(),
        };
        for (t, p) in [("apple", vec![(0, 1), (30, 2)]), ("berry", vec![(30, 1)])] {
            index.terms.insert(t.to_string(), p);
        }
        let (prefix, before) = files_touched(&index, None);
        index.docs[30].title = "Changed".into();
        index.terms.remove("berry");
        index.terms.insert("cherry".into(), vec![(30, 3)]);
        let touched: BTreeSet<String> = ["berry".into(), "cherry".into()].into();
        let (laid, gone) = files_patched(&index, &touched, prefix, &[30].into()).unwrap();
        let (_, after) = files_touched(&index, None);
        let all = |l: Laid| -> BTreeMap<String, Vec<u8>> {
            l.into_iter().map(|(p, b)| (p, b.unwrap())).collect()
        };
        let (before, after) = (all(before), all(after));
        let mut patched = before.clone();
        gone.iter().for_each(|p| drop(patched.remove(p)));
        patched.extend(laid);
        assert_eq!(patched, after);
    }
}
