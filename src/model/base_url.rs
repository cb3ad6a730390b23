//! The site's public address (`base_url` in `site.yaml`, `--base-url` on the command line):
//! parsed once, normalised to end in `/`, and split into what absolute URLs start with
//! (`https://example.org/sub/`) and the path every internal link must carry (`/sub/`).

/// A validated base URL: `http` or `https`, a host, an optional path, no query or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// The whole address, ending in `/`: `https://example.org/sub/`.
    url: String,
    /// Its path, starting and ending in `/`: `/sub/` (`/` at the host's root).
    path: String,
}

impl BaseUrl {
    /// Parses and normalises `text` (a trailing `/` is added); the error says what is wrong.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(|| {
                format!("`{text}` is not an absolute http(s) address: it must start with https:// or http://")
            })?;
        if let Some(c) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("`{text}` contains {c:?}, which no address may"));
        }
        if text.contains(['?', '#']) {
            return Err(format!(
                "`{text}` has a query or fragment (`?`, `#`); a base URL is a folder's address"
            ));
        }
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let bad_host = host.is_empty()
            || host.contains('@')
            || host.starts_with(':')
            || !(host.chars()).all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
        if bad_host {
            return Err(format!("`{text}` has no valid host name after the scheme"));
        }
        if path.split('/').any(|seg| seg == ".." || seg == ".") {
            return Err(format!("`{text}` has a `.` or `..` segment in its path"));
        }
        let path = path.trim_end_matches('/');
        let path = if path.is_empty() {
            "/".to_string()
        } else {
            format!("/{path}/")
        };
        let scheme = &text[..text.len() - rest.len()];
        Ok(BaseUrl {
            url: format!("{scheme}{host}{path}"),
            path,
        })
    }

    /// The whole address, ending in `/`.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The path internal links carry, `/` or `/sub/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The absolute URL of a root-relative site path: `/regions/eu/` →
    /// `https://example.org/sub/regions/eu/`.
    pub fn absolute(&self, route: &str) -> String {
        format!("{}{}", self.url, route.trim_start_matches('/'))
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_splits() {
        let b = BaseUrl::parse("https://example.org").unwrap();
        assert_eq!((b.as_str(), b.path()), ("https://example.org/", "/"));
        let b = BaseUrl::parse("https://example.org/sub").unwrap();
        assert_eq!(
            (b.as_str(), b.path()),
            ("https://example.org/sub/", "/sub/")
        );
        let b = BaseUrl::parse("http://127.0.0.1:1111/a/b//").unwrap();
        assert_eq!(b.as_str(), "http://127.0.0.1:1111/a/b/");
        assert_eq!(
            b.absolute("/regions/eu/"),
            "http://127.0.0.1:1111/a/b/regions/eu/"
        );
        assert_eq!(b.absolute("/"), "http://127.0.0.1:1111/a/b/");
    }

    #[test]
    fn refuses_what_is_not_a_site_address() {
        for bad in [
            "example.org",
            "/sub/",
            "ftp://example.org/",
            "https://",
            "https:///x",
            "https://exa mple.org/",
            "https://example.org/?q=1",
            "https://example.org/#top",
            "https://user@example.org/",
            "https://example.org/../x/",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
