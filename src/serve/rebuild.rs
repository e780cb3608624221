//! Building the served copy of the site: once at startup, then after each batch of changes.
//!
//! This is the only place `folio serve` asks for a build. A batch that only edits the bodies of
//! existing pages updates those pages in place ([`LiveSite::update_page`]) and hands their
//! search entries to the search worker ([`Indexer`]), which updates them on its own thread;
//! anything else, an edit the incremental path declines, or a search update that failed, builds
//! the whole site, whose index then goes to the worker.

use std::path::Path;

use crate::build::{self, BuildOptions, BuildReport, LiveSite, SearchEdit};

use super::indexer::Indexer;
use super::watch::{Changes, shown};

/// Builds the site into the serve output.
pub(crate) struct Rebuilder {
    options: BuildOptions,
    /// The last successful build, for incremental updates.
    live: Option<LiveSite>,
    /// The search worker, which holds that build's search index.
    indexer: Indexer,
    /// Search entries of the last rebuild's pages, with the file each comes from, for
    /// [`Rebuilder::update_search`].
    search_edits: Vec<(Vec<SearchEdit>, String)>,
}

impl Rebuilder {
    /// A builder for `options`, whose `output` is the serve output (never the deploy folder).
    pub(crate) fn new(options: BuildOptions, indexer: Indexer) -> Rebuilder {
        Rebuilder {
            options,
            live: None,
            indexer,
            search_edits: Vec::new(),
        }
    }

    /// The first build, at startup.
    pub(crate) fn build(&mut self) -> BuildReport {
        self.full_build()
    }

    /// Brings the output up to date after `changes`. As for any build, a failure leaves the
    /// previous output (and search index) as it was. The search entries of pages updated in
    /// place wait for [`Rebuilder::update_search`].
    pub(crate) fn rebuild(&mut self, changes: &Changes) -> BuildReport {
        self.search_edits.clear();
        match self.update_pages(changes) {
            Some(report) => report,
            None => self.full_build(),
        }
    }

    /// Hands the search entries of the pages the last rebuild updated in place to the search
    /// worker, which updates them on its own thread. Called once open pages have been told to
    /// reload, so that the update does not compete with that for the processor.
    pub(crate) fn update_search(&mut self) {
        for (edits, source) in self.search_edits.drain(..) {
            self.indexer.queue(edits, &source);
        }
    }

    fn full_build(&mut self) -> BuildReport {
        // The search index of the previous build is open for writing: let it go first.
        self.indexer.release();
        self.live = None;
        let (report, live) = build::build_live(&self.options);
        self.live = live;
        if let Some(live) = self.live.as_mut() {
            self.indexer.install(live.take_search());
        }
        report
    }

    /// Updates the pages whose Markdown changed in place; `None` when the batch needs a full
    /// build (then pages already updated are simply built again).
    fn update_pages(&mut self, changes: &Changes) -> Option<BuildReport> {
        let live = self.live.as_mut()?;
        if changes.needs_full_build() || changes.paths.is_empty() {
            return None;
        }
        let mut total = BuildReport {
            incremental: true,
            ..BuildReport::default()
        };
        let mut search = Vec::new();
        let content = live.content_shown();
        for path in &changes.paths {
            let rel = markdown_in_content(&content, path)?;
            let report = live.update_page(rel)?;
            total.diagnostics.extend(report.diagnostics);
            total.pages += report.pages;
            total.elapsed += report.elapsed;
            total.output = report.output;
            search.push((live.take_search_edits()?, shown(path)));
        }
        // Kept only now that no page needs a full build: that would drop them anyway.
        self.search_edits = search;
        Some(total)
    }
}

/// `policies/usage.md` for `content/policies/usage.md` when the content folder is `content`;
/// `None` for anything else.
fn markdown_in_content<'a>(content: &Path, path: &'a Path) -> Option<&'a Path> {
    let rel = path.strip_prefix(content).ok()?;
    rel.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        .then_some(rel)
}
