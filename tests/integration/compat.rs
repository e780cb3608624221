//! Handbooks written for Hugo and Jekyll: language versions, shortcodes and Liquid left out
//! with one warning per kind of tag, and the front-matter fields of both generators. Small
//! fixtures under tests/fixtures/compat/, then the two real corpora under ../shared/corpora.

use std::path::{Path, PathBuf};

use crate::support::{REPO_ROOT, SiteTest, select_attrs, select_texts};

/// The `<h2>` headings of a page's body, without their anchor links.
fn headings(html: &scraper::Html) -> Vec<String> {
    select_texts(html, ".prose h2")
        .into_iter()
        .map(|h| h.trim_end_matches('#').trim().to_string())
        .collect()
}

#[test]
fn hugo_language_folders_become_language_versions() {
    let site = SiteTest::fixture("compat/hugo");
    site.build(&[]).assert_success();
    let en = site.html("guide/");
    assert_eq!(select_attrs(&en, "html", "lang"), ["en"]);
    assert_eq!(
        select_texts(&en, "h1.doc-title"),
        ["The complete guide to running an OSPO"]
    );
    // linkTitle is the sidebar's title; the sidebar lists English pages only.
    assert_eq!(select_texts(&en, "#site-nav a"), ["Guide"]);
    assert_eq!(
        select_attrs(&en, ".language-switcher a", "href"),
        ["/es/guide/"]
    );
    let es = site.html("es/guide/");
    assert_eq!(select_attrs(&es, "html", "lang"), ["es"]);
    assert_eq!(select_texts(&es, "#site-nav a"), ["La guía"]);
    assert_eq!(headings(&es), ["Primeros pasos"]);
    assert_eq!(
        select_attrs(&es, ".language-switcher a", "href"),
        ["/guide/"]
    );
    assert_eq!(select_attrs(&es, "a.site-title", "href"), ["/es/"]);
    assert!(site.output_file("es/guia/").exists(), "the alias redirects");
    assert!(!site.output_file("draft/").exists());
    assert!(
        !site.output_file("en/").exists(),
        "the default language is at /"
    );
}

#[test]
fn hugo_shortcodes_are_left_out_with_one_warning_each() {
    let site = SiteTest::fixture("compat/hugo");
    let run = site.build(&[]);
    run.assert_success().assert_stderr_contains(
        "warning: Hugo shortcode {{< figure >}} left out (2 uses; first at content/en/guide.md:10:1)",
    );
    run.assert_stderr_contains(
        "warning: Hugo shortcode {{< hint >}} left out (1 use; first at content/en/guide.md:12:1)",
    );
    let body = site.read("public/guide/index.html");
    assert!(
        body.contains("Read the <strong>charter</strong> first."),
        "{body}"
    );
    assert!(body.contains("<code>{{&lt; figure &gt;}}</code>"), "{body}");
    assert!(!body.contains("A diagram"));
}

#[test]
fn jekyll_fields_liquid_and_markdown_blocks() {
    let site = SiteTest::fixture("compat/jekyll");
    let run = site.build(&[]);
    run.assert_success()
        .assert_stderr_contains(
            "warning: Liquid tag {% include %} left out (2 uses; first at content/contributing.md:11:1)",
        )
        .assert_stderr_contains(
            "warning: Liquid tag {{ page }} left out (1 use; first at content/starting.md:15:12)",
        )
        .assert_stderr_contains("`related` names `nowhere`, which is no page of this language")
        .assert_stderr_lacks("unknown front-matter field");
    // permalink is the page's URL; redirect_from redirects there.
    let contributing = site.html("contribute/");
    assert_eq!(headings(&contributing), ["Why contribute?"]);
    let redirect = site.read("public/old-contributing/index.html");
    assert!(redirect.contains("/contribute/"), "{redirect}");
    // order sorts the sidebar; related lists the pages it names.
    let starting = site.html("starting/");
    assert_eq!(
        select_texts(&starting, "#site-nav a"),
        ["How to contribute", "Starting a project"]
    );
    assert_eq!(
        select_texts(&starting, ".related-pages a"),
        ["How to contribute"]
    );
    assert_eq!(select_texts(&starting, "aside.pquote strong"), ["Quoted"]);
    assert_eq!(
        select_attrs(&starting, "aside.pquote a", "href"),
        ["/contribute/"]
    );
    let body = site.read("public/starting/index.html");
    assert!(!body.contains("{%") && !body.contains("{{"), "{body}");
    let ar = site.html("ar/starting/");
    assert_eq!(select_attrs(&ar, "html", "dir"), ["rtl"]);
    assert_eq!(select_attrs(&ar, "html", "lang"), ["ar"]);
    assert_eq!(headings(&ar), ["ما هو المصدر المفتوح؟"]);
}

#[test]
fn broken_links_can_be_warnings() {
    let site = SiteTest::fixture("compat/hugo");
    site.write(
        "content/en/bad.md",
        "# Bad\n\n[x](#Nope) and [y](missing.md)\n",
    );
    site.build(&[]).assert_code(1);
    let config = site.read("site.toml");
    site.write("site.toml", &format!("{config}broken_links = \"warn\"\n"));
    site.build(&[])
        .assert_success()
        .assert_stderr_contains("warning: link to a missing heading `#Nope`")
        .assert_stderr_contains("content/en/bad.md:3:1");
}

#[test]
fn dot_slash_anchors_fall_back_to_the_page_itself_as_jekyll_publishes_them() {
    let site = SiteTest::fixture("compat/jekyll");
    site.write(
        "content/guides/_index.md",
        "---\ntitle: Guides\n---\n\n## Overview\n",
    );
    site.write(
        "content/guides/asking.md",
        "---\ntitle: Asking\n---\n\n## Ask a question\n\n[ask](./#ask-a-question), \
         [overview](./#overview), [both](./#overview \"the folder wins\").\n",
    );
    site.build(&[])
        .assert_success()
        .assert_stderr_lacks("missing heading");
    let page = site.html("guides/asking/");
    assert_eq!(
        select_attrs(&page, ".prose p a", "href"),
        ["#ask-a-question", "/guides/#overview", "/guides/#overview"]
    );
    // An anchor in neither page is still an error, naming the folder's page as GitHub reads it.
    site.write(
        "content/guides/asking.md",
        "---\ntitle: Asking\n---\n\n## Ask a question\n\n[x](./#nowhere)\n",
    );
    site.build(&[])
        .assert_code(1)
        .assert_stderr_contains(
            "error: link to a missing heading `#nowhere` in `content/guides/_index.md`",
        )
        .assert_stderr_contains("content/guides/asking.md:7:1");
}

/// The compat/hugo fixture with a second Spanish page that also uses an English word, so that
/// a search mixing the languages would show.
fn bilingual_site() -> SiteTest {
    let site = SiteTest::fixture("compat/hugo");
    site.write(
        "content/es/carta.md",
        "---\ntitle: La carta\n---\n\nLas mariposas firman el charter.\n",
    );
    site
}

/// The URLs of `folio search --json` hits.
fn hit_urls(run: &crate::support::Run) -> Vec<String> {
    let hits: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("JSON hits");
    hits.iter()
        .map(|hit| hit["url"].as_str().expect("url").to_string())
        .collect()
}

#[test]
fn each_language_version_is_searched_on_its_own() {
    let site = bilingual_site();
    site.build(&[]).assert_success();
    // Spanish pages only, analyzed in Spanish: `mariposas` finds `mariposa` too.
    let es = site.folio(&["search", "--lang", "es", "--json", "mariposas"]);
    es.assert_success();
    assert_eq!(hit_urls(&es), ["/es/guide/#primeros-pasos", "/es/carta/"]);
    // The default language's search knows no Spanish page, even for a word both use.
    site.folio(&["search", "mariposa"]).assert_code(1);
    let en = site.folio(&["search", "--json", "charter"]);
    en.assert_success();
    assert_eq!(hit_urls(&en), ["/guide/#getting-started"]);
    site.folio(&["search", "--lang", "fr", "x"])
        .assert_code(2)
        .assert_stderr_contains("the site has no language `fr`; its languages: `en`, `es`");
    // Each version's pages load their own export, and have their own results page.
    assert!(site.output_file("_search/entry.json").exists());
    assert!(site.output_file("es/_search/entry.json").exists());
    let guide = site.html("es/guide/");
    assert_eq!(
        select_attrs(&guide, "script[data-search-index]", "data-search-index"),
        ["/es/_search/"]
    );
    assert_eq!(
        select_attrs(&guide, "form.site-search", "action"),
        ["/es/search/"]
    );
    let results = site.html("es/search/");
    assert_eq!(select_attrs(&results, "html", "lang"), ["es"]);
    assert_eq!(
        select_texts(&results, "#site-nav a"),
        ["La guía", "La carta"]
    );
    let results = site.html("search/");
    assert_eq!(select_attrs(&results, "html", "lang"), ["en"]);
    assert_eq!(select_texts(&results, "#site-nav a"), ["Guide"]);
}

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

/// A site whose content is `content` (absolute), with `settings` added to site.toml.
fn corpus_site(content: &Path, settings: &str) -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        &format!(
            "title = \"Corpus\"\ncontent_dir = \"{}\"\n{settings}",
            content.display()
        ),
    );
    site
}

fn index_pages(dir: &Path) -> usize {
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            count += index_pages(&path);
        } else if path.file_name().is_some_and(|n| n == "index.html") {
            count += 1;
        }
    }
    count
}

/// How many links a broken-link warning stands for: 1, or 1 + N for "… (and N more to …)".
fn places_of(line: &str) -> usize {
    let more = line
        .rsplit_once(" (and ")
        .and_then(|(_, rest)| rest.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok());
    1 + more.unwrap_or(0)
}

#[test]
fn the_ospo_book_builds_as_published() {
    let Some(root) = corpus("ospo-book") else {
        return;
    };
    let site = corpus_site(
        &root.join("content"),
        // Two links of the corpus are broken (asserted below): build it despite them.
        "broken_links = \"warn\"\nlanguage = \"en\"\nlanguages = [\"en\", \"es\", \"ja\", \"pt-br\", \"zh\"]\n",
    );
    let run = site.build(&[]);
    run.assert_success()
        .assert_stderr_lacks("unknown front-matter field")
        .assert_stderr_lacks("error:");
    // The corpus's only broken links: the exact list, so mis-resolved good links still fail.
    // Its images and PDF were in the Hugo site's static/ folder, which the corpus leaves out:
    // links to them from the site's root are reported, and nothing else from the root is.
    let (missing_files, broken): (Vec<String>, Vec<String>) = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: link to"))
        .map(str::to_string)
        .partition(|l| {
            l.starts_with("warning: link to a missing page or file `/images/")
                || l.starts_with("warning: link to a missing page or file `/pdfs/")
        });
    // Links to the same file are one warning each, which counts them.
    let places: usize = missing_files.iter().map(|l| places_of(l)).sum();
    assert_eq!(places, 51, "{missing_files:#?}");
    // The content folder lies outside the site's folder: messages name its files by the path
    // site.toml gives it.
    let content = root.join("content");
    let file = |rel: &str| content.join(rel).display().to_string();
    assert_eq!(
        broken,
        [format!(
            "warning: link to a missing heading `#aplicando-isso-a-sua-organização` in `{}`",
            file("pt-br/01-chapter.md")
        )]
    );
    run.assert_stderr_contains(&format!("{}:8:3", file("pt-br/01-chapter.md")));
    // `#OSPO-の価値の例` names the heading "OSPO の価値の例" (`#ospo-の価値の例`) in other
    // capitals: it links there, with a warning.
    run.assert_stderr_contains(&format!(
        "warning: a link names a heading in other capitals than its id; Folio pointed it at the \
         heading (at {}:9:3: `#OSPO-の価値の例` for `#ospo-の価値の例`)",
        file("ja/02-chapter.md")
    ));
    assert_eq!(index_pages(&site.public()), 70 + 1 /* tags */);
    for lang in ["es", "ja", "pt-br", "zh"] {
        assert!(
            site.output_file(&format!("{lang}/01-chapter/")).exists(),
            "{lang}"
        );
    }
    let es = site.html("es/01-chapter/");
    assert_eq!(select_attrs(&es, "html", "lang"), ["es"]);
    assert_eq!(
        select_texts(&es, "h1.doc-title"),
        ["Capítulo 1: Introducción a las Open Source Program Offices"]
    );
    assert!(
        select_attrs(&es, ".language-switcher a", "href").contains(&"/ja/01-chapter/".to_string())
    );
    let ja = site.html("ja/02-chapter/");
    assert_eq!(select_attrs(&ja, "html", "lang"), ["ja"]);
    assert!(!site.read("public/zh/index.html").contains("{{<"));
    // Per-language search: Spanish pages for a Spanish word, and only with `--lang es`.
    let es = site.folio(&["search", "--lang", "es", "--json", "organizaciones"]);
    es.assert_success();
    let urls = hit_urls(&es);
    assert!(urls.iter().all(|u| u.starts_with("/es/")), "{urls:?}");
    site.folio(&["search", "organizaciones"]).assert_code(1);
}

#[test]
fn the_open_source_guides_build_as_published() {
    let Some(root) = corpus("opensource-guide") else {
        return;
    };
    let articles = root.join("_articles");
    let mut languages: Vec<String> = std::fs::read_dir(&articles)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| format!("\"{}\"", e.file_name().to_string_lossy()))
        .collect();
    languages.sort();
    let site = corpus_site(
        &articles,
        &format!(
            "broken_links = \"warn\"\nlanguage = \"en\"\nlanguages = [\"en\", {}]\n",
            languages.join(", ")
        ),
    );
    // No relative link is broken: `./#x`, which the published site reads as the page's own
    // `#x`, is not either. Links from the site's root to its images (in the Jekyll site's
    // assets/) and to /notices/ (a page beside _articles/) name what the corpus leaves out:
    // those, and only those, are reported.
    let run = site.build(&[]);
    run.assert_success()
        .assert_stderr_lacks("unknown front-matter field")
        .assert_stderr_lacks("error:");
    let broken: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: link to"))
        .collect();
    // Links to the same file are one warning each (15 in all), which counts them.
    assert_eq!(broken.len(), 15, "{broken:#?}");
    assert_eq!(broken.iter().map(|l| places_of(l)).sum::<usize>(), 418);
    run.assert_stderr_contains("with 15 warnings (418 places)");
    assert!(
        broken.iter().all(|l| {
            l.starts_with("warning: link to a missing page or file `/assets/images/")
                || l.starts_with("warning: link to a missing page or file `/notices/`")
        }),
        "{broken:#?}"
    );
    let zh = site.html("zh-hant/how-to-contribute/");
    assert!(
        select_attrs(&zh, ".prose a", "href")
            .contains(&"#%E6%8F%90%E5%87%BA%E5%95%8F%E9%A1%8C".to_string())
    );
    // 400 pages (zh-hant/README.md is that language's home, not a page beside it), and the
    // search results page of each of the 28 languages but the default.
    assert_eq!(index_pages(&site.public()), 400 + 28);
    let ar = site.html("ar/");
    assert_eq!(select_attrs(&ar, "html", "dir"), ["rtl"]);
    let es = site.html("es/how-to-contribute/");
    assert_eq!(select_attrs(&es, "html", "lang"), ["es"]);
    assert!(!select_texts(&es, ".related-pages a").is_empty());
    assert!(site.output_file("zh-tw/legal/").exists(), "redirect_from");
    let ja = site.read("public/ja/how-to-contribute/index.html");
    assert!(
        !ja.contains("{%") && !ja.contains("markdown=\"1\" class"),
        "Liquid or kramdown left"
    );
}

#[test]
fn translations_are_named_in_their_language_and_announced_in_the_head() {
    let site = SiteTest::fixture("compat/hugo");
    site.write(
        "site.toml",
        "title = \"Hugo book\"\nbase_url = \"https://book.example.org/\"\nlanguage = \"en\"\nlanguages = [\"en\", \"es\", \"x-pirate\"]\n",
    );
    site.write("content/x-pirate/guide.md", "# Arr\n");
    site.write("content/en/only.md", "# Only in English\n");
    site.build(&[]).assert_success();
    let page = site.html("guide/");
    assert_eq!(
        select_attrs(
            &page,
            "nav.language-switcher[aria-label=Languages]",
            "aria-label"
        ),
        ["Languages"]
    );
    assert_eq!(
        select_texts(&page, ".language-switcher li"),
        ["English", "Español", "x-pirate"]
    );
    assert_eq!(
        select_attrs(&page, ".language-switcher a", "hreflang"),
        ["es", "x-pirate"]
    );
    assert_eq!(
        select_attrs(&page, ".language-switcher a", "lang"),
        ["es", "x-pirate"]
    );
    assert_eq!(
        select_attrs(&page, "link[rel=alternate][hreflang]", "href"),
        [
            "https://book.example.org/guide/",
            "https://book.example.org/es/guide/",
            "https://book.example.org/x-pirate/guide/",
        ]
    );
    assert_eq!(
        select_attrs(&page, "link[rel=alternate][hreflang]", "hreflang"),
        ["en", "es", "x-pirate"]
    );
    // A page with no translation has neither.
    let only = site.html("only/");
    assert!(select_attrs(&only, "link[rel=alternate][hreflang]", "href").is_empty());
    assert!(select_texts(&only, ".language-switcher li").is_empty());
}
