//! One reader per generator: what its settings file says that Folio has a setting for.
//!
//! Each reader fills a [`Found`]: the values it read (each with where it came from), the folders
//! the generator writes or never reads, where the navigation lives, and notes on what it could
//! not read. [`super::content::settle`] then chooses the rest (content folder checks, output
//! folder, languages from folders, title and repository fallbacks).

mod docusaurus;
mod eleventy;
mod github;
mod hugo;
mod jekyll;
mod mdbook;
mod mkdocs;

use std::path::Path;

use super::value::{self, Format, Value};
use super::{Choice, Generator};
use crate::base::diag::Diagnostic;

pub(super) use eleventy::navigation as eleventy_navigation;
pub(super) use github::readme_title;

/// What a generator's settings say, before the importer settles the rest.
#[derive(Debug, Default)]
pub(super) struct Found {
    pub(super) title: Option<Choice<String>>,
    pub(super) description: Option<Choice<String>>,
    pub(super) base_url: Option<Choice<String>>,
    pub(super) language: Option<Choice<String>>,
    pub(super) languages: Option<Choice<Vec<String>>>,
    /// Relative to the site root, `/`-separated; `.` for the root.
    pub(super) content_dir: Option<Choice<String>>,
    pub(super) repository: Option<Choice<String>>,
    pub(super) branch: Option<Choice<String>>,
    pub(super) edit_url: Option<Choice<String>>,
    /// True when the author turned edit links off: no repository is taken from git either.
    pub(super) edit_links_off: bool,
    /// Folders (relative to the root) the generator writes its site into: never chosen as
    /// Folio's output, even when they do not exist yet.
    pub(super) generator_outputs: Vec<String>,
    /// Files and folders (relative to the root) that the generator never reads as pages.
    pub(super) excluded: Vec<String>,
    /// Folders (relative to the root, `/`-separated) the generator copies into its site as they
    /// are, for `static_dirs`; [`super::content::settle`] drops those inside the content folder.
    pub(super) static_dirs: Option<Choice<Vec<String>>>,
    /// Where the navigation lives, one line each.
    pub(super) nav: Vec<String>,
    /// The file holding the whole navigation, for the proposed `nav` key.
    pub(super) nav_file: Option<String>,
    pub(super) notes: Vec<String>,
    pub(super) warnings: Vec<Diagnostic>,
}

/// Settings files, in the order they are looked for: the first found names the generator.
pub(super) const SETTINGS_FILES: &[(&str, Generator)] = &[
    ("mkdocs.yml", Generator::MkDocs),
    ("mkdocs.yaml", Generator::MkDocs),
    ("hugo.toml", Generator::Hugo),
    ("hugo.yaml", Generator::Hugo),
    ("hugo.yml", Generator::Hugo),
    ("hugo.json", Generator::Hugo),
    ("config.toml", Generator::Hugo),
    ("config.yaml", Generator::Hugo),
    ("config.yml", Generator::Hugo),
    ("config.json", Generator::Hugo),
    ("config/_default", Generator::Hugo),
    ("_config.yml", Generator::Jekyll),
    ("_config.yaml", Generator::Jekyll),
    (".eleventy.js", Generator::Eleventy),
    (".eleventy.cjs", Generator::Eleventy),
    ("eleventy.config.js", Generator::Eleventy),
    ("eleventy.config.cjs", Generator::Eleventy),
    ("eleventy.config.mjs", Generator::Eleventy),
    ("docusaurus.config.js", Generator::Docusaurus),
    ("docusaurus.config.ts", Generator::Docusaurus),
    ("docusaurus.config.mjs", Generator::Docusaurus),
    ("docusaurus.config.cjs", Generator::Docusaurus),
    ("book.toml", Generator::MdBook),
];

/// See [`Generator::detect`].
pub(super) fn detect(root: &Path) -> (Generator, Option<String>, Vec<String>) {
    let mut found: Vec<(&str, Generator)> = SETTINGS_FILES
        .iter()
        .copied()
        .filter(|(file, generator)| {
            let path = root.join(file);
            let exists = if file.contains('/') {
                path.is_dir()
            } else {
                path.is_file()
            };
            exists && (*generator != Generator::Hugo || hugo::is_hugo_settings(root, file))
        })
        .collect();
    // Hugo's files are one settings file: name only the first.
    let mut seen_hugo = false;
    found.retain(|(_, generator)| {
        let keep = *generator != Generator::Hugo || !seen_hugo;
        seen_hugo |= *generator == Generator::Hugo;
        keep
    });
    let mut found = found.into_iter();
    match found.next() {
        Some((file, generator)) => (
            generator,
            Some(file.to_string()),
            found.map(|(file, _)| file.to_string()).collect(),
        ),
        None => (Generator::GitHub, None, Vec::new()),
    }
}

/// Reads the settings of `generator` from `file` in `root`.
pub(super) fn read(
    root: &Path,
    generator: Generator,
    file: Option<&str>,
) -> Result<Found, Vec<Diagnostic>> {
    match (generator, file) {
        (Generator::MkDocs, Some(file)) => mkdocs::read(root, file),
        (Generator::Hugo, Some(file)) => hugo::read(root, file),
        (Generator::Jekyll, Some(file)) => jekyll::read(root, file),
        (Generator::Eleventy, Some(file)) => eleventy::read(root, file),
        (Generator::Docusaurus, Some(file)) => docusaurus::read(root, file),
        (Generator::MdBook, Some(file)) => mdbook::read(root, file),
        _ => Ok(github::read(root)),
    }
}

/// The text of `rel` in `root`.
fn read_text(root: &Path, rel: &str) -> Result<String, Vec<Diagnostic>> {
    std::fs::read_to_string(root.join(rel))
        .map_err(|e| vec![Diagnostic::error(format!("cannot read `{rel}`: {e}"))])
}

/// The settings file `rel` in `root`, parsed by its extension.
fn read_settings(root: &Path, rel: &str) -> Result<(String, Value), Vec<Diagnostic>> {
    let text = read_text(root, rel)?;
    let format = Format::of(Path::new(rel)).unwrap_or(Format::Yaml);
    let value = value::parse(Path::new(rel), &text, format).map_err(|d| vec![d])?;
    Ok((text, value))
}

impl Found {
    /// The text at `path` in `settings` (the file `file`) as a choice, or a note saying why a
    /// value written there is not text.
    fn text(
        &mut self,
        settings: &Value,
        path: &[&str],
        ignore_case: bool,
        file: &str,
    ) -> Option<Choice<String>> {
        let value = settings.at(path, ignore_case)?;
        let key = path.join(".");
        match value {
            Value::Null => None,
            Value::String(s) if s.trim().is_empty() => None,
            _ => match value.text() {
                Some(text) => Some(Choice::new(text, format!("{key} in {file}"))),
                None => {
                    self.notes
                        .push(format!("{key} in {file} is {}: not read", value.describe()));
                    None
                }
            },
        }
    }

    /// Sets the repository and branch (or an edit URL pattern) from an edit link template of
    /// the generator's, read from `from`.
    fn edit_links_from(&mut self, url: &str, from: &str) {
        match forge_edit(url) {
            Some(EditTarget::Repository { repository, branch }) => {
                self.repository
                    .get_or_insert_with(|| Choice::new(repository, from.to_string()));
                if let Some(branch) = branch {
                    self.branch.get_or_insert_with(|| Choice::new(branch, from.to_string()));
                }
            }
            Some(EditTarget::Pattern(pattern)) => {
                self.edit_url = Some(Choice::new(pattern, from.to_string()));
            }
            None => self.notes.push(format!(
                "{from} is `{url}`, which is not an edit link Folio can follow: set repository (or edit_url) in site.toml by hand"
            )),
        }
    }
}

/// Where edit links go, as Folio's settings say it.
#[derive(Debug, PartialEq, Eq)]
enum EditTarget {
    /// `repository` (and `branch`): Folio makes the edit links itself.
    Repository {
        repository: String,
        branch: Option<String>,
    },
    /// An `edit_url` pattern, for a host Folio does not know.
    Pattern(String),
}

/// The repository and branch in a generator's edit or source link (`https://github.com/o/r/
/// edit/main/docs/`, `https://gitlab.com/g/r/-/blob/main/`), or an `edit_url` pattern for other
/// hosts that write `/-/edit/`. `None` when the link has neither shape.
fn forge_edit(url: &str) -> Option<EditTarget> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let segments: Vec<&str> = rest.split('/').collect();
    let host = segments.first()?.to_ascii_lowercase();
    let gitlab_style = segments.iter().position(|s| *s == "-");
    if let Some(dash) = gitlab_style {
        let (route, branch) = (segments.get(dash + 1)?, segments.get(dash + 2)?);
        if dash < 3 || !matches!(*route, "edit" | "blob" | "tree") || branch.is_empty() {
            return None;
        }
        let repository = format!("{scheme}://{}", segments[..dash].join("/"));
        return Some(if host.contains("gitlab") {
            EditTarget::Repository {
                repository,
                branch: Some(branch.to_string()),
            }
        } else {
            EditTarget::Pattern(format!("{repository}/-/edit/{branch}/{{path}}"))
        });
    }
    // GitHub, Gitea, Forgejo, Codeberg: host/owner/repo/(edit|blob|tree)/branch/…; only GitHub
    // and Codeberg are known to open their editor from what is not an `edit` link.
    let (route, branch) = (segments.get(3)?, segments.get(4)?);
    let knows_route = *route == "edit"
        || (matches!(*route, "blob" | "tree" | "src")
            && (host == "github.com" || host == "codeberg.org"));
    if !knows_route || branch.is_empty() || segments[1].is_empty() || segments[2].is_empty() {
        return None;
    }
    let branch = if *route == "src" {
        // Codeberg: src/branch/NAME/…
        (*branch == "branch").then(|| segments.get(5).map(|b| b.to_string()))??
    } else {
        branch.to_string()
    };
    Some(EditTarget::Repository {
        repository: format!("{scheme}://{}", segments[..3].join("/")),
        branch: Some(branch),
    })
}

/// A base URL from a site URL and a path under it (Jekyll's `url` and `baseurl`, Docusaurus'
/// `url` and `baseUrl`), ending in `/`.
fn join_url(url: Option<&str>, path: Option<&str>) -> Option<String> {
    let path = path
        .map(|p| p.trim().trim_matches('/'))
        .filter(|p| !p.is_empty());
    let joined = match (url.map(|u| u.trim().trim_end_matches('/')), path) {
        (Some(url), Some(path)) if !url.is_empty() => format!("{url}/{path}/"),
        (Some(url), None) if !url.is_empty() => format!("{url}/"),
        (_, Some(path)) => format!("/{path}/"),
        _ => return None,
    };
    Some(joined)
}

/// A repository's web URL from a host's shorthand or clone URL: `owner/name` (GitHub),
/// `git+https://github.com/o/r.git`, `git@github.com:o/r.git`, `github:o/r`.
fn repository_url(written: &str) -> Option<String> {
    let written = written.trim().trim_start_matches("git+");
    let url = if let Some(rest) = written.strip_prefix("git@") {
        let (host, path) = rest.split_once(':')?;
        format!("https://{host}/{path}")
    } else if let Some(path) = written.strip_prefix("github:") {
        format!("https://github.com/{path}")
    } else if written.starts_with("https://") || written.starts_with("http://") {
        written.to_string()
    } else if written.split('/').count() == 2 && !written.contains(':') && !written.contains(' ') {
        format!("https://github.com/{written}")
    } else {
        return None;
    };
    let url = url.trim_end_matches('/');
    Some(url.strip_suffix(".git").unwrap_or(url).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(r: &str, b: &str) -> Option<EditTarget> {
        Some(EditTarget::Repository {
            repository: r.into(),
            branch: Some(b.into()),
        })
    }

    #[test]
    fn edit_links_give_the_repository_and_branch() {
        assert_eq!(
            forge_edit("https://github.com/o/r/edit/main/docs/"),
            repo("https://github.com/o/r", "main")
        );
        assert_eq!(
            forge_edit("https://github.com/o/r/tree/trunk/packages/site/"),
            repo("https://github.com/o/r", "trunk")
        );
        assert_eq!(
            forge_edit("https://gitlab.com/g/sub/r/-/edit/main/{path}"),
            repo("https://gitlab.com/g/sub/r", "main")
        );
        assert_eq!(
            forge_edit("https://codeberg.org/o/r/src/branch/main/book/"),
            repo("https://codeberg.org/o/r", "main")
        );
        assert_eq!(
            forge_edit("https://git.example.org/g/r/-/blob/dev/x"),
            Some(EditTarget::Pattern(
                "https://git.example.org/g/r/-/edit/dev/{path}".into()
            ))
        );
        assert_eq!(forge_edit("https://git.example.org/o/r/tree/main/"), None);
        assert_eq!(forge_edit("edit/main/docs/"), None);
        assert_eq!(forge_edit("https://github.com/o/r"), None);
    }

    #[test]
    fn urls_and_repositories_are_put_together() {
        assert_eq!(
            join_url(Some("https://ospo.example.org"), Some("/handbook")).as_deref(),
            Some("https://ospo.example.org/handbook/")
        );
        assert_eq!(
            join_url(Some("https://a.org/"), Some("/")).as_deref(),
            Some("https://a.org/")
        );
        assert_eq!(join_url(None, Some("docs")).as_deref(), Some("/docs/"));
        assert_eq!(join_url(Some(""), None), None);
        assert_eq!(
            repository_url("github/opensource.guide").as_deref(),
            Some("https://github.com/github/opensource.guide")
        );
        assert_eq!(
            repository_url("git+https://github.com/o/r.git").as_deref(),
            Some("https://github.com/o/r")
        );
        assert_eq!(
            repository_url("git@gitlab.com:g/r.git").as_deref(),
            Some("https://gitlab.com/g/r")
        );
        assert_eq!(repository_url("not a repository"), None);
    }
}
