//! Layer 6, **serve**: `folio serve`, which builds the site, serves it on this machine, and
//! rebuilds and reloads the browser on every edit. May import: every layer below, `base` to
//! `build`.
//!
//! - [`files`]: request path → file of the output, traversal-safe; content types.
//! - [`http`]: answering one request (files, pretty URLs, 404, HEAD, 405, no-store).
//! - [`api`]: `/api/search`, the served build's search index as JSON.
//! - [`reload`]: the Server-Sent Events hub and the live-reload script pages get.
//! - [`watch`]: notify events → batches of changed paths.
//! - [`rebuild`]: the build after each batch.
//! - [`indexer`]: the search worker, which updates the search index and export after edits.
//! - [`shutdown`]: Ctrl-C, which lets a search update under way finish first.
//! - [`tiny_http`]: the HTTP layer, tiny_http carried with the limits below.
//!
//! Threads: the calling thread builds, then waits for batches of changes and rebuilds, one batch
//! at a time (changes made during a build form the next batch). After an edit to a page's body
//! the search worker's thread updates the search entries, while the next batch is rebuilt (see
//! [`indexer`]). One thread waits for Ctrl-C (see [`shutdown`]). One thread accepts connections
//! and hands each to a thread of its own, which answers its requests one after another, so an
//! open event stream never holds up other requests. One more pings the event streams now and
//! then, to notice closed pages. notify has its own.
//!
//! Limits, so that no client can take the server down (see `limits()`): at most 256
//! connections at once (fewer when the process may open fewer than 576 files), others get 503;
//! a connection that sends nothing for 10 s is closed; a request head must arrive within 10 s
//! of its first byte (408), its request line within 64 KiB (414) and its header fields within
//! 64 KiB and 100 fields (431); a client that takes no data for 30 s is dropped.
//!
//! The site is built into a folder of its own beside the deploy folder (`public/` gets
//! `.public.folio-serve/`), with the served URL as base URL, so `folio build`'s output is never
//! touched, and only served pages carry the live-reload script, added as they are sent.

mod api;
pub mod files;
mod http;
mod indexer;
mod rebuild;
mod reload;
mod shutdown;
mod tiny_http;
mod watch;

use std::io::{IsTerminal, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use anyhow::Context;

use crate::base::diag::{Severity, plural};
use crate::base::model::Visibility;
use crate::base::progress::Progress;
use crate::build::{BuildOptions, BuildReport};
use crate::input::config::Config;

use api::Search;
use indexer::Indexer;
use rebuild::Rebuilder;
use reload::{Hub, Refresh};
use watch::Watch;

/// How often open event streams are pinged; a closed page's stream is dropped within two.
const PING_INTERVAL: Duration = Duration::from_secs(10);

/// Most connections served at once, when the process may open enough files.
const MAX_CONNECTIONS: usize = 256;
/// Fewest connections served at once, however few files the process may open.
const MIN_CONNECTIONS: usize = 8;
/// Files kept for the server's own use (the build, the watcher, the search index) when the
/// connection limit comes from the process's limit on open files.
const RESERVED_FILES: usize = 64;

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// Site root (the folder holding site.toml).
    pub root: PathBuf,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port to listen on; 0 picks a free one.
    pub port: u16,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Who the site is for, instead of `audience` from site.toml.
    pub audience: Option<Visibility>,
    /// Open the site in the default browser once it is built.
    pub open: bool,
}

/// What request threads share.
pub(crate) struct State {
    /// The serve output folder.
    pub(crate) output: PathBuf,
    /// The pages' event streams.
    pub(crate) hub: Hub,
    /// The served build's search index.
    pub(crate) search: Search,
    /// The address the server listens on.
    pub(crate) address: SocketAddr,
}

/// Builds and serves the site until the process is stopped; returns early only when it cannot
/// start (the port is taken, the root does not exist).
pub fn run(options: &Options) -> anyhow::Result<()> {
    crate::base::memory::limit_arenas();
    let root = options
        .root
        .canonicalize()
        .with_context(|| format!("cannot find the site folder `{}`", options.root.display()))?;
    let listener = TcpListener::bind(SocketAddr::new(options.bind, options.port))
        .with_context(|| format!("cannot listen on {}:{}", options.bind, options.port))?;
    let address = listener.local_addr()?;
    let url = site_url(address);
    if !is_loopback(options.bind) {
        let audience = options
            .audience
            .or_else(|| Config::load(&root).ok().map(|c| c.audience));
        warn_not_loopback(options, audience);
    }
    let output = serve_output(&root);
    crate::input::config::output_dir::before_serving(&root, &output)?;
    let state = Arc::new(State {
        output: output.clone(),
        hub: Hub::new(),
        search: Search::new(output.clone()),
        address,
    });
    // Watch before the first build, so an edit made while it runs is not missed.
    let watch = Watch::start(&root)?;
    let indexer = Indexer::start(Arc::clone(&state), watch.requests())?;
    shutdown::stop_gracefully(indexer.clone())?;
    let build_options = BuildOptions {
        root: root.clone(),
        output: Some(output),
        drafts: options.drafts,
        audience: options.audience,
        base_url: Some(url.clone()),
        // The server prints one line per build; a bar would interleave with it.
        progress: Progress::hidden(),
    };
    let mut rebuilder = Rebuilder::new(build_options, indexer);
    let report = rebuilder.build();
    if report.succeeded() {
        state.hub.built(Refresh::Reload);
    }
    announce(&state, &report, "Built");
    start_http(listener, Arc::clone(&state))?;
    start_pings(Arc::clone(&state));
    eprintln!("Serving {url}");
    if options.open {
        open_browser(&url);
    }
    rebuild_on_changes(watch, rebuilder, &state, report.succeeded());
    Ok(())
}

/// True for loopback addresses, `::ffff:127.0.0.1` (127.0.0.1 as IPv6) included.
fn is_loopback(address: IpAddr) -> bool {
    address.to_canonical().is_loopback()
}

fn warn_not_loopback(options: &Options, audience: Option<Visibility>) {
    let drafts = match (options.drafts, audience) {
        (true, Some(Visibility::Internal)) => ", drafts and internal pages included",
        (true, _) => ", drafts included",
        (false, Some(Visibility::Internal)) => ", internal pages included",
        (false, _) => "",
    };
    eprintln!(
        "warning: listening on {}, not a loopback address: anyone who can reach this machine can read the site{drafts}",
        options.bind
    );
}

/// Rebuilds after each batch of changes, for as long as the watcher runs.
fn rebuild_on_changes(mut watch: Watch, mut rebuilder: Rebuilder, state: &State, succeeded: bool) {
    let mut failing = !succeeded;
    while let Some(changes) = watch.next_batch() {
        let report = rebuilder.rebuild(&changes);
        // After a failure pages show an overlay over older pages: only a reload brings them
        // up to date, whatever changed.
        let refresh = if changes.only_stylesheets() && !failing {
            Refresh::Stylesheets
        } else {
            Refresh::Reload
        };
        let what = if changes.search_failed && changes.paths.is_empty() && !changes.rescan {
            "Rebuilt for the search index:".to_string()
        } else {
            format!("Rebuilt after {} changed:", changes.describe())
        };
        // Pages first: they search the static export, which stays whole meanwhile (see
        // `build::LiveSite`); the search worker updates it after an edit (see `indexer`).
        if report.succeeded() {
            state.hub.built(refresh);
        }
        announce(state, &report, &what);
        // After the reload, so that the update does not compete with it for the processor.
        rebuilder.update_search();
        failing = !report.succeeded();
    }
}

/// The URL to open: the listening address, with a loopback address in place of "any address".
fn site_url(address: SocketAddr) -> String {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, address.port()))
}

/// The serve output: a hidden folder beside the configured output (`public/` →
/// `.public.folio-serve/`). Fixed at startup; a site.toml that does not load yet counts as
/// `public`.
fn serve_output(root: &Path) -> PathBuf {
    let output = Config::load(root).map_or_else(|_| root.join("public"), |c| c.output_dir);
    crate::base::output::beside(&output, "serve")
}

/// Prints the build's diagnostics and outcome, as `folio build` does, tells the pages of a
/// failure (of a success they have been told already), and reopens the index `/api/search`
/// reads after a full build (after an incremental one, the search worker has it reopened once
/// it has updated it).
fn announce(state: &State, report: &BuildReport, what: &str) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let diagnostics = &report.diagnostics;
    let _ = write!(err, "{}", diagnostics.render(stderr.is_terminal()));
    if !report.succeeded() {
        state.hub.failed(diagnostics);
        let _ = writeln!(
            err,
            "error: build failed: {}; still serving the last good build",
            diagnostics.summary()
        );
        return;
    }
    if !report.incremental
        && let Err(error) = state.search.reopen()
    {
        let _ = writeln!(err, "warning: cannot open the search index: {error:#}");
    }
    let warnings = match diagnostics.warning_count() {
        0 => String::new(),
        _ => format!(" with {}", diagnostics.counted(Severity::Warning)),
    };
    let pages = plural(report.pages, "page");
    let built = if report.incremental {
        format!("updated {pages}")
    } else {
        format!("{pages} ({})", plural(report.sections, "section"))
    };
    let _ = writeln!(
        err,
        "{what} {built} in {} ms{warnings}",
        report.elapsed.as_millis()
    );
}

/// Accepts connections on a thread, answering each connection's requests on a thread of its own.
fn start_http(listener: TcpListener, state: Arc<State>) -> anyhow::Result<()> {
    tiny_http::serve(listener, limits(), move |request| {
        http::handle(request, &state)
    })
    .context("cannot start the web server thread")
}

/// What the server takes on (see the module documentation for why).
fn limits() -> tiny_http::Limits {
    tiny_http::Limits {
        connections: connection_limit(open_file_limit()),
        idle: Duration::from_secs(10),
        stalled_write: Duration::from_secs(30),
        head: tiny_http::HeadLimits {
            // Long enough for any page's address and a long search query in the API's URL.
            request_line: 64 * 1024,
            // Browsers send a few hundred bytes; cookies of other servers on localhost (which
            // browsers share between ports) can add a few KiB.
            header_bytes: 64 * 1024,
            header_count: 100,
            head_time: Duration::from_secs(10),
        },
    }
}

/// Connections served at once for a process that may open `files` files: each may hold a
/// file open as well as its socket, and the server keeps some for itself.
fn connection_limit(files: Option<usize>) -> usize {
    files.map_or(MAX_CONNECTIONS, |files| {
        (files.saturating_sub(RESERVED_FILES) / 2).clamp(MIN_CONNECTIONS, MAX_CONNECTIONS)
    })
}

/// The process's limit on open files (`ulimit -n`), where there is one.
fn open_file_limit() -> Option<usize> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit only writes the limit into the struct it is given, which lives
        // until the call returns.
        let status = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
        if status == 0 && limit.rlim_cur != libc::RLIM_INFINITY {
            return Some(usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX));
        }
    }
    None
}

fn start_pings(state: Arc<State>) {
    thread::spawn(move || {
        loop {
            thread::sleep(PING_INTERVAL);
            state.hub.ping();
        }
    });
}

/// Opens `url` in the default browser, best effort.
fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let spawned = Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            // Reap it, so it does not linger as a zombie while the server runs.
            thread::spawn(move || child.wait());
        }
        Err(error) => eprintln!("warning: cannot open a browser ({program}: {error}); open {url}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_a_reachable_address() {
        let url = |s: &str| site_url(s.parse().unwrap());
        assert_eq!(url("127.0.0.1:1111"), "http://127.0.0.1:1111/");
        assert_eq!(url("0.0.0.0:80"), "http://127.0.0.1:80/");
        assert_eq!(url("[::]:8080"), "http://[::1]:8080/");
        assert_eq!(url("192.168.1.5:1111"), "http://192.168.1.5:1111/");
    }

    #[test]
    fn ipv4_mapped_loopback_is_loopback() {
        let loopback = |s: &str| is_loopback(s.parse().unwrap());
        assert!(loopback("127.0.0.1"));
        assert!(loopback("127.8.9.10"));
        assert!(loopback("::1"));
        assert!(loopback("::ffff:127.0.0.1"));
        assert!(!loopback("::ffff:192.168.1.5"));
        assert!(!loopback("0.0.0.0"));
        assert!(!loopback("::"));
        assert!(!loopback("192.168.1.5"));
    }

    #[test]
    fn the_connection_limit_leaves_files_for_the_server() {
        assert_eq!(connection_limit(None), MAX_CONNECTIONS);
        assert_eq!(connection_limit(Some(1_048_576)), MAX_CONNECTIONS);
        assert_eq!(connection_limit(Some(1024)), MAX_CONNECTIONS);
        assert_eq!(connection_limit(Some(256)), 96);
        assert_eq!(connection_limit(Some(20)), MIN_CONNECTIONS);
    }

    #[test]
    fn the_serve_output_sits_beside_the_deploy_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        assert_eq!(serve_output(root), root.join(".public.folio-serve"));
        std::fs::write(
            root.join("site.toml"),
            "title = \"x\"\noutput_dir = \"dist/site\"\n",
        )
        .unwrap();
        assert_eq!(serve_output(root), root.join("dist/.site.folio-serve"));
    }
}
