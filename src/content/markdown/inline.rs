//! Short pieces of Markdown from data files (a glossary definition, a licence note), rendered
//! inline: no blocks, raw HTML escaped, links resolved, script URLs left out.

use std::path::Path;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::{Link, LinkResolver, options};

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
    /// [`crate::base::url::is_unsafe_url`]), as written: shown as their text, without the URL.
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
                if crate::base::url::is_unsafe_url(
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

#[cfg(test)]
mod tests {
    use super::super::tests::NoLinks;
    use super::*;

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
}
