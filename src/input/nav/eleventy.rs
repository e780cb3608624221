//! Eleventy's navigation plugin: each page's front matter may hold `eleventyNavigation` with a
//! `key`, the `parent` key it hangs under, an `order` and a `title`. This builds the tree those
//! keys describe, the way the plugin does: children sorted by `order` (0 when missing, ties in
//! the order the pages are given), a missing title shown as the key.
//!
//! Sites often hang a folder's pages under a parent key that no page has (`parent: guides`,
//! rendered as one sidebar per section by the templates). Such a key becomes an entry for the
//! deepest folder that holds all its pages, or an untitled group when only the top of the
//! content folder holds them all.

use std::collections::{HashMap, HashSet};

use super::{NavEntry, NavTarget, Parsed};
use crate::base::diag::{Diagnostic, Location};

/// One page's `eleventyNavigation`.
#[derive(Debug, Clone, PartialEq)]
pub struct EleventyPage {
    /// The page, relative to the content folder (`guides/index.md`).
    pub path: String,
    /// `key`: how other pages name this one as their parent.
    pub key: String,
    /// `parent`: the key of the entry this page hangs under.
    pub parent: Option<String>,
    /// `order` among its siblings.
    pub order: Option<f64>,
    /// `title` in the navigation.
    pub title: Option<String>,
    /// Where `eleventyNavigation` is written.
    pub location: Option<Location>,
}

/// The navigation tree of `pages` (in a stable order, such as by path), and the warnings found:
/// a key used by two pages, and pages whose parents lead round in a loop, which the plugin
/// never shows.
pub fn eleventy_tree(pages: &[EleventyPage]) -> Parsed<Vec<NavEntry>> {
    let mut warnings = Vec::new();
    // The page each key names: the first one, as a second would only repeat its children.
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    for (index, page) in pages.iter().enumerate() {
        if let Some(&first) = by_key.get(page.key.as_str()) {
            warnings.push(at(
                Diagnostic::warning(format!(
                    "the eleventyNavigation key `{}` is also the key of `{}`: pages under it are listed under that one only",
                    page.key, pages[first].path
                ))
                .with_help("give each page a key of its own"),
                page,
            ));
        } else {
            by_key.insert(&page.key, index);
        }
    }
    let mut children: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    // Parent keys that no page has, in the order they are first used.
    let mut virtual_parents: Vec<&str> = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        match page
            .parent
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => roots.push(index),
            Some(parent) => {
                if !by_key.contains_key(parent) && !virtual_parents.contains(&parent) {
                    virtual_parents.push(parent);
                }
                children.entry(parent).or_default().push(index);
            }
        }
    }
    let builder = Builder {
        pages,
        by_key,
        children,
    };
    let mut placed = HashSet::new();
    let mut tree = builder.entries(&roots, &mut placed);
    for parent in virtual_parents {
        let kids = &builder.children[parent];
        let entries = builder.entries(kids, &mut placed);
        tree.push(NavEntry {
            title: None,
            target: common_folder(kids.iter().map(|&i| pages[i].path.as_str()))
                .map_or(NavTarget::Group, NavTarget::Path),
            children: entries,
            location: None,
        });
    }
    for (index, page) in pages.iter().enumerate() {
        if !placed.contains(&index) {
            warnings.push(at(
                Diagnostic::warning(format!(
                    "`{}` is not in the navigation: following its eleventyNavigation parents from `{}` leads round in a loop",
                    page.path, page.key
                ))
                .with_help("make one page of the loop a top-level entry (no `parent`) or hang it under another key"),
                page,
            ));
        }
    }
    Parsed {
        value: tree,
        warnings,
    }
}

struct Builder<'a> {
    pages: &'a [EleventyPage],
    by_key: HashMap<&'a str, usize>,
    children: HashMap<&'a str, Vec<usize>>,
}

impl Builder<'_> {
    /// The entries of the pages `indexes`, sorted, each with its own children. A page already
    /// placed is not placed again, which ends any loop of parents.
    fn entries(&self, indexes: &[usize], placed: &mut HashSet<usize>) -> Vec<NavEntry> {
        let mut sorted: Vec<usize> = indexes
            .iter()
            .copied()
            .filter(|i| placed.insert(*i))
            .collect();
        let order = |i: &usize| self.pages[*i].order.unwrap_or(0.0);
        sorted.sort_by(|a, b| order(a).total_cmp(&order(b)));
        sorted
            .into_iter()
            .map(|index| {
                let page = &self.pages[index];
                // Only the page that owns its key takes the pages under that key.
                let owns_key = self.by_key.get(page.key.as_str()) == Some(&index);
                let kids = match self.children.get(page.key.as_str()) {
                    Some(kids) if owns_key => self.entries(kids, placed),
                    _ => Vec::new(),
                };
                NavEntry {
                    title: Some(page.title.clone().unwrap_or_else(|| page.key.clone())),
                    target: NavTarget::Path(page.path.clone()),
                    children: kids,
                    location: page.location.clone(),
                }
            })
            .collect()
    }
}

/// The deepest folder holding all of `paths` (`resources` for `resources/a.md` and
/// `resources/packaging/index.md`), or `None` when that is the top of the content folder.
fn common_folder<'a>(paths: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut common: Option<Vec<&str>> = None;
    for path in paths {
        let folder: Vec<&str> = path.split('/').collect();
        let folder = &folder[..folder.len() - 1];
        common = Some(match common {
            None => folder.to_vec(),
            Some(common) => common
                .iter()
                .zip(folder)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    common.filter(|c| !c.is_empty()).map(|c| c.join("/"))
}

fn at(diagnostic: Diagnostic, page: &EleventyPage) -> Diagnostic {
    match &page.location {
        Some(location) => diagnostic.at(location.clone()),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(
        path: &str,
        key: &str,
        parent: Option<&str>,
        order: Option<f64>,
        title: Option<&str>,
    ) -> EleventyPage {
        EleventyPage {
            path: path.into(),
            key: key.into(),
            parent: parent.map(str::to_string),
            order,
            title: title.map(str::to_string),
            location: None,
        }
    }

    fn outline(entries: &[NavEntry], depth: usize, out: &mut Vec<String>) {
        for e in entries {
            let target = match &e.target {
                NavTarget::Path(p) => p.clone(),
                NavTarget::Group => "(group)".into(),
                other => format!("{other:?}"),
            };
            out.push(format!(
                "{}{} {}",
                "  ".repeat(depth),
                e.title.as_deref().unwrap_or("-"),
                target
            ));
            outline(&e.children, depth + 1, out);
        }
    }

    fn tree(pages: &[EleventyPage]) -> (Vec<String>, Vec<Diagnostic>) {
        let parsed = eleventy_tree(pages);
        let mut out = Vec::new();
        outline(&parsed.value, 0, &mut out);
        (out, parsed.warnings)
    }

    #[test]
    fn keys_and_parents_make_a_sorted_tree() {
        let (out, warnings) = tree(&[
            page("index.md", "Home", None, Some(1.0), None),
            page(
                "policies/index.md",
                "policies",
                None,
                Some(2.0),
                Some("Policies"),
            ),
            page(
                "policies/publishing.md",
                "publishing",
                Some("policies"),
                Some(2.0),
                Some("Publishing code"),
            ),
            page(
                "policies/using.md",
                "using",
                Some("policies"),
                Some(1.0),
                Some("Using open source"),
            ),
            page(
                "policies/licences.md",
                "licences",
                Some("using"),
                None,
                Some("Licences"),
            ),
            page("faq.md", "faq", None, Some(1.0), Some("FAQ")),
        ]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            out,
            [
                // Equal orders keep the order the pages were given in.
                "Home index.md",
                "FAQ faq.md",
                "Policies policies/index.md",
                "  Using open source policies/using.md",
                "    Licences policies/licences.md",
                "  Publishing code policies/publishing.md",
            ]
        );
    }

    #[test]
    fn a_parent_no_page_has_becomes_its_folder() {
        let (out, warnings) = tree(&[
            page(
                "growing/index.md",
                "growing-main",
                Some("growing"),
                Some(1.0),
                Some("Growing"),
            ),
            page(
                "growing/mentoring.md",
                "growing-mentoring",
                Some("growing"),
                Some(3.0),
                Some("Mentoring"),
            ),
            page(
                "growing/talks.md",
                "growing-talks",
                Some("growing"),
                Some(2.0),
                Some("Giving talks"),
            ),
            page("about.md", "about", Some("misc"), None, None),
            page("contact.md", "contact", Some("misc"), Some(-1.0), None),
            page("team/people.md", "people", Some("misc"), None, None),
            page("guides/a.md", "a", Some("guides"), Some(1.0), Some("A")),
            page(
                "guides/deep/index.md",
                "deep",
                Some("guides"),
                Some(2.0),
                Some("Deep"),
            ),
            page("guides/deep/b.md", "b", Some("deep"), None, Some("B")),
        ]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            out,
            [
                "- growing",
                "  Growing growing/index.md",
                "  Giving talks growing/talks.md",
                "  Mentoring growing/mentoring.md",
                // Spread over folders: an untitled group; titles default to the key.
                "- (group)",
                "  contact contact.md",
                "  about about.md",
                "  people team/people.md",
                // The deepest folder holding them all, a subfolder's own page included.
                "- guides",
                "  A guides/a.md",
                "  Deep guides/deep/index.md",
                "    B guides/deep/b.md",
            ]
        );
    }

    #[test]
    fn repeated_keys_and_loops_are_warnings() {
        let mut twice = page("b.md", "a", None, Some(2.0), Some("B"));
        twice.location = Some(Location::from_offset(
            std::path::Path::new("content/b.md"),
            "---\neleventyNavigation:\n",
            4,
            18,
        ));
        let (out, warnings) = tree(&[
            page("a.md", "a", None, Some(1.0), Some("A")),
            twice,
            page("c.md", "c", Some("a"), None, Some("C")),
            page("x.md", "x", Some("y"), None, Some("X")),
            page("y.md", "y", Some("x"), None, Some("Y")),
            page("self.md", "self", Some("self"), None, Some("Self")),
        ]);
        assert_eq!(out, ["A a.md", "  C c.md", "B b.md"]);
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the eleventyNavigation key `a` is also the key of `a.md`: pages under it are listed under that one only",
                "`x.md` is not in the navigation: following its eleventyNavigation parents from `x` leads round in a loop",
                "`y.md` is not in the navigation: following its eleventyNavigation parents from `y` leads round in a loop",
                "`self.md` is not in the navigation: following its eleventyNavigation parents from `self` leads round in a loop",
            ]
        );
        assert_eq!(warnings[0].location.as_ref().map(|l| l.line), Some(2));
    }
}
