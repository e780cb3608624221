//! The relevance benchmark: question sets (tests/relevance/*.toml) of what readers type into a
//! handbook's search, each with the pages that answer it, asked of Folio's `folio search`, of
//! Folio's browser client in headless Chromium and, when it is installed, of Pagefind run on the
//! same output. A question is a hit when one of its pages is among the first three distinct pages
//! (a page's sections fill one place). The test prints one table (set, questions, top-3 hit rate
//! of each engine, and the CLI's on the odd- and even-numbered halves) and the questions each engine misses, then asserts the targets: each set's
//! `target` (90 % unless the set says otherwise) for both Folio clients, and Pagefind's rate plus
//! 10 points when Pagefind ran. `bench/relevance` runs it with FOLIO_RELEVANCE_REPORT=FILE: the
//! report goes to FILE too, and nothing is asserted.
//!
//! The handbook set builds a copy of this repository's handbook; the others `folio import` a copy
//! of a corpus under ../shared/corpora, then build it (they skip loudly when ../shared is absent
//! and fail under FOLIO_REQUIRE_SHARED=1). Pagefind is FOLIO_PAGEFIND (its executable), else the
//! one bench/run installs into target/bench/pagefind, else `pagefind` on the PATH; without it the
//! column says so, and FOLIO_REQUIRE_PAGEFIND=1 (as CI sets) fails the test instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::chromium::{Browser, StaticServer};
use crate::import::{corpus_copy, string, written};
use crate::support::{REPO_ROOT, SiteTest};

/// The question sets, in the table's order: files tests/relevance/NAME.toml.
const SETS: &[&str] = &[
    "handbook",
    "engineering-playbook",
    "opensource-guide",
    "ospo-book",
    "cms-ospo-guide",
];
/// How high an expected page must rank.
const TOP: usize = 3;
/// How many distinct pages a miss shows.
const SHOWN: usize = 5;
/// A set's target when its file names none, in percent.
const DEFAULT_TARGET: f64 = 90.0;
/// How many points Folio must stay above Pagefind on every set.
const MARGIN_OVER_PAGEFIND: f64 = 10.0;
/// The fewest questions a set may hold.
const MIN_QUESTIONS: usize = 30;
/// The Pagefind version bench/run installs.
const PAGEFIND_VERSION: &str = "1.6.0";

/// One file of tests/relevance/.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetFile {
    /// The folder under ../shared/corpora; none for this repository's handbook.
    corpus: Option<String>,
    /// The top-3 hit rate to reach, in percent.
    target: Option<f64>,
    #[serde(rename = "question")]
    questions: Vec<Question>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    /// What the reader types.
    ask: String,
    /// The URL paths of the pages that answer it.
    expect: Vec<String>,
}

/// The first distinct pages each engine gave, one list per question; None when it did not run.
struct Measured {
    name: String,
    set: SetFile,
    cli: Vec<Vec<String>>,
    browser: Option<Vec<Vec<String>>>,
    pagefind: Option<Vec<Vec<String>>>,
}

#[test]
fn every_question_set_reaches_its_top_3_targets() {
    let pagefind = pagefind();
    let mut browser = Browser::launch("every_question_set_reaches_its_top_3_targets");
    let mut measured = Vec::new();
    for name in SETS {
        let set = load(name);
        let Some((site, output)) = built(&set) else {
            continue; // said loudly by corpus_copy
        };
        check_expected_pages_exist(name, &set, &output);
        let cli = set
            .questions
            .iter()
            .map(|q| cli_pages(&site, &q.ask))
            .collect();
        let mut row = Measured {
            name: name.to_string(),
            set,
            cli,
            browser: None,
            pagefind: None,
        };
        if let Some(browser) = &mut browser {
            if let Some(exe) = &pagefind {
                index_with_pagefind(exe, &output);
            }
            let server = StaticServer::start(&output);
            browser.goto(&format!("{}/", server.origin));
            browser.wait_for("window.FolioSearch && window.FolioSearch.engine");
            row.browser = Some(browser_pages(browser, &row.set, Engine::Folio));
            if pagefind.is_some() {
                row.pagefind = Some(browser_pages(browser, &row.set, Engine::Pagefind));
            }
        }
        measured.push(row);
    }
    let report = report(&measured, pagefind.as_ref());
    println!("{report}");
    if let Some(path) = std::env::var_os("FOLIO_RELEVANCE_REPORT") {
        std::fs::write(&path, &report).expect("write the FOLIO_RELEVANCE_REPORT file");
        return;
    }
    let failures = failures(&measured);
    assert!(
        failures.is_empty(),
        "relevance targets missed:\n{}\n\n{report}",
        failures.join("\n")
    );
}

/// Reads and checks tests/relevance/NAME.toml.
#[track_caller]
fn load(name: &str) -> SetFile {
    let path = Path::new(REPO_ROOT).join(format!("tests/relevance/{name}.toml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let set: SetFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        set.questions.len() >= MIN_QUESTIONS,
        "{}: {} questions, at least {MIN_QUESTIONS} wanted",
        path.display(),
        set.questions.len()
    );
    for (i, q) in set.questions.iter().enumerate() {
        assert!(
            !q.expect.is_empty(),
            "{}: `{}` expects no page",
            path.display(),
            q.ask
        );
        assert!(
            !set.questions[..i].iter().any(|other| other.ask == q.ask),
            "{}: `{}` is asked twice",
            path.display(),
            q.ask
        );
    }
    set
}

/// The set's site, built for a server at the root of a local origin, and its output folder.
fn built(set: &SetFile) -> Option<(SiteTest, PathBuf)> {
    let site = match &set.corpus {
        None => SiteTest::handbook(),
        Some(corpus) => {
            let site = corpus_copy(corpus)?;
            site.folio(&["import"]).assert_success();
            site
        }
    };
    // Configured base URLs are public hosts (with a path, for some corpora).
    site.build(&["--base-url", "/"]).assert_success();
    let output = site.path(string(&written(&site), "output_dir").unwrap_or("public"));
    Some((site, output))
}

/// Every expected URL is a page of the output: a typo in a set file fails, not just misses.
#[track_caller]
fn check_expected_pages_exist(name: &str, set: &SetFile, output: &Path) {
    let missing: Vec<String> = set
        .questions
        .iter()
        .flat_map(|q| q.expect.iter().map(move |url| (q, url)))
        .filter(|(_, url)| {
            !output
                .join(url.trim_start_matches('/'))
                .join("index.html")
                .is_file()
        })
        .map(|(q, url)| format!("`{}` expects {url}", q.ask))
        .collect();
    assert!(
        missing.is_empty(),
        "tests/relevance/{name}.toml names pages the build did not write:\n{}",
        missing.join("\n")
    );
}

/// The page a result belongs to: its URL path without an origin, `#section` or `index.html`.
fn page_of(url: &str) -> String {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    };
    let path = path.split(['#', '?']).next().unwrap_or(path);
    path.strip_suffix("index.html").unwrap_or(path).to_string()
}

/// The first `SHOWN` distinct pages among result URLs, best first.
fn distinct_pages<'a>(urls: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut pages: Vec<String> = Vec::new();
    for page in urls.into_iter().map(page_of) {
        if pages.len() < SHOWN && !pages.contains(&page) {
            pages.push(page);
        }
    }
    pages
}

/// The pages `folio search --json` gives for a question.
fn cli_pages(site: &SiteTest, ask: &str) -> Vec<String> {
    // Sections of one page may fill several places; ask for enough to see SHOWN pages.
    let run = site.folio(&["search", ask, "--json", "--limit", "30"]);
    if run.code == 1 {
        return Vec::new(); // no results: a miss
    }
    run.assert_success();
    let hits: Value = serde_json::from_str(&run.stdout).expect("JSON results");
    let hits = hits
        .as_array()
        .or_else(|| hits["results"].as_array())
        .cloned()
        .unwrap_or_default();
    distinct_pages(hits.iter().map(|h| h["url"].as_str().unwrap_or_default()))
}

#[derive(Clone, Copy)]
enum Engine {
    Folio,
    Pagefind,
}

/// Every question of the set through one engine in the page open in `browser`, one after
/// another in one evaluation: Folio's client as its results page runs it (whole words), or
/// Pagefind's (`search`, then the data of the first results, which holds their URLs).
fn browser_pages(browser: &mut Browser, set: &SetFile, engine: Engine) -> Vec<Vec<String>> {
    let asks: Vec<&str> = set.questions.iter().map(|q| q.ask.as_str()).collect();
    let one = match engine {
        Engine::Folio => format!(
            "const results = await window.FolioSearch.engine.search(q, {{ prefix: false, limit: {} }});
             out.push(results.map(r => r.url));",
            SHOWN * 2
        ),
        Engine::Pagefind => format!(
            "if (!window.__pf) {{
               window.__pf = await import('/pagefind/pagefind.js');
               await window.__pf.options({{ noWorker: true }});
               await window.__pf.init();
             }}
             const s = await window.__pf.search(q);
             const data = await Promise.all(s.results.slice(0, {SHOWN}).map(r => r.data()));
             out.push(data.map(d => d.url));"
        ),
    };
    let script = format!(
        "(async () => {{ const out = []; for (const q of {asks}) {{ {one} }} return out; }})()",
        asks = json!(asks)
    );
    let urls: Vec<Vec<String>> =
        serde_json::from_value(browser.eval(&script)).expect("a list of URLs per question");
    urls.iter()
        .map(|list| distinct_pages(list.iter().map(String::as_str)))
        .collect()
}

/// Pagefind's executable and its version, or None (said loudly; a failure under
/// FOLIO_REQUIRE_PAGEFIND=1).
fn pagefind() -> Option<(PathBuf, String)> {
    let bench = Path::new(REPO_ROOT).join("target/bench/pagefind/node_modules/.bin/pagefind");
    let candidates = std::env::var_os("FOLIO_PAGEFIND")
        .map(PathBuf::from)
        .into_iter()
        .chain([bench, PathBuf::from("pagefind")]);
    for exe in candidates {
        if let Ok(out) = Command::new(&exe).arg("--version").output()
            && out.status.success()
        {
            let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
            return Some((exe, version));
        }
    }
    assert!(
        std::env::var_os("FOLIO_REQUIRE_PAGEFIND").is_none(),
        "FOLIO_REQUIRE_PAGEFIND is set but Pagefind was not found (set FOLIO_PAGEFIND to the \
         executable `npm install pagefind@{PAGEFIND_VERSION}` installs)"
    );
    eprintln!(
        "\n*** relevance: Pagefind not found, its column is skipped \
         (npm install pagefind@{PAGEFIND_VERSION} --prefix DIR; FOLIO_PAGEFIND=DIR/node_modules/.bin/pagefind) ***\n"
    );
    None
}

/// Runs Pagefind on Folio's output, as a team adding it to the site would: `pagefind --site`.
#[track_caller]
fn index_with_pagefind((exe, _): &(PathBuf, String), output: &Path) {
    let run = Command::new(exe)
        .arg("--site")
        .arg(output)
        .output()
        .expect("run pagefind");
    assert!(
        run.status.success(),
        "pagefind --site {} failed:\n{}",
        output.display(),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Hits among `answers`: questions with an expected page in the first `TOP` pages.
fn hits(set: &SetFile, answers: &[Vec<String>]) -> usize {
    set.questions
        .iter()
        .zip(answers)
        .filter(|(q, pages)| pages.iter().take(TOP).any(|p| q.expect.contains(p)))
        .count()
}

/// Hits and questions among the odd-numbered questions (1st, 3rd, …) and the even-numbered ones:
/// ranking rules are developed on the odd half and checked on the even half.
fn halves(set: &SetFile, answers: &[Vec<String>]) -> String {
    let half = |odd: bool| {
        let asked: Vec<(&Question, &Vec<String>)> = set
            .questions
            .iter()
            .zip(answers)
            .enumerate()
            .filter(|(i, _)| (i % 2 == 0) == odd)
            .map(|(_, pair)| pair)
            .collect();
        let hit = asked
            .iter()
            .filter(|(q, pages)| pages.iter().take(TOP).any(|p| q.expect.contains(p)))
            .count();
        format!("{hit}/{}", asked.len())
    };
    format!("{} / {}", half(true), half(false))
}

fn rate(set: &SetFile, answers: &[Vec<String>]) -> f64 {
    100.0 * hits(set, answers) as f64 / set.questions.len() as f64
}

fn target(set: &SetFile) -> f64 {
    set.target.unwrap_or(DEFAULT_TARGET)
}

/// The table, then every miss with what came first instead.
fn report(measured: &[Measured], pagefind: Option<&(PathBuf, String)>) -> String {
    let pagefind_name = pagefind.map_or("Pagefind".to_string(), |(_, v)| {
        v.replace("pagefind ", "Pagefind ")
    });
    let cell = |row: &Measured, answers: &Option<Vec<Vec<String>>>, missing: &str| match answers {
        Some(a) => format!(
            "{:.1} % ({}/{})",
            rate(&row.set, a),
            hits(&row.set, a),
            a.len()
        ),
        None => missing.to_string(),
    };
    let mut out = format!(
        "| set | questions | target | Folio CLI | CLI odd / even | Folio browser | {pagefind_name} |\n|---|---:|---:|---:|---:|---:|---:|\n"
    );
    for row in measured {
        out += &format!(
            "| {} | {} | {:.0} % | {} | {} | {} | {} |\n",
            row.name,
            row.set.questions.len(),
            target(&row.set),
            cell(row, &Some(row.cli.clone()), ""),
            halves(&row.set, &row.cli),
            cell(row, &row.browser, "no Chromium"),
            cell(
                row,
                &row.pagefind,
                if pagefind.is_none() {
                    "not installed"
                } else {
                    "no Chromium"
                }
            ),
        );
    }
    for row in measured {
        let engines = [
            ("Folio CLI", Some(&row.cli)),
            ("Folio browser", row.browser.as_ref()),
            (pagefind_name.as_str(), row.pagefind.as_ref()),
        ];
        for (engine, answers) in engines {
            let Some(answers) = answers else { continue };
            let misses: Vec<String> = row
                .set
                .questions
                .iter()
                .zip(answers)
                .filter(|(q, pages)| !pages.iter().take(TOP).any(|p| q.expect.contains(p)))
                .map(|(q, pages)| {
                    format!(
                        "  `{}`: expected {}, got {}",
                        q.ask,
                        q.expect.join(" or "),
                        if pages.is_empty() {
                            "nothing".to_string()
                        } else {
                            pages.join(", ")
                        }
                    )
                })
                .collect();
            if !misses.is_empty() {
                out += &format!(
                    "\n{}, {engine}: {} misses\n{}\n",
                    row.name,
                    misses.len(),
                    misses.join("\n")
                );
            }
        }
    }
    out
}

/// One line per target missed.
fn failures(measured: &[Measured]) -> Vec<String> {
    let mut failures = Vec::new();
    for row in measured {
        let pagefind = row.pagefind.as_ref().map(|a| rate(&row.set, a));
        for (engine, answers) in [
            ("Folio CLI", Some(&row.cli)),
            ("Folio browser", row.browser.as_ref()),
        ] {
            let Some(answers) = answers else { continue };
            let folio = rate(&row.set, answers);
            if folio < target(&row.set) {
                failures.push(format!(
                    "{}: {engine} {folio:.1} % is under the target of {:.0} %",
                    row.name,
                    target(&row.set)
                ));
            }
            if let Some(pagefind) = pagefind
                && folio < pagefind + MARGIN_OVER_PAGEFIND
            {
                failures.push(format!(
                    "{}: {engine} {folio:.1} % is under Pagefind's {pagefind:.1} % plus {MARGIN_OVER_PAGEFIND:.0} points",
                    row.name
                ));
            }
        }
    }
    failures
}
