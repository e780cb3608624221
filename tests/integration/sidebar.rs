//! The sidebar of a deep handbook: a page's HTML holds the top level, the path down to the page
//! (open; a section's page also the list it is in and its own), and no link into other sections; the whole tree is in one
//! navigation file per language (`_nav/<hash>.json`), which `folio serve` keeps current and from
//! which folio.js fills in the rest, in real headless Chromium, on a desktop and on a phone,
//! and with JavaScript off.

use std::process::Command;

use serde_json::{Value, json};

use crate::chromium::{Browser, StaticServer};
use crate::support::{SiteTest, select_attrs, select_texts};

/// The number of pages in the `teams` section, a section no page below it links into.
const TEAMS: usize = 40;

/// A three-level handbook: guides/setup/ (install, configure, advanced/), guides/other/,
/// guides/intro, policies/ and a large teams/ section.
fn deep_site() -> SiteTest {
    let site = SiteTest::empty();
    let page = |title: &str| format!("---\ntitle: {title}\n---\n\nAbout {title}.\n");
    site.write(
        "site.toml",
        "title = \"Deep\"\nbase_url = \"https://deep.example.org/\"\n",
    )
    .write("content/_index.md", &page("Home"))
    .write("content/guides/_index.md", &page("Guides"))
    .write("content/guides/intro.md", &page("Intro"))
    .write("content/guides/setup/_index.md", &page("Setup"))
    .write("content/guides/setup/install.md", &page("Install"))
    .write("content/guides/setup/configure.md", &page("Configure"))
    .write("content/guides/setup/advanced/_index.md", &page("Advanced"))
    .write("content/guides/setup/advanced/tuning.md", &page("Tuning"))
    .write("content/guides/other/_index.md", &page("Other topics"))
    .write("content/guides/other/far-away.md", &page("Far away"))
    .write("content/policies/_index.md", &page("Policies"))
    .write("content/policies/usage.md", &page("Usage"))
    .write("content/teams/_index.md", &page("Teams"));
    for n in 1..=TEAMS {
        site.write(
            &format!("content/teams/team-{n:02}.md"),
            &page(&format!("Team {n:02}")),
        );
    }
    site
}

/// The sidebar's link texts at `level` (1 is the top).
fn level(html: &scraper::Html, level: u32) -> Vec<String> {
    select_texts(html, &format!("nav.sidebar ul.nav-level-{level} > li > a"))
}

/// The navigation file a page names, parsed, and its URL.
fn nav_file_of(site: &SiteTest, html: &scraper::Html) -> (String, Value) {
    let url = select_attrs(html, "nav.sidebar", "data-nav")
        .pop()
        .expect("the sidebar names its navigation file");
    let text = std::fs::read_to_string(site.public().join(url.trim_start_matches('/')))
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    (
        url,
        serde_json::from_str(&text).expect("the navigation file is JSON"),
    )
}

/// Every entry of a navigation file as (depth, title, URL), URLs made whole as folio.js does.
fn flatten(items: &Value, parent: &str, depth: usize, out: &mut Vec<(usize, String, String)>) {
    for item in items.as_array().expect("a list of entries") {
        let title = item[0].as_str().expect("a title").to_string();
        let written = item[1].as_str().expect("a URL");
        let url = if written.starts_with('/') {
            written.to_string()
        } else {
            format!("{parent}{written}")
        };
        out.push((depth, title, url.clone()));
        if let Some(children) = item.get(2) {
            flatten(children, &url, depth + 1, out);
        }
    }
}

#[test]
fn a_page_carries_the_top_level_and_its_path_and_the_nav_file_the_whole_tree() {
    let site = deep_site();
    site.build(&[]).assert_clean();
    let html = site.html("guides/setup/install/");
    assert_eq!(level(&html, 1), ["Guides", "Policies", "Teams"]);
    // Of Guides only the section on the path: not its other pages.
    assert_eq!(level(&html, 2), ["Setup"]);
    // Of the list the page is in, only the page: its section's page lists the rest.
    assert_eq!(level(&html, 3), ["Install"]);
    assert!(level(&html, 4).is_empty());
    assert_eq!(
        select_texts(&html, "nav.sidebar li.is-open > a"),
        ["Guides", "Setup"]
    );
    assert_eq!(
        select_texts(&html, "nav.sidebar a[aria-current=page]"),
        ["Install"]
    );
    // A section is marked `nav-section`, or its list `nav-sections` when all its entries are.
    assert_eq!(
        select_texts(
            &html,
            "nav.sidebar li.nav-section > a, nav.sidebar ul.nav-sections > li > a"
        ),
        ["Guides", "Setup", "Policies", "Teams"]
    );
    assert_eq!(
        select_texts(&html, "nav.sidebar ul.nav-sections > li > a"),
        ["Guides", "Setup", "Policies", "Teams"]
    );
    assert!(select_texts(&html, "nav.sidebar li.nav-section > a").is_empty());
    // No link into a section off the path; every link there leads to a page that was built.
    let hrefs = select_attrs(&html, "nav.sidebar a", "href");
    assert_eq!(hrefs.len(), 5, "{hrefs:?}");
    for href in &hrefs {
        assert!(
            !href.starts_with("/teams/team-") && !href.starts_with("/guides/other/"),
            "{href} in the sidebar"
        );
        assert!(
            site.output_file(href.trim_start_matches('/')).is_file(),
            "{href}"
        );
    }
    // However many pages the other sections hold, the sidebar stays small.
    let sidebar = scraper::Selector::parse("nav.sidebar").unwrap();
    let bytes = html.select(&sidebar).next().unwrap().html().len();
    assert!(bytes < 1_200, "the sidebar is {bytes} bytes");

    // A section's page shows the list it is in and its own; a sub-section in it stays closed.
    let setup = site.html("guides/setup/");
    assert_eq!(level(&setup, 2), ["Intro", "Other topics", "Setup"]);
    assert_eq!(level(&setup, 3), ["Advanced", "Configure", "Install"]);
    // Lists of pages and sections mark each section.
    assert_eq!(
        select_texts(&setup, "nav.sidebar li.nav-section > a"),
        ["Other topics", "Setup", "Advanced"]
    );

    // The navigation file: named by its content, the same for every page, with every entry.
    let (url, tree) = nav_file_of(&site, &html);
    assert!(
        url.len() == "/_nav/0123456789abcdef.json".len()
            && url.starts_with("/_nav/")
            && url.ends_with(".json"),
        "{url}"
    );
    for other in ["", "teams/team-07/", "policies/", "404.html", "search/"] {
        let page = if other == "404.html" {
            scraper::Html::parse_document(&site.read("public/404.html"))
        } else {
            site.html(other)
        };
        assert_eq!(nav_file_of(&site, &page).0, url, "/{other}");
    }
    let mut entries = Vec::new();
    flatten(&tree, "", 1, &mut entries);
    assert_eq!(entries.len(), 12 + TEAMS, "{entries:?}");
    for (depth, title, url) in [
        (1, "Guides", "/guides/"),
        (2, "Other topics", "/guides/other/"),
        (3, "Far away", "/guides/other/far-away/"),
        (4, "Tuning", "/guides/setup/advanced/tuning/"),
        (2, "Team 40", "/teams/team-40/"),
    ] {
        assert!(
            entries.contains(&(depth, title.to_string(), url.to_string())),
            "{title} at {depth}: {entries:?}"
        );
    }
    // Each URL is written after its section's: `far-away/`, not the whole path.
    let text = std::fs::read_to_string(site.public().join(url.trim_start_matches('/'))).unwrap();
    assert!(text.contains(r#"["Far away","far-away/"]"#), "{text}");
    // The home page is no entry of its own tree.
    assert!(!entries.iter().any(|(_, title, _)| title == "Home"));
}

#[test]
fn each_language_version_has_its_own_nav_file_under_the_base_path() {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        "title = \"H\"\nbase_url = \"https://h.example.org/docs/\"\nlanguage = \"en\"\nlanguages = [\"en\", \"es\"]\n",
    )
    .write("content/_index.md", "# Home\n")
    .write("content/guide.md", "# Guide\n")
    .write("content/more/_index.md", "# More\n")
    .write("content/more/deeper.md", "# Deeper\n")
    .write("content/es/_index.md", "# Inicio\n")
    .write("content/es/guia.md", "# La guía\n");
    site.build(&[]).assert_success();
    let nav_url =
        |html: &scraper::Html| select_attrs(html, "nav.sidebar", "data-nav").pop().unwrap();
    let en_url = nav_url(&site.html("guide/"));
    let es_url = nav_url(&site.html("es/guia/"));
    assert_ne!(en_url, es_url);
    assert!(en_url.starts_with("/docs/_nav/"), "{en_url}");
    let read = |url: &str| -> Value {
        let text = site.read(&format!("public/{}", url.trim_start_matches("/docs/")));
        serde_json::from_str(&text).unwrap()
    };
    // The top level's URLs are whole, the rest relative to their section's.
    assert_eq!(
        read(&en_url),
        json!([
            ["Guide", "/docs/guide/"],
            ["More", "/docs/more/", [["Deeper", "deeper/"]]]
        ])
    );
    assert_eq!(read(&es_url), json!([["La guía", "/docs/es/guia/"]]));
}

#[test]
fn serve_keeps_the_nav_file_current_after_a_title_changes() {
    use crate::serve::Server;
    let site = deep_site();
    let server = Server::start(&site, &[]);
    let nav_of = |url: &str| {
        let page = scraper::Html::parse_document(&server.get(url).text());
        let nav = select_attrs(&page, "nav.sidebar", "data-nav")
            .pop()
            .expect("a navigation file");
        let reply = server.get(&nav);
        assert_eq!(reply.status, 200, "{nav}");
        (nav, reply.text())
    };
    let (before, text) = nav_of("/policies/usage/");
    assert!(text.contains(r#""Far away""#), "{text}");
    let mut events = server.events();
    site.replace(
        "content/guides/other/far-away.md",
        "---\ntitle: Much further away\n---\n\nAbout it.\n",
    );
    events.expect("reload");
    // Another page than the one edited names the new file, which has the new title.
    let (after, text) = nav_of("/policies/usage/");
    assert_ne!(before, after);
    assert!(text.contains(r#""Much further away""#), "{text}");
    assert!(!text.contains(r#""Far away""#), "{text}");
    // An edit to a page's body alone keeps the tree, and its file.
    site.replace(
        "content/policies/usage.md",
        "---\ntitle: Usage\n---\n\nAbout usage, edited.\n",
    );
    events.expect("reload");
    assert_eq!(nav_of("/policies/usage/").0, after);
}

/// Builds the deep site into a temporary folder and serves it as a static host would.
fn serve_deep_site() -> (SiteTest, StaticServer) {
    let site = deep_site();
    let status = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--root"])
        .arg(site.root())
        .args(["--base-url", "/"])
        .status()
        .expect("run folio");
    assert!(status.success(), "the deep site must build");
    let server = StaticServer::start(&site.public());
    (site, server)
}

const TEXTS: &str = "(level) => [...document.querySelectorAll(`#site-nav .nav-level-${level} > li > a`)].map(a => a.textContent)";

/// True when the link to `href` in the sidebar is shown.
fn shown(href: &str) -> String {
    format!(
        "(() => {{ const a = document.querySelector('#site-nav a[href=\"{href}\"]'); if (!a) return false; const r = a.getBoundingClientRect(); return r.width > 0 && r.height > 0; }})()"
    )
}

#[test]
fn with_javascript_the_sidebar_fills_in_and_sections_open_in_place() {
    let Some(mut browser) =
        Browser::launch("with_javascript_the_sidebar_fills_in_and_sections_open_in_place")
    else {
        return;
    };
    let (_site, server) = serve_deep_site();
    browser.viewport(1100, 800, false);
    browser.goto(&format!("{}/guides/setup/install/", server.origin));
    browser.wait_for("document.querySelector('#site-nav .nav-toggle')");
    // The open levels are whole now, as the navigation file has them.
    assert_eq!(
        browser.eval(&format!("({TEXTS})(2)")),
        json!(["Intro", "Other topics", "Setup"])
    );
    assert_eq!(
        browser.eval(&format!("({TEXTS})(3)")),
        json!(["Advanced", "Configure", "Install"])
    );
    assert_eq!(
        browser.eval("[...document.querySelectorAll('#site-nav [aria-current=page]')].map(a => a.textContent)"),
        json!(["Install"])
    );
    // A closed section opens in place, its pages built from the file, and closes again.
    let teams = "#site-nav li:has(> a[href=\"/teams/\"]) > .nav-toggle";
    assert_eq!(
        browser.eval(&format!(
            "document.querySelector({teams:?}).getAttribute('aria-expanded')"
        )),
        "false"
    );
    assert_eq!(browser.eval(&shown("/teams/team-05/")), false);
    browser.click(teams);
    browser.wait_for(&shown("/teams/team-05/"));
    assert_eq!(
        browser.eval(&format!(
            "document.querySelector({teams:?}).getAttribute('aria-expanded')"
        )),
        "true"
    );
    assert_eq!(
        browser.eval(&format!(
            "document.querySelector({teams:?}).getAttribute('aria-label')"
        )),
        "Teams"
    );
    browser.click("#site-nav li:has(> a[href=\"/guides/setup/advanced/\"]) > .nav-toggle");
    browser.wait_for(&shown("/guides/setup/advanced/tuning/"));
    browser.screenshot("sidebar-desktop-opened");
    browser.click(teams);
    browser.wait_for(&format!("!{}", shown("/teams/team-05/")));
    // Closing a section on the path hides its pages too.
    browser.click("#site-nav li:has(> a[href=\"/guides/\"]) > .nav-toggle");
    browser.wait_for(&format!("!{}", shown("/guides/setup/install/")));
    browser.click("#site-nav li:has(> a[href=\"/guides/\"]) > .nav-toggle");
    browser.wait_for(&shown("/guides/setup/install/"));
    // Its links lead where they say.
    browser.click(teams);
    browser.wait_for(&shown("/teams/team-05/"));
    browser.click("#site-nav a[href=\"/teams/team-05/\"]");
    browser
        .wait_for("location.pathname === '/teams/team-05/' && document.readyState === 'complete'");
    browser.wait_for("document.querySelector('#site-nav .nav-toggle')");
    assert_eq!(
        browser.eval("document.querySelector('#site-nav [aria-current=page]').textContent"),
        "Team 05"
    );
    assert_eq!(browser.eval(&format!("({TEXTS})(2).length")), json!(TEAMS));
    browser.screenshot("sidebar-desktop-team");
}

#[test]
fn without_javascript_the_sidebar_shows_the_top_level_and_the_path() {
    let Some(mut browser) =
        Browser::launch("without_javascript_the_sidebar_shows_the_top_level_and_the_path")
    else {
        return;
    };
    let (_site, server) = serve_deep_site();
    browser.call(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": true}),
    );
    browser.viewport(1100, 800, false);
    browser.goto(&format!("{}/guides/setup/install/", server.origin));
    assert_eq!(
        browser.eval("document.documentElement.classList.contains('js')"),
        false,
        "the page's scripts did not run"
    );
    assert_eq!(
        browser.eval("document.querySelectorAll('#site-nav .nav-toggle').length"),
        0
    );
    assert_eq!(
        browser.eval(&format!("({TEXTS})(1)")),
        json!(["Guides", "Policies", "Teams"])
    );
    assert_eq!(browser.eval(&format!("({TEXTS})(2)")), json!(["Setup"]));
    for href in ["/guides/", "/guides/setup/", "/teams/"] {
        assert_eq!(browser.eval(&shown(href)), true, "{href}");
    }
    // The page's neighbours are one step up: the section's page lists them.
    assert_eq!(browser.eval(&shown("/guides/setup/configure/")), false);
    browser.screenshot("sidebar-no-js");
    browser.click("#site-nav a[href=\"/guides/setup/\"]");
    browser
        .wait_for("location.pathname === '/guides/setup/' && document.readyState === 'complete'");
    assert_eq!(browser.eval(&shown("/guides/setup/configure/")), true);
    browser.click("#site-nav a[href=\"/guides/setup/configure/\"]");
    browser.wait_for(
        "location.pathname === '/guides/setup/configure/' && document.readyState === 'complete'",
    );
    assert_eq!(
        browser.eval("document.querySelector('#site-nav [aria-current=page]').textContent"),
        "Configure"
    );
}

#[test]
fn on_a_phone_the_menu_shows_the_sidebar_and_sections_open() {
    let Some(mut browser) =
        Browser::launch("on_a_phone_the_menu_shows_the_sidebar_and_sections_open")
    else {
        return;
    };
    let (_site, server) = serve_deep_site();
    browser.viewport(360, 800, true);
    browser.goto(&format!("{}/guides/setup/install/", server.origin));
    browser.wait_for("document.querySelector('#site-nav .nav-toggle')");
    assert_eq!(
        browser.eval(&shown("/guides/setup/install/")),
        false,
        "behind the menu"
    );
    browser.click(".menu-toggle");
    browser.wait_for(&shown("/guides/setup/install/"));
    browser.click("#site-nav li:has(> a[href=\"/policies/\"]) > .nav-toggle");
    browser.wait_for(&shown("/policies/usage/"));
    let widths = browser.eval("[document.documentElement.scrollWidth, window.innerWidth]");
    assert!(
        widths[0].as_u64() <= widths[1].as_u64(),
        "no sideways scroll: {widths}"
    );
    // The toggle is a comfortable target and sits on its link's row.
    let boxes = browser.eval(
        "(() => { const b = document.querySelector('#site-nav li:has(> a[href=\"/policies/\"]) > .nav-toggle').getBoundingClientRect(); const a = document.querySelector('#site-nav a[href=\"/policies/\"]').getBoundingClientRect(); return [b.width, b.height, Math.abs(b.top - a.top)]; })()",
    );
    assert!(
        boxes[0].as_f64().unwrap() >= 24.0 && boxes[1].as_f64().unwrap() >= 24.0,
        "{boxes}"
    );
    assert!(boxes[2].as_f64().unwrap() < 4.0, "{boxes}");
    browser.screenshot("sidebar-mobile-open");
}
