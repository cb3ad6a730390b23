//! Terms' postings made page by page: each term is kept once, in one string, numbered in a
//! `hashbrown` table under its own hash, and a page's weight for it summed in place until the
//! page ends.

use hashbrown::HashTable;

/// A term: where its text is in [`Postings::text`], its hash, and its weight on the page it
/// was last met on.
#[derive(Clone, Copy)]
struct Term {
    hash: u64,
    start: u32,
    len: u32,
    page: u32,
    weight: u32,
}

/// Each term's postings (page, weight, by page) for pages added in order.
pub(crate) struct Postings {
    /// Term numbers, by the term's [`hash`].
    slots: HashTable<u32>,
    terms: Vec<Term>,
    text: String,
    lists: Vec<Vec<(u32, u32)>>,
    /// The terms of the page being added, whose weights are not in `lists` yet.
    open: Vec<u32>,
}

impl Default for Postings {
    fn default() -> Self {
        Postings {
            slots: HashTable::with_capacity(1024),
            terms: Vec::new(),
            text: String::new(),
            lists: Vec::new(),
            open: Vec::new(),
        }
    }
}

/// FxHash's multiply-and-mix, eight bytes at a time, the last eight (or fewer) read as
/// overlapping words, finished with a rotation: terms are short, and SipHash showed in profiles.
fn hash(b: &[u8]) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let n = b.len();
    let u64_at = |i: usize| b[i..i + 8].try_into().map_or(0, u64::from_le_bytes);
    let u32_at = |i: usize| u64::from(b[i..i + 4].try_into().map_or(0, u32::from_le_bytes));
    let mut h = n as u64;
    let last = if n >= 8 {
        for i in (0..n - 8).step_by(8) {
            h = (h ^ u64_at(i)).wrapping_mul(K);
        }
        u64_at(n - 8)
    } else if n >= 4 {
        u32_at(0) | u32_at(n - 4) << 32
    } else if n > 0 {
        u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16
    } else {
        0
    };
    (h ^ last).wrapping_mul(K).rotate_left(26)
}

impl Postings {
    /// The text of term number `id`.
    fn term(&self, id: usize) -> &str {
        let t = &self.terms[id];
        &self.text[t.start as usize..(t.start + t.len) as usize]
    }

    /// The number of `term` (of hash `h`), numbered anew if it is new. Among terms of one
    /// length up to eight bytes [`hash`] is one-to-one (every byte is read once, and the mixing
    /// is invertible), so there equal hashes and lengths are equal terms without comparing
    /// the text.
    fn id(&mut self, term: &str, h: u64) -> usize {
        let Postings {
            slots, terms, text, ..
        } = self;
        let is = |&id: &u32| {
            let t = &terms[id as usize];
            let text = || &text[t.start as usize..(t.start + t.len) as usize];
            t.hash == h && t.len as usize == term.len() && (term.len() <= 8 || text() == term)
        };
        if let Some(&id) = slots.find(h, is) {
            return id as usize;
        }
        let id = terms.len();
        terms.push(Term {
            hash: h,
            start: text.len() as u32,
            len: term.len() as u32,
            page: u32::MAX,
            weight: 0,
        });
        text.push_str(term);
        slots.insert_unique(h, id as u32, |&id| terms[id as usize].hash);
        self.lists.push(Vec::new());
        id
    }

    /// Adds `weight` to `term`'s weight on page `page`: the page added last, or a later one.
    pub(crate) fn add(&mut self, page: u32, term: &str, weight: u32) {
        let id = self.id(term, hash(term.as_bytes()));
        let t = &mut self.terms[id];
        if t.page == page {
            t.weight += weight;
            return;
        }
        if self
            .open
            .first()
            .is_some_and(|&o| self.terms[o as usize].page != page)
        {
            self.close();
        }
        let t = &mut self.terms[id];
        (t.page, t.weight) = (page, weight);
        self.open.push(id as u32);
    }

    /// The open page's weights into the postings.
    fn close(&mut self) {
        for &id in &self.open {
            let t = &self.terms[id as usize];
            self.lists[id as usize].push((t.page, t.weight));
        }
        self.open.clear();
    }

    /// These postings and `later`'s (of pages after these).
    pub(crate) fn merge(mut self, mut later: Postings) -> Postings {
        self.close();
        later.close();
        if self.terms.len() < later.terms.len() {
            // Into the larger: these lists go before the later's.
            for id in 0..self.terms.len() {
                let (term, h) = (self.term(id), self.terms[id].hash);
                let to = later.id(term, h);
                let mut list = std::mem::take(&mut self.lists[id]);
                list.append(&mut later.lists[to]);
                later.lists[to] = list;
            }
            return later;
        }
        for id in 0..later.terms.len() {
            let (term, h) = (later.term(id), later.terms[id].hash);
            let to = self.id(term, h);
            self.lists[to].append(&mut later.lists[id]);
        }
        self
    }

    /// Each term and its postings, in term order.
    pub(crate) fn into_sorted(mut self) -> Vec<(String, Vec<(u32, u32)>)> {
        self.close();
        let mut out: Vec<(String, Vec<(u32, u32)>)> = (0..self.terms.len())
            .map(|id| {
                (
                    self.term(id).to_string(),
                    std::mem::take(&mut self.lists[id]),
                )
            })
            .collect();
        out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_per_page_and_runs_merge_in_page_order() {
        let mut a = Postings::default();
        for (page, term, w) in [
            (0, "fish", 8),
            (0, "chips", 1),
            (0, "fish", 1),
            (2, "fish", 3),
        ] {
            a.add(page, term, w);
        }
        let mut b = Postings::default();
        b.add(3, "chips", 1);
        b.add(4, "peas", 1);
        let merged = a.merge(b).into_sorted();
        assert_eq!(
            merged,
            [
                ("chips".to_string(), vec![(0, 1), (3, 1)]),
                ("fish".to_string(), vec![(0, 9), (2, 3)]),
                ("peas".to_string(), vec![(4, 1)]),
            ]
        );
    }

    #[test]
    fn terms_of_one_length_up_to_eight_bytes_never_share_a_hash() {
        // "a" and "ba" do share one: lengths tell them apart.
        let terms = [
            "", "a", "b", "ab", "ba", "a\0", "abc", "abcd", "abce", "dcba", "abcde",
        ];
        let more = ["abcdefg", "abcdefh", "bbcdefgh", "abcdefgh", "abcdefghi"];
        for n in 0..=9 {
            let of_n: Vec<&str> = terms
                .iter()
                .chain(&more)
                .copied()
                .filter(|t| t.len() == n)
                .collect();
            let hashes: std::collections::HashSet<u64> =
                of_n.iter().map(|t| hash(t.as_bytes())).collect();
            assert_eq!(hashes.len(), of_n.len(), "{of_n:?}");
        }
        let mut p = Postings::default();
        let ids: Vec<usize> = terms.iter().map(|t| p.id(t, hash(t.as_bytes()))).collect();
        assert_eq!(ids, (0..terms.len()).collect::<Vec<_>>());
        assert_eq!(p.id("ba", hash(b"ba")), 4);
    }

    #[test]
    fn many_terms_outgrow_the_table() {
        let mut p = Postings::default();
        for n in 0..5000u32 {
            p.add(n / 100, &format!("t{n}"), 1);
            p.add(n / 100, "common", 1);
        }
        let sorted = p.into_sorted();
        assert_eq!(sorted.len(), 5001);
        let common = sorted
            .iter()
            .find(|(t, _)| t == "common")
            .map(|(_, l)| l.clone());
        assert_eq!(common, Some((0..50).map(|p| (p, 100)).collect()));
    }
}
