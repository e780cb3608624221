//! Kind indexes: one page that lists every policy (`/policies/`) or every playbook
//! (`/playbooks/`) of the site, wherever each one lives.
//!
//! Like the FAQ hub, the index is the page of the section at that URL when the site has one
//! (its own text first, then the table), and otherwise a page Folio writes at that URL; both
//! render with `kind-index.html`.

use std::path::Path;

use serde::Serialize;

use super::{Contexts, Frame, LinkContext, PageSummary, SectionContext, SectionTemplate};
use crate::base::model::{IsoDate, Kind};

/// `kind_index` in `kind-index.html`.
#[derive(Debug, Serialize)]
pub struct KindIndexContext<'a> {
    kind: Kind,
    title: &'a str,
    url: String,
    permalink: String,
    /// The date overdue reviews were worked out against.
    today: IsoDate,
    /// Every page of the kind on the site, ordered by title.
    pages: Vec<&'a PageSummary>,
    /// Pages of the section that are of another kind, which the table leaves out.
    other_pages: Vec<&'a PageSummary>,
}

/// The context of `kind-index.html`.
#[derive(Debug, Serialize)]
pub struct KindIndexTemplate<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    /// The section whose page is the index; null for an index Folio made up.
    section: Option<SectionContext<'a>>,
    kind_index: KindIndexContext<'a>,
    prev: Option<LinkContext>,
    next: Option<LinkContext>,
}

impl Contexts<'_> {
    /// The pages of `kind` (sections excluded), ordered by title ignoring case, so that the
    /// table reads in a predictable order without JavaScript.
    pub fn pages_of_kind(&self, kind: Kind) -> Vec<usize> {
        let mut pages: Vec<usize> = (0..self.site.pages.len())
            .filter(|&i| {
                let page = &self.site.pages[i];
                page.kind == kind && page.section_dir.is_none()
            })
            .collect();
        pages.sort_by_cached_key(|&i| {
            let page = &self.site.pages[i];
            (page.title.to_lowercase(), page.url_path.clone())
        });
        pages
    }

    fn kind_index_context<'s>(
        &'s self,
        kind: Kind,
        url_path: &str,
        title: &'s str,
        other_pages: Vec<&'s PageSummary>,
    ) -> KindIndexContext<'s> {
        KindIndexContext {
            kind,
            title,
            url: self.url_of(url_path),
            permalink: self.permalink(url_path),
            today: self.today,
            pages: self
                .pages_of_kind(kind)
                .into_iter()
                .map(|i| &self.summaries[i])
                .collect(),
            other_pages,
        }
    }

    /// The context of `kind-index.html` as the page of the section at `kind`'s index URL
    /// (page `index`).
    pub fn kind_index_section(&self, index: usize, kind: Kind) -> KindIndexTemplate<'_> {
        let SectionTemplate {
            frame,
            section,
            prev,
            next,
        } = self.section(index);
        let page = &self.site.pages[index];
        let others = section
            .pages
            .iter()
            .copied()
            .filter(|summary| summary.kind != kind)
            .collect();
        let kind_index = self.kind_index_context(kind, &page.url_path, &page.title, others);
        KindIndexTemplate {
            frame,
            section: Some(section),
            kind_index,
            prev,
            next,
        }
    }

    /// The context of the index Folio writes at `url_path` when the site has no section there.
    pub fn kind_index_page(&self, kind: Kind, url_path: &str) -> KindIndexTemplate<'_> {
        let mut frame = self.frame(None, url_path);
        frame.breadcrumbs = vec![self.link(self.site.sections[Path::new("")].page)];
        KindIndexTemplate {
            frame,
            section: None,
            kind_index: self.kind_index_context(kind, url_path, kind.index_title(), Vec::new()),
            prev: None,
            next: None,
        }
    }
}
