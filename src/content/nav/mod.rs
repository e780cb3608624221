//! The navigation the author wrote, applied to the site tree: it orders each folder's pages and
//! sub-folders, titles them in the sidebar, and leaves out of the sidebar what a list does not
//! name, as [`crate::input::nav`] describes ("How the build applies a tree").
//!
//! Every source is mapped onto the folders of the content folder: an entry is placed in the
//! list of the folder that holds it, in the order the entries are written, whichever file it
//! comes from (site.toml's `nav`, a folder's `.pages` or `_category_` file). The pages' own
//! fields need nothing here: the front matter folds `sidebar_position` and
//! `eleventyNavigation.order` into `weight`, `sidebar_label` and `eleventyNavigation.title`
//! into `nav_title`, which order and title the sidebar where no list does. A titled group whose entries
//! share a folder titles that folder. Links to other sites and separators are not shown.
//!
//! A folder's order, where several files give one: its own `.pages` file, else the whole tree.
//! Pages and folders no list of their folder names are left out of the sidebar (still built,
//! listed in their section and in search), unless the list has `...` (the rest, in Folio's
//! order, at its place).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::base::diag::{Code, Diagnostic};
use crate::content::folders::is_folder_page_name;
use crate::content::page::Page;
use crate::input::nav::site::NavFiles;
use crate::input::nav::{FolderSettings, NavEntry, NavTarget};

/// One entry of a folder's order.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// A page (`a/b.md`) or folder (`a/c`), relative to the content folder.
    Path(PathBuf),
    /// What the list does not name.
    Rest,
}

/// What the author's files say about one folder.
#[derive(Debug, Default, Clone)]
struct FolderNav {
    /// The order written for the folder's contents.
    order: Option<Vec<Item>>,
    /// True when a `.pages` file gave the order, which a whole tree does not replace.
    own_file: bool,
    /// The folder's title in the sidebar.
    title: Option<String>,
    /// Left out of the sidebar.
    hidden: bool,
    /// Its place among its siblings (Docusaurus' `position`).
    position: Option<f64>,
}

/// How the author's navigation files order and title the sidebar.
#[derive(Debug, Default, Clone)]
pub struct SiteNav {
    folders: HashMap<PathBuf, FolderNav>,
    /// Titles in the sidebar of pages, by source (relative to the content folder).
    page_titles: HashMap<PathBuf, String>,
    /// For each page, its title in the sidebar, when the author's files give one (worked out
    /// by [`SiteNav::apply`]).
    pub titles: HashMap<usize, String>,
    /// The pages left out of the sidebar (worked out by [`SiteNav::apply`]).
    pub hidden: HashSet<usize>,
}

/// The key of an entry's path: a folder page stands for its folder (`a/README.md` → `a`).
fn key(path: &Path) -> PathBuf {
    if is_folder_page_name(path) {
        path.parent().unwrap_or(Path::new("")).to_path_buf()
    } else {
        path.to_path_buf()
    }
}

/// The key of a page in its folder's list: its source, or its folder for a folder page.
fn page_key(page: &Page) -> PathBuf {
    if page.folder_page {
        page.source.parent().unwrap_or(Path::new("")).to_path_buf()
    } else {
        page.source.clone()
    }
}

/// True when `path` names a folder rather than a page (no `.md`, or a folder page's name).
fn names_folder(path: &Path) -> bool {
    is_folder_page_name(path)
        || !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

impl SiteNav {
    /// Reads what `files` and the pages' own fields say, and checks that every entry names a
    /// page or folder of `pages` (a warning at the entry when it names none).
    pub fn new(files: NavFiles, pages: &[Page], diagnostics: &mut Vec<Diagnostic>) -> SiteNav {
        let mut nav = SiteNav::default();
        diagnostics.extend(files.warnings);
        let known = known_paths(pages);
        if let Some(tree) = &files.tree {
            check(tree, &known, diagnostics);
            nav.add_tree(tree);
        }
        for settings in &files.folders {
            if let Some(entries) = &settings.nav {
                check(entries, &known, diagnostics);
            }
            nav.add_folder(settings);
        }
        nav
    }

    /// Places the entries of a whole tree in their folders' lists.
    fn add_tree(&mut self, entries: &[NavEntry]) {
        for entry in entries {
            match &entry.target {
                NavTarget::Path(path) => {
                    let path = PathBuf::from(path);
                    let key = key(&path);
                    self.place(&key);
                    if let Some(title) = &entry.title {
                        self.title(&path, &key, title);
                    }
                }
                NavTarget::Group => {
                    if let (Some(title), Some(folder)) = (&entry.title, common_folder(entry)) {
                        self.place(&folder);
                        let folder_nav = self.folders.entry(folder).or_default();
                        folder_nav.title.get_or_insert_with(|| title.clone());
                    }
                }
                NavTarget::Url(_) | NavTarget::Rest { .. } | NavTarget::Separator => {}
            }
            self.add_tree(&entry.children);
        }
    }

    /// Adds `key` to its folder's list, unless a `.pages` file orders that folder or it is
    /// there already.
    fn place(&mut self, key: &Path) {
        if key.as_os_str().is_empty() {
            return;
        }
        let folder = key.parent().unwrap_or(Path::new("")).to_path_buf();
        let folder_nav = self.folders.entry(folder).or_default();
        if folder_nav.own_file {
            return;
        }
        let order = folder_nav.order.get_or_insert_with(Vec::new);
        let item = Item::Path(key.to_path_buf());
        if !order.contains(&item) {
            order.push(item);
        }
    }

    /// Titles the page or folder an entry names.
    fn title(&mut self, path: &Path, key: &Path, title: &str) {
        if names_folder(path) {
            let folder_nav = self.folders.entry(key.to_path_buf()).or_default();
            folder_nav.title = Some(title.to_string());
        } else {
            self.page_titles
                .insert(key.to_path_buf(), title.to_string());
        }
    }

    /// Applies one folder's `.pages` or `_category_` file.
    fn add_folder(&mut self, settings: &FolderSettings) {
        let folder = PathBuf::from(&settings.folder);
        if let Some(entries) = &settings.nav {
            let mut order = Vec::new();
            self.folder_items(entries, &mut order);
            let folder_nav = self.folders.entry(folder.clone()).or_default();
            folder_nav.order = Some(order);
            folder_nav.own_file = true;
        }
        let folder_nav = self.folders.entry(folder).or_default();
        if let Some(title) = &settings.title {
            folder_nav.title = Some(title.clone());
        }
        folder_nav.hidden |= settings.hidden;
        if settings.position.is_some() {
            folder_nav.position = settings.position;
        }
    }

    /// The items of a folder's own list, groups flattened; titles recorded on the way.
    fn folder_items(&mut self, entries: &[NavEntry], order: &mut Vec<Item>) {
        for entry in entries {
            match &entry.target {
                NavTarget::Path(path) => {
                    let path = PathBuf::from(path);
                    let key = key(&path);
                    if let Some(title) = &entry.title {
                        self.title(&path, &key, title);
                    }
                    order.push(Item::Path(key));
                }
                NavTarget::Rest { .. } => order.push(Item::Rest),
                NavTarget::Group => self.folder_items(&entry.children, order),
                NavTarget::Url(_) | NavTarget::Separator => {}
            }
        }
    }

    /// The title a section Folio made up for `folder` takes from the author's files.
    pub fn folder_title(&self, folder: &Path) -> Option<&str> {
        self.folders.get(folder)?.title.as_deref()
    }

    /// Where `page` goes among its siblings when no list orders it: its `weight` (or `order`,
    /// `sidebar_position`…), else its folder's `position` (Docusaurus' `_category_`).
    pub fn position(&self, page: &Page) -> Option<f64> {
        if let Some(weight) = page.front_matter.weight {
            return Some(weight as f64);
        }
        let folder = page.section_dir.as_ref()?;
        self.folders.get(folder.as_path())?.position
    }

    /// Orders the children of the section of folder `folder` (relative to the content folder)
    /// as the author's list says, and works out the titles and the pages left out of the
    /// sidebar. `children` come in Folio's own order.
    pub fn apply(&mut self, folder: &Path, pages: &[Page], children: &mut Vec<usize>) {
        for &child in children.iter() {
            let key = page_key(&pages[child]);
            let title = if pages[child].folder_page || pages[child].generated {
                self.folders.get(&key).and_then(|f| f.title.clone())
            } else {
                None
            }
            .or_else(|| self.page_titles.get(&key).cloned());
            if let Some(title) = title {
                self.titles.insert(child, title);
            }
            if pages[child].section_dir.is_some()
                && self.folders.get(&key).is_some_and(|f| f.hidden)
            {
                self.hidden.insert(child);
            }
        }
        let Some(folder_nav) = self.folders.get(folder) else {
            return;
        };
        let Some(order) = &folder_nav.order else {
            return;
        };
        let by_key: HashMap<PathBuf, usize> =
            children.iter().map(|&c| (page_key(&pages[c]), c)).collect();
        let named: HashSet<usize> = order
            .iter()
            .filter_map(|item| match item {
                Item::Path(path) => by_key.get(path).copied(),
                Item::Rest => None,
            })
            .collect();
        let rest: Vec<usize> = children
            .iter()
            .copied()
            .filter(|c| !named.contains(c))
            .collect();
        let has_rest = order.contains(&Item::Rest);
        let mut ordered = Vec::with_capacity(children.len());
        let mut placed = HashSet::new();
        for item in order {
            match item {
                Item::Path(path) => {
                    if let Some(&child) = by_key.get(path)
                        && placed.insert(child)
                    {
                        ordered.push(child);
                    }
                }
                Item::Rest => {
                    ordered.extend(rest.iter().copied().filter(|&c| placed.insert(c)));
                }
            }
        }
        // What no list names follows, in Folio's order: in the sidebar only with `...`.
        for child in rest {
            if placed.insert(child) {
                ordered.push(child);
                if !has_rest {
                    self.hidden.insert(child);
                }
            }
        }
        *children = ordered;
    }

    /// Forgets what [`SiteNav::apply`] worked out, before it runs again.
    pub fn reset(&mut self) {
        self.titles.clear();
        self.hidden.clear();
    }
}

/// The deepest folder holding every page an entry's children name, when it is not the top.
fn common_folder(entry: &NavEntry) -> Option<PathBuf> {
    let mut paths = Vec::new();
    collect_paths(&entry.children, &mut paths);
    let mut common: Option<PathBuf> = None;
    for path in paths {
        let key = key(&path);
        let folder = if names_folder(&path) {
            key
        } else {
            key.parent().unwrap_or(Path::new("")).to_path_buf()
        };
        common = Some(match common {
            None => folder,
            Some(common) => common
                .components()
                .zip(folder.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    common.filter(|c| !c.as_os_str().is_empty())
}

fn collect_paths(entries: &[NavEntry], paths: &mut Vec<PathBuf>) {
    for entry in entries {
        if let NavTarget::Path(path) = &entry.target {
            paths.push(PathBuf::from(path));
        }
        collect_paths(&entry.children, paths);
    }
}

/// Every page and folder the site has, relative to the content folder.
fn known_paths(pages: &[Page]) -> HashSet<PathBuf> {
    let mut known = HashSet::new();
    for page in pages {
        known.insert(page.source.clone());
        for folder in page.source.ancestors().skip(1) {
            known.insert(folder.to_path_buf());
        }
    }
    known
}

/// A warning for each entry that names no page or folder of the site.
fn check(entries: &[NavEntry], known: &HashSet<PathBuf>, diagnostics: &mut Vec<Diagnostic>) {
    for entry in entries {
        if let NavTarget::Path(path) = &entry.target {
            let path = PathBuf::from(path);
            if !known.contains(&path) && !known.contains(&key(&path)) {
                let mut d = Diagnostic::warning(format!(
                    "the navigation names `{}`, which is no page or folder of the content folder",
                    path.display()
                ))
                .with_help("correct the path (relative to the content folder), or remove the entry")
                .with_code(Code::Nav);
                if let Some(location) = &entry.location {
                    d = d.at(location.clone());
                }
                diagnostics.push(d);
            }
        }
        check(&entry.children, known, diagnostics);
    }
}
