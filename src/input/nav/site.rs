//! The navigation files of a site being built: the file site.toml's `nav` names (the whole
//! tree), and every `.pages` and `_category_` file of the content folder (one folder each).
//! Problems are warnings (code `nav`), never errors: a handbook whose nav file is broken still
//! builds, in Folio's own order.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{FolderSettings, NavEntry, NavResult, awesome_pages, docusaurus_category};
use super::{mdbook_summary, mkdocs_nav};
use crate::base::diag::{Code, Diagnostic};
use crate::input::config::{Config, NavFormat, is_excluded};
use crate::input::source::{is_ignored, read_text};

/// The names of the per-folder settings files Folio reads.
pub const FOLDER_FILES: &[&str] = &[
    ".pages",
    "_category_.json",
    "_category_.yml",
    "_category_.yaml",
];

/// True for the name of a file that orders or titles the sidebar (the per-folder files, a
/// `mkdocs.yml` or a `SUMMARY.md`): `folio serve` rebuilds when one changes.
pub fn is_nav_file_name(name: &str) -> bool {
    FOLDER_FILES.contains(&name) || matches!(name, "mkdocs.yml" | "mkdocs.yaml" | "SUMMARY.md")
}

/// What a site's navigation files say.
#[derive(Debug, Default)]
pub struct NavFiles {
    /// The whole tree, from site.toml's `nav`.
    pub tree: Option<Vec<NavEntry>>,
    /// One entry per `.pages` or `_category_` file, in the order of their folders.
    pub folders: Vec<FolderSettings>,
    /// What was wrong in them, as warnings.
    pub warnings: Vec<Diagnostic>,
}

/// Reads the navigation files of the site `config` describes. `excluded` are the paths of the
/// content folder the build leaves out.
pub fn read(config: &Config, excluded: &[PathBuf]) -> NavFiles {
    let mut found = NavFiles::default();
    let shown = |path: &Path| -> PathBuf {
        path.strip_prefix(&config.root)
            .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
    };
    if let Some(nav) = &config.nav {
        let display = PathBuf::from(&nav.written);
        match read_text(&nav.path, &display) {
            Ok(text) => {
                let read = match nav.format {
                    NavFormat::MkDocs => mkdocs_nav(&display, &text).map(|parsed| super::Parsed {
                        value: parsed.value.unwrap_or_default(),
                        warnings: parsed.warnings,
                    }),
                    NavFormat::Summary => mdbook_summary(&display, &text),
                };
                found.tree = keep(read, &mut found.warnings);
            }
            Err(d) => found.warnings.push(d),
        }
    }
    let content = config.content_dir();
    let walker = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let rel = e.path().strip_prefix(&content).unwrap_or(e.path());
            e.depth() == 0
                || ((!is_ignored(&name) || name == ".pages") && !is_excluded(rel, excluded))
        });
    for entry in walker.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || !FOLDER_FILES.contains(&name.as_ref()) {
            continue;
        }
        let rel = entry.path().strip_prefix(&content).unwrap_or(entry.path());
        let folder = rel
            .parent()
            .unwrap_or(Path::new(""))
            .to_string_lossy()
            .replace('\\', "/");
        let display = shown(entry.path());
        let text = match read_text(entry.path(), &display) {
            Ok(text) => text,
            Err(d) => {
                found.warnings.push(d);
                continue;
            }
        };
        let read = if name == ".pages" {
            awesome_pages(&display, &folder, &text)
        } else {
            docusaurus_category(&display, &folder, &text)
        };
        found.folders.extend(keep(read, &mut found.warnings));
    }
    for warning in &mut found.warnings {
        warning.severity = crate::base::diag::Severity::Warning;
        warning.code.get_or_insert(Code::Nav);
    }
    found
}

/// The value read, with its warnings kept; `None` (its errors kept, as warnings) when the file
/// could not be read.
fn keep<T>(read: NavResult<T>, warnings: &mut Vec<Diagnostic>) -> Option<T> {
    match read {
        Ok(parsed) => {
            warnings.extend(parsed.warnings);
            Some(parsed.value)
        }
        Err(errors) => {
            warnings.extend(errors.into_iter().map(|d| {
                let message = format!("{}; the sidebar leaves this file out", d.message);
                Diagnostic { message, ..d }
            }));
            None
        }
    }
}
