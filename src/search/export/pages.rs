//! What a result shows of a page and its sections (one file per page), and the pages of each
//! kind and tag, for filters (one file per kind and per tag).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{ExportFile, file};
use crate::search::binary::{hex, varint};
use crate::search::index::{self, SearchPage, indexed_sections};

/// Characters of a section's text kept for the result snippet.
const EXCERPT_CHARS: usize = 220;

pub(super) fn page_file(number: usize, page: &SearchPage) -> ExportFile {
    file(
        format!("d/{number}.bin"),
        &serde_json::to_vec(&PageData::of(page)).unwrap_or_default(),
    )
}

/// What a result shows for a page and its sections.
#[derive(Serialize)]
struct PageData<'p> {
    /// Title.
    t: &'p str,
    /// URL.
    u: &'p str,
    /// Kind.
    k: &'p str,
    /// Tags.
    g: &'p [String],
    /// Breadcrumb.
    b: &'p [String],
    /// Snippet text for the page itself.
    x: String,
    /// Sections: anchor, heading, snippet text.
    s: Vec<(&'p str, &'p str, String)>,
}

impl<'p> PageData<'p> {
    fn of(page: &'p SearchPage) -> PageData<'p> {
        PageData {
            t: &page.title,
            u: &page.url,
            k: &page.kind,
            g: &page.tags,
            b: &page.breadcrumb,
            x: excerpt(&index::page_snippet_text(page)),
            s: indexed_sections(page)
                .map(|s| {
                    (
                        s.anchor.as_deref().unwrap_or_default(),
                        s.heading.as_str(),
                        excerpt(&s.text),
                    )
                })
                .collect(),
        }
    }
}

/// The first words of `text`, whitespace collapsed, cut at a word boundary.
fn excerpt(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() > EXCERPT_CHARS {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Writes one file per kind and per tag listing its pages; returns the kinds and tags with counts.
#[allow(clippy::type_complexity)]
pub(super) fn write_filters(
    pages: &[SearchPage],
    files: &mut Vec<ExportFile>,
) -> (Vec<(String, usize)>, Vec<(String, usize)>) {
    let mut kinds: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut tags: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        kinds.entry(&page.kind).or_default().push(i);
        for tag in &page.tags {
            tags.entry(tag).or_default().push(i);
        }
    }
    let mut write = |prefix: &str, name: &str, members: &[usize]| {
        let mut bytes = Vec::new();
        let mut previous = 0;
        for &page in members {
            varint(&mut bytes, (page - previous) as u64);
            previous = page;
        }
        files.push(file(format!("f/{prefix}-{}.bin", hex(name)), &bytes));
        (name.to_string(), members.len())
    };
    let kinds = kinds.iter().map(|(k, m)| write("k", k, m)).collect();
    let tags = tags.iter().map(|(t, m)| write("t", t, m)).collect();
    (kinds, tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_stop_at_a_word() {
        let text = "word ".repeat(100);
        let cut = excerpt(&text);
        assert!(cut.ends_with('…'));
        assert!(cut.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt("  a\n b "), "a b");
    }
}
