//! `folio import`: the site.toml written for handbooks made for other generators, on copies of
//! the four real handbooks under ../shared/corpora and on fixtures of our own
//! (tests/fixtures/import/) for Docusaurus, mdBook and GitHub-style Markdown.

use std::path::{Path, PathBuf};

use crate::support::{REPO_ROOT, SiteTest, copy_dir, select_texts};

/// A corpus under ../shared/corpora, or None (with a loud line) when this clone lacks it;
/// with FOLIO_REQUIRE_SHARED=1 (as in CI) a missing corpus fails the test.
fn corpus(name: &str) -> Option<PathBuf> {
    let path = Path::new(REPO_ROOT).join("../shared/corpora").join(name);
    if path.is_dir() {
        return Some(path.canonicalize().expect("corpus path"));
    }
    assert!(
        std::env::var_os("FOLIO_REQUIRE_SHARED").is_none(),
        "corpus {} is missing and FOLIO_REQUIRE_SHARED is set",
        path.display()
    );
    eprintln!("SKIPPED: corpus {} is missing", path.display());
    None
}

/// A copy of a corpus, to import into: the corpus itself is never written to.
pub(crate) fn corpus_copy(name: &str) -> Option<SiteTest> {
    let source = corpus(name)?;
    let site = SiteTest::empty();
    copy_dir(&source, site.root());
    Some(site)
}

/// The site.toml written, parsed.
pub(crate) fn written(site: &SiteTest) -> toml::Table {
    site.read("site.toml").parse().expect("site.toml is TOML")
}

pub(crate) fn string<'a>(table: &'a toml::Table, key: &str) -> Option<&'a str> {
    table.get(key).and_then(toml::Value::as_str)
}

fn strings(table: &toml::Table, key: &str) -> Vec<String> {
    table
        .get(key)
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs `folio import`, checks that it wrote what `--dry-run` printed, and that a second run
/// refuses to replace it; returns the first run's stderr.
fn import(site: &SiteTest) -> String {
    let dry = site.folio(&["import", "--dry-run"]);
    dry.assert_success()
        .assert_stderr_contains("Dry run: printed the site.toml above; nothing was written.");
    assert!(
        !site.path("site.toml").exists(),
        "--dry-run wrote site.toml"
    );
    let run = site.folio(&["import"]);
    run.assert_success()
        .assert_stderr_contains("Wrote ./site.toml.\nNext: folio serve\n");
    let text = site.read("site.toml");
    assert_eq!(text, dry.stdout, "--dry-run printed what import writes");
    let again = site.folio(&["import"]);
    again.assert_code(1).assert_stderr_contains(
        "error: `./site.toml` already exists, and folio import never replaces it",
    );
    assert_eq!(site.read("site.toml"), text, "site.toml was replaced");
    run.stderr
}

#[test]
fn the_ospo_book_is_imported_from_its_hugo_toml_and_builds() {
    let Some(site) = corpus_copy("ospo-book") else {
        return;
    };
    let stderr = import(&site);
    let toml = written(&site);
    assert_eq!(string(&toml, "title"), Some("OSPO Book"));
    assert_eq!(
        string(&toml, "base_url"),
        Some("https://ospobook.todogroup.org/")
    );
    assert!(
        string(&toml, "description")
            .is_some_and(|d| d.starts_with("This book serves as a source of knowledge"))
    );
    assert_eq!(string(&toml, "language"), Some("en"));
    // Hugo's order of languages: by weight.
    assert_eq!(
        strings(&toml, "languages"),
        ["en", "zh", "es", "pt-br", "ja"]
    );
    assert_eq!(string(&toml, "content_dir"), Some("content"));
    // public/ is where Hugo writes: Folio's output goes elsewhere.
    assert_eq!(string(&toml, "output_dir"), Some("_folio"));
    assert_eq!(
        string(&toml, "repository"),
        Some("https://github.com/todogroup/ospology")
    );
    assert_eq!(string(&toml, "branch"), Some("main"));
    assert_eq!(string(&toml, "broken_links"), Some("warn"));
    for line in [
        "Found a Hugo handbook (hugo.toml): 70 pages in content/.",
        "  languages    [\"en\", \"zh\", \"es\", \"pt-br\", \"ja\"]  ([languages] in hugo.toml)",
        "  output_dir   \"_folio\"  (a new folder; public/ is where Hugo writes its site)",
        "  the pages' weight and linkTitle (front matter)",
    ] {
        assert!(stderr.contains(line), "{line:?} missing from\n{stderr}");
    }
    // Nothing else to edit: it builds, into the folder chosen.
    site.build(&["--quiet"])
        .assert_success()
        .assert_stderr_lacks("error:");
    assert!(site.path("_folio/index.html").is_file());
    assert!(site.path("_folio/es/01-chapter/index.html").is_file());
    assert!(!site.path("public").exists());
}

#[test]
fn the_open_source_guides_are_imported_from_their_jekyll_config() {
    let Some(site) = corpus_copy("opensource-guide") else {
        return;
    };
    let stderr = import(&site);
    let toml = written(&site);
    assert_eq!(string(&toml, "title"), Some("Open Source Guides"));
    assert_eq!(
        string(&toml, "description"),
        Some("Learn how to launch and grow your project.")
    );
    // The published collection, with its language folders found from the pages' `lang`.
    assert_eq!(string(&toml, "content_dir"), Some("_articles"));
    assert_eq!(string(&toml, "language"), Some("en"));
    let languages = strings(&toml, "languages");
    assert_eq!(languages.len(), 29, "{languages:?}");
    assert_eq!(languages[..4], ["en", "ar", "be", "bg"]);
    assert!(languages.contains(&"zh-hant".to_string()) && languages.contains(&"pcm".to_string()));
    assert_eq!(string(&toml, "output_dir"), Some("public"));
    assert_eq!(
        string(&toml, "repository"),
        Some("https://github.com/github/opensource.guide")
    );
    assert_eq!(string(&toml, "base_url"), None, "the config has no url");
    for line in [
        "Found a Jekyll handbook (_config.yml): 350 pages in _articles/.",
        "  content_dir  \"_articles\"  (the articles collection in _config.yml)",
        "  - 1 Markdown file outside _articles is left out, as only the collection is imported: notices.md",
    ] {
        assert!(stderr.contains(line), "{line:?} missing from\n{stderr}");
    }
}

#[test]
fn the_engineering_playbook_is_imported_from_its_mkdocs_yml() {
    let Some(site) = corpus_copy("engineering-playbook") else {
        return;
    };
    let stderr = import(&site);
    let toml = written(&site);
    assert_eq!(
        string(&toml, "title"),
        Some("Engineering Fundamentals Playbook")
    );
    assert_eq!(
        string(&toml, "base_url"),
        Some("https://microsoft.github.io/code-with-engineering-playbook")
    );
    assert_eq!(string(&toml, "content_dir"), Some("docs"));
    assert_eq!(string(&toml, "output_dir"), Some("public"));
    // `edit_uri: ""` turns MkDocs' edit links off: no repository, and none from git either.
    assert_eq!(string(&toml, "repository"), None);
    for line in [
        "Found a MkDocs handbook (mkdocs.yml): 243 pages in docs/.",
        "  3 .pages files (awesome-pages): docs/.pages, docs/CI-CD/recipes/.pages, docs/automated-testing/.pages",
        "  - edit_uri in mkdocs.yml is empty: MkDocs shows no edit links, so repository (https://github.com/microsoft/code-with-engineering-playbook/) is left out",
        "  - theme, plugins, markdown_extensions, site_author in mkdocs.yml shape MkDocs' own site: not needed",
    ] {
        assert!(stderr.contains(line), "{line:?} missing from\n{stderr}");
    }
    assert!(!stderr.contains("warning:"), "{stderr}");
}

#[test]
fn the_engineering_playbook_builds_with_its_links_in_other_capitals_pointed_at_the_headings() {
    let Some(site) = corpus_copy("engineering-playbook") else {
        return;
    };
    import(&site);
    let run = site.build(&[]);
    run.assert_success().assert_stderr_lacks("error:");
    // documentation/guidance/project-and-repositories.md links `README.md#Recipes`, the
    // heading "Recipes" of design/design-reviews/README.md, whose id is `recipes`.
    let main = site.main_html("documentation/guidance/project-and-repositories/");
    let href = crate::support::href_of(&main, "Design Review Recipes");
    // (The page's URL is that of its README.md, whichever URL that file gets.)
    assert!(
        href.contains("/design/design-reviews/") && href.ends_with("/#recipes"),
        "{href}"
    );
    // One warning for all such links, with how to fix the first.
    assert_eq!(
        run.stderr.matches("in other capitals than").count(),
        1,
        "{}",
        run.stderr
    );
    // The many links to one missing target are one diagnostic each, and the closing line
    // counts the places.
    let closing = run.stderr.lines().last().unwrap_or_default();
    assert!(
        closing.starts_with("Built ") && closing.contains(" places)"),
        "{closing}"
    );
}

#[test]
fn the_cms_guide_is_imported_from_its_eleventy_js() {
    let Some(site) = corpus_copy("cms-ospo-guide") else {
        return;
    };
    let stderr = import(&site);
    let toml = written(&site);
    // The title lives in _data/site.yaml; Eleventy reads `.`, but every page is in content/.
    assert_eq!(string(&toml, "title"), Some("OSPO Guide"));
    assert_eq!(
        string(&toml, "description"),
        Some("CMS Open Source Program Office Guide")
    );
    assert_eq!(string(&toml, "content_dir"), Some("content"));
    assert_eq!(string(&toml, "output_dir"), Some("public"));
    assert_eq!(string(&toml, "base_url"), None, "pathPrefix is computed");
    for line in [
        "Found an Eleventy handbook (.eleventy.js): 49 pages in content/.",
        "  content_dir  \"content\"  (dir.input in .eleventy.js, narrowed to content/, which holds every page)",
        "  eleventyNavigation in the front matter of 49 pages (5 top-level entries, 54 in all)",
        "  - pathPrefix in .eleventy.js (line 327) is `pathPrefix`, computed when Eleventy runs: not read",
    ] {
        assert!(stderr.contains(line), "{line:?} missing from\n{stderr}");
    }
    // The corpus gives one key to four pages: each later one is a warning at its place.
    let repeated = stderr
        .matches("warning: the eleventyNavigation key `ospo-resources-packaging-exporting` is also the key of `resources/packaging/exporting-python-projects.md`")
        .count();
    assert_eq!(repeated, 3, "{stderr}");
    assert!(
        stderr.contains("--> content/resources/packaging/git-submodule-guide.md:9:1"),
        "{stderr}"
    );
}

#[test]
fn the_cms_guide_builds_without_a_warning_per_page_and_titles_pages_from_their_names() {
    let Some(site) = corpus_copy("cms-ospo-guide") else {
        return;
    };
    import(&site);
    // Each folder's page is an `index.md`, which Folio reads as a bundle beside the folder's
    // section page; as `_index.md` it is the section page itself, whatever folder pages do.
    for folder in [
        "about",
        "growing",
        "inbound",
        "outbound",
        "resources",
        "resources/packaging",
    ] {
        std::fs::rename(
            site.path(&format!("content/{folder}/index.md")),
            site.path(&format!("content/{folder}/_index.md")),
        )
        .expect("rename the folder's page");
    }
    // A sample of pages without their `title`, as a handbook written without titles would be:
    // three with no heading at all, one whose first heading is a `##`.
    let untitled = [
        (
            "growing/508-training",
            "growing/508-training/",
            "508 training",
        ),
        (
            "outbound/repository-metadata",
            "outbound/repository-metadata/",
            "Repository metadata",
        ),
        (
            "growing/ospo-mindmap",
            "growing/ospo-mindmap/",
            "OSPO mindmap",
        ),
        (
            "outbound/ai-at-cms",
            "outbound/ai/",
            "AI Policy and Documents",
        ),
    ];
    for (page, _, _) in untitled {
        let rel = format!("content/{page}.md");
        let text = site.read(&rel);
        let without: String = text
            .split_inclusive('\n')
            .filter(|line| !line.starts_with("title:"))
            .collect();
        assert_ne!(without, text, "{rel} has a title");
        site.replace(&rel, &without);
    }
    let run = site.build(&[]);
    run.assert_success().assert_stderr_lacks("error:");
    // Every page says `tags: ospo`, and sets the Eleventy template's fields: no error, and no
    // warning for any of them.
    for field in [
        "tags",
        "layout",
        "permalink",
        "sidenav",
        "sticky_sidenav",
        "section",
        "subnav",
        "eleventyNavigation",
    ] {
        run.assert_stderr_lacks(&format!("field `{field}`"));
    }
    // The one field no generator knows is one warning for its two pages.
    assert_eq!(
        run.stderr.matches("unknown front-matter field").count(),
        1,
        "{}",
        run.stderr
    );
    run.assert_stderr_contains(
        "warning: unknown front-matter field `hideFromResources` is ignored (2 pages; first at content/resources/packaging/git-submodule-guide.md:8:1)",
    );
    // The three pages without a heading are one warning, at the first.
    let warning = run.diagnostic(
        "warning: 3 pages without a title or a heading, titled after their file names (first at content/growing/508-training.md:1:1: \"508 training\")",
    );
    assert!(
        warning.contains("--> content/growing/508-training.md:1:1"),
        "{warning}"
    );
    for (_, url, title) in untitled {
        assert_eq!(
            select_texts(&site.main_html(url), "h1.doc-title"),
            [title],
            "{url}"
        );
    }
    // The sidebar keeps eleventyNavigation's titles and order.
    let sidebar = select_texts(&site.html("growing/508-training/"), "nav.sidebar a");
    let at = |t: &str| sidebar.iter().position(|s| s == t);
    assert!(at("508 Training").is_some(), "{sidebar:?}");
    assert!(
        at("Recommended Conferences") < at("508 Training"),
        "{sidebar:?}"
    );
}

#[test]
fn a_docusaurus_site_is_read_from_its_config_literals() {
    let site = SiteTest::fixture("import/docusaurus");
    let stderr = import(&site);
    let toml = written(&site);
    // The site's title, not the navbar's or the footer's.
    assert_eq!(
        string(&toml, "title"),
        Some("Example Co Open Source Handbook")
    );
    assert_eq!(
        string(&toml, "description"),
        Some("How Example Co uses, publishes and contributes to open source")
    );
    assert_eq!(
        string(&toml, "base_url"),
        Some("https://ospo.example.org/handbook/")
    );
    assert_eq!(string(&toml, "language"), Some("en"));
    assert_eq!(string(&toml, "content_dir"), Some("docs"));
    assert_eq!(
        string(&toml, "repository"),
        Some("https://github.com/example-co/ospo-handbook")
    );
    assert_eq!(string(&toml, "branch"), Some("main"));
    for line in [
        "Found a Docusaurus handbook (docusaurus.config.js): 5 pages in docs/.",
        "  sidebars.js builds the sidebar from the folders",
        "  2 _category_ files in docs/",
        "  sidebar_position in the front matter of 4 pages",
        "  - blog/ (1 post) is not imported: Folio builds the docs",
    ] {
        assert!(stderr.contains(line), "{line:?} missing from\n{stderr}");
    }
}

#[test]
fn an_mdbook_is_read_from_book_toml_and_its_summary() {
    let site = SiteTest::fixture("import/mdbook");
    let stderr = import(&site);
    let toml = written(&site);
    assert_eq!(string(&toml, "title"), Some("Open Source at Example Co"));
    assert_eq!(string(&toml, "base_url"), Some("/ospo-book/"));
    assert_eq!(string(&toml, "content_dir"), Some("src"));
    assert_eq!(string(&toml, "output_dir"), Some("public"));
    assert_eq!(
        string(&toml, "repository"),
        Some("https://github.com/example-co/ospo-book")
    );
    assert_eq!(string(&toml, "branch"), Some("main"));
    // Where the nav lives, and what is no page: settings the build reads.
    assert_eq!(string(&toml, "nav"), Some("src/SUMMARY.md"));
    assert_eq!(strings(&toml, "exclude"), ["SUMMARY.md"]);
    for line in [
        "Found an mdBook handbook (book.toml): 6 pages in src/.",
        "  nav          \"src/SUMMARY.md\"  (the file holding the navigation the author wrote)",
        "  exclude      [\"SUMMARY.md\"]  (what the content folder holds that mdBook never read as pages)",
        "  src/SUMMARY.md (9 entries, 3 of them draft chapters or part titles)",
        "  - SUMMARY.md inside the content folder is not a page: `exclude` leaves it out",
    ] {
        assert!(stderr.contains(line), "{line:?} missing from\n{stderr}");
    }
    assert!(!stderr.contains("Proposed"), "{stderr}");
    site.build(&["--quiet"]).assert_success();
    assert!(site.output_file("policies/licences/").is_file());
    // SUMMARY.md is the navigation, not a page; README.md is its folder's page.
    assert!(!site.output_file("SUMMARY/").exists());
    assert!(!site.output_file("policies/README/").exists());
    assert!(site.output_file("policies/").is_file());
}

#[test]
fn github_markdown_is_read_from_docs_and_the_readme() {
    let site = SiteTest::fixture("import/github");
    let stderr = import(&site);
    let toml = written(&site);
    assert_eq!(
        string(&toml, "title"),
        Some("Example Co open source handbook")
    );
    // Only the repository's own files are at its top: the pages are in docs/.
    assert_eq!(string(&toml, "content_dir"), Some("docs"));
    assert_eq!(string(&toml, "output_dir"), Some("public"));
    assert!(
        stderr.contains(
            "Found no generator's settings, so the handbook is read as GitHub-style Markdown: 6 pages in docs/."
        ),
        "{stderr}"
    );
}

#[test]
fn pages_at_the_top_of_the_repository_build_beside_it() {
    let site = SiteTest::empty();
    site.write(
        "handbook/README.md",
        "# Team handbook\n\nSee [the policy](policies/travel.md).\n",
    )
    .write(
        "handbook/policies/travel.md",
        "# Travel\n\nBook through the portal.\n",
    )
    .write(
        "handbook/faq/expenses.md",
        "# Expenses\n\nClaim within a month.\n",
    );
    let run = site.folio(&["import", "handbook"]);
    run.assert_success()
        .assert_stderr_contains("3 pages in the site's folder.")
        .assert_stderr_contains("Next: folio serve --root handbook");
    let toml: toml::Table = site.read("handbook/site.toml").parse().unwrap();
    assert_eq!(string(&toml, "content_dir"), Some("."));
    // Today's build refuses an output inside the content folder: it goes beside the site.
    assert_eq!(string(&toml, "output_dir"), Some("../handbook-site"));
    site.folio(&["build", "--root", "handbook", "--quiet"])
        .assert_success();
    assert!(
        site.path("handbook-site/policies/travel/index.html")
            .is_file()
    );
    // The root's other files are published, but not Folio's own settings.
    site.write("handbook/policies/map.pdf", "%PDF");
    site.folio(&["build", "--root", "handbook", "--quiet"])
        .assert_success();
    assert!(site.path("handbook-site/policies/map.pdf").is_file());
    assert!(!site.path("handbook-site/site.toml").exists());
}

#[test]
fn values_folio_refuses_and_values_computed_by_javascript_are_left_out_with_a_note() {
    let site = SiteTest::empty();
    site.write(
        "docusaurus.config.js",
        "module.exports = {\n  title: `Handbook`,\n  url: process.env.SITE_URL,\n  baseUrl: '/',\n  presets: [['classic', { docs: { path: 'guides', editUrl: ({docPath}) => docPath } }]],\n};\n",
    )
    .write("guides/intro.md", "# Intro\n");
    let run = site.folio(&["import", "--dry-run"]);
    run.assert_success()
        .assert_stderr_contains("  - url in docusaurus.config.js (line 3) is `process.env.SITE_URL`, computed when Docusaurus runs: not read")
        .assert_stderr_contains("  - docs.editUrl in docusaurus.config.js (line 5) is `({docPath}) => docPath`, computed when Docusaurus runs: not read; set repository (or edit_url) in site.toml by hand")
        .assert_stderr_contains("  content_dir  \"guides\"  (docs.path in docusaurus.config.js)");
    // A site URL Folio cannot use is left out, and said so.
    let site = SiteTest::empty();
    site.write(
        "mkdocs.yml",
        "site_name: Handbook\nsite_url: ospo.example.org\n",
    )
    .write("docs/index.md", "# Home\n");
    let run = site.folio(&["import"]);
    run.assert_success().assert_stderr_contains(
        "  - base_url `ospo.example.org` (site_url in mkdocs.yml) is left out: base_url `ospo.example.org` must be an absolute URL",
    );
    assert_eq!(string(&written(&site), "base_url"), None);
}

/// `(path, text)` of the files of a site.
type Files = &'static [(&'static str, &'static str)];

#[test]
fn broken_settings_and_nav_files_are_errors_at_their_place_and_nothing_is_written() {
    let cases: [(Files, &[&str]); 4] = [
        (
            &[
                (
                    "mkdocs.yml",
                    "site_name: Handbook\nnav:\n  - Home: index.md\n    About: about.md\n",
                ),
                ("docs/index.md", "# Home\n"),
            ],
            &[
                "error: cannot read the navigation in `mkdocs.yml`: nav[0]: the nav entry `Home` has more than one title",
                "--> mkdocs.yml:3:5",
            ],
        ),
        (
            &[
                ("hugo.toml", "title = 'Handbook'\nbaseURL = \n"),
                ("content/a.md", "# A\n"),
            ],
            &["error: cannot read `hugo.toml`:", "--> hugo.toml:2:"],
        ),
        (
            &[
                ("docusaurus.config.js", "module.exports = { title: 'H' };\n"),
                (
                    "docs/a/_category_.json",
                    "{\n  \"label\": \"A\",\n  \"position\": \"first\"\n}\n",
                ),
                ("docs/a/b.md", "# B\n"),
            ],
            &[
                "error: cannot read `docs/a/_category_.json`: invalid type: string \"first\"",
                "--> docs/a/_category_.json:3:",
            ],
        ),
        (
            &[
                ("book.toml", "[book]\ntitle = 'B'\n"),
                ("src/SUMMARY.md", "- [One](one.md)\n- Two\n"),
                ("src/one.md", "# One\n"),
            ],
            &[
                "error: this chapter is not a link",
                "--> src/SUMMARY.md:2:1",
            ],
        ),
    ];
    for (files, expected) in cases {
        let site = SiteTest::empty();
        for (path, text) in files {
            site.write(path, text);
        }
        let run = site.folio(&["import"]);
        run.assert_code(1).assert_stderr_contains(
            "Nothing was written: fix this error and run folio import again.",
        );
        for line in expected {
            run.assert_stderr_contains(line);
        }
        assert!(!site.path("site.toml").exists());
    }
}

#[test]
fn a_folder_without_pages_or_with_a_missing_content_folder_is_refused() {
    let site = SiteTest::empty();
    site.write("notes.txt", "no Markdown here\n");
    site.folio(&["import"])
        .assert_code(1)
        .assert_stderr_contains(
            "error: found no Markdown page (`.md` file) in the site's folder, the content folder",
        );
    let site = SiteTest::empty();
    site.write("mkdocs.yml", "site_name: Handbook\ndocs_dir: pages\n");
    site.folio(&["import"]).assert_code(1).assert_stderr_contains(
        "error: the content folder is `pages` (docs_dir in mkdocs.yml), and there is no such folder in `.`",
    );
    assert!(!site.path("site.toml").exists());
    site.folio(&["import", "nowhere"])
        .assert_code(1)
        .assert_stderr_contains("error: there is no folder at `nowhere`");
}

#[test]
fn a_dry_run_beside_an_existing_site_toml_prints_and_keeps_it() {
    let site = SiteTest::fixture("import/mdbook");
    site.write("site.toml", "title = \"Mine\"\n");
    let run = site.folio(&["import", "--dry-run"]);
    run.assert_success().assert_stderr_contains(
        "Dry run: printed the site.toml above; `./site.toml` exists and was left as it is.",
    );
    assert!(
        run.stdout.contains("title = \"Open Source at Example Co\""),
        "{}",
        run.stdout
    );
    assert_eq!(site.read("site.toml"), "title = \"Mine\"\n");
}

#[test]
fn hugo_settings_split_over_config_default_are_read_together() {
    let site = SiteTest::empty();
    site.write(
        "config/_default/hugo.toml",
        "baseURL = 'https://handbook.example.org/'\ntitle = 'Handbook'\ndefaultContentLanguage = 'en'\n",
    )
    .write(
        "config/_default/languages.toml",
        "[en]\nweight = 1\ncontentDir = 'content/en'\n[fr]\nweight = 2\ncontentDir = 'content/fr'\n",
    )
    .write(
        "config/_default/params.toml",
        "github_repo = 'https://gitlab.com/ospo/handbook'\ngithub_branch = 'trunk'\n",
    )
    .write("content/en/a.md", "# A\n")
    .write("content/fr/a.md", "# A\n");
    let run = site.folio(&["import"]);
    run.assert_success()
        .assert_stderr_contains("Found a Hugo handbook (config/_default): 2 pages in content/.");
    let toml = written(&site);
    assert_eq!(string(&toml, "title"), Some("Handbook"));
    assert_eq!(strings(&toml, "languages"), ["en", "fr"]);
    assert_eq!(string(&toml, "content_dir"), Some("content"));
    assert_eq!(
        string(&toml, "repository"),
        Some("https://gitlab.com/ospo/handbook")
    );
    assert_eq!(string(&toml, "branch"), Some("trunk"));
    // Another tool's config.toml (Zola writes `base_url`) is not taken for Hugo's.
    let site = SiteTest::empty();
    site.write(
        "config.toml",
        "base_url = 'https://z.example.org'\ntitle = 'Z'\n",
    )
    .write("content/a.md", "# A\n");
    site.folio(&["import", "--dry-run"])
        .assert_success()
        .assert_stderr_contains("Found no generator's settings");
}

#[test]
fn a_jekyll_site_without_collections_keeps_its_own_folder_and_names_what_is_not_pages() {
    let site = SiteTest::empty();
    site.write(
        "_config.yml",
        "title: Team handbook\nurl: https://team.example.org\nbaseurl: /handbook\nexclude:\n  - drafts/\n",
    )
    .write("index.md", "# Home\n")
    .write("policies/travel.md", "# Travel\n")
    .write("drafts/idea.md", "# Idea\n")
    .write("_includes/head.html", "<meta>\n")
    .write("vendor/bundle/gem/README.md", "# A gem\n");
    let run = site.folio(&["import"]);
    run.assert_success()
        .assert_stderr_contains("Found a Jekyll handbook (_config.yml): 2 pages in the site's folder.")
        .assert_stderr_contains("  - _includes/, drafts/, vendor/ inside the content folder are not pages: `exclude` leaves them out");
    let text = site.read("site.toml");
    let toml: toml::Table = text.parse().unwrap();
    assert_eq!(
        string(&toml, "base_url"),
        Some("https://team.example.org/handbook/")
    );
    assert_eq!(string(&toml, "content_dir"), Some("."));
    assert_eq!(strings(&toml, "exclude"), ["_includes", "drafts", "vendor"]);
    assert!(
        text.contains("\nexclude = [\"_includes\", \"drafts\", \"vendor\"]\n"),
        "{text}"
    );
    // The build leaves them out: the gem's README is no page, the draft is not built.
    let output = site.path("../").canonicalize().unwrap();
    let built = site.build(&["--quiet"]);
    built.assert_success();
    let name = site
        .root()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let out = output.join(format!("{name}-site"));
    assert!(out.join("policies/travel/index.html").is_file());
    assert!(!out.join("vendor").exists() && !out.join("drafts").exists());
    // The build wrote outside the site's temporary folder: its output and, beside it, the
    // search index it keeps (`.NAME-site.folio-index`).
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_dir_all(output.join(format!(".{name}-site.folio-index")));
}

#[test]
fn mkdocs_values_set_from_the_environment_are_named() {
    let site = SiteTest::empty();
    site.write(
        "mkdocs.yml",
        "site_name: Handbook\nsite_url: !ENV [SITE_URL, 'https://h.example.org/']\nrepo_url: https://github.com/o/handbook\nedit_uri: edit/trunk/docs/\nnav:\n  - Home: index.md\n  - Policies:\n      - policies/travel.md\n",
    )
    .write("docs/index.md", "# Home\n")
    .write("docs/policies/travel.md", "# Travel\n");
    let run = site.folio(&["import"]);
    run.assert_success()
        .assert_stderr_contains("  - site_url in mkdocs.yml is set with `!ENV`: not read")
        .assert_stderr_contains("  `nav` in mkdocs.yml (3 entries)")
        .assert_stderr_contains(
            "  nav          \"mkdocs.yml\"  (the file holding the navigation the author wrote)",
        );
    let toml = written(&site);
    assert_eq!(
        string(&toml, "repository"),
        Some("https://github.com/o/handbook")
    );
    assert_eq!(string(&toml, "branch"), Some("trunk"));
    assert_eq!(string(&toml, "base_url"), None);
}
