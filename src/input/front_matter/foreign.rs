//! Front matter written for other generators: the fields that only shape another generator's
//! theme ([`THEME_FIELDS`], accepted quietly and unused), and the folding of the fields that
//! mean something to Folio too (order, sidebar titles, URLs, drafts, descriptions) into Folio's
//! own ([`FrontMatter::fold_foreign_fields`]).
//!
//! The README's "Front matter from other generators" lists every field of [`THEME_FIELDS`]; a
//! test checks that it does.

use serde::Deserialize;

use super::FrontMatter;
use super::lenient;
use crate::base::diag::Location;
use crate::input::import::nav::EleventyPage;

/// A generator, and the front-matter fields of its pages that only its own themes read.
#[derive(Debug, Clone, Copy)]
pub struct Generator {
    /// The generator's name, as the README's table shows it.
    pub name: &'static str,
    /// Fields that shape its theme's pages and mean nothing to Folio.
    pub fields: &'static [&'static str],
}

/// Per generator, the fields of its themes that Folio accepts without a warning and ignores.
/// The fields Folio reads (`weight`, `nav_order`, `sidebar_position`, `linkTitle`,
/// `sidebar_label`, `eleventyNavigation`, `slug`, `permalink`, `url`, `aliases`,
/// `redirect_from`, `draft`, `published`, `description`, `summary`, `excerpt`, `tags`,
/// `authors`, `categories`, `keywords`…) are typed fields of [`FrontMatter`], not listed here.
pub const THEME_FIELDS: &[Generator] = &[
    Generator {
        name: "Hugo",
        fields: &[
            "layout",
            "type",
            "menu",
            "menus",
            "outputs",
            "cascade",
            "build",
            "headless",
            "markup",
            "resources",
            "sitemap",
            "translationKey",
            "isCJKLanguage",
            "params",
            "publishDate",
            "expiryDate",
            "lastmod",
            "series",
            "images",
            "toc_hide",
            "hide_summary",
            "no_list",
            "icon",
        ],
    },
    Generator {
        name: "Jekyll",
        fields: &[
            "layout",
            "sidebar",
            "parent",
            "grand_parent",
            "has_children",
            "has_toc",
            "nav_exclude",
            "search_exclude",
            "last_modified_at",
            "redirect_to",
            "sitemap",
            "toc",
            "comments",
            "image",
            "untranslated",
        ],
    },
    Generator {
        name: "MkDocs",
        fields: &[
            "template", "hide", "search", "icon", "subtitle", "social", "comments",
        ],
    },
    Generator {
        name: "Eleventy",
        fields: &[
            "layout",
            "pagination",
            "eleventyExcludeFromCollections",
            "eleventyComputed",
            "eleventyImport",
            "eleventyDataSchema",
            "templateEngineOverride",
            "permalinkBypassOutputDir",
            "sidenav",
            "sticky_sidenav",
            "subnav",
            "section",
        ],
    },
    Generator {
        name: "Docusaurus",
        fields: &[
            "id",
            "sidebar_class_name",
            "sidebar_custom_props",
            "sidebar_key",
            "displayed_sidebar",
            "hide_title",
            "hide_table_of_contents",
            "toc_min_heading_level",
            "toc_max_heading_level",
            "pagination_label",
            "pagination_next",
            "pagination_prev",
            "parse_number_prefixes",
            "custom_edit_url",
            "unlisted",
            "last_update",
            "image",
        ],
    },
    Generator {
        name: "mdBook",
        fields: &[],
    },
];

/// True when `field` (a top-level name) is in [`THEME_FIELDS`] for some generator.
pub fn is_theme_field(field: &str) -> bool {
    THEME_FIELDS.iter().any(|g| g.fields.contains(&field))
}

/// Eleventy's navigation plugin's `eleventyNavigation`: where the page sits in the navigation
/// tree. `order` and `title` also give the page's `weight` and sidebar title when it has none.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct EleventyNavigation {
    /// How other pages name this one as their `parent`.
    #[serde(deserialize_with = "lenient::text")]
    pub key: Option<String>,
    /// The key of the entry this page hangs under.
    #[serde(deserialize_with = "lenient::text")]
    pub parent: Option<String>,
    /// Order among its siblings (fractions allowed).
    pub order: Option<f64>,
    /// Its title in the navigation.
    #[serde(deserialize_with = "lenient::text")]
    pub title: Option<String>,
    /// An external URL for the entry: accepted, unused.
    pub url: Option<serde_json::Value>,
    /// A short text for the entry: accepted, unused.
    pub excerpt: Option<serde_json::Value>,
}

impl EleventyNavigation {
    /// This page's entry for the navigation tree
    /// ([`eleventy_tree`](crate::input::import::nav::eleventy_tree)), for the page at `path`
    /// (relative to the content folder) with `eleventyNavigation` written at `location`; None
    /// without a `key`, as the plugin leaves such a page out.
    pub fn page(&self, path: String, location: Option<Location>) -> Option<EleventyPage> {
        let key = self.key.clone().filter(|k| !k.trim().is_empty())?;
        Some(EleventyPage {
            path,
            key,
            parent: self.parent.clone(),
            order: self.order,
            title: self.title.clone(),
            location,
        })
    }
}

impl FrontMatter {
    /// Folds the other generators' spellings into Folio's fields, where Folio's own is not set:
    ///
    /// - order: `weight`, else Jekyll's `order` or `nav_order`, else Docusaurus'
    ///   `sidebar_position`, else `eleventyNavigation.order` (fractions rounded);
    /// - sidebar title (`nav_title`): Hugo's `linkTitle`, else Docusaurus' `sidebar_label`, else
    ///   `eleventyNavigation.title`;
    /// - URLs: Hugo's `url` as `permalink`; Jekyll's `redirect_from` added to `aliases`;
    /// - drafts: `published: false` (Jekyll) is `draft: true`;
    /// - description: `description`, else Hugo's `summary`, else Jekyll's `excerpt`;
    /// - authors: Jekyll's and Hugo's `author` added to `authors`;
    /// - `template: NAME.html` is MkDocs' own template (Folio's are named without `.html`) and
    ///   is dropped.
    pub fn fold_foreign_fields(&mut self) {
        let eleventy_order = self
            .eleventy_navigation
            .as_ref()
            .and_then(|n| n.order)
            .filter(|o| o.is_finite() && o.abs() < 9.0e15)
            // In range, so the cast is exact.
            .map(|o| {
                #[allow(clippy::cast_possible_truncation)]
                let rounded = o.round() as i64;
                rounded
            });
        self.weight = self
            .weight
            .or(self.order)
            .or(self.nav_order)
            .or(self.sidebar_position)
            .or(eleventy_order);
        let eleventy_title = self
            .eleventy_navigation
            .as_ref()
            .and_then(|n| n.title.clone());
        self.nav_title = non_blank(self.nav_title.take())
            .or_else(|| non_blank(self.sidebar_label.clone()))
            .or_else(|| non_blank(eleventy_title));
        if self.permalink.is_none() {
            self.permalink = self.url.clone();
        }
        self.aliases.append(&mut self.redirect_from);
        if self.published == Some(false) {
            self.draft = true;
        }
        self.description = non_blank(self.description.take())
            .or_else(|| non_blank(self.summary.clone()))
            .or_else(|| non_blank(self.excerpt.clone()));
        self.authors.append(&mut self.author);
        if self
            .template
            .as_deref()
            .is_some_and(|t| t.ends_with(".html"))
        {
            self.template = None;
        }
    }
}

fn non_blank(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{Parsed, parse, split};
    use super::*;

    fn parse_text(text: &str) -> Parsed {
        let path = Path::new("content/p.md");
        parse(path, text, &split(path, text).unwrap()).unwrap()
    }

    #[test]
    fn orders_titles_urls_drafts_and_descriptions_of_other_generators_are_folded() {
        let jekyll = parse_text(
            "---\nnav_order: 4\npublished: false\nexcerpt: Short.\nauthor: Ada\nredirect_from: /old/\n---\n",
        )
        .front_matter;
        assert_eq!(jekyll.weight, Some(4));
        assert!(jekyll.draft);
        assert_eq!(jekyll.description.as_deref(), Some("Short."));
        assert_eq!(jekyll.authors, ["Ada"]);
        assert_eq!(jekyll.aliases, ["/old/"]);

        let docusaurus = parse_text(
            "---\nsidebar_position: 2.6\nsidebar_label: Intro\nhide_title: true\ncustom_edit_url: null\n---\n",
        );
        assert!(docusaurus.unknown.is_empty(), "{:?}", docusaurus.unknown);
        assert_eq!(docusaurus.front_matter.weight, Some(3));
        assert_eq!(docusaurus.front_matter.nav_title.as_deref(), Some("Intro"));

        let hugo = parse_text(
            "+++\nweight = 1\norder = 9\nlinkTitle = \"Short\"\nsummary = \"S\"\nurl = \"/x/\"\noutputs = [\"html\"]\n+++\n",
        );
        assert!(hugo.unknown.is_empty(), "{:?}", hugo.unknown);
        let hugo = hugo.front_matter;
        assert_eq!(hugo.weight, Some(1), "weight comes before order");
        assert_eq!(hugo.nav_title.as_deref(), Some("Short"));
        assert_eq!(hugo.description.as_deref(), Some("S"));
        assert_eq!(hugo.permalink.as_deref(), Some("/x/"));

        let mkdocs = parse_text("---\ntemplate: home.html\nhide:\n  - toc\n---\n");
        assert!(mkdocs.unknown.is_empty(), "{:?}", mkdocs.unknown);
        assert_eq!(mkdocs.front_matter.template, None);
    }

    #[test]
    fn eleventy_navigation_is_read_into_its_own_field() {
        let parsed = parse_text(
            "---\npermalink: false\nlayout: page\nsidenav: true\neleventyNavigation:\n  key: 2024\n  parent: guides\n  order: 11\n  title: Short\n---\n",
        );
        assert!(parsed.unknown.is_empty(), "{:?}", parsed.unknown);
        let fm = parsed.front_matter;
        assert_eq!(
            fm.eleventy_navigation,
            Some(EleventyNavigation {
                key: Some("2024".into()),
                parent: Some("guides".into()),
                order: Some(11.0),
                title: Some("Short".into()),
                ..EleventyNavigation::default()
            })
        );
        assert_eq!(fm.weight, Some(11));
        assert_eq!(fm.nav_title.as_deref(), Some("Short"));
        let page = fm
            .eleventy_navigation
            .as_ref()
            .unwrap()
            .page("p.md".into(), None)
            .unwrap();
        assert_eq!((page.key.as_str(), page.order), ("2024", Some(11.0)));
        assert_eq!(fm.permalink, None);
        // A field inside it that the plugin does not know is still unknown.
        let odd = parse_text("---\neleventyNavigation:\n  key: a\n  colour: red\n---\n");
        let fields: Vec<&str> = odd.unknown.iter().map(|u| u.field.as_str()).collect();
        assert_eq!(fields, ["eleventyNavigation.colour"]);
    }

    #[test]
    fn the_readme_lists_every_theme_field_of_every_generator() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(path).expect("the README reads");
        let start = readme
            .find("### Front matter from other generators")
            .expect("the README has a section on other generators' front matter");
        let section = &readme[start..];
        let section = &section[..section[4..].find("\n### ").map_or(section.len(), |i| i + 4)];
        for generator in THEME_FIELDS {
            let row = section
                .lines()
                .find(|line| line.starts_with(&format!("| {} |", generator.name)))
                .unwrap_or_else(|| panic!("no README row for {}", generator.name));
            let missing: Vec<&&str> = generator
                .fields
                .iter()
                .filter(|field| !row.contains(&format!("`{field}`")))
                .collect();
            assert!(
                missing.is_empty(),
                "the README's row for {} misses {missing:?}",
                generator.name
            );
            let listed = row.matches('`').count() / 2;
            assert_eq!(
                listed,
                generator.fields.len(),
                "the README's row for {} lists fields the table has not",
                generator.name
            );
        }
    }

    #[test]
    fn no_field_is_both_read_by_folio_and_listed_as_a_theme_field() {
        for generator in THEME_FIELDS {
            for field in generator.fields {
                if *field == "template" {
                    // MkDocs' `template: x.html`, dropped by fold_foreign_fields.
                    continue;
                }
                assert!(
                    !super::super::COMMON_FIELDS.contains(field),
                    "{}: `{field}` is a field Folio reads",
                    generator.name
                );
            }
        }
    }
}
