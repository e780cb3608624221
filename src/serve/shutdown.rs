//! Stopping the server on Ctrl-C (SIGINT), SIGTERM or SIGHUP: the search worker finishes an
//! update under way first ([`Indexer::stop`]), so that the export is never left half written
//! (a second signal stops at once), then the process exits with 128 + the signal's number, as a process the signal killed
//! reports to a shell. Anything else stops as it would have: pages are replaced by renaming
//! whole files, and a full build writes a staging folder that the next build clears.
//!
//! The signals are blocked in every thread ([`Signals::block`], before any thread starts, so
//! that all inherit it) and one thread waits for them with `sigwait`: no signal handler runs
//! code at an arbitrary point. Children (`git`, the browser) start with no signal blocked: the
//! standard library resets the mask when it spawns a process. Elsewhere than Unix, Ctrl-C stops
//! the process at once, as before.

use super::indexer::Indexer;

/// The stopping signals, blocked; [`Signals::handle`] waits for them.
pub(crate) struct Signals {
    #[cfg(unix)]
    set: libc::sigset_t,
}

impl Signals {
    /// Blocks the stopping signals in this thread and the threads it starts from now on.
    #[cfg(unix)]
    pub(crate) fn block() -> Signals {
        // SAFETY: sigemptyset and sigaddset only write into the set they are given, which
        // lives on this stack; pthread_sigmask reads it and changes only this thread's mask.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                libc::sigaddset(&mut set, signal);
            }
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
            Signals { set }
        }
    }

    #[cfg(not(unix))]
    pub(crate) fn block() -> Signals {
        Signals {}
    }

    /// Starts the thread that waits for a stopping signal, lets `indexer` finish, and exits.
    #[cfg(unix)]
    pub(crate) fn handle(self, indexer: Indexer) -> anyhow::Result<()> {
        use anyhow::Context;

        let set = self.set;
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                let first = wait(&set);
                std::thread::spawn(move || {
                    indexer.stop();
                    std::process::exit(128 + first);
                });
                // A second signal stops at once, whatever is under way.
                std::process::exit(128 + wait(&set));
            })
            .context("cannot start the signal thread")?;
        Ok(())
    }

    #[cfg(not(unix))]
    pub(crate) fn handle(self, _indexer: Indexer) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Waits for one of the signals of `set` (blocked in this thread) and returns its number.
#[cfg(unix)]
fn wait(set: &libc::sigset_t) -> libc::c_int {
    let mut signal: libc::c_int = 0;
    // SAFETY: sigwait reads the set, which outlives the call, and writes the signal's number
    // into `signal`. It fails only for a set holding an invalid signal: then try again.
    while unsafe { libc::sigwait(set, &mut signal) } != 0 {}
    signal
}
