//! Search quality on the repository's own handbook: the questions an employee types, each with
//! the page that must come up among the first three results, checked through `folio search` and
//! through the browser client (themes/default/static/assets/search.js) in real Chromium.
//!
//! Both count pages, not headings: the browser shows at most one result per page, so a page whose
//! sections match three times still fills one place. The queries are written as a person would
//! type them. When one fails, either the handbook does not answer the question (improve the
//! content) or the ranking is poor (report it); never reword the query until it passes.

use serde_json::{Value, json};

use crate::chromium::{Browser, StaticServer};
use crate::support::SiteTest;

/// `(what the employee types, the page that must be among the first TOP results)`.
#[rustfmt::skip] // one question per line reads as a table
const QUESTIONS: &[(&str, &str)] = &[
    // using open source
    ("can I use GPL code in our product", "/faq/gpl-in-products/"),
    ("copy code from stack overflow", "/faq/copy-from-stack-overflow/"),
    ("github repo with no license", "/faq/no-license-on-github/"),
    ("do I need approval to add a library", "/faq/adding-a-dependency/"),
    ("can I fork a project", "/faq/can-i-fork-a-project/"),
    ("can I use copilot", "/faq/generative-ai-tools/"),
    ("is this dependency maintained", "/faq/choosing-a-healthy-project/"),
    // licensing
    ("Affero licence in a SaaS product", "/faq/agpl-in-products/"),
    ("allowed licenses", "/policies/licenses/"),
    ("LGPL static linking", "/faq/lgpl-libraries/"),
    ("is BUSL open source", "/faq/source-available-licenses/"),
    ("apache NOTICE file", "/faq/mit-and-apache-obligations/"),
    ("MPL licence review", "/playbooks/license-review-request/"),
    ("someone says we violate the GPL", "/faq/license-violation-claim/"),
    // contributing
    ("who approves contributions", "/faq/who-approves-contributions/"),
    ("what is a CLA", "/faq/what-is-a-cla/"),
    ("sign off commits", "/faq/what-is-the-dco/"),
    ("contribute on my own time", "/faq/personal-time-contributions/"),
    ("fix a typo upstream", "/faq/fixing-a-typo-upstream/"),
    ("my first pull request to an open source project", "/faq/first-contribution/"),
    // releasing
    ("how do I open source my project", "/faq/open-sourcing-my-project/"),
    ("which license should our project use", "/faq/which-license-for-our-project/"),
    ("project name trademark", "/policies/trademarks/"),
    ("publish work code on my personal github", "/faq/personal-github-account/"),
    ("steps to release a project on github", "/playbooks/open-sourcing-a-project/"),
    // security
    ("report a vulnerability", "/faq/reporting-a-vulnerability/"),
    ("dependency has a CVE", "/playbooks/cve-response/"),
    ("SBOM format", "/faq/what-is-an-sbom/"),
    ("CVSS score", "/faq/how-urgent-is-a-cve/"),
    ("security.txt", "/faq/security-txt/"),
    // the OSPO
    ("contact the OSPO", "/faq/contacting-the-ospo/"),
    ("what does the OSPO measure", "/faq/what-does-the-ospo-measure/"),
    ("what is InnerSource", "/faq/what-is-innersource/"),
    ("open source training", "/about/training/"),
    ("OSPO maturity model", "/about/maturity-model/"),
    ("quarterly report", "/playbooks/quarterly-report/"),
];

/// How high the expected page must rank.
const TOP: usize = 3;
/// How many pages a failure shows.
const SHOWN: usize = 5;

/// A copy of the repository's handbook, built for a server at the root of a local origin.
fn handbook() -> SiteTest {
    let site = SiteTest::handbook();
    // The configured base URL is a public host; the browser test serves the output locally.
    site.build(&["--base-url", "/"]).assert_success();
    site
}

/// The page a result belongs to: its URL path without an origin or a `#section`.
fn page_of(url: &str) -> String {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    };
    path.split('#').next().unwrap_or(path).to_string()
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

/// One line per question whose page is not in the first `TOP`, with what came up instead.
fn misses(answers: &[Vec<String>]) -> Vec<String> {
    QUESTIONS
        .iter()
        .zip(answers)
        .filter(|((_, expected), pages)| !pages.iter().take(TOP).any(|p| p == expected))
        .map(|((question, expected), pages)| {
            format!("`{question}`: expected {expected} in the top {TOP}, got {pages:?}")
        })
        .collect()
}

#[track_caller]
fn assert_no_misses(client: &str, answers: &[Vec<String>]) {
    assert_eq!(answers.len(), QUESTIONS.len(), "one answer per question");
    let misses = misses(answers);
    assert!(
        misses.is_empty(),
        "{} of {} questions miss their page in {client}:\n{}",
        misses.len(),
        QUESTIONS.len(),
        misses.join("\n")
    );
}

#[test]
fn every_question_finds_its_page_with_folio_search() {
    let site = handbook();
    let answers: Vec<Vec<String>> = QUESTIONS
        .iter()
        .map(|(question, _)| {
            // Sections of one page may fill several places; ask for enough to see SHOWN pages.
            let run = site.folio(&["search", question, "--json", "--limit", "30"]);
            if run.code == 1 {
                return Vec::new(); // no results: reported as a miss below
            }
            run.assert_success();
            let hits: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON results");
            distinct_pages(hits.iter().map(|h| h["url"].as_str().unwrap_or_default()))
        })
        .collect();
    assert_no_misses("`folio search`", &answers);
}

#[test]
fn every_question_finds_its_page_in_the_browser() {
    let Some(mut browser) = Browser::launch("every_question_finds_its_page_in_the_browser") else {
        return;
    };
    let site = handbook();
    let server = StaticServer::start(&site.public());
    browser.goto(&format!("{}/", server.origin));
    browser.wait_for("window.FolioSearch && window.FolioSearch.engine");

    // Every question in one evaluation, one after another, as the results page runs them: whole
    // words (no prefix matching), at most one result per page.
    let questions: Vec<&str> = QUESTIONS.iter().map(|(q, _)| *q).collect();
    let script = format!(
        "(async () => {{
            const out = [];
            for (const q of {questions}) {{
                const results = await window.FolioSearch.engine.search(q, {{ limit: {SHOWN} }});
                out.push(results.map(r => r.url));
            }}
            return out;
        }})()",
        questions = json!(questions)
    );
    let urls: Vec<Vec<String>> =
        serde_json::from_value(browser.eval(&script)).expect("a list of URLs per question");
    let answers: Vec<Vec<String>> = urls
        .iter()
        .map(|list| distinct_pages(list.iter().map(String::as_str)))
        .collect();
    assert_no_misses("the browser client", &answers);
}
