//! The HTML that opens a callout, a collapsible callout or a tab, with its title.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::super::escape_html;

/// The callout class (one of the GitHub alerts') for an admonition type of MkDocs (Material's
/// types and aliases), Docusaurus or VitePress; any other type is a note.
pub(super) fn callout_class(kind: &str) -> &'static str {
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
pub(super) fn default_label(kind: &str) -> String {
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
pub(super) struct InlineTitle {
    pub(super) html: String,
    pub(super) text: String,
}

impl InlineTitle {
    pub(super) fn plain(text: &str) -> InlineTitle {
        InlineTitle {
            html: escape_html(text),
            text: text.to_string(),
        }
    }
}

/// Renders a title's inline Markdown (emphasis, code, strikethrough); links keep their text
/// only (a title is a label, not a place to click) and raw HTML is shown as text.
pub(super) fn inline_title(markdown: &str) -> InlineTitle {
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
pub(super) fn callout_html(class: &str, label: &str, title: &InlineTitle) -> String {
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
pub(super) fn details_html(
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
pub(super) fn aria_label(label: &str, title: &str) -> String {
    let title = title.trim();
    if title.is_empty() || title == label {
        escape_html(label)
    } else {
        escape_html(&format!("{label}: {title}"))
    }
}
