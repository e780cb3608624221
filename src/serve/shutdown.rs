//! Stopping the server on Ctrl-C (SIGINT), SIGTERM or SIGHUP: the search worker finishes an
//! update under way first ([`Indexer::stop`]), so that the export is never left half written;
//! a second signal stops at once. The process then exits with 130, as one Ctrl-C killed reports
//! to a shell. Anything else stops as it would have: pages are replaced by renaming whole files,
//! and a full build writes a staging folder that the next build clears.
//!
//! The `ctrlc` crate turns the signals into calls on a thread of its own, so no code of ours
//! runs inside a signal handler.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;

use super::indexer::Indexer;

/// The exit code of a process stopped by Ctrl-C (128 + SIGINT).
const STOPPED: i32 = 130;

/// From now on, a stopping signal lets `indexer` finish its update, then exits; a second one
/// exits at once.
pub(crate) fn stop_gracefully(indexer: Indexer) -> anyhow::Result<()> {
    let signalled = AtomicBool::new(false);
    let indexer = Mutex::new(Some(indexer));
    ctrlc::set_handler(move || {
        if signalled.swap(true, Ordering::SeqCst) {
            std::process::exit(STOPPED);
        }
        // A poisoned lock still holds the indexer: a panic elsewhere must not keep Ctrl-C from
        // stopping the server.
        let indexer = indexer.lock().unwrap_or_else(|e| e.into_inner()).take();
        // On its own thread, so that the handler is free to hear a second signal meanwhile.
        std::thread::spawn(move || {
            if let Some(indexer) = indexer {
                indexer.stop();
            }
            std::process::exit(STOPPED);
        });
    })
    .context("cannot set up Ctrl-C handling")
}
