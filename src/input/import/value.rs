//! A settings file read without knowing its shape: the YAML, TOML and JSON of other generators'
//! settings, as one loose tree. Keys keep their order; YAML tags (MkDocs' `!ENV`, Python tags)
//! are kept beside their value so that the importer can say why it did not use one.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

use crate::base::diag::{Diagnostic, Location};

/// One value of a settings file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any number.
    Number(f64),
    /// A string (TOML dates come as their text).
    String(String),
    /// A list.
    List(Vec<Value>),
    /// A table or mapping, in the order written; non-string keys are written as text.
    Map(Vec<(String, Value)>),
    /// A YAML value with a tag that is not YAML's own (`!ENV [SITE_URL]`): the tag without
    /// its `!`, and the value.
    Tagged(String, Box<Value>),
}

impl Value {
    /// The value of `key` in a map (exactly as written).
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value of `key` in a map, whatever the case of its letters (Hugo's keys are
    /// case-insensitive: `baseURL` and `baseurl` are one key).
    pub(crate) fn get_ignore_case(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a path of keys (`["params", "github_repo"]`), case-insensitively when
    /// `ignore_case`.
    pub(crate) fn at(&self, path: &[&str], ignore_case: bool) -> Option<&Value> {
        path.iter().try_fold(self, |value, key| {
            if ignore_case {
                value.get_ignore_case(key)
            } else {
                value.get(key)
            }
        })
    }

    /// The text of a string, or of a number or boolean written where text was expected;
    /// `None` for anything else, an empty or blank string included.
    pub(crate) fn text(&self) -> Option<String> {
        let text = match self {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return None,
        };
        Some(text).filter(|t| !t.is_empty())
    }

    /// The entries of a map (empty for anything else).
    pub(crate) fn entries(&self) -> &[(String, Value)] {
        match self {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// A number, or a string holding one.
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// Says how a value that is not plain text is written, for "not read" notes: `!ENV`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Value::Tagged(tag, _) => format!("set with `!{tag}`"),
            Value::List(_) => "a list".into(),
            Value::Map(_) => "a mapping".into(),
            Value::Null => "empty".into(),
            Value::Bool(b) => format!("`{b}`"),
            Value::Number(n) => format!("`{n}`"),
            Value::String(s) => format!("`{s}`"),
        }
    }
}

/// The format of a settings file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `.yml`, `.yaml`.
    Yaml,
    /// `.toml`.
    Toml,
    /// `.json`.
    Json,
}

impl Format {
    /// The format of a file by its name; `None` for one Folio cannot read as data (`.js`).
    pub(crate) fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "yml" | "yaml" => Some(Format::Yaml),
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Parses `text`, the contents of the file shown as `display_path`, into a [`Value`]; a syntax
/// error is a diagnostic at its line and column.
pub(crate) fn parse(display_path: &Path, text: &str, format: Format) -> Result<Value, Diagnostic> {
    let what = format!("cannot read `{}`", display_path.display());
    match format {
        Format::Yaml => crate::base::yaml::parse::<Value>(text).map_err(|e| {
            // serde_yaml knows no position for a few errors (a second document): the first line.
            let (line, column) = e.position.unwrap_or((1, 1));
            let d = Diagnostic::error(format!("{what}: {}", e.message))
                .at(Location::from_line_col(display_path, text, line, column));
            match e.help {
                Some(help) => d.with_help(help),
                None => d,
            }
        }),
        Format::Toml => toml::from_str::<Value>(text).map_err(|e| {
            let d = Diagnostic::error(format!("{what}: {}", e.message().trim()));
            let offset = e.span().map_or(0, |s| s.start);
            d.at(Location::from_offset(display_path, text, offset, 1))
        }),
        Format::Json => serde_json::from_str::<Value>(text).map_err(|e| {
            let message = crate::base::diag::tidy_serde_message(&e.to_string());
            Diagnostic::error(format!("{what}: {message}")).at(Location::from_line_col(
                display_path,
                text,
                e.line(),
                e.column(),
            ))
        }),
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(String, Value)> = Vec::new();
        while let Some(key) = map.next_key::<Value>()? {
            let key = match key {
                Value::String(s) => s,
                other => other.text().unwrap_or_default(),
            };
            let value = map.next_value()?;
            // TOML's dates arrive as a map of one private key: keep the text.
            if key == "$__toml_private_datetime" {
                return Ok(value);
            }
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, variant): (String, _) = data.variant()?;
        let value = variant.newtype_variant::<Value>()?;
        Ok(Value::Tagged(
            tag.trim_start_matches('!').to_string(),
            Box::new(value),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        parse(Path::new("mkdocs.yml"), text, Format::Yaml).unwrap()
    }

    #[test]
    fn yaml_tags_are_kept_beside_their_value() {
        let value = yaml(
            "site_url: !ENV [SITE_URL, 'https://x.example.org/']\n\
             markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        );
        match value.get("site_url") {
            Some(Value::Tagged(tag, inner)) => {
                assert_eq!(tag, "ENV");
                assert!(matches!(**inner, Value::List(ref l) if l.len() == 2));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(value.get("site_url").unwrap().describe(), "set with `!ENV`");
    }

    #[test]
    fn toml_keys_are_found_whatever_their_case() {
        let value = parse(
            Path::new("hugo.toml"),
            "baseURL = 'https://a.example/'\ndate = 2024-01-02\n[Params]\ngithub_repo = 'x'\n",
            Format::Toml,
        )
        .unwrap();
        assert_eq!(
            value
                .get_ignore_case("baseurl")
                .and_then(Value::text)
                .as_deref(),
            Some("https://a.example/")
        );
        assert_eq!(value.get("baseurl"), None);
        assert_eq!(
            value
                .at(&["params", "GITHUB_REPO"], true)
                .and_then(Value::text)
                .as_deref(),
            Some("x")
        );
        assert_eq!(
            value.get("date").and_then(Value::text).as_deref(),
            Some("2024-01-02")
        );
    }

    #[test]
    fn syntax_errors_point_at_the_line() {
        let toml = parse(
            Path::new("hugo.toml"),
            "title = 'a'\nbaseURL = \n",
            Format::Toml,
        )
        .unwrap_err();
        assert_eq!(toml.location.as_ref().map(|l| l.line), Some(2), "{toml:?}");
        let json = parse(
            Path::new("a.json"),
            "{\n  \"a\": 1,\n  oops\n}",
            Format::Json,
        )
        .unwrap_err();
        let at = json.location.as_ref().unwrap();
        assert_eq!((at.line, at.column), (3, 3), "{json:?}");
        assert!(
            json.message
                .starts_with("cannot read `a.json`: key must be a string"),
            "{}",
            json.message
        );
        let yaml = parse(Path::new("m.yml"), "a: [1\nb: 2\n", Format::Yaml).unwrap_err();
        assert!(yaml.location.is_some());
    }
}
