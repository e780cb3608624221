//! The sidebar: what a page's HTML holds of the navigation tree, and the one file per language
//! version that holds all of it.
//!
//! A page carries the top level and the path down to itself (each section on it open); a
//! section's page also the list it sits in and its children. Of the levels in
//! between it carries only the section on the path, so a page of a 10,000-page handbook does not
//! repeat dozens of links to other sections. The whole tree goes once into `_nav/<hash>.json`
//! (named by its content, so it can be cached for good): folio.js fills in the rest of each open
//! level from it on load, and a collapsed section's pages when the reader opens it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Contexts;

/// The folder, under the output's root, of the navigation files.
pub const NAV_DIR: &str = "_nav";

/// An entry of the sidebar.
#[derive(Debug, Serialize)]
pub struct NavItem {
    title: String,
    url: String,
    kind: &'static str,
    is_section: bool,
    active: bool,
    open: bool,
    children: Vec<NavItem>,
    /// Whether `children` are all sections: their list is marked once (`nav-sections`) rather
    /// than each of its entries (`nav-section`).
    sections: bool,
}

/// Whether `items` are all sections (and there are some).
pub(super) fn all_sections(items: &[NavItem]) -> bool {
    !items.is_empty() && items.iter().all(|item| item.is_section)
}

/// The navigation file of one language version: where it goes and what it holds.
#[derive(Debug, Clone)]
pub struct NavFile {
    /// The language version's folder (empty for the site's main language).
    pub root: PathBuf,
    /// Its path in the output, `/`-separated: `_nav/0123456789abcdef.json`.
    pub rel: String,
    /// The site-relative URL pages fetch it from.
    pub url: String,
    /// The JSON.
    pub bytes: Vec<u8>,
}

/// Which sections a page's sidebar shows open, and which lists it shows whole.
pub(super) struct NavPath<'p> {
    /// The page shown, if any.
    pub(super) current: Option<usize>,
    /// The folders of the open sections: the page's ancestors and, for a section, its own.
    pub(super) open: HashSet<&'p Path>,
    /// The folders whose lists are shown whole besides the top level: the page's parent's and
    /// its own (a section's).
    pub(super) whole: HashSet<&'p Path>,
}

impl<'a> Contexts<'a> {
    /// The sidebar of a page (`current`) or of a page with no place in the tree (`None`: only
    /// the top level), for the language version in `root`.
    pub(super) fn nav(&self, root: &Path, current: Option<usize>) -> Vec<NavItem> {
        let site = self.site;
        let mut path = NavPath {
            current,
            open: HashSet::new(),
            whole: HashSet::new(),
        };
        let ancestors: Vec<PathBuf> = current.map(|p| site.ancestors(p)).unwrap_or_default();
        if let Some(page) = current {
            path.open.extend(ancestors.iter().map(PathBuf::as_path));
            // A section's page shows the list it is in and its own; a page shows only itself
            // in its list (the section above it, open on the path, lists them all): on a large
            // handbook the list was over a kilobyte a page. folio.js fills it in from the file.
            if let (Some(parent), Some(_)) = (&site.parents[page], &site.pages[page].section_dir) {
                path.whole.insert(parent);
            }
            if let Some(dir) = &site.pages[page].section_dir {
                path.open.insert(dir);
                path.whole.insert(dir);
            }
        }
        self.nav_level(root, &path, true)
    }

    fn nav_level(&self, dir: &Path, path: &NavPath, whole: bool) -> Vec<NavItem> {
        let Some(section) = self.site.sections.get(dir) else {
            return Vec::new();
        };
        section
            .children
            .iter()
            .filter(|child| !self.site.nav.hidden.contains(child))
            .filter_map(|&child| {
                let page = &self.site.pages[child];
                let is_open = Some(child) == path.current
                    || page
                        .section_dir
                        .as_deref()
                        .is_some_and(|d| path.open.contains(d));
                if !whole && !is_open {
                    return None;
                }
                let children = match &page.section_dir {
                    Some(sub) if is_open => {
                        self.nav_level(sub, path, path.whole.contains(sub.as_path()))
                    }
                    _ => Vec::new(),
                };
                Some(NavItem {
                    sections: all_sections(&children),
                    title: self.nav_title(child),
                    url: self.entry_url(child),
                    kind: page.kind.as_str(),
                    is_section: page.section_dir.is_some(),
                    active: Some(child) == path.current,
                    open: is_open,
                    children,
                })
            })
            .collect()
    }

    /// A page's title in the sidebar: its entry's title in the author's navigation files, else
    /// its `linkTitle`, else its title.
    fn nav_title(&self, page: usize) -> String {
        self.site
            .nav
            .titles
            .get(&page)
            .cloned()
            .or_else(|| self.site.pages[page].front_matter.nav_title.clone())
            .unwrap_or_else(|| self.site.pages[page].title.clone())
    }

    /// The navigation file of the language version in `root`.
    pub(super) fn nav_file(&self, root: &Path) -> NavFile {
        let mut json = String::new();
        // The top level's URLs are whole: the file does not say where the language's home is.
        self.nav_json(root, "", &mut json);
        let hash = {
            use std::hash::Hasher;
            let mut hasher = siphasher::sip::SipHasher13::new();
            hasher.write(json.as_bytes());
            hasher.finish()
        };
        let rel = format!("{NAV_DIR}/{hash:016x}.json");
        NavFile {
            root: root.to_path_buf(),
            url: self.url_of(&rel),
            rel,
            bytes: json.into_bytes(),
        }
    }

    /// The sections and pages listed in `dir`, whole and all the way down, as JSON: a list of
    /// `[title, url]` for a page and `[title, url, [children]]` for a section. A URL that starts
    /// with its parent's URL (`parent`) is written without it (`usage/` under `/policies/`).
    fn nav_json(&self, dir: &Path, parent: &str, out: &mut String) {
        out.push('[');
        let Some(section) = self.site.sections.get(dir) else {
            out.push(']');
            return;
        };
        let mut first = true;
        for &child in &section.children {
            if self.site.nav.hidden.contains(&child) {
                continue;
            }
            if !first {
                out.push(',');
            }
            first = false;
            let url = self.entry_url(child);
            let short = url
                .strip_prefix(parent)
                .filter(|rest| parent.ends_with('/') && !rest.is_empty())
                .unwrap_or(&url);
            out.push('[');
            push_json_string(out, &self.nav_title(child));
            out.push(',');
            push_json_string(out, short);
            if let Some(sub) = &self.site.pages[child].section_dir {
                out.push(',');
                self.nav_json(sub, &url, out);
            }
            out.push(']');
        }
        out.push(']');
    }
}

/// `text` as a JSON string.
fn push_json_string(out: &mut String, text: &str) {
    out.push_str(&serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        let mut out = String::new();
        push_json_string(&mut out, "a \"b\" \\ </script>");
        assert_eq!(out, r#""a \"b\" \\ </script>""#);
    }
}
