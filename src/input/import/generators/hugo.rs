//! Hugo: hugo.toml (or .yaml, .json), the older config.toml, and the config/_default/ folder, whose
//! params and languages files hold those tables. Hugo's keys are case-insensitive.

use std::path::Path;

use super::super::Choice;
use super::super::value::{Format, Value};
use super::{Found, read_settings};
use crate::base::diag::Diagnostic;

/// Files of config/_default/ that hold one table each (`params.toml` is `[params]`).
const TABLE_FILES: &[&str] = &["params", "languages", "menus", "menu"];
const EXTENSIONS: &[&str] = &["toml", "yaml", "yml", "json"];

/// Keys that only a Hugo settings file has, to tell Hugo's `config.toml` from other tools'
/// files of that name (Zola writes `base_url`, Hugo `baseURL`).
const HUGO_KEYS: &[&str] = &[
    "baseurl",
    "languagecode",
    "defaultcontentlanguage",
    "contentdir",
    "publishdir",
    "params",
    "module",
    "markup",
    "disablekinds",
];

/// True when `file` (in `root`) is Hugo's: hugo.*, config/_default/, or a config.* holding a
/// key only Hugo writes.
pub(super) fn is_hugo_settings(root: &Path, file: &str) -> bool {
    if file.starts_with("hugo.") || file.contains('/') {
        return true;
    }
    let Ok((_, settings)) = read_settings(root, file) else {
        return false;
    };
    settings.get("base_url").is_none()
        && settings
            .entries()
            .iter()
            .any(|(key, _)| HUGO_KEYS.contains(&key.to_ascii_lowercase().as_str()))
}

pub(super) fn read(root: &Path, file: &str) -> Result<Found, Vec<Diagnostic>> {
    let (settings, shown) = merged_settings(root, file)?;
    let mut found = Found::default();
    let language = found
        .text(&settings, &["defaultContentLanguage"], true, &shown)
        .or_else(|| found.text(&settings, &["languageCode"], true, &shown));
    let default_code = language
        .as_ref()
        .map_or_else(|| "en".to_string(), |c| c.value.to_ascii_lowercase());
    found.title = found.text(&settings, &["title"], true, &shown).or_else(|| {
        found.text(
            &settings,
            &["languages", &default_code, "title"],
            true,
            &shown,
        )
    });
    found.description = found
        .text(&settings, &["params", "description"], true, &shown)
        .or_else(|| {
            found.text(
                &settings,
                &["languages", &default_code, "description"],
                true,
                &shown,
            )
        })
        .or_else(|| {
            found.text(
                &settings,
                &["languages", &default_code, "params", "description"],
                true,
                &shown,
            )
        });
    found.base_url = found.text(&settings, &["baseURL"], true, &shown);
    found.language = language;
    let publish = found
        .text(&settings, &["publishDir"], true, &shown)
        .map_or_else(|| "public".to_string(), |c| c.value);
    found.generator_outputs.push(publish);
    found
        .excluded
        .extend(["resources".to_string(), "node_modules".to_string()]);
    repository(&mut found, &settings, &shown);
    content_and_languages(&mut found, &settings, &shown, &default_code);
    found
        .nav
        .push("the pages' weight and linkTitle (front matter)".into());
    if settings.get_ignore_case("menu").is_some() || settings.get_ignore_case("menus").is_some() {
        found.notes.push(format!(
            "the menus in {shown} are not read: the sidebar follows the pages' weight"
        ));
    }
    if settings.get_ignore_case("theme").is_some() {
        found.notes.push(format!(
            "theme in {shown} is Hugo's: Folio uses its own (its shortcodes are left out of pages, one warning each)"
        ));
    }
    Ok(found)
}

/// The settings of `file`, with the tables of config/_default/'s other files added where the
/// main file lacks them; and how to name where they came from.
fn merged_settings(root: &Path, file: &str) -> Result<(Value, String), Vec<Diagnostic>> {
    let dir = "config/_default";
    let (mut settings, mut shown) = if file == dir {
        let main = ["hugo", "config"]
            .iter()
            .flat_map(|name| {
                EXTENSIONS
                    .iter()
                    .map(move |ext| format!("{dir}/{name}.{ext}"))
            })
            .find(|path| root.join(path).is_file());
        match main {
            Some(main) => {
                let (_, settings) = read_settings(root, &main)?;
                (settings, main)
            }
            None => (Value::Map(Vec::new()), format!("{dir}/")),
        }
    } else {
        let (_, settings) = read_settings(root, file)?;
        (settings, file.to_string())
    };
    if root.join(dir).is_dir() {
        let mut added = Vec::new();
        for table in TABLE_FILES {
            if settings.get_ignore_case(table).is_some() {
                continue;
            }
            for ext in EXTENSIONS {
                let path = format!("{dir}/{table}.{ext}");
                if root.join(&path).is_file() && Format::of(Path::new(&path)).is_some() {
                    let (_, value) = read_settings(root, &path)?;
                    if let Value::Map(entries) = &mut settings {
                        entries.push((table.to_string(), value));
                    }
                    added.push(path);
                    break;
                }
            }
        }
        if !added.is_empty() {
            shown = format!("{shown} (with {})", added.join(", "));
        }
    }
    Ok((settings, shown))
}

/// The repository and branch of the common themes: Docsy's `github_repo` and `github_branch`,
/// hugo-book's `BookRepo` and `BookEditPath` (`edit/main/docs`).
fn repository(found: &mut Found, settings: &Value, shown: &str) {
    for (repo_key, branch_key) in [
        ("github_repo", "github_branch"),
        ("BookRepo", "BookEditBranch"),
    ] {
        if let Some(repo) = found.text(settings, &["params", repo_key], true, shown) {
            found.repository = Some(repo);
            found.branch = found.text(settings, &["params", branch_key], true, shown);
            break;
        }
    }
    if found.branch.is_none()
        && found.repository.is_some()
        && let Some(path) = found.text(settings, &["params", "BookEditPath"], true, shown)
        && let [_, branch, ..] = path.value.trim_matches('/').split('/').collect::<Vec<_>>()[..]
    {
        found.branch = Some(Choice::new(branch.to_string(), path.from));
    }
}

/// The content folder, and the languages when each has a folder named by its code under a
/// common parent (Hugo's `contentDir` per language), which is Folio's layout.
fn content_and_languages(found: &mut Found, settings: &Value, shown: &str, default: &str) {
    let top = found.text(settings, &["contentDir"], true, shown);
    let top_dir = top
        .as_ref()
        .map_or("content", |c| c.value.as_str())
        .trim_end_matches('/')
        .to_string();
    let mut codes: Vec<(f64, usize, String, Option<String>)> = Vec::new();
    if let Some(Value::Map(languages)) = settings.get_ignore_case("languages") {
        for (index, (code, language)) in languages.iter().enumerate() {
            if language.get_ignore_case("disabled") == Some(&Value::Bool(true)) {
                continue;
            }
            let weight = language
                .get_ignore_case("weight")
                .and_then(Value::number)
                .unwrap_or(0.0);
            let dir = language
                .get_ignore_case("contentDir")
                .and_then(Value::text)
                .map(|d| d.trim_end_matches('/').to_string());
            codes.push((weight, index, code.to_ascii_lowercase(), dir));
        }
    }
    // Hugo sorts languages by weight, then as written.
    codes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let default_dir = codes
        .iter()
        .find(|(_, _, code, _)| code == default)
        .and_then(|(_, _, _, dir)| dir.clone())
        .unwrap_or_else(|| top_dir.clone());
    let from = |what: &str| format!("{what} in {shown}");
    if codes.len() < 2 {
        found.content_dir = Some(match top {
            Some(c) => Choice::new(top_dir, c.from),
            None => Choice::new(top_dir, "Hugo's default contentDir"),
        });
        return;
    }
    let names: Vec<String> = codes.iter().map(|(_, _, code, _)| code.clone()).collect();
    let parent = default_dir
        .strip_suffix(&format!("/{default}"))
        .unwrap_or(&default_dir)
        .to_string();
    let in_folders = codes.iter().all(|(_, _, code, dir)| {
        let dir = dir
            .as_deref()
            .unwrap_or(if code == default { &default_dir } else { "" });
        dir == format!("{parent}/{code}") || (code == default && dir == parent)
    });
    if in_folders {
        found.content_dir = Some(Choice::new(parent, from("the languages' contentDir")));
        found.languages = Some(Choice::new(names, from("[languages]")));
        return;
    }
    let has_own_dirs = codes
        .iter()
        .any(|(_, _, code, dir)| dir.is_some() && code != default);
    found.notes.push(if has_own_dirs {
        format!(
            "the languages in {shown} ({}) have folders not named by their codes: only the default language's pages ({default_dir}) are imported",
            names.join(", ")
        )
    } else {
        format!(
            "the languages in {shown} ({}) are translations by file name (page.es.md): not read, as Folio reads one folder per language",
            names.join(", ")
        )
    });
    found.content_dir = Some(Choice::new(default_dir, from("contentDir")));
}
