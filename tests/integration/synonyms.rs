//! Synonyms and glossary terms in search: `data/synonyms.yaml` makes the entries of a group
//! find each other's pages in `folio search`, `/api/search` and the browser client (one word or
//! several); a mistake in the file is an error at its line and column; each glossary term is a
//! result of its own that links to its entry on the glossary page, internal terms only in an
//! internal build. Built-in groups (`k8s`, `behaviour`) apply unless site.toml turns them off.

use serde_json::Value;

use crate::chromium::{Browser, StaticServer};
use crate::serve::{SERVE_OUTPUT, Server};
use crate::support::SiteTest;

const SYNONYMS: &str = "# Words that mean the same\n\
                        - words: [accessibility, a11y, screen reader]\n\
                        - words: [SBOM, software bill of materials]\n\
                        - words: [code of conduct, CoC]\n";

const GLOSSARY: &str = "- term: CLA\n  \
                          name: Contributor Licence Agreement\n  \
                          definition: A contract that grants a project rights to contributions.\n  \
                          aliases: [CLAs]\n\
                        - term: Quorum\n  \
                          definition: How many maintainers must agree before a vote counts.\n  \
                          visibility: internal\n";

/// Pages that each use one entry of a group, a synonyms file and a glossary.
fn site() -> SiteTest {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"Synonyms\"\nbase_url = \"/\"\n");
    let pages = [
        ("_index", "Home", "Welcome to the handbook."),
        (
            "inclusive",
            "Inclusive design",
            "Every release is tested for accessibility.",
        ),
        ("inventory", "Inventory", "Each product ships with an SBOM."),
        (
            "components",
            "Components",
            "We publish a software bill of materials with each release.",
        ),
        (
            "votes",
            "Votes",
            "A vote needs a contract signed by the maintainers.",
        ),
        ("cluster", "Cluster", "Our services run on Kubernetes."),
        (
            "manners",
            "Manners",
            "Good behavior is expected of everyone.",
        ),
    ];
    site.write_pages(&pages);
    site.write("data/synonyms.yaml", SYNONYMS);
    site.write("data/glossary.yaml", GLOSSARY);
    site
}

/// The URLs `folio search QUERY --json` finds, best first (it exits with 1 when none).
fn cli_urls(site: &SiteTest, query: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["search", query, "--json"];
    args.extend(extra);
    let run = site.folio(&args);
    assert!(
        run.code == 0 || (run.code == 1 && run.stdout.trim() == "[]"),
        "{}",
        run.stderr
    );
    let hits: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON results");
    hits.iter()
        .map(|h| h["url"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// What each query must find, in every search: a page that uses another entry of its group.
const FOUND: &[(&str, &str)] = &[
    // One word, which no page uses: through the vocabulary.
    ("a11y", "/inclusive/"),
    // Several words, which no page uses: as a phrase.
    ("screen reader", "/inclusive/"),
    ("software bill of materials", "/inventory/"),
    // One word, which a page writes as several.
    ("sbom", "/components/"),
    // A glossary term by its name, its expansion, or an alias.
    ("what is a CLA", "/glossary/#cla"),
    ("contributor licence agreement", "/glossary/#cla"),
    ("clas", "/glossary/#cla"),
    // Built-in synonyms, which the site's file does not list: an abbreviation and a spelling.
    ("k8s", "/cluster/"),
    ("behaviour", "/manners/"),
];

#[test]
fn folio_search_finds_the_pages_of_a_synonym_and_glossary_terms() {
    let site = site();
    site.build(&[]).assert_success();
    for &(query, url) in FOUND {
        let found = cli_urls(&site, query, &[]);
        assert!(found.contains(&url.to_string()), "`{query}`: {found:?}");
    }
    // The term's entry answers the question first, with its kind.
    let run = site.folio(&["search", "what is a CLA"]);
    assert!(
        run.stdout
            .starts_with("1. CLA  [glossary]\n   /glossary/#cla\n"),
        "{}",
        run.stdout
    );
    // Only a page that uses the words of the group: not one with the words apart.
    assert_eq!(cli_urls(&site, "a11y", &[]), ["/inclusive/"]);
    // The entry of a public build leaves the internal term out; an internal build has it.
    assert!(cli_urls(&site, "quorum", &[]).is_empty());
    assert!(
        !site
            .read("public/glossary/index.html")
            .contains("How many maintainers")
    );
    site.build(&["--audience", "internal"]).assert_success();
    assert_eq!(cli_urls(&site, "quorum", &[]), ["/glossary/#quorum"]);

    // Without the file, the built-in groups remain: a11y and SBOM are among them.
    std::fs::remove_file(site.path("data/synonyms.yaml")).unwrap();
    site.build(&[]).assert_success();
    assert_eq!(cli_urls(&site, "a11y", &[]), ["/inclusive/"]);
    assert!(cli_urls(&site, "sbom", &[]).contains(&"/components/".to_string()));
    assert!(cli_urls(&site, "screen reader", &[]).is_empty());
    // With them turned off too, the words are only themselves.
    site.write(
        "site.toml",
        "title = \"Synonyms\"\nbase_url = \"/\"\nbuiltin_synonyms = false\n",
    );
    site.build(&[]).assert_success();
    assert!(cli_urls(&site, "a11y", &[]).is_empty());
    assert!(cli_urls(&site, "k8s", &[]).is_empty());
    let found = cli_urls(&site, "sbom", &[]);
    assert!(!found.contains(&"/components/".to_string()), "{found:?}");
}

#[test]
fn the_browser_client_finds_the_pages_of_a_synonym_and_glossary_terms() {
    let Some(mut browser) =
        Browser::launch("the_browser_client_finds_the_pages_of_a_synonym_and_glossary_terms")
    else {
        return;
    };
    let site = site();
    site.build(&[]).assert_success();
    let server = StaticServer::start(&site.public());
    browser.goto(&format!("{}/", server.origin));
    browser.wait_for("window.FolioSearch && window.FolioSearch.engine");
    for &(query, url) in FOUND {
        let found = browser.search_urls(query);
        assert!(found.contains(&url.to_string()), "`{query}`: {found:?}");
        // In the order `folio search` gives.
        assert_eq!(
            found,
            cli_urls(&site, query, &["--limit", "10"]),
            "`{query}`"
        );
    }
    assert!(browser.search_urls("quorum").is_empty());
    // What every first query downloads lists the phrases of the groups some page uses, and no
    // other: no page says "code of conduct" or "CoC", nor most built-in entries.
    let listed: Vec<String> = serde_json::from_value(browser.eval(
        "window.FolioSearch.engine.meta.synonyms.map(p => p.words.map(w => w[0]).join(' '))",
    ))
    .expect("the phrases");
    assert!(listed.contains(&"screen reader".to_string()), "{listed:?}");
    assert!(
        !listed.contains(&"code of conduct".to_string()),
        "{listed:?}"
    );
    assert!(
        !listed.contains(&"open source program office".to_string()),
        "{listed:?}"
    );

    // The results page shows the term's entry as a glossary result, linking to its anchor.
    browser.goto(&format!("{}/search/?q=what+is+a+CLA", server.origin));
    browser.wait_for("document.querySelector('.search-page-results .search-result')");
    let first: Vec<String> = serde_json::from_value(browser.eval(
        "(() => { const a = document.querySelector('.search-page-results .search-result'); \
         return [a.getAttribute('href'), a.querySelector('.search-result-title').textContent, \
         a.querySelector('.kind-badge').textContent]; })()",
    ))
    .expect("the first result");
    assert_eq!(first, ["/glossary/#cla", "CLA", "Glossary"]);
    drop(server);
}

#[test]
fn a_mistake_in_synonyms_yaml_is_an_error_at_its_place() {
    let site = site();
    site.write(
        "data/synonyms.yaml",
        "- words: [a11y, accessibility]\n- words: [SBOM]\n- words: [\"++\", plus]\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("a synonym group needs at least two entries");
    assert!(error.contains("--> data/synonyms.yaml:2:10"), "{error}");
    let error = run.diagnostic("`++` has no letter or digit, so search cannot match it");
    assert!(error.contains("--> data/synonyms.yaml:3:12"), "{error}");

    site.write("data/synonyms.yaml", "- words: [a11y, accessibility\n");
    let run = site.folio(&["check"]);
    run.assert_code(1);
    let error = run.diagnostic("invalid data file");
    assert!(error.contains("--> data/synonyms.yaml:2:1"), "{error}");
}

#[test]
fn folio_serve_applies_an_edit_to_synonyms_yaml() {
    let site = site();
    let mut server = Server::start(&site, &[]);
    let output = site.path(SERVE_OUTPUT);
    let api = |server: &Server, query: &str| -> Vec<String> {
        let reply = server.get(&format!("/api/search?q={query}"));
        assert_eq!(reply.status, 200, "{}", reply.text());
        let hits: Value = serde_json::from_slice(&reply.body).expect("API JSON");
        hits.as_array()
            .expect("a list")
            .iter()
            .map(|h| h["url"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(api(&server, "a11y"), ["/inclusive/"]);
    assert_eq!(api(&server, "screen+reader"), ["/inclusive/"]);
    assert!(api(&server, "wheelchair").is_empty());

    // An edit to a page, applied in place, indexes the synonyms it brings.
    let mut events = server.events();
    site.write(
        "content/votes.md",
        "---
title: Votes
---

Every vote is read out by a screen reader.
",
    );
    events.expect("reload");
    let line = server.wait_for_log("Rebuilt after content/votes.md changed");
    assert!(line.contains("updated 1 page"), "{line}");
    // The search entries are updated after the reload.
    server.wait_for_log("Search updated for content/votes.md");
    assert_eq!(api(&server, "a11y"), ["/inclusive/", "/votes/"]);
    // A group no page used before: its words find the page now, in the browser too, the
    // phrase included (the export lists a group's phrases once a page uses the group).
    assert!(api(&server, "coc").is_empty());
    assert!(api(&server, "code+of+conduct").is_empty());
    let mut events = server.events();
    site.write(
        "content/components.md",
        "---\ntitle: Components\n---\n\nOur CoC applies to each release.\n",
    );
    events.expect("reload");
    server.wait_for_nth_log("updated 1 page", 2);
    server.wait_for_log("Search updated for content/components.md");
    assert_eq!(api(&server, "coc"), ["/components/"]);
    assert_eq!(api(&server, "code+of+conduct"), ["/components/"]);
    if let Some(mut browser) = Browser::launch("folio_serve_applies_an_edit_to_synonyms_yaml") {
        browser.goto(&server.url("/"));
        browser.wait_for("window.FolioSearch && window.FolioSearch.engine");
        assert_eq!(browser.search_urls("a11y"), ["/inclusive/", "/votes/"]);
        assert_eq!(browser.search_urls("coc"), ["/components/"]);
        assert_eq!(browser.search_urls("code of conduct"), ["/components/"]);
    }

    let mut events = server.events();
    site.write(
        "data/synonyms.yaml",
        &SYNONYMS.replace("screen reader]", "screen reader, wheelchair access]"),
    );
    events.expect("reload");
    server.wait_for_log("Rebuilt after data/synonyms.yaml changed");
    let found = api(&server, "wheelchair+access");
    assert_eq!(found, ["/inclusive/", "/votes/"]);
    // The same as `folio search` on the server's output.
    let output = output.to_str().unwrap();
    assert_eq!(
        cli_urls(&site, "wheelchair access", &["--output", output]),
        found
    );
}
