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

use super::Source;
use crate::base::diag::{Code, Diagnostic, Location};
use html::{InlineTitle, callout_class, callout_html, default_label, details_html, inline_title};
use markers::{
    Admonition, Colon, Tab, atx_heading_level, closes_fence, colon_closer, fence_opening,
    list_marker_width, marker_name, parse_admonition, parse_colon, parse_tab,
};

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
    // Most pages have no such block: the common case costs one scan of the bytes (searching
    // for each marker in turn took four, each slow for so short a needle).
    let marked = body
        .as_bytes()
        .windows(3)
        .any(|w| matches!(w, b"!!!" | b"???" | b"===" | b":::"));
    if !marked {
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
                    .with_code(Code::Compat)
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

mod html;
mod markers;
#[cfg(test)]
mod tests;
