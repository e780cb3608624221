//! What each fuzz target does with one input, shared word for word by the cargo-fuzz targets in
//! `fuzz/fuzz_targets/`, the CI test that replays the inputs saved under
//! `tests/fuzz_regressions/<target>/`, and the proptest properties (all include this file with
//! `#[path]`). Each function panics when the input breaks Folio: a panic inside Folio, or an
//! invariant of the target that does not hold.
//!
//! The few things a target needs besides its input (a link map and glossary, a built search
//! index, an output folder with a secret beside it) are made once by [`Harness::new`].

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use folio::base::diag::{Diagnostic, Diagnostics};
use folio::build::{self, BuildOptions};
use folio::content::glossary::Glossary;
use folio::content::links::{Exclusion, LinkMap};
use folio::content::markdown::{self, Source};
use folio::input::config::Config;
use folio::input::data::Data;
use folio::input::front_matter;
use folio::search::query::{Request, SearchIndex, uses_query_syntax};
use folio::serve::files::{Resolved, resolve};

/// The five fuzz targets, by the names of their folders and cargo-fuzz binaries.
pub(crate) const TARGETS: [&str; 5] = ["front_matter", "markdown", "query", "config", "serve_path"];

/// Everything the targets need besides their input, made once per process.
pub(crate) struct Harness {
    /// Kept so the temporary folder lives as long as the harness.
    _scratch: Scratch,
    links: LinkMap,
    glossary: Glossary,
    index: SearchIndex,
    /// The served output folder: the fixture's built site plus symlinks in and out of it.
    output: PathBuf,
    /// `output`, canonical: nothing resolved may lie outside it.
    canonical_output: PathBuf,
}

/// A folder under the system's temporary folder, removed on drop.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

impl Harness {
    /// Builds `tests/fixtures/search/browser` (under `repo`, the repository's root) into a
    /// temporary folder and loads the glossary fixture's terms.
    pub(crate) fn new(repo: &Path) -> Harness {
        let scratch = Scratch(std::env::temp_dir().join(format!(
            "folio-fuzz-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        )));
        let _ = fs::remove_dir_all(&scratch.0);
        let site = scratch.0.join("site");
        copy_tree(&repo.join("tests/fixtures/search/browser"), &site);
        let output = scratch.0.join("out");
        let report = build::build(&BuildOptions {
            root: site.clone(),
            output: Some(output.clone()),
            ..Default::default()
        });
        assert!(report.succeeded(), "the search fixture builds");
        let index = SearchIndex::open(&folio::search::index_dir(&output)).expect("index opens");
        fs::write(scratch.0.join("secret.txt"), "outside the output").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(scratch.0.join("secret.txt"), output.join("secret-link.txt")).unwrap();
            symlink(&scratch.0, output.join("up")).unwrap();
            symlink(output.join("index.html"), output.join("home.html")).unwrap();
        }
        let canonical_output = output.canonicalize().unwrap();

        let links = link_map();
        let glossary_site = repo.join("tests/fixtures/glossary/site");
        let (data, _) = Data::load(&glossary_site);
        let (glossary, _) = Glossary::load(&data, &links, true, "/");
        let glossary = glossary.expect("the glossary fixture has terms");
        Harness {
            _scratch: scratch,
            links,
            glossary,
            index,
            output,
            canonical_output,
        }
    }

    /// Runs target `name` on `data`.
    pub(crate) fn run(&self, name: &str, data: &[u8]) {
        match name {
            "front_matter" => front_matter(data),
            "markdown" => self.markdown(data),
            "query" => self.query(data),
            "config" => config(data),
            "serve_path" => self.serve_path(data),
            _ => panic!("no fuzz target `{name}`"),
        }
    }

    /// Renders `data` as a page's Markdown file (front matter and body), with links resolved
    /// through a small site's link map and `[[terms]]` through the glossary.
    pub(crate) fn markdown(&self, data: &[u8]) {
        let text = String::from_utf8_lossy(data);
        let path = Path::new("content/policies/fuzz.md");
        let (body, body_offset) = match front_matter::split(path, &text) {
            Ok(split) => (split.body, split.body_offset),
            Err(_) => (&text[..], 0),
        };
        let source = Source {
            display_path: path,
            rel_path: Path::new("policies/fuzz.md"),
            text: &text,
            body,
            body_offset,
            title: Some("Fuzz"),
            cleaned: None,
        };
        let rendered = markdown::render(&source, &self.links, &self.glossary);
        render_all(rendered.diagnostics);
        let inline = markdown::render_inline(body, Path::new("policies/fuzz.md"), &self.links);
        let _ = inline;
    }

    /// Runs `data` as a search query, plain and as typed, through `folio search`'s path; checks
    /// that every highlight is a range of its snippet. A first byte from 0xF0 makes it a deeply
    /// nested query instead (see [`Nested::from_bytes`]), which must be refused, never overflow
    /// the stack, once it nests past the limits.
    pub(crate) fn query(&self, data: &[u8]) {
        match Nested::from_bytes(data) {
            Some(nested) => self.nested_query(&nested),
            None => self.search_all_ways(&String::from_utf8_lossy(data), None),
        }
    }

    /// Runs a nested query; past the depth its shape is refused at, every search must be an
    /// error that names the limit.
    pub(crate) fn nested_query(&self, nested: &Nested) {
        let query = nested.query();
        let refused = (nested.depth > nested.shape.refused_past()).then_some(nested);
        self.search_all_ways(&query, refused);
    }

    /// Searches for `query` plain and as typed; with `refused`, each search must be refused.
    fn search_all_ways(&self, query: &str, refused: Option<&Nested>) {
        let _ = uses_query_syntax(query);
        for prefix in [false, true] {
            let request = Request {
                query: query.to_string(),
                kind: None,
                tag: None,
                limit: 5,
                prefix,
            };
            let searched = self.index.search(&request);
            if let Some(nested) = refused {
                let error = match &searched {
                    Ok(_) => panic!("{nested:?} was searched instead of refused"),
                    Err(error) => error.to_string(),
                };
                assert!(
                    error.contains("levels deep") || error.contains("groups"),
                    "{nested:?} was refused for another reason: {error}"
                );
            }
            // A query tantivy cannot read is an error to report, not a crash.
            let Ok(hits) = searched else {
                continue;
            };
            for hit in hits {
                for &(start, end) in &hit.highlights {
                    assert!(
                        start <= end && hit.snippet.get(start..end).is_some(),
                        "highlight {start}..{end} is not a range of the snippet {:?}",
                        hit.snippet
                    );
                }
            }
            let _ = self.index.rank_plain(&request);
        }
    }

    /// Resolves `data` as a request path against the output folder: whatever it resolves to
    /// must lie inside the output, and a redirect must stay on this site.
    pub(crate) fn serve_path(&self, data: &[u8]) {
        let raw = String::from_utf8_lossy(data);
        match resolve(&self.output, &raw) {
            Resolved::File(path) => {
                assert!(
                    path.starts_with(&self.canonical_output),
                    "{raw:?} resolved to {} outside the output",
                    path.display()
                );
                assert!(path.is_file(), "{raw:?} resolved to a non-file");
                assert!(
                    !path.ends_with("secret.txt"),
                    "{raw:?} resolved to the secret"
                );
            }
            Resolved::Redirect(location) => {
                assert!(
                    location.starts_with('/') && !location.starts_with("//"),
                    "{raw:?} redirects off the site to {location:?}"
                );
                assert!(
                    !location.contains(['\\', '\r', '\n']),
                    "{raw:?} redirects to {location:?}"
                );
            }
            Resolved::NotFound | Resolved::BadRequest => {}
        }
    }
}

/// The deepest the query target nests its input: far past any limit, and deeper than the stack
/// of any thread could follow were the input ever parsed.
pub(crate) const MAX_FUZZ_DEPTH: usize = 100_000;

/// A query built from a fuzz input by repeating one of the constructs that make tantivy's
/// grammar, or the query it builds, recurse.
#[derive(Debug, Clone)]
pub(crate) struct Nested {
    pub(crate) shape: Shape,
    /// How many times the construct is repeated.
    pub(crate) depth: usize,
    /// The rest of the input, placed inside.
    pub(crate) inner: String,
}

/// How a [`Nested`] query repeats its construct around or beside `inner`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `((inner))`
    Wrapped,
    /// `((inner`: never closed.
    Unclosed,
    /// `inner))((`: closed before opened.
    Backwards,
    /// `-(-(inner))`
    Excluded,
    /// `+(+(inner))`
    Required,
    /// `NOT NOT inner`
    Not,
    /// `(NOT (NOT inner))`
    NotGroup,
    /// `title:(title:(inner))`
    Field,
    /// `(inner (inner ))`: the input at every level.
    Repeated,
    /// `(inner) (inner) `: side by side, not nested.
    SideBySide,
    /// `(")" (")" inner))`: a `)` inside each phrase, which closes nothing.
    QuotedClose,
    /// `(/'/ (/'/ inner))`: a quote inside a regex, which opens no phrase.
    RegexQuote,
    /// `(a -"b c" (a -"b c" inner))`: excluded phrases at each level, searched apart.
    ExcludedPhrase,
    /// `\(\(inner`: escaped, so text.
    Escaped,
    /// `"((inner"`: a phrase, so text.
    InPhrase,
    /// `(i(n(n(e(r …)))))`: the input's characters, over and over, each opening a group.
    Interleaved,
}

impl Shape {
    pub(crate) const ALL: [Shape; 16] = [
        Shape::Wrapped,
        Shape::Unclosed,
        Shape::Backwards,
        Shape::Excluded,
        Shape::Required,
        Shape::Not,
        Shape::NotGroup,
        Shape::Field,
        Shape::Repeated,
        Shape::SideBySide,
        Shape::QuotedClose,
        Shape::RegexQuote,
        Shape::ExcludedPhrase,
        Shape::Escaped,
        Shape::InPhrase,
        Shape::Interleaved,
    ];

    /// Repeated more times than this, the query must be refused: past the nesting limit for
    /// those that nest each time from the start, past the number of groups for those whose
    /// nesting the input or a quote may undo or hide. Text that only looks like groups
    /// (escaped, in a phrase) may still be refused for the number of `(`, never required to.
    pub(crate) fn refused_past(self) -> usize {
        use folio::search::query::{MAX_QUERY_GROUPS, MAX_QUERY_NESTING};
        match self {
            Shape::Wrapped
            | Shape::Unclosed
            | Shape::Excluded
            | Shape::Required
            | Shape::Not
            | Shape::NotGroup
            | Shape::Field
            | Shape::QuotedClose
            | Shape::ExcludedPhrase => MAX_QUERY_NESTING,
            Shape::Backwards
            | Shape::Repeated
            | Shape::SideBySide
            | Shape::RegexQuote
            | Shape::Interleaved => MAX_QUERY_GROUPS,
            Shape::Escaped | Shape::InPhrase => usize::MAX,
        }
    }
}

impl Nested {
    /// Reads a nested query from a fuzz input: a first byte from 0xF0 picks the shape (its
    /// low four bits), the next two the depth (little-endian: below 1,024 as they are, so that
    /// depths around the limits come up often, above it spread up to [`MAX_FUZZ_DEPTH`]), and
    /// the rest is the inner text. `None` for any other input, which is searched as it is.
    pub(crate) fn from_bytes(data: &[u8]) -> Option<Nested> {
        let (&first, rest) = data.split_first()?;
        if first < 0xF0 {
            return None;
        }
        let shape = Shape::ALL[usize::from(first & 0x0F)];
        let (depth, inner) = match rest {
            [low, high, inner @ ..] => (usize::from(u16::from_le_bytes([*low, *high])), inner),
            _ => (0, rest),
        };
        let depth = if depth < 1024 {
            depth
        } else {
            1024 + (depth - 1024) * (MAX_FUZZ_DEPTH - 1024) / (usize::from(u16::MAX) - 1024)
        };
        Some(Nested {
            shape,
            depth,
            inner: String::from_utf8_lossy(inner).into_owned(),
        })
    }

    /// The query text.
    pub(crate) fn query(&self) -> String {
        let d = self.depth;
        let inner = self.inner.as_str();
        // Repeated at every level, the input is kept short so the query stays a few megabytes.
        let short: String = inner.chars().take(16).collect();
        match self.shape {
            Shape::Wrapped => format!("{}{inner}{}", "(".repeat(d), ")".repeat(d)),
            Shape::Unclosed => format!("{}{inner}", "(".repeat(d)),
            Shape::Backwards => format!("{inner}{}{}", ")".repeat(d), "(".repeat(d)),
            Shape::Excluded => format!("{}{inner}{}", "-(".repeat(d), ")".repeat(d)),
            Shape::Required => format!("{}{inner}{}", "+(".repeat(d), ")".repeat(d)),
            Shape::Not => format!("{}{inner}", "NOT ".repeat(d)),
            Shape::NotGroup => format!("{}{inner}{}", "(NOT ".repeat(d), ")".repeat(d)),
            Shape::Field => format!("{}{inner}{}", "title:(".repeat(d), ")".repeat(d)),
            Shape::Repeated => format!("{}{}", format!("({short} ").repeat(d), ")".repeat(d)),
            Shape::SideBySide => format!("({short}) ").repeat(d),
            Shape::QuotedClose => format!("{}{inner}{}", "(\")\" ".repeat(d), ")".repeat(d)),
            Shape::RegexQuote => format!("{}{inner}{}", "(/'/ ".repeat(d), ")".repeat(d)),
            Shape::ExcludedPhrase => format!(
                "{}{inner}{}",
                "(licence -\"seven years\" ".repeat(d),
                ")".repeat(d)
            ),
            Shape::Escaped => format!("{}{inner}", "\\(".repeat(d)),
            Shape::InPhrase => format!("\"{}{inner}\"", "(".repeat(d)),
            Shape::Interleaved => {
                let opened: String = short
                    .chars()
                    .cycle()
                    .take(d)
                    .map(|c| format!("({c}"))
                    .collect();
                let opened = if short.is_empty() {
                    "(".repeat(d)
                } else {
                    opened
                };
                format!("{opened}{}", ")".repeat(d))
            }
        }
    }
}

/// Cuts `data` into front matter and body and reads the front matter; checks that the offsets
/// the split reports point at the text it returns.
pub(crate) fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let path = Path::new("content/fuzz.md");
    let split = match front_matter::split(path, &text) {
        Ok(split) => split,
        Err(diagnostic) => return render_all(vec![diagnostic]),
    };
    assert_eq!(
        text.get(split.body_offset..),
        Some(split.body),
        "body_offset points at the body"
    );
    if let Some((_, fm)) = split.front_matter {
        assert!(
            text[split.front_matter_offset..].starts_with(fm),
            "front_matter_offset points at the front matter"
        );
    }
    match front_matter::parse(path, &text, &split) {
        Ok(parsed) => render_all(front_matter::report_unknown(parsed.unknown)),
        Err(diagnostic) => render_all(vec![diagnostic]),
    }
}

/// Loads `data` as site.toml.
pub(crate) fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let root = Path::new("/site");
    if let Err(diagnostics) = Config::parse(root, Path::new("site.toml"), &text) {
        assert!(!diagnostics.is_empty(), "a refused config says why");
        render_all(diagnostics);
    }
}

/// Renders diagnostics as the terminal would show them: positions must fit their line.
fn render_all(diagnostics: Vec<Diagnostic>) {
    let mut all = Diagnostics::new();
    all.extend(diagnostics);
    let _ = all.render(false);
}

/// A small site's link map: pages in folders, an index page and a file.
fn link_map() -> LinkMap {
    let mut links = LinkMap::new("/", std::path::Path::new("content"));
    for (i, (source, url)) in [
        ("_index.md", ""),
        ("policies/_index.md", "policies/"),
        ("policies/usage.md", "policies/usage/"),
        ("policies/fuzz.md", "policies/fuzz/"),
        ("guides/index.md", "guides/"),
        ("guides/start.md", "guides/start/"),
        ("glossary.md", "glossary/"),
    ]
    .into_iter()
    .enumerate()
    {
        let folder_page = source.ends_with("index.md");
        links.add_page(Path::new(source), i, url, folder_page);
    }
    links.add_file(Path::new("policies/diagram.png"));
    links.add_excluded(Path::new("staff/pay.md"), Exclusion::Internal);
    links.add_unbuilt_url("old/pay/", Path::new("staff/pay.md"));
    // What a build writes besides pages, for links from the site's root.
    links.set_outputs(
        [
            "404.html",
            "tags/index.html",
            "tags/licensing/index.html",
            "old/usage/index.html",
            "assets/folio.css",
        ]
        .into_iter()
        .map(str::to_string)
        .collect(),
    );
    links
}

/// Copies the files under `from` to `to`.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}
