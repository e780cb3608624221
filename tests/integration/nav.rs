//! The navigation the author wrote, in the sidebar: site.toml's `nav` (mkdocs.yml, SUMMARY.md),
//! awesome-pages `.pages` files, Docusaurus `_category_` files and `sidebar_position`, and
//! Eleventy's `eleventyNavigation` order and title it; what they leave out is still built. Also
//! `exclude`, and the checks of both keys.

use crate::support::{SiteTest, select_attrs, select_texts};

/// The titles of the sidebar's top level on `url_path`.
fn top_level(site: &SiteTest, url_path: &str) -> Vec<String> {
    select_texts(&site.html(url_path), "nav.sidebar ul.nav-level-1 > li > a")
}

/// The titles of the sidebar's second level: the entries of the folder `url_path` is in, as
/// that folder's page shows them (a page's own sidebar shows only itself in its list).
fn second_level(site: &SiteTest, url_path: &str) -> Vec<String> {
    let folder = url_path
        .trim_end_matches('/')
        .rsplit_once('/')
        .map(|(folder, _)| format!("{folder}/"))
        .unwrap_or_default();
    select_texts(&site.html(&folder), "nav.sidebar ul.nav-level-2 > li > a")
}

#[test]
fn an_mdbook_summary_orders_and_titles_the_sidebar() {
    let site = SiteTest::fixture("import/mdbook");
    site.write("src/notes.md", "# Notes left out of the summary\n");
    site.folio(&["import"]).assert_success();
    site.build(&[]).assert_success();
    // SUMMARY.md's order, not the titles' order; its titles, not the pages' headings.
    assert_eq!(
        top_level(&site, "policies/licences/"),
        [
            "Using open source",
            "Contributing upstream",
            "Playbooks",
            "Glossary"
        ]
    );
    assert_eq!(
        second_level(&site, "policies/licences/"),
        ["Licences we accept"]
    );
    // Reading order follows the summary too.
    let page = site.html("policies/licences/");
    let next = select_attrs(&page, "a[rel=next]", "href");
    assert_eq!(next, ["/ospo-book/contributing/"]);
    // A page the summary leaves out is built and searchable, but not in the sidebar.
    assert!(site.output_file("notes/").is_file());
    assert!(!top_level(&site, "").contains(&"Notes left out of the summary".to_string()));
}

#[test]
fn docusaurus_categories_and_sidebar_positions_order_the_sidebar() {
    let site = SiteTest::fixture("import/docusaurus");
    site.folio(&["import"]).assert_success();
    site.build(&[]).assert_success();
    let url = "policies/using-open-source/";
    // By `position` in _category_ files and `sidebar_position`, not by title.
    assert_eq!(
        top_level(&site, url),
        ["Welcome to the OSPO handbook", "Policies", "Playbooks"]
    );
    // `sidebar_label` titles the entry; the page keeps its title as its heading.
    assert_eq!(
        second_level(&site, url),
        ["Using open source", "Contributing upstream"]
    );
    assert_eq!(
        select_texts(&site.main_html(url), "h1"),
        ["Using open source in our products"]
    );
    // Slugs from the root: `slug: /` is the home page, `slug: /release` is at /release/.
    assert_eq!(
        select_texts(&site.main_html(""), "h1"),
        ["Welcome to the OSPO handbook"]
    );
    assert!(site.output_file("release/index.html").is_file());
    assert!(!site.output_file("intro/index.html").exists());
}

/// A small MkDocs handbook: mkdocs.yml with a `nav`, pages it leaves out, and an entry for a
/// page that is not there.
fn mkdocs_site() -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        "title = \"H\"\ncontent_dir = \"docs\"\nnav = \"mkdocs.yml\"\n",
    )
    .write(
        "mkdocs.yml",
        "site_name: H\nnav:\n  - Home: index.md\n  - Team guides:\n      - guides/zeta.md\n      - First steps: guides/alpha.md\n  - Policies: policies/README.md\n  - Code: https://example.org/code\n  - gone.md\n",
    )
    .write("docs/index.md", "# Home\n")
    .write("docs/guides/alpha.md", "# Alpha\n")
    .write("docs/guides/zeta.md", "# Zeta\n")
    .write("docs/guides/hidden.md", "# Hidden from the nav\n")
    .write("docs/policies/README.md", "# All our policies\n")
    .write("docs/policies/travel.md", "# Travel\n")
    .write("docs/extra.md", "# Extra\n");
    site
}

#[test]
fn a_mkdocs_nav_orders_titles_and_leaves_out() {
    let site = mkdocs_site();
    let run = site.build(&[]);
    run.assert_success();
    assert_eq!(
        top_level(&site, "guides/zeta/"),
        ["Team guides", "Policies"]
    );
    assert_eq!(second_level(&site, "guides/zeta/"), ["Zeta", "First steps"]);
    // A folder named by a group takes the group's title as its title too.
    assert_eq!(
        select_texts(&site.main_html("guides/"), "h1"),
        ["Team guides"]
    );
    // The folder page keeps its heading; the nav's title is for the sidebar.
    assert_eq!(
        select_texts(&site.main_html("policies/"), "h1"),
        ["All our policies"]
    );
    // Left out of the nav: built, listed by their folder, missing from the sidebar only.
    for url in ["guides/hidden/", "extra/", "policies/travel/"] {
        assert!(site.output_file(url).is_file(), "{url}");
    }
    assert!(select_texts(&site.main_html("guides/"), "a").contains(&"Hidden from the nav".into()));
    assert!(!second_level(&site, "guides/zeta/").contains(&"Hidden from the nav".into()));
    // An entry naming no page is a warning at its place.
    let warning = run.diagnostic(
        "warning: the navigation names `gone.md`, which is no page or folder of the content folder",
    );
    assert!(warning.contains("--> mkdocs.yml:9:5"), "{warning}");
}

#[test]
fn pages_files_order_with_the_rest_and_title_folders() {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"H\"\n")
        .write("content/_index.md", "# Home\n")
        .write(
            "content/.pages",
            "nav:\n  - Start here: start.md\n  - ...\n  - CI/CD: ci-cd\n",
        )
        .write("content/start.md", "# Getting started\n")
        .write("content/b.md", "# Bravo\n")
        .write("content/a.md", "# Alpha\n")
        .write("content/ci-cd/pipelines.md", "# Pipelines\n")
        .write("content/ml-and-ai-projects/models.md", "# Models\n")
        .write("content/secret/.pages", "hide: true\n")
        .write("content/secret/x.md", "# Secret page\n")
        .write(
            "content/team/.pages",
            "title: The team\narrange:\n  - zed.md\n  - ...\n",
        )
        .write("content/team/ann.md", "# Ann\n")
        .write("content/team/zed.md", "# Zed\n");
    site.build(&[]).assert_clean();
    assert_eq!(
        top_level(&site, "team/ann/"),
        [
            "Start here",
            "Alpha",
            "Bravo",
            "ML and AI projects",
            "The team",
            "CI/CD"
        ]
    );
    assert_eq!(second_level(&site, "team/ann/"), ["Zed", "Ann"]);
    // Hidden from the sidebar, still built.
    assert!(site.output_file("secret/x/").is_file());
    assert_eq!(select_texts(&site.main_html("team/"), "h1"), ["The team"]);
    assert_eq!(
        select_texts(&site.main_html("ml-and-ai-projects/"), "h1"),
        ["ML and AI projects"]
    );
}

#[test]
fn eleventy_navigation_orders_and_titles_the_sidebar() {
    let site = SiteTest::empty();
    let page = |key: &str, parent: Option<&str>, order: u32, title: &str, heading: &str| {
        let parent = parent.map_or(String::new(), |p| format!("\n  parent: {p}"));
        format!(
            "---\neleventyNavigation:\n  key: {key}{parent}\n  order: {order}\n  title: {title}\n---\n\n# {heading}\n"
        )
    };
    site.write("site.toml", "title = \"H\"\n")
        .write("content/index.md", &page("home", None, 0, "Home", "Home"))
        .write(
            "content/guides/index.md",
            &page("guides", None, 2, "Guides", "All the guides"),
        )
        .write(
            "content/guides/aaa.md",
            &page("aaa", Some("guides"), 2, "Second", "Aaa"),
        )
        .write(
            "content/guides/zzz.md",
            &page("zzz", Some("guides"), 1, "First", "Zzz"),
        )
        .write(
            "content/about.md",
            &page("about", None, 1, "About us", "About"),
        );
    site.build(&[]).assert_success();
    assert_eq!(top_level(&site, "guides/aaa/"), ["About us", "Guides"]);
    assert_eq!(second_level(&site, "guides/aaa/"), ["First", "Second"]);
}

#[test]
fn exclude_leaves_folders_of_the_content_folder_out() {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        "title = \"H\"\nexclude = [\"node_modules\", \"_site/\"]\n",
    )
    .write("content/_index.md", "# Home\n")
    .write("content/node_modules/pkg/README.md", "# A package\n")
    .write("content/node_modules/pkg/index.js", "x\n")
    .write("content/_site/index.md", "# Old output\n")
    .write("content/guide.md", "# Guide\n");
    site.build(&[]).assert_clean();
    assert!(site.output_file("guide/").is_file());
    assert!(!site.public().join("node_modules").exists());
    assert!(!site.public().join("_site").exists());
}

#[test]
fn nav_and_exclude_are_checked_at_their_place_in_site_toml() {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        "title = \"H\"\nnav = \"docs/sidebars.js\"\nexclude = [\"ok\", \"../up\"]\n",
    )
    .write("docs/sidebars.js", "module.exports = {}\n")
    .write("content/_index.md", "# Home\n");
    let run = site.build(&[]);
    run.assert_code(1);
    let nav =
        run.diagnostic("error: nav `docs/sidebars.js` is neither a mkdocs.yml nor a SUMMARY.md");
    assert!(nav.contains("--> site.toml:2:7"), "{nav}");
    let exclude = run.diagnostic("error: exclude `../up` leads out of its folder with `..`");
    assert!(exclude.contains("--> site.toml:3:18"), "{exclude}");
    site.write("site.toml", "title = \"H\"\nnav = \"SUMMARY.md\"\n");
    let run = site.build(&[]);
    run.assert_code(1);
    let missing = run.diagnostic("error: nav `SUMMARY.md` names no file");
    assert!(missing.contains("--> site.toml:2:7"), "{missing}");
}

#[test]
fn a_broken_nav_file_is_a_warning_and_the_site_builds_in_its_own_order() {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"H\"\n")
        .write("content/_index.md", "# Home\n")
        .write("content/.pages", "nav: [unclosed\n")
        .write("content/b.md", "# Bravo\n")
        .write("content/a.md", "# Alpha\n");
    let run = site.build(&[]);
    run.assert_success();
    run.assert_stderr_contains("--> content/.pages:");
    run.assert_stderr_contains("the sidebar leaves this file out");
    assert_eq!(top_level(&site, "a/"), ["Alpha", "Bravo"]);
}

#[test]
fn serve_rebuilds_when_a_nav_file_changes() {
    use crate::serve::Server;
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        "title = \"H\"\ncontent_dir = \"docs\"\nnav = \"mkdocs.yml\"\n",
    )
    .write("mkdocs.yml", "nav:\n  - a.md\n  - b.md\n")
    .write("docs/index.md", "# Home\n")
    .write("docs/a.md", "# Alpha\n")
    .write("docs/b.md", "# Bravo\n")
    .write("docs/guides/x.md", "# X\n")
    .write("docs/guides/y.md", "# Y\n");
    let server = Server::start(&site, &[]);
    let sidebar = |url: &str| {
        let page = scraper::Html::parse_document(&server.get(url).text());
        select_texts(&page, "nav.sidebar ul.nav-level-1 > li > a")
    };
    assert_eq!(sidebar("/a/"), ["Alpha", "Bravo"]);
    let mut events = server.events();
    site.replace(
        "mkdocs.yml",
        "nav:\n  - b.md\n  - Guides: guides\n  - a.md\n",
    );
    events.expect("reload");
    assert_eq!(sidebar("/a/"), ["Bravo", "Guides", "Alpha"]);
    // A .pages file, hidden as it is, counts too; so does a page of docs/ (content_dir).
    site.replace("docs/guides/.pages", "nav:\n  - y.md\n  - x.md\n");
    events.expect("reload");
    let page = scraper::Html::parse_document(&server.get("/guides/").text());
    assert_eq!(
        select_texts(&page, "nav.sidebar ul.nav-level-2 > li > a"),
        ["Y", "X"]
    );
}
