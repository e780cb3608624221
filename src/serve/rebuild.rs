//! Building the served copy of the site: once at startup, then after each batch of changes.
//!
//! This is the only place `folio serve` asks for a build. Today every batch runs the whole
//! pipeline; an incremental rebuild replaces the body of [`Rebuilder::rebuild`] (it gets `&mut
//! self` to keep the previous build's state between calls) without touching the server.

use crate::pipeline::{self, BuildOptions, BuildReport};

use super::watch::Changes;

/// Builds the site into the serve output.
pub(crate) struct Rebuilder {
    options: BuildOptions,
}

impl Rebuilder {
    /// A builder for `options`, whose `output` is the serve output (never the deploy folder).
    pub(crate) fn new(options: BuildOptions) -> Rebuilder {
        Rebuilder { options }
    }

    /// The first build, at startup.
    pub(crate) fn build(&mut self) -> BuildReport {
        pipeline::build(&self.options)
    }

    /// Brings the output up to date after `changes`. As for any build, a failure leaves the
    /// previous output (and search index) as it was.
    pub(crate) fn rebuild(&mut self, changes: &Changes) -> BuildReport {
        // Every change rebuilds everything for now; `changes` is what an incremental build needs.
        let _ = changes;
        pipeline::build(&self.options)
    }
}
