//! What a result shows of a page and its sections (packs of [`PACK_PAGES`] pages, each page's
//! data a gzip member the client fetches by offset), the page table that finds a document's
//! page, and the pages of each kind and tag, for filters (one file per kind and per tag).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{ExportFile, file, hashed_name, hex64};
use crate::search::binary::{content_hash, gzip, hex, varint};
use crate::search::index::{self, SearchPage, indexed_sections};

/// Characters of a section's text kept for the result snippet.
const EXCERPT_CHARS: usize = 220;

/// Pages whose result data share one `d/` file: the 10,000-page benchmark site gets 341 files
/// instead of 10,884, and a result still fetches only its own page's bytes.
pub(super) const PACK_PAGES: usize = 32;

/// What a result shows of `page`, as its `d/` pack holds it (before gzip).
fn page_data(page: &SearchPage) -> Vec<u8> {
    serde_json::to_vec(&PageData::of(page)).unwrap_or_default()
}

/// The `d/` pack of consecutive `pages`: a table of byte offsets (32-bit big-endian: where each
/// page's data starts, then where the last ends), then each page's data, gzipped on its own so
/// that the client can fetch and read one page's alone.
pub(super) fn data_pack(pages: &[SearchPage]) -> Vec<u8> {
    let records: Vec<Vec<u8>> = pages.iter().map(|p| gzip(&page_data(p))).collect();
    let mut out = Vec::new();
    let mut at = 4 * (records.len() + 1);
    for record in &records {
        out.extend((at as u32).to_be_bytes());
        at += record.len();
    }
    out.extend((at as u32).to_be_bytes());
    for record in records {
        out.extend(record);
    }
    out
}

/// The name of `d/` pack `n` in a group of packs whose hash is `group`.
pub(super) fn pack_path(n: usize, group: u64) -> String {
    hashed_name(&format!("d/{n}"), &hex64(group))
}

/// `m/pages.<hash>.bin`: how many documents each page has; and its content hash.
pub(super) fn page_table(counts: &[u64]) -> (ExportFile, u64) {
    let mut bytes = Vec::new();
    for &count in counts {
        varint(&mut bytes, count);
    }
    let hash = content_hash(&bytes);
    (file(hashed_name("m/pages", &hex64(hash)), &bytes), hash)
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

/// Writes one file per kind and per tag listing its pages; returns the kinds and tags with
/// counts and the hashes in their files' names.
#[allow(clippy::type_complexity)]
pub(super) fn write_filters(
    pages: &[SearchPage],
    files: &mut Vec<ExportFile>,
) -> (Vec<(String, usize, String)>, Vec<(String, usize, String)>) {
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
        let hash = hex64(content_hash(&bytes));
        files.push(file(
            hashed_name(&format!("f/{prefix}-{}", hex(name)), &hash),
            &bytes,
        ));
        (name.to_string(), members.len(), hash)
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
