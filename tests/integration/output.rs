//! The output folder: what is written where, and that a failed or unsafe build never damages
//! anything.

use std::fs;

use crate::support::{SiteTest, list_dir, select_attrs, select_texts, snapshot};

#[test]
fn pages_are_written_to_pretty_urls() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    for file in [
        "index.html",
        "policies/index.html",
        "policies/usage/index.html",
        "playbooks/index.html",
        "playbooks/release/index.html",
    ] {
        assert!(site.public().join(file).is_file(), "missing {file}");
    }
    assert!(!site.public().join("policies/usage.html").exists());
    assert!(!site.public().join("policies/usage.md").exists());
    assert_eq!(
        select_texts(&site.main_html("policies/usage/"), "h1"),
        ["Acceptable use"]
    );
    assert_eq!(
        crate::support::href_of(&site.main_html("policies/usage/"), "release playbook"),
        "/playbooks/release/"
    );
}

#[test]
fn page_bundle_files_are_copied_beside_the_page() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    assert_eq!(
        fs::read(site.public().join("playbooks/release/checklist.txt")).unwrap(),
        fs::read(site.path("content/playbooks/release/checklist.txt")).unwrap()
    );
    assert_eq!(
        crate::support::href_of(&site.main_html("playbooks/release/"), "the checklist"),
        "/playbooks/release/checklist.txt"
    );
}

#[test]
fn the_sitemap_lists_absolute_urls_of_every_page() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    let xml = site.read("public/sitemap.xml");
    assert!(xml.starts_with("<?xml"), "{xml}");
    let locs: Vec<&str> = xml
        .split("<loc>")
        .skip(1)
        .map(|rest| rest.split("</loc>").next().unwrap())
        .collect();
    let mut sorted = locs.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "https://handbook.example.org/",
            "https://handbook.example.org/playbooks/",
            "https://handbook.example.org/playbooks/release/",
            "https://handbook.example.org/policies/",
            "https://handbook.example.org/policies/usage/",
        ]
    );
    assert!(
        xml.contains(
            "<loc>https://handbook.example.org/policies/usage/</loc><lastmod>2026-05-01</lastmod>"
        ),
        "{xml}"
    );
}

#[test]
fn robots_txt_names_the_sitemap() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    let robots = site.read("public/robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l == "Sitemap: https://handbook.example.org/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn the_sitemap_follows_base_url_from_the_command_line() {
    let site = SiteTest::fixture("output/site");
    site.build(&["--base-url", "https://ospo.example.com/handbook/"])
        .assert_clean();
    let xml = site.read("public/sitemap.xml");
    assert!(
        xml.contains("<loc>https://ospo.example.com/handbook/policies/usage/</loc>"),
        "{xml}"
    );
    assert!(!xml.contains("handbook.example.org"), "{xml}");
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://ospo.example.com/handbook/sitemap.xml")
    );
}

#[test]
fn a_not_found_page_is_written() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    let page = site.html("404.html");
    assert_eq!(select_texts(&page, "main h1"), ["Page not found"]);
    assert_eq!(
        select_attrs(&page, "meta[name=robots]", "content"),
        ["noindex"]
    );
}

#[test]
fn an_alias_redirects_to_the_page() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    let page = site.html("old/usage/");
    let refresh = select_attrs(&page, "meta[http-equiv=refresh]", "content");
    assert_eq!(
        refresh,
        ["0; url=https://handbook.example.org/policies/usage/"]
    );
    assert_eq!(
        select_attrs(&page, "link[rel=canonical]", "href"),
        ["https://handbook.example.org/policies/usage/"]
    );
}

#[test]
fn tags_get_an_index_and_a_page_each() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    let index = site.main_html("tags/");
    let mut tags = select_attrs(&index, "a.tag", "href");
    tags.sort();
    assert_eq!(tags, ["/tags/licensing/", "/tags/supply-chain/"]);

    let licensing = site.main_html("tags/licensing/");
    assert_eq!(select_texts(&licensing, "h1"), ["licensing"]);
    let mut pages = select_texts(&licensing, ".page-card-title a");
    pages.sort();
    assert_eq!(pages, ["Acceptable use", "Releasing a project"]);

    let supply = site.main_html("tags/supply-chain/");
    assert_eq!(select_texts(&supply, "h1"), ["Supply chain"]);
    assert_eq!(
        select_texts(&supply, ".page-card-title a"),
        ["Acceptable use"]
    );
    // Pages link to their tags.
    let usage = site.main_html("policies/usage/");
    assert_eq!(
        select_attrs(&usage, ".tag-list a.tag", "href"),
        ["/tags/licensing/", "/tags/supply-chain/"]
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    let before = site.output_snapshot();
    assert!(before.len() > 10, "{:?}", before.keys());

    site.write(
        "content/policies/usage.md",
        "---\ntitle: Acceptable use\n---\n\nSee [nothing](nowhere.md).\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains("link to a missing page `nowhere.md`");
    run.assert_stderr_contains("the previous output was left as it was");
    let after = site.output_snapshot();
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &before {
        assert!(after[path] == *bytes, "{} changed", path.display());
    }
}

#[test]
fn no_staging_folder_is_left_next_to_the_output() {
    let site = SiteTest::fixture("output/site");
    let root_before = list_dir(site.root());
    site.build(&[]).assert_clean();
    site.build(&[]).assert_clean();
    site.write("content/broken.md", "# Broken\n\n[x](nowhere.md)\n");
    site.build(&[]).assert_code(1);
    let mut expected = root_before;
    // The output and, beside it, its search index: nothing half-built.
    expected.push("public".into());
    expected.push(".public.folio-index".into());
    expected.sort();
    assert_eq!(list_dir(site.root()), expected);
}

#[test]
fn a_successful_rebuild_removes_pages_that_no_longer_exist() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    assert!(site.output_file("policies/usage/").is_file());
    fs::remove_file(site.path("content/policies/usage.md")).unwrap();
    site.build(&[]).assert_clean();
    assert!(!site.output_file("policies/usage/").exists());
    assert!(!site.output_file("old/usage/").exists());
}

#[test]
fn a_folder_not_written_by_folio_is_never_replaced() {
    let site = SiteTest::fixture("output/site");
    site.write("public/notes.txt", "my own notes");
    site.write("public/drafts/plan.md", "keep me");
    let before = snapshot(&site.public());
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains("refusing to replace `");
    run.assert_stderr_contains(
        "it exists and was not written by Folio (it has no .folio-output file)",
    );
    assert_eq!(snapshot(&site.public()), before);
}

#[test]
fn an_empty_existing_folder_is_used() {
    let site = SiteTest::fixture("output/site");
    fs::create_dir(site.public()).unwrap();
    site.build(&[]).assert_clean();
    assert!(site.output_file("").is_file());
}

#[test]
fn the_site_root_is_refused_as_output() {
    let site = SiteTest::fixture("output/site");
    let before = snapshot(site.root());
    let root = site.root().to_str().unwrap().to_string();
    let run = site.build(&["--output", &root]);
    run.assert_code(1);
    run.assert_stderr_contains("refusing to use `");
    run.assert_stderr_contains("it is the site root, the folder holding site.toml");
    assert_eq!(snapshot(site.root()), before);
}

#[test]
fn the_content_folder_is_refused_as_output() {
    let site = SiteTest::fixture("output/site");
    let before = snapshot(site.root());
    for (output, why) in [
        ("content", "it is the site's content folder, `content`"),
        ("content/out", "it is inside the site's content folder, `content`"),
    ] {
        let target = site.path(output);
        let run = site.build(&["--output", target.to_str().unwrap()]);
        run.assert_code(1);
        run.assert_stderr_contains(why);
        assert_eq!(snapshot(site.root()), before, "{output}");
    }
}

#[test]
fn a_relative_output_is_taken_from_the_working_folder() {
    let site = SiteTest::fixture("output/site");
    let run = site.folio(&["build", "--root", ".", "--output", "out"]);
    run.assert_clean();
    assert!(site.path("out/policies/usage/index.html").is_file());
    assert!(!site.public().exists());
}
