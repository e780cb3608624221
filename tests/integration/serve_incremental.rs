//! `folio serve` rebuilds incrementally: an edit to a page's body rewrites that page and its
//! search entries alone; an edit that changes what other pages show (a title, a new or deleted
//! file) rebuilds everything, leaving no stale page behind.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use folio::search::index_dir;
use folio::search::query::{Request, SearchIndex};
use serde_json::Value;

use crate::chromium::Browser;
use crate::search::{assert_same_ranking, browser_ranking, write_approval_notes};
use crate::serve::{SERVE_OUTPUT, Server};
use crate::support::SiteTest;

/// When each file under `dir` was last written.
fn written_times(dir: &Path) -> BTreeMap<PathBuf, SystemTime> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let modified = e.metadata().unwrap().modified().unwrap();
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), modified)
        })
        .collect()
}

/// The URLs `/api/search` answers `query` with, best first.
fn search_urls(server: &Server, query: &str) -> Vec<String> {
    let reply = server.get(&format!("/api/search?q={query}"));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let hits: Value = serde_json::from_slice(&reply.body).unwrap();
    hits.as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["url"].as_str().unwrap().to_string())
        .collect()
}

/// Waits for the server's line about its `nth` rebuild (from 1).
fn wait_for_rebuild(server: &mut Server, nth: usize) -> String {
    server.wait_for_nth_log("Rebuilt after", nth)
}

/// Waits for the server's line about its `nth` search update (from 1), which the search worker
/// prints once the index and the export hold the edits it took.
pub(crate) fn wait_for_search(server: &mut Server, nth: usize) -> String {
    server.wait_for_nth_log("Search updated for ", nth)
}

#[test]
fn a_body_edit_rewrites_that_page_alone_and_updates_its_search_entries() {
    let site = SiteTest::fixture("serve/site");
    let mut server = Server::start(&site, &[]);
    let output = site.path(SERVE_OUTPUT);
    let before = written_times(&output);
    assert!(search_urls(&server, "zanzibarite").is_empty());
    let mut events = server.events();

    let text = site.read("content/guide/usage.md").replace(
        "Every jar of marmalade in the building.",
        "Every jar of marmalade in the building, zanzibarite jars included.",
    );
    site.write("content/guide/usage.md", &text);
    events.expect("reload");
    let line = wait_for_rebuild(&mut server, 1);
    assert!(
        line.starts_with("Rebuilt after content/guide/usage.md changed: updated 1 page in "),
        "{line}"
    );
    assert!(
        server
            .get("/guide/usage/")
            .text()
            .contains("zanzibarite jars included")
    );
    let line = wait_for_search(&mut server, 1);
    assert!(
        line.starts_with("Search updated for content/guide/usage.md in "),
        "{line}"
    );

    // Only the page and the export files its new word touches were written again.
    let after = written_times(&output);
    let rewritten: Vec<&PathBuf> = after
        .iter()
        .filter(|(path, time)| before.get(*path) != Some(time))
        .map(|(path, _)| path)
        .collect();
    let pages: Vec<&&PathBuf> = rewritten
        .iter()
        .filter(|p| !p.starts_with("_search"))
        .collect();
    assert_eq!(pages, [&&PathBuf::from("guide/usage/index.html")]);
    let export = before.keys().filter(|p| p.starts_with("_search")).count();
    let rewritten_export = rewritten.len() - pages.len();
    assert!(
        rewritten_export > 0 && rewritten_export < export,
        "{rewritten_export} of {export} export files rewritten: {rewritten:?}"
    );

    // The tantivy index answers with the section that has the new word.
    assert_eq!(search_urls(&server, "zanzibarite"), ["/guide/usage/#scope"]);
}

#[test]
fn a_new_heading_gets_a_search_entry_of_its_own() {
    let site = SiteTest::fixture("serve/site");
    let mut server = Server::start(&site, &[]);
    let mut events = server.events();
    let mut text = site.read("content/guide/usage.md");
    text.push_str("\n## Quokka storage\n\nWhere the quokka-shaped jars are kept.\n");
    site.write("content/guide/usage.md", &text);
    events.expect("reload");
    let line = wait_for_rebuild(&mut server, 1);
    assert!(line.contains("updated 1 page"), "{line}");
    wait_for_search(&mut server, 1);
    let live = search_urls(&server, "quokka");
    assert_eq!(live[0], "/guide/usage/#quokka-storage", "{live:?}");
    // The same answer as a full build of the edited site.
    site.build(&[]).assert_success();
    let run = site.folio(&["search", "quokka", "--json"]);
    let hits: Value = serde_json::from_str(&run.stdout).unwrap();
    let full: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["url"].as_str().unwrap())
        .collect();
    assert_eq!(live, full);
}

#[test]
fn a_title_edit_rebuilds_the_pages_that_show_it() {
    let site = SiteTest::fixture("serve/site");
    let mut server = Server::start(&site, &[]);
    let mut events = server.events();
    let text = site
        .read("content/guide/usage.md")
        .replace("title: Acceptable use", "title: Marmalade rules");
    site.write("content/guide/usage.md", &text);
    events.expect("reload");
    let line = wait_for_rebuild(&mut server, 1);
    assert!(line.contains("4 pages (2 sections)"), "{line}");
    // Another page's sidebar shows the new title.
    assert!(
        server
            .get("/guide/other/")
            .text()
            .contains("Marmalade rules")
    );
    // So does the page catalogue: a body edit cannot change it, a title edit rewrites it.
    assert!(
        server
            .get("/catalog.json")
            .text()
            .contains("\"title\":\"Marmalade rules\"")
    );
}

#[test]
fn new_and_deleted_pages_leave_no_stale_page_behind() {
    let site = SiteTest::fixture("serve/site");
    let mut server = Server::start(&site, &[]);
    let mut events = server.events();
    site.write(
        "content/guide/added.md",
        "---\ntitle: Added page\n---\n\nA page about wombats.\n",
    );
    events.expect("reload");
    wait_for_rebuild(&mut server, 1);
    assert_eq!(server.get("/guide/added/").status, 200);
    assert_eq!(search_urls(&server, "wombats"), ["/guide/added/"]);

    std::fs::remove_file(site.path("content/guide/added.md")).unwrap();
    events.expect("reload");
    wait_for_rebuild(&mut server, 2);
    assert_eq!(server.get("/guide/added/").status, 404);
    assert!(!site.path(SERVE_OUTPUT).join("guide/added").exists());
    assert!(search_urls(&server, "wombats").is_empty());
}

#[test]
fn an_edit_that_breaks_a_link_into_the_page_is_an_error_until_fixed() {
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    let good = site.read("content/guide/usage.md");
    // other.md links to usage.md#scope.
    site.write(
        "content/guide/usage.md",
        &good.replace("## Scope", "## Range"),
    );
    let event = events.expect("build-error");
    let message = event.data.to_string();
    assert!(
        message.contains("content/guide/other.md") && message.contains("#scope"),
        "{message}"
    );
    assert!(server.get("/guide/usage/").text().contains("Scope"));
    site.write("content/guide/usage.md", &good);
    events.expect("reload");
}

#[test]
fn the_browser_finds_a_word_added_while_serving() {
    let Some(mut browser) = Browser::launch("the_browser_finds_a_word_added_while_serving") else {
        return;
    };
    let site = SiteTest::fixture("serve/site");
    let mut server = Server::start(&site, &[]);
    let mut events = server.events();
    let text = site.read("content/guide/usage.md").replace(
        "The first version of the marmalade policy.",
        "The first version of the marmalade policy, with a zanzibarite clause.",
    );
    site.write("content/guide/usage.md", &text);
    events.expect("reload");
    assert!(wait_for_rebuild(&mut server, 1).contains("updated 1 page"));
    wait_for_search(&mut server, 1);
    // The results page runs its query in the browser, on the static export.
    browser.goto(&server.url("/search/?q=zanzibarite"));
    browser.wait_for(
        "Array.from(document.querySelectorAll('.search-page-results .search-result')).some(a => a.href.endsWith('/guide/usage/'))",
    );
    browser.screenshot("serve-search-after-edit");
}

#[test]
fn the_search_api_searches_the_language_asked_for_and_follows_its_edits() {
    let site = SiteTest::fixture("compat/hugo");
    let mut server = Server::start(&site, &[]);
    assert_eq!(
        search_urls(&server, "mariposa&lang=es"),
        ["/es/guide/#primeros-pasos"]
    );
    assert!(search_urls(&server, "mariposa").is_empty(), "English only");
    assert!(search_urls(&server, "mariposa&lang=en").is_empty());
    let reply = server.get("/api/search?q=x&lang=..%2Fx");
    assert_eq!(reply.status, 400, "{}", reply.text());

    // An edit to a Spanish page updates the Spanish index in place.
    let mut events = server.events();
    let text = site
        .read("content/es/guide.md")
        .replace("La mariposa", "La libélula");
    site.write("content/es/guide.md", &text);
    events.expect("reload");
    let line = wait_for_rebuild(&mut server, 1);
    assert!(line.contains("updated 1 page"), "{line}");
    wait_for_search(&mut server, 1);
    assert_eq!(
        search_urls(&server, "lib%C3%A9lula&lang=es"),
        ["/es/guide/#primeros-pasos"]
    );
    assert!(search_urls(&server, "mariposa&lang=es").is_empty());
}

#[test]
fn the_export_packs_are_served_by_parts_as_the_search_client_reads_them() {
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &[]);
    let packs = site.path(SERVE_OUTPUT).join("_search/d");
    let pack = std::fs::read_dir(&packs).unwrap().next().unwrap().unwrap();
    let whole = std::fs::read(pack.path()).unwrap();
    let name = pack.file_name().into_string().unwrap();
    let ask = |range: &str| {
        server.raw(
            format!(
                "GET /_search/d/{name} HTTP/1.1\r\nHost: {}\r\nRange: {range}\r\nConnection: close\r\n\r\n",
                server.address()
            )
            .as_bytes(),
        )
    };
    let part = ask("bytes=4-11");
    assert_eq!(part.status, 206);
    assert_eq!(part.body, whole[4..12]);
    let total = whole.len();
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 4-11/{total}").as_str())
    );
    // A range past the end, of another unit, or one the server does not take apart (a suffix,
    // several ranges, a reversed one, a number past any file's size) gets the whole file.
    for range in [
        format!("bytes={total}-"),
        "items=1-2".to_string(),
        "bytes=-5".to_string(),
        "bytes=0-1,4-5".to_string(),
        "bytes=9-2".to_string(),
        "bytes=99999999999999999999999999-".to_string(),
    ] {
        let reply = ask(&range);
        assert_eq!(reply.status, 200, "{range}");
        assert_eq!(reply.body, whole, "{range}");
    }
    // A range as large as a number can be stops at the file's end.
    let all = ask(&format!("bytes=0-{}", usize::MAX));
    assert_eq!(all.status, 206);
    assert_eq!(all.body, whole);
    // A range never reaches a file outside the output, nor turns a missing file into a part.
    for path in ["/_search/d/../../../site.toml", "/_search/d/missing.bin"] {
        let reply = server.raw(
            format!(
                "GET {path} HTTP/1.1\r\nHost: {}\r\nRange: bytes=0-3\r\nConnection: close\r\n\r\n",
                server.address()
            )
            .as_bytes(),
        );
        assert_ne!(reply.status, 206, "{path}");
        assert!(
            !String::from_utf8_lossy(&reply.body).contains("title ="),
            "{path}"
        );
    }
}

/// Edits the answer of the FAQ `faq` (content/…) of fixture `fixture` while serving, and checks
/// that the FAQ page and the hub at /faq/ show the new answer, rewritten in place with no other
/// page, exactly as a full build writes them, and that search finds the new word on the FAQ.
fn edit_an_faq_answer(fixture: &str, faq: &str, faq_url: &str) {
    let site = SiteTest::fixture(fixture);
    let mut server = Server::start(&site, &[]);
    let output = site.path(SERVE_OUTPUT);
    let before = written_times(&output);
    assert!(!server.get("/faq/").text().contains("wombat"));
    let mut events = server.events();

    let text = site.read(faq).replace(
        "grants the project extra rights.",
        "grants the project extra rights, wombat clauses included.",
    );
    site.write(faq, &text);
    events.expect("reload");
    let line = wait_for_rebuild(&mut server, 1);
    assert!(
        line.starts_with(&format!("Rebuilt after {faq} changed: updated 1 page in ")),
        "{line}"
    );
    let new_answer = "extra rights, wombat clauses included.";
    assert!(server.get(faq_url).text().contains(new_answer));
    let hub = server.get("/faq/").text();
    assert!(hub.contains(new_answer), "{hub}");
    // The hub's schema.org data holds the answer too.
    assert_eq!(hub.matches("wombat clauses").count(), 2, "{hub}");

    // The FAQ and the hub were written again, and no other page.
    let after = written_times(&output);
    let pages: Vec<&PathBuf> = after
        .iter()
        .filter(|(path, time)| before.get(*path) != Some(time) && !path.starts_with("_search"))
        .map(|(path, _)| path)
        .collect();
    let faq_html = PathBuf::from(format!("{}index.html", faq_url.trim_start_matches('/')));
    let mut expected = [PathBuf::from("faq/index.html"), faq_html.clone()];
    expected.sort();
    assert_eq!(pages, expected.iter().collect::<Vec<_>>());

    // Both as a full build of the edited site writes them.
    let built = site.build(&["--base-url", &server.url("/"), "--output", "full"]);
    built.assert_success();
    for page in ["faq/index.html", faq_html.to_str().unwrap()] {
        assert_eq!(
            std::fs::read_to_string(output.join(page)).unwrap(),
            site.read(&format!("full/{page}")),
            "{page}"
        );
    }
    wait_for_search(&mut server, 1);
    assert_eq!(search_urls(&server, "wombat"), [faq_url]);
}

#[test]
fn an_faq_answer_edit_updates_the_faq_and_the_hub_section_in_place() {
    edit_an_faq_answer("faq/site", "content/faq/cla.md", "/faq/cla/");
}

#[test]
fn an_faq_answer_edit_updates_the_faq_and_the_hub_folio_writes_in_place() {
    edit_an_faq_answer("faq/no_section", "content/help/cla.md", "/help/cla/");
}

/// After edits made while serving, the browser client, on the export the edits updated in
/// place, ranks as tantivy does on the index they updated; and both rank as a clean build of
/// the edited site does. "approval" is in more documents than a vocabulary shard holds, so its
/// further postings (in `p/` packs) change too.
#[test]
fn after_edits_the_browser_client_ranks_as_tantivy_and_as_a_clean_build() {
    let Some(mut browser) =
        Browser::launch("after_edits_the_browser_client_ranks_as_tantivy_and_as_a_clean_build")
    else {
        return;
    };
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"Approvals\"\n");
    write_approval_notes(&site, 120, |_| "records kept");
    let mut server = Server::start(&site, &[]);
    let mut events = server.events();
    let edits = [
        (
            "content/notes/note-007.md",
            " after.\n",
            " after.\n\nApproval, approval: zanzibarite owners.\n",
        ),
        (
            "content/notes/note-050.md",
            " records kept.",
            " records kept twice, approval zanzibarite.",
        ),
        (
            "content/notes/note-100.md",
            "## Owners",
            "## Owners\n\nNo records",
        ),
    ];
    for (n, (file, from, to)) in edits.into_iter().enumerate() {
        let text = site.read(file).replacen(from, to, 1);
        site.write(file, &text);
        events.expect("reload");
        let line = wait_for_rebuild(&mut server, n + 1);
        assert!(line.contains("updated 1 page"), "{line}");
        // One update an edit: each waits for the one before.
        let line = wait_for_search(&mut server, n + 1);
        assert!(line.contains(file), "{line}");
    }

    let live = SearchIndex::open(&index_dir(&site.path(SERVE_OUTPUT))).expect("the live index");
    site.build(&["--output", "full"]).assert_success();
    let full = SearchIndex::open(&index_dir(&site.path("full"))).expect("the clean build's index");
    browser.goto(&server.url("/"));
    browser.wait_for("window.FolioSearch && window.FolioSearch.engine");
    for (query, prefix) in [
        ("approval", false),
        ("approval records", false),
        ("zanzibarite", false),
        ("zanzi", true),
        ("owners records", false),
    ] {
        let request = Request {
            query: query.to_string(),
            limit: 10,
            prefix,
            ..Request::default()
        };
        let expected = live.rank_plain(&request).expect("tantivy ranks");
        assert!(!expected.is_empty(), "`{query}`");
        let got = browser_ranking(&mut browser, &request);
        assert_same_ranking(query, &expected, &got);
        // A clean build numbers the documents without the spare numbers the served build
        // keeps for edits, and its statistics count no replaced documents (tantivy counts
        // them in document frequencies and lengths until it merges them away): it lists the
        // same URLs in the same order, but for ties (listed by number), with scores a little off.
        let hits = |index: &SearchIndex| -> Vec<(String, f32)> {
            let hits = index.search(&request).expect("tantivy searches");
            hits.into_iter().map(|hit| (hit.url, hit.score)).collect()
        };
        let (served, clean) = (hits(&live), hits(&full));
        assert_eq!(served.len(), clean.len(), "`{query}`: {served:?} {clean:?}");
        let close = |a: f32, b: f32| (a - b).abs() <= 1e-5 * a.abs().max(1.0);
        for (a, b) in served.iter().zip(&clean) {
            let tied = served.iter().filter(|other| close(other.1, a.1)).count() > 1;
            assert!(tied || a.0 == b.0, "`{query}`: {served:?}\n{clean:?}");
        }
    }
}

/// The URLs the browser client finds for `query` on the served export, in a fresh page load (so
/// that it reads the export's entry as it is now); `None` without Chromium.
fn export_urls(browser: Option<&mut Browser>, server: &Server, query: &str) -> Option<Vec<String>> {
    let browser = browser?;
    browser.goto(&server.url("/"));
    browser.wait_for("window.FolioSearch && window.FolioSearch.engine");
    Some(browser.search_urls(query))
}

/// Starts the server on `site` with its search updates held while the returned file exists
/// (`FOLIO_TEST_HOLD_SEARCH`), which it does until the test removes it.
fn start_holding_search(site: &SiteTest) -> (Server, PathBuf) {
    let hold = site.path("hold-search");
    std::fs::write(&hold, "").unwrap();
    let server = Server::start_with_env(site, &[], &[("FOLIO_TEST_HOLD_SEARCH", &hold)]);
    (server, hold)
}

/// Replaces `from` with `to` in content/guide/usage.md, and waits for the page to reload.
fn edit_usage(site: &SiteTest, events: &mut crate::serve::Events, from: &str, to: &str) {
    let text = site.read("content/guide/usage.md");
    assert!(text.contains(from), "{from}");
    site.write("content/guide/usage.md", &text.replace(from, to));
    events.expect("reload");
}

/// The search update after an edit runs on a thread of its own: while it is under way (held by
/// the test), a second edit of the page still reloads the pages at once, and search answers
/// from the index and export as they were before both. The two edits are then one update, with
/// the second's text: the API and the browser's export find its word, and not the first's.
#[test]
fn a_second_edit_reloads_while_the_first_edits_search_update_is_under_way() {
    let mut browser =
        Browser::launch("a_second_edit_reloads_while_the_first_edits_search_update_is_under_way");
    let site = SiteTest::fixture("serve/site");
    let (mut server, hold) = start_holding_search(&site);
    let mut events = server.events();
    let sentence = "Every jar of marmalade in the building.";
    edit_usage(
        &site,
        &mut events,
        sentence,
        "Every aardvark jar of marmalade.",
    );
    wait_for_rebuild(&mut server, 1);
    // The worker has taken the first edit's update up, and holds it.
    server.wait_for_log("Search update held while");

    edit_usage(
        &site,
        &mut events,
        "Every aardvark jar of marmalade.",
        "Every zanzibarite jar of marmalade.",
    );
    let line = wait_for_rebuild(&mut server, 2);
    assert!(line.contains("updated 1 page"), "{line}");
    assert!(
        server
            .get("/guide/usage/")
            .text()
            .contains("Every zanzibarite jar")
    );
    let log = server.log();
    assert!(!log.contains("Search updated"), "{log}");
    // Meanwhile search has the text from before both edits, whole.
    for word in ["aardvark", "zanzibarite"] {
        assert!(search_urls(&server, word).is_empty(), "{word}");
        if let Some(urls) = export_urls(browser.as_mut(), &server, word) {
            assert!(urls.is_empty(), "{word}: {urls:?}");
        }
    }
    assert_eq!(search_urls(&server, "building"), ["/guide/usage/#scope"]);

    std::fs::remove_file(&hold).unwrap();
    let line = wait_for_search(&mut server, 1);
    assert!(
        line.starts_with("Search updated for content/guide/usage.md (2 edits) in "),
        "{line}"
    );
    assert_eq!(search_urls(&server, "zanzibarite"), ["/guide/usage/#scope"]);
    assert!(search_urls(&server, "aardvark").is_empty());
    assert!(search_urls(&server, "building").is_empty());
    if let Some(urls) = export_urls(browser.as_mut(), &server, "zanzibarite") {
        assert_eq!(urls, ["/guide/usage/#scope"]);
        let none = export_urls(browser.as_mut(), &server, "aardvark").unwrap();
        assert!(none.is_empty(), "{none:?}");
    }

    // Both edits were one update: the next edit, of another page, is the next.
    let text = site.read("content/guide/other.md");
    site.write(
        "content/guide/other.md",
        &format!("{text}\nA quokka paragraph.\n"),
    );
    events.expect("reload");
    let line = wait_for_search(&mut server, 2);
    assert!(
        line.starts_with("Search updated for content/guide/other.md in "),
        "{line}"
    );
    assert_eq!(server.log().matches("Search updated for").count(), 2);
}

/// A search update that fails says why and builds the whole site again, whose index then
/// finds the edit; the server serves on.
#[test]
fn a_failed_search_update_is_reported_and_the_site_built_again() {
    let site = SiteTest::fixture("serve/site");
    let (mut server, hold) = start_holding_search(&site);
    let mut events = server.events();
    edit_usage(
        &site,
        &mut events,
        "Every jar of marmalade in the building.",
        "Every zanzibarite jar of marmalade.",
    );
    server.wait_for_log("Search update held while");
    // The update opens the index for writing at the first edit: take it away.
    std::fs::remove_dir_all(index_dir(&site.path(SERVE_OUTPUT))).unwrap();
    std::fs::remove_file(&hold).unwrap();

    let error = server.wait_for_log("error: cannot update the search entries");
    assert!(
        error.starts_with(
            "error: cannot update the search entries of content/guide/usage.md: cannot update the search index: "
        ) && error.ends_with(
            "; building the whole site again (meanwhile search finds the text before the edit)"
        ),
        "{error}"
    );
    events.expect("reload");
    let line = server.wait_for_log("Rebuilt for the search index:");
    assert!(line.contains(" pages ("), "{line}");
    assert_eq!(search_urls(&server, "zanzibarite"), ["/guide/usage/#scope"]);
    assert_eq!(server.get("/guide/usage/").status, 200);

    // Edits are updated in place again.
    edit_usage(&site, &mut events, "zanzibarite", "quokka");
    assert!(wait_for_search(&mut server, 1).contains("content/guide/usage.md"));
    assert_eq!(search_urls(&server, "quokka"), ["/guide/usage/#scope"]);
}

/// Ctrl-C while a search update is under way lets it finish, so that the export the server
/// leaves is whole and holds the edit; then the server exits as a process SIGINT stopped.
#[test]
fn ctrl_c_lets_a_search_update_under_way_finish() {
    let site = SiteTest::fixture("serve/site");
    let (mut server, hold) = interrupt_while_a_search_update_is_held(&site);
    std::fs::remove_file(&hold).unwrap();
    let status = server.wait_for_exit();
    assert_eq!(status.code(), Some(130), "{}", server.log());
    let log = server.log();
    assert!(
        log.contains("Search updated for content/guide/usage.md in "),
        "{log}"
    );

    let output = site.path(SERVE_OUTPUT);
    assert_every_file_the_entry_leads_to_exists(&output);
    let leftovers: Vec<_> = walkdir::WalkDir::new(output.join("_search"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let index = SearchIndex::open(&index_dir(&output)).expect("the index");
    let hits = index
        .search(&Request {
            query: "zanzibarite".into(),
            limit: 10,
            ..Request::default()
        })
        .expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].url, "/guide/usage/#scope");
}

/// A second Ctrl-C stops the server at once, even while a search update is under way (held here
/// for good): the export the server leaves is the one from before the edit, whole.
#[test]
fn a_second_ctrl_c_stops_at_once() {
    let site = SiteTest::fixture("serve/site");
    let (mut server, _hold) = interrupt_while_a_search_update_is_held(&site);
    server.interrupt();
    let status = server.wait_for_exit();
    assert_eq!(status.code(), Some(130), "{}", server.log());
    assert!(!server.log().contains("Search updated"), "{}", server.log());
    assert_every_file_the_entry_leads_to_exists(&site.path(SERVE_OUTPUT));
}

/// Starts the server with its search updates held, edits a page, and presses Ctrl-C while the
/// edit's search update waits; returns once the server says it is stopping.
fn interrupt_while_a_search_update_is_held(site: &SiteTest) -> (Server, PathBuf) {
    let (mut server, hold) = start_holding_search(site);
    let mut events = server.events();
    edit_usage(
        site,
        &mut events,
        "Every jar of marmalade in the building.",
        "Every zanzibarite jar of marmalade.",
    );
    server.wait_for_log("Search update held while");
    server.interrupt();
    let line = server.wait_for_log("Stopping once");
    assert_eq!(
        line,
        "Stopping once the search update under way is done (Ctrl-C again stops at once)"
    );
    (server, hold)
}

/// The export the server leaves is whole: every file its `entry.json` leads to is there.
fn assert_every_file_the_entry_leads_to_exists(output: &Path) {
    for file in crate::deploy_cache::files_the_entry_leads_to(output) {
        assert!(output.join("_search").join(&file).is_file(), "{file}");
    }
}

/// A site whose pages are in `docs/` (`content_dir`) is updated in place as one in content/ is.
#[test]
fn a_body_edit_in_the_content_dir_site_toml_names_updates_that_page_alone() {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"Docs\"\ncontent_dir = \"docs\"\n");
    site.write("docs/index.md", "# Home\n\nSee [setup](setup.md).\n");
    site.write("docs/setup.md", "# Setup\n\nHow to set up a laptop.\n");
    let mut server = Server::start(&site, &[]);
    let mut events = server.events();

    site.write(
        "docs/setup.md",
        "# Setup\n\nHow to set up a quoxitrane laptop.\n",
    );
    events.expect("reload");
    let line = wait_for_rebuild(&mut server, 1);
    assert!(
        line.starts_with("Rebuilt after docs/setup.md changed: updated 1 page in "),
        "{line}"
    );
    assert!(server.get("/setup/").text().contains("quoxitrane laptop"));
    let line = wait_for_search(&mut server, 1);
    assert!(
        line.starts_with("Search updated for docs/setup.md in "),
        "{line}"
    );
    assert_eq!(search_urls(&server, "quoxitrane"), ["/setup/"]);
}
