//! Building the served copy of the site: once at startup, then after each batch of changes.
//!
//! This is the only place `folio serve` asks for a build. A batch that only edits the bodies of
//! existing pages updates those pages in place ([`LiveSite::update_page`]), then, once open
//! pages have been told to reload, their search entries ([`Rebuilder::update_search`]); anything
//! else, or an edit the incremental path declines, builds the whole site.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::base::diag::Diagnostic;

use crate::build::{self, BuildOptions, BuildReport, LiveSite};

use super::watch::Changes;

/// Builds the site into the serve output.
pub(crate) struct Rebuilder {
    options: BuildOptions,
    /// The last successful build, for incremental updates.
    live: Option<LiveSite>,
}

impl Rebuilder {
    /// A builder for `options`, whose `output` is the serve output (never the deploy folder).
    pub(crate) fn new(options: BuildOptions) -> Rebuilder {
        Rebuilder {
            options,
            live: None,
        }
    }

    /// The first build, at startup.
    pub(crate) fn build(&mut self) -> BuildReport {
        self.full_build()
    }

    /// Brings the output up to date after `changes`. As for any build, a failure leaves the
    /// previous output (and search index) as it was.
    pub(crate) fn rebuild(&mut self, changes: &Changes) -> BuildReport {
        match self.update_pages(changes) {
            Some(report) => report,
            None => self.full_build(),
        }
    }

    /// Brings the search index and export up to date after an incremental rebuild, which
    /// leaves them for after the pages. `None` when there is nothing to do; otherwise how long
    /// it took, or, when the index could not be updated in place, the report of the full build
    /// that took its place.
    pub(crate) fn update_search(&mut self) -> Option<Result<Duration, BuildReport>> {
        let live = self.live.as_mut().filter(|live| live.search_pending())?;
        let started = Instant::now();
        match live.update_search() {
            Ok(true) => Some(Ok(started.elapsed())),
            Ok(false) => Some(Err(self.full_build())),
            Err(d) => {
                let mut report = self.full_build();
                report.diagnostics.push(Diagnostic::warning(format!(
                    "{}; built the whole site instead",
                    d.message
                )));
                Some(Err(report))
            }
        }
    }

    fn full_build(&mut self) -> BuildReport {
        // The state of the previous build holds the search index open: let it go first.
        self.live = None;
        let (report, live) = build::build_live(&self.options);
        self.live = live;
        report
    }

    /// Updates the pages whose Markdown changed in place; `None` when the batch needs a full
    /// build (then pages already updated are simply built again).
    fn update_pages(&mut self, changes: &Changes) -> Option<BuildReport> {
        let live = self.live.as_mut()?;
        if changes.rescan || changes.paths.is_empty() {
            return None;
        }
        let mut total = BuildReport {
            incremental: true,
            ..BuildReport::default()
        };
        for path in &changes.paths {
            let rel = markdown_in_content(path)?;
            let report = live.update_page(rel)?;
            total.diagnostics.extend(report.diagnostics);
            total.pages += report.pages;
            total.elapsed += report.elapsed;
            total.output = report.output;
        }
        Some(total)
    }
}

/// `policies/usage.md` for `content/policies/usage.md`; `None` for anything else.
fn markdown_in_content(path: &Path) -> Option<&Path> {
    let rel = path.strip_prefix("content").ok()?;
    rel.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        .then_some(rel)
}
