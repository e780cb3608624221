//! The front-matter fields other generators order their sidebars with, read from a page's
//! front matter as written: Eleventy's `eleventyNavigation` (key, parent, order, title) and
//! Docusaurus' `sidebar_position` and `sidebar_label`.
//!
//! Folio's typed front matter does not hold them yet, so they are read here, apart, from the
//! page's source; once [`FrontMatter`](crate::input::front_matter::FrontMatter) types them,
//! [`NavFields::of`] is the one function to switch to those fields.

use serde_json::Value;

use crate::base::diag::Location;
use crate::content::page::Page;
use crate::input::nav::EleventyPage;

/// What a page's front matter says about its place in the sidebar.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct NavFields {
    /// `eleventyNavigation`, when it has a key.
    pub eleventy: Option<EleventyPage>,
    /// `sidebar_position`.
    pub position: Option<f64>,
    /// `sidebar_label`.
    pub label: Option<String>,
}

impl NavFields {
    /// Reads the fields of `page`, whose source is still held; nothing for a page without them.
    pub fn of(page: &Page) -> NavFields {
        let mut fields = NavFields::default();
        let Some(yaml) = page
            .front_matter_span
            .and_then(|span| span.text(&page.text))
        else {
            return fields;
        };
        let wanted = ["eleventyNavigation", "sidebar_position", "sidebar_label"];
        if !wanted.iter().any(|w| yaml.contains(w)) {
            return fields;
        }
        // Only YAML front matter: TOML's `+++` is Hugo's, which has neither field.
        let Ok(Value::Object(map)) = crate::base::yaml::parse::<Value>(yaml) else {
            return fields;
        };
        fields.position = map.get("sidebar_position").and_then(number);
        fields.label = map.get("sidebar_label").and_then(text);
        if let Some(Value::Object(nav)) = map.get("eleventyNavigation")
            && let Some(key) = nav.get("key").and_then(text)
        {
            let at = page.text.find("eleventyNavigation").unwrap_or(0);
            fields.eleventy = Some(EleventyPage {
                path: page.source.to_string_lossy().replace('\\', "/"),
                key,
                parent: nav.get("parent").and_then(text),
                order: nav.get("order").and_then(number),
                title: nav.get("title").and_then(text),
                location: Some(Location::from_offset(
                    &page.display_path,
                    &page.text,
                    at,
                    "eleventyNavigation".len(),
                )),
            });
        }
        fields
    }
}

fn text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    Some(text).filter(|t| !t.is_empty())
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
