//! The FAQ hub: every FAQ of the site on one page, grouped by category, with schema.org data.

use scraper::Html;
use serde_json::Value;

use crate::support::{SiteTest, select_attrs, select_texts, selector};

/// The schema.org JSON-LD of a page, parsed.
#[track_caller]
fn json_ld(page: &Html) -> Value {
    let scripts: Vec<String> = page
        .select(&selector(r#"script[type="application/ld+json"]"#))
        .map(|s| s.text().collect())
        .collect();
    assert_eq!(scripts.len(), 1, "{scripts:?}");
    serde_json::from_str(&scripts[0]).unwrap_or_else(|e| panic!("bad JSON-LD: {e}\n{}", scripts[0]))
}

/// The questions under each category heading, in page order.
fn groups(main: &Html) -> Vec<(String, Vec<String>)> {
    main.select(&selector("section.faq-category"))
        .map(|section| {
            let fragment = Html::parse_fragment(&section.inner_html());
            let title = select_texts(&fragment, "h2.faq-category-title").concat();
            (title, select_texts(&fragment, "details.faq-item > summary"))
        })
        .collect()
}

#[test]
fn the_faq_section_is_the_hub_of_every_faq_grouped_by_category() {
    let site = SiteTest::fixture("faq/site");
    site.build(&[]).assert_clean();
    let main = site.main_html("faq/");
    assert_eq!(
        select_texts(&main, "h1.doc-title"),
        ["Questions and answers"]
    );
    // The section's own text stays above the questions.
    assert_eq!(select_texts(&main, ".doc-body > .prose"), ["Start here."]);
    assert_eq!(
        groups(&main),
        [
            (
                "Contributing".to_string(),
                vec!["What is a CLA?".to_string(), "How do I start?".to_string()]
            ),
            ("licensing".into(), vec!["Can I use AGPL code?".into()]),
            ("Releasing".into(), vec!["How do I start?".into()]),
            (
                "Other questions".into(),
                vec!["Where do I report a vulnerability?".into()]
            ),
        ]
    );
    // Ids are GitHub slugs of the questions, numbered on repeats, so `/faq/#what-is-a-cla` works.
    assert_eq!(
        select_attrs(&main, "details.faq-item", "id"),
        [
            "what-is-a-cla",
            "how-do-i-start",
            "can-i-use-agpl-code",
            "how-do-i-start-1",
            "where-do-i-report-a-vulnerability",
        ]
    );
    // Each answer is the FAQ page's rendered text, with a link to the page itself.
    assert_eq!(
        select_texts(&main, "#what-is-a-cla .faq-answer > p:first-child"),
        ["A contributor licence agreement grants the project extra rights."]
    );
    assert_eq!(
        select_attrs(
            &main,
            "#where-do-i-report-a-vulnerability .faq-open a",
            "href"
        ),
        ["/guides/report/"]
    );
    assert_eq!(
        select_texts(&main, "#what-is-a-cla .faq-open a"),
        ["Open as a page"]
    );
    // The FAQ pages themselves are still written.
    assert!(site.output_file("guides/report/").exists());
    assert!(site.output_file("faq/cla/").exists());
}

#[test]
fn the_hub_carries_faqpage_json_ld_that_cannot_break_out_of_its_script() {
    let site = SiteTest::fixture("faq/site");
    site.build(&[]).assert_clean();
    let raw = std::fs::read_to_string(site.output_file("faq/")).unwrap();
    assert!(!raw.contains("</script><b>"), "an answer closed the script");
    let ld = json_ld(&Html::parse_document(&raw));
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "FAQPage");
    let entities = ld["mainEntity"].as_array().expect("mainEntity is a list");
    let names: Vec<&str> = entities
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "What is a CLA?",
            "How do I start?",
            "Can I use AGPL code?",
            "How do I start?",
            "Where do I report a vulnerability?",
        ]
    );
    let answers = [
        "A contributor licence agreement grants the project extra rights.",
        "Pick a good first issue",
        "Not without an exception.",
        "Open a release request with the OSPO.",
        "Email the security team privately.",
    ];
    for (entity, answer) in entities.iter().zip(answers) {
        assert_eq!(entity["@type"], "Question");
        assert_eq!(entity["acceptedAnswer"]["@type"], "Answer");
        let text = entity["acceptedAnswer"]["text"].as_str().unwrap();
        assert!(text.contains(answer), "{text:?} lacks {answer:?}");
    }
    // The code span survives as escaped HTML text, and `&` as an entity.
    let agpl = entities[2]["acceptedAnswer"]["text"].as_str().unwrap();
    assert!(
        agpl.contains("<code>&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;</code>"),
        "{agpl}"
    );
    assert!(agpl.contains("&amp; expect"), "{agpl}");
    // In the page source, markup characters of the JSON are escaped.
    assert!(raw.contains(r"\u003ccode\u003e"), "JSON-LD is not escaped");
}

#[test]
fn internal_faqs_appear_on_the_hub_of_an_internal_build_only() {
    let site = SiteTest::fixture("faq/site");
    site.build(&[]).assert_clean();
    let public = site.main_html("faq/");
    assert!(!public.html().contains("internal budget"));
    site.build(&["--audience", "internal"]).assert_clean();
    let main = site.main_html("faq/");
    // `Licensing` and `licensing` are one category, shown as first spelled in reading order.
    let (title, questions) = &groups(&main)[1];
    assert!(title.eq_ignore_ascii_case("licensing"), "{title}");
    assert_eq!(
        questions,
        &["What is our internal budget?", "Can I use AGPL code?"]
    );
    assert_eq!(groups(&main).len(), 4);
}

#[test]
fn a_site_without_a_faq_section_gets_the_hub_at_faq() {
    let site = SiteTest::fixture("faq/no_section");
    site.build(&[]).assert_clean();
    let page = site.html("faq/");
    let main = site.main_html("faq/");
    assert_eq!(
        select_texts(&main, "h1.doc-title"),
        ["Frequently asked questions"]
    );
    assert_eq!(
        groups(&main),
        [
            (
                "Contributing".to_string(),
                vec!["What is a CLA?".to_string()]
            ),
            ("Other questions".into(), vec!["Anything else?".into()]),
        ]
    );
    assert_eq!(
        select_attrs(&main, "details.faq-item", "id"),
        ["what-is-a-cla", "anything-else"]
    );
    assert_eq!(
        select_attrs(&main, "#what-is-a-cla .faq-open a", "href"),
        ["/help/cla/"]
    );
    let ld = json_ld(&page);
    assert_eq!(ld["mainEntity"].as_array().map(Vec::len), Some(2));
    assert_eq!(ld["mainEntity"][0]["name"], "What is a CLA?");
    // The section that holds the FAQs keeps its ordinary listing.
    let help = site.main_html("help/");
    assert!(select_texts(&help, "details.faq-item").is_empty());
}

#[test]
fn a_site_without_faqs_gets_no_hub() {
    let empty = SiteTest::fixture("faq/no_section");
    empty.write("content/help/cla.md", "---\ntitle: CLA\n---\n\nA page.\n");
    empty.write("content/help/misc.md", "---\ntitle: Misc\n---\n\nA page.\n");
    empty.build(&[]).assert_clean();
    assert!(!empty.output_file("faq/").exists());
}
