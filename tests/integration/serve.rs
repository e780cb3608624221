//! `folio serve` over real HTTP: each test starts the binary on a free port on a copy of
//! `tests/fixtures/serve/site`, talks to it with plain TCP (so request targets go out exactly as
//! written, `..` and all), edits files, and reads the event stream as a browser would. What a
//! real browser shows is in `serve_browser.rs`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{FOLIO, SiteTest, location_of, snapshot};

/// How long anything a test waits for may take: generous, for a loaded CI machine.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The serve output of a site whose output folder is `public/`.
pub(crate) const SERVE_OUTPUT: &str = ".public.folio-serve";

/// A running `folio serve`, killed when dropped.
pub(crate) struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    address: String,
    /// What the server printed on stderr so far, line by line.
    log: Arc<Mutex<Vec<String>>>,
    /// The thread that reads stderr into `log`, until the server closes it.
    reader: Option<thread::JoinHandle<()>>,
}

/// One HTTP response.
#[derive(Debug)]
pub(crate) struct Reply {
    /// Status code; 0 when the server closed the connection without answering.
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

/// One Server-Sent Event.
#[derive(Debug)]
pub(crate) struct Event {
    pub(crate) name: String,
    pub(crate) data: Value,
}

/// A page's event stream, read over plain TCP.
pub(crate) struct Events {
    reader: BufReader<TcpStream>,
}

impl Server {
    /// Starts `folio serve --port 0 ARGS` on `site` and waits for the URL it prints.
    pub(crate) fn start(site: &SiteTest, args: &[&str]) -> Server {
        Server::spawn(Command::new(FOLIO), site, args)
    }

    /// Like [`Server::start`], with the environment variables `vars` set.
    pub(crate) fn start_with_env(
        site: &SiteTest,
        args: &[&str],
        vars: &[(&str, &std::path::Path)],
    ) -> Server {
        let mut command = Command::new(FOLIO);
        for (name, value) in vars {
            command.env(name, value);
        }
        Server::spawn(command, site, args)
    }

    /// Sends the server SIGINT, as Ctrl-C in its terminal does.
    pub(crate) fn interrupt(&mut self) {
        let sent = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -INT failed");
    }

    /// Waits for the server to exit (after [`Server::interrupt`]), and for all it printed.
    pub(crate) fn wait_for_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for folio serve") {
                // Everything it printed is in the log.
                if let Some(reader) = self.reader.take() {
                    reader.join().expect("the log reader");
                }
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "folio serve did not exit:\n{}",
                self.log()
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Like [`Server::start`], but the server may open only `files` files (`ulimit -n`, set by
    /// a shell that then becomes the server, so [`Server::pid`] is the server's).
    pub(crate) fn start_with_file_limit(site: &SiteTest, args: &[&str], files: u32) -> Server {
        let mut shell = Command::new("sh");
        shell.args([
            "-c",
            &format!("ulimit -n {files} && exec \"$0\" \"$@\""),
            FOLIO,
        ]);
        Server::spawn(shell, site, args)
    }

    fn spawn(mut command: Command, site: &SiteTest, args: &[&str]) -> Server {
        let mut child = command
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start folio serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&log);
        let reader = thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let mut server = Server {
            child,
            address: String::new(),
            log,
            reader: Some(reader),
        };
        let line = server.wait_for_log("Serving ");
        let url = line.trim_start_matches("Serving ").trim();
        server.address = url
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected URL line {line:?}"))
            .to_string();
        server
    }

    /// The server's process id, to read its threads, files and memory under /proc.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `127.0.0.1:PORT`
    pub(crate) fn address(&self) -> &str {
        &self.address
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Waits for a line of stderr containing `needle` and returns it.
    #[track_caller]
    pub(crate) fn wait_for_log(&mut self, needle: &str) -> String {
        self.wait_for_nth_log(needle, 1)
    }

    /// Waits for the `nth` (from 1) line of stderr containing `needle` and returns it.
    #[track_caller]
    pub(crate) fn wait_for_nth_log(&mut self, needle: &str, nth: usize) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let found = self
                .log
                .lock()
                .unwrap()
                .iter()
                .filter(|l| l.contains(needle))
                .nth(nth - 1)
                .cloned();
            if let Some(line) = found {
                return line;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "folio serve exited ({status}) before printing {needle:?}:\n{}",
                    self.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in:\n{}",
                self.log()
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.address).expect("connect to folio serve");
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream
    }

    /// Sends `method target` exactly as written and reads the whole reply.
    pub(crate) fn request(&self, method: &str, target: &str) -> Reply {
        let head = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        );
        self.raw(head.as_bytes())
    }

    pub(crate) fn get(&self, target: &str) -> Reply {
        self.request("GET", target)
    }

    /// Sends raw bytes and reads the reply until the server closes the connection.
    pub(crate) fn raw(&self, request: &[u8]) -> Reply {
        let mut stream = self.connect();
        stream.write_all(request).expect("send a request");
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Reply::parse(&bytes)
    }

    /// Opens an event stream and reads its `hello`.
    pub(crate) fn events(&self) -> Events {
        let mut stream = self.connect();
        let head = format!(
            "GET /_folio/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.address
        );
        stream.write_all(head.as_bytes()).unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        while !head.ends_with("\r\n\r\n") {
            let read = reader
                .read_line(&mut head)
                .expect("read the event stream's head");
            assert!(read > 0, "the event stream closed: {head}");
        }
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: text/event-stream"),
            "{head}"
        );
        let mut events = Events { reader };
        events.expect("hello");
        events
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let split = bytes.windows(4).position(|w| w == b"\r\n\r\n");
        let Some(split) = split else {
            return Reply {
                status: 0,
                headers: Vec::new(),
                body: bytes.to_vec(),
            };
        };
        let head = String::from_utf8_lossy(&bytes[..split]);
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: bytes[split + 4..].to_vec(),
        }
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Events {
    /// The next event, skipping comments (pings) and the `retry` field.
    fn next(&mut self) -> Event {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            let read = self
                .reader
                .read_line(&mut line)
                .expect("an event within the timeout");
            assert!(read > 0, "the event stream closed");
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if !name.is_empty() {
                    let data = serde_json::from_str(&data).expect("JSON event data");
                    return Event { name, data };
                }
            } else if let Some(value) = line.strip_prefix("event: ") {
                name = value.to_string();
            } else if let Some(value) = line.strip_prefix("data: ") {
                data.push_str(value);
            }
        }
    }

    /// The next event, which must be called `name`.
    #[track_caller]
    pub(crate) fn expect(&mut self, name: &str) -> Event {
        let event = self.next();
        assert_eq!(event.name, name, "unexpected event: {event:?}");
        event
    }
}

#[test]
fn pages_are_served_with_the_reload_script_that_the_build_output_lacks() {
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(home.text().contains("Welcome to the serve fixture."));
    assert!(
        home.text().contains("<script data-folio-build="),
        "{}",
        home.text()
    );
    let page = server.get("/guide/usage/?from=test");
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains("The first version of the marmalade policy.")
    );
    let built = server.log().lines().next().unwrap_or_default().to_string();
    assert!(
        built.starts_with("Built 4 pages (2 sections) in "),
        "{built}"
    );

    // The deploy folder is untouched; the served copy on disk is what `folio build` writes.
    assert!(
        !site.public().exists(),
        "folio serve must not write public/"
    );
    let served = snapshot(&site.path(SERVE_OUTPUT));
    assert!(served.keys().any(|p| p.ends_with("guide/usage/index.html")));
    site.build(&[]).assert_success();
    for (path, bytes) in snapshot(&site.public()).iter().chain(&served) {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("folio-build") && !text.contains("_folio/events"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_folder_without_its_slash_redirects_to_it() {
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &[]);
    for (target, location) in [
        ("/guide/usage", "/guide/usage/"),
        ("/guide", "/guide/"),
        ("/guide/usage?q=1", "/guide/usage/?q=1"),
        ("//guide", "/guide/"),
    ] {
        let reply = server.get(target);
        assert!(matches!(reply.status, 301 | 308), "{target}: {reply:?}");
        assert_eq!(reply.header("location"), Some(location), "{target}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{target}");
    }
}

#[test]
fn a_missing_page_gets_the_sites_404_page_with_status_404() {
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &[]);
    for target in ["/no/such/page/", "/missing.css", "/files/"] {
        let reply = server.get(target);
        assert_eq!(reply.status, 404, "{target}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(reply.text().contains("Page not found"), "{target}");
        assert!(
            reply.text().contains("data-folio-build"),
            "the 404 page reloads too"
        );
    }
}

#[test]
fn head_answers_like_get_without_a_body() {
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &[]);
    for target in ["/", "/assets/folio.css", "/no/such/page/"] {
        let get = server.get(target);
        let head = server.request("HEAD", target);
        assert_eq!(head.status, get.status, "{target}");
        assert!(head.body.is_empty(), "{target}: HEAD has no body");
        assert_eq!(
            head.header("content-type"),
            get.header("content-type"),
            "{target}"
        );
        assert_eq!(head.header("cache-control"), Some("no-store"), "{target}");
        // HTML is stamped with the current build, the same for both requests.
        let length: usize = head.header("content-length").unwrap().parse().unwrap();
        assert_eq!(length, get.body.len(), "{target}");
    }
}

#[test]
fn other_methods_get_405() {
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &[]);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let reply = server.request(method, "/");
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), Some("GET, HEAD"), "{method}");
    }
}

#[test]
fn every_asset_type_has_its_content_type() {
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &[]);
    for (target, expected) in [
        ("/", "text/html; charset=utf-8"),
        ("/assets/folio.css", "text/css; charset=utf-8"),
        ("/assets/custom.css", "text/css; charset=utf-8"),
        ("/assets/folio.js", "text/javascript; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/files/image.png", "image/png"),
        ("/files/image.jpg", "image/jpeg"),
        ("/files/image.gif", "image/gif"),
        ("/files/image.webp", "image/webp"),
        ("/files/icon.ico", "image/x-icon"),
        ("/files/data.json", "application/json"),
        ("/files/feed.xml", "application/xml"),
        ("/sitemap.xml", "application/xml"),
        ("/files/notes.txt", "text/plain; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/files/paper.pdf", "application/pdf"),
        ("/files/font.woff2", "font/woff2"),
        ("/files/module.wasm", "application/wasm"),
        ("/_search/entry.json", "application/json"),
    ] {
        let reply = server.get(target);
        assert_eq!(reply.status, 200, "{target}");
        assert_eq!(reply.header("content-type"), Some(expected), "{target}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{target}");
    }
    let png = server.get("/files/image.png");
    assert_eq!(
        png.body, b"\x89PNG\r\n\x1a\n",
        "binary files are sent as they are"
    );
}

/// Written in the site root, which holds the serve output: one folder up from what is served.
const SECRET: &str = "TOP SECRET: never served";

#[test]
fn requests_for_files_outside_the_output_are_refused() {
    let site = SiteTest::fixture("serve/site");
    site.write("secret.txt", SECRET);
    let server = Server::start(&site, &[]);
    assert_eq!(
        server.get("/robots.txt").status,
        200,
        "the control request works"
    );
    let root = site.root().display().to_string();
    let absolute = format!("/{root}/secret.txt");
    let double_slash = format!("//{}/secret.txt", root.trim_start_matches('/'));
    let cases: &[(&str, &str)] = &[
        ("/../secret.txt", "plain .."),
        ("/guide/../../secret.txt", ".. after a folder"),
        ("/%2e%2e/secret.txt", "percent-encoded .."),
        ("/%2E%2E/secret.txt", "percent-encoded .., upper case"),
        ("/.%2e/secret.txt", "half-encoded .."),
        ("/..%2fsecret.txt", "encoded slash after .."),
        ("/%2e%2e%2fsecret.txt", "encoded .. and slash"),
        (
            "/guide%2f..%2f..%2fsecret.txt",
            "encoded slashes in one segment",
        ),
        ("/..%5csecret.txt", "encoded backslash"),
        ("/%2e%2e%5csecret.txt", "encoded .. and backslash"),
        ("/..\\secret.txt", "raw backslash"),
        (
            "/%252e%252e/secret.txt",
            "double-encoded .. (decodes once, to a literal name)",
        ),
        (&absolute, "the absolute path of the file"),
        (&double_slash, "the absolute path after a double slash"),
        ("../secret.txt", "a relative request target"),
        ("/secret.txt%00.html", "NUL byte, encoded"),
        ("/%00/../secret.txt", "NUL byte, encoded, then .."),
    ];
    for (target, what) in cases {
        let reply = server.get(target);
        assert!(
            matches!(reply.status, 400 | 404),
            "{what} ({target}): status {}",
            reply.status
        );
        assert!(
            !reply.text().contains(SECRET),
            "{what} ({target}) leaked the file"
        );
    }
    let raw_nul = format!(
        "GET /secret.txt\0 HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.address
    );
    let reply = server.raw(raw_nul.as_bytes());
    assert!(
        matches!(reply.status, 0 | 400 | 404),
        "raw NUL byte: status {}",
        reply.status
    );
    assert!(
        !reply.text().contains(SECRET),
        "raw NUL byte leaked the file"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_output_are_refused() {
    let site = SiteTest::fixture("serve/site");
    site.write("secret.txt", SECRET);
    let server = Server::start(&site, &[]);
    let output = site.path(SERVE_OUTPUT);
    std::os::unix::fs::symlink(site.path("secret.txt"), output.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(site.root(), output.join("up")).unwrap();
    std::os::unix::fs::symlink(output.join("robots.txt"), output.join("robots-link.txt")).unwrap();
    for target in ["/leak.txt", "/up/secret.txt", "/up/"] {
        let reply = server.get(target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!reply.text().contains(SECRET), "{target} leaked the file");
    }
    assert_eq!(
        server.get("/robots-link.txt").status,
        200,
        "links within the output work"
    );
}

#[test]
fn the_search_api_answers_as_folio_search_json_does() {
    let site = SiteTest::fixture("serve/site");
    let mut server = Server::start(&site, &[]);
    let output = site.path(SERVE_OUTPUT);
    let output = output.to_str().unwrap();
    for (query, args) in [
        ("q=marmalade", vec!["marmalade"]),
        (
            "q=marmalade+jar&kind=page&limit=1",
            vec!["marmalade jar", "--kind", "page", "--limit", "1"],
        ),
        (
            "q=marmalade&tag=licensing",
            vec!["marmalade", "--tag", "licensing"],
        ),
        ("q=title%3Ause", vec!["title:use"]),
    ] {
        let reply = server.get(&format!("/api/search?{query}"));
        assert_eq!(reply.status, 200, "{query}: {}", reply.text());
        assert_eq!(reply.header("content-type"), Some("application/json"));
        let mut cli = vec!["search", "--json", "--output", output];
        cli.extend(args);
        let run = site.folio(&cli);
        let expected: Value = serde_json::from_str(&run.stdout).expect("folio search JSON");
        let got: Value = serde_json::from_slice(&reply.body).expect("API JSON");
        assert_eq!(got, expected, "{query}");
        assert!(
            !got.as_array().unwrap().is_empty(),
            "{query} finds something"
        );
    }
    let reply = server.get("/api/search");
    assert_eq!(reply.status, 400);
    assert!(reply.text().contains("\"error\""), "{}", reply.text());

    // After a rebuild the API searches the new pages.
    let mut events = server.events();
    site.write(
        "content/guide/quince.md",
        "---\ntitle: Quince\n---\n\nQuince jelly rules.\n",
    );
    events.expect("reload");
    server.wait_for_log("Rebuilt after content/guide/quince.md changed");
    let reply = server.get("/api/search?q=quince");
    let hits: Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(hits[0]["url"], "/guide/quince/", "{hits}");
}

#[test]
fn an_edit_reloads_every_open_page_with_the_new_html() {
    let site = SiteTest::fixture("serve/site");
    let mut server = Server::start(&site, &[]);
    let mut tabs = [server.events(), server.events()];
    let before = server.get("/guide/usage/").text();
    let text = site
        .read("content/guide/usage.md")
        .replace("first version", "second version");
    site.write("content/guide/usage.md", &text);
    for tab in &mut tabs {
        let event = tab.expect("reload");
        assert!(event.data["build"].is_string(), "{event:?}");
    }
    let after = server.get("/guide/usage/").text();
    assert!(
        after.contains("The second version of the marmalade policy."),
        "{after}"
    );
    assert_ne!(before, after);
    let line = server.wait_for_log("Rebuilt after");
    assert!(
        line.starts_with("Rebuilt after content/guide/usage.md changed: updated 1 page in "),
        "{line}"
    );
    assert!(line.ends_with(" ms"), "{line}");
}

#[test]
fn a_stylesheet_edit_swaps_stylesheets_instead_of_reloading() {
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    site.write(
        "static/assets/custom.css",
        ".custom { color: rgb(4, 5, 6); }\n",
    );
    events.expect("css");
    assert!(
        server
            .get("/assets/custom.css")
            .text()
            .contains("rgb(4, 5, 6)")
    );
    let text = site.read("content/guide/usage.md") + "\nOne more line.\n";
    site.write("content/guide/usage.md", &text);
    events.expect("reload");
}

#[test]
fn a_broken_edit_shows_its_error_and_keeps_the_last_good_pages() {
    let site = SiteTest::fixture("serve/site");
    let mut server = Server::start(&site, &[]);
    let mut events = server.events();
    let good = site.read("content/guide/usage.md");
    let cases = [
        (
            "content/guide/usage.md",
            "---\ntitle: [broken\n---\n\nBody.\n",
            "[broken",
            "invalid front matter",
        ),
        (
            "content/guide/usage.md",
            "---\ntitle: Usage\n---\n\nSee [gone](missing.md).\n\n## Scope\n",
            "[gone](missing.md)",
            "missing.md",
        ),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}{{ page.title }\n",
            "}\n",
            "template error",
        ),
    ];
    // Each edit is one rename, so each gives exactly one build and one event to wait for.
    for (n, (file, bad, at, message)) in cases.into_iter().enumerate() {
        site.replace(file, bad);
        let event = events.expect("build-error");
        let error = &event.data["errors"][0];
        let location = error["location"].as_str().unwrap_or_default();
        if file.ends_with(".md") {
            assert_eq!(location, location_of(&site, file, at), "{event:?}");
        } else {
            assert!(location.starts_with("templates/page.html:"), "{event:?}");
        }
        assert!(
            error["message"].as_str().unwrap().contains(message),
            "{event:?}"
        );
        assert!(
            event.data["text"].as_str().unwrap().contains(location),
            "{event:?}"
        );
        // The server goes on, with the last good pages, and tells pages that connect later.
        let page = server.get("/guide/usage/");
        assert_eq!(page.status, 200);
        assert!(
            page.text()
                .contains("The first version of the marmalade policy.")
        );
        let mut late = server.events();
        late.expect("build-error");
        let line = server.wait_for_nth_log("error: build failed", n + 1);
        assert!(line.starts_with("error: build failed: 1 error, "), "{line}");

        if file.ends_with(".md") {
            site.replace(file, &good);
        } else {
            std::fs::remove_file(site.path(file)).unwrap();
        }
        events.expect("reload");
        late.expect("reload");
    }
    assert!(
        server
            .get("/guide/usage/")
            .text()
            .contains("The first version")
    );
}

#[test]
fn editor_temporary_files_do_not_rebuild() {
    let site = SiteTest::fixture("serve/site");
    let mut server = Server::start(&site, &[]);
    let mut events = server.events();
    for temp in [
        "content/guide/.usage.md.swp",
        "content/guide/.usage.md.swx",
        "content/guide/usage.md~",
        "content/guide/.#usage.md",
        "content/guide/4913",
        "content/guide/.folio-staging",
        "static/assets/custom.css.tmp",
        "site.toml~",
    ] {
        site.write(temp, "scratch");
    }
    // A fixed pause is the only way to show that nothing happens: ten coalescing windows.
    thread::sleep(Duration::from_millis(250));
    site.write(
        "content/guide/other.md",
        "---\ntitle: Other\n---\n\nReal edit.\n",
    );
    events.expect("reload");
    let line = server.wait_for_log("Rebuilt after");
    assert!(
        line.starts_with("Rebuilt after content/guide/other.md changed:"),
        "{line}"
    );
    assert_eq!(
        server.log().matches("Rebuilt").count(),
        1,
        "{}",
        server.log()
    );
}

#[test]
fn a_non_loopback_address_is_warned_about() {
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &["--bind", "0.0.0.0"]);
    assert!(
        server
            .log()
            .contains("warning: listening on 0.0.0.0, not a loopback address"),
        "{}",
        server.log()
    );
    assert!(
        server.address.starts_with("127.0.0.1:"),
        "{}",
        server.address
    );
    assert_eq!(server.get("/").status, 200);
    let local = Server::start(&site, &["--bind", "127.0.0.1"]);
    assert!(!local.log().contains("warning"), "{}", local.log());
    // 127.0.0.1 written as an IPv6 address is loopback too.
    let mapped = Server::start(&site, &["--bind", "::ffff:127.0.0.1"]);
    assert!(!mapped.log().contains("warning"), "{}", mapped.log());
    assert!(
        mapped.address.starts_with("[::ffff:127.0.0.1]:"),
        "{}",
        mapped.address
    );
    assert_eq!(mapped.get("/").status, 200);
}
