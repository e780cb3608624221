//! Finding the site's sources: every Markdown file and every other file under content/.
//!
//! Hidden files and folders and editors' temporary files are skipped. Files are read later, in
//! parallel, by the build's load stage.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::base::diag::{Code, Diagnostic, Location};
use crate::input::config::is_excluded;

/// The files found under content/, as paths relative to it, in a stable order.
#[derive(Debug, Default)]
pub struct Sources {
    /// `.md` files.
    pub markdown: Vec<PathBuf>,
    /// Everything else (images, PDFs, data beside pages), copied to the output as it is.
    pub files: Vec<PathBuf>,
}

/// Walks `content_dir`, leaving out `excluded` (paths relative to it, and what is under them:
/// site.toml's `exclude`, and the nav file when it lies in the content folder). A missing
/// content folder is an error; unreadable entries are reported and skipped, named under
/// `content_shown` (the content folder as messages name it, see
/// [`crate::input::config::Config::content_shown`]).
pub fn collect(
    content_dir: &Path,
    content_shown: &Path,
    excluded: &[PathBuf],
) -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(format!(
                "there is no content folder at `{}`{}",
                crate::base::output::shown(content_dir).display(),
                if content_dir.exists() { " (only a file of that name)" } else { "" }
            ))
            .with_help("write pages as Markdown files under content/, or create a site with `folio init DIR`"),
        );
        return (sources, diagnostics);
    }
    let mut walker = WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(is_ignored(e.file_name().to_string_lossy().as_ref())
                    || e.path()
                        .strip_prefix(content_dir)
                        .is_ok_and(|rel| is_excluded(rel, excluded)))
        });
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(content_dir);
                let shown = match path.strip_prefix(content_dir) {
                    Ok(rel) => content_shown.join(rel),
                    Err(_) => path.to_path_buf(),
                };
                diagnostics.push(
                    Diagnostic::error(format!(
                        "cannot read `{}`: {}",
                        shown.display(),
                        e.io_error()
                            .map_or_else(|| e.to_string(), |io| io.to_string())
                    ))
                    .with_help(UNREADABLE_HELP),
                );
                continue;
            }
        };
        let rel = entry
            .path()
            .strip_prefix(content_dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        let shown = content_shown.join(&rel);
        if entry.path_is_symlink() {
            diagnostics.push(skipped_symlink(&shown, "content"));
            continue;
        }
        if entry.depth() > 0 && entry.file_name().to_str().is_none() {
            diagnostics.push(non_utf8_name(&shown, entry.file_type().is_dir()));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
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

/// Links are not followed, in content/, static/, data/ and a theme's folders alike: one may
/// point outside the site (publishing what is there) or round in a loop. Skipping one silently
/// would lose the author's file, so it is a warning; skipping a section's `_index.md` (or a
/// bundle's `index.md`) in content/ would drop its `visibility: internal` and publish the pages
/// under it, so that is an error. `folder` is where the file belongs (`content`, `static`…).
pub(crate) fn skipped_symlink(shown: &Path, folder: &str) -> Diagnostic {
    let name = shown.file_name().and_then(|n| n.to_str());
    let message = format!(
        "skipped `{}`: it is a symbolic link, and Folio does not follow links",
        shown.display()
    );
    let d = if folder == "content" && matches!(name, Some("_index.md" | "index.md")) {
        Diagnostic::error(format!(
            "{message}; without it, the pages beside it would lose its settings, such as `visibility: internal`"
        ))
    } else {
        Diagnostic::warning(message)
    };
    d.with_help(format!(
        "copy the file or folder into {folder}/ instead of linking to it"
    ))
    .with_code(Code::Symlink)
}

/// A name that is not UTF-8 cannot become a URL; shown with U+FFFD where the bad bytes are.
fn non_utf8_name(shown: &Path, is_dir: bool) -> Diagnostic {
    let what = if is_dir { "folder" } else { "file" };
    Diagnostic::error(format!(
        "the {what} name `{}` is not valid UTF-8",
        shown.display()
    ))
    .with_help(format!(
        "rename the {what}: URLs are made from file names, which must be UTF-8 (� marks the bytes that are not)"
    ))
}

/// What to do about a file or folder Folio may not read.
const UNREADABLE_HELP: &str =
    "give yourself read access to it (`chmod u+rX`), or move it out of the site";

/// The largest Markdown or data file Folio reads, in bytes: a bigger one is almost surely a
/// log or a dump pasted by mistake, and would take most of a minute and gigabytes to build.
pub const MAX_TEXT_BYTES: u64 = 10_000_000;

/// Hidden entries and editors' temporary files, which are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// Reads a Markdown or data file as UTF-8, reporting where invalid bytes or a NUL start, and
/// refusing files over [`MAX_TEXT_BYTES`] before reading them.
pub fn read_text(path: &Path, display_path: &Path) -> Result<String, Diagnostic> {
    let cannot_read = |e: std::io::Error| {
        Diagnostic::error(format!("cannot read `{}`: {e}", display_path.display()))
            .with_help(UNREADABLE_HELP)
    };
    let size = std::fs::metadata(path).map_err(cannot_read)?.len();
    if size > MAX_TEXT_BYTES {
        return Err(too_big(display_path, size));
    }
    let bytes = std::fs::read(path).map_err(cannot_read)?;
    let text = utf8(bytes, display_path)?;
    match text.find('\0') {
        Some(offset) => Err(
            Diagnostic::error("the file holds a NUL character (a zero byte)")
                .at(Location::from_offset(display_path, &text, offset, 1))
                .with_help(
                    "remove it; a file full of them was probably saved as UTF-16: save it as UTF-8",
                ),
        ),
        None => Ok(text),
    }
}

fn too_big(display_path: &Path, size: u64) -> Diagnostic {
    Diagnostic::error(format!(
        "`{}` is {:.1} MB: Folio reads Markdown and data files of up to {} MB",
        display_path.display(),
        size as f64 / 1e6,
        MAX_TEXT_BYTES / 1_000_000
    ))
    .with_help("split it into several pages, or give it another extension (such as .txt) to publish it as a file, copied as it is")
}

/// The bytes as a string, or an error at the first byte that is not UTF-8.
fn utf8(bytes: Vec<u8>, display_path: &Path) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        // Windows editors save "Unicode" as UTF-16, which starts with one of these marks.
        let utf16 =
            e.as_bytes().starts_with(&[0xff, 0xfe]) || e.as_bytes().starts_with(&[0xfe, 0xff]);
        let message = if utf16 {
            "the file is UTF-16, not UTF-8"
        } else {
            "the file is not valid UTF-8"
        };
        Diagnostic::error(message)
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
    fn nul_bytes_are_located_and_huge_files_refused_unread() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("nul.md");
        std::fs::write(&path, "ok\nab\0c\n").unwrap();
        let loc = read_text(&path, Path::new("content/nul.md"))
            .unwrap_err()
            .location
            .unwrap();
        assert_eq!((loc.line, loc.column), (2, 3));
        // A sparse file: its size is all that is looked at.
        let huge = tmp.path().join("huge.md");
        let file = std::fs::File::create(&huge).unwrap();
        file.set_len(MAX_TEXT_BYTES + 1).unwrap();
        let err = read_text(&huge, Path::new("content/huge.md")).unwrap_err();
        assert!(
            err.message.contains("10.0 MB: Folio reads"),
            "{}",
            err.message
        );
    }

    #[test]
    fn links_are_skipped_and_a_linked_section_index_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        std::fs::create_dir_all(content.join("team")).unwrap();
        std::fs::write(tmp.path().join("real.md"), "# Real\n").unwrap();
        std::os::unix::fs::symlink("../../real.md", content.join("team/_index.md")).unwrap();
        std::os::unix::fs::symlink("../real.md", content.join("page.md")).unwrap();
        std::os::unix::fs::symlink(".", content.join("loop")).unwrap();
        let name = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"caf\xe9.md");
        std::fs::write(content.join(name), "# Cafe\n").unwrap();
        let (sources, diagnostics) = collect(&content, Path::new("content"), &[]);
        assert!(sources.markdown.is_empty(), "{:?}", sources.markdown);
        let found: Vec<(bool, &str)> = diagnostics
            .iter()
            .map(|d| (d.is_error(), d.message.as_str()))
            .collect();
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(
            found[0].0
                && found[0]
                    .1
                    .contains("`content/caf\u{fffd}.md` is not valid UTF-8")
        );
        assert!(!found[1].0 && found[1].1.starts_with("skipped `content/loop`"));
        assert!(!found[2].0 && found[2].1.starts_with("skipped `content/page.md`"));
        assert!(found[3].0 && found[3].1.contains("visibility: internal"));
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
