//! Admonitions and tabs written for other generators, rendered as Folio's callouts and tabs:
//! MkDocs (`!!! note "Title"`, collapsible `??? note` and `???+ note`), pymdownx.tabbed
//! (`=== "Tab"`, `===!` starting a new set) and Docusaurus or VitePress (`:::tip Title`,
//! `:::tip[Title]`, `::: details` … `:::`, nested with more colons outside).
//!
//! CommonMark knows none of these containers, so before pulldown-cmark reads a page,
//! [`prepare`] rewrites each marker line into the HTML that opens or closes its block (an HTML
//! block of its own, between blank lines) and takes the 4 spaces of indentation off the content
//! of MkDocs blocks. The content is then ordinary Markdown in the same document: its links are
//! checked and rewritten, its headings get ids, its `[[terms]]` link. [`Prepared::original`]
//! maps every offset of the rewritten text back to the text it came from, so that a diagnostic
//! inside a block still points at its line and column in the file.
//!
//! Lines in fenced code, indented code and deeper than a list item's content are copied as they
//! are: a marker there stays text. A marker may sit in a list item, indented as its content is.
//! Malformed blocks (an unclosed `:::`, an admonition with nothing indented under it, a title
//! without its closing quote) still render, as well as they can, with a warning at their line.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Source, escape_html};
use crate::diag::{Diagnostic, Location};

/// Columns of indentation that put a line in an admonition's or a tab's content, and past
/// which a line is indented code rather than a marker.
const INDENT: usize = 4;

/// Level of the tab labels of a set before any heading: the page's title is the `<h1>`.
const FIRST_TAB_LEVEL: u8 = 2;

/// A page body with its admonitions and tabs rewritten, and the way back to the original.
#[derive(Debug)]
pub(super) struct Prepared {
    /// The Markdown that pulldown-cmark reads.
    pub(super) body: String,
    /// Where each run of `body` comes from, in order of `out`.
    pieces: Vec<Piece>,
}

/// A run of the rewritten body, from `out` to the next piece's `out`: copied from the original
/// starting at `src`, or inserted (HTML, line breaks, spaces) at `src`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    out: usize,
    src: usize,
    copied: bool,
}

impl Prepared {
    /// The offset in the original body of offset `at` in the rewritten one. An offset in
    /// inserted text maps to the place it was inserted at.
    pub(super) fn original(&self, at: usize) -> usize {
        let after = self.pieces.partition_point(|p| p.out <= at);
        match after.checked_sub(1).map(|i| self.pieces[i]) {
            Some(piece) if piece.copied => piece.src + (at - piece.out),
            Some(piece) => piece.src,
            None => at,
        }
    }
}

/// Rewrites the admonitions and tabs of `source.body`. Returns `None` when it has none (the body
/// is then read as it is), and the warnings about malformed blocks, at their file:line:col.
pub(super) fn prepare(source: &Source<'_>) -> (Option<Prepared>, Vec<Diagnostic>) {
    let body = source.body;
    // Most pages have no such block: the common case costs four scans for a short needle.
    if !["!!!", "???", "===", ":::"]
        .iter()
        .any(|m| body.contains(m))
    {
        return (None, Vec::new());
    }
    let mut rewriter = Rewriter::new(body);
    let mut start = 0;
    for full in body.split_inclusive('\n') {
        rewriter.line(&Line::new(start, full));
        start += full.len();
    }
    rewriter.end_of_page();
    let diagnostics = rewriter.warnings.into_diagnostics(source);
    let prepared = rewriter.changed.then_some(Prepared {
        body: rewriter.out,
        pieces: rewriter.pieces,
    });
    (prepared, diagnostics)
}

/// One line of the original body.
struct Line<'a> {
    /// Offset of its first byte.
    start: usize,
    /// The line with its line break.
    full: &'a str,
    /// Columns of leading whitespace, tabs stopping at multiples of 4.
    indent: usize,
    /// The text after the leading whitespace, without the line break and trailing whitespace.
    rest: &'a str,
    /// Offset of `rest`.
    rest_start: usize,
}

impl<'a> Line<'a> {
    fn new(start: usize, full: &'a str) -> Line<'a> {
        let mut indent = 0;
        let mut bytes = 0;
        for c in full.chars() {
            match c {
                ' ' => indent += 1,
                '\t' => indent += INDENT - indent % INDENT,
                _ => break,
            }
            bytes += 1;
        }
        let rest = full[bytes..].trim_end_matches(['\n', '\r', ' ', '\t']);
        Line {
            start,
            full,
            indent,
            rest,
            rest_start: start + bytes,
        }
    }

    fn is_blank(&self) -> bool {
        self.rest.is_empty()
    }

    /// The offsets of the line's text, for a warning's underline.
    fn text_range(&self) -> Range<usize> {
        self.rest_start..self.rest_start + self.rest.len()
    }
}

/// How a block ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ends {
    /// The page itself: at its end.
    Page,
    /// At the first non-blank line indented less than its content (MkDocs, pymdownx).
    Dedent,
    /// At the first line that is not another `=== "Tab"` of the set (pymdownx).
    TabSet {
        /// Level of the set's label headings.
        level: u8,
    },
    /// At a line of at least this many colons and nothing else (Docusaurus, VitePress).
    Colons(usize),
}

/// A block being read.
struct Block {
    ends: Ends,
    /// A non-blank line indented by fewer columns is outside the block.
    min_indent: usize,
    /// Columns of indentation taken off each line inside, so that it reads as at the top.
    remove: usize,
    /// Indentation of the block's HTML lines in the rewritten body: the marker's, less what
    /// the blocks around it take off, so that a block in a list item stays in the item.
    html_indent: usize,
    /// The HTML that closes it.
    close_html: &'static str,
    /// The marker line, for warnings, and its text.
    marker: Range<usize>,
    marker_text: String,
    /// Whether any non-blank line was written inside it.
    has_content: bool,
    /// Content columns of the list items open in the block, innermost last.
    lists: Vec<usize>,
}

/// An open fenced code block.
struct Fence {
    /// Index in the stack of the block it is in.
    depth: usize,
    /// `` ` `` or `~`, and how many.
    char: char,
    len: usize,
    /// Indentation of its opening line in the rewritten body, for a closing line Folio adds.
    out_indent: usize,
}

/// Warnings of one kind, each given once per page with a count.
#[derive(Default)]
struct Warnings {
    /// By kind: the first place, its message and help, and how many more.
    by_kind: BTreeMap<&'static str, (Range<usize>, String, String, usize)>,
}

impl Warnings {
    fn add(&mut self, kind: &'static str, at: Range<usize>, message: String, help: &str) {
        self.by_kind
            .entry(kind)
            .and_modify(|(_, _, _, more)| *more += 1)
            .or_insert_with(|| (at, message, help.to_string(), 0));
    }

    fn into_diagnostics(self, source: &Source<'_>) -> Vec<Diagnostic> {
        let mut found: Vec<_> = self.by_kind.into_values().collect();
        found.sort_by_key(|(at, ..)| at.start);
        found
            .into_iter()
            .map(|(at, message, help, more)| {
                let message = match more {
                    0 => message,
                    1 => format!("{message} (and 1 more like it in this page)"),
                    n => format!("{message} (and {n} more like it in this page)"),
                };
                let offset = source.file_offset(at.start);
                let width = source.file_offset(at.end).saturating_sub(offset).max(1);
                let location =
                    Location::from_offset(source.display_path, source.text, offset, width);
                Diagnostic::warning(message)
                    .at(location)
                    .with_help(help)
                    .with_code("compat")
            })
            .collect()
    }
}

/// Reads the body line by line, writing the rewritten body.
struct Rewriter<'a> {
    body: &'a str,
    out: String,
    pieces: Vec<Piece>,
    /// The blocks open, the page first.
    stack: Vec<Block>,
    fence: Option<Fence>,
    /// Level of the last ATX heading, for the labels of the next tab set.
    heading_level: u8,
    /// Whether any marker was found.
    changed: bool,
    warnings: Warnings,
}

impl<'a> Rewriter<'a> {
    fn new(body: &'a str) -> Rewriter<'a> {
        let page = Block {
            ends: Ends::Page,
            min_indent: 0,
            remove: 0,
            html_indent: 0,
            close_html: "",
            marker: 0..0,
            marker_text: String::new(),
            has_content: false,
            lists: Vec::new(),
        };
        Rewriter {
            body,
            out: String::with_capacity(body.len() + body.len() / 8),
            pieces: Vec::new(),
            stack: vec![page],
            fence: None,
            heading_level: FIRST_TAB_LEVEL - 1,
            changed: false,
            warnings: Warnings::default(),
        }
    }

    fn top(&self) -> &Block {
        // The page is never popped.
        &self.stack[self.stack.len() - 1]
    }

    fn top_mut(&mut self) -> &mut Block {
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn line(&mut self, line: &Line<'_>) {
        if line.is_blank() {
            self.copy_line(line);
            return;
        }
        self.close_blocks_indented_past(line);
        if let Some(fence) = &self.fence {
            if closes_fence(fence, line.rest) {
                self.fence = None;
            }
            self.copy_line(line);
            return;
        }
        if self.continues_tab_set(line) {
            return;
        }
        let block = self.top_mut();
        while block
            .lists
            .last()
            .is_some_and(|&column| line.indent < column)
        {
            block.lists.pop();
        }
        let base = block.lists.last().copied().unwrap_or(block.min_indent);
        // Deeper is indented code, or more of a paragraph: never a marker.
        if line.indent >= base + INDENT {
            self.copy_line(line);
            return;
        }
        if self.open_block(line) {
            return;
        }
        match colon_closer(line.rest) {
            Some(colons) => self.close_colons(line, colons),
            None => {
                self.note_structure(line);
                self.copy_line(line);
            }
        }
    }

    /// After a tab's panel has ended, opens the next tab of the set if `line` is one (and
    /// returns true), else ends the set.
    fn continues_tab_set(&mut self, line: &Line<'_>) -> bool {
        let Ends::TabSet { .. } = self.top().ends else {
            return false;
        };
        let next_tab = (line.indent < self.top().min_indent + INDENT)
            .then(|| parse_tab(line.rest))
            .flatten();
        match next_tab {
            Some(tab) if !tab.new_set => {
                self.open_tab(line, tab, false);
                true
            }
            _ => {
                self.close_top(line.start);
                false
            }
        }
    }

    /// Keeps track of what decides how later lines read: a code fence opening, a heading
    /// (whose level the labels of the next tab set go below), a list item.
    fn note_structure(&mut self, line: &Line<'_>) {
        if let Some((char, len)) = fence_opening(line.rest) {
            self.fence = Some(Fence {
                depth: self.stack.len() - 1,
                char,
                len,
                out_indent: line.indent - self.top().remove,
            });
        } else if let Some(level) = atx_heading_level(line.rest) {
            self.heading_level = level;
        } else if let Some(width) = list_marker_width(line.rest, line.indent) {
            self.top_mut().lists.push(line.indent + width);
        }
    }

    /// Opens the block `line` starts, if it is a marker; returns whether it was.
    fn open_block(&mut self, line: &Line<'_>) -> bool {
        if let Some(admonition) = parse_admonition(line.rest) {
            self.open_admonition(line, admonition);
        } else if let Some(tab) = parse_tab(line.rest) {
            self.open_tab(line, tab, true);
        } else if let Some(colon) = parse_colon(line.rest) {
            self.open_colon(line, colon);
        } else {
            return false;
        }
        true
    }

    /// Closes the blocks that `line`, less indented than their content, is outside of. A
    /// Docusaurus block closed that way was never closed by its author: one warning says so.
    fn close_blocks_indented_past(&mut self, line: &Line<'_>) {
        let mut unclosed: Option<(Range<usize>, String)> = None;
        while self.stack.len() > 1 && line.indent < self.top().min_indent {
            let block = self.close_top(line.start);
            if let Ends::Colons(_) = block.ends {
                unclosed = Some((block.marker, block.marker_text));
            }
        }
        if let Some((marker, text)) = unclosed {
            self.warnings.add(
                "unclosed-in-block",
                marker,
                format!("`{text}` is not closed: it ends where the block around it ends"),
                "end it with a line of as many colons as it opens with",
            );
        }
    }

    /// Handles a line of colons alone: the end of the innermost Docusaurus block when it has
    /// as many colons, else text with a warning.
    fn close_colons(&mut self, line: &Line<'_>, colons: usize) {
        match self.top().ends {
            Ends::Colons(open) if colons >= open => {
                self.close_top(line.start);
            }
            Ends::Colons(open) => {
                let message = format!(
                    "`{}` does not close `{}`, which opens with {open} colons",
                    line.rest,
                    self.top().marker_text
                );
                self.warnings.add(
                    "short-closer",
                    line.text_range(),
                    message,
                    "close a block with at least as many colons as open it",
                );
                self.copy_line(line);
            }
            _ => {
                self.warnings.add(
                    "stray-closer",
                    line.text_range(),
                    format!("`{}` closes no `:::` block", line.rest),
                    "remove it, or open the block it closes (`:::note`)",
                );
                self.copy_line(line);
            }
        }
    }

    fn open_admonition(&mut self, line: &Line<'_>, admonition: Admonition<'_>) {
        let kind = admonition.kind.unwrap_or("note");
        let label = default_label(kind);
        let class = callout_class(kind);
        let title = match admonition.title {
            Some(title) => {
                if title.unclosed {
                    self.warn_unclosed_quote(line, "title", "`!!! note \"Title\"`");
                }
                inline_title(title.text)
            }
            None => InlineTitle::plain(&label),
        };
        if admonition.kind.is_none() && !admonition.collapsible {
            self.warnings.add(
                "no-type",
                line.text_range(),
                format!("`{}` has no type: it is shown as a note", line.rest),
                "write the type after `!!!`, as in `!!! note \"Title\"`",
            );
        }
        let (open_html, close_html) = if admonition.collapsible {
            (
                details_html(class, &label, &title, admonition.open, true),
                "</details>",
            )
        } else {
            (callout_html(class, &label, &title), "</div>")
        };
        self.push_indented(line, &open_html, close_html);
    }

    fn open_colon(&mut self, line: &Line<'_>, colon: Colon<'_>) {
        let label = default_label(colon.kind);
        let class = callout_class(colon.kind);
        if colon.title.unclosed {
            self.warnings.add(
                "unclosed-bracket",
                line.text_range(),
                format!("the title of `{}` has no closing `]`", line.rest),
                "end the title with `]`, as in `:::tip[Title]`",
            );
        }
        let title = if colon.title.text.trim().is_empty() {
            InlineTitle::plain(&label)
        } else {
            inline_title(colon.title.text)
        };
        let details = colon.kind.eq_ignore_ascii_case("details");
        let (open_html, close_html) = if details {
            // "Details" says nothing a <details> does not: no type is told to screen readers.
            (
                details_html(class, &label, &title, false, false),
                "</details>",
            )
        } else {
            (callout_html(class, &label, &title), "</div>")
        };
        let html_indent = self.html_indent(line);
        self.write_html(line.start, html_indent, &open_html);
        let base = self
            .top()
            .lists
            .last()
            .copied()
            .unwrap_or(self.top().min_indent);
        let remove = self.top().remove;
        self.push(Block {
            ends: Ends::Colons(colon.colons),
            min_indent: base,
            remove,
            html_indent,
            close_html,
            marker: line.text_range(),
            marker_text: marker_name(line.rest),
            has_content: false,
            lists: Vec::new(),
        });
    }

    /// Opens a tab: a new set first when `new_set` (a set's first tab, or `===!`).
    fn open_tab(&mut self, line: &Line<'_>, tab: Tab<'_>, new_set: bool) {
        if tab.unclosed {
            self.warn_unclosed_quote(line, "label", "`=== \"Tab\"`");
        }
        let html_indent = self.html_indent(line);
        let level = match self.top().ends {
            Ends::TabSet { level } if !new_set => level,
            _ => self
                .heading_level
                .saturating_add(1)
                .clamp(FIRST_TAB_LEVEL, 6),
        };
        if new_set {
            let base = self
                .top()
                .lists
                .last()
                .copied()
                .unwrap_or(self.top().min_indent);
            let remove = self.top().remove;
            self.write_html(line.start, html_indent, "<div class=\"tabs\">");
            self.push(Block {
                ends: Ends::TabSet { level },
                min_indent: base,
                remove,
                html_indent,
                close_html: "</div>",
                marker: line.text_range(),
                marker_text: marker_name(line.rest),
                has_content: true,
                lists: Vec::new(),
            });
        }
        let label = inline_title(tab.label);
        let selected = if tab.selected { " data-selected" } else { "" };
        let html = format!(
            "<div class=\"tab-panel\"{selected}>\n<h{level} class=\"tab-label\">{}</h{level}>",
            label.html
        );
        self.push_indented(line, &html, "</div>");
    }

    /// Writes `open_html` for the marker `line` and opens a block whose content is indented
    /// under it.
    fn push_indented(&mut self, line: &Line<'_>, open_html: &str, close_html: &'static str) {
        let html_indent = self.html_indent(line);
        self.write_html(line.start, html_indent, open_html);
        let remove = self.top().remove + INDENT;
        self.push(Block {
            ends: Ends::Dedent,
            min_indent: line.indent + INDENT,
            remove,
            html_indent,
            close_html,
            marker: line.text_range(),
            marker_text: marker_name(line.rest),
            has_content: false,
            lists: Vec::new(),
        });
    }

    fn push(&mut self, block: Block) {
        self.changed = true;
        self.top_mut().has_content = true;
        self.stack.push(block);
    }

    /// Where the HTML of a block whose marker is `line` goes in the rewritten body.
    fn html_indent(&self, line: &Line<'_>) -> usize {
        line.indent.saturating_sub(self.top().remove)
    }

    fn warn_unclosed_quote(&mut self, line: &Line<'_>, what: &str, example: &str) {
        self.warnings.add(
            "unclosed-quote",
            line.text_range(),
            format!("the {what} of `{}` has no closing quote", line.rest),
            &format!("end the {what} with `\"`, as in {example}"),
        );
    }

    /// Closes the innermost block, writing its closing HTML at `at`; an open fence inside it
    /// is closed first, as the end of a container closes it in CommonMark.
    fn close_top(&mut self, at: usize) -> Block {
        let depth = self.stack.len() - 1;
        let block = self
            .stack
            .pop()
            .unwrap_or_else(|| unreachable!("the page is never closed"));
        if let Some(fence) = self.fence.take_if(|f| f.depth >= depth) {
            self.end_line(at);
            let closing = format!(
                "{}{}\n",
                " ".repeat(fence.out_indent),
                fence.char.to_string().repeat(fence.len)
            );
            self.insert(&closing, at);
        }
        if block.ends == Ends::Dedent && !block.has_content {
            self.warnings.add(
                "empty",
                block.marker.clone(),
                format!(
                    "`{}` has nothing in it: its content must be indented by {INDENT} spaces under it",
                    block.marker_text
                ),
                "indent the lines that belong in it by 4 spaces",
            );
        }
        self.write_html(at, block.html_indent, block.close_html);
        block
    }

    /// Closes what is still open at the end of the page; a Docusaurus block still open was
    /// never closed (one warning for the outermost, however many are nested in it).
    fn end_of_page(&mut self) {
        let end = self.body.len();
        let mut unclosed: Option<(Range<usize>, String)> = None;
        while self.stack.len() > 1 {
            let block = self.close_top(end);
            if let Ends::Colons(_) = block.ends {
                unclosed = Some((block.marker, block.marker_text));
            }
        }
        if let Some((marker, text)) = unclosed {
            self.warnings.add(
                "unclosed",
                marker,
                format!("`{text}` is not closed: it runs to the end of the page"),
                "end it with a line of as many colons as it opens with",
            );
        }
    }

    /// Writes HTML lines (between blank lines, so that each is an HTML block of its own and
    /// the Markdown around it stays Markdown), each indented by `indent` spaces.
    fn write_html(&mut self, at: usize, indent: usize, html: &str) {
        self.end_line(at);
        if !self.ends_with_blank_line() {
            self.insert("\n", at);
        }
        let pad = " ".repeat(indent);
        let mut text = String::with_capacity(html.len() + 8 * (indent + 1));
        for line in html.lines() {
            text.push_str(&pad);
            text.push_str(line);
            text.push('\n');
        }
        text.push('\n');
        self.insert(&text, at);
    }

    /// Ends the last line written, if it has no line break (the last line of a page).
    fn end_line(&mut self, at: usize) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.insert("\n", at);
        }
    }

    fn ends_with_blank_line(&self) -> bool {
        match self.out.strip_suffix('\n') {
            None => self.out.is_empty(),
            Some(before) => before
                .rsplit('\n')
                .next()
                .is_none_or(|last| last.trim_matches([' ', '\t', '\r']).is_empty()),
        }
    }

    /// Copies `line` without the indentation the open blocks take off. What they take off is
    /// a multiple of 4 columns, where tabs stop too: no tab is ever split.
    fn copy_line(&mut self, line: &Line<'_>) {
        let remove = self.top().remove;
        if !line.is_blank() {
            self.top_mut().has_content = true;
        }
        let mut removed = 0;
        let mut skip = 0;
        for c in line.full.chars() {
            if removed >= remove {
                break;
            }
            match c {
                ' ' => removed += 1,
                '\t' => removed += INDENT - removed % INDENT,
                _ => break,
            }
            skip += 1;
        }
        self.copy(line.start + skip..line.start + line.full.len());
    }

    fn copy(&mut self, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let out = self.out.len();
        let continues = self
            .pieces
            .last()
            .is_some_and(|p| p.copied && p.src + (out - p.out) == range.start);
        if !continues {
            self.pieces.push(Piece {
                out,
                src: range.start,
                copied: true,
            });
        }
        self.out.push_str(&self.body[range]);
    }

    fn insert(&mut self, text: &str, at: usize) {
        if text.is_empty() {
            return;
        }
        let continues = self.pieces.last().is_some_and(|p| !p.copied && p.src == at);
        if !continues {
            self.pieces.push(Piece {
                out: self.out.len(),
                src: at,
                copied: false,
            });
        }
        self.out.push_str(text);
    }
}

/// `!!! type "Title"`, `??? type "Title"` or `???+ type "Title"`.
#[derive(Debug, PartialEq, Eq)]
struct Admonition<'a> {
    collapsible: bool,
    open: bool,
    /// The type (`note`); `None` when only a title is written.
    kind: Option<&'a str>,
    /// The title as written between quotes; `None` when there are no quotes.
    title: Option<Title<'a>>,
}

/// A title as written, and whether its closing quote or bracket is missing.
#[derive(Debug, PartialEq, Eq)]
struct Title<'a> {
    text: &'a str,
    unclosed: bool,
}

/// Reads an admonition's marker (after its indentation). As in Python-Markdown, the type may be
/// followed by more words (CSS classes there, ignored here), then a title in double quotes.
fn parse_admonition(rest: &str) -> Option<Admonition<'_>> {
    let (collapsible, open, after) = if let Some(after) = rest.strip_prefix("!!!") {
        (false, false, after)
    } else if let Some(after) = rest.strip_prefix("???+") {
        (true, true, after)
    } else {
        (true, false, rest.strip_prefix("???")?)
    };
    let (words, title) = match after.split_once('"') {
        Some((words, quoted)) => {
            let title = match quoted.rsplit_once('"') {
                Some((text, "")) => Title {
                    text,
                    unclosed: false,
                },
                Some((_, _trailing)) => return None,
                None => Title {
                    text: quoted,
                    unclosed: true,
                },
            };
            (words, Some(title))
        }
        None => (after, None),
    };
    // `!!!` glued to its type is allowed; glued to anything else (`!!!!`, `???…`), it is text.
    if !words.is_empty() && !words.starts_with([' ', '\t']) && !words.starts_with(is_word_char) {
        return None;
    }
    let mut names = words.split_whitespace();
    if !words
        .split_whitespace()
        .all(|w| w.chars().all(is_word_char))
    {
        return None;
    }
    let kind = names.next();
    // A bare `!!!` or `???` is punctuation, not a block.
    if kind.is_none() && title.is_none() {
        return None;
    }
    Some(Admonition {
        collapsible,
        open,
        kind,
        title,
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// `=== "Label"`, with `!` (a new set) and `+` (selected) after the equals signs.
#[derive(Debug, PartialEq, Eq)]
struct Tab<'a> {
    new_set: bool,
    selected: bool,
    label: &'a str,
    unclosed: bool,
}

/// Reads a tab's marker (after its indentation). The label must be quoted, as pymdownx wants:
/// an unquoted `=== Title` is text.
fn parse_tab(rest: &str) -> Option<Tab<'_>> {
    let after = rest.strip_prefix("===")?;
    let flags_len = after.len() - after.trim_start_matches(['!', '+']).len();
    let (flags, after) = after.split_at(flags_len);
    if flags.len() > 2 || !after.starts_with([' ', '\t']) {
        return None;
    }
    let quoted = after.trim_start().strip_prefix('"')?;
    let (label, unclosed) = match quoted.rsplit_once('"') {
        Some((label, "")) => (label, false),
        Some(_) => return None,
        None => (quoted, true),
    };
    Some(Tab {
        new_set: flags.contains('!'),
        selected: flags.contains('+'),
        label,
        unclosed,
    })
}

/// `:::type`, `:::type Title`, `:::type[Title]{attributes}` or `::: type Title`.
#[derive(Debug, PartialEq, Eq)]
struct Colon<'a> {
    colons: usize,
    kind: &'a str,
    title: Title<'a>,
}

/// Reads a Docusaurus or VitePress block's opening line (after its indentation).
fn parse_colon(rest: &str) -> Option<Colon<'_>> {
    let colons = rest.len() - rest.trim_start_matches(':').len();
    if colons < 3 {
        return None;
    }
    let after = rest[colons..].trim_start();
    let kind_len = after.len() - after.trim_start_matches(is_word_char).len();
    if kind_len == 0 {
        return None;
    }
    let (kind, after) = after.split_at(kind_len);
    let title = if let Some(bracketed) = after.strip_prefix('[') {
        match closing_bracket(bracketed) {
            Some(end) => Title {
                text: &bracketed[..end],
                unclosed: false,
            },
            None => Title {
                text: bracketed,
                unclosed: true,
            },
        }
    } else {
        // `{#id .class}` attributes are dropped; what follows is the older title syntax.
        let after = match after.strip_prefix('{') {
            Some(attributes) => attributes.split_once('}').map_or("", |(_, rest)| rest),
            None if after.is_empty() || after.starts_with([' ', '\t']) => after,
            None => return None,
        };
        Title {
            text: after.trim(),
            unclosed: false,
        }
    };
    Some(Colon {
        colons,
        kind,
        title,
    })
}

/// The offset of the `]` that closes a `[` just before `text`, skipping nested pairs and
/// backslash escapes.
fn closing_bracket(text: &str) -> Option<usize> {
    let mut depth = 0;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' if depth == 0 => return Some(i),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The number of colons of a line that is colons alone (at least three).
fn colon_closer(rest: &str) -> Option<usize> {
    (rest.len() >= 3 && rest.bytes().all(|b| b == b':')).then_some(rest.len())
}

/// The character and length of a fenced code block's opening line.
fn fence_opening(rest: &str) -> Option<(char, usize)> {
    let char = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.len() - rest.trim_start_matches(char).len();
    let info = &rest[len..];
    (len >= 3 && !(char == '`' && info.contains('`'))).then_some((char, len))
}

fn closes_fence(fence: &Fence, rest: &str) -> bool {
    let len = rest.len() - rest.trim_start_matches(fence.char).len();
    len >= fence.len && len == rest.len()
}

fn atx_heading_level(rest: &str) -> Option<u8> {
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    let after = &rest[hashes..];
    ((1..=6).contains(&hashes) && (after.is_empty() || after.starts_with([' ', '\t'])))
        .then_some(hashes as u8)
}

/// The columns from a list item's marker to its content, when `rest` starts a list item.
fn list_marker_width(rest: &str, indent: usize) -> Option<usize> {
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = match rest.as_bytes().get(digits) {
        Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
        Some(b'-' | b'+' | b'*') if digits == 0 => 1,
        _ => return None,
    };
    let after = &rest[marker..];
    if after.is_empty() {
        return Some(marker + 1);
    }
    let mut column = indent + marker;
    for c in after.chars() {
        match c {
            ' ' => column += 1,
            '\t' => column += INDENT - column % INDENT,
            _ => break,
        }
    }
    let spaces = column - indent - marker;
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// The marker as quoted in warnings: the line up to its title.
fn marker_name(rest: &str) -> String {
    let end = rest.find(['"', '[', '{']).unwrap_or(rest.len());
    rest[..end].trim_end().to_string()
}

/// The callout class (one of the GitHub alerts') for an admonition type of MkDocs (Material's
/// types and aliases), Docusaurus or VitePress; any other type is a note.
fn callout_class(kind: &str) -> &'static str {
    match kind.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" => "tip",
        "important" | "example" => "important",
        "warning" | "caution" | "attention" => "warning",
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "caution",
        _ => "note",
    }
}

/// The title of a block that has none of its own: its type, capitalised as Python-Markdown
/// does (`note` → "Note").
fn default_label(kind: &str) -> String {
    let mut chars = kind.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// A block's title: HTML for the page and plain text for `aria-label`.
#[derive(Debug, PartialEq, Eq)]
struct InlineTitle {
    html: String,
    text: String,
}

impl InlineTitle {
    fn plain(text: &str) -> InlineTitle {
        InlineTitle {
            html: escape_html(text),
            text: text.to_string(),
        }
    }
}

/// Renders a title's inline Markdown (emphasis, code, strikethrough); links keep their text
/// only (a title is a label, not a place to click) and raw HTML is shown as text.
fn inline_title(markdown: &str) -> InlineTitle {
    let mut html = String::new();
    let mut text = String::new();
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    for event in Parser::new_ext(markdown.trim(), options) {
        match event {
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                html.push_str(&escape_html(&t));
                text.push_str(&t);
            }
            Event::Code(code) => {
                html.push_str("<code>");
                html.push_str(&escape_html(&code));
                html.push_str("</code>");
                text.push_str(&code);
            }
            Event::SoftBreak | Event::HardBreak => {
                html.push(' ');
                text.push(' ');
            }
            Event::Start(Tag::Emphasis) => html.push_str("<em>"),
            Event::End(TagEnd::Emphasis) => html.push_str("</em>"),
            Event::Start(Tag::Strong) => html.push_str("<strong>"),
            Event::End(TagEnd::Strong) => html.push_str("</strong>"),
            Event::Start(Tag::Strikethrough) => html.push_str("<del>"),
            Event::End(TagEnd::Strikethrough) => html.push_str("</del>"),
            _ => {}
        }
    }
    InlineTitle { html, text }
}

/// The opening HTML of a callout, as GitHub alerts are written (see `super::alert`); an empty
/// title (`!!! note ""`) leaves the title line out.
fn callout_html(class: &str, label: &str, title: &InlineTitle) -> String {
    let aria = aria_label(label, &title.text);
    let mut html =
        format!("<div class=\"callout callout-{class}\" role=\"note\" aria-label=\"{aria}\">");
    if !title.text.trim().is_empty() {
        html.push_str(&format!("\n<p class=\"callout-title\">{}</p>", title.html));
    }
    html
}

/// The opening HTML of a collapsible callout; its summary always has a title (the type's when
/// the title is empty), and with `say_type`, says the type to screen readers when the title
/// does not.
fn details_html(
    class: &str,
    label: &str,
    title: &InlineTitle,
    open: bool,
    say_type: bool,
) -> String {
    let open = if open { " open" } else { "" };
    let summary = if title.text.trim().is_empty() {
        escape_html(label)
    } else if title.text == label || !say_type {
        title.html.clone()
    } else {
        format!(
            "<span class=\"visually-hidden\">{}: </span>{}",
            escape_html(label),
            title.html
        )
    };
    format!(
        "<details class=\"callout callout-{class}\"{open}>\n<summary class=\"callout-title\">{summary}</summary>"
    )
}

/// A callout's accessible name: its type, and its title when it has another one.
fn aria_label(label: &str, title: &str) -> String {
    let title = title.trim();
    if title.is_empty() || title == label {
        escape_html(label)
    } else {
        escape_html(&format!("{label}: {title}"))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;

    fn source(text: &str) -> Source<'_> {
        Source {
            display_path: Path::new("content/p.md"),
            rel_path: Path::new("p.md"),
            text,
            body: text,
            body_offset: 0,
            title: None,
            cleaned: None,
        }
    }

    /// The rewritten body (the original when nothing was rewritten) and the warnings' messages
    /// with their line and column.
    fn rewrite(text: &str) -> (String, Vec<(String, usize, usize)>) {
        let (prepared, diagnostics) = prepare(&source(text));
        let warnings = diagnostics
            .into_iter()
            .map(|d| {
                let at = d.location.expect("a location");
                (d.message, at.line, at.column)
            })
            .collect();
        (
            prepared.map_or_else(|| text.to_string(), |p| p.body),
            warnings,
        )
    }

    /// Offsets map back in order and inside the original, and every copied byte maps to
    /// the same byte of the original.
    fn assert_maps_back(text: &str) {
        let (Some(prepared), _) = prepare(&source(text)) else {
            return;
        };
        let mut previous = 0;
        for at in 0..=prepared.body.len() {
            let original = prepared.original(at);
            assert!(original <= text.len(), "{at} → {original} in {text:?}");
            assert!(
                original >= previous,
                "{at} → {original} < {previous} in {text:?}"
            );
            previous = original;
        }
        let ends = prepared.pieces.iter().skip(1).map(|p| p.out);
        let ends = ends.chain([prepared.body.len()]);
        for (piece, end) in prepared.pieces.iter().zip(ends) {
            for at in (piece.out..end).filter(|_| piece.copied) {
                assert_eq!(
                    prepared.body.as_bytes()[at],
                    text.as_bytes()[prepared.original(at)],
                    "byte {at} of {:?} from {text:?}",
                    prepared.body
                );
            }
        }
    }

    #[test]
    fn admonition_markers_are_read_as_python_markdown_reads_them() {
        let note = |title| Admonition {
            collapsible: false,
            open: false,
            kind: Some("note"),
            title,
        };
        assert_eq!(parse_admonition("!!! note"), Some(note(None)));
        assert_eq!(parse_admonition("!!!note"), Some(note(None)));
        assert_eq!(parse_admonition("!!! note inline end"), Some(note(None)));
        let titled = Title {
            text: "A \"quoted\" word",
            unclosed: false,
        };
        assert_eq!(
            parse_admonition("!!! note \"A \"quoted\" word\""),
            Some(note(Some(titled)))
        );
        let unclosed = Title {
            text: "Half",
            unclosed: true,
        };
        assert_eq!(
            parse_admonition("!!! note \"Half"),
            Some(note(Some(unclosed)))
        );
        let open = parse_admonition("???+ tip").unwrap();
        assert!(open.collapsible && open.open);
        assert_eq!(parse_admonition("??? \"Only a title\"").unwrap().kind, None);
        for text in [
            "!!!",
            "???",
            "!!!!",
            "!!! Wow!",
            "!!! note \"a\" b",
            "???? x",
        ] {
            assert_eq!(parse_admonition(text), None, "{text}");
        }
    }

    #[test]
    fn tab_and_colon_markers() {
        let tab = parse_tab("===!+ \"Linux\"").unwrap();
        assert!(tab.new_set && tab.selected && !tab.unclosed);
        assert_eq!(tab.label, "Linux");
        assert!(parse_tab("=== \"Half").unwrap().unclosed);
        for text in ["===", "=== Linux", "====", "===x \"A\"", "===!!+ \"A\""] {
            assert_eq!(parse_tab(text), None, "{text}");
        }
        let colon = |text| parse_colon(text).map(|c| (c.colons, c.kind, c.title.text));
        assert_eq!(colon(":::tip"), Some((3, "tip", "")));
        assert_eq!(colon("::: tip Old title "), Some((3, "tip", "Old title")));
        assert_eq!(
            colon("::::tip[A [nested] \\] title]{#id}"),
            Some((4, "tip", "A [nested] \\] title"))
        );
        assert_eq!(colon(":::tip{.wide} After"), Some((3, "tip", "After")));
        for text in [":::", "::tip", ":::{.x}", ":::tip!", "::: [x]"] {
            assert_eq!(colon(text), None, "{text}");
        }
        assert_eq!(colon_closer("::::"), Some(4));
        assert_eq!(colon_closer(":: "), None);
    }

    #[test]
    fn content_loses_its_indentation_and_html_stands_between_blank_lines() {
        let (body, warnings) = rewrite("!!! tip\n    Text\n\n        code\nAfter\n");
        assert_eq!(
            body,
            "<div class=\"callout callout-tip\" role=\"note\" aria-label=\"Tip\">\n\
             <p class=\"callout-title\">Tip</p>\n\nText\n\n    code\n\n</div>\n\nAfter\n"
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn tabs_windows_line_ends_and_a_missing_last_line_break() {
        let (body, _) = rewrite("!!! note\r\n\tTabbed\r\n  \t  x");
        assert!(body.contains("\nTabbed\r\n"), "{body:?}");
        // Two spaces and a tab are 4 columns, as the tab stops at 4.
        assert!(body.contains("\n  x\n\n</div>\n"), "{body:?}");
        assert_maps_back("!!! note\r\n\tTabbed\r\n  \t  x");
        let (body, _) = rewrite("=== \"A\"\n    last");
        assert!(body.ends_with("last\n\n</div>\n\n</div>\n\n"), "{body:?}");
    }

    #[test]
    fn a_fence_open_when_its_block_ends_is_closed_with_it() {
        let (body, _) = rewrite("!!! note\n    ~~~~\n    code\nAfter\n");
        assert!(
            body.contains("~~~~\ncode\n~~~~\n\n</div>\n\nAfter"),
            "{body:?}"
        );
    }

    #[test]
    fn deep_nesting_is_one_warning_and_no_recursion() {
        let text = ":::note\n".repeat(10_000);
        let (body, warnings) = rewrite(&text);
        assert_eq!(body.matches("</div>").count(), 10_000);
        assert_eq!(
            warnings,
            [(
                "`:::note` is not closed: it runs to the end of the page".to_string(),
                1,
                1
            )]
        );
        let mut text = String::new();
        for depth in 0..300 {
            text.push_str(&" ".repeat(depth * 4));
            text.push_str("!!! note\n");
        }
        let (body, warnings) = rewrite(&text);
        assert_eq!(body.matches("</div>").count(), 300);
        assert_eq!(
            warnings[0].0,
            "`!!! note` has nothing in it: its content must be indented by 4 spaces under it"
        );
        assert_eq!((warnings[0].1, warnings[0].2), (300, 1197));
    }

    #[test]
    fn a_docusaurus_block_left_open_ends_with_the_block_around_it() {
        let (body, warnings) = rewrite("!!! note\n    :::tip\n    Text\nAfter\n");
        assert!(
            body.contains("Text\n\n</div>\n\n</div>\n\nAfter\n"),
            "{body:?}"
        );
        assert_eq!(
            warnings,
            [(
                "`:::tip` is not closed: it ends where the block around it ends".to_string(),
                2,
                5
            )]
        );
    }

    #[test]
    fn pages_without_markers_are_not_copied() {
        let (prepared, warnings) = prepare(&source("Title\n===\n\nA !!! in text, ::: too.\n"));
        assert!(prepared.is_none());
        assert!(warnings.is_empty());
    }

    const PIECES: &[&str] = &[
        "!!! note \"T\"\n",
        "!!! tip\n",
        "??? x\n",
        "???+ ",
        "=== \"A\"\n",
        "===! \"B\"\n",
        ":::tip[",
        "]",
        ":::\n",
        "::::",
        "```\n",
        "~~~~\n",
        "- ",
        "1. ",
        "    ",
        "\t",
        "\n",
        "\r\n",
        "# ",
        "\"",
        "é",
        "text ",
    ];

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 2000,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn every_offset_maps_back_to_the_original(
            parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
        ) {
            assert_maps_back(&parts.concat());
        }
    }
}
