//! The command line: help, version, exit codes, `folio init` and `folio new`.

use std::fs;

use crate::support::{FOLIO, SiteTest, list_dir, snapshot, today_utc};

#[test]
fn version_prints_the_package_version() {
    let run = SiteTest::empty().folio(&["--version"]);
    run.assert_success();
    assert_eq!(
        run.stdout.trim(),
        format!("folio {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn help_shows_the_commands_and_examples() {
    let run = SiteTest::empty().folio(&["--help"]);
    run.assert_success();
    for needle in [
        "build",
        "init",
        "new",
        "Examples:",
        "folio build --root handbook --drafts",
        "Exit status:",
    ] {
        assert!(
            run.stdout.contains(needle),
            "no {needle:?} in\n{}",
            run.stdout
        );
    }
    let build = SiteTest::empty().folio(&["build", "--help"]);
    build.assert_success();
    assert!(build.stdout.contains("--drafts"), "{}", build.stdout);
    assert!(build.stdout.contains("Examples:"), "{}", build.stdout);
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let run = SiteTest::empty().folio(&["build", "--draft"]);
    run.assert_code(2);
    run.assert_stderr_contains("--draft");
    let none = SiteTest::empty().folio(&[]);
    none.assert_code(2);
}

#[test]
fn building_outside_a_site_explains_what_is_missing() {
    let dir = SiteTest::empty();
    let run = dir.folio(&["build"]);
    run.assert_code(1);
    run.assert_stderr_contains("site.toml");
    run.assert_stderr_contains("folio init DIR");
    assert!(!dir.public().exists());
}

#[test]
fn a_site_without_content_is_an_error() {
    let dir = SiteTest::empty();
    dir.write("site.toml", "title = \"Empty\"\n");
    let run = dir.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains("error: there is no content folder at `");
}

#[test]
fn init_creates_a_small_site_that_builds_cleanly() {
    let dir = SiteTest::empty();
    let run = dir.folio(&["init", "handbook"]);
    run.assert_success();
    run.assert_stderr_contains("Created a handbook in handbook with 14 sample files.");
    assert!(dir.path("handbook/site.toml").is_file());
    assert!(dir.path("handbook/data/licenses.yaml").is_file());
    assert!(dir.path("handbook/data/glossary.yaml").is_file());
    // A part of the bundled handbook, not all of it.
    assert!(!dir.path("handbook/content/policies/sbom.md").exists());

    let build = dir.folio(&["build", "--root", "handbook"]);
    build.assert_clean();
    build.assert_stderr_contains("Built 13 pages (5 sections)");
    for page in [
        "index.html",
        "policies/index.html",
        "policies/licenses/index.html",
        "policies/contributing/index.html",
        "playbooks/open-sourcing-a-project/index.html",
        "faq/index.html",
        "faq/what-is-a-cla/index.html",
        "glossary/index.html",
    ] {
        assert!(dir.path("handbook/public").join(page).is_file(), "{page}");
    }

    // A link to a page the starter leaves out is kept as plain text.
    let home = dir.read("handbook/content/_index.md");
    assert!(!home.contains("policies/dependencies.md"), "{home}");
    let html = dir.read("handbook/public/index.html");
    assert!(!html.contains("/policies/dependencies/"), "{html}");
}

#[test]
fn init_refuses_a_folder_that_holds_a_site() {
    let site = SiteTest::empty();
    site.write("content/notes.md", "---\ntitle: Notes\n---\n");
    let before = snapshot(site.root());
    let run = site.folio(&["init", "."]);
    run.assert_code(1);
    run.assert_stderr_contains(
        "error: `.` already holds a site: it has a content folder, which the sample pages would be mixed into.\n\
         Nothing was written. Choose an empty folder, or add the sample files it lacks with `folio init --skip-existing .`.",
    );
    assert_eq!(snapshot(site.root()), before);
}

/// Someone's own glossary and licence list, where `folio init` would write its samples: it
/// refuses, names both, and writes nothing at all (no site.toml, no pages).
#[test]
fn init_never_replaces_a_file_and_names_those_in_the_way() {
    let dir = SiteTest::empty();
    dir.write(
        "handbook/data/glossary.yaml",
        "- term: Ours
  definition: Kept.
",
    );
    dir.write(
        "handbook/data/licenses.yaml",
        "our own list
",
    );
    let before = snapshot(dir.root());
    let run = dir.folio(&["init", "handbook"]);
    run.assert_code(1);
    assert_eq!(
        run.stderr,
        "error: `handbook` already has files that folio init writes, and it never replaces a file:\n  \
         handbook/data/glossary.yaml\n  handbook/data/licenses.yaml\n\
         Nothing was written. Move them elsewhere, or add only the missing files with \
         `folio init --skip-existing handbook`.\n"
    );
    assert_eq!(snapshot(dir.root()), before);

    // A site.toml alone is named too, as "a file".
    let other = SiteTest::empty();
    other.write("site.toml", "title = \"Mine\"\n");
    let run = other.folio(&["init", "."]);
    run.assert_code(1);
    run.assert_stderr_contains("`.` already has a file that folio init writes");
    run.assert_stderr_contains("\n  site.toml\n");
    assert_eq!(other.read("site.toml"), "title = \"Mine\"\n");
    assert_eq!(list_dir(other.root()), ["site.toml"]);
}

/// `--skip-existing` adds what is missing and leaves every existing file byte for byte.
#[test]
fn init_skip_existing_adds_only_the_missing_files() {
    let dir = SiteTest::empty();
    dir.write("handbook/data/glossary.yaml", "our own terms\n");
    dir.write("handbook/content/_index.md", "---\ntitle: Our home\n---\n");
    let run = dir.folio(&["init", "--skip-existing", "handbook"]);
    run.assert_success();
    run.assert_stderr_contains("Added 13 missing files to handbook; kept 2 files as they were.");
    assert_eq!(dir.read("handbook/data/glossary.yaml"), "our own terms\n");
    assert_eq!(
        dir.read("handbook/content/_index.md"),
        "---\ntitle: Our home\n---\n"
    );
    assert!(dir.path("handbook/site.toml").is_file());
    assert!(dir.path("handbook/data/licenses.yaml").is_file());
    assert!(dir.path("handbook/content/policies/licenses.md").is_file());
    // Run again: nothing is missing, nothing changes.
    let before = snapshot(&dir.path("handbook"));
    let again = dir.folio(&["init", "--skip-existing", "handbook"]);
    again.assert_success();
    again.assert_stderr_contains("Added 0 missing files to handbook; kept 15 files as they were.");
    assert_eq!(snapshot(&dir.path("handbook")), before);
}

#[test]
fn new_policy_creates_a_draft_dated_today_that_builds() {
    let site = SiteTest::fixture("cli/site");
    let before = today_utc();
    let run = site.folio(&["new", "policy", "policies/x", "--title", "X"]);
    let after = today_utc();
    run.assert_success();
    let text = site.read("content/policies/x.md");
    assert!(text.starts_with("---\n"), "{text}");
    assert!(text.contains("title: \"X\"\n"), "{text}");
    assert!(text.contains("\nstatus: draft\n"), "{text}");
    assert!(
        text.contains(&format!("\ndate: {before}\n"))
            || text.contains(&format!("\ndate: {after}\n")),
        "not dated today ({before}):\n{text}"
    );
    site.build(&[]).assert_clean();
    let main = site.main_html("policies/x/");
    assert_eq!(crate::support::select_texts(&main, "h1.doc-title"), ["X"]);
    assert_eq!(
        crate::support::select_texts(&main, ".badge.status-draft"),
        ["Draft"]
    );
}

#[test]
fn new_refuses_to_overwrite_a_page() {
    let site = SiteTest::fixture("cli/site");
    site.folio(&["new", "policy", "policies/x", "--title", "X"])
        .assert_success();
    site.write("content/policies/x.md", "---\ntitle: Edited\n---\n");
    let run = site.folio(&["new", "policy", "policies/x", "--title", "Y"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    run.assert_stderr_contains("already exists");
    assert_eq!(
        site.read("content/policies/x.md"),
        "---\ntitle: Edited\n---\n"
    );
}

#[test]
fn new_creates_every_kind_and_the_site_still_builds() {
    let site = SiteTest::fixture("cli/site");
    for (kind, path) in [
        ("playbook", "playbooks/release"),
        ("faq", "faq/cla"),
        ("page", "about"),
    ] {
        site.folio(&["new", kind, path, "--title", "Some \"quoted\": title"])
            .assert_success();
        assert!(site.path(&format!("content/{path}.md")).is_file(), "{kind}");
    }
    site.build(&[]).assert_clean();
}

/// A folder of content/ that is a link out of it, and a page that is a link out of it (dangling
/// or not), are refused; nothing is written outside, and a link that stays inside is followed.
#[test]
fn new_never_writes_outside_the_content_folder_through_a_link() {
    use std::os::unix::fs::symlink;
    let site = SiteTest::fixture("cli/site");
    let outside = SiteTest::empty();
    outside.write("existing.md", "keep\n");
    fs::create_dir_all(site.path("content/policies")).unwrap();
    symlink(outside.root(), site.path("content/linked")).unwrap();
    symlink(
        outside.path("victim.md"),
        site.path("content/policies/dangling.md"),
    )
    .unwrap();
    symlink(
        outside.path("existing.md"),
        site.path("content/policies/existing.md"),
    )
    .unwrap();
    fs::create_dir_all(site.path("content/a")).unwrap();
    symlink("../../..", site.path("content/a/up")).unwrap();
    let outside_root = outside.root().display().to_string();
    for (path, link, target) in [
        ("linked/x", "content/linked", outside_root.clone()),
        (
            "policies/dangling",
            "content/policies/dangling.md",
            format!("{outside_root}/victim.md"),
        ),
        (
            "policies/existing",
            "content/policies/existing.md",
            format!("{outside_root}/existing.md"),
        ),
        ("a/up/escape", "content/a/up", "../../..".to_string()),
    ] {
        let run = site.folio(&["new", "page", path, "--title", "X"]);
        run.assert_code(1);
        run.assert_stderr_contains(&format!(
            "error: refusing to write `content/{path}.md`: `{link}` is a symbolic link to `{target}`, \
             outside the content folder `content`; folio new writes only inside it"
        ));
    }
    assert_eq!(list_dir(outside.root()), ["existing.md"]);
    assert_eq!(outside.read("existing.md"), "keep\n");
    assert!(!site.root().parent().unwrap().join("escape.md").exists());

    symlink("policies", site.path("content/inner")).unwrap();
    site.folio(&["new", "page", "inner/kept", "--title", "Kept"])
        .assert_success();
    assert!(site.path("content/policies/kept.md").is_file());
}

/// With `content_dir` in site.toml, pages go there, not into a content/ of their own.
#[test]
fn new_writes_into_the_configured_content_folder() {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"Docs\"\ncontent_dir = \"docs\"\n");
    site.write("docs/_index.md", "---\ntitle: Home\n---\n");
    let run = site.folio(&["new", "page", "docs/guide", "--title", "Guide"]);
    run.assert_success();
    assert!(site.path("docs/guide.md").is_file());
    assert!(!site.path("content").exists());
    site.build(&[]).assert_clean();
}

#[test]
fn new_refuses_paths_outside_content() {
    let site = SiteTest::fixture("cli/site");
    let run = site.folio(&["new", "page", "../escape", "--title", "E"]);
    assert_ne!(run.code, 0);
    assert!(!site.path("escape.md").exists());
    assert!(!site.root().parent().unwrap().join("escape.md").exists());
}

/// A site of `pages` short pages, enough for a build with several progress steps.
fn many_pages(pages: usize) -> SiteTest {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"Many\"\n");
    for i in 0..pages {
        site.write(
            &format!("content/p{i}.md"),
            &format!("---\ntitle: Page {i}\n---\n\n## Part {i}\n\nSome text about page {i}.\n"),
        );
    }
    site
}

/// On a terminal, a build shows its stage and the pages done, then clears the bar and ends with
/// one summary line; piped (as here) or with --quiet, nothing animated is printed.
#[test]
fn progress_is_shown_on_a_terminal_and_nowhere_else() {
    let site = many_pages(150);
    let piped = site.folio(&["build"]);
    piped.assert_success();
    assert!(
        !piped.stderr.contains('\r') && !piped.stderr.contains('\u{1b}'),
        "{:?}",
        piped.stderr
    );
    assert_eq!(
        piped.stderr.lines().count(),
        1,
        "one summary line: {}",
        piped.stderr
    );
    piped.assert_stderr_contains("Built 151 pages (1 section) and 301 search documents into");

    let quiet = site.folio(&["build", "--quiet"]);
    quiet.assert_success();
    assert_eq!(quiet.stderr, "", "--quiet prints nothing on success");

    // `script` (util-linux) runs the build on a pseudo-terminal.
    let command = format!("{} build --root {}", FOLIO, site.root().display());
    let terminal = std::process::Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .env("FOLIO_PROGRESS_DELAY_MS", "0")
        .output();
    let Ok(terminal) = terminal else {
        eprintln!(
            "SKIPPED: progress_is_shown_on_a_terminal_and_nowhere_else needs `script` (util-linux)"
        );
        return;
    };
    let shown = String::from_utf8_lossy(&terminal.stdout);
    assert!(terminal.status.success(), "{shown}");
    assert!(shown.contains("Writing"), "{shown:?}");
    assert!(shown.contains("/151 pages"), "{shown:?}");
    // The bar is cleared: the last line is the summary.
    let last = shown.rsplit(['\r', '\n']).find(|l| !l.trim().is_empty());
    assert!(
        last.is_some_and(|l| l.contains("Built 151 pages")),
        "{shown:?}"
    );
}
