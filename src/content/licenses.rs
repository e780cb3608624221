//! The licence list: `data/licenses.yaml`, one entry per licence with its SPDX id, name,
//! category (allowed, needs review, not allowed) and notes, which the default theme's
//! `licenses.html` shows as a filterable table.
//!
//! Ids are checked against the SPDX licence list shipped in the `spdx` crate: an id that is not
//! in it, or is deprecated there, is a warning with the id to use instead.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::base::diag::{Diagnostic, did_you_mean};
use crate::content::glossary::{foreign_shape, unsafe_link};
use crate::content::markdown::{LinkResolver, render_inline};
use crate::input::data::{Data, Item, ListFile};

/// The key of the licence list's data file (`data/licenses.yaml`).
pub const LICENSES_KEY: &str = "licenses";

/// Fields an entry may have.
const FIELDS: &[&str] = &["id", "name", "category", "notes"];

/// The categories, as written in the file and in words.
const CATEGORIES: &[(&str, &str)] = &[
    ("allowed", "Allowed"),
    ("needs-review", "Needs review"),
    ("not-allowed", "Not allowed"),
];

/// The page links in notes are resolved from.
const NOTES_FROM: &str = "licenses.md";

/// One licence, as templates see it (`licenses` in every template).
#[derive(Debug, Clone, Serialize)]
pub struct License {
    /// The SPDX id as written (`Apache-2.0`); also the id of its table row.
    pub id: String,
    /// The licence's name: as written, else the SPDX list's full name, else the id.
    pub name: String,
    /// `allowed`, `needs-review` or `not-allowed`.
    pub category: &'static str,
    /// The category in words (`Needs review`).
    pub category_label: &'static str,
    /// The notes as HTML (trusted: raw HTML in the file is escaped); empty when there are none.
    pub notes: String,
    /// The notes as plain text, for filtering.
    pub notes_text: String,
}

/// Reads and checks `data/licenses.yaml`; an empty list when the site has none.
pub fn load(data: &Data, links: &dyn LinkResolver) -> (Vec<License>, Vec<Diagnostic>) {
    let Some(file) = data.file(LICENSES_KEY) else {
        return (Vec::new(), Vec::new());
    };
    if !ListFile::has_shape(file, "category", FIELDS) {
        return (
            Vec::new(),
            vec![foreign_shape(
                file,
                "licence list",
                "id` and `category",
                FIELDS,
            )],
        );
    }
    let list = match ListFile::new(file, "a list of licences") {
        Ok(list) => list,
        Err(d) => return (Vec::new(), vec![d]),
    };
    let mut diagnostics = Vec::new();
    let mut licenses = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for index in 0..list.len() {
        let item = match list.item(index) {
            Ok(item) => item,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        match read_license(&item, links, &mut diagnostics) {
            Ok(license) => {
                if let Some(first) = seen.insert(license.id.to_lowercase(), license.id.clone()) {
                    diagnostics.push(
                        Diagnostic::error(format!("the licence `{first}` is listed twice"))
                            .at(item.value_location("id"))
                            .with_help("keep one entry per licence"),
                    );
                }
                licenses.push(license);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    (licenses, diagnostics)
}

fn read_license(
    item: &Item<'_>,
    links: &dyn LinkResolver,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<License, Diagnostic> {
    diagnostics.extend(item.unknown_fields(FIELDS));
    let id = item.required("id")?;
    let written = item.required("category")?;
    let Some(&(category, category_label)) = CATEGORIES.iter().find(|(c, _)| *c == written) else {
        let names: Vec<&str> = CATEGORIES.iter().map(|(c, _)| *c).collect();
        let help = match did_you_mean(&written, &names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of {}", quoted(&names)),
        };
        return Err(Diagnostic::error(format!(
            "unknown licence category `{written}`, expected one of {}",
            quoted(&names)
        ))
        .at(item.value_location("category"))
        .with_help(help));
    };
    let spdx = spdx::license_id(&id).filter(|l| l.name == id);
    match spdx {
        Some(license) if license.is_deprecated() => diagnostics.push(
            Diagnostic::warning(format!("`{id}` is a deprecated SPDX licence id"))
                .at(item.value_location("id"))
                .with_help(deprecated_help(&id)),
        ),
        Some(_) => {}
        None => {
            let mut d = Diagnostic::warning(format!("`{id}` is not in the SPDX licence list"))
                .at(item.value_location("id"));
            if let Some(suggestion) = suggest_id(&id) {
                d = d.with_help(format!("did you mean `{suggestion}`?"));
            } else {
                d = d.with_help("use an identifier from https://spdx.org/licenses/");
            }
            diagnostics.push(d);
        }
    }
    let notes = item.string("notes")?.unwrap_or_default();
    let rendered = render_inline(&notes, Path::new(NOTES_FROM), links);
    for (message, help) in rendered.broken_links {
        let mut d = Diagnostic::error(message).at(item.value_location("notes"));
        if let Some(help) = help {
            d = d.with_help(format!(
                "{help}; links in notes start from the content folder"
            ));
        }
        diagnostics.push(d);
    }
    for url in &rendered.unsafe_links {
        diagnostics.push(
            unsafe_link(&format!("the notes of `{id}`"), url).at(item.value_location("notes")),
        );
    }
    let name = match item.string("name")?.filter(|n| !n.trim().is_empty()) {
        Some(name) => name.trim().to_string(),
        None => spdx.map_or_else(|| id.clone(), |l| l.full_name.to_string()),
    };
    Ok(License {
        id,
        name,
        category,
        category_label,
        notes: rendered.html,
        notes_text: rendered.text,
    })
}

/// `` `a`, `b` or `c` ``.
fn quoted(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// What to write instead of a deprecated id: GNU licences (`GPL-2.0`, `GPL-2.0+`) have an
/// `-only` and an `-or-later` form, and the choice between them is the author's.
fn deprecated_help(id: &str) -> String {
    let base = id.trim_end_matches('+');
    let only = spdx::gnu_license_id(base, false).filter(|l| !l.is_deprecated());
    let later = spdx::gnu_license_id(base, true).filter(|l| !l.is_deprecated());
    match (only, later) {
        (_, Some(later)) if id.ends_with('+') => format!("use `{}`", later.name),
        (Some(only), Some(later)) => format!(
            "use `{}` or `{}`, whichever the licence grants",
            only.name, later.name
        ),
        _ => "use the current identifier from https://spdx.org/licenses/".to_string(),
    }
}

/// The SPDX id closest to `id`: the same id in another case, a common name for a licence
/// (`Apache 2` → `Apache-2.0`), or an id a few edits away once case and punctuation are ignored
/// (`Apache2` → `Apache-2.0`).
fn suggest_id(id: &str) -> Option<&'static str> {
    let folded = fold(id);
    let current = || {
        spdx::identifiers::LICENSES
            .iter()
            .filter(|l| !spdx::license_id(l.name).is_some_and(|id| id.is_deprecated()))
    };
    if let Some(l) = current().find(|l| fold(l.name) == folded) {
        return Some(l.name);
    }
    if let Some((l, len)) = spdx::imprecise_license_id(id)
        && len == id.len()
    {
        return Some(l.name);
    }
    current()
        .map(|l| (strsim::levenshtein(&folded, &fold(l.name)), l.name))
        .filter(|(distance, name)| *distance <= (name.len() / 5).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Lower case, letters and digits only.
fn fold(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_ids_are_suggested() {
        assert_eq!(suggest_id("Apache2"), Some("Apache-2.0"));
        assert_eq!(suggest_id("apache-2.0"), Some("Apache-2.0"));
        assert_eq!(suggest_id("BSD3-Clause"), Some("BSD-3-Clause"));
        assert_eq!(suggest_id("MTI"), None);
        assert_eq!(suggest_id("Completely made up"), None);
    }

    #[test]
    fn deprecated_gnu_ids_suggest_both_forms() {
        assert!(spdx::license_id("GPL-2.0").unwrap().is_deprecated());
        assert_eq!(
            deprecated_help("GPL-2.0"),
            "use `GPL-2.0-only` or `GPL-2.0-or-later`, whichever the licence grants"
        );
        assert_eq!(deprecated_help("LGPL-2.1+"), "use `LGPL-2.1-or-later`");
    }

    #[test]
    fn categories_are_listed_in_words() {
        assert_eq!(quoted(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
