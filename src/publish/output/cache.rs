//! The persistent build cache, `.explainer-cache/build` in the site folder: what the last
//! `build` read (every file under `content/`, `templates/`, `static/` and the archive folder,
//! by BLAKE3 hash, with its size, times and inode so an untouched file is not read again), what
//! built it (the binary, the options, the output folder), and what it left there (the hash of
//! the output's manifest). When all of it still holds, a rebuild has nothing to do; beside it,
//! `.explainer-cache/state` (named by its hash in `build`) is what an incremental rebuild starts
//! from (`pipeline::incremental`). The cache is only an optimisation: unreadable, of another
//! version or another binary, it is ignored and the build runs in full.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write as _};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use super::manifest::{MANIFEST, Manifest};

/// The cache's folder, at the top of the site folder.
pub const CACHE_DIR: &str = ".explainer-cache";
const FILE: &str = "build";
/// The incremental rebuild's state, beside `FILE`.
const STATE: &str = "state";
/// The first line; a cache of another version is ignored.
const HEADER: &str = "explainer-cache 2";
/// A file modified this close to when the cache was taken may change again within the
/// filesystem's clock tick without its times changing: it is hashed, not trusted by its times.
const RACY_NS: u128 = 2_000_000_000;

/// What the file system says of an input: if it is the same, the bytes are taken as the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub size: u64,
    pub mtime_ns: u128,
    pub ctime_ns: u128,
    pub ino: u64,
}

impl Stat {
    fn of(meta: &fs::Metadata) -> Stat {
        let ns = |t: io::Result<SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos())
        };
        #[cfg(unix)]
        let (ctime_ns, ino) = {
            use std::os::unix::fs::MetadataExt;
            let c = i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec());
            (u128::try_from(c).unwrap_or(0), meta.ino())
        };
        #[cfg(not(unix))]
        let (ctime_ns, ino) = (0, 0);
        Stat {
            size: meta.len(),
            mtime_ns: ns(meta.modified()),
            ctime_ns,
            ino,
        }
    }
}

/// One input file: the BLAKE3 hash of its bytes and its `Stat` when hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub hash: String,
    pub stat: Stat,
}

/// Every input file, by its path relative to the site folder (`/`-separated), and when they
/// were fingerprinted (nanoseconds since the epoch).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    pub files: BTreeMap<String, Input>,
    pub taken_ns: u128,
}

impl Inputs {
    /// Whether both name the same files with the same bytes.
    pub fn same_bytes(&self, other: &Inputs) -> bool {
        self.files.len() == other.files.len()
            && (self.files.iter().zip(&other.files))
                .all(|((p, a), (q, b))| p == q && a.hash == b.hash)
    }
}

/// A build as the cache remembers it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cache {
    /// The binary that built it (`binary_id`).
    pub binary: String,
    /// The options and output folder it was built with, as one line.
    pub key: String,
    /// The folders fingerprinted before that build, and those it read (they differ when the
    /// build found a new archive folder: then the cache cannot vouch for it).
    pub roots: Vec<String>,
    pub wanted: Vec<String>,
    /// The BLAKE3 hash of the output's manifest text after that build.
    pub manifest: String,
    /// The BLAKE3 hash of the rebuild state that build left (empty: none).
    pub state: String,
    pub pages: usize,
    /// How many files it wrote into the output folder.
    pub files: usize,
    /// What the build said on stderr (warnings, notes), said again when nothing changed.
    pub stderr: String,
    pub inputs: Inputs,
}

/// This binary: its version and its file's size, times and inode (a rebuilt binary differs).
pub fn binary_id() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let s = Stat::of(&fs::metadata(exe).ok()?);
    Some(format!(
        "{} {} {} {} {}",
        env!("CARGO_PKG_VERSION"),
        s.size,
        s.mtime_ns,
        s.ctime_ns,
        s.ino
    ))
}

/// Fingerprints every file under `roots` (relative to `root`), reusing `prev`'s hash for a
/// file whose `Stat` is unchanged and was not racy. `None` when a file cannot be named in the
/// cache, is a symlink, or cannot be read: then nothing is cached.
pub fn fingerprint(root: &Path, roots: &[String], prev: Option<&Inputs>) -> Option<Inputs> {
    let taken_ns = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    let mut paths = Vec::new();
    for dir in roots {
        for entry in walkdir::WalkDir::new(root.join(dir)) {
            let entry = match entry {
                Ok(e) => e,
                Err(e)
                    if e.io_error()
                        .is_some_and(|e| e.kind() == io::ErrorKind::NotFound) =>
                {
                    continue;
                }
                Err(_) => return None,
            };
            let kind = entry.file_type();
            if kind.is_symlink() {
                return None;
            }
            if kind.is_file() {
                let rel = entry.path().strip_prefix(root.join(dir)).ok()?.to_str()?;
                let rel = format!("{dir}/{}", rel.replace('\\', "/"));
                if rel.contains(['\n', '\r']) {
                    return None;
                }
                paths.push((rel, entry.into_path()));
            }
        }
    }
    let files = paths
        .into_par_iter()
        .map(|(rel, path)| {
            let stat = Stat::of(&fs::metadata(&path).ok()?);
            let known = prev.and_then(|p| {
                let old = p.files.get(&rel)?;
                (old.stat == stat && stat.mtime_ns + RACY_NS < p.taken_ns).then_some(old)
            });
            let hash = match known {
                Some(old) => old.hash.clone(),
                None => blake3::hash(&fs::read(&path).ok()?).to_hex().to_string(),
            };
            Some((rel, Input { hash, stat }))
        })
        .collect::<Option<BTreeMap<_, _>>>()?;
    Some(Inputs { files, taken_ns })
}

/// Whether `out` still holds what the cached build left: the same manifest, and every file it
/// lists present with its size (as a rebuild with unchanged output checks). Reads no page.
pub fn output_unchanged(cache: &Cache, out: &Path) -> bool {
    output_manifest(cache, out).is_some()
}

/// The output's manifest, when `out` still holds what the cached build left (as
/// `output_unchanged` checks).
pub fn output_manifest(cache: &Cache, out: &Path) -> Option<Manifest> {
    let text = fs::read_to_string(out.join(MANIFEST)).ok()?;
    if blake3::hash(text.as_bytes()).to_hex().as_str() != cache.manifest {
        return None;
    }
    let manifest = Manifest::parse(&text).ok()?;
    let present = manifest.files.par_iter().all(|(rel, e)| {
        fs::symlink_metadata(out.join(rel)).is_ok_and(|m| m.is_file() && m.len() == e.size)
    });
    present.then_some(manifest)
}

/// Escapes `s` onto one line.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

impl Cache {
    /// The cache's text: a header, one `NAME value` line per field, one `input` line per file,
    /// and last the BLAKE3 hash of everything before it (a truncated or damaged cache fails it).
    pub fn render(&self) -> String {
        let mut t = format!("{HEADER}\n");
        let _ = writeln!(t, "binary {}", escape(&self.binary));
        let _ = writeln!(t, "key {}", escape(&self.key));
        let _ = writeln!(t, "roots {}", escape(&self.roots.join("\n")));
        let _ = writeln!(t, "wanted {}", escape(&self.wanted.join("\n")));
        let _ = writeln!(t, "manifest {}", self.manifest);
        let _ = writeln!(t, "state {}", self.state);
        let _ = writeln!(t, "pages {}", self.pages);
        let _ = writeln!(t, "files {}", self.files);
        let _ = writeln!(t, "stderr {}", escape(&self.stderr));
        let _ = writeln!(t, "taken {}", self.inputs.taken_ns);
        for (path, i) in &self.inputs.files {
            let s = &i.stat;
            let _ = writeln!(
                t,
                "input {} {} {} {} {} {path}",
                i.hash, s.size, s.mtime_ns, s.ctime_ns, s.ino
            );
        }
        let sum = blake3::hash(t.as_bytes()).to_hex();
        let _ = writeln!(t, "check {sum}");
        t
    }

    /// Reads a cache's text; `Err` says why it cannot be used.
    pub fn parse(text: &str) -> Result<Cache, &'static str> {
        let body_end = text
            .trim_end_matches('\n')
            .rfind('\n')
            .map(|i| i + 1)
            .ok_or("it is damaged")?;
        let (body, last) = text.split_at(body_end);
        let sum = blake3::hash(body.as_bytes()).to_hex();
        if last != format!("check {sum}\n") {
            return Err("it is damaged");
        }
        let mut lines = body.lines();
        if lines.next() != Some(HEADER) {
            return Err("it is of another version");
        }
        let mut c = Cache::default();
        for line in lines {
            let (name, value) = line.split_once(' ').ok_or("it is damaged")?;
            let list = |v: &str| unescape(v).split('\n').map(str::to_string).collect();
            match name {
                "binary" => c.binary = unescape(value),
                "key" => c.key = unescape(value),
                "roots" => c.roots = list(value),
                "wanted" => c.wanted = list(value),
                "manifest" => c.manifest = value.to_string(),
                "state" => c.state = value.to_string(),
                "pages" => c.pages = value.parse().map_err(|_| "it is damaged")?,
                "files" => c.files = value.parse().map_err(|_| "it is damaged")?,
                "stderr" => c.stderr = unescape(value),
                "taken" => c.inputs.taken_ns = value.parse().map_err(|_| "it is damaged")?,
                "input" => {
                    let (path, input) = parse_input(value).ok_or("it is damaged")?;
                    c.inputs.files.insert(path, input);
                }
                _ => return Err("it is damaged"),
            }
        }
        Ok(c)
    }
}

/// `HASH SIZE MTIME CTIME INO PATH`.
fn parse_input(value: &str) -> Option<(String, Input)> {
    let mut parts = value.splitn(6, ' ');
    let mut next = || parts.next();
    let hash = next()?.to_string();
    let size = next()?.parse().ok()?;
    let mtime_ns = next()?.parse().ok()?;
    let ctime_ns = next()?.parse().ok()?;
    let ino = next()?.parse().ok()?;
    let path = next()?.to_string();
    let stat = Stat {
        size,
        mtime_ns,
        ctime_ns,
        ino,
    };
    Some((path, Input { hash, stat }))
}

/// The cache of the site at `root`: `Ok(None)` when there is none, `Err` with why it cannot
/// be used.
pub fn load(root: &Path) -> Result<Option<Cache>, String> {
    let path = root.join(CACHE_DIR).join(FILE);
    match fs::read(&path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| "it is damaged".to_string())?;
            Cache::parse(&text).map(Some).map_err(str::to_string)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// Writes the cache for the site at `root` (a temp file renamed over the old one, so a
/// concurrent build reads the old cache or the new one), with a `.gitignore` that keeps the
/// folder out of version control.
pub fn store(root: &Path, cache: &Cache) -> io::Result<()> {
    put(root, FILE, &[cache.render().as_bytes()])
}

/// Writes `parts`, one after another, as the file `name` of the cache folder, through a temp
/// file.
fn put(root: &Path, name: &str, parts: &[&[u8]]) -> io::Result<()> {
    let dir = root.join(CACHE_DIR);
    fs::create_dir_all(&dir)?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        fs::write(&ignore, "# explainer's build cache: safe to delete\n*\n")?;
    }
    let tmp = dir.join(format!("{name}.tmp-{}", std::process::id()));
    let mut file = fs::File::create(&tmp)?;
    parts.iter().try_for_each(|p| file.write_all(p))?;
    drop(file);
    fs::rename(&tmp, dir.join(name))
}

/// Writes the incremental rebuild's state, given in parts (`State::encode_parts`); returns
/// the BLAKE3 hash of the whole, for the cache to name it.
pub fn store_state(root: &Path, parts: &[&[u8]]) -> io::Result<String> {
    // Hashed while it is written.
    let hash = || {
        let mut h = blake3::Hasher::new();
        parts.iter().for_each(|p| {
            h.update(p);
        });
        h.finalize()
    };
    let (put, hash) = rayon::join(|| put(root, STATE, parts), hash);
    put.map(|()| hash.to_hex().to_string())
}

/// The rebuild state the cache names, if it is there with that hash.
pub fn load_state(root: &Path, cache: &Cache) -> Option<Vec<u8>> {
    if cache.state.is_empty() {
        return None;
    }
    let bytes = fs::read(root.join(CACHE_DIR).join(STATE)).ok()?;
    (blake3::hash(&bytes).to_hex().as_str() == cache.state).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Cache {
        let mut c = Cache {
            binary: "0.1.0 1 2 3 4".into(),
            key: "out=/tmp/a b drafts=false".into(),
            roots: vec!["content".into(), "static".into()],
            wanted: vec!["content".into(), "static".into()],
            manifest: "ab".repeat(32),
            state: "ef".repeat(32),
            pages: 3,
            stderr: "warning: x\n  --> a\\b\n".into(),
            ..Cache::default()
        };
        let stat = Stat {
            size: 5,
            mtime_ns: 6,
            ctime_ns: 7,
            ino: 8,
        };
        let hash = "cd".repeat(32);
        c.inputs
            .files
            .insert("content/a b.md".into(), Input { hash, stat });
        c.inputs.taken_ns = 99;
        c
    }

    #[test]
    fn round_trips() {
        let c = sample();
        assert_eq!(Cache::parse(&c.render()), Ok(c));
    }

    #[test]
    fn a_truncated_or_altered_cache_is_refused() {
        let text = sample().render();
        for cut in [0, 10, text.len() / 2, text.len() - 2] {
            assert!(Cache::parse(&text[..cut]).is_err(), "cut at {cut}");
        }
        assert!(Cache::parse(&text.replace("pages 3", "pages 4")).is_err());
        assert!(Cache::parse("garbage\n\u{0}\n").is_err());
    }

    #[test]
    fn fingerprints_reuse_hashes_only_for_settled_files() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("content/x")).unwrap();
        fs::write(tmp.path().join("content/x/a.md"), "a").unwrap();
        let roots = ["content".to_string(), "templates".to_string()];
        let first = fingerprint(tmp.path(), &roots, None).unwrap();
        assert_eq!(first.files.len(), 1);
        let a = &first.files["content/x/a.md"];
        assert_eq!(a.hash, blake3::hash(b"a").to_hex().as_str());
        // A cache taken long after the file settled trusts its stat: a lie shows it.
        let mut settled = first.clone();
        settled.taken_ns = u128::MAX;
        settled.files.get_mut("content/x/a.md").unwrap().hash = "lie".into();
        let again = fingerprint(tmp.path(), &roots, Some(&settled)).unwrap();
        assert_eq!(again.files["content/x/a.md"].hash, "lie");
        // Just written (racy): hashed again.
        settled.taken_ns = a.stat.mtime_ns;
        let again = fingerprint(tmp.path(), &roots, Some(&settled)).unwrap();
        assert!(again.same_bytes(&first));
    }
}
