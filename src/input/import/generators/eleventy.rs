//! Eleventy: `.eleventy.js` or `eleventy.config.js`, read for its literals (`dir: { input,
//! output, data, includes }`, `pathPrefix`), the site data of `_data/` (`site` or `metadata`:
//! title, description, url, language), package.json's `repository`, and the
//! `eleventyNavigation` of the pages' front matter.

use std::path::Path;

use serde::Deserialize;

use super::super::Choice;
use super::super::content::{front_matter, markdown_files};
use super::super::js::{JsValue, Script};
use super::super::nav::{EleventyPage, count_entries, eleventy_tree};
use super::super::value::Value;
use super::{Found, join_url, read_settings, read_text, repository_url};
use crate::base::diag::{Diagnostic, Location};

/// The data files Eleventy sites keep their site-wide values in, in the order they are tried.
const SITE_DATA: &[&str] = &[
    "site.json",
    "site.yaml",
    "site.yml",
    "metadata.json",
    "metadata.yaml",
    "metadata.yml",
];

pub(super) fn read(root: &Path, file: &str) -> Result<Found, Vec<Diagnostic>> {
    let text = read_text(root, file)?;
    let script = Script::new(&text);
    let mut found = Found::default();
    let dirs = Dirs::read(&script, file, &mut found.notes);
    if let Some(prefix) = js_text(&script, "pathPrefix", file, &mut found.notes) {
        found.base_url =
            join_url(None, Some(&prefix.value)).map(|url| Choice::new(url, prefix.from));
    }
    let input = dirs.input.trim_matches('/').trim_start_matches("./");
    let input = if input.is_empty() { "." } else { input };
    let rel = |dir: &str| {
        if input == "." {
            dir.to_string()
        } else {
            format!("{input}/{dir}")
        }
    };
    site_data(root, &rel(&dirs.data), &mut found)?;
    package_repository(root, &mut found);
    found.generator_outputs.push(dirs.output.clone());
    found.excluded.extend([
        dirs.output.clone(),
        rel(&dirs.includes),
        rel(&dirs.data),
        "node_modules".to_string(),
    ]);
    if let Ok(ignore) = std::fs::read_to_string(root.join(".eleventyignore")) {
        found.excluded.extend(
            ignore
                .lines()
                .map(|l| l.trim().trim_start_matches("./").trim_end_matches('/'))
                .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.contains('*'))
                .map(str::to_string),
        );
    }
    found.content_dir = Some(Choice::new(input.to_string(), dirs.from));
    found.static_dirs = passthrough_folders(root, &script, file, &mut found.notes);
    Ok(found)
}

/// The folders `addPassthroughCopy("…")` copies as they are: literal strings naming a folder of
/// the site. Globs, `{ from: to }` objects and computed arguments are named in a note as not read.
fn passthrough_folders(
    root: &Path,
    script: &Script,
    file: &str,
    notes: &mut Vec<String>,
) -> Option<Choice<Vec<String>>> {
    const METHOD: &str = "addPassthroughCopy";
    let mut folders: Vec<String> = Vec::new();
    let mut not_read = Vec::new();
    for (argument, token) in script.call_arguments(METHOD) {
        let line = script.line_of(token);
        match argument {
            JsValue::Str(written) => {
                let folder = written
                    .trim()
                    .trim_start_matches("./")
                    .trim_end_matches('/');
                if folder.contains(['*', '?', '{', '[']) {
                    not_read.push(format!("the glob `{written}` (line {line})"));
                } else if !folder.is_empty()
                    && !folder.starts_with('/')
                    && !folder.split('/').any(|part| part == "..")
                    && root.join(folder).is_dir()
                    && !folders.iter().any(|f| f == folder)
                {
                    folders.push(folder.to_string());
                }
            }
            JsValue::Object(..) => not_read.push(format!("an object (line {line})")),
            other => not_read.push(format!("{} (line {line})", describe(&other))),
        }
    }
    if !not_read.is_empty() {
        notes.push(format!(
            "{METHOD} in {file} given {}: not read, copy what it names into static/ or list its folder in static_dirs",
            not_read.join(", ")
        ));
    }
    (!folders.is_empty()).then(|| Choice::new(folders, format!("{METHOD} in {file}")))
}

/// Eleventy's folders, with its defaults.
struct Dirs {
    input: String,
    output: String,
    data: String,
    includes: String,
    from: String,
}

impl Dirs {
    fn read(script: &Script, file: &str, notes: &mut Vec<String>) -> Dirs {
        let mut dirs = Dirs {
            input: ".".into(),
            output: "_site".into(),
            data: "_data".into(),
            includes: "_includes".into(),
            from: "Eleventy's default input folder".into(),
        };
        let dir = script.shallowest("dir");
        match dir.as_ref().map(|p| &p.value) {
            Some(object @ JsValue::Object(..)) => {
                for (name, slot) in [
                    ("input", &mut dirs.input),
                    ("output", &mut dirs.output),
                    ("data", &mut dirs.data),
                    ("includes", &mut dirs.includes),
                ] {
                    match script.member(object, name).map(|p| p.value) {
                        Some(JsValue::Str(value)) => *slot = value,
                        Some(other) => notes.push(format!(
                            "dir.{name} in {file} is {}: not read, Eleventy's default `{slot}` assumed",
                            describe(&other)
                        )),
                        None => {}
                    }
                }
                if script.member(object, "input").is_some() {
                    dirs.from = format!("dir.input in {file}");
                }
            }
            Some(other) => notes.push(format!("dir in {file} is {}: not read", describe(other))),
            None => {}
        }
        for (method, slot, key) in [
            ("setInputDirectory", &mut dirs.input, "input"),
            ("setOutputDirectory", &mut dirs.output, "output"),
            ("setDataDirectory", &mut dirs.data, "data"),
            ("setIncludesDirectory", &mut dirs.includes, "includes"),
        ] {
            match script.call_argument(method) {
                Some(JsValue::Str(value)) => {
                    *slot = value;
                    if key == "input" {
                        dirs.from = format!("{method} in {file}");
                    }
                }
                Some(other) => notes.push(format!(
                    "{method} in {file} is given {}: not read",
                    describe(&other)
                )),
                None => {}
            }
        }
        dirs
    }
}

/// A literal string property of the script, or a note saying it is computed.
fn js_text(
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

/// How a JavaScript value that is not a string is written, for notes.
fn describe(value: &JsValue) -> String {
    match value {
        JsValue::Expr(text) => format!("`{text}`, computed when Eleventy runs"),
        JsValue::Object(..) => "an object".into(),
        JsValue::List(_) => "a list".into(),
        JsValue::Bool(b) => format!("`{b}`"),
        JsValue::Number(n) => format!("`{n}`"),
        JsValue::Str(s) => format!("`{s}`"),
    }
}

/// Title, description, URL and language from the first site data file found in `data` (a
/// folder relative to the root).
fn site_data(root: &Path, data: &str, found: &mut Found) -> Result<(), Vec<Diagnostic>> {
    let Some(file) = SITE_DATA
        .iter()
        .map(|name| format!("{data}/{name}"))
        .find(|path| root.join(path).is_file())
    else {
        let scripts: Vec<String> = ["site.js", "metadata.js"]
            .iter()
            .map(|name| format!("{data}/{name}"))
            .filter(|path| root.join(path).is_file())
            .collect();
        if !scripts.is_empty() {
            found
                .notes
                .push(format!("{} is JavaScript: not read", scripts.join(", ")));
        }
        return Ok(());
    };
    let (_, settings) = read_settings(root, &file)?;
    found.title = found.text(&settings, &["title"], false, &file);
    found.description = found.text(&settings, &["description"], false, &file);
    if found.base_url.is_none() {
        found.base_url = found.text(&settings, &["url"], false, &file);
    }
    found.language = found
        .text(&settings, &["language"], false, &file)
        .or_else(|| found.text(&settings, &["lang"], false, &file));
    Ok(())
}

/// package.json's `repository` (a URL, `owner/name`, or `{ "url": … }`).
fn package_repository(root: &Path, found: &mut Found) {
    let Ok((_, package)) = read_settings(root, "package.json") else {
        return;
    };
    let written = match package.get("repository") {
        Some(Value::Map(_)) => package
            .at(&["repository", "url"], false)
            .and_then(Value::text),
        Some(value) => value.text(),
        None => None,
    };
    if let Some(url) = written.as_deref().and_then(repository_url) {
        found.repository = Some(Choice::new(url, "repository in package.json"));
    }
}

/// `eleventyNavigation` in the front matter of a page.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FrontMatter {
    eleventy_navigation: Option<Navigation>,
}

#[derive(Deserialize)]
struct Navigation {
    key: Option<Value>,
    parent: Option<Value>,
    order: Option<Value>,
    title: Option<Value>,
}

/// Reads the `eleventyNavigation` of every page of the content folder (`content`, relative to
/// the root) into the navigation tree: where the navigation lives, and its warnings.
pub(in super::super) fn navigation(
    root: &Path,
    content: &str,
    excluded: &[String],
) -> (Option<String>, Vec<Diagnostic>) {
    let dir = root.join(content);
    let mut pages = Vec::new();
    let mut warnings = Vec::new();
    for rel in markdown_files(&dir, excluded) {
        let Ok(text) = std::fs::read_to_string(dir.join(&rel)) else {
            continue;
        };
        let Some((yaml, offset)) = front_matter(&text) else {
            continue;
        };
        if !yaml.contains("eleventyNavigation") {
            continue;
        }
        let display = Path::new(content).join(&rel);
        let lines_before = text[..offset].matches('\n').count();
        let front: FrontMatter = match crate::base::yaml::parse_tracking(yaml, &mut Vec::new()) {
            Ok(front) => front,
            Err(e) => {
                let mut d = Diagnostic::warning(format!(
                    "the front matter of `{}` cannot be read ({}): its eleventyNavigation is left out",
                    display.display(),
                    e.message
                ));
                if let Some((line, column)) = e.position {
                    d = d.at(Location::from_line_col(
                        &display,
                        &text,
                        line + lines_before,
                        column,
                    ));
                }
                warnings.push(d);
                continue;
            }
        };
        let Some(nav) = front.eleventy_navigation else {
            continue;
        };
        let Some(key) = nav.key.as_ref().and_then(Value::text) else {
            continue;
        };
        let location = text
            .find("eleventyNavigation")
            .map(|at| Location::from_offset(&display, &text, at, "eleventyNavigation".len()));
        pages.push(EleventyPage {
            path: rel,
            key,
            parent: nav.parent.as_ref().and_then(Value::text),
            order: nav.order.as_ref().and_then(Value::number),
            title: nav.title.as_ref().and_then(Value::text),
            location,
        });
    }
    if pages.is_empty() {
        return (None, warnings);
    }
    let tree = eleventy_tree(&pages);
    warnings.extend(tree.warnings);
    let line = format!(
        "eleventyNavigation in the front matter of {} pages ({} top-level entries, {} in all)",
        pages.len(),
        tree.value.len(),
        count_entries(&tree.value)
    );
    (Some(line), warnings)
}
