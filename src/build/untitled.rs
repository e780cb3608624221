//! Pages titled after their file names: one warning for those without a title or a heading
//! (`untitled-page`) and one for those with no text at all (`empty-page`), each with the number
//! of pages and the first, instead of one per page, since imported handbooks may have many.

use crate::base::diag::{Code, Diagnostic, Location, plural};
use crate::content::page::{Page, at_field};
use crate::content::title::TitleFrom;

/// The `untitled-page` and `empty-page` warnings of a build's rendered `pages`.
pub(super) fn report(pages: &[Page]) -> Vec<Diagnostic> {
    let mut untitled: Vec<&Page> = Vec::new();
    let mut empty: Vec<&Page> = Vec::new();
    for page in pages {
        if page.generated || page.title_from != TitleFrom::FileName {
            continue;
        }
        let body = page.text.get(page.body_offset..).unwrap_or_default();
        if body.trim().is_empty() {
            empty.push(page);
        } else {
            untitled.push(page);
        }
    }
    let mut found = Vec::new();
    if let Some(first) = first(&untitled) {
        let count = untitled.len();
        let message = if count == 1 {
            format!(
                "page without a title or a heading, titled \"{}\" after its file name",
                first.title
            )
        } else {
            format!(
                "{} without a title or a heading, titled after their file names (first {}: \"{}\")",
                plural(count, "page"),
                place(first),
                first.title
            )
        };
        found.push(
            Diagnostic::warning(message)
                .at(location(first))
                .with_help(
                    "add `title: ...` to the front matter, or start the page with a `# Heading`",
                )
                .with_code(Code::UntitledPage),
        );
    }
    if let Some(first) = first(&empty) {
        let count = empty.len();
        let message = if count == 1 {
            format!(
                "empty page, built with the title \"{}\" from its file name",
                first.title
            )
        } else {
            format!(
                "{} with no text and no title, built with titles from their file names (first {}: \"{}\")",
                plural(count, "page"),
                place(first),
                first.title
            )
        };
        found.push(
            Diagnostic::warning(message)
                .at(location(first))
                .with_help("write the page's text and its `title: ...`, or delete the file")
                .with_code(Code::EmptyPage),
        );
    }
    found
}

/// The page that comes first by path.
fn first<'a>(pages: &[&'a Page]) -> Option<&'a Page> {
    pages
        .iter()
        .copied()
        .min_by(|a, b| a.display_path.cmp(&b.display_path))
}

/// An empty `title:` where it is, else the top of the file.
fn location(page: &Page) -> Location {
    at_field(page, "title")
        .unwrap_or_else(|| Location::from_offset(&page.display_path, &page.text, 0, 1))
}

fn place(page: &Page) -> String {
    let at = location(page);
    format!("at {}:{}:{}", at.path.display(), at.line, at.column)
}
