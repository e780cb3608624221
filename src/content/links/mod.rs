//! The site's link map: which source file becomes which URL, and how a link written in a page
//! resolves against it.
//!
//! Authors link to files, as they would on GitHub (`../policies/usage.md#scope`); readers need
//! URLs (`/policies/usage/#scope`). Handbooks brought over from Jekyll or Hugo write links relative
//! to the page's URL instead (`../legal/` from `/guide/ar/building-community/` means
//! `/guide/ar/legal/`); a link that names no file under content/ is tried that way before it is
//! reported. A link from the site's root that names no source (`/tags/`, `/old/x/`,
//! `/assets/logo.svg`) is checked against the URLs the build makes (see
//! [`LinkMap::set_outputs`]). Links to missing pages and files are errors here; anchors are
//! checked once every page is rendered, because only then are all heading ids known.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::base::diag::did_you_mean;
use crate::base::url::{folder_url, has_scheme, normalize, percent_decode, site_url};
use crate::content::folders::is_folder_page_name;
use crate::content::markdown::{Link, LinkResolver};

mod site_root;

/// Why a page is left out of a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    /// `draft: true`, in a build without `--drafts`.
    Draft,
    /// Internal (its own `visibility: internal`, or an internal section's), in a public build.
    Internal,
}

/// Why a page under content/ is not in the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unbuilt {
    /// Left out on purpose.
    Excluded(Exclusion),
    /// Its front matter could not be read; its own error says why.
    Failed,
}

/// Everything a link can point to inside the site.
#[derive(Debug, Default)]
pub struct LinkMap {
    /// Base path every URL starts with (`/` or `/handbook/`).
    base_path: String,
    /// The content folder as messages name it (`content`, `docs`).
    content_shown: PathBuf,
    /// Markdown source (relative to content/) → page index and URL path.
    pages: HashMap<PathBuf, (usize, String)>,
    /// Folders with an `_index.md` or `index.md` → page index and URL path.
    folders: HashMap<PathBuf, (usize, String)>,
    /// Pages left out of this build, and why.
    excluded: HashMap<PathBuf, Exclusion>,
    /// Other files under content/ left out of this build (those in internal sections).
    excluded_files: HashSet<PathBuf>,
    /// Pages whose front matter could not be read; their own error is reported already.
    failed: HashSet<PathBuf>,
    /// Other files under content/ (relative to content/), copied to the same path in the output.
    files: HashSet<PathBuf>,
    /// URL path of each page (`policies/usage/`, without base) → page index and URL, for links
    /// written relative to a page's URL.
    by_url_path: HashMap<String, (usize, String)>,
    /// The last segments of the page URL paths in `by_url_path`, by their URL folder
    /// (`guide/ar` → `legal`, …), sorted: made on the first broken link that needs them, so
    /// that each one compares its siblings, not every page of the site.
    siblings: OnceLock<HashMap<String, Vec<String>>>,
    /// Markdown source → its page's URL path (without base), where such links start from.
    url_paths: HashMap<PathBuf, String>,
    /// URL path that the file name gives each excluded or failed page → its source, so that links
    /// to it written relative to a page's URL get the same treatment as links to its file; also
    /// the URL such a page would have had and its aliases, for links from the site's root.
    unbuilt_url_paths: HashMap<String, PathBuf>,
    /// The files the build writes besides pages and content/'s files (relative to the output:
    /// `tags/index.html`, `old/x/index.html`, `assets/folio.css`), once known: a link from the
    /// site's root to none of them, nor to a page, is broken. `None` leaves such links as
    /// written, unchecked.
    outputs: Option<HashSet<String>>,
}

impl LinkMap {
    /// An empty map for a site served under `base_path`, whose content folder messages name
    /// `content_shown` (see [`crate::input::config::Config::content_shown`]).
    pub fn new(base_path: &str, content_shown: &Path) -> Self {
        LinkMap {
            base_path: base_path.to_string(),
            content_shown: content_shown.to_path_buf(),
            ..Default::default()
        }
    }

    /// Registers a page: its source (relative to content/), index and URL path (without base);
    /// `folder_page` when it is its folder's own page, which links to the folder lead to.
    pub fn add_page(&mut self, source: &Path, index: usize, url_path: &str, folder_page: bool) {
        let url = self.url(url_path);
        if folder_page {
            let folder = source.parent().unwrap_or(Path::new("")).to_path_buf();
            self.folders.entry(folder).or_insert((index, url.clone()));
        }
        self.by_url_path
            .entry(url_path.to_string())
            .or_insert((index, url.clone()));
        self.siblings = OnceLock::new();
        self.url_paths
            .insert(source.to_path_buf(), url_path.to_string());
        self.pages.insert(source.to_path_buf(), (index, url));
    }

    /// Registers a page that exists but is not built, so links to it get a precise error.
    pub fn add_excluded(&mut self, source: &Path, why: Exclusion) {
        self.excluded.insert(source.to_path_buf(), why);
        self.add_unbuilt_url_path(source);
    }

    /// Registers a non-Markdown file under content/ that a public build leaves out with the
    /// internal section holding it.
    pub fn add_excluded_file(&mut self, source: &Path) {
        self.excluded_files.insert(source.to_path_buf());
    }

    /// Registers a page that failed to load, so links to it do not add errors of their own.
    pub fn add_failed(&mut self, source: &Path) {
        self.failed.insert(source.to_path_buf());
        self.add_unbuilt_url_path(source);
    }

    /// Remembers the URL a page left out of the build would have had without a `slug`.
    fn add_unbuilt_url_path(&mut self, source: &Path) {
        let dir = source.parent().unwrap_or(Path::new(""));
        let page_dir = if is_folder_page_name(source) {
            dir.to_path_buf()
        } else {
            dir.join(source.file_stem().unwrap_or_default())
        };
        self.unbuilt_url_paths
            .entry(folder_url(&page_dir))
            .or_insert_with(|| source.to_path_buf());
    }

    /// Registers a URL path (`old/x/`) that a page left out of the build would have had, its
    /// own (with a `slug`) or an alias: a link from the site's root to it gets the same error as
    /// a link to the page's file.
    pub fn add_unbuilt_url(&mut self, url_path: &str, source: &Path) {
        self.unbuilt_url_paths
            .entry(url_path.to_string())
            .or_insert_with(|| source.to_path_buf());
    }

    /// Registers the files the build writes besides pages and content/'s files (relative to the
    /// output, `/`-separated), so that links from the site's root are checked against them.
    pub fn set_outputs(&mut self, outputs: HashSet<String>) {
        self.outputs = Some(outputs);
    }

    /// Registers a non-Markdown file under content/.
    pub fn add_file(&mut self, source: &Path) {
        self.files.insert(source.to_path_buf());
    }

    /// The site-relative URL for a URL path such as `policies/usage/`.
    pub fn url(&self, url_path: &str) -> String {
        site_url(&self.base_path, url_path)
    }

    /// Why the page at a Markdown source path (relative to content/) is not built, when it
    /// exists but is not.
    pub fn unbuilt(&self, source: &Path) -> Option<Unbuilt> {
        if self.failed.contains(source) {
            return Some(Unbuilt::Failed);
        }
        self.excluded.get(source).copied().map(Unbuilt::Excluded)
    }

    /// The page a Markdown source path (relative to content/) became, if it is built.
    pub fn page(&self, source: &Path) -> Option<(usize, &str)> {
        self.pages.get(source).map(|(i, url)| (*i, url.as_str()))
    }

    fn missing_page(&self, dest: &str, target: &Path) -> Link {
        if self.failed.contains(target) {
            return Link::Unchanged;
        }
        match self.excluded.get(target) {
            Some(Exclusion::Draft) => {
                return Link::Broken {
                    message: format!(
                        "link to draft page `{dest}`, which is left out of this build"
                    ),
                    help: Some(
                        "build with --drafts, or remove `draft: true` from that page".into(),
                    ),
                };
            }
            Some(Exclusion::Internal) => return internal_link(&format!("internal page `{dest}`")),
            None => {}
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
            .or_else(|| {
                Some(format!(
                    "no file `{}` exists",
                    self.content_shown.join(&*target_text).display()
                ))
            });
        Link::Broken {
            message: format!("link to a missing page `{dest}`"),
            help,
        }
    }

    /// A link to a source under content/ (`target`, relative to content/): a Markdown page, a
    /// file or a folder with a page. `None` when nothing under content/ has that path.
    fn resolve_source(&self, target: &Path, dest: &Dest<'_>) -> Option<Link> {
        let is_markdown = target
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if is_markdown {
            // `folder/README.md`, `folder/index.md`: the folder's page, whichever file it is.
            let folder_page = || {
                let folder = target.parent().unwrap_or(Path::new(""));
                self.folders
                    .get(folder)
                    .filter(|_| is_folder_page_name(target))
            };
            return Some(match self.pages.get(target).or_else(folder_page) {
                Some((page, url)) => Link::Internal {
                    href: dest.href(url),
                    page: Some(*page),
                    anchor: dest.anchor(),
                },
                None => self.missing_page(dest.written, target),
            });
        }
        if self.excluded_files.contains(target) {
            return Some(internal_link(&format!(
                "`{}` in an internal section",
                dest.written
            )));
        }
        if self.files.contains(target) {
            let url = self.url(&target.to_string_lossy());
            return Some(Link::Internal {
                href: dest.href(&url),
                page: None,
                anchor: None,
            });
        }
        if let Some((page, url)) = self.folders.get(target) {
            return Some(Link::Internal {
                href: dest.href(url),
                page: Some(*page),
                anchor: dest.anchor(),
            });
        }
        // A folder whose own page is left out of the build: say why, as for a link to its file.
        let excluded = self
            .excluded
            .keys()
            .find(|page| page.parent() == Some(target) && is_folder_page_name(page));
        excluded
            .cloned()
            .map(|page| self.missing_page(dest.written, &page))
    }

    /// The error for a link that names neither a source under content/ (`target`) nor a URL in
    /// the site, with the closest page URL when there is one.
    fn missing_file(&self, from: &Path, dest: &Dest<'_>, target: &Path) -> Link {
        let mut help = format!(
            "no file or folder `content/{}` exists",
            target.to_string_lossy()
        );
        let joined = self
            .url_paths
            .get(from)
            .and_then(|base| join_url_path(base, &dest.path));
        if let Some(joined) = joined {
            let url_path = if dest.path.ends_with('/') && !joined.is_empty() {
                format!("{joined}/")
            } else {
                joined.clone()
            };
            help.push_str(&format!(
                ", and no page has the URL `{}`",
                self.url(&url_path)
            ));
            if let Some(close) = self.closest_sibling_url(&joined) {
                help.push_str(&format!("; did you mean `{close}`?"));
            }
        }
        Link::Broken {
            message: format!("link to a missing file `{}`", dest.written),
            help: Some(help),
        }
    }

    /// The URL of the page in the same URL folder whose last segment is closest to that of
    /// `url_path` (`guide/ar/legl` → `/guide/ar/legal/`). Only siblings are compared: across
    /// folders, long URLs that share most of their text look close and suggest the wrong page.
    fn closest_sibling_url(&self, url_path: &str) -> Option<String> {
        let (parent, name) = url_path.rsplit_once('/').unwrap_or(("", url_path));
        let siblings: Vec<&str> = self
            .siblings()
            .get(parent)?
            .iter()
            .map(String::as_str)
            .collect();
        let close = did_you_mean(name, &siblings)?;
        let folder = if parent.is_empty() {
            String::new()
        } else {
            format!("{parent}/")
        };
        Some(self.url(&format!("{folder}{close}/")))
    }

    /// The page URL paths' last segments by URL folder (see `siblings`).
    fn siblings(&self) -> &HashMap<String, Vec<String>> {
        self.siblings.get_or_init(|| {
            let mut siblings: HashMap<String, Vec<String>> = HashMap::new();
            for url in self.by_url_path.keys() {
                let Some(url) = url.strip_suffix('/') else {
                    continue;
                };
                let (parent, name) = url.rsplit_once('/').unwrap_or(("", url));
                siblings
                    .entry(parent.to_string())
                    .or_default()
                    .push(name.to_string());
            }
            for names in siblings.values_mut() {
                names.sort_unstable();
            }
            siblings
        })
    }

    /// A link written relative to the URL of the page whose source is `from`, as Jekyll and Hugo
    /// authors write them: from `/guide/ar/building-community/`, `../legal/` (or `../legal`) is
    /// the page at `/guide/ar/legal/`. A file copied from content/ matches too. `None` when
    /// nothing in the site has that URL.
    fn resolve_url_relative(&self, from: &Path, dest: &Dest<'_>) -> Option<Link> {
        let base = self.url_paths.get(from)?;
        let joined = join_url_path(base, &dest.path)?;
        let page_url_path = if joined.is_empty() {
            String::new()
        } else {
            format!("{joined}/")
        };
        if let Some((page, url)) = self.by_url_path.get(&page_url_path) {
            return Some(Link::Internal {
                href: dest.href(url),
                page: Some(*page),
                anchor: dest.anchor(),
            });
        }
        if let Some(source) = self.unbuilt_url_paths.get(&page_url_path) {
            return Some(self.missing_page(dest.written, source));
        }
        let names_file = !dest.path.ends_with('/') && self.files.contains(Path::new(&joined));
        names_file.then(|| Link::Internal {
            href: dest.href(&self.url(&joined)),
            page: None,
            anchor: None,
        })
    }
}

impl LinkResolver for LinkMap {
    fn content_shown(&self) -> &Path {
        &self.content_shown
    }

    fn resolve(&self, from: &Path, dest: &str) -> Link {
        let Some(dest) = Dest::parse(dest) else {
            return Link::Unchanged;
        };
        let from_root = dest.path.starts_with('/');
        let joined = if from_root {
            PathBuf::from(dest.path.trim_start_matches('/'))
        } else {
            from.parent().unwrap_or(Path::new("")).join(&dest.path)
        };
        // Only when no source under content/ matches, and never for `.md` paths, which always
        // name a source file: a link means what it meant before wherever it already resolved.
        let url_relative = || {
            let applies = !from_root && !dest.is_markdown();
            applies.then(|| self.resolve_url_relative(from, &dest))?
        };
        let Some(target) = normalize(&joined) else {
            return url_relative().unwrap_or_else(|| Link::Broken {
                message: format!("link `{}` points outside the content folder", dest.written),
                help: None,
            });
        };
        if let Some(link) = self.resolve_source(&target, &dest) {
            return link;
        }
        if from_root {
            return self.resolve_site_path(&dest).unwrap_or(Link::Unchanged);
        }
        url_relative().unwrap_or_else(|| self.missing_file(from, &dest, &target))
    }
}

/// The error for a link from a page of a public build to something only internal builds have.
fn internal_link(what: &str) -> Link {
    Link::Broken {
        message: format!("link to {what}, which a public build leaves out"),
        help: Some("make the linking page internal too, or link to a public page".into()),
    }
}

/// A link destination taken apart.
struct Dest<'a> {
    /// As written, for messages.
    written: &'a str,
    /// The path, percent-decoded, without query or fragment; never empty.
    path: String,
    /// The fragment as written, without `#`.
    fragment: Option<&'a str>,
}

impl<'a> Dest<'a> {
    /// `None` for destinations Folio leaves alone: URLs with a scheme or host, and links with no
    /// path (`?query` alone; `#anchor` alone is checked by the renderer).
    fn parse(written: &'a str) -> Option<Dest<'a>> {
        if has_scheme(written) || written.starts_with("//") {
            return None;
        }
        let (path_and_query, fragment) = match written.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (written, None),
        };
        let path = path_and_query.split('?').next().unwrap_or("");
        (!path.is_empty()).then(|| Dest {
            written,
            path: percent_decode(path),
            fragment,
        })
    }

    /// `url` with the fragment, if any, as written.
    fn href(&self, url: &str) -> String {
        match self.fragment {
            Some(f) => format!("{url}#{f}"),
            None => url.to_string(),
        }
    }

    /// The decoded fragment the target page must have, if any.
    fn anchor(&self) -> Option<String> {
        self.fragment.filter(|f| !f.is_empty()).map(percent_decode)
    }

    /// True when the path names a Markdown source (`usage.md`), which is never a URL.
    fn is_markdown(&self) -> bool {
        Path::new(&self.path)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
    }
}

/// Resolves the relative URL path `path` against the URL path `base` (`guide/ar/page/`):
/// segments joined by `/`, without leading or trailing slash, `None` when it climbs above the
/// site root.
fn join_url_path(base: &str, path: &str) -> Option<String> {
    let mut segments: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            other => segments.push(other),
        }
    }
    Some(segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn map() -> LinkMap {
        let mut map = LinkMap::new("/hb/", Path::new("content"));
        map.add_page(Path::new("policies/usage.md"), 1, "policies/usage/", false);
        map.add_page(Path::new("policies/_index.md"), 2, "policies/", true);
        map.add_file(Path::new("policies/chart.png"));
        map.add_excluded(Path::new("policies/wip.md"), Exclusion::Draft);
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
    fn links_to_left_out_pages_say_why() {
        let mut m = map();
        m.add_excluded(Path::new("staff/_index.md"), Exclusion::Internal);
        m.add_excluded(Path::new("staff/pay.md"), Exclusion::Internal);
        m.add_excluded_file(Path::new("staff/rota.pdf"));
        let from = Path::new("policies/usage.md");
        let broken = |dest: &str| match m.resolve(from, dest) {
            Link::Broken { message, help } => (message, help.unwrap()),
            other => panic!("expected a broken link, got {other:?}"),
        };
        let (message, help) = broken("../staff/pay.md");
        assert_eq!(
            message,
            "link to internal page `../staff/pay.md`, which a public build leaves out"
        );
        assert_eq!(
            help,
            "make the linking page internal too, or link to a public page"
        );
        assert!(broken("../staff/").0.contains("internal page `../staff/`"));
        assert_eq!(
            broken("../staff/rota.pdf").0,
            "link to `../staff/rota.pdf` in an internal section, which a public build leaves out"
        );
        let (message, help) = broken("wip.md");
        assert_eq!(
            message,
            "link to draft page `wip.md`, which is left out of this build"
        );
        assert!(help.contains("--drafts"), "{help}");
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
    fn links_relative_to_the_page_url_resolve_when_no_source_matches() {
        let mut m = map();
        m.add_page(
            Path::new("guide/ar/building-community.md"),
            3,
            "guide/ar/building-community/",
            false,
        );
        m.add_page(Path::new("guide/ar/legal.md"), 4, "guide/ar/legal/", false);
        m.add_page(Path::new("guide/ar/_index.md"), 5, "guide/ar/", true);
        m.add_page(
            Path::new("guide/ar/renamed.md"),
            6,
            "guide/ar/short/",
            false,
        );
        m.add_file(Path::new("guide/ar/map.png"));
        let from = Path::new("guide/ar/building-community.md");
        let legal = |href: &str, anchor: Option<&str>| Link::Internal {
            href: href.into(),
            page: Some(4),
            anchor: anchor.map(str::to_string),
        };
        assert_eq!(
            m.resolve(from, "../legal/"),
            legal("/hb/guide/ar/legal/", None)
        );
        assert_eq!(
            m.resolve(from, "../legal"),
            legal("/hb/guide/ar/legal/", None)
        );
        assert_eq!(
            m.resolve(from, "../legal/#the-license"),
            legal("/hb/guide/ar/legal/#the-license", Some("the-license"))
        );
        assert_eq!(
            m.resolve(from, "../legal/#caf%C3%A9"),
            legal("/hb/guide/ar/legal/#caf%C3%A9", Some("café"))
        );
        // A slug changes the URL, and the URL is what such a link names.
        assert!(matches!(
            m.resolve(from, "../short/"),
            Link::Internal { page: Some(6), .. }
        ));
        assert!(matches!(
            m.resolve(from, "../renamed/"),
            Link::Broken { .. }
        ));
        // `../` names no folder with a page under content/ here, so it is the URL's parent.
        // Files copied beside the pages have URLs too.
        assert!(matches!(
            m.resolve(from, "../"),
            Link::Internal { page: Some(5), .. }
        ));
        assert_eq!(
            m.resolve(from, "../map.png"),
            Link::Internal {
                href: "/hb/guide/ar/map.png".into(),
                page: None,
                anchor: None
            }
        );
        // Climbing out of content/ as a file path is fine as a URL path inside the site.
        assert!(matches!(
            m.resolve(from, "../../../policies/usage/#scope"),
            Link::Internal { page: Some(1), .. }
        ));
    }

    #[test]
    fn source_paths_win_over_page_urls_and_misses_stay_errors() {
        let mut m = map();
        m.add_page(
            Path::new("policies/usage/usage.md"),
            3,
            "policies/usage/usage/",
            false,
        );
        // No folder `policies/usage/` has a page of its own; from the URL `/policies/usage/`,
        // `usage/` is the nested page.
        let from = Path::new("policies/usage.md");
        assert!(matches!(
            m.resolve(from, "usage/"),
            Link::Internal { page: Some(3), .. }
        ));
        // A folder with a page under content/ is a source path: it wins.
        assert!(matches!(
            m.resolve(from, "./"),
            Link::Internal { page: Some(2), .. }
        ));
        // `.md` paths always name source files.
        assert!(matches!(
            m.resolve(from, "usage/other.md"),
            Link::Broken { message, .. } if message.contains("missing page")
        ));
        let Link::Broken { message, help } = m.resolve(from, "../nothing/#x") else {
            panic!("expected a broken link");
        };
        assert_eq!(message, "link to a missing file `../nothing/#x`");
        assert_eq!(
            help.unwrap(),
            "no file or folder `content/nothing` exists, and no page has the URL `/hb/policies/nothing/`"
        );
        let Link::Broken { help, .. } = m.resolve(from, "../usag/#scope") else {
            panic!("expected a broken link");
        };
        assert_eq!(
            help.unwrap(),
            "no file or folder `content/usag` exists, and no page has the URL `/hb/policies/usag/`; did you mean `/hb/policies/usage/`?"
        );
        assert!(matches!(
            m.resolve(from, "../../../x/"),
            Link::Broken { message, .. } if message.contains("outside the content folder")
        ));
        // Site-absolute paths are not relative to anything.
        assert_eq!(m.resolve(from, "/usage/"), Link::Unchanged);
    }

    #[test]
    fn url_relative_links_to_pages_left_out_are_treated_like_links_to_their_files() {
        let mut m = map();
        m.add_page(Path::new("guide/a.md"), 3, "guide/a/", false);
        m.add_failed(Path::new("guide/broken.md"));
        m.add_excluded(Path::new("guide/wip/index.md"), Exclusion::Draft);
        let from = Path::new("guide/a.md");
        // The page's own front-matter error is reported already.
        assert_eq!(m.resolve(from, "../broken/#x"), Link::Unchanged);
        let Link::Broken { message, .. } = m.resolve(from, "../wip/") else {
            panic!("expected a broken link");
        };
        assert_eq!(
            message,
            "link to draft page `../wip/`, which is left out of this build"
        );
    }
}
