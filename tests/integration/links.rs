//! Links between pages: rewritten from source paths to URLs, and every broken one reported.

use std::path::Path;

use crate::support::{SiteTest, href_of, location_of, select_attrs, snapshot};

#[test]
fn links_to_markdown_files_become_pretty_urls() {
    let site = SiteTest::fixture("links/basic");
    site.build(&[]).assert_clean();
    let main = site.main_html("guides/start/");
    assert_eq!(href_of(&main, "usage policy"), "/policies/usage/");
    assert_eq!(href_of(&main, "usage from root"), "/policies/usage/");
    assert_eq!(href_of(&main, "scope section"), "/policies/usage/#scope");
    assert_eq!(href_of(&main, "sibling page"), "/guides/sibling/");
    assert_eq!(href_of(&main, "details below"), "#details");
}

#[test]
fn links_to_folders_and_files_beside_pages_resolve() {
    let site = SiteTest::fixture("links/basic");
    site.build(&[]).assert_clean();
    let main = site.main_html("guides/start/");
    assert_eq!(href_of(&main, "all policies"), "/policies/");
    assert_eq!(href_of(&main, "about us"), "/about/");
    assert_eq!(href_of(&main, "review diagram"), "/about/diagram.svg");

    let about = site.main_html("about/");
    assert_eq!(
        select_attrs(&about, ".prose img", "src"),
        ["/about/diagram.svg"]
    );
    assert_eq!(href_of(&about, "the diagram"), "/about/diagram.svg");
    assert!(site.public().join("about/diagram.svg").is_file());
}

#[test]
fn external_links_are_left_as_written() {
    let site = SiteTest::fixture("links/basic");
    site.build(&[]).assert_clean();
    let main = site.main_html("guides/start/");
    assert_eq!(href_of(&main, "SPDX list"), "https://spdx.org/licenses/");
    assert_eq!(href_of(&main, "write to us"), "mailto:ospo@example.org");
    assert_eq!(
        href_of(&main, "https://example.com/autolink"),
        "https://example.com/autolink"
    );
}

#[test]
fn links_follow_the_base_path_of_base_url() {
    let site = SiteTest::fixture("links/basic");
    site.build(&["--base-url", "https://example.org/handbook"])
        .assert_clean();
    let main = site.main_html("guides/start/");
    assert_eq!(href_of(&main, "usage policy"), "/handbook/policies/usage/");
    assert_eq!(
        href_of(&main, "scope section"),
        "/handbook/policies/usage/#scope"
    );
    assert_eq!(
        href_of(&main, "review diagram"),
        "/handbook/about/diagram.svg"
    );
    assert_eq!(href_of(&main, "SPDX list"), "https://spdx.org/licenses/");
}

#[test]
fn a_link_to_a_missing_page_is_an_error_at_its_position() {
    let site = SiteTest::fixture("links/broken");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("link to a missing page `../policies/usgae.md`");
    // Line 5 of the fixture, where `[` opens the link after "Read the ".
    assert_eq!(
        location_of(&site, "content/guides/one.md", "[usage policy]"),
        "content/guides/one.md:5:10"
    );
    assert!(error.contains("--> content/guides/one.md:5:10"), "{error}");
    assert!(
        error.contains("5 | Read the [usage policy](../policies/usgae.md) first."),
        "{error}"
    );
    assert!(
        error.contains(&format!("|          {}", "^".repeat(36))),
        "the caret should underline the whole link\n{error}"
    );
    assert!(
        error.contains("help: did you mean `policies/usage.md` (from the content folder)?"),
        "{error}"
    );
}

#[test]
fn a_link_to_a_missing_heading_is_an_error_with_a_suggestion() {
    let site = SiteTest::fixture("links/broken");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("link to a missing heading `#scop` in `content/policies/usage.md`");
    let at = location_of(&site, "content/guides/one.md", "[its scope]");
    assert_eq!(at, "content/guides/one.md:7:10");
    assert!(error.contains(&format!("--> {at}")), "{error}");
    assert!(
        error.contains("7 | Then see [its scope](../policies/usage.md#scop)."),
        "{error}"
    );
    assert!(error.contains('^'), "{error}");
    assert!(error.contains("help: did you mean `#scope`?"), "{error}");
}

/// A table of contents left behind by renamed headings names ids no heading has any more; the
/// help names the headings that hold the link's words, as a typo's does the closest id.
#[test]
fn a_missing_heading_suggests_the_headings_that_hold_its_words() {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"T\"\nbroken_links = \"warn\"\n");
    site.write(
        "content/index.md",
        "# Tools\n\n- [Resources](#resources-1)\n- [Setup](#setup)\n- [Zzz](#zzz)\n\n\
         ## Documentation & recommended resources\n\n## First setup\n\n## Second setup\n\n\
         ## Vite\n",
    );
    let run = site.build(&[]);
    run.assert_success();
    let resources = run.diagnostic("link to a missing heading `#resources-1`");
    assert!(
        resources.contains("help: did you mean `#documentation--recommended-resources`?"),
        "{resources}"
    );
    let setup = run.diagnostic("link to a missing heading `#setup`");
    assert!(
        setup.contains("help: did you mean one of `#first-setup`, `#second-setup`?"),
        "{setup}"
    );
    // Nothing holds `zzz`: the headings are listed.
    let zzz = run.diagnostic("link to a missing heading `#zzz`");
    assert!(
        zzz.contains("help: headings in `content/index.md`: "),
        "{zzz}"
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let site = SiteTest::fixture("links/broken");
    let run = site.build(&[]);
    // "Café au lait: " is 14 characters but 15 bytes: the link starts at column 15.
    let at = location_of(&site, "content/guides/two.md", "[gone]");
    assert_eq!(at, "content/guides/two.md:3:15");
    let error = run.diagnostic("link to a missing page `missing.md`");
    assert!(error.contains(&format!("--> {at}")), "{error}");
    assert!(
        error.contains("help: no file `content/guides/missing.md` exists"),
        "{error}"
    );
}

#[test]
fn every_broken_link_in_every_file_is_reported_in_one_run() {
    let site = SiteTest::fixture("links/broken");
    let run = site.build(&[]);
    run.assert_code(1);
    let expected = "\
error: link to a missing page `../policies/usgae.md`
 --> content/guides/one.md:5:10
  |
5 | Read the [usage policy](../policies/usgae.md) first.
  |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  |
help: did you mean `policies/usage.md` (from the content folder)?

error: link to a missing heading `#scop` in `content/policies/usage.md`
 --> content/guides/one.md:7:10
  |
7 | Then see [its scope](../policies/usage.md#scop).
  |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  |
help: did you mean `#scope`?

error: link to a missing page `missing.md`
 --> content/guides/two.md:3:15
  |
3 | Café au lait: [gone](missing.md) and [here](#nowhere).
  |               ^^^^^^^^^^^^^^^^^^
  |
help: no file `content/guides/missing.md` exists

error: link to a missing heading `#nowhere` in `content/guides/two.md`
 --> content/guides/two.md:3:38
  |
3 | Café au lait: [gone](missing.md) and [here](#nowhere).
  |                                      ^^^^^^^^^^^^^^^^
  |
help: `content/guides/two.md` has no headings

error: build failed: 4 errors, 0 warnings; the previous output was left as it was
";
    assert_eq!(run.stderr, expected);
    assert!(!site.public().exists(), "a failed first build wrote output");
}

#[test]
fn a_missing_file_beside_a_page_is_an_error() {
    let site = SiteTest::fixture("links/basic");
    site.write(
        "content/about/index.md",
        "---\ntitle: About us\n---\n\n![Review cycle](diagramm.svg)\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("link to a missing file `diagramm.svg`");
    assert!(error.contains("--> content/about/index.md:5:1"), "{error}");
    assert!(
        error.contains("help: no file or folder `content/about/diagramm.svg` exists"),
        "{error}"
    );
}

#[test]
fn a_link_climbing_out_of_content_is_an_error() {
    let site = SiteTest::fixture("links/basic");
    site.write(
        "content/guides/escape.md",
        "# Escape\n\n[secrets](../../site.toml)\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("link `../../site.toml` points outside the content folder");
    assert!(
        error.contains("--> content/guides/escape.md:3:1"),
        "{error}"
    );
}

#[test]
fn a_link_to_a_page_with_broken_front_matter_adds_no_error_of_its_own() {
    let site = SiteTest::fixture("links/basic");
    site.write(
        "content/policies/usage.md",
        "---\ntitle: [unclosed\n---\n\n## Scope\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains("--> content/policies/usage.md:2:");
    // Three links in start.md point at usage.md; only the page's own error is reported.
    run.assert_stderr_lacks("link to a missing page");
    run.assert_stderr_contains("error: build failed: 1 error, 0 warnings");
}

#[test]
fn links_relative_to_the_page_url_resolve_as_in_jekyll_and_hugo() {
    let site = SiteTest::fixture("links/url_relative");
    site.build(&[]).assert_clean();
    let main = site.main_html("guide/ar/building-community/");
    assert_eq!(href_of(&main, "the legal side"), "/guide/ar/legal/");
    assert_eq!(
        href_of(&main, "legal, without the slash"),
        "/guide/ar/legal/"
    );
    assert_eq!(
        href_of(&main, "write a README"),
        "/guide/ar/starting-a-project/#writing-a-readme"
    );
    let legal = site.main_html("guide/ar/legal/");
    assert_eq!(
        href_of(&legal, "building community"),
        "/guide/ar/building-community/"
    );

    site.build(&["--base-url", "https://example.org/handbook"])
        .assert_clean();
    let main = site.main_html("guide/ar/building-community/");
    assert_eq!(
        href_of(&main, "the legal side"),
        "/handbook/guide/ar/legal/"
    );
    assert_eq!(
        href_of(&main, "write a README"),
        "/handbook/guide/ar/starting-a-project/#writing-a-readme"
    );
}

#[test]
fn a_url_relative_link_to_a_missing_heading_is_an_error_at_its_position() {
    let site = SiteTest::fixture("links/url_relative");
    site.write(
        "content/guide/ar/metrics.md",
        "---\ntitle: Metrics\n---\n\nFirst [write a README](../starting-a-project/#writing-a-reamde).\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic(
        "error: link to a missing heading `#writing-a-reamde` in `content/guide/ar/starting-a-project.md`",
    );
    let at = location_of(&site, "content/guide/ar/metrics.md", "[write a README]");
    assert_eq!(at, "content/guide/ar/metrics.md:5:7");
    assert!(error.contains(&format!("--> {at}")), "{error}");
    assert!(
        error.contains("help: did you mean `#writing-a-readme`?"),
        "{error}"
    );
    run.assert_stderr_contains("error: build failed: 1 error, 0 warnings");
}

#[test]
fn a_url_relative_link_to_nothing_is_still_an_error() {
    let site = SiteTest::fixture("links/url_relative");
    site.write(
        "content/guide/ar/metrics.md",
        "---\ntitle: Metrics\n---\n\nSee [the roadmap](../roadmap/) and [the law](../legl/).\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("error: link to a missing file `../roadmap/`");
    assert!(
        error.contains("--> content/guide/ar/metrics.md:5:5"),
        "{error}"
    );
    assert!(
        error.contains(
            "help: no file or folder `content/guide/roadmap` exists, and no page has the URL `/guide/ar/roadmap/`"
        ),
        "{error}"
    );
    let typo = run.diagnostic("error: link to a missing file `../legl/`");
    assert!(typo.contains("did you mean `/guide/ar/legal/`?"), "{typo}");
    run.assert_stderr_contains("error: build failed: 2 errors, 0 warnings");
}

/// A page linking, from the site's root, to what the build makes besides pages: an alias, a
/// tag, the search page, a static file of the site and of the theme, the 404 page, the
/// catalogue, and a page by its URL.
const ROOT_LINKS: &str = "---\ntitle: Index of things\ntags: [tools]\n---\n\n\
    [old usage](/old/usage/) [tag](/tags/tools/) [tags](/tags) [search](/search/?q=x) \
    [leaflet](/files/leaflet.pdf) [styles](/assets/folio.css) [lost](/404.html) \
    [catalogue](/catalog.json) [details](/guides/start/#details) [home](/) [policies](/policies/index.html)\n";

#[test]
fn links_from_the_site_root_to_what_the_build_writes_resolve() {
    let site = SiteTest::fixture("links/basic");
    site.write("content/guides/things.md", ROOT_LINKS);
    let usage = site.read("content/policies/usage.md");
    site.write(
        "content/policies/usage.md",
        &usage.replacen("---\n", "---\naliases: [/old/usage/]\n", 1),
    );
    site.write("static/files/leaflet.pdf", "%PDF-1.4\n");
    site.build(&[]).assert_clean();
    let main = site.main_html("guides/things/");
    assert_eq!(href_of(&main, "old usage"), "/old/usage/");
    assert_eq!(href_of(&main, "leaflet"), "/files/leaflet.pdf");
    assert_eq!(href_of(&main, "policies"), "/policies/");
    for url in [
        "old/usage/",
        "tags/tools/",
        "search/",
        "files/leaflet.pdf",
        "404.html",
    ] {
        assert!(site.output_file(url).exists(), "/{url} is written");
    }
}

#[test]
fn a_link_from_the_site_root_to_nothing_is_an_error_at_its_position() {
    let site = SiteTest::fixture("links/basic");
    site.write(
        "content/guides/stale.md",
        "---\ntitle: Stale\n---\n\nSee [the old page](/nope/) and [the logo](/images/logo.png).\n\nAlso [the policy](/policies/usage/#scop).\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    // These were left as written, unchecked.
    let error = run.diagnostic("error: link to a missing page or file `/nope/`");
    let at = location_of(&site, "content/guides/stale.md", "[the old page]");
    assert!(error.contains(&format!("--> {at}")), "{error}");
    assert!(
        error.contains("help: no page or alias of this site has the URL `/nope/`"),
        "{error}"
    );
    let image = run.diagnostic("error: link to a missing page or file `/images/logo.png`");
    assert!(
        image.contains(
            "help: no page or file of this site has the URL `/images/logo.png`; to publish a file there, put it at `static/images/logo.png` (or list its folder in site.toml's `static_dirs`)"
        ),
        "{image}"
    );
    // A page's URL from the root has its headings checked, as a link to its file does.
    let anchor = run.diagnostic("link to a missing heading `#scop` in `content/policies/usage.md`");
    assert!(anchor.contains("did you mean `#scope`?"), "{anchor}");
    run.assert_stderr_contains("error: build failed: 3 errors, 0 warnings");
    assert!(!site.public().exists());

    // `broken_links = "warn"` makes them warnings, as for other links.
    let config = site.read("site.toml");
    site.write("site.toml", &format!("{config}broken_links = \"warn\"\n"));
    let run = site.build(&[]);
    run.assert_success();
    run.diagnostic("warning: link to a missing page or file `/nope/`");
    assert_eq!(
        href_of(&site.main_html("guides/stale/"), "the old page"),
        "/nope/"
    );
}

#[test]
fn links_from_the_site_root_follow_the_base_path() {
    let site = SiteTest::fixture("links/basic");
    site.write(
        "content/guides/things.md",
        "---\ntitle: Things\n---\n\n[with base](/handbook/policies/usage/) [without](/policies/usage/) \
         [base file](/handbook/about/diagram.svg) [base styles](/handbook/assets/folio.css) \
         [base home](/handbook/)\n",
    );
    site.build(&["--base-url", "https://example.org/handbook"])
        .assert_clean();
    let main = site.main_html("guides/things/");
    assert_eq!(href_of(&main, "with base"), "/handbook/policies/usage/");
    // Written from the content root, it gets the base path, as a source path does.
    assert_eq!(href_of(&main, "without"), "/handbook/policies/usage/");
    assert_eq!(href_of(&main, "base file"), "/handbook/about/diagram.svg");
    assert_eq!(href_of(&main, "base styles"), "/handbook/assets/folio.css");
    assert_eq!(href_of(&main, "base home"), "/handbook/");

    site.write(
        "content/guides/things.md",
        "---\ntitle: Things\n---\n\n[gone](/handbook/gone/) [elsewhere](/wiki/)\n",
    );
    let run = site.build(&["--base-url", "https://example.org/handbook"]);
    run.assert_code(1);
    let gone = run.diagnostic("error: link to a missing page or file `/handbook/gone/`");
    assert!(
        gone.contains("help: no page or alias of this site has the URL `/handbook/gone/`"),
        "{gone}"
    );
    let elsewhere = run.diagnostic("error: link to a missing page or file `/wiki/`");
    assert!(
        elsewhere.contains("the site is served under `/handbook/`"),
        "{elsewhere}"
    );
}

/// Every file a build writes (but the search export's) is a URL a page may link to from the
/// site's root: the list links are checked against (src/build/outputs.rs) keeps up with what
/// the write stage makes.
#[test]
fn links_from_the_root_reach_every_file_a_build_writes() {
    let site = SiteTest::handbook();
    site.write("static/files/leaflet.pdf", "%PDF-1.4\n");
    site.write(
        "content/guides/moved.md",
        "---\ntitle: Moved\ntags: [Supply chain, tools]\naliases: [/old/moved/]\n---\n\nHere now.\n",
    );
    site.build(&[]).assert_clean();
    let files: Vec<String> = snapshot(&site.public())
        .into_keys()
        // The search export and the navigation files are for the client, and `.folio-output`
        // marks the folder as Folio's.
        .filter(|rel| {
            !rel.starts_with("_search")
                && !rel.starts_with("_nav")
                && !rel.starts_with(".folio-output")
        })
        .map(|rel| rel.to_string_lossy().replace('\\', "/"))
        .collect();
    assert!(files.len() > 80, "{files:?}");
    for expected in [
        "old/moved/index.html",
        "tags/tools/index.html",
        "glossary/index.html",
        "sitemap.xml",
        "files/leaflet.pdf",
        "assets/search.js",
    ] {
        assert!(
            files.iter().any(|f| f == expected),
            "{expected} in {files:?}"
        );
    }
    let links: String = files
        .iter()
        .enumerate()
        .map(|(i, rel)| format!("- [file {i}](/{rel})\n"))
        .collect();
    site.write(
        "content/guides/every-file.md",
        &format!("---\ntitle: Every file\n---\n\n{links}"),
    );
    let run = site.build(&[]);
    run.assert_clean();
    assert!(Path::new(&site.output_file("guides/every-file/")).is_file());
}

#[test]
fn a_public_page_may_not_link_from_the_root_to_an_internal_page_or_its_alias() {
    let site = SiteTest::fixture("audience/site");
    site.write(
        "content/guides/links.md",
        "---\ntitle: Links\n---\n\n[pay](/old/zqxmarker-pay/) [staff](/zqxmarker-staff/pay/) \
         [public alias](/old/welcome/)\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    for (written, needle) in [
        ("/old/zqxmarker-pay/", "[pay]"),
        ("/zqxmarker-staff/pay/", "[staff]"),
    ] {
        let error = run.diagnostic(&format!(
            "error: link to internal page `{written}`, which a public build leaves out"
        ));
        let at = location_of(&site, "content/guides/links.md", needle);
        assert!(error.contains(&format!("--> {at}")), "{error}");
        assert!(
            error.contains("help: make the linking page internal too, or link to a public page"),
            "{error}"
        );
    }
    run.assert_stderr_contains("error: build failed: 2 errors");
    // The internal build has them.
    site.build(&["--audience", "internal"]).assert_success();
}

/// A site whose guide links to the budget page's heading "Birthday gift budget"
/// (`#birthday-gift-budget`) in other capitals, as handbooks written for other generators do.
fn anchor_case_site() -> SiteTest {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"Anchors\"\n")
        .write(
            "content/_index.md",
            "# Home\n\nSee [the guide](guide.md).\n",
        )
        .write(
            "content/budget.md",
            "# Budget\n\n## Birthday gift budget\n\nTen pounds. Back to [the guide](guide.md).\n",
        )
        .write(
            "content/guide.md",
            "# Guide\n\n## Intro\n\nSee [the budget](budget.md#Birthday-gift-budget), \
             [shouting](budget.md#BIRTHDAY-GIFT-BUDGET) and [this intro](#INTRO).\n\n\
             Exact: [exact](budget.md#birthday-gift-budget).\n",
        );
    site
}

#[test]
fn a_fragment_in_other_capitals_links_to_the_heading_with_one_warning() {
    let site = anchor_case_site();
    let run = site.build(&[]);
    run.assert_success();
    let main = site.main_html("guide/");
    assert_eq!(
        href_of(&main, "the budget"),
        "/budget/#birthday-gift-budget"
    );
    assert_eq!(href_of(&main, "shouting"), "/budget/#birthday-gift-budget");
    assert_eq!(href_of(&main, "this intro"), "#intro");
    assert_eq!(href_of(&main, "exact"), "/budget/#birthday-gift-budget");
    // One warning for the three links, with the first place and how to fix the source.
    let first = location_of(&site, "content/guide.md", "[the budget]");
    let warning = run.diagnostic(&format!(
        "warning: 3 links name headings in other capitals than their ids; Folio pointed them at \
         the headings (first at {first}: `#Birthday-gift-budget` for `#birthday-gift-budget`)"
    ));
    assert!(warning.contains(&format!("--> {first}")), "{warning}");
    assert!(
        warning.contains(
            "help: write `#birthday-gift-budget` in the source, and likewise for the others: a \
             heading's id is its text in lower case, as on GitHub"
        ),
        "{warning}"
    );
    assert_eq!(
        run.stderr.matches("other capitals").count(),
        1,
        "{}",
        run.stderr
    );
    run.assert_stderr_contains("with 1 warning (3 places)");
    // `folio check --format json` gives it a code of its own, with every place.
    let check = site.folio(&["check", "--format", "json"]);
    check.assert_success();
    let json: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let finding = &json["findings"][0];
    assert_eq!(finding["code"], "anchor-case");
    assert_eq!(finding["level"], "warning");
    assert_eq!(finding["also_at"].as_array().unwrap().len(), 2, "{finding}");
}

#[test]
fn a_fragment_that_matches_no_heading_in_any_capitals_is_still_broken() {
    let site = anchor_case_site();
    site.write(
        "content/guide.md",
        "# Guide\n\nSee [the budget](budget.md#Birthday-budget).\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run
        .diagnostic("error: link to a missing heading `#Birthday-budget` in `content/budget.md`");
    assert!(
        error.contains(&location_of(&site, "content/guide.md", "[the budget]")),
        "{error}"
    );
    run.assert_stderr_lacks("other capitals");
}

/// Handbooks built with Eleventy or MkDocs link to headings by the ids those generators make:
/// each such link reaches its heading, with one warning per generator; an id neither makes is
/// still broken.
#[test]
fn a_fragment_spelled_as_eleventy_or_mkdocs_spells_ids_links_to_the_heading() {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        "title = \"Anchors\"\nbroken_links = \"warn\"\n",
    )
    .write(
        "content/_index.md",
        "# Home\n\nSee [the policy](policy.md).\n",
    )
    .write(
        "content/policy.md",
        "# Policy\n\n## Tokens & Keys\n\nRotate them.\n\n## Rotation\n\nYearly.\n\n\
             ## Tokens & Keys\n\nOnce more.\n\n\
             Eleventy: [first](#tokens-and-keys), [second](#tokens-and-keys-1).\n\n\
             MkDocs: [mk first](#tokens-keys), [mk second](#tokens-keys_1).\n\n\
             GitHub: [gh](#tokens--keys-1). Neither: [typo](#tokens-and-keyz).\n",
    )
    .write(
        "content/guide.md",
        "# Guide\n\nSee [from afar](policy.md#tokens-and-keys-1).\n",
    );
    let run = site.build(&[]);
    run.assert_success();
    let main = site.main_html("policy/");
    // GitHub's ids for the two headings "Tokens & Keys": `tokens--keys`, `tokens--keys-1`.
    assert_eq!(href_of(&main, "first"), "#tokens--keys");
    assert_eq!(href_of(&main, "second"), "#tokens--keys-1");
    assert_eq!(href_of(&main, "mk first"), "#tokens--keys");
    assert_eq!(href_of(&main, "mk second"), "#tokens--keys-1");
    assert_eq!(href_of(&main, "gh"), "#tokens--keys-1");
    assert_eq!(
        href_of(&site.main_html("guide/"), "from afar"),
        "/policy/#tokens--keys-1"
    );
    let eleventy = run.diagnostic(
        "warning: 3 links name headings by the ids Eleventy gives them; Folio pointed them at \
         the headings (first at content/guide.md:3:5: `#tokens-and-keys-1` for `#tokens--keys-1`)",
    );
    assert!(
        eleventy.contains(
            "help: write `#tokens--keys-1` in the source, and likewise for the others: Folio \
             gives a heading GitHub's id"
        ),
        "{eleventy}"
    );
    run.assert_stderr_contains(
        "warning: 2 links name headings by the ids MkDocs gives them; Folio pointed them at the \
         headings (first at content/policy.md:17:9: `#tokens-keys` for `#tokens--keys`)",
    );
    run.assert_stderr_contains("warning: link to a missing heading `#tokens-and-keyz`");
    let check = site.folio(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "anchor-style").count(),
        2,
        "{codes:?}"
    );
}

/// `count` pages, each linking to the same missing page and missing heading.
fn site_with_many_broken_links(count: usize, setting: &str) -> SiteTest {
    let site = SiteTest::empty();
    site.write("site.toml", &format!("title = \"Many\"\n{setting}"))
        .write("content/_index.md", "# Home\n\nWelcome.\n")
        .write("content/target.md", "# Target\n\n## Present\n\nHere.\n");
    for i in 0..count {
        site.write(
            &format!("content/pages/p{i:02}.md"),
            &format!(
                "# Page {i}\n\nSee [the old page](../old.md), \
                 [its part](../target.md#absent) and [another](../other-{i}.md).\n"
            ),
        );
    }
    site
}

/// The lines of a diagnostic's `note: also at:` list, trimmed.
fn places_listed(block: &str) -> Vec<String> {
    let (_, list) = block
        .split_once("note: also at:\n")
        .unwrap_or_else(|| panic!("no places listed in {block}"));
    list.lines().map(|l| l.trim().to_string()).collect()
}

#[test]
fn many_links_to_one_missing_target_are_one_diagnostic_with_their_places() {
    let site = site_with_many_broken_links(30, "broken_links = \"warn\"\n");
    let run = site.build(&[]);
    run.assert_success();
    let first = location_of(&site, "content/pages/p00.md", "[the old page]");
    let page = run.diagnostic(
        "warning: link to a missing page `../old.md` (and 29 more to `content/old.md`)",
    );
    assert!(page.contains(&format!("--> {first}")), "{page}");
    // The next five places, then how many more.
    let mut expected: Vec<String> = (1..=5)
        .map(|i| {
            location_of(
                &site,
                &format!("content/pages/p{i:02}.md"),
                "[the old page]",
            )
        })
        .collect();
    expected.push("and 24 more".into());
    assert_eq!(places_listed(&page), expected, "{page}");
    run.diagnostic(
        "warning: link to a missing heading `#absent` in `content/target.md` (and 29 more to \
         `#absent` in `content/target.md`)",
    );
    // Each page's own missing target stays a diagnostic of its own.
    assert_eq!(
        run.stderr
            .matches("link to a missing page `../other-")
            .count(),
        30
    );
    run.assert_stderr_contains("with 32 warnings (90 places)");
}

#[test]
fn grouped_broken_links_that_are_errors_list_enough_places_to_fix_them() {
    let site = site_with_many_broken_links(25, "");
    let run = site.build(&[]);
    run.assert_code(1);
    let page = run
        .diagnostic("error: link to a missing page `../old.md` (and 24 more to `content/old.md`)");
    let mut expected: Vec<String> = (1..=20)
        .map(|i| {
            location_of(
                &site,
                &format!("content/pages/p{i:02}.md"),
                "[the old page]",
            )
        })
        .collect();
    expected.push("and 4 more".into());
    assert_eq!(places_listed(&page), expected, "{page}");
    run.assert_stderr_contains("error: build failed: 27 errors (75 places), 0 warnings");
}

#[test]
fn the_dev_server_keeps_broken_links_warnings_under_broken_links_warn() {
    let site = SiteTest::fixture("serve/site");
    let toml = site.read("site.toml");
    site.write("site.toml", &format!("{toml}broken_links = \"warn\"\n"));
    let mut server = crate::serve::Server::start(&site, &[]);
    let mut events = server.events();
    let text = site.read("content/guide/usage.md");
    site.replace(
        "content/guide/usage.md",
        &format!(
            "{text}\nSee [the gone page](gone.md) and [no part](other.md#gone-part), and \
             [the scope](#SCOPE).\n"
        ),
    );
    events.expect("reload");
    let line = server.wait_for_nth_log("Rebuilt after", 1);
    assert!(
        line.contains("updated 1 page") && line.ends_with("with 3 warnings"),
        "{line}"
    );
    // A fragment in other capitals is pointed at the heading here too.
    let page = scraper::Html::parse_document(&server.get("/guide/usage/").text());
    assert_eq!(href_of(&page, "the scope"), "#scope");
    let log = server.log();
    assert!(
        log.contains(
            "warning: a link names a heading in other capitals than its id; Folio pointed it at \
             the heading (at content/guide/usage.md:"
        ),
        "{log}"
    );
    assert!(
        log.contains("warning: link to a missing page `gone.md`"),
        "{log}"
    );
    assert!(
        log.contains("warning: link to a missing heading `#gone-part`"),
        "{log}"
    );
    assert!(server.get("/guide/usage/").text().contains("the gone page"));
}
