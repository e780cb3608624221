//! `folio serve` under load, on 127.0.0.1 only and bounded in time: many keep-alive clients
//! while a page is edited five times a second get no error for a page that exists, the server's
//! threads, open files and memory come back once the load ends, and a client sending its request
//! one byte a second holds up nobody else.
//!
//! CI runs [`a_loaded_server_answers_every_request_and_gives_back_what_it_took`]: 100 clients in
//! this process for 5 s on a small fixture. The full run is `benches/serve-load.sh`: wrk with 100
//! connections for 30 s on a copy of the repository's handbook (the ignored test
//! [`wrk_for_30_s_on_the_handbook`]).

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::serve::Server;
use crate::support::SiteTest;

/// Connections kept open at once during the load.
const CONNECTIONS: usize = 100;
/// Edits of a page per second during the load.
const EDITS_PER_SECOND: u64 = 5;
/// A normal request must be answered within this while a slow client trickles.
const SLOW_CLIENT_BOUND: Duration = Duration::from_millis(1000);
/// How long the server gets to give back what it took once the load ends (idle connection
/// threads end after 5 s).
const SETTLE: Duration = Duration::from_secs(20);
/// Threads and open files allowed above their level before the load.
const SLACK: usize = 4;
/// Resident memory allowed above its level before the load: allocator arenas made by the load's
/// threads keep some pages, a leak grows with every request.
const RSS_SLACK_KB: u64 = 64 * 1024;

/// The fixture's pages and files that exist, each asked for as a browser would.
const FIXTURE_PATHS: [&str; 6] = [
    "/",
    "/guide/",
    "/guide/usage/",
    "/guide/other/",
    "/files/notes.txt",
    "/files/data.json",
];

#[test]
fn a_loaded_server_answers_every_request_and_gives_back_what_it_took() {
    let site = SiteTest::fixture("serve/site");
    let mut server = Server::start(&site, &[]);
    let before = settled(&server, None);

    let editor = Editor::start(&site, "content/guide/other.md");
    let outcome = keep_alive_load(&server, &FIXTURE_PATHS, Duration::from_secs(5));
    let edits = editor.stop();
    eprintln!("{outcome}, {edits} edits");
    outcome.assert_clean();
    assert!(edits >= 20, "the page was edited only {edits} times");
    server.wait_for_log("Rebuilt");

    slow_client_holds_up_nobody(&server, "/guide/");
    let after = settled(&server, Some(&before));
    eprintln!("before the load: {before}; after: {after}");
    after.assert_within(&before);
}

/// The full run (`benches/serve-load.sh`): wrk, 100 connections, 30 s, on the repository's handbook.
#[test]
#[ignore = "30 s of wrk: run by benches/serve-load.sh"]
fn wrk_for_30_s_on_the_handbook() {
    let site = SiteTest::handbook();
    let mut server = Server::start(&site, &[]);
    let paths = handbook_paths(&server);
    let before = settled(&server, None);

    let editor = Editor::start(&site, "content/policies/contributing.md");
    let wrk = run_wrk(&server, &paths, 30);
    let edits = editor.stop();
    println!("{wrk}\n{edits} edits during the run");
    assert!(
        !wrk.contains("Non-2xx") && !wrk.contains("Socket errors"),
        "wrk saw errors:\n{wrk}"
    );
    server.wait_for_log("Rebuilt");

    slow_client_holds_up_nobody(&server, &paths[1]);
    let after = settled(&server, Some(&before));
    println!("before the load: {before}; after: {after}");
    after.assert_within(&before);
}

/* ---------- the server's footprint ---------- */

/// What the server holds: threads, open files, resident memory.
#[derive(Debug, Clone, Copy)]
struct Footprint {
    threads: usize,
    fds: usize,
    rss_kb: u64,
}

impl std::fmt::Display for Footprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} threads, {} open files, {} MiB resident",
            self.threads,
            self.fds,
            self.rss_kb / 1024
        )
    }
}

impl Footprint {
    fn of(server: &Server) -> Footprint {
        let proc = format!("/proc/{}", server.pid());
        let count = |dir: &str| fs::read_dir(format!("{proc}/{dir}")).map_or(0, |d| d.count());
        let status = fs::read_to_string(format!("{proc}/status")).unwrap_or_default();
        let rss_kb = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0);
        Footprint {
            threads: count("task"),
            fds: count("fd"),
            rss_kb,
        }
    }

    #[track_caller]
    fn assert_within(&self, before: &Footprint) {
        assert!(
            self.threads <= before.threads + SLACK
                && self.fds <= before.fds + SLACK
                && self.rss_kb <= before.rss_kb + RSS_SLACK_KB,
            "the server kept what the load took: before {before}, after {self}"
        );
    }
}

/// The footprint once it stops shrinking: before the load, after a warm-up; after it, once it
/// is back within bounds of `before` or `SETTLE` has passed.
fn settled(server: &Server, before: Option<&Footprint>) -> Footprint {
    if before.is_none() {
        for path in ["/", "/search/"] {
            server.get(path);
        }
        // The pool's idle threads from the warm-up end after 5 s; wait until the count holds.
        let deadline = Instant::now() + Duration::from_secs(8);
        let mut last = Footprint::of(server);
        while Instant::now() < deadline {
            thread::sleep(Duration::from_millis(500));
            let now = Footprint::of(server);
            if now.threads == last.threads && now.fds == last.fds {
                return now;
            }
            last = now;
        }
        return last;
    }
    let before = before.expect("checked");
    let deadline = Instant::now() + SETTLE;
    loop {
        let now = Footprint::of(server);
        let within = now.threads <= before.threads + SLACK
            && now.fds <= before.fds + SLACK
            && now.rss_kb <= before.rss_kb + RSS_SLACK_KB;
        if within || Instant::now() > deadline {
            return now;
        }
        thread::sleep(Duration::from_millis(250));
    }
}

/* ---------- the load ---------- */

/// What the clients saw.
#[derive(Default)]
struct Outcome {
    /// Responses by status code.
    statuses: BTreeMap<u16, u64>,
    /// Requests that got no response (connection closed or failed), with the first few errors.
    failed: u64,
    errors: Vec<String>,
    /// Latencies in microseconds.
    latencies: Vec<u64>,
    elapsed: Duration,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let at = |p: f64| {
            sorted
                .get(((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1)))
                .map_or(0.0, |&us| us as f64 / 1000.0)
        };
        let total: u64 = self.statuses.values().sum();
        write!(
            f,
            "{total} responses in {:.1} s ({:.0}/s) on {CONNECTIONS} keep-alive connections, \
             statuses {:?}, {} failed; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            self.elapsed.as_secs_f64(),
            total as f64 / self.elapsed.as_secs_f64(),
            self.statuses,
            self.failed,
            at(0.5),
            at(0.99),
            at(1.0)
        )
    }
}

impl Outcome {
    #[track_caller]
    fn assert_clean(&self) {
        let bad: u64 = self
            .statuses
            .iter()
            .filter(|(status, _)| !(200..300).contains(*status))
            .map(|(_, n)| n)
            .sum();
        assert!(
            bad == 0 && self.failed == 0,
            "errors under load: {self}\n{}",
            self.errors.join("\n")
        );
        assert!(
            self.statuses.values().sum::<u64>() > 0,
            "no response at all"
        );
    }
}

/// `CONNECTIONS` clients, each on one keep-alive connection, asking for `paths` in turn for
/// `duration`.
fn keep_alive_load(server: &Server, paths: &[&str], duration: Duration) -> Outcome {
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let started = Instant::now();
    let end = started + duration;
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|n| {
            let address = server.address().to_string();
            let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
            let outcome = Arc::clone(&outcome);
            thread::spawn(move || {
                let mut mine = Outcome::default();
                let mut connection = None;
                let mut i = n;
                while Instant::now() < end {
                    let path = &paths[i % paths.len()];
                    i += 1;
                    let sent = Instant::now();
                    match get_on(&mut connection, &address, path) {
                        Ok(status) => {
                            *mine.statuses.entry(status).or_default() += 1;
                            mine.latencies.push(sent.elapsed().as_micros() as u64);
                        }
                        Err(error) => {
                            connection = None;
                            mine.failed += 1;
                            if mine.errors.len() < 3 {
                                mine.errors.push(format!("{path}: {error}"));
                            }
                        }
                    }
                }
                let mut all = outcome.lock().unwrap();
                for (status, n) in mine.statuses {
                    *all.statuses.entry(status).or_default() += n;
                }
                all.failed += mine.failed;
                all.errors.extend(mine.errors);
                all.latencies.extend(mine.latencies);
            })
        })
        .collect();
    for client in clients {
        client.join().expect("a load client");
    }
    let mut outcome = Arc::try_unwrap(outcome)
        .ok()
        .expect("clients are done")
        .into_inner()
        .unwrap();
    outcome.elapsed = started.elapsed();
    outcome
}

/// Sends `GET path` on the open connection (opening one if there is none) and reads the whole
/// response; returns its status. The connection is kept unless the server closes it.
fn get_on(
    connection: &mut Option<BufReader<TcpStream>>,
    address: &str,
    path: &str,
) -> std::io::Result<u16> {
    if connection.is_none() {
        let stream = TcpStream::connect(address)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        stream.set_nodelay(true)?;
        *connection = Some(BufReader::new(stream));
    }
    let reader = connection.as_mut().expect("opened");
    let head = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n");
    reader.get_mut().write_all(head.as_bytes())?;
    let (status, length, chunked, close) = read_head(reader)?;
    if chunked {
        read_chunks(reader)?;
    } else if let Some(length) = length {
        std::io::copy(&mut reader.by_ref().take(length), &mut std::io::sink())?;
    } else {
        std::io::copy(reader, &mut std::io::sink())?;
        *connection = None;
        return Ok(status);
    }
    if close {
        *connection = None;
    }
    Ok(status)
}

/// Reads a response's head: status, Content-Length, chunked, Connection: close.
fn read_head(reader: &mut impl BufRead) -> std::io::Result<(u16, Option<u64>, bool, bool)> {
    let closed = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed unanswered");
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(closed());
    }
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let (mut length, mut chunked, mut close) = (None, false, false);
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(closed());
        }
        let header = line.trim_end();
        if header.is_empty() {
            return Ok((status, length, chunked, close));
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        match name.as_str() {
            "content-length" => length = value.parse().ok(),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "connection" => close = value.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
}

/// Reads a chunked body to its end.
fn read_chunks(reader: &mut impl BufRead) -> std::io::Result<()> {
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let size = u64::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
            .map_err(|_| std::io::Error::other(format!("bad chunk size {line:?}")))?;
        std::io::copy(&mut reader.by_ref().take(size), &mut std::io::sink())?;
        line.clear();
        reader.read_line(&mut line)?;
        if size == 0 {
            return Ok(());
        }
    }
}

/* ---------- edits during the load ---------- */

/// Rewrites one page `EDITS_PER_SECOND` times a second on a thread of its own.
struct Editor {
    stop: Arc<AtomicBool>,
    thread: thread::JoinHandle<u64>,
}

impl Editor {
    fn start(site: &SiteTest, rel: &str) -> Editor {
        let path = site.path(rel);
        let original = fs::read_to_string(&path).expect("the page to edit");
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let mut edits = 0;
            while !stopping.load(Ordering::Relaxed) {
                edits += 1;
                fs::write(&path, format!("{original}\n\nEdit number {edits}.\n"))
                    .expect("edit the page");
                thread::sleep(Duration::from_millis(1000 / EDITS_PER_SECOND));
            }
            edits
        });
        Editor { stop, thread }
    }

    /// Stops editing; returns how many edits were made.
    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("the editor")
    }
}

/* ---------- a slow client ---------- */

/// A client sends its request one byte a second; meanwhile requests for `probe` must be answered
/// quickly.
fn slow_client_holds_up_nobody(server: &Server, probe: &str) {
    let mut slow = TcpStream::connect(server.address()).expect("connect the slow client");
    let head = format!("GET / HTTP/1.1\r\nHost: {}\r\n\r\n", server.address());
    slow.write_all(&head.as_bytes()[..1]).expect("first byte");
    let trickle_end = Instant::now() + Duration::from_secs(4);
    let mut next_byte = 1;
    let mut next_at = Instant::now() + Duration::from_secs(1);
    let mut slowest = Duration::ZERO;
    let mut probes = 0;
    while Instant::now() < trickle_end {
        if Instant::now() >= next_at {
            slow.write_all(&head.as_bytes()[next_byte..=next_byte])
                .expect("the slow client's next byte");
            next_byte += 1;
            next_at += Duration::from_secs(1);
        }
        let sent = Instant::now();
        let reply = server.get(probe);
        slowest = slowest.max(sent.elapsed());
        probes += 1;
        assert_eq!(reply.status, 200, "while a client trickles");
        thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "slow client sent {next_byte} bytes over 4 s; {probes} other requests, slowest {} ms",
        slowest.as_millis()
    );
    assert!(
        slowest < SLOW_CLIENT_BOUND,
        "a request took {} ms while a client sent one byte a second",
        slowest.as_millis()
    );
}

/* ---------- wrk ---------- */

/// Up to 20 of the handbook's pages, from its served home page's links.
fn handbook_paths(server: &Server) -> Vec<String> {
    let home = server.get("/").text();
    let mut paths = vec!["/".to_string()];
    for part in home.split("href=\"/").skip(1) {
        let path = format!("/{}", part.split('"').next().unwrap_or(""));
        if path.ends_with('/') && !path.starts_with("/_") && !paths.contains(&path) {
            paths.push(path);
        }
    }
    paths.truncate(20);
    paths
}

/// Runs wrk (2 threads, `CONNECTIONS` connections) for `seconds` over `paths`; returns its report.
fn run_wrk(server: &Server, paths: &[String], seconds: u32) -> String {
    let script = tempfile::NamedTempFile::with_suffix(".lua").expect("a temporary file");
    let quoted: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
    fs::write(
        script.path(),
        format!(
            "local paths = {{{}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n",
            quoted.join(", ")
        ),
    )
    .expect("write the wrk script");
    let output = Command::new("wrk")
        .args(["-t2", &format!("-c{CONNECTIONS}"), &format!("-d{seconds}s")])
        .arg("-s")
        .arg(script.path())
        .arg("--latency")
        .arg(server.url("/"))
        .output()
        .expect("run wrk (apt-get install -y wrk)");
    assert!(output.status.success(), "wrk failed: {output:?}");
    let mut report = String::from_utf8_lossy(&output.stdout).into_owned();
    report.push_str(&String::from_utf8_lossy(&output.stderr));
    report
}
