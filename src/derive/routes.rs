//! The site's addresses: which page a fact or article gets (`route`, `link_url`), which
//! output file a route is written to (`file_of`), and which output file a URL path names
//! (`file_for`, shared by `serve` and the link check). Nothing here knows what a page shows.

/// The kinds of thing a cross-link can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Region,
    Category,
    Exclusion,
    OptOut,
    Source,
    Claim,
    Article,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Region,
        Kind::Category,
        Kind::Exclusion,
        Kind::OptOut,
        Kind::Source,
        Kind::Claim,
        Kind::Article,
    ];

    /// The URL scheme that names it in Markdown (`region:eu`).
    pub fn scheme(self) -> &'static str {
        match self {
            Kind::Region => "region",
            Kind::Category => "category",
            Kind::Exclusion => "exclusion",
            Kind::OptOut => "optout",
            Kind::Source => "source",
            Kind::Claim => "claim",
            Kind::Article => "article",
        }
    }

    /// The site section its pages live in.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Region => "regions",
            Kind::Category => "categories",
            Kind::Exclusion => "exclusions",
            Kind::OptOut => "optouts",
            Kind::Source => "sources",
            Kind::Claim => "questions",
            Kind::Article => "articles",
        }
    }

    /// What a reader calls it, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Region => "region",
            Kind::Category => "data category",
            Kind::Exclusion => "exclusion",
            Kind::OptOut => "opt-out path",
            Kind::Source => "source",
            Kind::Claim => "question",
            Kind::Article => "article",
        }
    }

    pub fn from_scheme(scheme: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.scheme() == scheme)
    }
}

/// The clean URL of a thing's page: `/regions/eu/`.
pub fn route(kind: Kind, id: &str) -> String {
    format!("/{}/{}/", kind.section(), id)
}

/// Where a cross-link to a thing points: its page, except that a question (`claim:`) opens
/// at its row of the comparison page.
pub fn link_url(kind: Kind, id: &str, fragment: Option<&str>) -> String {
    match (kind, fragment) {
        (Kind::Claim, None) => format!("/compare/#{id}"),
        (_, Some(f)) => format!("{}#{f}", route(kind, id)),
        (_, None) => route(kind, id),
    }
}

/// The "What changed" page (only when the site's history is read).
pub const CHANGES: &str = "/changes/";

/// The section index pages that are not a kind's (see `Kind::section` for those).
const OTHER_SECTIONS: [&str; 1] = ["compare"];

/// The URL of a section's index page (`regions` → `/regions/`, `compare` → `/compare/`), or
/// `None` when the site has no such section. Templates reach it as `link(to="section:NAME")`.
pub fn section_url(name: &str) -> Option<String> {
    let known = Kind::ALL.iter().any(|k| k.section() == name) || OTHER_SECTIONS.contains(&name);
    known.then(|| format!("/{name}/"))
}

/// The names `section_url` knows, for messages.
pub fn section_names() -> impl Iterator<Item = &'static str> + Clone {
    Kind::ALL
        .into_iter()
        .map(Kind::section)
        .chain(OTHER_SECTIONS)
}

/// The output path of a route: `/regions/eu/` → `regions/eu/index.html`.
pub fn file_of(route: &str) -> String {
    let r = route.trim_start_matches('/');
    if r.is_empty() || r.ends_with('/') {
        format!("{r}index.html")
    } else {
        r.to_string()
    }
}

/// What a URL path names among the output files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// This output file: `/x/` → `x/index.html`, `/style.css` → `style.css`.
    File(String),
    /// A folder's page, asked for without the final slash (`/x` when `x/index.html` exists):
    /// the page's file, and the URL a server redirects to (`/x/`).
    Folder { file: String, redirect: String },
}

impl Found {
    /// The output file it names.
    pub fn file(&self) -> &str {
        match self {
            Found::File(file) | Found::Folder { file, .. } => file,
        }
    }
}

/// The output file a URL path (already percent-decoded; leading `/` optional) names, given
/// which output files exist: `x/` is `x/index.html`; `x` is the file `x`, else the folder
/// page `x/index.html` (to be redirected to `/x/`). `None` when nothing matches.
pub fn file_for(path: &str, exists: impl Fn(&str) -> bool) -> Option<Found> {
    let rel = path.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        let file = format!("{rel}index.html");
        return exists(&file).then_some(Found::File(file));
    }
    if exists(rel) {
        return Some(Found::File(rel.to_string()));
    }
    let file = format!("{rel}/index.html");
    exists(&file).then(|| Found::Folder {
        file,
        redirect: format!("/{rel}/"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_link_urls() {
        assert_eq!(route(Kind::Region, "eu"), "/regions/eu/");
        assert_eq!(route(Kind::OptOut, "ads"), "/optouts/ads/");
        assert_eq!(route(Kind::Claim, "q1"), "/questions/q1/");
        assert_eq!(link_url(Kind::Claim, "q1", None), "/compare/#q1");
        assert_eq!(link_url(Kind::Claim, "q1", Some("x")), "/questions/q1/#x");
        assert_eq!(
            link_url(Kind::Source, "s", Some("quote")),
            "/sources/s/#quote"
        );
        assert_eq!(Kind::from_scheme("optout"), Some(Kind::OptOut));
        assert_eq!(Kind::from_scheme("questions"), None);
    }

    #[test]
    fn section_urls() {
        assert_eq!(section_url("regions").as_deref(), Some("/regions/"));
        assert_eq!(section_url("compare").as_deref(), Some("/compare/"));
        assert_eq!(section_url("region"), None);
        assert!(section_names().any(|s| s == "articles"));
    }

    #[test]
    fn files_of_routes() {
        assert_eq!(file_of("/"), "index.html");
        assert_eq!(file_of("/regions/eu/"), "regions/eu/index.html");
        assert_eq!(file_of("/compare/index.json"), "compare/index.json");
    }

    #[test]
    fn files_for_url_paths() {
        let files = ["index.html", "style.css", "regions/index.html", "a/b"];
        let exists = |f: &str| files.contains(&f);
        let file = |f: &str| Some(Found::File(f.to_string()));
        assert_eq!(file_for("/", exists), file("index.html"));
        assert_eq!(file_for("", exists), file("index.html"));
        assert_eq!(file_for("/regions/", exists), file("regions/index.html"));
        assert_eq!(file_for("/style.css", exists), file("style.css"));
        assert_eq!(file_for("a/b", exists), file("a/b"));
        assert_eq!(
            file_for("/regions", exists),
            Some(Found::Folder {
                file: "regions/index.html".into(),
                redirect: "/regions/".into()
            })
        );
        assert_eq!(
            file_for("/regions", exists).unwrap().file(),
            "regions/index.html"
        );
        assert_eq!(file_for("/a/", exists), None);
        assert_eq!(file_for("/missing", exists), None);
    }
}
