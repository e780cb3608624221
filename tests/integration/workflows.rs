//! The CI workflows `folio init` and `folio import` write: parsed as YAML, their triggers and
//! permissions checked, every `folio …` command of their scripts parsed with Folio's own
//! command line, and those commands run on the handbook as CI would run them.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use folio::cli::{CheckFormat, Cli, Command as FolioCommand};
use serde_yaml::Value;

use crate::support::{FOLIO, SiteTest};

/// A day on which no review of the starter policies is due.
const TODAY: &str = "2026-12-01";

/// What CI puts in place of a `${{ … }}` expression (the Pages URL, in these workflows).
const EXPRESSION: &str = "https://ospo.github.io/handbook";

fn yaml(site: &SiteTest, rel: &str) -> Value {
    let text = site.read(rel);
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not YAML ({e}):\n{text}"))
}

/// The string values of a YAML mapping (`env:` or `variables:`).
fn variables(map: &Value) -> BTreeMap<String, String> {
    map.as_mapping()
        .expect("a mapping of variables")
        .iter()
        .map(|(k, v)| {
            let value = match v {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other).unwrap().trim().to_string(),
            };
            (k.as_str().unwrap().to_string(), value)
        })
        .collect()
}

/// `${{ … }}` replaced by [`EXPRESSION`].
fn expand_expressions(script: &str) -> String {
    let mut out = String::new();
    let mut rest = script;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("closed expression") + start + 2;
        out.push_str(EXPRESSION);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The words of one shell command as the shell passes them: quotes removed, `$NAME` and
/// `"$NAME"` replaced from `env`.
fn words(command: &str, env: &BTreeMap<String, String>) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, ' ' | '\t') => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(q), _) if c == q => quote = None,
            (Some('\''), _) => word.push(c),
            (_, '$') => {
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                let value = env
                    .get(&name)
                    .unwrap_or_else(|| panic!("${name} is not set in {command}"));
                word.push_str(value);
                // Unquoted, an empty variable is no word at all, as in the shell.
                in_word |= !value.is_empty() || quote.is_some();
            }
            _ => {
                word.push(c);
                in_word = true;
            }
        }
    }
    assert!(quote.is_none(), "unclosed quote in {command}");
    if in_word {
        words.push(word);
    }
    words
}

/// Every `folio …` command of a script (commands split at line breaks, `;`, `&&`, `||`, `|`),
/// parsed by Folio's own command line.
fn folio_commands(script: &str, env: &BTreeMap<String, String>) -> Vec<(String, Cli)> {
    let script = expand_expressions(script);
    script
        .split(['\n', ';'])
        .flat_map(|line| line.split("&&"))
        .flat_map(|part| part.split("||"))
        .flat_map(|part| part.split('|'))
        .map(str::trim)
        .filter(|command| command.split_whitespace().next() == Some("folio"))
        .map(|command| {
            // A redirection and its target are not arguments.
            let command = command.split(" >").next().unwrap_or(command);
            let words = words(command, env);
            let cli = Cli::try_parse_args(&words)
                .unwrap_or_else(|e| panic!("`{command}` does not parse ({words:?}):\n{e}"));
            (command.to_string(), cli)
        })
        .collect()
}

/// The `run:` scripts of a GitHub job's steps.
fn runs(job: &Value) -> Vec<String> {
    job["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .filter_map(|step| step["run"].as_str().map(str::to_string))
        .collect()
}

/// The `uses:` of a GitHub job's steps, without their versions.
fn uses(job: &Value) -> Vec<String> {
    job["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .filter_map(|step| step["uses"].as_str())
        .map(|uses| uses.split('@').next().unwrap().to_string())
        .collect()
}

/// Runs a script as CI would: with the workflow's variables and `extra` set, `folio` on the
/// PATH and `${{ … }}` expanded; returns the exit code and output.
fn run_script(
    dir: &Path,
    script: &str,
    env: &BTreeMap<String, String>,
    extra: &[(&str, &str)],
) -> (i32, String) {
    let bin = Path::new(FOLIO).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("sh")
        .args(["-ec", &expand_expressions(script)])
        .current_dir(dir)
        .envs(env)
        .envs(extra.iter().copied())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("FOLIO_TODAY", TODAY)
        .output()
        .expect("run sh");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

const GITHUB_WORKFLOW: &str = ".github/workflows/handbook.yml";

#[test]
fn init_writes_a_github_workflow_that_checks_pull_requests_and_deploys_pages() {
    let dir = SiteTest::empty();
    let run = dir.folio(&["init", "handbook"]);
    run.assert_success();
    run.assert_stderr_contains(
        "Wrote handbook/.github/workflows/handbook.yml: it checks pull requests and publishes the site with GitHub Pages",
    );
    let workflow = yaml(&dir, &format!("handbook/{GITHUB_WORKFLOW}"));
    let env = variables(&workflow["env"]);
    assert_eq!(env["FOLIO_ROOT"], ".");
    assert_eq!(env["FOLIO_OUTPUT"], "public");
    assert!(
        env["FOLIO_INSTALL"].starts_with("--git https://"),
        "{env:?}"
    );

    // Triggers: pull requests, pushes to the default branch, and by hand.
    let on = &workflow["on"];
    assert!(on.get("pull_request").is_some(), "{on:?}");
    assert_eq!(
        on["push"]["branches"],
        serde_yaml::from_str::<Value>("[main]").unwrap()
    );
    assert!(on.get("workflow_dispatch").is_some());

    // The check: pull requests only, read-only, strict, annotations and a summary.
    let jobs = &workflow["jobs"];
    let check = &jobs["check"];
    assert_eq!(check["if"], "github.event_name == 'pull_request'");
    assert_eq!(check["permissions"]["contents"], "read");
    assert_eq!(uses(check), ["actions/checkout", "actions/cache"]);
    let mut formats = Vec::new();
    for script in runs(check) {
        for (command, cli) in folio_commands(&script, &env) {
            let FolioCommand::Check(args) = cli.command else {
                panic!("not a check: {command}");
            };
            assert!(args.strict, "{command}");
            assert_eq!(args.root, Path::new("."));
            if args.format == CheckFormat::Markdown {
                assert!(script.contains(">> \"$GITHUB_STEP_SUMMARY\""), "{script}");
            }
            formats.push(args.format);
        }
    }
    assert_eq!(formats, [CheckFormat::Markdown, CheckFormat::Github]);

    // The build: on pushes to the default branch, with the official Pages actions.
    let build = &jobs["build"];
    assert!(
        build["if"]
            .as_str()
            .unwrap()
            .contains("github.event.repository.default_branch"),
        "{build:?}"
    );
    assert_eq!(build["permissions"]["contents"], "read");
    assert_eq!(
        uses(build),
        [
            "actions/checkout",
            "actions/cache",
            "actions/configure-pages",
            "actions/upload-pages-artifact"
        ]
    );
    let builds: Vec<(String, Cli)> = runs(build)
        .iter()
        .flat_map(|script| folio_commands(script, &env))
        .collect();
    assert_eq!(builds.len(), 1);
    let FolioCommand::Build(args) = &builds[0].1.command else {
        panic!("not a build: {}", builds[0].0);
    };
    assert_eq!(
        args.base_url.as_deref(),
        Some("https://ospo.github.io/handbook/")
    );
    let upload = build["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .unwrap();
    assert_eq!(upload["with"]["path"], "${{ env.FOLIO_OUTPUT }}");

    // The deploy: after the build, allowed to deploy Pages and nothing else, one at a time.
    let deploy = &jobs["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(uses(deploy), ["actions/deploy-pages"]);
    let permissions = deploy["permissions"].as_mapping().unwrap();
    assert_eq!(permissions.len(), 2);
    assert_eq!(deploy["permissions"]["pages"], "write");
    assert_eq!(deploy["permissions"]["id-token"], "write");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert_eq!(deploy["concurrency"]["group"], "pages");
    assert_eq!(deploy["concurrency"]["cancel-in-progress"], false);
    // No job but deploy may write anything.
    for (name, job) in jobs.as_mapping().unwrap() {
        if name != "deploy" {
            assert_eq!(
                serde_yaml::to_string(&job["permissions"]).unwrap(),
                "contents: read\n",
                "{name:?}"
            );
        }
    }

    // Run the check job's and the build's commands on the new handbook as Actions would.
    let handbook = dir.path("handbook");
    let summary = dir.path("summary.md");
    let summary_var = summary.to_str().unwrap();
    for script in runs(check).iter().filter(|s| s.contains("folio ")) {
        let (code, output) = run_script(
            &handbook,
            script,
            &env,
            &[("GITHUB_STEP_SUMMARY", summary_var)],
        );
        assert_eq!(code, 0, "{script}\n{output}");
    }
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("## Handbook check passed\n"),
        "{summary}"
    );
    for script in runs(build).iter().filter(|s| s.contains("folio ")) {
        let (code, output) = run_script(&handbook, script, &env, &[]);
        assert_eq!(code, 0, "{script}\n{output}");
    }
    let home = dir.read("handbook/public/index.html");
    assert!(
        home.contains("https://ospo.github.io/handbook/"),
        "the Pages URL is the base URL"
    );
}

#[test]
fn an_existing_workflow_is_never_replaced_and_none_writes_none() {
    let dir = SiteTest::empty();
    dir.write(&format!("handbook/{GITHUB_WORKFLOW}"), "name: ours\n");
    let run = dir.folio(&["init", "handbook"]);
    run.assert_success();
    run.assert_stderr_contains(
        "Kept handbook/.github/workflows/handbook.yml: it exists, and Folio never replaces a workflow.",
    );
    assert_eq!(
        dir.read(&format!("handbook/{GITHUB_WORKFLOW}")),
        "name: ours\n"
    );

    // A handbook started in a folder of a repository: the workflow goes to the top, and
    // publishes from the branch checked out.
    let repo = SiteTest::empty();
    repo.write(".git/HEAD", "ref: refs/heads/trunk\n");
    repo.folio(&["init", "docs/handbook"])
        .assert_success()
        .assert_stderr_contains("Wrote .github/workflows/handbook.yml: ");
    let workflow = yaml(&repo, GITHUB_WORKFLOW);
    assert_eq!(variables(&workflow["env"])["FOLIO_ROOT"], "docs/handbook");
    assert_eq!(
        workflow["on"]["push"]["branches"],
        serde_yaml::from_str::<Value>("[trunk]").unwrap()
    );
    // Run from inside the handbook, the workflow is still named where it is.
    let output = Command::new(FOLIO)
        .args(["init", "--skip-existing", "."])
        .current_dir(repo.path("docs/handbook"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Kept ../../.github/workflows/handbook.yml: it exists"),
        "{stderr}"
    );

    let none = SiteTest::empty();
    none.folio(&["init", "--ci", "none", "handbook"])
        .assert_success();
    assert!(!none.path("handbook/.github").exists());
    assert!(!none.path("handbook/.gitlab-ci.yml").exists());

    let bad = none.folio(&["init", "--ci", "jenkins", "other"]);
    bad.assert_code(2);
    bad.assert_stderr_contains("[possible values: github, gitlab, none]");
}

#[test]
fn init_writes_a_gitlab_pipeline_with_code_quality_and_pages() {
    let dir = SiteTest::empty();
    let run = dir.folio(&["init", "--ci", "gitlab", "handbook"]);
    run.assert_success();
    run.assert_stderr_contains("Wrote handbook/.gitlab-ci.yml: it checks merge requests");
    assert!(!dir.path(&format!("handbook/{GITHUB_WORKFLOW}")).exists());
    let pipeline = yaml(&dir, "handbook/.gitlab-ci.yml");
    let mut env = variables(&pipeline["variables"]);
    assert_eq!(env["FOLIO_ROOT"], ".");

    let check = &pipeline["check"];
    assert_eq!(
        check["rules"][0]["if"],
        "$CI_PIPELINE_SOURCE == \"merge_request_event\""
    );
    let report = check["artifacts"]["reports"]["codequality"]
        .as_str()
        .unwrap();
    assert_eq!(check["artifacts"]["when"], "always");
    let scripts: Vec<String> = check["script"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    let commands: Vec<(String, Cli)> = scripts
        .iter()
        .flat_map(|s| folio_commands(s, &env))
        .collect();
    assert_eq!(commands.len(), 1);
    let FolioCommand::Check(args) = &commands[0].1.command else {
        panic!("not a check");
    };
    assert_eq!(args.format, CheckFormat::Gitlab);
    assert!(args.strict);
    assert_eq!(args.output_file.as_deref(), Some(Path::new(report)));

    let pages = &pipeline["pages"];
    assert_eq!(pages["stage"], "deploy");
    assert_eq!(
        pages["rules"][0]["if"],
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
    );
    assert_eq!(pages["artifacts"]["paths"][0], "public");
    let pages_scripts: Vec<String> = pages["script"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    env.insert(
        "CI_PAGES_URL".into(),
        "https://ospo.gitlab.io/handbook".into(),
    );
    let builds: Vec<(String, Cli)> = pages_scripts
        .iter()
        .flat_map(|s| folio_commands(s, &env))
        .collect();
    assert_eq!(builds.len(), 1);
    assert!(matches!(builds[0].1.command, FolioCommand::Build(_)));
    let before = pipeline["default"]["before_script"].as_sequence().unwrap();
    assert!(
        before
            .iter()
            .any(|s| s.as_str() == Some("cargo install --locked $FOLIO_INSTALL")),
        "{before:?}"
    );

    // Run both jobs' scripts as GitLab would: an empty report, and the site in public/.
    let handbook = dir.path("handbook");
    for script in scripts.iter().chain(&pages_scripts) {
        let (code, output) = run_script(&handbook, script, &env, &[]);
        assert_eq!(code, 0, "{script}\n{output}");
    }
    assert_eq!(dir.read(&format!("handbook/{report}")).trim(), "[]");
    assert!(dir.path("handbook/public/index.html").is_file());
}

#[test]
fn import_writes_the_workflow_at_the_top_of_the_repository_for_a_handbook_in_a_folder() {
    let repo = SiteTest::empty();
    crate::support::copy_dir(
        &Path::new(crate::support::REPO_ROOT).join("tests/fixtures/import/mdbook"),
        &repo.path("handbook"),
    );
    repo.write(".git/HEAD", "ref: refs/heads/trunk\n");
    let run = repo.folio(&["import", "handbook"]);
    run.assert_success();
    run.assert_stderr_contains(
        "Wrote .github/workflows/handbook.yml: it checks pull requests and publishes the site with GitHub Pages",
    );
    run.assert_stderr_contains("Wrote handbook/site.toml.\nNext: folio serve --root handbook\n");
    let workflow = yaml(&repo, GITHUB_WORKFLOW);
    let env = variables(&workflow["env"]);
    assert_eq!(env["FOLIO_ROOT"], "handbook");
    assert_eq!(env["FOLIO_OUTPUT"], "handbook/public");
    // Warnings the handbook had before Folio do not fail its first pull request.
    assert_eq!(env["FOLIO_CHECK_FLAGS"], "");
    run.assert_stderr_contains("Warnings do not fail the check until you set FOLIO_CHECK_FLAGS");
    // The branch of the book's edit links, before the one checked out.
    assert_eq!(
        workflow["on"]["push"]["branches"],
        serde_yaml::from_str::<Value>("[main]").unwrap()
    );

    // The check, run from the top of the repository, names files from there.
    let check = &workflow["jobs"]["check"];
    let script = runs(check)
        .into_iter()
        .find(|s| s.contains("--format github"))
        .unwrap();
    let (code, output) = run_script(repo.root(), &script, &env, &[]);
    assert!(code == 0 || code == 1, "{output}");
    for line in output.lines().filter(|l| l.starts_with("::")) {
        assert!(line.contains(" file=handbook/"), "{line}");
    }
    // The build writes where the upload step looks.
    let build = &workflow["jobs"]["build"];
    for script in runs(build).iter().filter(|s| s.contains("folio ")) {
        let (code, output) = run_script(repo.root(), script, &env, &[]);
        assert_eq!(code, 0, "{script}\n{output}");
    }
    assert!(repo.path(&env["FOLIO_OUTPUT"]).join("index.html").is_file());

    // `--ci gitlab` beside it, and `--dry-run` writes no workflow.
    std::fs::remove_file(repo.path("handbook/site.toml")).unwrap();
    let dry = repo.folio(&["import", "--dry-run", "--ci", "gitlab", "handbook"]);
    dry.assert_success();
    assert!(!repo.path(".gitlab-ci.yml").exists());
    repo.folio(&["import", "--ci", "gitlab", "handbook"])
        .assert_success()
        .assert_stderr_contains("Wrote .gitlab-ci.yml: it checks merge requests");
    let pipeline = yaml(&repo, ".gitlab-ci.yml");
    // public/ holds the first build now, so import chose another output folder.
    let config: toml::Table = toml::from_str(&repo.read("handbook/site.toml")).unwrap();
    assert_eq!(
        variables(&pipeline["variables"])["FOLIO_OUTPUT"],
        format!("handbook/{}", config["output_dir"].as_str().unwrap())
    );
}
