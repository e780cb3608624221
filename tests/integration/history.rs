//! Git history on pages: "Last updated DATE by AUTHOR" from the last commit that changed a
//! page's file, "Edit this page" links (GitHub, GitLab, an `edit_url` pattern), a policy's
//! recent changes; and none of it, quietly, outside git.
//!
//! Each test makes its own repository with fixed authors and dates, so it runs the same on any
//! machine with git (CI installs it).

use std::path::Path;
use std::process::Command;

use scraper::Html;

use crate::serve::Server;
use crate::support::{REPO_ROOT, Run, SiteTest, copy_dir, select_attrs, select_texts, snapshot};

/// The site's folder in the repository: a site need not be at its top.
const SITE: &str = "handbook";

/// The author of the policy's last change, with characters HTML must escape.
const AUTHOR: &str = "Zoë O'Brien & Co";

/// The subject of the policy's last change, with markup that must stay text.
const POLICY_SUBJECT: &str = "Tighten <script>alert(1)</script> review & sign-off";

/// The subject of the only commit that touches the internal page.
const INTERNAL_SUBJECT: &str = "Add ZQXHISTORY salary bands";

/// The history fixture in `handbook/` of a fresh git repository.
struct Repo {
    site: SiteTest,
}

impl Repo {
    /// The fixture, committed in four steps, plus a page that was never committed.
    fn new() -> Repo {
        let site = SiteTest::empty();
        let fixture = Path::new(REPO_ROOT).join("tests/fixtures/history/site");
        copy_dir(&fixture, &site.path(SITE));
        let repo = Repo { site };
        repo.git(&["init", "-q", "-b", "main"]);
        let internal = "handbook/content/internal/salaries.md";
        let stash = std::fs::read_to_string(repo.site.path(internal)).expect("the internal page");
        std::fs::remove_file(repo.site.path(internal)).expect("remove for now");
        repo.commit("Ana Lyst", "2026-01-05T09:00:00+00:00", "Add the handbook");
        repo.site.write(
            "handbook/content/guides/setup notes.md",
            "---\ntitle: Setup notes\n---\n\nHow to set up a laptop, step by step.\n",
        );
        repo.commit(
            "Carl Çelik",
            "2026-02-01T12:00:00+01:00",
            "Explain laptop setup",
        );
        repo.site.write(
            "handbook/content/policies/review.md",
            "---\ntitle: Code review\nstatus: approved\n---\n\nEvery change is reviewed twice.\n",
        );
        // Late in the evening west of UTC: the date shown is the author's, not UTC's next day.
        repo.commit(AUTHOR, "2026-03-10T23:30:00-05:00", POLICY_SUBJECT);
        repo.site.write(internal, &stash);
        repo.commit("Ana Lyst", "2026-03-12T10:00:00+00:00", INTERNAL_SUBJECT);
        repo.site.write(
            "handbook/content/policies/ideas.md",
            "---\ntitle: Ideas\n---\n\nNot committed yet.\n",
        );
        repo
    }

    fn git(&self, args: &[&str]) {
        git(self.site.root(), args);
    }

    fn commit(&self, author: &str, date: &str, subject: &str) {
        commit(self.site.root(), author, date, subject);
    }

    /// Builds the site in `handbook/` with the repository's git settings.
    fn build(&self, args: &[&str]) -> Run {
        let root = self.site.path(SITE);
        let mut all = vec!["build", "--root", root.to_str().expect("UTF-8 temp path")];
        all.extend_from_slice(args);
        let env = git_env(self.site.root());
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.site.folio_with_env(&all, &env)
    }

    /// The page at `url_path` of the last build.
    fn html(&self, url_path: &str) -> Html {
        let path = format!("{SITE}/public/{url_path}index.html");
        Html::parse_document(&self.site.read(&path))
    }
}

/// Runs git in `root` with no settings from the machine it runs on.
fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(root)
        .envs(git_env(root))
        .status()
        .expect("git is installed");
    assert!(status.success(), "git {args:?} failed");
}

/// Commits everything in the work tree at `root` as `author` on `date`.
fn commit(root: &Path, author: &str, date: &str, subject: &str) {
    git(root, &["add", "--all"]);
    let status = Command::new("git")
        .args(["-c", "commit.gpgsign=false", "commit", "-q", "-m", subject])
        .current_dir(root)
        .envs(git_env(root))
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .status()
        .expect("git is installed");
    assert!(status.success(), "git commit {subject:?} failed");
}

/// Environment for git that ignores the machine's and the user's settings, as on a fresh CI
/// machine: the home folder is the test's own.
fn git_env(home: &Path) -> Vec<(&'static str, String)> {
    let home = home.to_string_lossy().into_owned();
    vec![
        ("GIT_CONFIG_NOSYSTEM", "1".into()),
        ("GIT_CONFIG_GLOBAL", "/dev/null".into()),
        ("HOME", home.clone()),
        ("XDG_CONFIG_HOME", home),
        ("GIT_AUTHOR_EMAIL", "author@example.org".into()),
        ("GIT_COMMITTER_NAME", "Committer".into()),
        ("GIT_COMMITTER_EMAIL", "committer@example.org".into()),
    ]
}

/// The one text matching `css`, or panics.
#[track_caller]
fn only_text(html: &Html, css: &str) -> String {
    let texts = select_texts(html, css);
    assert_eq!(texts.len(), 1, "{css}: {texts:?}");
    texts.into_iter().next().unwrap()
}

#[test]
fn each_page_shows_its_last_change_and_an_edit_link() {
    let repo = Repo::new();
    repo.build(&[]).assert_clean();

    let policy = repo.html("policies/review/");
    assert_eq!(
        only_text(&policy, ".last-updated"),
        format!("Last updated 2026-03-10 by {AUTHOR}")
    );
    assert_eq!(
        select_attrs(&policy, ".last-updated time", "datetime"),
        ["2026-03-10"]
    );
    assert_eq!(
        select_attrs(&policy, ".edit-link a", "href"),
        ["https://github.com/example-org/handbook/edit/main/handbook/content/policies/review.md"]
    );

    // A file name with a space, changed by its own commit.
    let guide = repo.html("guides/setup notes/");
    assert_eq!(
        only_text(&guide, ".last-updated"),
        "Last updated 2026-02-01 by Carl Çelik"
    );
    assert_eq!(
        select_attrs(&guide, ".edit-link a", "href"),
        [
            "https://github.com/example-org/handbook/edit/main/handbook/content/guides/setup%20notes.md"
        ]
    );
    // Only policies list their recent changes.
    assert!(select_texts(&guide, ".recent-changes").is_empty());

    // Sections show their `_index.md`'s history; a section Folio made up has no file.
    assert_eq!(
        only_text(&repo.html(""), ".last-updated"),
        "Last updated 2026-01-05 by Ana Lyst"
    );
    let guides = repo.html("guides/");
    assert!(select_texts(&guides, ".last-updated").is_empty());
    assert!(select_texts(&guides, ".edit-link").is_empty());

    // A page never committed has no "Last updated", but can be edited once pushed.
    let ideas = repo.html("policies/ideas/");
    assert!(select_texts(&ideas, ".last-updated").is_empty());
    assert!(select_texts(&ideas, ".recent-changes").is_empty());
    assert_eq!(
        select_attrs(&ideas, ".edit-link a", "href"),
        ["https://github.com/example-org/handbook/edit/main/handbook/content/policies/ideas.md"]
    );
}

#[test]
fn a_policy_lists_its_recent_changes_newest_first_escaped() {
    let repo = Repo::new();
    repo.build(&[]).assert_clean();
    let policy = repo.html("policies/review/");
    // Collapsed until the reader opens it.
    assert_eq!(
        select_attrs(&policy, "details.recent-changes", "open"),
        Vec::<String>::new()
    );
    assert_eq!(
        select_texts(&policy, "details.recent-changes").len(),
        1,
        "one recent-changes block"
    );
    assert_eq!(
        only_text(&policy, ".recent-changes summary"),
        "Recent changes"
    );
    assert_eq!(
        select_texts(&policy, ".recent-changes .change-subject"),
        [POLICY_SUBJECT, "Add the handbook"]
    );
    assert_eq!(
        select_texts(&policy, ".recent-changes .change-meta"),
        [
            format!("2026-03-10 · {AUTHOR}"),
            "2026-01-05 · Ana Lyst".to_string()
        ]
    );
    // The subject is text, not markup: no script element came from it.
    assert!(select_texts(&policy, "main script").is_empty());
    let raw = repo
        .site
        .read(&format!("{SITE}/public/policies/review/index.html"));
    assert!(!raw.contains("<script>alert"), "unescaped subject");
    assert!(
        raw.contains("Tighten &lt;script&gt;alert(1)&lt;&#x2F;script&gt; review &amp; sign-off")
            || raw.contains("Tighten &lt;script&gt;alert(1)&lt;/script&gt; review &amp; sign-off"),
        "escaped subject missing"
    );
}

#[test]
fn gitlab_and_edit_url_patterns_shape_the_edit_link() {
    let repo = Repo::new();
    let config = |extra: &str| {
        format!("title = \"History handbook\"\n{extra}\n[sections.policies]\nkind = \"policy\"\n")
    };
    repo.site.write(
        "handbook/site.toml",
        &config("repository = \"https://gitlab.com/example-org/docs/handbook.git\""),
    );
    repo.build(&[]).assert_clean();
    assert_eq!(
        select_attrs(&repo.html("policies/review/"), ".edit-link a", "href"),
        [
            "https://gitlab.com/example-org/docs/handbook/-/edit/main/handbook/content/policies/review.md"
        ]
    );

    repo.site.write(
        "handbook/site.toml",
        &config(
            "repository = \"https://github.com/example-org/handbook\"\nbranch = \"release/2026\"\nedit_url = \"https://git.example.org/handbook/_edit/{branch}/{path}?from=folio\"",
        ),
    );
    repo.build(&[]).assert_clean();
    assert_eq!(
        select_attrs(&repo.html("guides/setup notes/"), ".edit-link a", "href"),
        [
            "https://git.example.org/handbook/_edit/release/2026/handbook/content/guides/setup%20notes.md?from=folio"
        ]
    );

    // No repository: history still shows, the edit link does not.
    repo.site.write("handbook/site.toml", &config(""));
    repo.build(&[]).assert_clean();
    let policy = repo.html("policies/review/");
    assert!(select_texts(&policy, ".edit-link").is_empty());
    assert_eq!(select_texts(&policy, ".last-updated").len(), 1);
}

#[test]
fn an_edit_url_without_a_path_is_an_error_at_its_line() {
    let repo = Repo::new();
    repo.site.write(
        "handbook/site.toml",
        "title = \"H\"\nedit_url = \"https://git.example.org/{branch}/{file}\"\n",
    );
    let run = repo.build(&[]);
    run.assert_code(1);
    let diagnostic = run.diagnostic("unknown placeholder `{file}` in edit_url");
    assert!(diagnostic.contains("site.toml:2:1"), "{diagnostic}");
}

#[test]
fn a_public_build_shows_nothing_of_internal_pages_history() {
    let repo = Repo::new();
    repo.build(&[]).assert_clean();
    let leak = "zqxhistory";
    for (rel, bytes) in snapshot(&repo.site.path(&format!("{SITE}/public"))) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(
            !text.contains(leak),
            "internal commit subject in {}",
            rel.display()
        );
    }
    // The internal build shows it, on the internal page only.
    repo.build(&["--audience", "internal"]).assert_clean();
    assert_eq!(
        select_texts(&repo.html("internal/salaries/"), ".last-updated"),
        ["Last updated 2026-03-12 by Ana Lyst"]
    );
}

#[test]
fn outside_git_or_without_git_there_is_no_history_and_no_warning() {
    let site = SiteTest::fixture("history/site");
    let parent = site.root().parent().expect("a temp folder has a parent");
    let no_git = site.path("no-git-here");
    let home = site.root().to_string_lossy().into_owned();
    let cases: [(&str, Vec<(&str, String)>); 2] = [
        (
            "a folder outside any repository",
            vec![
                (
                    "GIT_CEILING_DIRECTORIES",
                    parent.to_string_lossy().into_owned(),
                ),
                ("HOME", home.clone()),
            ],
        ),
        (
            "no git on PATH",
            vec![
                ("PATH", no_git.to_string_lossy().into_owned()),
                ("HOME", home),
            ],
        ),
    ];
    for (case, env) in cases {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let run = site.folio_with_env(&["build", "--root", site.root().to_str().unwrap()], &env);
        run.assert_clean();
        assert!(
            !run.stderr.to_lowercase().contains("git"),
            "{case}: {}",
            run.stderr
        );
        for url_path in ["", "policies/review/", "guides/setup notes/"] {
            let html = site.html(url_path);
            for css in [
                ".doc-history",
                ".last-updated",
                ".edit-link",
                ".recent-changes",
            ] {
                assert!(
                    select_texts(&html, css).is_empty(),
                    "{case}: {css} on /{url_path}"
                );
            }
        }
    }
}

#[test]
fn serve_keeps_the_history_when_it_updates_one_page() {
    let site = SiteTest::fixture("history/site");
    git(site.root(), &["init", "-q", "-b", "main"]);
    commit(
        site.root(),
        AUTHOR,
        "2026-03-10T23:30:00-05:00",
        POLICY_SUBJECT,
    );
    let mut server = Server::start(&site, &[]);
    let mut events = server.events();
    let text = site
        .read("content/policies/review.md")
        .replace("reviewed by someone", "reviewed carefully by someone");
    site.write("content/policies/review.md", &text);
    events.expect("reload");
    let line = server.wait_for_nth_log("Rebuilt after", 1);
    assert!(line.contains("updated 1 page"), "{line}");
    let page = Html::parse_document(&server.get("/policies/review/").text());
    assert!(
        select_texts(&page, ".prose")
            .concat()
            .contains("reviewed carefully"),
        "the edit is served"
    );
    // The edit is not a commit: the page still shows the last one, and its link.
    assert_eq!(
        only_text(&page, ".last-updated"),
        format!("Last updated 2026-03-10 by {AUTHOR}")
    );
    assert_eq!(
        select_texts(&page, ".recent-changes .change-subject"),
        [POLICY_SUBJECT]
    );
    assert_eq!(
        select_attrs(&page, ".edit-link a", "href"),
        ["https://github.com/example-org/handbook/edit/main/content/policies/review.md"]
    );
}

/// A site whose pages are in `docs/` (`content_dir`, as `folio import` writes for MkDocs) has
/// its history and edit links from that folder, not from a content/ it does not have.
#[test]
fn the_history_and_edit_links_come_from_the_content_dir() {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        "title = \"Docs\"\ncontent_dir = \"docs\"\nrepository = \"https://github.com/example-org/docs\"\n",
    );
    site.write("docs/index.md", "# Home\n\nSee [setup](setup.md).\n");
    site.write("docs/setup.md", "# Setup\n\nHow to set up.\n");
    git(site.root(), &["init", "-q", "-b", "main"]);
    commit(
        site.root(),
        AUTHOR,
        "2026-04-02T10:00:00+02:00",
        "Write setup",
    );

    let env = git_env(site.root());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    site.folio_with_env(&["build"], &env).assert_success();
    let page = site.html("setup/");
    assert_eq!(
        only_text(&page, ".last-updated"),
        format!("Last updated 2026-04-02 by {AUTHOR}")
    );
    assert_eq!(
        select_attrs(&page, ".edit-link a", "href"),
        ["https://github.com/example-org/docs/edit/main/docs/setup.md"]
    );
}
