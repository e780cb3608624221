//! A small driver for real headless Chromium over the DevTools protocol, and a static file server
//! for the pages it loads.
//!
//! Browser tests call [`Browser::launch`]: it returns `None` (after saying loudly that the test is
//! skipped) when Chromium is not installed, and panics instead when `FOLIO_REQUIRE_BROWSER=1`, as
//! CI sets, so a missing browser can never pass for a green run there.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use tungstenite::{Message, WebSocket, stream::MaybeTlsStream};

const CANDIDATES: &[&str] = &[
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
];

/// A running headless Chromium with one page open.
pub(crate) struct Browser {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    session: String,
    next_id: u64,
    /// DevTools events that arrived while waiting for replies, once [`Browser::record_events`]
    /// has been called; `None` drops them.
    events: Option<Vec<Value>>,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium with the flags this workplace requires, or returns `None` when it is absent.
    pub(crate) fn launch(test: &str) -> Option<Browser> {
        let Some(binary) = find_chromium() else {
            if std::env::var("FOLIO_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
                panic!(
                    "FOLIO_REQUIRE_BROWSER=1 but Chromium is not installed (apt-get install -y chromium)"
                );
            }
            eprintln!(
                "\n*** SKIPPED browser test `{test}`: Chromium is not installed (apt-get install -y chromium) ***\n"
            );
            return None;
        };
        let profile = tempfile::tempdir().expect("temp profile");
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            // Chromium leaves its singleton socket folder in TMPDIR when it is killed; inside
            // the profile it goes when the profile does.
            .env("TMPDIR", profile.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");
        let ws_url = devtools_url(&mut child);
        let (socket, _) = tungstenite::connect(ws_url.as_str()).expect("connect to DevTools");
        let mut browser = Browser {
            child,
            socket,
            session: String::new(),
            next_id: 0,
            events: None,
            _profile: profile,
        };
        let target = browser.call_browser("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().expect("target id").to_string();
        let attached = browser.call_browser(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        browser.session = attached["sessionId"].as_str().expect("session").to_string();
        browser.call("Page.enable", json!({}));
        browser.call("Runtime.enable", json!({}));
        Some(browser)
    }

    fn send(&mut self, method: &str, params: Value, session: bool) -> Value {
        match self.try_send(method, params, session) {
            Ok(result) => result,
            Err(error) => panic!("{method} failed: {error}"),
        }
    }

    /// Sends a DevTools command and returns its result, or the error DevTools answered with.
    fn try_send(&mut self, method: &str, params: Value, session: bool) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if session {
            message["sessionId"] = json!(self.session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .expect("send to DevTools");
        loop {
            let reply = self.socket.read().expect("read from DevTools");
            let Message::Text(text) = reply else { continue };
            let value: Value = serde_json::from_str(text.as_str()).expect("DevTools JSON");
            if value["id"] == json!(id) {
                if let Some(error) = value.get("error") {
                    return Err(error.clone());
                }
                return Ok(value["result"].clone());
            }
            if let Some(events) = &mut self.events
                && value.get("method").is_some()
            {
                events.push(value);
            }
        }
    }

    /// Keeps the DevTools events (`{"method": …, "params": …}`) of enabled domains from now on,
    /// for [`Browser::take_events`]. Events are read while waiting for replies, so one that
    /// arrives after the last command shows up after the next one.
    #[allow(dead_code, reason = "used by benches/search.rs")]
    pub(crate) fn record_events(&mut self) {
        self.events.get_or_insert_with(Vec::new);
    }

    /// The events kept since the last call.
    #[allow(dead_code, reason = "used by benches/search.rs")]
    pub(crate) fn take_events(&mut self) -> Vec<Value> {
        self.events.as_mut().map(std::mem::take).unwrap_or_default()
    }

    fn call_browser(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, false)
    }

    /// Sends a DevTools command to the page and returns its result.
    pub(crate) fn call(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, true)
    }

    /// Sets the viewport size (CSS pixels); `mobile` turns on the mobile viewport behaviour.
    pub(crate) fn viewport(&mut self, width: u32, height: u32, mobile: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
        );
    }

    /// Emulates the system colour scheme (`light` or `dark`).
    pub(crate) fn color_scheme(&mut self, scheme: &str) {
        self.call(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        );
    }

    /// Loads `url` and waits until the document has finished loading.
    pub(crate) fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'");
    }

    /// Reloads the page and waits for it.
    pub(crate) fn reload(&mut self) {
        self.eval("window.__folioReloadMarker = 1");
        self.call("Page.reload", json!({}));
        self.wait_for("document.readyState === 'complete' && !window.__folioReloadMarker");
    }

    /// Evaluates a JavaScript expression in the page and returns its value.
    pub(crate) fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("JavaScript `{expression}` threw: {exception}");
        }
        result["result"]["value"].clone()
    }

    /// The URLs the site's search client (`window.FolioSearch.engine`) finds for `query`, best
    /// first, ten at most.
    pub(crate) fn search_urls(&mut self, query: &str) -> Vec<String> {
        let script = format!(
            "window.FolioSearch.engine.search({}, {{limit: 10}}).then(r => r.map(h => h.url))",
            json!(query)
        );
        serde_json::from_value(self.eval(&script)).expect("URLs")
    }

    /// Waits (up to 10 s) until `condition` is true in the page.
    pub(crate) fn wait_for(&mut self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let asked = self.try_send(
                "Runtime.evaluate",
                json!({"expression": format!("!!({condition})"), "returnByValue": true}),
                true,
            );
            // A page that reloads while it is asked answers that it navigated: not yet, then.
            let result = match asked {
                Ok(result) => result,
                Err(error) if navigated(&error) => Value::Null,
                Err(error) => panic!("Runtime.evaluate failed: {error}"),
            };
            if result["result"]["value"] == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("timed out waiting for `{condition}`");
    }

    /// Presses a key (e.g. `Tab`, `Enter`) as a user would.
    pub(crate) fn press(&mut self, key: &str, code: &str, key_code: u32) {
        for kind in ["keyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": key_code}),
            );
        }
    }

    /// Clicks the centre of the first element matching `selector` with a real mouse event.
    pub(crate) fn click(&mut self, selector: &str) {
        let rect = self.eval(&format!(
            "(() => {{ const r = document.querySelector({selector:?}).getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
        ));
        let (x, y) = (rect[0].as_f64().unwrap(), rect[1].as_f64().unwrap());
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// Saves a PNG screenshot of the viewport under target/screenshots/ and returns its path.
    pub(crate) fn screenshot(&mut self, name: &str) -> PathBuf {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("screenshot data"))
            .expect("base64 screenshot");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, bytes).expect("write screenshot");
        path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Closed through DevTools, Chromium stops its helper processes before it exits; killed,
        // they outlive it for a moment and write into the profile while it is being removed,
        // which then stays behind in the temporary folder.
        let close = json!({"id": self.next_id + 1, "method": "Browser.close"});
        if self.socket.send(Message::text(close.to_string())).is_ok() {
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                match self.child.try_wait() {
                    Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                    _ => return,
                }
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_chromium() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("FOLIO_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    CANDIDATES.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// Reads Chromium's stderr until it prints its DevTools WebSocket URL.
fn devtools_url(child: &mut Child) -> String {
    let stderr = child.stderr.take().expect("chromium stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !sent && let Some(i) = line.find("ws://") {
                let _ = tx.send(line[i..].trim().to_string());
                sent = true;
            }
            // Keep draining so Chromium never blocks on a full pipe.
        }
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("Chromium did not print its DevTools URL within 30 s")
}

/// A static file server on 127.0.0.1 for one folder, for as long as the value lives.
pub(crate) struct StaticServer {
    /// `http://127.0.0.1:PORT`
    pub(crate) origin: String,
}

impl StaticServer {
    /// Serves `root` on an ephemeral port: pretty URLs, 404.html for misses, common types.
    pub(crate) fn start(root: &Path) -> StaticServer {
        StaticServer::serve(root, false)
    }

    /// Like [`StaticServer::start`], but gzips text (HTML, CSS, JavaScript, JSON, SVG, XML) for
    /// a browser that accepts it, as static hosts do: the bytes a browser downloads are then
    /// those a reader's would.
    #[allow(dead_code, reason = "used by benches/search.rs")]
    pub(crate) fn start_gzip(root: &Path) -> StaticServer {
        StaticServer::serve(root, true)
    }

    fn serve(root: &Path, gzip: bool) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                std::thread::spawn(move || serve_one(stream, &root, gzip));
            }
        });
        StaticServer { origin }
    }
}

fn serve_one(mut stream: TcpStream, root: &Path, gzip: bool) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut line = String::new();
    let mut accepts_gzip = false;
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        let lower = line.to_ascii_lowercase();
        accepts_gzip |= lower.starts_with("accept-encoding:") && lower.contains("gzip");
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let decoded = folio::base::url::percent_decode(path);
    let mut file = root.join(decoded.trim_start_matches('/'));
    if decoded.contains("..") {
        file = root.join("404.html");
    }
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, file) = if file.is_file() {
        ("200 OK", file)
    } else {
        ("404 Not Found", root.join("404.html"))
    };
    let mut body = Vec::new();
    if let Ok(mut f) = std::fs::File::open(&file) {
        let _ = f.read_to_end(&mut body);
    }
    let (content_type, text) = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => ("text/html; charset=utf-8", true),
        Some("css") => ("text/css", true),
        Some("js") => ("text/javascript", true),
        Some("svg") => ("image/svg+xml", true),
        Some("png") => ("image/png", false),
        Some("json") => ("application/json", true),
        Some("xml") => ("application/xml", true),
        _ => ("application/octet-stream", false),
    };
    let mut encoding = "";
    if gzip && text && accepts_gzip {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        if encoder.write_all(&body).is_ok()
            && let Ok(compressed) = encoder.finish()
        {
            body = compressed;
            encoding = "Content-Encoding: gzip\r\n";
        }
    }
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{encoding}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    let _ = stream.write_all(&body);
}

/// True for the DevTools error of a command sent while the page navigated (a reload), which
/// asking again after the new page loaded answers.
fn navigated(error: &Value) -> bool {
    let message = error["message"].as_str().unwrap_or_default();
    message.contains("navigated or closed")
        || message.contains("Execution context was destroyed")
        || message.contains("Cannot find context")
}
