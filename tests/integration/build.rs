//! Whole builds: page kinds and their templates, drafts, navigation, and Folio's own handbook.

use crate::support::{REPO_ROOT, SiteTest, href_of, select_attrs, select_texts, selector};

/// The `<dd>` next to the `<dt>` labelled `label` in the page's metadata panel.
fn meta_value(main: &scraper::Html, label: &str) -> Option<String> {
    main.select(&selector(".meta-list > div")).find_map(|row| {
        let dt: String = row.select(&selector("dt")).next()?.text().collect();
        (dt.trim() == label).then(|| {
            let dd = row.select(&selector("dd")).next().expect("a dd");
            dd.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
    })
}

#[test]
fn pages_in_a_policy_section_render_with_the_policy_template() {
    let site = SiteTest::fixture("kinds/handbook");
    site.build(&[]).assert_clean();
    let main = site.main_html("policies/usage/");
    assert_eq!(
        select_texts(&main, "article.doc-policy .doc-eyebrow"),
        ["Policy"]
    );
    assert_eq!(select_texts(&main, ".badge.status-approved"), ["Approved"]);
    assert_eq!(
        meta_value(&main, "Owner").as_deref(),
        Some("Open Source Program Office")
    );
    assert_eq!(
        select_texts(&main, ".meta-list .plain-list li"),
        ["General Counsel", "Chief Technology Officer"]
    );
    assert_eq!(
        meta_value(&main, "Effective").as_deref(),
        Some("2025-06-01")
    );
    assert_eq!(
        meta_value(&main, "Last reviewed").as_deref(),
        Some("2026-01-31")
    );
    assert_eq!(
        meta_value(&main, "Review every").as_deref(),
        Some("1 month")
    );
    // last_reviewed + review_every, clamped to the end of the shorter month; marked overdue
    // once that day has passed (tests/integration/policies.rs pins the day to test that).
    assert_eq!(
        meta_value(&main, "Next review")
            .as_deref()
            .map(|v| v.trim_end_matches(" Overdue")),
        Some("2026-02-28")
    );
    // Approved policies say so in their banner, with no draft or retired notice.
    assert_eq!(
        select_texts(&main, ".notice-approved .notice-title"),
        ["Approved · in force since 2025-06-01"]
    );
    assert!(select_texts(&main, ".notice-draft, .notice-retired").is_empty());
}

#[test]
fn a_plain_page_does_not_get_the_policy_panel() {
    let site = SiteTest::fixture("kinds/handbook");
    site.build(&[]).assert_clean();
    let main = site.main_html("about/");
    assert_eq!(main.select(&selector("article.doc-page")).count(), 1);
    assert!(select_texts(&main, ".meta-panel, .doc-eyebrow").is_empty());
}

#[test]
fn kind_in_front_matter_overrides_the_section_default() {
    let site = SiteTest::fixture("kinds/handbook");
    site.build(&[]).assert_clean();
    let main = site.main_html("notes/special/");
    assert_eq!(select_texts(&main, ".badge.status-draft"), ["Draft"]);
    assert_eq!(
        select_texts(&main, ".notice-draft .notice-title"),
        ["Draft"]
    );
}

#[test]
fn a_retired_policy_links_to_the_policy_that_replaced_it() {
    let site = SiteTest::fixture("kinds/handbook");
    site.build(&[]).assert_clean();
    let main = site.main_html("policies/old-usage/");
    assert_eq!(
        select_texts(&main, ".notice-retired .notice-title"),
        ["This policy is retired"]
    );
    let notice = main
        .select(&selector(".notice-retired"))
        .next()
        .expect("a retired notice");
    let link = notice.select(&selector("a")).next().expect("a link");
    assert_eq!(link.value().attr("href"), Some("/policies/usage/"));
    assert_eq!(link.text().collect::<String>(), "Acceptable use");
}

#[test]
fn superseded_by_a_missing_page_is_an_error() {
    let site = SiteTest::fixture("kinds/handbook");
    site.write(
        "content/policies/old-usage.md",
        "---\ntitle: Old\nstatus: retired\nsuperseded_by: usage-v2.md\n---\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("`superseded_by` names a missing page `usage-v2.md`");
    assert!(
        error.contains("--> content/policies/old-usage.md:4:1"),
        "{error}"
    );
}

#[test]
fn playbooks_show_audience_time_and_prerequisites() {
    let site = SiteTest::fixture("kinds/handbook");
    site.build(&[]).assert_clean();
    let main = site.main_html("playbooks/release/");
    assert_eq!(select_texts(&main, ".doc-eyebrow"), ["Playbook"]);
    assert_eq!(
        select_texts(&main, ".meta-panel-title"),
        ["Before you start"]
    );
    assert_eq!(
        meta_value(&main, "Audience").as_deref(),
        Some("Maintainers")
    );
    assert_eq!(
        meta_value(&main, "Time required").as_deref(),
        Some("2 hours")
    );
    assert_eq!(
        select_texts(&main, "ul.prerequisites li"),
        ["Legal sign-off", "A LICENSE file"]
    );
}

#[test]
fn faqs_show_their_question_and_category() {
    let site = SiteTest::fixture("kinds/handbook");
    site.build(&[]).assert_clean();
    let main = site.main_html("faq/cla/");
    assert_eq!(
        select_texts(&main, "h1.doc-title"),
        ["Do I need to sign a CLA?"]
    );
    let eyebrow = select_texts(&main, ".doc-eyebrow").join("");
    assert!(eyebrow.starts_with("FAQ"), "{eyebrow}");
    assert!(eyebrow.ends_with("Contributing"), "{eyebrow}");
    // The faq section is the FAQ hub, which also asks the question.
    let hub = site.main_html("faq/");
    assert!(
        select_texts(&hub, "details.faq-item > summary")
            .contains(&"Do I need to sign a CLA?".into())
    );
}

#[test]
fn a_faq_without_a_question_asks_its_title() {
    let site = SiteTest::fixture("kinds/handbook");
    site.build(&[]).assert_clean();
    let main = site.main_html("faq/dco/");
    assert_eq!(select_texts(&main, "h1.doc-title"), ["What is the DCO?"]);
    assert_eq!(select_texts(&main, ".doc-eyebrow"), ["FAQ"]);
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = SiteTest::fixture("drafts/basic");
    site.build(&[]).assert_clean();
    assert!(!site.output_file("guides/wip/").exists());
    assert!(site.output_file("guides/published/").is_file());
    let sidebar = select_texts(&site.html("guides/"), "nav.sidebar a");
    assert!(sidebar.contains(&"Published guide".into()), "{sidebar:?}");
    assert!(!sidebar.contains(&"Work in progress".into()), "{sidebar:?}");
    let listing = select_texts(&site.main_html("guides/"), ".page-card-title a");
    assert_eq!(listing, ["Published guide"]);

    site.build(&["--drafts"]).assert_clean();
    assert_eq!(
        select_texts(&site.main_html("guides/wip/"), "h1.doc-title"),
        ["Work in progress"]
    );
    let sidebar = select_texts(&site.html("guides/"), "nav.sidebar a");
    assert!(sidebar.contains(&"Work in progress".into()), "{sidebar:?}");
}

#[test]
fn a_link_to_a_draft_is_an_error_naming_the_draft() {
    let site = SiteTest::fixture("drafts/linked");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("link to draft page `wip.md`, which is left out of this build");
    assert!(
        error.contains("--> content/guides/published.md:5:5"),
        "{error}"
    );
    assert!(
        error.contains("help: build with --drafts, or remove `draft: true` from that page"),
        "{error}"
    );

    site.build(&["--drafts"]).assert_clean();
    assert_eq!(
        href_of(&site.main_html("guides/published/"), "the draft"),
        "/guides/wip/"
    );
}

#[test]
fn the_sidebar_orders_by_weight_then_title() {
    let site = SiteTest::fixture("nav/handbook");
    site.build(&[]).assert_clean();
    // A section's page lists its pages in the sidebar (a page shows only itself in its list).
    let page = site.html("policies/");
    assert_eq!(
        select_texts(&page, "nav.sidebar ul.nav-level-1 > li > a"),
        ["Guides", "Policies", "Apple notes", "Zebra notes"]
    );
    assert_eq!(
        select_texts(&page, "nav.sidebar ul.nav-level-2 > li > a"),
        ["Zulu", "Legal", "Alpha", "Beta"]
    );
}

#[test]
fn the_current_page_is_marked_in_the_sidebar() {
    let site = SiteTest::fixture("nav/handbook");
    site.build(&[]).assert_clean();
    let page = site.html("policies/alpha/");
    assert_eq!(
        select_attrs(&page, "nav.sidebar a[aria-current=page]", "href"),
        ["/policies/alpha/"]
    );
    // Its section is open; closed sections do not list their pages.
    assert_eq!(
        select_texts(&page, "nav.sidebar li.is-open > a"),
        ["Policies"]
    );
    assert!(!select_texts(&page, "nav.sidebar a").contains(&"Setup".into()));
}

#[test]
fn breadcrumbs_show_the_section_chain() {
    let site = SiteTest::fixture("nav/handbook");
    site.build(&[]).assert_clean();
    let main = site.main_html("policies/legal/contracts/");
    assert_eq!(
        select_texts(&main, "nav.breadcrumbs li"),
        ["Home", "Policies", "Legal", "Contracts"]
    );
    assert_eq!(
        select_attrs(&main, "nav.breadcrumbs a", "href"),
        ["/", "/policies/", "/policies/legal/"]
    );
    assert_eq!(
        select_texts(&main, "nav.breadcrumbs [aria-current=page]"),
        ["Contracts"]
    );
}

#[test]
fn previous_and_next_follow_the_sidebar_order() {
    let site = SiteTest::fixture("nav/handbook");
    site.build(&[]).assert_clean();
    let pager = |url: &str| {
        let main = site.main_html(url);
        (
            select_texts(&main, "a.pager-prev .pager-title"),
            select_texts(&main, "a.pager-next .pager-title"),
        )
    };
    let one = |s: &str| vec![s.to_string()];
    assert_eq!(pager("policies/zulu/"), (one("Policies"), one("Legal")));
    assert_eq!(
        pager("policies/legal/contracts/"),
        (one("Legal"), one("Alpha"))
    );
    assert_eq!(pager("policies/beta/"), (one("Alpha"), one("Apple notes")));
    assert_eq!(pager("zebra/"), (one("Apple notes"), vec![]));
    assert_eq!(pager(""), (vec![], one("Guides")));
}

#[test]
fn folios_own_handbook_builds_without_warnings() {
    let out = SiteTest::empty();
    let target = out.path("site");
    let site = SiteTest::empty();
    let run = site.folio(&[
        "build",
        "--root",
        REPO_ROOT,
        "--output",
        target.to_str().expect("UTF-8 path"),
    ]);
    run.assert_clean();
    assert!(target.join("index.html").is_file());
    assert!(target.join("policies/licenses/index.html").is_file());
    assert!(target.join(".folio-output").is_file());
    run.assert_stderr_contains(&format!("into {}", target.display()));
}
