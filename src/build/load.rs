//! The **load** stage: site.toml, the theme and its templates, and every page's source and front
//! matter, read in parallel; each page gets its kind and URL path on the way.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::BuildOptions;
use crate::base::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::base::progress::Progress;
use crate::content::folders::{FolderPages, Role};
use crate::content::markdown;
use crate::content::page::Page;
use crate::content::resolve::{page_url_path, permalink_url_path};
use crate::content::title::{self, TitleFrom};
use crate::input::config::Config;
use crate::input::front_matter::{self, UnknownField};
use crate::input::source;
use crate::render::templates::Templates;
use crate::render::theme::Theme;

pub(super) fn load_config(options: &BuildOptions, diagnostics: &mut Diagnostics) -> Option<Config> {
    let mut config = match Config::load(&options.root) {
        Ok(config) => config,
        Err(errors) => {
            diagnostics.extend(errors.into_iter().map(|d| d.with_code(Code::Config)));
            return None;
        }
    };
    if let Some(url) = &options.base_url
        && let Err(message) = config.set_base_url(url)
    {
        diagnostics.push(Diagnostic::error(format!("--base-url: {message}")));
        return None;
    }
    Some(config)
}

/// Compiles the loaded theme's templates; None (with the errors reported) when loading or
/// compiling failed.
pub(super) fn compile_templates(
    loaded: Result<Theme, Vec<Diagnostic>>,
    diagnostics: &mut Diagnostics,
) -> Option<(Theme, Templates)> {
    let compiled = loaded.and_then(|mut theme| {
        diagnostics.extend(std::mem::take(&mut theme.warnings));
        let templates = Templates::compile(&theme)?;
        Ok((theme, templates))
    });
    match compiled {
        Ok(compiled) => Some(compiled),
        Err(errors) => {
            diagnostics.extend(errors.into_iter().map(|d| d.with_code(Code::Template)));
            None
        }
    }
}

/// Reads and parses every Markdown file in parallel. Pages with errors are left out and returned
/// apart, so links to them do not repeat their errors.
pub(super) fn load_pages<'m>(
    config: &Config,
    markdown: &'m [PathBuf],
    progress: &Progress,
    diagnostics: &mut Diagnostics,
) -> (Vec<Page>, Vec<&'m PathBuf>) {
    progress.stage("Reading", markdown.len());
    let folder_pages = FolderPages::find(markdown, |rel| config.language_of(rel).1);
    let results: Vec<(Option<Page>, Vec<Diagnostic>)> = markdown
        .par_iter()
        .map(|rel| {
            let loaded = load_page(config, rel, &folder_pages.role(rel));
            progress.advance();
            loaded
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    let mut unknown = Vec::new();
    for ((page, found), rel) in results.into_iter().zip(markdown) {
        diagnostics.extend(found.into_iter().map(|d| d.with_code(Code::FrontMatter)));
        match page {
            Some(mut page) => {
                unknown.append(&mut page.unknown_fields);
                pages.push(page);
            }
            None => failed.push(rel),
        }
    }
    diagnostics.extend(
        front_matter::report_unknown(unknown)
            .into_iter()
            .map(|d| d.with_code(Code::FrontMatter)),
    );
    (pages, failed)
}

/// Reads and parses one page, which plays `role` in its folder.
pub(super) fn load_page(
    config: &Config,
    rel: &Path,
    role: &Role,
) -> (Option<Page>, Vec<Diagnostic>) {
    let display_path = config.content_shown().join(rel);
    let text = match source::read_text(&config.content_dir().join(rel), &display_path) {
        Ok(text) => text,
        Err(d) => return (None, vec![d]),
    };
    let split = match front_matter::split(&display_path, &text) {
        Ok(split) => split,
        Err(d) => return (None, vec![d]),
    };
    let parsed = match front_matter::parse(&display_path, &text, &split) {
        Ok(parsed) => parsed,
        Err(d) => return (None, vec![d]),
    };
    let mut diagnostics = Vec::new();
    if let Role::Shadowed(winner) = role {
        diagnostics.push(shadowed_folder_page(&display_path, &text, winner));
    }
    let fm = parsed.front_matter;
    let unknown_fields = parsed.unknown;
    let is_section = *role == Role::Section;
    let (language, tree_path) = config.language_of(rel);
    let dir = tree_path.parent().unwrap_or(Path::new(""));
    let kind = fm.kind.unwrap_or_else(|| config.default_kind(dir));
    diagnostics.extend(front_matter::check_kind_fields(
        &display_path,
        &text,
        &split,
        &fm,
        kind,
    ));
    let from_permalink = fm.permalink.as_deref().and_then(permalink_url_path);
    let url_path = match from_permalink.map_or_else(
        || page_url_path(&tree_path, fm.slug.as_deref(), role.is_folder_page()),
        Ok,
    ) {
        Ok(url) => url,
        Err(message) => {
            let mut d = Diagnostic::error(message);
            if let Some(loc) = front_matter::field_location(&display_path, &text, &split, "slug") {
                d = d.at(loc);
            }
            diagnostics.push(d);
            // The page is left out, so its unknown fields are told here, with it.
            diagnostics.extend(unknown_fields.iter().map(UnknownField::diagnostic));
            return (None, diagnostics);
        }
    };
    let body_offset = split.body_offset;
    let front_matter_span = split.span();
    let page = Page {
        source: rel.to_path_buf(),
        display_path,
        front_matter: fm,
        kind,
        section_dir: is_section.then(|| dir.to_path_buf()),
        tree_path: tree_path.clone(),
        language,
        foreign_tags: Vec::new(),
        related: Vec::new(),
        generated: false,
        folder_page: role.is_folder_page(),
        // Until the page is rendered, which may find a heading to title it.
        title: title::from_file_name(&tree_path).unwrap_or_else(|| config.title.clone()),
        title_from: TitleFrom::FileName,
        unknown_fields,
        url_path,
        front_matter_span,
        body_offset,
        rendered: markdown::Rendered::default(),
        text,
    };
    (Some(page), diagnostics)
}

/// The warning for a file with a folder page's name that another file of its folder wins over.
fn shadowed_folder_page(display_path: &Path, text: &str, winner: &Path) -> Diagnostic {
    let name = display_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let winner_name = winner
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Diagnostic::warning(format!(
        "`{name}` is not its folder's page: `{winner_name}` is, as Folio takes `_index.md`, then `index.md`, then `README.md`; `{name}` is built as a page of the folder"
    ))
    .at(Location::from_offset(display_path, text, 0, 1))
    .with_help(format!(
        "keep one folder page: merge `{name}` into `{winner_name}`, or rename it"
    ))
    .with_code(Code::FolderPage)
}
