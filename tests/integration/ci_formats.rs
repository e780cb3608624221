//! `folio check --format github|gitlab|markdown` and `--output-file`: the reports CI reads, parsed
//! as GitHub, GitLab and a reader would, and compared with the JSON report of the same check.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

use crate::support::{FOLIO, Run, SiteTest};

/// The day the fixtures' review dates are written against.
const TODAY: &str = "2026-03-01";

/// The variables CI sets that change the Markdown report's links.
const CI_VARIABLES: &[&str] = &[
    "GITHUB_SERVER_URL",
    "GITHUB_REPOSITORY",
    "GITHUB_SHA",
    "CI_PROJECT_URL",
    "CI_COMMIT_SHA",
];

/// Runs `folio ARGS…` in `dir` (a folder of the site test) as if today were [`TODAY`], with no
/// CI variable but those of `env`.
fn folio_in(site: &SiteTest, dir: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(FOLIO);
    command
        .args(args)
        .current_dir(site.path(dir))
        .env("NO_COLOR", "1")
        .env("FOLIO_TODAY", TODAY);
    for name in CI_VARIABLES {
        command.env_remove(name);
    }
    let output = command
        .envs(env.iter().copied())
        .output()
        .expect("run the folio binary");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The findings of `folio check --format json` (same arguments), each as
/// `(level, code, file, line, column)`.
fn json_findings(
    site: &SiteTest,
    dir: &str,
    args: &[&str],
) -> Vec<(String, String, String, u64, u64)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = folio_in(site, dir, &all, &[]);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON report");
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["level"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// One workflow command, read back as the Actions runner reads it.
#[derive(Debug)]
struct Annotation {
    command: String,
    properties: BTreeMap<String, String>,
    message: String,
}

/// Undoes GitHub's escapes (`%25`, `%0D`, `%0A`, `%3A`, `%2C`).
fn unescape(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// The first of the run's annotations with this title (its finding's code); panics, showing
/// them all, when there is none.
fn annotation_titled(run: &Run, title: &str) -> Annotation {
    run.stdout
        .lines()
        .map(annotation)
        .find(|a| a.properties["title"] == title)
        .unwrap_or_else(|| panic!("{}", run.stdout))
}

/// Parses `::command key=value,…::message`; panics on any other line.
fn annotation(line: &str) -> Annotation {
    let rest = line
        .strip_prefix("::")
        .unwrap_or_else(|| panic!("not a workflow command: {line}"));
    let (head, message) = rest
        .split_once("::")
        .unwrap_or_else(|| panic!("no message: {line}"));
    let (command, properties) = head.split_once(' ').unwrap_or((head, ""));
    let properties = properties
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (key, value) = p
                .split_once('=')
                .unwrap_or_else(|| panic!("property without a value in {line}"));
            assert!(!value.contains(':') && !value.contains(','), "{line}");
            (key.to_string(), unescape(value))
        })
        .collect();
    assert!(!message.contains('\n') && !message.contains('\r'));
    Annotation {
        command: command.to_string(),
        properties,
        message: unescape(message),
    }
}

#[test]
fn github_annotates_each_finding_at_its_file_line_and_column() {
    let site = SiteTest::fixture("check/hygiene");
    let expected = json_findings(&site, ".", &[]);
    assert_eq!(expected.len(), 7);
    let run = folio_in(&site, ".", &["check", "--format", "github"], &[]);
    run.assert_code(1);
    assert_eq!(
        run.stderr,
        "error: check failed: 1 error, 5 warnings, 1 note\n"
    );
    let annotations: Vec<Annotation> = run.stdout.lines().map(annotation).collect();
    assert_eq!(annotations.len(), expected.len(), "{}", run.stdout);
    for (a, (level, code, file, line, column)) in annotations.iter().zip(&expected) {
        let command = match level.as_str() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        assert_eq!(a.command, command, "{a:?}");
        assert_eq!(a.properties["file"], *file);
        assert_eq!(a.properties["line"], line.to_string());
        assert_eq!(a.properties["endLine"], line.to_string());
        assert_eq!(a.properties["col"], column.to_string());
        let end: u64 = a.properties["endColumn"].parse().unwrap();
        assert!(end >= *column, "{a:?}");
        assert_eq!(a.properties["title"], *code);
    }
    // The owner's error, with its help on a line of its own.
    let owner = annotations
        .iter()
        .find(|a| a.properties["title"] == "policy-without-owner")
        .unwrap();
    assert_eq!(owner.command, "error");
    assert_eq!(
        (
            owner.properties["line"].as_str(),
            owner.properties["col"].as_str()
        ),
        ("3", "9")
    );
    assert!(
        owner
            .message
            .starts_with("approved policy without an owner\n\nhelp: add `owner: TEAM OR PERSON`"),
        "{}",
        owner.message
    );
    // `--strict`: the warnings become errors, the note stays a notice.
    let strict = folio_in(
        &site,
        ".",
        &["check", "--strict", "--format", "github"],
        &[],
    );
    let commands: Vec<String> = strict
        .stdout
        .lines()
        .map(|l| annotation(l).command)
        .collect();
    assert_eq!(commands.iter().filter(|c| *c == "error").count(), 6);
    assert_eq!(commands.iter().filter(|c| *c == "notice").count(), 1);
}

#[test]
fn github_paths_start_at_the_folder_the_check_runs_in_and_are_escaped() {
    let site = SiteTest::fixture("check/clean");
    // A file name with every character GitHub escapes in a property but line breaks.
    site.write(
        "content/odd: 100%, yes.md",
        "---\ntitle: Odd\n---\n\nSee [about](about.md) and\n[gone](gone.md).\n",
    );
    // Run from the folder above the site, as CI runs from the top of the repository.
    let run = folio_in(
        &site,
        "..",
        &["check", "--root", site_name(&site), "--format", "github"],
        &[],
    );
    run.assert_code(1);
    let broken = annotation_titled(&run, "broken-link");
    assert_eq!(
        broken.properties["file"],
        format!("{}/content/odd: 100%, yes.md", site_name(&site))
    );
    assert_eq!(
        (
            broken.properties["line"].as_str(),
            broken.properties["col"].as_str()
        ),
        ("6", "1")
    );
    assert!(
        run.stdout
            .contains("/content/odd%3A 100%25%2C yes.md,line=6,"),
        "{}",
        run.stdout
    );
    assert!(
        broken
            .message
            .starts_with("link to a missing page `gone.md`"),
        "{}",
        broken.message
    );
}

/// A content folder beside the site's folder (`content_dir = "../docs"`) is annotated by its
/// path from where the check runs, without `..`.
#[test]
fn github_paths_of_a_content_dir_outside_the_site_are_plain() {
    let site = SiteTest::empty();
    site.write(
        "site/site.toml",
        "title = \"T\"\ncontent_dir = \"../docs\"\n",
    )
    .write("docs/index.md", "# Home\n\nSee [gone](gone.md).\n");
    let run = folio_in(
        &site,
        ".",
        &["check", "--root", "site", "--format", "github"],
        &[],
    );
    run.assert_code(1);
    let broken = annotation_titled(&run, "broken-link");
    assert_eq!(broken.properties["file"], "docs/index.md");
}

/// The name of the site's folder in its parent.
fn site_name(site: &SiteTest) -> &str {
    site.root().file_name().unwrap().to_str().unwrap()
}

/// The GitLab report in `path`, checked against what GitLab reads: an array of objects with a
/// string description, check name and fingerprint (unique), a known severity, and a relative
/// path with a first line. Returns it.
#[track_caller]
fn gitlab_report(site: &SiteTest, path: &str) -> Vec<Value> {
    let text = site.read(path);
    let report: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let issues = report.as_array().expect("a JSON array").clone();
    let mut fingerprints = BTreeSet::new();
    for issue in &issues {
        let object = issue.as_object().expect("an object");
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(
                object[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} in {issue}"
            );
        }
        let fingerprint = issue["fingerprint"].as_str().unwrap();
        assert!(
            fingerprint.len() == 64 && fingerprint.chars().all(|c| c.is_ascii_hexdigit()),
            "{fingerprint}"
        );
        assert!(
            fingerprints.insert(fingerprint.to_string()),
            "repeated {fingerprint}"
        );
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap()),
            "{issue}"
        );
        let file = issue["location"]["path"].as_str().expect("location.path");
        assert!(!file.starts_with('/') && !file.starts_with("./"), "{file}");
        assert!(
            site.path(file).is_file(),
            "{file} is not a file of the site"
        );
        assert!(
            issue["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|l| l >= 1),
            "{issue}"
        );
    }
    issues
}

#[test]
fn gitlab_writes_a_code_quality_report_and_keeps_the_exit_status() {
    let site = SiteTest::fixture("check/hygiene");
    let run = folio_in(
        &site,
        ".",
        &[
            "check",
            "--format",
            "gitlab",
            "--output-file",
            "gl-code-quality-report.json",
        ],
        &[],
    );
    run.assert_code(1);
    assert_eq!(run.stdout, "", "the report goes into the file");
    assert_eq!(
        run.stderr,
        "error: check failed: 1 error, 5 warnings, 1 note (report in gl-code-quality-report.json)\n"
    );
    let issues = gitlab_report(&site, "gl-code-quality-report.json");
    let expected = json_findings(&site, ".", &[]);
    let found: Vec<(String, String, u64)> = issues
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().unwrap().to_string(),
                i["location"]["path"].as_str().unwrap().to_string(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
            )
        })
        .collect();
    let wanted: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(_, code, file, line, _)| (code.clone(), file.clone(), *line))
        .collect();
    assert_eq!(found, wanted);
    let severity = |code: &str| {
        issues
            .iter()
            .find(|i| i["check_name"] == code)
            .map(|i| i["severity"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(severity("policy-without-owner"), "major");
    assert_eq!(severity("orphan-page"), "minor");
    assert_eq!(severity("policy-review-due"), "info");

    // Without errors the check passes, the report is still written, and --strict fails it on
    // the warnings.
    site.write(
        "content/policies/no-owner.md",
        "---\ntitle: Owned now\nstatus: approved\nowner: OSPO\n---\n",
    );
    let args = [
        "check",
        "--format",
        "gitlab",
        "--output-file",
        "report.json",
    ];
    folio_in(&site, ".", &args, &[]).assert_success();
    assert_eq!(gitlab_report(&site, "report.json").len(), 6);
    let strict = [&args[..], &["--strict"]].concat();
    folio_in(&site, ".", &strict, &[]).assert_code(1);
    let issues = gitlab_report(&site, "report.json");
    assert_eq!(
        issues.iter().filter(|i| i["severity"] == "major").count(),
        5
    );
}

#[test]
fn gitlab_fingerprints_differ_between_equal_findings_and_survive_moved_lines() {
    let site = SiteTest::fixture("check/clean");
    let page = |above: &str| {
        format!(
            "---\ntitle: About us\n---\n{above}\nRead [usage](policies/usage.md), [gone](gone.md)\nand [gone](gone.md) again.\n"
        )
    };
    site.write("content/about.md", &page(""));
    let args = ["check", "--format", "gitlab"];
    let run = folio_in(&site, ".", &args, &[]);
    run.assert_code(1);
    site.write("report.json", &run.stdout);
    let before = gitlab_report(&site, "report.json");
    let broken: Vec<&Value> = before
        .iter()
        .filter(|i| i["check_name"] == "broken-link")
        .collect();
    assert_eq!(broken.len(), 2, "{before:?}");
    assert_eq!(broken[0]["description"], broken[1]["description"]);

    // Two lines added above: the same findings, on other lines, with the same fingerprints.
    site.write("content/about.md", &page("\nA new paragraph.\n"));
    let run = folio_in(&site, ".", &args, &[]);
    site.write("report.json", &run.stdout);
    let after = gitlab_report(&site, "report.json");
    let prints = |issues: &[Value]| -> Vec<String> {
        issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(prints(&before), prints(&after));
    let lines = |issues: &[Value]| -> Vec<u64> {
        issues
            .iter()
            .map(|i| i["location"]["lines"]["begin"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(
        lines(&after),
        lines(&before).iter().map(|l| l + 2).collect::<Vec<_>>()
    );
}

/// The rows of the Markdown table that follows `heading`, split into trimmed cells.
fn table_after(markdown: &str, heading: &str) -> Vec<Vec<String>> {
    let start = markdown
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in\n{markdown}"));
    markdown[start..]
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn markdown_has_the_counts_the_findings_and_the_reviews_due() {
    let site = SiteTest::fixture("check/hygiene");
    let run = folio_in(
        &site,
        ".",
        &[
            "check",
            "--format",
            "markdown",
            "--output-file",
            "summary.md",
        ],
        &[],
    );
    run.assert_code(1);
    let markdown = site.read("summary.md");
    assert!(
        markdown.starts_with("## Handbook check failed\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("\n**1 error**, **5 warnings**, **1 note** in 9 pages.\n"),
        "{markdown}"
    );
    let findings = table_after(&markdown, "| Level | Finding | Where |");
    let expected = json_findings(&site, ".", &[]);
    assert_eq!(findings.len(), expected.len(), "{markdown}");
    for (row, (level, code, file, line, _)) in findings.iter().zip(&expected) {
        assert_eq!(row[0], *level);
        assert!(row[1].ends_with(&format!("(`{code}`)")), "{row:?}");
        assert_eq!(row[2], format!("`{file}:{line}`"));
    }
    let reviews = table_after(&markdown, "### Policy reviews");
    assert_eq!(
        reviews,
        [
            [
                "Overdue policy (`content/policies/overdue.md`)",
                "Legal",
                "2026-01-10",
                "**overdue** by 50 days"
            ],
            [
                "Policy due soon (`content/policies/soon.md`)",
                "OSPO",
                "2026-03-20",
                "due in 19 days"
            ],
        ]
    );

    // In GitHub Actions, each place links to its line of the commit checked.
    let run = folio_in(
        &site,
        ".",
        &["check", "--format", "markdown"],
        &[
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "ospo/handbook"),
            ("GITHUB_SHA", "0123abc"),
        ],
    );
    run.assert_code(1);
    assert!(
        run.stdout.contains(
            "| error | approved policy without an owner (`policy-without-owner`) | \
             [content/policies/no-owner.md:3](https://github.com/ospo/handbook/blob/0123abc/content/policies/no-owner.md#L3) |"
        ),
        "{}",
        run.stdout
    );
    // And in GitLab CI.
    let run = folio_in(
        &site,
        ".",
        &["check", "--format", "markdown"],
        &[
            ("CI_PROJECT_URL", "https://gitlab.example.org/ospo/handbook"),
            ("CI_COMMIT_SHA", "0123abc"),
        ],
    );
    assert!(
        run.stdout.contains(
            "(https://gitlab.example.org/ospo/handbook/-/blob/0123abc/content/policies/overdue.md)"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn markdown_of_a_clean_site_says_it_passed_with_no_review_due() {
    let site = SiteTest::fixture("check/clean");
    let run = folio_in(
        &site,
        ".",
        &["check", "--strict", "--format", "markdown"],
        &[],
    );
    run.assert_success();
    assert_eq!(
        run.stdout,
        "## Handbook check passed\n\n**0 errors**, **0 warnings**, **0 notes** in 4 pages.\n\n\
         ### Policy reviews\n\nNo policy review is overdue or due soon.\n"
    );
    assert_eq!(
        run.stderr,
        "Checked 4 pages: 0 errors, 0 warnings, 0 notes\n"
    );
}

#[test]
fn text_and_json_are_unchanged_and_can_go_to_a_file_too() {
    let site = SiteTest::fixture("check/hygiene");
    let printed = folio_in(&site, ".", &["check", "--format", "json"], &[]);
    assert_eq!(printed.stderr, "");
    let run = folio_in(
        &site,
        ".",
        &["check", "--format", "json", "--output-file", "report.json"],
        &[],
    );
    run.assert_code(1);
    assert_eq!(run.stdout, "");
    assert_eq!(site.read("report.json"), printed.stdout);
    let text = folio_in(&site, ".", &["check", "--output-file", "check.txt"], &[]);
    text.assert_code(1);
    let written = site.read("check.txt");
    assert!(
        written.contains("--> content/policies/no-owner.md:3:9"),
        "{written}"
    );
    assert!(written.ends_with("error: check failed: 1 error, 5 warnings, 1 note\n"));
    // A folder that cannot hold the file: an error naming it.
    let bad = folio_in(
        &site,
        ".",
        &[
            "check",
            "--format",
            "gitlab",
            "--output-file",
            "missing/report.json",
        ],
        &[],
    );
    bad.assert_code(1);
    bad.assert_stderr_contains("error: cannot write the report to `missing/report.json`");
}
