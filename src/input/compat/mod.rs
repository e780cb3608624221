//! Content written for Hugo or Jekyll: the template tags in page bodies that Folio cannot run.
//!
//! Hugo shortcodes (`{{< figure >}}`) and Liquid (`{% include %}`, `{{ site.x }}`) are left out
//! of the output instead of showing as garbage; a paired tag keeps what it wraps (the Markdown
//! of `{{< hint >}}…{{< /hint >}}` is what a reader wants). Each kind of tag is reported once per
//! build with its number of uses and its first place ([`report`]). Tags in code are text and
//! stay. kramdown's `markdown="1"` on an HTML element gets its content rendered as Markdown.
//!
//! The cleaned body keeps the source's byte offsets (removed tags become spaces, their line
//! breaks stay), except for the blank lines `markdown="1"` needs, which [`Cleaned::original`]
//! maps back, so that every diagnostic still points at the right line and column.

use std::collections::BTreeMap;
use std::path::Path;

use crate::base::diag::{Code, Diagnostic, Location, plural};

mod hugo;
mod jekyll;

/// A template tag found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Byte offset just past the tag.
    pub end: usize,
    /// The tag as reported: `{{< figure >}}`, `{% include %}`, `{{ site }}`.
    pub name: String,
    /// True for an end tag (`{{< /hint >}}`, `{% endif %}`), which is not counted as a use.
    pub closing: bool,
    /// True for a Hugo shortcode, false for Liquid.
    pub hugo: bool,
}

/// One use of a template tag in a page.
#[derive(Debug, Clone)]
pub struct Use {
    /// The tag as reported (see [`Tag::name`]).
    pub name: String,
    /// True for a Hugo shortcode, false for Liquid.
    pub hugo: bool,
    /// Where it is.
    pub location: Location,
}

/// A page body ready for the Markdown renderer.
#[derive(Debug, Default)]
pub struct Cleaned {
    /// The body without template tags.
    pub body: String,
    /// Offsets in `body` where a line break was inserted, in order.
    inserted: Vec<usize>,
    /// The template tags left out.
    pub uses: Vec<Use>,
}

impl Cleaned {
    /// The offset in the original body of offset `at` in the cleaned one.
    pub fn original(&self, at: usize) -> usize {
        at - self.inserted.partition_point(|&i| i < at)
    }
}

/// Removes the template tags from `body` (at `body_offset` in `text`, the whole file shown as
/// `display_path`) and prepares `markdown="1"` elements.
pub fn clean(display_path: &Path, text: &str, body_offset: usize, body: &str) -> Cleaned {
    let has_tags = body.contains("{{") || body.contains("{%");
    let has_markdown_attribute = body.contains("markdown=");
    if !has_tags && !has_markdown_attribute {
        return Cleaned {
            body: body.to_string(),
            ..Cleaned::default()
        };
    }
    let mut bytes = body.as_bytes().to_vec();
    let mut uses = Vec::new();
    if has_tags {
        for (start, tag) in tags_outside_code(body) {
            for b in &mut bytes[start..tag.end] {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
            if !tag.closing {
                uses.push(Use {
                    name: tag.name,
                    hugo: tag.hugo,
                    location: Location::from_offset(display_path, text, body_offset + start, 1),
                });
            }
        }
    }
    // Only ASCII bytes were replaced, by ASCII spaces, so the text is still UTF-8.
    let blanked = String::from_utf8(bytes).unwrap_or_else(|_| body.to_string());
    let (body, inserted) = if has_markdown_attribute {
        open_markdown_blocks(&blanked)
    } else {
        (blanked, Vec::new())
    };
    Cleaned {
        body,
        inserted,
        uses,
    }
}

/// Every template tag of `body` outside fenced code blocks and code spans, with its offset.
fn tags_outside_code(body: &str) -> Vec<(usize, Tag)> {
    let mut found = Vec::new();
    let mut fence: Option<String> = None;
    let mut line_start = 0;
    // A tag may run over several lines; lines it covers are not scanned again.
    let mut resume = 0;
    for line in body.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .collect();
        if let Some(open) = &fence {
            if marker.len() >= open.len() && marker.starts_with(&open[..1]) {
                fence = None;
            }
            continue;
        }
        if marker.len() >= 3 && !(marker.starts_with('`') && trimmed[3..].contains('`')) {
            fence = Some(marker);
            continue;
        }
        let mut i = resume.max(start) - start;
        let mut in_code = false;
        while i < line.len() {
            let rest = &line[i..];
            if rest.starts_with('`') {
                let run = rest.len() - rest.trim_start_matches('`').len();
                in_code = !in_code;
                i += run;
                continue;
            }
            if !in_code && rest.starts_with('{') {
                let at = start + i;
                let tag = hugo::shortcode_at(body, at).or_else(|| jekyll::liquid_at(body, at));
                if let Some(tag) = tag {
                    resume = tag.end;
                    found.push((at, tag));
                    if resume >= line_start {
                        break;
                    }
                    i = resume - start;
                    continue;
                }
            }
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// Puts the content of each element marked `markdown="1"` in blocks of its own (a blank line
/// after its opening tag and before its closing one), where CommonMark reads it as Markdown,
/// and drops the attribute. Returns the new text and where line breaks were inserted.
fn open_markdown_blocks(body: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(body.len() + 64);
    let mut inserted = Vec::new();
    let mut open: Vec<String> = Vec::new();
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(name) = open.last()
            && trimmed.starts_with(&format!("</{name}>"))
        {
            inserted.push(out.len());
            out.push('\n');
            open.pop();
        }
        match jekyll::markdown_attribute(line) {
            Some((name, range)) => {
                inserted.push(out.len());
                out.push('\n');
                out.push_str(&line[..range.start]);
                out.push_str(&" ".repeat(range.len()));
                out.push_str(&line[range.end..]);
                if !line.ends_with('\n') {
                    out.push('\n');
                    inserted.push(out.len() - 1);
                }
                inserted.push(out.len());
                out.push('\n');
                // An element opened and closed on one line needs nothing more.
                if !line.contains(&format!("</{name}>")) {
                    open.push(name);
                }
            }
            None => out.push_str(line),
        }
    }
    (out, inserted)
}

/// One warning per kind of tag: how many uses, and the first (by file, then position).
pub fn report(mut uses: Vec<Use>) -> Vec<Diagnostic> {
    uses.sort_by(|a, b| {
        (&a.location.path, a.location.line, a.location.column).cmp(&(
            &b.location.path,
            b.location.line,
            b.location.column,
        ))
    });
    let mut by_name: BTreeMap<(bool, String), (usize, Location)> = BTreeMap::new();
    for u in uses {
        by_name
            .entry((!u.hugo, u.name))
            .and_modify(|(count, _)| *count += 1)
            .or_insert((1, u.location));
    }
    by_name
        .into_iter()
        .map(|((liquid, name), (count, first))| {
            let what = if liquid {
                "Liquid tag"
            } else {
                "Hugo shortcode"
            };
            Diagnostic::warning(format!(
                "{what} {name} left out ({}; first at {}:{}:{})",
                plural(count, "use"),
                first.path.display(),
                first.line,
                first.column
            ))
            .with_help(format!(
                "Folio does not run {} tags; replace them with Markdown to show what they showed",
                if liquid { "Liquid" } else { "Hugo" }
            ))
            .at(first)
            .with_code(Code::Compat)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(body: &str) -> Cleaned {
        clean(Path::new("content/a.md"), body, 0, body)
    }

    #[test]
    fn tags_are_blanked_keeping_positions_and_code() {
        let body = "a {{< figure src=\"x\" >}} b\n`{% raw %}` {% include x.html %}\n```\n{{< kept >}}\n```\n";
        let c = cleaned(body);
        assert_eq!(c.body.len(), body.len());
        assert!(!c.body.contains("figure"));
        assert!(!c.body.contains("include"));
        assert!(c.body.contains("`{% raw %}`"));
        assert!(c.body.contains("{{< kept >}}"));
        let names: Vec<&str> = c.uses.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["{{< figure >}}", "{% include %}"]);
        assert_eq!(
            (c.uses[1].location.line, c.uses[1].location.column),
            (2, 13)
        );
    }

    #[test]
    fn paired_shortcodes_keep_their_content() {
        let c = cleaned("{{< hint info >}}\n**Note** this\n{{< /hint >}}\n");
        assert!(c.body.contains("**Note** this"));
        assert_eq!(c.uses.len(), 1);
    }

    #[test]
    fn markdown_attribute_content_is_markdown() {
        let body = "<aside markdown=\"1\" class=\"q\">\n**bold**\n</aside>\nafter\n";
        let c = cleaned(body);
        assert_eq!(
            c.body,
            "\n<aside              class=\"q\">\n\n**bold**\n\n</aside>\nafter\n"
        );
        let after = c.body.find("after").unwrap();
        assert_eq!(c.original(after), body.find("after").unwrap());
    }

    #[test]
    fn one_warning_per_tag_with_a_count() {
        let body = "{{< figure >}}\n{{< figure >}}\n{% include x %}\n";
        let warnings = report(cleaned(body).uses);
        assert_eq!(warnings.len(), 2);
        assert_eq!(
            warnings[0].message,
            "Hugo shortcode {{< figure >}} left out (2 uses; first at content/a.md:1:1)"
        );
        assert_eq!(
            warnings[1].message,
            "Liquid tag {% include %} left out (1 use; first at content/a.md:3:1)"
        );
    }
}
