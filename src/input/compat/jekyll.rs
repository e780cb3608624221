//! Jekyll: Liquid tags (`{% name … %}`), Liquid output (`{{ expression }}`) and kramdown's
//! `markdown="1"` attribute, which asks for Markdown inside an HTML block.

use super::Tag;

/// Block tags whose end tag is `end<name>`: their end tags are named after them.
const END_PREFIX: &str = "end";

/// The Liquid tag or output starting at byte `start` of `text`, if it is one and is closed.
pub(super) fn liquid_at(text: &str, start: usize) -> Option<Tag> {
    let rest = &text[start..];
    let (closer, output) = if rest.starts_with("{%") {
        ("%}", false)
    } else if rest.starts_with("{{") && !rest.starts_with("{{<") && !rest.starts_with("{{%") {
        ("}}", true)
    } else {
        return None;
    };
    let inner_end = rest[2..].find(closer)? + 2;
    let inner = rest[2..inner_end].trim_matches(|c: char| c == '-' || c.is_whitespace());
    let word: String = inner
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if word.is_empty() {
        return None;
    }
    let (closing, name) = match word.strip_prefix(END_PREFIX) {
        Some(block) if !output && !block.is_empty() => (true, block.to_string()),
        _ => (false, word),
    };
    let name = if output {
        format!("{{{{ {name} }}}}")
    } else {
        format!("{{% {name} %}}")
    };
    Some(Tag {
        end: start + inner_end + closer.len(),
        name,
        closing,
        hugo: false,
    })
}

/// If `line` opens an HTML element with `markdown="1"`, the element's name and the byte range
/// of the attribute (with the space before it) in the line.
pub(super) fn markdown_attribute(line: &str) -> Option<(String, std::ops::Range<usize>)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let name: String = trimmed
        .strip_prefix('<')?
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    if name.is_empty() {
        return None;
    }
    let tag_end = trimmed.find('>')?;
    let at = [
        "markdown=\"1\"",
        "markdown='1'",
        "markdown=\"block\"",
        "markdown=\"span\"",
    ]
    .iter()
    .find_map(|attr| trimmed[..tag_end].find(attr).map(|i| (i, attr.len())))?;
    let (i, len) = at;
    let with_space = if trimmed[..i].ends_with(' ') { 1 } else { 0 };
    Some((name, indent + i - with_space..indent + i + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liquid_tags_and_output_are_named() {
        let tag = liquid_at("{% include x.html %} after", 0).unwrap();
        assert_eq!(tag.name, "{% include %}");
        assert_eq!(tag.end, 20);
        let end = liquid_at("{%- endcapture -%}", 0).unwrap();
        assert_eq!(end.name, "{% capture %}");
        assert!(end.closing);
        assert_eq!(
            liquid_at("{{ site.github.url }}", 0).unwrap().name,
            "{{ site }}"
        );
        assert!(liquid_at("{{< hugo >}}", 0).is_none());
        assert!(liquid_at("{% %}", 0).is_none());
    }

    #[test]
    fn the_markdown_attribute_is_found_in_opening_tags_only() {
        let line = "<aside markdown=\"1\" class=\"pquote\">";
        let (name, range) = markdown_attribute(line).unwrap();
        assert_eq!(name, "aside");
        assert_eq!(&line[range], " markdown=\"1\"");
        assert!(markdown_attribute("</aside>").is_none());
        assert!(markdown_attribute("text markdown=\"1\"").is_none());
    }
}
