//! The navigation an author already wrote for another generator, read as data: one tree type for
//! all of them, and per-folder settings. `folio import` reports them; the build reads them
//! ([`site::read`]) and applies them to the sidebar (`crate::content::nav`).
//!
//! | source | reader | what it gives |
//! |---|---|---|
//! | mkdocs.yml `nav` | [`mkdocs_nav`] | the whole tree |
//! | awesome-pages `.pages` | [`awesome_pages`] | one folder's [`FolderSettings`], its `nav` included |
//! | mdBook `SUMMARY.md` | [`mdbook_summary`] | the whole tree |
//! | Docusaurus `_category_.json` / `_category_.yml` | [`docusaurus_category`] | one folder's [`FolderSettings`] |
//! | Eleventy `eleventyNavigation` (front matter) | [`eleventy_tree`] | the whole tree, from each page's key, parent, order and title |
//!
//! Every path in a tree is relative to the content folder, `/`-separated, without `./` or `..`:
//! each reader resolves the paths of its own file (a `.pages` file names entries of its folder,
//! SUMMARY.md of its own folder, mkdocs.yml of `docs_dir`). Problems are [`Diagnostic`]s with
//! the file, line and column wherever the format gives a position.
//!
//! # How the build applies a tree
//!
//! The tree is the sidebar the author meant, and only the sidebar: it never decides which pages
//! are built, nor their URLs.
//!
//! - **Order and titles.** Entries appear in the order written. An entry's `title` is the page's
//!   title *in the navigation* (as Hugo's `linkTitle`); the page keeps its own title as its
//!   heading. An entry without a title shows the page's or folder's own title.
//! - **Pages and folders.** A [`NavTarget::Path`] naming a Markdown file links to that page; one
//!   naming a folder stands for the folder: its own page, and below it the folder's contents in
//!   the folder's order (its [`FolderSettings`], else Folio's default order). When such an entry
//!   has children, they are the folder's order instead.
//! - **The rest.** [`NavTarget::Rest`] (`...`) stands for every page and folder of the same folder
//!   that no entry of that list names, in the default order (or the folder's `order`). A list
//!   without `...` lists only what it names.
//! - **Groups.** A [`NavTarget::Group`] is a heading that is not a link (an MkDocs section, an
//!   mdBook part title or draft chapter), with its children below it; a group without a title
//!   stands for its children, in its place.
//! - **Links and separators.** [`NavTarget::Url`] is a link to another site, shown as such;
//!   [`NavTarget::Separator`] is a line between entries, which a theme may draw or leave out.
//! - **Pages left out** of every tree are still built, listed in search, in their folder's index
//!   page and reachable from links: they are only missing from the sidebar. An entry naming
//!   a page or folder that does not exist is a warning at the entry's position (as MkDocs and
//!   awesome-pages report it), never an error, so that a handbook builds as it did before.
//! - **Folder settings** ([`FolderSettings`]): `title` names the folder in the sidebar and
//!   breadcrumbs, `hidden` leaves the folder out of the sidebar (its pages are still built),
//!   `sort` orders what no `nav` orders, `position` places the folder among its siblings
//!   (Docusaurus), and `landing` says which page the folder's entry opens.

mod category;
mod eleventy;
mod mkdocs;
pub mod site;
mod summary;

use std::path::Path;

use crate::base::diag::{Diagnostic, Location};

pub use category::docusaurus_category;
pub use eleventy::{EleventyPage, eleventy_tree};
pub use mkdocs::{awesome_pages, mkdocs_nav};
pub use summary::mdbook_summary;

/// One entry of a navigation the author wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct NavEntry {
    /// The title written for the entry; `None` keeps the page's or folder's own title.
    pub title: Option<String>,
    /// What the entry opens.
    pub target: NavTarget,
    /// The entries nested under it, in order.
    pub children: Vec<NavEntry>,
    /// Where the entry is written, when the reader could find it.
    pub location: Option<Location>,
}

/// What a navigation entry points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NavTarget {
    /// A page (`policies/usage.md`) or a folder (`policies`), relative to the content folder.
    Path(String),
    /// A URL: another site (`https://…`, `mailto:…`) or a path from the site's root (`/x/`).
    Url(String),
    /// `...`: the pages and folders of the folder that no other entry names. `filter` is what
    /// awesome-pages allows after a `|` (`flat`, `glob=*.md`, `regex=…`), as written.
    Rest {
        /// The text after `|`, trimmed; `None` for a bare `...`.
        filter: Option<String>,
    },
    /// A heading that opens no page, with the entry's children under it.
    Group,
    /// A line between entries (mdBook's `---`).
    Separator,
}

/// How a folder's pages are sorted where no `nav` orders them (awesome-pages' `order`,
/// `sort_type` and `order_by`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sort {
    /// `order: desc`.
    pub descending: bool,
    /// `sort_type: natural`: `page-2` before `page-10`.
    pub natural: bool,
    /// `order_by: title`: by title rather than file name.
    pub by_title: bool,
}

/// Which page a folder's navigation entry opens (Docusaurus' `link`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Landing {
    /// A page of the site, by Docusaurus document id: its path relative to the content folder
    /// without `.md`, unless a page sets another `id` in its front matter.
    Doc(String),
    /// A page listing the folder's pages, which the site generates.
    GeneratedIndex {
        /// Its title (the folder's title when `None`).
        title: Option<String>,
        /// The sentence under the title.
        description: Option<String>,
        /// Its URL, when the author chose one.
        slug: Option<String>,
    },
}

/// The settings one folder's file gives the folder (a `.pages` or `_category_.json` file).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FolderSettings {
    /// The folder, relative to the content folder (`` for the content folder itself).
    pub folder: String,
    /// The folder's title in the navigation.
    pub title: Option<String>,
    /// True when the folder is left out of the navigation (its pages are still built).
    pub hidden: bool,
    /// How its contents are sorted where `nav` does not order them.
    pub sort: Option<Sort>,
    /// Its place among its siblings, smallest first (Docusaurus' `position`).
    pub position: Option<f64>,
    /// Whether the folder starts folded in the sidebar.
    pub collapsed: Option<bool>,
    /// The page the folder's entry opens.
    pub landing: Option<Landing>,
    /// The folder's own order: entries relative to the content folder.
    pub nav: Option<Vec<NavEntry>>,
}

/// A reader's result: the value, and the warnings found on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    /// What was read.
    pub value: T,
    /// Problems that did not stop the reading (an unknown key).
    pub warnings: Vec<Diagnostic>,
}

/// The result of every reader: errors (each with its position) when the file cannot be read.
pub type NavResult<T> = Result<Parsed<T>, Vec<Diagnostic>>;

/// The number of entries in `entries` and below them, separators left out.
pub fn count_entries(entries: &[NavEntry]) -> usize {
    entries
        .iter()
        .map(|e| usize::from(e.target != NavTarget::Separator) + count_entries(&e.children))
        .sum()
}

/// True when `target` is a URL rather than a path: it has a scheme (`https://`, `mailto:`) or
/// starts from the site's root (`/`).
fn is_url(target: &str) -> bool {
    if target.starts_with('/') {
        return true;
    }
    let Some((scheme, rest)) = target.split_once(':') else {
        return false;
    };
    let is_scheme = scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme && (rest.starts_with("//") || matches!(scheme, "mailto" | "tel"))
}

/// `target`, written in a file of folder `base` (relative to the content folder), as a path
/// relative to the content folder: `./` and `..` resolved, trailing `/` dropped. An error when
/// it climbs out of the content folder.
fn resolve(base: &str, target: &str) -> Result<String, String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!(
                        "`{target}` leads out of the content folder, where no page can be"
                    ));
                }
            }
            part => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

/// `...`, optionally followed by `| filter`: awesome-pages' "the rest".
fn rest(item: &str) -> Option<NavTarget> {
    let after = item.trim().strip_prefix("...")?;
    let after = after.trim();
    if after.is_empty() {
        return Some(NavTarget::Rest { filter: None });
    }
    let filter = after.strip_prefix('|')?.trim();
    Some(NavTarget::Rest {
        filter: Some(filter.to_string()).filter(|f| !f.is_empty()),
    })
}

/// Finds the entries of a file in its text, in the order they are written, to give each one a
/// position: the readers that go through serde get values without positions.
struct Finder<'a> {
    path: &'a Path,
    text: &'a str,
    offset: usize,
}

impl<'a> Finder<'a> {
    fn new(path: &'a Path, text: &'a str, offset: usize) -> Self {
        Finder { path, text, offset }
    }

    /// The next place `needle` is written, after the last one found.
    fn next(&mut self, needle: &str) -> Option<Location> {
        if needle.is_empty() {
            return None;
        }
        let found = self.offset + self.text.get(self.offset..)?.find(needle)?;
        self.offset = found + needle.len();
        Some(Location::from_offset(
            self.path,
            self.text,
            found,
            needle.len(),
        ))
    }
}

/// The byte offset of the line that starts with `key:` at the left margin, where a top-level
/// YAML key is.
fn top_level_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let unquoted = line.trim_start_matches(['"', '\'']);
        if let Some(after) = unquoted.strip_prefix(key)
            && after.trim_start_matches(['"', '\'']).starts_with(':')
        {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// A warning for each key of a folder settings file that its generator does not know.
fn unknown_keys(path: &Path, text: &str, keys: &[String], known: &[&str]) -> Vec<Diagnostic> {
    keys.iter()
        .map(|key| {
            let offset = top_level_key(text, key)
                .or_else(|| text.find(&format!("\"{key}\"")))
                .unwrap_or(0);
            let d = Diagnostic::warning(format!(
                "unknown key `{key}` in `{}`: it is not read",
                path.display()
            ))
            .at(Location::from_offset(path, text, offset, key.len()));
            match crate::base::diag::did_you_mean(key, known) {
                Some(known) => d.with_help(format!("did you mean `{known}`?")),
                None => d.with_help(format!("known keys: {}", known.join(", "))),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the navigation files are made of, for random files.
    const PIECES: &[&str] = &[
        "nav:\n",
        "arrange:\n",
        "title: ",
        "- ",
        "  ",
        ": ",
        "...",
        " | ",
        "[",
        "](",
        ")",
        "()",
        "# ",
        "---\n",
        "\n",
        "\t",
        "{",
        "}",
        "\"",
        "'",
        "\"label\": ",
        "\"link\": ",
        "\"type\": ",
        "doc",
        "generated-index",
        "%20",
        "../",
        "./",
        "https://x",
        "!ENV ",
        "&a ",
        "*a",
        "1.",
    ];

    fn text_of(max: usize) -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => proptest::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..max).prop_map(|parts| parts.concat())
    }

    /// Every entry's position is in the file, on a line it has.
    fn positions_hold(entries: &[NavEntry], text: &str) -> bool {
        let lines = text.split('\n').count();
        entries.iter().all(|e| {
            e.location
                .as_ref()
                .is_none_or(|l| l.line >= 1 && l.line <= lines)
                && positions_hold(&e.children, text)
        })
    }

    proptest! {
        // Failures are kept as unit tests, not in a proptest-regressions folder in the source tree.
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn readers_never_panic_and_place_entries_in_the_file(text in text_of(48)) {
            let path = Path::new("nav");
            if let Ok(Parsed { value: Some(entries), .. }) = mkdocs_nav(path, &text) {
                prop_assert!(positions_hold(&entries, &text));
            }
            if let Ok(Parsed { value: settings, .. }) = awesome_pages(path, "a", &text) {
                prop_assert!(positions_hold(settings.nav.as_deref().unwrap_or_default(), &text));
            }
            match mdbook_summary(path, &text) {
                Ok(parsed) => prop_assert!(positions_hold(&parsed.value, &text)),
                Err(errors) => prop_assert!(errors.iter().all(|e| e.location.is_some())),
            }
            for name in ["_category_.json", "_category_.yml"] {
                if let Err(errors) = docusaurus_category(Path::new(name), "a", &text) {
                    prop_assert!(errors.iter().all(|e| e.location.is_some()));
                }
            }
        }
    }

    #[test]
    fn urls_are_told_from_paths() {
        for url in [
            "https://example.org/x",
            "http://a",
            "mailto:ospo@example.org",
            "/policies/",
        ] {
            assert!(is_url(url), "{url}");
        }
        for path in ["policies.md", "a:b.md", "c:/x.md", "faq", "./x.md"] {
            assert!(!is_url(path), "{path}");
        }
    }

    #[test]
    fn paths_are_resolved_inside_the_content_folder() {
        assert_eq!(resolve("faq", "./legal.md").unwrap(), "faq/legal.md");
        assert_eq!(resolve("faq/legal", "../x/").unwrap(), "faq/x");
        assert_eq!(resolve("", "a//b.md").unwrap(), "a/b.md");
        assert!(
            resolve("faq", "../../x.md")
                .unwrap_err()
                .contains("out of the content")
        );
    }

    #[test]
    fn the_rest_takes_an_optional_filter() {
        assert_eq!(rest("..."), Some(NavTarget::Rest { filter: None }));
        assert_eq!(
            rest("... | glob=*-policy.md"),
            Some(NavTarget::Rest {
                filter: Some("glob=*-policy.md".into())
            })
        );
        assert_eq!(rest("...x"), None);
        assert_eq!(rest("page.md"), None);
    }
}
