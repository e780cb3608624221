//! What the settings file cannot say, settled from the folders themselves: the content folder
//! (checked, and narrowed to the one folder that holds every page when the generator reads the
//! whole repository), the language folders, an output folder that does not exist yet, and the
//! fallbacks for the title and the repository.

use std::path::Path;

use walkdir::WalkDir;

use super::generators::{self, Found};
use super::site_toml::{EXCLUDE_KEY, NAV_KEY};
use super::{Choice, Generator, Import, Proposed, git};
use crate::base::diag::{Diagnostic, plural};

/// The output folders tried, in order, before numbered ones (`_folio-2`…).
const OUTPUT_CANDIDATES: &[&str] = &["public", "_folio", "folio-public"];

/// Folders a Folio site keeps beside its content, which the output must not be.
const SITE_FOLDERS: &[&str] = &["content", "data", "static", "templates", "themes"];

/// Files every repository has at its top, which are not pages of its handbook.
const REPOSITORY_FILES: &[&str] = &[
    "README",
    "CONTRIBUTING",
    "CODE_OF_CONDUCT",
    "CODE-OF-CONDUCT",
    "LICENSE",
    "LICENCE",
    "SECURITY",
    "CHANGELOG",
    "CHANGES",
    "HISTORY",
    "SUPPORT",
    "GOVERNANCE",
    "MAINTAINERS",
    "AUTHORS",
    "CONTRIBUTORS",
    "NOTICE",
    "CODEOWNERS",
];

/// Turns what the generator's reader found into the [`Import`]: see the module's description.
pub(super) fn settle(
    root: &Path,
    generator: Generator,
    settings_file: Option<String>,
    mut found: Found,
) -> Result<Import, Vec<Diagnostic>> {
    let content = content_folder(root, generator, &mut found)?;
    let content_path = root.join(&content.value);
    let inside = excluded_inside(&content.value, &found.excluded);
    let pages = markdown_files(&content_path, &inside).len();
    if pages == 0 {
        return Err(vec![
            Diagnostic::error(format!(
                "found no Markdown page (`.md` file) in {}, the content folder ({})",
                shown(&content.value),
                content.from
            ))
            .with_help(
                "Folio builds Markdown pages: run `folio import` in the folder of a handbook",
            ),
        ]);
    }
    other_extensions(&content_path, &inside, &mut found.notes);
    if found.languages.is_none() {
        language_folders(&content_path, &content.value, &mut found);
    }
    if generator == Generator::Eleventy {
        let (line, warnings) = generators::eleventy_navigation(root, &content.value, &inside);
        found.nav.extend(line);
        found.warnings.extend(warnings);
    }
    let output_dir = output_folder(root, generator, &content.value, &found.generator_outputs);
    let title = found
        .title
        .take()
        .or_else(|| generators::readme_title(root))
        .unwrap_or_else(|| Choice::new(folder_name(root), "the folder's name"));
    repository_from_git(root, &mut found);
    let proposed = proposals(generator, &content_path, &inside, &mut found);
    let static_dirs = outside_content(&content.value, found.static_dirs.take(), &mut found.notes);
    if content.value == "." {
        found.notes.push(
            "the content folder is the site's own folder: `folio build` copies its other files (all but site.toml) into the output as they are".into(),
        );
    }
    let import = Import {
        root: root.to_path_buf(),
        generator,
        settings_file,
        title,
        description: found.description,
        base_url: found.base_url,
        language: found.language,
        languages: found.languages,
        content_dir: content,
        output_dir,
        repository: found.repository,
        branch: found.branch,
        edit_url: found.edit_url,
        static_dirs,
        nav: found.nav,
        proposed,
        notes: found.notes,
        pages,
        warnings: found.warnings,
    };
    accepted(import)
}

/// The repository and branch from git, when the settings name none and did not turn edit links
/// off.
fn repository_from_git(root: &Path, found: &mut Found) {
    if found.repository.is_some() || found.edit_url.is_some() || found.edit_links_off {
        return;
    }
    if let Some((repository, branch)) = git::origin(root) {
        found.repository = Some(Choice::new(repository, "the git remote `origin`"));
        if found.branch.is_none() {
            found.branch = branch.map(|b| Choice::new(b, "the branch checked out"));
        }
    }
}

/// The folders of `static_dirs` that lie outside the content folder `content` (whose files are
/// published already); one that holds the content folder is left out with a note, as it would
/// publish the pages' sources.
fn outside_content(
    content: &str,
    dirs: Option<Choice<Vec<String>>>,
    notes: &mut Vec<String>,
) -> Option<Choice<Vec<String>>> {
    let mut dirs = dirs?;
    if content == "." {
        return None;
    }
    dirs.value.retain(|dir| {
        let inside = dir == content || dir.starts_with(&format!("{content}/"));
        let holds = content.starts_with(&format!("{dir}/"));
        if holds {
            notes.push(format!(
                "{dir}/ holds the content folder, so it is not in static_dirs: move its other files into static/"
            ));
        }
        !inside && !holds
    });
    (!dirs.value.is_empty()).then_some(dirs)
}

/// The `nav` and `exclude` settings: where the navigation lives, and what in
/// the content folder (`inside`, relative to it) the generator never read as pages.
fn proposals(
    generator: Generator,
    content_path: &Path,
    inside: &[String],
    found: &mut Found,
) -> Vec<Proposed> {
    let mut proposed = Vec::new();
    if let Some(file) = found.nav_file.take() {
        proposed.push(Proposed {
            key: NAV_KEY,
            value: toml::Value::String(file),
            why: "the file holding the navigation the author wrote".into(),
        });
    }
    let present: Vec<&String> = inside
        .iter()
        .filter(|rel| content_path.join(rel).exists())
        .collect();
    if present.is_empty() {
        return proposed;
    }
    let shown: Vec<String> = present
        .iter()
        .map(|p| {
            if content_path.join(p).is_dir() {
                format!("{p}/")
            } else {
                p.to_string()
            }
        })
        .collect();
    found.notes.push(format!(
        "{} inside the content folder {}: `{EXCLUDE_KEY}` leaves {} out",
        shown.join(", "),
        if present.len() == 1 {
            "is not a page"
        } else {
            "are not pages"
        },
        if present.len() == 1 { "it" } else { "them" },
    ));
    proposed.push(Proposed {
        key: EXCLUDE_KEY,
        value: toml::Value::Array(
            present
                .into_iter()
                .map(|p| toml::Value::String(p.clone()))
                .collect(),
        ),
        why: format!(
            "what the content folder holds that {} never read as pages",
            generator.name()
        ),
    });
    proposed
}

/// The content folder, checked to exist, and narrowed to the one folder that holds every page
/// when the generator reads the whole repository.
fn content_folder(
    root: &Path,
    generator: Generator,
    found: &mut Found,
) -> Result<Choice<String>, Vec<Diagnostic>> {
    let mut content = found
        .content_dir
        .take()
        .unwrap_or_else(|| Choice::new(".".to_string(), "the site's own folder"));
    let trimmed = content.value.trim_start_matches("./").trim_end_matches('/');
    content.value = if trimmed.is_empty() || trimmed == "." {
        ".".to_string()
    } else {
        trimmed.to_string()
    };
    if !root.join(&content.value).is_dir() {
        return Err(vec![
            Diagnostic::error(format!(
                "the content folder is `{}` ({}), and there is no such folder in `{}`",
                content.value,
                content.from,
                root.display()
            ))
            .with_help(format!(
                "run `folio import` in the folder of the {} site",
                generator.name()
            )),
        ]);
    }
    if content.value == "."
        && let Some(folder) = single_folder(root, &found.excluded)
    {
        content = Choice::new(
            folder.clone(),
            format!(
                "{}, narrowed to {folder}/, which holds every page",
                content.from
            ),
        );
        if matches!(generator, Generator::Jekyll | Generator::Eleventy) {
            found.notes.push(format!(
                "pages are published without the leading `{folder}/` in their URLs (a permalink in front matter still wins)"
            ));
        }
    }
    Ok(content)
}

/// The one top-level folder of `root` that holds every Markdown page (the repository's own
/// README and alike aside), if there is one.
fn single_folder(root: &Path, excluded: &[String]) -> Option<String> {
    let mut folder: Option<String> = None;
    for rel in markdown_files(root, excluded) {
        if is_repository_file(&rel) {
            continue;
        }
        let (first, _) = rel.split_once('/')?;
        match &folder {
            None => folder = Some(first.to_string()),
            Some(f) if f == first => {}
            Some(_) => return None,
        }
    }
    folder
}

/// True for a file at the top of a repository that is about the repository, not a page of its
/// handbook: README.md, LICENSE.md, CONTRIBUTING.md…
pub(super) fn is_repository_file(rel: &str) -> bool {
    if rel.contains('/') {
        return false;
    }
    let stem = rel
        .rsplit_once('.')
        .map_or(rel, |(stem, _)| stem)
        .to_ascii_uppercase();
    REPOSITORY_FILES.contains(&stem.as_str())
}

/// The entries of `excluded` (relative to the root) that lie inside the content folder
/// `content`, relative to it.
fn excluded_inside(content: &str, excluded: &[String]) -> Vec<String> {
    let mut inside: Vec<String> = excluded
        .iter()
        .filter_map(|e| {
            let e = e.trim_start_matches("./").trim_matches('/');
            if content == "." {
                Some(e.to_string())
            } else {
                e.strip_prefix(content)?
                    .strip_prefix('/')
                    .map(str::to_string)
            }
        })
        .filter(|e| !e.is_empty())
        .collect();
    inside.sort();
    inside.dedup();
    inside
}

/// The Markdown pages under `dir`, relative to it, sorted: hidden entries, `node_modules` and
/// the `excluded` paths (relative to `dir`) left out, as Folio's build leaves hidden ones out.
pub(super) fn markdown_files(dir: &Path, excluded: &[String]) -> Vec<String> {
    walk(dir, excluded, true)
        .into_iter()
        .filter(|rel| has_extension(rel, "md"))
        .collect()
}

/// How many Markdown pages `dir` holds.
pub(super) fn markdown_count(dir: &Path) -> usize {
    markdown_files(dir, &[]).len()
}

/// Every file under `dir`, relative to it, sorted, hidden files included (`.pages`) but not
/// hidden folders, `node_modules` or the `excluded` paths.
pub(super) fn files_under(dir: &Path, excluded: &[String]) -> Vec<String> {
    walk(dir, excluded, false)
}

fn walk(dir: &Path, excluded: &[String], skip_hidden_files: bool) -> Vec<String> {
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            let hidden = name.starts_with('.') && (e.file_type().is_dir() || skip_hidden_files);
            let rel = relative(dir, e.path());
            !hidden && name != "node_modules" && !excluded.contains(&rel)
        });
    for entry in walker.flatten() {
        if entry.file_type().is_file() {
            files.push(relative(dir, entry.path()));
        }
    }
    files
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

pub(super) fn has_extension(rel: &str, extension: &str) -> bool {
    rel.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && !stem.ends_with('/') && ext.eq_ignore_ascii_case(extension)
    })
}

/// Notes on pages Folio does not read: MDX (Docusaurus) and `.markdown` (Jekyll) files.
fn other_extensions(content: &Path, excluded: &[String], notes: &mut Vec<String>) {
    let files = walk(content, excluded, true);
    for (extension, advice) in [
        (
            "mdx",
            "Folio reads Markdown (.md), not MDX: rename those written in plain Markdown",
        ),
        ("markdown", "rename them to .md to build them"),
    ] {
        let count = files.iter().filter(|f| has_extension(f, extension)).count();
        if count > 0 {
            notes.push(format!(
                "{} are not read: {advice}",
                plural(count, &format!(".{extension} file"))
            ));
        }
    }
}

/// Folders of the content folder that hold a language version of the pages: named by a
/// language code, and shown to be one by their pages (most set `lang` to the folder's name, or
/// have the name of a page at the top of the content folder).
fn language_folders(content_path: &Path, content: &str, found: &mut Found) {
    let Ok(entries) = std::fs::read_dir(content_path) else {
        return;
    };
    let top: Vec<String> = markdown_files(content_path, &[])
        .into_iter()
        .filter(|f| !f.contains('/'))
        .collect();
    let mut codes: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| looks_like_language_code(name))
        .filter(|name| is_language_version(&content_path.join(name), name, &top))
        .collect();
    if codes.is_empty() {
        return;
    }
    codes.sort();
    let default = match &found.language {
        Some(language) => language.value.clone(),
        None => {
            let (code, from) = majority_lang(content_path, &top)
                .map(|code| {
                    (
                        code,
                        format!("the lang of the pages at the top of {content}"),
                    )
                })
                .unwrap_or_else(|| ("en".to_string(), "Folio's default language".to_string()));
            found.language = Some(Choice::new(code.clone(), from));
            code
        }
    };
    codes.retain(|c| !c.eq_ignore_ascii_case(&default));
    codes.insert(0, default);
    found.languages = Some(Choice::new(
        codes,
        format!("the language folders of {content}"),
    ));
}

/// `es`, `pt-br`, `zh-Hant`, `pcm`: two or three letters, then optional parts.
fn looks_like_language_code(name: &str) -> bool {
    let mut parts = name.split(['-', '_']);
    let first = parts.next().unwrap_or_default();
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// True when most pages of `dir` set `lang: <code>` or mirror a page at the top.
fn is_language_version(dir: &Path, code: &str, top: &[String]) -> bool {
    let pages = markdown_files(dir, &[]);
    if pages.is_empty() {
        return false;
    }
    let same = |lang: &str| {
        lang.replace('_', "-")
            .eq_ignore_ascii_case(&code.replace('_', "-"))
    };
    let tagged = pages
        .iter()
        .filter(|p| page_lang(&dir.join(p)).is_some_and(|l| same(&l)))
        .count();
    let mirrored = pages.iter().filter(|p| top.contains(p)).count();
    tagged * 2 > pages.len() || mirrored * 2 > pages.len()
}

/// The most common `lang` of the pages `top` (relative to `dir`), when more than half set one.
fn majority_lang(dir: &Path, top: &[String]) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for page in top {
        if let Some(lang) = page_lang(&dir.join(page)) {
            match counts.iter_mut().find(|(l, _)| *l == lang) {
                Some((_, n)) => *n += 1,
                None => counts.push((lang, 1)),
            }
        }
    }
    let (lang, count) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    (count * 2 > top.len()).then_some(lang)
}

/// The `lang:` of a page's YAML front matter.
fn page_lang(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let (front, _) = front_matter(&text)?;
    front.lines().find_map(|line| {
        let value = line.strip_prefix("lang:")?.trim().trim_matches(['"', '\'']);
        Some(value.to_string()).filter(|v| !v.is_empty())
    })
}

/// The YAML front matter of `text` and the byte offset it starts at, when the file starts with
/// a `---` line.
pub(super) fn front_matter(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix("---")?;
    let rest = rest
        .strip_prefix('\n')
        .or_else(|| rest.strip_prefix("\r\n"))?;
    let start = text.len() - rest.len();
    let end = if rest.starts_with("---") {
        0
    } else {
        rest.find("\n---").map_or(rest.len(), |i| i + 1)
    };
    Some((&rest[..end], start))
}

/// An output folder that does not exist yet and that the generator does not write either.
///
/// When the content folder is the site's own folder, today's `folio build` refuses an output
/// folder inside it (it would read its own output as content), so the output goes beside the
/// site instead, named after it. Once the build leaves the output folder (and the proposed
/// `exclude` folders) out of the content, this can choose `public` like any other site.
fn output_folder(
    root: &Path,
    generator: Generator,
    content: &str,
    generator_outputs: &[String],
) -> Choice<String> {
    if content == "." {
        let name = folder_name(root);
        let parent = root.parent().unwrap_or(root);
        let chosen = (1..)
            .map(|n| {
                if n == 1 {
                    format!("{name}-site")
                } else {
                    format!("{name}-site-{n}")
                }
            })
            .find(|candidate| std::fs::symlink_metadata(parent.join(candidate)).is_err())
            .unwrap_or_default();
        return Choice::new(
            format!("../{chosen}"),
            "beside the site: its pages are at its top, and the output may not be inside the content folder",
        );
    }
    let taken = |candidate: &str| {
        std::fs::symlink_metadata(root.join(candidate)).is_ok()
            || generator_outputs
                .iter()
                .any(|o| o.trim_matches('/') == candidate)
            || content == candidate
            || content.starts_with(&format!("{candidate}/"))
            || SITE_FOLDERS.contains(&candidate)
    };
    let chosen = OUTPUT_CANDIDATES
        .iter()
        .map(|c| c.to_string())
        .chain((2..).map(|n| format!("_folio-{n}")))
        .find(|c| !taken(c))
        .unwrap_or_default();
    let from = if chosen == "public" {
        "a new folder".to_string()
    } else {
        let reasons: Vec<String> = OUTPUT_CANDIDATES
            .iter()
            .take_while(|c| **c != chosen)
            .map(|c| {
                if root.join(c).exists() {
                    format!("{c}/ exists")
                } else if generator_outputs.iter().any(|o| o == c) {
                    format!("{c}/ is where {} writes its site", generator.name())
                } else {
                    format!("{c}/ holds the site's own files")
                }
            })
            .collect();
        format!("a new folder; {}", reasons.join(", "))
    };
    Choice::new(chosen, from)
}

fn folder_name(root: &Path) -> String {
    root.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "handbook".to_string())
}

/// `content` as shown to the author.
fn shown(content: &str) -> String {
    if content == "." {
        "the site's folder".into()
    } else {
        format!("`{content}/`")
    }
}

/// The import with every value Folio's configuration reader refuses (a site URL without a
/// scheme) left out, each with a note saying why; an error only when what remains is refused.
fn accepted(mut import: Import) -> Result<Import, Vec<Diagnostic>> {
    // Each round drops the keys the reader points at; a key is dropped at most once.
    for _ in 0..4 {
        let text = import.site_toml();
        let errors = match import.check(&text) {
            Ok(_) => return Ok(import),
            Err(errors) => errors,
        };
        let mut dropped = false;
        for error in &errors {
            let Some(line) = error.location.as_ref().map(|l| l.source_line.clone()) else {
                continue;
            };
            let key = line
                .split('=')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            dropped |= import.drop_setting(&key, &error.message);
        }
        if !dropped {
            return Err(errors);
        }
    }
    let text = import.site_toml();
    import.check(&text).map(|_| import)
}

impl Import {
    /// Leaves out the optional setting `key`, noting why; false when it is not one.
    fn drop_setting(&mut self, key: &str, why: &str) -> bool {
        let slot = match key {
            "description" => &mut self.description,
            "base_url" => &mut self.base_url,
            "language" => &mut self.language,
            "repository" => &mut self.repository,
            "branch" => &mut self.branch,
            "edit_url" => &mut self.edit_url,
            _ => return false,
        };
        let Some(choice) = slot.take() else {
            return false;
        };
        self.notes.push(format!(
            "{key} `{}` ({}) is left out: {why}",
            choice.value, choice.from
        ));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_files_and_language_codes() {
        assert!(is_repository_file("README.md"));
        assert!(is_repository_file("code_of_conduct.md"));
        assert!(!is_repository_file("docs/README.md"));
        assert!(!is_repository_file("policies.md"));
        for code in ["es", "pt-br", "zh-Hant", "pcm", "en_GB"] {
            assert!(looks_like_language_code(code), "{code}");
        }
        for name in ["policies", "e", "ci-cd-pipelines-x", "ES", "_articles"] {
            assert!(!looks_like_language_code(name), "{name}");
        }
    }

    #[test]
    fn excluded_paths_are_taken_relative_to_the_content_folder() {
        let excluded = vec![
            "_site".to_string(),
            "docs/drafts/".to_string(),
            "./node_modules".to_string(),
        ];
        assert_eq!(
            excluded_inside(".", &excluded),
            ["_site", "docs/drafts", "node_modules"]
        );
        assert_eq!(excluded_inside("docs", &excluded), ["drafts"]);
        assert!(excluded_inside("content", &excluded).is_empty());
    }

    #[test]
    fn front_matter_is_found_at_the_top_only() {
        assert_eq!(
            front_matter("---\nlang: es\n---\n# x\n"),
            Some(("lang: es\n", 4))
        );
        assert_eq!(front_matter("---\n---\n"), Some(("", 4)));
        assert_eq!(front_matter("# x\n---\n"), None);
    }
}
