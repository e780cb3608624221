//! mdBook: book.toml (`[book]`, `[build]`, `[output.html]`) and the book's `SUMMARY.md`.

use std::path::Path;

use super::super::Choice;
use super::super::nav::{NavEntry, NavTarget, count_entries, mdbook_summary};
use super::{Found, read_settings, read_text};
use crate::base::diag::Diagnostic;

pub(super) fn read(root: &Path, file: &str) -> Result<Found, Vec<Diagnostic>> {
    let (_, settings) = read_settings(root, file)?;
    let mut found = Found::default();
    found.title = found.text(&settings, &["book", "title"], false, file);
    found.description = found.text(&settings, &["book", "description"], false, file);
    found.language = found.text(&settings, &["book", "language"], false, file);
    let src = found
        .text(&settings, &["book", "src"], false, file)
        .map(|c| {
            Choice::new(
                c.value
                    .trim_start_matches("./")
                    .trim_end_matches('/')
                    .to_string(),
                c.from,
            )
        })
        .unwrap_or_else(|| Choice::new("src".to_string(), "mdBook's default src"));
    let build_dir = found
        .text(&settings, &["build", "build-dir"], false, file)
        .map_or_else(|| "book".to_string(), |c| c.value);
    found.generator_outputs.push(build_dir);
    found.base_url = found.text(&settings, &["output", "html", "site-url"], false, file);
    found.repository = found.text(
        &settings,
        &["output", "html", "git-repository-url"],
        false,
        file,
    );
    if let Some(template) = found.text(
        &settings,
        &["output", "html", "edit-url-template"],
        false,
        file,
    ) {
        // mdBook's `{path}` is the file's path from the book's folder (`src/intro.md`), as
        // Folio's is from the repository's top when the book is there; the host's edit route
        // is what matters, and Folio makes it from the repository and branch.
        found.edit_links_from(&template.value, &template.from);
    }
    let summary = format!("{}/SUMMARY.md", src.value);
    if root.join(&summary).is_file() {
        let text = read_text(root, &summary)?;
        let parsed = mdbook_summary(Path::new(&summary), &text)?;
        found.warnings.extend(parsed.warnings);
        let drafts = count_drafts(&parsed.value);
        found.nav.push(format!(
            "{summary} ({} entries{})",
            count_entries(&parsed.value),
            if drafts > 0 {
                format!(", {drafts} of them draft chapters or part titles")
            } else {
                String::new()
            }
        ));
        // The table of contents, which mdBook never publishes as a page.
        found.excluded.push(summary.clone());
        found.nav_file = Some(summary);
    } else {
        found.notes.push(format!(
            "{summary} is missing: the sidebar follows the folders"
        ));
    }
    if settings
        .at(&["output", "html", "additional-css"], false)
        .is_some()
        || settings.at(&["output", "html", "theme"], false).is_some()
    {
        found.notes.push(format!(
            "the theme settings of [output.html] in {file} are mdBook's: Folio uses its own"
        ));
    }
    found.content_dir = Some(src);
    Ok(found)
}

/// Entries that open no page: mdBook's part titles and draft chapters.
fn count_drafts(entries: &[NavEntry]) -> usize {
    entries
        .iter()
        .map(|e| usize::from(e.target == NavTarget::Group) + count_drafts(&e.children))
        .sum()
}
