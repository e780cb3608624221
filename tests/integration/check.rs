//! `folio check`: what a build checks plus handbook hygiene, as text or JSON, writing nothing;
//! and `catalog.json`, the page catalogue every build writes.

use std::collections::BTreeSet;

use folio::search::index_dir;
use serde_json::Value;

use crate::support::{REPO_ROOT, Run, SiteTest, list_dir, location_of};

/// The day the fixtures' review dates are written against.
const TODAY: &str = "2026-03-01";

/// Runs `folio check ARGS…` on the site as if today were `today`.
fn check_on(site: &SiteTest, today: &str, args: &[&str]) -> Run {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    site.folio_with_env(&all, &[("FOLIO_TODAY", today)])
}

/// Runs `folio check --format json` and parses what it prints.
#[track_caller]
fn check_json(site: &SiteTest, today: &str, args: &[&str]) -> (Run, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let run = check_on(site, today, &all);
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    (run, json)
}

/// `(code, file)` of every finding of a JSON report.
fn codes_and_files(report: &Value) -> BTreeSet<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn set(pairs: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn a_clean_site_passes_and_nothing_is_written() {
    let site = SiteTest::fixture("check/clean");
    let run = check_on(&site, TODAY, &[]);
    run.assert_success();
    assert_eq!(
        run.stderr,
        "Checked 4 pages: 0 errors, 0 warnings, 0 notes\n"
    );
    let (run, report) = check_json(&site, TODAY, &[]);
    run.assert_success();
    assert_eq!(report["ok"], true);
    assert_eq!(report["findings"], serde_json::json!([]));
    // No output, staging or serve folder, and no search index beside the output.
    assert_eq!(list_dir(site.root()), ["content", "site.toml"]);
    assert!(!index_dir(&site.public()).exists());
}

#[test]
fn each_hygiene_rule_names_the_file_and_line() {
    let site = SiteTest::fixture("check/hygiene");
    let run = check_on(&site, TODAY, &[]);
    run.assert_code(1);
    for (title, file, needle) in [
        (
            "error: approved policy without an owner",
            "content/policies/no-owner.md",
            "approved",
        ),
        (
            "warning: policy review overdue: it was due on 2026-01-10, 50 days ago",
            "content/policies/overdue.md",
            "last_reviewed",
        ),
        (
            "note: policy review due on 2026-03-20, in 19 days",
            "content/policies/soon.md",
            "effective",
        ),
        (
            "warning: no other page links to `Lonely page`",
            "content/guides/lonely.md",
            "title",
        ),
        (
            "warning: duplicate title `Getting started`: `content/guides/readers.md` has it too",
            "content/guides/authors.md",
            "title",
        ),
        (
            "warning: duplicate title `Getting Started`: `content/guides/authors.md` has it too",
            "content/guides/readers.md",
            "# Getting Started",
        ),
        (
            "warning: FAQ without a category",
            "content/faq/cla.md",
            "title",
        ),
    ] {
        let block = run.diagnostic(title);
        let at = location_of(&site, file, needle);
        assert!(block.contains(&format!("--> {at}")), "{block}");
    }
    // Reviewed in time, linked from the home page, or a section: nothing to say.
    run.assert_stderr_lacks("later.md");
    run.assert_stderr_lacks("_index.md");
    assert!(
        run.stderr
            .ends_with("error: check failed: 1 error, 5 warnings, 1 note\n"),
        "{}",
        run.stderr
    );
    assert!(!site.public().exists());
}

#[test]
fn strict_makes_warnings_fail_but_not_notes() {
    let site = SiteTest::fixture("check/hygiene");
    site.write(
        "content/policies/no-owner.md",
        "---\ntitle: Owned now\nstatus: approved\nowner: OSPO\n---\n",
    );
    let run = check_on(&site, TODAY, &[]);
    run.assert_success();
    run.assert_stderr_contains("warning: policy review overdue");
    run.assert_stderr_contains("Checked 9 pages: 0 errors, 5 warnings, 1 note\n");

    let strict = check_on(&site, TODAY, &["--strict"]);
    strict.assert_code(1);
    strict.assert_stderr_contains("error: policy review overdue");
    strict.assert_stderr_contains("note: policy review due on 2026-03-20");
    strict.assert_stderr_contains("error: check failed: 5 errors, 0 warnings, 1 note\n");

    // Notes alone never fail, even with --strict.
    let (run, report) = check_json(&site, "2026-03-15", &["--strict"]);
    assert_eq!(report["summary"]["notes"], 1);
    assert_eq!(report["summary"]["warnings"], 0);
    run.assert_code(1);
}

#[test]
fn the_json_report_has_the_documented_fields() {
    let site = SiteTest::fixture("check/hygiene");
    let (run, report) = check_json(&site, TODAY, &[]);
    run.assert_code(1);
    assert_eq!(run.stderr, "", "JSON mode prints nothing else");
    assert_eq!(report["version"], 1);
    assert_eq!(report["ok"], false);
    assert_eq!(
        report["summary"],
        serde_json::json!({"errors": 1, "warnings": 5, "notes": 1})
    );
    let keys: BTreeSet<&str> = [
        "level", "code", "message", "help", "file", "line", "column", "url", "also_at",
    ]
    .into();
    for finding in report["findings"].as_array().unwrap() {
        let found: BTreeSet<&str> = finding
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(found, keys, "{finding}");
    }
    assert_eq!(
        codes_and_files(&report),
        set(&[
            ("duplicate-title", "content/guides/authors.md"),
            ("duplicate-title", "content/guides/readers.md"),
            ("faq-without-category", "content/faq/cla.md"),
            ("orphan-page", "content/guides/lonely.md"),
            ("policy-review-due", "content/policies/soon.md"),
            ("policy-review-overdue", "content/policies/overdue.md"),
            ("policy-without-owner", "content/policies/no-owner.md"),
        ])
    );
    let owner = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "policy-without-owner")
        .unwrap();
    assert_eq!(owner["level"], "error");
    assert_eq!(owner["message"], "approved policy without an owner");
    assert_eq!((&owner["line"], &owner["column"]), (&3.into(), &9.into()));
    assert_eq!(owner["url"], "/policies/no-owner/");
    assert!(owner["help"].as_str().unwrap().contains("owner:"));
}

#[test]
fn folio_today_decides_what_is_overdue_and_due_soon() {
    let site = SiteTest::fixture("check/hygiene");
    let reviews = |today: &str| {
        let (_, report) = check_json(&site, today, &[]);
        codes_and_files(&report)
            .into_iter()
            .filter(|(code, _)| code.starts_with("policy-review"))
            .collect::<BTreeSet<_>>()
    };
    // Next reviews: overdue.md 2026-01-10, soon.md 2026-03-20, later.md 2026-06-01; 20 days'
    // notice from site.toml.
    assert_eq!(reviews("2025-12-01"), set(&[]));
    assert_eq!(
        reviews("2025-12-21"),
        set(&[("policy-review-due", "content/policies/overdue.md")])
    );
    assert_eq!(
        reviews("2026-06-02"),
        set(&[
            ("policy-review-overdue", "content/policies/later.md"),
            ("policy-review-overdue", "content/policies/overdue.md"),
            ("policy-review-overdue", "content/policies/soon.md"),
        ])
    );
    let run = check_on(&site, "2026-06-02", &[]);
    run.assert_stderr_contains("policy review overdue: it was due on 2026-06-01, 1 day ago");
}

#[test]
fn check_reports_a_broken_link_as_a_build_does() {
    let site = SiteTest::fixture("check/clean");
    site.write(
        "content/about.md",
        "---\ntitle: About us\n---\n\nSee [usage](policies/usage.md#nope) and [gone](gone.md).\n",
    );
    let build = site.build(&[]);
    build.assert_code(1);
    let check = check_on(&site, TODAY, &[]);
    check.assert_code(1);
    for title in [
        "error: link to a missing page `gone.md`",
        "error: link to a missing heading `#nope`",
    ] {
        assert_eq!(check.diagnostic(title), build.diagnostic(title));
        let at = location_of(
            &site,
            "content/about.md",
            if title.contains("gone") {
                "[gone]"
            } else {
                "[usage]"
            },
        );
        assert!(check.diagnostic(title).contains(&format!("--> {at}")));
    }
    let (_, report) = check_json(&site, TODAY, &[]);
    let codes: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains("broken-link"), "{report}");
    assert!(codes.contains("broken-anchor"), "{report}");
    assert_eq!(list_dir(site.root()), ["content", "site.toml"]);
}

#[test]
fn check_renders_every_page_so_template_errors_are_found() {
    let site = SiteTest::fixture("check/clean");
    site.write(
        "templates/page.html",
        "{%- extends \"base.html\" -%}\n{% block content %}\n<h1>{{ page.title }}</h1>\n<p>Maintained by {{ handbook_owner }}</p>\n{% endblock content %}\n",
    );
    let run = check_on(&site, TODAY, &[]);
    run.assert_code(1);
    let error = run.diagnostic("Variable `handbook_owner` is not defined");
    assert!(error.contains("--> templates/page.html:4:21"), "{error}");
    assert!(
        error.contains("help: while rendering `content/about.md`"),
        "{error}"
    );
    let (_, report) = check_json(&site, TODAY, &[]);
    assert_eq!(report["findings"][0]["code"], "template");
    assert_eq!(report["findings"][0]["file"], "templates/page.html");
    assert_eq!(list_dir(site.root()), ["content", "site.toml", "templates"]);
}

/// The hygiene findings (not the build's own diagnostics) of a JSON report, lower-cased.
fn hygiene_text(report: &Value) -> String {
    let findings: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] != "build")
        .collect();
    serde_json::to_string(&findings).unwrap().to_lowercase()
}

#[test]
fn a_public_check_leaves_internal_pages_out() {
    let site = SiteTest::fixture("audience/site");
    let (_, public) = check_json(&site, TODAY, &[]);
    assert!(
        public["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "orphan-page")
    );
    assert!(!hygiene_text(&public).contains("zqxmarker"), "{public}");
    let (_, internal) = check_json(&site, TODAY, &["--audience", "internal"]);
    assert!(hygiene_text(&internal).contains("zqxmarker"), "{internal}");
}

#[test]
fn a_build_writes_the_page_catalogue() {
    let site = SiteTest::fixture("check/clean");
    site.folio_with_env(&["build"], &[("FOLIO_TODAY", TODAY)])
        .assert_success();
    let catalog: Value = serde_json::from_str(&site.read("public/catalog.json")).unwrap();
    assert_eq!(catalog["version"], 1);
    assert_eq!(catalog["generated"], TODAY);
    assert_eq!(catalog["base_url"], "https://handbook.example.org/");
    let pages = catalog["pages"].as_array().unwrap();
    let urls: Vec<&str> = pages.iter().filter_map(|p| p["url"].as_str()).collect();
    // Reading order; the `policies` and `faq` sections Folio made up have no file, so no entry.
    assert_eq!(
        urls,
        [
            "https://handbook.example.org/",
            "https://handbook.example.org/about/",
            "https://handbook.example.org/faq/cla/",
            "https://handbook.example.org/policies/usage/",
        ]
    );
    assert_eq!(
        pages[3],
        serde_json::json!({
            "url": "https://handbook.example.org/policies/usage/",
            "title": "Using open source",
            "kind": "policy",
            "description": "What you may use, and how.",
            "status": "approved",
            "owner": "OSPO",
            "approvers": ["Legal", "Security"],
            "effective": "2025-06-01",
            "last_reviewed": "2026-01-15",
            "review_every": "12 months",
            "review_due": "2027-01-15",
            "overdue": false,
            "tags": ["licensing"],
            "source": "content/policies/usage.md",
        })
    );
    assert_eq!(pages[0]["kind"], "section");
    assert_eq!(pages[1]["kind"], "page");
    assert_eq!(pages[1]["owner"], Value::Null);
    assert_eq!(pages[1]["tags"], serde_json::json!(["team"]));
    assert_eq!(pages[2]["kind"], "faq");

    // A later build, after the review date, marks the policy overdue; a relative base URL
    // gives site paths.
    let config = site
        .read("site.toml")
        .replace("https://handbook.example.org/", "/handbook/");
    site.write("site.toml", &config);
    site.folio_with_env(&["build"], &[("FOLIO_TODAY", "2027-01-16")])
        .assert_success();
    let catalog: Value = serde_json::from_str(&site.read("public/catalog.json")).unwrap();
    let policy = &catalog["pages"][3];
    assert_eq!(policy["url"], "/handbook/policies/usage/");
    assert_eq!(policy["overdue"], true);
}

#[test]
fn folios_own_handbook_passes_check_and_writes_nothing() {
    let site = SiteTest::empty();
    let before = list_dir(std::path::Path::new(REPO_ROOT));
    let run = site.folio(&["check", "--root", REPO_ROOT]);
    run.assert_success();
    run.assert_stderr_contains(" 0 errors, ");
    assert_eq!(list_dir(std::path::Path::new(REPO_ROOT)), before);
}
