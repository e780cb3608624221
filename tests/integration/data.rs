//! Data files: YAML under data/ in every template as `data`, `template:` in front matter, and
//! the licence table the default theme renders from data/licenses.yaml.

use crate::support::{SiteTest, location_of, select_attrs, select_texts};

#[test]
fn data_files_reach_templates_keyed_by_path() {
    let site = SiteTest::fixture("data/site");
    site.build(&[]).assert_clean();
    let main = site.main_html("team/");
    // templates/people.html, chosen with `template: people`, reads data/team/people.yaml.
    assert_eq!(select_texts(&main, "h1.doc-title"), ["Our team"]);
    assert_eq!(select_texts(&main, ".prose"), ["Who does what."]);
    assert_eq!(select_texts(&main, ".lead"), ["Ada Lovelace"]);
    assert_eq!(
        select_texts(&main, ".people li"),
        ["Grace Hopper: Compilers", "Alan <Turing>: Machines"]
    );
    assert!(
        site.read("public/team/index.html")
            .contains("Alan &lt;Turing&gt;")
    );
    assert_eq!(select_texts(&main, ".licence-count"), ["4"]);
}

#[test]
fn a_yaml_error_in_a_data_file_is_reported_at_its_line() {
    let site = SiteTest::fixture("data/site");
    site.write(
        "data/team/people.yaml",
        "lead: Ada\nmembers: [Grace, Alan\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let block = run.diagnostic("invalid data file:");
    assert!(block.contains("--> data/team/people.yaml:3:1"), "{block}");
}

#[test]
fn a_missing_template_is_an_error_at_the_field() {
    let site = SiteTest::fixture("data/site");
    site.write(
        "content/team.md",
        "---\ntitle: Our team\ntemplate: peeple\n---\n\nWho.\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let block = run.diagnostic("the theme has no template `peeple.html`");
    assert!(
        block.contains(&location_of(&site, "content/team.md", "peeple")),
        "{block}"
    );
    assert!(
        block.contains("licenses"),
        "lists the theme's templates: {block}"
    );
}

#[test]
fn the_licence_table_lists_every_licence_with_its_category_in_words() {
    let site = SiteTest::fixture("data/site");
    site.build(&[]).assert_clean();
    let main = site.main_html("policies/licenses/");
    // Still a policy: the lifecycle panel stays.
    assert_eq!(select_texts(&main, ".meta-panel-title"), ["Policy details"]);
    assert_eq!(
        select_attrs(&main, ".license-table tbody tr", "id"),
        ["MIT", "Apache-2.0", "MPL-2.0", "AGPL-3.0-only"]
    );
    assert_eq!(
        select_texts(&main, ".license-table tbody td:first-child code"),
        ["MIT", "Apache-2.0", "MPL-2.0", "AGPL-3.0-only"]
    );
    // A licence without a name gets the SPDX list's.
    assert_eq!(
        select_texts(&main, ".license-table tbody td:nth-child(2)"),
        [
            "MIT License",
            "Apache License 2.0",
            "Mozilla Public License 2.0",
            "GNU Affero GPL 3.0"
        ]
    );
    assert_eq!(
        select_texts(&main, ".license-table tbody td:nth-child(3)"),
        ["Allowed", "Allowed", "Needs review", "Not allowed"]
    );
    assert_eq!(
        select_texts(&main, ".license-table tbody td:nth-child(4) em"),
        ["notice"]
    );
    assert_eq!(select_texts(&main, ".license-count"), ["4 licences"]);
    // Rows are link targets: the page's `[…](#Apache-2.0)` passed the anchor check.
    assert_eq!(
        select_attrs(&main, ".prose a[href='#Apache-2.0']", "href").len(),
        1
    );
    // The filter needs JS: it is hidden until folio.js shows it.
    assert_eq!(select_attrs(&main, "form.license-filter", "hidden"), [""]);
}

#[test]
fn licence_ids_outside_the_spdx_list_are_warnings_with_a_suggestion() {
    let site = SiteTest::fixture("data/site");
    site.write(
        "data/licenses.yaml",
        "- id: Apache2\n  category: allowed\n- id: GPL-2.0\n  category: needs-review\n- id: Apache-2.0\n  category: allowed\n",
    );
    let run = site.build(&[]);
    run.assert_success();
    // The policy's link to the `#Apache-2.0` row passes the anchor check.
    run.assert_stderr_lacks("missing heading");
    let unknown = run.diagnostic("warning: `Apache2` is not in the SPDX licence list");
    assert!(unknown.contains("data/licenses.yaml:1:7"), "{unknown}");
    assert!(unknown.contains("did you mean `Apache-2.0`?"), "{unknown}");
    let deprecated = run.diagnostic("warning: `GPL-2.0` is a deprecated SPDX licence id");
    assert!(
        deprecated.contains("data/licenses.yaml:3:7"),
        "{deprecated}"
    );
    assert!(
        deprecated.contains("use `GPL-2.0-only` or `GPL-2.0-or-later`"),
        "{deprecated}"
    );
}

#[test]
fn an_unknown_licence_category_is_an_error_at_its_value() {
    let site = SiteTest::fixture("data/site");
    site.write(
        "data/licenses.yaml",
        "- id: MIT\n  category: alowed\n- id: ISC\n  category: banned\n- id: Apache-2.0\n  category: allowed\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let typo = run.diagnostic("unknown licence category `alowed`");
    assert!(typo.contains("data/licenses.yaml:2:13"), "{typo}");
    assert!(typo.contains("did you mean `allowed`?"), "{typo}");
    run.assert_stderr_contains(
        "unknown licence category `banned`, expected one of `allowed`, `needs-review` or `not-allowed`",
    );
}

#[test]
fn links_in_licence_notes_that_would_run_script_are_text_with_a_warning_at_the_licence() {
    let site = SiteTest::fixture("data/site");
    site.write(
        "data/licenses.yaml",
        "- id: MIT\n  category: allowed\n  notes: \"[Read me]( javascript:alert(1)) and [the text](https://spdx.org/licenses/MIT.html).\"\n- id: Apache-2.0\n  category: allowed\n",
    );
    let run = site.build(&[]);
    run.assert_success();
    let block = run.diagnostic(
        "warning: a link to `javascript:alert(1)` in the notes of `MIT` would run script in the reader's browser: it is shown as text, not as a link",
    );
    assert!(block.contains("data/licenses.yaml:3:10"), "{block}");
    let main = site.main_html("policies/licenses/");
    assert_eq!(
        select_texts(&main, ".license-table tbody td:nth-child(4)"),
        ["Read me and the text.", ""]
    );
    assert_eq!(
        select_attrs(&main, ".license-table tbody td:nth-child(4) a", "href"),
        ["https://spdx.org/licenses/MIT.html"]
    );
}

#[test]
fn a_licence_list_of_another_shape_stays_a_data_file_with_one_note() {
    let site = SiteTest::fixture("data/site");
    // Another tool's list: licence names alone, then entries with fields of their own.
    site.write("data/licenses.yaml", "- MIT\n- Apache-2.0\n- ISC\n");
    site.write(
        "content/policies/licenses.md",
        "---\ntitle: Licences\nkind: policy\nstatus: approved\nowner: OSPO\ntemplate: licenses\n---\n\nPick from the table.\n",
    );
    let run = site.build(&[]);
    run.assert_success();
    let note = run.diagnostic(
        "note: `data/licenses.yaml` is not in the shape of Folio's licence list (a list of \
         entries with `id` and `category`), so Folio leaves it to the templates as `data.licenses`",
    );
    assert!(note.contains("--> data/licenses.yaml:1:1"), "{note}");
    run.assert_stderr_lacks("error");
    // Templates still have it as data; the licence table is empty.
    assert_eq!(
        select_texts(&site.main_html("team/"), ".licence-count"),
        ["3"]
    );
    let main = site.main_html("policies/licenses/");
    assert!(select_texts(&main, ".license-table tbody tr").is_empty());
    site.write(
        "data/licenses.yaml",
        "- spdx: MIT\n  approved: true\n- spdx: GPL-3.0-only\n  approved: false\n",
    );
    site.build(&[])
        .assert_success()
        .assert_stderr_contains("note: `data/licenses.yaml` is not in the shape");
    // Folio's shape with a mistake is still an error at its place: an entry without its
    // category (the fields are Folio's) and a misspelt field.
    site.write(
        "data/licenses.yaml",
        "- id: MIT\n- id: ISC\n  catgory: allowed\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_lacks("not in the shape");
    let missing = run.diagnostic("error: this entry has no `category`");
    assert!(missing.contains("data/licenses.yaml:1:1"), "{missing}");
    run.diagnostic("warning: unknown field `catgory` is ignored");
}

#[test]
fn a_link_to_a_licence_row_in_other_capitals_goes_to_the_row() {
    let site = SiteTest::fixture("data/site");
    let page = site
        .read("content/policies/licenses.md")
        .replace("(#Apache-2.0)", "(#apache-2.0)");
    site.write("content/policies/licenses.md", &page);
    let run = site.build(&[]);
    run.assert_success();
    let main = site.main_html("policies/licenses/");
    assert_eq!(
        crate::support::href_of(&main, "the Apache licence"),
        "#Apache-2.0"
    );
    let warning = run.diagnostic("warning: a link names a heading in other capitals");
    assert!(
        warning.contains("help: write `#Apache-2.0` in the source"),
        "{warning}"
    );
}
