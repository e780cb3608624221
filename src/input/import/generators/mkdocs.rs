//! MkDocs: mkdocs.yml, its `nav`, and the `.pages` files of awesome-pages.

use std::path::Path;

use super::super::Choice;
use super::super::content::files_under;
use super::super::nav::{self, count_entries};
use super::super::value::Value;
use super::{Found, read_settings, read_text};
use crate::base::diag::{Diagnostic, plural};

/// Keys of mkdocs.yml that shape only MkDocs' own site: named in one note, so that the author
/// knows they were seen and are not needed.
const NOT_NEEDED: &[&str] = &[
    "theme",
    "plugins",
    "markdown_extensions",
    "extra",
    "extra_css",
    "extra_javascript",
    "hooks",
    "watch",
    "copyright",
    "google_analytics",
    "use_directory_urls",
    "strict",
    "validation",
    "dev_addr",
    "remote_branch",
    "remote_name",
    "site_author",
];

pub(super) fn read(root: &Path, file: &str) -> Result<Found, Vec<Diagnostic>> {
    let (text, settings) = read_settings(root, file)?;
    let mut found = Found::default();
    found.title = found.text(&settings, &["site_name"], false, file);
    found.description = found.text(&settings, &["site_description"], false, file);
    found.base_url = found.text(&settings, &["site_url"], false, file);
    found.language = found.text(&settings, &["theme", "language"], false, file);
    let docs = found
        .text(&settings, &["docs_dir"], false, file)
        .map(|c| Choice::new(c.value.trim_end_matches('/').to_string(), c.from))
        .unwrap_or_else(|| Choice::new("docs".to_string(), "MkDocs' default docs_dir"));
    let site_dir = found
        .text(&settings, &["site_dir"], false, file)
        .map_or_else(|| "site".to_string(), |c| c.value);
    found.generator_outputs.push(site_dir);
    edit_links(&mut found, &settings, file, &docs.value);
    languages(&mut found, &settings, file);
    if settings.get("INHERIT").is_some() {
        found.notes.push(format!(
            "INHERIT in {file}: the settings it inherits are not read; copy what matters into site.toml"
        ));
    }
    if settings.get("exclude_docs").is_some() {
        found.notes.push(format!(
            "exclude_docs in {file} is not read: pages it leaves out are built by Folio"
        ));
    }
    let not_needed: Vec<&str> = NOT_NEEDED
        .iter()
        .copied()
        .filter(|key| settings.get(key).is_some())
        .collect();
    if !not_needed.is_empty() {
        found.notes.push(format!(
            "{} in {file} shape MkDocs' own site: not needed",
            not_needed.join(", ")
        ));
    }
    let mut errors = Vec::new();
    match nav::mkdocs_nav(Path::new(file), &text) {
        Ok(parsed) => {
            if let Some(entries) = parsed.value {
                let count = count_entries(&entries);
                found.nav.push(format!(
                    "`nav` in {file} ({count} {})",
                    if count == 1 { "entry" } else { "entries" }
                ));
                found.nav_file = Some(file.to_string());
            }
            found.warnings.extend(parsed.warnings);
        }
        Err(e) => errors.extend(e),
    }
    pages_files(
        root,
        &docs.value,
        plugin_names(&settings).contains(&"awesome-pages"),
        &mut found,
        &mut errors,
    );
    found.content_dir = Some(docs);
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// The names of the plugins mkdocs.yml enables (`- search`, `- i18n: {…}`).
fn plugin_names(settings: &Value) -> Vec<&str> {
    match settings.get("plugins") {
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(name) => Some(name.as_str()),
                Value::Map(entries) => entries.first().map(|(name, _)| name.as_str()),
                _ => None,
            })
            .collect(),
        Some(Value::Map(entries)) => entries.iter().map(|(name, _)| name.as_str()).collect(),
        _ => Vec::new(),
    }
}

/// The settings of plugin `name`, when it has any.
fn plugin<'a>(settings: &'a Value, name: &str) -> Option<&'a Value> {
    match settings.get("plugins")? {
        Value::List(items) => items.iter().find_map(|item| item.get(name)),
        map @ Value::Map(_) => map.get(name),
        _ => None,
    }
}

/// Reads every `.pages` file under the docs folder: the navigation of awesome-pages.
fn pages_files(
    root: &Path,
    docs: &str,
    enabled: bool,
    found: &mut Found,
    errors: &mut Vec<Diagnostic>,
) {
    let docs_path = root.join(docs);
    let files: Vec<String> = files_under(&docs_path, &[])
        .into_iter()
        .filter(|f| f == ".pages" || f.ends_with("/.pages"))
        .collect();
    if files.is_empty() {
        return;
    }
    let mut shown = Vec::new();
    for rel in &files {
        let folder = rel
            .strip_suffix(".pages")
            .unwrap_or("")
            .trim_end_matches('/');
        let display = Path::new(docs).join(rel);
        let text = match read_text(root, &display.to_string_lossy()) {
            Ok(text) => text,
            Err(e) => {
                errors.extend(e);
                continue;
            }
        };
        match nav::awesome_pages(&display, folder, &text) {
            Ok(parsed) => found.warnings.extend(parsed.warnings),
            Err(e) => errors.extend(e),
        }
        shown.push(display.to_string_lossy().into_owned());
    }
    found.nav.push(format!(
        "{} (awesome-pages{}): {}",
        plural(files.len(), ".pages file"),
        if enabled {
            ""
        } else {
            ", though mkdocs.yml does not enable the plugin"
        },
        shown.join(", ")
    ));
}

/// `repo_url` and `edit_uri`: MkDocs links each page to `repo_url` + `edit_uri` + its path in
/// the docs folder, which Folio makes from `repository` and `branch`.
fn edit_links(found: &mut Found, settings: &Value, file: &str, docs: &str) {
    let Some(repo) = found.text(settings, &["repo_url"], false, file) else {
        return;
    };
    let template = settings.get("edit_uri_template").and_then(Value::text);
    let edit_uri = match (template, settings.get("edit_uri")) {
        (Some(template), _) => Some((
            template
                .split("{path}")
                .next()
                .unwrap_or_default()
                .to_string(),
            "edit_uri_template",
        )),
        (None, Some(Value::Null)) => Some((String::new(), "edit_uri")),
        (None, Some(value)) => match value.text() {
            Some(text) => Some((text, "edit_uri")),
            None if matches!(value, Value::String(_)) => Some((String::new(), "edit_uri")),
            None => {
                found.notes.push(format!(
                    "edit_uri in {file} is {}: not read, so repository is left out",
                    value.describe()
                ));
                return;
            }
        },
        (None, None) => None,
    };
    match edit_uri {
        Some((uri, key)) if uri.trim().is_empty() => {
            found.edit_links_off = true;
            found.notes.push(format!(
                "{key} in {file} is empty: MkDocs shows no edit links, so repository ({}) is left out",
                repo.value
            ));
        }
        Some((uri, key)) if uri.contains("://") => {
            found.edit_links_from(&uri, &format!("{key} in {file}"));
        }
        Some((uri, key)) => match relative_branch(&uri) {
            Some(branch) => {
                found.branch = Some(Choice::new(branch, format!("{key} in {file}")));
                found.repository = Some(repo);
            }
            None => {
                found.edit_links_off = true;
                found.notes.push(format!(
                    "{key} in {file} is `{uri}`, which Folio cannot follow: set repository (or edit_url) in site.toml by hand"
                ));
            }
        },
        None => {
            // MkDocs' own default for the hosts it knows: `edit/master/<docs_dir>/`.
            let host = repo.value.split("://").nth(1).unwrap_or_default();
            if ["github.com", "gitlab.com", "bitbucket.org"]
                .iter()
                .any(|known| host.starts_with(known))
            {
                found.branch = Some(Choice::new(
                    "master".to_string(),
                    format!("MkDocs' default edit_uri, edit/master/{docs}/"),
                ));
                found.repository = Some(repo);
            } else {
                found.edit_links_off = true;
                found.notes.push(format!(
                    "repo_url in {file} is on a host MkDocs makes no edit links for: repository is left out"
                ));
            }
        }
    }
}

/// The branch in a relative `edit_uri`: `edit/main/docs/`, `blob/main/docs/`,
/// `-/edit/main/docs/` (GitLab), `src/branch/main/docs/` (Gitea).
fn relative_branch(uri: &str) -> Option<String> {
    let segments: Vec<&str> = uri.trim_matches('/').split('/').collect();
    let branch = match segments.as_slice() {
        ["-", "edit" | "blob" | "tree", branch, ..] => branch,
        ["src", "branch", branch, ..] => branch,
        ["edit" | "blob" | "tree", branch, ..] => branch,
        _ => return None,
    };
    Some(branch.to_string()).filter(|b| !b.is_empty())
}

/// mkdocs-static-i18n's languages: one folder per language under the docs folder (Folio's
/// layout) when `docs_structure` is `folder`.
fn languages(found: &mut Found, settings: &Value, file: &str) {
    let Some(i18n) = plugin(settings, "i18n") else {
        return;
    };
    let Some(Value::List(languages)) = i18n.get("languages") else {
        return;
    };
    let mut codes: Vec<String> = Vec::new();
    let mut default = None;
    for language in languages {
        if let Some(code) = language.get("locale").and_then(Value::text) {
            if language.get("default") == Some(&Value::Bool(true)) {
                default = Some(code.clone());
            }
            codes.push(code);
        }
    }
    let default = default.or_else(|| codes.first().cloned());
    let Some(default) = default else {
        return;
    };
    let from = format!("the i18n plugin in {file}");
    found.language = Some(Choice::new(default, from.clone()));
    let by_folder = i18n.get("docs_structure").and_then(Value::text).as_deref() == Some("folder");
    if by_folder && codes.len() > 1 {
        found.languages = Some(Choice::new(codes, from));
    } else if codes.len() > 1 {
        found.notes.push(format!(
            "{from} translates by file name (page.fr.md): not read, as Folio reads one folder per language"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_in_relative_edit_uris() {
        assert_eq!(relative_branch("edit/main/docs/").as_deref(), Some("main"));
        assert_eq!(relative_branch("blob/dev/docs").as_deref(), Some("dev"));
        assert_eq!(
            relative_branch("-/edit/trunk/docs/").as_deref(),
            Some("trunk")
        );
        assert_eq!(
            relative_branch("src/branch/main/docs/").as_deref(),
            Some("main")
        );
        assert_eq!(relative_branch("?path=/docs/"), None);
    }

    #[test]
    fn plugins_are_named_in_both_shapes() {
        let settings = super::super::super::value::parse(
            Path::new("mkdocs.yml"),
            "plugins:\n  - search\n  - awesome-pages\n  - i18n:\n      docs_structure: folder\n      languages:\n        - locale: en\n          default: true\n        - locale: fr\n",
            super::super::super::value::Format::Yaml,
        )
        .unwrap();
        assert_eq!(plugin_names(&settings), ["search", "awesome-pages", "i18n"]);
        let mut found = Found::default();
        languages(&mut found, &settings, "mkdocs.yml");
        assert_eq!(found.language.map(|c| c.value).as_deref(), Some("en"));
        assert_eq!(
            found.languages.map(|c| c.value),
            Some(vec!["en".to_string(), "fr".to_string()])
        );
    }
}
