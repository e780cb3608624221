//! Jekyll: _config.yml. Pages are the site's own folder (with `exclude`, and `_`-folders, left
//! out), or a collection such as `_articles` when the settings declare one that is published.

use std::path::Path;

use super::super::Choice;
use super::super::content::{
    files_under, has_extension, is_repository_file, markdown_count, markdown_files,
};
use super::super::value::Value;
use super::{Found, join_url, read_settings, repository_url};
use crate::base::diag::{Diagnostic, plural};

/// What Jekyll never reads as pages, whatever `exclude` says.
const ALWAYS_EXCLUDED: &[&str] = &[
    "_site",
    "node_modules",
    "vendor",
    "_includes",
    "_layouts",
    "_sass",
    "_data",
    "_plugins",
    "_drafts",
];

pub(super) fn read(root: &Path, file: &str) -> Result<Found, Vec<Diagnostic>> {
    let (_, settings) = read_settings(root, file)?;
    let mut found = Found::default();
    found.title = found.text(&settings, &["title"], false, file);
    found.description = found.text(&settings, &["description"], false, file);
    found.language = found
        .text(&settings, &["lang"], false, file)
        .or_else(|| found.text(&settings, &["default_lang"], false, file));
    let url = found.text(&settings, &["url"], false, file);
    let baseurl = found.text(&settings, &["baseurl"], false, file);
    if let Some(joined) = join_url(
        url.as_ref().map(|c| c.value.as_str()),
        baseurl.as_ref().map(|c| c.value.as_str()),
    ) {
        let from = match (&url, &baseurl) {
            (Some(_), Some(_)) => format!("url and baseurl in {file}"),
            (Some(u), None) => u.from.clone(),
            (None, _) => format!("baseurl in {file}"),
        };
        found.base_url = Some(Choice::new(joined, from));
    }
    let destination = found
        .text(&settings, &["destination"], false, file)
        .map_or_else(|| "_site".to_string(), |c| c.value);
    found.generator_outputs.push(destination);
    found
        .excluded
        .extend(ALWAYS_EXCLUDED.iter().map(|s| s.to_string()));
    if let Some(Value::List(items)) = settings.get("exclude") {
        found.excluded.extend(
            items
                .iter()
                .filter_map(Value::text)
                .map(|s| s.trim_end_matches('/').to_string()),
        );
    }
    repository(&mut found, &settings, file);
    collections(root, &mut found, &settings, file);
    found.static_dirs = copied_folders(root, &found, file);
    if let Some(Value::List(languages)) = settings.get("languages") {
        let codes: Vec<String> = languages.iter().filter_map(Value::text).collect();
        found.notes.push(format!(
            "languages in {file} ({}): Folio reads the languages from the folders the pages are in",
            codes.join(", ")
        ));
    }
    found
        .nav
        .push("the pages' order or nav_order (front matter)".into());
    if root.join("_data/navigation.yml").is_file() {
        found
            .notes
            .push("_data/navigation.yml is a theme's menu: not read".into());
    }
    if settings.get("theme").is_some() || settings.get("remote_theme").is_some() {
        found.notes.push(format!(
            "the theme in {file} is Jekyll's: Folio uses its own"
        ));
    }
    Ok(found)
}

/// `repository` (jekyll-github-metadata's `owner/name`), `github.repository_nwo`, or Just the
/// Docs' `gh_edit_repository` and `gh_edit_branch`.
fn repository(found: &mut Found, settings: &Value, file: &str) {
    let written = found
        .text(settings, &["gh_edit_repository"], false, file)
        .or_else(|| found.text(settings, &["repository"], false, file))
        .or_else(|| found.text(settings, &["github", "repository_nwo"], false, file));
    if let Some(written) = written {
        match repository_url(&written.value) {
            Some(url) => found.repository = Some(Choice::new(url, written.from)),
            None => found.notes.push(format!(
                "{} is `{}`: not a repository Folio can link to",
                written.from, written.value
            )),
        }
    }
    found.branch = found.text(settings, &["gh_edit_branch"], false, file);
}

/// The published collections (`output: true`), whose folders hold the pages: the one with most
/// Markdown files becomes the content folder, and the others are named in a note.
fn collections(root: &Path, found: &mut Found, settings: &Value, file: &str) {
    let base = settings
        .get("collections_dir")
        .and_then(Value::text)
        .map(|d| format!("{}/", d.trim_matches('/')))
        .unwrap_or_default();
    let names: Vec<String> = match settings.get("collections") {
        Some(Value::Map(entries)) => entries
            .iter()
            .filter(|(_, c)| c.get("output") == Some(&Value::Bool(true)))
            .map(|(name, _)| name.clone())
            .collect(),
        _ => Vec::new(),
    };
    let mut folders: Vec<(usize, String)> = names
        .into_iter()
        .map(|name| format!("{base}_{name}"))
        .filter(|folder| root.join(folder).is_dir())
        .map(|folder| (markdown_count(&root.join(&folder)), folder))
        .collect();
    // The collection with the most pages first.
    folders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let Some((_, folder)) = folders.first().cloned() else {
        found.content_dir = Some(Choice::new(
            ".".to_string(),
            "Jekyll's pages: the site's own folder",
        ));
        return;
    };
    let name = folder
        .rsplit('/')
        .next()
        .unwrap_or(&folder)
        .trim_start_matches('_')
        .to_string();
    found.content_dir = Some(Choice::new(
        folder.clone(),
        format!("the {name} collection in {file}"),
    ));
    for (count, other) in folders.iter().skip(1) {
        found.notes.push(format!(
            "the collection in {other} ({count} pages) is left out: Folio reads one content folder"
        ));
    }
    let outside = markdown_outside(root, &folder, &found.excluded);
    if !outside.is_empty() {
        let mut named: Vec<&str> = outside.iter().take(5).map(String::as_str).collect();
        if outside.len() > named.len() {
            named.push("…");
        }
        found.notes.push(format!(
            "{} outside {folder} {} left out, as only the collection is imported: {}",
            plural(outside.len(), "Markdown file"),
            if outside.len() == 1 { "is" } else { "are" },
            named.join(", ")
        ));
    }
}

/// Markdown files in `root` that are neither in `folder` nor excluded, nor the repository's
/// own files (README, LICENSE…), nor in folders Jekyll skips (`_name`).
fn markdown_outside(root: &Path, folder: &str, excluded: &[String]) -> Vec<String> {
    let mut skip: Vec<String> = excluded.to_vec();
    skip.push(folder.to_string());
    markdown_files(root, &skip)
        .into_iter()
        .filter(|f| !is_repository_file(f) && !f.starts_with('_'))
        .collect()
}

/// The folders at the root that Jekyll copies into its site (`assets/`, `images/`): not `_` or
/// hidden ones, not the pages' folder, its output, nor what `exclude` names, and holding at
/// least one file that is not Markdown (a folder of pages only is not static files).
fn copied_folders(root: &Path, found: &Found, file: &str) -> Option<Choice<Vec<String>>> {
    let content = found.content_dir.as_ref().map(|c| c.value.as_str());
    let mut folders: Vec<String> = std::fs::read_dir(root)
        .ok()?
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
        .filter(|name| !name.starts_with('_') && !name.starts_with('.'))
        .filter(|name| Some(name.as_str()) != content)
        .filter(|name| !found.generator_outputs.contains(name))
        .filter(|name| !found.excluded.iter().any(|e| matches_exclude(e, name)))
        .filter(|name| {
            let not_markdown =
                |rel: &String| !has_extension(rel, "md") && !has_extension(rel, "markdown");
            files_under(&root.join(name), &[]).iter().any(not_markdown)
        })
        .collect();
    folders.sort();
    (!folders.is_empty()).then(|| {
        Choice::new(
            folders,
            format!(
                "the folders Jekyll copies into its site (not `_` folders, nor `exclude` in {file})"
            ),
        )
    })
}

/// True when the `exclude` entry `pattern` (`docs`, `Gemfile*`) names the folder `name`.
fn matches_exclude(pattern: &str, name: &str) -> bool {
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    match pattern.split_once('*') {
        Some((start, end)) => {
            name.len() >= start.len() + end.len() && name.starts_with(start) && name.ends_with(end)
        }
        None => pattern == name,
    }
}
