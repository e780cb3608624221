//! Folder pages: which Markdown file of a folder is the folder's own page.
//!
//! Generators disagree on the name: Hugo writes `_index.md`, Eleventy and Jekyll `index.md`,
//! MkDocs, mdBook and GitHub `README.md`. Folio takes any of them, in any case, as the page of
//! its folder, at the folder's URL (`/code-reviews/`, never `/code-reviews/README/`). When a
//! folder has more than one, the first in the order `_index.md`, `index.md`, `README.md` wins
//! and each other one is an ordinary page of the folder, with a warning.
//!
//! A folder page is the folder's section page (listing the folder's pages and sub-folders)
//! when the folder holds other pages, and always at the top of the content folder (the home
//! page); a folder page alone in its folder is a page like any other (a page bundle).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The names of folder pages, lowercased, in the order one wins over another.
pub const FOLDER_PAGE_NAMES: [&str; 3] = ["_index.md", "index.md", "readme.md"];

/// Where a folder page's name ranks (0 first), or `None` for any other file.
pub fn folder_page_rank(name: &str) -> Option<usize> {
    let lower = name.to_ascii_lowercase();
    FOLDER_PAGE_NAMES.iter().position(|n| *n == lower)
}

/// True when `source`'s file name is one a folder page may have.
pub fn is_folder_page_name(source: &Path) -> bool {
    source
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| folder_page_rank(n).is_some())
}

/// The part a Markdown file plays in its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// The folder's own page, listing the folder's pages.
    Section,
    /// The folder's own page, alone in its folder.
    Bundle,
    /// Any other page.
    Page,
    /// A page with a folder page's name that another file of the folder (this one, relative to
    /// the content folder) wins over.
    Shadowed(PathBuf),
}

impl Role {
    /// True for the folder's own page.
    pub fn is_folder_page(&self) -> bool {
        matches!(self, Role::Section | Role::Bundle)
    }
}

/// The role of every Markdown source of a site.
#[derive(Debug, Default)]
pub struct FolderPages {
    roles: HashMap<PathBuf, Role>,
}

impl FolderPages {
    /// Works out the folder pages among `sources` (relative to the content folder, in a stable
    /// order); `tree_path` gives each its place in the site tree (the default language's folder
    /// folded into the root).
    pub fn find(sources: &[PathBuf], tree_path: impl Fn(&Path) -> PathBuf) -> FolderPages {
        let mut best: HashMap<&Path, (usize, &PathBuf)> = HashMap::new();
        let mut under: HashMap<PathBuf, usize> = HashMap::new();
        for source in sources {
            let tree = tree_path(source);
            for folder in tree.parent().unwrap_or(Path::new("")).ancestors() {
                *under.entry(folder.to_path_buf()).or_default() += 1;
            }
            let Some(rank) = source
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(folder_page_rank)
            else {
                continue;
            };
            let folder = source.parent().unwrap_or(Path::new(""));
            let entry = best.entry(folder).or_insert((rank, source));
            if rank < entry.0 {
                *entry = (rank, source);
            }
        }
        let mut roles = HashMap::new();
        for source in sources.iter().filter(|s| is_folder_page_name(s)) {
            let folder = source.parent().unwrap_or(Path::new(""));
            let winner = best[folder].1;
            let role = if winner != source {
                Role::Shadowed(winner.clone())
            } else {
                let tree = tree_path(source);
                let tree_folder = tree.parent().unwrap_or(Path::new(""));
                let others = under.get(tree_folder).copied().unwrap_or(0) > 1;
                if others || tree_folder.as_os_str().is_empty() {
                    Role::Section
                } else {
                    Role::Bundle
                }
            };
            roles.insert(source.clone(), role);
        }
        FolderPages { roles }
    }

    /// The role of `source`.
    pub fn role(&self, source: &Path) -> Role {
        self.roles.get(source).cloned().unwrap_or(Role::Page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(sources: &[&str]) -> Vec<Role> {
        let sources: Vec<PathBuf> = sources.iter().map(PathBuf::from).collect();
        let found = FolderPages::find(&sources, Path::to_path_buf);
        sources.iter().map(|s| found.role(s)).collect()
    }

    #[test]
    fn one_page_per_folder_wins_by_its_name() {
        assert_eq!(
            roles(&[
                "README.md",
                "a/README.md",
                "a/index.md",
                "a/x.md",
                "b/Readme.md",
                "c/_index.md",
                "c/README.md",
                "c/d/e.md",
            ]),
            [
                Role::Section,
                Role::Shadowed("a/index.md".into()),
                Role::Section,
                Role::Page,
                Role::Bundle,
                Role::Section,
                Role::Shadowed("c/_index.md".into()),
                Role::Page,
            ]
        );
    }
}
