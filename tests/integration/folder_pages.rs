//! Folder pages: `_index.md`, `index.md` and `README.md` (any case) as their folder's own page,
//! at the folder's URL; which one wins when a folder has several; links to any of them; and
//! aliases that land on a folder without a page of its own.

use crate::support::{SiteTest, href_of, select_attrs, select_texts};

#[test]
fn readme_and_index_files_are_their_folders_pages() {
    let site = SiteTest::fixture("folder_pages/handbook");
    let run = site.build(&[]);
    run.assert_success();
    // A root README.md is the home page when there is no _index.md.
    let home = site.main_html("");
    assert_eq!(select_texts(&home, "h1"), ["Welcome"]);
    // README.md is its folder's section page, at the folder's URL, listing the folder.
    let reviews = site.html("code-reviews/");
    assert_eq!(
        select_texts(&site.main_html("code-reviews/"), "h1"),
        ["Code Reviews"]
    );
    assert!(
        select_texts(&reviews, "main a").contains(&"Review tools".to_string()),
        "{:?}",
        select_texts(&reviews, "main a")
    );
    // Lower case counts too; index.md alone in its folder is its folder's page.
    assert_eq!(select_texts(&site.main_html("about/"), "h1"), ["About us"]);
    assert_eq!(select_texts(&site.main_html("team/"), "h1"), ["The team"]);
    for gone in [
        "code-reviews/README/",
        "about/readme/",
        "team/index/",
        "README/",
    ] {
        assert!(!site.output_file(gone).exists(), "/{gone} was written");
    }
    // The breadcrumbs of a page lead to its folder's page.
    let tools = site.html("code-reviews/tools/");
    assert_eq!(
        select_attrs(&tools, "nav.breadcrumbs a", "href"),
        ["/", "/code-reviews/"]
    );
}

#[test]
fn links_to_a_folder_its_readme_or_its_index_lead_to_its_page() {
    let site = SiteTest::fixture("folder_pages/handbook");
    site.build(&[])
        .assert_success()
        .assert_stderr_lacks("link to");
    let home = site.main_html("");
    for text in ["the reviews", "by its index", "by its folder"] {
        assert_eq!(href_of(&home, text), "/code-reviews/", "{text}");
    }
    assert_eq!(href_of(&home, "the team"), "/team/");
    assert_eq!(
        href_of(
            &site.main_html("code-reviews/tools/"),
            "back to the reviews"
        ),
        "/code-reviews/"
    );
}

#[test]
fn a_folder_with_several_folder_pages_keeps_the_first_and_warns_about_the_others() {
    let site = SiteTest::fixture("folder_pages/handbook");
    let run = site.build(&[]);
    run.assert_success();
    let warning = run.diagnostic(
        "warning: `README.md` is not its folder's page: `_index.md` is, as Folio takes `_index.md`, then `index.md`, then `README.md`",
    );
    assert!(
        warning.contains("--> content/guides/README.md:1:1"),
        "{warning}"
    );
    assert_eq!(select_texts(&site.main_html("guides/"), "h1"), ["Guides"]);
    // The other one is still built, as a page of the folder.
    assert_eq!(
        select_texts(&site.main_html("guides/README/"), "h1"),
        ["Guides, as GitHub shows them"]
    );
    let check = site.folio(&["check", "--format", "json"]);
    assert!(
        check.stdout.contains("\"code\": \"folder-page\""),
        "{}",
        check.stdout
    );
}

#[test]
fn index_wins_over_readme_and_neither_has_a_url_of_its_own_name() {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"H\"\n")
        .write("content/_index.md", "# Home\n")
        .write("content/guide/README.md", "# From the README\n")
        .write("content/guide/index.md", "# From the index\n")
        .write("content/guide/a.md", "# A\n");
    let run = site.build(&[]);
    run.assert_success()
        .assert_stderr_contains("warning: `README.md` is not its folder's page: `index.md` is");
    assert_eq!(
        select_texts(&site.main_html("guide/"), "h1"),
        ["From the index"]
    );
    assert!(site.output_file("guide/a/").is_file());
}

#[test]
fn an_alias_on_a_folder_without_a_page_makes_that_page_the_folders_landing_page() {
    let site = SiteTest::fixture("folder_pages/handbook");
    site.build(&[]).assert_success();
    // /policies/ redirects to the page that claims it, and the sidebar's folder entry opens it.
    let redirect = site.read("public/policies/index.html");
    assert!(redirect.contains("url=/policies/overview/"), "{redirect}");
    let page = site.html("policies/travel/");
    let sidebar = select_attrs(&page, "nav.sidebar ul.nav-level-1 > li > a", "href");
    assert!(
        sidebar.contains(&"/policies/overview/".to_string()),
        "{sidebar:?}"
    );
    assert!(
        select_texts(&page, "nav.sidebar a").contains(&"Our policies".to_string()),
        "the folder takes the title of its landing page"
    );
    // An alias equal to the page's own URL is no collision: nothing is said about it.
    site.build(&[]).assert_stderr_lacks("alias");
}

#[test]
fn an_alias_on_a_folder_page_the_author_wrote_stays_an_error() {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"H\"\n")
        .write("content/_index.md", "# Home\n")
        .write("content/guide/README.md", "# Guide\n")
        .write("content/guide/a.md", "# A\n")
        .write(
            "content/other.md",
            "---\ntitle: Other\naliases: [/guide/]\n---\n",
        )
        .write("content/x/one.md", "---\ntitle: One\naliases: [/x/]\n---\n")
        .write("content/x/two.md", "---\ntitle: Two\naliases: [/x/]\n---\n");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("error: alias `/guide/` collides with another page");
    assert!(error.contains("--> content/other.md:3:11"), "{error}");
    run.assert_stderr_contains(
        "error: alias `/x/` collides with another page: /x/ is an alias of `content/x/one.md` too",
    );
}
