//! The rebuild state's file form (`.explainer-cache/state`): a header, then two parts (the
//! site's articles, lists and pages; the search index, views and warnings) in the compact
//! binary of `codec`, made and read one per core. Articles are written field by field (an
//! exhaustive pattern: a new front-matter field fails the build here until it is kept); pages'
//! ids and links are kept encoded until asked for (`pages`). A file that does not read back
//! whole is refused.

use std::collections::{BTreeMap, HashMap};

use super::codec::{Reader, Writer};
use super::page_links::PageStore;
use super::state::{Cached, State, Warning};
use crate::derive::search::{Doc, Index};
use crate::model::date::Date;
use crate::model::{FrontFormat, FrontMatter, Names};

/// The first bytes of the state's file; another version is not read.
const HEADER: &[u8] = b"explainer-state 4\n";

fn date(w: &mut Writer, d: &Date) {
    w.n(u64::from(d.year));
    w.n(u64::from(d.month));
    w.n(u64::from(d.day));
}

fn read_date(r: &mut Reader) -> Option<Date> {
    Some(Date {
        year: u16::try_from(r.n()?).ok()?,
        month: u8::try_from(r.n()?).ok()?,
        day: u8::try_from(r.n()?).ok()?,
    })
}

fn front(w: &mut Writer, f: &FrontMatter) {
    let FrontMatter {
        title,
        summary,
        description,
        date: day,
        updated,
        regions,
        categories,
        draft,
        weight,
        slug,
        aliases,
        tags,
        taxonomies,
        author,
        authors,
    } = f;
    w.s(title);
    w.opt_s(summary.as_deref());
    w.opt_s(description.as_deref());
    date(w, day);
    w.n(u64::from(updated.is_some()));
    updated.iter().for_each(|d| date(w, d));
    w.strs(regions.iter());
    w.strs(categories.iter());
    w.n(u64::from(*draft));
    w.n(u64::from(weight.is_some()));
    weight.iter().for_each(|n| w.n((n << 1 ^ n >> 63) as u64));
    w.opt_s(slug.as_deref());
    w.strs(aliases.iter());
    w.strs(tags.iter());
    w.n(taxonomies.len() as u64);
    for (k, v) in taxonomies {
        w.s(k);
        w.strs(v.iter());
    }
    match author {
        None => w.n(0),
        Some(Names::One(a)) => {
            w.n(1);
            w.s(a);
        }
        Some(Names::Many(list)) => {
            w.n(2);
            w.strs(list.iter());
        }
    }
    w.strs(authors.iter());
}

fn read_front(r: &mut Reader) -> Option<FrontMatter> {
    let title = r.s()?;
    let (summary, description) = (r.opt_s()?, r.opt_s()?);
    let date = read_date(r)?;
    let updated = match r.n()? {
        0 => None,
        _ => Some(read_date(r)?),
    };
    let (regions, categories) = (r.strs()?, r.strs()?);
    let draft = r.n()? != 0;
    let weight = match r.n()? {
        0 => None,
        _ => {
            let z = r.n()?;
            Some((z >> 1) as i64 ^ -((z & 1) as i64))
        }
    };
    let slug = r.opt_s()?;
    let (aliases, tags) = (r.strs()?, r.strs()?);
    let mut taxonomies = BTreeMap::new();
    for _ in 0..r.len()? {
        taxonomies.insert(r.s()?, r.strs()?);
    }
    let author = match r.n()? {
        0 => None,
        1 => Some(Names::One(r.s()?)),
        _ => Some(Names::Many(r.strs()?)),
    };
    let authors = r.strs()?;
    Some(FrontMatter {
        title,
        summary,
        description,
        date,
        updated,
        regions,
        categories,
        draft,
        weight,
        slug,
        aliases,
        tags,
        taxonomies,
        author,
        authors,
    })
}

fn article(w: &mut Writer, c: &Cached) {
    w.s(&c.file);
    w.s(&c.slug);
    front(w, &c.front);
    w.n(u64::from(c.format == FrontFormat::Toml));
    w.n(c.body_line as u64);
    w.s(&c.stub);
    w.strs(c.links_to.iter());
    w.n(c.warnings.len() as u64);
    for x in &c.warnings {
        w.n(x.line as u64);
        w.n(x.col as u64);
        w.s(&x.message);
        w.opt_s(x.help.as_deref());
    }
}

/// An article's encoding: two are the same article as the state keeps it when theirs are equal.
pub(super) fn article_bytes(c: &Cached) -> Vec<u8> {
    let mut w = Writer::default();
    article(&mut w, c);
    w.bytes
}

fn read_article(r: &mut Reader) -> Option<Cached> {
    let (file, slug) = (r.s()?, r.s()?);
    let front = read_front(r)?;
    let format = match r.n()? {
        0 => FrontFormat::Yaml,
        _ => FrontFormat::Toml,
    };
    let body_line = r.len()?;
    let (stub, links_to) = (r.s()?, r.strs()?);
    let mut warnings = Vec::new();
    for _ in 0..r.len()? {
        warnings.push(Warning {
            line: usize::try_from(r.n()?).ok()?,
            col: usize::try_from(r.n()?).ok()?,
            message: r.s()?,
            help: r.opt_s()?,
        });
    }
    Some(Cached {
        file,
        slug,
        front,
        format,
        body_line,
        stub,
        links_to,
        warnings,
    })
}

fn fingerprints(w: &mut Writer, map: &HashMap<String, u128>) {
    let sorted: BTreeMap<&String, &u128> = map.iter().collect();
    w.n(sorted.len() as u64);
    for (k, v) in sorted {
        w.s(k);
        w.u128(*v);
    }
}

fn read_fingerprints(r: &mut Reader) -> Option<HashMap<String, u128>> {
    let n = r.len()?;
    let mut map = HashMap::with_capacity(n);
    for _ in 0..n {
        map.insert(r.s()?, r.u128()?);
    }
    Some(map)
}

impl State {
    /// The state's file form (without `files`: that is the output's manifest): the header,
    /// the first part's length (eight bytes), then its two parts, each made on its own core.
    /// In three pieces, so that they are written one after another and never copied into one.
    pub fn encode_parts(&self) -> [Vec<u8>; 3] {
        let (first, second) = rayon::join(|| self.encode_site(), || self.encode_rest());
        let mut head = HEADER.to_vec();
        head.extend_from_slice(&(first.len() as u64).to_le_bytes());
        [head, first, second]
    }

    /// `encode_parts` as one piece.
    pub fn encode(&self) -> Vec<u8> {
        self.encode_parts().concat()
    }

    /// The articles, the site's lists, the descriptions, dependencies and pages' links.
    fn encode_site(&self) -> Vec<u8> {
        // Room enough not to grow (room never written costs nothing).
        let room = self.pages.encoded_len() * 2 + self.articles.len() * 4096;
        let mut w = Writer {
            bytes: Vec::with_capacity(room),
        };
        w.n(self.articles.len() as u64);
        self.articles.values().for_each(|a| article(&mut w, a));
        w.strs(self.article_files.iter());
        w.strs(self.draft_slugs.iter());
        w.strs(self.category_ids.iter());
        w.s(&self.site_ctx);
        fingerprints(&mut w, &self.descriptions);
        fingerprints(&mut w, &self.deps);
        self.pages.encode(&mut w);
        w.bytes
    }

    /// The search index, the page count, the article pages' views and the warnings.
    fn encode_rest(&self) -> Vec<u8> {
        let room = self.search.docs.len() * 4096 + self.search.terms.len() * 64;
        let mut w = Writer {
            bytes: Vec::with_capacity(room),
        };
        encode_search(&mut w, &self.search);
        w.n(self.search_prefix as u64);
        w.n(self.page_count as u64);
        super::views::encode(&mut w, &self.views);
        super::views::encode_diagnostics(&mut w, &self.warnings);
        w.bytes
    }

    /// Reads `encode`'s bytes, its two parts on both cores; `None` when they are not a whole
    /// state of this version.
    pub fn decode(bytes: &[u8]) -> Option<State> {
        let rest = bytes.strip_prefix(HEADER)?;
        let (len, rest) = rest.split_at_checked(8)?;
        let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
        let (first, second) = rest.split_at_checked(len)?;
        let (site, search) = rayon::join(|| decode_site(first), || decode_rest(second));
        let mut s = site?;
        (s.search, s.search_prefix, s.page_count, s.views, s.warnings) = search?;
        Some(s)
    }
}

/// What `encode_rest` wrote.
type Rest = (
    Index,
    usize,
    usize,
    HashMap<String, super::views::View>,
    crate::diagnostics::Diagnostics,
);

/// The first part of a state, the rest left empty; `None` unless it reads back whole.
fn decode_site(bytes: &[u8]) -> Option<State> {
    let mut r = Reader::new(bytes);
    let mut articles = Vec::new();
    for _ in 0..r.len()? {
        let a = read_article(&mut r)?;
        articles.push((a.file.clone(), a));
    }
    let s = State {
        // Written in order: collected into the map without comparing each key down a tree.
        articles: articles.into_iter().collect(),
        article_files: r.strs()?.into_iter().collect(),
        draft_slugs: r.strs()?,
        category_ids: r.strs()?,
        site_ctx: r.s()?,
        descriptions: read_fingerprints(&mut r)?,
        deps: read_fingerprints(&mut r)?,
        pages: PageStore::decode(&mut r)?,
        search: Index::default(),
        search_prefix: 0,
        page_count: 0,
        views: Default::default(),
        warnings: Default::default(),
        files: BTreeMap::new(),
    };
    r.done().then_some(s)
}

/// The second part of a state; `None` unless it reads back whole.
fn decode_rest(bytes: &[u8]) -> Option<Rest> {
    let mut r = Reader::new(bytes);
    let rest = (
        decode_search(&mut r)?,
        usize::try_from(r.n()?).ok()?,
        usize::try_from(r.n()?).ok()?,
        super::views::decode(&mut r)?,
        super::views::decode_diagnostics(&mut r)?,
    );
    r.done().then_some(rest)
}

fn encode_search(w: &mut Writer, index: &Index) {
    w.n(index.docs.len() as u64);
    for d in &index.docs {
        w.n(u64::from(d.section));
        w.s(&d.url);
        w.s(&d.title);
        w.s(&d.snippet);
    }
    w.n(index.terms.len() as u64);
    for (term, postings) in &index.terms {
        w.s(term);
        w.n(postings.len() as u64);
        let mut prev = 0;
        for &(d, weight) in postings {
            w.n(u64::from(d - prev));
            w.n(u64::from(weight));
            prev = d;
        }
    }
}

fn decode_search(r: &mut Reader) -> Option<Index> {
    let n = r.len()?;
    let mut docs = Vec::with_capacity(n);
    for _ in 0..n {
        let section = u8::try_from(r.n()?).ok()?;
        let (url, title, snippet) = (r.s()?, r.s()?, r.s()?);
        docs.push(Doc {
            section,
            url,
            title,
            snippet,
        });
    }
    let mut terms = Vec::new();
    for _ in 0..r.len()? {
        let term = r.s()?;
        let count = r.len()?;
        let mut postings = Vec::with_capacity(count);
        let mut d: u32 = 0;
        for _ in 0..count {
            d = d.checked_add(r.u32()?)?;
            postings.push((d, r.u32()?));
        }
        terms.push((term, postings));
    }
    let terms = terms.into_iter().collect();
    Some(Index { docs, terms })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::linkcheck::{LinkIndex, PageLinks, Pages};

    #[test]
    fn a_state_round_trips_and_a_damaged_one_is_refused() {
        let mut s = State {
            site_ctx: "h".into(),
            page_count: 3,
            ..State::default()
        };
        let front: FrontMatter = serde_yaml::from_str(
            "title: T\ndate: 2026-01-02\nweight: -3\nauthor: [a, b]\ntaxonomies: {x: [y]}",
        )
        .unwrap();
        let a = Cached {
            file: "content/articles/a.md".into(),
            slug: "a".into(),
            front,
            format: FrontFormat::Toml,
            body_line: 7,
            stub: "<p>x</p>".into(),
            links_to: vec!["/regions/eu/".into()],
            warnings: vec![Warning {
                line: 2,
                col: 1,
                message: "m".into(),
                help: Some("h".into()),
            }],
        };
        s.articles.insert(a.file.clone(), a);
        s.article_files.insert("content/articles/a.md".into());
        s.descriptions.insert("/".into(), u128::MAX - 5);
        let mut index = LinkIndex::new();
        let links = PageLinks {
            ids: vec!["a".into()],
            links: vec!["/x/".into()],
        };
        index.insert("index.html".into(), links.clone());
        s.pages = PageStore::from_index(index);
        s.search.docs.push(Doc {
            section: 0,
            url: "/a/".into(),
            title: "A".into(),
            snippet: "s".into(),
        });
        s.search.terms.insert("a".into(), vec![(0, 8), (3, 1)]);
        let back = crate::derive::links::Backlink {
            url: "/".into(),
            title: "Home".into(),
        };
        let view = super::super::views::View {
            description: "d".into(),
            backlinks: vec![back],
        };
        s.views.insert("/articles/a/".into(), view.clone());
        let warning = crate::diagnostics::Diagnostic::warning(
            Some(crate::diagnostics::Loc::new(
                "content/articles/a.md",
                900,
                2,
            )),
            "w",
        );
        s.warnings.push(warning.with_help("h"));
        let bytes = s.encode();
        let back = State::decode(&bytes).expect("decodes");
        assert_eq!(back.encode(), bytes);
        assert_eq!(back.search, s.search);
        assert_eq!(back.views["/articles/a/"], view);
        assert_eq!(back.warnings.0, s.warnings.0);
        assert_eq!(back.pages.page("index.html").as_deref(), Some(&links));
        assert_eq!(
            back.articles["content/articles/a.md"].front.weight,
            Some(-3)
        );
        assert!(State::decode(&bytes[..bytes.len() - 1]).is_none());
        assert!(State::decode(b"garbage").is_none());
    }
}
