//! Site configuration: `site.toml`, read once and resolved into paths and URLs.
//!
//! Every key is documented in the README. An unknown key is an error with a did-you-mean hint,
//! because a misspelt setting that is silently ignored wastes an author's afternoon.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::base::diag::{Code, Diagnostic, Location, did_you_mean};
use crate::base::model::{Kind, Visibility};

pub mod edit_link;
pub mod output_dir;
pub mod site_nav;
mod static_dirs;

pub use site_nav::{NavFile, NavFormat, is_excluded};

/// The file name of the configuration, in the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// `site.toml` as written.
#[derive(Debug, Clone, Deserialize)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_base_url")]
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_output_dir")]
    output_dir: String,
    #[serde(default)]
    repository: Option<String>,
    #[serde(default = "default_branch")]
    branch: String,
    #[serde(default)]
    edit_url: Option<String>,
    #[serde(default)]
    audience: Visibility,
    #[serde(default = "default_review_due_soon_days")]
    review_due_soon_days: u32,
    #[serde(default)]
    sections: BTreeMap<String, SectionConfig>,
    #[serde(default)]
    content_dir: Option<String>,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    broken_links: BrokenLinks,
    #[serde(default)]
    nav: Option<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    static_dirs: Vec<String>,
    #[serde(default = "default_builtin_synonyms")]
    builtin_synonyms: bool,
}

const TOP_LEVEL_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "output_dir",
    "repository",
    "branch",
    "edit_url",
    "audience",
    "review_due_soon_days",
    "sections",
    "content_dir",
    "languages",
    "broken_links",
    "nav",
    "exclude",
    "static_dirs",
    "builtin_synonyms",
];
const SECTION_KEYS: &[&str] = &["kind"];

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_output_dir() -> String {
    "public".into()
}
fn default_branch() -> String {
    "main".into()
}
fn default_review_due_soon_days() -> u32 {
    30
}
fn default_builtin_synonyms() -> bool {
    true
}

/// What a link to a missing page or heading is: an error (the default) or, for sites imported
/// with links their authors cannot fix, a warning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    /// The build fails.
    #[default]
    Error,
    /// The build goes on; each broken link is still listed with its file:line:col.
    Warn,
}

impl BrokenLinks {
    /// `diagnostic` as this setting wants it: a broken link or anchor becomes a warning under
    /// `warn`; anything else is left as it is.
    pub fn apply(self, mut diagnostic: Diagnostic) -> Diagnostic {
        let is_link = matches!(diagnostic.code, Some(Code::BrokenLink | Code::BrokenAnchor));
        if self == BrokenLinks::Warn && is_link && diagnostic.is_error() {
            diagnostic.severity = crate::base::diag::Severity::Warning;
        }
        diagnostic
    }
}

/// Settings for the pages under one folder of content/.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SectionConfig {
    /// The kind of every page in the folder (and its subfolders) that does not set its own.
    pub kind: Option<Kind>,
}

/// The resolved configuration of a site.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site root: the folder holding site.toml.
    pub root: PathBuf,
    /// Site title.
    pub title: String,
    /// One-sentence description of the site.
    pub description: String,
    /// Absolute URL (or a path starting with `/`), always ending in `/`.
    pub base_url: String,
    /// Path part of `base_url`, starting and ending with `/`.
    pub base_path: String,
    /// Default language of pages.
    pub language: String,
    /// Theme name: a folder under themes/, or `default` for the built-in theme.
    pub theme: String,
    /// Where the site is written: the root joined with output_dir, `..` and `.` resolved by
    /// reading the path (see [`crate::base::output::normalize`]), so that every later check and
    /// write sees the folder meant.
    pub output_dir: PathBuf,
    /// Repository URL, for edit links.
    pub repository: Option<String>,
    /// Repository branch, for edit links.
    pub branch: String,
    /// An edit URL pattern with `{branch}` and `{path}` placeholders, for hosts whose URLs
    /// Folio cannot derive from `repository`.
    pub edit_url: Option<String>,
    /// Who the build is for when `--audience` is not given: a `public` build leaves out pages
    /// with `visibility: internal`.
    pub audience: Visibility,
    /// `folio check` notes a policy whose next review falls within this many days from today.
    pub review_due_soon_days: u32,
    /// Per-folder settings, keyed by folder path relative to content/ (`policies`, `faq/legal`).
    pub sections: BTreeMap<String, SectionConfig>,
    /// Where the pages are: `content/` in the root unless site.toml says otherwise.
    pub content_dir: PathBuf,
    /// Every language of the site, the default one (`language`) included; empty for a site in
    /// one language. Each language but the default lives in `content/<code>/`.
    pub languages: Vec<String>,
    /// Whether broken links fail the build.
    pub broken_links: BrokenLinks,
    /// The file holding the whole navigation the author wrote (`mkdocs.yml`, `SUMMARY.md`).
    pub nav: Option<NavFile>,
    /// Files and folders of the content folder (relative to it) that are not pages.
    pub exclude: Vec<PathBuf>,
    /// Folders of the site (relative to the root, checked to exist) whose files are published
    /// at the same path, besides `static/`: a Jekyll handbook's `assets/`.
    pub static_dirs: Vec<PathBuf>,
    /// Whether search merges Folio's built-in synonyms (standard abbreviations, British and
    /// American spellings, compounds) with the site's `data/synonyms.yaml`.
    pub builtin_synonyms: bool,
}

impl Config {
    /// Reads `site.toml` in `root`. Problems come back as diagnostics positioned in the file.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![
                Diagnostic::error(format!("cannot read `{}`: {e}", crate::base::output::shown(&path).display())).with_help(
                    "run folio in a site folder (one with site.toml), pass --root DIR, or create one with `folio init DIR`",
                ),
            ]
        })?;
        Self::parse(root, Path::new(CONFIG_FILE), &text)
    }

    /// Parses configuration text; `display_path` names the file in diagnostics.
    pub fn parse(root: &Path, display_path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let locate = |offset: usize| Location::from_offset(display_path, text, offset, 1);
        let deserializer = toml::de::Deserializer::parse(text)
            .map_err(|e| vec![toml_error(&e).at(locate(e.span().map_or(0, |s| s.start)))])?;
        let mut unknown = Vec::new();
        let raw: Result<RawConfig, toml::de::Error> =
            serde_ignored::deserialize(deserializer, |path| unknown.push(path.to_string()));
        let mut diagnostics: Vec<Diagnostic> = unknown
            .iter()
            .map(|key| unknown_key(display_path, text, key))
            .collect();
        let raw = match raw {
            Ok(raw) => raw,
            Err(e) => {
                diagnostics.push(toml_error(&e).at(locate(e.span().map_or(0, |s| s.start))));
                return Err(diagnostics);
            }
        };
        let (base_url, base_path) = match normalize_base_url(&raw.base_url) {
            Ok(urls) => urls,
            Err(message) => {
                let offset = text.find("base_url").unwrap_or(0);
                diagnostics.push(Diagnostic::error(message).at(locate(offset)));
                (String::new(), String::new())
            }
        };
        if let Some(pattern) = &raw.edit_url
            && let Err(message) = edit_link::check_pattern(pattern)
        {
            let offset = find_key(text, "edit_url").unwrap_or(0);
            diagnostics.push(Diagnostic::error(message).at(locate(offset)));
        }
        let nav = raw.nav.as_deref().and_then(|written| {
            let located = || value_at(display_path, text, "nav", written);
            site_nav::check_nav(root, written, located)
                .map_err(|d| diagnostics.push(d))
                .ok()
        });
        let located = |entry: &str| value_at(display_path, text, "exclude", entry);
        let exclude = site_nav::check_exclude(&raw.exclude, located)
            .map_err(|errors| diagnostics.extend(errors))
            .unwrap_or_default();
        let content_dir = root.join(raw.content_dir.as_deref().unwrap_or("content"));
        let output_dir = crate::base::output::normalize(&root.join(&raw.output_dir));
        let located = |entry: &str| value_at(display_path, text, "static_dirs", entry);
        let static_dirs = static_dirs::check_static_dirs(
            root,
            &content_dir,
            &output_dir,
            &raw.static_dirs,
            located,
        )
        .map_err(|errors| diagnostics.extend(errors))
        .unwrap_or_default();
        let mut languages = raw.languages;
        if !languages.is_empty() && !languages.contains(&raw.language) {
            languages.insert(0, raw.language.clone());
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title,
            description: raw.description,
            base_url,
            base_path,
            language: raw.language,
            theme: raw.theme,
            output_dir,
            repository: raw.repository,
            branch: raw.branch,
            edit_url: raw.edit_url,
            audience: raw.audience,
            review_due_soon_days: raw.review_due_soon_days,
            sections: raw
                .sections
                .into_iter()
                .map(|(k, v)| (k.trim_matches('/').to_string(), v))
                .collect(),
            content_dir,
            languages,
            broken_links: raw.broken_links,
            nav,
            exclude,
            static_dirs,
            builtin_synonyms: raw.builtin_synonyms,
        })
    }

    /// Replaces the base URL (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base_url, base_path) = normalize_base_url(url)?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }

    /// True when `base_url` is absolute (`https://…`), as sitemaps and feeds need.
    pub fn has_absolute_base_url(&self) -> bool {
        self.base_url.starts_with("http")
    }

    /// The content folder.
    pub fn content_dir(&self) -> PathBuf {
        self.content_dir.clone()
    }

    /// The content folder as messages name it, so that a path they show is the file's own:
    /// relative to the site root (`content`, `docs`, empty when it is the root itself), or as
    /// site.toml wrote it when it lies outside the root (`../docs`).
    pub fn content_shown(&self) -> PathBuf {
        match self.content_dir.strip_prefix(&self.root) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => self.content_dir.clone(),
        }
    }

    /// What the build leaves out of the content folder (relative to it): `exclude`, the nav
    /// file when it lies in the content folder (an mdBook's `src/SUMMARY.md` is no page), and
    /// site.toml when the content folder is the site's own (`content_dir = "."`): Folio's
    /// settings are not the site's to publish.
    pub fn excluded_from_content(&self) -> Vec<PathBuf> {
        let mut excluded = self.exclude.clone();
        let nav = self.nav.as_ref().map(|nav| nav.path.clone());
        for file in nav.into_iter().chain([self.root.join(CONFIG_FILE)]) {
            if let Ok(rel) = file.strip_prefix(&self.content_dir) {
                excluded.push(rel.to_path_buf());
            }
        }
        excluded
    }

    /// The language of a source file (relative to the content folder) and its path within the
    /// site tree. A file under `<code>/` for a declared language is in that language; the default
    /// language's folder is folded into the root (Hugo's layout: `en/x.md` is `x.md`), so its
    /// pages are at `/` whether they live at the root (Jekyll's layout) or in their folder.
    pub fn language_of(&self, rel: &Path) -> (String, PathBuf) {
        let mut components = rel.components();
        let first = components.next().map(|c| c.as_os_str().to_string_lossy());
        match first {
            Some(code)
                if rel.components().count() > 1 && self.languages.iter().any(|l| *l == code) =>
            {
                let code = code.into_owned();
                let tree = if code == self.language {
                    components.as_path().to_path_buf()
                } else {
                    rel.to_path_buf()
                };
                (code, tree)
            }
            _ => (self.language.clone(), rel.to_path_buf()),
        }
    }

    /// True when `lang` is written right to left (Arabic, Persian, Hebrew, Urdu…).
    pub fn is_rtl(lang: &str) -> bool {
        let base = lang.split(['-', '_']).next().unwrap_or(lang);
        matches!(
            base.to_ascii_lowercase().as_str(),
            "ar" | "fa" | "he" | "ur" | "ps" | "sd" | "yi" | "dv" | "ug" | "ckb"
        )
    }

    /// The default kind for a page in `dir` (relative to content/): the nearest configured folder.
    pub fn default_kind(&self, dir: &Path) -> Kind {
        let mut current = Some(dir);
        while let Some(d) = current {
            let key = d.to_string_lossy().replace('\\', "/");
            if let Some(kind) = self.sections.get(key.as_str()).and_then(|s| s.kind) {
                return kind;
            }
            current = d.parent();
        }
        Kind::Page
    }
}

fn toml_error(e: &toml::de::Error) -> Diagnostic {
    let message = e
        .message()
        .trim()
        .replace("struct RawConfig", "the site configuration")
        .replace("enum Visibility", "an audience");
    Diagnostic::error(format!("invalid {CONFIG_FILE}: {message}"))
}

fn unknown_key(display_path: &Path, text: &str, key_path: &str) -> Diagnostic {
    let segments: Vec<&str> = key_path.split('.').collect();
    let key = segments.last().copied().unwrap_or(key_path);
    let (candidates, scope) = if segments.len() == 1 {
        (TOP_LEVEL_KEYS, "top level".to_string())
    } else {
        (
            SECTION_KEYS,
            format!("[{}]", segments[..segments.len() - 1].join(".")),
        )
    };
    let mut diagnostic =
        Diagnostic::error(format!("unknown key `{key}` in {CONFIG_FILE} ({scope})"));
    if let Some(offset) = find_key(text, key) {
        diagnostic = diagnostic.at(Location::from_offset(display_path, text, offset, key.len()));
    }
    match did_you_mean(key, candidates) {
        Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
        None => diagnostic.with_help(format!("known keys here: {}", candidates.join(", "))),
    }
}

/// Where site.toml under `root` sets the value of top-level `key`, for diagnostics that later
/// stages find in a configured value (a theme that is not there).
pub fn value_location(root: &Path, key: &str) -> Option<Location> {
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).ok()?;
    let offset = find_key(&text, key)?;
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let value = offset + text[offset..line_end].find('=')? + 1;
    let value = value + (text[value..line_end].len() - text[value..line_end].trim_start().len());
    let len = text[value..line_end].trim_end().len();
    Some(Location::from_offset(
        Path::new(CONFIG_FILE),
        &text,
        value,
        len,
    ))
}

/// Where the value `value` of top-level `key` is written (`"x"` in `key = ["a", "x"]`), else
/// the key itself.
fn value_at(display_path: &Path, text: &str, key: &str, value: &str) -> Option<Location> {
    let offset = find_key(text, key)?;
    let quoted = [format!("\"{value}\""), format!("'{value}'")];
    let found = quoted
        .iter()
        .filter_map(|q| text[offset..].find(q.as_str()))
        .min()
        .map(|at| offset + at);
    Some(match found {
        Some(at) => Location::from_offset(display_path, text, at, value.len() + 2),
        None => Location::from_offset(display_path, text, offset, key.len()),
    })
}

/// Byte offset of the first line that sets `key`.
fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let name = trimmed
            .split('=')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        if name == key && trimmed.contains('=') {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

/// Checks a base URL and returns it with a trailing slash, plus its path part.
fn normalize_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let with_slash = if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    };
    if with_slash.starts_with('/') {
        return Ok((with_slash.clone(), with_slash));
    }
    let Some((scheme, rest)) = with_slash.split_once("://") else {
        return Err(format!(
            "base_url `{url}` must be an absolute URL such as `https://handbook.example.org/` or a path such as `/`"
        ));
    };
    if !(scheme == "http" || scheme == "https") || rest.starts_with('/') {
        return Err(format!(
            "base_url `{url}` must start with http:// or https:// and a host name"
        ));
    }
    let path = rest.find('/').map_or("/", |i| &rest[i..]).to_string();
    Ok((with_slash, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new("/site"), Path::new("site.toml"), text)
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let config = parse("title = \"H\"\n").unwrap();
        assert_eq!(config.base_url, "/");
        assert_eq!(config.output_dir, Path::new("/site/public"));
        assert_eq!(config.theme, "default");
    }

    #[test]
    fn base_url_keeps_its_path() {
        let config = parse("title = \"H\"\nbase_url = \"https://x.org/handbook\"\n").unwrap();
        assert_eq!(config.base_url, "https://x.org/handbook/");
        assert_eq!(config.base_path, "/handbook/");
        assert!(parse("title = \"H\"\nbase_url = \"x.org\"\n").is_err());
    }

    #[test]
    fn unknown_keys_are_errors_with_a_hint() {
        let errors = parse("title = \"H\"\ntheem = \"x\"\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `theme`?"));
        assert_eq!(errors[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn section_kinds_are_inherited_by_subfolders() {
        let config = parse("title = \"H\"\n[sections.policies]\nkind = \"policy\"\n").unwrap();
        assert_eq!(
            config.default_kind(Path::new("policies/legal")),
            Kind::Policy
        );
        assert_eq!(config.default_kind(Path::new("faq")), Kind::Page);
    }

    #[test]
    fn the_audience_is_public_unless_set() {
        assert_eq!(
            parse("title = \"H\"\n").unwrap().audience,
            Visibility::Public
        );
        let config = parse("title = \"H\"\naudience = \"internal\"\n").unwrap();
        assert_eq!(config.audience, Visibility::Internal);
        let errors = parse("title = \"H\"\naudience = \"staff\"\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .message
                .contains("unknown variant `staff`, expected `public` or `internal`"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn review_reminders_default_to_thirty_days() {
        assert_eq!(parse("title = \"H\"\n").unwrap().review_due_soon_days, 30);
        let config = parse("title = \"H\"\nreview_due_soon_days = 7\n").unwrap();
        assert_eq!(config.review_due_soon_days, 7);
        assert!(parse("title = \"H\"\nreview_due_soon_days = -1\n").is_err());
    }

    #[test]
    fn an_edit_url_pattern_needs_a_path() {
        let config =
            parse("title = \"H\"\nedit_url = \"https://x.org/{branch}/{path}\"\n").unwrap();
        assert_eq!(
            config.edit_url.as_deref(),
            Some("https://x.org/{branch}/{path}")
        );
        let errors = parse("title = \"H\"\nedit_url = \"https://x.org/{file}\"\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.contains("`{file}`"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn wrong_types_point_at_the_value() {
        let errors = parse("title = 3\n").unwrap_err();
        assert_eq!(errors[0].location.as_ref().unwrap().line, 1);
        assert!(
            errors[0].message.contains("invalid type"),
            "{}",
            errors[0].message
        );
    }
}
