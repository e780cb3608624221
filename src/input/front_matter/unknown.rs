//! Unknown front-matter fields: each is ignored, and a build reports each field name once, with
//! how many pages set it and where first, so that a handbook whose pages all carry a field of
//! another generator's theme gets one line about it, not one per page.

use std::collections::BTreeMap;

use crate::base::diag::{Diagnostic, Location, plural};

/// A field Folio does not know, in one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownField {
    /// Its path: `titel`, or `eleventyNavigation.colour` for a field inside a known one.
    pub field: String,
    /// Where it is set, when it is set at the top level.
    pub location: Option<Location>,
    /// A did-you-mean hint, or where custom fields go.
    pub help: String,
}

impl UnknownField {
    /// The warning about this field alone.
    pub fn diagnostic(&self) -> Diagnostic {
        let mut d = Diagnostic::warning(format!(
            "unknown front-matter field `{}` is ignored",
            self.field
        ))
        .with_help(self.help.clone());
        if let Some(location) = &self.location {
            d = d.at(location.clone());
        }
        d
    }
}

/// One warning per field name: the first use (by file, then line), with the number of pages
/// setting it when more than one does.
pub fn report_unknown(mut fields: Vec<UnknownField>) -> Vec<Diagnostic> {
    fields.sort_by(|a, b| {
        let key = |f: &UnknownField| {
            f.location
                .as_ref()
                .map(|l| (l.path.clone(), l.line, l.column))
        };
        key(a).cmp(&key(b))
    });
    let mut by_name: BTreeMap<String, (usize, UnknownField)> = BTreeMap::new();
    for field in fields {
        by_name
            .entry(field.field.clone())
            .and_modify(|(count, _)| *count += 1)
            .or_insert((1, field));
    }
    by_name
        .into_values()
        .map(|(count, first)| {
            let mut d = first.diagnostic();
            if count > 1 {
                match &first.location {
                    Some(at) => {
                        d.message = format!(
                            "{} ({}; first at {}:{}:{})",
                            d.message,
                            plural(count, "page"),
                            at.path.display(),
                            at.line,
                            at.column
                        );
                    }
                    None => d.message = format!("{} ({})", d.message, plural(count, "page")),
                }
            }
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn field(name: &str, path: &str, line: usize) -> UnknownField {
        let text = "a: 1\n".repeat(line);
        UnknownField {
            field: name.to_string(),
            location: Some(Location::from_line_col(Path::new(path), &text, line, 1)),
            help: "put it under `extra:`".to_string(),
        }
    }

    #[test]
    fn one_warning_per_name_with_the_count_and_the_first_place() {
        let found = report_unknown(vec![
            field("sidebar_colour", "content/b.md", 2),
            field("sidebar_colour", "content/a.md", 3),
            field("titel", "content/c.md", 2),
        ]);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown front-matter field `sidebar_colour` is ignored (2 pages; first at content/a.md:3:1)",
                "unknown front-matter field `titel` is ignored",
            ]
        );
        let at = found[0].location.as_ref().unwrap();
        assert_eq!((at.path.as_path(), at.line), (Path::new("content/a.md"), 3));
    }
}
