// From tiny_http 0.12.0, `src/util/refined_tcp_stream.rs` (MIT OR Apache-2.0: see
// ../LICENSE-MIT and ../LICENSE-APACHE).
//
// Folio: the read and write halves share one socket through an `Arc` instead of a descriptor
// each: upstream's `try_clone().unwrap()` panicked the accept thread when descriptors ran out,
// which closed the listening socket for good, and it took two descriptors a connection. The
// shared socket also carries the connection's slot (freed once both halves are gone, see
// `super::super::Slot`) and the deadline of the request head being read. TLS and Unix sockets,
// which Folio does not use, are gone.

use std::io::Result as IoResult;
use std::io::{Error as IoError, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::super::Slot;

/// One accepted connection, shared by its two halves and its `ClientConnection`.
pub(crate) struct Socket {
    stream: TcpStream,
    /// When the request head being read must be complete; None between requests.
    head_deadline: Mutex<Option<Instant>>,
    /// Counts this connection among those open until the socket closes.
    _slot: Slot,
}

impl Socket {
    pub(crate) fn new(stream: TcpStream, slot: Slot) -> Arc<Socket> {
        Arc::new(Socket {
            stream,
            head_deadline: Mutex::new(None),
            _slot: slot,
        })
    }

    pub(crate) fn stream(&self) -> &TcpStream {
        &self.stream
    }

    /// Sets (or clears) the time by which the request head must have arrived. Reads after it
    /// fail with `TimedOut`, so a client trickling its head a byte at a time cannot hold the
    /// connection for longer than one read timeout past it.
    pub(crate) fn set_head_deadline(&self, deadline: Option<Instant>) {
        *self.head_deadline.lock().unwrap_or_else(|e| e.into_inner()) = deadline;
    }

    fn past_deadline(&self) -> bool {
        let deadline = *self.head_deadline.lock().unwrap_or_else(|e| e.into_inner());
        deadline.is_some_and(|deadline| Instant::now() >= deadline)
    }
}

pub(crate) struct RefinedTcpStream {
    socket: Arc<Socket>,
    close_read: bool,
    close_write: bool,
}

impl RefinedTcpStream {
    /// The read half and the write half of `socket`.
    pub(crate) fn new(socket: &Arc<Socket>) -> (RefinedTcpStream, RefinedTcpStream) {
        let read = RefinedTcpStream {
            socket: Arc::clone(socket),
            close_read: true,
            close_write: false,
        };

        let write = RefinedTcpStream {
            socket: Arc::clone(socket),
            close_read: false,
            close_write: true,
        };

        (read, write)
    }
}

impl Drop for RefinedTcpStream {
    fn drop(&mut self) {
        if self.close_read {
            self.socket.stream.shutdown(Shutdown::Read).ok();
        }

        if self.close_write {
            self.socket.stream.shutdown(Shutdown::Write).ok();
        }
    }
}

impl Read for RefinedTcpStream {
    fn read(&mut self, buf: &mut [u8]) -> IoResult<usize> {
        if self.socket.past_deadline() {
            let message = "the request head took too long";
            return Err(IoError::new(ErrorKind::TimedOut, message));
        }
        (&self.socket.stream).read(buf)
    }
}

impl Write for RefinedTcpStream {
    fn write(&mut self, buf: &[u8]) -> IoResult<usize> {
        (&self.socket.stream).write(buf)
    }

    fn flush(&mut self) -> IoResult<()> {
        (&self.socket.stream).flush()
    }
}
