//! Pages: the context of `page.html` and the kind templates (`policy.html`, `playbook.html`,
//! `faq.html`), and the `page` part every page-like context shares, with the page's git history
//! and edit link.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::{Contexts, Frame, LinkContext, PageSummary};
use crate::content::markdown::TocEntry;
use crate::input::history::Commit;

/// `page` in page templates.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    #[serde(flatten)]
    summary: &'a PageSummary,
    permalink: String,
    content: Cow<'a, str>,
    toc: &'a [TocEntry],
    weight: Option<i64>,
    draft: bool,
    lang: &'a str,
    /// The pages its `related` front-matter field names.
    related: Vec<LinkContext>,
    extra: &'a BTreeMap<String, serde_json::Value>,
    source_path: String,
    word_count: usize,
    reading_minutes: usize,
    /// The page's changes from git; null outside git and for files never committed.
    history: Option<HistoryContext<'a>>,
    /// Where to edit the page's source on its git host; null without a repository or git.
    edit_url: Option<String>,
}

/// `page.history`: the changes git recorded to the page's source file.
#[derive(Debug, Serialize)]
pub struct HistoryContext<'a> {
    /// The newest change: what "Last updated" shows.
    last: &'a Commit,
    /// The newest changes, `last` first, at most [`crate::input::history::MAX_RECENT`].
    recent: Vec<&'a Commit>,
}

/// The context of `page.html` and the kind templates.
#[derive(Debug, Serialize)]
pub struct PageTemplate<'a> {
    #[serde(flatten)]
    pub(super) frame: Frame<'a>,
    pub(super) page: PageContext<'a>,
    pub(super) prev: Option<LinkContext>,
    pub(super) next: Option<LinkContext>,
}

impl<'a> Contexts<'a> {
    pub(super) fn page_context(&self, index: usize) -> PageContext<'_> {
        let page = &self.site.pages[index];
        let words = page.rendered.word_count;
        PageContext {
            summary: &self.summaries[index],
            permalink: self.permalink(&page.url_path),
            content: page.rendered.body_html(),
            toc: &page.rendered.toc,
            weight: page.front_matter.weight,
            draft: page.front_matter.draft,
            lang: self.language(page),
            related: page.related.iter().map(|&i| self.link(i)).collect(),
            extra: &page.front_matter.extra,
            source_path: page.display_path.to_string_lossy().replace('\\', "/"),
            word_count: words,
            reading_minutes: words.div_ceil(220).max(1),
            history: self.history_context(index),
            edit_url: self.edit_url(index),
        }
    }

    /// The git history of page `index`'s source; none for a section Folio made up.
    fn history_context(&self, index: usize) -> Option<HistoryContext<'_>> {
        let page = &self.site.pages[index];
        if page.generated {
            return None;
        }
        let recent = self.history.of(&page.source);
        Some(HistoryContext {
            last: *recent.first()?,
            recent,
        })
    }

    /// Where to edit page `index`'s source: needs a repository (or `edit_url`) in site.toml and
    /// the site in a git repository, to know the file's path in it.
    fn edit_url(&self, index: usize) -> Option<String> {
        let page = &self.site.pages[index];
        if page.generated {
            return None;
        }
        let path = self.history.repository_path(&page.source)?;
        self.edit_links.url(&self.config.branch, &path)
    }

    /// The context of a page (not a section).
    pub fn page(&self, index: usize) -> PageTemplate<'_> {
        let (prev, next) = self.neighbours(index);
        PageTemplate {
            frame: self.frame(Some(index), &self.site.pages[index].url_path),
            page: self.page_context(index),
            prev,
            next,
        }
    }
}
