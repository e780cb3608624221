//! Finding the site's sources: every Markdown file and every other file under content/.
//!
//! Hidden files and folders and editors' temporary files are skipped. Files are read later, in
//! parallel, by the pipeline.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Location};

/// The files found under content/, as paths relative to it, in a stable order.
#[derive(Debug, Default)]
pub struct Sources {
    /// `.md` files.
    pub markdown: Vec<PathBuf>,
    /// Everything else (images, PDFs, data beside pages), copied to the output as it is.
    pub files: Vec<PathBuf>,
}

/// Walks `content_dir`. A missing content folder is an error; unreadable entries are reported and
/// skipped.
pub fn collect(content_dir: &Path) -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(format!(
                "there is no content folder at `{}`",
                content_dir.display()
            ))
            .with_help("write pages as Markdown files under content/, or create a site with `folio init DIR`"),
        );
        return (sources, diagnostics);
    }
    let walker = WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(content_dir).to_path_buf();
                diagnostics.push(Diagnostic::error(format!(
                    "cannot read `{}`: {}",
                    path.display(),
                    e.io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string())
                )));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(content_dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        let is_markdown = rel
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if is_markdown {
            sources.markdown.push(rel);
        } else {
            sources.files.push(rel);
        }
    }
    (sources, diagnostics)
}

/// Hidden entries and editors' temporary files, which are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// Reads a Markdown file as UTF-8, reporting where invalid bytes start.
pub fn read_text(path: &Path, display_path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(format!("cannot read `{}`: {e}", display_path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        Diagnostic::error("the file is not valid UTF-8")
            .at(Location::from_offset(display_path, &text, prefix.len(), 1))
            .with_help("save the file as UTF-8")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_and_hidden_entries_are_ignored() {
        for name in [".git", "page.md~", ".page.md.swp", "4913", ".#page.md"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("page.md"));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("bad.md");
        std::fs::write(&path, b"ok line\nbad \xff here\n").unwrap();
        let err = read_text(&path, Path::new("content/bad.md")).unwrap_err();
        let loc = err.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 5));
    }
}
