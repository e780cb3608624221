//! Sections: the context of `index.html` and `section.html`, a folder's page with the pages
//! and sub-sections it lists.

use std::path::Path;

use serde::Serialize;

use super::{Contexts, Frame, LinkContext, PageContext, PageSummary};

/// A child section in a section listing.
#[derive(Debug, Serialize)]
pub struct SubsectionSummary<'a> {
    title: &'a str,
    url: &'a str,
    description: Option<&'a str>,
    page_count: usize,
}

/// `section` in section templates.
#[derive(Debug, Serialize)]
pub struct SectionContext<'a> {
    #[serde(flatten)]
    pub(super) page: PageContext<'a>,
    pub(super) pages: Vec<&'a PageSummary>,
    pub(super) subsections: Vec<SubsectionSummary<'a>>,
}

/// The context of `index.html` and `section.html`.
#[derive(Debug, Serialize)]
pub struct SectionTemplate<'a> {
    #[serde(flatten)]
    pub(super) frame: Frame<'a>,
    pub(super) section: SectionContext<'a>,
    pub(super) prev: Option<LinkContext>,
    pub(super) next: Option<LinkContext>,
}

impl<'a> Contexts<'a> {
    /// The context of a section page.
    pub fn section(&self, index: usize) -> SectionTemplate<'_> {
        let page = &self.site.pages[index];
        let dir = page.section_dir.as_deref().unwrap_or(Path::new(""));
        let children = self
            .site
            .sections
            .get(dir)
            .map(|s| s.children.as_slice())
            .unwrap_or_default();
        let pages = children
            .iter()
            .filter(|&&i| self.site.pages[i].section_dir.is_none())
            .map(|&i| &self.summaries[i])
            .collect();
        let subsections = children
            .iter()
            .filter_map(|&i| {
                let sub = self.site.pages[i].section_dir.as_ref()?;
                Some(SubsectionSummary {
                    title: &self.site.pages[i].title,
                    url: &self.summaries[i].url,
                    description: self.site.pages[i].front_matter.description.as_deref(),
                    page_count: self.site.sections.get(sub).map_or(0, |s| s.children.len()),
                })
            })
            .collect();
        let (prev, next) = self.neighbours(index);
        SectionTemplate {
            frame: self.frame(Some(index), &page.url_path),
            section: SectionContext {
                page: self.page_context(index),
                pages,
                subsections,
            },
            prev,
            next,
        }
    }
}
