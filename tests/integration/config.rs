//! site.toml: mistakes are errors that point into the file.

use crate::support::{SiteTest, select_attrs};

#[test]
fn an_unknown_key_is_an_error_with_a_suggestion_and_a_position() {
    let site = SiteTest::fixture("config/unknown_key");
    let run = site.build(&[]);
    run.assert_code(1);
    let top = run.diagnostic("error: unknown key `ouput_dir` in site.toml (top level)");
    assert!(top.contains("--> site.toml:3:1"), "{top}");
    assert!(top.contains("3 | ouput_dir = \"site\""), "{top}");
    assert!(top.contains("^^^^^^^^^"), "{top}");
    assert!(top.contains("help: did you mean `output_dir`?"), "{top}");

    let nested = run.diagnostic("error: unknown key `knd` in site.toml ([sections.policies])");
    assert!(nested.contains("--> site.toml:6:1"), "{nested}");
    assert!(nested.contains("help: did you mean `kind`?"), "{nested}");

    run.assert_stderr_contains("error: build failed: 2 errors, 0 warnings");
    assert!(!site.public().exists());
    assert!(!site.path("site").exists());
}

#[test]
fn a_missing_title_is_an_error() {
    let site = SiteTest::fixture("config/unknown_key");
    site.write("site.toml", "base_url = \"/\"\n");
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains("error: invalid site.toml: missing field `title`");
}

#[test]
fn a_value_of_the_wrong_type_points_at_it() {
    let site = SiteTest::fixture("config/unknown_key");
    site.write("site.toml", "title = \"Handbook\"\nlanguage = 42\n");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("error: invalid site.toml: invalid type");
    assert!(error.contains("--> site.toml:2:12"), "{error}");
}

#[test]
fn a_toml_syntax_error_points_at_it() {
    let site = SiteTest::fixture("config/unknown_key");
    site.write("site.toml", "title = \"Handbook\"\nbase_url = \n");
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("error: invalid site.toml");
    assert!(error.contains("--> site.toml:2:"), "{error}");
}

#[test]
fn a_base_url_without_a_scheme_is_refused() {
    let site = SiteTest::fixture("config/unknown_key");
    site.write(
        "site.toml",
        "title = \"Handbook\"\nbase_url = \"handbook.example.org\"\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("error: base_url `handbook.example.org` must be an absolute URL");
    assert!(error.contains("--> site.toml:2:1"), "{error}");
}

#[test]
fn output_dir_and_language_are_used() {
    let site = SiteTest::fixture("config/unknown_key");
    site.write(
        "site.toml",
        "title = \"Handbook\"\noutput_dir = \"site\"\nlanguage = \"fr\"\n",
    );
    site.build(&[]).assert_clean();
    assert!(!site.public().exists());
    let home = scraper::Html::parse_document(&site.read("site/index.html"));
    assert_eq!(select_attrs(&home, "html", "lang"), ["fr"]);
}

/// With `content_dir` (an imported MkDocs site's `docs/`), every message names the file where it
/// is, in the terminal and in CI annotations: never a content/ folder the site does not have.
#[test]
fn messages_name_the_files_in_the_content_dir_site_toml_names() {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"Docs\"\ncontent_dir = \"docs\"\n");
    site.write(
        "docs/index.md",
        "# Home\n\nSee [the guide](guide/setup.md).\n",
    );
    site.write(
        "docs/guide/setup.md",
        "# Setup\n\nRead [the rules](rules.md) and [the FAQ](../faq.md#top).\n",
    );
    site.write("docs/faq.md", "---\ntitle: [unclosed\n---\n\nAnswers.\n");

    let run = site.build(&[]);
    run.assert_code(1);
    let missing = run.diagnostic("error: link to a missing page `rules.md`");
    assert!(missing.contains("--> docs/guide/setup.md:3:6"), "{missing}");
    assert!(
        missing.contains("no file `docs/guide/rules.md` exists"),
        "{missing}"
    );
    run.assert_stderr_contains("--> docs/faq.md:2:8");
    run.assert_stderr_lacks("content/");

    let github = site.folio(&["check", "--format", "github"]);
    assert!(
        github
            .stdout
            .contains("::error file=docs/guide/setup.md,line=3,"),
        "{}",
        github.stdout
    );
    assert!(
        !github.stdout.contains("content/") && !github.stderr.contains("content/"),
        "{}{}",
        github.stdout,
        github.stderr
    );
}
