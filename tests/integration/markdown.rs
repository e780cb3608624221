//! Markdown rendering as readers see it: heading ids and anchors, the table of contents, alerts,
//! highlighted code and raw HTML.

use crate::support::{SiteTest, select_attrs, select_texts, selector};

#[test]
fn heading_ids_are_unique_within_a_page() {
    let site = SiteTest::fixture("markdown/headings");
    site.build(&[]).assert_clean();
    let main = site.main_html("handbook/");
    let ids = select_attrs(&main, ".prose h2, .prose h3", "id");
    assert_eq!(
        ids,
        [
            "usage",
            "usage-1",
            "usage-2",
            "who-approves",
            "日本語の見出し",
            "custom-id",
            "nested-under-custom",
        ]
    );
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
}

#[test]
fn heading_ids_follow_github_rules() {
    let site = SiteTest::fixture("markdown/headings");
    site.build(&[]).assert_clean();
    let main = site.main_html("handbook/");
    // Punctuation dropped, lower-cased; non-Latin letters kept as they are.
    assert_eq!(select_texts(&main, "h3#who-approves"), ["Who approves?"]);
    assert_eq!(
        select_texts(&main, "h2[id='日本語の見出し']"),
        ["日本語の見出し"]
    );
}

#[test]
fn every_heading_has_an_id_the_table_of_contents_links_to() {
    let site = SiteTest::fixture("markdown/headings");
    site.build(&[]).assert_clean();
    let main = site.main_html("handbook/");
    let headings = main
        .select(&selector(".prose h2, .prose h3"))
        .collect::<Vec<_>>();
    assert_eq!(headings.len(), 7);
    let toc = select_attrs(&main, "nav.toc a", "href");
    for heading in headings {
        let id = heading.value().attr("id").expect("a heading id");
        assert!(toc.contains(&format!("#{id}")), "the TOC links to #{id}");
        // The link beside the heading is added by folio.js (browser::), not written per page.
        assert!(heading.select(&selector("a.anchor")).next().is_none());
    }
}

#[test]
fn a_custom_heading_id_is_honoured() {
    let site = SiteTest::fixture("markdown/headings");
    site.build(&[]).assert_clean();
    let main = site.main_html("handbook/");
    assert_eq!(select_texts(&main, "h2#custom-id"), ["Custom heading"]);
    // The `{#…}` attribute is not left in the text.
    assert!(!main.html().contains("{#custom-id}"));
    // Links to custom and numbered ids pass the anchor check and are written as given.
    let hrefs = select_attrs(&main, ".prose p a", "href");
    assert_eq!(&hrefs[..2], ["#custom-id", "#usage-2"]);
}

#[test]
fn the_table_of_contents_lists_h2_and_h3_nested() {
    let site = SiteTest::fixture("markdown/headings");
    site.build(&[]).assert_clean();
    let main = site.main_html("handbook/");
    assert_eq!(select_texts(&main, "nav.toc .toc-title"), ["On this page"]);
    assert_eq!(
        select_attrs(&main, "nav.toc > ol > li > a", "href"),
        [
            "#usage",
            "#usage-1",
            "#usage-2",
            "#日本語の見出し",
            "#custom-id"
        ]
    );
    assert_eq!(
        select_texts(&main, "nav.toc > ol > li > ol > li > a"),
        ["Who approves?", "Nested under custom"]
    );
    // h3 entries sit under their h2: the nesting is the level.
    assert_eq!(
        select_attrs(&main, "nav.toc > ol > li > ol > li > a", "href"),
        ["#who-approves", "#nested-under-custom"]
    );
}

#[test]
fn a_page_without_subheadings_has_no_table_of_contents() {
    let site = SiteTest::fixture("markdown/headings");
    site.build(&[]).assert_clean();
    assert!(
        site.main_html("")
            .select(&selector("nav.toc"))
            .next()
            .is_none()
    );
}

#[test]
fn github_alerts_become_callouts_not_blockquotes() {
    let site = SiteTest::fixture("markdown/alerts");
    site.build(&[]).assert_clean();
    let main = site.main_html("alerts/");
    let expected = [
        ("note", "Note", "Useful information."),
        ("tip", "Tip", "A better way."),
        ("important", "Important", "Must know."),
        ("warning", "Warning", "Mind the gap."),
        ("caution", "Caution", "Do not do this."),
    ];
    for (class, title, text) in expected {
        let css = format!("div.callout.callout-{class}[role=note]");
        let callout = main
            .select(&selector(&css))
            .next()
            .unwrap_or_else(|| panic!("no {css}\n{}", main.html()));
        assert_eq!(callout.value().attr("aria-label"), Some(title));
        let title_text: String = callout
            .select(&selector("p.callout-title"))
            .flat_map(|e| e.text())
            .collect();
        assert_eq!(title_text, title);
        let body: String = callout.text().collect();
        assert!(body.contains(text), "{class}: {body}");
        assert!(!body.contains("[!"), "{class} kept its marker: {body}");
    }
    // Only the ordinary quotation stays a blockquote.
    assert_eq!(
        select_texts(&main, "blockquote"),
        ["An ordinary quotation."]
    );
}

#[test]
fn known_languages_are_highlighted_with_classes_not_styles() {
    let site = SiteTest::fixture("markdown/code");
    site.build(&[]).assert_clean();
    let main = site.main_html("code/");
    let rust = main
        .select(&selector("pre.code[data-lang=rust] code.language-rust"))
        .next()
        .expect("a rust code block");
    let spans: Vec<_> = rust.select(&selector("span")).collect();
    assert!(!spans.is_empty(), "no highlighting spans");
    assert!(
        spans
            .iter()
            .all(|s| s.value().classes().any(|c| c.starts_with("hl-"))),
        "a span without an hl- class"
    );
    assert!(
        main.select(&selector("pre.code [style], pre.code[style]"))
            .next()
            .is_none(),
        "inline styles in code"
    );
    let text: String = rust.text().collect();
    assert_eq!(
        text,
        "fn main() {\n    let answer = 42;\n    println!(\"{answer}\");\n}\n"
    );
}

#[test]
fn unknown_languages_render_plain_escaped_code() {
    let site = SiteTest::fixture("markdown/code");
    site.build(&[]).assert_clean();
    let main = site.main_html("code/");
    let code = main
        .select(&selector("pre.code[data-lang=nosuchlang] code"))
        .next()
        .expect("the nosuchlang block");
    assert_eq!(code.text().collect::<String>(), "<b>bold & brave</b>\n");
    assert_eq!(code.select(&selector("*")).count(), 0, "{}", code.html());
    let raw = site.read("public/code/index.html");
    assert!(raw.contains("&lt;b&gt;bold &amp; brave&lt;/b&gt;"));
}

#[test]
fn the_syntax_stylesheet_is_written_and_linked() {
    let site = SiteTest::fixture("markdown/code");
    site.build(&[]).assert_clean();
    let css = site.read("public/assets/syntax.css");
    assert!(css.contains(".hl-"), "no hl- rules");
    assert!(css.contains("prefers-color-scheme: dark"));
    let page = site.html("code/");
    assert!(
        select_attrs(&page, "link[rel=stylesheet]", "href").contains(&"/assets/syntax.css".into())
    );
}

#[test]
fn raw_html_blocks_and_inline_tags_pass_through() {
    let site = SiteTest::fixture("markdown/raw_html");
    site.build(&[]).assert_code(0);
    let main = site.main_html("raw/");
    assert_eq!(
        select_texts(&main, ".prose details > summary"),
        ["More about exceptions"]
    );
    // Markdown inside the <details> block is still rendered.
    assert_eq!(select_texts(&main, ".prose details em"), ["text"]);
    assert_eq!(select_texts(&main, ".prose kbd"), ["Ctrl", "C"]);
}

#[test]
fn stray_end_tags_do_not_break_the_build_or_the_page() {
    let site = SiteTest::fixture("markdown/raw_html");
    site.build(&[]).assert_code(0);
    let main = site.main_html("raw/");
    let text: String = main.root_element().text().collect();
    assert!(text.contains("A stray end tag"), "{text}");
    assert!(text.contains("An empty link here."), "{text}");
    // The rest of the page after the stray tags is still there.
    assert_eq!(
        select_texts(&site.html("raw/"), "footer.site-footer .generator").len(),
        1
    );
}

#[test]
fn an_empty_link_is_a_warning_not_an_error() {
    let site = SiteTest::fixture("markdown/raw_html");
    let run = site.build(&[]);
    run.assert_code(0);
    let warning = run.diagnostic("warning: empty link destination");
    let at = crate::support::location_of(&site, "content/raw.md", "[empty link]()");
    assert_eq!(at, "content/raw.md:18:4");
    assert!(warning.contains(&format!("--> {at}")), "{warning}");
    run.assert_stderr_contains("with 1 warning");
    assert!(site.output_file("raw/").is_file());
}
