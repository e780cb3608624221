//! `[[x]](url)` and `[[x]][ref]` are CommonMark links whose text is `[x]` (footnote-style
//! references such as `[[1]](#resources)`), not glossary links: pulldown-cmark's wikilinks
//! would take `[[1]]` and leave `(#resources)` as text. Before rendering, the inner brackets of
//! such links are escaped (`[\[1\]](#resources)`), which CommonMark renders as the same link, so
//! only a bare `[[term]]` or `[[term|text]]` reaches the glossary.

use std::collections::HashSet;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

use super::options;

/// A body with backslashes inserted before the inner brackets of `[[x]](url)` links.
pub(super) struct Escaped {
    /// The Markdown that pulldown-cmark reads.
    pub(super) body: String,
    /// Offsets in `body` of the inserted backslashes, in order.
    inserted: Vec<usize>,
}

impl Escaped {
    /// The offset in the unescaped body of offset `at` in the escaped one.
    pub(super) fn original(&self, at: usize) -> usize {
        at - self.inserted.partition_point(|&i| i < at)
    }
}

/// Escapes the inner brackets of every `[[x]](url)` or `[[x]][ref]` that CommonMark reads as a
/// link; `None` when the body has none (the common case costs two scans for a short needle).
pub(super) fn escape_bracketed_links(body: &str) -> Option<Escaped> {
    if !body.contains("]](") && !body.contains("]][") {
        return None;
    }
    // Where CommonMark, without wikilinks, starts a link.
    let link_starts: HashSet<usize> = Parser::new_ext(body, options() - Options::ENABLE_WIKILINKS)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { link_type, .. })
                if !matches!(link_type, LinkType::Autolink | LinkType::Email) =>
            {
                Some(range.start)
            }
            _ => None,
        })
        .collect();
    let mut positions = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let Event::Start(Tag::Link {
            link_type: LinkType::WikiLink { .. },
            ..
        }) = event
        else {
            continue;
        };
        let followed = body[range.end..].starts_with(['(', '[']);
        let bracketed =
            body[range.clone()].starts_with("[[") && body[range.clone()].ends_with("]]");
        if followed && bracketed && link_starts.contains(&range.start) {
            positions.push(range.start + 1);
            positions.push(range.end - 2);
        }
    }
    if positions.is_empty() {
        return None;
    }
    positions.sort_unstable();
    let mut escaped = String::with_capacity(body.len() + positions.len());
    let mut inserted = Vec::with_capacity(positions.len());
    let mut copied = 0;
    for at in positions {
        escaped.push_str(&body[copied..at]);
        inserted.push(escaped.len());
        escaped.push('\\');
        copied = at;
    }
    escaped.push_str(&body[copied..]);
    Some(Escaped {
        body: escaped,
        inserted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_links_with_bracketed_text_are_escaped() {
        let body = "See [[1]](#resources), [[SBOM]] and [[a|b]][r].\n\n[r]: x.md\n";
        let escaped = escape_bracketed_links(body).unwrap();
        assert_eq!(
            escaped.body,
            "See [\\[1\\]](#resources), [[SBOM]] and [\\[a|b\\]][r].\n\n[r]: x.md\n"
        );
        // Offsets map back: `#resources` is where it was.
        let at = escaped.body.find("#resources").unwrap();
        assert_eq!(escaped.original(at), body.find("#resources").unwrap());
        // No link without a destination: `[[x]](not a url)` stays a glossary link.
        assert!(escape_bracketed_links("[[x]](not a url) [[y]][nothing]").is_none());
        assert!(escape_bracketed_links("`[[1]](#x)`").is_none());
    }
}
