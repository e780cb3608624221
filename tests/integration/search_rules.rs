//! General ranking rules beyond BM25 and coordination, the same in `folio search` and the
//! browser client: a document is found by its page's place (the titles of the sections above
//! it) and a section by its page's title as well as by its own words; an acronym finds its
//! plural and its plural finds it.

use serde_json::Value;

use crate::chromium::{Browser, StaticServer};
use crate::support::SiteTest;

/// A page whose title holds a query's rare word and whose section holds the rest, and pages
/// whose sections say the common words many times.
fn site() -> SiteTest {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"Rules\"\nbase_url = \"/\"\n");
    site.write("content/_index.md", "---\ntitle: Home\n---\n\nWelcome.\n");
    site.write(
        "content/security/_index.md",
        "---\ntitle: Security\n---\n\nHow we keep things safe.\n",
    );
    site.write(
        "content/security/threats.md",
        "---\ntitle: Threat modelling\n---\n\nIntro.\n\n## Steps\n\nList what could go wrong in the architecture.\n",
    );
    site.write(
        "content/planning.md",
        "---\ntitle: Planning\n---\n\nIntro.\n\n## Milestones\n\nList what could go wrong in the plan, and the risks.\n",
    );
    site.write(
        "content/responsible.md",
        "---\ntitle: Responsible AI\n---\n\nOur principles.\n\n## Review process\n\n\
         Every machine learning model is reviewed before release.\n",
    );
    for (file, title) in [("profiling", "Profiling"), ("pipelines", "Pipelines")] {
        site.write(
            &format!("content/{file}.md"),
            &format!(
                "---\ntitle: {title}\n---\n\nIntro.\n\n## Training\n\n\
                 Machine learning pipelines train machine learning models; machine learning \
                 jobs run nightly.\n"
            ),
        );
    }
    site
}

fn cli_urls(site: &SiteTest, query: &str) -> Vec<String> {
    let run = site.folio(&["search", query, "--json", "--limit", "10"]);
    run.assert_success();
    let hits: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON results");
    hits.iter()
        .map(|h| h["url"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_section_matches_the_words_of_its_page_title() {
    let site = site();
    site.build(&[]).assert_success();
    let query = "responsible use of machine learning";
    let found = cli_urls(&site, query);
    // The section has "machine learning", its page's title "responsible": all the words.
    assert_eq!(
        found.first().map(String::as_str),
        Some("/responsible/#review-process"),
        "{found:?}"
    );
    let run = site.folio(&["search", query, "--json"]);
    let hits: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(hits[0]["words"], 3, "{hits:#?}");

    let Some(mut browser) = Browser::launch("a_section_matches_the_words_of_its_page_title") else {
        return;
    };
    let server = StaticServer::start(&site.public());
    browser.goto(&format!("{}/", server.origin));
    browser.wait_for("window.FolioSearch && window.FolioSearch.engine");
    assert_eq!(browser.search_urls(query), found);
}

#[test]
fn a_page_is_found_by_the_titles_of_the_sections_above_it() {
    let site = site();
    site.build(&[]).assert_success();
    // "security" is only the title of the folder the threat modelling page is in.
    let found = cli_urls(&site, "security architecture");
    let at = |url: &str| found.iter().position(|u| u == url);
    assert_eq!(at("/security/threats/#steps"), Some(0), "{found:?}");
    let run = site.folio(&["search", "security architecture", "--json"]);
    let hits: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(hits[0]["words"], 2, "{hits:#?}");
}

/// Pages that write an acronym in the singular or the plural, and words that end alike.
fn acronym_site() -> SiteTest {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"Acronyms\"\nbase_url = \"/\"\n");
    let pages = [
        ("_index", "Home", "Welcome."),
        (
            "advisories",
            "Advisories",
            "We track CVEs in every dependency.",
        ),
        ("response", "Response", "Each CVE gets an owner."),
        ("agreements", "Agreements", "Contributors sign CLAs once."),
        ("toolkits", "Toolkits", "Each platform ships an SDK."),
        (
            "training",
            "Training",
            "A class on licensing for new staff.",
        ),
    ];
    site.write_pages(&pages);
    site
}

#[test]
fn an_acronym_finds_its_plural_and_its_plural_finds_it() {
    let site = acronym_site();
    site.build(&[]).assert_success();
    // What each query finds, in any order: both forms of an acronym whose plural the English
    // stemmer kept its `s` on ("CVEs", "CLAs"), a singular and a plural no page writes ("CLA",
    // "SDKs"), and a word in `ss` left whole.
    let cases: &[(&str, &[&str])] = &[
        ("CVE", &["/advisories/", "/response/"]),
        ("cves", &["/advisories/", "/response/"]),
        ("what is a CLA", &["/agreements/"]),
        ("SDKs", &["/toolkits/"]),
        ("class", &["/training/"]),
    ];
    let sorted = |mut urls: Vec<String>| {
        urls.sort();
        urls
    };
    for (query, expected) in cases {
        assert_eq!(&sorted(cli_urls(&site, query)), expected, "`{query}`");
    }

    let Some(mut browser) = Browser::launch("an_acronym_finds_its_plural_and_its_plural_finds_it")
    else {
        return;
    };
    let server = StaticServer::start(&site.public());
    browser.goto(&format!("{}/", server.origin));
    browser.wait_for("window.FolioSearch && window.FolioSearch.engine");
    for (query, expected) in cases {
        let found = browser.search_urls(query);
        // In the order `folio search` gives.
        assert_eq!(found, cli_urls(&site, query), "`{query}` in the browser");
        assert_eq!(&sorted(found), expected, "`{query}` in the browser");
    }
}
