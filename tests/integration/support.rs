//! The test harness: copies a fixture site into a fresh temporary folder, runs the real `folio`
//! binary on it, and reads what it wrote.
//!
//! Tests never write into `tests/fixtures/`: every `SiteTest` works on its own copy, which it may
//! edit with [`SiteTest::write`] before or between builds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};
use tempfile::TempDir;

/// The `folio` binary built for this test run.
pub(crate) const FOLIO: &str = env!("CARGO_BIN_EXE_folio");

/// The repository root (holding Folio's own handbook).
pub(crate) const REPO_ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A site in a temporary folder.
pub(crate) struct SiteTest {
    // Kept for its Drop, which removes the folder.
    _dir: TempDir,
    root: PathBuf,
}

/// What one run of the binary did.
#[derive(Debug)]
pub(crate) struct Run {
    /// Exit code (`-1` when killed by a signal).
    pub(crate) code: i32,
    /// Everything written to stdout.
    pub(crate) stdout: String,
    /// Everything written to stderr.
    pub(crate) stderr: String,
}

impl Run {
    fn from_output(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics, showing stderr, unless the run exited with 0.
    #[track_caller]
    pub(crate) fn assert_success(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Panics, showing stderr, unless the run exited with `code`.
    #[track_caller]
    pub(crate) fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Panics unless the run succeeded and wrote no warning.
    #[track_caller]
    pub(crate) fn assert_clean(&self) -> &Self {
        self.assert_success();
        assert!(
            !self.stderr.contains("warning"),
            "expected no warnings\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    /// Panics unless stderr contains `needle`.
    #[track_caller]
    pub(crate) fn assert_stderr_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    /// Panics if stderr contains `needle`.
    #[track_caller]
    pub(crate) fn assert_stderr_lacks(&self, needle: &str) -> &Self {
        assert!(
            !self.stderr.contains(needle),
            "stderr has {needle:?}\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    /// The diagnostic block (from its `error:`/`warning:` title to the blank line after it)
    /// whose title contains `title`. Panics when there is none.
    #[track_caller]
    pub(crate) fn diagnostic(&self, title: &str) -> String {
        self.stderr
            .split("\n\n")
            .find(|block| {
                block
                    .lines()
                    .next()
                    .is_some_and(|first| first.contains(title))
            })
            .unwrap_or_else(|| {
                panic!(
                    "no diagnostic titled {title:?}\n--- stderr\n{}",
                    self.stderr
                )
            })
            .to_string()
    }
}

impl SiteTest {
    /// A copy of `tests/fixtures/<name>` in a fresh temporary folder.
    #[track_caller]
    pub(crate) fn fixture(name: &str) -> SiteTest {
        let source = Path::new(REPO_ROOT).join("tests/fixtures").join(name);
        assert!(source.is_dir(), "no fixture at {}", source.display());
        let test = SiteTest::empty();
        copy_dir(&source, &test.root);
        test
    }

    /// A copy of the repository's own handbook: content/, data/ and site.toml.
    pub(crate) fn handbook() -> SiteTest {
        let site = SiteTest::empty();
        let repo = Path::new(REPO_ROOT);
        copy_dir(&repo.join("content"), &site.path("content"));
        copy_dir(&repo.join("data"), &site.path("data"));
        fs::copy(repo.join("site.toml"), site.path("site.toml")).expect("copy site.toml");
        site
    }

    /// An empty temporary folder (for `folio init` and runs outside any site).
    pub(crate) fn empty() -> SiteTest {
        let dir = tempfile::Builder::new()
            .prefix("folio-test-")
            .tempdir()
            .expect("create a temporary folder");
        let root = dir.path().canonicalize().expect("canonical temp path");
        SiteTest { _dir: dir, root }
    }

    /// The site root.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// `rel` inside the site root.
    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The default output folder.
    pub(crate) fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Writes (or replaces) a file in the site, creating its folders.
    pub(crate) fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
        fs::write(&path, text).expect("write a file");
        self
    }

    /// Writes each `(file, title, text)` as `content/FILE.md`: a page with that title and one
    /// paragraph of text.
    pub(crate) fn write_pages(&self, pages: &[(&str, &str, &str)]) -> &Self {
        for (file, title, text) in pages {
            self.write(
                &format!("content/{file}.md"),
                &format!("---\ntitle: {title}\n---\n\n{text}\n"),
            );
        }
        self
    }

    /// Replaces a file of the site in one step, as editors that save by renaming do: the text
    /// goes to a hidden file beside it (which the dev server ignores), renamed over it. A plain
    /// write truncates first, and a watcher may see the truncation and the write in two batches,
    /// so a test could get one build event more than it waits for.
    pub(crate) fn replace(&self, rel: &str, text: &str) -> &Self {
        let path = self.root.join(rel);
        let name = path.file_name().expect("a file name").to_string_lossy();
        let temporary = path.with_file_name(format!(".{name}.test-save"));
        fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
        fs::write(&temporary, text).expect("write a file");
        fs::rename(&temporary, &path).expect("rename a file over another");
        self
    }

    /// Reads a file of the site (`public/…` for output).
    #[track_caller]
    pub(crate) fn read(&self, rel: &str) -> String {
        let path = self.root.join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Runs `folio build --root <site> ARGS…`.
    pub(crate) fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build", "--root"];
        let root = self.root.to_str().expect("UTF-8 temp path");
        all.push(root);
        all.extend_from_slice(args);
        self.folio(&all)
    }

    /// Runs `folio ARGS…` with the site root as the working folder.
    pub(crate) fn folio(&self, args: &[&str]) -> Run {
        self.folio_with_env(args, &[])
    }

    /// Runs `folio ARGS…` with the site root as the working folder and the variables `env` set
    /// (`FOLIO_TODAY` for review dates).
    pub(crate) fn folio_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let output = Command::new(FOLIO)
            .args(args)
            .current_dir(&self.root)
            .env_remove("RUST_LOG")
            .env_remove("FOLIO_TODAY")
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .output()
            .expect("run the folio binary");
        Run::from_output(output)
    }

    /// The output file for a URL path (`policies/usage/` → `public/policies/usage/index.html`).
    pub(crate) fn output_file(&self, url_path: &str) -> PathBuf {
        let mut path = self.public().join(url_path.trim_start_matches('/'));
        if url_path.is_empty() || url_path.ends_with('/') {
            path.push("index.html");
        }
        path
    }

    /// The parsed output page for a URL path, such as `policies/usage/` or `` for the home page.
    #[track_caller]
    pub(crate) fn html(&self, url_path: &str) -> Html {
        let path = self.output_file(url_path);
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        Html::parse_document(&text)
    }

    /// The inner HTML of the page's `<main>`, parsed as a fragment: what the page says, without
    /// the header, sidebar and footer every page shares.
    #[track_caller]
    pub(crate) fn main_html(&self, url_path: &str) -> Html {
        let page = self.html(url_path);
        let main = page
            .select(&selector("main"))
            .next()
            .unwrap_or_else(|| panic!("{url_path} has no <main>"));
        Html::parse_fragment(&main.inner_html())
    }

    /// Every file under the output folder with its bytes, keyed by relative path.
    pub(crate) fn output_snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(&self.public())
    }
}

/// Parses a CSS selector, panicking on a typo in the test.
#[track_caller]
pub(crate) fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e}"))
}

/// The trimmed text of every element matching `css`, in document order.
pub(crate) fn select_texts(html: &Html, css: &str) -> Vec<String> {
    html.select(&selector(css))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The value of `attr` on every element matching `css` that has it, in document order.
pub(crate) fn select_attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    html.select(&selector(css))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// The `href` of the first `<a>` whose text is exactly `text`.
#[track_caller]
pub(crate) fn href_of(html: &Html, text: &str) -> String {
    html.select(&selector("a[href]"))
        .find(|a| a.text().collect::<String>().trim() == text)
        .and_then(|a| a.value().attr("href"))
        .unwrap_or_else(|| panic!("no link with text {text:?}"))
        .to_string()
}

/// `path:LINE:COL` of the first occurrence of `needle` in the site file `rel`, counting columns
/// in characters as Folio does.
#[track_caller]
pub(crate) fn location_of(site: &SiteTest, rel: &str, needle: &str) -> String {
    let text = site.read(rel);
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in {rel}"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    format!("{rel}:{line}:{column}")
}

/// Every file under `dir` with its bytes, keyed by path relative to `dir`.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).expect("read a folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = fs::read(&path).expect("read a file");
                let rel = path.strip_prefix(dir).expect("inside dir").to_path_buf();
                files.insert(rel, bytes);
            }
        }
    }
    files
}

/// Names of the entries directly inside `dir`, sorted.
pub(crate) fn list_dir(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read a folder")
        .map(|e| {
            e.expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create a folder");
    for entry in fs::read_dir(from).expect("read a fixture folder") {
        let entry = entry.expect("a fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// Today's date in UTC as `YYYY-MM-DD`, computed from the system clock (civil-from-days, as in
/// Howard Hinnant's date algorithms), independently of Folio's own date code.
pub(crate) fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs();
    let days = (secs / 86_400) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
