// From tiny_http 0.12.0, `src/client.rs` (MIT OR Apache-2.0: see LICENSE-MIT and
// LICENSE-APACHE).
//
// Folio: the request head is bounded. Its request line and header fields have size limits
// (414 and 431 beyond them: upstream read a line until its end, so three connections sending
// 300 MB header lines took the server to 941 MB); a connection that sends nothing closes after
// the socket's read timeout, and a head that is not complete a timeout after its first byte
// gets 408. The server's error responses say `Connection: close` and the connection lingers
// (see `linger`) so the client reads them. A request whose body is left unread ends its
// connection. HTTPS is gone.

use ascii::AsciiString;

use std::io::Error as IoError;
use std::io::{BufReader, BufWriter, ErrorKind, Read, Write};

use std::net::Shutdown;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Request;
use super::common::{HTTPVersion, Method, StatusCode};
use super::util::{RefinedTcpStream, Socket};
use super::util::{SequentialReader, SequentialReaderBuilder, SequentialWriterBuilder};

/// Folio: how much of a request head the server reads, and for how long.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeadLimits {
    /// Longest request line (method, target, version), in bytes.
    pub(crate) request_line: usize,
    /// Most bytes of header fields, together.
    pub(crate) header_bytes: usize,
    /// Most header fields.
    pub(crate) header_count: usize,
    /// How long a request head may take from its first byte.
    pub(crate) head_time: Duration,
}

/// Folio: how long the server reads (and drops) what a client still sends after an error
/// response, before closing.
const LINGER: Duration = Duration::from_secs(2);

/// A ClientConnection is an object that will store a socket to a client
/// and return Request objects.
pub(crate) struct ClientConnection {
    // Folio: the socket itself, for deadlines, shutting down and lingering
    socket: Arc<Socket>,

    limits: HeadLimits,

    // sequence of Readers to the stream, so that the data is not read in
    //  the wrong order
    source: SequentialReaderBuilder<BufReader<RefinedTcpStream>>,

    // sequence of Writers to the stream, to avoid writing response #2 before
    //  response #1
    sink: SequentialWriterBuilder<BufWriter<RefinedTcpStream>>,

    // Reader to read the next header from
    next_header_source: SequentialReader<BufReader<RefinedTcpStream>>,

    // set to true if we know that the previous request is the last one
    no_more_requests: bool,

    // Folio: set when the connection ends with the client possibly still sending
    linger: bool,
}

/// Error that can happen when reading a request.
#[derive(Debug)]
enum ReadError {
    WrongRequestLine,
    WrongHeader(HTTPVersion),
    /// the client sent an unrecognized `Expect` header
    ExpectationFailed(HTTPVersion),
    /// Folio: the client closed the connection, or sent nothing for the read timeout, before a
    /// request began
    NoRequest,
    /// Folio: the request line is over the limit
    RequestLineTooLong,
    /// Folio: the header fields are over a limit
    HeadersTooLarge(HTTPVersion),
    /// Folio: the head did not arrive within its time
    TimedOut,
    ReadIoError,
}

/// Folio: why a line could not be read.
enum LineError {
    TooLong,
    Io(IoError),
}

impl ClientConnection {
    /// Creates a new `ClientConnection` that takes a share of the accepted socket.
    pub(crate) fn new(socket: Arc<Socket>, limits: HeadLimits) -> ClientConnection {
        let (read_socket, write_socket) = RefinedTcpStream::new(&socket);

        let mut source = SequentialReaderBuilder::new(BufReader::with_capacity(1024, read_socket));
        let first_header = source.next().expect("the builder always gives a reader");

        ClientConnection {
            source,
            sink: SequentialWriterBuilder::new(BufWriter::with_capacity(1024, write_socket)),
            socket,
            limits,
            next_header_source: first_header,
            no_more_requests: false,
            linger: false,
        }
    }

    /// Reads the next line from self.next_header_source, `buf` holding what was read of it
    /// already; fails when it grows beyond `limit` bytes.
    ///
    /// Reads until `CRLF` is reached. The next read will start
    ///  at the first byte of the new line.
    fn read_next_line(&mut self, mut buf: Vec<u8>, limit: usize) -> Result<AsciiString, LineError> {
        let mut prev_byte_was_cr = buf.last() == Some(&b'\r');

        loop {
            // The reader is a BufReader behind the SequentialReader, which clippy cannot see.
            #[allow(clippy::unbuffered_bytes)]
            let byte = self.next_header_source.by_ref().bytes().next();

            let byte = match byte {
                Some(b) => b.map_err(LineError::Io)?,
                None => {
                    let error = IoError::new(ErrorKind::ConnectionAborted, "Unexpected EOF");
                    return Err(LineError::Io(error));
                }
            };

            if byte == b'\n' && prev_byte_was_cr {
                buf.pop(); // removing the '\r'
                return AsciiString::from_ascii(buf).map_err(|_| {
                    LineError::Io(IoError::new(
                        ErrorKind::InvalidInput,
                        "Header is not in ASCII",
                    ))
                });
            }

            if buf.len() >= limit {
                return Err(LineError::TooLong);
            }

            prev_byte_was_cr = byte == b'\r';

            buf.push(byte);
        }
    }

    /// Folio: waits for the first byte of a request, as long as the socket's read timeout.
    fn first_byte(&mut self) -> Result<u8, ReadError> {
        let mut byte = [0];
        loop {
            return match self.next_header_source.read(&mut byte) {
                Ok(0) => Err(ReadError::NoRequest),
                Ok(_) => Ok(byte[0]),
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) if is_timeout(&e) => Err(ReadError::NoRequest),
                Err(_) => Err(ReadError::ReadIoError),
            };
        }
    }

    /// Reads a request from the stream.
    /// Blocks until the header has been read.
    fn read(&mut self) -> Result<Request, ReadError> {
        let first = self.first_byte()?;
        self.socket
            .set_head_deadline(Some(Instant::now() + self.limits.head_time));
        let request = self.read_head(first);
        self.socket.set_head_deadline(None);
        request
    }

    fn read_head(&mut self, first: u8) -> Result<Request, ReadError> {
        let (method, path, version, headers) = {
            // reading the request line
            let (method, path, version) = {
                let line = match self.read_next_line(vec![first], self.limits.request_line) {
                    Ok(line) => line,
                    Err(LineError::TooLong) => return Err(ReadError::RequestLineTooLong),
                    Err(LineError::Io(e)) => return Err(io_error(e)),
                };

                parse_request_line(
                    line.as_str().trim(), // TODO: remove this conversion
                )?
            };

            // getting all headers
            let headers = {
                let mut headers = Vec::new();
                let mut budget = self.limits.header_bytes;
                loop {
                    let too_large = ReadError::HeadersTooLarge(version.clone());
                    let line = match self.read_next_line(Vec::new(), budget) {
                        Ok(line) => line,
                        Err(LineError::TooLong) => return Err(too_large),
                        Err(LineError::Io(e)) => return Err(io_error(e)),
                    };

                    if line.is_empty() {
                        break;
                    };
                    if headers.len() == self.limits.header_count {
                        return Err(too_large);
                    }
                    budget -= line.len();
                    headers.push(match FromStr::from_str(line.as_str().trim()) {
                        // TODO: remove this conversion
                        Ok(h) => h,
                        _ => return Err(ReadError::WrongHeader(version)),
                    });
                }

                headers
            };

            (method, path, version, headers)
        };

        // building the writer for the request
        let writer = self.sink.next().expect("the builder always gives a writer");

        // follow-up for next potential request
        let mut data_source = self
            .source
            .next()
            .expect("the builder always gives a reader");
        std::mem::swap(&mut self.next_header_source, &mut data_source);

        // building the next reader
        let request = super::request::new_request(
            method,
            path,
            version.clone(),
            headers,
            data_source,
            writer,
        )
        .map_err(|e| {
            use super::request;
            match e {
                request::RequestCreationError::CreationIoError(e) => io_error(e),
                request::RequestCreationError::ExpectationFailed => {
                    ReadError::ExpectationFailed(version)
                }
            }
        })?;

        // return the request
        Ok(request)
    }

    /// Folio: answers `status` with a short text and `Connection: close`, then lingers: the
    /// connection ends after this.
    fn refuse(&mut self, status: u16, version: HTTPVersion, why: &str) {
        let mut writer = self.sink.next().expect("the builder always gives a writer");
        write_refusal(&mut writer, status, version, why);
        drop(writer);
        self.linger = true;
    }

    /// Folio: ends a connection whose client may still be sending (a head over a limit, a body
    /// left unread). Closing a socket with unread data makes the system reset the connection,
    /// and a reset can destroy the response before the client reads it; so the server stops
    /// writing, then reads and drops what comes for up to `LINGER`, then closes.
    fn linger(&self) {
        let stream = self.socket.stream();
        if stream.shutdown(Shutdown::Write).is_err() {
            return;
        }
        let until = Instant::now() + LINGER;
        let mut sink = [0; 8192];
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
                break;
            }
            match (&*stream).read(&mut sink) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
    }
}

/// Folio: writes the response of a refusal: `status` with `why` as text, and `Connection: close`.
fn write_refusal(writer: &mut dyn Write, status: u16, version: HTTPVersion, why: &str) {
    let reason = StatusCode(status).default_reason_phrase();
    let body = format!("{status} {reason}: {why}\n");
    let version = if version > (1, 1) {
        HTTPVersion(1, 1)
    } else {
        version
    };
    let head = format!(
        "HTTP/{}.{} {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n",
        version.0,
        version.1,
        body.len()
    );
    let _ = writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.write_all(body.as_bytes()))
        .and_then(|()| writer.flush());
}

/// Folio: a read timeout shows as `WouldBlock` (`SO_RCVTIMEO` gives `EAGAIN`) or `TimedOut`.
fn is_timeout(error: &IoError) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

fn io_error(error: IoError) -> ReadError {
    if is_timeout(&error) {
        ReadError::TimedOut
    } else {
        ReadError::ReadIoError
    }
}

impl Iterator for ClientConnection {
    type Item = Request;

    /// Blocks until the next Request is available.
    /// Returns None when no new Requests will come from the client.
    fn next(&mut self) -> Option<Request> {
        // the client sent a "connection: close" header in this previous request
        //  or is using HTTP 1.0, meaning that no new request will come
        if self.no_more_requests {
            if self.linger {
                self.linger();
            }
            return None;
        }

        let version = HTTPVersion(1, 1);
        let rq = match self.read() {
            Ok(rq) => rq,
            Err(ReadError::NoRequest | ReadError::ReadIoError) => return None,
            Err(ReadError::WrongRequestLine) => {
                // we don't know where the next request would start, so we have to close
                self.refuse(400, version, "the request line is not HTTP");
                return self.end();
            }
            Err(ReadError::WrongHeader(ver)) => {
                self.refuse(400, ver, "a header field is not well formed");
                return self.end();
            }
            Err(ReadError::TimedOut) => {
                self.refuse(408, version, "the request took too long to arrive");
                return self.end();
            }
            Err(ReadError::ExpectationFailed(ver)) => {
                self.refuse(417, ver, "only `Expect: 100-continue` is understood");
                return self.end();
            }
            Err(ReadError::RequestLineTooLong) => {
                let why = format!(
                    "the request line is over {} bytes",
                    self.limits.request_line
                );
                self.refuse(414, version, &why);
                return self.end();
            }
            Err(ReadError::HeadersTooLarge(ver)) => {
                let why = format!(
                    "the header fields are over {} bytes or {} fields",
                    self.limits.header_bytes, self.limits.header_count
                );
                self.refuse(431, ver, &why);
                return self.end();
            }
        };

        // checking HTTP version
        if *rq.http_version() > (1, 1) {
            let ver = rq.http_version().clone();
            let mut writer = rq.into_writer();
            write_refusal(&mut writer, 505, ver, "this server speaks HTTP 1.0 and 1.1");
            drop(writer);
            self.linger = true;
            return self.end();
        }

        // updating the status of the connection
        let connection_header = rq
            .headers()
            .iter()
            .find(|h| h.field.equiv("Connection"))
            .map(|h| h.value.as_str());

        let lowercase = connection_header.map(|h| h.to_ascii_lowercase());

        match lowercase {
            Some(ref val) if val.contains("close") => self.no_more_requests = true,
            Some(ref val) if val.contains("upgrade") => self.no_more_requests = true,
            Some(ref val)
                if !val.contains("keep-alive") && *rq.http_version() == HTTPVersion(1, 0) =>
            {
                self.no_more_requests = true
            }
            None if *rq.http_version() == HTTPVersion(1, 0) => self.no_more_requests = true,
            _ => (),
        };

        // Folio: the body's bytes are where the next request would start
        if rq.body_left_unread() {
            self.no_more_requests = true;
            self.linger = true;
        }

        // returning the request
        Some(rq)
    }
}

impl ClientConnection {
    /// Folio: the connection ends after a refusal.
    fn end(&mut self) -> Option<Request> {
        self.no_more_requests = true;
        self.next()
    }
}

/// Parses a "HTTP/1.1" string.
fn parse_http_version(version: &str) -> Result<HTTPVersion, ReadError> {
    let (major, minor) = match version {
        "HTTP/0.9" => (0, 9),
        "HTTP/1.0" => (1, 0),
        "HTTP/1.1" => (1, 1),
        "HTTP/2.0" => (2, 0),
        "HTTP/3.0" => (3, 0),
        _ => return Err(ReadError::WrongRequestLine),
    };

    Ok(HTTPVersion(major, minor))
}

/// Parses the request line of the request.
/// eg. GET / HTTP/1.1
fn parse_request_line(line: &str) -> Result<(Method, String, HTTPVersion), ReadError> {
    let mut parts = line.split(' ');

    let method = parts.next().and_then(|w| w.parse().ok());
    let path = parts.next().map(ToOwned::to_owned);
    let version = parts.next().and_then(|w| parse_http_version(w).ok());

    method
        .and_then(|method| Some((method, path?, version?)))
        .ok_or(ReadError::WrongRequestLine)
}

#[cfg(test)]
mod test {
    #[test]
    fn test_parse_request_line() {
        let (method, path, ver) = super::parse_request_line("GET /hello HTTP/1.1").unwrap();

        assert!(method == super::Method::Get);
        assert!(path == "/hello");
        assert!(ver == super::HTTPVersion(1, 1));

        assert!(super::parse_request_line("GET /hello").is_err());
        assert!(super::parse_request_line("qsd qsd qsd").is_err());
    }
}
