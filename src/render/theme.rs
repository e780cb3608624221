//! Themes: finding templates and static files, with the site's own files overriding the theme's.
//!
//! The default theme is compiled into the binary, so `folio init` and `folio build` work anywhere.
//! A site that has `themes/default/` on disk (like Folio's own repository) uses that copy instead,
//! so theme edits show up without recompiling.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::base::diag::Diagnostic;
use crate::input::config::Config;

/// The default theme, as it was when the binary was built.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a file's bytes come from.
#[derive(Debug, Clone)]
pub enum FileSource {
    /// Compiled into the binary.
    Embedded(&'static [u8]),
    /// On disk.
    Disk(PathBuf),
}

impl FileSource {
    /// Reads the file.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            FileSource::Embedded(bytes) => Ok(bytes.to_vec()),
            FileSource::Disk(path) => std::fs::read(path),
        }
    }
}

/// A template: its name for Tera, the path shown in errors, and its text.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Name relative to the templates folder, e.g. `partials/toc.html`.
    pub name: String,
    /// Path shown in diagnostics.
    pub display_path: PathBuf,
    /// The template source.
    pub source: String,
}

/// The templates and static files of a site, overrides applied.
#[derive(Debug, Default)]
pub struct Theme {
    /// Templates by name.
    pub templates: BTreeMap<String, TemplateFile>,
    /// Static files by output path (relative to the output root).
    pub static_files: BTreeMap<PathBuf, FileSource>,
    /// What loading found that does not stop a build: symbolic links skipped.
    pub warnings: Vec<Diagnostic>,
}

impl Theme {
    /// Loads the configured theme, then the site's `templates/` and `static/` over it, then the
    /// folders of `static_dirs`.
    pub fn load(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::default();
        let mut diagnostics = Vec::new();
        let theme_dir = config.root.join("themes").join(&config.theme);
        if theme_dir.is_dir() {
            let display = Path::new("themes").join(&config.theme);
            theme.add_disk_folder(&theme_dir, &display, &mut diagnostics);
        } else if config.theme == "default" {
            theme.add_embedded();
        } else {
            let mut d = Diagnostic::error(format!(
                "theme `{}` not found: there is no folder `themes/{}`",
                config.theme, config.theme
            ))
            .with_help("set `theme = \"default\"` in site.toml to use the built-in theme");
            if let Some(location) = crate::input::config::value_location(&config.root, "theme") {
                d = d.at(location);
            }
            return Err(vec![d]);
        }
        theme.add_disk_folder(&config.root, Path::new(""), &mut diagnostics);
        // static_dirs: each folder published at its own path (`assets/x.png`).
        for dir in &config.static_dirs {
            let base = config.root.join(dir);
            theme.add_files(&base, dir, Some(dir), &mut diagnostics);
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(diagnostics);
        }
        theme.warnings = diagnostics;
        Ok(theme)
    }

    pub(super) fn add_embedded(&mut self) {
        let display_root = Path::new("<built-in theme>");
        for file in all_files(&DEFAULT_THEME) {
            let path = file.path();
            if let Ok(name) = path.strip_prefix("templates") {
                let Some(source) = file.contents_utf8() else {
                    continue;
                };
                self.add_template(name, display_root.join(path), source.to_string());
            } else if let Ok(rel) = path.strip_prefix("static") {
                self.static_files
                    .insert(rel.to_path_buf(), FileSource::Embedded(file.contents()));
            }
        }
    }

    /// Adds `dir/templates/**` and `dir/static/**`, replacing files with the same name.
    fn add_disk_folder(&mut self, dir: &Path, display: &Path, diagnostics: &mut Vec<Diagnostic>) {
        for (folder, is_templates) in [("templates", true), ("static", false)] {
            let output_prefix = (!is_templates).then_some(Path::new(""));
            let display = display.join(folder);
            self.add_files(&dir.join(folder), &display, output_prefix, diagnostics);
        }
    }

    /// Adds the files of `base` (shown as `display`): templates when `output_prefix` is None,
    /// else static files written under it. Hidden files are left out; symbolic links are
    /// skipped with a warning.
    fn add_files(
        &mut self,
        base: &Path,
        display: &Path,
        output_prefix: Option<&Path>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if !base.is_dir() {
            return;
        }
        for entry in WalkDir::new(base).sort_by_file_name() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    diagnostics.push(Diagnostic::error(format!("cannot read theme files: {e}")));
                    continue;
                }
            };
            let hidden = is_hidden(entry.path(), base);
            let rel = entry.path().strip_prefix(base).unwrap_or(entry.path());
            let display_path = display.join(rel);
            if entry.depth() > 0 && entry.path_is_symlink() && !hidden {
                diagnostics.push(crate::input::source::skipped_symlink(
                    &display_path,
                    &display.to_string_lossy(),
                ));
                continue;
            }
            if !entry.file_type().is_file() || hidden {
                continue;
            }
            if let Some(prefix) = output_prefix {
                self.static_files.insert(
                    prefix.join(rel),
                    FileSource::Disk(entry.path().to_path_buf()),
                );
                continue;
            }
            match std::fs::read_to_string(entry.path()) {
                Ok(source) => self.add_template(rel, display_path, source),
                Err(e) => diagnostics.push(Diagnostic::error(format!(
                    "cannot read template `{}`: {e}",
                    display_path.display()
                ))),
            }
        }
    }

    fn add_template(&mut self, rel: &Path, display_path: PathBuf, source: String) {
        let name = rel.to_string_lossy().replace('\\', "/");
        self.templates.insert(
            name.clone(),
            TemplateFile {
                name,
                display_path,
                source,
            },
        );
    }
}

fn all_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(all_files(sub));
    }
    files
}

fn is_hidden(path: &Path, base: &Path) -> bool {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}
