//! Data files: every `*.yaml` / `*.yml` under `data/`, read once per build and given to every
//! template as `data`, keyed by path without extension (`data/team/people.yaml` →
//! `data.team.people`). The glossary and the licence list are data files that Folio also
//! checks and uses itself (see [`crate::content::glossary`] and [`crate::content::licenses`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use walkdir::WalkDir;

use crate::base::diag::{Diagnostic, Location, did_you_mean};
use crate::base::yaml::{self, ListPositions};
use crate::input::source;

/// The folder of data files, under the site root.
pub const DATA_DIR: &str = "data";

/// One data file, parsed.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Path shown in diagnostics (`data/licenses.yaml`).
    pub display_path: PathBuf,
    /// The file's text, for positions in diagnostics.
    pub text: String,
    /// The parsed YAML (null for an empty file).
    pub value: Value,
}

/// Every data file of the site.
#[derive(Debug, Clone)]
pub struct Data {
    /// Files by key: the path under data/ without extension, with `/` separators.
    files: BTreeMap<String, DataFile>,
    /// The values nested by key, as templates see them.
    tree: Value,
}

impl Default for Data {
    fn default() -> Self {
        Data {
            files: BTreeMap::new(),
            tree: Value::Object(Map::new()),
        }
    }
}

impl Data {
    /// Reads every data file under `root/data/`. A site without that folder has no data. Files
    /// that cannot be read or parsed are reported and left out.
    pub fn load(root: &Path) -> (Data, Vec<Diagnostic>) {
        let mut data = Data::default();
        let mut diagnostics = Vec::new();
        let dir = root.join(DATA_DIR);
        if !dir.is_dir() {
            return (data, diagnostics);
        }
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    diagnostics.push(Diagnostic::error(format!("cannot read `data/`: {e}")));
                    continue;
                }
            };
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            if entry.depth() > 0 && entry.path_is_symlink() && would_be_read(entry.path(), rel) {
                let shown = Path::new(DATA_DIR).join(rel);
                diagnostics.push(source::skipped_symlink(&shown, DATA_DIR));
                continue;
            }
            if !entry.file_type().is_file() || !is_data_file(rel) {
                continue;
            }
            match read_file(entry.path(), rel) {
                Ok(file) => {
                    if let Err(d) = data.insert(&key_of(rel), file) {
                        diagnostics.push(d);
                    }
                }
                Err(d) => diagnostics.push(d),
            }
        }
        (data, diagnostics)
    }

    /// The file with this key (`licenses`, `team/people`), if the site has it.
    pub fn file(&self, key: &str) -> Option<&DataFile> {
        self.files.get(key)
    }

    /// All values, nested by key: `data` in templates.
    pub fn tree(&self) -> &Value {
        &self.tree
    }

    /// Adds `file` under `key`; a key another file (or folder) already gives is an error.
    fn insert(&mut self, key: &str, file: DataFile) -> Result<(), Diagnostic> {
        if let Some(other) = self.taken_by(key) {
            return Err(Diagnostic::error(format!(
                "`{}` and `{other}` both give `data.{}`",
                file.display_path.display(),
                key.replace('/', ".")
            ))
            .at(Location::from_offset(&file.display_path, &file.text, 0, 1))
            .with_help("rename one of them"));
        }
        let mut node = &mut self.tree;
        let (parents, name) = key.rsplit_once('/').unwrap_or(("", key));
        for part in parents.split('/').filter(|p| !p.is_empty()) {
            if let Value::Object(map) = node {
                node = map
                    .entry(part.to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
            }
        }
        if let Value::Object(map) = node {
            map.insert(name.to_string(), file.value.clone());
        }
        self.files.insert(key.to_string(), file);
        Ok(())
    }

    /// What already gives `key` (or a key above it, with a value that is not a folder), if
    /// anything does.
    fn taken_by(&self, key: &str) -> Option<String> {
        let parts: Vec<&str> = key.split('/').collect();
        let mut node = &self.tree;
        for (depth, part) in parts.iter().enumerate() {
            let Value::Object(map) = node else {
                return Some(self.display_of(&parts[..depth].join("/")));
            };
            node = map.get(*part)?;
        }
        Some(self.display_of(key))
    }

    /// How to name what gives `key` in a message: its file, or else its folder.
    fn display_of(&self, key: &str) -> String {
        match self.files.get(key) {
            Some(file) => file.display_path.display().to_string(),
            None => format!("{DATA_DIR}/{key}/"),
        }
    }
}

/// A data file that is a list of mappings (the glossary, the licence list), read item by item
/// with diagnostics at the item's text.
pub struct ListFile<'a> {
    /// The file.
    pub file: &'a DataFile,
    /// Where each item and field is written.
    pub positions: ListPositions<'a>,
    items: &'a [Value],
}

impl<'a> ListFile<'a> {
    /// The list in `file`; an empty file is an empty list, anything else is an error saying
    /// what the file should hold (`what`, e.g. "a list of terms").
    pub fn new(file: &'a DataFile, what: &str) -> Result<ListFile<'a>, Diagnostic> {
        let items: &[Value] = match &file.value {
            Value::Array(items) => items,
            Value::Null => &[],
            _ => {
                return Err(Diagnostic::error(format!(
                    "`{}` must be {what}",
                    file.display_path.display()
                ))
                .at(Location::from_offset(&file.display_path, &file.text, 0, 1))
                .with_help("start each entry with `- `"));
            }
        };
        Ok(ListFile {
            file,
            positions: ListPositions::new(&file.display_path, &file.text, items.len()),
            items,
        })
    }

    /// True when `file` is in the shape of a list Folio reads itself (the glossary, the licence
    /// list), so that its mistakes are errors: empty, or a list in which some entry has the
    /// field `marker`, or in which every entry is a mapping of `fields` (or of close
    /// misspellings of them). Anything else (a mapping, a list of text, entries with fields of
    /// their own and none named `marker`) is another tool's file, which stays a data file.
    pub fn has_shape(file: &DataFile, marker: &str, fields: &[&str]) -> bool {
        let items = match &file.value {
            Value::Null => return true,
            Value::Array(items) => items,
            _ => return false,
        };
        let has_marker = |item: &Value| item.as_object().is_some_and(|m| m.contains_key(marker));
        let of_fields = |item: &Value| {
            item.as_object().is_some_and(|m| {
                m.keys()
                    .all(|k| fields.contains(&k.as_str()) || did_you_mean(k, fields).is_some())
            })
        };
        items.is_empty() || items.iter().any(has_marker) || items.iter().all(of_fields)
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when the list has no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Item `index`, which must be a mapping.
    pub fn item(&self, index: usize) -> Result<Item<'_>, Diagnostic> {
        match &self.items[index] {
            Value::Object(map) => Ok(Item {
                list: self,
                index,
                map,
            }),
            _ => Err(Diagnostic::error("each entry must be a mapping of fields")
                .at(self.positions.item(index))
                .with_help("write `- field: value`, one field a line")),
        }
    }
}

/// One mapping of a [`ListFile`].
pub struct Item<'l> {
    list: &'l ListFile<'l>,
    /// Its position in the list.
    pub index: usize,
    map: &'l Map<String, Value>,
}

impl Item<'_> {
    /// Field `key` as text (numbers and booleans are taken as written); `None` when absent or
    /// null. Any other value is an error at it.
    pub fn string(&self, key: &str) -> Result<Option<String>, Diagnostic> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(_) => {
                Err(Diagnostic::error(format!("`{key}` must be text")).at(self.value_location(key)))
            }
        }
    }

    /// Field `key` as non-empty text; missing is an error at the item.
    pub fn required(&self, key: &str) -> Result<String, Diagnostic> {
        match self.string(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            _ => Err(Diagnostic::error(format!("this entry has no `{key}`"))
                .at(self.value_location(key))
                .with_help(format!("add `{key}: ...` to the entry"))),
        }
    }

    /// Field `key` as a list of text: `[a, b]`, a block list, or one value alone.
    pub fn strings(&self, key: &str) -> Result<Vec<String>, Diagnostic> {
        let error = || {
            Diagnostic::error(format!("`{key}` must be a list of text"))
                .at(self.value_location(key))
        };
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s.trim().to_string()]),
            Some(Value::Array(values)) => values
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.trim().to_string()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err(error()),
                })
                .collect(),
            Some(_) => Err(error()),
        }
    }

    /// A warning for each field not in `known`, with a did-you-mean.
    pub fn unknown_fields(&self, known: &[&str]) -> Vec<Diagnostic> {
        self.map
            .keys()
            .filter(|key| !known.contains(&key.as_str()))
            .map(|key| {
                let d = Diagnostic::warning(format!("unknown field `{key}` is ignored"))
                    .at(self.key_location(key));
                match did_you_mean(key, known) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(format!("known fields: {}", known.join(", "))),
                }
            })
            .collect()
    }

    /// Where field `key` is named (the item's `-` when it is not written).
    pub fn key_location(&self, key: &str) -> Location {
        self.list.positions.key(self.index, key)
    }

    /// Where the value of field `key` is written.
    pub fn value_location(&self, key: &str) -> Location {
        self.list.positions.value(self.index, key)
    }

    /// Where `entry` is written in the value of field `key`.
    pub fn entry_location(&self, key: &str, entry: &str) -> Location {
        self.list.positions.entry(self.index, key, entry)
    }
}

/// True for a `.yaml` or `.yml` file that is not hidden or an editor's temporary file.
fn is_data_file(rel: &Path) -> bool {
    let hidden = rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') || source::is_ignored(&name)
    });
    let yaml = rel
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    yaml && !hidden
}

/// True when a link at `path` would have been read had it been a file or folder: a data file,
/// or a folder (which may hold some) that is not hidden.
fn would_be_read(path: &Path, rel: &Path) -> bool {
    let to_folder = std::fs::metadata(path).is_ok_and(|m| m.is_dir());
    is_data_file(rel) || (to_folder && is_data_file(&rel.join("x.yaml")))
}

/// `team/people` for `team/people.yaml`.
fn key_of(rel: &Path) -> String {
    rel.with_extension("").to_string_lossy().replace('\\', "/")
}

fn read_file(path: &Path, rel: &Path) -> Result<DataFile, Diagnostic> {
    let display_path = Path::new(DATA_DIR).join(rel);
    let text = source::read_text(path, &display_path)?;
    let value = yaml::parse::<Option<Value>>(&text).map_err(|e| {
        let (line, column) = e.position.unwrap_or((1, 1));
        let d = Diagnostic::error(format!("invalid data file: {}", e.message))
            .at(Location::from_line_col(&display_path, &text, line, column));
        match e.help {
            Some(help) => d.with_help(help),
            None => d,
        }
    })?;
    Ok(DataFile {
        display_path,
        text,
        value: value.unwrap_or(Value::Null),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, (Data, Vec<Diagnostic>)) {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let loaded = Data::load(dir.path());
        (dir, loaded)
    }

    #[test]
    fn files_are_keyed_by_path_without_extension() {
        let (_dir, (data, errors)) = site(&[
            ("data/licenses.yaml", "- id: MIT\n"),
            ("data/team/people.yml", "lead: Ada\n"),
            ("data/empty.yaml", ""),
            ("data/notes.txt", "ignored"),
            ("data/.hidden.yaml", "x: 1"),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            data.tree(),
            &serde_json::json!({
                "licenses": [{"id": "MIT"}],
                "team": {"people": {"lead": "Ada"}},
                "empty": null,
            })
        );
        assert_eq!(
            data.file("team/people").unwrap().display_path,
            Path::new("data/team/people.yml")
        );
    }

    #[test]
    fn no_data_folder_is_empty_data() {
        let (_dir, (data, errors)) = site(&[]);
        assert!(errors.is_empty());
        assert_eq!(data.tree(), &serde_json::json!({}));
    }

    #[test]
    fn clashing_keys_and_bad_yaml_are_errors() {
        let (_dir, (data, errors)) = site(&[
            ("data/a.yaml", "x: 1\n"),
            ("data/a.yml", "x: 2\n"),
            ("data/bad.yaml", "ok: 1\nlist: [1, 2\n"),
        ]);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(
            errors[0].message,
            "`data/a.yml` and `data/a.yaml` both give `data.a`"
        );
        assert!(errors[1].message.starts_with("invalid data file:"));
        assert_eq!(
            errors[1].location.as_ref().unwrap().path,
            Path::new("data/bad.yaml")
        );
        assert_eq!(data.tree(), &serde_json::json!({"a": {"x": 1}}));
    }
}
