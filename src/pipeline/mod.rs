//! The build pipeline, and the only place that knows the order of its stages:
//!
//! 1. **load** site.toml and find the sources under content/;
//! 2. **parse** each page's front matter (in parallel) and give it a URL;
//! 3. **read** the data files under data/, and check the glossary and the licence list in them
//!    (module `data`);
//! 4. **render** each page's Markdown (in parallel), rewriting links through the link map and
//!    `[[term]]`s through the glossary, then check every `#anchor` once all heading ids are known;
//! 5. **assemble** the section tree, sidebar order and previous/next;
//! 6. **write** every page through the templates (in parallel) into a staging folder, plus
//!    static files, tags, aliases, 404, the glossary, sitemap, Atom feed, catalog.json and
//!    robots.txt (module `write`);
//! 7. **index** every page and section with tantivy (beside the output folder) and export
//!    the index into the staging folder for the browser; then swap output and index in.
//!
//! Each stage collects every problem it finds; the build stops before writing anything if there
//! are errors, and a failure while writing leaves the previous output untouched.
//!
//! [`build`] runs them all. [`check`] (`folio check`) shares stages 1 to 5 ([`prepare`]), renders
//! stage 6 into a sink that keeps nothing, skips stage 7, and adds the [`hygiene`] rules.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod data;
mod live;
mod outputs;
mod write;

use rayon::prelude::*;

pub use live::LiveSite;

use crate::base::diag::{Diagnostic, Diagnostics, Location};
use crate::base::model::{IsoDate, Visibility};
use crate::base::output::normalize as normalize_path;
use crate::base::progress::Progress;
use crate::base::url::{folder_url, normalize};
use crate::context::Contexts;
use crate::glossary::GLOSSARY_KEY;
use crate::hygiene;
use crate::input::compat;
use crate::input::config::Config;
use crate::input::config::output_dir::check_output_path;
use crate::input::data::Data;
use crate::input::front_matter;
use crate::input::history::History;
use crate::input::source;
use crate::links::{Exclusion, LinkMap, Unbuilt};
use crate::markdown::{self, AnchorRef};
use crate::search;
use crate::site::{Page, Site};
use crate::templates::Templates;
use crate::theme::Theme;
use data::LoadedData;
use write::{Discard, Writer};

/// What to build, from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root (the folder holding site.toml).
    pub root: PathBuf,
    /// Output folder, overriding site.toml.
    pub output: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Who the site is for, overriding site.toml: a public build leaves out internal pages.
    pub audience: Option<Visibility>,
    /// Base URL, overriding site.toml.
    pub base_url: Option<String>,
    /// Where to report the stages and pages done (hidden unless set).
    pub progress: Progress,
}

/// The outcome of a build.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every error and warning found.
    pub diagnostics: Diagnostics,
    /// Pages written (sections included).
    pub pages: usize,
    /// Sections among them.
    pub sections: usize,
    /// Where the site was written.
    pub output: PathBuf,
    /// Wall time.
    pub elapsed: Duration,
    /// What indexing and exporting took, when the build got that far.
    pub search: Option<search::SearchReport>,
    /// True when only the pages counted in `pages` were updated, in place.
    pub incremental: bool,
    /// What reading the git history took, when the build got that far.
    pub history: Option<HistoryTiming>,
}

/// The cost of reading the git history, which runs beside parsing and rendering.
#[derive(Debug, Clone, Copy, Default)]
pub struct HistoryTiming {
    /// From starting git to having the history parsed.
    pub read: Duration,
    /// How long the build stood waiting for it: what it added to the build.
    pub waited: Duration,
}

impl BuildReport {
    /// True when the output was written.
    pub fn succeeded(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// Builds the site described by `options`.
pub fn build(options: &BuildOptions) -> BuildReport {
    build_site_keeping(options, false).0
}

/// Builds the site and, when the build succeeds, keeps what [`LiveSite::update_page`] needs to
/// bring the output up to date after an edit without building everything again.
pub fn build_live(options: &BuildOptions) -> (BuildReport, Option<LiveSite>) {
    build_site_keeping(options, true)
}

fn build_site_keeping(options: &BuildOptions, keep: bool) -> (BuildReport, Option<LiveSite>) {
    let started = Instant::now();
    let mut report = BuildReport::default();
    let mut live = None;
    if let Some(config) = load_config(options, &mut report.diagnostics) {
        // Normalised, as the check sees it: `public/../content` is written as `content`.
        report.output = normalize_path(options.output.as_deref().unwrap_or(&config.output_dir));
        live = build_site(config, options, &mut report, keep);
    }
    report.elapsed = started.elapsed();
    (report, live)
}

fn load_config(options: &BuildOptions, diagnostics: &mut Diagnostics) -> Option<Config> {
    let mut config = match Config::load(&options.root) {
        Ok(config) => config,
        Err(errors) => {
            diagnostics.extend(errors.into_iter().map(|d| d.with_code("config")));
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

/// Builds the site; with `keep`, returns the built state for incremental rebuilds.
fn build_site(
    config: Config,
    options: &BuildOptions,
    report: &mut BuildReport,
    keep: bool,
) -> Option<LiveSite> {
    let diagnostics = &mut report.diagnostics;
    if let Err(d) = check_output_path(&config, options.output.as_deref()) {
        diagnostics.push(d);
        return None;
    }
    // Git runs beside the parsing and rendering, which need nothing from it.
    let history = History::read_in_background(&config.root);
    let theme = Theme::load(&config);
    let mut prepared = prepare(&config, options, theme.as_ref().ok(), diagnostics);
    let (theme, templates) = compile_templates(theme, diagnostics)?;
    data::check_templates(&prepared.site, &templates, &prepared.data, diagnostics);
    if diagnostics.has_errors() {
        return None;
    }
    if !keep {
        prepared.site.forget_sources();
        crate::base::memory::return_freed();
    }
    let waiting = Instant::now();
    // A history thread cannot panic short of a bug; a build without history is still correct.
    let (history, read) = history.join().unwrap_or_default();
    report.history = Some(HistoryTiming {
        read,
        waited: waiting.elapsed(),
    });
    let contexts = Contexts::new(
        &config,
        &prepared.site,
        &prepared.superseded_by,
        &history,
        prepared.data.site_data(),
    );
    let writer = prepared.writer(&config, &contexts, &theme, &templates, keep);
    let search = match writer.write(&report.output) {
        Ok((search, live_index)) => {
            report.search = Some(search);
            report.pages = prepared.site.pages.len();
            report.sections = prepared.site.sections.len();
            live_index
        }
        Err(errors) => {
            diagnostics.extend(errors);
            return None;
        }
    };
    drop(contexts);
    Some(LiveSite {
        config,
        site: prepared.site,
        links: prepared.links,
        data: prepared.data,
        superseded_by: prepared.superseded_by,
        templates,
        history,
        output: report.output.clone(),
        search: Some(search).filter(|_| keep)?,
    })
}

/// What `folio check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Every error, warning and note: what a build reports, then the hygiene findings.
    pub diagnostics: Diagnostics,
    /// The site-relative URL of each page, by the path diagnostics show (`content/a.md`).
    pub urls: HashMap<PathBuf, String>,
}

/// Runs every stage of a build but the writing: pages are rendered through the templates in
/// memory, so that template errors are found too. Then adds the handbook hygiene findings (see
/// [`hygiene`]). Writes nothing: no output folder, no staging folder, no search index.
pub fn check(options: &BuildOptions) -> CheckReport {
    let mut report = CheckReport::default();
    let diagnostics = &mut report.diagnostics;
    let Some(config) = load_config(options, diagnostics) else {
        return report;
    };
    // A build would refuse this output folder: say so, though check writes nothing there.
    if let Err(d) = check_output_path(&config, options.output.as_deref()) {
        diagnostics.push(d);
    }
    let theme = Theme::load(&config);
    let prepared = prepare(&config, options, theme.as_ref().ok(), diagnostics);
    let templates = compile_templates(theme, diagnostics);
    if let Some((_, templates)) = &templates {
        data::check_templates(&prepared.site, templates, &prepared.data, diagnostics);
    }
    // Check reads no git history: what it validates does not depend on it.
    let history = History::default();
    let contexts = Contexts::new(
        &config,
        &prepared.site,
        &prepared.superseded_by,
        &history,
        prepared.data.site_data(),
    );
    // As in a build, pages are rendered through the templates only when the content is sound.
    if let Some((theme, templates)) = &templates
        && !diagnostics.has_errors()
    {
        let writer = prepared.writer(&config, &contexts, theme, templates, false);
        if let Err(errors) = writer.render(&Discard) {
            diagnostics.extend(errors);
        }
    }
    let settings = hygiene::Settings {
        today: IsoDate::today(),
        due_soon_days: config.review_due_soon_days,
    };
    diagnostics.extend(hygiene::check(&prepared.site, &settings));
    report.urls = (0..prepared.site.pages.len())
        .filter(|&i| !prepared.site.pages[i].generated)
        .map(|i| (prepared.site.pages[i].display_path.clone(), contexts.url(i)))
        .collect();
    report
}

/// What the stages before writing produce, and all the write stage needs besides templates.
struct Prepared {
    site: Site,
    links: LinkMap,
    data: LoadedData,
    superseded_by: Vec<Option<usize>>,
    aliases: Vec<(String, usize)>,
    /// Files under content/ other than pages, copied as they are.
    files: Vec<PathBuf>,
    progress: Progress,
}

impl Prepared {
    fn writer<'a>(
        &'a self,
        config: &'a Config,
        contexts: &'a Contexts<'a>,
        theme: &'a Theme,
        templates: &'a Templates,
        keep: bool,
    ) -> Writer<'a> {
        Writer {
            config,
            site: &self.site,
            contexts,
            templates,
            theme,
            aliases: &self.aliases,
            files: &self.files,
            keep,
            progress: &self.progress,
        }
    }
}

/// Stages 1 to 5, shared by `folio build` and `folio check`: load, parse, read data, render and
/// assemble. `theme`, when it loaded, gives the static files links from the site's root may
/// name; without it such links are left unchecked (the theme's own error says why).
/// Every problem goes into `diagnostics`; the site holds the pages that loaded.
fn prepare(
    config: &Config,
    options: &BuildOptions,
    theme: Option<&Theme>,
    diagnostics: &mut Diagnostics,
) -> Prepared {
    let (sources, walk_errors) = source::collect(&config.content_dir());
    diagnostics.extend(walk_errors);
    let progress = &options.progress;
    let (loaded, failed) = load_pages(config, &sources.markdown, progress, diagnostics);
    let public = options.audience.unwrap_or(config.audience) == Visibility::Public;
    let internal = internal_pages(&loaded, diagnostics);
    let internal_dirs = internal_dirs(&loaded, &internal);
    let mut pages = Vec::with_capacity(loaded.len());
    let mut excluded = Vec::new();
    for (page, internal) in loaded.into_iter().zip(internal) {
        if public && internal {
            excluded.push((page, Exclusion::Internal));
        } else if page.front_matter.draft && !options.drafts {
            excluded.push((page, Exclusion::Draft));
        } else {
            pages.push(page);
        }
    }
    let mut links = LinkMap::new(&config.base_path);
    for (page, why) in &excluded {
        links.add_excluded(&page.source, *why);
    }
    for source in failed {
        links.add_failed(source);
    }
    // Files in an internal section are left out of a public build with its pages.
    let (files, excluded_files): (Vec<PathBuf>, Vec<PathBuf>) =
        sources.files.iter().cloned().partition(|file| {
            let dir = file.parent().unwrap_or(Path::new(""));
            !public || !dir.ancestors().any(|d| internal_dirs.contains(d))
        });
    for file in &files {
        links.add_file(file);
    }
    for file in &excluded_files {
        links.add_excluded_file(file);
    }
    let mut site = Site::assemble(pages, &config.title);
    site.language_roots = config
        .languages
        .iter()
        .filter(|l| **l != config.language)
        .map(PathBuf::from)
        .collect();
    for page in site.pages.iter_mut().filter(|p| p.generated) {
        page.language = config.language_of(&page.source).0;
    }
    for (index, page) in site.pages.iter().enumerate() {
        links.add_page(&page.source, index, &page.url_path);
    }
    check_url_collisions(&site, &files, diagnostics);
    let aliases = collect_aliases(&site, diagnostics);
    add_unbuilt_urls(&mut links, &excluded);
    let (data_files, found) = Data::load(&config.root);
    diagnostics.extend(found);
    if let Some(theme) = theme {
        let has_glossary = data_files.file(GLOSSARY_KEY).is_some();
        let static_files = theme.static_files.keys().map(PathBuf::as_path);
        links.set_outputs(outputs::extra_outputs(
            config,
            &site,
            has_glossary,
            static_files,
            &aliases,
        ));
    }
    let data = data::load_data(config, data_files, &links, public, diagnostics);
    let mut rendering = Diagnostics::new();
    render_markdown(&mut site, &links, &data, progress, &mut rendering);
    let broken_links = config.broken_links;
    diagnostics.extend(
        rendering
            .items()
            .iter()
            .cloned()
            .map(|d| broken_links.apply(d)),
    );
    // Titles may come from headings, so order sections only now that every title is known.
    site.arrange();
    resolve_related(&mut site, diagnostics);
    let superseded_by = resolve_superseded_by(&site, &links, diagnostics);
    Prepared {
        site,
        links,
        data,
        superseded_by,
        aliases,
        files,
        progress: progress.clone(),
    }
}

/// Registers the URL and the aliases each page left out would have had, so that a link from
/// the site's root to one of them says why it is not there.
fn add_unbuilt_urls(links: &mut LinkMap, excluded: &[(Page, Exclusion)]) {
    for (page, _) in excluded {
        links.add_unbuilt_url(&page.url_path, &page.source);
        let aliases = page.front_matter.aliases.iter();
        for alias in aliases.filter_map(|a| alias_url_path(a)) {
            links.add_unbuilt_url(&alias, &page.source);
        }
    }
}

/// Compiles the loaded theme's templates; None (with the errors reported) when loading or
/// compiling failed.
fn compile_templates(
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
            diagnostics.extend(errors.into_iter().map(|d| d.with_code("template")));
            None
        }
    }
}

/// Reads and parses every Markdown file in parallel. Pages with errors are left out and returned
/// apart, so links to them do not repeat their errors.
fn load_pages<'m>(
    config: &Config,
    markdown: &'m [PathBuf],
    progress: &Progress,
    diagnostics: &mut Diagnostics,
) -> (Vec<Page>, Vec<&'m PathBuf>) {
    progress.stage("Reading", markdown.len());
    let results: Vec<(Option<Page>, Vec<Diagnostic>)> = markdown
        .par_iter()
        .map(|rel| {
            let loaded = load_page(config, rel);
            progress.advance();
            loaded
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for ((page, found), rel) in results.into_iter().zip(markdown) {
        diagnostics.extend(found.into_iter().map(|d| d.with_code("front-matter")));
        match page {
            Some(page) => pages.push(page),
            None => failed.push(rel),
        }
    }
    (pages, failed)
}

fn load_page(config: &Config, rel: &Path) -> (Option<Page>, Vec<Diagnostic>) {
    let display_path = Path::new("content").join(rel);
    let text = match source::read_text(&config.content_dir().join(rel), &display_path) {
        Ok(text) => text,
        Err(d) => return (None, vec![d]),
    };
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        let empty = Diagnostic::error("the page is empty")
            .at(Location::from_offset(&display_path, &text, 0, 1))
            .with_help("give it a title (`title: ...` between `---` lines, or a `# Heading`) and some text, or delete it");
        return (None, vec![empty]);
    }
    let split = match front_matter::split(&display_path, &text) {
        Ok(split) => split,
        Err(d) => return (None, vec![d]),
    };
    let parsed = match front_matter::parse(&display_path, &text, &split) {
        Ok(parsed) => parsed,
        Err(d) => return (None, vec![d]),
    };
    let mut diagnostics = parsed.warnings;
    let fm = parsed.front_matter;
    let is_section = rel.file_name().is_some_and(|n| n == "_index.md");
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
    let url_path = match from_permalink
        .map_or_else(|| page_url_path(&tree_path, fm.slug.as_deref()), Ok)
    {
        Ok(url) => url,
        Err(message) => {
            let mut d = Diagnostic::error(message);
            if let Some(loc) = front_matter::field_location(&display_path, &text, &split, "slug") {
                d = d.at(loc);
            }
            diagnostics.push(d);
            return (None, diagnostics);
        }
    };
    let body_offset = split.body_offset;
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
        url_path,
        title: String::new(),
        body_offset,
        rendered: markdown::Rendered::default(),
        text,
    };
    (Some(page), diagnostics)
}

/// For each page, whether it is internal: it says `visibility: internal`, or the `_index.md` of
/// a folder above it does. Under an internal section a page cannot be public: a page that says
/// `visibility: public` there stays internal, with a warning naming the section.
fn internal_pages(pages: &[Page], diagnostics: &mut Diagnostics) -> Vec<bool> {
    let internal_sections: HashMap<&Path, &Page> = pages
        .iter()
        .filter(|p| p.front_matter.visibility == Some(Visibility::Internal))
        .filter_map(|p| Some((p.section_dir.as_deref()?, p)))
        .collect();
    pages
        .iter()
        .map(|page| {
            let own = page.front_matter.visibility;
            let dir = page.tree_path.parent().unwrap_or(Path::new(""));
            let section = dir.ancestors().find_map(|d| internal_sections.get(d));
            if let (Some(section), Some(Visibility::Public)) = (section, own) {
                diagnostics.push(public_under_internal(page, section));
            }
            own == Some(Visibility::Internal) || section.is_some()
        })
        .collect()
}

fn public_under_internal(page: &Page, section: &Page) -> Diagnostic {
    let section_dir = section.section_dir.as_deref().unwrap_or(Path::new(""));
    let mut d = Diagnostic::warning(format!(
        "`visibility: public` is ignored: this page is under the internal section `{}`, so it is internal too",
        section.display_path.display()
    ))
    .with_help(format!(
        "remove `visibility: public`, or move the page out of `{}/` to publish it",
        Path::new("content").join(section_dir).display()
    ));
    let location = front_matter::split(&page.display_path, &page.text)
        .ok()
        .and_then(|split| {
            front_matter::field_value_location(&page.display_path, &page.text, &split, "visibility")
        });
    if let Some(location) = location {
        d = d.at(location);
    }
    d
}

/// The folders of the internal sections and page bundles (`_index.md` or `index.md`), whose
/// other files a public build leaves out.
fn internal_dirs(pages: &[Page], internal: &[bool]) -> HashSet<PathBuf> {
    pages
        .iter()
        .zip(internal)
        .filter(|(page, internal)| {
            let name = page.source.file_name().and_then(|n| n.to_str());
            **internal && matches!(name, Some("_index.md" | "index.md"))
        })
        .map(|(page, _)| page.source.parent().unwrap_or(Path::new("")).to_path_buf())
        .collect()
}

/// The URL path of a source file: `policies/usage.md` → `policies/usage/`.
fn page_url_path(rel: &Path, slug: Option<&str>) -> Result<String, String> {
    if let Some(slug) = slug
        && (slug.is_empty() || slug.contains(['/', '\\', '?', '#']) || slug == "." || slug == "..")
    {
        return Err(format!(
            "invalid slug `{slug}`: a slug is one URL segment, without `/`, `?` or `#`"
        ));
    }
    let dir = rel.parent().unwrap_or(Path::new(""));
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let folder = match name.as_ref() {
        "_index.md" => return Ok(folder_url(dir)),
        "index.md" => {
            let parent = dir.parent().unwrap_or(Path::new(""));
            match (slug, dir.file_name()) {
                (Some(slug), Some(_)) => parent.join(slug),
                _ => dir.to_path_buf(),
            }
        }
        _ => {
            let stem = rel
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default();
            dir.join(slug.unwrap_or(&stem))
        }
    };
    Ok(folder_url(&folder))
}

/// The URL path a Jekyll `permalink` gives (`/es/guide/` → `es/guide/`); None for a pattern
/// with placeholders (`/:title/`), which Folio's own rule replaces.
fn permalink_url_path(permalink: &str) -> Option<String> {
    let path = normalize(Path::new(permalink.trim().trim_start_matches('/')))?;
    let text = path.to_string_lossy();
    if text.contains(':') || text.contains(['?', '#']) {
        return None;
    }
    let text = text.trim_end_matches(".html").trim_end_matches("/index");
    Some(folder_url(Path::new(text)))
}

/// Resolves each page's `related` names to pages of its language: a name is a page's file
/// name without `.md`, or its `class`. A name that matches none is a warning.
fn resolve_related(site: &mut Site, diagnostics: &mut Diagnostics) {
    let mut by_name: HashMap<(&str, String), usize> = HashMap::new();
    for (index, page) in site.pages.iter().enumerate() {
        let language = page.language.as_str();
        if let Some(class) = &page.front_matter.class {
            by_name.entry((language, class.clone())).or_insert(index);
        }
        if let Some(stem) = page.source.file_stem() {
            let stem = stem.to_string_lossy().into_owned();
            by_name.insert((language, stem), index);
        }
    }
    let mut resolved = Vec::with_capacity(site.pages.len());
    for page in &site.pages {
        let mut found = Vec::new();
        for name in &page.front_matter.related {
            match by_name.get(&(page.language.as_str(), name.clone())) {
                Some(&index) => found.push(index),
                None => diagnostics.push(unresolved_related(page, name)),
            }
        }
        resolved.push(found);
    }
    for (page, related) in site.pages.iter_mut().zip(resolved) {
        page.related = related;
    }
}

fn unresolved_related(page: &Page, name: &str) -> Diagnostic {
    let mut d = Diagnostic::warning(format!(
        "`related` names `{name}`, which is no page of this language"
    ))
    .with_help("give a page's file name without `.md`, or its `class`");
    let split = front_matter::split(&page.display_path, &page.text).ok();
    let location = split
        .and_then(|s| front_matter::field_location(&page.display_path, &page.text, &s, "related"));
    if let Some(location) = location {
        d = d.at(location);
    }
    d
}

/// Two sources that would be written to the same URL are an error at each later source.
fn check_url_collisions(site: &Site, files: &[PathBuf], diagnostics: &mut Diagnostics) {
    let mut seen: HashMap<String, &Path> = HashMap::new();
    for page in &site.pages {
        let key = format!("{}index.html", page.url_path);
        if let Some(first) = seen.get(&key) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` and `{}` would both be written to /{}",
                    first.display(),
                    page.display_path.display(),
                    page.url_path
                ))
                .at(Location::from_offset(&page.display_path, &page.text, 0, 1))
                .with_help("rename one of them or give one a different `slug`"),
            );
        } else {
            seen.insert(key, &page.display_path);
        }
    }
    for file in files {
        let key = file.to_string_lossy().replace('\\', "/");
        if let Some(first) = seen.get(&key) {
            diagnostics.push(Diagnostic::error(format!(
                "`content/{key}` would overwrite the page rendered from `{}`",
                first.display()
            )));
        }
    }
}

/// Renders every page's Markdown in parallel, sets titles, then checks anchors.
fn render_markdown(
    site: &mut Site,
    links: &LinkMap,
    data: &LoadedData,
    progress: &Progress,
    diagnostics: &mut Diagnostics,
) {
    progress.stage("Rendering", site.pages.len());
    let found: Vec<Vec<Diagnostic>> = site
        .pages
        .par_iter_mut()
        .map(|page| {
            let found = render_page(page, links, data);
            progress.advance();
            found
        })
        .collect();
    diagnostics.extend(found.into_iter().flatten());
    let foreign_tags = site
        .pages
        .iter()
        .flat_map(|p| p.foreign_tags.iter().cloned());
    diagnostics.extend(compat::report(foreign_tags.collect()));
    let refs: Vec<(usize, AnchorRef)> = site
        .pages
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.rendered.anchor_refs.iter().map(move |r| (i, r.clone())))
        .collect();
    let mut retargeted = Vec::new();
    for (from, anchor_ref) in refs {
        let target = &site.pages[anchor_ref.page.unwrap_or(from)];
        match check_anchor(target, &site.pages[from], &anchor_ref) {
            AnchorCheck::Found => {}
            AnchorCheck::InThisPage(href) => retargeted.push((from, href)),
            AnchorCheck::Missing => diagnostics.push(missing_anchor(target, &anchor_ref)),
        }
    }
    for (from, href) in retargeted {
        retarget_to_self(&mut site.pages[from], &href);
    }
}

/// Where the anchor of a `#fragment` link is.
enum AnchorCheck {
    /// In the page linked to.
    Found,
    /// Not there, but the link is `./#x` and the linking page has it: the link, written into
    /// the page as this href, is to the linking page (see [`AnchorRef::self_href`]).
    InThisPage(String),
    /// Nowhere it could be meant.
    Missing,
}

/// Checks the anchor of `anchor_ref`, written in `this` and pointing into `target`.
fn check_anchor(target: &Page, this: &Page, anchor_ref: &AnchorRef) -> AnchorCheck {
    if target.rendered.anchors.contains(&anchor_ref.anchor) {
        return AnchorCheck::Found;
    }
    match &anchor_ref.self_href {
        Some(href) if this.rendered.anchors.contains(&anchor_ref.anchor) => {
            AnchorCheck::InThisPage(href.clone())
        }
        _ => AnchorCheck::Missing,
    }
}

/// Points the `./#x` links that were written into `page` as `href` at the page's own `#x`.
fn retarget_to_self(page: &mut Page, href: &str) {
    let Some(hash) = href.find('#') else {
        return;
    };
    // The HTML holds the href as pulldown-cmark escaped it.
    let attribute = |href: &str| {
        let mut escaped = String::from("href=\"");
        let _ = pulldown_cmark_escape::escape_href(&mut escaped, href);
        escaped.push('"');
        escaped
    };
    let html = &mut page.rendered.html;
    *html = html.replace(&attribute(href), &attribute(&href[hash..]));
}

fn render_page(page: &mut Page, links: &LinkMap, data: &LoadedData) -> Vec<Diagnostic> {
    if page.generated {
        return Vec::new();
    }
    let body_offset = page.body_offset;
    let mut cleaned = compat::clean(
        &page.display_path,
        &page.text,
        body_offset,
        &page.text[body_offset..],
    );
    page.foreign_tags = std::mem::take(&mut cleaned.uses);
    let source = markdown::Source {
        display_path: &page.display_path,
        rel_path: &page.source,
        text: &page.text,
        body: &cleaned.body,
        body_offset,
        title: page.front_matter.title.as_deref(),
        cleaned: Some(&cleaned),
    };
    let mut rendered = markdown::render(&source, links, data.terms());
    rendered.anchors.extend(data.template_anchors(page));
    let mut diagnostics = std::mem::take(&mut rendered.diagnostics);
    match page
        .front_matter
        .title
        .clone()
        .or_else(|| rendered.h1.clone())
    {
        Some(title) => page.title = title,
        None => {
            // An empty `title:` is shown where it is; no title at all, at the top of the file.
            let location = front_matter::split(&page.display_path, &page.text)
                .ok()
                .and_then(|split| {
                    front_matter::field_location(&page.display_path, &page.text, &split, "title")
                })
                .unwrap_or_else(|| Location::from_offset(&page.display_path, &page.text, 0, 1));
            diagnostics.push(
                Diagnostic::error("the page has no title")
                    .with_code("front-matter")
                    .at(location)
                    .with_help(
                        "add `title: ...` to the front matter, or start the page with a `# Heading`",
                    ),
            );
        }
    }
    page.rendered = rendered;
    diagnostics
}

fn missing_anchor(target: &Page, anchor_ref: &AnchorRef) -> Diagnostic {
    let mut known: Vec<&str> = target.rendered.anchors.iter().map(String::as_str).collect();
    known.sort_unstable();
    let help = match crate::base::diag::did_you_mean(&anchor_ref.anchor, &known) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if known.is_empty() => format!("`{}` has no headings", target.display_path.display()),
        None => format!(
            "headings in `{}`: {}",
            target.display_path.display(),
            known
                .iter()
                .take(8)
                .map(|a| format!("#{a}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::error(format!(
        "link to a missing heading `#{}` in `{}`",
        anchor_ref.anchor,
        target.display_path.display()
    ))
    .at(anchor_ref.location.clone())
    .with_help(help)
    .with_code("broken-anchor")
}

/// Resolves each policy's `superseded_by` to a page; a missing page is an error.
fn resolve_superseded_by(
    site: &Site,
    links: &LinkMap,
    diagnostics: &mut Diagnostics,
) -> Vec<Option<usize>> {
    let superseded_by: Vec<Option<usize>> = site
        .pages
        .iter()
        .map(|page| {
            let target = page.front_matter.superseded_by.as_deref()?;
            let joined = if let Some(from_root) = target.strip_prefix('/') {
                PathBuf::from(from_root)
            } else {
                page.source.parent().unwrap_or(Path::new("")).join(target)
            };
            let source = normalize(&joined);
            let found = source.as_ref().and_then(|p| links.page(p)).map(|(i, _)| i);
            let unbuilt = source.as_ref().and_then(|p| links.unbuilt(p));
            // A page whose front matter failed has its own error already.
            if found.is_none() && unbuilt != Some(Unbuilt::Failed) {
                let split = front_matter::split(&page.display_path, &page.text).ok();
                let location = split.and_then(|s| {
                    front_matter::field_location(
                        &page.display_path,
                        &page.text,
                        &s,
                        "superseded_by",
                    )
                });
                let mut d = superseded_by_unbuilt(target, unbuilt);
                if let Some(loc) = location {
                    d = d.at(loc);
                }
                diagnostics.push(d);
            }
            found
        })
        .collect();
    for cycle in superseded_cycles(&superseded_by) {
        diagnostics.push(superseded_cycle_error(site, &cycle));
    }
    superseded_by
}

/// The error for a `superseded_by` naming a page that is not in this build: left out (`why`),
/// or missing.
fn superseded_by_unbuilt(target: &str, why: Option<Unbuilt>) -> Diagnostic {
    match why {
        Some(Unbuilt::Excluded(Exclusion::Internal)) => Diagnostic::error(format!(
            "`superseded_by` names the internal page `{target}`, which a public build leaves out"
        ))
        .with_help(
            "make this page internal too, make the replacing page public, or remove \
             `superseded_by` from the public page",
        ),
        Some(Unbuilt::Excluded(Exclusion::Draft)) => Diagnostic::error(format!(
            "`superseded_by` names the draft page `{target}`, which is left out of this build"
        ))
        .with_help("build with --drafts, or remove `draft: true` from that page"),
        _ => Diagnostic::error(format!("`superseded_by` names a missing page `{target}`"))
            .with_help("give the path of the replacing page's .md file, relative to this file"),
    }
}

/// The `superseded_by` chains that come back to where they started, each as its pages in order
/// from its first in the site. Each page has one successor, so one walk per page finds them all.
fn superseded_cycles(superseded_by: &[Option<usize>]) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; superseded_by.len()];
    let mut cycles = Vec::new();
    for start in 0..superseded_by.len() {
        let mut path = Vec::new();
        let mut next = Some(start);
        while let Some(page) = next.filter(|&p| state[p] == State::New) {
            state[page] = State::OnPath;
            path.push(page);
            next = superseded_by[page];
        }
        if let Some(page) = next.filter(|&p| state[p] == State::OnPath)
            && let Some(at) = path.iter().position(|&p| p == page)
        {
            let mut cycle = path[at..].to_vec();
            let first = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
            cycle.rotate_left(first);
            cycles.push(cycle);
        }
        for page in path {
            state[page] = State::Done;
        }
    }
    cycles
}

/// A cycle of `superseded_by`, shown at the field in its first page.
fn superseded_cycle_error(site: &Site, cycle: &[usize]) -> Diagnostic {
    let first = &site.pages[cycle[0]];
    let chain: Vec<String> = cycle
        .iter()
        .chain(&cycle[..1])
        .map(|&i| format!("`{}`", site.pages[i].display_path.display()))
        .collect();
    let mut d = Diagnostic::error(format!(
        "`superseded_by` goes round in a circle: {}",
        chain.join(" → ")
    ))
    .with_help("the newest policy in the chain must not have `superseded_by`");
    let location = front_matter::split(&first.display_path, &first.text)
        .ok()
        .and_then(|s| {
            front_matter::field_value_location(
                &first.display_path,
                &first.text,
                &s,
                "superseded_by",
            )
        });
    if let Some(location) = location {
        d = d.at(location);
    }
    d
}

/// Alias URL paths and the page each redirects to; clashes with pages are errors.
fn collect_aliases(site: &Site, diagnostics: &mut Diagnostics) -> Vec<(String, usize)> {
    let page_urls: HashMap<&str, &Page> = site
        .pages
        .iter()
        .map(|p| (p.url_path.as_str(), p))
        .collect();
    let mut aliases: Vec<(String, usize)> = Vec::new();
    let mut seen: HashMap<String, &Page> = HashMap::new();
    for (index, page) in site.pages.iter().enumerate() {
        for alias in &page.front_matter.aliases {
            let Some(url_path) = alias_url_path(alias) else {
                diagnostics.push(alias_error(
                    page,
                    alias,
                    format!("alias `{alias}` points outside the site"),
                ));
                continue;
            };
            let taken = match (page_urls.get(url_path.as_str()), seen.get(&url_path)) {
                (Some(other), _) => Some(format!("the URL of `{}`", other.display_path.display())),
                (None, Some(other)) => Some(format!(
                    "an alias of `{}` too",
                    other.display_path.display()
                )),
                (None, None) => None,
            };
            if let Some(taken) = taken {
                diagnostics.push(alias_error(
                    page,
                    alias,
                    format!("alias `{alias}` collides with another page: /{url_path} is {taken}"),
                ));
                continue;
            }
            seen.insert(url_path.clone(), page);
            aliases.push((url_path, index));
        }
    }
    aliases
}

/// The URL path (`old/x/`) of an alias as written (`/old/x`); None when it climbs out of the
/// site.
fn alias_url_path(alias: &str) -> Option<String> {
    normalize(Path::new(alias.trim_start_matches('/'))).map(|path| folder_url(&path))
}

/// An error about `alias`, shown where the front matter lists it.
fn alias_error(page: &Page, alias: &str, message: String) -> Diagnostic {
    let mut d = Diagnostic::error(message)
        .with_help("remove the alias, or change it to an old URL that no page uses");
    let location = front_matter::split(&page.display_path, &page.text)
        .ok()
        .and_then(|split| {
            let (_, fm_text) = split.front_matter?;
            let offset = split.front_matter_offset + fm_text.find(alias)?;
            Some(Location::from_offset(
                &page.display_path,
                &page.text,
                offset,
                alias.len(),
            ))
        });
    if let Some(location) = location {
        d = d.at(location);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_content_tree() {
        let url = |p: &str, slug: Option<&str>| page_url_path(Path::new(p), slug).unwrap();
        assert_eq!(url("_index.md", None), "");
        assert_eq!(url("policies/_index.md", None), "policies/");
        assert_eq!(url("policies/usage.md", None), "policies/usage/");
        assert_eq!(url("policies/usage.md", Some("use")), "policies/use/");
        assert_eq!(url("about/index.md", None), "about/");
        assert_eq!(url("about/index.md", Some("team")), "team/");
        assert!(page_url_path(Path::new("a.md"), Some("../x")).is_err());
    }

    #[test]
    fn superseded_by_cycles_are_found_once_each() {
        // 0 → 1 → 2 → 1 and 3 → 3; 4 → 0 leads into a cycle without being in it.
        let cycles = superseded_cycles(&[Some(1), Some(2), Some(1), Some(3), Some(0), None]);
        assert_eq!(cycles, vec![vec![1, 2], vec![3]]);
        assert!(superseded_cycles(&[Some(1), None]).is_empty());
    }
}
