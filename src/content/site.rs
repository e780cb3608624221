//! The site as a tree: pages grouped into sections by folder, ordered by weight then title, with
//! a reading order for previous/next links.
//!
//! Folders without an `_index.md` still become sections (with a title made from the folder name),
//! so that every breadcrumb and sidebar entry leads somewhere.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::base::model::Kind;
use crate::base::paths::FAQ_SECTION_DIR;
use crate::content::page::Page;

/// A section: its own page and its children (pages and sub-section pages) in order.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Index of the section's page.
    pub page: usize,
    /// Indexes of child pages, sub-sections included, ordered by weight then title.
    pub children: Vec<usize>,
}

/// All pages, arranged as a tree.
#[derive(Debug, Default)]
pub struct Site {
    /// Every page, sections included.
    pub pages: Vec<Page>,
    /// Sections by folder (relative to content/; the home page is the empty path).
    pub sections: HashMap<PathBuf, Section>,
    /// For each page, the folder of the section that lists it (`None` for the home page).
    pub parents: Vec<Option<PathBuf>>,
    /// Page indexes in reading order: depth first, as the sidebar lists them.
    pub reading_order: Vec<usize>,
    /// For each page, its position in `reading_order`.
    pub position: Vec<usize>,
    /// The home folders of the languages other than the default (`es`, `ja`): each is the root
    /// of its own tree, which the default language's sidebar and reading order leave out.
    pub language_roots: Vec<PathBuf>,
    /// The page each section Folio made up opens instead of its listing, when a page's alias
    /// is the folder's URL: section page → that page.
    pub landing: HashMap<usize, usize>,
    /// How the author's navigation files order and title the sidebar (empty without them).
    pub nav: crate::content::nav::SiteNav,
}

impl Site {
    /// Frees what only diagnostics and incremental rebuilds read: every page's Markdown source
    /// and the ids other generators give its headings, for checking links. A one-off build that
    /// has found no errors needs them no more, and on a large site the sources are a fifth of
    /// the memory the build holds while it writes.
    pub fn forget_sources(&mut self) {
        for page in &mut self.pages {
            page.text = String::new();
            page.rendered.other_ids = Default::default();
        }
    }

    /// Arranges pages into sections, making up sections for folders that lack an `_index.md`
    /// (named in messages under `content_shown`, the content folder as they show it).
    pub fn assemble(mut pages: Vec<Page>, site_title: &str, content_shown: &Path) -> Site {
        let mut section_dirs: HashSet<PathBuf> =
            pages.iter().filter_map(|p| p.section_dir.clone()).collect();
        let mut needed: Vec<PathBuf> = vec![PathBuf::new()];
        needed.extend(pages.iter().filter_map(Page::parent_dir));
        for dir in needed {
            for ancestor in dir.ancestors() {
                if section_dirs.insert(ancestor.to_path_buf()) {
                    pages.push(Page::generated_section(ancestor, site_title, content_shown));
                }
            }
        }
        let mut site = Site {
            pages,
            ..Site::default()
        };
        site.arrange();
        site
    }

    /// Orders every section's children by weight then title, and works out the reading order.
    /// Call it again after titles change.
    pub fn arrange(&mut self) {
        self.title_made_up_sections();
        let pages = &self.pages;
        let roots = &self.language_roots;
        self.parents = pages
            .iter()
            .map(|p| {
                let is_root = p.section_dir.as_ref().is_some_and(|d| roots.contains(d));
                if is_root { None } else { p.parent_dir() }
            })
            .collect();
        let mut sections: HashMap<PathBuf, Section> = pages
            .iter()
            .enumerate()
            .filter_map(|(page, p)| {
                let dir = p.section_dir.clone()?;
                Some((
                    dir,
                    Section {
                        page,
                        children: vec![],
                    },
                ))
            })
            .collect();
        for (index, parent) in self.parents.iter().enumerate() {
            if let Some(section) = parent.as_ref().and_then(|p| sections.get_mut(p)) {
                section.children.push(index);
            }
        }
        let nav = &mut self.nav;
        nav.reset();
        let sort_key = |page: &Page| {
            let position = nav.position(page);
            (
                position.is_none(),
                position.unwrap_or(0.0),
                page.title.to_lowercase(),
            )
        };
        let keys: Vec<_> = pages.iter().map(sort_key).collect();
        for section in sections.values_mut() {
            section.children.sort_by(|a, b| {
                let (a, b) = (&keys[*a], &keys[*b]);
                (a.0, a.1)
                    .partial_cmp(&(b.0, b.1))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then_with(|| a.2.cmp(&b.2))
            });
            let folder = pages[section.page].source.parent().unwrap_or(Path::new(""));
            nav.apply(folder, pages, &mut section.children);
        }
        self.sections = sections;
        self.reading_order = self.depth_first(Path::new(""));
        for root in &self.language_roots {
            self.reading_order.extend(self.depth_first(root));
        }
        self.position = vec![0; self.pages.len()];
        for (position, &page) in self.reading_order.iter().enumerate() {
            self.position[page] = position;
        }
    }

    /// Titles each section Folio made up: the title of the page that landed on its folder
    /// (an alias), else the folder's title in the author's navigation files, else, for the home
    /// of a language version, the language's name, else the one made from the folder's name.
    fn title_made_up_sections(&mut self) {
        for index in 0..self.pages.len() {
            let page = &self.pages[index];
            if !page.generated {
                continue;
            }
            let folder = page.source.parent().unwrap_or(Path::new(""));
            let title = match self.landing.get(&index) {
                Some(&landing) => Some(self.pages[landing].title.clone()),
                None => self.nav.folder_title(folder).map(str::to_string),
            };
            // The home of another language's version is named in that language: `Español`.
            let title = title.or_else(|| {
                let root = self.language_roots.iter().find(|r| r.as_path() == folder)?;
                Some(crate::base::language_names::endonym(
                    &root.to_string_lossy(),
                ))
            });
            if let Some(title) = title.filter(|t| !t.is_empty()) {
                self.pages[index].title = title;
            }
        }
    }

    fn depth_first(&self, dir: &Path) -> Vec<usize> {
        let Some(section) = self.sections.get(dir) else {
            return Vec::new();
        };
        let mut order = vec![section.page];
        for &child in &section.children {
            match &self.pages[child].section_dir {
                Some(sub) => order.extend(self.depth_first(sub)),
                None => order.push(child),
            }
        }
        order
    }

    /// The folder of the home page of `page`'s language version: the root, or `es` for a page
    /// under `content/es/` in a site with Spanish.
    pub fn language_root(&self, page: usize) -> &Path {
        let language = Path::new(&self.pages[page].language);
        self.language_roots
            .iter()
            .find(|root| root.as_path() == language)
            .map_or(Path::new(""), PathBuf::as_path)
    }

    /// The section folders above a page, from the home page down to its parent.
    pub fn ancestors(&self, page: usize) -> Vec<PathBuf> {
        let mut chain = Vec::new();
        let mut current = self.parents[page].clone();
        while let Some(dir) = current {
            current = self
                .sections
                .get(&dir)
                .and_then(|s| self.parents[s.page].clone());
            chain.push(dir);
        }
        chain.reverse();
        chain
    }

    /// The page of the section in `content/faq/`, which shows the FAQ hub, if the site has one.
    pub fn faq_hub_section(&self) -> Option<usize> {
        self.sections
            .get(Path::new(FAQ_SECTION_DIR))
            .map(|s| s.page)
    }

    /// True when page `index` is the FAQ hub's section page.
    pub fn is_faq_hub(&self, index: usize) -> bool {
        self.faq_hub_section() == Some(index)
    }

    /// The page of the section in `kind`'s index folder (`content/policies/` for policies),
    /// which shows the index of every page of that kind, if the site has that section.
    pub fn kind_index_section(&self, kind: Kind) -> Option<usize> {
        let dir = kind.index_dir()?;
        self.sections.get(Path::new(dir)).map(|s| s.page)
    }

    /// The kind whose index page `index` is, if it is one.
    pub fn kind_index_of(&self, index: usize) -> Option<Kind> {
        Kind::INDEXED
            .into_iter()
            .find(|&kind| self.kind_index_section(kind) == Some(index))
    }

    /// The page before and after `page` in reading order.
    pub fn neighbours(&self, page: usize) -> (Option<usize>, Option<usize>) {
        let position = self.position[page];
        let prev = position
            .checked_sub(1)
            .and_then(|p| self.reading_order.get(p))
            .copied();
        let next = self.reading_order.get(position + 1).copied();
        // Reading order never crosses from one language version into another.
        let language = &self.pages[page].language;
        let same = |i: &usize| self.pages[*i].language == *language;
        (prev.filter(same), next.filter(same))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::front_matter::FrontMatter;

    fn page(source: &str, title: &str, weight: Option<i64>) -> Page {
        let source = PathBuf::from(source);
        let is_section = source.file_name().unwrap() == "_index.md";
        Page {
            section_dir: is_section.then(|| source.parent().unwrap().to_path_buf()),
            folder_page: crate::content::folders::is_folder_page_name(&source),
            tree_path: source.clone(),
            source,
            title: title.into(),
            front_matter: FrontMatter {
                weight,
                ..FrontMatter::default()
            },
            ..Page::default()
        }
    }

    #[test]
    fn sections_are_made_up_and_children_ordered() {
        let pages = vec![
            page("_index.md", "Home", None),
            page("policies/b.md", "Bravo", None),
            page("policies/a.md", "Alpha", None),
            page("policies/z.md", "Zulu", Some(1)),
            page("faq/legal/q.md", "Question", None),
            page("about/index.md", "About", None),
        ];
        let site = Site::assemble(pages, "Handbook", Path::new("content"));
        let titles = |dir: &str| -> Vec<String> {
            site.sections[Path::new(dir)]
                .children
                .iter()
                .map(|&i| site.pages[i].title.clone())
                .collect()
        };
        assert_eq!(titles("policies"), ["Zulu", "Alpha", "Bravo"]);
        assert_eq!(titles(""), ["About", "FAQ", "Policies"]);
        assert_eq!(titles("faq"), ["Legal"]);
        let legal = &site.pages[site.sections[Path::new("faq/legal")].page];
        assert!(legal.generated);
        assert_eq!(legal.url_path, "faq/legal/");
        let order: Vec<&str> = site
            .reading_order
            .iter()
            .map(|&i| site.pages[i].title.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "Home", "About", "FAQ", "Legal", "Question", "Policies", "Zulu", "Alpha", "Bravo"
            ]
        );
        let question = site.reading_order[4];
        assert_eq!(
            site.ancestors(question),
            [Path::new(""), Path::new("faq"), Path::new("faq/legal")]
        );
        let (prev, next) = site.neighbours(question);
        assert_eq!(site.pages[prev.unwrap()].title, "Legal");
        assert_eq!(site.pages[next.unwrap()].title, "Policies");
    }
}
