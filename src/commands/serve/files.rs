//! The files being served: a shared base and the few written or removed since, so that
//! publishing an edit copies only the changes, not a pointer per file of the site.

use std::collections::HashMap;
use std::sync::Arc;

use crate::publish::output::Output;

/// How many changed files a snapshot carries before they are folded into its base.
const FOLD: usize = 512;

/// The files of a snapshot, by output path; each shared, so a response never copies under a
/// lock.
#[derive(Debug, Default)]
pub(super) struct Files {
    base: Arc<HashMap<Arc<str>, Arc<[u8]>>>,
    /// Written (`Some`) or removed (`None`) since `base`.
    top: HashMap<Arc<str>, Option<Arc<[u8]>>>,
}

impl Files {
    /// All of `output`'s files.
    pub fn of(output: &Output) -> Files {
        let base = (output.files.iter())
            .map(|(path, bytes)| (Arc::from(path.as_str()), Arc::from(bytes.as_slice())))
            .collect();
        Files {
            base: Arc::new(base),
            top: HashMap::new(),
        }
    }

    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        match self.top.get(path) {
            Some(changed) => changed.as_ref(),
            None => self.base.get(path),
        }
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// These files with `changes` made: each path written with its bytes, or removed.
    pub fn patched<'a>(&self, changes: impl Iterator<Item = (&'a str, Option<&'a [u8]>)>) -> Files {
        let mut top = self.top.clone();
        for (path, bytes) in changes {
            top.insert(Arc::from(path), bytes.map(Arc::from));
        }
        if top.len() <= FOLD {
            return Files {
                base: self.base.clone(),
                top,
            };
        }
        let mut base = (*self.base).clone();
        for (path, bytes) in top {
            match bytes {
                Some(b) => base.insert(path, b),
                None => base.remove(&path),
            };
        }
        Files {
            base: Arc::new(base),
            top: HashMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_shadow_the_base_and_fold_into_it() {
        let mut out = Output::default();
        out.files.insert("a".into(), b"1".to_vec());
        out.files.insert("b".into(), b"2".to_vec());
        let files = Files::of(&out);
        let next = files.patched([("a", Some(&b"3"[..])), ("b", None)].into_iter());
        assert_eq!(next.get("a").map(|b| &b[..]), Some(&b"3"[..]));
        assert!(!next.contains_key("b") && files.contains_key("b"));
        let many: Vec<String> = (0..FOLD + 1).map(|n| n.to_string()).collect();
        let folded = next.patched(many.iter().map(|p| (p.as_str(), Some(&b"x"[..]))));
        assert!(folded.top.is_empty());
        assert_eq!(folded.get("a").map(|b| &b[..]), Some(&b"3"[..]));
        assert!(!folded.contains_key("b") && folded.contains_key("0"));
    }
}
