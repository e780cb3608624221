//! Live reload: the Server-Sent Events hub that tells open pages about rebuilds, and the script
//! injected into served pages that listens to it.
//!
//! Each open page holds one `GET /_folio/events` connection. Events (see `live-reload.js`):
//! `hello` on connect, `reload` after a successful rebuild, `css` when only stylesheets changed,
//! `build-error` with the diagnostics when a rebuild failed. A page that connects while the last
//! build is failing gets that `build-error` at once, so every open or newly opened page shows it.
//!
//! Builds are identified by an id that changes with every successful build (and with every start
//! of the server). Pages are stamped with the id current when they were served; `hello` carries
//! the current one, so a page served just before a rebuild but connected just after it still
//! reloads.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::base::diag::Diagnostics;

/// The path pages listen on.
pub(crate) const EVENTS_PATH: &str = "/_folio/events";

/// The script injected into pages.
const SCRIPT: &str = include_str!("live-reload.js");

/// How a successful rebuild is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refresh {
    /// Reload every page.
    Reload,
    /// Only stylesheets changed: pages swap them in place.
    Stylesheets,
}

/// The open event streams and what they have been told.
pub(crate) struct Hub {
    /// Differs between runs of the server, so pages from an earlier run reload.
    session: u64,
    /// Counts successful builds. Changed only under the lock, so that every stream hears of each
    /// change in order, but read without it: stamping a page never waits for a broadcast.
    generation: AtomicU64,
    state: Mutex<HubState>,
}

struct HubState {
    clients: Vec<Box<dyn Write + Send>>,
    /// The `build-error` event data while the last build is failing.
    error: Option<String>,
}

#[derive(Serialize)]
struct BuildEvent<'a> {
    build: &'a str,
}

/// What a page needs to show a failed build.
#[derive(Serialize)]
struct ErrorEvent {
    errors: Vec<ErrorItem>,
    /// The diagnostics as the terminal shows them (without colours).
    text: String,
}

#[derive(Serialize)]
struct ErrorItem {
    /// `path:line:col`, when known.
    location: Option<String>,
    message: String,
    help: Option<String>,
}

impl Hub {
    /// A hub with no pages listening, at the server's first build.
    pub(crate) fn new() -> Hub {
        let session = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        Hub {
            session,
            generation: AtomicU64::new(0),
            state: Mutex::new(HubState {
                clients: Vec::new(),
                error: None,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HubState> {
        // A panic while writing to a client cannot leave the list inconsistent: keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The id of the current build, which pages are stamped with.
    pub(crate) fn build_id(&self) -> String {
        let generation = self.generation.load(Ordering::SeqCst);
        format!("{:x}-{generation}", self.session)
    }

    fn build_json(&self) -> String {
        let id = self.build_id();
        serde_json::to_string(&BuildEvent { build: &id }).unwrap_or_default()
    }

    /// Number of open event streams.
    #[cfg(test)]
    pub(crate) fn client_count(&self) -> usize {
        self.lock().clients.len()
    }

    /// Takes over a connection (the raw writer of `GET /_folio/events`): writes the response
    /// head, `hello`, and the current error if any, then keeps it for later events.
    pub(crate) fn subscribe(&self, mut client: Box<dyn Write + Send>) {
        let mut state = self.lock();
        let mut greeting = String::from(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
             Connection: close\r\nX-Accel-Buffering: no\r\n\r\n\
             retry: 500\n\n",
        );
        greeting.push_str(&event("hello", &self.build_json()));
        if let Some(error) = &state.error {
            greeting.push_str(&event("build-error", error));
        }
        if send(&mut client, &greeting) {
            state.clients.push(client);
        }
    }

    /// A build succeeded: pages reload (or swap stylesheets) and any error overlay goes away.
    pub(crate) fn built(&self, refresh: Refresh) {
        let mut state = self.lock();
        self.generation.fetch_add(1, Ordering::SeqCst);
        state.error = None;
        let name = match refresh {
            Refresh::Reload => "reload",
            Refresh::Stylesheets => "css",
        };
        let message = event(name, &self.build_json());
        state.broadcast(&message);
    }

    /// A build failed: pages show `diagnostics` over the last good build, until one succeeds.
    pub(crate) fn failed(&self, diagnostics: &Diagnostics) {
        let data = error_json(diagnostics);
        let mut state = self.lock();
        let message = event("build-error", &data);
        state.error = Some(data);
        state.broadcast(&message);
    }

    /// Writes a comment to every stream. Browsers ignore it; it finds the streams of closed
    /// pages (writing to them fails), which are then dropped, freeing their connections.
    pub(crate) fn ping(&self) {
        self.lock().broadcast(": ping\n\n");
    }
}

impl HubState {
    /// Sends `message` to every client, dropping those that fail.
    fn broadcast(&mut self, message: &str) {
        self.clients.retain_mut(|client| send(client, message));
    }
}

/// Writes and flushes one message; false when the connection is gone. The flush matters: the
/// writer is buffered, and without it events would sit in the buffer instead of reaching pages.
fn send(client: &mut Box<dyn Write + Send>, message: &str) -> bool {
    client.write_all(message.as_bytes()).is_ok() && client.flush().is_ok()
}

/// One event in the text/event-stream format. `data` is JSON, which has no raw line breaks.
fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

fn error_json(diagnostics: &Diagnostics) -> String {
    let errors = diagnostics
        .items()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| ErrorItem {
            location: d.location.as_ref().map(|l| {
                let path = l.path.to_string_lossy().replace('\\', "/");
                format!("{path}:{}:{}", l.line, l.column)
            }),
            message: d.message.clone(),
            help: d.help.clone(),
        })
        .collect();
    let text = diagnostics.render(false);
    serde_json::to_string(&ErrorEvent { errors, text }).unwrap_or_default()
}

/// Adds the live-reload script, stamped with `build`, before the page's last `</body>` (or at
/// its end when there is none). Works on bytes: a page copied from content/ may not be UTF-8.
pub(crate) fn inject(html: &[u8], build: &str) -> Vec<u8> {
    let tag = format!("<script data-folio-build=\"{build}\">\n{SCRIPT}</script>\n");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::base::diag::{Diagnostic, Location};

    /// A client whose writes land in a shared buffer, or fail once `closed` is set.
    #[derive(Clone, Default)]
    struct Tab {
        received: Arc<Mutex<String>>,
        closed: Arc<Mutex<bool>>,
    }

    impl Write for Tab {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if *self.closed.lock().unwrap() {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            let text = String::from_utf8_lossy(bytes);
            self.received.lock().unwrap().push_str(&text);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Tab {
        fn text(&self) -> String {
            self.received.lock().unwrap().clone()
        }
    }

    #[test]
    fn every_tab_hears_every_event_and_closed_tabs_are_dropped() {
        let hub = Hub::new();
        let (one, two) = (Tab::default(), Tab::default());
        hub.subscribe(Box::new(one.clone()));
        hub.subscribe(Box::new(two.clone()));
        assert!(one.text().starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(one.text().contains("event: hello\n"));
        hub.built(Refresh::Reload);
        assert!(one.text().contains("event: reload\n") && two.text().contains("event: reload\n"));
        *two.closed.lock().unwrap() = true;
        hub.ping();
        assert_eq!(hub.client_count(), 1);
        hub.built(Refresh::Stylesheets);
        assert!(one.text().contains("event: css\n"));
    }

    #[test]
    fn a_failing_build_is_told_to_pages_that_connect_later() {
        let hub = Hub::new();
        let mut diagnostics = Diagnostics::new();
        let location = Location::from_line_col(std::path::Path::new("content/a.md"), "x\nab", 2, 2);
        diagnostics.push(Diagnostic::error("<b>bad</b>").at(location));
        hub.failed(&diagnostics);
        let late = Tab::default();
        hub.subscribe(Box::new(late.clone()));
        let text = late.text();
        assert!(text.contains("event: build-error\n"), "{text}");
        assert!(text.contains(r#""location":"content/a.md:2:2""#), "{text}");
        let before = hub.build_id();
        hub.built(Refresh::Reload);
        assert_ne!(hub.build_id(), before);
        let fresh = Tab::default();
        hub.subscribe(Box::new(fresh.clone()));
        assert!(!fresh.text().contains("build-error"));
    }

    #[test]
    fn the_script_goes_before_the_closing_body_tag() {
        let page = inject(b"<html><body><p>x</p></BODY></html>", "1-2");
        let page = String::from_utf8(page).unwrap();
        let script = page.find("<script data-folio-build=\"1-2\">").unwrap();
        assert!(script > page.find("<p>x</p>").unwrap());
        assert!(script < page.find("</BODY>").unwrap());
        assert!(inject(b"no body", "1").starts_with(b"no body<script"));
        let latin1 = inject(b"caf\xe9</body>", "1");
        assert!(latin1.starts_with(b"caf\xe9<script") && latin1.ends_with(b"</body>"));
    }
}
