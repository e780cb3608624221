//! YAML: the only module that calls `serde_yaml`, so that a maintained drop-in fork can replace
//! it in one place. Front matter and data files both read YAML through here, and get the same
//! author-friendly messages with a line and column.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::base::diag::{Location, tidy_serde_message};

/// A YAML syntax or type error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What is wrong, without positions or Rust type names.
    pub message: String,
    /// 1-based line and column in the parsed text, when serde_yaml knows them.
    pub position: Option<(usize, usize)>,
    /// How to fix it, for the mistakes serde_yaml words obscurely.
    pub help: Option<String>,
}

/// serde_yaml's limit on nested lists and mappings.
const MAX_DEPTH: usize = 128;

/// Parses `text` into `T`, pushing the path of every field `T` does not know to `unknown`.
pub fn parse_tracking<T: DeserializeOwned>(
    text: &str,
    unknown: &mut Vec<String>,
) -> Result<T, YamlError> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_ignored::deserialize(deserializer, |path| unknown.push(path.to_string())).map_err(
        |e: serde_yaml::Error| {
            explain(
                text,
                YamlError {
                    message: tidy_serde_message(&e.to_string()),
                    position: e.location().map(|l| (l.line(), l.column())),
                    help: None,
                },
            )
        },
    )
}

/// Rewords the errors authors meet whose serde_yaml message does not say what is wrong, and moves
/// a duplicate key's error from the mapping to the repeated key.
fn explain(text: &str, mut error: YamlError) -> YamlError {
    let line = error
        .position
        .and_then(|(line, _)| text.lines().nth(line.saturating_sub(1)))
        .unwrap_or_default();
    let (message, help) = if error
        .message
        .starts_with("found character that cannot start any token")
        && line.trim_start_matches(' ').starts_with('\t')
    {
        (
            "a tab indents this line, and YAML indents with spaces only".to_string(),
            "replace the tab with spaces",
        )
    } else if error.message.starts_with("repetition limit exceeded") {
        if let Some(position) = first_alias(text) {
            error.position = Some(position);
        }
        (
            "aliases (`*name`) repeat their anchors' values too many times".to_string(),
            "write the values out instead of nesting aliases of aliases",
        )
    } else if error.message.starts_with("recursion limit exceeded") {
        (
            format!("lists or mappings are nested more than {MAX_DEPTH} deep"),
            "flatten the nesting: fields need only a few levels",
        )
    } else if let Some(key) = duplicate_key(&error.message) {
        if let Some(position) = second_key_line(text, key) {
            error.position = Some(position);
        }
        (
            format!("the field `{key}` is set twice"),
            "remove one of them",
        )
    } else {
        return error;
    };
    error.message = message;
    error.help = Some(help.to_string());
    error
}

/// The line and column of the first alias (`*name`): serde_yaml points at the whole document.
fn first_alias(text: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(number, line)| {
        let column = line.char_indices().find_map(|(i, c)| {
            let named = line[i + 1..].starts_with(|n: char| n.is_alphanumeric());
            let starts_value = i == 0 || line[..i].ends_with([' ', '[', ',', '-', ':']);
            (c == '*' && named && starts_value).then(|| line[..i].chars().count() + 1)
        })?;
        Some((number + 1, column))
    })
}

/// The key in serde's "duplicate field `key`".
fn duplicate_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("duplicate field `")?;
    rest.split('`').next()
}

/// The line and column of the second line that sets `key` at the indentation of the first.
fn second_key_line(text: &str, key: &str) -> Option<(usize, usize)> {
    let mut first_indent = None;
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let unquoted = trimmed.trim_start_matches(['"', '\'']);
        let sets_key = unquoted
            .strip_prefix(key)
            .is_some_and(|after| after.trim_start_matches(['"', '\'']).starts_with(':'));
        if !sets_key {
            continue;
        }
        match first_indent {
            None => first_indent = Some(indent),
            Some(first) if first == indent => return Some((number + 1, indent + 1)),
            Some(_) => {}
        }
    }
    None
}

/// Parses `text` into `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    parse_tracking(text, &mut Vec::new())
}

/// Positions inside a YAML file that is a block list of mappings (`- key: value` items), as the
/// glossary and the licence list are: serde_yaml gives values without positions, so diagnostics
/// about an item or one of its fields find it in the text. Any position not found falls back to
/// the item's first line, then to the file's first line, so a diagnostic always has one.
pub struct ListPositions<'a> {
    path: &'a Path,
    text: &'a str,
    /// Byte range of each top-level item, from its `-` to the next item.
    items: Vec<Range<usize>>,
}

impl<'a> ListPositions<'a> {
    /// Finds the top-level items of `text`, the contents of `path`. `expected` is the number of
    /// items serde_yaml read: when the text scan finds another number (a flow-style list, say),
    /// no item positions are trusted.
    pub fn new(path: &'a Path, text: &'a str, expected: usize) -> Self {
        let mut items = item_starts(text);
        if items.len() != expected {
            items.clear();
        }
        let ranges = items
            .iter()
            .enumerate()
            .map(|(i, &start)| start..items.get(i + 1).copied().unwrap_or(text.len()))
            .collect();
        ListPositions {
            path,
            text,
            items: ranges,
        }
    }

    fn at(&self, offset: usize, len: usize) -> Location {
        Location::from_offset(self.path, self.text, offset, len)
    }

    /// The `-` that starts item `index`.
    pub fn item(&self, index: usize) -> Location {
        let offset = self.items.get(index).map_or(0, |r| r.start);
        self.at(offset, 1)
    }

    /// The byte offsets of `key` and of its value in item `index`.
    fn find_key(&self, index: usize, key: &str) -> Option<(usize, usize)> {
        let range = self.items.get(index)?;
        let mut offset = range.start;
        for (n, line) in self.text[range.clone()].split_inclusive('\n').enumerate() {
            // The first line holds `- key: value`; the item's other keys are indented under it.
            let content_start = if n == 0 {
                line.find('-').map(|i| i + 1)?
            } else {
                0
            };
            let content = &line[content_start..];
            let trimmed = content.trim_start_matches([' ', '\t']);
            let key_offset = offset + content_start + (content.len() - trimmed.len());
            let unquoted = trimmed.trim_start_matches(['"', '\'']);
            let quote_len = trimmed.len() - unquoted.len();
            if let Some(after) = unquoted.strip_prefix(key) {
                let after = after.trim_start_matches(['"', '\'']);
                if let Some(value) = after.strip_prefix(':') {
                    let value_text = value.trim_start_matches([' ', '\t']);
                    let value_offset = if value_text.trim().is_empty() {
                        key_offset + quote_len
                    } else {
                        offset + line.len() - value_text.len()
                    };
                    return Some((key_offset + quote_len, value_offset));
                }
            }
            offset += line.len();
        }
        None
    }

    /// The name of field `key` of item `index`.
    pub fn key(&self, index: usize, key: &str) -> Location {
        match self.find_key(index, key) {
            Some((offset, _)) => self.at(offset, key.len()),
            None => self.item(index),
        }
    }

    /// The value of field `key` of item `index` (its name when the value is on later lines).
    pub fn value(&self, index: usize, key: &str) -> Location {
        match self.find_key(index, key) {
            Some((_, offset)) => {
                let line_end = self.text[offset..]
                    .find('\n')
                    .map_or(self.text.len(), |i| offset + i);
                let len = self.text[offset..line_end].trim_end().len().max(1);
                self.at(offset, len)
            }
            None => self.item(index),
        }
    }

    /// `needle` written in the value of field `key` of item `index` (an entry of a list), else
    /// the value.
    pub fn entry(&self, index: usize, key: &str, needle: &str) -> Location {
        let found = self.find_key(index, key).and_then(|(_, value)| {
            let end = self.items[index].end;
            self.text[value..end].find(needle).map(|i| value + i)
        });
        match found {
            Some(offset) => self.at(offset, needle.len()),
            None => self.value(index, key),
        }
    }
}

/// The byte offset of each top-level `- ` line: the first list item's indentation is the list's.
fn item_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut indent = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let this_indent = line.len() - trimmed.len();
        let is_item = trimmed.starts_with("- ")
            || trimmed.starts_with("-\n")
            || trimmed.starts_with("-\r")
            || trimmed == "-";
        if is_item && indent.is_none_or(|i| i == this_indent) {
            indent = Some(this_indent);
            starts.push(offset + this_indent);
        }
        offset += line.len();
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "# terms\n- term: SBOM\n  definition: x\n  see: [SPDX, CLA]\n-   term: CLA\n    aliases:\n      - contributor agreement\n";

    #[test]
    fn items_and_fields_are_found_in_the_text() {
        let list = ListPositions::new(Path::new("data/g.yaml"), LIST, 2);
        let at = |l: Location| (l.line, l.column, l.width);
        assert_eq!(at(list.item(1)), (5, 1, 1));
        assert_eq!(at(list.key(0, "term")), (2, 3, 4));
        assert_eq!(at(list.value(0, "term")), (2, 9, 4));
        assert_eq!(at(list.entry(0, "see", "CLA")), (4, 15, 3));
        assert_eq!(at(list.value(1, "term")), (5, 11, 3));
        // A value on the following lines: the field's name.
        assert_eq!(at(list.value(1, "aliases")), (6, 5, 8));
        assert_eq!(at(list.entry(1, "aliases", "contributor")), (7, 9, 11));
        // Unknown fields fall back to the item.
        assert_eq!(at(list.key(1, "name")), (5, 1, 1));
    }

    #[test]
    fn a_list_the_scan_cannot_follow_falls_back_to_the_first_line() {
        let list = ListPositions::new(Path::new("g.yaml"), "[{term: A}, {term: B}]\n", 2);
        assert_eq!(list.value(1, "term").line, 1);
    }

    #[test]
    fn obscure_errors_are_explained() {
        let tab = parse::<serde_json::Value>("tags:\n\t- tools\n").unwrap_err();
        assert!(tab.message.starts_with("a tab indents"), "{}", tab.message);
        assert_eq!(tab.position.map(|p| p.0), Some(2));
        let deep = format!("x: {}", "[".repeat(1000));
        let deep = parse::<serde_json::Value>(&deep).unwrap_err();
        assert_eq!(
            deep.message,
            "lists or mappings are nested more than 128 deep"
        );
    }

    #[test]
    fn a_repeated_key_is_shown_where_it_is_repeated() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Page {
            title: String,
        }
        let err = parse::<Page>("title: A\nnested:\n  title: x\ntitle: B\n").unwrap_err();
        assert_eq!(err.message, "the field `title` is set twice");
        assert_eq!(err.position, Some((4, 1)));
    }

    #[test]
    fn errors_have_positions_and_no_rust_types() {
        let err = parse::<serde_json::Value>("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.position.is_some());
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }
}
