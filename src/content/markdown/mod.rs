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
mod inline;
mod wikilinks;

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};
use serde::Serialize;

use crate::base::diag::{Code, Diagnostic, Location};
use crate::base::packed::PackedCell;
use crate::base::url::{escape_html, percent_decode};
pub use headings::{IdAllocator, IdStyle, OtherIds, github_slug};
use headings::{OtherIdAllocator, collect_html_ids, nest_toc};
pub use inline::{Inline, render_inline};

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

    /// The content folder as messages name it (`content`, `docs`; see
    /// [`crate::input::config::Config::content_shown`]).
    fn content_shown(&self) -> &Path;
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
    /// The site has no glossary: `[[term]]` is shown as written.
    Unlinked,
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
    /// When `body` is a cleaned copy of the file's body (see [`crate::input::compat`]), what maps its
    /// offsets back to the file's.
    pub cleaned: Option<&'a crate::input::compat::Cleaned>,
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
    /// The href written into the page (`/policies/usage/#Scope`, `#Scope`), so that a
    /// fragment that names a heading in other capitals can be pointed at its id.
    pub href: String,
    /// For `./#x`, the href written into the page (the folder's page, as GitHub reads the
    /// source file): published Jekyll sites, with pretty URLs, read it as this page's `#x`,
    /// which it becomes when this page has the anchor and the folder's page does not.
    pub self_href: Option<String>,
}

/// The result of rendering one page.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body as HTML; empty once [`Rendered::pack_html`] packed it (read it with
    /// [`Rendered::body_html`]).
    pub html: String,
    /// The body as HTML, compressed: what a one-off build holds until the page is written.
    /// None unless packed.
    packed_html: Option<PackedCell>,
    /// Headings of levels 2 to 4, nested.
    pub toc: Vec<TocEntry>,
    /// Text of the leading level-1 heading, which was left out of `html`, or of the first H1.
    pub h1: Option<String>,
    /// Text of the first heading of any level, for a page with no title and no H1.
    pub first_heading: Option<String>,
    /// Every id a link may point at: headings, footnotes, ids in raw HTML.
    pub anchors: HashSet<String>,
    /// The ids other generators would give the headings, where they differ from Folio's, so
    /// that a link written for such a site finds its heading.
    pub other_ids: OtherIds,
    /// Anchors this page links to, to check later.
    pub anchor_refs: Vec<AnchorRef>,
    /// The pages this page's links lead to (indexes, in link order, repeats kept), so that
    /// `folio check` can find pages nothing links to.
    pub linked_pages: Vec<usize>,
    /// Words of visible text.
    pub word_count: usize,
    /// Broken links and odd input.
    pub diagnostics: Vec<Diagnostic>,
    /// Where `[[term]]` is written in a site without a glossary (shown as written), for one
    /// note per build.
    pub unlinked_terms: Vec<Location>,
    /// The visible text, cut at headings of levels 1 to 4, for the search index. Shared with
    /// the index's copy of the page ([`crate::search::SearchPage`]): it is the largest part of
    /// a page, and a 10,000-page site would otherwise hold it twice while indexing.
    pub sections: Arc<Vec<TextSection>>,
}

impl Rendered {
    /// The body as HTML, unpacked when it is held packed (empty once freed).
    pub fn body_html(&self) -> Cow<'_, str> {
        match &self.packed_html {
            Some(packed) => Cow::Owned(packed.unpack().unwrap_or_default()),
            None => Cow::Borrowed(&self.html),
        }
    }

    /// Holds the body's HTML compressed until it is written: a one-off build of a large site
    /// holds every page's at once, between the end of rendering and the writing.
    pub fn pack_html(&mut self) {
        if self.packed_html.is_none() {
            self.packed_html = Some(PackedCell::pack(&std::mem::take(&mut self.html)));
        }
    }

    /// Replaces the body's HTML, held packed if it was.
    pub fn set_html(&mut self, html: String) {
        match self.packed_html {
            Some(_) => self.packed_html = Some(PackedCell::pack(&html)),
            None => self.html = html,
        }
    }

    /// Frees the body's HTML when it is held packed, through a shared reference: the write
    /// stage frees each page's once the page is written.
    pub fn free_packed_html(&self) {
        if let Some(packed) = &self.packed_html {
            packed.free();
        }
    }

    /// Frees the body's HTML, once written.
    pub fn free_html(&mut self) {
        self.html = String::new();
        self.packed_html = None;
    }
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
    let escaped = wikilinks::escape_bracketed_links(body);
    let body = escaped.as_ref().map_or(body, |e| e.body.as_str());
    let mut renderer = Renderer {
        source,
        links,
        terms,
        body,
        term_end: None,
        unlinked_term: false,
        term_count: 0,
        events: Vec::new(),
        heading: None,
        code: None,
        ids: IdAllocator::default(),
        other_ids: OtherIdAllocator::default(),
        flat_toc: Vec::new(),
        out: Rendered {
            diagnostics: block_warnings,
            ..Rendered::default()
        },
        skip_leading_h1: false,
        seen_block: false,
        blocks: blocks.as_ref(),
        escaped: escaped.as_ref(),
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
    /// The Markdown pulldown-cmark reads.
    body: &'a str,
    /// The HTML that closes the `[[term]]` being read (its tooltip), until its end event.
    term_end: Option<String>,
    /// True inside a `[[term]]` shown as written, whose events are left out.
    unlinked_term: bool,
    /// `[[term]]` links so far, numbering their tooltips.
    term_count: usize,
    events: Vec<Event<'a>>,
    heading: Option<HeadingBuffer<'a>>,
    code: Option<CodeBuffer>,
    ids: IdAllocator,
    /// Other generators' ids for the headings so far, numbered as each numbers repeats.
    other_ids: OtherIdAllocator,
    flat_toc: Vec<(u8, String, String)>,
    out: Rendered,
    skip_leading_h1: bool,
    seen_block: bool,
    /// Admonitions and tabs rewritten for pulldown-cmark: offsets of events are in their body.
    blocks: Option<&'s blocks::Prepared>,
    /// `[[x]](url)` links escaped for pulldown-cmark: offsets of events are in their body.
    escaped: Option<&'s wikilinks::Escaped>,
}

impl<'a> Renderer<'_, 'a> {
    /// The byte offset in the whole file of byte `at` of the body pulldown-cmark reads.
    fn file_offset(&self, at: usize) -> usize {
        let at = self.escaped.map_or(at, |e| e.original(at));
        self.source
            .file_offset(self.blocks.map_or(at, |b| b.original(at)))
    }

    fn handle(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.unlinked_term {
            self.unlinked_term = !matches!(event, Event::End(TagEnd::Link));
            return;
        }
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
        // Every heading counts, the leading H1 left out below too: the other generators
        // number repeats over all of them.
        let others = self.other_ids.allocate(&text, heading.id.as_deref());
        if self.out.first_heading.is_none() && !text.is_empty() {
            self.out.first_heading = Some(text.clone());
        }
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
        self.other_ids.record(&mut self.out.other_ids, others, &id);
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
        // The link to the section beside the heading is added by folio.js (`a.anchor`): written
        // here it was over a kilobyte a page on a large handbook.
        self.events
            .push(Event::Html(format!("</h{level}>\n").into()));
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
            TermLink::Unlinked => {
                let offset = self.file_offset(range.start);
                let location = Location::from_offset(
                    self.source.display_path,
                    self.source.text,
                    offset,
                    range.len().min(200),
                );
                self.out.unlinked_terms.push(location);
                let written = &self.body[range.clone()];
                self.count_words(written);
                self.push_text(written);
                self.emit(Event::Text(written.into()));
                self.unlinked_term = true;
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
                href: dest.to_string(),
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
                        href: href.clone(),
                        self_href: to_folder.then(|| href.clone()),
                    });
                }
                href.into()
            }
            Link::Broken { message, help } => {
                let mut diagnostic = Diagnostic::error(message)
                    .at(location())
                    .with_code(Code::BrokenLink)
                    .about(link_subject(
                        self.links.content_shown(),
                        self.source.rel_path,
                        &dest,
                    ));
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
        self.out.other_ids.shrink_to_fit();
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

/// What a broken link names, the same for every link to it wherever it is written:
/// `` `content/policies/usage.md` `` for a relative link (under `content_shown`, the content
/// folder as messages name it), `` `/tags/x/` `` for one from the site's root. Links are shown
/// once per target (see [`crate::base::diag::Diagnostics::group_repeats`]).
fn link_subject(content_shown: &Path, from: &Path, dest: &str) -> String {
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    let path = percent_decode(path);
    if let Some(rooted) = path.strip_prefix('/') {
        return format!("`/{rooted}`");
    }
    let joined = from.parent().unwrap_or(Path::new("")).join(&path);
    match crate::base::url::normalize(&joined) {
        Some(target) => format!(
            "`{}`",
            content_shown
                .join(target)
                .to_string_lossy()
                .replace('\\', "/")
        ),
        None => format!("`{path}`"),
    }
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

#[cfg(test)]
mod tests;
