//! Markdown to HTML: CommonMark with GitHub's extensions, heading ids and anchors, a table of
//! contents, GitHub alerts as callouts, highlighted code, links to other pages rewritten to
//! their URLs, and `[[term]]` links to the glossary with the term's definition as a tooltip.
//! Admonitions and tabs of MkDocs and Docusaurus are rewritten first (`blocks.rs`).
//!
//! Rendering walks pulldown-cmark's events once, rewriting the few it cares about and handing the
//! rest to pulldown-cmark's own HTML writer, so raw HTML and odd input pass through untouched.

mod blocks;
mod headings;
pub mod highlight;

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};
use serde::Serialize;

use crate::diag::{Diagnostic, Location};
pub use headings::{IdAllocator, github_slug};

/// Where a link points, as decided by the site's link map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Leave the link as written (external URLs, `mailto:`, paths Folio does not manage).
    Unchanged,
    /// Rewrite the link to `href`; when `anchor` is set, it must exist in page `page`.
    Internal {
        /// The URL to write.
        href: String,
        /// Index of the target page, for the anchor check.
        page: Option<usize>,
        /// The `#fragment`, without `#`.
        anchor: Option<String>,
    },
    /// The link cannot work.
    Broken {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: Option<String>,
    },
}

/// Resolves link destinations written in a page to URLs.
pub trait LinkResolver: Sync {
    /// Resolves `dest`, written in the page whose source is `from` (relative to content/).
    fn resolve(&self, from: &Path, dest: &str) -> Link;
}

/// Where a `[[term]]` points, as decided by the glossary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermLink {
    /// The term's entry on the glossary page.
    Found {
        /// The URL of the entry (`/glossary/#sbom`).
        href: String,
        /// The definition as plain text, for the tooltip.
        tip: String,
    },
    /// The term cannot be linked.
    Broken {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: Option<String>,
    },
}

/// Resolves the terms written as `[[term]]` or `[[term|text]]`.
pub trait TermResolver: Sync {
    /// Resolves `term` (as written, before any `|`).
    fn resolve_term(&self, term: &str) -> TermLink;
}

/// One page's Markdown, with what is needed to report positions in its file.
pub struct Source<'a> {
    /// Path shown in diagnostics (`content/policies/usage.md`).
    pub display_path: &'a Path,
    /// Path relative to content/, for resolving relative links.
    pub rel_path: &'a Path,
    /// The whole file.
    pub text: &'a str,
    /// The Markdown body (after front matter).
    pub body: &'a str,
    /// Byte offset of the body in `text`.
    pub body_offset: usize,
    /// The front-matter title, if any: a leading H1 with the same text is not repeated.
    pub title: Option<&'a str>,
    /// When `body` is a cleaned copy of the file's body (see [`crate::compat`]), what maps its
    /// offsets back to the file's.
    pub cleaned: Option<&'a crate::compat::Cleaned>,
}

impl Source<'_> {
    /// The byte offset in the whole file of byte `at` of `body`.
    fn file_offset(&self, at: usize) -> usize {
        self.body_offset + self.cleaned.map_or(at, |c| c.original(at))
    }
}

/// An entry of a page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// Heading level, 2 to 4.
    pub level: u8,
    /// Heading id.
    pub id: String,
    /// Heading text.
    pub title: String,
    /// Headings nested under this one.
    pub children: Vec<TocEntry>,
}

/// A `#fragment` that must exist in some page, checked once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorRef {
    /// The page that must have the anchor; `None` for the page itself.
    pub page: Option<usize>,
    /// The anchor, without `#`.
    pub anchor: String,
    /// Where the link is written.
    pub location: Location,
    /// For `./#x`, the href written into the page (the folder's page, as GitHub reads the
    /// source file): published Jekyll sites, with pretty URLs, read it as this page's `#x`,
    /// which it becomes when this page has the anchor and the folder's page does not.
    pub self_href: Option<String>,
}

/// The result of rendering one page.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body as HTML.
    pub html: String,
    /// Headings of levels 2 to 4, nested.
    pub toc: Vec<TocEntry>,
    /// Text of the leading level-1 heading, which was left out of `html`, or of the first H1.
    pub h1: Option<String>,
    /// Every id a link may point at: headings, footnotes, ids in raw HTML.
    pub anchors: HashSet<String>,
    /// Anchors this page links to, to check later.
    pub anchor_refs: Vec<AnchorRef>,
    /// The pages this page's links lead to (indexes, in link order, repeats kept), so that
    /// `folio check` can find pages nothing links to.
    pub linked_pages: Vec<usize>,
    /// Words of visible text.
    pub word_count: usize,
    /// Broken links and odd input.
    pub diagnostics: Vec<Diagnostic>,
    /// The visible text, cut at headings of levels 1 to 4, for the search index. Shared with
    /// the index's copy of the page ([`crate::search::SearchPage`]): it is the largest part of
    /// a page, and a 10,000-page site would otherwise hold it twice while indexing.
    pub sections: Arc<Vec<TextSection>>,
}

/// A run of a page's visible text under one heading: what search indexes as a section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextSection {
    /// The heading's id; `None` for the text before the first heading.
    pub anchor: Option<String>,
    /// The heading's text (empty for the text before the first heading).
    pub heading: String,
    /// Plain text: no markup, blocks separated by newlines.
    pub text: String,
}

/// Headings deeper than this stay inside their parent's search section.
const DEEPEST_SECTION_LEVEL: u8 = 4;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
        | Options::ENABLE_WIKILINKS
}

/// Renders one page; `[[term]]` links go through `terms`.
pub fn render(source: &Source<'_>, links: &dyn LinkResolver, terms: &dyn TermResolver) -> Rendered {
    let (blocks, block_warnings) = blocks::prepare(source);
    let body = blocks.as_ref().map_or(source.body, |b| b.body.as_str());
    let mut renderer = Renderer {
        source,
        links,
        terms,
        term_end: None,
        term_count: 0,
        events: Vec::new(),
        heading: None,
        code: None,
        ids: IdAllocator::default(),
        flat_toc: Vec::new(),
        out: Rendered {
            diagnostics: block_warnings,
            ..Rendered::default()
        },
        skip_leading_h1: false,
        seen_block: false,
        blocks: blocks.as_ref(),
    };
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        renderer.handle(event, range);
    }
    renderer.finish()
}

struct HeadingBuffer<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    events: Vec<Event<'a>>,
    text: String,
}

struct CodeBuffer {
    lang: Option<String>,
    text: String,
}

struct Renderer<'s, 'a> {
    source: &'s Source<'a>,
    links: &'s dyn LinkResolver,
    terms: &'s dyn TermResolver,
    /// The HTML that closes the `[[term]]` being read (its tooltip), until its end event.
    term_end: Option<String>,
    /// `[[term]]` links so far, numbering their tooltips.
    term_count: usize,
    events: Vec<Event<'a>>,
    heading: Option<HeadingBuffer<'a>>,
    code: Option<CodeBuffer>,
    ids: IdAllocator,
    flat_toc: Vec<(u8, String, String)>,
    out: Rendered,
    skip_leading_h1: bool,
    seen_block: bool,
    /// Admonitions and tabs rewritten for pulldown-cmark: offsets of events are in their body.
    blocks: Option<&'s blocks::Prepared>,
}

impl<'a> Renderer<'_, 'a> {
    /// The byte offset in the whole file of byte `at` of the body pulldown-cmark reads.
    fn file_offset(&self, at: usize) -> usize {
        self.source
            .file_offset(self.blocks.map_or(at, |b| b.original(at)))
    }

    fn handle(&mut self, event: Event<'a>, range: Range<usize>) {
        let first_block = !self.seen_block;
        if matches!(event, Event::Start(_)) {
            self.seen_block = true;
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                self.skip_leading_h1 = first_block && level == HeadingLevel::H1;
                self.heading = Some(HeadingBuffer {
                    level,
                    id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split([' ', ',', '{'])
                        .next()
                        .filter(|l| !l.is_empty())
                        .map(str::to_string),
                    CodeBlockKind::Indented => None,
                };
                self.code = Some(CodeBuffer {
                    lang,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(code) = self.code.take() {
                    self.count_words(&code.text);
                    self.push_text(&code.text);
                    self.end_block();
                    let html = highlight::code_block(code.lang.as_deref(), &code.text);
                    self.emit(Event::Html(html.into()));
                }
            }
            Event::Text(text) if self.code.is_some() => {
                if let Some(code) = &mut self.code {
                    code.text.push_str(&text);
                }
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(kind);
                self.emit(Event::Html(
                    format!(
                        "<div class=\"callout callout-{class}\" role=\"note\" aria-label=\"{label}\">\n<p class=\"callout-title\">{label}</p>\n"
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => self.emit(Event::Html("</div>\n".into())),
            Event::Start(Tag::Table(alignments)) => {
                self.emit(Event::Html("<div class=\"table-wrap\">\n".into()));
                self.emit(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                self.emit(Event::End(TagEnd::Table));
                self.emit(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => self.start_term(&dest_url, &range),
            Event::End(TagEnd::Link) if self.term_end.is_some() => {
                let end = self.term_end.take().unwrap_or_default();
                self.emit(Event::Html(end.into()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite(link_type, dest_url, &range, "link");
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite(link_type, dest_url, &range, "image");
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.out.anchors.insert(label.to_string());
                self.emit(Event::Start(Tag::FootnoteDefinition(label)));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                collect_html_ids(&html, &mut self.out.anchors);
                self.emit(Event::Html(html));
            }
            Event::Text(text) => {
                self.count_words(&text);
                self.push_text(&text);
                self.emit(Event::Text(text));
            }
            Event::Code(code) => {
                self.count_words(&code);
                self.push_text(&code);
                self.emit(Event::Code(code));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.push_text(" ");
                self.emit(event);
            }
            Event::End(
                end @ (TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::TableHead),
            ) => {
                self.end_block();
                self.emit(Event::End(end));
            }
            other => self.emit(other),
        }
    }

    fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(h) => h.events.push(event),
            None => self.events.push(event),
        }
    }

    /// Adds visible text to the heading being read, or else to the current search section.
    fn push_text(&mut self, text: &str) {
        match &mut self.heading {
            Some(h) => h.text.push_str(text),
            None => self.section().text.push_str(text),
        }
    }

    /// Separates blocks in the search text so words of adjacent blocks do not run together.
    fn end_block(&mut self) {
        let section = self.section();
        if !section.text.is_empty() && !section.text.ends_with('\n') {
            section.text.push('\n');
        }
    }

    fn section(&mut self) -> &mut TextSection {
        // Only the renderer holds `sections` until the page is rendered: this never copies.
        let sections = Arc::make_mut(&mut self.out.sections);
        if sections.is_empty() {
            sections.push(TextSection::default());
        }
        let last = sections.len() - 1;
        &mut sections[last]
    }

    fn count_words(&mut self, text: &str) {
        self.out.word_count += text.split_whitespace().count();
    }

    fn end_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let text = heading.text.trim().to_string();
        if heading.level == HeadingLevel::H1 && self.out.h1.is_none() {
            self.out.h1 = Some(text.clone());
            let same_as_title = self.source.title.is_none_or(|t| t.trim() == text);
            if self.skip_leading_h1 && same_as_title {
                return;
            }
        }
        let id = match &heading.id {
            Some(id) => self.ids.reserve(id),
            None => self.ids.allocate(&text),
        };
        self.out.anchors.insert(id.clone());
        let level = heading.level as u8;
        if level <= DEEPEST_SECTION_LEVEL {
            Arc::make_mut(&mut self.out.sections).push(TextSection {
                anchor: Some(id.clone()),
                heading: text.clone(),
                text: String::new(),
            });
        } else {
            self.push_text(&text);
            self.end_block();
        }
        if (2..=4).contains(&level) {
            self.flat_toc.push((level, id.clone(), text));
        }
        let class = if heading.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape_html(&heading.classes.join(" ")))
        };
        let id = escape_html(&id);
        self.events
            .push(Event::Html(format!("<h{level} id=\"{id}\"{class}>").into()));
        self.events.extend(heading.events);
        self.events.push(Event::Html(
            format!(
                " <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></h{level}>\n"
            )
            .into(),
        ));
    }

    /// Opens a `[[term]]` link: the term's text follows as usual (so search indexes it), and
    /// [`Self::term_end`] closes the link and adds the definition as a tooltip the link is
    /// described by, which CSS shows on hover and keyboard focus.
    fn start_term(&mut self, term: &str, range: &Range<usize>) {
        match self.terms.resolve_term(term) {
            TermLink::Found { href, tip } => {
                self.term_count += 1;
                let id = self
                    .ids
                    .allocate(&format!("folio-term-{}", self.term_count));
                self.emit(Event::Html(
                    format!(
                        "<span class=\"term\"><a class=\"term-link\" href=\"{}\" aria-describedby=\"{id}\">",
                        escape_html(&href)
                    )
                    .into(),
                ));
                self.term_end = Some(format!(
                    "</a><span class=\"term-tip\" role=\"tooltip\" id=\"{id}\">{}</span></span>",
                    escape_html(&tip)
                ));
            }
            TermLink::Broken { message, help } => {
                let offset = self.file_offset(range.start);
                let location = Location::from_offset(
                    self.source.display_path,
                    self.source.text,
                    offset,
                    range.len().min(200),
                );
                let mut diagnostic = Diagnostic::error(message).at(location);
                if let Some(help) = help {
                    diagnostic = diagnostic.with_help(help);
                }
                self.out.diagnostics.push(diagnostic);
                self.emit(Event::Html("<span class=\"term\">".into()));
                self.term_end = Some("</span>".to_string());
            }
        }
    }

    /// Resolves a link or image destination, recording problems and anchors to check.
    fn rewrite(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'a>,
        range: &Range<usize>,
        what: &str,
    ) -> CowStr<'a> {
        if matches!(link_type, LinkType::Autolink | LinkType::Email) {
            return dest;
        }
        let offset = self.file_offset(range.start);
        let location = || {
            let len = range.len().min(200);
            Location::from_offset(self.source.display_path, self.source.text, offset, len)
        };
        if dest.trim().is_empty() {
            self.out.diagnostics.push(
                Diagnostic::warning(format!("empty {what} destination"))
                    .at(location())
                    .with_help(
                        "write the target between the parentheses, e.g. [text](other-page.md)",
                    ),
            );
            return dest;
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            self.out.anchor_refs.push(AnchorRef {
                page: None,
                anchor: percent_decode(anchor),
                location: location(),
                self_href: None,
            });
            return dest;
        }
        match self.links.resolve(self.source.rel_path, &dest) {
            Link::Unchanged => dest,
            Link::Internal { href, page, anchor } => {
                self.out.linked_pages.extend(page);
                if let Some(anchor) = anchor {
                    let to_folder = dest.trim().starts_with("./#");
                    self.out.anchor_refs.push(AnchorRef {
                        page,
                        anchor,
                        location: location(),
                        self_href: to_folder.then(|| href.clone()),
                    });
                }
                href.into()
            }
            Link::Broken { message, help } => {
                let mut diagnostic = Diagnostic::error(message)
                    .at(location())
                    .with_code("broken-link");
                if let Some(help) = help {
                    diagnostic = diagnostic.with_help(help);
                }
                self.out.diagnostics.push(diagnostic);
                dest
            }
        }
    }

    fn finish(mut self) -> Rendered {
        // An unclosed heading or code block cannot happen with pulldown-cmark, but flush anyway.
        if self.heading.is_some() {
            self.end_heading();
        }
        let mut html = String::with_capacity(self.source.body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        // Every page's HTML and text are held until the site is written: the capacity guessed
        // above and the text's growth would otherwise add a third to what a large site holds.
        html.shrink_to_fit();
        self.out.html = html;
        for section in Arc::make_mut(&mut self.out.sections) {
            section.text.shrink_to_fit();
        }
        self.out.toc = nest_toc(&self.flat_toc);
        self.out
    }
}

/// A short piece of Markdown (a glossary definition, a licence note) rendered for a data file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inline {
    /// HTML without a wrapping paragraph; raw HTML in the source is escaped.
    pub html: String,
    /// The visible text, for tooltips and search.
    pub text: String,
    /// Links that cannot work: what is wrong and how to fix it.
    pub broken_links: Vec<(String, Option<String>)>,
    /// Links and images whose URL would run script (`javascript:` and the like, see
    /// [`crate::links::is_unsafe_url`]), as written: shown as their text, without the URL.
    pub unsafe_links: Vec<String>,
}

/// Renders `markdown` as inline HTML: paragraphs are joined with a line break, raw HTML is
/// shown as text (data files are not pages, and their text lands inside attributes' neighbours
/// such as table cells and tooltips), links are resolved as if written in a page at `from`
/// (relative to content/), and a link or image whose URL would run script keeps only its text,
/// for the same reason raw HTML is escaped.
pub fn render_inline(markdown: &str, from: &Path, links: &dyn LinkResolver) -> Inline {
    let mut out = Inline::default();
    let mut events = Vec::new();
    let mut paragraphs = 0;
    // For each link or image open, whether it was left out for its URL.
    let mut left_out: Vec<bool> = Vec::new();
    let parser = Parser::new_ext(markdown, options() - Options::ENABLE_WIKILINKS);
    for event in parser {
        match event {
            Event::Start(Tag::Paragraph) => {
                if paragraphs > 0 {
                    events.push(Event::Html("<br>".into()));
                    out.text.push(' ');
                }
                paragraphs += 1;
            }
            Event::End(TagEnd::Paragraph) => {}
            Event::Html(html) | Event::InlineHtml(html) => {
                out.text.push_str(&html);
                events.push(Event::Text(html));
            }
            Event::Text(text) => {
                out.text.push_str(&text);
                events.push(Event::Text(text));
            }
            Event::Code(code) => {
                out.text.push_str(&code);
                events.push(Event::Code(code));
            }
            Event::SoftBreak | Event::HardBreak => {
                out.text.push(' ');
                events.push(event);
            }
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. })
                if crate::links::is_unsafe_url(
                    dest_url,
                    matches!(event, Event::Start(Tag::Image { .. })),
                ) =>
            {
                out.unsafe_links.push(dest_url.escape_debug().to_string());
                left_out.push(true);
            }
            Event::Start(Tag::Image { .. }) => {
                left_out.push(false);
                events.push(event);
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if !left_out.pop().unwrap_or(false) {
                    events.push(event);
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                left_out.push(false);
                let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                let resolved = if autolink {
                    Link::Unchanged
                } else {
                    links.resolve(from, &dest_url)
                };
                let dest_url = match resolved {
                    Link::Unchanged => dest_url,
                    Link::Internal { href, .. } => href.into(),
                    Link::Broken { message, help } => {
                        out.broken_links.push((message, help));
                        dest_url
                    }
                };
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            other => events.push(other),
        }
    }
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out.html = out.html.trim_end().to_string();
    out.text = out.text.trim().to_string();
    out
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Builds the nested table of contents from headings in document order.
fn nest_toc(flat: &[(u8, String, String)]) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for (level, id, title) in flat {
        let entry = TocEntry {
            level: *level,
            id: id.clone(),
            title: title.clone(),
            children: Vec::new(),
        };
        insert_toc(&mut roots, entry);
    }
    roots
}

fn insert_toc(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert_toc(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

/// Adds the values of `id="…"` and `name="…"` attributes in raw HTML to `anchors`.
fn collect_html_ids(html: &str, anchors: &mut HashSet<String>) {
    for attribute in ["id=", "name="] {
        let mut rest = html;
        while let Some(i) = rest.find(attribute) {
            let preceded_by_space = rest[..i].ends_with(|c: char| c.is_ascii_whitespace());
            rest = &rest[i + attribute.len()..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote)
                && preceded_by_space
            {
                anchors.insert(rest[1..1 + end].to_string());
            }
        }
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Decodes `%XX` escapes (as in `#caf%C3%A9`); invalid escapes are kept as written.
pub fn percent_decode(text: &str) -> String {
    let (bytes, _) = percent_decode_bytes(text);
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// Decodes `%XX` escapes into bytes, keeping a `%` not followed by two hex digits as written;
/// the flag is false when there was such a `%`. Links are decoded leniently; the dev server
/// refuses request paths with a bad escape.
pub fn percent_decode_bytes(text: &str) -> (Vec<u8>, bool) {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut valid = true;
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' {
            if i + 3 <= bytes.len()
                && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
            {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            valid = false;
        }
        out.push(bytes[i]);
        i += 1;
    }
    (out, valid)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLinks;
    impl LinkResolver for NoLinks {
        fn resolve(&self, _from: &Path, dest: &str) -> Link {
            if dest.starts_with("missing") {
                Link::Broken {
                    message: format!("link to a missing page `{dest}`"),
                    help: None,
                }
            } else if let Some(rest) = dest.strip_prefix("other.md") {
                Link::Internal {
                    href: "/other/".to_string() + rest,
                    page: Some(7),
                    anchor: rest.strip_prefix('#').map(str::to_string),
                }
            } else {
                Link::Unchanged
            }
        }
    }

    /// A glossary of one term, `SBOM`.
    struct OneTerm;
    impl TermResolver for OneTerm {
        fn resolve_term(&self, term: &str) -> TermLink {
            if term.eq_ignore_ascii_case("sbom") {
                TermLink::Found {
                    href: "/glossary/#sbom".into(),
                    tip: "A list of <components>.".into(),
                }
            } else {
                TermLink::Broken {
                    message: format!("unknown glossary term `{term}`"),
                    help: None,
                }
            }
        }
    }

    fn render_md(text: &str, title: Option<&str>) -> Rendered {
        let source = Source {
            display_path: Path::new("content/p.md"),
            rel_path: Path::new("p.md"),
            text,
            body: text,
            body_offset: 0,
            cleaned: None,
            title,
        };
        render(&source, &NoLinks, &OneTerm)
    }

    #[test]
    fn terms_link_to_the_glossary_with_their_definition_as_tooltip() {
        let r = render_md(
            "An [[SBOM]], [[sbom|the list]] and `[[SBOM]]` or \\[[SBOM]].\n",
            None,
        );
        assert!(
            r.html.contains(
                "<span class=\"term\"><a class=\"term-link\" href=\"/glossary/#sbom\" aria-describedby=\"folio-term-1\">SBOM</a><span class=\"term-tip\" role=\"tooltip\" id=\"folio-term-1\">A list of &lt;components&gt;.</span></span>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("aria-describedby=\"folio-term-2\">the list</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<code>[[SBOM]]</code>"), "{}", r.html);
        assert_eq!(r.html.matches("term-link").count(), 2, "{}", r.html);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        // Search indexes the visible text, not the tooltip.
        assert_eq!(
            r.sections[0].text.trim(),
            "An SBOM, the list and [[SBOM]] or [[SBOM]]."
        );
    }

    #[test]
    fn unknown_terms_are_errors_at_their_brackets() {
        let r = render_md("Intro\n\nSee [[SBON]] here.\n", None);
        let error = &r.diagnostics[0];
        assert_eq!(error.message, "unknown glossary term `SBON`");
        let loc = error.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column, loc.width), (3, 5, 8));
    }

    #[test]
    fn inline_markdown_escapes_raw_html_and_resolves_links() {
        let r = render_inline(
            "A *list* of <b>parts</b>, see [x](other.md) and [y](missing.md).\n\nMore.",
            Path::new("glossary.md"),
            &NoLinks,
        );
        assert_eq!(
            r.html,
            "A <em>list</em> of &lt;b&gt;parts&lt;/b&gt;, see <a href=\"/other/\">x</a> and <a href=\"missing.md\">y</a>.<br>More."
        );
        assert_eq!(r.text, "A list of <b>parts</b>, see x and y. More.");
        assert_eq!(r.broken_links[0].0, "link to a missing page `missing.md`");
    }

    #[test]
    fn inline_markdown_keeps_only_the_text_of_links_that_would_run_script() {
        let r = render_inline(
            "[a](javascript:alert(1)) [b]( JaVaScRiPt:x) [c](java&#x09;script:x) \
             <vbscript:msgbox(1)> ![d](data:text/html,x) [e][r] ![f](data:image/png;base64,AA) \
             [g](https://example.org/) [**h**](data:text/html,<b>)\n\n[r]: &#106;avascript:x",
            Path::new("glossary.md"),
            &NoLinks,
        );
        assert_eq!(
            r.html,
            "a b c vbscript:msgbox(1) d e <img src=\"data:image/png;base64,AA\" alt=\"f\" /> \
             <a href=\"https://example.org/\">g</a> <strong>h</strong>"
        );
        assert_eq!(
            r.unsafe_links,
            [
                "javascript:alert(1)",
                "JaVaScRiPt:x",
                "java\\tscript:x",
                "vbscript:msgbox(1)",
                "data:text/html,x",
                "javascript:x",
                "data:text/html,<b>",
            ]
        );
    }

    #[test]
    fn headings_get_unique_ids_and_anchor_links() {
        let r = render_md("## Usage\n\n## Usage\n\n### Who approves?\n", Some("T"));
        assert!(
            r.html
                .contains("<h2 id=\"usage\">Usage <a class=\"anchor\" href=\"#usage\"")
        );
        assert!(r.html.contains("<h2 id=\"usage-1\">"));
        assert!(r.html.contains("<h3 id=\"who-approves\">"));
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].id, "who-approves");
    }

    #[test]
    fn custom_heading_ids_win() {
        let r = render_md("## Intro {#start .lead}\n", None);
        assert!(
            r.html.contains("<h2 id=\"start\" class=\"lead\">Intro"),
            "{}",
            r.html
        );
    }

    #[test]
    fn leading_h1_becomes_the_title_and_is_not_repeated() {
        let r = render_md("# My page\n\nText\n", None);
        assert_eq!(r.h1.as_deref(), Some("My page"));
        assert!(!r.html.contains("<h1"), "{}", r.html);
        let kept = render_md("# Other heading\n\nText\n", Some("Front title"));
        assert!(
            kept.html.contains("<h1 id=\"other-heading\">"),
            "{}",
            kept.html
        );
    }

    #[test]
    fn alerts_become_callouts() {
        let r = render_md("> [!WARNING]\n> Mind the gap.\n", None);
        assert!(
            r.html.contains(
                "<div class=\"callout callout-warning\" role=\"note\" aria-label=\"Warning\">"
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("Mind the gap."));
        assert!(!r.html.contains("blockquote"));
    }

    #[test]
    fn links_are_rewritten_and_broken_ones_reported() {
        let r = render_md("See [x](other.md#part) and\n[y](missing.md).\n", None);
        assert!(r.html.contains("href=\"/other/#part\""), "{}", r.html);
        assert_eq!(r.anchor_refs[0].anchor, "part");
        assert_eq!(r.anchor_refs[0].page, Some(7));
        assert_eq!(r.linked_pages, [7]);
        let error = &r.diagnostics[0];
        assert_eq!(error.message, "link to a missing page `missing.md`");
        assert_eq!(error.code, Some("broken-link"));
        let loc = error.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (2, 1));
    }

    #[test]
    fn empty_links_warn_and_raw_html_passes_through() {
        let r = render_md("[text]() then <span id=\"raw\">x</span> and </p>\n", None);
        assert!(r.diagnostics[0].message.contains("empty link"));
        assert!(!r.diagnostics[0].is_error());
        assert!(r.html.contains("<span id=\"raw\">x</span>"));
        assert!(r.anchors.contains("raw"));
    }

    #[test]
    fn tables_are_wrapped_and_tasks_rendered() {
        let r = render_md("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n", None);
        assert!(
            r.html.contains("<div class=\"table-wrap\">\n<table>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("type=\"checkbox\""));
    }

    #[test]
    fn text_is_cut_into_sections_at_headings_for_search() {
        let out = render_md(
            "Intro with `code`.\n\n## First part\n\nOne\ntwo.\n\n##### Deep\n\n- a\n- b\n\n## Second\n\n| x | y |\n|---|---|\n| 1 | 2 |\n",
            None,
        );
        let sections: Vec<(Option<&str>, &str, &str)> = out
            .sections
            .iter()
            .map(|s| (s.anchor.as_deref(), s.heading.as_str(), s.text.trim_end()))
            .collect();
        assert_eq!(
            sections,
            [
                (None, "", "Intro with code."),
                (Some("first-part"), "First part", "One two.\nDeep\na\nb"),
                (Some("second"), "Second", "x\ny\n1\n2"),
            ]
        );
    }

    #[test]
    fn percent_decoding_handles_utf8_and_bad_escapes() {
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("end%20"), "end ");
        assert_eq!(percent_decode("%2"), "%2");
    }
}
