//! A deploy while a reader's page stays open: the search client must never combine the files
//! of two builds. Build A is deployed to a folder served as GitHub Pages serves (every response
//! `Cache-Control: max-age=600`, so the browser keeps what it fetched); a page is opened and
//! searched; build B replaces the folder as a deploy does (A's files gone); then the same query,
//! whose files the client already holds, and a new one must both answer from B alone, and the
//! client must have asked for the entry again.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use crate::chromium::Browser;
use crate::support::{SiteTest, copy_dir};

/// A static server that answers as GitHub Pages does for caching, and logs each request with its
/// status, for as long as the value lives.
struct PagesHost {
    origin: String,
    log: Arc<Mutex<Vec<(String, u16)>>>,
}

impl PagesHost {
    fn start(root: &Path) -> PagesHost {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let origin = format!("http://{}", listener.local_addr().expect("an address"));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (root, shared) = (root.to_path_buf(), Arc::clone(&log));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, log) = (root.clone(), Arc::clone(&shared));
                std::thread::spawn(move || answer(stream, &root, &log));
            }
        });
        PagesHost { origin, log }
    }

    /// The requests so far: path (with its query) and status.
    fn requests(&self) -> Vec<(String, u16)> {
        self.log.lock().expect("the log").clone()
    }
}

fn answer(mut stream: TcpStream, root: &Path, log: &Mutex<Vec<(String, u16)>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone a stream"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // GitHub Pages answers a range request with that part of the file: the client reads the
    // export's packs so.
    let mut range: Option<(usize, usize)> = None;
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("range: bytes=") {
            range = value
                .trim()
                .split_once('-')
                .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
        }
        line.clear();
    }
    let target = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut file = root.join(path.trim_start_matches('/'));
    if path.contains("..") {
        file = root.join("404.html");
    }
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, file) = if file.is_file() {
        (200, file)
    } else {
        (404, root.join("404.html"))
    };
    log.lock().expect("the log").push((target, status));
    let mut body = Vec::new();
    if let Ok(mut f) = std::fs::File::open(&file) {
        let _ = f.read_to_end(&mut body);
    }
    let content_type = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let (mut status, mut reason, mut extra) = match status {
        200 => (200, "OK", String::new()),
        _ => (404, "Not Found", String::new()),
    };
    if let Some((start, last)) = range.filter(|&(start, last)| status == 200 && start <= last)
        && start < body.len()
    {
        let end = (last + 1).min(body.len());
        extra = format!(
            "Content-Range: bytes {start}-{}/{}\r\n",
            end - 1,
            body.len()
        );
        body = body[start..end].to_vec();
        (status, reason) = (206, "Partial Content");
    }
    let header = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nCache-Control: max-age=600\r\n\
         {extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    let _ = stream.write_all(&body);
}

/// Replaces everything in `site` with `build`, as a deploy does: old files are gone.
fn deploy(build: &Path, site: &Path) {
    if site.exists() {
        std::fs::remove_dir_all(site).expect("remove the old deploy");
    }
    copy_dir(build, site);
}

const LIGHTHOUSE: &str = "---\ntitle: Lighthouse\n---\nThe lighthouse keeper's handbook.\n";

/// Builds A (the lighthouse at the old harbour) or B (moved to the cliffs, and a page more, so
/// every page after it is renumbered); returns the output folder.
fn build(site: &SiteTest, b: bool) -> PathBuf {
    site.write("site.toml", "title = \"Coast\"\nbase_url = \"/\"\n");
    site.write("content/_index.md", "---\ntitle: Coast\n---\nThe coast.\n");
    site.write("content/about.md", LIGHTHOUSE);
    if b {
        site.write(
            "content/harbour.md",
            "---\ntitle: Harbour\n---\nBoats moor here; the light has moved.\n",
        );
        site.write(
            "content/cliffs.md",
            "---\ntitle: Cliff light\n---\nThe lighthouse now stands on the cliffs, beacon lit.\n",
        );
    } else {
        site.write(
            "content/harbour.md",
            "---\ntitle: Old harbour light\n---\nThe lighthouse stands at the old harbour.\n",
        );
    }
    site.write(
        "content/mill.md",
        "---\ntitle: Mill\n---\nGrain is ground here. A beacon on the roof.\n",
    );
    let out = site.path(if b { "build-b" } else { "build-a" });
    site.build(&["--output", out.to_str().expect("UTF-8")])
        .assert_success();
    out
}

/// The build id in an output's entry file.
fn build_id(output: &Path) -> String {
    let entry: Value = serde_json::from_str(
        &std::fs::read_to_string(output.join("_search/entry.json")).expect("entry.json"),
    )
    .expect("JSON");
    entry["build"].as_str().expect("a build id").to_string()
}

/// Types `query` into the header's search box and returns the titles the panel shows.
fn search_box(browser: &mut Browser, query: &str) -> Vec<String> {
    let script = format!(
        "(() => {{ const input = document.querySelector('.site-search input[type=search]');
                  input.focus(); input.value = {}; input.dispatchEvent(new Event('input'));
                  document.querySelector('.search-status') && (document.querySelector('.search-status').textContent = ''); }})()",
        json!(query)
    );
    browser.eval(&script);
    browser.wait_for("(document.querySelector('.search-status') || {}).textContent");
    let titles = browser.eval(
        "[...document.querySelectorAll('.site-search .search-result-title')].map(e => e.textContent)",
    );
    let status = browser.eval("document.querySelector('.search-status').textContent");
    assert!(
        !status
            .as_str()
            .unwrap_or_default()
            .starts_with("Search failed"),
        "`{query}`: {status}"
    );
    serde_json::from_value(titles).expect("titles")
}

#[test]
fn a_query_after_a_redeploy_answers_from_the_new_build_alone() {
    let Some(mut browser) =
        Browser::launch("a_query_after_a_redeploy_answers_from_the_new_build_alone")
    else {
        return;
    };
    let site = SiteTest::empty();
    let a = build(&site, false);
    let b = build(&site, true);
    let (id_a, id_b) = (build_id(&a), build_id(&b));
    assert_ne!(id_a, id_b, "B's export differs from A's");
    let deployed = site.path("deployed");
    deploy(&a, &deployed);
    let host = PagesHost::start(&deployed);

    browser.goto(&format!("{}/mill/", host.origin));
    browser.wait_for("window.FolioSearch && window.FolioSearch.engine");
    assert_eq!(
        search_box(&mut browser, "lighthouse"),
        ["Lighthouse", "Old harbour light"]
    );
    assert_eq!(search_box(&mut browser, "grain"), ["Mill"]);
    let engine = "window.FolioSearch.engine";
    assert_eq!(
        browser.eval(&format!("{engine}.entry.build")),
        id_a.as_str()
    );
    let before = host.requests().len();

    // The deploy: A's files are gone, B's are there; the page stays open.
    deploy(&b, &deployed);

    // The same query: every file it needs is in the client's memory and the browser's cache,
    // A's. Only the entry tells that B is out.
    assert_eq!(
        search_box(&mut browser, "lighthouse"),
        ["Lighthouse", "Cliff light"]
    );
    assert_eq!(
        browser.eval(&format!("{engine}.entry.build")),
        id_b.as_str()
    );
    assert_eq!(browser.eval(&format!("{engine}.reloads")), 1);
    let after: Vec<(String, u16)> = host.requests()[before..].to_vec();
    assert!(
        after
            .iter()
            .any(|(path, status)| path.starts_with("/_search/entry.json") && *status == 200),
        "the client asked for the entry again: {after:?}"
    );
    // A new word, and result data of renumbered pages.
    assert_eq!(
        sorted(search_box(&mut browser, "beacon")),
        ["Cliff light", "Mill"]
    );
    assert_eq!(search_box(&mut browser, "moor"), ["Harbour"]);

    // A file of the build in use gone (404) is the other sign. Back to A, then B deployed and
    // the browser's cache emptied; the query runs without the entry check (as when that answer
    // comes late) and asks for result data of A it has not loaded yet: it is missing, so the
    // client asks for the entry past every cache, opens B and runs the query again.
    deploy(&a, &deployed);
    browser.call("Network.clearBrowserCache", json!({}));
    browser.goto(&format!("{}/mill/", host.origin));
    browser.wait_for("window.FolioSearch && window.FolioSearch.engine");
    assert_eq!(search_box(&mut browser, "grain"), ["Mill"]);
    assert_eq!(
        browser.eval(&format!("{engine}.entry.build")),
        id_a.as_str()
    );
    deploy(&b, &deployed);
    browser.call("Network.clearBrowserCache", json!({}));
    let before = host.requests().len();
    let titles = browser.eval(&format!(
        "{engine}.consistent(() => {engine}.searchOnce('lighthouse', {{}}), 1).then(r => r.map(x => x.title))"
    ));
    assert_eq!(titles, json!(["Lighthouse", "Cliff light"]));
    assert_eq!(
        browser.eval(&format!("{engine}.entry.build")),
        id_b.as_str()
    );
    let after: Vec<(String, u16)> = host.requests()[before..].to_vec();
    assert!(
        after
            .iter()
            .any(|(path, status)| path.starts_with("/_search/") && *status == 404),
        "a file of A was asked for and missing: {after:?}"
    );
    assert!(
        after
            .iter()
            .any(|(path, status)| path.starts_with("/_search/entry.json?fresh=") && *status == 200),
        "the entry was asked for past the caches: {after:?}"
    );
}

fn sorted(mut titles: Vec<String>) -> Vec<String> {
    titles.sort();
    titles
}

/// The export files under `m/`, `s/`, `d/` and `f/` that `_search/entry.json` in `output`
/// leads to (the further postings in `p/` are named inside shards).
pub(crate) fn files_the_entry_leads_to(output: &Path) -> Vec<String> {
    let export = output.join("_search");
    let entry: Value = serde_json::from_str(
        &std::fs::read_to_string(export.join("entry.json")).expect("entry.json"),
    )
    .expect("JSON");
    let meta_name = entry["meta"].as_str().expect("meta").to_string();
    let mut gz =
        flate2::read::GzDecoder::new(std::fs::File::open(export.join(&meta_name)).expect("meta"));
    let mut text = String::new();
    gz.read_to_string(&mut text).expect("gzip");
    let meta: Value = serde_json::from_str(&text).expect("meta JSON");
    let group = |list: &str, size: &str, n: usize| {
        let size = meta[size].as_u64().expect("a group size") as usize;
        meta[list][n / size].as_str().expect("a hash").to_string()
    };
    let mut files = vec![
        meta_name.clone(),
        format!("m/pages.{}.bin", meta["page_table"].as_str().expect("hash")),
    ];
    for n in 0..meta["shards"].as_array().expect("shards").len() {
        files.push(format!(
            "s/{n}.{}.bin",
            group("shard_groups", "shard_group", n)
        ));
    }
    let per_pack = meta["data_pages"].as_u64().expect("pages per pack") as usize;
    for n in 0..(meta["pages"].as_u64().expect("pages") as usize).div_ceil(per_pack) {
        files.push(format!(
            "d/{n}.{}.bin",
            group("data_groups", "data_group", n)
        ));
    }
    for (prefix, list) in [("k", "kinds"), ("t", "tags")] {
        for filter in meta[list].as_array().expect("filters") {
            let hex: String = filter[0]
                .as_str()
                .expect("a name")
                .bytes()
                .map(|b| format!("{b:02x}"))
                .collect();
            files.push(format!(
                "f/{prefix}-{hex}.{}.bin",
                filter[2].as_str().expect("hash")
            ));
        }
    }
    files.sort();
    files
}

/// The files under `m/`, `s/`, `d/` and `f/` of the export in `output`.
fn export_files(output: &Path) -> Vec<String> {
    let export = output.join("_search");
    let mut files: Vec<String> = ["m", "s", "d", "f"]
        .iter()
        .filter(|dir| export.join(dir).is_dir())
        .flat_map(|dir| {
            crate::support::list_dir(&export.join(dir))
                .into_iter()
                .map(move |name| format!("{dir}/{name}"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn an_edit_under_folio_serve_leaves_exactly_the_files_the_new_entry_leads_to() {
    let site = SiteTest::fixture("serve/site");
    let mut server = crate::serve::Server::start(&site, &[]);
    let output = site.path(crate::serve::SERVE_OUTPUT);
    let before = files_the_entry_leads_to(&output);
    assert_eq!(export_files(&output), before, "the build's export");
    let entry = site.read(&format!(
        "{}/_search/entry.json",
        crate::serve::SERVE_OUTPUT
    ));

    let text = site.read("content/guide/usage.md").replace(
        "Every jar of marmalade in the building.",
        "Every jar of marmalade in the building, zanzibarite jars included.",
    );
    site.replace("content/guide/usage.md", &text);
    server.wait_for_nth_log("Rebuilt after", 1);
    // The search entries are updated after the reload.
    server.wait_for_log("Search updated for content/guide/usage.md");

    let after = files_the_entry_leads_to(&output);
    assert_ne!(
        site.read(&format!(
            "{}/_search/entry.json",
            crate::serve::SERVE_OUTPUT
        )),
        entry,
        "a new build id"
    );
    assert_ne!(after, before, "the edited page's files were renamed");
    assert_eq!(
        export_files(&output),
        after,
        "no file of the old build is left"
    );
}
