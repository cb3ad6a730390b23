//! `Table`: the entries of one facts file by id, in file order, with their locations; and
//! `Entity`, what an entry needs to be kept in one (its id).

use std::collections::{HashMap, HashSet};

use super::facts::{Category, Claim, Exclusion, OptOut, Question, Region, Source};
use super::spans::{Spans, path};
use crate::diagnostics::Loc;

/// Anything with an id, kept in a table.
pub trait Entity {
    /// The YAML field that holds the id.
    const ID_FIELD: &'static str = "id";
    fn id(&self) -> &str;
    /// Whether it is marked `draft: true`.
    fn is_draft(&self) -> bool;
}

macro_rules! entity {
    ($($t:ty),*) => {$(
        impl Entity for $t {
            fn id(&self) -> &str {
                &self.id
            }
            fn is_draft(&self) -> bool {
                self.draft
            }
        }
    )*};
}
entity!(Region, Category, Exclusion, OptOut, Source, Question);

impl Entity for Claim {
    const ID_FIELD: &'static str = "question";
    fn id(&self) -> &str {
        &self.question
    }
    fn is_draft(&self) -> bool {
        self.draft
    }
}

/// The entries of one facts file, in file order, with their locations.
#[derive(Debug, Clone, Default)]
pub struct Table<T> {
    pub items: Vec<T>,
    pub spans: Spans,
    index: HashMap<String, usize>,
    /// Ids of entries left out because they did not load: known, so that references to
    /// them add no error of their own.
    broken: HashSet<String>,
    /// Ids of drafts left out of a published build: references to them are errors that say so.
    drafts: HashSet<String>,
}

impl<T: Entity> Table<T> {
    /// Builds the table; the first of several entries with one id wins the index.
    pub fn new(items: Vec<T>, spans: Spans) -> Table<T> {
        let mut index = HashMap::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            index.entry(item.id().to_string()).or_insert(i);
        }
        Table {
            items,
            spans,
            index,
            broken: HashSet::new(),
            drafts: HashSet::new(),
        }
    }

    /// The table, knowing `ids` of entries that failed to load.
    pub fn with_broken(mut self, ids: impl IntoIterator<Item = String>) -> Table<T> {
        self.broken.extend(ids);
        self
    }

    /// The ids of the entries, and of those that failed to load.
    pub fn known_ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.ids().chain(self.broken.iter().map(String::as_str))
    }

    pub fn get(&self, id: &str) -> Option<&T> {
        self.index.get(id).map(|&i| &self.items[i])
    }

    /// Whether an entry has this id (or had: one that failed to load counts).
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id) || self.broken.contains(id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.items.iter().map(Entity::id)
    }

    /// Where field `field` (a path such as `part_of/1`, or "" for the entry) of entry `i` is.
    pub fn loc(&self, i: usize, field: &str) -> Loc {
        if field.is_empty() {
            self.spans.at(&i.to_string())
        } else {
            self.spans.at(&path(&i.to_string(), field))
        }
    }

    /// The ids of the drafts that were left out.
    pub fn draft_ids(&self) -> impl Iterator<Item = &str> {
        self.drafts
            .iter()
            .map(String::as_str)
            .filter(|id| !self.contains(id))
    }

    /// Whether `id` names a draft that was left out (and no entry that stayed).
    pub fn is_draft(&self, id: &str) -> bool {
        self.drafts.contains(id) && !self.contains(id)
    }

    /// Leaves out the entries that are drafts, or that `also` selects (e.g. claims of a draft
    /// source), keeping the locations of the others; remembers the drafts' ids.
    pub fn strip_drafts(&mut self, also: impl Fn(&T) -> bool) {
        let keep: Vec<bool> = self
            .items
            .iter()
            .map(|t| !t.is_draft() && !also(t))
            .collect();
        if keep.iter().all(|k| *k) {
            return;
        }
        let mut new_index = HashMap::new();
        for (old, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
            new_index.insert(old.to_string(), new_index.len().to_string());
        }
        let items = std::mem::take(&mut self.items);
        for (item, k) in items.iter().zip(&keep) {
            if !*k && item.is_draft() {
                self.drafts.insert(item.id().to_string());
            }
        }
        let kept: Vec<T> = items
            .into_iter()
            .zip(&keep)
            .filter_map(|(t, k)| k.then_some(t))
            .collect();
        let spans = self.spans.reindexed(&new_index);
        let drafts = std::mem::take(&mut self.drafts);
        let broken = std::mem::take(&mut self.broken);
        *self = Table::new(kept, spans).with_broken(broken);
        self.drafts = drafts;
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
}
