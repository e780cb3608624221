//! Front matter: titles, YAML and TOML, and the errors and warnings authors get for mistakes.

use crate::support::{SiteTest, select_texts};

#[test]
fn without_front_matter_the_first_heading_is_the_title() {
    let site = SiteTest::fixture("front_matter/title_from_heading");
    site.build(&[]).assert_clean();
    let page = site.html("usage/");
    assert_eq!(
        select_texts(&page, "title"),
        ["Heading title · Front matter"]
    );
    let main = site.main_html("usage/");
    assert_eq!(select_texts(&main, "h1"), ["Heading title"]);
    // The heading became the page title and is not repeated in the body.
    assert!(select_texts(&main, ".prose h1").is_empty());
    assert_eq!(select_texts(&main, ".prose p"), ["Body text."]);
    // The sidebar uses it too.
    assert!(select_texts(&site.html(""), "nav.sidebar a").contains(&"Heading title".into()));
}

#[test]
fn a_page_with_neither_title_nor_heading_is_an_error_at_its_first_line() {
    let site = SiteTest::fixture("front_matter/no_title");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("error: the page has no title");
    assert!(error.contains("--> content/untitled.md:1:1"), "{error}");
    assert!(
        error.contains(
            "help: add `title: ...` to the front matter, or start the page with a `# Heading`"
        ),
        "{error}"
    );
}

#[test]
fn toml_front_matter_is_read() {
    let site = SiteTest::fixture("front_matter/toml");
    site.build(&[]).assert_clean();
    let main = site.main_html("toml-page/");
    assert_eq!(select_texts(&main, "h1.doc-title"), ["Written in TOML"]);
    assert_eq!(
        select_texts(&main, ".doc-lead"),
        ["A page whose front matter is TOML."]
    );
    assert_eq!(
        select_texts(&main, "time[datetime='2026-03-01']"),
        ["2026-03-01"]
    );
    assert_eq!(select_texts(&main, ".tag-list a.tag"), ["toml-tag"]);
    // The fence and the fields do not leak into the body.
    assert_eq!(select_texts(&main, ".prose"), ["Body text."]);
}

#[test]
fn malformed_yaml_is_an_error_in_the_file() {
    let site = SiteTest::fixture("front_matter/bad_yaml");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("error: invalid front matter");
    // The sequence opened with `[` on line 3 is never closed; the parser notices on line 4.
    // Either is a fair place to point at, but it must be a position in the whole file.
    assert!(
        error.contains("--> content/broken.md:3:7") || error.contains("--> content/broken.md:4:7"),
        "{error}"
    );
    let title = error.lines().next().unwrap_or_default();
    assert!(
        title.contains("did not find expected ',' or ']'"),
        "{title}"
    );
    // The message must not carry a second position, counted from the start of the front matter
    // rather than the file, which contradicts the `-->` line.
    assert!(
        !title.contains(" at line "),
        "the message repeats a position relative to the front matter: {title}"
    );
}

#[test]
fn a_value_of_the_wrong_type_is_an_error_at_its_line() {
    let site = SiteTest::fixture("front_matter/wrong_type");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("error: invalid front matter: weight: invalid type");
    let at = crate::support::location_of(&site, "content/heavy.md", "heavy\n");
    assert_eq!(at, "content/heavy.md:4:9");
    assert!(error.contains(&format!("--> {at}")), "{error}");
    assert!(error.contains("4 | weight: heavy"), "{error}");
    assert!(error.contains("string \"heavy\""), "{error}");
}

#[test]
fn an_unknown_policy_status_lists_the_valid_ones() {
    let site = SiteTest::fixture("front_matter/bad_status");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("unknown variant `aproved`");
    assert!(
        error.contains("expected one of `draft`, `in-review`, `approved`, `retired`"),
        "{error}"
    );
    assert!(
        error.contains("--> content/policies/typo.md:3:9"),
        "{error}"
    );
}

#[test]
fn an_unknown_field_is_a_warning_with_a_suggestion() {
    let site = SiteTest::fixture("front_matter/unknown_field");
    let run = site.build(&[]);
    run.assert_code(0);
    let warning = run.diagnostic("warning: unknown front-matter field `titel` is ignored");
    assert!(warning.contains("--> content/usage.md:3:1"), "{warning}");
    assert!(warning.contains("help: did you mean `title`?"), "{warning}");
    run.assert_stderr_contains("with 1 warning");
    // The page is built, titled from its heading.
    assert_eq!(select_texts(&site.main_html("usage/"), "h1"), ["Usage"]);
}

#[test]
fn a_policy_field_on_a_plain_page_is_a_warning() {
    let site = SiteTest::fixture("front_matter/kind_field_on_page");
    let run = site.build(&[]);
    run.assert_code(0);
    let warning = run
        .diagnostic("warning: `owner` is a policy field, but this page is a page; it is ignored");
    assert!(warning.contains("--> content/plain.md:3:1"), "{warning}");
    assert!(
        warning.contains("help: set `kind: policy` or remove `owner`"),
        "{warning}"
    );
    // Ignored means not shown: the plain page has no policy panel.
    let main = site.main_html("plain/");
    assert!(select_texts(&main, ".meta-panel").is_empty());
    assert!(!main.html().contains("Open Source Program Office"));
}

#[test]
fn unclosed_front_matter_is_an_error_at_line_one() {
    let site = SiteTest::fixture("front_matter/title_from_heading");
    site.write("content/open.md", "---\ntitle: Never closed\n\nBody.\n");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("error: front matter opened with `---` is never closed");
    assert!(error.contains("--> content/open.md:1:1"), "{error}");
}

#[test]
fn errors_in_several_pages_are_all_reported() {
    let site = SiteTest::fixture("front_matter/wrong_type");
    site.write("content/untitled.md", "No title here.\n");
    site.write(
        "content/status.md",
        "---\ntitle: S\nvisibility: secret\n---\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains("--> content/heavy.md:4:9");
    run.assert_stderr_contains("--> content/untitled.md:1:1");
    run.assert_stderr_contains("--> content/status.md:3:13");
    run.assert_stderr_contains("error: build failed: 3 errors, 0 warnings");
}

#[test]
fn a_status_that_is_no_policy_status_is_free_on_other_kinds() {
    // Hugo and Jekyll handbooks set `status: Completed` and the like on any page.
    let site = SiteTest::fixture("front_matter/free_status");
    site.build(&[]).assert_clean();
    let faq = site.main_html("faq/done/");
    assert_eq!(
        select_texts(&faq, "h1.doc-title"),
        ["Is this chapter finished?"]
    );
    // Kept out of the policy lifecycle: no status badge, no policy panel.
    assert!(select_texts(&faq, ".badge").is_empty());
    assert!(!faq.html().contains("Completed"));
    let chapter = site.main_html("chapter/");
    assert!(!chapter.html().contains("WIP"));

    // On a policy, the same value is still an error at its value.
    site.write(
        "content/policy.md",
        "---\ntitle: P\nkind: policy\nstatus: Completed\n---\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic(
        "error: invalid front matter: status: unknown variant `Completed`, expected one of `draft`, `in-review`, `approved`, `retired`",
    );
    assert!(error.contains("--> content/policy.md:4:9"), "{error}");
    run.assert_stderr_contains("error: build failed: 1 error, 0 warnings");
}
