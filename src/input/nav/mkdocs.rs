//! MkDocs: the `nav` of mkdocs.yml, and the `.pages` files of the awesome-pages plugin.
//!
//! Both write entries the same way: `page.md`, `Title: page.md`, `Title: https://…`,
//! `Title:` with a list of entries under it (a section), and, with awesome-pages, `...` for the
//! rest. A `.pages` file adds `title`, `hide`, `order` (`asc`/`desc`), `sort_type`, `order_by`
//! and the old name of `nav`, `arrange` (a list of names, with `...` added at the end when
//! missing).

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{
    Finder, FolderSettings, NavEntry, NavResult, NavTarget, Parsed, Sort, is_url, resolve, rest,
    top_level_key, unknown_keys,
};
use crate::base::diag::{Diagnostic, Location};
use crate::base::yaml::{YamlError, parse_tracking};

/// One entry as written, before paths are resolved.
#[derive(Debug)]
enum RawItem {
    /// `page.md`, `folder`, `https://…` or `...`.
    Plain(String),
    /// `Title: page.md` or `Title: https://…`.
    Titled(String, String),
    /// `Title:` and a list of entries.
    Section(String, Vec<RawItem>),
}

/// What a nav entry may be, for type errors.
const ENTRY_SHAPES: &str = "a page (`page.md`), a titled page (`Title: page.md`), a link (`Title: https://…`) or a section (`Title:` with a list of entries under it)";

impl<'de> Deserialize<'de> for RawItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawItem, D::Error> {
        deserializer.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = RawItem;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(ENTRY_SHAPES)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawItem, E> {
        Ok(RawItem::Plain(v.to_string()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawItem, A::Error> {
        let Some(title) = map.next_key::<Text>()? else {
            return Err(de::Error::custom(format!(
                "an empty mapping is no nav entry: write {ENTRY_SHAPES}"
            )));
        };
        let value: EntryValue = map.next_value()?;
        if map.next_key::<Text>()?.is_some() {
            return Err(de::Error::custom(format!(
                "the nav entry `{}` has more than one title: write each page as a list item of its own (`- Title: page.md`)",
                title.0
            )));
        }
        Ok(match value {
            EntryValue::Target(target) => RawItem::Titled(title.0, target),
            EntryValue::Children(children) => RawItem::Section(title.0, children),
        })
    }
}

/// A title: YAML reads `2024: page.md` with a number as the key, which is still a title.
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a title")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// The value under a title: a target, or a section's entries.
enum EntryValue {
    Target(String),
    Children(Vec<RawItem>),
}

impl<'de> Deserialize<'de> for EntryValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<EntryValue, D::Error> {
        struct ValueVisitor;
        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = EntryValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a page, a link, or a list of entries")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EntryValue, E> {
                Ok(EntryValue::Target(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<EntryValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(EntryValue::Children(items))
            }
            fn visit_unit<E: de::Error>(self) -> Result<EntryValue, E> {
                Err(E::custom(
                    "this nav entry has a title and nothing after it: give it a page (`Title: page.md`) or a list of entries",
                ))
            }
        }
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// The keys of mkdocs.yml this reader needs.
#[derive(Deserialize)]
struct MkDocsFile {
    #[serde(default)]
    nav: Option<Vec<RawItem>>,
}

/// Reads the `nav` of mkdocs.yml (`text`, shown as `display_path`): `None` when it has none.
/// Paths are relative to `docs_dir`, which is the content folder.
pub fn mkdocs_nav(display_path: &Path, text: &str) -> NavResult<Option<Vec<NavEntry>>> {
    let file: MkDocsFile = parse_tracking(text, &mut Vec::new())
        .map_err(|e| vec![yaml_error(display_path, text, e)])?;
    let Some(items) = file.nav else {
        return Ok(Parsed {
            value: None,
            warnings: Vec::new(),
        });
    };
    let start = top_level_key(text, "nav").unwrap_or(0);
    let mut finder = Finder::new(display_path, text, start);
    let mut errors = Vec::new();
    let entries = convert(&items, "", &mut finder, &mut errors);
    if errors.is_empty() {
        Ok(Parsed {
            value: Some(entries),
            warnings: Vec::new(),
        })
    } else {
        Err(errors)
    }
}

/// The keys of a `.pages` file.
#[derive(Deserialize)]
struct PagesFile {
    title: Option<String>,
    nav: Option<Vec<RawItem>>,
    arrange: Option<Vec<String>>,
    hide: Option<bool>,
    order: Option<OrderValue>,
    sort_type: Option<SortType>,
    order_by: Option<OrderBy>,
    // Known, and about how MkDocs draws the sidebar: accepted without effect.
    #[allow(dead_code)]
    collapse: Option<bool>,
    #[allow(dead_code)]
    collapse_single_pages: Option<bool>,
    #[allow(dead_code)]
    ignore_case: Option<bool>,
}

const PAGES_KEYS: &[&str] = &[
    "title",
    "nav",
    "arrange",
    "hide",
    "order",
    "sort_type",
    "order_by",
    "collapse",
    "collapse_single_pages",
    "ignore_case",
];

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum OrderValue {
    Asc,
    Desc,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum SortType {
    Natural,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum OrderBy {
    Title,
    Filename,
}

/// Reads a `.pages` file (`text`, shown as `display_path`) of `folder` (relative to the content
/// folder). Its entries name things in that folder; the result's paths are relative to the
/// content folder.
pub fn awesome_pages(display_path: &Path, folder: &str, text: &str) -> NavResult<FolderSettings> {
    let mut settings = FolderSettings {
        folder: folder.to_string(),
        ..FolderSettings::default()
    };
    if is_empty_yaml(text) {
        return Ok(Parsed {
            value: settings,
            warnings: Vec::new(),
        });
    }
    let mut unknown = Vec::new();
    let file: PagesFile =
        parse_tracking(text, &mut unknown).map_err(|e| vec![yaml_error(display_path, text, e)])?;
    let warnings = unknown_keys(display_path, text, &unknown, PAGES_KEYS);
    let mut errors = Vec::new();
    let items = match (file.nav, file.arrange) {
        (Some(nav), _) => Some(nav),
        (None, Some(names)) => {
            let mut items: Vec<RawItem> = names.into_iter().map(RawItem::Plain).collect();
            let has_rest = items
                .iter()
                .any(|i| matches!(i, RawItem::Plain(p) if p.trim() == "..."));
            if !has_rest {
                items.push(RawItem::Plain("...".into()));
            }
            Some(items)
        }
        (None, None) => None,
    };
    if let Some(items) = items {
        let key = if top_level_key(text, "nav").is_some() {
            "nav"
        } else {
            "arrange"
        };
        let start = top_level_key(text, key).unwrap_or(0);
        let mut finder = Finder::new(display_path, text, start);
        let entries = convert(&items, folder, &mut finder, &mut errors);
        check_single_rest(&entries, &mut errors);
        settings.nav = Some(entries);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    settings.title = file.title.filter(|t| !t.trim().is_empty());
    settings.hidden = file.hide.unwrap_or(false);
    if file.order.is_some() || file.sort_type.is_some() || file.order_by.is_some() {
        settings.sort = Some(Sort {
            descending: file.order == Some(OrderValue::Desc),
            natural: file.sort_type == Some(SortType::Natural),
            by_title: file.order_by == Some(OrderBy::Title),
        });
    }
    Ok(Parsed {
        value: settings,
        warnings,
    })
}

/// True when a YAML text holds no value at all (empty, or only comments), which serde_yaml
/// would refuse to read as a mapping.
fn is_empty_yaml(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#') || l == "---")
}

/// awesome-pages refuses the same `...` twice in one list: the second could take nothing.
fn check_single_rest(entries: &[NavEntry], errors: &mut Vec<Diagnostic>) {
    let mut seen: Vec<&NavTarget> = Vec::new();
    for entry in entries {
        if matches!(entry.target, NavTarget::Rest { .. }) {
            if seen.contains(&&entry.target) {
                let mut d = Diagnostic::error(
                    "`...` is written twice in this list: the second would take nothing",
                )
                .with_help("keep one `...` in each list");
                if let Some(location) = &entry.location {
                    d = d.at(location.clone());
                }
                errors.push(d);
            }
            seen.push(&entry.target);
        }
        check_single_rest(&entry.children, errors);
    }
}

/// The entries of `items`, written in folder `base`, with their paths resolved and positions
/// found; a path that leaves the content folder is an error.
fn convert(
    items: &[RawItem],
    base: &str,
    finder: &mut Finder<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<NavEntry> {
    let mut entries = Vec::new();
    for item in items {
        let (title, raw_target, children) = match item {
            RawItem::Plain(target) => (None, Some(target.as_str()), None),
            RawItem::Titled(title, target) => (Some(title.as_str()), Some(target.as_str()), None),
            RawItem::Section(title, children) => (Some(title.as_str()), None, Some(children)),
        };
        let title_location = title.and_then(|t| finder.next(t));
        let target_location = raw_target.and_then(|t| finder.next(t.trim()));
        let location = title_location.or(target_location.clone());
        let target = match (raw_target, children) {
            (None, _) => NavTarget::Group,
            (Some(raw), _) => match target(base, raw) {
                Ok(target) => target,
                Err(message) => {
                    let mut d = Diagnostic::error(message);
                    if let Some(location) = target_location.or(location.clone()) {
                        d = d.at(location);
                    }
                    errors.push(d);
                    continue;
                }
            },
        };
        if title.is_some() && matches!(target, NavTarget::Rest { .. }) {
            let mut d =
                Diagnostic::error("`...` stands for the rest of the folder and takes no title")
                    .with_help("write `- ...` on its own");
            if let Some(location) = &location {
                d = d.at(location.clone());
            }
            errors.push(d);
            continue;
        }
        let children = children.map_or_else(Vec::new, |c| convert(c, base, finder, errors));
        entries.push(NavEntry {
            title: title.map(str::to_string),
            target,
            children,
            location,
        });
    }
    entries
}

/// The target of an entry written in folder `base`.
fn target(base: &str, raw: &str) -> Result<NavTarget, String> {
    let raw = raw.trim();
    if let Some(rest) = rest(raw) {
        return Ok(rest);
    }
    if raw.is_empty() {
        return Err("this nav entry names no page".into());
    }
    if is_url(raw) {
        return Ok(NavTarget::Url(raw.to_string()));
    }
    resolve(base, raw).map(NavTarget::Path)
}

/// A YAML error of a nav file as a diagnostic at its position.
fn yaml_error(display_path: &Path, text: &str, error: YamlError) -> Diagnostic {
    // serde words a value of the wrong kind as "invalid type: sequence, expected …".
    let message = match error
        .message
        .split_once(&format!(", expected {ENTRY_SHAPES}"))
    {
        Some((before, _)) => {
            let (field, found) = before.rsplit_once("invalid type: ").unwrap_or(("", before));
            let found = match found {
                "sequence" => "a list".to_string(),
                "map" => "a mapping".to_string(),
                other => other.to_string(),
            };
            format!("{field}{found} is no nav entry: write {ENTRY_SHAPES}")
        }
        None => error.message.clone(),
    };
    let mut d = Diagnostic::error(format!(
        "cannot read the navigation in `{}`: {message}",
        display_path.display()
    ));
    // serde_yaml knows no position for a few errors (a second document): the first line.
    let (line, column) = error.position.unwrap_or((1, 1));
    d = d.at(Location::from_line_col(display_path, text, line, column));
    match error.help {
        Some(help) => d.with_help(help),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MKDOCS: &str = "\
site_name: Example OSPO Handbook
theme:
  name: material
nav:
  - Home: index.md
  - Policies:
      - policies/index.md
      - Using open source: policies/using.md
      - Publishing code: policies/publishing.md
  - 'Ask the OSPO': https://chat.example.org/ospo
  - Playbooks:
      - Releasing a project: ./playbooks/../playbooks/releasing.md
      - playbooks/
  - ...
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
";

    fn page(title: Option<&str>, path: &str) -> (Option<String>, NavTarget) {
        (title.map(str::to_string), NavTarget::Path(path.to_string()))
    }

    fn shape(entries: &[NavEntry]) -> Vec<(Option<String>, NavTarget)> {
        entries
            .iter()
            .map(|e| (e.title.clone(), e.target.clone()))
            .collect()
    }

    #[test]
    fn mkdocs_nav_is_a_tree_of_titled_pages_sections_and_links() {
        let nav = mkdocs_nav(Path::new("mkdocs.yml"), MKDOCS)
            .unwrap()
            .value
            .unwrap();
        assert_eq!(
            shape(&nav),
            [
                page(Some("Home"), "index.md"),
                (Some("Policies".into()), NavTarget::Group),
                (
                    Some("Ask the OSPO".into()),
                    NavTarget::Url("https://chat.example.org/ospo".into())
                ),
                (Some("Playbooks".into()), NavTarget::Group),
                (None, NavTarget::Rest { filter: None }),
            ]
        );
        assert_eq!(
            shape(&nav[1].children),
            [
                page(None, "policies/index.md"),
                page(Some("Using open source"), "policies/using.md"),
                page(Some("Publishing code"), "policies/publishing.md"),
            ]
        );
        assert_eq!(
            shape(&nav[3].children),
            [
                page(Some("Releasing a project"), "playbooks/releasing.md"),
                page(None, "playbooks"),
            ]
        );
        // Each entry knows where it is written.
        let at = |e: &NavEntry| {
            let l = e.location.as_ref().unwrap();
            (l.line, l.column)
        };
        assert_eq!(at(&nav[0]), (5, 5));
        assert_eq!(at(&nav[1].children[0]), (7, 9));
        assert_eq!(at(&nav[2]), (10, 6));
        assert_eq!(at(&nav[3].children[1]), (13, 9));
        assert_eq!(super::super::count_entries(&nav), 10);
    }

    #[test]
    fn a_file_without_nav_has_none() {
        let parsed = mkdocs_nav(Path::new("mkdocs.yml"), "site_name: x\n").unwrap();
        assert_eq!(parsed.value, None);
    }

    #[test]
    fn malformed_entries_are_errors_at_their_line() {
        let cases = [
            (
                "nav:\n  - Home: index.md\n    About: about.md\n",
                2,
                "has more than one title",
            ),
            (
                "nav:\n  - Home: index.md\n  - Policies:\n  - faq.md\n",
                3,
                "a title and nothing after it",
            ),
            (
                "nav:\n  - Home: index.md\n  - 42\n",
                3,
                "nav[1]: integer `42` is no nav entry: write a page",
            ),
            ("nav: index.md\n", 1, "expected a list"),
            (
                "nav:\n  - Outside: ../secrets.md\n",
                2,
                "leads out of the content folder",
            ),
            ("nav:\n  - Rest: ...\n", 2, "takes no title"),
        ];
        for (text, line, message) in cases {
            let errors = mkdocs_nav(Path::new("mkdocs.yml"), text).unwrap_err();
            assert_eq!(errors.len(), 1, "{text}: {errors:?}");
            let e = &errors[0];
            assert!(e.message.contains(message), "{text}: {}", e.message);
            assert_eq!(
                e.location.as_ref().map(|l| l.line),
                Some(line),
                "{text}: {e:?}"
            );
        }
    }

    #[test]
    fn a_pages_file_orders_titles_and_hides_one_folder() {
        let text = "\
title: Continuous delivery
nav:
  - Overview: README.md
  - Pipelines in practice: pipelines.md
  - recipes
  - ...
  - Deployment tools:
      - deploy/rings.md
      - Feature flags: deploy/flags.md
  - Glossary: https://glossary.example.org/
hide: false
order: desc
sort_type: natural
collapse_single_pages: true
";
        let parsed = awesome_pages(Path::new("docs/ci-cd/.pages"), "ci-cd", text).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let settings = parsed.value;
        assert_eq!(settings.folder, "ci-cd");
        assert_eq!(settings.title.as_deref(), Some("Continuous delivery"));
        assert!(!settings.hidden);
        assert_eq!(
            settings.sort,
            Some(Sort {
                descending: true,
                natural: true,
                by_title: false
            })
        );
        let nav = settings.nav.unwrap();
        assert_eq!(
            shape(&nav),
            [
                page(Some("Overview"), "ci-cd/README.md"),
                page(Some("Pipelines in practice"), "ci-cd/pipelines.md"),
                page(None, "ci-cd/recipes"),
                (None, NavTarget::Rest { filter: None }),
                (Some("Deployment tools".into()), NavTarget::Group),
                (
                    Some("Glossary".into()),
                    NavTarget::Url("https://glossary.example.org/".into())
                ),
            ]
        );
        assert_eq!(
            shape(&nav[4].children),
            [
                page(None, "ci-cd/deploy/rings.md"),
                page(Some("Feature flags"), "ci-cd/deploy/flags.md")
            ]
        );
        assert_eq!(
            nav[2].location.as_ref().map(|l| (l.line, l.column)),
            Some((5, 5))
        );
    }

    #[test]
    fn arrange_is_the_old_nav_and_gets_the_rest_at_the_end() {
        let text = "arrange:\n  - intro.md\n  - faq\nhide: true\n";
        let settings = awesome_pages(Path::new("docs/.pages"), "", text)
            .unwrap()
            .value;
        assert!(settings.hidden);
        assert_eq!(
            shape(&settings.nav.unwrap()),
            [
                page(None, "intro.md"),
                page(None, "faq"),
                (None, NavTarget::Rest { filter: None })
            ]
        );
        let filtered = awesome_pages(
            Path::new("docs/.pages"),
            "",
            "nav:\n  - ... | glob=*-policy.md\n  - ...\n",
        )
        .unwrap()
        .value;
        assert_eq!(
            shape(&filtered.nav.unwrap()),
            [
                (
                    None,
                    NavTarget::Rest {
                        filter: Some("glob=*-policy.md".into())
                    }
                ),
                (None, NavTarget::Rest { filter: None })
            ]
        );
    }

    #[test]
    fn empty_pages_files_change_nothing_and_unknown_keys_warn() {
        let empty = awesome_pages(Path::new("docs/a/.pages"), "a", "# nothing yet\n").unwrap();
        assert_eq!(empty.value.nav, None);
        assert!(empty.warnings.is_empty());
        let parsed = awesome_pages(Path::new("docs/.pages"), "", "title: A\ntitel: B\n").unwrap();
        let w = &parsed.warnings[0];
        assert_eq!(
            w.message,
            "unknown key `titel` in `docs/.pages`: it is not read"
        );
        assert_eq!(w.help.as_deref(), Some("did you mean `title`?"));
        assert_eq!(w.location.as_ref().map(|l| l.line), Some(2));
    }

    #[test]
    fn bad_pages_files_are_errors_at_their_line() {
        let cases = [
            ("order: upwards\n", 1, "unknown variant `upwards`"),
            ("hide: maybe\n", 1, "hide"),
            ("nav:\n  - a.md\n  - ...\n  - ...\n", 4, "written twice"),
            (
                "nav:\n  - a.md\n  - [b.md, c.md]\n",
                3,
                "nav[1]: a list is no nav entry: write a page (`page.md`)",
            ),
            ("title: [x\n", 1, ""),
        ];
        for (text, line, message) in cases {
            let errors = awesome_pages(Path::new("docs/.pages"), "", text).unwrap_err();
            let e = &errors[0];
            assert!(e.message.contains(message), "{text}: {}", e.message);
            assert_eq!(
                e.location.as_ref().map(|l| l.line),
                Some(line),
                "{text}: {e:?}"
            );
        }
    }
}
