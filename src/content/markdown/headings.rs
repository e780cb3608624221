//! Heading ids that follow GitHub's rules, so anchors written for GitHub keep working; the
//! nesting of a page's table of contents; and the ids raw HTML adds to a page.
//!
//! GitHub lower-cases the heading text, drops punctuation and symbols (keeping letters, marks,
//! numbers, `-` and `_`), turns each space into `-`, and numbers repeats `-1`, `-2`, …

use std::collections::HashSet;

use super::TocEntry;

/// The id GitHub gives a heading with this text, before de-duplication.
pub fn github_slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() || is_combining_mark(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Combining marks that `char::is_alphanumeric` rejects but GitHub keeps (accents written as
/// separate code points, vowel signs of Indic scripts, kana voicing marks).
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963
        | 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0A01..=0x0A03 | 0x0A3C..=0x0A51
        | 0x0A81..=0x0A83 | 0x0ABC..=0x0ACD | 0x0B01..=0x0B03 | 0x0B3C..=0x0B57
        | 0x0B82 | 0x0BBE..=0x0BCD | 0x0BD7 | 0x0C00..=0x0C04 | 0x0C3C..=0x0C56
        | 0x0C81..=0x0C83 | 0x0CBC..=0x0CD6 | 0x0D00..=0x0D03 | 0x0D3B..=0x0D57
        | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20FF | 0x3099..=0x309A | 0xFE20..=0xFE2F)
}

/// Hands out ids unique within one page.
#[derive(Debug, Default)]
pub struct IdAllocator {
    used: HashSet<String>,
}

impl IdAllocator {
    /// Reserves an id given explicitly (`{#id}`), as GitHub reserves the first use of a slug.
    pub fn reserve(&mut self, id: &str) -> String {
        self.used.insert(id.to_string());
        id.to_string()
    }

    /// The GitHub id for a heading with this text, numbered when the plain one is taken.
    pub fn allocate(&mut self, text: &str) -> String {
        let base = github_slug(text);
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        first_unused(&mut self.used, base, |base, n| format!("{base}-{n}"))
    }
}

/// `base` when `used` lacks it and it is not empty, else the first of `numbered(base, 1)`,
/// `numbered(base, 2)`, … that `used` lacks; either way now in `used`.
fn first_unused(
    used: &mut HashSet<String>,
    base: String,
    numbered: impl Fn(&str, usize) -> String,
) -> String {
    if !base.is_empty() && used.insert(base.clone()) {
        return base;
    }
    (1..)
        .map(|n| numbered(&base, n))
        .find(|candidate| used.insert(candidate.clone()))
        .expect("an unused id exists")
}

/// How another generator makes heading ids: links written for a site it built name headings
/// so, and Folio points them at the headings it gave GitHub's ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdStyle {
    /// Eleventy's `slugify` filter (@sindresorhus/slugify without decamelizing), which sites
    /// give markdown-it-anchor: apostrophes dropped, `&` spelled `and`, every run of other
    /// characters one `-`; repeats numbered `-1`, `-2`, …
    Eleventy,
    /// Python-Markdown's table of contents, MkDocs's default: characters other than letters,
    /// digits, `_`, `-` and spaces dropped, each run of spaces and `-` one `-`; repeats
    /// numbered `_1`, `_2`, …
    MkDocs,
}

impl IdStyle {
    /// Every style, in the order they are tried.
    pub const ALL: [IdStyle; 2] = [IdStyle::Eleventy, IdStyle::MkDocs];

    /// The generator's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            IdStyle::Eleventy => "Eleventy",
            IdStyle::MkDocs => "MkDocs",
        }
    }

    /// The id this style gives a heading with this text, before numbering. Letters outside
    /// ASCII are not transliterated as the generators do (`é` to `e`): a link to such a
    /// heading is left unresolved rather than guessed.
    fn slug(self, text: &str) -> String {
        match self {
            IdStyle::Eleventy => {
                let text = text.replace(['\'', '’'], "").replace('&', " and ");
                dashed(&text.to_lowercase(), |c| c.is_ascii_alphanumeric())
            }
            IdStyle::MkDocs => {
                let kept: String = text
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ' | '\t'))
                    .collect();
                dashed(&kept.trim().to_lowercase(), |c| {
                    !matches!(c, '-' | ' ' | '\t')
                })
            }
        }
    }

    /// The `n`th repeat of `base`.
    fn numbered(self, base: &str, n: usize) -> String {
        match self {
            IdStyle::Eleventy => format!("{base}-{n}"),
            IdStyle::MkDocs => format!("{base}_{n}"),
        }
    }

    /// The letter that stands for the style in [`OtherIds`].
    fn tag(self) -> &'static str {
        match self {
            IdStyle::Eleventy => "e",
            IdStyle::MkDocs => "m",
        }
    }
}

/// `text` with every run of characters that are not `kept` written as one `-`, none at the
/// ends.
fn dashed(text: &str, kept: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if kept(c) {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Hands out the ids other generators would give a page's headings, numbering repeats as each
/// does, so that a link written for one of them finds its heading.
#[derive(Debug, Default)]
pub(super) struct OtherIdAllocator {
    used: [HashSet<String>; IdStyle::ALL.len()],
    /// The other ids recorded for the page so far, whatever their style.
    recorded: HashSet<String>,
}

impl OtherIdAllocator {
    /// Each style's id for the next heading, with this text, or with the id the source gives
    /// it (`{#id}`), which every generator keeps.
    pub(super) fn allocate(&mut self, text: &str, given: Option<&str>) -> Vec<(IdStyle, String)> {
        IdStyle::ALL
            .iter()
            .zip(&mut self.used)
            .map(|(&style, used)| {
                let base = match given {
                    Some(id) => id.to_string(),
                    None => style.slug(text),
                };
                (style, first_unused(used, base, |b, n| style.numbered(b, n)))
            })
            .collect()
    }

    /// Records in `others` the ids of `allocated` (from [`Self::allocate`]) for the heading
    /// whose id is `id`, but those that are `id` or that an earlier heading has.
    pub(super) fn record(
        &mut self,
        others: &mut OtherIds,
        allocated: Vec<(IdStyle, String)>,
        id: &str,
    ) {
        for (style, other) in allocated {
            if other != id && self.recorded.insert(other.clone()) {
                others.push(style, &other, id);
            }
        }
    }
}

/// The ids other generators give a page's headings where they differ from Folio's, with
/// Folio's: one line `style\tid\tfolio_id` each, in one string, because a large site has
/// some for most headings and a pair of strings each would hold megabytes. Ids hold no
/// whitespace (GitHub's and the styles' drop it, and an id given in the source cannot have it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OtherIds(String);

impl OtherIds {
    /// Records that `style` gives the heading whose id is `id` the id `other`.
    fn push(&mut self, style: IdStyle, other: &str, id: &str) {
        for part in [style.tag(), "\t", other, "\t", id, "\n"] {
            self.0.push_str(part);
        }
    }

    /// Gives back the room the string grew into: a built site holds one per page.
    pub(super) fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    /// Folio's id for the heading another generator gives the id `other`, and which generator.
    pub fn find(&self, other: &str) -> Option<(&str, IdStyle)> {
        // Only the middle field of a line lies between two tabs: one substring search finds
        // it, where splitting every line cost a page with thousands of headings a scan of each.
        let at = self.0.find(&format!("\t{other}\t"))?;
        let tag = &self.0[self.0[..at].rfind('\n').map_or(0, |n| n + 1)..at];
        let style = IdStyle::ALL.into_iter().find(|s| s.tag() == tag)?;
        let rest = &self.0[at + other.len() + 2..];
        Some((&rest[..rest.find('\n')?], style))
    }
}

/// Builds the nested table of contents from headings in document order.
pub(super) fn nest_toc(flat: &[(u8, String, String)]) -> Vec<TocEntry> {
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
pub(super) fn collect_html_ids(html: &str, anchors: &mut HashSet<String>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_github() {
        assert_eq!(github_slug("Who approves?"), "who-approves");
        assert_eq!(github_slug("Not allowed"), "not-allowed");
        assert_eq!(github_slug("A & B"), "a--b");
        assert_eq!(
            github_slug("Step 1: `git commit -s`"),
            "step-1-git-commit--s"
        );
        assert_eq!(
            github_slug("snake_case and CamelCase"),
            "snake_case-and-camelcase"
        );
        assert_eq!(github_slug("Don’t panic!"), "dont-panic");
        assert_eq!(github_slug("日本語の見出し"), "日本語の見出し");
        assert_eq!(github_slug("Café crème"), "café-crème");
        assert_eq!(github_slug("हिन्दी"), "हिन्दी");
    }

    #[test]
    fn other_generators_ids_are_made_as_they_make_them() {
        let mut ids = OtherIdAllocator::default();
        let mut next = |text: &str| ids.allocate(text, None);
        assert_eq!(
            next("Check Tokens & Keys"),
            [
                (IdStyle::Eleventy, "check-tokens-and-keys".to_string()),
                (IdStyle::MkDocs, "check-tokens-keys".to_string()),
            ]
        );
        assert_eq!(
            next("Don't panic -- yet!"),
            [
                (IdStyle::Eleventy, "dont-panic-yet".to_string()),
                (IdStyle::MkDocs, "dont-panic-yet".to_string()),
            ]
        );
        // A repeat: markdown-it-anchor numbers it `-1`, Python-Markdown `_1`.
        assert_eq!(
            next("Check tokens and keys"),
            [
                (IdStyle::Eleventy, "check-tokens-and-keys-1".to_string()),
                (IdStyle::MkDocs, "check-tokens-and-keys".to_string()),
            ]
        );
        assert_eq!(
            next("Check Tokens & Keys"),
            [
                (IdStyle::Eleventy, "check-tokens-and-keys-2".to_string()),
                (IdStyle::MkDocs, "check-tokens-keys_1".to_string()),
            ]
        );
        assert_eq!(
            ids.allocate("Anything", Some("custom")),
            [
                (IdStyle::Eleventy, "custom".to_string()),
                (IdStyle::MkDocs, "custom".to_string()),
            ]
        );
    }

    #[test]
    fn other_ids_hold_no_whitespace_whatever_the_heading() {
        // OtherIds packs ids in tab- and newline-separated lines.
        let mut ids = OtherIdAllocator::default();
        for text in ["a\tb\nc", " \t ", "x\u{a0}y\u{2003}z", "-\t-"] {
            for (_, id) in ids.allocate(text, None) {
                assert!(!id.contains(char::is_whitespace), "{text:?} gave {id:?}");
            }
            assert!(!github_slug(text).contains(['\t', '\n']), "{text:?}");
        }
    }

    #[test]
    fn other_ids_are_found_by_the_other_generators_id() {
        let mut ids = OtherIdAllocator::default();
        let mut others = OtherIds::default();
        let mut record = |style, other: &str, id| {
            ids.record(&mut others, vec![(style, other.to_string())], id);
        };
        record(IdStyle::Eleventy, "a-and-b", "a--b");
        record(IdStyle::MkDocs, "a-b", "a--b");
        record(IdStyle::MkDocs, "same", "same");
        // The first heading to have an other id keeps it.
        record(IdStyle::MkDocs, "a-and-b", "a-and-b-1");
        assert_eq!(others.find("a-and-b"), Some(("a--b", IdStyle::Eleventy)));
        assert_eq!(others.find("a-b"), Some(("a--b", IdStyle::MkDocs)));
        assert_eq!(others.find("same"), None);
        assert_eq!(others.find("a"), None);
        // Neither part of a longer id nor Folio's id of a line is another generator's id.
        let mut record = |style, other: &str, id| {
            ids.record(&mut others, vec![(style, other.to_string())], id);
        };
        record(IdStyle::Eleventy, "xab", "ab-1");
        record(IdStyle::MkDocs, "b", "ab");
        assert_eq!(others.find("ab"), None);
        assert_eq!(others.find("b"), Some(("ab", IdStyle::MkDocs)));
        assert_eq!(others.find("xab"), Some(("ab-1", IdStyle::Eleventy)));
    }

    #[test]
    fn repeats_are_numbered() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate("Usage"), "usage");
        assert_eq!(ids.allocate("Usage"), "usage-1");
        assert_eq!(ids.allocate("Usage"), "usage-2");
        assert_eq!(ids.allocate("!!!"), "section");
    }
}
