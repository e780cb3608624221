//! `cargo bench --bench serve`: how long `folio serve` takes from the save of a page to the
//! `reload` event that tells open pages to reload, beside a full `folio build`, and how it holds
//! up under load.
//!
//! For the repository's own handbook, then a 10,000-page site, each copied into a scratch folder
//! first so that no site is ever edited:
//!
//! 1. Times one full `folio build --root SITE --output SCRATCH` (wall clock).
//! 2. Starts `folio serve --port 0` on the copy, opens its event stream (`/_folio/events`, as a
//!    served page does) and waits for `hello`.
//! 3. `FOLIO_BENCH_EDITS` times (20 by default), 300 ms apart so that each edit is a batch of
//!    its own: appends a new sentence as a paragraph to one Markdown page (the deepest, middle
//!    one of content/), and times from just before the write to the `reload` event. The page is
//!    then fetched to check that it shows the sentence.
//! 4. On the repository's site only, when `wrk` is installed, runs `wrk -t2 -c50 -d10s
//!    --latency` against the home page and a policy page: requests a second, latency, errors,
//!    and how many of the connections were answered (wrk counts one never answered as no error).
//!
//! After the `reload`, the server's search worker updates the edited page's search entries and
//! logs how long that took (`Search updated for … in N ms`; before the worker, `…, then its
//! search entries in N ms` at the end of the rebuild's line), which is printed too. Edits that
//! come while an update is under way are one update, so there may be fewer updates than edits.
//! `FOLIO_BENCH_PAUSE` (ms, default 300) sets the quiet time before each edit: below the search
//! update's time, each edit comes while the previous one's update is under way.
//! `FOLIO_BENCH_BIN` runs another `folio` binary (another commit's, to compare in the same
//! minutes on a busy machine) in place of the one built with the benchmark.
//!
//! The 10,000-page site is `FOLIO_BENCH_SITE`, else the one the search benchmark generates (see
//! `common`). This prints figures and asserts nothing about them; only a failure is an error: a
//! server that does not start, an event that does not come within 120 s, a `build-error`, a page
//! that does not show its new sentence.

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

/// The release binary, unless `FOLIO_BENCH_BIN` names another.
fn folio() -> PathBuf {
    std::env::var_os("FOLIO_BENCH_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_folio")), PathBuf::from)
}
/// Edits per site unless `FOLIO_BENCH_EDITS` says otherwise.
const DEFAULT_EDITS: usize = 20;
/// How long the `reload` of one edit (or any other wait on the server) may take.
const EVENT_TIMEOUT: Duration = Duration::from_secs(120);
/// How long `folio serve` may take to build the site and start listening.
const START_TIMEOUT: Duration = Duration::from_secs(600);
/// The pause before each edit, so that each edit is a batch, and a rebuild, of its own, unless
/// `FOLIO_BENCH_PAUSE` says otherwise.
const PAUSE: Duration = Duration::from_millis(300);
/// What is copied of a site besides site.toml: the folders `folio serve` watches.
const SITE_DIRS: &[&str] = &["content", "templates", "themes", "static", "data"];
/// What `folio serve` logs before the time of an incremental rebuild's search entries, at the
/// end of the rebuild's line, before the search worker.
const SEARCH_LOG: &str = ", then its search entries in ";
/// How the search worker's line about an update starts; ` in N ms` ends it.
const SEARCH_UPDATED: &str = "Search updated for ";
/// wrk's arguments, before the URL.
const WRK_ARGS: &[&str] = &["-t2", "-c50", "-d10s", "--latency"];
/// The connections wrk opens (`-c`).
const CONNECTIONS: f64 = 50.0;

fn main() -> ExitCode {
    // `cargo test --all-targets` runs benches without `--bench`: say what this is and stop.
    if !std::env::args().any(|a| a == "--bench") {
        println!("serve benchmark: run it with `cargo bench --bench serve`");
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nerror: serve benchmark failed: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The benchmark; the server and the scratch folder are gone when it returns, even with an error.
fn run() -> Result<()> {
    let edits = edit_count()?;
    let scratch = tempfile::Builder::new()
        .prefix("folio-serve-bench-")
        .tempdir()
        .context("cannot create a scratch folder")?;
    println!(
        "Folio serve benchmark: {edits} edits per site (FOLIO_BENCH_EDITS), in {}\n",
        scratch.path().display()
    );
    let wrk = find_on_path("wrk");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut results = vec![bench_site(
        "repository site",
        repo,
        &scratch.path().join("repo"),
        edits,
        LoadCheck::Wanted(wrk.as_deref()),
    )?];
    if let Some(big) = common::site("serve benchmark on the 10,000-page site")? {
        results.push(bench_site(
            "10,000-page site",
            &big,
            &scratch.path().join("big"),
            edits,
            LoadCheck::NotWanted,
        )?);
    }
    print_summary(&results);
    Ok(())
}

/// `FOLIO_BENCH_EDITS`, else [`DEFAULT_EDITS`].
fn edit_count() -> Result<usize> {
    let edits = env_number("FOLIO_BENCH_EDITS", DEFAULT_EDITS as u64, 1, "edits")?;
    Ok(usize::try_from(edits)?)
}

/// `FOLIO_BENCH_PAUSE` (ms), else [`PAUSE`].
fn pause() -> Result<Duration> {
    let default = u64::try_from(PAUSE.as_millis())?;
    env_number("FOLIO_BENCH_PAUSE", default, 0, "milliseconds").map(Duration::from_millis)
}

/// The whole number, at least `min`, that the environment variable `name` holds, counted in
/// `unit` (for the message); `default` when it is not set.
fn env_number(name: &str, default: u64, min: u64, unit: &str) -> Result<u64> {
    let Some(value) = std::env::var_os(name) else {
        return Ok(default);
    };
    let value = value.to_string_lossy();
    match value.trim().parse() {
        Ok(n) if n >= min => Ok(n),
        _ if min > 0 => {
            bail!("{name} must be a whole number of {unit}, at least {min}, not {value:?}")
        }
        _ => bail!("{name} must be a whole number of {unit}, not {value:?}"),
    }
}

/// What one site gave.
struct SiteResult {
    name: &'static str,
    /// Pages built, as `folio build` counted them.
    pages: u64,
    /// Wall time of the full `folio build`.
    build: Duration,
    /// From each write to its `reload` event.
    latencies: Vec<Duration>,
    /// The rebuild times `folio serve` printed for the edits, in ms.
    rebuilds: Vec<f64>,
    /// The times it printed for the search entries of the same edits, after the reload, in ms.
    searches: Vec<f64>,
    /// wrk's figures for each URL it loaded.
    loads: Vec<(String, Load)>,
}

/// Whether a site gets the load check, and the wrk that runs it (`None` when not installed).
enum LoadCheck<'a> {
    Wanted(Option<&'a Path>),
    NotWanted,
}

/// Copies the site at `source` into `dir`, builds it, serves it, edits it and, if wanted, runs
/// wrk against it.
fn bench_site(
    name: &'static str,
    source: &Path,
    dir: &Path,
    edits: usize,
    load_check: LoadCheck,
) -> Result<SiteResult> {
    println!("== {name}: {} ==", source.display());
    let site = dir.join("site");
    let started = Instant::now();
    let files = copy_site(source, &site)?;
    println!(
        "  copied {files} files into {} in {}",
        site.display(),
        seconds(started.elapsed())
    );

    let (build, built) = full_build(&site, &dir.join("public"))?;
    let pages = leading_number(built.strip_prefix("Built ").unwrap_or_default()) as u64;
    println!("  full build            {}   ({built})", seconds(build));

    let page = pick_page(&site)?;
    let started = Instant::now();
    let mut server = Server::start(&site)?;
    println!(
        "  folio serve           listening after {} ({}), on {}",
        seconds(started.elapsed()),
        server.first_build(),
        server.address
    );

    println!(
        "  edits                 {edits} × a new paragraph at the end of {} ({})",
        page.rel, page.url
    );
    let latencies = edit(&server, &page, edits)?;
    let (rebuilds, searches) = server.rebuild_times(edits);
    print_latencies(&latencies, &rebuilds, &searches, build);

    let mut loads = Vec::new();
    match load_check {
        LoadCheck::NotWanted => {}
        LoadCheck::Wanted(None) => println!(
            "\n  *** LOAD CHECK SKIPPED: wrk is not on PATH (apt-get install -y wrk) ***\n"
        ),
        LoadCheck::Wanted(Some(wrk)) => {
            for path in load_paths(&site) {
                let load = run_wrk(wrk, &server.url(&path))?;
                loads.push((path, load));
            }
        }
    }
    server.stop();
    println!();
    Ok(SiteResult {
        name,
        pages,
        build,
        latencies,
        rebuilds,
        searches,
        loads,
    })
}

/* ---------- the site ---------- */

/// Copies site.toml and the site's folders from `source` into `dest`; returns how many files.
fn copy_site(source: &Path, dest: &Path) -> Result<usize> {
    let config = source.join("site.toml");
    ensure!(
        config.is_file(),
        "{} is not a Folio site: it has no site.toml",
        source.display()
    );
    std::fs::create_dir_all(dest).with_context(|| format!("cannot create {}", dest.display()))?;
    std::fs::copy(&config, dest.join("site.toml")).context("cannot copy site.toml")?;
    let mut files = 1;
    for dir in SITE_DIRS {
        let from = source.join(dir);
        if !from.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
            let rel = entry.path().strip_prefix(source)?;
            let to = dest.join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to)
                    .with_context(|| format!("cannot create {}", to.display()))?;
            } else {
                std::fs::copy(entry.path(), &to)
                    .with_context(|| format!("cannot copy {}", entry.path().display()))?;
                files += 1;
            }
        }
    }
    Ok(files)
}

/// Runs `folio build` on `site` into `output`: its wall time, and the `Built …` line without
/// the output folder. The output is removed afterwards (a 10,000-page site's is about 1 GB).
fn full_build(site: &Path, output: &Path) -> Result<(Duration, String)> {
    let started = Instant::now();
    let result = Command::new(folio())
        .args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(output)
        .env("NO_COLOR", "1")
        .output()
        .context("cannot run folio build")?;
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&result.stderr);
    if !result.status.success() {
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
        for line in errors.iter().take(5).chain(errors.last()) {
            println!("  | {line}");
        }
        bail!(
            "folio build failed on {} ({}); its first errors are above",
            site.display(),
            result.status
        );
    }
    let _ = std::fs::remove_dir_all(output);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("Built "))
        .context("folio build printed no `Built …` line")?;
    // `Built 14 pages (4 sections) into DIR in 207 ms`
    let built = match (line.split_once(" into "), line.rsplit_once(" in ")) {
        (Some((what, _)), Some((_, time))) => format!("{what} in {time}"),
        _ => line.to_string(),
    };
    Ok((wall, built))
}

/// The page the benchmark edits.
struct Page {
    file: PathBuf,
    /// Its path from the site root, with `/`.
    rel: String,
    /// Its URL path, e.g. `/policies/usage/`.
    url: String,
}

/// A plain Markdown page (not `_index.md` or a bundle's `index.md`, not a draft, without a
/// `slug`, with an ASCII path): of those deepest in content/, the middle one in path order.
fn pick_page(site: &Path) -> Result<Page> {
    let content = site.join("content");
    let mut candidates: Vec<(usize, PathBuf)> = Vec::new();
    for entry in walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file()
            || !name.ends_with(".md")
            || name == "_index.md"
            || name == "index.md"
            || name.starts_with('.')
            || !path.to_string_lossy().is_ascii()
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if !is_plain(&text) {
            continue;
        }
        candidates.push((entry.depth(), path.to_path_buf()));
    }
    let deepest = candidates.iter().map(|(depth, _)| *depth).max();
    let deepest: Vec<&PathBuf> = candidates
        .iter()
        .filter(|(depth, _)| Some(*depth) == deepest)
        .map(|(_, path)| path)
        .collect();
    let Some(file) = deepest.get(deepest.len() / 2) else {
        bail!(
            "no Markdown page to edit in {} (one that is not _index.md, not a draft, without a slug)",
            content.display()
        );
    };
    let from_content = file
        .strip_prefix(&content)?
        .to_string_lossy()
        .replace('\\', "/");
    let stem = from_content.strip_suffix(".md").unwrap_or(&from_content);
    Ok(Page {
        file: file.to_path_buf(),
        rel: format!("content/{from_content}"),
        url: format!("/{stem}/"),
    })
}

/// True when a page's front matter neither makes it a draft nor gives it a slug, so that it is
/// served at the URL of its path.
fn is_plain(text: &str) -> bool {
    let fence = match text.get(..3) {
        Some(fence @ ("---" | "+++")) => fence,
        _ => return true,
    };
    let front_matter = text.lines().skip(1).take_while(|l| l.trim_end() != fence);
    for line in front_matter {
        let line = line.trim();
        if line.starts_with("slug") || (line.starts_with("draft") && line.contains("true")) {
            return false;
        }
    }
    true
}

/// The URLs wrk loads: the home page, and the first policy page if the site has one.
fn load_paths(site: &Path) -> Vec<String> {
    let mut paths = vec!["/".to_string()];
    let policies = site.join("content/policies");
    let mut names: Vec<String> = std::fs::read_dir(policies)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && !n.starts_with(['_', '.']) && n != "index.md")
        .collect();
    names.sort();
    if let Some(name) = names.first() {
        paths.push(format!("/policies/{}/", name.trim_end_matches(".md")));
    }
    paths
}

/* ---------- edits ---------- */

/// Edits `page` `edits` times, each after a pause, and returns the time from each write to its
/// `reload` event; checks after each that the page shows the new sentence.
fn edit(server: &Server, page: &Page, edits: usize) -> Result<Vec<Duration>> {
    let (status, _) = server.get(&page.url)?;
    ensure!(
        status == 200,
        "{} is not served at {} (status {status})",
        page.rel,
        page.url
    );
    let mut events = server.events()?;
    let mut text =
        std::fs::read_to_string(&page.file).with_context(|| format!("cannot read {}", page.rel))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let run = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let mut latencies = Vec::new();
    let mut others = Vec::new();
    let pause = pause()?;
    print!("  ms:");
    for i in 1..=edits {
        // Anything the server says between edits is reported, not taken for the next reload.
        let quiet_until = Instant::now() + pause;
        while let Some(event) = events.next(quiet_until)? {
            ensure!(
                event.name != "build-error",
                "the build broke between edits: {}",
                error_text(&event.data)
            );
            others.push(format!("{} before edit {i}", event.name));
        }
        // Words and digits only: Markdown and smart punctuation leave it as it is.
        let sentence = format!("Serve benchmark edit {i} of {edits} in run {run} is here.");
        text.push_str(&format!("\n{sentence}\n"));
        let written = Instant::now();
        std::fs::write(&page.file, &text).with_context(|| format!("cannot write {}", page.rel))?;
        let deadline = written + EVENT_TIMEOUT;
        loop {
            let Some(event) = events.next(deadline)? else {
                bail!(
                    "no `reload` event within {} s of edit {i} to {}; folio serve's last lines:\n{}",
                    EVENT_TIMEOUT.as_secs(),
                    page.rel,
                    server.log_tail(20)
                );
            };
            match event.name.as_str() {
                "reload" => break,
                "build-error" => bail!(
                    "edit {i} to {} broke the build: {}",
                    page.rel,
                    error_text(&event.data)
                ),
                name => others.push(format!("{name} after edit {i}")),
            }
        }
        let latency = written.elapsed();
        latencies.push(latency);
        print!(" {:.1}", ms(latency));
        if i % 10 == 0 && i < edits {
            print!("\n     ");
        }
        let _ = std::io::stdout().flush();
        let (status, html) = server.get(&page.url)?;
        ensure!(
            status == 200 && html.contains(&sentence),
            "after the reload for edit {i}, {} (status {status}) does not show the new sentence {sentence:?}: the rebuild did not happen",
            page.url
        );
    }
    println!();
    if !others.is_empty() {
        println!("  note: other events: {}", others.join(", "));
    }
    Ok(latencies)
}

/// The text of a `build-error` event (its diagnostics as the terminal shows them).
fn error_text(data: &str) -> String {
    let text = serde_json::from_str::<Value>(data)
        .ok()
        .and_then(|v| v["text"].as_str().map(str::to_string));
    text.unwrap_or_else(|| data.to_string())
}

fn print_latencies(latencies: &[Duration], rebuilds: &[f64], searches: &[f64], build: Duration) {
    let mut sorted: Vec<f64> = latencies.iter().copied().map(ms).collect();
    sorted.sort_by(f64::total_cmp);
    let p50 = percentile(&sorted, 50.0);
    println!(
        "  edit → reload         p50 {:.1} ms   p95 {:.1} ms   min {:.1} ms   max {:.1} ms   ({} edits)",
        p50,
        percentile(&sorted, 95.0),
        sorted[0],
        sorted[sorted.len() - 1],
        sorted.len()
    );
    let mut rebuilds = rebuilds.to_vec();
    rebuilds.sort_by(f64::total_cmp);
    if rebuilds.len() == sorted.len() {
        println!(
            "  rebuild (server log)  p50 {:.0} ms   max {:.0} ms   (the rest of edit → reload is watching, batching and the event)",
            percentile(&rebuilds, 50.0),
            rebuilds[rebuilds.len() - 1]
        );
    } else {
        println!(
            "  note: folio serve logged {} rebuilds for {} edits",
            rebuilds.len(),
            sorted.len()
        );
    }
    if !searches.is_empty() {
        let mut searches = searches.to_vec();
        searches.sort_by(f64::total_cmp);
        println!(
            "  search entries (log)  p50 {:.0} ms   max {:.0} ms   (after the reload, for {} of the edits)",
            percentile(&searches, 50.0),
            searches[searches.len() - 1],
            searches.len()
        );
    }
    println!(
        "  full build / p50      {:.1}×",
        ms(build) / p50.max(f64::MIN_POSITIVE)
    );
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/* ---------- the server ---------- */

/// A running `folio serve`, killed when dropped (on errors and panics too).
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    address: String,
    /// What the server printed on stderr so far, line by line.
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `folio serve --port 0` on `site` and waits until it listens.
    fn start(site: &Path) -> Result<Server> {
        let mut child = Command::new(folio())
            .args(["serve", "--port", "0", "--root"])
            .arg(site)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start folio serve")?;
        let stderr = child.stderr.take().context("no stderr for folio serve")?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&log);
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }
        });
        let mut server = Server {
            child,
            address: String::new(),
            log,
        };
        let line = server.wait_for_log("Serving ", START_TIMEOUT)?;
        let url = line.trim_start_matches("Serving ").trim();
        server.address = url
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .with_context(|| format!("folio serve printed an unexpected URL line {line:?}"))?
            .to_string();
        ensure!(
            server.lines().iter().any(|l| l.starts_with("Built ")),
            "folio serve's first build failed:\n{}",
            server.log_tail(30)
        );
        Ok(server)
    }

    fn lines(&self) -> Vec<String> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn log_tail(&self, n: usize) -> String {
        let lines = self.lines();
        let tail = &lines[lines.len().saturating_sub(n)..];
        tail.iter()
            .map(|l| format!("  | {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The first build's `Built …` line, without `Built `.
    fn first_build(&self) -> String {
        let lines = self.lines();
        let line = lines.iter().find(|l| l.starts_with("Built "));
        line.map_or("", |l| l.trim_start_matches("Built "))
            .to_string()
    }

    /// Waits for a line of stderr containing `needle` and returns it.
    fn wait_for_log(&mut self, needle: &str, timeout: Duration) -> Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(line) = self.lines().into_iter().find(|l| l.contains(needle)) {
                return Ok(line);
            }
            if let Some(status) = self.child.try_wait()? {
                // Let the reader thread take the last lines.
                thread::sleep(Duration::from_millis(100));
                bail!(
                    "folio serve exited ({status}) before printing {needle:?}:\n{}",
                    self.log_tail(30)
                );
            }
            ensure!(
                Instant::now() < deadline,
                "folio serve printed no {needle:?} within {} s:\n{}",
                timeout.as_secs(),
                self.log_tail(30)
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// The times of the rebuilds the server logged (`Rebuilt after … changed: … in N ms`), in
    /// ms, once it has logged `expected` of them or a second has passed; and those of the search
    /// updates (`Search updated for … in N ms`, or `…, then its search entries in N ms`).
    fn rebuild_times(&self, expected: usize) -> (Vec<f64>, Vec<f64>) {
        let deadline = Instant::now() + Duration::from_secs(1);
        loop {
            let all = self.lines();
            let lines: Vec<&String> = all
                .iter()
                .filter(|l| l.starts_with("Rebuilt after "))
                .collect();
            let times: Vec<f64> = lines
                .iter()
                .filter_map(|l| l.split_once(" changed: ")?.1.split_once(" in "))
                .map(|(_, time)| leading_number(time))
                .collect();
            let mut searches: Vec<f64> = lines
                .iter()
                .filter_map(|l| l.split_once(SEARCH_LOG))
                .map(|(_, time)| leading_number(time))
                .collect();
            searches.extend(
                all.iter()
                    .filter(|l| l.starts_with(SEARCH_UPDATED))
                    .filter_map(|l| l.rsplit_once(" in "))
                    .map(|(_, time)| leading_number(time)),
            );
            if times.len() >= expected || Instant::now() > deadline {
                return (times, searches);
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    fn connect(&self) -> Result<TcpStream> {
        let stream = TcpStream::connect(&self.address)
            .with_context(|| format!("cannot connect to folio serve at {}", self.address))?;
        stream.set_read_timeout(Some(EVENT_TIMEOUT))?;
        Ok(stream)
    }

    /// `GET path`: the status and the body as text.
    fn get(&self, path: &str) -> Result<(u16, String)> {
        let mut stream = self.connect()?;
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        );
        stream.write_all(request.as_bytes())?;
        let mut bytes = Vec::new();
        stream
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read the reply to GET {path}"))?;
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .with_context(|| format!("no HTTP reply to GET {path}"))?;
        let head = String::from_utf8_lossy(&bytes[..split]).to_ascii_lowercase();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = &bytes[split + 4..];
        let body = if head.contains("transfer-encoding: chunked") {
            dechunk(body)
        } else {
            body.to_vec()
        };
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }

    /// Opens the event stream, as a served page does, and reads its `hello`.
    fn events(&self) -> Result<Events> {
        let mut stream = self.connect()?;
        let request = format!(
            "GET /_folio/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.address
        );
        stream.write_all(request.as_bytes())?;
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        while !head.ends_with("\r\n\r\n") {
            let read = reader
                .read_line(&mut head)
                .context("cannot read the head of the event stream")?;
            ensure!(
                read > 0,
                "the event stream closed before its head ended: {head}"
            );
        }
        ensure!(
            head.starts_with("HTTP/1.1 200"),
            "GET /_folio/events answered {:?}",
            head.lines().next().unwrap_or_default()
        );
        let mut events = Events {
            reader,
            line: String::new(),
            name: String::new(),
            data: String::new(),
        };
        match events.next(Instant::now() + EVENT_TIMEOUT)? {
            Some(event) if event.name == "hello" => Ok(events),
            Some(event) => bail!(
                "the event stream began with `{}`, not `hello`: {}",
                event.name,
                event.data
            ),
            None => bail!(
                "no `hello` on the event stream within {} s",
                EVENT_TIMEOUT.as_secs()
            ),
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The body of a `Transfer-Encoding: chunked` reply.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&body[..end]);
        let size = size.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size, 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        let stop = (start + size).min(body.len());
        out.extend_from_slice(&body[start..stop]);
        body = body.get(stop + 2..).unwrap_or_default();
    }
    out
}

/// One Server-Sent Event.
struct Event {
    name: String,
    data: String,
}

/// The server's event stream, read over plain TCP.
struct Events {
    reader: BufReader<TcpStream>,
    /// The line being read: kept when a read times out halfway through it.
    line: String,
    /// The event being read.
    name: String,
    data: String,
}

impl Events {
    /// The next event, skipping comments (pings) and `retry`; `None` when none has come by
    /// `deadline`.
    fn next(&mut self, deadline: Instant) -> Result<Option<Event>> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            self.reader.get_ref().set_read_timeout(Some(left))?;
            match self.reader.read_line(&mut self.line) {
                Ok(0) => bail!("folio serve closed the event stream"),
                Ok(_) => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Ok(None);
                }
                Err(e) => return Err(e).context("cannot read the event stream"),
            }
            if !self.line.ends_with('\n') {
                continue;
            }
            let line = std::mem::take(&mut self.line);
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if !self.name.is_empty() {
                    return Ok(Some(Event {
                        name: std::mem::take(&mut self.name),
                        data: std::mem::take(&mut self.data),
                    }));
                }
                self.data.clear();
            } else if let Some(value) = line.strip_prefix("event:") {
                self.name = value.trim_start().to_string();
            } else if let Some(value) = line.strip_prefix("data:") {
                self.data.push_str(value.trim_start());
            }
        }
    }
}

/* ---------- wrk ---------- */

/// What wrk measured.
struct Load {
    requests_per_second: f64,
    /// Mean latency, in ms.
    mean: f64,
    /// Latency percentiles, in ms.
    p50: f64,
    p99: f64,
    /// `N requests in 10.00s, 12.34MB read`
    summary: String,
    /// Socket errors (connect, read, write, timeout) and non-2xx-or-3xx responses.
    errors: Vec<(String, u64)>,
}

impl Load {
    fn error_count(&self) -> u64 {
        self.errors.iter().map(|(_, n)| n).sum()
    }

    /// How many connections were answered all along (Little's law: requests a second × mean
    /// latency). wrk sends each connection's next request as soon as the last is answered, so
    /// this is about [`CONNECTIONS`] unless some connections were never answered, which wrk
    /// counts as no error.
    fn busy_connections(&self) -> f64 {
        self.requests_per_second * self.mean / 1000.0
    }
}

/// Runs wrk against `url` and prints what it measured.
fn run_wrk(wrk: &Path, url: &str) -> Result<Load> {
    println!("  wrk {} {url}", WRK_ARGS.join(" "));
    let output = Command::new(wrk)
        .args(WRK_ARGS)
        .arg(url)
        .output()
        .context("cannot run wrk")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    ensure!(
        output.status.success(),
        "wrk failed ({}):\n{stdout}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let load =
        parse_wrk(&stdout).with_context(|| format!("cannot read wrk's output:\n{stdout}"))?;
    println!(
        "    requests/sec {:.0}   latency p50 {:.2} ms   p99 {:.2} ms   ({})",
        load.requests_per_second, load.p50, load.p99, load.summary
    );
    let details: Vec<String> = load
        .errors
        .iter()
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect();
    match load.error_count() {
        0 => println!("    errors: 0   ({})", details.join(", ")),
        n => println!("    *** errors: {n}   ({}) ***", details.join(", ")),
    }
    let busy = load.busy_connections();
    println!(
        "    connections answered ≈ {busy:.1} of {CONNECTIONS}   (requests/sec × mean latency {:.2} ms)",
        load.mean
    );
    if busy < CONNECTIONS * 0.9 {
        println!(
            "    *** fewer connections than opened were waiting on the server on average: either some got no answer (wrk does not count that as an error; serve_load's test checks that every connection is answered), or wrk's own threads were waiting for the CPU between a response and the next request ***"
        );
    }
    Ok(load)
}

fn parse_wrk(out: &str) -> Result<Load> {
    let field = |key: &str| {
        out.lines()
            .find_map(|l| l.trim().strip_prefix(key))
            .map(str::trim)
    };
    let requests_per_second = field("Requests/sec:")
        .and_then(|v| v.parse().ok())
        .context("no Requests/sec")?;
    // `Latency  44.62ms  3.04ms  55.85ms  83.74%`: the mean comes first.
    let mean = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Latency "))
        .find_map(|v| v.split_whitespace().next().and_then(wrk_ms))
        .context("no mean latency")?;
    let p50 = field("50%").and_then(wrk_ms).context("no 50% latency")?;
    let p99 = field("99%").and_then(wrk_ms).context("no 99% latency")?;
    let summary = out
        .lines()
        .map(str::trim)
        .find(|l| l.contains(" requests in "))
        .unwrap_or_default()
        .to_string();
    // Absent when there were none.
    let mut errors: Vec<(String, u64)> = ["connect", "read", "write", "timeout"]
        .iter()
        .map(|kind| (kind.to_string(), 0))
        .collect();
    if let Some(socket) = field("Socket errors:") {
        for part in socket.split(',') {
            if let Some((kind, n)) = part.trim().split_once(' ')
                && let Some(entry) = errors.iter_mut().find(|(k, _)| k == kind)
            {
                entry.1 = n.trim().parse().unwrap_or(0);
            }
        }
    }
    let non_2xx = field("Non-2xx or 3xx responses:").map_or(0, |n| n.parse().unwrap_or(0));
    errors.push(("non-2xx/3xx".to_string(), non_2xx));
    Ok(Load {
        requests_per_second,
        mean,
        p50,
        p99,
        summary,
        errors,
    })
}

/// A wrk duration (`812.00us`, `1.23ms`, `2.01s`, `1.50m`) in ms.
fn wrk_ms(value: &str) -> Option<f64> {
    let split = value.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return None,
    };
    Some(number * scale)
}

/// The first executable called `name` on PATH.
fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|file| file.is_file())
}

/* ---------- printing ---------- */

fn print_summary(results: &[SiteResult]) {
    println!("== summary: edit → reload (ms), beside a full build ==");
    println!(
        "  {:<18} {:>6} {:>10} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10}",
        "site", "pages", "build", "edits", "p50", "p95", "min", "max", "rebuild", "build/p50"
    );
    let mut search_lines = Vec::new();
    for result in results {
        let mut sorted: Vec<f64> = result.latencies.iter().copied().map(ms).collect();
        sorted.sort_by(f64::total_cmp);
        let mut rebuilds = result.rebuilds.clone();
        rebuilds.sort_by(f64::total_cmp);
        let rebuild = if rebuilds.len() == sorted.len() {
            format!("{:.0}", percentile(&rebuilds, 50.0))
        } else {
            "n/a".into()
        };
        let p50 = percentile(&sorted, 50.0);
        println!(
            "  {:<18} {:>6} {:>10} {:>6} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9} {:>9.1}×",
            result.name,
            result.pages,
            seconds(result.build),
            sorted.len(),
            p50,
            percentile(&sorted, 95.0),
            sorted[0],
            sorted[sorted.len() - 1],
            rebuild,
            ms(result.build) / p50.max(f64::MIN_POSITIVE)
        );
        let mut searches = result.searches.clone();
        searches.sort_by(f64::total_cmp);
        if !searches.is_empty() {
            search_lines.push(format!(
                "  {}: the search entries of {} edits took p50 {:.0} ms, max {:.0} ms after the reload",
                result.name,
                searches.len(),
                percentile(&searches, 50.0),
                searches[searches.len() - 1]
            ));
        }
    }
    println!("  (rebuild: the median rebuild time folio serve logged for the same edits)");
    for line in search_lines {
        println!("{line}");
    }
    for result in results {
        for (path, load) in &result.loads {
            println!(
                "  wrk {} on the {} {path}: {:.0} requests/sec, p50 {:.2} ms, p99 {:.2} ms, errors: {}, connections answered ≈ {:.1} of {CONNECTIONS}",
                WRK_ARGS.join(" "),
                result.name,
                load.requests_per_second,
                load.p50,
                load.p99,
                load.error_count(),
                load.busy_connections()
            );
        }
    }
}

/// The number a text starts with (`207 ms` → 207), or 0.
fn leading_number(text: &str) -> f64 {
    let number: String = text
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number.parse().unwrap_or(0.0)
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn seconds(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}
