//! One page of the site: a Markdown file read and rendered, or a section Folio made up for a
//! folder without an `_index.md`; and where its front-matter fields are, for diagnostics.

use std::path::{Path, PathBuf};

use crate::base::diag::Location;
use crate::base::model::Kind;
use crate::base::url::folder_url;
use crate::content::markdown::Rendered;
use crate::content::title::TitleFrom;
use crate::input::front_matter::{FrontMatter, Span, UnknownField};

/// One page of the site: a Markdown file, or a section generated for a folder without one.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Source path relative to content/ (`policies/usage.md`, `policies/_index.md`).
    pub source: PathBuf,
    /// Path shown to authors (`content/policies/usage.md`).
    pub display_path: PathBuf,
    /// The whole source file; empty once [`Site::forget_sources`](crate::content::site::Site::forget_sources) has run.
    pub text: String,
    /// Typed front matter.
    pub front_matter: FrontMatter,
    /// Resolved kind.
    pub kind: Kind,
    /// For a section page, the folder (relative to content/) it is the page of.
    pub section_dir: Option<PathBuf>,
    /// True for a section Folio made up for a folder without `_index.md`.
    pub generated: bool,
    /// True for a folder's own page (`_index.md`, `index.md` or `README.md`: see
    /// [`crate::content::folders`]), a section or a page alone in its folder.
    pub folder_page: bool,
    /// URL path without the base path: `policies/usage/`, or `` for the home page.
    pub url_path: String,
    /// Title from front matter, the first heading, or the file's or folder's name.
    pub title: String,
    /// Where `title` came from.
    pub title_from: TitleFrom,
    /// Front-matter fields Folio does not know, reported once per name by the build.
    pub unknown_fields: Vec<UnknownField>,
    /// Where the front matter lies in `text`, when the page has one: what [`at_field`] reads.
    pub front_matter_span: Option<Span>,
    /// Byte offset of the Markdown body in `text` (after the front matter).
    pub body_offset: usize,
    /// Rendered body.
    pub rendered: Rendered,
    /// The page's place in the site tree, which decides its section and URL: `source`, except
    /// that the default language's folder is folded into the root (`en/x.md` → `x.md`).
    pub tree_path: PathBuf,
    /// The language version the page belongs to (`site.toml`'s `language` unless it is in
    /// another language's folder).
    pub language: String,
    /// Hugo shortcodes and Liquid tags left out of the body, reported once per kind of tag.
    pub foreign_tags: Vec<crate::input::compat::Use>,
    /// The pages its `related` field names.
    pub related: Vec<usize>,
}

impl Page {
    /// A section page for a folder that has no `_index.md`, in the content folder that
    /// messages name `content_shown`.
    pub fn generated_section(dir: &Path, site_title: &str, content_shown: &Path) -> Page {
        let title = match dir.file_name() {
            Some(name) => crate::content::title::humanize(&name.to_string_lossy()),
            None => site_title.to_string(),
        };
        let url_path = folder_url(dir);
        let source = dir.join("_index.md");
        Page {
            display_path: content_shown.join(&source),
            tree_path: source.clone(),
            source,
            section_dir: Some(dir.to_path_buf()),
            generated: true,
            folder_page: true,
            url_path,
            title,
            ..Page::default()
        }
    }

    /// The folder whose section lists this page: `None` for the home page.
    pub fn parent_dir(&self) -> Option<PathBuf> {
        let dir = self.section_dir.as_deref().or_else(|| {
            // A page alone in its folder (`dir/index.md`) belongs to the section around it.
            let parent = self.tree_path.parent()?;
            self.folder_page.then_some(parent)
        });
        match dir {
            Some(dir) => dir.parent().map(Path::to_path_buf),
            None => Some(
                self.tree_path
                    .parent()
                    .unwrap_or(Path::new(""))
                    .to_path_buf(),
            ),
        }
    }
}

/// Where the front-matter field `field` is set in `page`'s file (`owner: …` at `owner`), for a
/// diagnostic about it; None when the page does not set it at the top level.
pub fn at_field(page: &Page, field: &str) -> Option<Location> {
    let span = page.front_matter_span?;
    span.field_location(&page.display_path, &page.text, field)
}

/// Where the value of the front-matter field `field` starts in `page`'s file (`status: x` at
/// `x`; at the field's name when the value is on the lines below); None when the page does not
/// set it at the top level.
pub fn at_field_value(page: &Page, field: &str) -> Option<Location> {
    let span = page.front_matter_span?;
    span.field_value_location(&page.display_path, &page.text, field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::front_matter;

    fn page(text: &str) -> Page {
        let display_path = PathBuf::from("content/policies/x.md");
        let split = front_matter::split(&display_path, text).unwrap();
        Page {
            front_matter_span: split.span(),
            body_offset: split.body_offset,
            display_path,
            text: text.to_string(),
            ..Page::default()
        }
    }

    #[test]
    fn fields_are_found_in_the_page_without_reading_it_again() {
        let page =
            page("---\ntitle: X\nowner:   OSPO\nrelated:\n  - a\n---\n\nowner: not a field\n");
        let owner = at_field(&page, "owner").unwrap();
        assert_eq!((owner.line, owner.column, owner.width), (3, 1, 5));
        let value = at_field_value(&page, "owner").unwrap();
        assert_eq!((value.line, value.column), (3, 10));
        // A value on the lines below is shown at the field's name.
        let related = at_field_value(&page, "related").unwrap();
        assert_eq!((related.line, related.column), (4, 1));
        assert_eq!(at_field(&page, "status"), None);
    }

    #[test]
    fn pages_without_front_matter_or_source_have_no_fields() {
        assert_eq!(at_field(&page("# Title\n\nowner: x\n"), "owner"), None);
        let mut forgotten = page("---\nowner: OSPO\n---\n");
        forgotten.text = String::new();
        assert_eq!(at_field(&forgotten, "owner"), None);
        let generated =
            Page::generated_section(Path::new("policies"), "Handbook", Path::new("content"));
        assert_eq!(at_field(&generated, "title"), None);
    }
}
