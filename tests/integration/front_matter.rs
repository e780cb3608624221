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
fn pages_without_a_title_take_any_heading_or_their_file_name_with_one_warning() {
    let site = SiteTest::fixture("front_matter/no_title");
    site.write("content/guides/code-reviews.md", "Text, and no heading.\n");
    site.write("content/ci-cd/index.md", "Pipelines, and no heading.\n");
    site.write(
        "content/ospo-faqs.md",
        "---\ndescription: Questions\n---\n\nAnswers.\n",
    );
    site.write(
        "content/second.md",
        "Intro.\n\n## Only a subheading\n\nText.\n",
    );
    let run = site.build(&[]);
    run.assert_code(0);
    let warning = run.diagnostic(
        "warning: 4 pages without a title or a heading, titled after their file names (first at content/ci-cd/index.md:1:1: \"CI/CD\")",
    );
    assert!(
        warning.contains("--> content/ci-cd/index.md:1:1"),
        "{warning}"
    );
    assert!(
        warning.contains(
            "help: add `title: ...` to the front matter, or start the page with a `# Heading`"
        ),
        "{warning}"
    );
    // One warning for all of them, and none for the page titled from its `##` heading.
    run.assert_stderr_contains("with 1 warning");
    for (url, title) in [
        ("untitled/", "Untitled"),
        ("guides/code-reviews/", "Code reviews"),
        ("ci-cd/", "CI/CD"),
        ("ospo-faqs/", "OSPO FAQs"),
        ("second/", "Only a subheading"),
    ] {
        assert_eq!(
            select_texts(&site.main_html(url), "h1.doc-title"),
            [title],
            "{url}"
        );
    }
    // The `##` heading stays in the body (with its anchor link), under the page's title.
    let h2 = select_texts(&site.main_html("second/"), ".prose h2");
    assert!(
        h2.len() == 1 && h2[0].starts_with("Only a subheading"),
        "{h2:?}"
    );
    // The sidebar shows the titles too.
    let sidebar = select_texts(&site.html("guides/code-reviews/"), "nav.sidebar a");
    assert!(sidebar.contains(&"Code reviews".to_string()), "{sidebar:?}");
}

#[test]
fn empty_pages_build_with_one_warning_and_a_titled_page_without_text_with_none() {
    let site = SiteTest::fixture("front_matter/title_from_heading");
    site.write("content/empty.md", "");
    site.write("content/blank-too.md", "\n\n");
    site.write("content/fields-only.md", "---\ndescription: Soon\n---\n");
    site.write("content/coming-soon.md", "---\ntitle: Coming soon\n---\n");
    let run = site.build(&[]);
    run.assert_code(0);
    let warning = run.diagnostic(
        "warning: 3 pages with no text and no title, built with titles from their file names (first at content/blank-too.md:1:1: \"Blank too\")",
    );
    assert!(
        warning.contains("help: write the page's text and its `title: ...`, or delete the file"),
        "{warning}"
    );
    run.assert_stderr_contains("with 1 warning");
    assert_eq!(
        select_texts(&site.main_html("empty/"), "h1.doc-title"),
        ["Empty"]
    );
    assert_eq!(
        select_texts(&site.main_html("fields-only/"), "h1.doc-title"),
        ["Fields only"]
    );
    assert_eq!(
        select_texts(&site.main_html("coming-soon/"), "h1.doc-title"),
        ["Coming soon"]
    );
    // `folio check` names the codes.
    let check = site.folio(&["check", "--format", "json"]);
    assert!(
        check.stdout.contains("\"code\": \"empty-page\""),
        "{}",
        check.stdout
    );
}

#[test]
fn a_string_where_a_list_is_expected_is_a_list_of_one() {
    let site = SiteTest::fixture("front_matter/title_from_heading");
    site.write(
        "content/tagged.md",
        "---\ntitle: Tagged\ntags: ospo\naliases: /old-tagged/\nauthors: Ada\ncategories: guides\nkeywords: licensing\n---\n\nText.\n",
    );
    site.build(&[]).assert_clean();
    let main = site.main_html("tagged/");
    assert_eq!(select_texts(&main, ".tag-list a.tag"), ["ospo"]);
    assert!(site.path("public/tags/ospo/index.html").is_file());
    assert!(site.path("public/old-tagged/index.html").is_file());
}

#[test]
fn other_generators_fields_are_used_or_accepted_quietly_and_unknown_ones_warn_once() {
    let site = SiteTest::fixture("front_matter/title_from_heading");
    // Eleventy, as the CMS OSPO guide writes it: every page sets the same theme fields.
    for (name, order) in [("alpha", 2), ("beta", 1)] {
        site.write(
            &format!("content/guide/{name}.md"),
            &format!(
                "---\ntitle: {name} page\nlayout: layouts/page\nsidenav: true\nsticky_sidenav: true\npermalink: /guide/{name}/\ncolour: red\neleventyNavigation:\n  key: {name}\n  parent: guide\n  order: {order}\n  title: {name} nav\n---\n\nText.\n"
            ),
        );
    }
    // Docusaurus and Jekyll.
    site.write(
        "content/guide/gamma.md",
        "---\ntitle: Gamma page\nsidebar_position: 0\nsidebar_label: Gamma nav\nhide_table_of_contents: true\ncustom_edit_url: null\ncolour: blue\n---\n\nText.\n",
    );
    site.write(
        "content/guide/delta.md",
        "---\ntitle: Delta page\nnav_order: 9\nhas_children: false\npublished: false\n---\n\nText.\n",
    );
    let run = site.build(&[]);
    run.assert_code(0);
    let warning = run.diagnostic("warning: unknown front-matter field `colour` is ignored (3 pages; first at content/guide/alpha.md:7:1)");
    assert!(
        warning.contains("--> content/guide/alpha.md:7:1"),
        "{warning}"
    );
    run.assert_stderr_contains("with 1 warning");
    // Ordered by sidebar_position and eleventyNavigation.order, titled by their nav titles;
    // `published: false` is a draft, left out.
    let sidebar = select_texts(&site.html("guide/"), "nav.sidebar a");
    let guide: Vec<&String> = sidebar.iter().filter(|t| t.ends_with(" nav")).collect();
    assert_eq!(guide, ["Gamma nav", "beta nav", "alpha nav"], "{sidebar:?}");
    assert!(!site.path("public/guide/delta/index.html").exists());
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
    site.write("content/dated.md", "---\ntitle: D\ndate: 2026-13-01\n---\n");
    site.write(
        "content/status.md",
        "---\ntitle: S\nvisibility: secret\n---\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains("--> content/heavy.md:4:9");
    run.assert_stderr_contains("--> content/dated.md:3:7");
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
