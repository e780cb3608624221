//! `folio import`, then `folio build`, on copies of the four real handbooks under
//! ../shared/corpora: folder pages (`README.md`, `index.md`) at their folders' URLs, and the
//! sidebar ordered and titled by the navigation their authors wrote.

use std::path::{Path, PathBuf};

use crate::import::{corpus_copy, string, written};
use crate::support::{Run, SiteTest, select_texts};

/// A copy of a corpus, imported (`prepare` runs first, on the copy) and built: the build's run.
fn imported_and_built(name: &str, prepare: impl Fn(&SiteTest)) -> Option<(SiteTest, Run)> {
    let site = corpus_copy(name)?;
    prepare(&site);
    site.folio(&["import"]).assert_success();
    let run = site.build(&[]);
    Some((site, run))
}

/// The output folder site.toml names.
fn output(site: &SiteTest) -> PathBuf {
    site.path(string(&written(site), "output_dir").unwrap_or("public"))
}

/// The titles of the sidebar's entries at `level` in the output page of `url_path`.
fn sidebar(site: &SiteTest, url_path: &str, level: usize) -> Vec<String> {
    let file = output(site).join(url_path).join("index.html");
    let text = std::fs::read_to_string(&file).expect("the page is written");
    let page = scraper::Html::parse_document(&text);
    let css = format!("nav.sidebar ul.nav-level-{level} > li > a");
    select_texts(&page, &css)
}

/// The `<h1>` of the output page of `url_path`.
fn heading(site: &SiteTest, url_path: &str) -> Vec<String> {
    let file = output(site).join(url_path).join("index.html");
    let text = std::fs::read_to_string(&file).expect("the page is written");
    select_texts(&scraper::Html::parse_document(&text), "main h1.doc-title")
}

/// Every output path with `README` in it, in any case.
fn readme_paths(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().display().to_string())
        .filter(|p| p.to_lowercase().contains("readme"))
        .collect()
}

#[test]
fn the_engineering_playbook_builds_with_its_readmes_as_folder_pages_and_its_pages_nav() {
    let Some((site, run)) = imported_and_built("engineering-playbook", |_| {}) else {
        return;
    };
    run.assert_success();
    assert_eq!(heading(&site, "code-reviews"), ["Code Reviews"]);
    let readmes = readme_paths(&output(&site));
    assert!(readmes.is_empty(), "{readmes:?}");
    // docs/.pages: its entries first, in its order and with its titles, `...`, then UI/UX.
    let top = sidebar(&site, "code-reviews", 1);
    assert_eq!(
        top[..6],
        [
            "Engineering Fundamentals Checklist",
            "The First Week of an ISE Project",
            "Who is ISE?",
            "Agile Development",
            "Automated Testing",
            "CI/CD",
        ]
    );
    assert_eq!(top.last().map(String::as_str), Some("UI/UX"));
    // docs/automated-testing/.pages.
    let testing = sidebar(&site, "automated-testing", 2);
    assert_eq!(testing[..2], ["CDC testing", "End-to-end testing"]);
    assert_eq!(testing.last().map(String::as_str), Some("UI testing"));
    run.assert_stderr_lacks("folder-page")
        .assert_stderr_lacks("the navigation names");
}

#[test]
fn the_ospo_book_keeps_its_section_pages_and_weights() {
    let Some((site, run)) = imported_and_built("ospo-book", |_| {}) else {
        return;
    };
    run.assert_success();
    assert_eq!(heading(&site, ""), ["OSPO Book"]);
    // By weight, with each page's own title: no folder becomes a made-up section.
    let top = sidebar(&site, "01-chapter", 1);
    assert_eq!(
        top[..3],
        [
            "Table of Contents",
            "What's this book about?",
            "Chapter 1: Introduction to Open Source Program Offices"
        ]
    );
    // Each language's home is its own _index.md.
    assert!(output(&site).join("es/index.html").is_file());
    assert_ne!(heading(&site, "es"), ["Es"]);
}

#[test]
fn the_open_source_guides_take_a_readme_as_a_language_home() {
    let Some((site, run)) = imported_and_built("opensource-guide", |_| {}) else {
        return;
    };
    run.assert_success().assert_stderr_lacks("error:");
    // _articles/zh-hant/README.md is that language's home, not a page at /zh-hant/README/.
    assert!(readme_paths(&output(&site)).is_empty());
    let home = heading(&site, "zh-hant");
    assert!(home.len() == 1 && home[0] != "Zh hant", "{home:?}");
    // A language without a page of its own at its top is named in its language.
    assert_eq!(heading(&site, "ar"), ["العربية"]);
}

#[test]
fn the_cms_guide_is_ordered_and_titled_by_its_eleventy_navigation() {
    let Some((site, run)) = imported_and_built("cms-ospo-guide", |_| {}) else {
        return;
    };
    run.assert_success();
    // index.md is its folder's page; eleventyNavigation's titles and order make the sidebar.
    assert_eq!(
        heading(&site, "about"),
        ["About the CMS Open Source Program Office"]
    );
    assert!(!output(&site).join("about/index/index.html").exists());
    let url = "outbound/ai";
    assert_eq!(
        sidebar(&site, url, 1),
        ["About", "Growing", "Inbound", "Outbound", "Resources"]
    );
    // The folder's page lists its pages (a page shows only itself in its list).
    assert_eq!(
        sidebar(&site, "outbound", 2)[..4],
        [
            "Maturity Model Ladder Guide",
            "Maturity Models",
            "Repository Templates & Linters",
            "Repository Metadata"
        ]
    );
    // Its tables of contents link to headings by the ids Eleventy's `slugify` makes
    // (`#check-tokens-and-keys` for "Check Tokens & Keys"): every one reaches its heading.
    run.assert_stderr_lacks("link to a missing heading");
    run.assert_stderr_contains("links name headings by the ids Eleventy gives them");
    let policy = std::fs::read_to_string(
        output(&site).join("resources/github-management-policy/index.html"),
    )
    .expect("the GitHub management policy page");
    assert!(policy.contains("href=\"#check-tokens--keys\""), "{policy}");
    assert!(policy.contains("id=\"check-tokens--keys\""), "{policy}");
}
