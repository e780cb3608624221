//! Docusaurus: `docusaurus.config.js` read for its literals (`title`, `tagline`, `url`,
//! `baseUrl`, `organizationName`/`projectName`, the docs plugin's `path` and `editUrl`, `i18n`),
//! and the sidebar's `_category_.json` files.

use std::path::Path;

use super::super::Choice;
use super::super::content::{files_under, front_matter, markdown_files};
use super::super::js::{JsValue, Script};
use super::super::nav::docusaurus_category;
use super::{Found, join_url, read_text};
use crate::base::diag::{Diagnostic, plural};

pub(super) fn read(root: &Path, file: &str) -> Result<Found, Vec<Diagnostic>> {
    let text = read_text(root, file)?;
    let script = Script::new(&text);
    let mut found = Found::default();
    found.title = literal(&script, "title", file, &mut found.notes);
    found.description = literal(&script, "tagline", file, &mut found.notes);
    let url = literal(&script, "url", file, &mut found.notes);
    let base = literal(&script, "baseUrl", file, &mut found.notes);
    if let Some(joined) = join_url(
        url.as_ref().map(|c| c.value.as_str()),
        base.as_ref().map(|c| c.value.as_str()),
    ) {
        let from = if url.is_some() && base.is_some() {
            format!("url and baseUrl in {file}")
        } else {
            url.or(base).map(|c| c.from).unwrap_or_default()
        };
        found.base_url = Some(Choice::new(joined, from));
    }
    let organization = literal(&script, "organizationName", file, &mut found.notes);
    let project = literal(&script, "projectName", file, &mut found.notes);
    if let (Some(organization), Some(project)) = (&organization, &project) {
        found.repository = Some(Choice::new(
            format!(
                "https://github.com/{}/{}",
                organization.value, project.value
            ),
            format!("organizationName and projectName in {file}"),
        ));
    }
    let docs = docs_plugin(&script, file, &mut found);
    i18n(&script, file, &mut found);
    found.generator_outputs.push("build".into());
    found
        .excluded
        .extend(["node_modules".to_string(), "build".to_string()]);
    if root.join("blog").is_dir() {
        let posts = markdown_files(&root.join("blog"), &[]).len();
        found.notes.push(format!(
            "blog/ ({}) is not imported: Folio builds the docs",
            plural(posts, "post")
        ));
    }
    if root.join("src/pages").is_dir() {
        found
            .notes
            .push("src/pages/ (React and Markdown pages) is not imported".into());
    }
    sidebar(root, &docs, &mut found)?;
    found.content_dir = Some(docs);
    Ok(found)
}

/// The docs plugin's settings (in `presets` or `plugins`): the docs folder, edit links, and
/// where its pages were published.
fn docs_plugin(script: &Script, file: &str, found: &mut Found) -> Choice<String> {
    let default = Choice::new("docs".to_string(), "Docusaurus' default docs folder");
    let Some(docs) = script.shallowest("docs") else {
        return default;
    };
    let object = match &docs.value {
        object @ JsValue::Object(..) => object.clone(),
        JsValue::Bool(false) => {
            found.notes.push(format!(
                "docs: false in {file}: this site has no docs; docs/ is imported if it exists"
            ));
            return default;
        }
        _ => return default,
    };
    let member = |name: &str| {
        script
            .member(&object, name)
            .map(|p| (p.value, script.line_of(p.token)))
    };
    let folder = match member("path") {
        Some((JsValue::Str(path), _)) => Choice::new(
            path.trim_start_matches("./")
                .trim_end_matches('/')
                .to_string(),
            format!("docs.path in {file}"),
        ),
        Some((other, line)) => {
            found.notes.push(format!(
                "docs.path in {file} (line {line}) is {}: not read",
                describe(&other)
            ));
            default
        }
        None => default,
    };
    match member("editUrl") {
        Some((JsValue::Str(url), _)) => found.edit_links_from(&url, &format!("docs.editUrl in {file}")),
        Some((other, line)) => found.notes.push(format!(
            "docs.editUrl in {file} (line {line}) is {}: not read; set repository (or edit_url) in site.toml by hand",
            describe(&other)
        )),
        None => {}
    }
    match member("routeBasePath") {
        Some((JsValue::Str(route), _)) if route.trim_matches('/').is_empty() => {}
        Some((JsValue::Str(route), _)) => found.notes.push(format!(
            "Docusaurus published the docs under /{}/; Folio publishes them at the site's root",
            route.trim_matches('/')
        )),
        Some(_) => {}
        None => found.notes.push(
            "Docusaurus published the docs under /docs/; Folio publishes them at the site's root"
                .into(),
        ),
    }
    folder
}

/// `i18n: { defaultLocale, locales }`: the default language; translations live in i18n/, in a
/// layout Folio does not read.
fn i18n(script: &Script, file: &str, found: &mut Found) {
    let Some(i18n) = script.shallowest("i18n") else {
        return;
    };
    if let Some(JsValue::Str(locale)) = script.member(&i18n.value, "defaultLocale").map(|p| p.value)
    {
        found.language = Some(Choice::new(locale, format!("i18n.defaultLocale in {file}")));
    }
    if let Some(JsValue::List(locales)) = script.member(&i18n.value, "locales").map(|p| p.value)
        && locales.len() > 1
    {
        let names: Vec<String> = locales
            .iter()
            .filter_map(|l| match l {
                JsValue::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        found.notes.push(format!(
            "the translations in i18n/ ({}) are not read: Folio reads one folder per language under the content folder",
            names.join(", ")
        ));
    }
}

/// Where the sidebar comes from: sidebars.js (which Folio cannot run), the `_category_` files
/// of the docs folder (read here, so that their mistakes show now), and `sidebar_position`.
fn sidebar(root: &Path, docs: &Choice<String>, found: &mut Found) -> Result<(), Vec<Diagnostic>> {
    let sidebars = [
        "sidebars.js",
        "sidebars.ts",
        "sidebars.mjs",
        "sidebars.cjs",
        "sidebars.json",
    ]
    .into_iter()
    .find(|f| root.join(f).is_file());
    if let Some(sidebars) = sidebars {
        let text = read_text(root, sidebars)?;
        if text.contains("autogenerated") {
            found
                .nav
                .push(format!("{sidebars} builds the sidebar from the folders"));
        } else {
            found.notes.push(format!(
                "{sidebars} lists the sidebar by hand and is JavaScript: not read, so the sidebar follows the folders, _category_ files and sidebar_position"
            ));
        }
    }
    let docs_dir = root.join(&docs.value);
    let categories: Vec<String> = files_under(&docs_dir, &[])
        .into_iter()
        .filter(|f| {
            let name = f.rsplit('/').next().unwrap_or(f);
            matches!(
                name,
                "_category_.json" | "_category_.yml" | "_category_.yaml"
            )
        })
        .collect();
    let mut errors = Vec::new();
    for rel in &categories {
        let display = Path::new(&docs.value).join(rel);
        let folder = rel.rsplit_once('/').map_or("", |(folder, _)| folder);
        let text = read_text(root, &display.to_string_lossy())?;
        match docusaurus_category(&display, folder, &text) {
            Ok(parsed) => found.warnings.extend(parsed.warnings),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if !categories.is_empty() {
        found.nav.push(format!(
            "{} in {}/",
            plural(categories.len(), "_category_ file"),
            docs.value
        ));
    }
    let positioned = markdown_files(&docs_dir, &[])
        .iter()
        .filter(|rel| {
            std::fs::read_to_string(docs_dir.join(rel)).is_ok_and(|text| {
                front_matter(&text).is_some_and(|(yaml, _)| {
                    yaml.lines().any(|l| l.starts_with("sidebar_position:"))
                })
            })
        })
        .count();
    if positioned > 0 {
        found.nav.push(format!(
            "sidebar_position in the front matter of {}",
            plural(positioned, "page")
        ));
    }
    Ok(())
}

/// A literal string of the config, or a note saying it is computed.
fn literal(
    script: &Script,
    name: &str,
    file: &str,
    notes: &mut Vec<String>,
) -> Option<Choice<String>> {
    let property = script.shallowest(name)?;
    match property.value {
        JsValue::Str(value) if !value.trim().is_empty() => {
            Some(Choice::new(value, format!("{name} in {file}")))
        }
        JsValue::Str(_) => None,
        other => {
            notes.push(format!(
                "{name} in {file} (line {}) is {}: not read",
                script.line_of(property.token),
                describe(&other)
            ));
            None
        }
    }
}

fn describe(value: &JsValue) -> String {
    match value {
        JsValue::Expr(text) => format!("`{text}`, computed when Docusaurus runs"),
        JsValue::Object(..) => "an object".into(),
        JsValue::List(_) => "a list".into(),
        JsValue::Bool(b) => format!("`{b}`"),
        JsValue::Number(n) => format!("`{n}`"),
        JsValue::Str(s) => format!("`{s}`"),
    }
}
