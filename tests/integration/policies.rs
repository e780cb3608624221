//! Policy lifecycle banners, the policies and playbooks indexes (sortable in the browser), and
//! tag pages, on the fixture site `tests/fixtures/policies/site`.
//!
//! Builds run with `FOLIO_TODAY` so that what counts as overdue does not depend on the day the
//! tests run.

use std::process::Command;

use scraper::Html;

use crate::chromium::{Browser, StaticServer};
use crate::support::{FOLIO, Run, SiteTest, href_of, select_attrs, select_texts, selector};

const FIXTURE: &str = "policies/site";

/// Runs `folio build --root <site> ARGS…` as if today were `today` (YYYY-MM-DD).
fn build_on(site: &SiteTest, today: &str, args: &[&str]) -> Run {
    let output = Command::new(FOLIO)
        .args(["build", "--root"])
        .arg(site.root())
        .args(args)
        .env("FOLIO_TODAY", today)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the folio binary");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The fixture, built as if today were `today`.
fn built_on(today: &str) -> SiteTest {
    let site = SiteTest::fixture(FIXTURE);
    build_on(&site, today, &[]).assert_clean();
    site
}

/// Text with its runs of whitespace made single spaces.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The status banners of a policy page, each as its title and its whole text.
fn banners(main: &Html) -> Vec<(String, String)> {
    main.select(&selector(".doc-panel > .notice"))
        .map(|notice| {
            let title = notice
                .select(&selector(".notice-title"))
                .next()
                .map(|t| squash(&t.text().collect::<String>()))
                .unwrap_or_default();
            (title, squash(&notice.text().collect::<String>()))
        })
        .collect()
}

/// The index table's rows, each as the text of its cells.
fn rows(main: &Html) -> Vec<Vec<String>> {
    main.select(&selector("table.index-table tbody tr"))
        .map(|row| {
            row.select(&selector("th, td"))
                .map(|cell| squash(&cell.text().collect::<String>()))
                .collect()
        })
        .collect()
}

#[test]
fn every_policy_status_has_a_banner_in_words_under_the_title() {
    let site = built_on("2025-03-01");
    let expected = [
        ("legal/trademarks/", "Draft", "not in force yet"),
        (
            "security/disclosure/",
            "In review",
            "waiting for its approvers (CISO)",
        ),
        (
            "policies/usage/",
            "Approved · in force since 2025-01-01",
            "Approved",
        ),
        (
            "policies/old-usage/",
            "This policy is retired",
            "no longer in force",
        ),
    ];
    for (url, title, words) in expected {
        let main = site.main_html(url);
        let found = banners(&main);
        assert_eq!(found.len(), 1, "{url}: {found:?}");
        assert_eq!(found[0].0, title, "{url}");
        assert!(found[0].1.contains(words), "{url}: {:?}", found[0].1);
        // The banner sits under the title and before the body.
        let html = main.html();
        let (title_at, banner_at, body_at) = (
            html.find("doc-title").unwrap(),
            html.find("class=\"notice ").unwrap(),
            html.find("doc-body").unwrap(),
        );
        assert!(title_at < banner_at && banner_at < body_at, "{url}");
    }
    // The details panel keeps the lifecycle fields beside the banner.
    let usage = site.main_html("policies/usage/");
    assert_eq!(
        select_texts(&usage, ".meta-list dt"),
        [
            "Status",
            "Owner",
            "Approved by",
            "Effective",
            "Last reviewed",
            "Review every",
            "Next review"
        ]
    );
    assert_eq!(select_texts(&usage, ".meta-list .badge"), ["Approved"]);
}

#[test]
fn an_approved_policy_not_yet_effective_says_from_when() {
    let site = built_on("2024-12-01");
    let main = site.main_html("policies/usage/");
    assert_eq!(banners(&main)[0].0, "Approved · in force from 2025-01-01");
}

#[test]
fn a_policy_past_its_next_review_says_in_words_that_it_is_overdue_and_since_when() {
    // Last reviewed 2025-06-01, every 12 months: due 2026-06-01.
    let on_time = built_on("2026-06-01");
    let main = on_time.main_html("policies/usage/");
    assert_eq!(banners(&main).len(), 1, "not overdue on the day it is due");
    assert!(select_texts(&main, ".overdue-flag").is_empty());

    let late = built_on("2026-06-02");
    let main = late.main_html("policies/usage/");
    let found = banners(&main);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[1].0, "Review overdue since 2026-06-01");
    assert_eq!(
        found[1].1,
        "Review overdue since 2026-06-01 This policy is reviewed every 12 months and was last \
         reviewed on 2025-06-01; it may be out of date. Ask its owner, Open Source Office, before \
         relying on it."
    );
    assert_eq!(select_texts(&main, ".meta-list .overdue-flag"), ["Overdue"]);
    // A retired policy is no longer reviewed, so it is never overdue.
    let retired = late.main_html("policies/old-usage/");
    assert_eq!(banners(&retired).len(), 1);
}

#[test]
fn a_retired_policy_says_so_at_the_top_and_links_to_its_successor() {
    let site = built_on("2025-03-01");
    let main = site.main_html("policies/old-usage/");
    let (title, text) = &banners(&main)[0];
    assert_eq!(title, "This policy is retired");
    assert_eq!(
        text,
        "This policy is retired It is no longer in force and is kept for reference only. It has \
         been superseded by Acceptable use."
    );
    assert_eq!(
        select_attrs(&main, ".notice-retired a", "href"),
        ["/policies/usage/"]
    );
}

#[test]
fn the_policies_section_lists_every_policy_of_the_site_in_a_table() {
    let site = built_on("2025-03-01");
    let main = site.main_html("policies/");
    assert_eq!(select_texts(&main, "h1.doc-title"), ["Our policies"]);
    // The section's own text comes first, then the table instead of the usual list.
    assert_eq!(
        select_texts(&main, ".doc-body > .prose"),
        ["Read these before you start."]
    );
    assert_eq!(
        select_texts(&main, "table.index-table thead th"),
        ["Policy", "Status", "Owner", "Last reviewed", "Review due"]
    );
    // Policies from policies/, security/ and legal/, ordered by title; the internal one is
    // left out of this public build. Overdue reviews say so in words.
    assert_eq!(
        rows(&main),
        [
            [
                "Acceptable use",
                "Approved",
                "Open Source Office",
                "2025-06-01",
                "2026-06-01"
            ],
            [
                "Bug disclosure",
                "In review",
                "Security <Team> & Co",
                "2025-01-15",
                "2025-07-15"
            ],
            ["Trademarks", "Draft", "Not set", "Never", "Not set"],
            [
                "Zeta legacy usage",
                "Retired",
                "Open Source Office",
                "2021-01-01",
                "No reviews (retired)"
            ],
        ]
    );
    assert_eq!(
        select_attrs(&main, "table.index-table tbody th a", "href"),
        [
            "/policies/usage/",
            "/security/disclosure/",
            "/legal/trademarks/",
            "/policies/old-usage/"
        ]
    );
    // What the browser sorts by: the lifecycle order of the status, dates as written.
    assert_eq!(
        select_attrs(
            &main,
            "table.index-table tbody td:nth-of-type(1)",
            "data-sort"
        ),
        ["3", "2", "1", "4"]
    );
    assert_eq!(
        select_attrs(
            &main,
            "table.index-table tbody td:nth-of-type(4)",
            "data-sort"
        ),
        ["2026-06-01", "2025-07-15", "", ""]
    );
    // Without JavaScript the headings are plain text: folio.js adds the buttons.
    assert!(select_texts(&main, "table button").is_empty());
    assert_eq!(
        select_attrs(&main, "thead th[aria-sort]", "aria-sort"),
        ["ascending"]
    );
    // A page of another kind in the section is still listed.
    assert_eq!(
        select_texts(&main, ".page-card-title a"),
        ["Notes on policies"]
    );
    // The owner is text, never markup.
    assert!(main.html().contains("Security &lt;Team&gt; &amp; Co"));
}

#[test]
fn overdue_reviews_are_marked_in_words_in_the_policies_index() {
    let site = built_on("2026-07-01");
    let main = site.main_html("policies/");
    let due: Vec<String> = rows(&main).into_iter().map(|row| row[4].clone()).collect();
    assert_eq!(
        due,
        [
            "2026-06-01 Overdue",
            "2025-07-15 Overdue",
            "Not set",
            "No reviews (retired)"
        ]
    );
    assert_eq!(
        select_attrs(&main, "tbody tr.is-overdue th a", "href"),
        ["/policies/usage/", "/security/disclosure/"]
    );
}

#[test]
fn a_public_build_leaves_internal_policies_out_of_the_index() {
    let site = built_on("2025-03-01");
    let titles = |site: &SiteTest| select_texts(&site.main_html("policies/"), "tbody th a");
    assert!(!titles(&site).contains(&"Conference travel budget".to_string()));
    assert!(!site.read("public/policies/index.html").contains("Finance"));
    build_on(&site, "2025-03-01", &["--audience", "internal"]).assert_clean();
    assert_eq!(
        titles(&site),
        [
            "Acceptable use",
            "Bug disclosure",
            "Conference travel budget",
            "Trademarks",
            "Zeta legacy usage"
        ]
    );
}

#[test]
fn a_site_without_a_playbooks_section_gets_the_index_at_playbooks() {
    let site = built_on("2025-03-01");
    let page = site.html("playbooks/");
    let main = site.main_html("playbooks/");
    assert_eq!(select_texts(&main, "h1.doc-title"), ["Playbooks"]);
    assert_eq!(select_texts(&main, ".breadcrumbs a"), ["Handbook"]);
    assert_eq!(
        select_texts(&main, "table.index-table thead th"),
        ["Playbook", "Description", "Time required", "Audience"]
    );
    assert_eq!(
        rows(&main),
        [
            [
                "Handling an incident",
                "Not set",
                "Not set",
                "On-call engineers"
            ],
            [
                "Releasing a project",
                "From idea to public repository.",
                "2 weeks",
                "Maintainers"
            ],
        ]
    );
    assert_eq!(href_of(&main, "Releasing a project"), "/guides/release/");
    assert_eq!(
        select_attrs(&page, "link[rel=canonical]", "href"),
        ["https://handbook.example.org/playbooks/"]
    );
    assert!(
        site.read("public/sitemap.xml")
            .contains("<loc>https://handbook.example.org/playbooks/</loc>")
    );
    // The folder that holds the playbooks keeps its ordinary listing.
    let guides = site.main_html("guides/");
    assert!(select_texts(&guides, "table.index-table").is_empty());
    assert_eq!(select_texts(&guides, ".page-card-title a").len(), 2);
}

#[test]
fn a_site_without_a_policies_section_gets_the_index_at_policies() {
    let site = SiteTest::fixture(FIXTURE);
    std::fs::remove_dir_all(site.path("content/policies")).expect("remove the section");
    build_on(&site, "2025-03-01", &[]).assert_clean();
    let main = site.main_html("policies/");
    assert_eq!(select_texts(&main, "h1.doc-title"), ["Policies"]);
    assert_eq!(
        select_texts(&main, "tbody th a"),
        ["Bug disclosure", "Trademarks"]
    );
}

#[test]
fn each_tag_has_a_page_and_the_tag_index_lists_them_all() {
    let site = built_on("2025-03-01");
    let index = site.main_html("tags/");
    assert_eq!(select_texts(&index, "h1"), ["Tags"]);
    assert_eq!(
        select_texts(&index, ".term-list li")
            .iter()
            .map(|t| squash(t))
            .collect::<Vec<_>>(),
        ["licensing 3 pages", "security 1 page"]
    );
    assert_eq!(
        select_attrs(&index, "a.tag", "href"),
        ["/tags/licensing/", "/tags/security/"]
    );
    let licensing = site.main_html("tags/licensing/");
    assert_eq!(select_texts(&licensing, "h1"), ["licensing"]);
    assert_eq!(
        select_texts(&licensing, ".doc-lead"),
        ["3 pages with this tag."]
    );
    let mut pages = select_texts(&licensing, ".page-card-title a");
    pages.sort();
    assert_eq!(
        pages,
        ["Acceptable use", "Bug disclosure", "Releasing a project"]
    );
    assert_eq!(href_of(&licensing, "All tags"), "/tags/");
}

/// Presses Enter as a keyboard does: unlike [`Browser::press`], with the text the key types,
/// which is what makes Chromium activate a focused button.
fn press_enter(browser: &mut Browser) {
    for kind in ["keyDown", "keyUp"] {
        browser.call(
            "Input.dispatchKeyEvent",
            serde_json::json!({"type": kind, "key": "Enter", "code": "Enter",
                "windowsVirtualKeyCode": 13, "text": "\r"}),
        );
    }
}

/// The titles of the index table's rows, top to bottom, as the browser shows them.
const ROW_TITLES: &str = "[...document.querySelectorAll('table.index-table tbody tr')].map(r => r.cells[0].textContent.trim())";

/// The `aria-sort` of each column heading ("" when it has none).
const ARIA_SORT: &str = "[...document.querySelectorAll('table.index-table thead th')].map(th => th.getAttribute('aria-sort') || '')";

#[test]
fn the_policies_index_sorts_by_review_date_in_the_browser() {
    let Some(mut browser) =
        Browser::launch("the_policies_index_sorts_by_review_date_in_the_browser")
    else {
        return;
    };
    let site = SiteTest::fixture(FIXTURE);
    build_on(&site, "2026-07-01", &["--base-url", "/"]).assert_clean();
    let server = StaticServer::start(&site.public());
    browser.viewport(1280, 900, false);
    browser.color_scheme("light");
    browser.goto(&format!("{}/policies/", server.origin));
    browser.wait_for("document.querySelector('table.is-sortable')");
    assert_eq!(
        browser.eval(ROW_TITLES),
        serde_json::json!([
            "Acceptable use",
            "Bug disclosure",
            "Trademarks",
            "Zeta legacy usage"
        ])
    );
    // Dates sort chronologically; policies without a review date go last.
    browser.click("table.index-table thead th:nth-child(5) button");
    assert_eq!(
        browser.eval(ROW_TITLES),
        serde_json::json!([
            "Bug disclosure",
            "Acceptable use",
            "Trademarks",
            "Zeta legacy usage"
        ])
    );
    assert_eq!(
        browser.eval(ARIA_SORT),
        serde_json::json!(["", "", "", "", "ascending"])
    );
    browser.click("table.index-table thead th:nth-child(5) button");
    assert_eq!(
        browser.eval(ROW_TITLES),
        serde_json::json!([
            "Acceptable use",
            "Bug disclosure",
            "Trademarks",
            "Zeta legacy usage"
        ])
    );
    assert_eq!(
        browser.eval(ARIA_SORT),
        serde_json::json!(["", "", "", "", "descending"])
    );
    // Status sorts in lifecycle order, from the keyboard too.
    browser
        .eval("document.querySelector('table.index-table thead th:nth-child(2) button').focus()");
    press_enter(&mut browser);
    assert_eq!(
        browser.eval(ROW_TITLES),
        serde_json::json!([
            "Trademarks",
            "Bug disclosure",
            "Acceptable use",
            "Zeta legacy usage"
        ])
    );
    assert_eq!(
        browser.eval("document.querySelector('.kind-index [aria-live]').textContent"),
        "Sorted by Status, ascending."
    );
    browser.screenshot("policies-index-desktop");
    browser.goto(&format!("{}/policies/usage/", server.origin));
    browser.screenshot("policy-banner-overdue");

    // On a phone the table scrolls inside its box; the page itself does not scroll sideways.
    browser.viewport(360, 800, true);
    for scheme in ["light", "dark"] {
        browser.color_scheme(scheme);
        browser.goto(&format!("{}/policies/", server.origin));
        browser.wait_for("document.querySelector('table.is-sortable')");
        let widths = browser.eval(
            "[document.documentElement.scrollWidth, innerWidth, document.querySelector('.table-scroll').scrollWidth, document.querySelector('.table-scroll').clientWidth]",
        );
        let width = |i: usize| widths[i].as_u64().unwrap();
        assert!(width(0) <= width(1), "the page scrolls sideways: {widths}");
        assert!(
            width(2) > width(3),
            "the table should scroll in its box: {widths}"
        );
        browser.eval("document.querySelector('.kind-index').scrollIntoView()");
        browser.screenshot(&format!("policies-index-mobile-{scheme}"));
    }
}

#[test]
fn a_theme_without_kind_index_html_keeps_the_ordinary_section_list() {
    let site = SiteTest::fixture(FIXTURE);
    site.write(
        "site.toml",
        "title = \"Plain\"\ntheme = \"plain\"\n\n[sections.policies]\nkind = \"policy\"\n",
    );
    let section = "{{ section.title }}:{% for p in section.pages %} {{ p.title }};{% endfor %}";
    for name in [
        "index.html",
        "page.html",
        "policy.html",
        "playbook.html",
        "faq.html",
        "taxonomy.html",
        "404.html",
        "search.html",
        "redirect.html",
    ] {
        site.write(&format!("themes/plain/templates/{name}"), "plain");
    }
    site.write("themes/plain/templates/section.html", section);
    build_on(&site, "2025-03-01", &[]).assert_clean();
    assert_eq!(
        site.read("public/policies/index.html"),
        "Our policies: Acceptable use; Notes on policies; Zeta legacy usage;"
    );
    assert!(!site.output_file("playbooks/").exists());
}

#[test]
fn the_handbooks_policies_and_playbooks_sections_are_the_indexes() {
    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    let status = Command::new(FOLIO)
        .args(["build", "--root", crate::support::REPO_ROOT, "--output"])
        .arg(&public)
        .status()
        .expect("run folio");
    assert!(status.success(), "the handbook must build");
    for (url, first_column) in [("policies", "Policy"), ("playbooks", "Playbook")] {
        let text = std::fs::read_to_string(public.join(url).join("index.html")).unwrap();
        let page = Html::parse_document(&text);
        assert_eq!(
            select_texts(&page, "table.index-table thead th")
                .first()
                .map(String::as_str),
            Some(first_column),
            "/{url}/"
        );
        let links = select_attrs(&page, "table.index-table tbody th a", "href");
        assert!(!links.is_empty(), "/{url}/ lists nothing");
        for link in links {
            let file = public.join(link.trim_start_matches('/')).join("index.html");
            assert!(
                file.is_file(),
                "/{url}/ links to {link}, which was not written"
            );
        }
        // The section's own text still comes first.
        assert!(!select_texts(&page, ".doc-body > .prose").is_empty());
    }
}
