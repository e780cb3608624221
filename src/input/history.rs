//! Git history of the site's sources: who changed each page last, when, and the few changes
//! before that, for "Last updated …" lines, "Edit this page" links and policies' recent changes.
//!
//! The whole history is read once per build with two `git` processes, whatever the number of
//! pages: `git rev-parse` (is this a repository, and where is the content folder in it?) and
//! one `git log --name-only -z` over the content folder (`content/`, or the `content_dir` of
//! site.toml: an imported MkDocs site's `docs/`), parsed as it streams. The `git` command is used
//! rather than gix or git2: both pull in large dependency trees for what one `git log` answers.
//!
//! Outside a git repository, without git installed, or when git fails, the history is simply
//! empty: a site does not need git to build, so this is never a warning.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

/// The most changes kept per file (the last one included).
pub const MAX_RECENT: usize = 5;

/// One commit, as templates see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// The author date, `YYYY-MM-DD` (in the author's time zone).
    pub date: String,
    /// The author's name as recorded in the commit (untrusted text).
    pub author: String,
    /// The first line of the commit message (untrusted text).
    pub subject: String,
    /// The full commit id.
    pub hash: String,
}

/// The history of the site's sources, from one read of the repository.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Where the content folder is in its repository (`handbook/content/`, `docs/`, or `` at
    /// the top); `None` outside a git repository.
    prefix: Option<String>,
    /// Every commit some file keeps, in the order `git log` gave them (newest first).
    commits: Vec<Commit>,
    /// For each source path relative to content/, its commits (indexes into `commits`), newest
    /// first, at most [`MAX_RECENT`].
    files: HashMap<PathBuf, Vec<usize>>,
}

impl History {
    /// Reads the history of the content folder `content_dir`; empty when there is none to read.
    pub fn read(content_dir: &Path) -> History {
        let Some(repo) = locate(content_dir) else {
            return History::default();
        };
        let prefix = repo.prefix.clone();
        read_log(content_dir, &repo).unwrap_or_else(|| History {
            prefix: Some(prefix),
            ..History::default()
        })
    }

    /// Starts [`History::read`] on a thread of its own, so that git runs while pages are parsed
    /// and rendered; the thread returns the history with the time reading it took.
    pub fn read_in_background(content_dir: &Path) -> std::thread::JoinHandle<(History, Duration)> {
        let content_dir = content_dir.to_path_buf();
        std::thread::spawn(move || {
            let started = Instant::now();
            let history = History::read(&content_dir);
            (history, started.elapsed())
        })
    }

    /// The commits that changed `source` (relative to content/), newest first: empty for a
    /// file that was never committed, or outside git.
    pub fn of(&self, source: &Path) -> Vec<&Commit> {
        self.files
            .get(source)
            .map(|ids| ids.iter().map(|&i| &self.commits[i]).collect())
            .unwrap_or_default()
    }

    /// The path of `source` (relative to content/) from the top of the repository, with `/`
    /// separators, as hosts' edit URLs want it; `None` outside a git repository.
    pub fn repository_path(&self, source: &Path) -> Option<String> {
        let prefix = self.prefix.as_deref()?;
        let parts: Vec<_> = source
            .components()
            .map(|part| part.as_os_str().to_string_lossy())
            .collect();
        Some(format!("{prefix}{}", parts.join("/")))
    }

    /// Parses the output of `git log -z --name-only --format=LOG_FORMAT`, as [`read_log`]
    /// runs it, keeping the paths under `prefix` (the content folder from the top of the
    /// repository, `/`-terminated, or empty). With `shallow`, commits without parents are the
    /// edge of a shallow clone, whose diff lists every file: they are not attributed.
    fn parse(prefix: String, shallow: bool, log: impl BufRead) -> std::io::Result<History> {
        let content = prefix.clone();
        let mut history = History {
            prefix: Some(prefix),
            ..History::default()
        };
        let mut parser = LogParser::default();
        // The index in `commits` of the commit being read, once a file has kept it.
        let mut stored = None;
        for token in log.split(0) {
            match parser.push(token?) {
                Some(Token::Commit) => stored = None,
                Some(Token::File(path)) => {
                    if let Some(commit) = &parser.commit
                        && !(shallow && commit.root)
                        && let Some(rel) = path.strip_prefix(content.as_bytes())
                    {
                        history.attribute(&commit.commit, &mut stored, rel);
                    }
                }
                None => {}
            }
        }
        Ok(history)
    }

    /// Records that `commit` changed `rel` (relative to content/), unless the file already has
    /// its [`MAX_RECENT`] changes. A commit is stored once, however many files it changed.
    fn attribute(&mut self, commit: &Commit, stored: &mut Option<usize>, rel: &[u8]) {
        let ids = self.files.entry(path_from_bytes(rel)).or_default();
        if ids.len() >= MAX_RECENT {
            return;
        }
        let id = *stored.get_or_insert_with(|| {
            self.commits.push(commit.clone());
            self.commits.len() - 1
        });
        ids.push(id);
    }
}

/// Where the content folder is in its repository.
#[derive(Debug, Clone)]
struct Repository {
    /// The content folder from the top of the repository, `/`-terminated, or empty.
    prefix: String,
    /// A shallow clone, whose oldest commits stand for all of the history before them.
    shallow: bool,
}

/// `git` with the user's settings that could change its output turned off.
fn git(root: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.quotePath=false",
            "-c",
            "log.showSignature=false",
        ])
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Asks git whether `dir` is in a work tree, and where.
fn locate(dir: &Path) -> Option<Repository> {
    let output = git(dir)
        .args([
            "rev-parse",
            "--is-inside-work-tree",
            "--is-shallow-repository",
            "--show-prefix",
        ])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let mut lines = text.lines();
    if lines.next()? != "true" {
        return None;
    }
    let shallow = lines.next()? == "true";
    let prefix = lines.next().unwrap_or("").to_string();
    Some(Repository { prefix, shallow })
}

/// The format of each commit in `git log`: a NUL before it (so that an empty token, which no
/// file name can be, starts each commit), then the fields, NUL-separated. Subjects and names
/// cannot hold a NUL, so any other character in them is safe.
const LOG_FORMAT: &str = "--format=%x00%H%x00%P%x00%aI%x00%an%x00%s";

/// Runs `git log` over the content folder and parses it as it streams; `None` when git fails.
fn read_log(content_dir: &Path, repo: &Repository) -> Option<History> {
    let mut child = git(content_dir)
        .args([
            "log",
            "-z",
            "--name-only",
            "--no-renames",
            "--no-merges",
            "--no-relative",
            "--no-color",
            "--encoding=UTF-8",
            LOG_FORMAT,
            "--",
            ".",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let stdout = child.stdout.take()?;
    let parsed = History::parse(
        repo.prefix.clone(),
        repo.shallow,
        BufReader::with_capacity(1 << 16, stdout),
    );
    // A repository without commits makes `git log` fail: that is no history, not an error.
    let status = child.wait().ok()?;
    match parsed {
        Ok(history) if status.success() => Some(history),
        _ => None,
    }
}

/// A commit being read from the log.
#[derive(Debug)]
struct ParsedCommit {
    commit: Commit,
    /// It has no parents: the first commit, or the edge of a shallow clone.
    root: bool,
}

/// What a token of the log was.
enum Token {
    /// The last field of a commit's header.
    Commit,
    /// A file the current commit changed, from the repository top.
    File(Vec<u8>),
}

/// Splits the NUL-separated log into commits and their files.
#[derive(Debug, Default)]
struct LogParser {
    /// The header fields of the commit being read, until all five are there.
    fields: Option<Vec<Vec<u8>>>,
    /// The current commit, once its header is complete.
    commit: Option<ParsedCommit>,
    /// True until the first file of the current commit, which git puts after a line break.
    first_file: bool,
}

/// How many fields [`LOG_FORMAT`] gives each commit.
const FIELDS: usize = 5;

impl LogParser {
    fn push(&mut self, mut token: Vec<u8>) -> Option<Token> {
        if let Some(fields) = &mut self.fields {
            fields.push(token);
            if fields.len() < FIELDS {
                return None;
            }
            let fields = self.fields.take()?;
            self.commit = Some(commit_from_fields(fields));
            self.first_file = true;
            return Some(Token::Commit);
        }
        if token.is_empty() {
            self.fields = Some(Vec::with_capacity(FIELDS));
            self.commit = None;
            return None;
        }
        if std::mem::take(&mut self.first_file) && token.first() == Some(&b'\n') {
            token.remove(0);
        }
        Some(Token::File(token))
    }
}

fn commit_from_fields(fields: Vec<Vec<u8>>) -> ParsedCommit {
    let mut fields = fields
        .into_iter()
        .map(|f| String::from_utf8_lossy(&f).into_owned());
    let mut next = || fields.next().unwrap_or_default();
    let hash = next();
    let parents = next();
    let mut date = next();
    date.truncate(date.find('T').unwrap_or(date.len()));
    ParsedCommit {
        commit: Commit {
            hash,
            date,
            author: next(),
            subject: next(),
        },
        root: parents.trim().is_empty(),
    }
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Lets tests feed the parser from memory.
#[cfg(test)]
fn parse_bytes(prefix: &str, shallow: bool, log: &[u8]) -> History {
    History::parse(prefix.to_string(), shallow, log).expect("reading from memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A commit as `git log -z --name-only` with [`LOG_FORMAT`] prints it.
    fn entry(
        hash: &str,
        parents: &str,
        date: &str,
        author: &str,
        subject: &str,
        files: &[&str],
    ) -> Vec<u8> {
        let mut out = format!("\0{hash}\0{parents}\0{date}\0{author}\0{subject}\0").into_bytes();
        if !files.is_empty() {
            out.push(b'\n');
            for file in files {
                out.extend_from_slice(file.as_bytes());
                out.push(0);
            }
        }
        out
    }

    fn subjects(history: &History, source: &str) -> Vec<String> {
        history
            .of(Path::new(source))
            .iter()
            .map(|c| c.subject.clone())
            .collect()
    }

    #[test]
    fn each_file_gets_its_commits_newest_first() {
        let mut log = entry(
            "b2",
            "a1",
            "2026-03-02T10:00:00+01:00",
            "Zoë Q",
            "Fix <b>typo</b>",
            &["site/content/a b.md"],
        );
        log.extend(entry(
            "a1",
            "",
            "2026-03-01T09:00:00Z",
            "Al",
            "",
            &[
                "site/content/a b.md",
                "site/content/p/c.md",
                "site/other.md",
            ],
        ));
        let history = parse_bytes("site/content/", false, &log);
        let last = history.of(Path::new("a b.md"))[0];
        assert_eq!(last.date, "2026-03-02");
        assert_eq!(last.author, "Zoë Q");
        assert_eq!(last.subject, "Fix <b>typo</b>");
        assert_eq!(last.hash, "b2");
        assert_eq!(subjects(&history, "a b.md"), ["Fix <b>typo</b>", ""]);
        assert_eq!(subjects(&history, "p/c.md"), [""]);
        assert!(history.of(Path::new("../other.md")).is_empty());
        assert!(history.of(Path::new("new.md")).is_empty());
        assert_eq!(
            history.repository_path(Path::new("p/c.md")).as_deref(),
            Some("site/content/p/c.md")
        );
    }

    #[test]
    fn only_the_most_recent_changes_are_kept() {
        let mut log = Vec::new();
        for i in (0..MAX_RECENT + 3).rev() {
            let parent = if i == 0 { "" } else { "p" };
            log.extend(entry(
                &format!("h{i}"),
                parent,
                "2026-01-01T00:00:00Z",
                "A",
                &format!("change {i}"),
                &["content/x.md"],
            ));
        }
        let history = parse_bytes("content/", false, &log);
        let kept = subjects(&history, "x.md");
        assert_eq!(kept.len(), MAX_RECENT);
        assert_eq!(kept[0], format!("change {}", MAX_RECENT + 2));
        assert_eq!(history.commits.len(), MAX_RECENT);
    }

    #[test]
    fn the_edge_of_a_shallow_clone_is_not_anyones_change() {
        let mut log = entry(
            "b",
            "a",
            "2026-03-02T00:00:00Z",
            "B",
            "edit",
            &["content/x.md"],
        );
        log.extend(entry(
            "a",
            "",
            "2026-03-01T00:00:00Z",
            "A",
            "everything",
            &["content/x.md", "content/y.md"],
        ));
        let shallow = parse_bytes("content/", true, &log);
        assert_eq!(subjects(&shallow, "x.md"), ["edit"]);
        assert!(shallow.of(Path::new("y.md")).is_empty());
        let full = parse_bytes("content/", false, &log);
        assert_eq!(subjects(&full, "y.md"), ["everything"]);
    }

    #[test]
    fn the_content_folder_can_be_any_folder_of_the_repository() {
        let log = entry(
            "c",
            "",
            "2026-04-01T00:00:00Z",
            "C",
            "docs",
            &["docs/a.md", "content/b.md", "README.md"],
        );
        // An imported MkDocs site: `content_dir = "docs"`.
        let docs = parse_bytes("docs/", false, &log);
        assert_eq!(subjects(&docs, "a.md"), ["docs"]);
        assert!(docs.of(Path::new("b.md")).is_empty());
        assert_eq!(
            docs.repository_path(Path::new("a.md")).as_deref(),
            Some("docs/a.md")
        );
        // `content_dir = "."` at the top of the repository: every file is a source.
        let top = parse_bytes("", false, &log);
        assert_eq!(subjects(&top, "README.md"), ["docs"]);
        assert_eq!(
            top.repository_path(Path::new("docs/a.md")).as_deref(),
            Some("docs/a.md")
        );
    }

    #[test]
    fn outside_git_there_is_nothing() {
        let history = History::default();
        assert!(history.of(Path::new("x.md")).is_empty());
        assert_eq!(history.repository_path(Path::new("x.md")), None);
    }
}
