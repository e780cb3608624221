//! Synonyms: `data/synonyms.yaml`, groups of words, phrases and abbreviations that search treats
//! as one (`a11y`, `accessibility`, `screen reader`), read and checked here; search applies
//! them (see `crate::search::synonyms`).
//!
//! ```yaml
//! - words: [accessibility, a11y, screen reader]
//! - words: [SBOM, software bill of materials]
//! ```
//!
//! Each entry is written as a reader would type it; the first of a group names the group.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::base::diag::Diagnostic;
use crate::content::glossary::foreign_shape;
use crate::input::data::{Data, Item, ListFile};

/// The key of the synonyms' data file (`data/synonyms.yaml`).
pub const SYNONYMS_KEY: &str = "synonyms";

/// Fields a group may have.
const FIELDS: &[&str] = &["words"];

/// The site's synonym groups, each entry as written (trimmed), in the file's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Synonyms {
    /// The groups: each at least two entries, none without a letter or digit.
    pub groups: Vec<Vec<String>>,
}

impl Synonyms {
    /// True when there are no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// Reads and checks `data/synonyms.yaml`; no groups when the site has none. A group with a
/// mistake is left out, with an error at the mistake.
pub fn load(data: &Data) -> (Synonyms, Vec<Diagnostic>) {
    let Some(file) = data.file(SYNONYMS_KEY) else {
        return (Synonyms::default(), Vec::new());
    };
    if !ListFile::has_shape(file, "words", FIELDS) {
        let note = foreign_shape(file, "synonyms", "words", FIELDS);
        return (Synonyms::default(), vec![note]);
    }
    let list = match ListFile::new(file, "a list of synonym groups") {
        Ok(list) => list,
        Err(d) => return (Synonyms::default(), vec![d]),
    };
    let mut diagnostics = Vec::new();
    let mut groups = Vec::new();
    // Each entry (lower-cased) and the line of the group that first has it.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for index in 0..list.len() {
        let item = match list.item(index) {
            Ok(item) => item,
            Err(d) => {
                diagnostics.push(d.with_help("write `- words: [a11y, accessibility]`"));
                continue;
            }
        };
        diagnostics.extend(item.unknown_fields(FIELDS));
        match read_group(&item, &mut seen, &mut diagnostics) {
            Ok(group) => groups.push(group),
            Err(d) => diagnostics.push(d),
        }
    }
    (Synonyms { groups }, diagnostics)
}

/// One group's entries; an entry twice in the group is a warning and kept once, an entry of
/// another group too (a word in two groups matches both).
fn read_group(
    item: &Item<'_>,
    seen: &mut HashMap<String, usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<String>, Diagnostic> {
    if item.string("words").is_ok_and(|w| w.is_none()) {
        return Err(Diagnostic::error("this group has no `words`")
            .at(item.key_location("words"))
            .with_help("list the words that mean the same: `words: [a11y, accessibility]`"));
    }
    let entries = item.strings("words")?;
    let mut group: Vec<String> = Vec::new();
    for entry in entries {
        let at = || item.entry_location("words", &entry);
        if !entry.chars().any(char::is_alphanumeric) {
            return Err(Diagnostic::error(format!(
                "`{entry}` has no letter or digit, so search cannot match it"
            ))
            .at(at())
            .with_help("search matches words: write the entry with its letters"));
        }
        let key = normalize(&entry);
        if group.iter().any(|g| normalize(g) == key) {
            diagnostics.push(
                Diagnostic::warning(format!("`{entry}` is in this group twice"))
                    .at(at())
                    .with_help("remove one of them"),
            );
            continue;
        }
        if let Some(&other) = seen.get(&key)
            && other != item.index
        {
            diagnostics.push(
                Diagnostic::warning(format!(
                    "`{entry}` is also in group {} of this file, so it matches the words of \
                     both groups",
                    other + 1
                ))
                .at(at())
                .with_help("merge the two groups, or keep the entry in one of them"),
            );
        }
        seen.entry(key).or_insert(item.index);
        group.push(entry);
    }
    if group.len() < 2 {
        return Err(
            Diagnostic::error("a synonym group needs at least two entries")
                .at(item.value_location("words"))
                .with_help("add the words that mean the same, or remove the group"),
        );
    }
    Ok(group)
}

/// An entry as search compares it: lower-cased, one space between words.
pub(super) fn normalize(entry: &str) -> String {
    entry
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> (Synonyms, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::write(dir.path().join("data/synonyms.yaml"), text).unwrap();
        let (data, errors) = Data::load(dir.path());
        assert!(errors.is_empty(), "{errors:?}");
        load(&data)
    }

    fn at(d: &Diagnostic) -> (usize, usize) {
        let l = d.location.as_ref().expect("a location");
        (l.line, l.column)
    }

    #[test]
    fn groups_are_read_in_order() {
        let (synonyms, found) = load_text(
            "# comment\n- words: [a11y, accessibility, screen reader]\n- words:\n    - SBOM\n    - software bill of materials\n",
        );
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(
            synonyms.groups,
            [
                vec!["a11y", "accessibility", "screen reader"],
                vec!["SBOM", "software bill of materials"],
            ]
        );
    }

    #[test]
    fn mistakes_are_reported_where_they_are() {
        let (synonyms, found) = load_text(
            "- words: [a11y]\n- word: [x, y]\n- words: [C#, \"++\"]\n- words: [ok, fine, OK]\n- words: [fine, good]\n- just text\n",
        );
        let messages: Vec<(String, (usize, usize))> =
            found.iter().map(|d| (d.message.clone(), at(d))).collect();
        assert_eq!(
            messages,
            [
                ("a synonym group needs at least two entries".to_string(), (1, 10)),
                ("unknown field `word` is ignored".to_string(), (2, 3)),
                ("this group has no `words`".to_string(), (2, 1)),
                (
                    "`++` has no letter or digit, so search cannot match it".to_string(),
                    (3, 16)
                ),
                ("`OK` is in this group twice".to_string(), (4, 21)),
                (
                    "`fine` is also in group 4 of this file, so it matches the words of both groups"
                        .to_string(),
                    (5, 11)
                ),
                ("each entry must be a mapping of fields".to_string(), (6, 1)),
            ]
        );
        assert_eq!(synonyms.groups, [vec!["ok", "fine"], vec!["fine", "good"]]);
    }

    #[test]
    fn a_file_of_another_shape_is_left_to_templates() {
        let (synonyms, found) = load_text("colour: [color, hue]\n");
        assert!(synonyms.is_empty());
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains("not in the shape of Folio's synonyms")
        );
    }
}
