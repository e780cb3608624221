//! Themes and templates: the site's own templates and static files override the theme's,
//! template mistakes are reported in the template, and every value is escaped.

use crate::support::{SiteTest, select_attrs, select_texts, selector};

#[test]
fn a_site_template_replaces_the_built_in_one() {
    let site = SiteTest::fixture("theme/override");
    site.build(&[]).assert_clean();
    let main = site.main_html("guide/");
    assert_eq!(
        select_texts(&main, "article.site-page h1.site-page-title"),
        ["Site template: A plain guide"]
    );
    assert_eq!(select_texts(&main, "article.site-page p"), ["Guide body."]);
    // The built-in page layout is gone.
    assert!(main.select(&selector("article.doc")).next().is_none());
    // Other kinds keep the theme's template.
    let policy = site.main_html("policies/usage/");
    assert_eq!(
        select_texts(&policy, ".badge.status-approved"),
        ["Approved"]
    );
}

#[test]
fn a_site_partial_replaces_the_built_in_one_everywhere() {
    let site = SiteTest::fixture("theme/override");
    site.build(&[]).assert_clean();
    for url in ["", "guide/", "policies/usage/"] {
        let main = site.main_html(url);
        assert_eq!(
            select_texts(&main, "p.site-crumbs"),
            ["You are in Overrides"],
            "{url}"
        );
        assert!(
            main.select(&selector("nav.breadcrumbs")).next().is_none(),
            "{url}"
        );
    }
}

#[test]
fn a_site_static_file_replaces_the_themes_file() {
    let site = SiteTest::fixture("theme/override");
    site.build(&[]).assert_clean();
    assert_eq!(
        site.read("public/assets/folio.css"),
        site.read("static/assets/folio.css")
    );
    // Files the site does not override still come from the theme.
    let js = site.read("public/assets/folio.js");
    assert!(!js.is_empty());
    assert!(site.public().join("favicon.svg").is_file());
}

#[test]
fn a_template_syntax_error_names_the_template_line_and_column() {
    let site = SiteTest::fixture("theme/syntax_error");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("error: template error");
    assert!(error.contains("--> templates/page.html:3:19"), "{error}");
    assert!(error.contains("3 | <h1>{{ page.title }</h1>"), "{error}");
    assert!(error.contains('^'), "{error}");
    assert!(!site.public().exists());
}

#[test]
fn an_undefined_variable_names_the_template_and_the_page() {
    let site = SiteTest::fixture("theme/undefined_variable");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("Variable `handbook_owner` is not defined");
    assert!(error.contains("--> templates/page.html:4:21"), "{error}");
    assert!(
        error.contains("help: while rendering `content/guide.md`"),
        "{error}"
    );
    assert!(!site.public().exists());
}

#[test]
fn a_template_error_shared_by_many_pages_is_reported_once() {
    let site = SiteTest::fixture("theme/undefined_variable");
    site.write("content/second.md", "# Second\n");
    site.write("content/third.md", "# Third\n");
    let run = site.build(&[]);
    run.assert_code(1);
    assert_eq!(
        run.stderr
            .matches("Variable `handbook_owner` is not defined")
            .count(),
        1,
        "{}",
        run.stderr
    );
    run.assert_stderr_contains("(and 2 other pages)");
    run.assert_stderr_contains("error: build failed: 1 error, 0 warnings");
}

#[test]
fn a_missing_theme_is_an_error() {
    let site = SiteTest::fixture("theme/override");
    site.write("site.toml", "title = \"Overrides\"\ntheme = \"nordic\"\n");
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains(
        "error: theme `nordic` not found: there is no folder `themes/nordic`",
    );
}

#[test]
fn html_in_a_title_is_escaped_everywhere_it_appears() {
    let site = SiteTest::fixture("escaping/title");
    site.build(&[]).assert_clean();
    let title = "<img src=x onerror=alert(1)>";
    for url in ["xss/", "", "tags/", "404.html"] {
        let page = site.html(url);
        let injected = select_attrs(&page, "img", "onerror");
        assert!(injected.is_empty(), "{url}: injected <img onerror>");
        let raw = std::fs::read_to_string(site.output_file(url)).expect("the page");
        assert!(!raw.contains("<img src=x"), "{url}: unescaped title");
    }
    let page = site.html("xss/");
    assert_eq!(select_texts(&page, "h1.doc-title"), [title]);
    assert_eq!(
        select_texts(&page, "nav.breadcrumbs [aria-current=page]"),
        [title]
    );
    assert_eq!(
        select_texts(&page, "title"),
        [format!("{title} · Escaping")]
    );
    let raw = site.read("public/xss/index.html");
    assert!(raw.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // The description is escaped too: no script element carries it.
    assert!(
        page.select(&selector("script"))
            .all(|s| !s.text().collect::<String>().contains("alert(2)")),
        "an injected <script>"
    );
    assert_eq!(
        select_attrs(&page, "meta[name=description]", "content"),
        ["<script>alert(2)</script>"]
    );
    // The home page lists the page with its title as text.
    let home = site.main_html("");
    assert!(select_texts(&home, ".page-card-title a").contains(&title.into()));
}
