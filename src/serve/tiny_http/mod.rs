//! The dev server's HTTP layer: [tiny_http](https://github.com/tiny-http/tiny-http) 0.12.0 (its
//! latest release), carried as a module of Folio with the fixes the dev server needs.
//!
//! tiny_http is by Pierre Krieger, Corey Farwell and the tiny-http contributors, under the MIT
//! licence or the Apache licence 2.0 (`LICENSE-MIT` and `LICENSE-APACHE` in this folder). Each
//! file names the upstream file it comes from and what Folio changed in it; the changes:
//!
//! - Connections get a thread each, even in a burst (`util/task_pool.rs`; upstream queued a
//!   burst behind four threads that keep-alive connections held), and `TCP_NODELAY`, so a
//!   reused connection does not wait 40 ms on Nagle's algorithm for each response (here).
//! - Requests are handled on their connection's thread, one after another, by the function
//!   given to [`serve`], instead of queued for the caller (upstream's `Server::recv`): a
//!   client that sends requests without waiting for responses cannot start more work than one
//!   request at a time.
//! - Accept errors (out of descriptors, out of memory) are printed (at most once a minute) and
//!   retried with growing waits; upstream panicked when a descriptor could not be duplicated,
//!   which closed the listening socket for good, and stopped accepting at the first other
//!   error. Each connection now takes one descriptor instead of two
//!   (`util/refined_tcp_stream.rs`).
//! - At most [`Limits::connections`] connections are open at once; others get 503 at once.
//! - A connection that sends nothing is closed after [`Limits::idle`]; a request head must
//!   arrive within [`HeadLimits::head_time`] of its first byte (408), and its request line and
//!   header fields have size limits (414, 431) (`client.rs`).
//! - A request body Folio leaves unread ends the connection instead of being read to its end
//!   into a buffer of its announced length (`util/equal_reader.rs`, `request.rs`).
//! - HTTPS, Unix sockets, protocol upgrades, the test helpers and the `log` crate are gone:
//!   Folio uses none of them. Upstream's `lib.rs` is replaced by this file.

mod client;
mod common;
mod request;
mod response;
mod util;

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

pub(crate) use client::HeadLimits;
pub(crate) use common::{Header, Method};
pub(crate) use request::Request;
pub(crate) use response::Response;

use client::ClientConnection;
use util::{Socket, TaskPool};

/// What the server takes on, and for how long.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Most connections open at once.
    pub(crate) connections: usize,
    /// How long a connection may send nothing when a request is due (a new connection, or a
    /// kept-alive one between requests) before it is closed.
    pub(crate) idle: Duration,
    /// How long a write to a client may make no progress before the connection is dropped.
    pub(crate) stalled_write: Duration,
    /// Limits on each request head.
    pub(crate) head: HeadLimits,
}

/// The shortest and longest wait before accepting again after an error.
const ACCEPT_RETRY: (Duration, Duration) = (Duration::from_millis(10), Duration::from_secs(1));
/// How often accept errors are told at most: a server short of descriptors fails, recovers for
/// a connection and fails again many times a second.
const RETELL: Duration = Duration::from_secs(60);

/// The text of the answer to a connection over [`Limits::connections`].
const BUSY: &str =
    "503 Service Unavailable: too many connections are open; try again in a moment.\n";

/// Accepts connections on `listener` on a thread of its own, for as long as the process runs,
/// and calls `handler` with each request, on the thread of the request's connection.
pub(crate) fn serve<H>(listener: TcpListener, limits: Limits, handler: H) -> io::Result<()>
where
    H: Fn(Request) + Send + Sync + 'static,
{
    let handler = Arc::new(handler);
    thread::Builder::new()
        .name("folio-http".into())
        .spawn(move || accept_forever(&listener, limits, &handler))?;
    Ok(())
}

fn accept_forever<H>(listener: &TcpListener, limits: Limits, handler: &Arc<H>)
where
    H: Fn(Request) + Send + Sync + 'static,
{
    let pool = TaskPool::new();
    let slots = Slots::new(limits.connections);
    let mut trouble = Trouble::new();
    let mut busy_told = false;
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(error) => {
                trouble.accept_failed(&error);
                continue;
            }
        };
        trouble.accepted();
        let Some(slot) = slots.take() else {
            if !busy_told {
                eprintln!(
                    "warning: {} connections are open, the most the dev server handles at once: \
                     new ones get 503 until some close",
                    limits.connections
                );
                busy_told = true;
            }
            refuse_busy(&stream);
            continue;
        };
        busy_told = false;
        if let Err(error) = configure(&stream, &limits) {
            trouble.accept_failed(&error);
            continue;
        }
        let client = ClientConnection::new(Socket::new(stream, slot), limits.head);
        let handler = Arc::clone(handler);
        let task = Box::new(move || {
            for request in client {
                handler(request);
            }
        });
        // On failure the task, and with it the connection, is dropped: the client sees it
        // closed, and tries again.
        if let Err(error) = pool.spawn(task) {
            trouble.accept_failed(&error);
        }
    }
}

/// Sets a new connection's options: no Nagle delay, and the timeouts of `limits`.
fn configure(stream: &TcpStream, limits: &Limits) -> io::Result<()> {
    // Responses go out in several writes; without TCP_NODELAY, Nagle's algorithm holds the
    // last one back until the client's delayed acknowledgement, 40 ms per request on a reused
    // connection.
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(limits.idle))?;
    stream.set_write_timeout(Some(limits.stalled_write))
}

/// Answers 503 to a connection over the limit, on the accepting thread, so without ever
/// waiting: what the client sent so far is read (so closing does not reset the connection and
/// lose the answer), the answer fits in an empty socket buffer.
fn refuse_busy(stream: &TcpStream) {
    if stream.set_nonblocking(true).is_err() {
        return;
    }
    let mut sink = [0; 4096];
    for _ in 0..16 {
        match (&*stream).read(&mut sink) {
            Ok(n) if n > 0 => {}
            _ => break,
        }
    }
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\nRetry-After: 1\r\n\
         Cache-Control: no-store\r\n\r\n{BUSY}",
        BUSY.len()
    );
    let _ = (&*stream).write_all(response.as_bytes());
    let _ = stream.shutdown(Shutdown::Write);
}

/// Counts open connections.
struct Slots {
    open: AtomicUsize,
    max: usize,
}

/// One open connection's place among [`Limits::connections`]; given back when dropped.
pub(crate) struct Slot(Arc<Slots>);

impl Slots {
    fn new(max: usize) -> Arc<Slots> {
        Arc::new(Slots {
            open: AtomicUsize::new(0),
            max,
        })
    }

    /// A slot, unless all are taken.
    fn take(self: &Arc<Self>) -> Option<Slot> {
        self.open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |open| {
                (open < self.max).then_some(open + 1)
            })
            .ok()
            .map(|_| Slot(Arc::clone(self)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Accept errors: told at most once every [`RETELL`], and waited out with growing pauses.
struct Trouble {
    /// When an error was last told.
    told: Option<Instant>,
    /// The wait after the next error.
    pause: Duration,
}

impl Trouble {
    fn new() -> Trouble {
        Trouble {
            told: None,
            pause: ACCEPT_RETRY.0,
        }
    }

    fn accept_failed(&mut self, error: &io::Error) {
        // A client that gave up before its connection was accepted: nothing is wrong.
        if matches!(
            error.kind(),
            ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::Interrupted
        ) {
            return;
        }
        if self.told.is_none_or(|told| told.elapsed() >= RETELL) {
            eprintln!(
                "warning: the dev server cannot take a connection ({error}); it keeps trying, \
                 waiting up to {} s between tries",
                ACCEPT_RETRY.1.as_secs()
            );
            self.told = Some(Instant::now());
        }
        thread::sleep(self.pause);
        self.pause = (self.pause * 2).min(ACCEPT_RETRY.1);
    }

    fn accepted(&mut self) {
        self.pause = ACCEPT_RETRY.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_run_out_and_come_back() {
        let slots = Slots::new(2);
        let one = slots.take().expect("a first slot");
        let two = slots.take().expect("a second slot");
        assert!(slots.take().is_none(), "a third slot of two");
        drop(one);
        let three = slots.take().expect("the first slot back");
        drop((two, three));
        assert_eq!(slots.open.load(Ordering::Acquire), 0);
    }

    #[test]
    fn accept_errors_are_told_once_and_waited_out_longer_and_longer() {
        let mut trouble = Trouble::new();
        // A client that left before being accepted is no trouble at all.
        trouble.accept_failed(&io::Error::from(ErrorKind::ConnectionAborted));
        assert!(trouble.told.is_none());
        assert_eq!(trouble.pause, ACCEPT_RETRY.0);
        let emfile = io::Error::from_raw_os_error(libc::EMFILE);
        trouble.accept_failed(&emfile);
        let told = trouble.told.expect("the error told");
        trouble.accept_failed(&emfile);
        assert_eq!(trouble.told, Some(told), "told again");
        assert_eq!(trouble.pause, ACCEPT_RETRY.0 * 4);
        trouble.accepted();
        assert_eq!(trouble.pause, ACCEPT_RETRY.0);
    }
}
