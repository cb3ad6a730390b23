//! Each HTML page's ids and links as a rebuild keeps them (`PageStore`): read from the state's
//! file only when the link check asks for a page (most rebuilds ask for a few), and written
//! back byte for byte unless the page changed.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use super::codec::{Reader, Writer};
use crate::publish::linkcheck::{LinkIndex, PageLinks, Pages};

/// Pages' ids and links: those read or made in this process, and the rest still encoded.
#[derive(Debug, Clone, Default)]
pub struct PageStore {
    raw: Vec<u8>,
    /// Where each still-encoded page's entry is in `raw`.
    at: HashMap<String, (usize, usize)>,
    own: HashMap<String, PageLinks>,
}

fn decode_links(bytes: &[u8]) -> Option<PageLinks> {
    let mut r = Reader::new(bytes);
    let (ids, links) = (r.strs()?, r.strs()?);
    r.done().then_some(PageLinks { ids, links })
}

impl PageStore {
    pub fn from_index(own: LinkIndex) -> PageStore {
        PageStore {
            own,
            ..PageStore::default()
        }
    }

    pub fn insert(&mut self, path: String, links: PageLinks) {
        self.at.remove(&path);
        self.own.insert(path, links);
    }

    pub fn remove(&mut self, path: &str) {
        self.at.remove(path);
        self.own.remove(path);
    }

    /// How many bytes its entries still encoded take (a size hint for `encode`).
    pub(super) fn encoded_len(&self) -> usize {
        self.raw.len()
    }

    /// Writes every page, sorted by path: `path`, then its entry's length and the entry.
    pub(super) fn encode(&self, w: &mut Writer) {
        let paths: BTreeSet<&String> = self.at.keys().chain(self.own.keys()).collect();
        // Sized for the entries still encoded and some for each decoded one: no regrowing.
        let room = self.raw.len() + self.own.len() * 1024 + 16;
        let mut seg = Writer {
            bytes: Vec::with_capacity(room),
        };
        seg.n(paths.len() as u64);
        let mut entry = Writer::default();
        for path in paths {
            seg.s(path);
            let bytes = match (self.own.get(path), self.at.get(path)) {
                (Some(p), _) => {
                    entry.bytes.clear();
                    entry.strs(p.ids.iter());
                    entry.strs(p.links.iter());
                    &entry.bytes[..]
                }
                (None, Some(&(from, to))) => &self.raw[from..to],
                (None, None) => &[][..],
            };
            seg.n(bytes.len() as u64);
            seg.bytes.extend_from_slice(bytes);
        }
        w.n(seg.bytes.len() as u64);
        w.bytes.reserve(seg.bytes.len());
        w.bytes.extend_from_slice(&seg.bytes);
    }

    /// Reads what `encode` wrote: only the paths and where each entry is.
    pub(super) fn decode(r: &mut Reader) -> Option<PageStore> {
        let len = r.len()?;
        let raw = r.take(len)?.to_vec();
        let mut seg = Reader::new(&raw);
        let n = seg.len()?;
        let mut at = HashMap::with_capacity(n);
        for _ in 0..n {
            let path = seg.s()?;
            let len = seg.len()?;
            let from = seg.at();
            seg.take(len)?;
            at.insert(path, (from, from + len));
        }
        if !seg.done() {
            return None;
        }
        Some(PageStore {
            raw,
            at,
            own: HashMap::new(),
        })
    }
}

impl Pages for PageStore {
    fn page(&self, path: &str) -> Option<Cow<'_, PageLinks>> {
        if let Some(p) = self.own.get(path) {
            return Some(Cow::Borrowed(p));
        }
        let &(from, to) = self.at.get(path)?;
        decode_links(&self.raw[from..to]).map(Cow::Owned)
    }

    fn paths(&self) -> Vec<&str> {
        (self.at.keys().chain(self.own.keys()))
            .map(String::as_str)
            .collect()
    }
}
