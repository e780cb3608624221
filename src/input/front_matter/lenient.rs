//! Lenient readers for front-matter values that other generators write loosely: a list given as
//! one string (`tags: ospo`), a number written as text or with a fraction (`sidebar_position:
//! 2.5`), a `permalink` set to `false`. Each is used with `#[serde(deserialize_with = …)]`.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, SeqAccess, Unexpected, Visitor};

/// A list of strings, or one string (or number, or boolean) as a one-element list; `null` or
/// nothing is the empty list. Entries that are numbers or booleans become their text (`tags:
/// [2024]`); a list or a mapping inside the list is an error.
pub(super) fn list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    deserializer.deserialize_any(ListVisitor)
}

/// As [`list`], for a field that tells "not set" (None) from an empty list.
pub(super) fn optional_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    deserializer.deserialize_any(ListVisitor).map(Some)
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a list of strings")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(one(value.to_string()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(one(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(vec![value.to_string()])
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(vec![value.to_string()])
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(vec![value.to_string()])
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(vec![value.to_string()])
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(ScalarSeed)? {
            items.extend(item);
        }
        Ok(items)
    }
}

/// A string as a one-element list; a blank one is no entry at all (`tags: ""`).
fn one(value: String) -> Vec<String> {
    if value.trim().is_empty() {
        Vec::new()
    } else {
        vec![value]
    }
}

/// A string, or a number or boolean as its text (`key: 2024`); `null` is None.
pub(super) fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_any(ScalarVisitor)
}

/// One entry of a list: a scalar as text; `null` is skipped.
struct ScalarSeed;

impl<'de> de::DeserializeSeed<'de> for ScalarSeed {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(de::Error::invalid_type(Unexpected::Seq, &self))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(de::Error::invalid_type(Unexpected::Map, &self))
    }
}

/// A whole number, also written as text (`"3"`) or with a fraction, which is rounded (`2.5` →
/// 3): Docusaurus and Eleventy allow fractions to slot a page between two others.
pub(super) fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_any(NumberVisitor)
}

struct NumberVisitor;

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Some(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        i64::try_from(value)
            .map(Some)
            .map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        let rounded = value.round();
        if rounded.is_finite() && rounded.abs() < 9.0e15 {
            // In range, so the cast is exact.
            #[allow(clippy::cast_possible_truncation)]
            Ok(Some(rounded as i64))
        } else {
            Err(E::invalid_value(Unexpected::Float(value), &self))
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        let trimmed = value.trim();
        if let Ok(n) = trimmed.parse::<i64>() {
            return Ok(Some(n));
        }
        match trimmed.parse::<f64>() {
            Ok(f) if f.is_finite() => self.visit_f64(f),
            _ => Err(E::invalid_type(Unexpected::Str(value), &self)),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// A string, or `false` (Eleventy's "write no file for this page"), which is None here: the
/// page keeps the URL its file gives.
pub(super) fn text_or_false<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_any(TextOrFalse)
}

struct TextOrFalse;

impl<'de> Visitor<'de> for TextOrFalse {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or `false`")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        if value {
            Err(E::invalid_type(Unexpected::Bool(true), &self))
        } else {
            Ok(None)
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{parse, split};
    use crate::base::diag::Diagnostic;

    fn parse_text(text: &str) -> Result<super::super::FrontMatter, Diagnostic> {
        let path = Path::new("content/p.md");
        Ok(parse(path, text, &split(path, text)?)?.front_matter)
    }

    #[test]
    fn a_string_where_a_list_is_expected_is_a_one_element_list() {
        let fm = parse_text(
            "---\ntags: ospo\naliases: /old/\ncategories: guides\nkeywords: [oss, 2024, true]\nauthors:\nrelated: ''\napprovers: Legal\n---\n",
        )
        .unwrap();
        assert_eq!(fm.tags, ["ospo"]);
        assert_eq!(fm.aliases, ["/old/"]);
        assert_eq!(fm.categories, ["guides"]);
        assert_eq!(fm.keywords, ["oss", "2024", "true"]);
        assert!(fm.authors.is_empty() && fm.related.is_empty());
        assert_eq!(fm.approvers.as_deref(), Some(&["Legal".to_string()][..]));
        let toml = parse_text("+++\ntags = \"ospo\"\n+++\n").unwrap();
        assert_eq!(toml.tags, ["ospo"]);
    }

    #[test]
    fn lists_of_lists_and_words_for_numbers_are_still_errors_at_their_line() {
        let err = parse_text("---\ntitle: A\ntags:\n  - [a, b]\n---\n").unwrap_err();
        assert!(err.message.contains("expected a string"), "{}", err.message);
        assert_eq!(err.location.unwrap().line, 4);
        let err = parse_text("---\nweight: heavy\n---\n").unwrap_err();
        assert_eq!(
            err.message,
            "invalid front matter: weight: invalid type: string \"heavy\", expected a number"
        );
        let fm = parse_text("---\nweight: \"7\"\ntitle: 2024\n---\n").unwrap();
        assert_eq!((fm.weight, fm.title.as_deref()), (Some(7), Some("2024")));
    }
}
