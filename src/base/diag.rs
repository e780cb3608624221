//! Diagnostics: errors and warnings that point at a file, line and column.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of returning at the first one, so a
//! build shows the author all of its problems at once. [`Diagnostics::render`] prints them with
//! the offending source line and a caret, the way rustc does.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How serious a diagnostic is: errors fail the build, warnings do not, notes are reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The build cannot produce correct output.
    Error,
    /// Odd input that Folio worked around.
    Warning,
    /// Nothing is wrong yet, but an author should know (`folio check`'s review reminders).
    Note,
}

impl Severity {
    /// The level as `folio check --format json` writes it: `error`, `warning` or `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// Declares [`Code`] with its text for each variant and the list of them all, so that the list
/// cannot miss a code.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $text:literal,)*) => {
        /// What kind of problem a diagnostic is, stable for scripts: `folio check --format json`
        /// writes it as its text (`broken-link`), and the README lists every one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order they are declared.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The code as scripts see it: `broken-link`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    /// site.toml could not be read.
    Config => "config",
    /// A page's front matter: unreadable, invalid, or a field of another kind.
    FrontMatter => "front-matter",
    /// A link to a page or file the build does not have.
    BrokenLink => "broken-link",
    /// A link to a heading a page does not have.
    BrokenAnchor => "broken-anchor",
    /// A link to a heading whose id differs only in case (`#Scope` for `#scope`): it is
    /// rewritten to the heading.
    AnchorCase => "anchor-case",
    /// A link to a heading by the id another generator gives it (`#a-and-b` for `#a--b`): it
    /// is rewritten to the heading.
    AnchorStyle => "anchor-style",
    /// `[[x]]` in a site without a glossary: shown as written.
    NoGlossary => "no-glossary",
    /// A data file Folio reads itself (the glossary, the licence list) in another tool's shape:
    /// it stays a data file for templates.
    ForeignData => "foreign-data",
    /// A template that does not compile or render.
    Template => "template",
    /// A symbolic link Folio leaves out.
    Symlink => "symlink",
    /// Hugo shortcodes and Liquid tags left out of pages.
    Compat => "compat",
    /// A file that could not be written into the output.
    Write => "write",
    /// A folder with more than one folder page (`_index.md`, `index.md`, `README.md`).
    FolderPage => "folder-page",
    /// A navigation file (site.toml's `nav`, `.pages`, `_category_`, `eleventyNavigation`)
    /// that cannot be read, or an entry naming no page.
    Nav => "nav",
    /// Any other problem of a build: no stage named it more precisely.
    Build => "build",
    /// An approved policy without an owner.
    PolicyWithoutOwner => "policy-without-owner",
    /// A policy whose next review is past.
    PolicyReviewOverdue => "policy-review-overdue",
    /// A policy whose next review is soon.
    PolicyReviewDue => "policy-review-due",
    /// A page no other page links to.
    OrphanPage => "orphan-page",
    /// A page with the title of another.
    DuplicateTitle => "duplicate-title",
    /// An FAQ without a category.
    FaqWithoutCategory => "faq-without-category",
    /// Pages without a title or a heading, titled after their file names (one per build).
    UntitledPage => "untitled-page",
    /// Pages with no text and no title (one per build).
    EmptyPage => "empty-page",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A position in a source file, with the line it points into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Path shown to the user, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The whole source line (without its line break), for the snippet.
    pub source_line: String,
    /// Length of the underlined part, in characters (at least 1).
    pub width: usize,
}

impl Location {
    /// Locates `byte_offset` (and `byte_len` bytes after it) in `text`, the contents of `path`.
    ///
    /// Offsets past the end or inside a UTF-8 sequence are clamped, so any offset is safe.
    pub fn from_offset(path: &Path, text: &str, byte_offset: usize, byte_len: usize) -> Self {
        let offset = floor_char_boundary(text, byte_offset.min(text.len()));
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let source_line = text[line_start..line_end].trim_end_matches('\r');
        let end = floor_char_boundary(text, (offset + byte_len).min(line_end));
        Location {
            path: path.to_path_buf(),
            line: text[..line_start].matches('\n').count() + 1,
            column: text[line_start..offset].chars().count() + 1,
            source_line: source_line.to_string(),
            width: text[offset..end].chars().count().max(1),
        }
    }

    /// Locates a 1-based `line` and `column` (in characters) in `text`.
    pub fn from_line_col(path: &Path, text: &str, line: usize, column: usize) -> Self {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let rest = &text[line_start..];
        let column_offset: usize = rest
            .chars()
            .take_while(|c| *c != '\n')
            .take(column.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        Self::from_offset(path, text, line_start + column_offset, 1)
    }
}

/// How many of a grouped warning's other places are listed (see [`Diagnostics::group_repeats`]).
const MORE_PLACES_SHOWN: usize = 5;
/// How many of a grouped error's other places are listed.
const MORE_PLACES_SHOWN_FOR_ERRORS: usize = 20;

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence without a trailing period.
    pub message: String,
    /// Where it is wrong, when a file position is known (boxed to keep `Result`s small).
    pub location: Option<Box<Location>>,
    /// How to fix it, when Folio can tell.
    pub help: Option<String>,
    /// What kind of problem it is, stable for scripts (`broken-link`); see `folio check`.
    pub code: Option<Code>,
    /// What the problem is about (the missing page or heading a link names: `` `content/a.md` ``),
    /// when the same
    /// problem may be found in many places: diagnostics with the same severity, code and subject
    /// are shown as one (see [`Diagnostics::group_repeats`]).
    pub subject: Option<String>,
    /// The other places the same problem is found at, after `location`, in order.
    pub more_places: Vec<Location>,
}

impl Diagnostic {
    /// An error with no position yet.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message.into())
    }

    /// A warning with no position yet.
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message.into())
    }

    /// A note with no position yet.
    pub fn note(message: impl Into<String>) -> Self {
        Self::new(Severity::Note, message.into())
    }

    fn new(severity: Severity, message: String) -> Self {
        Diagnostic {
            severity,
            message,
            location: None,
            help: None,
            code: None,
            subject: None,
            more_places: Vec::new(),
        }
    }

    /// Sets the code, unless one is set already (the most specific stage names it first).
    pub fn with_code(mut self, code: Code) -> Self {
        self.code.get_or_insert(code);
        self
    }

    /// Attaches a position.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    /// Names what the problem is about, so that repeats of it are shown once.
    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// How many places the problem is found at: its location and the others.
    pub fn places(&self) -> usize {
        1 + self.more_places.len()
    }

    /// Attaches a hint on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders this diagnostic as text: title, `--> file:line:col`, source line and caret, help.
    pub fn render(&self, renderer: &Renderer) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let title = level.primary_title(&self.message);
        let group = match &self.location {
            None => Group::with_title(title),
            Some(loc) => {
                // annotate-snippets computes the column from the byte span inside the line.
                let start: usize = loc
                    .source_line
                    .chars()
                    .take(loc.column - 1)
                    .map(char::len_utf8)
                    .sum();
                let len: usize = loc.source_line[start..]
                    .chars()
                    .take(loc.width)
                    .map(char::len_utf8)
                    .sum();
                title.element(
                    Snippet::source(loc.source_line.as_str())
                        .line_start(loc.line)
                        .path(loc.path.to_string_lossy())
                        .annotation(AnnotationKind::Primary.span(start..start + len)),
                )
            }
        };
        let mut report: Vec<Group<'_>> = vec![group];
        if let Some(help) = &self.help {
            report.push(Group::with_title(Level::HELP.secondary_title(help)));
        }
        let places = self.more_places_text();
        if let Some(places) = &places {
            report.push(Group::with_title(Level::NOTE.secondary_title(places)));
        }
        renderer.render(&report)
    }

    /// The other places, one a line: every one for a few, else the first ones (more for an
    /// error, which must be fixed, than for a warning) and how many more.
    fn more_places_text(&self) -> Option<String> {
        if self.more_places.is_empty() {
            return None;
        }
        let limit = if self.is_error() {
            MORE_PLACES_SHOWN_FOR_ERRORS
        } else {
            MORE_PLACES_SHOWN
        };
        // Listing all of them costs no more lines than "and 1 more".
        let shown = if self.more_places.len() <= limit + 1 {
            self.more_places.len()
        } else {
            limit
        };
        let mut text = String::from("also at:");
        for place in &self.more_places[..shown] {
            let _ = write!(
                text,
                "\n{}:{}:{}",
                place.path.display(),
                place.line,
                place.column
            );
        }
        let rest = self.more_places.len() - shown;
        if rest > 0 {
            let _ = write!(text, "\nand {rest} more");
        }
        Some(text)
    }
}

/// All diagnostics of one build, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds many diagnostics.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// Shows each problem found in many places once: diagnostics with a subject (see
    /// [`Diagnostic::about`]) and the same severity and code become the first of them by file
    /// and position (its message, help and snippet), with the others' places as its
    /// `more_places` and its message saying how many there are. The rest keep their order.
    pub fn group_repeats(&mut self) {
        type Key = (Severity, Option<Code>, String);
        let place = |d: &Diagnostic| {
            d.location
                .as_deref()
                .map(|l| (l.path.clone(), l.line, l.column))
        };
        // Those with a subject by place, so that each group is led by its first.
        let (mut subjects, others): (Vec<Diagnostic>, Vec<Diagnostic>) =
            std::mem::take(&mut self.items)
                .into_iter()
                .partition(|d| d.subject.is_some());
        subjects.sort_by_key(place);
        let mut groups: HashMap<Key, usize> = HashMap::new();
        let mut kept = others;
        for diagnostic in subjects {
            let subject = diagnostic.subject.clone().unwrap_or_default();
            let key = (diagnostic.severity, diagnostic.code, subject);
            match groups.get(&key) {
                Some(&first) => {
                    let group = &mut kept[first];
                    group.more_places.extend(diagnostic.location.map(|l| *l));
                    group.more_places.extend(diagnostic.more_places);
                }
                None => {
                    groups.insert(key, kept.len());
                    kept.push(diagnostic);
                }
            }
        }
        for &index in groups.values() {
            let group = &mut kept[index];
            if group.more_places.is_empty() {
                continue;
            }
            let subject = group.subject.as_deref().unwrap_or_default();
            group.message = format!(
                "{} (and {} more to {subject})",
                group.message,
                group.more_places.len()
            );
        }
        self.items = kept;
    }

    /// The diagnostics with each group of repeats (see [`Diagnostics::group_repeats`]) given
    /// back as one diagnostic a place, under the first one's message and help: for CI formats
    /// that mark each line of a diff.
    pub fn each_place(&self) -> Diagnostics {
        let mut out = Diagnostics::new();
        for d in &self.items {
            let Some(subject) = d.subject.as_deref().filter(|_| !d.more_places.is_empty()) else {
                out.push(d.clone());
                continue;
            };
            let suffix = format!(" (and {} more to {subject})", d.more_places.len());
            let mut one = d.clone();
            one.more_places = Vec::new();
            if let Some(message) = d.message.strip_suffix(&suffix) {
                one.message = message.to_string();
            }
            for place in &d.more_places {
                let mut other = one.clone();
                other.location = Some(Box::new(place.clone()));
                out.push(other);
            }
            out.push(one);
        }
        out
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Number of notes.
    pub fn note_count(&self) -> usize {
        self.count(Severity::Note)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// True when at least one error was found.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics, unsorted.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// The diagnostics sorted by file and position (those without one first), then severity,
    /// without repeats.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut sorted: Vec<&Diagnostic> = self.items.iter().collect();
        sorted.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.path.clone(), l.line, l.column))
            };
            key(a).cmp(&key(b)).then(a.severity.cmp(&b.severity))
        });
        sorted.dedup();
        sorted
    }

    /// Renders every diagnostic, sorted by file and position.
    ///
    /// `styled` turns on terminal colours.
    pub fn render(&self, styled: bool) -> String {
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = String::new();
        for diagnostic in self.sorted() {
            let _ = writeln!(out, "{}\n", diagnostic.render(&renderer));
        }
        out
    }

    /// The closing line: "2 errors, 1 warning", with the places when a diagnostic stands for
    /// several: "0 errors, 15 warnings (418 places)".
    pub fn summary(&self) -> String {
        format!(
            "{}, {}",
            self.counted(Severity::Error),
            self.counted(Severity::Warning)
        )
    }

    /// "15 warnings", or "15 warnings (418 places)" when some of them are found in several
    /// places (see [`Diagnostics::group_repeats`]).
    pub fn counted(&self, severity: Severity) -> String {
        let word = match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let of_severity = self.items.iter().filter(|d| d.severity == severity);
        let (count, places) = of_severity.fold((0, 0), |(n, p), d| (n + 1, p + d.places()));
        if places == count {
            plural(count, word)
        } else {
            format!("{} ({})", plural(count, word), plural(places, "place"))
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// `1 error`, `2 errors`: a count with its noun, for summary lines.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Suggests the candidate closest to `word`, for "did you mean" hints.
///
/// Only close matches are suggested: a suggestion that is far off confuses more than it helps.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let lower_len = lower.chars().count();
    let lower_bag = ascii_bag(&lower);
    // The first of the closest: a later candidate must be strictly closer to replace it.
    let mut best: Option<(usize, &'a str)> = None;
    for &candidate in candidates {
        let len = candidate.chars().count();
        let mut limit = (len / 4).max(1);
        if let Some((distance, _)) = best {
            if distance == 0 {
                break;
            }
            limit = limit.min(distance - 1);
        }
        // Cheap lower bounds of the distance first: a site has thousands of pages, and a
        // broken link compares them all.
        if lower_len.abs_diff(len) > limit || bag_distance(&lower_bag, candidate) > limit {
            continue;
        }
        let distance = strsim::damerau_levenshtein(&lower, candidate);
        if distance <= limit {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// How many times each ASCII byte occurs in `text`; None when it has other characters.
fn ascii_bag(text: &str) -> Option<[u16; 128]> {
    let mut bag = [0u16; 128];
    for b in text.bytes() {
        *bag.get_mut(usize::from(b))? += 1;
    }
    Some(bag)
}

/// A lower bound of the edit distance between the text counted in `bag` and `other`: each
/// edit adds at most one character to either side's surplus. 0 (no bound) outside ASCII.
fn bag_distance(bag: &Option<[u16; 128]>, other: &str) -> usize {
    let (Some(bag), Some(theirs)) = (bag, ascii_bag(other)) else {
        return 0;
    };
    let (mut ours, mut extra) = (0, 0);
    for (a, b) in bag.iter().zip(&theirs) {
        if a > b {
            ours += usize::from(a - b);
        } else {
            extra += usize::from(b - a);
        }
    }
    ours.max(extra)
}

/// Rewords serde's messages for authors: no Rust type names, no positions counted from the start
/// of the front matter or data file (the snippet header shows the position in the whole file).
pub fn tidy_serde_message(message: &str) -> String {
    let mut text = message.trim().to_string();
    while let Some(start) = text.find(" at line ") {
        let rest = &text[start + " at line ".len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let line_len = digits(rest);
        let Some(after_column) = rest[line_len..].strip_prefix(" column ") else {
            break;
        };
        let end = start + " at line ".len() + line_len + " column ".len() + digits(after_column);
        text.replace_range(start..end, "");
    }
    [
        ("struct FrontMatter", "a mapping of fields"),
        ("enum Kind", "a kind"),
        ("enum Visibility", "a visibility"),
        ("expected i64", "expected an integer"),
        ("expected a boolean", "expected true or false"),
        ("expected a sequence", "expected a list"),
    ]
    .iter()
    .fold(text, |text, (from, to)| text.replace(from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The part of the README about `folio check`, where the codes are listed.
    fn readme_check_section() -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(path).expect("the README reads");
        let start = readme
            .find("### Checking a handbook")
            .expect("the README has a section on `folio check`");
        let section = &readme[start..];
        let end = section[1..].find("\n### ").map_or(section.len(), |i| i + 1);
        section[..end].to_string()
    }

    #[test]
    fn the_readme_lists_every_code() {
        let section = readme_check_section();
        let missing: Vec<&str> = Code::ALL
            .iter()
            .map(|code| code.as_str())
            .filter(|code| !section.contains(&format!("`{code}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "the README's `folio check` section does not list the codes {missing:?}"
        );
        // And the table of findings names no code Folio does not have.
        let known: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
        for row in section.lines().filter(|line| line.starts_with("| `")) {
            let code = row[3..].split('`').next().unwrap_or_default();
            assert!(
                known.contains(&code),
                "the README lists an unknown code `{code}`"
            );
        }
    }

    #[test]
    fn codes_are_distinct_kebab_case_words() {
        let mut texts: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
        assert!(
            texts
                .iter()
                .all(|t| t.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), Code::ALL.len());
        assert_eq!(Code::BrokenLink.to_string(), "broken-link");
    }

    #[test]
    fn location_counts_lines_and_characters() {
        let text = "first\nsécond [link](x.md)\n";
        let offset = text.find('[').unwrap();
        let loc = Location::from_offset(Path::new("a.md"), text, offset, 12);
        assert_eq!((loc.line, loc.column, loc.width), (2, 8, 12));
        assert_eq!(loc.source_line, "sécond [link](x.md)");
    }

    #[test]
    fn location_from_line_col_round_trips() {
        let text = "a\nbb\r\nccc";
        let loc = Location::from_line_col(Path::new("f"), text, 3, 2);
        assert_eq!((loc.line, loc.column), (3, 2));
        assert_eq!(loc.source_line, "ccc");
        let past_end = Location::from_offset(Path::new("f"), text, 999, 5);
        assert_eq!(past_end.line, 3);
    }

    #[test]
    fn render_shows_path_line_column_and_caret() {
        let text = "title: x\nbroken: [\n";
        let loc = Location::from_line_col(Path::new("content/a.md"), text, 2, 9);
        let d = Diagnostic::error("bad thing").at(loc).with_help("fix it");
        let out = d.render(&Renderer::plain());
        assert!(out.contains("error: bad thing"), "{out}");
        assert!(out.contains("content/a.md:2:9"), "{out}");
        assert!(out.contains("broken: ["), "{out}");
        assert!(out.contains('^'), "{out}");
        assert!(out.contains("help: fix it"), "{out}");
    }

    #[test]
    fn repeats_of_a_problem_become_one_diagnostic_led_by_its_first_place() {
        let at = |path: &str, line: usize| {
            Location::from_line_col(Path::new(path), "x\ny\nz\n", line, 1)
        };
        let broken = |path: &str, line: usize| {
            Diagnostic::warning(format!("link to a missing page in {path}"))
                .at(at(path, line))
                .with_code(Code::BrokenLink)
                .about("`content/old.md`")
        };
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(broken("b.md", 2));
        diagnostics.push(Diagnostic::error("something else").at(at("b.md", 1)));
        diagnostics.push(broken("a.md", 3));
        diagnostics.push(broken("b.md", 1));
        // The same subject as an error is another problem.
        diagnostics.push(
            Diagnostic::error("link")
                .with_code(Code::BrokenLink)
                .about("`content/old.md`"),
        );
        diagnostics.group_repeats();
        let items = diagnostics.items();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].message, "something else");
        let grouped = items.iter().find(|d| d.places() == 3).unwrap();
        assert_eq!(
            grouped.message,
            "link to a missing page in a.md (and 2 more to `content/old.md`)"
        );
        let place = |l: &Location| format!("{}:{}", l.path.display(), l.line);
        assert_eq!(place(grouped.location.as_deref().unwrap()), "a.md:3");
        let more: Vec<String> = grouped.more_places.iter().map(place).collect();
        assert_eq!(more, ["b.md:1", "b.md:2"]);
        assert_eq!(diagnostics.summary(), "2 errors, 1 warning (3 places)");
        // CI formats get them back one a place.
        let each = diagnostics.each_place();
        let broken: Vec<&Diagnostic> = each
            .items()
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect();
        assert_eq!(broken.len(), 3);
        assert!(
            broken
                .iter()
                .all(|d| d.message == "link to a missing page in a.md")
        );
        let text = grouped.render(&Renderer::plain());
        assert!(text.contains("note: also at:"), "{text}");
        assert!(text.contains("b.md:1:1"), "{text}");
    }

    #[test]
    fn suggestions_are_close_matches_only() {
        let fields = ["title", "tags", "weight"];
        assert_eq!(did_you_mean("titel", &fields), Some("title"));
        assert_eq!(did_you_mean("Title", &fields), Some("title"));
        assert_eq!(did_you_mean("colour", &fields), None);
        // The shortcuts pick what comparing every candidate in full picks: the first closest.
        let pages = ["a/legal.md", "a/lega.md", "b/legal.md", "a/légal.md", "leg"];
        for word in ["a/legl.md", "A/LEGAL.md", "b/lgeal.md", "a/légl.md", "lge"] {
            let naive = pages
                .iter()
                .map(|c| (strsim::damerau_levenshtein(&word.to_lowercase(), c), *c))
                .filter(|(d, c)| *d <= (c.chars().count() / 4).max(1))
                .min_by_key(|(d, _)| *d)
                .map(|(_, c)| c);
            assert_eq!(did_you_mean(word, &pages), naive, "{word}");
        }
    }

    #[test]
    fn messages_carry_no_positions_or_rust_types() {
        let message = "did not find expected ',' or ']' at line 3 column 7, while parsing a flow sequence at line 2 column 7";
        assert_eq!(
            tidy_serde_message(message),
            "did not find expected ',' or ']', while parsing a flow sequence"
        );
        assert_eq!(
            tidy_serde_message("weight: invalid type: string \"x\", expected i64"),
            "weight: invalid type: string \"x\", expected an integer"
        );
    }
}
