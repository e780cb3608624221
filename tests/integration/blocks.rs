//! Admonitions and tabs written for other generators (MkDocs `!!! note`, `??? tip`, pymdownx
//! `=== "Tab"`, Docusaurus `:::tip`) as readers see them: Folio's callouts and tabs, with their
//! content rendered as any other Markdown, code left alone, diagnostics inside them at the right
//! file:line:col, malformed blocks rendered with a warning; and, in real Chromium, tabs that read
//! without JS, work from the keyboard with it, print whole and fit a 360 px phone.

use scraper::{ElementRef, Html};
use serde_json::json;

use crate::chromium::{Browser, StaticServer};
use crate::support::{SiteTest, location_of, select_attrs, select_texts, selector};

/// The built `blocks` fixture.
fn built() -> SiteTest {
    let site = SiteTest::fixture("blocks");
    site.build(&[]).assert_clean();
    site
}

/// The callouts of a page, in order: (classes, aria-label, title, text of the whole callout).
fn callouts(main: &Html) -> Vec<(String, String, String, String)> {
    main.select(&selector("div.callout, details.callout"))
        .map(|callout| {
            let title = callout
                .select(&selector(".callout-title"))
                .next()
                .map(|t| text_of(t))
                .unwrap_or_default();
            (
                callout
                    .value()
                    .attr("class")
                    .unwrap_or_default()
                    .to_string(),
                callout
                    .value()
                    .attr("aria-label")
                    .unwrap_or_default()
                    .to_string(),
                title,
                text_of(callout),
            )
        })
        .collect()
}

fn text_of(element: ElementRef<'_>) -> String {
    element.text().collect::<String>().trim().to_string()
}

#[test]
fn mkdocs_admonitions_become_callouts_of_the_matching_kind() {
    let site = built();
    let main = site.main_html("mkdocs/");
    let found = callouts(&main);
    let expected = [
        ("note", "Note: Read this first", "Read this first"),
        ("warning", "Warning", "Warning"),
        ("caution", "Danger: Three deep", "Three deep"),
        ("note", "Info", ""),
        ("note", "Abstract", "Abstract"),
        ("note", "Tldr", "Tldr"),
        ("tip", "Tip", "Tip"),
        ("tip", "Success", "Success"),
        ("note", "Question", "Question"),
        ("warning", "Caution", "Caution"),
        ("caution", "Failure", "Failure"),
        ("caution", "Bug", "Bug"),
        ("important", "Example", "Example"),
        ("note", "Quote", "Quote"),
        ("important", "Important", "Important"),
        ("note", "Checklist: My own type", "My own type"),
        ("note", "Recipe", "Recipe"),
    ];
    let divs: Vec<_> = found
        .iter()
        .filter(|(_, aria, ..)| !aria.is_empty())
        .collect();
    assert_eq!(divs.len(), expected.len() + 1, "{found:#?}");
    for ((class, aria, title, _), (kind, want_aria, want_title)) in divs.iter().zip(expected) {
        assert_eq!(class, &format!("callout callout-{kind}"), "{aria}");
        assert_eq!(aria, want_aria);
        assert_eq!(title, want_title, "{aria}");
    }
    // The title is inline Markdown; the type is said to screen readers with a title of its own.
    assert_eq!(
        main.select(&selector("div.callout > p.callout-title > em"))
            .map(text_of)
            .collect::<Vec<_>>(),
        ["first"]
    );
    // `!!! info ""` has no title bar, but is still named for screen readers.
    let info = main
        .select(&selector("div.callout[aria-label=Info]"))
        .next()
        .expect("the info callout");
    assert!(info.select(&selector(".callout-title")).next().is_none());
    assert_eq!(text_of(info), "An info without a title bar.");
    // Nesting: the danger is inside the warning, inside the note.
    let innermost = main
        .select(&selector(
            "div.callout-note > div.callout-warning > div.callout-caution > p:not(.callout-title)",
        ))
        .map(text_of)
        .collect::<Vec<_>>();
    assert_eq!(innermost, ["The innermost text."]);
    // No marker is left as text (only the one in a code block).
    for text in select_texts(&main, ".prose p, .prose li") {
        assert!(!text.contains("!!!") && !text.contains("???"), "{text}");
    }
}

#[test]
fn admonition_content_is_markdown_with_lists_code_links_headings_and_terms() {
    let site = built();
    let main = site.main_html("mkdocs/");
    let note = "div.callout-note[aria-label='Note: Read this first']";
    // Lists and code blocks inside, with the indentation taken off.
    assert_eq!(
        select_texts(&main, &format!("{note} > ul > li")),
        ["first item", "second item"]
    );
    let code = select_texts(&main, &format!("{note} > pre code"));
    assert_eq!(
        code,
        ["!!! warning \"not an admonition: code\"\nmake install"],
        "a marker in code stays code"
    );
    // Links are rewritten (and their anchor checked: the build is clean), terms linked.
    assert_eq!(
        select_attrs(&main, &format!("{note} > p a"), "href"),
        ["/other/#scope", "/glossary/#sbom"]
    );
    assert_eq!(select_texts(&main, &format!("{note} .term-link")), ["SBOM"]);
    // A heading inside gets an id, an anchor link and a place in the table of contents.
    assert_eq!(
        select_texts(&main, &format!("{note} > h3#inside-a-note")),
        ["Inside a note"]
    );
    assert!(
        select_attrs(&main, "nav.toc a", "href").contains(&"#inside-a-note".to_string()),
        "{:?}",
        select_attrs(&main, "nav.toc a", "href")
    );
    // A callout in a list item stays in the item, and the list goes on after it.
    assert_eq!(
        select_texts(&main, "ol > li > div.callout > p:not(.callout-title)"),
        ["Inside the list item."]
    );
    assert_eq!(main.select(&selector(".prose ol > li")).count(), 2);
    assert_eq!(
        select_texts(&main, ".prose > p"),
        [
            "Text before the admonitions.",
            "Text after the admonitions."
        ]
    );
}

#[test]
fn collapsible_admonitions_are_details_with_a_summary() {
    let site = built();
    let main = site.main_html("mkdocs/");
    let details: Vec<(String, bool, String, String)> = main
        .select(&selector("details.callout"))
        .map(|d| {
            (
                d.value().attr("class").unwrap().to_string(),
                d.value().attr("open").is_some(),
                text_of(d.select(&selector("summary.callout-title")).next().unwrap()),
                text_of(d.select(&selector("p")).next().unwrap()),
            )
        })
        .collect();
    assert_eq!(
        details,
        [
            (
                "callout callout-warning".to_string(),
                false,
                "Warning: Closed by default".to_string(),
                "Hidden until opened.".to_string()
            ),
            (
                "callout callout-tip".to_string(),
                true,
                "Tip: Open by default".to_string(),
                "Shown until closed.".to_string()
            ),
            (
                "callout callout-note".to_string(),
                false,
                "Faq".to_string(),
                "A collapsible with its type as title.".to_string()
            ),
        ]
    );
    // The type before a title of its own is for screen readers only.
    assert_eq!(
        select_texts(&main, "summary .visually-hidden"),
        ["Warning:", "Tip:"]
    );
}

#[test]
fn consecutive_tabs_form_one_set_and_each_panel_is_labelled_by_a_heading() {
    let site = built();
    let main = site.main_html("tabs/");
    let sets: Vec<Vec<String>> = main
        .select(&selector(".prose > div.tabs"))
        .map(|set| {
            set.select(&selector(":scope > .tab-panel > .tab-label"))
                .map(text_of)
                .collect()
        })
        .collect();
    assert_eq!(
        sets,
        [
            vec!["pip", "cargo", "apt"],
            vec!["Linux", "macOS"],
            vec!["Alone"]
        ],
        "`===!` starts a new set"
    );
    // Labels are headings one level below the heading the set is under.
    assert_eq!(
        main.select(&selector(".tab-label"))
            .map(|h| h.value().name().to_string())
            .collect::<Vec<_>>(),
        ["h3", "h3", "h3", "h4", "h4", "h4"]
    );
    assert_eq!(
        select_texts(&main, ".tab-label > code"),
        ["apt"],
        "a label is inline Markdown"
    );
    assert_eq!(
        select_texts(&main, ".tab-panel[data-selected] > p"),
        ["macOS text, selected first."]
    );
    // Panel content is Markdown: code, a callout with a rewritten link, a heading with an id.
    let panels = main
        .select(&selector(".tab-panel"))
        .map(text_of)
        .collect::<Vec<_>>();
    assert!(panels[0].contains("pip install folio"), "{panels:?}");
    assert!(panels[0].contains("Then run folio --help."), "{panels:?}");
    assert!(panels[1].contains("cargo install folio"), "{panels:?}");
    assert_eq!(
        select_attrs(&main, ".tab-panel > div.callout-note a", "href"),
        ["/other/"]
    );
    assert_eq!(
        select_texts(&main, ".tab-panel > h4#heading-in-a-tab"),
        ["Heading in a tab"]
    );
    assert_eq!(
        select_texts(&main, ".prose > p"),
        ["Text between the sets."]
    );
    assert!(!text_of(main.root_element()).contains("==="));
}

#[test]
fn docusaurus_admonitions_become_callouts_and_nest_with_more_colons() {
    let site = built();
    let main = site.main_html("docusaurus/");
    let found: Vec<(String, String, String)> = callouts(&main)
        .into_iter()
        .map(|(class, aria, title, _)| (class, aria, title))
        .collect();
    let expected = [
        ("callout callout-tip", "Tip: Legacy title", "Legacy title"),
        ("callout callout-note", "Note", "Note"),
        (
            "callout callout-note",
            "Info: Bracketed title",
            "Bracketed title",
        ),
        ("callout callout-warning", "Warning", "Warning"),
        ("callout callout-caution", "Danger: Careful", "Careful"),
        ("callout callout-warning", "Caution", "Caution"),
        ("callout callout-note", "Note: Outer", "Outer"),
        ("callout callout-tip", "Tip: Inner", "Inner"),
        ("callout callout-note", "", "Click to see"),
        ("callout callout-note", "Custom", "Custom"),
        (
            "callout callout-note",
            "Note: MkDocs around Docusaurus",
            "MkDocs around Docusaurus",
        ),
        ("callout callout-warning", "Warning", "Warning"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(
        select_texts(&main, "div.callout[aria-label='Note: Outer'] > *"),
        ["Outer", "Outer text.", "Inner\nInner text.", "Outer again."],
        "the inner block is inside the outer one, which goes on after it"
    );
    assert_eq!(
        select_attrs(&main, "div.callout-tip a", "href"),
        ["/other/#scope"]
    );
    assert_eq!(
        select_texts(&main, "details.callout:not([open]) > p"),
        ["VitePress details, closed."]
    );
    assert_eq!(
        select_texts(
            &main,
            "div.callout-note > div.callout-warning > p:not(.callout-title)"
        ),
        ["A Docusaurus warning inside a MkDocs note."]
    );
    assert!(!text_of(main.root_element()).contains(":::"));
}

#[test]
fn markers_in_code_stay_code() {
    let site = built();
    let main = site.main_html("code/");
    assert!(main.select(&selector(".callout, .tabs")).next().is_none());
    assert_eq!(
        select_texts(&main, "pre code"),
        [
            "!!! note \"fenced\"\n    not an admonition\n=== \"Tab\"\n    not a tab\n:::tip\nnot a callout\n:::",
            "??? tip \"tilde fence\"",
            "!!! note \"indented\"\n    still code",
        ]
    );
    assert_eq!(
        select_texts(&main, "p > code"),
        ["!!! note"],
        "a code span too"
    );
}

/// The `--> path:line:col` line of the diagnostic titled `title`.
fn arrow(run: &crate::support::Run, title: &str) -> String {
    let diagnostic = run.diagnostic(title);
    diagnostic
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> ").map(str::to_string))
        .unwrap_or_else(|| panic!("no location in {diagnostic}"))
}

#[test]
fn diagnostics_inside_blocks_point_at_the_file_line_and_column() {
    let site = SiteTest::fixture("blocks");
    // Indented by spaces and by tabs, nested three deep, after a Liquid tag and a
    // `markdown="1"` element whose rewriting shifts offsets too.
    let page = "---\ntitle: Broken\n---\n\n{% include note.html %}\n\n<aside markdown=\"1\">\n**Aside**\n</aside>\n\n\
        === \"One\"\n\n    !!! note \"In a tab\"\n        Text, then [a broken link](missing.md) here.\n\n\
        \t\t??? tip\n\t\t    A [[Nope]] term, a [bad anchor](other.md#nope).\n\n\
        :::tip\nA [second broken link](gone.md).\n:::\n";
    site.write("content/broken.md", page);
    let run = site.build(&[]);
    run.assert_code(1);
    let rel = "content/broken.md";
    assert_eq!(
        arrow(&run, "link to a missing page `missing.md`"),
        location_of(&site, rel, "[a broken link]")
    );
    assert_eq!(
        arrow(&run, "unknown glossary term `Nope`"),
        location_of(&site, rel, "[[Nope]]")
    );
    assert_eq!(
        arrow(&run, "#nope"),
        location_of(&site, rel, "[bad anchor]")
    );
    assert_eq!(
        arrow(&run, "link to a missing page `gone.md`"),
        location_of(&site, rel, "[second broken link]")
    );
    // The snippet under the location shows the line as written.
    assert!(
        run.diagnostic("link to a missing page `missing.md`")
            .contains("        Text, then [a broken link](missing.md) here."),
        "{}",
        run.stderr
    );
}

#[test]
fn malformed_blocks_render_with_a_warning_at_their_line() {
    let site = SiteTest::fixture("blocks");
    let page = "---\ntitle: Malformed\n---\n\n\
        !!! note \"Unclosed title\n    Text under an unclosed title.\n\n\
        !!! warning\nNot indented, so not in the warning.\n\n\
        ::::tip[Four colons\nTip text.\n:::\n::::\n\n\
        :::\n\n\
        !!! \"Only a title\"\n    Text of a note without a type.\n\n\
        :::danger\nRuns to the end.\n\n!!! note\n    Nested in the unclosed block.\n";
    site.write("content/malformed.md", page);
    let run = site.build(&[]);
    run.assert_success();
    let rel = "content/malformed.md";
    let cases = [
        ("has no closing quote", "!!! note \"Unclosed"),
        ("`!!! warning` has nothing in it", "!!! warning"),
        ("has no closing `]`", "::::tip[Four"),
        ("`:::` does not close `::::tip`", ":::\n::::"),
        ("`:::` closes no `:::` block", ":::\n\n!!! \"Only"),
        ("has no type: it is shown as a note", "!!! \"Only"),
        (
            "`:::danger` is not closed: it runs to the end of the page",
            ":::danger",
        ),
    ];
    for (message, needle) in cases {
        assert_eq!(
            arrow(&run, message),
            location_of(&site, rel, needle),
            "{message}"
        );
    }
    assert!(!run.stderr.contains("panicked"));
    let main = site.main_html("malformed/");
    assert_eq!(
        callouts(&main)
            .into_iter()
            .map(|(class, _, title, text)| (class, title, text))
            .collect::<Vec<_>>(),
        [
            (
                "callout callout-note".to_string(),
                "Unclosed title".to_string(),
                "Unclosed title\nText under an unclosed title.".to_string()
            ),
            (
                "callout callout-warning".to_string(),
                "Warning".to_string(),
                "Warning".to_string()
            ),
            (
                "callout callout-tip".to_string(),
                "Four colons".to_string(),
                "Four colons\nTip text.\n:::".to_string()
            ),
            (
                "callout callout-note".to_string(),
                "Only a title".to_string(),
                "Only a title\nText of a note without a type.".to_string()
            ),
            (
                "callout callout-caution".to_string(),
                "Danger".to_string(),
                "Danger\nRuns to the end.\nNote\nNested in the unclosed block.".to_string()
            ),
            (
                "callout callout-note".to_string(),
                "Note".to_string(),
                "Note\nNested in the unclosed block.".to_string()
            ),
        ]
    );
    assert_eq!(
        select_texts(&main, ".prose > p"),
        ["Not indented, so not in the warning.", ":::"]
    );
}

/// Whether each tab panel of the page is rendered (not hidden, has a box), in order.
const PANELS_SHOWN: &str = "[...document.querySelectorAll('.tab-panel')].map(p => p.checkVisibility() && p.offsetHeight > 0)";

#[test]
fn tabs_read_without_js_and_work_from_the_keyboard_with_it() {
    let Some(mut browser) =
        Browser::launch("tabs_read_without_js_and_work_from_the_keyboard_with_it")
    else {
        return;
    };
    let site = built();
    let server = StaticServer::start(&site.public());
    let url = format!("{}/tabs/", server.origin);

    // Without JS every panel shows, under its label as a visible heading.
    browser.call(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": true}),
    );
    browser.goto(&url);
    assert_eq!(
        browser.eval(PANELS_SHOWN),
        json!([true, true, true, true, true, true])
    );
    let labels = browser.eval(
        "[...document.querySelectorAll('.tab-label')].filter(h => h.checkVisibility()).map(h => h.innerText)",
    );
    assert_eq!(
        labels,
        json!(["pip", "cargo", "apt", "Linux", "macOS", "Alone"])
    );
    assert_eq!(
        browser.eval("document.querySelectorAll('[role=tab]').length"),
        0
    );
    browser.viewport(360, 740, true);
    browser.eval("document.querySelector('h2#install').scrollIntoView({behavior: 'instant'})");
    browser.screenshot("blocks-tabs-360-no-js");
    browser.viewport(1280, 800, false);
    let text = browser.eval("document.querySelector('main').innerText");
    for words in [
        "pip install folio",
        "cargo install folio",
        "The text of the third tab",
        "Linux text",
    ] {
        assert!(
            text.as_str().unwrap().contains(words),
            "{words} not shown without JS"
        );
    }

    // With JS: the ARIA tabs pattern.
    browser.call(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": false}),
    );
    browser.goto(&url);
    browser.wait_for("document.querySelector('.tabs.is-tabbed')");
    let tabs = browser.eval(
        "[...document.querySelectorAll('.tabs')].map(set => [...set.querySelectorAll(':scope > [role=tablist] > [role=tab]')].map(t => [t.textContent, t.getAttribute('aria-selected'), t.tabIndex]))",
    );
    assert_eq!(
        tabs,
        json!([
            [
                ["pip", "true", 0],
                ["cargo", "false", -1],
                ["apt", "false", -1]
            ],
            [["Linux", "false", -1], ["macOS", "true", 0]],
            [["Alone", "true", 0]],
        ])
    );
    assert_eq!(
        browser.eval(PANELS_SHOWN),
        json!([true, false, false, false, true, true])
    );
    // Each tab controls its panel, which it labels.
    let wired = browser.eval(
        "[...document.querySelectorAll('[role=tab]')].every(t => { const p = document.getElementById(t.getAttribute('aria-controls')); return p.getAttribute('role') === 'tabpanel' && p.getAttribute('aria-labelledby') === t.id; })",
    );
    assert_eq!(wired, true);
    assert_eq!(
        browser.eval("[...document.querySelectorAll('.tab-label')].some(h => h.checkVisibility())"),
        false,
        "the tabs name the panels now"
    );

    let focused = "[document.activeElement.textContent, document.activeElement.getAttribute('aria-selected')]";
    browser.eval("document.querySelector('[role=tab]').focus()");
    browser.press("ArrowRight", "ArrowRight", 39);
    assert_eq!(browser.eval(focused), json!(["cargo", "true"]));
    assert_eq!(
        browser.eval(PANELS_SHOWN),
        json!([false, true, false, false, true, true])
    );
    browser.press("ArrowRight", "ArrowRight", 39);
    browser.press("ArrowRight", "ArrowRight", 39);
    assert_eq!(
        browser.eval(focused),
        json!(["pip", "true"]),
        "wraps around"
    );
    browser.press("ArrowLeft", "ArrowLeft", 37);
    assert_eq!(browser.eval(focused), json!(["apt", "true"]), "wraps back");
    browser.press("Home", "Home", 36);
    assert_eq!(browser.eval(focused), json!(["pip", "true"]));
    browser.press("End", "End", 35);
    assert_eq!(browser.eval(focused), json!(["apt", "true"]));
    assert_eq!(
        browser.eval(PANELS_SHOWN),
        json!([false, false, true, false, true, true]),
        "another set is not touched"
    );
    // Tab leaves the tablist for the panel shown.
    browser.press("Tab", "Tab", 9);
    let active = browser.eval(
        "[document.activeElement.getAttribute('role'), document.activeElement.querySelector('h4') && document.activeElement.querySelector('h4').id]",
    );
    assert_eq!(active, json!(["tabpanel", "heading-in-a-tab"]));
    // A click selects too.
    let linux = "h3#configure + .tabs [role=tab]";
    browser.eval(&format!(
        "document.querySelector({linux:?}).scrollIntoView({{block: 'center', behavior: 'instant'}})"
    ));
    browser.click(linux);
    assert_eq!(
        browser.eval(PANELS_SHOWN),
        json!([false, false, true, true, false, true])
    );

    // A link to a heading in a hidden panel shows that panel, from another page…
    browser.goto(&format!("{}/other/", server.origin));
    browser.goto(&format!("{url}#heading-in-a-tab"));
    browser.wait_for("document.querySelector('.tabs.is-tabbed')");
    assert_eq!(
        browser.eval(PANELS_SHOWN),
        json!([false, false, true, false, true, true])
    );
    // … and within the page.
    browser.eval("document.querySelector('[role=tab]').click(); location.hash = ''");
    assert_eq!(
        browser.eval(PANELS_SHOWN),
        json!([true, false, false, false, true, true])
    );
    browser.eval("location.hash = '#heading-in-a-tab'");
    browser.wait_for("document.querySelectorAll('.tab-panel')[2].checkVisibility() && document.querySelectorAll('.tab-panel')[2].offsetHeight > 0");
    // Find-in-page reaches text in a hidden panel (`hidden=until-found`).
    browser.goto(&url);
    browser.wait_for("document.querySelector('.tabs.is-tabbed')");
    assert_eq!(
        browser.eval("document.querySelectorAll('.tab-panel')[1].getAttribute('hidden')"),
        "until-found"
    );
    // A text fragment reveals `until-found` content as find-in-page does, firing `beforematch`.
    browser.goto(&format!("{}/other/", server.origin));
    browser.goto(&format!("{url}#:~:text=Build%20it%20from%20source"));
    browser.wait_for("document.querySelectorAll('.tab-panel')[1].offsetHeight > 0");
    assert_eq!(
        browser.eval(PANELS_SHOWN),
        json!([false, true, false, false, true, true])
    );
    assert_eq!(
        browser.eval("document.querySelectorAll('[role=tab]')[1].getAttribute('aria-selected')"),
        "true"
    );
}

#[test]
fn tabs_and_callouts_fit_a_phone_in_light_and_dark_and_print_whole() {
    let Some(mut browser) =
        Browser::launch("tabs_and_callouts_fit_a_phone_in_light_and_dark_and_print_whole")
    else {
        return;
    };
    let site = built();
    let server = StaticServer::start(&site.public());
    browser.viewport(360, 740, true);
    for scheme in ["light", "dark"] {
        browser.color_scheme(scheme);
        for (page, target) in [
            ("tabs", "h2#install"),
            ("mkdocs", "details.callout"),
            ("docusaurus", ".callout"),
        ] {
            browser.goto(&format!("{}/{page}/", server.origin));
            browser.wait_for("document.readyState === 'complete'");
            let widths = browser.eval("[document.documentElement.scrollWidth, innerWidth]");
            assert!(
                widths[0].as_u64() <= widths[1].as_u64(),
                "{page} scrolls sideways at 360 px ({scheme}): {widths}"
            );
            browser.eval(&format!(
                "document.querySelector({target:?}).scrollIntoView({{block: 'start', behavior: 'instant'}})"
            ));
            browser.screenshot(&format!("blocks-{page}-360-{scheme}"));
        }
        // The selected tab stands out from the others by more than colour: its underline.
        browser.goto(&format!("{}/tabs/", server.origin));
        browser.wait_for("document.querySelector('.tabs.is-tabbed')");
        let underlines = browser.eval(
            "[...document.querySelectorAll('.tabs:first-of-type [role=tab]')].map(t => getComputedStyle(t).borderBottomColor)",
        );
        assert_ne!(underlines[0], underlines[1], "{scheme}: {underlines}");
    }

    // In print, every panel shows under its label, and collapsed callouts are open.
    browser.color_scheme("light");
    browser.goto(&format!("{}/tabs/", server.origin));
    browser.wait_for("document.querySelector('.tabs.is-tabbed')");
    browser.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
    assert_eq!(
        browser.eval(PANELS_SHOWN),
        json!([true, true, true, true, true, true])
    );
    browser.screenshot("blocks-tabs-360-print");
    assert_eq!(
        browser
            .eval("[...document.querySelectorAll('.tab-label')].every(h => h.checkVisibility())"),
        true
    );
    assert_eq!(
        browser.eval("document.querySelector('[role=tablist]').checkVisibility()"),
        false
    );
    browser.call("Emulation.setEmulatedMedia", json!({"media": ""}));
    browser.goto(&format!("{}/mkdocs/", server.origin));
    let closed = "[...document.querySelectorAll('details.callout:not([open]) > p')].map(p => p.checkVisibility())";
    assert_eq!(
        browser.eval(closed),
        json!([false, false]),
        "closed on screen"
    );
    browser.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
    assert_eq!(browser.eval(closed), json!([true, true]), "open in print");
}
