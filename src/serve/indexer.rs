//! The search worker: the search index and export are updated after an edit on a thread of
//! their own, so that the next edit's pages and reload never wait for the previous edit's
//! search entries.
//!
//! The worker owns the index of the last full build ([`SiteSearch`]). The rebuild after an edit
//! writes the pages, queues their search entries ([`Indexer::queue`]) and goes on; the worker
//! takes everything queued at once and keeps the latest edit of each page, so that several edits
//! of one page made while it was busy are one update. Once an update is done it tells
//! `/api/search` to open the index again at its next query, then prints `Search updated for …`.
//! Until then a browser reads the previous export whole (see `build::LiveSite`), and
//! `/api/search` the previous index.
//!
//! A full build replaces the index: [`Indexer::release`] waits for an update under way, drops
//! what is queued (the full build indexes every page as it is now) and lets the index go;
//! [`Indexer::install`] hands over the new one. An update that fails (or a page that outgrew the
//! search numbers set aside for it) prints why and asks the rebuild loop for a full build,
//! through the watcher's channel; the server serves the previous index and export meanwhile.
//!
//! [`Indexer::stop`] (on Ctrl-C) waits for an update under way, so that the export is never
//! left half written, and keeps any other from starting.
//!
//! For tests, `FOLIO_TEST_HOLD_SEARCH=FILE`: while FILE exists, an update waits before it takes
//! the queue, as a slow update would (it counts as under way), and says so on stderr.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::build::{SearchEdit, SiteSearch};

use super::State;
use super::watch::{Message, first_and_more};

/// The environment variable that holds updates back, for tests (see the module documentation).
const HOLD_VAR: &str = "FOLIO_TEST_HOLD_SEARCH";

/// How often a held update looks for its file again.
const HOLD_POLL: Duration = Duration::from_millis(10);

/// The handle on the search worker; clones share it.
#[derive(Clone)]
pub(crate) struct Indexer {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    inner: Mutex<Inner>,
    /// Signalled whenever `inner` changes.
    changed: Condvar,
}

#[derive(Default)]
struct Inner {
    /// The index of the last full build; `None` while a full build replaces it, or after an
    /// update failed.
    index: Option<SiteSearch>,
    /// Edits waiting for the worker, oldest first.
    queue: Vec<Queued>,
    /// True while the worker updates the index (which it has taken out of `index`).
    busy: bool,
    /// True once the server is stopping: no update starts any more.
    stopping: bool,
}

/// One edited page's search entries, and the changed file they come from, for messages.
struct Queued {
    edit: SearchEdit,
    source: String,
}

impl Indexer {
    /// Starts the worker, which tells `state`'s search API of its updates and asks for a full
    /// build through `requests`.
    pub(crate) fn start(state: Arc<State>, requests: Sender<Message>) -> anyhow::Result<Indexer> {
        let shared = Arc::new(Shared::default());
        let worker = Arc::clone(&shared);
        let hold = std::env::var_os(HOLD_VAR).map(PathBuf::from);
        thread::Builder::new()
            .name("search".into())
            .spawn(move || work(&worker, &state, &requests, hold.as_deref()))
            .context("cannot start the search thread")?;
        Ok(Indexer { shared })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.shared.lock()
    }

    /// Hands the worker the search entries of pages written after `source` (relative to the
    /// site root) changed.
    pub(crate) fn queue(&self, edits: Vec<SearchEdit>, source: &str) {
        if edits.is_empty() {
            return;
        }
        let mut inner = self.lock();
        inner.queue.extend(edits.into_iter().map(|edit| Queued {
            edit,
            source: source.to_string(),
        }));
        self.shared.changed.notify_all();
    }

    /// Before a full build: waits for an update under way, drops the queued edits and lets the
    /// index go (its writer holds the index folder).
    pub(crate) fn release(&self) {
        let mut inner = self.shared.wait_while(self.lock(), |inner| inner.busy);
        inner.queue.clear();
        let index = inner.index.take();
        drop(inner);
        drop(index);
    }

    /// After a full build: the index to update from now on.
    pub(crate) fn install(&self, index: SiteSearch) {
        let mut inner = self.lock();
        inner.index = Some(index);
        self.shared.changed.notify_all();
    }

    /// Waits for an update under way, and keeps any other from starting.
    #[cfg_attr(not(unix), allow(dead_code))]
    pub(crate) fn stop(&self) {
        let mut inner = self.lock();
        inner.stopping = true;
        if inner.busy {
            eprintln!(
                "Stopping once the search update under way is done (Ctrl-C again stops at once)"
            );
        }
        self.shared.changed.notify_all();
        drop(self.shared.wait_while(inner, |inner| inner.busy));
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait_while<'a>(
        &self,
        guard: MutexGuard<'a, Inner>,
        condition: impl FnMut(&mut Inner) -> bool,
    ) -> MutexGuard<'a, Inner> {
        self.changed
            .wait_while(guard, condition)
            .unwrap_or_else(|e| e.into_inner())
    }
}

/// The worker's loop: one update at a time, of everything queued, until the server stops.
fn work(shared: &Shared, state: &State, requests: &Sender<Message>, hold: Option<&Path>) {
    let mut inner = shared.lock();
    loop {
        inner = shared.wait_while(inner, |inner| {
            !inner.stopping && (inner.queue.is_empty() || inner.index.is_none())
        });
        if inner.stopping {
            return;
        }
        inner.busy = true;
        if let Some(hold) = hold {
            inner = held(shared, inner, hold);
        }
        let queued = std::mem::take(&mut inner.queue);
        let Some(mut index) = inner.index.take() else {
            inner.busy = false;
            continue;
        };
        drop(inner);
        let updated = update(&mut index, queued, state);
        inner = shared.lock();
        if updated {
            inner.index = Some(index);
        } else {
            // Its state may hold part of an edit: the full build asked for replaces it.
            drop(index);
            if !inner.stopping {
                let _ = requests.send(Message::SearchFailed);
            }
        }
        inner.busy = false;
        shared.changed.notify_all();
    }
}

/// Waits while the file `hold` exists (see the module documentation).
fn held<'a>(
    shared: &Shared,
    mut inner: MutexGuard<'a, Inner>,
    hold: &Path,
) -> MutexGuard<'a, Inner> {
    if hold.exists() {
        eprintln!(
            "Search update held while {} exists ({HOLD_VAR})",
            hold.display()
        );
    }
    while hold.exists() {
        inner = shared
            .changed
            .wait_timeout(inner, HOLD_POLL)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    inner
}

/// Updates the index with the latest of `queued` for each page, and tells the search API and
/// the terminal. False when the index could not be updated (the terminal has been told why):
/// only a full build puts it right.
fn update(index: &mut SiteSearch, queued: Vec<Queued>, state: &State) -> bool {
    let started = Instant::now();
    let edits = queued.len();
    let mut latest: Vec<Queued> = Vec::with_capacity(edits);
    for edit in queued {
        match latest.iter_mut().find(|l| l.edit.key() == edit.edit.key()) {
            Some(slot) => *slot = edit,
            None => latest.push(edit),
        }
    }
    let mut sources: Vec<String> = Vec::new();
    for queued in &latest {
        if !sources.contains(&queued.source) {
            sources.push(queued.source.clone());
        }
    }
    for Queued { edit, source } in latest {
        let outcome = catch_unwind(AssertUnwindSafe(|| index.update(edit)));
        let why = match outcome {
            Ok(Ok(true)) => continue,
            Ok(Ok(false)) => {
                eprintln!(
                    "{source} has more sections than its search entries have room for: \
                     building the whole site again"
                );
                return false;
            }
            Ok(Err(diagnostic)) => diagnostic.message,
            Err(panic) => panic_message(&*panic),
        };
        eprintln!(
            "error: cannot update the search entries of {source}: {why}; building the whole \
             site again (meanwhile search finds the text before the edit)"
        );
        return false;
    }
    state.search.outdate();
    let pages = first_and_more(sources.into_iter());
    let edits = match edits {
        1 => String::new(),
        n => format!(" ({n} edits)"),
    };
    eprintln!(
        "Search updated for {pages}{edits} in {} ms",
        started.elapsed().as_millis()
    );
    true
}

/// What a panic said, when it said it with a string.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = panic.downcast_ref::<&str>() {
        format!("it panicked: {message}")
    } else if let Some(message) = panic.downcast_ref::<String>() {
        format!("it panicked: {message}")
    } else {
        "it panicked".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_named_as_rebuilds_name_them() {
        let named = |sources: &[&str]| first_and_more(sources.iter().map(|s| s.to_string()));
        assert_eq!(named(&["content/a.md"]), "content/a.md");
        assert_eq!(
            named(&["content/a.md", "content/b.md", "content/c.md"]),
            "content/a.md and 2 more"
        );
        assert_eq!(named(&[]), "");
    }

    #[test]
    fn a_panic_says_what_it_said() {
        let caught = catch_unwind(|| panic!("boom {}", 1)).unwrap_err();
        assert_eq!(panic_message(&*caught), "it panicked: boom 1");
    }
}
