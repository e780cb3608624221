//! The catalogue of bad inputs: every mistake an author can make, and what Folio answers.
//!
//! Each folder under `tests/bad_inputs/` (except `_site/`, the good site every case starts from)
//! is one case, described by its `case.toml` (see [`Case`]) and its `expected.txt`, the exact
//! stderr of the second build. A case copies the good site into a temporary folder, builds it
//! once, applies its bad input, builds again and checks:
//!
//! - stderr is exactly `expected.txt`, once the temporary path is replaced by `<site>` and build
//!   times by `<N>`; it never says `panicked`;
//! - a `rejected` case exits with 1 and leaves the first build's output byte for byte as it was,
//!   and the site's sources (content/, data/, static/, templates/, themes/ and site.toml, see
//!   [`SOURCES`]) exactly as the case left them before the build, down to every folder, link
//!   and byte; an `accepted` case exits with 0 and its `[[check]]`s find the right HTML;
//! - no run takes longer than [`TIME_LIMIT`] (a hang is a failure, not a stuck test run).
//!
//! `FOLIO_BAD_INPUT=name` runs only the cases whose folder name contains `name`;
//! `FOLIO_BLESS=1` writes each `expected.txt` from what Folio printed (read the diff before
//! committing it). `folio serve` losing its content while it runs is
//! [`content_deleted_while_serving_keeps_the_last_good_site`], below.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use scraper::Html;
use serde::Deserialize;

use crate::serve::Server;
use crate::support::{FOLIO, REPO_ROOT, SiteTest, copy_dir, select_texts, snapshot};

/// The search index Folio keeps beside `public/`.
const INDEX: &str = ".public.folio-index";

/// What an author writes, relative to the site: a rejected build must leave all of it as it was.
const SOURCES: &[&str] = &[
    "content",
    "data",
    "static",
    "templates",
    "themes",
    "site.toml",
];

/// The longest one build of a case may take, in a debug build on a busy machine.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// One case's `case.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the author did, in a sentence.
    description: String,
    /// `rejected` (exit 1, previous output intact) or `accepted` (exit 0, the page renders right).
    outcome: Outcome,
    /// Arguments added to `folio build` for the second build.
    #[serde(default)]
    args: Vec<String>,
    /// Variables set for the second build.
    #[serde(default)]
    env: BTreeMap<String, String>,
    /// Files of the site removed before the second build (folders with what they hold).
    #[serde(default)]
    remove: Vec<String>,
    /// Files written (or replaced) before the second build.
    #[serde(default)]
    file: Vec<FileSpec>,
    /// Symbolic links made before the second build.
    #[serde(default)]
    symlink: Vec<Symlink>,
    /// Folders of the site made read-only before the second build. The build then runs as the
    /// user `nobody` when the tests run as root, whom read-only folders do not stop.
    #[serde(default)]
    readonly: Vec<String>,
    /// Files or folders of the site no one may read (mode 000), likewise as `nobody`.
    #[serde(default)]
    unreadable: Vec<String>,
    /// The largest file the second build may write, in KiB: a write past it fails as on a full
    /// disk (the shell's `ulimit -f`, with SIGXFSZ ignored so the write returns an error).
    file_size_limit_kb: Option<u64>,
    /// What the HTML of an accepted case must show.
    #[serde(default)]
    check: Vec<Check>,
}

#[derive(Debug, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Outcome {
    Rejected,
    Accepted,
}

/// A file to write. `path` and `bytes` may hold `\xHH` escapes for bytes that are not UTF-8.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    path: String,
    /// The contents as text (TOML escapes such as `\r`, `\t`, `\u0000` and `\uFEFF` apply).
    text: Option<String>,
    /// The contents with `\xHH` escapes decoded, for bytes that are not UTF-8.
    bytes: Option<String>,
    /// Written before the contents.
    #[serde(default)]
    prefix: String,
    /// The contents are repeated this many times (for huge or deeply nested input).
    #[serde(default = "one")]
    repeat: usize,
    /// Written after the contents.
    #[serde(default)]
    suffix: String,
}

fn one() -> usize {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Symlink {
    path: String,
    target: String,
}

/// Text the elements matching `selector` on the output page for `page` (a URL path) must have.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Check {
    page: String,
    selector: String,
    text: Vec<String>,
}

/// What one run of the binary did.
struct BuildRun {
    code: Option<i32>,
    stderr: String,
}

#[test]
fn every_bad_input_gets_its_message_and_keeps_the_previous_output() {
    let cases_dir = Path::new(REPO_ROOT).join("tests/bad_inputs");
    let filter = std::env::var("FOLIO_BAD_INPUT").unwrap_or_default();
    let mut names: Vec<String> = fs::read_dir(&cases_dir)
        .expect("read tests/bad_inputs")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| !name.starts_with('_') && name.contains(filter.as_str()))
        .collect();
    names.sort();
    assert!(
        filter.is_empty() || !names.is_empty(),
        "no case matches {filter:?}"
    );
    // Two cases at a time: each is mostly waiting on two short builds.
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Result<Outcome, String>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(name) = names.get(index) else { break };
                    let started = Instant::now();
                    let result = run_case(&cases_dir.join(name));
                    let verdict = if result.is_ok() { "ok  " } else { "FAIL" };
                    eprintln!("{verdict} {name} ({} ms)", started.elapsed().as_millis());
                    results.lock().unwrap().push((index, result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(index, _)| *index);
    let mut failures = Vec::new();
    let mut accepted = 0;
    for (index, result) in results {
        match result {
            Ok(outcome) => accepted += usize::from(outcome == Outcome::Accepted),
            Err(why) => failures.push(format!("=== {}\n{why}", names[index])),
        }
    }
    eprintln!(
        "{} cases: {} rejected, {accepted} accepted, {} failed",
        names.len(),
        names.len() - accepted - failures.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(
        !filter.is_empty() || names.len() >= 30,
        "the catalogue must hold at least 30 cases, not {}",
        names.len()
    );
}

/// Runs one case; `Err` says what went wrong.
fn run_case(dir: &Path) -> Result<Outcome, String> {
    let case_text =
        fs::read_to_string(dir.join("case.toml")).map_err(|e| format!("case.toml: {e}"))?;
    let case: Case = toml::from_str(&case_text).map_err(|e| format!("case.toml: {e}"))?;
    let site = SiteTest::empty();
    copy_dir(
        &Path::new(REPO_ROOT).join("tests/bad_inputs/_site"),
        site.root(),
    );
    let first = build_with(&site, &[], &[], &BTreeMap::new());
    if first.code != Some(0) {
        return Err(format!("the good site did not build:\n{}", first.stderr));
    }
    let before = snapshot(&site.public());
    let index_before = snapshot(&site.path(INDEX));
    apply(&case, &site)?;
    let _restore: Vec<Writable> = case
        .readonly
        .iter()
        .chain(&case.unreadable)
        .map(|rel| Writable(site.path(rel)))
        .collect();
    let wrapper = match wrapper(&case, &site) {
        Ok(wrapper) => wrapper,
        Err(why) => {
            eprintln!("SKIPPED {}: {why}", dir.display());
            return Ok(case.outcome);
        }
    };
    let sources_before = sources_snapshot(site.root());
    let second = build_with(&site, &wrapper, &case.args, &case.env);
    let stderr = normalize(&second.stderr, site.root());
    let mut problems = Vec::new();
    if stderr.contains("panicked") {
        problems.push("folio panicked".to_string());
    }
    let expected_path = dir.join("expected.txt");
    if std::env::var_os("FOLIO_BLESS").is_some() {
        fs::write(&expected_path, &stderr).map_err(|e| format!("write expected.txt: {e}"))?;
    }
    let expected = fs::read_to_string(&expected_path).unwrap_or_default();
    if stderr != expected {
        problems.push(format!(
            "stderr differs from expected.txt\n--- expected\n{expected}--- actual\n{stderr}---"
        ));
    }
    let want = match case.outcome {
        Outcome::Rejected => 1,
        Outcome::Accepted => 0,
    };
    if second.code != Some(want) {
        problems.push(format!("exit code {:?}, expected {want}", second.code));
    }
    match case.outcome {
        Outcome::Rejected => {
            if snapshot(&site.public()) != before {
                problems.push("the previous output was changed".to_string());
            }
            if snapshot(&site.path(INDEX)) != index_before {
                problems.push("the previous search index was changed".to_string());
            }
            let sources_after = sources_snapshot(site.root());
            if sources_after != sources_before {
                problems.push(format!(
                    "the site's sources were changed: {}",
                    differences(&sources_before, &sources_after)
                ));
            }
        }
        Outcome::Accepted => problems.extend(check_html(&site, &case.check)),
    }
    let leftovers = leftovers(&site);
    if !leftovers.is_empty() {
        problems.push(format!("Folio left folders behind: {leftovers:?}"));
    }
    if problems.is_empty() {
        Ok(case.outcome)
    } else {
        Err(format!("{}\n{}", case.description, problems.join("\n")))
    }
}

/// One entry of the sources as found on disk: a folder, a file's bytes, a symbolic link's
/// target (never followed), or why it could not be read.
#[derive(Debug, PartialEq, Eq)]
enum Entry {
    Folder,
    File(Vec<u8>),
    Link(PathBuf),
    Unreadable(String),
}

/// Every entry under the [`SOURCES`] of the site in `root`, by path relative to it. Folders and
/// links are listed too, so that an emptied folder or a replaced link counts as a change.
fn sources_snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    let mut entries = BTreeMap::new();
    let mut pending: Vec<PathBuf> = SOURCES.iter().map(PathBuf::from).collect();
    while let Some(rel) = pending.pop() {
        let path = root.join(&rel);
        let Ok(metadata) = fs::symlink_metadata(&path) else {
            continue;
        };
        let entry = if metadata.is_symlink() {
            fs::read_link(&path).map_or_else(|e| Entry::Unreadable(e.to_string()), Entry::Link)
        } else if metadata.is_dir() {
            match fs::read_dir(&path) {
                Ok(children) => {
                    for child in children.flatten() {
                        pending.push(rel.join(child.file_name()));
                    }
                    Entry::Folder
                }
                Err(e) => Entry::Unreadable(e.to_string()),
            }
        } else {
            fs::read(&path).map_or_else(|e| Entry::Unreadable(e.to_string()), Entry::File)
        };
        entries.insert(rel, entry);
    }
    entries
}

/// The paths that differ between two snapshots, and how, for a failure message.
fn differences(before: &BTreeMap<PathBuf, Entry>, after: &BTreeMap<PathBuf, Entry>) -> String {
    let mut paths: Vec<&PathBuf> = before.keys().chain(after.keys()).collect();
    paths.sort();
    paths.dedup();
    let changes: Vec<String> = paths
        .into_iter()
        .filter_map(|path| {
            let what = match (before.get(path), after.get(path)) {
                (Some(_), None) => "removed",
                (None, Some(_)) => "added",
                (Some(a), Some(b)) if a != b => "changed",
                _ => return None,
            };
            Some(format!("{} {what}", path.display()))
        })
        .collect();
    // A build into content/ changes hundreds of paths: the first few say enough.
    let shown = changes.len().min(12);
    let more = match changes.len() - shown {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!("{}{more}", changes[..shown].join(", "))
}

/// Folders the build keeps beside `public/` for its own use: a build, failed or not, leaves none
/// but the search index.
fn leftovers(site: &SiteTest) -> Vec<String> {
    fs::read_dir(site.root())
        .expect("read the site folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.starts_with(".public.folio-") && name != INDEX)
        .collect()
}

/// Applies the case's bad input to the site.
fn apply(case: &Case, site: &SiteTest) -> Result<(), String> {
    for rel in &case.remove {
        let path = site.path(rel);
        let removed = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.map_err(|e| format!("remove {rel}: {e}"))?;
    }
    for spec in &case.file {
        let path = site
            .root()
            .join(PathBuf::from(OsString::from_vec(unescape(&spec.path))));
        let body = match (&spec.text, &spec.bytes) {
            (Some(text), None) => text.as_bytes().to_vec(),
            (None, Some(bytes)) => unescape(bytes),
            _ => return Err(format!("{}: give exactly one of text and bytes", spec.path)),
        };
        let mut contents = spec.prefix.as_bytes().to_vec();
        contents.extend(body.repeat(spec.repeat));
        contents.extend(spec.suffix.as_bytes());
        fs::create_dir_all(path.parent().expect("a parent")).map_err(|e| e.to_string())?;
        fs::write(&path, contents).map_err(|e| format!("write {}: {e}", spec.path))?;
    }
    for link in &case.symlink {
        std::os::unix::fs::symlink(&link.target, site.path(&link.path))
            .map_err(|e| format!("symlink {}: {e}", link.path))?;
    }
    for rel in &case.readonly {
        set_mode(&site.path(rel), 0o555);
    }
    for rel in &case.unreadable {
        set_mode(&site.path(rel), 0o000);
    }
    Ok(())
}

/// Decodes `\xHH` escapes into bytes; everything else is kept as written.
fn unescape(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 2..i + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], bytes.get(i + 1), hex) {
            (b'\\', Some(b'x'), Some(byte)) => {
                out.push(byte);
                i += 4;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// The command line that runs `folio` for the second build: empty, or `setpriv` (to run as
/// `nobody`) and `bash` (to limit file sizes) in front of it. `Err` says why the case cannot run
/// here.
fn wrapper(case: &Case, site: &SiteTest) -> Result<Vec<String>, String> {
    let mut wrapper = Vec::new();
    let permissions = !case.readonly.is_empty() || !case.unreadable.is_empty();
    if permissions && running_as_root() {
        let chown = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(site.root())
            .status();
        if !chown.is_ok_and(|s| s.success()) || !on_path("setpriv") {
            return Err("running as root, and cannot run as nobody with setpriv, so permissions would stop nothing".into());
        }
        wrapper.extend(
            [
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ]
            .map(String::from),
        );
    }
    if let Some(kb) = case.file_size_limit_kb {
        // bash's `ulimit -f` counts 1024-byte blocks (dash's counts 512).
        let script = format!("trap '' XFSZ; ulimit -f {kb} && exec \"$0\" \"$@\"");
        wrapper.extend(["bash".to_string(), "-c".to_string(), script]);
    }
    Ok(wrapper)
}

fn on_path(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

/// Runs `WRAPPER… folio build ARGS…` in the site, killing it after [`TIME_LIMIT`].
fn build_with(
    site: &SiteTest,
    wrapper: &[String],
    args: &[String],
    env: &BTreeMap<String, String>,
) -> BuildRun {
    let (program, before) = match wrapper.split_first() {
        Some((program, rest)) => (program.as_str(), rest),
        None => (FOLIO, &[][..]),
    };
    let mut command = Command::new(program);
    command.args(before);
    if !wrapper.is_empty() {
        command.arg(FOLIO);
    }
    let mut child = command
        .arg("build")
        .args(args)
        .current_dir(site.root())
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .envs(env)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the folio binary");
    let mut pipe = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for folio") {
            break Some(status);
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = String::from_utf8_lossy(&reader.join().expect("read stderr")).into_owned();
    match status {
        Some(status) => BuildRun {
            code: status.code(),
            stderr,
        },
        None => BuildRun {
            code: None,
            stderr: format!(
                "{stderr}\n(killed after {} s: folio hung)\n",
                TIME_LIMIT.as_secs()
            ),
        },
    }
}

/// Replaces the temporary folder by `<site>` and build times by `<N>`.
fn normalize(stderr: &str, root: &Path) -> String {
    let text = stderr.replace(&root.display().to_string(), "<site>");
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.find(" in ").zip(line.rfind(" ms")) {
            Some((start, end))
                if line.starts_with("Built ")
                    && start + 4 < end
                    && line[start + 4..end].bytes().all(|b| b.is_ascii_digit()) =>
            {
                out.push_str(&line[..start + 4]);
                out.push_str("<N>");
                out.push_str(&line[end..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// The `[[check]]`s of an accepted case that the output does not pass.
fn check_html(site: &SiteTest, checks: &[Check]) -> Vec<String> {
    checks
        .iter()
        .filter_map(|check| {
            let path = site.output_file(&check.page);
            let html = match fs::read_to_string(&path) {
                Ok(text) => Html::parse_document(&text),
                Err(e) => return Some(format!("cannot read {}: {e}", path.display())),
            };
            let found = select_texts(&html, &check.selector);
            (found != check.text).then(|| {
                format!(
                    "{} {}: expected {:?}, found {found:?}",
                    check.page, check.selector, check.text
                )
            })
        })
        .collect()
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode));
}

/// Makes a read-only or unreadable file or folder usable again when the case ends, so its temporary folder can go.
struct Writable(PathBuf);

impl Drop for Writable {
    fn drop(&mut self) {
        set_mode(&self.0, 0o755);
    }
}

#[test]
fn content_deleted_while_serving_keeps_the_last_good_site() {
    let site = SiteTest::empty();
    copy_dir(
        &Path::new(REPO_ROOT).join("tests/bad_inputs/_site"),
        site.root(),
    );
    let mut server = Server::start(&site, &[]);
    let page = server.get("/policies/usage/");
    assert_eq!(page.status, 200, "{}", server.log());
    let mut events = server.events();
    // Moved out of the site (the same file system), so that nothing new appears in the site.
    let away = tempfile::Builder::new()
        .prefix("folio-test-")
        .tempdir_in(site.root().parent().expect("a temporary folder's parent"))
        .expect("a folder to move content/ to");
    let saved = away.path().join("content");
    fs::rename(site.path("content"), &saved).expect("move content/ away");
    let event = events.expect("build-error");
    let log = server.wait_for_log("there is no content folder");
    assert!(!log.contains("panicked"), "{log}");
    let data = event.data.to_string();
    assert!(data.contains("there is no content folder"), "{data}");
    // The last good site is still served.
    let again = server.get("/policies/usage/");
    assert_eq!(again.status, 200, "{}", server.log());
    assert_eq!(again.text(), page.text());
    // Content back: the site builds and reloads again.
    fs::rename(&saved, site.path("content")).expect("restore content/");
    events.expect("reload");
    assert_eq!(server.get("/policies/usage/").status, 200);
}
