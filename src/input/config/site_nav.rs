//! The site.toml keys about what the content folder holds besides pages, and where the author's
//! navigation lives: `nav` (one file holding the whole navigation, `mkdocs.yml` or `SUMMARY.md`)
//! and `exclude` (files and folders of the content folder that are not pages).
//!
//! Both are checked here, with each problem at its value in site.toml; the build reads the nav
//! file itself (see [`crate::input::nav`]).

use std::path::{Component, Path, PathBuf};

use crate::base::diag::{Diagnostic, Location};

/// The formats of a file holding a whole navigation, told apart by the file's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavFormat {
    /// `mkdocs.yml` (or `.yaml`): its `nav` key.
    MkDocs,
    /// mdBook's `SUMMARY.md`.
    Summary,
}

/// site.toml's `nav`: the file holding the whole navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavFile {
    /// As written, relative to the site root (`src/SUMMARY.md`), for messages.
    pub written: String,
    /// The file, joined to the site root.
    pub path: PathBuf,
    /// How to read it.
    pub format: NavFormat,
}

/// The format of a nav file named `name`, if Folio reads that kind of file.
pub fn nav_format(name: &str) -> Option<NavFormat> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".yml") || lower.ends_with(".yaml") {
        Some(NavFormat::MkDocs)
    } else if lower.ends_with(".md") {
        Some(NavFormat::Summary)
    } else {
        None
    }
}

/// Checks `nav` as written: a relative path inside the site to a `.yml`/`.yaml` (MkDocs) or
/// `.md` (mdBook's SUMMARY.md) file that exists.
pub(super) fn check_nav(
    root: &Path,
    written: &str,
    locate: impl Fn() -> Option<Location>,
) -> Result<NavFile, Diagnostic> {
    let at = |d: Diagnostic| match locate() {
        Some(location) => d.at(location),
        None => d,
    };
    let relative = inside(written).map_err(|why| {
        at(Diagnostic::error(format!("nav `{written}` {why}"))
            .with_help("give the file relative to the site's folder, such as \"mkdocs.yml\" or \"src/SUMMARY.md\""))
    })?;
    let name = relative
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(format) = nav_format(&name) else {
        return Err(at(Diagnostic::error(format!(
            "nav `{written}` is neither a mkdocs.yml nor a SUMMARY.md: Folio tells the format by the file's name"
        ))
        .with_help("name a MkDocs settings file (`.yml`, read for its `nav`) or an mdBook SUMMARY.md (`.md`)")));
    };
    let path = root.join(&relative);
    if !path.is_file() {
        return Err(at(Diagnostic::error(format!(
            "nav `{written}` names no file: there is no `{}` in the site's folder",
            relative.display()
        ))
        .with_help(
            "give the file's path relative to site.toml, or remove `nav`",
        )));
    }
    Ok(NavFile {
        written: written.to_string(),
        path,
        format,
    })
}

/// Checks each entry of `exclude`: a relative path that stays inside the content folder. The
/// entries come back normalised (`./a/` → `a`).
pub(super) fn check_exclude(
    written: &[String],
    locate: impl Fn(&str) -> Option<Location>,
) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut paths = Vec::new();
    let mut errors = Vec::new();
    for entry in written {
        match inside(entry) {
            Ok(path) if path.as_os_str().is_empty() => errors.push(exclude_error(
                entry,
                "is the content folder itself",
                &locate,
            )),
            Ok(path) => paths.push(path),
            Err(why) => errors.push(exclude_error(entry, why, &locate)),
        }
    }
    if errors.is_empty() {
        Ok(paths)
    } else {
        Err(errors)
    }
}

fn exclude_error(entry: &str, why: &str, locate: &impl Fn(&str) -> Option<Location>) -> Diagnostic {
    let d = Diagnostic::error(format!("exclude `{entry}` {why}")).with_help(
        "list files and folders of the content folder, relative to it, such as \"node_modules\" or \"_site\"",
    );
    match locate(entry) {
        Some(location) => d.at(location),
        None => d,
    }
}

/// `written` as a relative path without `.` or `..`, or why it is not one.
pub(super) fn inside(written: &str) -> Result<PathBuf, &'static str> {
    if written.trim().is_empty() {
        return Err("is empty");
    }
    let path = Path::new(written);
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => clean.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err("leads out of its folder with `..`"),
            Component::RootDir | Component::Prefix(_) => return Err("is an absolute path"),
        }
    }
    Ok(clean)
}

/// True when `rel` (relative to the content folder) is one of `excluded` or inside one.
pub fn is_excluded(rel: &Path, excluded: &[PathBuf]) -> bool {
    excluded.iter().any(|e| rel.starts_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_follows_the_name() {
        assert_eq!(nav_format("mkdocs.yml"), Some(NavFormat::MkDocs));
        assert_eq!(nav_format("MKDOCS.YAML"), Some(NavFormat::MkDocs));
        assert_eq!(nav_format("SUMMARY.md"), Some(NavFormat::Summary));
        assert_eq!(nav_format("sidebars.js"), None);
    }

    #[test]
    fn excluded_paths_stay_inside_the_content_folder() {
        let none = |_: &str| None;
        let ok = check_exclude(&["./node_modules/".into(), "a/_site".into()], none).unwrap();
        assert_eq!(
            ok,
            [PathBuf::from("node_modules"), PathBuf::from("a/_site")]
        );
        let errors = check_exclude(&["../x".into(), "/etc".into(), ".".into()], none).unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(errors[0].message.contains("`..`"), "{}", errors[0].message);
        assert!(is_excluded(Path::new("node_modules/a/b.md"), &ok));
        assert!(!is_excluded(Path::new("node_modules2/b.md"), &ok));
    }
}
