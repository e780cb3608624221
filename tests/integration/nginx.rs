//! The nginx configurations in deploy/nginx/, run by Debian's nginx as the current user on
//! 127.0.0.1 over real Folio output: pages and pretty URLs, the 404 page, alias redirects, the
//! search files with their caching headers, revalidation of HTML; and for the internal edition,
//! that a request without a session gets no page, no search file and no catalogue.
//!
//! The repository's files are included as they are, but for the lines marked `# EDIT:` (address,
//! host name, output folder, identity proxy), which the test replaces. Without nginx the tests
//! say so loudly and pass, unless `FOLIO_REQUIRE_NGINX=1` (set by `.ci/run`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::SiteTest;

const REPO_ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// nginx running one of the repository's configurations, stopped when dropped.
struct Nginx {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Nginx {
    /// Starts nginx with `deploy/nginx/<conf>` serving `root`; `auth` adds a fake identity proxy
    /// (a server that answers `/oauth2/auth` with 202 for the cookie `_oauth2_proxy=signed-in`
    /// and 401 otherwise). `None` (said loudly) without nginx.
    fn start(test: &str, conf: &str, root: &Path, auth: bool) -> Option<Nginx> {
        let Some(binary) = find_nginx() else {
            if std::env::var("FOLIO_REQUIRE_NGINX").is_ok_and(|v| v == "1") {
                panic!(
                    "FOLIO_REQUIRE_NGINX=1 but nginx is not installed (apt-get install -y nginx)"
                );
            }
            eprintln!(
                "\n*** SKIPPED nginx test `{test}`: nginx is not installed (apt-get install -y nginx) ***\n"
            );
            return None;
        };
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (port, auth_port) = (free_port(), free_port());
        let site = render(
            &std::fs::read_to_string(Path::new(REPO_ROOT).join("deploy/nginx").join(conf))
                .expect("read the configuration"),
            port,
            root,
            auth_port,
        );
        std::fs::write(dir.path().join("site.conf"), site).expect("write site.conf");
        let d = dir.path().display();
        let mime = Path::new("/etc/nginx/mime.types");
        let types = if mime.is_file() {
            format!("include {};", mime.display())
        } else {
            "types { text/html html; text/css css; text/javascript js; application/json json; image/svg+xml svg; }".into()
        };
        let fake_proxy = if auth {
            format!(
                "server {{
                    listen 127.0.0.1:{auth_port};
                    location = /oauth2/auth {{
                        if ($cookie__oauth2_proxy = \"signed-in\") {{ return 202; }}
                        return 401;
                    }}
                    location /oauth2/ {{ return 200 \"the sign-in page\\n\"; }}
                }}"
            )
        } else {
            String::new()
        };
        let main = format!(
            "daemon off;
            master_process off;
            worker_processes 1;
            pid {d}/nginx.pid;
            error_log {d}/error.log warn;
            events {{ worker_connections 64; }}
            http {{
                {types}
                default_type application/octet-stream;
                access_log off;
                client_body_temp_path {d}/body;
                proxy_temp_path {d}/proxy;
                fastcgi_temp_path {d}/fastcgi;
                uwsgi_temp_path {d}/uwsgi;
                scgi_temp_path {d}/scgi;
                include {d}/site.conf;
                {fake_proxy}
            }}"
        );
        std::fs::write(dir.path().join("nginx.conf"), main).expect("write nginx.conf");
        let child = Command::new(&binary)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let mut nginx = Nginx { child, port, dir };
        nginx.wait_until_listening(&[port, auth_port][..if auth { 2 } else { 1 }]);
        Some(nginx)
    }

    fn wait_until_listening(&mut self, ports: &[u16]) {
        let deadline = Instant::now() + Duration::from_secs(10);
        for &port in ports {
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                if let Ok(Some(status)) = self.child.try_wait() {
                    let log = std::fs::read_to_string(self.dir.path().join("error.log"))
                        .unwrap_or_default();
                    panic!("nginx exited ({status}):\n{log}");
                }
                assert!(
                    Instant::now() < deadline,
                    "nginx did not listen within 10 s"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    /// GET `path` with extra header lines (`Name: value`).
    fn get_with(&self, path: &str, headers: &[&str]) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to nginx");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("a timeout");
        let mut request =
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for header in headers {
            request.push_str(header);
            request.push_str("\r\n");
        }
        request.push_str("\r\n");
        stream
            .write_all(request.as_bytes())
            .expect("send a request");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read the reply");
        Reply::parse(&raw)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_nginx() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("FOLIO_NGINX") {
        return Some(PathBuf::from(path));
    }
    ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("an address").port()
}

/// The repository's configuration with its `# EDIT:` lines set for this test; panics when one
/// is not there, since the README tells people to change exactly those.
fn render(conf: &str, port: u16, root: &Path, auth_port: u16) -> String {
    let mut replaced = Vec::new();
    let lines: Vec<String> = conf
        .lines()
        .map(|line| {
            if !line.contains("# EDIT:") {
                return line.to_string();
            }
            let indent = &line[..line.len() - line.trim_start().len()];
            let directive = line.split_whitespace().next().unwrap_or_default();
            replaced.push(directive.to_string());
            match directive {
                "listen" => format!("{indent}listen 127.0.0.1:{port};"),
                "server_name" => format!("{indent}server_name localhost;"),
                "root" => format!("{indent}root {};", root.display()),
                "set" => format!("{indent}set $identity_proxy http://127.0.0.1:{auth_port};"),
                other => panic!("unknown EDIT line `{other}`"),
            }
        })
        .collect();
    for wanted in ["listen", "server_name", "root"] {
        assert!(
            replaced.iter().any(|d| d == wanted),
            "no `{wanted} … # EDIT:` line"
        );
    }
    lines.join("\n")
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status");
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        let reply = Reply {
            status,
            headers,
            body: String::new(),
        };
        if reply.header("transfer-encoding") == Some("chunked") {
            body = dechunk(&body);
        }
        Reply {
            body: String::from_utf8_lossy(&body).into_owned(),
            ..reply
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    #[track_caller]
    fn assert(&self, status: u16, cache_control: &str) -> &Reply {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.header("cache-control"), Some(cache_control));
        self
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..end]).unwrap_or("0").trim(), 16)
                .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend(&body[end + 2..end + 2 + size]);
        body = &body[end + 4 + size..];
    }
    out
}

/// The export's files a first query reads: the entry, meta, the first shard and page data.
fn search_files(output: &Path) -> (String, Vec<String>) {
    let export = output.join("_search");
    let entry: Value = serde_json::from_str(
        &std::fs::read_to_string(export.join("entry.json")).expect("entry.json"),
    )
    .expect("JSON");
    let meta = entry["meta"].as_str().expect("meta's name").to_string();
    let mut hashed = vec![format!("/_search/{meta}")];
    for dir in ["s", "d"] {
        let first = crate::support::list_dir(&export.join(dir))
            .into_iter()
            .next()
            .expect("a file");
        hashed.push(format!("/_search/{dir}/{first}"));
    }
    (
        entry["build"].as_str().expect("a build id").to_string(),
        hashed,
    )
}

/// The URL of the sidebar's navigation file of the build in `output` (`/_nav/<hash>.json`).
fn nav_file(output: &Path) -> String {
    let names = crate::support::list_dir(&output.join("_nav"));
    assert_eq!(names.len(), 1, "one language, one file: {names:?}");
    format!("/_nav/{}", names[0])
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[test]
fn the_nginx_configuration_serves_pages_404_aliases_and_search_with_their_caching() {
    let site = SiteTest::fixture("audience/site");
    site.build(&[]).assert_success();
    let Some(nginx) = Nginx::start(
        "the_nginx_configuration_serves_pages_404_aliases_and_search_with_their_caching",
        "folio.conf",
        &site.public(),
        false,
    ) else {
        return;
    };

    // Pages, at their URLs; a URL without its slash is redirected to it, on the same host.
    let home = nginx.get("/");
    home.assert(200, "no-cache");
    assert!(
        home.header("content-type")
            .unwrap_or_default()
            .starts_with("text/html")
    );
    assert!(home.body.contains("<title>"), "{}", home.body);
    let welcome = nginx.get("/guides/welcome/");
    welcome.assert(200, "no-cache");
    assert!(welcome.body.contains("Everyone may read this page"));
    let bare = nginx.get("/guides/welcome");
    assert_eq!(bare.status, 301);
    assert_eq!(bare.header("location"), Some("/guides/welcome/"));

    // HTML is revalidated: the ETag of a page brings a 304.
    let etag = welcome.header("etag").expect("an ETag").to_string();
    let again = nginx.get_with("/guides/welcome/", &[&format!("If-None-Match: {etag}")]);
    assert_eq!(again.status, 304);

    // Folio's 404.html, with the 404 status.
    let missing = nginx.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, site.read("public/404.html"));

    // An alias is Folio's redirect page, sending the reader on to the page.
    let alias = nginx.get("/old/welcome/");
    alias.assert(200, "no-cache");
    assert!(
        alias.body.contains("http-equiv=\"refresh\"") && alias.body.contains("guides/welcome/"),
        "{}",
        alias.body
    );
    assert_eq!(
        nginx.get("/old/welcome").header("location"),
        Some("/old/welcome/")
    );
    // The public build has no internal alias.
    assert_eq!(nginx.get("/old/zqxmarker-pay/").status, 404);

    // Search: the entry is revalidated, the files it leads to are immutable.
    let (build, hashed) = search_files(&site.public());
    let entry = nginx.get("/_search/entry.json");
    entry.assert(200, "no-cache");
    assert!(entry.body.contains(&build));
    for path in &hashed {
        let file = nginx.get(path);
        file.assert(200, IMMUTABLE);
        assert_eq!(
            file.header("content-type"),
            Some("application/octet-stream")
        );
    }
    assert_eq!(nginx.get("/_search/s/0.0000000000000000.bin").status, 404);

    // The sidebar's navigation file is named by its content: immutable, and JSON.
    let nav = nav_file(&site.public());
    let file = nginx.get(&nav);
    file.assert(200, IMMUTABLE);
    assert_eq!(file.header("content-type"), Some("application/json"));
    assert!(file.body.contains("\"Welcome\""), "{}", file.body);
    assert_eq!(nginx.get("/_nav/0000000000000000.json").status, 404);

    // The theme's assets are not fingerprinted: revalidated like the HTML.
    nginx.get("/assets/search.js").assert(200, "no-cache");
    nginx.get("/catalog.json").assert(200, "no-cache");
}

#[test]
fn the_internal_edition_serves_nothing_without_a_session() {
    let site = SiteTest::fixture("audience/site");
    site.build(&["--audience", "internal"]).assert_success();
    let Some(nginx) = Nginx::start(
        "the_internal_edition_serves_nothing_without_a_session",
        "folio-internal.conf",
        &site.public(),
        true,
    ) else {
        return;
    };
    let (build, hashed) = search_files(&site.public());
    let mut paths: Vec<&str> = vec![
        "/",
        "/zqxmarker-staff/pay/",
        "/old/zqxmarker-pay/",
        "/guides/welcome/",
        "/_search/entry.json",
        "/catalog.json",
        "/404.html",
        "/no/such/page/",
        "/assets/search.js",
    ];
    paths.extend(hashed.iter().map(String::as_str));
    let nav = nav_file(&site.public());
    paths.push(&nav);

    for cookie in [None, Some("Cookie: _oauth2_proxy=forged")] {
        for path in &paths {
            let headers: Vec<&str> = cookie.into_iter().collect();
            let reply = nginx.get_with(path, &headers);
            // Pages and assets: to the sign-in page, and back afterwards; what scripts fetch
            // gets the 401 as it is.
            let fetched = path.starts_with("/_search/") || path.starts_with("/_nav/");
            if !fetched && *path != "/catalog.json" {
                assert_eq!(reply.status, 302, "{path} {cookie:?}: {}", reply.body);
                assert_eq!(
                    reply.header("location"),
                    Some(format!("/oauth2/sign_in?rd={path}").as_str())
                );
            } else {
                assert_eq!(reply.status, 401, "{path} {cookie:?}: {}", reply.body);
            }
            assert!(!reply.body.contains("ZQXMARKER"), "{path}: {}", reply.body);
            assert!(!reply.body.contains(&build), "{path}: {}", reply.body);
            assert!(!reply.body.contains("Everyone may read"), "{path}");
        }
    }
    // Signing in goes to the proxy, unchecked.
    let sign_in = nginx.get("/oauth2/sign_in?rd=/");
    assert_eq!(sign_in.status, 200);
    assert_eq!(sign_in.body, "the sign-in page\n");

    // With a session, everything is there, cached privately.
    let session = ["Cookie: _oauth2_proxy=signed-in"];
    let pay = nginx.get_with("/zqxmarker-staff/pay/", &session);
    pay.assert(200, "private, no-cache");
    assert!(pay.body.contains("ZQXMARKER"));
    let alias = nginx.get_with("/old/zqxmarker-pay/", &session);
    assert!(
        alias.body.contains("zqxmarker-staff/pay/"),
        "{}",
        alias.body
    );
    let entry = nginx.get_with("/_search/entry.json", &session);
    entry.assert(200, "private, no-cache");
    assert!(entry.body.contains(&build));
    for path in &hashed {
        nginx
            .get_with(path, &session)
            .assert(200, "private, max-age=31536000, immutable");
    }
    let nav_reply = nginx.get_with(&nav, &session);
    nav_reply.assert(200, "private, max-age=31536000, immutable");
    assert!(nav_reply.body.contains("ZQXMARKER"), "{}", nav_reply.body);
    let catalog = nginx.get_with("/catalog.json", &session);
    catalog.assert(200, "private, no-cache");
    assert!(catalog.body.contains("ZQXMARKER"));
    let missing = nginx.get_with("/no/such/page/", &session);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, site.read("public/404.html"));
}

/// The rules of a Netlify / Cloudflare Pages `_headers` file: path pattern and header lines.
fn header_rules(text: &str) -> Vec<(String, Vec<String>)> {
    let mut rules: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if line.starts_with('/') {
            rules.push((line.trim().to_string(), Vec::new()));
        } else if let Some(rule) = rules.last_mut() {
            rule.1.push(line.trim().to_string());
        }
    }
    rules
}

/// Whether `path` matches a `_headers` pattern: `:name` is one segment, a final `*` the rest.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, path): (Vec<&str>, Vec<&str>) =
        (pattern.split('/').collect(), path.split('/').collect());
    for (i, part) in pattern.iter().enumerate() {
        if *part == "*" && i == pattern.len() - 1 {
            return path.len() > i;
        }
        match path.get(i) {
            Some(segment) if part.starts_with(':') && !segment.is_empty() => {}
            Some(segment) if segment == part => {}
            _ => return false,
        }
    }
    pattern.len() == path.len()
}

#[test]
fn the_headers_file_makes_hashed_search_and_nav_files_immutable_and_nothing_else() {
    // A site with a second language, whose export is under es/_search/, carrying the file as
    // the README says: static/_headers.
    let site = SiteTest::fixture("compat/hugo");
    let headers = std::fs::read_to_string(Path::new(REPO_ROOT).join("deploy/_headers"))
        .expect("deploy/_headers");
    site.write("static/_headers", &headers);
    site.build(&[]).assert_success();
    assert_eq!(
        site.read("public/_headers"),
        headers,
        "the build carries it"
    );
    let rules = header_rules(&headers);
    let public = site.public();
    let mut hashed = 0;
    let mut navs = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.expect("a file");
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&public).expect("inside");
        let url = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
        let applied: Vec<&Vec<String>> = rules
            .iter()
            .filter(|(pattern, _)| matches(pattern, &url))
            .map(|(_, lines)| lines)
            .collect();
        let search_file = url.contains("/_search/") && !url.ends_with("/entry.json");
        if search_file || url.starts_with("/_nav/") {
            navs += usize::from(url.starts_with("/_nav/"));
            hashed += 1;
            assert_eq!(
                applied,
                [&vec![format!("Cache-Control: {IMMUTABLE}")]],
                "{url}: one rule, immutable"
            );
        } else {
            assert!(
                applied.is_empty(),
                "{url} keeps the host's default: {applied:?}"
            );
        }
    }
    assert!(hashed > 10, "both languages' search files were checked");
    assert_eq!(navs, 2, "both languages' navigation files were checked");
    assert!(public.join("es/_search/entry.json").is_file());
}
