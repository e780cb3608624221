//! Docusaurus' `_category_.json` and `_category_.yml`: a folder's label, position among its
//! siblings, whether it starts collapsed, and what its entry opens (`link`: a document, or a
//! generated index of the folder's pages).

use std::path::Path;

use serde::Deserialize;

use super::{FolderSettings, Landing, NavResult, Parsed, unknown_keys};
use crate::base::diag::{Diagnostic, Location, tidy_serde_message};
use crate::input::import::value::Format;

/// `_category_.json` as written.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Category {
    label: Option<String>,
    position: Option<f64>,
    collapsed: Option<bool>,
    collapsible: Option<bool>,
    #[serde(default, deserialize_with = "link")]
    link: Option<Option<Link>>,
    // Known, and about how Docusaurus draws the sidebar: accepted without effect.
    #[allow(dead_code)]
    class_name: Option<String>,
    #[allow(dead_code)]
    custom_props: Option<serde::de::IgnoredAny>,
    #[allow(dead_code)]
    key: Option<String>,
    #[allow(dead_code)]
    description: Option<String>,
}

const CATEGORY_KEYS: &[&str] = &[
    "label",
    "position",
    "collapsed",
    "collapsible",
    "link",
    "className",
    "customProps",
    "key",
    "description",
];

/// `link`: `null` (no page), or one of two kinds.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
enum Link {
    Doc {
        id: String,
    },
    GeneratedIndex {
        title: Option<String>,
        description: Option<String>,
        slug: Option<String>,
        #[allow(dead_code)]
        keywords: Option<serde::de::IgnoredAny>,
        #[allow(dead_code)]
        image: Option<serde::de::IgnoredAny>,
    },
}

/// Tells `"link": null` (the folder opens no page) from no `link` at all.
fn link<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<Link>>, D::Error> {
    Option::<Link>::deserialize(deserializer).map(Some)
}

/// Reads a `_category_.json` or `_category_.yml` file (`text`, shown as `display_path`) of
/// `folder` (relative to the content folder).
pub fn docusaurus_category(
    display_path: &Path,
    folder: &str,
    text: &str,
) -> NavResult<FolderSettings> {
    let mut unknown = Vec::new();
    let category: Category = match Format::of(display_path) {
        Some(Format::Json) => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            serde_ignored::deserialize(&mut deserializer, |path| unknown.push(path.to_string()))
                .map_err(|e: serde_json::Error| {
                    let message = tidy_serde_message(&e.to_string());
                    let line = e.line().max(1);
                    vec![error(display_path, &message).at(Location::from_line_col(
                        display_path,
                        text,
                        line,
                        e.column().max(1),
                    ))]
                })?
        }
        _ => crate::base::yaml::parse_tracking(text, &mut unknown).map_err(|e| {
            // serde_yaml knows no position for a few errors (a second document): the first line.
            let (line, column) = e.position.unwrap_or((1, 1));
            vec![error(display_path, &e.message).at(Location::from_line_col(
                display_path,
                text,
                line,
                column,
            ))]
        })?,
    };
    // Only the top-level keys are Docusaurus' to know; `customProps` holds anything.
    unknown.retain(|key| !key.contains('.'));
    let warnings = unknown_keys(display_path, text, &unknown, CATEGORY_KEYS);
    let landing = match category.link {
        Some(Some(Link::Doc { id })) => Some(Landing::Doc(id.trim_start_matches("./").to_string())),
        Some(Some(Link::GeneratedIndex {
            title,
            description,
            slug,
            ..
        })) => Some(Landing::GeneratedIndex {
            title,
            description,
            slug,
        }),
        Some(None) | None => None,
    };
    let collapsed = match (category.collapsible, category.collapsed) {
        // A folder that cannot collapse is always open.
        (Some(false), _) => Some(false),
        (_, collapsed) => collapsed,
    };
    Ok(Parsed {
        value: FolderSettings {
            folder: folder.to_string(),
            title: category.label.filter(|l| !l.trim().is_empty()),
            position: category.position,
            collapsed,
            landing,
            ..FolderSettings::default()
        },
        warnings,
    })
}

fn error(display_path: &Path, message: &str) -> Diagnostic {
    let message = message
        .replace("internally tagged enum Link", "a link")
        .replace("variant identifier", "link type");
    Diagnostic::error(format!("cannot read `{}`: {message}", display_path.display())).with_help(
        "see Docusaurus' category files: label, position, collapsed, collapsible, className, customProps, and link with type `doc` (and id) or `generated-index`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_category_with_a_generated_index() {
        let text = r#"{
  "label": "Policies",
  "position": 2,
  "collapsed": false,
  "className": "policies",
  "customProps": { "owner": "ospo", "reviewed": true },
  "link": {
    "type": "generated-index",
    "title": "All policies",
    "description": "What the OSPO has approved.",
    "slug": "/policies"
  }
}"#;
        let parsed =
            docusaurus_category(Path::new("docs/policies/_category_.json"), "policies", text)
                .unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let settings = parsed.value;
        assert_eq!(settings.folder, "policies");
        assert_eq!(settings.title.as_deref(), Some("Policies"));
        assert_eq!(settings.position, Some(2.0));
        assert_eq!(settings.collapsed, Some(false));
        assert_eq!(
            settings.landing,
            Some(Landing::GeneratedIndex {
                title: Some("All policies".into()),
                description: Some("What the OSPO has approved.".into()),
                slug: Some("/policies".into()),
            })
        );
    }

    #[test]
    fn yaml_category_linking_a_document() {
        let text = "label: Playbooks\nposition: 3.5\ncollapsible: false\ncollapsed: true\nlink:\n  type: doc\n  id: playbooks/index\n";
        let settings = docusaurus_category(
            Path::new("docs/playbooks/_category_.yml"),
            "playbooks",
            text,
        )
        .unwrap()
        .value;
        assert_eq!(settings.title.as_deref(), Some("Playbooks"));
        assert_eq!(settings.position, Some(3.5));
        assert_eq!(
            settings.collapsed,
            Some(false),
            "a folder that cannot collapse is open"
        );
        assert_eq!(
            settings.landing,
            Some(Landing::Doc("playbooks/index".into()))
        );
        let none = docusaurus_category(
            Path::new("docs/a/_category_.json"),
            "a",
            r#"{"link": null}"#,
        )
        .unwrap()
        .value;
        assert_eq!(none.landing, None);
    }

    #[test]
    fn mistakes_have_positions() {
        let path = Path::new("docs/faq/_category_.json");
        let e = &docusaurus_category(
            path,
            "faq",
            "{\n  \"label\": \"FAQ\",\n  \"position\": \"first\"\n}",
        )
        .unwrap_err()[0];
        assert!(
            e.message.starts_with(
                "cannot read `docs/faq/_category_.json`: invalid type: string \"first\""
            ),
            "{}",
            e.message
        );
        assert_eq!(e.location.as_ref().map(|l| l.line), Some(3));
        let e = &docusaurus_category(path, "faq", "{\n  \"label\": \"FAQ\",\n}").unwrap_err()[0];
        assert_eq!(e.location.as_ref().map(|l| l.line), Some(3), "{e:?}");
        let e = &docusaurus_category(
            path,
            "faq",
            "{\"link\": {\n  \"type\": \"page\", \"id\": \"x\"}}",
        )
        .unwrap_err()[0];
        assert!(
            e.message.contains("unknown variant `page`"),
            "{}",
            e.message
        );
        assert_eq!(e.location.as_ref().map(|l| l.line), Some(2), "{e:?}");
        let yaml = Path::new("docs/faq/_category_.yml");
        let e = &docusaurus_category(yaml, "faq", "label: FAQ\nposition: [1\n").unwrap_err()[0];
        assert!(e.location.is_some());
        // serde_yaml gives no position for a second document: the first line stands in.
        let e = &docusaurus_category(yaml, "faq", "  docnav:\n | ").unwrap_err()[0];
        assert!(
            e.message.contains("more than one document"),
            "{}",
            e.message
        );
        assert_eq!(e.location.as_ref().map(|l| l.line), Some(1));
        let parsed = docusaurus_category(yaml, "faq", "label: FAQ\nlable: Other\n").unwrap();
        let w = &parsed.warnings[0];
        assert_eq!(
            w.message,
            "unknown key `lable` in `docs/faq/_category_.yml`: it is not read"
        );
        assert_eq!(w.location.as_ref().map(|l| l.line), Some(2));
    }
}
