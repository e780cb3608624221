//! `cargo bench --bench search`: Folio's search against Pagefind 1.6 on a 10,000-page handbook.
//!
//! 1. Builds the site with the release `folio` binary (`folio build --timings`) and prints the
//!    build and search-index figures: times, sizes, and the search share of the build.
//! 2. Runs Pagefind on the same output, timing it and measuring what it writes.
//! 3. Serves the output on 127.0.0.1 (gzipping text, as static hosts do) and, in headless
//!    Chromium with the cache disabled and a fresh page load per measurement, counts the bytes
//!    the browser downloads for search (DevTools `Network.loadingFinished`): the client script
//!    and every file of the index it fetches, for both engines (Pagefind on the main thread,
//!    `noWorker`, so that DevTools sees its requests).
//! 4. Times each Folio query in the browser once its files are loaded.
//!
//! The site comes from `FOLIO_BENCH_SITE` (a folder with site.toml and content/), else it is
//! generated once into `target/bench/c10k` by `../shared/bench/make-corpus`. Pagefind comes from
//! `FOLIO_BENCH_PAGEFIND`, `target/bench/node_modules`, `npx`, or `npm install pagefind@1.6.0`.
//! This prints figures; it asserts nothing.

#[allow(dead_code, reason = "this uses a part of the test driver")]
#[path = "../tests/integration/chromium.rs"]
mod chromium;
mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use chromium::{Browser, StaticServer};
use common::bench_dir;

const PAGEFIND_VERSION: &str = "1.6.0";
/// Results whose data a search fetches, as the header search box shows.
const SHOWN: usize = 8;
/// Repeats of a query with its files loaded; the median is reported.
const REPEATS: usize = 5;

/// One measurement: queries run one after the other on a freshly loaded page.
struct Case {
    name: &'static str,
    queries: &'static [&'static str],
    /// Whether the last word is a prefix (as-you-type) for Folio.
    prefix: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "one word: license",
        queries: &["license"],
        prefix: false,
    },
    Case {
        name: "three words: code of conduct",
        queries: &["code of conduct"],
        prefix: false,
    },
    Case {
        name: "three words: open source license",
        queries: &["open source license"],
        prefix: false,
    },
    Case {
        name: "typing l…license (7 queries)",
        queries: &["l", "li", "lic", "lice", "licen", "licens", "license"],
        prefix: true,
    },
];

fn main() -> Result<()> {
    // `cargo test --all-targets` runs benches without `--bench`: say what this is and stop.
    if !std::env::args().any(|a| a == "--bench") {
        println!("search benchmark: run it with `cargo bench --bench search`");
        return Ok(());
    }
    let Some(site) = common::site("search benchmark")? else {
        return Ok(());
    };
    println!("Folio search benchmark on {}", site.display());
    println!("(1 kB = 1000 bytes, 1 MB = 1000 kB)\n");
    let public = site.join("public");
    build(&site)?;
    let pagefind = pagefind(&public)?;
    browse(&public, pagefind)
}

/* ---------- 1. the build ---------- */

fn build(site: &Path) -> Result<()> {
    println!("== folio build --root SITE --timings ==");
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--root"])
        .arg(site)
        .arg("--timings")
        .output()
        .context("run folio")?;
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
        for line in errors.iter().take(5).chain(errors.last()) {
            println!("  | {line}");
        }
        bail!(
            "folio build failed ({}); its first errors are above",
            output.status
        );
    }
    let built = stderr
        .lines()
        .find(|l| l.starts_with("Built "))
        .unwrap_or("");
    println!("  {}", built.split(" into ").next().unwrap_or(built));
    println!(
        "  wall time             {}",
        seconds(wall.as_secs_f64() * 1000.0)
    );
    print_timings(&stderr)?;
    let export = folder_size(&site.join("public/_search"));
    let export_bytes = figure(&stderr, "export size:")?;
    println!(
        "  export                {} in {} files, {} on disk   target ≤ 50 MB: {} (Pagefind reportedly 99 MB)\n",
        size(export_bytes),
        export.files,
        size(export.disk as f64),
        verdict(export_bytes <= 50e6)
    );
    Ok(())
}

/// The times and index size `--timings` printed, and the search share of the build.
fn print_timings(stderr: &str) -> Result<()> {
    let total = figure(stderr, "total build:")?;
    let index = figure(stderr, "search index:")?;
    let export = figure(stderr, "search export:")?;
    let share = (index + export) / total.max(1.0);
    println!("  total build           {}", seconds(total));
    println!("  search index          {}", seconds(index));
    println!("  search export         {}", seconds(export));
    println!(
        "  (index + export) / build {:.1} %   target ≤ 25 %: {}",
        share * 100.0,
        verdict(share <= 0.25)
    );
    println!(
        "  tantivy index         {}",
        size(figure(stderr, "index size:")?)
    );
    Ok(())
}

/// The first number after `key` on the line of stderr that starts with it.
fn figure(stderr: &str, key: &str) -> Result<f64> {
    let value = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix(key))
        .with_context(|| format!("`folio build --timings` printed no `{key}` line"))?;
    let number: String = value
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number
        .parse()
        .with_context(|| format!("`{key}{value}` holds no number"))
}

/* ---------- 2. Pagefind ---------- */

/// Runs Pagefind on `public`; false (said loudly) when it cannot be found or installed.
fn pagefind(public: &Path) -> Result<bool> {
    println!("== pagefind --site SITE/public ==");
    let Some(command) = pagefind_command() else {
        println!(
            "  *** SKIPPED Pagefind: not found, and `npm install pagefind@{PAGEFIND_VERSION}` failed ***\n"
        );
        return Ok(false);
    };
    let version = run_quiet(&command, &["--version"]).unwrap_or_default();
    println!("  {} ({})", version.trim(), command.join(" "));
    if !version.contains(PAGEFIND_VERSION) {
        println!("  note: this is not Pagefind {PAGEFIND_VERSION}");
    }
    let started = Instant::now();
    let site = public.to_string_lossy();
    let log = run_quiet(&command, &["--site", &site]).context("pagefind failed")?;
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    if let Some(line) = log
        .lines()
        .find(|l| l.contains("Indexed") && l.contains("pages"))
    {
        println!("  {}", line.trim());
    }
    if let Some(line) = log
        .lines()
        .find(|l| l.contains("Discovered") && l.contains("languages"))
    {
        println!("  {}", line.split(':').next().unwrap_or(line).trim());
    }
    let output = folder_size(&public.join("pagefind"));
    println!("  time                  {}", seconds(elapsed));
    println!(
        "  output                {} in {} files, {} on disk",
        size(output.bytes as f64),
        output.files,
        size(output.disk as f64)
    );
    println!("{}\n", worker_note(public));
    Ok(true)
}

/// Pagefind runs in a web worker by default, which downloads `pagefind-worker.js` as well. The
/// browser runs here use `noWorker`, so that script is not counted: say what it would add.
fn worker_note(public: &Path) -> String {
    let Ok(script) = std::fs::read(public.join("pagefind/pagefind-worker.js")) else {
        return "  (no pagefind-worker.js)".into();
    };
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let gzipped = std::io::Write::write_all(&mut encoder, &script)
        .and_then(|()| encoder.finish())
        .map_or(0, |b| b.len());
    format!(
        "  note: searches below run Pagefind with noWorker; its default web worker would add\n  \
         pagefind-worker.js ({} gzipped) to each search's bytes",
        size(gzipped as f64)
    )
}

/// The command that runs Pagefind, installing it into target/bench when nothing else has it.
fn pagefind_command() -> Option<Vec<String>> {
    if let Some(path) = std::env::var_os("FOLIO_BENCH_PAGEFIND") {
        return Some(vec![path.to_string_lossy().into_owned()]);
    }
    let local = bench_dir().join("node_modules/.bin/pagefind");
    let local_command = vec![local.to_string_lossy().into_owned()];
    if local.is_file() {
        return Some(local_command);
    }
    let npx: Vec<String> = ["npx", "--no-install", "pagefind"].map(String::from).into();
    if run_quiet(&npx, &["--version"]).is_ok() {
        return Some(npx);
    }
    println!(
        "  installing pagefind@{PAGEFIND_VERSION} into {} ...",
        bench_dir().display()
    );
    std::fs::create_dir_all(bench_dir()).ok()?;
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(bench_dir())
        .arg(format!("pagefind@{PAGEFIND_VERSION}"))
        .status()
        .ok()?;
    (status.success() && local.is_file()).then_some(local_command)
}

/// Runs `command args`, returning its stdout, or an error with its stderr.
fn run_quiet(command: &[String], args: &[&str]) -> Result<String> {
    let output = Command::new(&command[0])
        .args(&command[1..])
        .args(args)
        .output()?;
    if !output.status.success() {
        bail!("{}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The files of a folder: their bytes, the disk space they take (whole blocks, as `du`), and
/// how many there are. Many small files take far more disk than bytes.
struct FolderSize {
    bytes: u64,
    disk: u64,
    files: usize,
}

fn folder_size(dir: &Path) -> FolderSize {
    let mut size = FolderSize {
        bytes: 0,
        disk: 0,
        files: 0,
    };
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        if metadata.is_file() {
            size.bytes += metadata.len();
            size.disk += disk_space(&metadata);
            size.files += 1;
        }
    }
    size
}

#[cfg(unix)]
fn disk_space(metadata: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::blocks(metadata) * 512
}

#[cfg(not(unix))]
fn disk_space(metadata: &std::fs::Metadata) -> u64 {
    metadata.len()
}

/* ---------- 3 and 4. in the browser ---------- */

#[derive(Clone, Copy, PartialEq)]
enum Engine {
    Folio,
    Pagefind,
}

/// What one case cost one engine.
#[derive(Default)]
struct Measurement {
    /// Each search request, in the order they finished.
    requests: Vec<Request>,
    /// Milliseconds of each query run first, with its downloads.
    first_ms: Vec<f64>,
    /// Milliseconds of each query run again with its files loaded (median).
    again_ms: Vec<f64>,
    /// Results of each query (at most [`SHOWN`]).
    results: Vec<u64>,
}

/// One file downloaded.
struct Request {
    path: String,
    /// Bytes on the wire, response headers included.
    bytes: u64,
    /// Bytes of the response headers.
    headers: u64,
}

impl Measurement {
    fn bytes(&self) -> u64 {
        self.requests.iter().map(|r| r.bytes).sum()
    }

    fn header_bytes(&self) -> u64 {
        self.requests.iter().map(|r| r.headers).sum()
    }
}

fn browse(public: &Path, with_pagefind: bool) -> Result<()> {
    let Some(mut browser) = Browser::launch("search benchmark") else {
        return Ok(());
    };
    let server = StaticServer::start_gzip(public);
    browser.record_events();
    browser.call("Network.enable", json!({}));
    browser.call("Network.setCacheDisabled", json!({"cacheDisabled": true}));
    let mut results = Vec::new();
    for case in CASES {
        let folio = measure(&mut browser, &server.origin, Engine::Folio, case);
        let pagefind =
            with_pagefind.then(|| measure(&mut browser, &server.origin, Engine::Pagefind, case));
        results.push((case, folio, pagefind));
    }
    print_bytes(&results);
    print_times(&results);
    print_requests(&results);
    Ok(())
}

/// Loads a fresh page, runs the case's queries, and collects what they downloaded.
fn measure(browser: &mut Browser, origin: &str, engine: Engine, case: &Case) -> Measurement {
    settle(browser);
    browser.eval("window.__benchStale = 1");
    browser.call("Page.navigate", json!({"url": format!("{origin}/")}));
    browser.wait_for(
        "document.readyState === 'complete' && !window.__benchStale && window.FolioSearch && window.FolioSearch.engine",
    );
    let queries = json!(case.queries);
    let first = browser.eval(&first_pass(engine, &queries, case.prefix));
    let requests = search_requests(&settle(browser), engine);
    let again = browser.eval(&again_pass(engine, &queries, case.prefix));
    let numbers = |v: &Value| -> Vec<f64> {
        v.as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default()
    };
    Measurement {
        requests,
        first_ms: numbers(&first["times"]),
        again_ms: numbers(&again),
        results: numbers(&first["counts"])
            .iter()
            .map(|&n| n as u64)
            .collect(),
    }
}

/// JavaScript running each query once, timing each; for Pagefind the first includes loading it.
fn first_pass(engine: Engine, queries: &Value, prefix: bool) -> String {
    let (setup, search) = match engine {
        Engine::Folio => (
            "const engine = window.FolioSearch.engine;".to_string(),
            format!(
                "const results = await engine.search(q, {{prefix: {prefix}, limit: {SHOWN}}}); const count = results.length;"
            ),
        ),
        // On the main thread: DevTools reports a worker's requests only to a session attached
        // to the worker, and the files fetched are the same (see `worker_note`).
        Engine::Pagefind => (
            String::new(),
            format!(
                "if (!window.__pf) {{
                   window.__pf = await import('/pagefind/pagefind.js');
                   await window.__pf.options({{noWorker: true}});
                   await window.__pf.init();
                 }}
                 const s = await window.__pf.search(q);
                 await Promise.all(s.results.slice(0, {SHOWN}).map(r => r.data()));
                 const count = Math.min(s.results.length, {SHOWN});"
            ),
        ),
    };
    format!(
        "(async () => {{ {setup} const times = [], counts = [];
            for (const q of {queries}) {{
              const t = performance.now(); {search}
              times.push(performance.now() - t); counts.push(count);
            }}
            return {{times, counts}}; }})()"
    )
}

/// JavaScript running each query [`REPEATS`] more times, its files loaded: the median of each.
fn again_pass(engine: Engine, queries: &Value, prefix: bool) -> String {
    let search = match engine {
        Engine::Folio => format!(
            "await window.FolioSearch.engine.search(q, {{prefix: {prefix}, limit: {SHOWN}}});"
        ),
        Engine::Pagefind => format!(
            "const s = await window.__pf.search(q); await Promise.all(s.results.slice(0, {SHOWN}).map(r => r.data()));"
        ),
    };
    format!(
        "(async () => {{ const out = [];
            for (const q of {queries}) {{
              const runs = [];
              for (let i = 0; i < {REPEATS}; i++) {{
                const t = performance.now(); {search} runs.push(performance.now() - t);
              }}
              runs.sort((a, b) => a - b); out.push(runs[runs.length >> 1]);
            }}
            return out; }})()"
    )
}

/// Pulls DevTools events until every request seen has finished, and returns them all.
fn settle(browser: &mut Browser) -> Vec<Value> {
    let mut events = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        browser.eval("0");
        let fresh = browser.take_events();
        let quiet = fresh.is_empty();
        events.extend(fresh);
        let mut open = HashSet::new();
        for event in &events {
            let id = event["params"]["requestId"].as_str().unwrap_or_default();
            match event["method"].as_str().unwrap_or_default() {
                "Network.requestWillBeSent" => open.insert(id),
                "Network.loadingFinished" | "Network.loadingFailed" => open.remove(id),
                _ => false,
            };
        }
        if (quiet && open.is_empty()) || Instant::now() > deadline {
            return events;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The search requests among `events`, with the bytes each took on the wire.
fn search_requests(events: &[Value], engine: Engine) -> Vec<Request> {
    let mut urls = HashMap::new();
    let mut headers = HashMap::new();
    let mut out = Vec::new();
    for event in events {
        let params = &event["params"];
        let id = params["requestId"].as_str().unwrap_or_default().to_string();
        match event["method"].as_str().unwrap_or_default() {
            "Network.requestWillBeSent" => {
                let url = params["request"]["url"].as_str().unwrap_or_default();
                let path = url.splitn(4, '/').nth(3).unwrap_or_default();
                let path = path.split(['?', '#']).next().unwrap_or_default();
                urls.insert(id, format!("/{path}"));
            }
            // What was received when the headers were: their size.
            "Network.responseReceived" => {
                let bytes = params["response"]["encodedDataLength"].as_f64();
                headers.insert(id, bytes.unwrap_or_default() as u64);
            }
            "Network.loadingFinished" => {
                if let Some(path) = urls.get(&id)
                    && category(path, engine).is_some()
                {
                    let bytes = params["encodedDataLength"].as_f64().unwrap_or_default();
                    out.push(Request {
                        path: path.clone(),
                        bytes: bytes as u64,
                        headers: headers.get(&id).copied().unwrap_or_default(),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// What a search request fetched, or `None` for a request that is not the engine's search.
fn category(path: &str, engine: Engine) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or_default();
    match engine {
        Engine::Folio if path == "/assets/search.js" => Some("client script"),
        Engine::Folio if !path.starts_with("/_search/") => None,
        Engine::Folio if name.starts_with("entry.json") => Some("entry"),
        Engine::Folio if path.starts_with("/_search/m/meta.") => Some("meta"),
        Engine::Folio if path.starts_with("/_search/m/pages.") => Some("page table"),
        Engine::Folio if path.starts_with("/_search/s/") => Some("vocabulary shards"),
        Engine::Folio if path.starts_with("/_search/p/") => Some("further postings"),
        Engine::Folio if path.starts_with("/_search/d/") => Some("result data"),
        Engine::Folio => Some("other"),
        Engine::Pagefind if !path.starts_with("/pagefind/") => None,
        Engine::Pagefind if name.ends_with(".js") => Some("client script"),
        Engine::Pagefind if name.starts_with("wasm.") => Some("wasm"),
        Engine::Pagefind if name.ends_with(".json") || name.ends_with(".pf_meta") => Some("meta"),
        Engine::Pagefind if name.ends_with(".pf_index") => Some("index chunks"),
        Engine::Pagefind if name.ends_with(".pf_fragment") => Some("result data"),
        Engine::Pagefind => Some("other"),
    }
}

/* ---------- printing ---------- */

type Row<'a> = (&'a Case, Measurement, Option<Measurement>);

fn print_bytes(rows: &[Row]) {
    println!(
        "== bytes downloaded per search (fresh page, cache off, text gzipped by the server) =="
    );
    println!(
        "  {:<34} {:^40} {:^21}",
        "", "on the wire (bytes / requests)", "bodies only"
    );
    println!(
        "  {:<34} {:>16} {:>16} {:>6} {:>10} {:>10}",
        "case", "Folio", "Pagefind", "ratio", "Folio", "Pagefind"
    );
    let body = |m: &Measurement| size((m.bytes() - m.header_bytes()) as f64);
    for (case, folio, pagefind) in rows {
        let cell = |m: &Measurement| format!("{} /{:>3}", size(m.bytes() as f64), m.requests.len());
        let (pf, ratio, pf_body) = match pagefind {
            Some(p) => (
                cell(p),
                format!("{:.2}", folio.bytes() as f64 / p.bytes().max(1) as f64),
                body(p),
            ),
            None => ("n/a".into(), "n/a".into(), "n/a".into()),
        };
        println!(
            "  {:<34} {:>16} {:>16} {:>6} {:>10} {:>10}",
            case.name,
            cell(folio),
            pf,
            ratio,
            body(folio),
            pf_body
        );
    }
    println!(
        "  (bodies: less the test server's ~100-byte response headers; ratio = Folio ÷ Pagefind)"
    );
    if let Some((_, folio, _)) = rows.first() {
        println!(
            "  Folio's first one-word query, client script included: {}   target ≤ 60 kB: {}",
            size(folio.bytes() as f64),
            verdict(folio.bytes() <= 60_000)
        );
    }
    println!();
}

fn print_times(rows: &[Row]) {
    println!(
        "== client time per query, ms (again = median of {REPEATS} runs with the files loaded) =="
    );
    println!(
        "  {:<36} {:>9} {:>9} {:>14} {:>14} {:>9}",
        "case", "Folio 1st", "again", "Pagefind 1st", "again", "results"
    );
    for (case, folio, pagefind) in rows {
        let sum = |v: &[f64]| v.iter().sum::<f64>();
        let (pf_first, pf_again) = pagefind.as_ref().map_or(("n/a".into(), "n/a".into()), |p| {
            (
                format!("{:.1}", sum(&p.first_ms)),
                format!("{:.1}", sum(&p.again_ms)),
            )
        });
        let counts = |m: &Measurement| {
            m.results
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        };
        println!(
            "  {:<36} {:>9.1} {:>9.1} {:>14} {:>14} {:>9}",
            case.name,
            sum(&folio.first_ms),
            sum(&folio.again_ms),
            pf_first,
            pf_again,
            counts(folio)
        );
        if case.queries.len() > 1 {
            let each: Vec<String> = case
                .queries
                .iter()
                .zip(&folio.again_ms)
                .map(|(q, ms)| format!("{q} {ms:.1}"))
                .collect();
            println!("    Folio again, per query: {}", each.join(", "));
        }
    }
    println!(
        "  (Pagefind's first run includes importing and initialising it; sums over a case's queries)\n"
    );
}

fn print_requests(rows: &[Row]) {
    for (case, folio, pagefind) in rows {
        println!("== {}: bytes by kind of file / requests ==", case.name);
        println!("  Folio     {}", by_kind(folio, Engine::Folio));
        if let Some(pagefind) = pagefind {
            println!("  Pagefind  {}", by_kind(pagefind, Engine::Pagefind));
        }
        println!("  Folio requests, in the order they finished:");
        for request in &folio.requests {
            println!("    {:>10}  {}", size(request.bytes as f64), request.path);
        }
        println!();
    }
}

/// `kind bytes /requests` for each kind of file, largest first.
fn by_kind(measurement: &Measurement, engine: Engine) -> String {
    let mut kinds: BTreeMap<&str, (u64, usize)> = BTreeMap::new();
    for request in &measurement.requests {
        let kind = category(&request.path, engine).unwrap_or("other");
        let entry = kinds.entry(kind).or_default();
        entry.0 += request.bytes;
        entry.1 += 1;
    }
    let mut kinds: Vec<_> = kinds.into_iter().collect();
    kinds.sort_by_key(|(_, (bytes, _))| std::cmp::Reverse(*bytes));
    let parts: Vec<String> = kinds
        .iter()
        .map(|(kind, (bytes, n))| format!("{kind} {} /{n}", size(*bytes as f64)))
        .collect();
    format!(
        "{} (headers {})",
        parts.join(" · "),
        size(measurement.header_bytes() as f64)
    )
}

fn size(bytes: f64) -> String {
    if bytes >= 1e6 {
        format!("{:.1} MB", bytes / 1e6)
    } else {
        format!("{:.1} kB", bytes / 1e3)
    }
}

fn seconds(ms: f64) -> String {
    format!("{:.1} s", ms / 1000.0)
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}
