//! The marker lines of admonitions, tabs and Docusaurus blocks, read into what they declare,
//! and the Markdown structure around them (fences, headings, list items) that the rewriter tracks.

use super::{Fence, INDENT};

/// `!!! type "Title"`, `??? type "Title"` or `???+ type "Title"`.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Admonition<'a> {
    pub(super) collapsible: bool,
    pub(super) open: bool,
    /// The type (`note`); `None` when only a title is written.
    pub(super) kind: Option<&'a str>,
    /// The title as written between quotes; `None` when there are no quotes.
    pub(super) title: Option<Title<'a>>,
}

/// A title as written, and whether its closing quote or bracket is missing.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Title<'a> {
    pub(super) text: &'a str,
    pub(super) unclosed: bool,
}

/// Reads an admonition's marker (after its indentation). As in Python-Markdown, the type may be
/// followed by more words (CSS classes there, ignored here), then a title in double quotes.
pub(super) fn parse_admonition(rest: &str) -> Option<Admonition<'_>> {
    let (collapsible, open, after) = if let Some(after) = rest.strip_prefix("!!!") {
        (false, false, after)
    } else if let Some(after) = rest.strip_prefix("???+") {
        (true, true, after)
    } else {
        (true, false, rest.strip_prefix("???")?)
    };
    let (words, title) = match after.split_once('"') {
        Some((words, quoted)) => {
            let title = match quoted.rsplit_once('"') {
                Some((text, "")) => Title {
                    text,
                    unclosed: false,
                },
                Some((_, _trailing)) => return None,
                None => Title {
                    text: quoted,
                    unclosed: true,
                },
            };
            (words, Some(title))
        }
        None => (after, None),
    };
    // `!!!` glued to its type is allowed; glued to anything else (`!!!!`, `???…`), it is text.
    if !words.is_empty() && !words.starts_with([' ', '\t']) && !words.starts_with(is_word_char) {
        return None;
    }
    let mut names = words.split_whitespace();
    if !words
        .split_whitespace()
        .all(|w| w.chars().all(is_word_char))
    {
        return None;
    }
    let kind = names.next();
    // A bare `!!!` or `???` is punctuation, not a block.
    if kind.is_none() && title.is_none() {
        return None;
    }
    Some(Admonition {
        collapsible,
        open,
        kind,
        title,
    })
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// `=== "Label"`, with `!` (a new set) and `+` (selected) after the equals signs.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Tab<'a> {
    pub(super) new_set: bool,
    pub(super) selected: bool,
    pub(super) label: &'a str,
    pub(super) unclosed: bool,
}

/// Reads a tab's marker (after its indentation). The label must be quoted, as pymdownx wants:
/// an unquoted `=== Title` is text.
pub(super) fn parse_tab(rest: &str) -> Option<Tab<'_>> {
    let after = rest.strip_prefix("===")?;
    let flags_len = after.len() - after.trim_start_matches(['!', '+']).len();
    let (flags, after) = after.split_at(flags_len);
    if flags.len() > 2 || !after.starts_with([' ', '\t']) {
        return None;
    }
    let quoted = after.trim_start().strip_prefix('"')?;
    let (label, unclosed) = match quoted.rsplit_once('"') {
        Some((label, "")) => (label, false),
        Some(_) => return None,
        None => (quoted, true),
    };
    Some(Tab {
        new_set: flags.contains('!'),
        selected: flags.contains('+'),
        label,
        unclosed,
    })
}

/// `:::type`, `:::type Title`, `:::type[Title]{attributes}` or `::: type Title`.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Colon<'a> {
    pub(super) colons: usize,
    pub(super) kind: &'a str,
    pub(super) title: Title<'a>,
}

/// Reads a Docusaurus or VitePress block's opening line (after its indentation).
pub(super) fn parse_colon(rest: &str) -> Option<Colon<'_>> {
    let colons = rest.len() - rest.trim_start_matches(':').len();
    if colons < 3 {
        return None;
    }
    let after = rest[colons..].trim_start();
    let kind_len = after.len() - after.trim_start_matches(is_word_char).len();
    if kind_len == 0 {
        return None;
    }
    let (kind, after) = after.split_at(kind_len);
    let title = if let Some(bracketed) = after.strip_prefix('[') {
        match closing_bracket(bracketed) {
            Some(end) => Title {
                text: &bracketed[..end],
                unclosed: false,
            },
            None => Title {
                text: bracketed,
                unclosed: true,
            },
        }
    } else {
        // `{#id .class}` attributes are dropped; what follows is the older title syntax.
        let after = match after.strip_prefix('{') {
            Some(attributes) => attributes.split_once('}').map_or("", |(_, rest)| rest),
            None if after.is_empty() || after.starts_with([' ', '\t']) => after,
            None => return None,
        };
        Title {
            text: after.trim(),
            unclosed: false,
        }
    };
    Some(Colon {
        colons,
        kind,
        title,
    })
}

/// The offset of the `]` that closes a `[` just before `text`, skipping nested pairs and
/// backslash escapes.
pub(super) fn closing_bracket(text: &str) -> Option<usize> {
    let mut depth = 0;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' if depth == 0 => return Some(i),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The number of colons of a line that is colons alone (at least three).
pub(super) fn colon_closer(rest: &str) -> Option<usize> {
    (rest.len() >= 3 && rest.bytes().all(|b| b == b':')).then_some(rest.len())
}

/// The character and length of a fenced code block's opening line.
pub(super) fn fence_opening(rest: &str) -> Option<(char, usize)> {
    let char = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.len() - rest.trim_start_matches(char).len();
    let info = &rest[len..];
    (len >= 3 && !(char == '`' && info.contains('`'))).then_some((char, len))
}

pub(super) fn closes_fence(fence: &Fence, rest: &str) -> bool {
    let len = rest.len() - rest.trim_start_matches(fence.char).len();
    len >= fence.len && len == rest.len()
}

pub(super) fn atx_heading_level(rest: &str) -> Option<u8> {
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    let after = &rest[hashes..];
    ((1..=6).contains(&hashes) && (after.is_empty() || after.starts_with([' ', '\t'])))
        .then_some(hashes as u8)
}

/// The columns from a list item's marker to its content, when `rest` starts a list item.
pub(super) fn list_marker_width(rest: &str, indent: usize) -> Option<usize> {
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = match rest.as_bytes().get(digits) {
        Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
        Some(b'-' | b'+' | b'*') if digits == 0 => 1,
        _ => return None,
    };
    let after = &rest[marker..];
    if after.is_empty() {
        return Some(marker + 1);
    }
    let mut column = indent + marker;
    for c in after.chars() {
        match c {
            ' ' => column += 1,
            '\t' => column += INDENT - column % INDENT,
            _ => break,
        }
    }
    let spaces = column - indent - marker;
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// The marker as quoted in warnings: the line up to its title.
pub(super) fn marker_name(rest: &str) -> String {
    let end = rest.find(['"', '[', '{']).unwrap_or(rest.len());
    rest[..end].trim_end().to_string()
}
