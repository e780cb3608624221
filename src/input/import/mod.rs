//! `folio import`: reading a handbook written for another generator, to write the site.toml that
//! builds it with Folio.
//!
//! The importer detects the generator from its settings file ([`Generator::detect`]), reads from
//! it what Folio has a setting for (title, base URL, content folder, languages, repository and
//! edit links) and where the author's navigation lives ([`nav`] reads the navigation files
//! themselves), then chooses what the settings file cannot say: an output folder that does not
//! exist yet, and `broken_links = "warn"` so that links that were already broken do not stop the
//! first build. Every choice keeps where it came from ([`Choice::from`]), so that the command
//! can show the author what was found and what was set, and every value that could not be read
//! (a JavaScript expression, an environment variable) is said so in [`Import::notes`].
//!
//! Nothing here writes: [`inspect`] returns the [`Import`], [`Import::site_toml`] its text,
//! which Folio's own configuration reader accepts (checked before it is returned).

mod content;
mod generators;
mod git;
mod js;
pub(crate) use crate::input::nav;
mod site_toml;
pub(crate) mod value;

use std::path::{Path, PathBuf};

use crate::base::diag::Diagnostic;
use crate::input::config::{CONFIG_FILE, Config};

pub use site_toml::{EXCLUDE_KEY, NAV_KEY, PROPOSED_KEYS_ARE_READ, one_line};

/// The generators whose handbooks Folio imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    /// MkDocs (mkdocs.yml).
    MkDocs,
    /// Hugo (hugo.toml, config.toml, config/_default/…).
    Hugo,
    /// Jekyll (_config.yml).
    Jekyll,
    /// Eleventy (.eleventy.js, eleventy.config.js).
    Eleventy,
    /// Docusaurus (docusaurus.config.js).
    Docusaurus,
    /// mdBook (book.toml).
    MdBook,
    /// No generator: Markdown as GitHub shows it.
    GitHub,
}

impl Generator {
    /// The generator's name with its article, for sentences: `an Eleventy handbook`.
    pub fn with_article(self) -> String {
        let article = match self {
            Generator::Eleventy | Generator::MdBook => "an",
            _ => "a",
        };
        format!("{article} {}", self.name())
    }

    /// The generator's name, as its authors write it.
    pub fn name(self) -> &'static str {
        match self {
            Generator::MkDocs => "MkDocs",
            Generator::Hugo => "Hugo",
            Generator::Jekyll => "Jekyll",
            Generator::Eleventy => "Eleventy",
            Generator::Docusaurus => "Docusaurus",
            Generator::MdBook => "mdBook",
            Generator::GitHub => "GitHub-style Markdown",
        }
    }

    /// The generator of the site in `root` and its settings file (relative to `root`): the
    /// first found in the order `folio import --help` lists them, else GitHub-style Markdown.
    /// The other settings files found come last, for a note.
    pub fn detect(root: &Path) -> (Generator, Option<String>, Vec<String>) {
        generators::detect(root)
    }
}

/// A value the importer chose, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice<T> {
    /// The value.
    pub value: T,
    /// Where it came from, for the author: `site_name in mkdocs.yml`.
    pub from: String,
}

impl<T> Choice<T> {
    fn new(value: T, from: impl Into<String>) -> Self {
        Choice {
            value,
            from: from.into(),
        }
    }
}

/// A `nav` or `exclude` setting, written with what it does (see [`PROPOSED_KEYS_ARE_READ`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Proposed {
    /// The key.
    pub key: &'static str,
    /// Its value.
    pub value: toml::Value,
    /// What it does, for the comment above it.
    pub why: String,
}

/// What `folio import` found in a handbook, and the settings it chose.
#[derive(Debug, Clone)]
pub struct Import {
    /// The site root (the folder given to `folio import`).
    pub root: PathBuf,
    /// The generator the handbook was written for.
    pub generator: Generator,
    /// Its settings file, relative to the root; `None` for GitHub-style Markdown.
    pub settings_file: Option<String>,
    /// `title`.
    pub title: Choice<String>,
    /// `description`.
    pub description: Option<Choice<String>>,
    /// `base_url`.
    pub base_url: Option<Choice<String>>,
    /// `language`.
    pub language: Option<Choice<String>>,
    /// `languages`.
    pub languages: Option<Choice<Vec<String>>>,
    /// `content_dir`, relative to the root, `/`-separated (`.` for the root itself).
    pub content_dir: Choice<String>,
    /// `output_dir`, relative to the root.
    pub output_dir: Choice<String>,
    /// `repository`.
    pub repository: Option<Choice<String>>,
    /// `branch`.
    pub branch: Option<Choice<String>>,
    /// `edit_url`.
    pub edit_url: Option<Choice<String>>,
    /// `static_dirs`: folders outside the content folder the generator publishes as they are.
    pub static_dirs: Option<Choice<Vec<String>>>,
    /// Where the author's navigation lives, one line each.
    pub nav: Vec<String>,
    /// Settings for keys site.toml does not know yet.
    pub proposed: Vec<Proposed>,
    /// What was not read, or left out, and why.
    pub notes: Vec<String>,
    /// The number of Markdown pages in the content folder.
    pub pages: usize,
    /// Problems in files that were read (an unknown key in a `.pages` file).
    pub warnings: Vec<Diagnostic>,
}

/// Reads the handbook in `root`. Errors (a settings file that cannot be parsed, a content folder
/// that is not there, a navigation file in error) come back all together.
pub fn inspect(root: &Path) -> Result<Import, Vec<Diagnostic>> {
    let (generator, settings_file, others) = Generator::detect(root);
    let mut found = generators::read(root, generator, settings_file.as_deref())?;
    if !others.is_empty() {
        found.notes.push(format!(
            "also found {}: {} settings were used",
            others.join(", "),
            generator.name()
        ));
    }
    content::settle(root, generator, settings_file, found)
}

impl Import {
    /// The text of the site.toml to write, checked by Folio's own configuration reader.
    pub fn site_toml(&self) -> String {
        site_toml::render(self)
    }

    /// Checks `text` as `folio build` will read it.
    fn check(&self, text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(&self.root, Path::new(CONFIG_FILE), text)
    }
}
