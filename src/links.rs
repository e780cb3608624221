//! The site's link map: which source file becomes which URL, and how a link written in a page
//! resolves against it.
//!
//! Authors link to files, as they would on GitHub (`../policies/usage.md#scope`); readers need
//! URLs (`/policies/usage/#scope`). Links to missing pages and files are errors here; anchors are
//! checked once every page is rendered, because only then are all heading ids known.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::diag::did_you_mean;
use crate::markdown::{Link, LinkResolver, percent_decode};

/// Everything a link can point to inside the site.
#[derive(Debug, Default)]
pub struct LinkMap {
    /// Base path every URL starts with (`/` or `/handbook/`).
    base_path: String,
    /// Markdown source (relative to content/) → page index and URL path.
    pages: HashMap<PathBuf, (usize, String)>,
    /// Folders with an `_index.md` or `index.md` → page index and URL path.
    folders: HashMap<PathBuf, (usize, String)>,
    /// Pages left out of this build (drafts without --drafts).
    excluded: HashSet<PathBuf>,
    /// Pages whose front matter could not be read; their own error is reported already.
    failed: HashSet<PathBuf>,
    /// Other files under content/ (relative to content/), copied to the same path in the output.
    files: HashSet<PathBuf>,
}

impl LinkMap {
    /// An empty map for a site served under `base_path`.
    pub fn new(base_path: &str) -> Self {
        LinkMap {
            base_path: base_path.to_string(),
            ..Default::default()
        }
    }

    /// Registers a page: its source (relative to content/), index and URL path (without base).
    pub fn add_page(&mut self, source: &Path, index: usize, url_path: &str) {
        let url = self.url(url_path);
        let name = source.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "_index.md" || name == "index.md" {
            let folder = source.parent().unwrap_or(Path::new("")).to_path_buf();
            self.folders.entry(folder).or_insert((index, url.clone()));
        }
        self.pages.insert(source.to_path_buf(), (index, url));
    }

    /// Registers a page that exists but is not built, so links to it get a precise error.
    pub fn add_excluded(&mut self, source: &Path) {
        self.excluded.insert(source.to_path_buf());
    }

    /// Registers a page that failed to load, so links to it do not add errors of their own.
    pub fn add_failed(&mut self, source: &Path) {
        self.failed.insert(source.to_path_buf());
    }

    /// Registers a non-Markdown file under content/.
    pub fn add_file(&mut self, source: &Path) {
        self.files.insert(source.to_path_buf());
    }

    /// The site-relative URL for a URL path such as `policies/usage/`.
    pub fn url(&self, url_path: &str) -> String {
        site_url(&self.base_path, url_path)
    }

    /// The page a Markdown source path (relative to content/) became, if it is built.
    pub fn page(&self, source: &Path) -> Option<(usize, &str)> {
        self.pages.get(source).map(|(i, url)| (*i, url.as_str()))
    }

    fn missing_page(&self, dest: &str, target: &Path) -> Link {
        if self.failed.contains(target) {
            return Link::Unchanged;
        }
        if self.excluded.contains(target) {
            return Link::Broken {
                message: format!("link to draft page `{dest}`, which is left out of this build"),
                help: Some("build with --drafts, or remove `draft: true` from that page".into()),
            };
        }
        let known: Vec<String> = self
            .pages
            .keys()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let known_refs: Vec<&str> = known.iter().map(String::as_str).collect();
        let target_text = target.to_string_lossy();
        let help = did_you_mean(&target_text, &known_refs)
            .map(|s| format!("did you mean `{s}` (from the content folder)?"))
            .or_else(|| Some(format!("no file `content/{target_text}` exists")));
        Link::Broken {
            message: format!("link to a missing page `{dest}`"),
            help,
        }
    }
}

impl LinkResolver for LinkMap {
    fn resolve(&self, from: &Path, dest: &str) -> Link {
        if has_scheme(dest) || dest.starts_with("//") {
            return Link::Unchanged;
        }
        let (path_and_query, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path_and_query.split('?').next().unwrap_or("");
        if path.is_empty() {
            return Link::Unchanged;
        }
        let decoded = percent_decode(path);
        let from_root = decoded.starts_with('/');
        let joined = if from_root {
            PathBuf::from(decoded.trim_start_matches('/'))
        } else {
            from.parent().unwrap_or(Path::new("")).join(&decoded)
        };
        let Some(target) = normalize(&joined) else {
            return Link::Broken {
                message: format!("link `{dest}` points outside the content folder"),
                help: None,
            };
        };
        let anchor = fragment.filter(|f| !f.is_empty()).map(percent_decode);
        let with_fragment = |url: &str| match fragment {
            Some(f) => format!("{url}#{f}"),
            None => url.to_string(),
        };
        let is_markdown = target
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if is_markdown {
            return match self.pages.get(&target) {
                Some((page, url)) => Link::Internal {
                    href: with_fragment(url),
                    page: Some(*page),
                    anchor,
                },
                None => self.missing_page(dest, &target),
            };
        }
        if self.files.contains(&target) {
            let url = self.url(&target.to_string_lossy());
            return Link::Internal {
                href: with_fragment(&url),
                page: None,
                anchor: None,
            };
        }
        if let Some((page, url)) = self.folders.get(&target) {
            return Link::Internal {
                href: with_fragment(url),
                page: Some(*page),
                anchor,
            };
        }
        if from_root {
            // A site-absolute URL such as `/assets/logo.svg` from static/: left as written.
            return Link::Unchanged;
        }
        Link::Broken {
            message: format!("link to a missing file `{dest}`"),
            help: Some(format!(
                "no file or folder `content/{}` exists",
                target.to_string_lossy()
            )),
        }
    }
}

/// True for `https:`, `mailto:`, `tel:` and other URL schemes (but not a Windows drive letter).
fn has_scheme(dest: &str) -> bool {
    match dest.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Resolves `.` and `..` without touching the file system; `None` when the path climbs out.
pub fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Some(out)
}

/// The URL of `url_path` (`policies/usage/`) under `base`: a base path (`/handbook/`) gives a
/// site-relative URL, a base URL (`https://x.org/handbook/`) an absolute one.
pub fn site_url(base: &str, url_path: &str) -> String {
    format!("{base}{}", encode_path(url_path))
}

/// Percent-encodes a URL path, keeping `/` and the characters URLs allow unescaped.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b':'
            | b'@' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> LinkMap {
        let mut map = LinkMap::new("/hb/");
        map.add_page(Path::new("policies/usage.md"), 1, "policies/usage/");
        map.add_page(Path::new("policies/_index.md"), 2, "policies/");
        map.add_file(Path::new("policies/chart.png"));
        map.add_excluded(Path::new("policies/wip.md"));
        map
    }

    #[test]
    fn relative_and_root_links_to_pages_resolve() {
        let m = map();
        let from = Path::new("faq/q.md");
        let expected = Link::Internal {
            href: "/hb/policies/usage/#scope".into(),
            page: Some(1),
            anchor: Some("scope".into()),
        };
        assert_eq!(m.resolve(from, "../policies/usage.md#scope"), expected);
        assert_eq!(m.resolve(from, "/policies/usage.md#scope"), expected);
        assert_eq!(
            m.resolve(from, "../policies/"),
            Link::Internal {
                href: "/hb/policies/".into(),
                page: Some(2),
                anchor: None
            }
        );
    }

    #[test]
    fn files_external_links_and_misses() {
        let m = map();
        let from = Path::new("policies/usage.md");
        assert!(
            matches!(m.resolve(from, "chart.png"), Link::Internal { href, .. } if href == "/hb/policies/chart.png")
        );
        assert_eq!(
            m.resolve(from, "https://spdx.org/licenses/"),
            Link::Unchanged
        );
        assert_eq!(m.resolve(from, "mailto:ospo@example.org"), Link::Unchanged);
        assert!(matches!(
            m.resolve(from, "usage.md?x=1"),
            Link::Internal { .. }
        ));
        let Link::Broken { message, help } = m.resolve(from, "usgae.md") else {
            panic!("expected a broken link");
        };
        assert_eq!(message, "link to a missing page `usgae.md`");
        assert_eq!(
            help.unwrap(),
            "did you mean `policies/usage.md` (from the content folder)?"
        );
        assert!(
            matches!(m.resolve(from, "wip.md"), Link::Broken { message, .. } if message.contains("draft"))
        );
        assert!(matches!(
            m.resolve(from, "../../etc/passwd"),
            Link::Broken { .. }
        ));
        assert!(matches!(
            m.resolve(from, "missing.png"),
            Link::Broken { .. }
        ));
    }

    #[test]
    fn paths_are_encoded() {
        assert_eq!(encode_path("a b/ü?#"), "a%20b/%C3%BC%3F%23");
    }
}
