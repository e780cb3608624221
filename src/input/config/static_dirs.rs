//! `static_dirs`: folders of the site (relative to site.toml) whose files are published as they
//! are, at the same path (`assets/images/x.png` → `OUTPUT/assets/images/x.png`), besides
//! `static/`. Jekyll and Eleventy handbooks keep their images there, beside the pages' folder.

use std::path::{Path, PathBuf};

use crate::base::diag::{Diagnostic, Location};
use crate::base::output::{absolute, normalize};

/// The folders of `written`, checked: relative, inside the site root, existing, neither the
/// content folder (nor holding it) nor the output folder. Each error is at its entry.
pub(super) fn check_static_dirs(
    root: &Path,
    content_dir: &Path,
    output_dir: &Path,
    written: &[String],
    locate: impl Fn(&str) -> Option<Location>,
) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut dirs = Vec::new();
    let mut errors = Vec::new();
    let content = absolute(&normalize(content_dir));
    let output = absolute(output_dir);
    for entry in written {
        let why = match super::site_nav::inside(entry) {
            Err(why) => Some(why.to_string()),
            Ok(rel) if rel.as_os_str().is_empty() => {
                Some("is the site root: name the folders of it to publish".into())
            }
            Ok(rel) => {
                let full = absolute(&root.join(&rel));
                if !full.is_dir() {
                    Some(if full.exists() {
                        "is not a folder".into()
                    } else {
                        format!("names no folder of the site (there is no `{}`)", entry)
                    })
                } else if full == content {
                    Some("is the content folder, whose files are published already".into())
                } else if content.starts_with(&full) {
                    Some("holds the content folder: its Markdown sources would be published".into())
                } else if full == output {
                    Some("is the output folder".into())
                } else {
                    dirs.push(rel);
                    None
                }
            }
        };
        if let Some(why) = why {
            let d = Diagnostic::error(format!("static_dirs `{entry}` {why}")).with_help(
                "list folders of the site to publish as they are, relative to site.toml, such as \"assets\" or \"images\"",
            );
            errors.push(match locate(entry) {
                Some(location) => d.at(location),
                None => d,
            });
        }
    }
    if errors.is_empty() {
        Ok(dirs)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_dirs_are_folders_of_the_site_apart_from_its_content_and_output() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for dir in ["content", "assets/images", "public"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(root.join("notes.txt"), "x").unwrap();
        let check = |entries: &[&str]| {
            let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
            check_static_dirs(
                root,
                &root.join("content"),
                &root.join("public"),
                &entries,
                |_| None,
            )
        };
        assert_eq!(
            check(&["./assets/", "assets/images"]).unwrap(),
            [PathBuf::from("assets"), PathBuf::from("assets/images")]
        );
        let errors = check(&[
            "../x",
            "/etc",
            ".",
            "missing",
            "notes.txt",
            "content",
            "public",
        ])
        .unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 7, "{messages:?}");
        for (message, expected) in messages.iter().zip([
            "`..`",
            "absolute",
            "site root",
            "names no folder",
            "not a folder",
            "is the content folder",
            "is the output folder",
        ]) {
            assert!(message.contains(expected), "{message}");
        }
    }
}
